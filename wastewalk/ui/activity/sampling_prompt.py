"""Sampling: the prompts that have come due, and the banner that asks for them, silently.

A prompt falls at every whole interval from the start of the follow. The prompts waiting are
those after the last answered one up to now, answered oldest first; nothing is counted, so an
undone answer's prompt simply comes back, and a reopened follow picks up where it stopped.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from wastewalk.ui.activity.texts import span_text

logger = logging.getLogger(__name__)

# Two yellows, swapped every second while a prompt waits: a cue that needs no sound.
_STYLES = (
    "QFrame#prompt { background:#ffeb3b; border:4px solid #212b32; border-radius:6px; }",
    "QFrame#prompt { background:#fff9c4; border:4px solid #ffb81c; border-radius:6px; }",
)
MAX_SHOWN = 1000  # a follow left open for days must not build a list of millions


def pending_prompts(last_answer_s: float | None, interval_s: int, now_s: float) -> list[float]:
    """The prompt times after the last answer, up to now, oldest first."""
    first = math.floor((last_answer_s or 0.0) / interval_s + 1e-9) + 1
    last = math.floor(now_s / interval_s + 1e-9)
    return [k * interval_s for k in range(first, min(last, first + MAX_SHOWN - 1) + 1)]


def next_prompt(last_answer_s: float | None, interval_s: int, now_s: float) -> float:
    """When the next prompt falls, if none is waiting now."""
    waiting = pending_prompts(last_answer_s, interval_s, now_s)
    if waiting:
        return waiting[0]
    return (math.floor(now_s / interval_s + 1e-9) + 1) * interval_s


class PromptBanner(QFrame):
    """'Prompt at 2:00: what is the staff nurse doing?', pulsing while any prompt waits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prompt")
        self.setAccessibleName("Sampling prompt")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.question = QLabel(self)
        self.question.setStyleSheet("font-size:15pt; font-weight:600; color:#212b32;")
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.question.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.waiting = QLabel(self)
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.waiting.setStyleSheet("font-size:12pt; color:#212b32;")
        layout.addWidget(self.question, 1)
        layout.addWidget(self.waiting)
        self.setStyleSheet(_STYLES[0])

    def show_prompts(self, prompts: list[float], role: str, next_at: float, now_s: float) -> None:
        """Ask for the oldest waiting prompt, or say when the next one falls."""
        if prompts:
            self.question.setText(f"Prompt at {span_text(prompts[0])}: what is the {role} doing?")
            more = len(prompts) - 1
            self.waiting.setText(
                "Press the activity's key" + (f"\n{more} more waiting" if more else "")
            )
            # The phase follows the clock's whole seconds: one swap a second, however often
            # the screen repaints.
            self.setStyleSheet(_STYLES[int(now_s) % 2])
        else:
            self.question.setText(f"Next prompt in {span_text(max(next_at - now_s, 0.0) + 0.999)}")
            self.waiting.setText("")
            self.setStyleSheet(
                "QFrame#prompt { background:#f0f4f5; border:2px solid #d8dde0; border-radius:6px; }"
            )
        self.setAccessibleDescription(self.question.text())
