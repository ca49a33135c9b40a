"""Column types every record relies on: UTC times, UUID ids, stable constraint names.

The same data must mean the same thing on a laptop's SQLite file and on the trust's PostgreSQL
server, and times from different laptops must compare and sort correctly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, String, create_engine, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from wastewalk.models import Base, UTCDateTime, utcnow
from wastewalk.models.base import NAMING_CONVENTION, Record

NEW_YORK = dt.timezone(dt.timedelta(hours=-5))
BST = dt.timezone(dt.timedelta(hours=1))


class _Scratch(DeclarativeBase):
    """A separate MetaData, so these test tables never join the application's schema."""


class Stamp(Record, _Scratch):
    __tablename__ = "stamp"

    label: Mapped[str] = mapped_column(String(50), default="")
    seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    _Scratch.metadata.create_all(engine)
    yield engine
    engine.dispose()


def save(engine: Engine, **values: object) -> uuid.UUID:
    with Session(engine) as session, session.begin():
        row = Stamp(device_id="laptop", **values)
        session.add(row)
        session.flush()
        return row.id


def load(engine: Engine, row_id: uuid.UUID) -> Stamp:
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(Stamp, row_id)
        assert row is not None
        return row


# --- utcnow ---------------------------------------------------------------------------------------


def test_utcnow_is_aware_and_utc() -> None:
    now = utcnow()
    assert now.tzinfo is not None
    assert now.utcoffset() == dt.timedelta(0)
    assert abs(now - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


# --- UTCDateTime, value by value ------------------------------------------------------------------

TYPE = UTCDateTime()
SQLITE = sqlite.dialect()
POSTGRES = postgresql.dialect()


def test_naive_time_is_refused_on_every_database() -> None:
    naive = dt.datetime(2026, 3, 2, 9, 30)
    for dialect in (SQLITE, POSTGRES):
        with pytest.raises(ValueError, match="naive datetime"):
            TYPE.process_bind_param(naive, dialect)


def test_sqlite_stores_naive_utc() -> None:
    local = dt.datetime(2026, 3, 2, 10, 30, tzinfo=BST)
    stored = TYPE.process_bind_param(local, SQLITE)
    assert stored == dt.datetime(2026, 3, 2, 9, 30)
    assert stored.tzinfo is None


def test_postgres_stores_aware_utc() -> None:
    local = dt.datetime(2026, 3, 2, 4, 30, tzinfo=NEW_YORK)
    stored = TYPE.process_bind_param(local, POSTGRES)
    assert stored == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert stored.utcoffset() == dt.timedelta(0)


def test_reading_always_gives_aware_utc() -> None:
    from_sqlite = TYPE.process_result_value(dt.datetime(2026, 3, 2, 9, 30), SQLITE)
    from_postgres = TYPE.process_result_value(
        dt.datetime(2026, 3, 2, 4, 30, tzinfo=NEW_YORK), POSTGRES
    )
    expected = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    for value in (from_sqlite, from_postgres):
        assert value == expected
        assert value is not None
        assert value.tzinfo == dt.UTC


def test_missing_time_stays_missing() -> None:
    assert TYPE.process_bind_param(None, SQLITE) is None
    assert TYPE.process_result_value(None, SQLITE) is None


# --- UTCDateTime, through a real SQLite database --------------------------------------------------


def test_time_round_trips_as_the_same_instant(engine: Engine) -> None:
    seen = dt.datetime(2026, 10, 25, 1, 30, 15, 123456, tzinfo=BST)  # the night the clocks go back
    row = load(engine, save(engine, seen_at=seen))
    assert row.seen_at == seen
    assert row.seen_at is not None
    assert row.seen_at.tzinfo == dt.UTC
    assert row.seen_at.hour == 0  # 01:30 BST is 00:30 UTC
    assert row.seen_at.microsecond == 123456


def test_naive_time_never_reaches_the_file(engine: Engine) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        save(engine, seen_at=dt.datetime(2026, 3, 2, 9, 30))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM stamp")).scalar() == 0


def test_times_from_different_zones_sort_as_instants(engine: Engine) -> None:
    # Same wall-clock digits in three zones: the order must be by instant, not by digits.
    times = {
        "new york 09:00": dt.datetime(2026, 3, 2, 9, 0, tzinfo=NEW_YORK),  # 14:00 UTC
        "utc 09:00": dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        "bst 09:00": dt.datetime(2026, 3, 2, 9, 0, tzinfo=BST),  # 08:00 UTC
        "utc 09:00:00.5": dt.datetime(2026, 3, 2, 9, 0, 0, 500000, tzinfo=dt.UTC),
    }
    for label, when in times.items():
        save(engine, label=label, seen_at=when)
    with Session(engine) as session:
        in_order = list(session.scalars(select(Stamp.label).order_by(Stamp.seen_at)))
        later = list(
            session.scalars(
                select(Stamp.label).where(
                    Stamp.seen_at > dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
                )
            )
        )
    assert in_order == ["bst 09:00", "utc 09:00", "utc 09:00:00.5", "new york 09:00"]
    assert sorted(later) == ["new york 09:00", "utc 09:00:00.5"]


def test_sqlite_text_is_utc_with_microseconds(engine: Engine) -> None:
    save(engine, seen_at=dt.datetime(2026, 3, 2, 10, 30, tzinfo=BST))
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT seen_at FROM stamp")).scalar()
    assert stored == "2026-03-02 09:30:00.000000"


# --- Record: the columns that let a record travel in a pack ---------------------------------------


def test_record_gets_a_uuid_and_utc_times(engine: Engine) -> None:
    before = utcnow()
    row = load(engine, save(engine))
    assert isinstance(row.id, uuid.UUID)
    assert row.id.version == 4
    assert row.device_id == "laptop"
    for when in (row.created_at, row.updated_at):
        assert when.tzinfo == dt.UTC
        assert before <= when <= utcnow()


def test_ids_are_stored_as_32_hex_digits_on_sqlite(engine: Engine) -> None:
    row_id = save(engine)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT id FROM stamp")).scalar()
    assert stored == row_id.hex
    assert len(stored) == 32


def test_update_moves_updated_at_only(engine: Engine) -> None:
    row_id = save(engine, label="first")
    first = load(engine, row_id)
    with Session(engine) as session, session.begin():
        row = session.get(Stamp, row_id)
        assert row is not None
        row.label = "second"
    second = load(engine, row_id)
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at


# --- the application's schema ---------------------------------------------------------------------


def test_every_time_column_is_utc() -> None:
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("_at"):
                assert isinstance(column.type, UTCDateTime), f"{table.name}.{column.name}"


# A laptop's own bookkeeping of packs: never handed over, so not a Record.
LOCAL_BOOKKEEPING = {"record_sync_state", "pack_export_log", "pack_import_log", "pack_conflict"}


def test_every_table_is_a_record_with_a_uuid_id() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name in LOCAL_BOOKKEEPING:
            continue
        names = set(table.columns.keys())
        assert {"id", "created_at", "updated_at", "device_id"} <= names, table.name
        assert [c.name for c in table.primary_key.columns] == ["id"], table.name


def test_constraint_names_follow_the_convention() -> None:
    assert Base.metadata.naming_convention == NAMING_CONVENTION
    for table in Base.metadata.sorted_tables:
        assert table.primary_key.name == f"pk_{table.name}"
        for fk in table.foreign_key_constraints:
            assert fk.name is not None, fk
            assert fk.name.startswith(f"fk_{table.name}_"), fk
        for index in table.indexes:
            assert index.name is not None, index
            assert index.name.startswith("ix_"), index
