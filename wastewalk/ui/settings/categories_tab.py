"""Waste categories: add a team's own, relabel, give a key, archive or restore, reorder."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services import wastes
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store.database import Database
from wastewalk.ui.settings import ask
from wastewalk.ui.settings.dialogs import CategoryDialog
from wastewalk.ui.settings.widgets import (
    NUMBER_ALIGN,
    action_button,
    archived_brush,
    flat_list,
)

logger = logging.getLogger(__name__)

COLUMNS = ("Order", "Code", "Label", "Key", "Hint", "State")


class CategoriesTab(QWidget):
    """Every category in capture order, archived ones greyed; `changed` after each saved change."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.categories: list[WasteCategoryInfo] = []

        intro = QLabel(
            "The capture screen shows the wastes in this order, and a category's key picks it "
            "with one key press. The <b>code</b> names a category in files and packs, so it "
            "never changes; the label, hint and key can. Archive a category you no longer use: "
            "it leaves the capture screen, and old observations keep it.",
            self,
        )
        intro.setWordWrap(True)

        self.table = flat_list(self, "Waste categories in capture order", COLUMNS)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.header()
        header.setStretchLastSection(False)
        for column, width in ((0, 60), (1, 140), (2, 150), (3, 50), (5, 90)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        self.add_button = action_button("&Add category…", self, tip="Add a team's own waste")
        self.edit_button = action_button(
            "&Edit label, hint, key…", self, tip="Change the selected category's words or key"
        )
        self.archive_button = action_button("Arc&hive", self)
        self.up_button = action_button(
            "Move &up (Ctrl+↑)", self, tip="Earlier on the capture screen"
        )
        self.up_button.setAccessibleName("Move up")
        self.down_button = action_button(
            "Move dow&n (Ctrl+↓)", self, tip="Later on the capture screen"
        )
        self.down_button.setAccessibleName("Move down")

        buttons = QVBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.archive_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        side = QWidget(self)
        side.setLayout(buttons)
        side.setFixedWidth(230)

        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(side)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)

        for keys, move in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, step=move: self.move_selected(step))
            self.addAction(action)

        self.add_button.clicked.connect(self.add_category)
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.table.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.table.itemActivated.connect(lambda *_: self.edit_selected())

    # --- reading -----------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Re-read the categories, keeping the selection (or selecting `select`)."""
        current = self.selected()
        keep = select or (current.id if current else None)
        self.show_categories(wastes.list_categories(self.db, include_archived=True), keep)

    def show_categories(self, categories: list[WasteCategoryInfo], keep: uuid.UUID | None) -> None:
        self.categories = categories
        self.table.clear()
        chosen = None
        for position, category in enumerate(categories, start=1):
            item = QTreeWidgetItem(
                self.table,
                [
                    str(position),
                    category.code,
                    category.label,
                    category.key or "",
                    category.hint,
                    "archived" if category.archived else "in use",
                ],
            )
            item.setData(0, Qt.ItemDataRole.UserRole, category.id)
            item.setToolTip(4, category.hint)
            item.setTextAlignment(0, NUMBER_ALIGN)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignCenter)
            if category.archived:
                for column in range(len(COLUMNS)):
                    item.setForeground(column, archived_brush())
            if category.id == keep or chosen is None:
                chosen = item
        if chosen is not None:
            self.table.setCurrentItem(chosen)
        self._update_buttons()

    def selected_index(self) -> int | None:
        item = self.table.currentItem()
        return None if item is None else self.table.indexOfTopLevelItem(item)

    def selected(self) -> WasteCategoryInfo | None:
        index = self.selected_index()
        return None if index is None or index < 0 else self.categories[index]

    def _update_buttons(self) -> None:
        index = self.selected_index()
        category = self.selected()
        has = category is not None
        self.edit_button.setEnabled(has)
        self.archive_button.setEnabled(has)
        self.up_button.setEnabled(has and index is not None and index > 0)
        self.down_button.setEnabled(has and index is not None and index < len(self.categories) - 1)
        restoring = category is not None and category.archived
        self.archive_button.setText("Restore from arc&hive" if restoring else "Arc&hive")
        self.archive_button.setAccessibleName(
            "Restore the category from the archive" if restoring else "Archive the category"
        )

    # --- changing ----------------------------------------------------------------------------

    def _changed(self, category_id: uuid.UUID) -> None:
        self.reload(select=category_id)
        self.changed.emit()

    def add_category(self) -> None:
        dialog = CategoryDialog("Add a waste category", parent=self)
        made = ask.until_saved(
            self,
            dialog,
            "Add category",
            lambda: wastes.add_category(
                self.db, dialog.code() or "", dialog.label(), dialog.hint(), dialog.key()
            ),
        )
        if made is not None:
            self._changed(made.id)

    def edit_selected(self) -> None:
        category = self.selected()
        if category is None:
            return
        dialog = CategoryDialog(
            f"Edit {category.label}",
            code=category.code,
            label=category.label,
            hint=category.hint,
            key=category.key,
            parent=self,
        )
        saved = ask.until_saved(
            self,
            dialog,
            "Edit category",
            lambda: wastes.edit_category(
                self.db, category.id, label=dialog.label(), hint=dialog.hint(), key=dialog.key()
            ),
        )
        if saved is not None:
            self._changed(saved.id)

    def toggle_archived(self) -> None:
        """Archive the selected category, or bring an archived one back."""
        category = self.selected()
        if category is None:
            return
        archive = not category.archived
        what = "Archive category" if archive else "Restore category"
        saved = ask.attempt(
            self, what, lambda: wastes.set_category_archived(self.db, category.id, archive)
        )
        if saved is not None:
            self._changed(saved.id)

    def move_selected(self, step: int) -> None:
        """Move the selected category one place earlier (-1) or later (+1)."""
        category, index = self.selected(), self.selected_index()
        if category is None or index is None:
            return
        if not 0 <= index + step < len(self.categories):
            return  # already first (or last): nothing to do
        ordered = ask.attempt(
            self, "Move category", lambda: wastes.move_category(self.db, category.id, index + step)
        )
        if ordered is None:
            return
        self.show_categories(ordered, category.id)
        self.changed.emit()
