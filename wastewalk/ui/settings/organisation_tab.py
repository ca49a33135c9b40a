"""The trust → CSU → area tree: add, rename, archive and restore, and each area's kind and days."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services import organisation
from wastewalk.services.overview import AreaNode, CsuNode, organisation_tree
from wastewalk.store.database import Database
from wastewalk.ui.settings import ask
from wastewalk.ui.settings.dialogs import KIND_LABELS, OPERATING_DAYS_HELP, AreaDialog, NameDialog
from wastewalk.ui.settings.widgets import (
    NUMBER_ALIGN,
    action_button,
    archived_brush,
    make_note_row,
    roomy_rows,
)

logger = logging.getLogger(__name__)

COLUMNS = ("Trust / CSU / area", "Kind", "Operating days", "Walks", "Observations")
_ID = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Picked:
    """What is selected in the tree."""

    kind: str  # "trust", "csu" or "area"
    id: uuid.UUID | None  # None only for a trust not made yet
    name: str
    archived: bool
    csu: CsuNode | None = None  # the CSU itself, or the area's CSU
    area: AreaNode | None = None


class OrganisationTab(QWidget):
    """Edit the organisation; `changed` is emitted after every change that was saved."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db

        intro = QLabel(
            "Every walk belongs to an area; areas belong to a CSU. Archiving hides a CSU or "
            "area from new walks and keeps everything already recorded. Nothing is ever deleted.",
            self,
        )
        intro.setWordWrap(True)

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Trust, CSUs and areas")
        self.tree.setAccessibleDescription(
            "Each area with its kind, operating days per year, walks and observations"
        )
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        roomy_rows(self.tree)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 130), (3, 80), (4, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        for column in (2, 3, 4):
            self.tree.headerItem().setTextAlignment(column, NUMBER_ALIGN)

        self.add_csu_button = action_button("Add &CSU…", self, tip="Add a Clinical Service Unit")
        self.add_area_button = action_button(
            "Add &area…", self, tip="Add a ward, department or clinic to the selected CSU"
        )
        self.rename_button = action_button("&Rename… (F2)", self, tip="Rename the selected item")
        self.rename_button.setAccessibleName("Rename")
        self.edit_area_button = action_button(
            "&Kind and days…", self, tip="The selected area's kind and operating days per year"
        )
        self.archive_button = action_button("Arc&hive", self)
        self.show_archived = QCheckBox("Show arch&ived", self)
        self.show_archived.setAccessibleName("Show archived CSUs and areas")
        self.show_archived.setMinimumHeight(40)
        days_help = QLabel(OPERATING_DAYS_HELP, self)
        days_help.setWordWrap(True)
        days_help.setStyleSheet("color: #425563;")

        buttons = QVBoxLayout()
        for widget in (
            self.add_csu_button,
            self.add_area_button,
            self.rename_button,
            self.edit_area_button,
            self.archive_button,
            self.show_archived,
        ):
            buttons.addWidget(widget)
        buttons.addSpacing(12)
        buttons.addWidget(days_help)
        buttons.addStretch(1)
        side = QWidget(self)
        side.setLayout(buttons)
        side.setFixedWidth(230)

        body = QHBoxLayout()
        body.addWidget(self.tree, 1)
        body.addWidget(side)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)

        rename_action = QAction("Rename", self)
        rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        rename_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        rename_action.triggered.connect(self.rename_selected)
        self.addAction(rename_action)

        self.add_csu_button.clicked.connect(self.add_csu)
        self.add_area_button.clicked.connect(self.add_area)
        self.rename_button.clicked.connect(self.rename_selected)
        self.edit_area_button.clicked.connect(self.edit_area)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemActivated.connect(lambda *_: self.rename_selected())

    # --- reading -----------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Re-read the tree (keeping the selection, or selecting `select`)."""
        current = self.selected()
        keep = select or (current.id if current else None)
        data = organisation_tree(self.db, include_archived=self.show_archived.isChecked())
        self.tree.clear()
        trust_name = data.trust_name or "Your trust (not named yet)"
        root = self._add_item(
            None,
            Picked("trust", data.trust_id, data.trust_name or "", False),
            (trust_name, "Trust", "", f"{data.walks:,}", f"{data.observations:,}"),
        )
        if not data.csus:
            hint = QTreeWidgetItem(
                root, ["No CSUs yet: use Add CSU, or the command wastewalk import areas FILE.csv"]
            )
            make_note_row(hint)
        for csu in data.csus:
            csu_item = self._add_item(
                root,
                Picked("csu", csu.id, csu.name, csu.archived, csu=csu),
                (csu.name, "CSU", "", f"{csu.walks:,}", f"{csu.observations:,}"),
            )
            for area in csu.areas:
                self._add_item(
                    csu_item,
                    Picked("area", area.id, area.name, area.archived, csu=csu, area=area),
                    (
                        area.name,
                        KIND_LABELS.get(area.kind, area.kind),
                        str(area.operating_days_per_year),
                        f"{area.walks:,}",
                        f"{area.observations:,}",
                    ),
                )
        self.tree.expandAll()
        target = self._find_item(keep) or root
        self.tree.setCurrentItem(target)
        self.tree.scrollToItem(target)
        self._update_buttons()

    def _add_item(
        self, parent: QTreeWidgetItem | None, picked: Picked, texts: tuple[str, ...]
    ) -> QTreeWidgetItem:
        shown = list(texts)
        if picked.archived:
            shown[0] = f"{shown[0]} (archived)"
        item = QTreeWidgetItem(parent or self.tree, shown)
        item.setData(0, _ID, picked)
        for column in (2, 3, 4):
            item.setTextAlignment(column, NUMBER_ALIGN)
        if picked.archived:
            for column in range(len(COLUMNS)):
                item.setForeground(column, archived_brush())
        return item

    def _find_item(self, record_id: uuid.UUID | None) -> QTreeWidgetItem | None:
        if record_id is None:
            return None
        iterator = QTreeWidgetItemIterator(self.tree)
        while item := iterator.value():
            picked = item.data(0, _ID)
            if isinstance(picked, Picked) and picked.id == record_id:
                return item
            iterator += 1
        return None

    def selected(self) -> Picked | None:
        """The trust, CSU or area selected, if any."""
        item = self.tree.currentItem()
        if item is None:
            return None
        picked = item.data(0, _ID)
        return picked if isinstance(picked, Picked) else None

    def select(self, record_id: uuid.UUID) -> bool:
        """Select a CSU or area by id; False when it is not shown."""
        item = self._find_item(record_id)
        if item is not None:
            self.tree.setCurrentItem(item)
        return item is not None

    def item_texts(self) -> list[tuple[int, list[str]]]:
        """Every row as (depth, column texts), for tests and screen-reader checks."""
        rows: list[tuple[int, list[str]]] = []

        def walk(item: QTreeWidgetItem | None, depth: int) -> None:
            if item is None:
                return
            rows.append((depth, [item.text(c) for c in range(len(COLUMNS))]))
            for i in range(item.childCount()):
                walk(item.child(i), depth + 1)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), 0)
        return rows

    def _update_buttons(self) -> None:
        picked = self.selected()
        kind = picked.kind if picked else None
        self.add_area_button.setEnabled(kind in ("csu", "area"))
        self.rename_button.setEnabled(kind is not None)
        self.edit_area_button.setEnabled(kind == "area")
        self.archive_button.setEnabled(kind in ("csu", "area"))
        restoring = picked is not None and picked.archived
        self.archive_button.setText("Restore from arc&hive" if restoring else "Arc&hive")
        self.archive_button.setAccessibleName(
            "Restore from archive" if restoring else "Archive the selected CSU or area"
        )

    # --- changing ----------------------------------------------------------------------------

    def _changed(self, record_id: uuid.UUID) -> None:
        self.reload(select=record_id)
        self.changed.emit()

    def add_csu(self) -> None:
        dialog = NameDialog("Add a CSU", "CSU &name:", parent=self)
        made = ask.until_saved(
            self, dialog, "Add CSU", lambda: organisation.create_csu(self.db, dialog.name())
        )
        if made is not None:
            self._changed(made.id)

    def add_area(self) -> None:
        picked = self.selected()
        csu = picked.csu if picked else None
        if csu is None:
            ask.warn(self, "Add area", "Choose the CSU the new area belongs to first.")
            return
        if csu.archived:
            ask.warn(
                self,
                "Add area",
                f"{csu.name} is archived. Restore it from the archive before adding areas to it.",
            )
            return
        dialog = AreaDialog(f"Add an area to {csu.name}", csu_name=csu.name, parent=self)
        made = ask.until_saved(
            self,
            dialog,
            "Add area",
            lambda: organisation.create_area(
                self.db,
                csu.id,
                dialog.name() or "",
                kind=dialog.kind(),
                operating_days_per_year=dialog.operating_days(),
            ),
        )
        if made is not None:
            self._changed(made.id)

    def rename_selected(self) -> None:
        picked = self.selected()
        if picked is None:
            return
        record_id = picked.id
        dialog = NameDialog(
            f"Rename {picked.name or 'the trust'}",
            {"trust": "Trust name:", "csu": "CSU name:", "area": "Area name:"}[picked.kind],
            picked.name,
            self,
        )

        def rename() -> uuid.UUID:
            if picked.kind == "trust" or record_id is None:
                return organisation.rename_current_trust(self.db, dialog.name()).id
            if picked.kind == "csu":
                return organisation.rename_csu(self.db, record_id, dialog.name()).id
            return organisation.update_area(self.db, record_id, name=dialog.name()).id

        renamed = ask.until_saved(self, dialog, "Rename", rename)
        if renamed is not None:
            self._changed(renamed)

    def edit_area(self) -> None:
        picked = self.selected()
        if picked is None or picked.area is None or picked.csu is None:
            return
        area = picked.area
        dialog = AreaDialog(
            f"Kind and operating days of {area.name}",
            csu_name=picked.csu.name,
            name=None,
            kind=area.kind,
            operating_days=area.operating_days_per_year,
            parent=self,
        )
        saved = ask.until_saved(
            self,
            dialog,
            "Kind and days",
            lambda: organisation.update_area(
                self.db,
                area.id,
                kind=dialog.kind(),
                operating_days_per_year=dialog.operating_days(),
            ),
        )
        if saved is not None:
            self._changed(saved.id)

    def toggle_archived(self) -> None:
        """Archive the selected CSU or area, or bring an archived one back."""
        picked = self.selected()
        if picked is None or picked.id is None or picked.kind == "trust":
            return
        record_id, archive = picked.id, not picked.archived
        setter = (
            organisation.set_csu_archived
            if picked.kind == "csu"
            else organisation.set_area_archived
        )
        what = "Archive" if archive else "Restore from archive"
        saved = ask.attempt(self, what, lambda: setter(self.db, record_id, archive).id)
        if saved is not None:
            self._changed(saved)
