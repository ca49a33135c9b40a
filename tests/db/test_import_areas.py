"""Importing CSUs and areas from CSV into a real SQLite file: reuse, updates, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from wastewalk.domain.errors import InputError, Problem
from wastewalk.services import import_areas as import_areas_module
from wastewalk.services.import_areas import AreaImportResult, import_areas
from wastewalk.services.organisation import (
    create_trust,
    list_areas,
    list_trusts,
    set_area_archived,
    set_csu_archived,
)
from wastewalk.store.database import Database, open_database

TABLES = ("trust", "csu", "area")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("WASTEWALK_DATA_DIR", str(tmp_path / "profile"))
    database = open_database(str(tmp_path / "t.sqlite"))
    yield database
    database.close()


def write(tmp_path: Path, content: str | bytes, name: str = "areas.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the organisation tables, so 'unchanged' means unchanged to the byte."""
    with db.engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in TABLES
        }


def rejected(db: Database, path: Path) -> InputError:
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        import_areas(db, path)
    assert snapshot(db) == before, "a failed import must leave the database as it was"
    return caught.value


def problem_at(error: InputError, row: int | None, column: str | None) -> Problem:
    for problem in error.problems:
        if problem.row == row and problem.column == column:
            assert problem.file == "areas.csv"
            return problem
    raise AssertionError(f"no problem at row {row}, column {column}:\n{error}")


def areas_by_name(db: Database) -> dict[tuple[str, str], tuple[str, int, bool]]:
    return {
        (a.csu_name, a.name): (a.kind, a.operating_days_per_year, a.archived)
        for a in list_areas(db, include_archived=True)
    }


def trust_file(wards: int = 150) -> str:
    lines = ["csu,area,operating_days_per_year,kind"]
    for i in range(wards):
        days, kind = (253, "clinic") if i % 10 == 0 else (365, "ward")
        lines.append(f"CSU {i % 7},Ward {i},{days},{kind}")
    return "\n".join(lines) + "\n"


def test_a_trust_of_150_wards_is_created_and_a_second_import_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, trust_file())
    first = import_areas(db, path)
    assert first == AreaImportResult(
        rows=150, csus_created=7, areas_created=150, areas_updated=0, areas_unchanged=0
    )
    areas = areas_by_name(db)
    assert len(areas) == 150
    assert areas[("CSU 0", "Ward 0")] == ("clinic", 253, False)
    assert areas[("CSU 1", "Ward 1")] == ("ward", 365, False)

    before = snapshot(db)
    second = import_areas(db, path)
    assert second == AreaImportResult(
        rows=150, csus_created=0, areas_created=0, areas_updated=0, areas_unchanged=150
    )
    assert snapshot(db) == before


def test_names_are_matched_ignoring_case_and_extra_spaces(db: Database, tmp_path: Path) -> None:
    import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 7\n"))
    before = snapshot(db)
    result = import_areas(db, write(tmp_path, "csu,area\n  MEDICINE ,  ward    7\n"))
    assert (result.csus_created, result.areas_created, result.areas_unchanged) == (0, 0, 1)
    assert snapshot(db) == before
    assert list(areas_by_name(db)) == [("Medicine", "Ward 7")]


def test_new_names_are_stored_with_spaces_tidied(db: Database, tmp_path: Path) -> None:
    import_areas(db, write(tmp_path, "csu,area\n Medicine ,  Ward    7 \n"))
    assert list(areas_by_name(db)) == [("Medicine", "Ward 7")]


def test_changed_operating_days_and_kind_update_the_existing_area(
    db: Database, tmp_path: Path
) -> None:
    import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 7\nMedicine,Eye clinic\n"))
    result = import_areas(
        db,
        write(
            tmp_path,
            "csu,area,operating_days_per_year,kind\n"
            "Medicine,Ward 7,365,ward\n"
            "Medicine,Eye clinic,253,clinic\n",
        ),
    )
    assert (result.areas_updated, result.areas_unchanged) == (1, 1)
    assert areas_by_name(db)[("Medicine", "Eye clinic")] == ("clinic", 253, False)


def test_blank_or_absent_values_default_for_new_areas_and_keep_existing_ones(
    db: Database, tmp_path: Path
) -> None:
    import_areas(
        db, write(tmp_path, "csu,area,operating_days_per_year,kind\nMedicine,Clinic A,253,clinic\n")
    )
    result = import_areas(
        db,
        write(
            tmp_path, "csu,area,operating_days_per_year,kind\nMedicine,Clinic A,,\nMedicine,B,,\n"
        ),
    )
    assert (result.areas_created, result.areas_unchanged, result.areas_updated) == (1, 1, 0)
    areas = areas_by_name(db)
    assert areas[("Medicine", "Clinic A")] == ("clinic", 253, False)
    assert areas[("Medicine", "B")] == ("ward", 365, False)


def test_excel_style_file_with_bom_crlf_loose_headings_and_blank_rows(
    db: Database, tmp_path: Path
) -> None:
    content = (
        "\ufeffCSU , Area,Operating days per year\r\n"
        "Medicine,Ward 7,365\r\n"
        ",,\r\n"
        "Surgery,Day unit,253\r\n"
        "\r\n\r\n"
    )
    result = import_areas(db, write(tmp_path, content))
    assert result.rows == 2
    assert areas_by_name(db)[("Surgery", "Day unit")] == ("ward", 253, False)


def test_areas_go_into_the_databases_own_trust(db: Database, tmp_path: Path) -> None:
    trust = create_trust(db, "Northtown Teaching Hospitals")
    import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 7\n"))
    assert [t.name for t in list_trusts(db)] == [trust.name]


def test_the_same_name_in_two_csus_is_two_areas(db: Database, tmp_path: Path) -> None:
    result = import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 1\nSurgery,Ward 1\n"))
    assert result.areas_created == 2


def test_a_repeated_row_is_one_area(db: Database, tmp_path: Path) -> None:
    result = import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 1\nmedicine,WARD 1\n"))
    assert (result.rows, result.areas_created) == (2, 1)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("Medicine,Ward 9,abc,ward", "operating_days_per_year", "whole number"),
        ("Medicine,Ward 9,0,ward", "operating_days_per_year", "1 to 366"),
        ("Medicine,Ward 9,400,ward", "operating_days_per_year", "1 to 366"),
        ("Medicine,Ward 9,252.5,ward", "operating_days_per_year", "whole number"),
        ("Medicine,Ward 9,365,hospital", "kind", "ward, department, clinic"),
        (",Ward 9,365,ward", "csu", "required"),
        ("Medicine,,365,ward", "area", "required"),
        ("Medicine," + "W" * 201 + ",365,ward", "area", "too long"),
    ],
)
def test_a_bad_row_names_its_row_and_column_and_nothing_is_written(
    db: Database, tmp_path: Path, row: str, column: str, words: str
) -> None:
    content = f"csu,area,operating_days_per_year,kind\nSurgery,Ward 1,365,ward\n{row}\n"
    error = rejected(db, write(tmp_path, content))
    assert words in problem_at(error, 3, column).message
    assert list_areas(db) == []


def test_every_bad_row_is_reported_at_once(db: Database, tmp_path: Path) -> None:
    content = "csu,area,operating_days_per_year\nA,W1,0\nA,W2,ok\n,W3,365\nA,W4,365\n"
    error = rejected(db, write(tmp_path, content))
    assert [(p.row, p.column) for p in error.problems] == [
        (2, "operating_days_per_year"),
        (3, "operating_days_per_year"),
        (4, "csu"),
    ]


def test_an_area_listed_twice_with_different_days_is_refused(db: Database, tmp_path: Path) -> None:
    content = "csu,area,operating_days_per_year\nMedicine,Ward 7,365\nmedicine,ward 7,253\n"
    error = rejected(db, write(tmp_path, content))
    assert "row 2" in problem_at(error, 3, "operating_days_per_year").message


@pytest.mark.parametrize(
    ("header", "column", "words"),
    [
        ("area,operating_days_per_year", "csu", "required column 'csu' is missing"),
        ("csu,area,colour", "colour", "unknown column"),
        ("csu,area,area", "area", "appears twice"),
    ],
)
def test_a_bad_header_is_refused(
    db: Database, tmp_path: Path, header: str, column: str, words: str
) -> None:
    error = rejected(db, write(tmp_path, f"{header}\nMedicine,Ward 7,365\n"))
    assert words in problem_at(error, 1, column).message


def test_a_header_with_no_rows_is_refused(db: Database, tmp_path: Path) -> None:
    error = rejected(db, write(tmp_path, "csu,area\n\n"))
    assert "no areas" in str(error)


def test_an_empty_file_is_refused(db: Database, tmp_path: Path) -> None:
    error = rejected(db, write(tmp_path, b""))
    assert "empty" in str(error)


def test_a_missing_file_or_a_folder_is_refused(db: Database, tmp_path: Path) -> None:
    assert "no such file" in str(rejected(db, tmp_path / "nope.csv"))
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "folder" in str(rejected(db, folder))


def test_no_trust_is_left_behind_by_a_failed_import(db: Database, tmp_path: Path) -> None:
    assert list_trusts(db) == []
    rejected(db, write(tmp_path, "csu,area,operating_days_per_year\nMedicine,Ward 7,0\n"))
    assert list_trusts(db) == []


def test_a_new_area_in_an_archived_csu_is_refused(db: Database, tmp_path: Path) -> None:
    import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 7\n"))
    set_csu_archived(db, list_areas(db)[0].csu_id, True)
    error = rejected(db, write(tmp_path, "csu,area\nMedicine,Ward 7\nMedicine,Ward 8\n"))
    assert "archived" in problem_at(error, 3, "csu").message


def test_an_archived_area_stays_archived(db: Database, tmp_path: Path) -> None:
    import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 7\n"))
    set_area_archived(db, list_areas(db)[0].id, True)
    result = import_areas(db, write(tmp_path, "csu,area\nMedicine,Ward 7\n"))
    assert (result.areas_created, result.areas_unchanged) == (0, 1)
    assert areas_by_name(db)[("Medicine", "Ward 7")] == ("ward", 365, True)


def test_a_file_with_too_many_rows_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_areas_module, "MAX_ROWS", 5)
    error = rejected(db, write(tmp_path, trust_file(wards=6)))
    assert "more than 5 rows" in str(error)
