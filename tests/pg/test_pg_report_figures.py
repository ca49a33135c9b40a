"""The tests of tests/db/test_report_figures.py, imported, with PostgreSQL as their `db`."""

import datetime as dt

import pytest

from tests.db.test_report_figures import *  # noqa: F403
from wastewalk.services.demo import make_demo
from wastewalk.store.database import Database


@pytest.fixture
def demo(pg_db: Database) -> Database:
    """The demo trust, in PostgreSQL (instead of the SQLite file of the imported fixture)."""
    make_demo(pg_db, seed=1, today=dt.date(2026, 10, 1))
    return pg_db
