"""Helpers shared by the benchmarks: stored-value formats, app-configured connections, tables."""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import sqlite3
import statistics
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from wastewalk.store import paths
from wastewalk.store.engine import make_engine, to_url

OBSERVATION_COLUMNS = (
    "id",
    "walk_id",
    "category_id",
    "description",
    "location",
    "observed_at",
    "impact",
    "frequency",
    "ease",
    "domain_quality",
    "domain_delivery",
    "domain_service",
    "domain_morale",
    "domain_cost",
    "countermeasure",
    "suspected_identifier",
    "identifier_confirmed",
    "deleted_at",
    "created_at",
    "updated_at",
    "device_id",
)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """An INSERT with one placeholder per column."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def new_id(rng: random.Random) -> str:
    """A random version-4 UUID as SQLAlchemy's `Uuid` stores it on SQLite: 32 hex digits."""
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def stored_time(moment: dt.datetime) -> str:
    """A UTC time as `UTCDateTime` stores it on SQLite: naive, 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds")


@contextmanager
def scratch_data_dir() -> Iterator[Path]:
    """A throwaway temp folder, also used as WASTEWALK_DATA_DIR (device id, backups) meanwhile.

    Benchmarks must never write backups or a device id into the user's real data folder.
    """
    old = os.environ.get(paths.ENV_DATA_DIR)
    with tempfile.TemporaryDirectory(prefix="wastewalk-bench-") as folder:
        os.environ[paths.ENV_DATA_DIR] = str(Path(folder) / "data")
        try:
            yield Path(folder)
        finally:
            if old is None:
                os.environ.pop(paths.ENV_DATA_DIR, None)
            else:
                os.environ[paths.ENV_DATA_DIR] = old


@contextmanager
def app_configured_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection opened through the app's own engine, so it carries exactly the
    app's per-connection PRAGMAs (WAL, synchronous=FULL, foreign_keys=ON, busy_timeout) and
    autocommit mode: a baseline that cannot drift from what the program does."""
    engine = make_engine(to_url(str(path)))
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        yield connection
    finally:
        pooled.close()
        engine.dispose()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (safe even with a -wal file beside it)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share 0.99 → p99)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A small fixed-width table: first column left-aligned, the rest right-aligned."""
    cells = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )

    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))
