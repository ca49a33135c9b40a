"""Small pieces the pack pages share."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from wastewalk.ui.reports.strips import MessageStrip, ProgressStrip
from wastewalk.ui.settings.widgets import MIN_TARGET

logger = logging.getLogger(__name__)


def button_with_strips(
    button: QPushButton, parent: QWidget
) -> tuple[QHBoxLayout, ProgressStrip, MessageStrip]:
    """A page's main button with its progress strip (and Cancel) beside it, and the message strip
    to go under them; the strips' buttons as big as every other button in the settings section."""
    progress = ProgressStrip(parent)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addSpacing(12)
    row.addWidget(progress, 1)
    row.addStretch(0)
    message = MessageStrip(parent)
    progress.cancel_button.setMinimumHeight(MIN_TARGET)
    message.open_button.setMinimumHeight(MIN_TARGET)
    message.open_button.setAccessibleName("Open the folder the pack was saved in")
    return row, progress, message
