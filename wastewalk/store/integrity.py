"""Checks that a SQLite file is whole, made read-only so a damaged file is never written to."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (SQLite URI mode=ro)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_file(path: Path, *, full: bool = False) -> list[str]:
    """Problems found in the SQLite file at `path`; an empty list means it is whole.

    `full` runs integrity_check (slow, thorough) instead of quick_check (fast, run on every open).
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return [f"cannot read the file: {exc.strerror or exc}"]
    if header != SQLITE_HEADER:
        return ["this is not a SQLite database file (its first bytes are wrong)"]
    try:
        conn = read_only_connection(path)
        try:
            pragma = "integrity_check" if full else "quick_check"
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"SQLite could not read it: {exc}"]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages
