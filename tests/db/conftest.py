"""Shared fixtures for tests on real SQLite files in temporary folders.

The private data folder every test gets (device id, automatic backups) comes from tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from wastewalk.services.organisation import AreaInfo, CsuInfo, create_area, create_csu
from wastewalk.services.walks import WalkInfo, start_walk
from wastewalk.services.wastes import WasteCategoryInfo, list_categories
from wastewalk.store.database import Database, open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh database file at head, closed after the test."""
    database = open_database(str(db_path))
    yield database
    database.close()


@dataclass(frozen=True)
class Org:
    csu: CsuInfo
    area: AreaInfo
    clinic: AreaInfo


@pytest.fixture
def org(db: Database) -> Org:
    """One CSU with a 24/7 ward and a weekday clinic."""
    csu = create_csu(db, "Medicine")
    ward = create_area(db, csu.id, "Ward 7")
    clinic = create_area(db, csu.id, "Diabetes clinic", kind="clinic", operating_days_per_year=253)
    return Org(csu=csu, area=ward, clinic=clinic)


WALK_START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def walk(db: Database, org: Org) -> WalkInfo:
    return start_walk(db, org.area.id, focus="Discharge before noon", started_at=WALK_START)


@pytest.fixture
def categories(db: Database) -> dict[str, WasteCategoryInfo]:
    """The live categories by code."""
    return {c.code: c for c in list_categories(db)}
