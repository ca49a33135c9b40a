"""The top of the follow screen: who is followed, the big clock, what they are doing, and the
interruption counter."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services.activity_follows import FollowInfo
from wastewalk.ui.activity.activity_buttons import CountButton
from wastewalk.ui.activity.texts import mode_text
from wastewalk.ui.timefmt import uk_date_time

logger = logging.getLogger(__name__)


class LivePanel(QWidget):
    """Header (back, who and where, End follow) above the clock, the activity and the counter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        outer.addLayout(self._header())
        outer.addLayout(self._live())

    def _header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        self.back_button = button("← &Back to follows", "Back to the list of follows", self)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size:14pt; font-weight:600; color:#005EB8;")
        self.subtitle = QLabel(self)
        for label in (self.title, self.subtitle):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        self.end_button = button(
            "End follow  (Ctrl+Shift+F)", "End the follow and see its summary", self
        )
        self.end_button.setStyleSheet(
            "QPushButton { background:#007f3b; color:white; font-weight:600; padding:0 16px; }"
        )
        header.addWidget(self.back_button)
        header.addLayout(titles, 1)
        header.addWidget(self.end_button)
        return header

    def _live(self) -> QHBoxLayout:
        live = QHBoxLayout()
        self.clock_label = QLabel("0:00", self)
        self.clock_label.setAccessibleName("Follow clock")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock_label.setMinimumWidth(250)
        self.clock_label.setStyleSheet(
            "font-size:40pt; font-weight:600; font-family:monospace; color:#212b32;"
            "background:#f0f4f5; border-radius:8px; padding:2px 12px;"
        )
        now_panel = QFrame(self)
        now_panel.setStyleSheet("QFrame { background:#e8f0fa; border-radius:8px; }")
        now_layout = QVBoxLayout(now_panel)
        now_layout.setContentsMargins(14, 6, 14, 6)
        now_layout.setSpacing(0)
        self.now_caption = QLabel("Doing now", now_panel)
        self.now_caption.setStyleSheet("font-size:11pt; color:#425563; background:transparent;")
        self.now_label = QLabel(now_panel)
        self.now_label.setAccessibleName("Activity going on now")
        self.now_label.setTextFormat(Qt.TextFormat.PlainText)
        # A team's long label is cut rather than widen the window.
        self.now_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.now_label.setStyleSheet(
            "font-size:24pt; font-weight:600; color:#003087; background:transparent;"
        )
        self.since_label = QLabel(now_panel)
        self.since_label.setStyleSheet("font-size:12pt; color:#212b32; background:transparent;")
        now_layout.addWidget(self.now_caption)
        now_layout.addWidget(self.now_label)
        now_layout.addWidget(self.since_label)
        self.interruption_button = CountButton("Interruptions", "press I", self)
        self.interruption_button.setAccessibleName("Record an interruption (I)")
        self.interruption_button.setToolTip("Record an interruption (I)")
        self.interruption_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.interruption_button.setMinimumSize(170, 96)
        self.interruption_button.setStyleSheet(
            "QPushButton { border:2px solid #aeb7bd; border-radius:8px; background:#ffffff; }"
            "QPushButton:hover { border-color:#005EB8; }"
        )
        live.addWidget(self.clock_label)
        live.addWidget(now_panel, 1)
        live.addWidget(self.interruption_button)
        return live

    def show_follow(self, follow: FollowInfo) -> None:
        """Who is followed, where, how, by whom and since when."""
        self.title.setText(f"{follow.staff_role} · {follow.area_name} · {follow.csu_name}")
        observer = f" · observer {follow.observer}" if follow.observer else ""
        self.subtitle.setText(
            f"{mode_text(follow.mode, follow.interval_s)}{observer} · "
            f"started {uk_date_time(follow.started_at)}"
        )
        self.title.setToolTip(self.title.text())
        self.subtitle.setToolTip(self.subtitle.text())
        sampling = follow.mode == "sampling"
        self.now_caption.setText("Last answer" if sampling else "Doing now")

    def show_interruptions(self, count: int) -> None:
        self.interruption_button.set_count(count)
        self.interruption_button.setAccessibleDescription(f"{count} so far")


def button(text: str, name: str, parent: QWidget) -> QPushButton:
    """A push button tall enough to hit, named for screen readers."""
    made = QPushButton(text, parent)
    made.setMinimumHeight(40)
    made.setAccessibleName(name)
    made.setToolTip(name)
    return made
