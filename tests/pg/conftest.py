"""The same tests against a real PostgreSQL server: `pg_db` (a fresh database at head per test),
`pg_empty_url` (an empty database, for migrations) and `any_db` (SQLite file, then PostgreSQL).

The server is the one scripts/pg.sh starts (scripts/test.sh does that and exports
WASTEWALK_TEST_PG_URL). One database is migrated once per run and each test
starts by emptying it and putting back the rows the migrations seed (see `pg_shared`).

The modules here run the tests of tests/db and tests/export against PostgreSQL by importing them,
so there is one copy of every test; `db` below is PostgreSQL for them.

Without WASTEWALK_TEST_PG_URL these tests are deselected with a message (tests/conftest.py), unless
CI or WASTEWALK_REQUIRE_PG is set: then they fail, so a CI run never passes without PostgreSQL.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, create_engine, delete, insert, select, text
from sqlalchemy.engine import make_url

from tests.db.conftest import WALK_START, Org, categories, org, walk  # noqa: F401
from wastewalk.store.database import Database, open_database

PG_URL_VARIABLE = "WASTEWALK_TEST_PG_URL"
_counter = itertools.count(1)


def server_url() -> str:
    """The test server's URL (its maintenance database), failing the test when there is none."""
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.fail(
            f"{PG_URL_VARIABLE} is not set: run the tests with scripts/test.sh, or start a server "
            "with scripts/pg.sh (see README, 'For developers')."
        )
    return url


def database_url(name: str) -> str:
    """The test server's URL for the database `name`."""
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An autocommit engine on the server's maintenance database, for CREATE/DROP DATABASE."""
    engine = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # the server named by the environment must be there
        pytest.fail(f"The test PostgreSQL server at {server_url()} cannot be reached: {exc}")
    yield engine
    engine.dispose()


def _create(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))


def _drop(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@dataclass
class _Shared:
    """The run's one database at head, and what the migrations put in it (the seed rows)."""

    name: str
    engine: Engine
    tables: list[Table]
    seed: dict[str, list[dict[str, Any]]]

    def reset(self) -> None:
        """Back to just-migrated: every row deleted (children first), the seed rows put back."""
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '20s'"))
            for table in reversed(self.tables):
                connection.execute(delete(table))
            for table in self.tables:
                if self.seed[table.name]:
                    connection.execute(insert(table), self.seed[table.name])


@pytest.fixture(scope="session")
def pg_shared(pg_admin: Engine) -> Iterator[_Shared]:
    """One database migrated to head once per run. Each test empties it and puts the migrations'
    seed rows back (a few milliseconds), rather than creating a database (up to a second)."""
    name = f"ww_test_{os.getpid()}"
    _create(pg_admin, name)
    open_database(database_url(name)).close()
    engine = create_engine(database_url(name), pool_pre_ping=True)
    metadata = MetaData()
    metadata.reflect(engine)
    tables = list(metadata.sorted_tables)  # alembic_version too: a test may restamp it
    with engine.connect() as connection:
        seed = {t.name: [dict(r._mapping) for r in connection.execute(select(t))] for t in tables}
    yield _Shared(name, engine, tables, seed)
    engine.dispose()
    _drop(pg_admin, name)


def _fresh_name() -> str:
    return f"ww_test_{os.getpid()}_{next(_counter)}"


@pytest.fixture
def pg_url(pg_shared: _Shared) -> str:
    """The URL of a database at head holding only what the migrations put there."""
    pg_shared.reset()
    return database_url(pg_shared.name)


@pytest.fixture
def pg_empty_url(pg_admin: Engine) -> Iterator[str]:
    """The URL of a fresh, empty database (no tables at all), dropped after the test."""
    name = _fresh_name()
    _create(pg_admin, name)
    yield database_url(name)
    _drop(pg_admin, name)


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """An open Database on a PostgreSQL database at head with nothing but the seed rows."""
    database = open_database(pg_url)
    yield database
    database.close()


@pytest.fixture
def db(pg_db: Database) -> Database:
    """The tests imported from tests/db and tests/export get PostgreSQL as their `db`."""
    return pg_db


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh database at head: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        database = open_database(str(tmp_path / "any.sqlite"))
    else:
        database = open_database(request.getfixturevalue("pg_url"))
    yield database
    database.close()
