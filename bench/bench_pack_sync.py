"""Pack export and import of 10,000 observations with 200 photos, against raw sqlite3 executemany.

    python -m bench.bench_pack_sync [--observations 10000] [--photos 200] [--repeat 3]
                                    [--target URL]

A database is generated (bench.generate: 2 CSUs, 10 areas, 400 walks, the observations) and
`--photos` photos (640 x 480 JPEGs of noise, about 100 KB each, through services.photos) are
attached to the first observations. Then, timed with perf_counter, in each of `--repeat` rounds:

- **export**: services.pack_export.export_pack of everything;
- **import**: services.pack_import.import_pack into an empty database (migrated, nothing else);
- **re-import**: the same pack into the same database again (every record identical);
- **raw**: the same rows read from the source with plain sqlite3 and written by executemany into an
  empty copy of the schema in one transaction, on a connection with the app's PRAGMAs (WAL,
  synchronous=FULL, foreign keys on): the floor for writing those rows at all.

With `--target URL` (e.g. a PostgreSQL database, which must be empty or not yet migrated) the
import and re-import go there instead of an empty SQLite file. On PostgreSQL a second floor is
timed: **raw target**, the same rows (read beforehand, untimed) written by psycopg's executemany
into the emptied target in one transaction.
Targets (issue 7): import under 5 s, re-import under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import logging
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select, text

from bench.common import app_configured_connection, median, print_table, scratch_data_dir
from bench.generate import generate
from wastewalk.models import Base, Observation
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_import import import_pack
from wastewalk.services.pack_records import PACK_TABLES
from wastewalk.services.photos import attach_photo
from wastewalk.store.database import Database, open_database

logger = logging.getLogger(__name__)

IMPORT_TARGET_S, REIMPORT_TARGET_S = 5.0, 1.0
NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def make_source(path: Path, observations: int, photos: int) -> None:
    """The generated database with `photos` photos on its first observations."""
    generate(path, csus=2, areas=10, walks=400, observations=observations, now=NOW)
    db = open_database(str(path), daily_backup=False)
    try:
        with db.session() as session:
            owners = list(
                session.scalars(select(Observation.id).order_by(Observation.id).limit(photos))
            )
        rng = random.Random(7)
        for number, owner in enumerate(owners):
            image = Image.frombytes("RGB", (640, 480), rng.randbytes(640 * 480 * 3))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=60)
            attach_photo(db, owner, f"photo-{number}.jpg", out.getvalue())
    finally:
        db.close()


# Tables the migrations fill (shipped rows): emptied before a raw copy brings the source's.
SHIPPED = ("waste_category", "activity_category", "staff_rate", "app_setting")


def _insert_all(cursor: Any, table: str, columns: list[str], rows: list[Any], mark: str) -> None:
    """executemany of `rows` into `table` on a DB-API cursor whose placeholder is `mark`."""
    if table in SHIPPED:
        cursor.execute(f"DELETE FROM {table}")
    marks = ", ".join(mark for _ in columns)
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def raw_copy(source: Path, target: Path) -> float:
    """Seconds to copy every pack table's rows source -> empty target by sqlite3 executemany."""
    db = open_database(str(target), daily_backup=False)
    db.close()
    with app_configured_connection(source) as src, app_configured_connection(target) as dst:
        started = time.perf_counter()
        dst.execute("BEGIN")
        for table, _ in PACK_TABLES:
            cursor = src.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            _insert_all(dst.cursor(), table, columns, cursor.fetchall(), "?")
        dst.execute("COMMIT")
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observations", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--target", help="import into this database URL instead of SQLite")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with scratch_data_dir() as folder:
        source = folder / "source.sqlite"
        started = time.perf_counter()
        make_source(source, args.observations, args.photos)
        print(
            f"source made in {time.perf_counter() - started:.1f} s "
            f"({args.observations:,} observations, {args.photos} photos)"
        )
        figures: dict[str, list[float]] = {"export": [], "import": [], "re-import": [], "raw": []}
        postgresql = bool(args.target) and args.target.startswith("postgresql")
        if postgresql:
            figures["raw target"] = []
        src_db = open_database(str(source), daily_backup=False)
        records = 0
        for round_number in range(args.repeat):
            pack = folder / f"round{round_number}.wwpack"
            started = time.perf_counter()
            done = export_pack(src_db, pack)
            figures["export"].append(time.perf_counter() - started)
            records = sum(done.records.values())
            if args.target:
                target_db = open_database(args.target, daily_backup=False)
                _empty(target_db)
            else:
                target_db = open_database(
                    str(folder / f"target{round_number}.sqlite"), daily_backup=False
                )
            started = time.perf_counter()
            first = import_pack(target_db, pack)
            figures["import"].append(time.perf_counter() - started)
            assert first.preview.conflict_count == 0
            started = time.perf_counter()
            again = import_pack(target_db, pack)
            figures["re-import"].append(time.perf_counter() - started)
            assert again.preview.identical == first.preview.records
            if postgresql:
                _empty(target_db)
                figures["raw target"].append(raw_copy_to(src_db, target_db))
            target_db.close()
            figures["raw"].append(raw_copy(source, folder / f"raw{round_number}.sqlite"))
        src_db.close()
        size = os.path.getsize(folder / "round0.wwpack")
    print(
        f"pack: {records:,} records, {size / 1_048_576:.1f} MB; Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}; "
        f"target {'SQLite file' if not args.target else args.target.split('@')[-1]}"
    )
    rows = [
        [name, f"{median(values):.2f}", f"{min(values):.2f}", f"{max(values):.2f}"]
        for name, values in figures.items()
    ]
    print_table(["step (s)", "median", "min", "max"], rows)
    ratio = median(figures["import"]) / median(figures["raw"])
    print(f"import / raw executemany: {ratio:.1f}x")
    if figures.get("raw target"):
        ratio = median(figures["import"]) / median(figures["raw target"])
        print(f"import / raw executemany into the target: {ratio:.1f}x")
    ok = (
        median(figures["import"]) < IMPORT_TARGET_S
        and median(figures["re-import"]) < REIMPORT_TARGET_S
    )
    print(
        f"targets: import < {IMPORT_TARGET_S:.0f} s, re-import < {REIMPORT_TARGET_S:.0f} s: "
        + ("met" if ok else "NOT met")
    )
    return 0


def raw_copy_to(source: Database, target: Database) -> float:
    """Seconds for psycopg's executemany of every pack table's rows (read from `source`
    beforehand, as Python values) into the emptied PostgreSQL `target`, in one transaction."""
    tables: list[tuple[str, list[str], list[tuple[object, ...]]]] = []
    with source.session() as session:
        for name, _ in PACK_TABLES:
            table = Base.metadata.tables[name]
            columns = [c.name for c in table.columns]
            tables.append((name, columns, [tuple(r) for r in session.execute(select(table))]))
    connection = target.engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        for name, columns, rows in tables:
            _insert_all(cursor, name, columns, rows, "%s")
        connection.commit()
        return time.perf_counter() - started
    finally:
        connection.close()


def _empty(db: Database) -> None:
    """Clear a --target database of pack tables and bookkeeping, children first."""
    with db.session() as session:
        for table in ("pack_conflict", "pack_import_log", "record_sync_state"):
            session.execute(text(f"DELETE FROM {table}"))
        for table, _ in reversed(PACK_TABLES):
            if table not in SHIPPED:
                session.execute(text(f"DELETE FROM {table}"))


if __name__ == "__main__":
    sys.exit(main())
