"""Long work (building a PDF, writing CSV files) on a worker thread, with progress and cancel.

STYLE.md practice 5: the window stays responsive while a trust-wide pack is built. One job runs at a
time. The job is a plain function that takes a Progress callback; the worker hands it one that
reports to the window by signal and raises Cancelled once the person has pressed Cancel, so the
report function stops at its next step and writes nothing. The worker never touches a widget: its
signals are re-emitted on the window's thread, so a slot may update widgets freely.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from wastewalk.domain.progress import Cancelled, Progress

logger = logging.getLogger(__name__)

Work = Callable[[Progress], Any]


class _Signals(QObject):
    # Emitted on the worker thread; received by ReportWorker on the window's thread (queued).
    progressed = Signal(int, float, str)  # job, fraction, words
    finished = Signal(int, object)  # job, result
    failed = Signal(int, object)  # job, exception
    cancelled = Signal(int)  # job


class _Task(QRunnable):
    def __init__(self, job: int, work: Work, progress: Progress, signals: _Signals) -> None:
        super().__init__()
        self.job = job
        self.work = work
        self.progress = progress
        self.signals = signals

    def run(self) -> None:
        try:
            self.progress(0.0, "Starting")
            result = self.work(self.progress)
        except Cancelled:
            self.signals.cancelled.emit(self.job)
        except Exception as exc:  # handed to the window, which says what went wrong
            self.signals.failed.emit(self.job, exc)
        else:
            self.signals.finished.emit(self.job, result)


class ReportWorker(QObject):
    """Runs one job at a time; `start(work)`, then exactly one of finished/failed/cancelled."""

    progressed = Signal(float, str)  # fraction 0..1, the current step in words
    finished = Signal(object)  # what the work returned
    failed = Signal(object)  # the exception it raised
    cancelled = Signal()  # the person stopped it; nothing was written
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.progressed.connect(self._progressed)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._signals.cancelled.connect(self._cancelled)
        self._cancel = threading.Event()
        self._job = 0
        self._busy = False
        # Called on the worker thread after each progress report (tests use it to hold the work
        # at a known step); a plain function that must not touch widgets.
        self.progress_hook: Progress | None = None

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def start(self, work: Work) -> None:
        """Run `work(progress)` on the worker thread."""
        if self._busy:
            raise RuntimeError("a report is already being built")
        self._job += 1
        self._cancel.clear()
        self._set_busy(True)
        self.pool.start(_Task(self._job, work, self._make_progress(self._job), self._signals))

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        if self._busy:
            self._cancel.set()

    def wait(self) -> None:
        """Block until the worker is free (before the database closes)."""
        self.pool.waitForDone()

    def _make_progress(self, job: int) -> Progress:
        cancel = self._cancel
        signals = self._signals

        def progress(fraction: float, words: str) -> None:
            if cancel.is_set():
                raise Cancelled()
            signals.progressed.emit(job, fraction, words)
            hook = self.progress_hook
            if hook is not None:
                hook(fraction, words)
            if cancel.is_set():
                raise Cancelled()

        return progress

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)

    def _progressed(self, job: int, fraction: float, words: str) -> None:
        if job == self._job and self._busy:
            self.progressed.emit(fraction, words)

    def _finished(self, job: int, result: object) -> None:
        if job == self._job:
            self._set_busy(False)
            self.finished.emit(result)

    def _failed(self, job: int, exc: object) -> None:
        if job == self._job:
            self._set_busy(False)
            assert isinstance(exc, BaseException)
            self.failed.emit(exc)

    def _cancelled(self, job: int) -> None:
        if job == self._job:
            self._set_busy(False)
            self.cancelled.emit()
