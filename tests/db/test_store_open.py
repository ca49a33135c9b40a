"""Opening a database file: what a ward laptop relies on before anyone records anything.

A new file is made at the current schema with the eight wastes; a file this version cannot safely
use (newer, damaged, not SQLite, not WasteWalk's) is refused with a plain message and left byte for
byte as it was; an out-of-date file is backed up and upgraded.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from wastewalk.domain.errors import DatabaseDamagedError, DatabaseError, DatabaseTooNewError
from wastewalk.models import Observation, utcnow
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu, list_areas
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store import backup, migrations
from wastewalk.store.database import Database, open_database

# PRODUCT.md, "The wastes": key, code, label.
PRODUCT_WASTES = [
    ("1", "transport", "Transport"),
    ("2", "inventory", "Inventory"),
    ("3", "motion", "Motion"),
    ("4", "waiting", "Waiting"),
    ("5", "overproduction", "Overproduction"),
    ("6", "overprocessing", "Over-processing"),
    ("7", "defects", "Defects"),
    ("8", "skills", "Unused skills"),
]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the main file, so the main file's bytes are the whole data."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def wal_is_empty(path: Path) -> bool:
    """No change waits beside the main file (a read-only open may leave an empty -wal behind)."""
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


def backup_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "backups").rglob("*.sqlite")) if data_dir.exists() else []


def populate(db: Database, observations: int = 5) -> None:
    """An area, a walk and some observations, as a ward team would leave them."""
    csu = create_csu(db, "Surgery")
    area = create_area(db, csu.id, "Theatres")
    walk = start_walk(db, area.id, focus="Turnaround")
    category = list_categories(db)[0]
    for number in range(observations):
        add_observation(
            db,
            walk.id,
            ObservationInput(category.id, f"Porter fetched notes from records, trip {number}"),
        )


def make_populated_file(path: Path, observations: int = 5) -> None:
    db = open_database(str(path))
    try:
        populate(db, observations)
    finally:
        db.close()
    checkpoint(path)


def schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def observation_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    finally:
        conn.close()


# --- a new file -----------------------------------------------------------------------------------


def test_new_file_is_made_at_head_with_the_eight_wastes(db: Database, db_path: Path) -> None:
    assert db_path.exists()
    with db.engine.connect() as connection:
        assert migrations.current_revision(connection) == migrations.head_revision()
    categories = list_categories(db)
    assert [(c.key, c.code, c.label) for c in categories] == PRODUCT_WASTES
    assert all(c.is_default and not c.archived for c in categories)
    assert [c.sort_order for c in categories] == list(range(1, 9))
    assert all(c.hint for c in categories)
    # Made, not upgraded from an older file: nothing to back up.
    assert db.upgraded_from is None
    assert db.pre_upgrade_backup is None


def test_default_wastes_have_the_same_ids_on_every_laptop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two laptops: different data folders, so different device ids.
    seen = []
    for laptop in ("laptop-a", "laptop-b"):
        monkeypatch.setenv("WASTEWALK_DATA_DIR", str(tmp_path / laptop / "data"))
        db = open_database(str(tmp_path / laptop / "wastewalk.sqlite"))
        try:
            seen.append((db.device_id, {c.code: c.id for c in list_categories(db)}))
        finally:
            db.close()
    (device_a, ids_a), (device_b, ids_b) = seen
    assert device_a != device_b
    assert len(ids_a) == 8
    assert ids_a == ids_b


def test_every_connection_is_durable_and_strict(db: Database) -> None:
    with db.session() as session, db.engine.connect() as second:
        for connection in (session.connection(), second):
            pragma = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
            }
            assert pragma["foreign_keys"] == 1
            assert pragma["journal_mode"] == "wal"
            assert pragma["synchronous"] == 2  # FULL: survives a flat battery, not just a crash
            assert pragma["busy_timeout"] > 0


def test_foreign_keys_are_enforced(db: Database) -> None:
    category = list_categories(db)[0]
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            Observation(
                walk_id=uuid.uuid4(),  # no such walk
                category_id=category.id,
                description="orphan",
                observed_at=utcnow(),
                device_id=db.device_id,
            )
        )


def test_default_location_is_the_data_folder(data_dir: Path) -> None:
    db = open_database()
    try:
        assert db.path == (data_dir / "wastewalk.sqlite").resolve()
        assert db.path.exists()
    finally:
        db.close()


def test_wastewalk_db_variable_chooses_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "elsewhere" / "ward7.sqlite"
    monkeypatch.setenv("WASTEWALK_DB", str(chosen))
    db = open_database()
    try:
        assert db.path == chosen.resolve()
        assert chosen.exists()
    finally:
        db.close()


def test_empty_zero_byte_file_becomes_a_new_database(db_path: Path) -> None:
    db_path.touch()
    db = open_database(str(db_path))
    try:
        assert len(list_categories(db)) == 8
    finally:
        db.close()


def test_folder_that_cannot_be_made_is_a_plain_error(tmp_path: Path) -> None:
    in_the_way = tmp_path / "not-a-folder"
    in_the_way.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(DatabaseError, match="Cannot create the folder"):
        open_database(str(in_the_way / "wastewalk.sqlite"))


def test_device_id_is_kept_between_opens(db_path: Path) -> None:
    first = open_database(str(db_path))
    first.close()
    second = open_database(str(db_path))
    second.close()
    assert first.device_id == second.device_id
    assert str(uuid.UUID(first.device_id)) == first.device_id


# --- reopening ------------------------------------------------------------------------------------


def test_reopening_changes_nothing(db_path: Path, data_dir: Path) -> None:
    make_populated_file(db_path)
    schema_before = schema(db_path)

    again = open_database(str(db_path))
    try:
        assert again.upgraded_from == migrations.head_revision()
        assert again.pre_upgrade_backup is None
        assert len(list_categories(again)) == 8  # the seed is not run twice
        assert [a.name for a in list_areas(again)] == ["Theatres"]
    finally:
        again.close()
    assert schema(db_path) == schema_before
    assert observation_count(db_path) == 5
    # Only the daily backup: no upgrade happened, so no pre-upgrade copy.
    assert [p.name.startswith(backup.DAILY_PREFIX) for p in backup_files(data_dir)] == [True]


# --- files that must be refused, untouched --------------------------------------------------------


def test_newer_database_is_refused_and_untouched(db_path: Path, data_dir: Path) -> None:
    make_populated_file(db_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    checkpoint(db_path)
    before = file_digest(db_path)
    backups_before = backup_files(data_dir)

    with pytest.raises(DatabaseTooNewError) as refused:
        open_database(str(db_path))

    assert "newer version" in str(refused.value)
    assert "9999_future" in str(refused.value)
    assert file_digest(db_path) == before
    assert wal_is_empty(db_path)
    assert backup_files(data_dir) == backups_before  # nothing copied, nothing migrated


def test_newer_database_is_refused_even_when_only_checking(db_path: Path) -> None:
    make_populated_file(db_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    before = file_digest(db_path)
    with pytest.raises(DatabaseTooNewError):
        open_database(str(db_path), upgrade=False, daily_backup=False)
    assert file_digest(db_path) == before


def test_text_file_is_refused_and_untouched(db_path: Path, data_dir: Path) -> None:
    db_path.write_text("Ward 7 waste walk notes\nbay 3: porter waited 20 min\n", encoding="utf-8")
    before = file_digest(db_path)

    with pytest.raises(DatabaseError) as refused:
        open_database(str(db_path))

    assert "not a SQLite database" in str(refused.value)
    assert file_digest(db_path) == before
    assert not db_path.with_name(db_path.name + "-wal").exists()
    assert backup_files(data_dir) == []


def test_other_programs_database_is_refused_and_untouched(db_path: Path, data_dir: Path) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("CREATE TABLE rota (nurse TEXT, shift TEXT)")
        conn.execute("INSERT INTO rota VALUES ('A. Nurse', 'early')")
    conn.close()
    before = file_digest(db_path)

    with pytest.raises(DatabaseError) as refused:
        open_database(str(db_path))

    assert "not a WasteWalk database" in str(refused.value)
    assert file_digest(db_path) == before
    assert wal_is_empty(db_path)
    assert backup_files(data_dir) == []


def damage(path: Path, seed: int = 20260302) -> None:
    """Write random bytes over a run of pages mid-file (a bad sector, a half-finished sync)."""
    page_size = 4096
    pages = path.stat().st_size // page_size
    assert pages >= 12, "the database must be big enough to damage in the middle"
    rng = random.Random(seed)
    with path.open("r+b") as handle:
        for page in range(pages // 3, pages // 3 + 5):
            handle.seek(page_size * page)
            handle.write(rng.randbytes(page_size))


def test_damaged_database_is_refused_and_untouched(db_path: Path) -> None:
    make_populated_file(db_path, observations=400)
    damage(db_path)
    before = file_digest(db_path)

    with pytest.raises(DatabaseDamagedError) as refused:
        open_database(str(db_path))

    assert "damaged" in str(refused.value)
    assert "has not been changed" in str(refused.value)
    assert refused.value.latest_backup is None
    assert "no automatic backup" in str(refused.value)
    assert file_digest(db_path) == before
    assert wal_is_empty(db_path)


def test_damaged_database_offers_the_latest_automatic_backup(db_path: Path) -> None:
    make_populated_file(db_path, observations=400)
    # Opening an existing file makes the day's automatic backup.
    open_database(str(db_path)).close()
    checkpoint(db_path)
    damage(db_path)
    before = file_digest(db_path)

    with pytest.raises(DatabaseDamagedError) as refused:
        open_database(str(db_path))

    offered = refused.value.latest_backup
    assert offered is not None
    assert Path(offered).name.startswith(backup.DAILY_PREFIX)
    assert offered in str(refused.value)
    assert observation_count(Path(offered)) == 400
    assert file_digest(db_path) == before


# --- out-of-date files ----------------------------------------------------------------------------


def test_empty_sqlite_file_is_backed_up_then_upgraded(db_path: Path) -> None:
    # A SQLite file with no tables at all (made by hand, or by a migration that never committed).
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    assert db_path.stat().st_size > 0

    db = open_database(str(db_path))
    try:
        assert db.upgraded_from is None
        assert [c.code for c in list_categories(db)] == [code for _, code, _ in PRODUCT_WASTES]
        saved = db.pre_upgrade_backup
        assert saved is not None
        assert saved.name.startswith(backup.UPGRADE_PREFIX)
        assert saved.exists()
    finally:
        db.close()
    kept = sqlite3.connect(f"{saved.as_uri()}?mode=ro", uri=True)
    try:
        assert kept.execute("SELECT name FROM sqlite_master").fetchall() == []
    finally:
        kept.close()


def test_refusing_to_upgrade_when_only_checking(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(DatabaseError) as refused:
        open_database(str(db_path), upgrade=False)
    assert "needs upgrading" in str(refused.value)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    finally:
        conn.close()


# --- where the file lives -------------------------------------------------------------------------


def test_cloud_synced_folder_gives_a_warning(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "OneDrive - NHS Trust" / "wastewalk.sqlite"))
    try:
        assert len(db.warnings) == 1
        assert "cloud-synced" in db.warnings[0]
    finally:
        db.close()


def test_local_folder_gives_no_warning(db: Database) -> None:
    assert db.warnings == []
