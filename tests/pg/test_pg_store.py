"""Opening a shared PostgreSQL database: refusals in plain words, a server that is not there or
goes away, backups left to the server, the integrity check."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from wastewalk.domain.errors import DatabaseError, DatabaseTooNewError
from wastewalk.services import backups
from wastewalk.services.organisation import create_csu, list_csus
from wastewalk.store.database import Database, integrity_report, open_database

ADVICE = (
    "Work on this laptop's own file with --db PATH (or the window's choice) and hand your walks "
    "over later as a pack."
)


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("postgresql://ww@127.0.0.1:1/wastewalk", "127.0.0.1:1"),
        ("postgresql+psycopg://ww@no-such-host.invalid/wastewalk", "no-such-host.invalid"),
    ],
)
def test_a_server_that_cannot_be_reached_is_a_plain_message(url: str, where: str) -> None:
    with pytest.raises(DatabaseError) as refused:
        open_database(url)
    message = str(refused.value)
    assert message.startswith(f"The shared database at {where} cannot be reached (")
    assert message.endswith(ADVICE)


def test_a_server_that_goes_away_mid_work_is_a_plain_message(pg_db: Database) -> None:
    create_csu(pg_db, "Medicine")
    with pg_db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # a pooled connection, about to be cut
    admin = create_engine(pg_db.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()
    # pool_pre_ping notices the cut connection and makes a new one: the work goes on.
    create_csu(pg_db, "Surgery")
    assert [c.name for c in list_csus(pg_db)] == ["Medicine", "Surgery"]


def test_a_database_written_by_a_newer_wastewalk_is_refused(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNewError, match="newer version of WasteWalk"):
        open_database(pg_url)


def test_a_database_of_another_program_is_refused_untouched(pg_empty_url: str) -> None:
    engine = create_engine(pg_empty_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE patients (id integer primary key)"))
    with pytest.raises(DatabaseError, match="is not a WasteWalk database"):
        open_database(pg_empty_url)
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).all()
    engine.dispose()
    assert [t for (t,) in tables] == ["patients"]


def test_backups_are_left_to_the_server_in_plain_words(pg_db: Database, tmp_path: Path) -> None:
    info = backups.data_file_info(pg_db)
    assert (info.engine_name, info.path, info.backups_on_server) == ("PostgreSQL", None, True)
    assert backups.list_backups(pg_db) == []
    with pytest.raises(DatabaseError, match="backups are made on the database server"):
        backups.backup_now(pg_db, tmp_path / "copy.sqlite")
    with pytest.raises(DatabaseError, match="backups are made on the database server"):
        backups.restore_backup(pg_db, tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()


def test_the_integrity_check_of_a_healthy_server_database_finds_nothing(pg_db: Database) -> None:
    assert integrity_report(pg_db) == []
    assert pg_db.path is None
    assert "postgresql" in pg_db.display_name
