"""Marks drawn the same on every platform: the red "Overdue" badge above a due date, which stays
red on a selected row (a plain cell background would turn selection blue), and a padlock."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

logger = logging.getLogger(__name__)

OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 5
OVERDUE_RED = QColor("#d5281b")
BADGE_TEXT = "Overdue"


class DueDelegate(QStyledItemDelegate):
    """A due date; when the item's OVERDUE_ROLE is true, a red "Overdue" badge above it."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not index.data(OVERDUE_ROLE):
            super().paint(painter, option, index)
            return
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        date = view.text
        view.text = ""
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, widget)
        rect = option.rect.adjusted(4, 3, -4, -3)  # type: ignore[attr-defined]
        bold = QFont(view.font)
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        badge = QRect(
            rect.left(), rect.top(), metrics.horizontalAdvance(BADGE_TEXT) + 12, metrics.height()
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(OVERDUE_RED)
        painter.drawRoundedRect(QRectF(badge), 4, 4)
        painter.setFont(bold)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, BADGE_TEXT)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        painter.setFont(view.font)
        painter.setPen(
            option.palette.highlightedText().color()  # type: ignore[attr-defined]
            if selected
            else OVERDUE_RED
        )
        below = QRect(rect.left(), badge.bottom() + 2, rect.width(), rect.bottom() - badge.bottom())
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, date)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(OVERDUE_ROLE):
            size.setHeight(max(size.height(), option.fontMetrics.height() * 2 + 12))  # type: ignore[attr-defined]
        return size


def lock_icon(size: int = 18) -> QIcon:
    """A small closed padlock in NHS blue."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor("#005EB8")
    painter.setPen(QPen(colour, size / 9))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(size * 0.28, size * 0.08, size * 0.44, size * 0.6), 0, 180 * 16)
    painter.drawLine(QPointF(size * 0.28, size * 0.38), QPointF(size * 0.28, size * 0.5))
    painter.drawLine(QPointF(size * 0.72, size * 0.38), QPointF(size * 0.72, size * 0.5))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(size * 0.15, size * 0.45, size * 0.7, size * 0.5), 2, 2)
    painter.end()
    return QIcon(pixmap)
