"""The stopwatch behind the timing screens: derived from a monotonic clock, never counted.

Every figure is the difference of two clock readings in integer nanoseconds, so an hour of
repainting adds no drift, and the wall clock changing (summer time, a network time sync) moves
nothing. The clock is injected so tests can step it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

NS_PER_SECOND = 1_000_000_000


class Stopwatch:
    """Elapsed time with pause and resume."""

    def __init__(self, clock: Callable[[], int]) -> None:
        self._clock = clock
        self._banked_ns = 0
        self._since_ns: int | None = None

    @property
    def running(self) -> bool:
        return self._since_ns is not None

    def start(self) -> None:
        """Run from zero."""
        self._banked_ns = 0
        self._since_ns = self._clock()

    def elapsed_ns(self) -> int:
        running = self._clock() - self._since_ns if self._since_ns is not None else 0
        return self._banked_ns + running

    def pause(self) -> None:
        if self._since_ns is not None:
            self._banked_ns += self._clock() - self._since_ns
            self._since_ns = None

    def resume(self) -> None:
        if self._since_ns is None:
            self._since_ns = self._clock()

    def add_ns(self, extra_ns: int) -> None:
        """Give back time taken away (an undone lap returns its time to the element)."""
        self._banked_ns += extra_ns

    def restart(self) -> int:
        """Return the elapsed time and start again from zero, keeping the paused state."""
        now = self._clock()
        elapsed = self._banked_ns + (now - self._since_ns if self._since_ns is not None else 0)
        self._banked_ns = 0
        if self._since_ns is not None:
            self._since_ns = now
        return elapsed


class LapTimer:
    """The element being timed and the whole session, as on a lap stopwatch.

    `lap()` closes the current element and starts the next at the same instant; `pause()` stops
    both the element and the session clock (the time paused belongs to no element).
    """

    def __init__(self, clock: Callable[[], int] = time.monotonic_ns) -> None:
        self.element = Stopwatch(clock)
        self.session = Stopwatch(clock)
        self.started = False

    @property
    def paused(self) -> bool:
        return self.started and not self.element.running

    def start(self) -> None:
        self.element.start()
        self.session.start()
        self.started = True

    def lap(self) -> float:
        """Close the current element: its time in seconds. The next element starts now."""
        if not self.started:
            raise RuntimeError("the timer has not been started")
        return self.element.restart() / NS_PER_SECOND

    def undo_lap(self, seconds: float) -> None:
        """The last lap was a slip: its time goes back to the element now being timed."""
        self.element.add_ns(round(seconds * NS_PER_SECOND))

    def pause(self) -> None:
        self.element.pause()
        self.session.pause()

    def resume(self) -> None:
        self.element.resume()
        self.session.resume()

    def element_seconds(self) -> float:
        return self.element.elapsed_ns() / NS_PER_SECOND

    def session_seconds(self) -> float:
        return self.session.elapsed_ns() / NS_PER_SECOND


def clock_text(seconds: float) -> str:
    """A stopwatch face: 0:07.4, 12:03.0, 1:02:03.0 (tenths, never rounded up past the reading)."""
    tenths = int(seconds * 10) if seconds > 0 else 0
    whole, tenth = divmod(tenths, 10)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{tenth}"
    return f"{minutes}:{secs:02d}.{tenth}"
