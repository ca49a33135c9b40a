"""The timing screen of an element time study: lap with the space bar, every reading saved at once.

The clock is repainted about ten times a second from a LapTimer, which derives every figure from
the monotonic clock (injected, so tests can step it): repainting never adds drift. A lap is saved
by `record_reading` before the screen moves on, so a killed program loses at most the element
being timed. The sheet and the summary are redrawn from readings held here (updated from what
the services return), so a lap costs one write and no re-reading.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.lap_timer import LapTimer, clock_text
from wastewalk.domain.time_study import ReadingState, StudySummary
from wastewalk.services.time_studies import (
    Position,
    ReadingInfo,
    StudyInfo,
    get_study,
    list_readings,
    next_position,
    set_study_finished,
    summarise,
)
from wastewalk.services.time_study_readings import (
    exclude_reading,
    include_reading,
    record_reading,
)
from wastewalk.store.database import Database
from wastewalk.ui.timestudy.clock_panel import KEYS_HINT, ClockPanel, ClockState, StudyHeader
from wastewalk.ui.timestudy.exclude_dialog import ExcludeReasonDialog
from wastewalk.ui.timestudy.sheet_model import SheetModel, seconds_text
from wastewalk.ui.timestudy.sheet_view import SheetView
from wastewalk.ui.timestudy.summary_panel import SummaryPanel
from wastewalk.ui.timestudy.undo_commands import (
    ExcludeCommand,
    IncludeCommand,
    LapCommand,
    TypedEntryCommand,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], int]
REPAINT_MS = 100  # about ten repaints a second: tenths of a second move smoothly


class TimingScreen(QWidget):
    """One study open for timing (or for reading its sheet and summary once finished)."""

    closed = Signal()  # back to the list of studies
    edit_requested = Signal(object)  # uuid.UUID: the section opens the set-up dialog
    lap_saved = Signal(object)  # ReadingInfo, after every lap or "not performed"

    def __init__(
        self, db: Database, clock: Clock = time.monotonic_ns, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.clock = clock
        self.timer = LapTimer(clock)
        self.study: StudyInfo | None = None
        self.cells: dict[tuple[int, int], ReadingInfo] = {}  # (element order, cycle)
        self.position: Position | None = None
        self.undo_stack = QUndoStack(self)
        self.model = SheetModel(db, self)
        self.model.entry_saved.connect(self._entry_saved)
        self.model.refused.connect(lambda text: self.say(text, error=True))
        self.exclude_dialog: ExcludeReasonDialog | None = None
        self.leave_box: QMessageBox | None = None
        self._build()
        self._shortcuts()
        self.repaint_timer = QTimer(self)
        self.repaint_timer.setInterval(REPAINT_MS)
        self.repaint_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.repaint_timer.timeout.connect(self._tick)

    # ----- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        self.header = StudyHeader(self)
        self.header.back_button.clicked.connect(self.request_close)
        self.header.edit_button.clicked.connect(self._edit)
        self.header.finish_button.clicked.connect(self.finish)
        self.header.carry_on_button.clicked.connect(self.carry_on)
        outer.addWidget(self.header)

        self.panel = ClockPanel(self)
        panel = self.panel
        panel.lap_button.clicked.connect(self.lap)
        panel.pause_button.clicked.connect(self.toggle_pause)
        panel.np_button.clicked.connect(self.not_performed)
        panel.undo_button.clicked.connect(self.undo)
        panel.redo_button.clicked.connect(self.undo_stack.redo)
        panel.exclude_button.clicked.connect(self.exclude_selected)
        panel.include_button.clicked.connect(self.include_selected)
        self.undo_stack.canUndoChanged.connect(panel.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(panel.redo_button.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: panel.undo_button.setToolTip(f"Undo {text} (Backspace or Ctrl+Z)")
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: panel.redo_button.setToolTip(f"Redo {text} (Ctrl+Shift+Z)")
        )
        panel.undo_button.setEnabled(False)
        panel.redo_button.setEnabled(False)
        outer.addWidget(panel)

        self.note = QLabel(self)
        self.note.setAccessibleName("Keys and notes")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#425563;")
        outer.addWidget(self.note)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.grid = SheetView(self.model, splitter)
        self.summary = SummaryPanel(splitter)
        splitter.addWidget(self.grid)
        splitter.addWidget(self.summary)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        outer.addWidget(splitter, 1)

        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        self.setFocusProxy(panel.lap_button)

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        # Bare keys: they reach the screen from the Lap button or the sheet, but a cell being
        # edited takes its own letters, digits, spaces and Backspace first.
        bindings: tuple[tuple[QKeySequence | QKeySequence.StandardKey, Callable[[], None]], ...] = (
            (QKeySequence(Qt.Key.Key_Space), self.lap),
            (QKeySequence(Qt.Key.Key_N), self.not_performed),
            (QKeySequence(Qt.Key.Key_Backspace), self.undo),
            (QKeySequence.StandardKey.Undo, self.undo),
            (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
            (QKeySequence("Ctrl+Shift+Z"), self.undo_stack.redo),
            (QKeySequence(Qt.Key.Key_X), self.exclude_selected),
            (QKeySequence(Qt.Key.Key_I), self.include_selected),
            (QKeySequence(Qt.Key.Key_P), self.toggle_pause),
            (QKeySequence("Ctrl+Shift+F"), self.finish),
            (QKeySequence("Ctrl+E"), self._edit),
        )
        self.shortcuts: list[QShortcut] = []
        for sequence, slot in bindings:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(context)
            shortcut.setAutoRepeat(False)  # a held space bar must not take a dozen laps
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.grid)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.clear_selected)

    # ----- opening ------------------------------------------------------------------------
    def open_study(self, study_id: uuid.UUID) -> None:
        """Show a study ready to time at the cell after its last reading."""
        self.study = get_study(self.db, study_id)
        readings = list_readings(self.db, study_id)
        self.cells = {(r.element_order, r.cycle): r for r in readings}
        self.undo_stack.clear()
        self.timer = LapTimer(self.clock)
        count = len(self.study.elements)
        self.position = self._free(next_position(readings, count))
        self.say("")
        self.note.clear()
        self._refresh()
        if self.finished:
            self.note.setText("This study is finished. Press 'Carry on timing' to time more.")
        elif readings:
            self.note.setText(
                f"Carrying on at cycle {self.position.cycle}, element "
                f"{self.position.element_order}; the clock starts from zero. An element being "
                "timed when this study was last closed was not saved."
            )
        self._tick()
        self.repaint_timer.start()
        if self.finished:
            # A finished study is read from its first cycle, as on the paper sheet.
            self.grid.select_cell(Position(1, 1), None)
            self.grid.horizontalScrollBar().setValue(0)
        else:
            self.grid.select_cell(self.position, self.position)
        self.panel.lap_button.setFocus()
        QTimer.singleShot(0, self._fit_grid)

    def study_changed(self, study: StudyInfo) -> None:
        """The set-up was edited: keep timing (elements may have been added or renamed)."""
        self.study = study
        count = len(study.elements)
        orders = {e.order for e in study.elements}
        self.cells = {k: r for k, r in self.cells.items() if k[0] in orders}
        if self.position is None or self.position.element_order > count:
            self.position = self._free(next_position(list(self.cells.values()), count))
        self._refresh()

    @property
    def finished(self) -> bool:
        return self.study is not None and self.study.finished_at is not None

    # ----- timing -------------------------------------------------------------------------
    def lap(self) -> None:
        """Space: start the clock, or close the current element and start the next."""
        if not self._can_time():
            return
        if not self.timer.started:
            self.timer.start()
            self.note.setText(KEYS_HINT)
            self.say("Timing. Press Space at the end of each element.")
            self._refresh_clock()
            return
        if self.timer.paused:
            self.say("Paused: press P to carry on timing first.", error=True)
            return
        self._record(self.timer.lap())

    def not_performed(self) -> None:
        """N: the element was not done in this cycle; its time runs on into the next element.

        Before the clock starts, an N pressed in the sheet is typing (the start of "NP" in a
        study copied from paper), not a step skipped at the timing position.
        """
        if self.grid.hasFocus() and not self.timer.started and self.grid.type_into_current("N"):
            return
        if self._can_time():
            self._record(None)

    def clear_selected(self) -> None:
        """Delete in the sheet: empty the selected cell (Ctrl+Z brings it back)."""
        index = self.grid.currentIndex()
        if self.model.reading_at(index) is not None:
            self.model.setData(index, "")

    def _record(self, seconds: float | None) -> None:
        assert self.study is not None
        assert self.position is not None
        where = self.position
        element = self.study.elements[where.element_order - 1]
        try:
            info = record_reading(self.db, self.study.id, element.id, where.cycle, seconds)
        except WasteWalkError as exc:
            if seconds is not None:
                self.timer.undo_lap(seconds)  # nothing saved: the time stays with the element
            self.say(f"Not saved: {exc}", error=True)
            return
        self.cells[(info.element_order, info.cycle)] = info
        self.position = self._free(next_position([info], len(self.study.elements)))
        self.undo_stack.push(LapCommand(self.db, self.study.id, info, element.name, seconds, self))
        summary = self._refresh()
        if seconds is None:
            self.say(f"{element.name}: not performed in cycle {info.cycle}.")
        elif self.position.cycle > info.cycle:
            done = dict(
                zip(summary.cycles.complete_cycles, summary.cycles.cycle_times, strict=True)
            )
            total = done.get(info.cycle)
            took = f" in {clock_text(total)}" if total is not None else ""
            self.say(f"Cycle {info.cycle} done{took}. Cycle {self.position.cycle} starts now.")
        else:
            self.say(f"{element.name}: {clock_text(seconds)} saved.")
        self.grid.select_cell(Position(info.cycle, info.element_order), self.position)
        self.lap_saved.emit(info)

    def toggle_pause(self) -> None:
        """P: stop the clock (an interruption belongs to no element), or start it again."""
        if self.study is None or self.finished:
            return
        if not self.timer.started:
            self.say("The clock has not started: press Space to start it.", error=True)
            return
        if self.timer.paused:
            self.timer.resume()
            self.say("Timing again.")
        else:
            self.timer.pause()
            self.say("Paused. The time while paused is not counted. Press P to carry on.")
        self._refresh_clock()

    def undo(self) -> None:
        """Backspace or Ctrl+Z: undo the last step (a lap gives its time back to the clock)."""
        if self.undo_stack.canUndo():
            self.undo_stack.undo()
        else:
            self.say("Nothing to undo since this study was opened.", error=True)

    # ----- exclusions ---------------------------------------------------------------------
    def selected_reading(self) -> ReadingInfo | None:
        return self.model.reading_at(self.grid.currentIndex())

    def exclude_selected(self) -> None:
        """X: ask why, then leave the selected reading out of the figures."""
        reading = self.selected_reading()
        if self.study is None:
            return
        if reading is None:
            self.say(
                "Select a reading in the sheet first (click it, or Tab and arrows).", error=True
            )
            return
        if reading.state == ReadingState.NOT_PERFORMED:
            self.say("A step that was not performed has no time to exclude.", error=True)
            return
        if reading.state == ReadingState.EXCLUDED:
            self.say(f"Already excluded: {reading.exclude_reason}. Press I to count it again.")
            return
        element = self.study.elements[reading.element_order - 1]
        what = f"“{element.name}” in cycle {reading.cycle} ({seconds_text(reading.seconds)} s)"
        dialog = ExcludeReasonDialog(what, self)
        self.exclude_dialog = dialog
        dialog.accepted.connect(lambda: self._exclude(reading, dialog.reason_text()))
        dialog.finished.connect(lambda _result: self._dialog_closed())
        dialog.open()
        dialog.activateWindow()

    def _exclude(self, reading: ReadingInfo, reason: str) -> None:
        try:
            info = exclude_reading(self.db, reading.id, reason)
        except WasteWalkError as exc:
            self.say(f"Not excluded: {exc}", error=True)
            return
        self.undo_stack.push(ExcludeCommand(self.db, info, reason, self))
        self.cell_changed(info.element_order, info.cycle, info)
        self.say(f"Excluded cycle {info.cycle}: {reason}. It stays on the sheet, greyed.")

    def include_selected(self) -> None:
        """I: count an excluded reading again."""
        reading = self.selected_reading()
        if reading is None or reading.state != ReadingState.EXCLUDED:
            self.say("Select an excluded (greyed) reading to count it again.", error=True)
            return
        try:
            info = include_reading(self.db, reading.id)
        except WasteWalkError as exc:
            self.say(f"Not changed: {exc}", error=True)
            return
        self.undo_stack.push(IncludeCommand(self.db, reading, self))
        self.cell_changed(info.element_order, info.cycle, info)
        self.say(f"Cycle {info.cycle} counts again.")

    def _dialog_closed(self) -> None:
        self.exclude_dialog = None
        self.activateWindow()
        self.panel.lap_button.setFocus()

    # ----- finishing ----------------------------------------------------------------------
    def finish(self) -> None:
        """Ctrl+Shift+F: the study is done; the element being timed, if any, is not saved."""
        if self.study is None or self.finished:
            return
        lost = self.timer.started and self.timer.element_seconds() > 0
        self.timer.pause()
        self.study = set_study_finished(self.db, self.study.id)
        self._refresh()
        self.note.setText(
            "Finished. "
            + ("The element being timed was not saved. " if lost else "")
            + "Press 'Carry on timing' to time more cycles."
        )
        self.say("Study finished: the summary below is its result.")

    def carry_on(self) -> None:
        if self.study is None or not self.finished:
            return
        self.study = set_study_finished(self.db, self.study.id, False)
        self.timer = LapTimer(self.clock)
        self._refresh()
        self.note.setText(KEYS_HINT)
        self.say("Press Space to start the clock.")
        self.panel.lap_button.setFocus()

    def request_close(self) -> None:
        """Back to the list; asks first while the clock is running."""
        if self.timer.started and self.timer.element_seconds() > 0 and not self.finished:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Stop timing?",
                "Stop timing and go back to the list? Every lap so far is saved; the element "
                "being timed now is not.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            box.setDefaultButton(QMessageBox.StandardButton.No)
            self.leave_box = box
            box.finished.connect(lambda _r: self._leave_answered(box))
            box.open()
            return
        self.close_study()

    def _leave_answered(self, box: QMessageBox) -> None:
        self.leave_box = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self.close_study()

    def close_study(self) -> None:
        self.repaint_timer.stop()
        self.timer = LapTimer(self.clock)
        self.study = None
        self.closed.emit()

    def _edit(self) -> None:
        if self.study is not None:
            self.edit_requested.emit(self.study.id)

    # ----- what the undo commands and the sheet report ----------------------------------
    def cell_changed(self, order: int, cycle: int, reading: ReadingInfo | None) -> None:
        if reading is None:
            self.cells.pop((order, cycle), None)
        else:
            self.cells[(order, cycle)] = reading
        if self.position is not None:
            self.position = self._free(self.position)
        self._refresh()

    def lap_undone(self, reading: ReadingInfo, lap_seconds: float | None) -> None:
        self.cells.pop((reading.element_order, reading.cycle), None)
        self.position = Position(reading.cycle, reading.element_order)
        back = ""
        if lap_seconds is not None and self.timer.started:
            self.timer.undo_lap(lap_seconds)
            back = f"; its {clock_text(lap_seconds)} is back on the clock"
        self._refresh()
        self.say(f"Undone: cycle {reading.cycle}, element {reading.element_order}{back}.")

    def lap_redone(self, reading: ReadingInfo, lap_seconds: float | None) -> None:
        assert self.study is not None
        self.cells[(reading.element_order, reading.cycle)] = reading
        self.position = self._free(next_position([reading], len(self.study.elements)))
        if lap_seconds is not None and self.timer.started:
            # The time given back by the undo leaves the running element again.
            self.timer.undo_lap(-min(lap_seconds, self.timer.element_seconds()))
        self._refresh()
        self.say(f"Redone: cycle {reading.cycle}, element {reading.element_order}.")

    def say(self, text: str, *, error: bool = False) -> None:
        style = f"color:{'#d5281b' if error else '#212b32'}; font-size:11pt;"
        if self.status.styleSheet() != style:  # re-styling costs more than the text
            self.status.setStyleSheet(style)
        self.status.setText(text)

    def _entry_saved(self, before: ReadingInfo | None, after: ReadingInfo | None) -> None:
        assert self.study is not None
        self.undo_stack.push(TypedEntryCommand(self.db, self.study.id, before, after, self))
        known = after or before
        assert known is not None
        self.cell_changed(known.element_order, known.cycle, after)
        self.say(f"Saved cycle {known.cycle}, element {known.element_order}.")

    # ----- drawing ------------------------------------------------------------------------
    def _refresh(self) -> StudySummary:
        """Redraw sheet, summary and position from the readings held here; returns the summary."""
        assert self.study is not None
        study = self.study
        readings = list(self.cells.values())
        summary = summarise(study, readings)
        current = None if self.finished else self.position
        self.model.set_sheet(study, self.cells, summary, current)
        self.summary.show_summary(study, summary)
        self.header.show_study(study)
        self._refresh_clock()
        return summary

    def _refresh_clock(self) -> None:
        study, panel = self.study, self.panel
        if study is None:
            return
        if self.finished:
            state = ClockState.FINISHED
        elif not self.timer.started:
            state = ClockState.NOT_STARTED
        else:
            state = ClockState.PAUSED if self.timer.paused else ClockState.RUNNING
        panel.show_state(state)
        if self.finished or self.position is None:
            cycles = len({cycle for _, cycle in self.cells})
            panel.show_totals(study, cycles, len(self.cells))
        else:
            panel.show_position(study, self.position)
        if not self.note.text() and not self.finished:
            self.note.setText(KEYS_HINT)
        self._tick()

    def _fit_grid(self) -> None:
        """The sheet as tall as its rows (at most about 60 %), the summary below gets the rest."""
        total = sum(self.splitter.sizes())
        if total > 0:
            height = max(120, min(self.grid.wanted_height(), int(total * 0.6)))
            self.splitter.setSizes([height, total - height])

    def _tick(self) -> None:
        self.panel.show_time(self.timer.element_seconds(), self.timer.session_seconds())

    def _free(self, position: Position) -> Position:
        """The first empty cell from `position` on (typed entries may have filled some)."""
        assert self.study is not None
        count = max(len(self.study.elements), 1)
        cycle, order = position.cycle, position.element_order
        while (order, cycle) in self.cells:
            cycle, order = (cycle + 1, 1) if order >= count else (cycle, order + 1)
        return Position(cycle, order)

    def _can_time(self) -> bool:
        if self.study is None:
            return False
        if self.finished:
            self.say("This study is finished. Press 'Carry on timing' to time more.", error=True)
            return False
        return True
