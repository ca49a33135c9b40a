"""Import a pack: choose the file, see what it would do (worked out on the worker thread, with
Cancel), then Import it (one transaction: all of it or none) or Cancel. A refused pack is shown in
plain words and changes nothing."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from wastewalk.domain.progress import Progress
from wastewalk.services.pack_import import import_pack, preview_pack
from wastewalk.services.pack_reader import PackRefused
from wastewalk.store.database import Database
from wastewalk.ui.packs import words
from wastewalk.ui.packs.preview_view import PreviewView, totals
from wastewalk.ui.packs.widgets import button_with_strips
from wastewalk.ui.reports.worker import ReportWorker
from wastewalk.ui.settings.widgets import action_button

logger = logging.getLogger(__name__)

_FOLDER_KEY = "packs/import_folder"
INTRO = (
    "Choose a pack another laptop saved. WasteWalk first shows what it would do; nothing changes "
    "until you press Import, and then all of it goes in or none of it does."
)


class ImportPanel(QWidget):
    """Choose pack…, its preview, Import / Cancel, progress, and what happened."""

    done = Signal(str)  # 'previewed', 'imported', 'refused', 'failed', 'cancelled', 'closed'
    imported = Signal(object)  # the PackImport: the log and the conflicts have changed

    def __init__(self, db: Database, worker: ReportWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.worker = worker
        self.path: Path | None = None  # the pack previewed
        self._job = ""  # 'preview' or 'import' while the worker runs for this panel

        heading = QLabel("<b>Import a pack</b>", self)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #425563;")
        self.choose_button = action_button(
            "C&hoose pack…", self, tip="Choose a .wwpack file and see what it would do"
        )
        top, self.progress, self.message = button_with_strips(self.choose_button, self)

        self.preview = PreviewView(self)
        self.import_button = action_button(
            "&Import", self, tip="Apply the pack as previewed: all of it or none of it"
        )
        self.import_button.setDefault(False)
        self.import_button.setAutoDefault(True)
        self.close_button = action_button(
            "Cancel", self, tip="Close this preview; nothing is imported"
        )
        self.close_button.setAccessibleName("Cancel: do not import this pack")
        self.close_button.setAutoDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        self.preview_box = QWidget(self)
        box = QVBoxLayout(self.preview_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.preview, 1)
        box.addLayout(buttons)
        self.preview_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.preview_box, 1)
        layout.addStretch(0)

        self.setTabOrder(self.choose_button, self.progress.cancel_button)
        self.setTabOrder(self.progress.cancel_button, self.message.open_button)
        self.setTabOrder(self.message.open_button, self.preview.table)
        self.setTabOrder(self.preview.table, self.import_button)
        self.setTabOrder(self.import_button, self.close_button)

        self.choose_button.clicked.connect(self.choose)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.close_preview)
        self.progress.cancel_button.clicked.connect(self.cancel)
        self.worker.busy_changed.connect(lambda _busy: self._enable())
        self.worker.progressed.connect(self._progressed)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self._enable()

    def _start_folder(self) -> Path:
        folder = Path(str(QSettings().value(_FOLDER_KEY, "") or Path.home()))
        return folder if folder.is_dir() else Path.home()

    def _enable(self) -> None:
        busy = self.worker.busy
        self.choose_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy and self.preview.preview is not None)
        self.close_button.setEnabled(not busy)

    # --- the work -------------------------------------------------------------------------

    def choose(self) -> None:
        """Ask for a pack, then work out its preview on the worker thread."""
        if self.worker.busy:
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "Choose a pack to import",
            str(self._start_folder()),
            "WasteWalk pack (*.wwpack);;All files (*)",
        )
        if chosen:
            QSettings().setValue(_FOLDER_KEY, str(Path(chosen).parent))
            self.start_preview(Path(chosen))

    def start_preview(self, path: Path) -> None:
        """Read `path` and show what importing it would do; nothing changes."""
        if self.worker.busy:
            return
        self.close_preview(quiet=True)
        self.path = path
        db = self.db

        def work(progress: Progress) -> Any:
            return preview_pack(db, path, progress)

        self._run("preview", work, f"Reading {path.name}")

    def start_import(self) -> None:
        """Apply the previewed pack in one transaction."""
        if self.worker.busy or self.path is None or self.preview.preview is None:
            return
        path = self.path
        db = self.db

        def work(progress: Progress) -> Any:
            return import_pack(db, path, progress)

        self._run("import", work, f"Importing {path.name}")

    def close_preview(self, quiet: bool = False) -> None:
        """Put the preview away; nothing is imported."""
        if self.worker.busy:
            return
        had = self.preview.preview is not None
        self.preview.clear()
        self.preview_box.setVisible(False)
        self.path = None
        self._enable()
        if had and not quiet:
            self.message.show_message("info", "Not imported; nothing changed.")
            self.choose_button.setFocus()
            self.done.emit("closed")

    def cancel(self) -> None:
        if self._job and self.worker.busy:
            self.worker.cancel()
            self.progress.stopping()

    def _run(self, job: str, work: Any, text: str) -> None:
        self._job = job
        self.message.clear()
        self.progress.begin(text)
        self.worker.start(work)
        self.progress.cancel_button.setFocus()

    def _progressed(self, fraction: float, text: str) -> None:
        if self._job:
            self.progress.show_progress(fraction, text)

    def _end(self) -> str:
        job, self._job = self._job, ""
        if job:
            self.progress.end()
            self._enable()
        return job

    def _finished(self, result: object) -> None:
        job = self._end()
        if job == "preview":
            self.preview.show_preview(result)
            self.preview_box.setVisible(True)
            self._enable()
            self.import_button.setFocus()
            self.done.emit("previewed")
        elif job == "import":
            self._imported(result)

    def _imported(self, result: Any) -> None:
        preview = getattr(result, "preview", None) or self.preview.preview
        summed = totals(preview)
        name = self.path.name if self.path is not None else ""
        text = f"Imported {name}: {words.counts_words(**summed)}."
        kind = "done"
        if summed["conflicts"]:
            text += (
                f" {words.plural(summed['conflicts'], 'record')} changed on both sides: "
                "this laptop's version is kept until someone chooses under Conflicts."
            )
            kind = "info"
        self.preview.clear()
        self.preview_box.setVisible(False)
        self.path = None
        self._enable()
        self.message.show_message(kind, text)
        self.choose_button.setFocus()
        self.imported.emit(result)
        self.done.emit("imported")

    def _failed(self, exc: object) -> None:
        job = self._end()
        if not job:
            return
        assert isinstance(exc, BaseException)
        if job == "preview":
            self.path = None
            self.preview_box.setVisible(False)
            self.preview.clear()
            self._enable()
        nothing = "This pack cannot be imported; nothing changed."
        self.message.show_message("error", words.error_words(exc, nothing))
        self.choose_button.setFocus()
        refused = _is_refusal(exc)
        self.done.emit("refused" if refused else "failed")

    def _cancelled(self) -> None:
        job = self._end()
        if not job:
            return
        if job == "preview":
            self.path = None
            self.preview_box.setVisible(False)
            self.preview.clear()
            self._enable()
            self.message.show_message("info", "Stopped reading the pack; nothing changed.")
            self.choose_button.setFocus()
        else:
            self.message.show_message("info", "Stopped; nothing was imported.")
            self.import_button.setFocus()
        self.done.emit("cancelled")


def _is_refusal(exc: BaseException) -> bool:
    return isinstance(exc, PackRefused)
