"""The follows in the current CSU/area, newest first, with the buttons that start and open them."""

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

from wastewalk.services.activity_follows import FollowInfo
from wastewalk.ui.activity.texts import mode_text, share_text, span_text
from wastewalk.ui.timefmt import uk_date_time

logger = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole
HEADERS = ("Started", "Area", "Role followed", "Mode", "Length", "Direct care", "Status")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setMinimumHeight(48)
    button.setAccessibleName(name)
    return button


class FollowListPage(QWidget):
    """Enter or double-click opens a follow; Ctrl+N (or the big button) starts one."""

    start_requested = Signal()
    open_requested = Signal(object)  # uuid.UUID
    delete_requested = Signal(object)  # uuid.UUID
    categories_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.follows: list[FollowInfo] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.start_button = _button("New &follow  (Ctrl+N)", "Start a new activity follow", self)
        self.start_button.setStyleSheet(
            "QPushButton { background:#005EB8; color:white; font-size:12pt; font-weight:600;"
            " padding:0 18px; }"
        )
        self.start_button.clicked.connect(self.start_requested)
        self.open_button = _button("&Open", "Open the selected follow", self)
        self.open_button.clicked.connect(self._open_selected)
        self.categories_button = _button(
            "Activity &categories…", "Relabel, add or archive activity categories", self
        )
        self.categories_button.clicked.connect(self.categories_requested)
        self.delete_button = _button("&Delete", "Delete the selected follow", self)
        self.delete_button.clicked.connect(self._delete_selected)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of follows shown")
        for button in (
            self.start_button,
            self.open_button,
            self.categories_button,
            self.delete_button,
        ):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.count)
        layout.addLayout(top)

        intro = QLabel(
            "Follow one member of staff (by role, never by name) and record what they spend "
            "their time on: a key per activity as it changes, or an answer to a prompt at "
            "each interval.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Activity follows, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 190), (1, 200), (3, 170), (4, 80), (5, 100), (6, 110)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda _index: self._open_selected())
        layout.addWidget(self.table, 1)
        new = QShortcut(QKeySequence.StandardKey.New, self)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.activated.connect(self.start_requested)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete_selected)

    def set_follows(self, follows: list[FollowInfo], limit: int) -> None:
        """Show these follows, keeping the selection where it can."""
        keep = self.selected_follow()
        self.follows = list(follows)
        self.table.setRowCount(len(follows))
        for row, follow in enumerate(follows):
            status = "Ended" if follow.ended else "In progress"
            cells = (
                uk_date_time(follow.started_at),
                follow.area_name,
                follow.staff_role,
                mode_text(follow.mode, follow.interval_s),
                span_text(follow.length_s),
                share_text(follow.direct_care_share),
                status,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, str(follow.id))
                if column in (4, 5):
                    item.setTextAlignment(_RIGHT)
                if column in (1, 2):
                    item.setToolTip(text)
                if column == 6 and not follow.ended:
                    item.setForeground(QBrush(QColor("#007f3b")))
                self.table.setItem(row, column, item)
        more = " (the newest)" if len(follows) >= limit else ""
        self.count.setText(f"{len(follows):,} follow{'s' if len(follows) != 1 else ''}{more}")
        rows = [r for r, f in enumerate(follows) if f.id == keep]
        if rows or follows:
            self.table.selectRow(rows[0] if rows else 0)
        self.open_button.setEnabled(bool(follows))
        self.delete_button.setEnabled(bool(follows))

    def selected_follow(self) -> uuid.UUID | None:
        item = self.table.item(self.table.currentRow(), 0)
        value = item.data(_ID_ROLE) if item is not None else None
        return uuid.UUID(value) if isinstance(value, str) else None

    def _open_selected(self) -> None:
        follow_id = self.selected_follow()
        if follow_id is not None:
            self.open_requested.emit(follow_id)

    def _delete_selected(self) -> None:
        follow_id = self.selected_follow()
        if follow_id is not None:
            self.delete_requested.emit(follow_id)
