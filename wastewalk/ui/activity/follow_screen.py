"""The follow screen: a big clock, what the member of staff is doing now, one key per activity.

Continuous: a category's key closes the activity going on and starts the next. Sampling: a
prompt falls every interval and the next key answers the oldest one waiting. I records an
interruption, L the location, T tags the selected segment as waste, Ctrl+Z takes back the last
event, Ctrl+Shift+F ends the follow. Every event is saved as it happens; the clock is derived
from the injected monotonic clock, never counted.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.lap_timer import NS_PER_SECOND, Stopwatch
from wastewalk.services.activity_categories import list_activity_categories
from wastewalk.services.activity_follows import (
    FollowInfo,
    InterruptionInfo,
    SegmentInfo,
    end_follow,
    list_interruptions,
    list_segments,
    mark_follow_time,
    record_interruption,
    record_sample,
    resume_follow,
    set_segment_location,
    switch_activity,
    undo_last_event,
)
from wastewalk.store.database import Database
from wastewalk.ui.activity.activity_buttons import ActivityButtons
from wastewalk.ui.activity.live_panel import LivePanel, button
from wastewalk.ui.activity.sampling_prompt import PromptBanner, next_prompt, pending_prompts
from wastewalk.ui.activity.segment_table import SegmentTable
from wastewalk.ui.activity.tag_dialog import TagWasteDialog, open_tag_dialog
from wastewalk.ui.activity.texts import span_text

logger = logging.getLogger(__name__)

Clock = Callable[[], int]
TICK_MS = 200
# How often the follow's last known point is saved between events: a killed program loses at
# most this much of the activity going on.
MARK_EVERY_S = 15.0


class FollowScreen(QWidget):
    """One follow being recorded."""

    closed = Signal()  # back to the list of follows
    ended = Signal(object)  # uuid.UUID of the follow, once ended
    recorded = Signal()  # after every event saved (for the status line and tests)

    def __init__(
        self, db: Database, clock: Clock = time.monotonic_ns, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.follow: FollowInfo | None = None
        self.segments: list[SegmentInfo] = []
        self.interruptions: list[InterruptionInfo] = []
        self.location = ""
        self.tag_dialog: TagWasteDialog | None = None
        self.set_clock(clock)
        self._marked_s = 0.0
        self._build()
        self._shortcuts()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def set_clock(self, clock: Clock) -> None:
        """Use this monotonic clock (nanoseconds) from now on; tests step a fake one."""
        self.stopwatch = Stopwatch(clock)
        self._base_s = 0.0

    # ----- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        self.panel = LivePanel(self)
        self.panel.back_button.clicked.connect(self.back)
        self.panel.end_button.clicked.connect(self.end)
        self.panel.interruption_button.clicked.connect(self.interruption)
        # The parts tests and the status line look at, by their plain names.
        self.back_button = self.panel.back_button
        self.clock_label = self.panel.clock_label
        self.now_label = self.panel.now_label
        self.since_label = self.panel.since_label
        self.interruption_button = self.panel.interruption_button
        outer.addWidget(self.panel)

        self.banner = PromptBanner(self)
        outer.addWidget(self.banner)
        self.buttons = ActivityButtons(self)
        self.buttons.picked.connect(self.pick)
        outer.addWidget(self.buttons)

        tools = QHBoxLayout()
        where = QLabel("Where now (L):", self)
        self.location_edit = QLineEdit(self)
        self.location_edit.setPlaceholderText("Bay, room or corridor; Enter sets it")
        self.location_edit.setAccessibleName("Where the follow is now")
        self.location_edit.setMinimumHeight(36)
        self.location_edit.setMaxLength(200)
        self.location_edit.returnPressed.connect(self.apply_location)
        self.location_edit.installEventFilter(self)
        where.setBuddy(self.location_edit)
        self.tag_button = button("Tag as waste (T)", "Tag the selected segment as waste", self)
        self.tag_button.clicked.connect(self.tag_selected)
        self.undo_button = button("Undo (Ctrl+Z)", "Take back the last key pressed", self)
        self.undo_button.clicked.connect(self.undo)
        tools.addWidget(where)
        tools.addWidget(self.location_edit, 1)
        tools.addSpacing(12)
        tools.addWidget(self.tag_button)
        tools.addWidget(self.undo_button)
        outer.addLayout(tools)

        self.table = SegmentTable(self)
        outer.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(24)
        outer.addWidget(self.status)

    def _shortcuts(self) -> None:
        self._key_shortcuts: list[QShortcut] = []
        for sequence, slot in (
            ("I", self.interruption),
            ("L", self.edit_location),
            ("T", self.tag_selected),
            (QKeySequence.StandardKey.Undo, self.undo),
            ("Ctrl+Shift+F", self.end),
        ):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _category_shortcuts(self) -> None:
        for shortcut in self._key_shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._key_shortcuts = []
        for category in self.buttons.categories:
            if not category.key:
                continue
            # A bare key works unless a text box has the focus (it takes the key as text).
            shortcut = QShortcut(QKeySequence(category.key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda cid=category.id: self.pick(cid))
            self._key_shortcuts.append(shortcut)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Esc in the location box leaves it unchanged. Not a QShortcut: it would also take
        # the Esc meant for the tag dialog.
        if (
            watched is self.location_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.location_edit.setText(self.location)
            self.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().eventFilter(watched, event)

    # ----- opening --------------------------------------------------------------------------
    def open_follow(self, follow_id: uuid.UUID, location: str = "") -> None:
        """Go on with a follow (a new one, or one left open): the clock runs from its last
        known point."""
        follow = resume_follow(self.db, follow_id)
        self.follow = follow
        self.buttons.set_categories(list_activity_categories(self.db))
        self._category_shortcuts()
        self._base_s = follow.length_s
        self._marked_s = follow.length_s
        self.stopwatch.start()
        self.refresh()
        last = self.segments[-1].location if self.segments else ""
        self.location = location or last
        self.location_edit.setText(self.location)
        self.panel.show_follow(follow)
        sampling = follow.mode == "sampling"
        self.banner.setVisible(sampling)
        resumed = " It goes on from where it stopped." if follow.length_s else ""
        self._say(
            (
                "Answer each prompt with the activity's key."
                if sampling
                else "Press the key of what they are doing; press another key when it changes."
            )
            + resumed
        )
        self.tick()
        self.timer.start()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def now_s(self) -> float:
        """Seconds from the start of the follow, by the monotonic clock."""
        return self._base_s + self.stopwatch.elapsed_ns() / NS_PER_SECOND

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Re-read the follow's segments and interruptions."""
        if self.follow is None:
            return
        self.segments = list_segments(self.db, self.follow.id)
        self.interruptions = list_interruptions(self.db, self.follow.id)
        self.table.set_segments(self.segments, self.now_s(), select=select)
        count = len(self.interruptions)
        self.panel.show_interruptions(count)
        current = self._open_segment()
        if self.follow.mode == "sampling" and self.segments:
            current = self.segments[-1]
        self.buttons.show_current(current.category_id if current else None)
        self._show_now()
        if self.follow.mode == "sampling":
            self._show_prompts(self.now_s())

    def _open_segment(self) -> SegmentInfo | None:
        if self.segments and self.segments[-1].end_s is None:
            return self.segments[-1]
        return None

    # ----- the clock ------------------------------------------------------------------------
    def tick(self) -> None:
        """Repaint everything that moves with the clock; save the last known point now and then."""
        if self.follow is None:
            return
        now = self.now_s()
        self.clock_label.setText(span_text(now))
        self.table.update_open(now)
        self._show_now(now)
        if self.follow.mode == "sampling":
            self._show_prompts(now)
        if now - self._marked_s >= MARK_EVERY_S:
            self._marked_s = now
            try:
                mark_follow_time(self.db, self.follow.id, now)
            except WasteWalkError as exc:
                self._say(str(exc), error=True)

    def _show_now(self, now: float | None = None) -> None:
        now = self.now_s() if now is None else now
        current = self._open_segment()
        if self.follow is not None and self.follow.mode == "sampling":
            last = self.segments[-1] if self.segments else None
            self.now_label.setText(last.category_label if last else "No answer yet")
            self.since_label.setText(
                f"for the prompt at {span_text(last.end_s)}" if last and last.end_s else ""
            )
        elif current is not None:
            self.now_label.setText(current.category_label)
            self.since_label.setText(
                f"since {span_text(current.start_s)} · "
                f"{span_text(max(now - current.start_s, 0.0))} so far"
            )
        else:
            self.now_label.setText("Press a key to start")
            self.since_label.setText("1–9 and 0 pick the activity")

    def _last_answer(self) -> float | None:
        return max((s.end_s for s in self.segments if s.end_s is not None), default=None)

    def waiting_prompts(self) -> list[float]:
        """The prompts waiting for an answer, oldest first (sampling only)."""
        if self.follow is None or self.follow.mode != "sampling":
            return []
        return pending_prompts(self._last_answer(), self.follow.interval_s, self.now_s())

    def _show_prompts(self, now: float) -> None:
        assert self.follow is not None
        last = self._last_answer()
        waiting = pending_prompts(last, self.follow.interval_s, now)
        self.banner.show_prompts(
            waiting, self.follow.staff_role, next_prompt(last, self.follow.interval_s, now), now
        )

    # ----- recording ------------------------------------------------------------------------
    def pick(self, category_id: uuid.UUID) -> None:
        """A category's key or button: a new activity, or the answer to the oldest prompt."""
        if self.follow is None:
            return
        try:
            if self.follow.mode == "sampling":
                waiting = self.waiting_prompts()
                if not waiting:
                    at = next_prompt(self._last_answer(), self.follow.interval_s, self.now_s())
                    self._say(f"No prompt is waiting; the next falls at {span_text(at)}.")
                    return
                segment = record_sample(
                    self.db, self.follow.id, category_id, waiting[0], self.location
                )
                self._say(f"{segment.category_label} for the prompt at {span_text(waiting[0])}.")
            else:
                segment = switch_activity(
                    self.db, self.follow.id, category_id, self.now_s(), self.location
                )
                self._say(f"{segment.category_label} from {span_text(segment.start_s)}.")
        except WasteWalkError as exc:
            self._say(str(exc), error=True)
            return
        self._saved(segment.id)

    def pick_key(self, key: str) -> None:
        """The category with this key (as a key press would)."""
        category = self.buttons.by_key(key)
        if category is None:
            self._say(f"No activity has the key {key}.", error=True)
            return
        self.pick(category.id)

    def interruption(self) -> None:
        if self.follow is None:
            return
        try:
            info = record_interruption(self.db, self.follow.id, self.now_s())
        except WasteWalkError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Interruption at {span_text(info.at_s)}.")
        self._saved(None)

    def edit_location(self) -> None:
        self.location_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.location_edit.selectAll()

    def apply_location(self) -> None:
        """Where the follow is now: for the activity going on and those after it."""
        if self.follow is None:
            return
        self.location = " ".join(self.location_edit.text().split())
        self.location_edit.setText(self.location)
        current = self._open_segment()
        try:
            if current is not None:
                set_segment_location(self.db, current.id, self.location)
        except WasteWalkError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Where now: {self.location}." if self.location else "Location cleared.")
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._saved(None)

    def undo(self) -> None:
        if self.follow is None:
            return
        try:
            undone = undo_last_event(self.db, self.follow.id)
        except WasteWalkError as exc:
            self._say(str(exc), error=True)
            return
        if undone is None:
            self._say("Nothing to take back.")
            return
        if isinstance(undone, InterruptionInfo):
            self._say(f"Taken back: the interruption at {span_text(undone.at_s)}.")
        else:
            self._say(f"Taken back: {undone.category_label} from {span_text(undone.start_s)}.")
        self._saved(None)

    def tag_selected(self) -> None:
        """Tag the selected segment (the newest if none is selected) as a waste."""
        segment = self.table.selected_segment() or (self.segments[-1] if self.segments else None)
        if segment is None:
            self._say("There is no segment to tag yet.", error=True)
            return
        self.tag_dialog = open_tag_dialog(
            self.db, segment, self, self._tagged, lambda text: self._say(text, error=True)
        )

    def _tagged(self, segment: SegmentInfo) -> None:
        if segment.waste_label:
            self._say(f"{segment.category_label} tagged as {segment.waste_label}.")
        else:
            self._say(f"{segment.category_label} is no longer tagged as waste.")
        self.refresh(select=segment.id)
        # The dialog has gone: the keys come back to the follow screen.
        self.window().activateWindow()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.recorded.emit()

    def _saved(self, select: uuid.UUID | None) -> None:
        self.refresh(select=select)
        self.recorded.emit()

    # ----- leaving ----------------------------------------------------------------------------
    def end(self) -> None:
        """End the follow now and show its summary."""
        if self.follow is None:
            return
        try:
            ended = end_follow(self.db, self.follow.id, self.now_s())
        except WasteWalkError as exc:
            self._say(str(exc), error=True)
            return
        self.timer.stop()
        self.follow = None
        self.ended.emit(ended.id)

    def save_point(self) -> None:
        """Save where the follow has got to (the window is closing or the screen is left)."""
        if self.follow is not None:
            try:
                mark_follow_time(self.db, self.follow.id, self.now_s())
            except WasteWalkError:
                logger.exception("could not save the follow's last known point")

    def back(self) -> None:
        """Leave the follow running in the file; reopening it goes on from here."""
        self.save_point()
        self.timer.stop()
        self.follow = None
        self.closed.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "#d5281b" if error else "#212b32"
        self.status.setStyleSheet(f"color:{colour}; font-size:11pt;")
        self.status.setText(text)
