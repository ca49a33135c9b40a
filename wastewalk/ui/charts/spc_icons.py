"""The Making Data Count icons as labelled symbols: a coloured disc with its letter, and its title
and words beside it, so the icon is read, not decoded."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from wastewalk.domain.spc import IconInfo

logger = logging.getLogger(__name__)

DISC = 34


class IconDisc(QWidget):
    """A coloured disc with a letter (grey and empty when there is no icon)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon: IconInfo | None = None
        self.setFixedSize(QSize(DISC + 2, DISC + 2))

    def set_icon(self, icon: IconInfo | None) -> None:
        self.icon = icon
        self.setToolTip(icon.title if icon else "")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(1, 1, DISC, DISC)
        if self.icon is None:
            painter.setPen(QPen(QColor("#c8cfd3"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(rect)
            return
        colour = QColor(self.icon.colour)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(QColor("white"))
        painter.drawEllipse(rect)
        painter.setPen(colour)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(18)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.icon.letter)


class IconLabel(QWidget):
    """One icon: the disc, then 'Variation: Special cause improvement, high' and its sentence."""

    def __init__(self, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.disc = IconDisc(self)
        words = QVBoxLayout()
        words.setSpacing(0)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-weight: 600;")
        self.words = QLabel(self)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.words.setWordWrap(True)
        self.words.setStyleSheet("color: #425563;")
        words.addWidget(self.title)
        words.addWidget(self.words)
        layout.addWidget(self.disc, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(words, 1)
        self.set_icon(None, "")

    def set_icon(self, icon: IconInfo | None, empty: str) -> None:
        """Show `icon`, or `empty` in words when the chart has none."""
        self.disc.set_icon(icon)
        if icon is None:
            self.title.setText(f"{self.heading}: none")
            self.words.setText(empty)
        else:
            self.title.setText(f"{self.heading}: {icon.title}")
            self.words.setText(icon.words)
        self.setAccessibleName(f"{self.title.text()}. {self.words.text()}")
