"""Lap-to-saved latency (median, p99) while the clock repaints, against raw sqlite3.

    python -m bench.bench_lap [--laps 500] [--warmup 30] [--gap-ms 40] [--trust] [--big-study]

The real Time studies section is shown offscreen in a 1366×740 window with a five-element study
open and its 10 Hz clock repaint running. Between laps the event loop runs for `--gap-ms`, so the
clock repaints as it does while a person watches it. Each lap is a Space key press delivered
through Qt (QTest.keyClick, so the shortcut machinery is included), timed with perf_counter:

- record_reading alone: the service call inside the handler
- saved: from the key press to `record_reading` returning (one transaction, committed with
  synchronous=FULL in WAL mode: the reading is on disk)
- handled: to the end of the key handler (sheet model, summary and clock labels updated)
- painted: to the window repainted after it (`repaint()`, synchronous), what the person sees

The baseline, timed alternately in the same run, is raw sqlite3 inserting the same row into the
time_study_reading table of a copy of the database, one transaction per row, on a connection
opened through the app's engine (the same PRAGMAs: WAL, synchronous=FULL, foreign keys).

With --trust, 2,000 other studies with 200,000 readings are written into the database first (raw
sqlite3, one transaction), so the reading table and its indexes are at trust scale. With
--big-study, the study opened has 50 elements and 200 cycles already saved (10,000 readings), so
every lap redraws a big sheet and summary (`--laps` is then best kept to a few hundred).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import (
    app_configured_connection,
    copy_database,
    insert_sql,
    median,
    new_id,
    percentile,
    print_table,
    scratch_data_dir,
    stored_time,
)
from wastewalk.services import organisation
from wastewalk.services.time_studies import ElementInput, StudyInput, create_study
from wastewalk.store.database import open_database

logger = logging.getLogger(__name__)

READING_COLUMNS = (
    "id",
    "study_id",
    "element_id",
    "cycle",
    "state",
    "seconds",
    "exclude_reason",
    "sequence",
    "taken_at",
    "deleted_at",
    "created_at",
    "updated_at",
    "device_id",
)
ELEMENTS = ("Check wristband", "Prepare medicines", "Give medicines", "Fetch stock", "Record")


def fill_trust_scale(path: Path, area_id: uuid.UUID, studies: int = 2_000, cycles: int = 20) -> int:
    """Other studies' readings, so indexes are at trust scale; returns the readings written."""
    rng = random.Random(7)
    now = stored_time(dt.datetime.now(dt.UTC))
    device = str(uuid.uuid4())
    conn = sqlite3.connect(path)
    written = 0
    try:
        conn.execute("BEGIN")
        for number in range(studies):
            study = new_id(rng)
            conn.execute(
                "INSERT INTO time_study (id, name, process, area_id, observer, study_date,"
                " allowance_pct, allowance_basis, selected_time, confidence_pct, accuracy_pct,"
                " source, notes, created_at, updated_at, device_id) VALUES"
                " (?, ?, ?, ?, '', '2026-01-01', 0, 'job', 'mean', 95, 5, 'timed', '', ?, ?, ?)",
                (study, f"Filler {number}", "Filler", area_id.hex, now, now, device),
            )
            elements = [new_id(rng) for _ in ELEMENTS]
            for position, element in enumerate(elements, start=1):
                conn.execute(
                    "INSERT INTO time_study_element (id, study_id, position, name, value_class,"
                    " rating_pct, created_at, updated_at, device_id)"
                    " VALUES (?, ?, ?, ?, 'va', 100, ?, ?, ?)",
                    (element, study, position, f"Step {position}", now, now, device),
                )
            rows = []
            for cycle in range(1, cycles + 1):
                for position, element in enumerate(elements, start=1):
                    sequence = (cycle - 1) * len(elements) + position
                    seconds = rng.uniform(3, 60)
                    stamps = (now, None, now, now, device)
                    rows.append(
                        (
                            new_id(rng),
                            study,
                            element,
                            cycle,
                            "valid",
                            seconds,
                            "",
                            sequence,
                            *stamps,
                        )
                    )
            conn.executemany(insert_sql("time_study_reading", READING_COLUMNS), rows)
            written += len(rows)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return written


def set_up(
    path: Path, trust: bool, element_count: int = len(ELEMENTS), cycles_before: int = 0
) -> tuple[uuid.UUID, list[uuid.UUID], int]:
    """A database with one study to time; (study id, element ids, readings written by hand)."""
    names = [ELEMENTS[i] if i < len(ELEMENTS) else f"Step {i + 1}" for i in range(element_count)]
    db = open_database(str(path), daily_backup=False)
    try:
        csu = organisation.create_csu(db, "Medicine")
        area = organisation.create_area(db, csu.id, "Ward 7 (Rowan)")
        study = create_study(
            db,
            StudyInput(
                name="Morning drug round",
                area_id=area.id,
                study_date=dt.date.today(),
                elements=tuple(ElementInput(name) for name in names),
                allowance_pct=12,
            ),
        )
    finally:
        db.close()
    element_ids = [e.id for e in study.elements]
    written = fill_trust_scale(path, area.id) if trust else 0
    if cycles_before:
        written += prefill(path, study.id, element_ids, cycles_before)
    return study.id, element_ids, written


def prefill(path: Path, study_id: uuid.UUID, element_ids: list[uuid.UUID], cycles: int) -> int:
    """Readings already taken in the study to be timed: `cycles` complete cycles."""
    rng = random.Random(5)
    now = stored_time(dt.datetime.now(dt.UTC))
    device = str(uuid.uuid4())
    rows = []
    for cycle in range(1, cycles + 1):
        for position, element in enumerate(element_ids, start=1):
            sequence = (cycle - 1) * len(element_ids) + position
            seconds = rng.uniform(3, 60)
            rows.append(
                (new_id(rng), study_id.hex, element.hex, cycle, "valid", seconds, "", sequence)
            )
    rows = [(*row, now, None, now, now, device) for row in rows]
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.executemany(insert_sql("time_study_reading", READING_COLUMNS), rows)
    finally:
        conn.close()
    return len(rows)


class Stamp:
    """Wraps `record_reading` where the timing screen calls it, noting when it returned."""

    def __init__(self, inner: Callable[..., Any]) -> None:
        self.inner = inner
        self.called = 0.0
        self.returned = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.called = time.perf_counter()
        result = self.inner(*args, **kwargs)
        self.returned = time.perf_counter()
        return result


def measure(
    app_path: Path,
    raw_path: Path,
    study_id: uuid.UUID,
    element_ids: list[uuid.UUID],
    laps: int,
    warmup: int,
    gap_ms: int,
    cycles_before: int = 0,
) -> dict[str, list[float]]:
    """Milliseconds per lap: saved, handled, painted (the screen) and raw sqlite3."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow

    from wastewalk.ui.scope import Scope
    from wastewalk.ui.timestudy import timing_screen
    from wastewalk.ui.timestudy.section import TimeStudiesSection

    app = QApplication.instance() or QApplication([])
    stamp = Stamp(timing_screen.record_reading)
    timing_screen.record_reading = stamp  # type: ignore[assignment]
    db = open_database(str(app_path), daily_backup=False)
    times: dict[str, list[float]] = {
        "record_reading": [],
        "saved": [],
        "handled": [],
        "painted": [],
        "raw": [],
    }
    rng = random.Random(11)
    device = str(uuid.uuid4())
    sql = insert_sql("time_study_reading", READING_COLUMNS)
    try:
        window = QMainWindow()
        section = TimeStudiesSection(db, Scope())
        window.setCentralWidget(section)
        window.resize(1366, 740)
        window.show()
        window.activateWindow()
        while QApplication.activeWindow() is not window:
            QTest.qWait(10)
        section.open_study(study_id)
        screen = section.timing
        assert screen.repaint_timer.isActive()
        QTest.qWait(50)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # starts the clock
        with app_configured_connection(raw_path) as raw:
            for lap in range(warmup + laps):
                QTest.qWait(gap_ms)  # the clock repaints meanwhile
                before = screen.cells.copy()
                began = time.perf_counter()
                QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
                handled = time.perf_counter()
                window.repaint()
                painted = time.perf_counter()
                assert len(screen.cells) == len(before) + 1, screen.status.text()

                cycle, position = divmod(lap, len(element_ids))
                cycle += cycles_before + 1
                sequence = cycles_before * len(element_ids) + lap + 1
                now = stored_time(dt.datetime.now(dt.UTC))
                row = (new_id(rng), study_id.hex, element_ids[position].hex, cycle)
                row += ("valid", 0.04 + gap_ms / 1000, "", sequence, now, None, now, now, device)
                raw_began = time.perf_counter()
                raw.execute("BEGIN")
                raw.execute(sql, row)
                raw.execute("COMMIT")
                raw_done = time.perf_counter()
                if lap >= warmup:
                    times["record_reading"].append((stamp.returned - stamp.called) * 1000)
                    times["saved"].append((stamp.returned - began) * 1000)
                    times["handled"].append((handled - began) * 1000)
                    times["painted"].append((painted - began) * 1000)
                    times["raw"].append((raw_done - raw_began) * 1000)
        repaints = screen.repaint_timer.isActive()
        window.close()
        app.processEvents()
        assert repaints
    finally:
        timing_screen.record_reading = stamp.inner  # type: ignore[assignment]
        db.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_lap", description=__doc__)
    parser.add_argument("--laps", type=int, default=500, help="timed laps")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--gap-ms", type=int, default=40, help="event loop time between laps")
    parser.add_argument("--trust", action="store_true", help="also with 200,000 other readings")
    parser.add_argument(
        "--big-study", action="store_true", help="also timing a study of 50 x 200 readings"
    )
    args = parser.parse_args(argv)

    print(
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {args.laps} laps after {args.warmup} warm-up laps, "
        f"{args.gap_ms} ms of event loop (clock repaints) between laps\n"
    )
    rows = []
    cases = [("fresh database", False, len(ELEMENTS), 0)]
    if args.trust:
        cases.append(("200k other readings", True, len(ELEMENTS), 0))
    if args.big_study:
        cases.append(("50 x 200 study open", False, 50, 200))
    for label, trust, element_count, cycles_before in cases:
        with scratch_data_dir() as folder:
            app_path, raw_path = folder / "app.sqlite", folder / "raw.sqlite"
            study_id, element_ids, filler = set_up(app_path, trust, element_count, cycles_before)
            copy_database(app_path, raw_path)  # same schema, rows and ids
            times = measure(
                app_path,
                raw_path,
                study_id,
                element_ids,
                args.laps,
                args.warmup,
                args.gap_ms,
                cycles_before,
            )
        raw_median = median(times["raw"])
        names = {
            "record_reading": "record_reading alone",
            "saved": "Space → saved",
            "handled": "Space → handled",
            "painted": "Space → painted",
            "raw": "raw sqlite3 INSERT + COMMIT",
        }
        for what, name in names.items():
            values = times[what]
            rows.append(
                [
                    f"{label}: {name}",
                    f"{median(values):.2f}",
                    f"{percentile(values, 0.99):.2f}",
                    f"{max(values):.2f}",
                    f"{median(values) / raw_median:.1f}x",
                ]
            )
        if filler:
            print(f"({label}: {filler:,} readings written before timing)")
    print_table(["lap (ms)", "median", "p99", "max", "vs raw median"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
