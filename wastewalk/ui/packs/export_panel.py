"""Export a pack: everything, the shared CSU/area filter, or what changed since the last hand-over
to a named destination; saved where the person says, on the worker thread, with Cancel."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.progress import Progress
from wastewalk.services import pack_export
from wastewalk.services.actions import uk_today
from wastewalk.services.data_filter import DataFilter, place_words
from wastewalk.services.organisation import current_trust
from wastewalk.services.pack_export import export_pack
from wastewalk.store.database import Database
from wastewalk.ui.packs import words
from wastewalk.ui.packs.widgets import button_with_strips
from wastewalk.ui.reports.jobs import file_name_part
from wastewalk.ui.reports.worker import ReportWorker
from wastewalk.ui.scope import Scope
from wastewalk.ui.settings.widgets import action_button

logger = logging.getLogger(__name__)

EVERYTHING, SCOPE, SINCE_LAST = 0, 1, 2
_FOLDER_KEY = "packs/export_folder"
_DESTINATIONS_KEY = "packs/destinations"
INTRO = (
    "A pack is one file holding this laptop's walks, observations, photos, estimates, actions and "
    "studies, for another laptop or the shared database to import. Importing it twice changes "
    "nothing, and nothing is ever overwritten without a person choosing."
)


def known_destinations(db: Database) -> list[str]:
    """Destinations this file has handed packs to (newest first), then any typed here before."""
    found: list[str] = []
    found.extend(pack_export.list_destinations(db))
    remembered = QSettings().value(_DESTINATIONS_KEY, []) or []
    if isinstance(remembered, str):
        remembered = [remembered]
    for name in remembered:
        if name and name not in found:
            found.append(str(name))
    return found


def _remember_destination(name: str) -> None:
    remembered = QSettings().value(_DESTINATIONS_KEY, []) or []
    if isinstance(remembered, str):
        remembered = [remembered]
    kept = [name] + [str(other) for other in remembered if other and other != name]
    QSettings().setValue(_DESTINATIONS_KEY, kept[:20])


class ExportPanel(QWidget):
    """What to put in the pack, Save pack as…, progress with Cancel, and what was saved."""

    done = Signal(str)  # 'saved', 'cancelled', 'failed'

    def __init__(
        self, db: Database, scope: Scope, worker: ReportWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
        self.worker = worker
        self.today = uk_today
        self._running: Path | None = None
        self._destination = ""

        heading = QLabel("<b>Export a pack</b>", self)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #425563;")

        self.everything = QRadioButton("&Everything in this file", self)
        self.in_scope = QRadioButton(self)
        self.since_last = QRadioButton("What changed since the last hand-over &to:", self)
        self.choice = QButtonGroup(self)
        for index, button in enumerate((self.everything, self.in_scope, self.since_last)):
            self.choice.addButton(button, index)
            button.setMinimumHeight(28)
        self.everything.setChecked(True)
        self.destination = QComboBox(self)
        self.destination.setEditable(True)
        self.destination.setMinimumWidth(300)
        self.destination.setMinimumHeight(32)
        self.destination.setAccessibleName("Who the pack is for")
        self.destination.setToolTip(
            "A name for where this pack goes (say, 'Improvement team'); the next pack to the "
            "same name holds only what changed since this one"
        )
        line = self.destination.lineEdit()
        if line is not None:
            line.setPlaceholderText("say, Improvement team")
            line.setAccessibleName("Who the pack is for")
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_last)
        since_row.addWidget(self.destination)
        since_row.addStretch(1)

        self.save_button = action_button(
            "&Save pack as…", self, tip="Choose where to save the pack, then write it"
        )
        actions, self.progress, self.message = button_with_strips(self.save_button, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.everything)
        layout.addWidget(self.in_scope)
        layout.addLayout(since_row)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.setTabOrder(self.everything, self.in_scope)
        self.setTabOrder(self.in_scope, self.since_last)
        self.setTabOrder(self.since_last, self.destination)
        self.setTabOrder(self.destination, self.save_button)
        self.setTabOrder(self.save_button, self.progress.cancel_button)

        self.choice.idToggled.connect(lambda _id, _on: self._enable())
        self.destination.editTextChanged.connect(lambda _text: self._destination_typed())
        self.save_button.clicked.connect(self.save)
        self.progress.cancel_button.clicked.connect(self.cancel)
        self.worker.busy_changed.connect(lambda _busy: self._enable())
        self.worker.progressed.connect(self._progressed)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.set_scope(scope)

    # --- the choice -----------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the destinations used before (keeping what is typed)."""
        typed = self.destination.currentText()
        self.destination.blockSignals(True)
        self.destination.clear()
        self.destination.addItems(known_destinations(self.db))
        self.destination.setCurrentText(typed)
        self.destination.blockSignals(False)
        self.set_scope(self.scope)

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        if scope.is_trust:
            self.in_scope.setText(
                "Only what the filter &shows (choose a CSU or area at the top to use this)"
            )
            if self.in_scope.isChecked():
                self.everything.setChecked(True)
        else:
            place = place_words(self.db, self.current_filter() or DataFilter())
            self.in_scope.setText(f"Only what the filter &shows: {place}")
        self._enable()

    def current_filter(self) -> DataFilter | None:
        if self.scope.is_trust:
            return None
        return DataFilter(csu_id=self.scope.csu_id, area_id=self.scope.area_id)

    def set_choice(self, which: int, destination: str = "") -> None:
        """Pick what to export (EVERYTHING, SCOPE, SINCE_LAST), as a test or a keyboard would."""
        button = self.choice.button(which)
        button.setChecked(True)
        if destination:
            self.destination.setCurrentText(destination)

    def _destination_typed(self) -> None:
        if self.destination.currentText().strip() and not self.since_last.isChecked():
            self.since_last.setChecked(True)
        self._enable()

    def _enable(self) -> None:
        busy = self.worker.busy
        for button in (self.everything, self.since_last):
            button.setEnabled(not busy)
        self.in_scope.setEnabled(not busy and not self.scope.is_trust)
        self.destination.setEnabled(not busy)
        self.save_button.setEnabled(not busy)

    def default_name(self) -> str:
        """'WasteWalk - <trust> - 2026-11-24.wwpack' (with the CSU or area when only that goes)."""
        trust = current_trust(self.db)
        who = trust.name if trust is not None else f"device {self.db.device_id[:8]}"
        parts = ["WasteWalk", file_name_part(who)]
        flt = self.current_filter()
        if self.choice.checkedId() == SCOPE and flt is not None:
            parts.append(file_name_part(place_words(self.db, flt)))
        destination = self.destination.currentText().strip()
        if self.choice.checkedId() == SINCE_LAST and destination:
            parts.append(f"for {file_name_part(destination)}")
        day: dt.date = self.today()
        parts.append(day.isoformat())
        return " - ".join(parts) + ".wwpack"

    def _start_folder(self) -> Path:
        folder = Path(str(QSettings().value(_FOLDER_KEY, "") or Path.home()))
        return folder if folder.is_dir() else Path.home()

    # --- the work -------------------------------------------------------------------------

    def save(self) -> None:
        """Ask where to save, then write the pack on the worker thread."""
        if self.worker.busy:
            return
        which = self.choice.checkedId()
        destination = self.destination.currentText().strip()
        if which == SINCE_LAST and not destination:
            self.message.show_message(
                "error", "Type who the pack is for (say, Improvement team), or choose Everything."
            )
            self.destination.setFocus()
            return
        suggested = self._start_folder() / self.default_name()
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save the pack as…", str(suggested), "WasteWalk pack (*.wwpack);;All files (*)"
        )
        if not chosen:
            return
        out = Path(chosen)
        if not out.suffix:
            out = out.with_suffix(".wwpack")
        QSettings().setValue(_FOLDER_KEY, str(out.parent))
        flt = self.current_filter() if which == SCOPE else None
        since = destination if which == SINCE_LAST else None
        self._destination = since or ""
        db = self.db

        def work(progress: Progress) -> Any:
            return export_pack(db, out, flt=flt, since_last=since, progress=progress)

        self._running = out
        self.message.clear()
        self.progress.begin("Writing the pack")
        self.worker.start(work)
        self.progress.cancel_button.setFocus()

    def cancel(self) -> None:
        if self._running is not None and self.worker.busy:
            self.worker.cancel()
            self.progress.stopping()

    def _progressed(self, fraction: float, text: str) -> None:
        if self._running is not None:
            self.progress.show_progress(fraction, text)

    def _finished(self, result: object) -> None:
        out = self._end()
        if out is None:
            return
        records: dict[str, int] = dict(getattr(result, "records", {}) or {})
        total = sum(records.values())
        photos = int(getattr(result, "photos", 0) or 0)
        path = Path(getattr(result, "path", out) or out)
        if self._destination:
            _remember_destination(self._destination)
            self.reload()
        text = (
            f"Saved {words.plural(total, 'record')} and {words.plural(photos, 'photo')} to {path}."
        )
        if total == 0 and self._destination:
            text += f" Nothing has changed since the last hand-over to {self._destination}."
        self.message.show_message("done", text, path.parent)
        self.save_button.setFocus()
        self.done.emit("saved")

    def _failed(self, exc: object) -> None:
        if self._end() is None:
            return
        assert isinstance(exc, BaseException)
        self.message.show_message("error", words.error_words(exc, "No pack was saved."))
        self.done.emit("failed")

    def _cancelled(self) -> None:
        out = self._end()
        if out is None:
            return
        self.message.show_message("info", "Stopped; no pack was saved.")
        self.save_button.setFocus()
        self.done.emit("cancelled")

    def _end(self) -> Path | None:
        out, self._running = self._running, None
        if out is not None:
            self.progress.end()
            self._enable()
        return out
