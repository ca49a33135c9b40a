"""Reads that may take a noticeable time at trust scale run on a worker thread (STYLE.md
practice 5): the roll-up of 250,000 estimates takes up to ~300 ms, and the window must not
freeze while the person changes the filter. Results come back by signal; only the newest request
on each channel is delivered, so a slow answer to an old filter never overwrites a new one.
A worker never touches a widget: it runs a plain service call and hands back its result."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

logger = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(str, int, object)  # channel, ticket, result
    failed = Signal(str, int, object)  # channel, ticket, exception


_SKIPPED = object()  # a request overtaken by a newer one before it started


class _Job(QRunnable):
    def __init__(
        self,
        channel: str,
        ticket: int,
        work: Callable[[], Any],
        signals: _Signals,
        latest: Callable[[str], int],
    ) -> None:
        super().__init__()
        self.channel = channel
        self.ticket = ticket
        self.work = work
        self.signals = signals
        self.latest = latest

    def run(self) -> None:
        # At trust scale one roll-up takes seconds: a request already overtaken (the person
        # changed the filter again) is not worth running at all.
        if self.latest(self.channel) != self.ticket:
            self.signals.finished.emit(self.channel, self.ticket, _SKIPPED)
            return
        try:
            result = self.work()
        except Exception as exc:  # handed to the UI thread, which says what went wrong
            self.signals.failed.emit(self.channel, self.ticket, exc)
            return
        self.signals.finished.emit(self.channel, self.ticket, result)


class Background(QObject):
    """One worker thread; `run(channel, work, done, failed)` and the newest answer wins."""

    idle = Signal()  # nothing is left to deliver

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # SQLite reads queue anyway; keep the order of requests
        self.signals = _Signals(self)
        self.signals.finished.connect(self._finished)
        self.signals.failed.connect(self._failed)
        self._tickets: dict[str, int] = {}
        self._handlers: dict[
            str, tuple[Callable[[Any], None], Callable[[BaseException], None]]
        ] = {}
        self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        channel: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run `work` on the worker; `done(result)` or `failed(exc)` on the UI thread, unless a
        newer request on the same channel has been made meanwhile."""
        ticket = self._tickets.get(channel, 0) + 1
        self._tickets[channel] = ticket
        self._handlers[channel] = (done, failed)
        self._pending += 1
        self.pool.start(_Job(channel, ticket, work, self.signals, self._latest))

    def _latest(self, channel: str) -> int:
        return self._tickets.get(channel, 0)  # read from the worker: a plain int, never torn

    def wait(self) -> None:
        """Block until the worker is free (before the database closes)."""
        self.pool.waitForDone()

    def _finished(self, channel: str, ticket: int, result: object) -> None:
        self._pending -= 1
        if ticket == self._tickets.get(channel) and result is not _SKIPPED:
            self._handlers[channel][0](result)
        self._maybe_idle()

    def _failed(self, channel: str, ticket: int, exc: object) -> None:
        self._pending -= 1
        if ticket == self._tickets.get(channel):
            assert isinstance(exc, BaseException)
            self._handlers[channel][1](exc)
        self._maybe_idle()

    def _maybe_idle(self) -> None:
        if self._pending == 0:
            self.idle.emit()
