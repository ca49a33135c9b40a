"""The Reports tab: choose a report, its walk or period (the CSU/area is the window's), preview it,
and save it as a PDF, or save CSV files into a folder.

Building runs on the worker (worker.py) with progress and Cancel; the preview is a PDF in a
temporary folder, and Save as PDF copies it when nothing has changed since, rather than building
the same report twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.progress import Progress
from wastewalk.export.files import write_file_atomically
from wastewalk.services.actions import uk_today
from wastewalk.services.data_filter import (
    DataFilter,
    data_as_of,
    period_words,
    place_words,
)
from wastewalk.store.database import Database
from wastewalk.ui.reports import jobs
from wastewalk.ui.reports.csv_panel import CsvPanel
from wastewalk.ui.reports.jobs import KIND_HELP, KIND_TITLES, ReportKind, ReportRequest
from wastewalk.ui.reports.preview import PdfPreview
from wastewalk.ui.reports.strips import MessageStrip, ProgressStrip
from wastewalk.ui.reports.walk_picker import WalkPicker, walk_day
from wastewalk.ui.reports.worker import ReportWorker
from wastewalk.ui.savings.date_range import CONTROL_HEIGHT, DateRangeBar
from wastewalk.ui.scope import Scope

logger = logging.getLogger(__name__)

FOLDER_KEY = "reports/last_folder"


@dataclass(frozen=True)
class Previewed:
    """The preview on show: what it was built from, where it is, and the data's date then."""

    request: ReportRequest
    path: Path
    pages: int
    data_as_of: dt.datetime | None
    title: str


def _button(text: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setToolTip(tip)
    button.setMinimumHeight(CONTROL_HEIGHT + 2)
    button.setAutoDefault(True)  # Enter on the focused button presses it
    return button


def last_folder() -> Path:
    """The folder a report was last saved in (home at first)."""
    saved = QSettings().value(FOLDER_KEY, "")
    folder = Path(str(saved)) if saved else Path.home()
    return folder if folder.is_dir() else Path.home()


class ReportTab(QWidget):
    """Report choice, walk or period, Preview / Save as PDF… / Save CSV…, progress, preview."""

    done = Signal(str)  # 'preview', 'saved', 'csv', 'cancelled', 'failed': the work has ended

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
        self.today = uk_today
        self.worker = ReportWorker(self)
        self.previewed: Previewed | None = None
        self._temp: Path | None = None
        self._serial = 0
        self._task: tuple[str, ReportRequest, Path, str] | None = None  # job, request, out, title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)

        choices = QHBoxLayout()
        kind_label = QLabel("&Report", self)
        self.kind = QComboBox(self)
        for kind, title in KIND_TITLES.items():
            self.kind.addItem(title, str(kind))
        self.kind.setCurrentIndex(1)  # the savings report: the one asked for most
        self.kind.setAccessibleName("Report to build")
        self.kind.setMinimumHeight(CONTROL_HEIGHT)
        kind_label.setBuddy(self.kind)
        self.dates = DateRangeBar(self)
        choices.addWidget(kind_label)
        choices.addWidget(self.kind)
        choices.addSpacing(10)
        choices.addWidget(self.dates)
        choices.addStretch(1)
        layout.addLayout(choices)

        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.about.setStyleSheet("color: #425563;")
        self.about.setAccessibleName("About this report")
        layout.addWidget(self.about)
        self.csv_panel = CsvPanel(self)
        self.what = self.csv_panel.what
        self.csv_files = self.csv_panel.files
        layout.addWidget(self.csv_panel)

        actions = QHBoxLayout()
        self.preview_button = _button("&Preview", "Build the report and show it here", self)
        self.save_pdf_button = _button("Save as P&DF…", "Save the report as a PDF file", self)
        self.save_csv_button = _button("Save &CSV…", "Choose a folder for the CSV files", self)
        self.progress = ProgressStrip(self)
        actions.addWidget(self.preview_button)
        actions.addWidget(self.save_pdf_button)
        actions.addWidget(self.save_csv_button)
        actions.addSpacing(12)
        actions.addWidget(self.progress, 1)
        self.actions_stretch = QWidget(self)
        actions.addWidget(self.actions_stretch, 1)
        layout.addLayout(actions)

        self.message = MessageStrip(self)
        layout.addWidget(self.message)

        self.walks = WalkPicker(db, scope, self)
        self.preview = PdfPreview(self)
        self.preview_caption = QLabel(self)
        self.preview_caption.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_caption.setAccessibleName("What the preview shows")
        self.preview_caption.setStyleSheet("font-weight: 600;")
        self.preview_caption.setWordWrap(True)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview_caption)
        right_layout.addWidget(self.preview, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.walks)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([520, 620])  # the walk list wide enough for date, area and focus
        layout.addWidget(self.splitter, 1)
        layout.addStretch(0)  # takes the room when the splitter is hidden (CSV export)

        self.setTabOrder(self.kind, self.dates.preset)
        self.setTabOrder(self.dates.preset, self.dates.date_from)
        self.setTabOrder(self.dates.date_from, self.dates.date_to)
        self.setTabOrder(self.dates.date_to, self.what)
        self.setTabOrder(self.what, self.walks.search)
        self.setTabOrder(self.walks.search, self.walks.table)
        self.setTabOrder(self.walks.table, self.preview_button)
        self.setTabOrder(self.preview_button, self.save_pdf_button)
        self.setTabOrder(self.save_pdf_button, self.save_csv_button)
        self.setTabOrder(self.save_csv_button, self.progress.cancel_button)
        self.setTabOrder(self.progress.cancel_button, self.message.open_button)
        self.setTabOrder(self.message.open_button, self.preview.previous_button)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.what.currentIndexChanged.connect(lambda _i: self._choice_changed())
        self.dates.changed.connect(self._choice_changed)
        self.walks.chosen.connect(lambda _w: self._choice_changed())
        self.walks.activated.connect(self.start_preview)
        self.preview_button.clicked.connect(self.start_preview)
        self.save_pdf_button.clicked.connect(self.save_pdf)
        self.save_csv_button.clicked.connect(self.save_csv)
        self.progress.cancel_button.clicked.connect(self.cancel)
        self.worker.progressed.connect(self.progress.show_progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self._kind_changed()

    # --- the choice -----------------------------------------------------------------------

    def current_kind(self) -> ReportKind:
        return ReportKind(str(self.kind.currentData()))

    def set_kind(self, kind: ReportKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(str(kind)))

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.walks.set_scope(scope)
        self._choice_changed()

    def reload(self) -> None:
        """Other sections may have added walks: read the list again."""
        self.walks.reload()

    def current_filter(self) -> DataFilter:
        start, end = self.dates.dates()
        return DataFilter(self.scope.csu_id, self.scope.area_id, start, end)

    def current_request(self) -> ReportRequest:
        kind = self.current_kind()
        walk = self.walks.current() if kind == ReportKind.WALK else None
        return ReportRequest(
            kind=kind,
            flt=self.current_filter() if kind != ReportKind.WALK else DataFilter(),
            walk_id=walk.id if walk is not None else None,
            what=self.csv_panel.current() if kind == ReportKind.CSV else "all",
        )

    def problem(self) -> str:
        """Why the current choice cannot be built yet ('' when it can)."""
        kind = self.current_kind()
        if kind == ReportKind.WALK:
            if self.walks.current() is None:
                return "Choose a walk from the list first."
            return ""
        return self.dates.problem()

    def describe(self, request: ReportRequest) -> str:
        """'Savings report · Medicine CSU · all dates' for the caption and the messages."""
        title = KIND_TITLES[request.kind]
        if request.kind == ReportKind.WALK:
            walk = self.walks.current()
            if walk is None:
                return title
            return f"{title} · {walk.area_name}, {walk.csu_name} · {walk_day(walk)}"
        return f"{title} · {place_words(self.db, request.flt)} · {period_words(request.flt)}"

    def default_name(self, request: ReportRequest) -> str:
        title = KIND_TITLES[request.kind]
        walk = self.walks.current()
        if request.kind == ReportKind.WALK and walk is not None:
            return jobs.default_file_name(
                title, walk.area_name, dt.date.fromisoformat(walk_day(walk))
            )
        return jobs.default_file_name(title, place_words(self.db, request.flt), self.today())

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        is_walk = kind == ReportKind.WALK
        is_csv = kind == ReportKind.CSV
        self.walks.setVisible(is_walk)
        self.dates.setVisible(not is_walk)
        self.csv_panel.setVisible(is_csv)
        self.preview_button.setVisible(not is_csv)
        self.save_pdf_button.setVisible(not is_csv)
        self.save_csv_button.setVisible(is_csv)
        self.splitter.setVisible(not is_csv)
        self.message.clear()  # what happened to the last report is not about this one
        if self.previewed is not None and self.previewed.request.kind != kind:
            self._drop_preview()
        if is_walk and not self.walks.rows:
            self.walks.reload()
        self._choice_changed()

    def _drop_preview(self) -> None:
        old = self.previewed
        self.previewed = None
        self.preview.clear()
        if old is not None:
            old.path.unlink(missing_ok=True)

    def _choice_changed(self) -> None:
        request = self.current_request()
        kind = request.kind
        where = (
            "Walks of the CSU or area chosen at the top of the window."
            if kind == ReportKind.WALK
            else f"Scope: {place_words(self.db, request.flt)} (chosen in 'Looking at' at the "
            f"top) · {period_words(request.flt)}."
        )
        self.about.setText(f"{KIND_HELP[kind]} {where}")
        if kind == ReportKind.CSV:
            self.csv_panel.show_files()
        self._show_caption()
        self._enable()

    def _show_caption(self) -> None:
        shown = self.previewed
        if shown is None:
            self.preview_caption.setText("")
        elif shown.request == self.current_request():
            self.preview_caption.setText(
                f"Preview: {shown.title} ({_pages(shown.pages)}). Save as PDF saves this copy."
            )
        else:
            self.preview_caption.setText(
                f"Preview of an earlier choice: {shown.title}. Press Preview to see this one."
            )

    def _enable(self) -> None:
        busy = self.worker.busy
        ready = not busy and not self.problem()
        for control in (self.kind, self.what, self.dates, self.walks.search):
            control.setEnabled(not busy)
        self.preview_button.setEnabled(ready)
        self.save_pdf_button.setEnabled(ready)
        self.save_csv_button.setEnabled(ready)
        self.actions_stretch.setVisible(not busy)
        if not busy:
            self.progress.end()

    # --- the work -------------------------------------------------------------------------

    def start_preview(self) -> None:
        """Build the chosen PDF into a temporary file and show it."""
        request = self.current_request()
        if not request.is_pdf or not self._can_start():
            return
        self._serial += 1
        out = self._temp_folder() / f"preview-{self._serial}.pdf"
        title = self.describe(request)
        self._run("preview", request, out, title, f"Building the preview of the {title}")

    def save_pdf(self) -> None:
        """Ask where, then save: a copy of the preview if it is current, else a new build."""
        request = self.current_request()
        if not request.is_pdf or not self._can_start():
            return
        suggested = last_folder() / self.default_name(request)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save the report as PDF", str(suggested), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        QSettings().setValue(FOLDER_KEY, str(out.parent))
        title = self.describe(request)
        shown = self.previewed
        if shown is not None and shown.request == request and shown.path.is_file():
            try:
                unchanged = data_as_of(self.db) == shown.data_as_of
                if unchanged:
                    write_file_atomically(out, shown.path.read_bytes(), "report")
                    self._saved(out, shown.pages, title)
                    self.done.emit("saved")
                    return
            except (WasteWalkError, OSError) as exc:
                self._show_error(exc)
                self.done.emit("failed")
                return
        self._run("saved", request, out, title, f"Building the {title}")

    def save_csv(self) -> None:
        """Ask for a folder, then write the chosen CSV files into it."""
        request = self.current_request()
        if request.is_pdf or not self._can_start():
            return
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose a folder for the CSV files", str(last_folder())
        )
        if not chosen:
            return
        folder = Path(chosen)
        QSettings().setValue(FOLDER_KEY, str(folder))
        title = f"CSV export ({self.what.currentText()})"
        self._run("csv", request, folder, title, "Writing the CSV files")

    def cancel(self) -> None:
        if self.worker.busy:
            self.worker.cancel()
            self.progress.stopping()

    def _can_start(self) -> bool:
        if self.worker.busy:
            return False
        problem = self.problem()
        if problem:
            self.message.show_message("error", problem)
            return False
        return True

    def _run(self, job: str, request: ReportRequest, out: Path, title: str, words: str) -> None:
        db = self.db
        self._task = (job, request, out, title)
        self.message.clear()
        self.progress.begin(words)

        def work(progress: Progress) -> tuple[Any, dt.datetime | None]:
            as_of = data_as_of(db)
            if job == "csv":
                return jobs.write_csv(db, request, out, progress), as_of
            return jobs.build_pdf(db, request, out, progress), as_of

        self.worker.start(work)
        self._enable()
        self.progress.cancel_button.setFocus()

    def _finished(self, result: object) -> None:
        assert self._task is not None
        assert isinstance(result, tuple)
        job, request, out, title = self._task
        built, as_of = result
        self._task = None
        self._enable()
        if job == "preview":
            self._show_preview(request, out, built, as_of, title)
        elif job == "saved":
            self._saved(out, int(getattr(built, "pages", 0)), title)
        else:
            self.message.show_message("done", jobs.csv_done_words(built, out), out)
        self.done.emit(job)

    def _show_preview(
        self, request: ReportRequest, out: Path, built: Any, as_of: dt.datetime | None, title: str
    ) -> None:
        old = self.previewed
        pages = int(getattr(built, "pages", 0))
        if not self.preview.load(out):
            self.previewed = None
            self.message.show_message(
                "error", f"The {title} was built but cannot be shown here; save it and open it."
            )
        else:
            self.previewed = Previewed(request, out, pages, as_of, title)
        if old is not None and old.path != out:
            old.path.unlink(missing_ok=True)
        self._show_caption()
        self.preview.view.setFocus()

    def _saved(self, out: Path, pages: int, title: str) -> None:
        self.message.show_message(
            "done", f"Saved the {title} ({_pages(pages)}) as {out}.", out.parent
        )
        self.save_pdf_button.setFocus()

    def _failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self._task = None
        self._enable()
        self._show_error(exc)
        self.done.emit("failed")

    def _show_error(self, exc: BaseException) -> None:
        self.message.show_message("error", jobs.error_words(exc))

    def _cancelled(self) -> None:
        self._task = None
        self._enable()
        self.message.show_message("info", "Stopped; nothing was written.")
        self.preview_button.setFocus()
        self.done.emit("cancelled")

    def _temp_folder(self) -> Path:
        if self._temp is None or not self._temp.is_dir():
            self._temp = Path(tempfile.mkdtemp(prefix="wastewalk-preview-"))
        return self._temp

    def shut_down(self) -> None:
        """Stop any work and remove the preview files (the window is closing)."""
        self.worker.cancel()
        self.worker.wait()
        self.walks.background.wait()
        self.preview.clear()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None


def _pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"
