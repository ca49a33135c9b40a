"""The follow's segments as a table: activity, start, length, where, and its waste tag."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from wastewalk.services.activity_follows import SegmentInfo
from wastewalk.ui.activity.texts import span_text

logger = logging.getLogger(__name__)

HEADERS = ("#", "Activity", "Start", "Length", "Where", "Waste (T to tag)")
_ID_ROLE = Qt.ItemDataRole.UserRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_WASTE_BACKGROUND = QColor("#fff9c4")


class SegmentTable(QTableWidget):
    """Read-only rows, one per segment in time order; the open one shows its length so far."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.segments: list[SegmentInfo] = []
        self.setHorizontalHeaderLabels(HEADERS)
        self.setAccessibleName("Segments of this follow, in time order")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        header = self.horizontalHeader()
        for column, width in ((0, 44), (1, 230), (2, 80), (3, 80)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

    def set_segments(
        self,
        segments: Sequence[SegmentInfo],
        now_s: float | None = None,
        select: uuid.UUID | None = None,
    ) -> None:
        """Show these segments; select `select` (or keep the selection, or the newest row)."""
        keep = select or (s.id if (s := self.selected_segment()) else None)
        self.segments = list(segments)
        self.setRowCount(len(self.segments))
        for row, segment in enumerate(self.segments):
            waste = segment.waste_label or ""
            cells = (
                str(row + 1),
                segment.category_label,
                span_text(segment.start_s),
                self._length(segment, now_s),
                segment.location,
                waste,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, str(segment.id))
                if column in (0, 2, 3):
                    item.setTextAlignment(_RIGHT)
                if column in (1, 4, 5):
                    item.setToolTip(text)
                if waste:
                    item.setBackground(QBrush(_WASTE_BACKGROUND))
                self.setItem(row, column, item)
        target = next((r for r, s in enumerate(self.segments) if s.id == keep), None)
        if target is None and self.segments:
            target = len(self.segments) - 1
        if target is not None:
            self.selectRow(target)
            self.scrollToItem(self.item(target, 0))

    def update_open(self, now_s: float) -> None:
        """Move on the length of the segment still going (the last row)."""
        if self.segments and self.segments[-1].end_s is None:
            item = self.item(len(self.segments) - 1, 3)
            if item is not None:
                item.setText(self._length(self.segments[-1], now_s))

    def selected_segment(self) -> SegmentInfo | None:
        row = self.currentRow()
        return self.segments[row] if 0 <= row < len(self.segments) else None

    @staticmethod
    def _length(segment: SegmentInfo, now_s: float | None) -> str:
        if segment.end_s is not None:
            return span_text(segment.end_s - segment.start_s)
        if now_s is None:
            return "going on"
        return f"{span_text(max(now_s - segment.start_s, 0.0))}…"
