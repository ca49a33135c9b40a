"""Small pieces the pack pages share."""

from __future__ import annotations

import logging

from wastewalk.ui.reports.strips import MessageStrip, ProgressStrip
from wastewalk.ui.settings.widgets import MIN_TARGET

logger = logging.getLogger(__name__)


def roomy_strips(progress: ProgressStrip, message: MessageStrip) -> None:
    """The strips' buttons as big as every other button in the settings section, and named."""
    progress.cancel_button.setMinimumHeight(MIN_TARGET)
    message.open_button.setMinimumHeight(MIN_TARGET)
    message.open_button.setAccessibleName("Open the folder the pack was saved in")
