"""Time per activity as horizontal bars, each with its time and share written at its end.

Painted directly, as the walk summary's waste chart is (ui/walks/bar_chart.py); that one draws
whole counts, this one times and shares, so the two stay apart.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

logger = logging.getLogger(__name__)

NHS_BLUE = QColor("#005EB8")
DIRECT_GREEN = QColor("#007f3b")
FOCUS_YELLOW = QColor("#ffb81c")
GRID_GREY = QColor("#d8dde0")
EMPTY_TEXT = "No time recorded in this follow"
_PAD = 8
_GAP = 8


class TimeBarChart(QWidget):
    """One bar per activity: rows are (label, seconds, text written after the bar, highlight)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, float, str, bool]] = []
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName("Time per activity")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(260)

    def set_rows(self, rows: Sequence[tuple[str, float, str, bool]]) -> None:
        """Show these rows, in this order (the category order)."""
        self._rows = [(label, max(seconds, 0.0), text, mark) for label, seconds, text, mark in rows]
        description = self.description()
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.updateGeometry()
        self.update()

    def description(self) -> str:
        """The chart in words: "Direct care 6:00 (60 %), …"."""
        if not any(seconds for _l, seconds, _t, _m in self._rows):
            return EMPTY_TEXT
        return ", ".join(f"{label} {text}" for label, _s, text, _m in self._rows)

    def _row_height(self) -> int:
        return max(self.fontMetrics().height() + 8, 22)

    def sizeHint(self) -> QSize:
        rows = max(len(self._rows), 1)
        return QSize(520, rows * self._row_height() + 2 * _PAD)

    def minimumSizeHint(self) -> QSize:
        rows = max(len(self._rows), 1)
        return QSize(260, rows * (self.fontMetrics().height() + 2) + 2 * _PAD)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        text_colour = palette.color(QPalette.ColorRole.Text)
        area = QRectF(self.rect()).adjusted(_PAD, _PAD, -_PAD, -_PAD)
        if self.hasFocus():
            pen = painter.pen()
            pen.setColor(FOCUS_YELLOW)
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))
        highest = max((seconds for _l, seconds, _t, _m in self._rows), default=0.0)
        painter.setPen(text_colour)
        if highest <= 0:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            painter.end()
            return
        metrics = self.fontMetrics()
        label_width = max(metrics.horizontalAdvance(label) for label, *_ in self._rows)
        label_width = min(label_width, int(area.width() * 0.4))
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        text_width = max(bold_metrics.horizontalAdvance(text) for _l, _s, text, _m in self._rows)
        text_width += _GAP
        bar_left = area.left() + label_width + _GAP
        bar_room = max(area.right() - text_width - bar_left, 1.0)
        rows = len(self._rows)
        row_height = min(float(self._row_height()), area.height() / rows)
        bar_height = max(row_height * 0.6, 4.0)
        for index, (label, seconds, text, mark) in enumerate(self._rows):
            top = area.top() + index * row_height
            painter.setPen(text_colour)
            painter.setFont(self.font())
            painter.drawText(
                QRectF(area.left(), top, label_width, row_height),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width),
            )
            bar = QRectF(
                bar_left,
                top + (row_height - bar_height) / 2,
                bar_room * seconds / highest,
                bar_height,
            )
            if seconds > 0:
                painter.fillRect(bar, DIRECT_GREEN if mark else NHS_BLUE)
            painter.setFont(bold)
            painter.drawText(
                QRectF(bar.right() + _GAP, top, text_width + 20, row_height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        painter.setPen(GRID_GREY)
        painter.drawLine(
            int(bar_left), int(area.top()), int(bar_left), int(area.top() + rows * row_height)
        )
        painter.end()
