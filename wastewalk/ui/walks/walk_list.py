"""The walks in the current CSU/area, newest first, and the button that starts a new one."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services.walk_list import WalkRow
from wastewalk.ui.timefmt import uk_date_time

logger = logging.getLogger(__name__)

# Ids are kept as text in item data: a plain QString, with no Python object for Qt to hold.
_ID_ROLE = Qt.ItemDataRole.UserRole
HEADERS = ("Started", "CSU", "Area", "Focus", "Status", "Observations")


class WalkListPage(QWidget):
    """Lists walks; Enter or double-click opens one; Ctrl+N (or the big button) starts one."""

    start_requested = Signal()
    open_requested = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.start_button = QPushButton("Start a &new walk  (Ctrl+N)", self)
        self.start_button.setMinimumHeight(48)
        self.start_button.setAccessibleName("Start a new walk")
        self.start_button.setStyleSheet(
            "QPushButton { background:#005EB8; color:white; font-size:12pt; font-weight:600;"
            " padding:0 18px; }"
        )
        self.start_button.clicked.connect(self.start_requested)
        self.open_button = QPushButton("&Open walk", self)
        self.open_button.setMinimumHeight(48)
        self.open_button.setAccessibleName("Open the selected walk")
        self.open_button.clicked.connect(self._open_selected)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of walks shown")
        top.addWidget(self.start_button)
        top.addWidget(self.open_button)
        top.addStretch(1)
        top.addWidget(self.count)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Walks, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 190), (1, 170), (2, 230), (4, 110), (5, 110)):
            self.table.setColumnWidth(column, width)
        # `activated` is Enter on the keyboard, or a double-click (single, on some platforms).
        self.table.activated.connect(lambda _index: self._open_selected())
        layout.addWidget(self.table, 1)
        new = QShortcut(QKeySequence.StandardKey.New, self)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.activated.connect(self.start_requested)

    def set_walks(self, walks: list[WalkRow], limit: int) -> None:
        self.table.setRowCount(len(walks))
        for row, walk in enumerate(walks):
            status = "In progress" if walk.status == "in_progress" else "Complete"
            cells = (
                uk_date_time(walk.started_at),
                walk.csu_name,
                walk.area_name,
                walk.focus,
                status,
                f"{walk.observations:,}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, str(walk.id))
                if column == 5:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if walk.status == "in_progress" and column == 4:
                    item.setForeground(QBrush(QColor("#007f3b")))
                self.table.setItem(row, column, item)
        more = " (the newest)" if len(walks) >= limit else ""
        self.count.setText(f"{len(walks):,} walks{more}")
        if walks:
            self.table.selectRow(0)

    def selected_walk(self) -> uuid.UUID | None:
        item = self.table.item(self.table.currentRow(), 0)
        value = item.data(_ID_ROLE) if item is not None else None
        return uuid.UUID(value) if isinstance(value, str) else None

    def _open_selected(self) -> None:
        walk_id = self.selected_walk()
        if walk_id is not None:
            self.open_requested.emit(walk_id)
