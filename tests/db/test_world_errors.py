"""Failures of the machine (a full disk, a read-only file) reach the user as plain words, and
nothing half-written is left behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from wastewalk.domain.errors import DatabaseError
from wastewalk.services.observations import ObservationInput, add_observation, list_observations
from wastewalk.services.walks import WalkInfo
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store.database import Database


def fill_the_disk(db: Database) -> None:
    # SQLite's own "database or disk is full" path: cap the file at the pages it already has.
    with db.session() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        session.execute(text(f"PRAGMA max_page_count = {pages}"))
        for _ in range(50):
            session.execute(
                text(
                    "INSERT INTO trust (id, name, created_at, updated_at, device_id) "
                    "VALUES (lower(hex(randomblob(16))), hex(randomblob(2000)), "
                    "'2026-01-01', '2026-01-01', 'x')"
                )
            )


def write_to_a_read_only_file(db: Database) -> None:
    with db.session() as session:
        session.execute(text("PRAGMA query_only = ON"))
        session.execute(text("DELETE FROM participant"))


def test_a_full_disk_is_a_plain_message_and_loses_nothing(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    waiting = categories["waiting"].id
    add_observation(db, walk.id, ObservationInput(waiting, "TTOs late"))
    with pytest.raises(DatabaseError, match="disk is full") as caught:
        fill_the_disk(db)
    db.engine.dispose()  # drop the connection that carries the page cap
    assert "everything saved before is safe" in str(caught.value)
    assert [o.description for o in list_observations(db, walk.id)] == ["TTOs late"]
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        assert conn.execute("SELECT count(*) FROM trust").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_read_only_file_is_a_plain_message(
    db_path: Path, db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    waiting = categories["waiting"].id
    with pytest.raises(DatabaseError, match="read-only"):
        write_to_a_read_only_file(db)
    db.engine.dispose()  # drop the connection that was made read-only
    session_count = len(list_observations(db, walk.id))
    add_observation(db, walk.id, ObservationInput(waiting, "still saves afterwards"))
    assert len(list_observations(db, walk.id)) == session_count + 1
