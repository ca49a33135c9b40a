"""A table header with a second row above the columns that names groups of them:

    |            |        Opportunity         |     Estimated saving       | ...
    | CSU / area |  cash  | non-cash |  total |  cash  | non-cash |  total | ...

so each column's own label stays short enough to read in full on a laptop."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

logger = logging.getLogger(__name__)


class GroupedHeader(QHeaderView):
    """`set_groups([(first, last, label), ...])`; columns outside a group span both rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.groups: list[tuple[int, int, str]] = []
        self.setSectionsClickable(True)
        self.setHighlightSections(False)
        # A group's label is centred over all its columns: redraw it when any of them moves.
        self.sectionResized.connect(lambda *_args: self.viewport().update())

    def set_groups(self, groups: list[tuple[int, int, str]]) -> None:
        self.groups = groups
        self.viewport().update()

    def group_of(self, column: int) -> tuple[int, int, str] | None:
        return next((g for g in self.groups if g[0] <= column <= g[1]), None)

    def sizeHint(self) -> QSize:
        size = super().sizeHint()
        size.setHeight(self.fontMetrics().height() * 2 + 20)
        return size

    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:
        group = self.group_of(logicalIndex)
        if group is None:
            super().paintSection(painter, rect, logicalIndex)
            return
        half = rect.height() // 2
        top = QRect(rect.left(), rect.top(), rect.width(), half)
        bottom = QRect(rect.left(), rect.top() + half, rect.width(), rect.height() - half)
        painter.save()
        super().paintSection(painter, bottom, logicalIndex)
        painter.restore()
        first, last, label = group
        left = self.sectionViewportPosition(first)
        right = self.sectionViewportPosition(last) + self.sectionSize(last)
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = QRect(left, rect.top(), right - left, half)
        option.text = label
        option.textAlignment = Qt.AlignmentFlag.AlignCenter
        option.section = first
        option.position = QStyleOptionHeader.SectionPosition.Middle
        painter.save()
        painter.setClipRect(top)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()
