"""The top of the timing screen: the study's header, the big element clock, what is being timed,
and the Lap button.

Readable at arm's length on a 1366×768 laptop: the clock is drawn in large tabular digits (so it
does not jiggle as it runs) and the Lap button is the biggest thing on the screen.
"""

from __future__ import annotations

import logging
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.lap_timer import clock_text
from wastewalk.services.time_studies import Position, StudyInfo
from wastewalk.ui.timestudy.list_page import date_text

logger = logging.getLogger(__name__)

CLOCK_PIXELS = 88
KEYS_HINT = (
    "Space lap  ·  N not performed  ·  Backspace undo  ·  X exclude selected  ·  "
    "I count again  ·  P pause  ·  Ctrl+Shift+F finish"
)


class ClockState(Enum):
    NOT_STARTED = "not started"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


_LAP_STYLE = (
    "QPushButton {{ background:{back}; color:white; font-size:22pt; font-weight:700;"
    " border-radius:6px; }} QPushButton:disabled {{ background:#aeb7bd; color:#f0f4f5; }}"
)


class ClockPanel(QFrame):
    """Clock, session time, current element and position, and the action buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockPanel")
        self.setStyleSheet("#clockPanel { background:#f0f4f5; border-radius:6px; }")
        self._state: ClockState | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(14, 8, 14, 8)
        outer.setSpacing(18)

        clock_column = QVBoxLayout()
        clock_column.setSpacing(0)
        self.clock = QLabel(clock_text(0), self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPixelSize(CLOCK_PIXELS)
        font.setWeight(QFont.Weight.Bold)
        self.clock.setFont(font)
        self.clock.setAccessibleName("Time of the element being timed")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.clock.setMinimumWidth(self.clock.fontMetrics().horizontalAdvance("88:88.8") + 8)
        self.session = QLabel(self)
        self.session.setAccessibleName("Time since timing started")
        self.session.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.session.setStyleSheet("font-size:12pt; color:#425563;")
        clock_column.addWidget(self.clock)
        clock_column.addWidget(self.session)
        outer.addLayout(clock_column)

        now = QVBoxLayout()
        now.setSpacing(2)
        self.state = QLabel(self)
        self.state.setAccessibleName("Timing state")
        self.element = QLabel(self)
        self.element.setAccessibleName("Element being timed")
        self.element.setStyleSheet("font-size:20pt; font-weight:700; color:#005EB8;")
        self.element.setWordWrap(True)
        self.element.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.position = QLabel(self)
        self.position.setAccessibleName("Cycle and element")
        self.position.setStyleSheet("font-size:14pt; font-weight:600; color:#212b32;")
        self.next = QLabel(self)
        self.next.setAccessibleName("Next element")
        self.next.setStyleSheet("font-size:11pt; color:#425563;")
        self.next.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for widget in (self.state, self.element, self.position, self.next):
            now.addWidget(widget)
        now.addStretch(1)
        outer.addLayout(now, 1)

        actions = QGridLayout()
        actions.setSpacing(6)
        self.lap_button = QPushButton("Start  (Space)", self)
        self.lap_button.setAccessibleName("Lap: close this element and start the next")
        self.lap_button.setMinimumSize(250, 96)
        self.lap_button.setStyleSheet(_LAP_STYLE.format(back="#007f3b"))
        actions.addWidget(self.lap_button, 0, 0, 1, 3)
        self.pause_button = _small("Pause (P)", "Pause or resume the clock (P)", self)
        self.np_button = _small("Not done (N)", "Mark this element not performed (N)", self)
        self.undo_button = _small("Undo (⌫)", "Undo the last lap (Backspace or Ctrl+Z)", self)
        self.exclude_button = _small("Exclude (X)", "Exclude the selected reading (X)", self)
        self.include_button = _small("Count (I)", "Count an excluded reading again (I)", self)
        self.redo_button = _small("Redo", "Redo (Ctrl+Shift+Z)", self)
        for number, button in enumerate(
            (
                self.pause_button,
                self.np_button,
                self.undo_button,
                self.exclude_button,
                self.include_button,
                self.redo_button,
            )
        ):
            actions.addWidget(button, 1 + number // 3, number % 3)
        outer.addLayout(actions)

    def show_time(self, element_seconds: float, session_seconds: float) -> None:
        self.clock.setText(clock_text(element_seconds))
        self.session.setText(f"Session {clock_text(session_seconds)}")

    def show_position(self, study: StudyInfo, position: Position) -> None:
        """The element being timed, where it is in the cycle, and what comes next."""
        count = len(study.elements)
        element = study.elements[position.element_order - 1]
        self.element.setText(f"{element.order}. {element.name}")
        self.element.setToolTip(element.name)
        self.position.setText(f"Cycle {position.cycle}  ·  Element {element.order} of {count}")
        following = study.elements[element.order % count]
        then = f"  (cycle {position.cycle + 1})" if element.order == count else ""
        self.next.setText(f"Next: {following.order}. {following.name}{then}")

    def show_totals(self, study: StudyInfo, cycles: int, readings: int) -> None:
        """Once finished: the study and how much it holds."""
        self.element.setText(study.name)
        self.element.setToolTip(study.name)
        self.position.setText(f"{cycles} cycles, {readings} readings")
        self.next.setText("")

    def show_state(self, state: ClockState) -> None:
        if state is self._state:
            return  # style sheets are costly to re-apply, and this runs on every lap
        self._state = state
        words = {
            ClockState.NOT_STARTED: ("Ready: press Space to start the clock", "#005EB8"),
            ClockState.RUNNING: ("Timing", "#007f3b"),
            ClockState.PAUSED: ("Paused: press P to carry on", "#e46c0a"),
            ClockState.FINISHED: ("Study finished", "#425563"),
        }
        text, colour = words[state]
        self.state.setText(text.upper() if state is ClockState.PAUSED else text)
        self.state.setStyleSheet(f"font-size:11pt; font-weight:700; color:{colour};")
        running = state is ClockState.RUNNING
        self.clock.setStyleSheet(f"color:{'#212b32' if running else '#768692'};")
        labels = {
            ClockState.NOT_STARTED: "Start  (Space)",
            ClockState.RUNNING: "Lap  (Space)",
            ClockState.PAUSED: "Paused",
            ClockState.FINISHED: "Finished",
        }
        self.lap_button.setText(labels[state])
        self.lap_button.setEnabled(state in (ClockState.NOT_STARTED, ClockState.RUNNING))
        back = "#005EB8" if state is ClockState.NOT_STARTED else "#007f3b"
        self.lap_button.setStyleSheet(_LAP_STYLE.format(back=back))
        self.pause_button.setText("Resume (P)" if state is ClockState.PAUSED else "Pause (P)")
        self.pause_button.setEnabled(state in (ClockState.RUNNING, ClockState.PAUSED))
        self.np_button.setEnabled(state is not ClockState.FINISHED)


class StudyHeader(QWidget):
    """Back, the study's name, area and date, and Edit set-up / Finish / Carry on timing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.back_button = _header_button("← &Back to studies", "Back to the list of studies", self)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size:14pt; font-weight:600; color:#005EB8;")
        self.title.setAccessibleName("Study")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.subtitle = QLabel(self)
        self.subtitle.setAccessibleName("Area, observer and date")
        self.subtitle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        self.edit_button = _header_button("&Edit set-up", "Change the set-up (Ctrl+E)", self)
        self.finish_button = _header_button("&Finish study", "Finish (Ctrl+Shift+F)", self)
        self.carry_on_button = _header_button("&Carry on timing", "Reopen for timing", self)
        layout.addWidget(self.back_button)
        layout.addLayout(titles, 1)
        for button in (self.edit_button, self.finish_button, self.carry_on_button):
            layout.addWidget(button)

    def show_study(self, study: StudyInfo) -> None:
        self.title.setText(study.name)
        self.title.setToolTip(study.name)
        parts = [study.area_name, study.csu_name, date_text(study.study_date)]
        if study.observer:
            parts.append(f"observed by {study.observer}")
        self.subtitle.setText("  ·  ".join(parts))
        finished = study.finished_at is not None
        self.finish_button.setVisible(not finished)
        self.carry_on_button.setVisible(finished)


def _header_button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setMinimumHeight(40)
    button.setAccessibleName(name)
    button.setToolTip(name)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return button


def _small(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    button.setToolTip(name)
    button.setMinimumHeight(34)
    # Keys drive the screen; a click must not take the focus from the sheet or the Lap button.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button
