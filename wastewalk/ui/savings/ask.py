"""Every modal question and message of the Savings section, in one small module.

The tabs call these through the module (`ask.warn(...)`), so a test replaces one function to
answer a question or record a message instead of blocking on a modal window. The questions
themselves are the settings section's: one look and one default (Cancel) everywhere.
"""

from __future__ import annotations

import logging

from wastewalk.ui.settings.ask import confirm, run_dialog, warn

logger = logging.getLogger(__name__)

__all__ = ["confirm", "run_dialog", "warn"]
