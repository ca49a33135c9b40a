"""Conflicts: records changed on both sides since the two laptops last met (or deleted on one side
and changed on the other). Both versions are kept; this screen shows them side by side, the fields
that differ highlighted, for a person to keep this laptop's or take the pack's. Nothing is ever
overwritten without that choice."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.organisation import list_areas, list_csus
from wastewalk.services.pack_conflicts import list_conflicts, resolve_conflict
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database
from wastewalk.ui.packs import words
from wastewalk.ui.reports.strips import MessageStrip
from wastewalk.ui.settings.widgets import MIN_TARGET, action_button, flat_list, make_note_row
from wastewalk.ui.timefmt import uk_compact, uk_date_time

logger = logging.getLogger(__name__)

_WHO_KEY = "packs/decided_by"
LIST_COLUMNS = ("Record", "What happened")
SIDE_COLUMNS = ("Field", "This laptop", "The pack")
DIFFER_BRUSH = QBrush(QColor("#fff4cc"))
HELP = (
    "Each record below was changed on this laptop and in a pack since they last met. This "
    "laptop's version is in use until you choose; the other is kept beside it."
)
# Bookkeeping fields: shown, but after the fields a person edits.
_LAST = ("updated_at", "id", "device_id", "created_at")
# Not content: a record saved again unchanged is not a difference (as the pack's hashes agree).
_NOT_CONTENT = ("updated_at",)


def differing(local: dict[str, Any], incoming: dict[str, Any]) -> list[str]:
    """The fields whose content differs between the two versions."""
    names = list(local) + [name for name in incoming if name not in local]
    return [
        name
        for name in names
        if name not in _NOT_CONTENT
        and (name not in local or name not in incoming or local[name] != incoming[name])
    ]


def default_who() -> str:
    """The name last typed here, else the computer's user name."""
    remembered = str(QSettings().value(_WHO_KEY, "") or "")
    if remembered:
        return remembered
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name on this computer
        return ""


def field_order(local: dict[str, Any], incoming: dict[str, Any]) -> list[str]:
    """Fields that differ first, then the rest, bookkeeping last; each group in record order."""
    names = list(local) + [name for name in incoming if name not in local]
    differ = differing(local, incoming)
    same = [name for name in names if name not in differ]

    def late(name: str) -> int:
        return _LAST.index(name) + 1 if name in _LAST else 0

    return sorted(differ, key=late) + sorted(same, key=late)


class ConflictsView(QWidget):
    """The open conflicts, one chosen shown side by side, and the two choices."""

    resolved = Signal(object)  # the ConflictInfo after the choice
    count_changed = Signal(int)  # open conflicts

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.conflicts: list[Any] = []
        self._known: dict[str, str] | None = None  # ids to names, read once per reload

        help_label = QLabel(HELP, self)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #425563;")
        self.list = flat_list(self, "Open conflicts", LIST_COLUMNS)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: 600;")
        self.heading.setAccessibleName("The conflict shown")
        self.side = QTableWidget(0, len(SIDE_COLUMNS), self)
        self.side.setHorizontalHeaderLabels(list(SIDE_COLUMNS))
        self.side.setAccessibleName("The two versions side by side")
        self.side.verticalHeader().setVisible(False)
        self.side.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.side.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.side.setWordWrap(True)
        side_header = self.side.horizontalHeader()
        side_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        side_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        side_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        who_label = QLabel("Decided &by:", self)
        self.who = QLineEdit(self)
        self.who.setAccessibleName("Your name, kept with the choice")
        self.who.setMinimumHeight(32)
        self.who.setMaximumWidth(260)
        self.who.setText(default_who())
        who_label.setBuddy(self.who)
        self.keep_button = action_button(
            "&Keep this laptop's", self, tip="Keep the version on this laptop; set the pack's aside"
        )
        self.take_button = action_button(
            "&Take the pack's", self, tip="Replace this laptop's version with the pack's"
        )
        choices = QHBoxLayout()
        choices.addWidget(who_label)
        choices.addWidget(self.who)
        choices.addSpacing(12)
        choices.addWidget(self.keep_button)
        choices.addWidget(self.take_button)
        choices.addStretch(1)
        self.message = MessageStrip(self)
        self.message.open_button.setMinimumHeight(MIN_TARGET)
        self.message.open_button.setAccessibleName("Open folder")

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.side, 1)
        right_layout.addLayout(choices)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([400, 700])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(help_label)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

        self.setTabOrder(self.list, self.side)
        self.setTabOrder(self.side, self.who)
        self.setTabOrder(self.who, self.keep_button)
        self.setTabOrder(self.keep_button, self.take_button)

        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.keep_button.clicked.connect(lambda: self.resolve("local"))
        self.take_button.clicked.connect(lambda: self.resolve("incoming"))
        self.who.textChanged.connect(lambda _text: self._enable())
        self._show_current()

    def reload(self) -> None:
        """Re-read the open conflicts, keeping the one chosen when it is still open."""
        keep = self.selected()
        self._known = None
        self.conflicts = list(list_conflicts(self.db, open_only=True))
        self.list.blockSignals(True)
        self.list.clear()
        chosen: QTreeWidgetItem | None = None
        for conflict in self.conflicts:
            detected = getattr(conflict, "detected_at", None)
            item = QTreeWidgetItem(
                self.list,
                [str(conflict.label), words.kind_words(str(conflict.kind))],
            )
            found = uk_compact(detected) if isinstance(detected, dt.datetime) else "unknown"
            item.setToolTip(1, f"Found {found}")
            item.setToolTip(
                0,
                f"{conflict.label}\n{words.one_record(str(conflict.table))} id "
                f"{conflict.record_id}",
            )
            if keep is not None and conflict.id == keep.id:
                chosen = item
        if not self.conflicts:
            make_note_row(QTreeWidgetItem(self.list, ["No conflicts: nothing waits for a choice"]))
        elif chosen is None:
            chosen = self.list.topLevelItem(0)
        self.list.blockSignals(False)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
        self._show_current()
        self.count_changed.emit(len(self.conflicts))

    def selected(self) -> Any:
        item = self.list.currentItem()
        if item is None:
            return None
        index = self.list.indexOfTopLevelItem(item)
        return self.conflicts[index] if 0 <= index < len(self.conflicts) else None

    def select_index(self, index: int) -> None:
        item = self.list.topLevelItem(index)
        if item is not None:
            self.list.setCurrentItem(item)

    def _enable(self) -> None:
        ready = self.selected() is not None and bool(self.who.text().strip())
        self.keep_button.setEnabled(ready)
        self.take_button.setEnabled(ready)

    def _show_current(self) -> None:
        conflict = self.selected()
        self.side.setRowCount(0)
        if conflict is None:
            self.heading.setText("Choose a conflict on the left to see both versions.")
            self._enable()
            return
        local: dict[str, Any] = dict(conflict.local or {})
        incoming: dict[str, Any] = dict(conflict.incoming or {})
        names = field_order(local, incoming)
        differ = differing(local, incoming)
        device = words.short_device(str(getattr(conflict, "pack_device_id", "")))
        detected = getattr(conflict, "detected_at", None)
        found = f", found {uk_compact(detected)}" if isinstance(detected, dt.datetime) else ""
        self.heading.setText(
            f"{conflict.label}: {words.kind_words(str(conflict.kind)).lower()}. "
            f"The pack came from {device}{found}; "
            f"{words.plural(len(differ), 'field differs', 'fields differ')} (highlighted)."
        )
        known = self._names()
        bold = QFont(self.side.font())
        bold.setBold(True)
        self.side.setRowCount(len(names))
        for row, name in enumerate(names):
            cells = (
                words.field_words(name),
                words.value_words(local.get(name), known, field=name)
                if name in local
                else "(not there)",
                words.value_words(incoming.get(name), known, field=name)
                if name in incoming
                else "(not there)",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if column else name)
                if name in differ:
                    item.setBackground(DIFFER_BRUSH)
                    item.setFont(bold)
                self.side.setItem(row, column, item)
        self.side.resizeRowsToContents()
        self._enable()

    def _names(self) -> dict[str, str]:
        """Category, CSU and area ids as the names people know them by."""
        if self._known is None:
            known: dict[str, str] = {}
            for category in list_categories(self.db, include_archived=True):
                known[str(category.id)] = f"{category.label}"
            for csu in list_csus(self.db, include_archived=True):
                known[str(csu.id)] = f"{csu.name} CSU"
            for area in list_areas(self.db, include_archived=True):
                known[str(area.id)] = f"{area.name}, {area.csu_name} CSU"
            self._known = known
        return self._known

    def resolve(self, choice: str) -> None:
        """Settle the chosen conflict: 'local' keeps this laptop's, 'incoming' takes the pack's."""
        conflict = self.selected()
        who = self.who.text().strip()
        if conflict is None:
            return
        if not who:
            self.message.show_message("error", "Type your name first: it is kept with the choice.")
            self.who.setFocus()
            return
        QSettings().setValue(_WHO_KEY, who)
        try:
            done = resolve_conflict(self.db, conflict.id, choice, who)
        except WasteWalkError as exc:
            self.message.show_message("error", f"Nothing changed. {exc}")
            self.reload()
            return
        what = "Kept this laptop's version" if choice == "local" else "Took the pack's version"
        self.message.show_message(
            "done", f"{what} of {conflict.label} ({uk_date_time_now()}, by {who})."
        )
        self.reload()
        self.list.setFocus()
        self.resolved.emit(done)


def uk_date_time_now() -> str:
    """Now, on the UK clock."""
    return uk_date_time(dt.datetime.now(dt.UTC))
