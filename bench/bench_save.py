"""Durable single-observation save latency: the service against raw sqlite3.

    python -m bench.bench_save [--n 300] [--warmup 30] [--big | --db GENERATED.sqlite]

Each timed call of `services.observations.add_observation` is its own transaction, committed
with synchronous=FULL in WAL mode (what the app does on every Enter). The baseline inserts one row
with the same columns per transaction through plain sqlite3 on a second file with the same schema,
data and per-connection PRAGMAs. The two are timed alternately, so disk hiccups fall on both alike.

With --big (or --db) the same is measured again on copies of a trust-scale database (250,000
observations), where every insert also updates four indexes on a big table.
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
from pathlib import Path

from bench.common import (
    OBSERVATION_COLUMNS,
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
from bench.generate import generate
from wastewalk.services import observations as observation_service
from wastewalk.services import organisation, walks, wastes
from wastewalk.services.observations import ObservationInput
from wastewalk.store.database import open_database

logger = logging.getLogger(__name__)

DESCRIPTIONS = [
    "Nurse walked to the far store for dressing packs.",
    "Patient waited for medicines to take home since the morning.",
    "Missing drug chart delayed the round.",
    "Printed observation charts nobody reads.",
]


def fresh_database(path: Path) -> tuple[uuid.UUID, uuid.UUID]:
    """A new database with one CSU, area and walk; returns (walk id, category id)."""
    db = open_database(str(path), daily_backup=False)
    try:
        csu = organisation.create_csu(db, "Medicine")
        area = organisation.create_area(db, csu.id, "Ward 7 (Rowan)")
        walk = walks.start_walk(
            db, area.id, participants=[walks.ParticipantInput("Amina Khan", "staff")]
        )
        category = next(c for c in wastes.list_categories(db) if c.code == "motion")
        return walk.id, category.id
    finally:
        db.close()


def existing_walk(path: Path) -> tuple[uuid.UUID, uuid.UUID]:
    """The most recent walk and the 'motion' category of a generated database."""
    conn = sqlite3.connect(path)
    try:
        (walk,) = conn.execute("SELECT id FROM walk ORDER BY started_at DESC LIMIT 1").fetchone()
        (category,) = conn.execute("SELECT id FROM waste_category WHERE code = 'motion'").fetchone()
    finally:
        conn.close()
    return uuid.UUID(walk), uuid.UUID(category)


def measure(
    app_path: Path, raw_path: Path, walk_id: uuid.UUID, category_id: uuid.UUID, n: int, warmup: int
) -> tuple[list[float], list[float]]:
    """Milliseconds per durable save: (service, raw sqlite3), alternating, after a warm-up."""
    rng = random.Random(3)
    sql = insert_sql("observation", OBSERVATION_COLUMNS)
    device = str(uuid.uuid4())
    service_ms: list[float] = []
    raw_ms: list[float] = []
    db = open_database(str(app_path), daily_backup=False)
    try:
        with app_configured_connection(raw_path) as raw:
            for i in range(warmup + n):
                description = rng.choice(DESCRIPTIONS)
                data = ObservationInput(
                    category_id=category_id,
                    description=description,
                    location="bay 3 sluice",
                    impact=3,
                    ease=2,
                    domains=frozenset({"quality"}),
                )
                began = time.perf_counter()
                observation_service.add_observation(db, walk_id, data)
                saved = time.perf_counter()

                now = stored_time(dt.datetime.now(dt.UTC))
                row = (new_id(rng), walk_id.hex, category_id.hex, description, "bay 3 sluice")
                row += (now, 3, "", 2, 1, 0, 0, 0, 0, "", 0, 0, None, now, now, device)
                raw.execute("BEGIN")
                raw.execute(sql, row)
                raw.execute("COMMIT")
                done = time.perf_counter()
                if i >= warmup:
                    service_ms.append((saved - began) * 1000)
                    raw_ms.append((done - saved) * 1000)
    finally:
        db.close()
    return service_ms, raw_ms


def result_row(label: str, service_ms: list[float], raw_ms: list[float]) -> list[str]:
    s_med, s_p99 = median(service_ms), percentile(service_ms, 0.99)
    r_med, r_p99 = median(raw_ms), percentile(raw_ms, 0.99)
    return [
        label,
        f"{s_med:.2f}",
        f"{s_p99:.2f}",
        f"{r_med:.2f}",
        f"{r_p99:.2f}",
        f"{s_med / r_med:.2f}x",
        f"{s_p99 / r_p99:.2f}x",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_save", description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="timed saves per method")
    parser.add_argument("--warmup", type=int, default=30)
    big = parser.add_mutually_exclusive_group()
    big.add_argument("--big", action="store_true", help="also on a generated 250k database")
    big.add_argument("--db", type=Path, help="also on copies of this generated database")
    args = parser.parse_args(argv)

    print(
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; n={args.n} after {args.warmup} warm-up saves\n"
    )
    rows = []
    with scratch_data_dir() as folder:
        app_path, raw_path = folder / "app.sqlite", folder / "raw.sqlite"
        walk_id, category_id = fresh_database(app_path)
        copy_database(app_path, raw_path)  # same schema, same rows, same ids
        rows.append(
            result_row(
                "fresh database",
                *measure(app_path, raw_path, walk_id, category_id, args.n, args.warmup),
            )
        )
        if args.big or args.db:
            source = args.db
            if source is None:
                source = folder / "generated.sqlite"
                print("generating a 250,000-observation database ...", flush=True)
                generate(source)
            big_app, big_raw = folder / "big-app.sqlite", folder / "big-raw.sqlite"
            copy_database(source, big_app)
            copy_database(source, big_raw)
            walk_id, category_id = existing_walk(big_app)
            rows.append(
                result_row(
                    "250k observations",
                    *measure(big_app, big_raw, walk_id, category_id, args.n, args.warmup),
                )
            )
    print_table(
        [
            "add_observation (ms)",
            "median",
            "p99",
            "raw median",
            "raw p99",
            "ratio median",
            "ratio p99",
        ],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
