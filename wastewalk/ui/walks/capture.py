"""The capture screen: pick a waste with one key, type what was seen, Enter saves.

Every save goes straight to the database (synchronous=FULL), so a flat battery loses nothing that
was saved. Edits and deletions go through an undo stack whose commands also call the services.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.nhs_number import find_nhs_numbers, redact_nhs_numbers
from wastewalk.domain.observation_rules import ParticipantRole
from wastewalk.services.observations import (
    ObservationInfo,
    add_observation,
    edit_observation,
    get_observation,
    input_from_info,
    list_observations,
)
from wastewalk.services.photos import (
    check_photo_file,
    list_photos,
    photos_for_walk,
    set_photo_removed,
)
from wastewalk.services.walk_summary import duration_words, walk_summary
from wastewalk.services.walks import WalkInfo, complete_walk, get_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database
from wastewalk.ui.timefmt import clock_text, uk_clock, uk_date_time
from wastewalk.ui.walks.nhs_warning import IdentifierChoice, NhsNumberWarning
from wastewalk.ui.walks.observation_form import ObservationForm
from wastewalk.ui.walks.photos import PhotoDropZone, PhotoStrip, attach_files
from wastewalk.ui.walks.summary import WalkSummaryDialog
from wastewalk.ui.walks.undo_commands import AddObservation, DeleteObservation, EditObservation
from wastewalk.ui.walks.walk_observations import WalkObservations
from wastewalk.ui.walks.waste_buttons import WasteButtons

logger = logging.getLogger(__name__)

ROLE_WORDS = {
    ParticipantRole.STAFF: "staff",
    ParticipantRole.QUALITY_PARTNER: "Quality Partner",
    ParticipantRole.IMPROVEMENT_SPECIALIST: "improvement specialist",
    ParticipantRole.MANAGER: "manager",
}


class CapturePage(QWidget):
    """One walk being captured (or looked at again after it is finished)."""

    closed = Signal()  # back to the list of walks
    saved = Signal(object)  # ObservationInfo, after every save (for tests and the status line)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk: WalkInfo | None = None
        self.editing: ObservationInfo | None = None
        self.pending_photos: list[Path] = []
        self.undo_stack = QUndoStack(self)
        self.summary_dialog: WalkSummaryDialog | None = None
        self._build()
        self._shortcuts()
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._tick)

    # ----- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.back_button = _button("← &Back to walks", "Back to the list of walks", self)
        self.back_button.clicked.connect(self.closed)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size:14pt; font-weight:600; color:#005EB8;")
        self.title.setAccessibleName("Walk")
        self.people = QLabel(self)
        self.people.setAccessibleName("Participants")
        # A long list of names must not widen the window past a 1366-pixel screen: it is cut,
        # and the whole list is in the tooltip.
        self.people.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clock_label = QLabel(self)
        self.clock_label.setStyleSheet("font-size:14pt; font-family:monospace;")
        self.clock_label.setAccessibleName("Walk clock")
        self.finish_button = _button(
            "&Finish walk", "Finish the walk and see its summary (Ctrl+Shift+F)", self
        )
        self.finish_button.clicked.connect(self.finish)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.people)
        header.addWidget(self.back_button)
        header.addLayout(titles, 1)
        header.addWidget(self.clock_label)
        header.addWidget(self.finish_button)
        outer.addLayout(header)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        form_column = QVBoxLayout(left)
        form_column.setContentsMargins(0, 0, 6, 0)
        form_column.setSpacing(6)
        self.wastes = WasteButtons(left)
        self.wastes.picked.connect(self._waste_picked)
        form_column.addWidget(self.wastes)
        self.form = ObservationForm(left)
        self.form.submitted.connect(self.save)
        form_column.addWidget(self.form)

        photo_row = QHBoxLayout()
        self.drop_zone = PhotoDropZone(left)
        self.drop_zone.files_chosen.connect(self.add_photos)
        self.photo_strip = PhotoStrip(left)
        self.photo_strip.remove_requested.connect(self._remove_photo)
        self.pending_label = QLabel(left)
        self.pending_label.setAccessibleName("Photos to attach when saved")
        self.pending_label.setWordWrap(True)
        photo_row.addWidget(self.drop_zone, 2)
        photo_row.addWidget(self.photo_strip, 2)
        photo_row.addWidget(self.pending_label, 1)
        form_column.addLayout(photo_row)

        actions = QHBoxLayout()
        self.save_button = _button("&Save  (Enter)", "Save this observation", left)
        self.save_button.setStyleSheet(
            "QPushButton { background:#007f3b; color:white; font-weight:600; padding:0 18px; }"
        )
        self.save_button.clicked.connect(self.save)
        self.cancel_button = _button("Cancel edit (Esc)", "Stop editing and clear the form", left)
        self.cancel_button.clicked.connect(self.cancel_edit)
        self.undo_button = _button("Undo", "Undo (Ctrl+Z)", left)
        self.redo_button = _button("Redo", "Redo (Ctrl+Shift+Z)", left)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.undo_button.setToolTip(f"Undo {text} (Ctrl+Z)")
        )
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        actions.addWidget(self.save_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        actions.addWidget(self.undo_button)
        actions.addWidget(self.redo_button)
        form_column.addLayout(actions)
        self.status = QLabel(left)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        form_column.addWidget(self.status)
        form_column.addStretch(1)

        self.observations = WalkObservations(splitter)
        self.observations.edit_requested.connect(self.start_edit)
        self.observations.copy_requested.connect(self.copy_observation)
        self.observations.delete_requested.connect(self.delete_observation)
        splitter.addWidget(left)
        splitter.addWidget(self.observations)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for number in range(1, 10):
            key = str(number)
            # A bare digit picks a waste unless a text box has the focus (it takes the digit);
            # Alt+digit picks one from anywhere.
            for sequence in (key, f"Alt+{key}"):
                shortcut = QShortcut(QKeySequence(sequence), self)
                shortcut.setContext(context)
                shortcut.activated.connect(lambda k=key: self.pick_key(k))
        bindings = (
            (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
            (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
            (QKeySequence("Ctrl+Shift+Z"), self.undo_stack.redo),
            (QKeySequence("Ctrl+Return"), self.save),
            (QKeySequence("Ctrl+S"), self.save),
            (QKeySequence("Ctrl+P"), self.drop_zone.choose),
            (QKeySequence("Ctrl+Shift+F"), self.finish),
        )
        for sequence, slot in bindings:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc reaches here from any field that does not use it itself. Not a QShortcut: a
        # shortcut would also catch the Esc meant for the summary or warning dialog.
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_edit()
            return
        super().keyPressEvent(event)

    # ----- opening a walk ---------------------------------------------------------------
    def open_walk(self, walk_id: uuid.UUID) -> None:
        """Show a walk ready for the next observation."""
        self.walk = get_walk(self.db, walk_id)
        self.undo_stack.clear()
        self.wastes.set_categories(list_categories(self.db))
        walk = self.walk
        focus = f" · {walk.focus}" if walk.focus else ""
        self.title.setText(f"{walk.area_name} · {walk.csu_name}{focus}")
        people = ", ".join(
            f"{p.name} ({ROLE_WORDS.get(p.role, p.role)})" for p in walk.participants
        )
        started = f"Started {uk_date_time(walk.started_at)}" + (f" · {people}" if people else "")
        self.people.setText(started)
        self.people.setToolTip(started)
        self.title.setToolTip(self.title.text())
        self._reset_form()
        self.refresh()
        self._tick()
        if walk.status == "complete":
            self.clock.stop()
        else:
            self.clock.start()
        self.wastes.focus_selected()

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Re-read this walk's observations and photos."""
        if self.walk is None:
            return
        observations = list_observations(self.db, self.walk.id)
        photos = photos_for_walk(self.db, self.walk.id)
        self.observations.set_observations(self.db, observations, photos, select=select)

    def _tick(self) -> None:
        if self.walk is None:
            return
        end = self.walk.ended_at or dt.datetime.now(dt.UTC)
        span = end - self.walk.started_at
        if self.walk.ended_at is None:
            self.clock_label.setText(f"Walk time {clock_text(span)}")
            self.finish_button.setEnabled(True)
        else:
            self.clock_label.setText(f"Complete · {duration_words(span)}")
            self.finish_button.setEnabled(False)

    # ----- capture -----------------------------------------------------------------------
    def pick_key(self, key: str) -> None:
        if not self.wastes.select_key(key):
            self._say(f"No waste has the key {key}.", error=True)

    def _waste_picked(self, _category_id: uuid.UUID) -> None:
        self.form.description.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_photos(self, paths: list[Path]) -> None:
        """Check chosen photos now (so a refusal is seen at once) and keep them for the save."""
        problems = []
        for path in paths:
            try:
                check_photo_file(path)
            except WasteWalkError as exc:
                problems.append(str(exc))
                continue
            self.pending_photos.append(path)
        self._show_pending()
        if problems:
            self._say("Not attached: " + " ".join(problems), error=True)

    def _show_pending(self) -> None:
        names = ", ".join(p.name for p in self.pending_photos)
        self.pending_label.setText(f"To attach: {names}" if names else "")

    def save(self) -> None:
        """Save the form as a new observation (or the edit); durable when this returns."""
        if self.walk is None:
            return
        category = self.wastes.selected()
        if category is None:
            self._say("Pick a waste first: press 1–8 or click one of the buttons.", error=True)
            self.wastes.focus_selected()
            return
        if not self.form.description.toPlainText().strip():
            self._say("Say what was seen before saving.", error=True)
            self.form.description.setFocus()
            return
        confirmed = self._identifier_decision()
        if confirmed is None:
            return
        data = self.form.to_input(category, identifier_confirmed=confirmed)
        try:
            if self.editing is not None:
                before = input_from_info(self.editing)
                info = edit_observation(self.db, self.editing.id, data)
                self.undo_stack.push(EditObservation(self.db, info.id, before, data, self.refresh))
                verb = "Changes saved"
            else:
                info = add_observation(self.db, self.walk.id, data)
                self.undo_stack.push(AddObservation(self.db, info, self.refresh))
                verb = "Saved"
        except WasteWalkError as exc:
            self._say(str(exc), error=True)
            return
        _attached, problems = attach_files(self.db, info.id, self.pending_photos)
        self._reset_form()
        self.refresh(select=info.id)
        note = f" Photos not attached: {' '.join(problems)}" if problems else ""
        self._say(
            f"{verb} at {uk_clock(info.updated_at)}: {info.category_label}.{note}",
            error=bool(problems),
        )
        self.saved.emit(info)
        self.wastes.focus_selected()

    def _identifier_decision(self) -> bool | None:
        """False: nothing suspect; True: kept as not patient data; None: the person went back."""
        numbers = sorted({n.digits for text in self.form.texts() for n in find_nhs_numbers(text)})
        if not numbers:
            return False
        if self.editing is not None and self.editing.identifier_confirmed:
            known = {n.digits for n in find_nhs_numbers(self.editing.description)}
            if set(numbers) <= known:
                return True  # already confirmed as not patient data
        dialog = NhsNumberWarning(numbers, self)
        dialog.exec()
        if dialog.choice is IdentifierChoice.REDACT:
            self.form.redact(redact_nhs_numbers)
            return False
        if dialog.choice is IdentifierChoice.KEEP:
            return True
        self.form.description.setFocus()
        return None

    # ----- edit, copy, delete ------------------------------------------------------------
    def start_edit(self, observation_id: uuid.UUID) -> None:
        info = get_observation(self.db, observation_id)
        self.editing = info
        self.form.load(info)
        self.wastes.select(info.category_id)
        self.photo_strip.set_photos(self.db, list_photos(self.db, info.id))
        self.photo_strip.setVisible(True)
        self.save_button.setText("&Save changes  (Enter)")
        self.cancel_button.setVisible(True)
        self._say("Editing: change what you need and press Enter, or Esc to stop.")
        self.form.description.setFocus()

    def copy_observation(self, observation_id: uuid.UUID) -> None:
        """Start a new observation with the same content, to change what differs."""
        info = get_observation(self.db, observation_id)
        self._reset_form()
        self.form.load(info)
        self.wastes.select(info.category_id)
        self._say("Copied into a new observation: change what differs and press Enter.")
        self.form.description.setFocus()

    def delete_observation(self, observation_id: uuid.UUID) -> None:
        info = get_observation(self.db, observation_id)
        self.undo_stack.push(DeleteObservation(self.db, info, self.refresh))
        if self.editing is not None and self.editing.id == observation_id:
            self._reset_form()
        self._say(f"Deleted “{info.description[:40]}”. Undo with Ctrl+Z.")

    def cancel_edit(self) -> None:
        self._reset_form()
        self._say("")
        self.wastes.focus_selected()

    def _remove_photo(self, photo_id: uuid.UUID) -> None:
        set_photo_removed(self.db, photo_id, True)
        if self.editing is not None:
            self.photo_strip.set_photos(self.db, list_photos(self.db, self.editing.id))
        self.refresh(select=self.editing.id if self.editing else None)

    def _reset_form(self) -> None:
        self.editing = None
        self.form.clear()
        self.wastes.select(None)
        self.pending_photos = []
        self._show_pending()
        self.photo_strip.clear()
        self.photo_strip.setVisible(False)
        self.save_button.setText("&Save  (Enter)")
        self.cancel_button.setVisible(False)

    # ----- finishing -----------------------------------------------------------------------
    def finish(self) -> None:
        """Complete the walk and show its summary."""
        if self.walk is None or self.walk.status == "complete":
            return
        self.walk = complete_walk(self.db, self.walk.id)
        self.clock.stop()
        self._tick()
        self.summary_dialog = WalkSummaryDialog(walk_summary(self.db, self.walk.id), self)
        self.summary_dialog.finished.connect(lambda _result: self.closed.emit())
        self.summary_dialog.open()
        self.summary_dialog.activateWindow()

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "#d5281b" if error else "#212b32"
        self.status.setStyleSheet(f"color:{colour};")
        self.status.setText(text)


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setMinimumHeight(40)
    button.setAccessibleName(name)
    button.setToolTip(name)
    return button
