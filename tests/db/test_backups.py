"""Backups a ward team falls back on: daily (keep seven), on request while in use, and restore."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from wastewalk.domain.errors import DatabaseError
from wastewalk.services.observations import ObservationInput, add_observation, list_observations
from wastewalk.services.organisation import create_csu, list_csus
from wastewalk.services.walks import WalkInfo
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store import backup
from wastewalk.store.database import Database, open_database


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def count(path: Path, table: str) -> int:
    conn = read_only(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def quick_check(path: Path) -> str:
    conn = read_only(path)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()


def dailies(db_path: Path) -> list[str]:
    return sorted(p.name for p in backup.backup_folder_for(db_path).glob("daily-*.sqlite"))


def record(db: Database, walk: WalkInfo, category: WasteCategoryInfo, how_many: int) -> None:
    for number in range(how_many):
        add_observation(
            db, walk.id, ObservationInput(category.id, f"Searched for a hoist, {number}")
        )


# --- automatic daily backups ----------------------------------------------------------------------


def test_opening_an_existing_file_makes_one_backup_a_day(db_path: Path) -> None:
    open_database(str(db_path)).close()
    assert dailies(db_path) == []  # a brand-new file has nothing worth copying yet

    open_database(str(db_path)).close()
    today = dt.datetime.now(dt.UTC).date()
    assert dailies(db_path) == [f"daily-{today.isoformat()}.sqlite"]

    open_database(str(db_path)).close()
    assert len(dailies(db_path)) == 1


def test_daily_backups_keep_the_newest_seven(db_path: Path) -> None:
    open_database(str(db_path)).close()
    made = []
    for day in range(1, 11):
        made.append(backup.daily_backup(db_path, today=dt.date(2026, 3, day)))
        # A second open the same day makes no second copy.
        assert backup.daily_backup(db_path, today=dt.date(2026, 3, day)) is None
    assert all(path is not None for path in made)
    assert dailies(db_path) == [f"daily-2026-03-{day:02d}.sqlite" for day in range(4, 11)]


def test_backups_live_in_the_data_folder_per_database(tmp_path: Path, data_dir: Path) -> None:
    # Two wards' files with the same name in different folders never share backups.
    first = tmp_path / "ward7" / "wastewalk.sqlite"
    second = tmp_path / "ward9" / "wastewalk.sqlite"
    for path in (first, second):
        open_database(str(path)).close()
        open_database(str(path)).close()
    folders = {backup.backup_folder_for(first), backup.backup_folder_for(second)}
    assert len(folders) == 2
    assert all(folder.is_relative_to(data_dir) for folder in folders)
    assert not list((tmp_path / "ward7").glob("daily-*"))
    assert dailies(first)
    assert dailies(second)


def test_daily_backup_holds_the_data_and_is_a_single_file(
    db: Database, db_path: Path, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    record(db, walk, categories["motion"], 12)
    made = backup.daily_backup(db_path, today=dt.date(2026, 3, 2))
    assert made is not None
    assert quick_check(made) == "ok"
    assert count(made, "observation") == 12
    assert not made.with_name(made.name + "-wal").exists()
    conn = read_only(made)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


# --- backups on request ---------------------------------------------------------------------------


def test_backup_is_consistent_while_another_program_is_writing(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    walk: WalkInfo,
    categories: dict[str, WasteCategoryInfo],
) -> None:
    # Committed saves still in the write-ahead log (the database is open) must be in the copy.
    record(db, walk, categories["waiting"], 20)
    assert db_path.with_name(db_path.name + "-wal").stat().st_size > 0

    writer = sqlite3.connect(db_path, isolation_level=None, timeout=10)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE observation SET description = 'half-written'")
        writer.execute("DELETE FROM participant")

        out = backup.backup_to(db_path, tmp_path / "copies" / "on-request.sqlite")

        assert quick_check(out) == "ok"
        assert count(out, "observation") == 20
        conn = read_only(out)
        try:
            descriptions = {r[0] for r in conn.execute("SELECT description FROM observation")}
        finally:
            conn.close()
        assert "half-written" not in descriptions
        assert not out.with_name(out.name + ".partial").exists()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert len(list_observations(db, walk.id)) == 20


def test_backup_onto_the_database_itself_is_refused(db: Database, db_path: Path) -> None:
    create_csu(db, "Surgery")
    db.close()
    before = file_digest(db_path)
    for same in (db_path, db_path.parent / "." / db_path.name):
        with pytest.raises(DatabaseError, match="cannot overwrite"):
            backup.backup_to(db_path, same)
    assert file_digest(db_path) == before
    assert count(db_path, "csu") == 1


def test_backup_replaces_an_older_copy_only_when_complete(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "weekly.sqlite"
    create_csu(db, "Surgery")
    backup.backup_to(db_path, out)
    create_csu(db, "Medicine")
    backup.backup_to(db_path, out)
    assert count(out, "csu") == 2
    assert sorted(p.name for p in tmp_path.glob("weekly*")) == ["weekly.sqlite"]


# --- restore --------------------------------------------------------------------------------------


def test_restore_puts_the_backup_in_place_and_keeps_the_current_file(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    create_csu(db, "Surgery")
    saved = backup.backup_to(db_path, tmp_path / "before-medicine.sqlite")
    create_csu(db, "Medicine")
    db.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    current = file_digest(db_path)

    kept = backup.restore(db_path, saved)

    assert kept.name.startswith(backup.RESTORE_PREFIX)
    assert file_digest(kept) == current
    assert count(kept, "csu") == 2
    reopened = open_database(str(db_path))
    try:
        assert [c.name for c in list_csus(reopened)] == ["Surgery"]
    finally:
        reopened.close()


def test_restore_keeps_saves_still_in_the_write_ahead_log(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    # A file left by a killed program: its last saves are only in -wal beside it.
    saved = backup.backup_to(db_path, tmp_path / "empty.sqlite")
    create_csu(db, "Surgery")
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0
    main_bytes, wal_bytes = db_path.read_bytes(), wal.read_bytes()
    db.close()  # a clean close folds the log in; put the crashed state back by hand
    db_path.write_bytes(main_bytes)
    wal.write_bytes(wal_bytes)

    kept = backup.restore(db_path, saved)

    assert not wal.exists() or wal.stat().st_size == 0
    assert count(kept, "csu") == 1  # main file and its log were kept together
    assert count(db_path, "csu") == 0


def test_restoring_a_kept_copy_brings_back_the_saves_in_its_log(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    # Undoing a restore: the pre-restore copy carries its -wal, and restoring it must use it.
    saved = backup.backup_to(db_path, tmp_path / "empty.sqlite")
    create_csu(db, "Surgery")
    wal = db_path.with_name(db_path.name + "-wal")
    main_bytes, wal_bytes = db_path.read_bytes(), wal.read_bytes()
    db.close()
    db_path.write_bytes(main_bytes)
    wal.write_bytes(wal_bytes)
    kept = backup.restore(db_path, saved)

    backup.restore(db_path, kept)

    assert count(db_path, "csu") == 1


def test_restore_refuses_a_damaged_backup_and_leaves_the_database(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    create_csu(db, "Surgery")
    db.close()
    before = file_digest(db_path)
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all")

    with pytest.raises(DatabaseError, match="cannot be used"):
        backup.restore(db_path, broken)

    assert file_digest(db_path) == before
    assert list(backup.backup_folder_for(db_path).glob(f"{backup.RESTORE_PREFIX}*")) == []


def test_latest_good_backup_skips_a_damaged_one(db: Database, db_path: Path) -> None:
    create_csu(db, "Surgery")
    older = backup.daily_backup(db_path, today=dt.date(2026, 3, 1))
    newer = backup.daily_backup(db_path, today=dt.date(2026, 3, 2))
    assert older is not None
    assert newer is not None
    # Make the order unambiguous whatever the file system's timestamp resolution.
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_086_400, 1_700_086_400))
    assert backup.latest_good_backup(db_path) == newer

    newer.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    os.utime(newer, (1_700_086_400, 1_700_086_400))
    assert backup.latest_good_backup(db_path) == older
