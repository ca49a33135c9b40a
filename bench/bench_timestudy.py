"""Time studies: the summary of a big study, and the stopwatch's drift over a simulated hour.

    python -m bench.bench_timestudy [--elements 50] [--cycles 200] [--repeat 15] [--seed 1]

(a) Summary. A study of 50 elements x 200 cycles (10,000 readings, about 1 % not performed and
1 % excluded) is made with `wastewalk import timestudy`'s service, then timed, alternately:
`services.time_studies.study_summary(db, id)` (one session reading the study and its readings,
then all the domain maths), `domain.time_study.summarise_study` alone on readings already in
memory, and a baseline on a connection with the app's PRAGMAs: the same valid readings read with
plain sqlite3 and each element's mean, min and max worked out in plain Python. Median and
minimum of `--repeat` runs, after one warm-up run of each.

(b) Drift. `domain.lap_timer.LapTimer` runs on a simulated monotonic clock for 3,600 s, read at
every repaint of the clock: ticks 100 ms apart as asked of a QTimer, but late by a few ms as real
timers are, with now and then a stall of up to 1.5 s (a busy UI thread, a laptop waking). There
are laps every 3 to 40 s, some undone, and pauses. At every tick the displayed element and session
times are compared with the truth worked out separately from the event log (now - the lap's
start - time paused since), in integer nanoseconds and as the clock face shows them. Next to it, a
naive stopwatch that adds 0.1 s at every tick, as a counting clock would.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bench.common import app_configured_connection, median, print_table, scratch_data_dir
from wastewalk.domain.lap_timer import NS_PER_SECOND, LapTimer, clock_text
from wastewalk.domain.time_study import (
    ElementSpec,
    Reading,
    ReadingState,
    StudySettings,
    StudySummary,
    ValueClass,
    summarise_study,
)
from wastewalk.models import TimeStudyElement, TimeStudyReading
from wastewalk.services import organisation
from wastewalk.services.import_timestudy import TimeStudyImportOptions, import_timestudy
from wastewalk.services.time_studies import (
    ReadingInfo,
    StudyInfo,
    get_study,
    list_readings,
    study_summary,
    summarise,
)
from wastewalk.store.database import Database, open_database

logger = logging.getLogger(__name__)

MS = 1_000_000  # nanoseconds
HOUR_NS = 3600 * NS_PER_SECOND

BASELINE_SQL = """
SELECT e.position, r.seconds
FROM time_study_reading AS r JOIN time_study_element AS e ON e.id = r.element_id
WHERE r.study_id = ? AND r.deleted_at IS NULL AND r.state = 'valid'
"""


# --- (a) summary --------------------------------------------------------------------------------


def write_sheet(path: Path, elements: int, cycles: int, rng: random.Random) -> None:
    """A paper sheet of elements x cycles readings, typed cycle by cycle."""
    lines = ["element,element_order,cycle,seconds,rating_pct,value_class,excluded,exclude_reason"]
    typical = [rng.uniform(4, 90) for _ in range(elements)]
    classes = ("va", "nnva", "waste")
    for cycle in range(1, cycles + 1):
        for order in range(1, elements + 1):
            first = cycle == 1
            rating = f"{rng.choice((90, 95, 100, 105, 110))}" if first else ""
            value_class = classes[order % 3] if first else ""
            draw = rng.random()
            if draw < 0.01:
                seconds, excluded, reason = "NP", "", ""
            else:
                seconds = f"{max(0.5, rng.gauss(typical[order - 1], typical[order - 1] / 8)):.1f}"
                excluded, reason = ("Y", "interrupted") if draw > 0.99 else ("", "")
            lines.append(
                f"Step {order},{order},{cycle},{seconds},{rating},{value_class},{excluded},{reason}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def baseline(conn: sqlite3.Connection, study_hex: str) -> dict[int, tuple[float, float, float]]:
    """Valid readings read with plain sqlite3; per element mean, min and max in plain Python."""
    by_element: dict[int, list[float]] = {}
    for position, seconds in conn.execute(BASELINE_SQL, (study_hex,)):
        by_element.setdefault(position, []).append(seconds)
    return {
        position: (math.fsum(values) / len(values), min(values), max(values))
        for position, values in by_element.items()
    }


def column_summary(db: Database, info: StudyInfo) -> StudySummary:
    """What study_summary would cost reading four columns instead of whole ORM rows: not the
    service, a measure of where its time goes."""
    query = (
        select(
            TimeStudyElement.position,
            TimeStudyReading.cycle,
            TimeStudyReading.state,
            TimeStudyReading.seconds,
        )
        .join(TimeStudyElement, TimeStudyElement.id == TimeStudyReading.element_id)
        .where(TimeStudyReading.study_id == info.id, TimeStudyReading.deleted_at.is_(None))
    )
    by_order: dict[int, list[Reading]] = {}
    with db.session() as session:
        for position, cycle, state, seconds in session.execute(query):
            by_order.setdefault(position, []).append(Reading(cycle, ReadingState(state), seconds))
    specs = [
        ElementSpec(e.name, e.order, ValueClass(e.value_class), e.rating_pct) for e in info.elements
    ]
    return summarise_study(specs, by_order, info.settings)


def timed(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    return (time.perf_counter() - began) * 1000


def bench_summary(folder: Path, elements: int, cycles: int, repeat: int, seed: int) -> None:
    rng = random.Random(seed)
    path = folder / "summary.sqlite"
    sheet = folder / "sheet.csv"
    write_sheet(sheet, elements, cycles, rng)
    db = open_database(str(path), daily_backup=False)
    try:
        csu = organisation.create_csu(db, "Medicine")
        organisation.create_area(db, csu.id, "Ward 7")
        began = time.perf_counter()
        result = import_timestudy(db, sheet, TimeStudyImportOptions(name="Big", area="Ward 7"))
        import_s = time.perf_counter() - began
        study_id: uuid.UUID = result.study_id
        info = get_study(db, study_id)
        readings = list_readings(db, study_id)
        specs_and_readings = _domain_inputs(info, readings)

        with app_configured_connection(path) as conn:
            _check_agreement(db, study_id, conn)
            cases: dict[str, Callable[[], object]] = {
                "study_summary(db, id): read + maths": lambda: study_summary(db, study_id),
                "summarise_study alone (in memory)": lambda: summarise_study(*specs_and_readings),
                "column query + summarise_study": lambda: column_summary(db, info),
                "raw sqlite3 read + mean/min/max": lambda: baseline(conn, study_id.hex),
            }
            times: dict[str, list[float]] = {label: [] for label in cases}
            for round_number in range(repeat + 1):
                for label, work in cases.items():
                    spent = timed(work)
                    if round_number:  # the first round warms caches and is not counted
                        times[label].append(spent)
    finally:
        db.close()

    print(
        f"(a) summary of {elements} elements x {cycles} cycles: {result.readings:,} readings "
        f"({result.not_performed} not performed, {result.excluded} excluded), imported in "
        f"{import_s:.2f} s; {repeat} runs each\n"
    )
    base = median(times["raw sqlite3 read + mean/min/max"])
    print_table(
        ["ms", "median", "min", "vs baseline (median)"],
        [
            [label, f"{median(v):.1f}", f"{min(v):.1f}", f"{median(v) / base:.1f}x"]
            for label, v in times.items()
        ],
    )


def _domain_inputs(
    info: StudyInfo, readings: list[ReadingInfo]
) -> tuple[list[ElementSpec], dict[int, list[Reading]], StudySettings]:
    """The arguments summarise_study gets from services.time_studies.summarise, built once."""
    specs = [
        ElementSpec(e.name, e.order, ValueClass(e.value_class), e.rating_pct) for e in info.elements
    ]
    by_order: dict[int, list[Reading]] = {}
    for r in readings:
        by_order.setdefault(r.element_order, []).append(
            Reading(r.cycle, ReadingState(r.state), r.seconds)
        )
    return specs, by_order, info.settings


def _check_agreement(db: Database, study_id: uuid.UUID, conn: sqlite3.Connection) -> None:
    """The baseline and the service must agree on what they both compute."""
    info, summary = study_summary(db, study_id)
    assert summary == summarise(info, list_readings(db, study_id))
    assert summary == column_summary(db, info)
    raw = baseline(conn, study_id.hex)
    for element in summary.elements:
        mean, low, high = raw[element.order]
        assert element.mean_s is not None
        assert math.isclose(element.mean_s, mean, rel_tol=1e-12)
        assert (element.min_s, element.max_s) == (low, high)


# --- (b) drift ----------------------------------------------------------------------------------


class SimulatedClock:
    """A monotonic clock in integer nanoseconds that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


@dataclass
class Truth:
    """The true element and session times, from the log of events alone."""

    started_at: int = 0
    lap_started_at: int = 0
    pauses: list[tuple[int, int | None]] | None = None  # (paused at, resumed at or None)

    def paused_between(self, start: int, now: int) -> int:
        total = 0
        for paused, resumed in self.pauses or []:
            end = now if resumed is None else resumed
            total += max(0, min(end, now) - max(paused, start))
        return total

    def session_ns(self, now: int) -> int:
        return now - self.started_at - self.paused_between(self.started_at, now)

    def element_ns(self, now: int) -> int:
        lap = self.lap_started_at
        return now - lap - self.paused_between(lap, now)


@dataclass
class DriftResult:
    ticks: int = 0
    laps: int = 0
    undone: int = 0
    pauses: int = 0
    mean_tick_ms: float = 0.0
    longest_tick_ms: float = 0.0
    max_element_drift_ns: int = 0
    max_session_drift_ns: int = 0
    max_seconds_drift_ns: int = 0  # the float seconds shown, back in ns
    face_mismatches: int = 0
    laps_plus_element_off_ns: int = 0  # |sum of laps + element - session|, the largest seen
    naive_max_element_drift_s: float = 0.0
    naive_max_session_drift_s: float = 0.0
    naive_end_session_drift_s: float = 0.0
    naive_face_mismatches: int = 0


def tick_interval_ns(rng: random.Random) -> int:
    """A repaint 100 ms after the last, late as real timers are, with an occasional stall."""
    late = max(-2 * MS, int(rng.gauss(3 * MS, 3 * MS)))  # a QTimer fires late more than early
    if rng.random() < 0.002:
        late += rng.randint(200 * MS, 1500 * MS)  # a busy UI thread, a laptop waking
    return 100 * MS + late


def simulate_hour(seed: int) -> DriftResult:
    rng = random.Random(seed)
    clock = SimulatedClock()
    clock.now = rng.randint(10**12, 10**15)  # monotonic clocks start anywhere
    timer = LapTimer(clock)
    truth = Truth(pauses=[])
    result = DriftResult()
    timer.start()
    truth.started_at = truth.lap_started_at = clock.now
    end = clock.now + HOUR_NS
    next_lap = clock.now + rng.randint(3, 40) * NS_PER_SECOND
    next_pause = clock.now + rng.randint(300, 900) * NS_PER_SECOND
    resume_at: int | None = None
    laps_ns: list[int] = []
    naive_element = naive_session = 0.0
    last = clock.now
    intervals: list[int] = []
    while clock.now < end:
        step = tick_interval_ns(rng)
        clock.now += step
        intervals.append(step)
        if resume_at is None and not timer.paused:
            naive_element += 0.1
            naive_session += 0.1
        # Events fall on ticks: keys are handled between repaints.
        if resume_at is not None and clock.now >= resume_at:
            timer.resume()
            assert truth.pauses is not None
            truth.pauses[-1] = (truth.pauses[-1][0], clock.now)
            resume_at = None
        elif resume_at is None and clock.now >= next_pause:
            timer.pause()
            assert truth.pauses is not None
            truth.pauses.append((clock.now, None))
            resume_at = clock.now + rng.randint(5, 120) * NS_PER_SECOND
            next_pause = clock.now + rng.randint(300, 900) * NS_PER_SECOND
            result.pauses += 1
        elif resume_at is None and clock.now >= next_lap:
            seconds = timer.lap()
            lap_ns = round(seconds * NS_PER_SECOND)
            if laps_ns and rng.random() < 0.1:
                # The lap was a slip, undone: the element goes on as if it never happened, so
                # the truth (from the element's first start) does not change.
                timer.undo_lap(seconds)
                result.undone += 1
            else:
                laps_ns.append(lap_ns)
                truth.lap_started_at = clock.now
                naive_element = 0.0
                result.laps += 1
            next_lap = clock.now + rng.randint(3, 40) * NS_PER_SECOND
        # The repaint: what the clock shows against the truth.
        element_true, session_true = truth.element_ns(clock.now), truth.session_ns(clock.now)
        element_ns, session_ns = timer.element.elapsed_ns(), timer.session.elapsed_ns()
        result.max_element_drift_ns = max(
            result.max_element_drift_ns, abs(element_ns - element_true)
        )
        result.max_session_drift_ns = max(
            result.max_session_drift_ns, abs(session_ns - session_true)
        )
        shown_element, shown_session = timer.element_seconds(), timer.session_seconds()
        result.max_seconds_drift_ns = max(
            result.max_seconds_drift_ns,
            abs(round(shown_element * NS_PER_SECOND) - element_true),
            abs(round(shown_session * NS_PER_SECOND) - session_true),
        )
        if clock_text(shown_element) != clock_text(element_true / NS_PER_SECOND):
            result.face_mismatches += 1
        if clock_text(shown_session) != clock_text(session_true / NS_PER_SECOND):
            result.face_mismatches += 1
        result.laps_plus_element_off_ns = max(
            result.laps_plus_element_off_ns, abs(sum(laps_ns) + element_ns - session_ns)
        )
        naive_element_drift = naive_element - element_true / NS_PER_SECOND
        naive_session_drift = naive_session - session_true / NS_PER_SECOND
        result.naive_max_element_drift_s = max(
            result.naive_max_element_drift_s, abs(naive_element_drift)
        )
        result.naive_max_session_drift_s = max(
            result.naive_max_session_drift_s, abs(naive_session_drift)
        )
        result.naive_end_session_drift_s = naive_session_drift
        if clock_text(naive_session) != clock_text(session_true / NS_PER_SECOND):
            result.naive_face_mismatches += 1
        result.ticks += 1
        last = clock.now
    assert last >= end
    result.mean_tick_ms = sum(intervals) / len(intervals) / MS
    result.longest_tick_ms = max(intervals) / MS
    return result


def bench_drift(seed: int) -> DriftResult:
    began = time.perf_counter()
    result = simulate_hour(seed)
    spent = time.perf_counter() - began
    print(
        f"\n(b) drift over a simulated hour (seed {seed}): {result.ticks:,} repaints, mean "
        f"{result.mean_tick_ms:.2f} ms apart, longest {result.longest_tick_ms:.0f} ms; "
        f"{result.laps} laps, {result.undone} undone, {result.pauses} pauses "
        f"(simulated in {spent:.1f} s)\n"
    )
    print_table(
        ["largest |shown - true| over the hour", "LapTimer", "naive +0.1 s a tick"],
        [
            [
                "element time",
                f"{result.max_element_drift_ns} ns",
                f"{result.naive_max_element_drift_s:.3f} s",
            ],
            [
                "session time",
                f"{result.max_session_drift_ns} ns",
                f"{result.naive_max_session_drift_s:.3f} s",
            ],
            ["seconds shown (float), back in ns", f"{result.max_seconds_drift_ns} ns", ""],
            [
                "session drift at the end of the hour",
                "0 ns" if result.max_session_drift_ns == 0 else "-",
                f"{result.naive_end_session_drift_s:+.3f} s",
            ],
            [
                "clock faces (0:07.4) that differ from the truth",
                str(result.face_mismatches),
                f"{result.naive_face_mismatches:,} of {result.ticks:,}",
            ],
            ["|sum of laps + element - session|", f"{result.laps_plus_element_off_ns} ns", ""],
        ],
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_timestudy", description=__doc__)
    parser.add_argument("--elements", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each (median)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}\n"
    )
    with scratch_data_dir() as folder:
        bench_summary(folder, args.elements, args.cycles, args.repeat, args.seed)
    drift = bench_drift(args.seed)
    exact = (
        drift.max_element_drift_ns,
        drift.max_session_drift_ns,
        drift.max_seconds_drift_ns,
        drift.face_mismatches,
        drift.laps_plus_element_off_ns,
    )
    if any(exact):
        print("\nDRIFT: the stopwatch is not exact; see the table above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
