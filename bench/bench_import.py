"""Bulk CSV import rate: the observations importer against raw sqlite3.

    python -m bench.bench_import [--rows 20000]

A CSV of `date,csu,area,waste,description,location,impact,ease` rows (the importer's format) is
written for 5 CSUs of 6 areas each, made first through the organisation service. The importer,
`wastewalk.services.import_observations.import_observations(db, path)`, is timed from file to
commit. The baseline, on a copy of the same database with the app's PRAGMAs, parses the same file
with the csv module and inserts the equivalent rows in one transaction: one walk per area and day,
then its observations, at 09:00 UK time as the importer places them.
"""

from __future__ import annotations

import argparse
import csv
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
from zoneinfo import ZoneInfo

from bench.common import (
    OBSERVATION_COLUMNS,
    app_configured_connection,
    copy_database,
    insert_sql,
    new_id,
    print_table,
    scratch_data_dir,
    stored_time,
)
from bench.generate import CSU_NAMES, LOCATIONS, PHRASES, WARD_NAMES, describe
from wastewalk.services import organisation
from wastewalk.store.database import open_database

logger = logging.getLogger(__name__)

CSV_COLUMNS = ["date", "csu", "area", "waste", "description", "location", "impact", "ease"]
CSUS, AREAS_PER_CSU = 5, 6
UK = ZoneInfo("Europe/London")  # the importer places a walk with no time at 09:00 UK time
WALK_COLUMNS = ("id", "area_id", "started_at", "ended_at", "focus", "status", "notes")
WALK_COLUMNS += ("created_at", "updated_at", "device_id")


def make_organisation(path: Path) -> list[tuple[str, str]]:
    """A new database with the CSUs and areas the CSV names; returns (csu, area) name pairs."""
    db = open_database(str(path), daily_backup=False)
    pairs = []
    try:
        for c in range(CSUS):
            csu = organisation.create_csu(db, CSU_NAMES[c])
            for a in range(AREAS_PER_CSU):
                area = organisation.create_area(db, csu.id, f"{WARD_NAMES[a]} Ward")
                pairs.append((csu.name, area.name))
    finally:
        db.close()
    return pairs


def write_csv(path: Path, rows: int, pairs: list[tuple[str, str]]) -> None:
    """`rows` believable observations over the last 200 days, as a paper sheet would be typed."""
    rng = random.Random(5)
    today = dt.date.today()
    codes = list(PHRASES)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for _ in range(rows):
            code = rng.choice(codes)
            csu, area = rng.choice(pairs)
            writer.writerow(
                [
                    (today - dt.timedelta(days=rng.randrange(200))).isoformat(),
                    csu,
                    area,
                    code,
                    describe(rng, code),
                    rng.choice(LOCATIONS),
                    rng.randint(1, 5),
                    rng.randint(1, 5),
                ]
            )


def app_import(db_path: Path, csv_path: Path) -> float:
    """Seconds the importer takes for the whole file."""
    try:
        from wastewalk.services.import_observations import import_observations
    except ImportError as exc:
        raise SystemExit(f"the importer is not available yet: {exc}") from exc
    db = open_database(str(db_path), daily_backup=False)
    try:
        began = time.perf_counter()
        import_observations(db, csv_path)
        return time.perf_counter() - began
    finally:
        db.close()


def raw_import(db_path: Path, csv_path: Path) -> float:
    """Seconds for plain sqlite3 to parse the file and insert walks and observations."""
    rng = random.Random(6)
    device = str(uuid.uuid4())
    walk_sql = insert_sql("walk", WALK_COLUMNS)
    observation_sql = insert_sql("observation", OBSERVATION_COLUMNS)
    with app_configured_connection(db_path) as conn:
        began = time.perf_counter()
        areas = {
            (csu, area): area_id
            for csu, area, area_id in conn.execute(
                "SELECT csu.name, area.name, area.id FROM area JOIN csu ON csu.id = area.csu_id"
            )
        }
        categories = dict(conn.execute("SELECT code, id FROM waste_category"))
        now = stored_time(dt.datetime.now(dt.UTC))
        walks: dict[tuple[str, str], str] = {}
        conn.execute("BEGIN")
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                area_id = areas[row["csu"], row["area"]]
                day = dt.date.fromisoformat(row["date"])
                when = stored_time(dt.datetime.combine(day, dt.time(9), tzinfo=UK))
                walk_id = walks.get((area_id, when))
                if walk_id is None:
                    walk_id = walks[area_id, when] = new_id(rng)
                    conn.execute(
                        walk_sql,
                        (walk_id, area_id, when, when, "", "complete", "", now, now, device),
                    )
                conn.execute(
                    observation_sql,
                    (
                        new_id(rng),
                        walk_id,
                        categories[row["waste"]],
                        row["description"],
                        row["location"],
                        when,
                        int(row["impact"]),
                        "",
                        int(row["ease"]),
                        *(0, 0, 0, 0, 0),
                        "",
                        0,
                        0,
                        None,
                        now,
                        now,
                        device,
                    ),
                )
        conn.execute("COMMIT")
        return time.perf_counter() - began


def row_counts(path: Path) -> tuple[int, int]:
    """(walks, observations) in the file."""
    conn = sqlite3.connect(path)
    try:
        walks = conn.execute("SELECT count(*) FROM walk").fetchone()[0]
        return walks, conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_import", description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args(argv)

    print(
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {args.rows:,} CSV rows\n"
    )
    with scratch_data_dir() as folder:
        app_path, raw_path, csv_path = (
            folder / "app.sqlite",
            folder / "raw.sqlite",
            folder / "obs.csv",
        )
        pairs = make_organisation(app_path)
        copy_database(app_path, raw_path)
        write_csv(csv_path, args.rows, pairs)
        raw_seconds = raw_import(raw_path, csv_path)
        app_seconds = app_import(app_path, csv_path)
        app_counts, raw_counts = row_counts(app_path), row_counts(raw_path)
    if app_counts != raw_counts or app_counts[1] != args.rows:
        print(f"not like for like: (walks, observations) {app_counts} vs raw {raw_counts}")
        return 1
    app_rate, raw_rate = args.rows / app_seconds, args.rows / raw_seconds
    print_table(
        ["method", "seconds", "rows/s"],
        [
            ["import_observations", f"{app_seconds:.2f}", f"{app_rate:,.0f}"],
            ["raw sqlite3 + csv", f"{raw_seconds:.2f}", f"{raw_rate:,.0f}"],
        ],
    )
    print(f"\nraw sqlite3 is {raw_rate / app_rate:.1f}x the importer's rate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
