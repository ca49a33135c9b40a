"""The same demo trust in SQLite and in PostgreSQL gives byte-identical CSV files (ids are uuid5s
of the seed, so equal data means equal files), with and without a filter, whether it was made in
PostgreSQL or carried there from a laptop's SQLite file in a pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wastewalk.export.csv_exports import export_csv
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.demo import make_demo
from wastewalk.services.organisation import list_areas, list_csus
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_import import import_pack
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 10, 1)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file the export wrote, by name."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def assert_same_files(left: Path, right: Path) -> None:
    """Byte for byte; on a difference, the first differing line of each file says where."""
    a, b = files_of(left), files_of(right)
    assert sorted(a) == sorted(b)
    for name in a:
        if a[name] != b[name]:
            for n, (x, y) in enumerate(
                zip(a[name].splitlines(), b[name].splitlines(), strict=False)
            ):
                assert x == y, f"{name} line {n + 1} differs"
            assert a[name] == b[name], f"{name}: one file is longer"


@pytest.fixture
def demo_pair(pg_db: Database, tmp_path: Path) -> tuple[Database, Database]:
    """The demo trust (seed 1, fixed day) in a SQLite file and in PostgreSQL."""
    sqlite = open_database(str(tmp_path / "demo.sqlite"))
    make_demo(sqlite, seed=1, today=TODAY)
    make_demo(pg_db, seed=1, today=TODAY)
    yield sqlite, pg_db
    sqlite.close()


def filters(db: Database) -> list[DataFilter]:
    csus = {c.name: c.id for c in list_csus(db)}
    areas = sorted(list_areas(db), key=lambda a: a.name)
    return [
        DataFilter(),
        DataFilter(csu_id=csus["Medicine"], date_from=dt.date(2026, 6, 1)),
        DataFilter(area_id=areas[2].id, date_to=dt.date(2026, 8, 31)),
    ]


def test_csv_export_of_everything_is_the_same_from_sqlite_and_postgresql(
    demo_pair: tuple[Database, Database], tmp_path: Path
) -> None:
    sqlite, pg = demo_pair
    for n, flt in enumerate(filters(sqlite)):
        export_csv(sqlite, tmp_path / f"sqlite{n}", "all", flt, today=TODAY)
        export_csv(pg, tmp_path / f"pg{n}", "all", flt, today=TODAY)
        assert_same_files(tmp_path / f"sqlite{n}", tmp_path / f"pg{n}")


def test_the_demo_through_a_pack_into_postgresql_exports_the_same_csv(
    pg_db: Database, tmp_path: Path
) -> None:
    laptop = open_database(str(tmp_path / "laptop.sqlite"))
    make_demo(laptop, seed=1, today=TODAY)
    export_pack(laptop, tmp_path / "laptop.wwpack")
    first = import_pack(pg_db, tmp_path / "laptop.wwpack")
    assert first.applied
    assert first.preview.conflict_count == 0
    export_csv(laptop, tmp_path / "sqlite", "all", today=TODAY)
    export_csv(pg_db, tmp_path / "pg", "all", today=TODAY)
    assert_same_files(tmp_path / "sqlite", tmp_path / "pg")
    again = import_pack(pg_db, tmp_path / "laptop.wwpack")
    assert (again.preview.new, again.preview.updated, again.preview.conflict_count) == (0, 0, 0)
    export_csv(pg_db, tmp_path / "pg-again", "all", today=TODAY)
    assert_same_files(tmp_path / "sqlite", tmp_path / "pg-again")
    laptop.close()
