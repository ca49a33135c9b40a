"""Observations per waste as horizontal bars, painted directly (QtCharts is not shipped with us).

Horizontal, because waste labels ("Over-processing", a team's own "Phone hunting") read across,
and one row per category stays legible on a 1366×768 laptop without rotating text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

logger = logging.getLogger(__name__)

NHS_BLUE = QColor("#005EB8")
FOCUS_YELLOW = QColor("#ffb81c")
GRID_GREY = QColor("#d8dde0")
EMPTY_TEXT = "No observations on this walk"
_PAD = 8
_LABEL_GAP = 10
_COUNT_GAP = 6


class WasteBarChart(QWidget):
    """One bar per waste with its label and count; counts are given as (label, count) pairs."""

    def __init__(
        self, counts: Sequence[tuple[str, int]] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._counts: list[tuple[str, int]] = []
        # Focusable, so a screen-reader user can land on the chart and hear its description.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName("Observations per waste")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(260)
        self.set_counts(counts)

    def set_counts(self, counts: Sequence[tuple[str, int]]) -> None:
        """Show these counts, in this order (the category display order)."""
        self._counts = [(label, max(int(count), 0)) for label, count in counts]
        description = self.description()
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.updateGeometry()
        self.update()

    def counts(self) -> list[tuple[str, int]]:
        return list(self._counts)

    def description(self) -> str:
        """The chart in words: "Waiting 5, Motion 3, …", or that the walk recorded nothing."""
        if not any(count for _label, count in self._counts):
            return EMPTY_TEXT
        return ", ".join(f"{label} {count}" for label, count in self._counts)

    def _row_height(self) -> int:
        return max(self.fontMetrics().height() + 12, 26)

    def sizeHint(self) -> QSize:
        rows = max(len(self._counts), 1)
        metrics = self.fontMetrics()
        label_width = max(
            (metrics.horizontalAdvance(label) for label, _ in self._counts), default=0
        )
        return QSize(label_width + 320, rows * self._row_height() + 2 * _PAD)

    def minimumSizeHint(self) -> QSize:
        rows = max(len(self._counts), 1)
        # Bars may be squeezed; rows may not, or labels would overlap.
        return QSize(260, rows * max(self.fontMetrics().height() + 4, 18) + 2 * _PAD)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        text_colour = palette.color(QPalette.ColorRole.Text)
        area = QRectF(self.rect()).adjusted(_PAD, _PAD, -_PAD, -_PAD)

        if self.hasFocus():
            painter.setPen(FOCUS_YELLOW)
            pen = painter.pen()
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))

        highest = max((count for _label, count in self._counts), default=0)
        painter.setPen(text_colour)
        if highest == 0:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            painter.end()
            return

        metrics = self.fontMetrics()
        label_width = max(metrics.horizontalAdvance(label) for label, _ in self._counts)
        # Labels may not take more than 40 % of the width: long ones are elided, bars stay useful.
        label_width = min(label_width, int(area.width() * 0.4))
        count_width = metrics.horizontalAdvance(str(highest)) + _COUNT_GAP
        bar_left = area.left() + label_width + _LABEL_GAP
        bar_room = max(area.right() - count_width - bar_left, 1.0)
        rows = len(self._counts)
        row_height = min(float(self._row_height()), area.height() / rows)
        bar_height = max(row_height * 0.62, 4.0)

        bold = QFont(self.font())
        bold.setBold(True)
        for index, (label, count) in enumerate(self._counts):
            top = area.top() + index * row_height
            label_rect = QRectF(area.left(), top, label_width, row_height)
            painter.setPen(text_colour)
            painter.setFont(self.font())
            painter.drawText(
                label_rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width),
            )
            width = bar_room * count / highest
            bar = QRectF(bar_left, top + (row_height - bar_height) / 2, width, bar_height)
            if count:
                painter.fillRect(bar, NHS_BLUE)
            count_rect = QRectF(bar.right() + _COUNT_GAP, top, count_width + 20, row_height)
            painter.setFont(bold)
            painter.drawText(
                count_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                str(count),
            )

        # The zero line, so an empty row reads as "none", not as a missing bar.
        painter.setPen(GRID_GREY)
        painter.drawLine(
            int(bar_left), int(area.top()), int(bar_left), int(area.top() + rows * row_height)
        )
        painter.end()
