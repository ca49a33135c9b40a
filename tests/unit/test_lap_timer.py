"""The stopwatch is derived from the monotonic clock: laps, pauses and undo add no drift."""

from __future__ import annotations

import random

import pytest

from wastewalk.domain.lap_timer import NS_PER_SECOND, LapTimer, clock_text


class FakeClock:
    def __init__(self) -> None:
        self.now = 5 * NS_PER_SECOND  # monotonic clocks do not start at zero

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += round(seconds * NS_PER_SECOND)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_laps_close_the_element_and_start_the_next(clock: FakeClock) -> None:
    timer = LapTimer(clock)
    timer.start()
    clock.advance(8.2)
    assert timer.lap() == pytest.approx(8.2)
    clock.advance(36.5)
    assert timer.element_seconds() == pytest.approx(36.5)
    assert timer.lap() == pytest.approx(36.5)
    assert timer.session_seconds() == pytest.approx(44.7)


def test_pause_belongs_to_no_element(clock: FakeClock) -> None:
    timer = LapTimer(clock)
    timer.start()
    clock.advance(5)
    timer.pause()
    assert timer.paused
    clock.advance(100)
    assert timer.element_seconds() == pytest.approx(5)
    timer.resume()
    clock.advance(2)
    assert timer.lap() == pytest.approx(7)
    assert timer.session_seconds() == pytest.approx(7)


def test_a_lap_while_paused_keeps_the_pause(clock: FakeClock) -> None:
    timer = LapTimer(clock)
    timer.start()
    clock.advance(3)
    timer.pause()
    assert timer.lap() == pytest.approx(3)
    clock.advance(10)
    assert timer.element_seconds() == 0
    timer.resume()
    clock.advance(1)
    assert timer.element_seconds() == pytest.approx(1)


def test_undo_gives_the_time_back_to_the_running_element(clock: FakeClock) -> None:
    timer = LapTimer(clock)
    timer.start()
    clock.advance(4)
    slip = timer.lap()  # pressed too early
    clock.advance(6)
    timer.undo_lap(slip)
    assert timer.lap() == pytest.approx(10)


def test_lap_before_start_is_a_bug(clock: FakeClock) -> None:
    with pytest.raises(RuntimeError):
        LapTimer(clock).lap()


def test_no_drift_over_an_hour_of_irregular_repaints(clock: FakeClock) -> None:
    rng = random.Random(7)
    timer = LapTimer(clock)
    start = clock.now
    timer.start()
    paused_ns = 0
    laps: list[float] = []
    while clock.now - start < 3600 * NS_PER_SECOND:
        clock.advance(0.1 + rng.uniform(-0.03, 0.05))
        if rng.random() < 0.01:
            laps.append(timer.lap())
        if rng.random() < 0.002:
            timer.pause()
            pause_start = clock.now
            clock.advance(rng.uniform(1, 30))
            paused_ns += clock.now - pause_start
            timer.resume()
        assert timer.session.elapsed_ns() == clock.now - start - paused_ns
    laps.append(timer.lap())
    assert sum(round(lap * NS_PER_SECOND) for lap in laps) == clock.now - start - paused_ns


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00.0"), (7.46, "0:07.4"), (59.99, "0:59.9"), (723, "12:03.0"), (3723.5, "1:02:03.5")],
)
def test_clock_face(seconds: float, text: str) -> None:
    assert clock_text(seconds) == text
