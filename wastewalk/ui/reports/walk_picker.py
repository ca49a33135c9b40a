"""Choosing the walk for a walk summary: the walks in scope, newest first, narrowed as you type."""

from __future__ import annotations

import logging
import re
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.uk_time import UK
from wastewalk.services.walk_list import WalkRow, list_walks_in_scope
from wastewalk.store.database import Database
from wastewalk.ui.savings.background import Background
from wastewalk.ui.scope import Scope

logger = logging.getLogger(__name__)

WALK_LIMIT = 2000
ID_ROLE = Qt.ItemDataRole.UserRole
HEADINGS = ("Date", "Area", "CSU", "Focus", "Seen")
_SPLIT = re.compile(r"[\s–—,/()·]+")  # not '-': a date stays one word


def walk_day(row: WalkRow) -> str:
    """The UK day a walk started, as YYYY-MM-DD."""
    return row.started_at.astimezone(UK).date().isoformat()


def _words(text: str) -> list[str]:
    """Words to match on, each typed word the start of one: 'Ward 7' finds Ward 7 but not
    Ward 17 or the 7th of a month, and '2026-03' finds the walks of March 2026."""
    return [word for word in _SPLIT.split(text.casefold()) if word]


class WalkPicker(QWidget):
    """A search box over a table of walks; `chosen` when the selection changes, `activated`
    when the person presses Enter or double-clicks."""

    chosen = Signal(object)  # WalkRow | None
    activated = Signal()
    loaded = Signal()

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
        self.rows: list[WalkRow] = []
        self.background = Background(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Walk", self)
        label.setStyleSheet("font-weight: 600;")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by date, area, CSU or focus")
        self.search.setAccessibleName("Search the walks")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(32)
        label.setBuddy(self.search)
        self.table = QTableWidget(0, len(HEADINGS), self)
        self.table.setHorizontalHeaderLabels(HEADINGS)
        self.table.setAccessibleName("Walks in scope, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as elsewhere
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #425563;")
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._search_entered)
        self.table.itemSelectionChanged.connect(lambda: self.chosen.emit(self.current()))
        self.table.itemActivated.connect(lambda _item: self.activated.emit())

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.reload()

    def reload(self) -> None:
        """Read the walks in scope again (on the worker thread)."""
        scope = self.scope
        self.note.setText("Reading the walks…")
        self.background.run(
            "walks",
            lambda: list_walks_in_scope(self.db, scope.csu_id, scope.area_id, WALK_LIMIT),
            self._show,
            self._failed,
        )

    def current(self) -> WalkRow | None:
        """The walk selected (and not hidden by the search), if any."""
        row = self.table.currentRow()
        if row < 0 or self.table.isRowHidden(row) or not self.table.item(row, 0).isSelected():
            return None
        walk_id = self.table.item(row, 0).data(ID_ROLE)
        return next((walk for walk in self.rows if walk.id == walk_id), None)

    def select(self, walk_id: uuid.UUID) -> bool:
        """Select one walk (it must be listed); False if it is not."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) == walk_id:
                self.table.setRowHidden(row, False)
                self.table.selectRow(row)
                self.table.setCurrentCell(row, 0)
                return True
        return False

    def _show(self, rows: list[WalkRow]) -> None:
        keep = self.current()
        self.rows = rows
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for index, walk in enumerate(rows):
            cells = (
                walk_day(walk),
                walk.area_name,
                walk.csu_name,
                walk.focus,
                str(walk.observations),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, walk.id)
                if column == 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 180))
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 120))
        self._filter(self.search.text())
        if keep is None or not self.select(keep.id):
            self.table.clearSelection()
            self.chosen.emit(None)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        logger.error("the walks could not be read", exc_info=exc)
        self.note.setText(f"The walks could not be read: {exc}")
        self.loaded.emit()

    def _filter(self, text: str) -> None:
        wanted = _words(text)
        for row in range(self.table.rowCount()):
            words = _words(" ".join(self.table.item(row, c).text() for c in range(4)))
            found = all(any(word.startswith(part) for word in words) for part in wanted)
            self.table.setRowHidden(row, not found)
        self._show_note(text)
        if self.current() is None and self.table.selectedItems():
            self.table.clearSelection()
            self.chosen.emit(None)

    def _show_note(self, search: str) -> None:
        count = len(self.rows)
        if not count:
            self.note.setText("There are no walks here yet. Choose another CSU or area above.")
            return
        if count == WALK_LIMIT:
            words = f"The newest {WALK_LIMIT:,} walks are listed (choose a CSU or area above to "
            words += "find an older one)"
        else:
            words = f"{count:,} walk{'s' if count != 1 else ''}, newest first"
        if search.strip():
            shown = sum(not self.table.isRowHidden(row) for row in range(self.table.rowCount()))
            matches = f"{shown:,} match" if shown else "none matches"
            words += f"; {matches} '{search.strip()}'"
        self.note.setText(words + ".")

    def _search_entered(self) -> None:
        # Enter in the search box: take the first walk still shown, and build its summary.
        if self.current() is None:
            for row in range(self.table.rowCount()):
                if not self.table.isRowHidden(row):
                    self.table.selectRow(row)
                    self.table.setCurrentCell(row, 0)
                    break
        if self.current() is not None:
            self.activated.emit()
