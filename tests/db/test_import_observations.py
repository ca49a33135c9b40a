"""Importing observations typed up from paper sheets, into a real SQLite file.

Every bad file must be refused with a message naming its row and column, and must leave the
database exactly as it was; a good file imported twice must add nothing the second time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from wastewalk.domain.errors import InputError, Problem
from wastewalk.models import Observation, Walk, WasteCategory
from wastewalk.services.import_areas import import_areas
from wastewalk.services.import_observations import (
    ObservationImportResult,
    import_observations,
)
from wastewalk.services.observations import set_observation_deleted
from wastewalk.services.organisation import list_areas, set_area_archived, set_csu_archived
from wastewalk.services.wastes import list_categories, set_category_archived
from wastewalk.store.database import Database, open_database

TABLES = ("trust", "csu", "area", "walk", "participant", "observation", "waste_category")
HEADER = "date,csu,area,waste,description"
GOOD = "2026-03-04,Medicine,Ward 12,waiting,TTOs not ready at 11:00"
NHS_NUMBER = "943 476 5919"  # passes the modulus 11 check


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A fresh database with three areas in two CSUs, set up by the area import."""
    monkeypatch.setenv("WASTEWALK_DATA_DIR", str(tmp_path / "profile"))
    database = open_database(str(tmp_path / "t.sqlite"))
    areas = tmp_path / "areas.csv"
    areas.write_text(
        "csu,area,operating_days_per_year\n"
        "Medicine,Ward 12,365\n"
        "Medicine,Ward 7,365\n"
        "Surgery,Theatres,253\n",
        encoding="utf-8",
    )
    import_areas(database, areas)
    yield database
    database.close()


def write(tmp_path: Path, content: str | bytes, name: str = "obs.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def sheet(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    return write(tmp_path, "\n".join((header, *rows)) + "\n")


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in TABLES
        }


def counts(db: Database) -> tuple[int, int]:
    with db.engine.connect() as conn:
        walks = conn.execute(text("SELECT count(*) FROM walk")).scalar_one()
        observations = conn.execute(text("SELECT count(*) FROM observation")).scalar_one()
    return walks, observations


def rejected(db: Database, path: Path) -> InputError:
    """Import `path` expecting refusal; the database must be exactly as it was."""
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        import_observations(db, path)
    assert snapshot(db) == before, "a failed import must leave the database as it was"
    return caught.value


def problem_at(error: InputError, row: int | None, column: str | None) -> Problem:
    for problem in error.problems:
        if problem.row == row and problem.column == column:
            assert problem.file == "obs.csv"
            return problem
    raise AssertionError(f"no problem at row {row}, column {column}:\n{error}")


def observations(db: Database) -> list[Observation]:
    with db.session() as session:
        query = select(Observation).order_by(Observation.observed_at, Observation.description)
        return list(session.scalars(query))


def walks(db: Database) -> list[Walk]:
    with db.session() as session:
        return list(session.scalars(select(Walk).order_by(Walk.started_at)))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# --- good files -----------------------------------------------------------------------------


def test_rows_with_the_same_date_and_area_become_one_completed_walk(
    db: Database, tmp_path: Path
) -> None:
    path = sheet(
        tmp_path,
        GOOD,
        "2026-03-04,Medicine,Ward 12,motion,Walking to the store room for gloves",
        "2026-03-04,Medicine,Ward 7,waiting,Bed waiting for cleaning",
        "2026-03-05,Medicine,Ward 12,defects,Wrong form sent",
    )
    result = import_observations(db, path)
    assert result == ObservationImportResult(
        rows=4,
        walks_created=3,
        observations_created=4,
        observations_skipped=0,
        flagged_identifiers=0,
    )
    by_walk = {}
    for obs in observations(db):
        by_walk.setdefault(obs.walk_id, []).append(obs.description)
    assert sorted(len(v) for v in by_walk.values()) == [1, 1, 2]
    assert all(w.status == "complete" for w in walks(db))


def test_times_are_uk_local_and_a_walk_without_times_starts_at_nine(
    db: Database, tmp_path: Path
) -> None:
    path = sheet(
        tmp_path,
        "2026-03-04,Medicine,Ward 12,waiting,winter no time,",
        "2026-07-04,Medicine,Ward 12,waiting,summer late,14:30",
        "2026-07-04,Medicine,Ward 12,waiting,summer early,9:05",
        "2026-07-04,Medicine,Ward 12,waiting,summer no time,",
        header=HEADER + ",time",
    )
    import_observations(db, path)
    winter, summer = walks(db)
    # GMT in March, BST (UTC+1) in July.
    assert (winter.started_at, winter.ended_at) == (utc(2026, 3, 4, 9), utc(2026, 3, 4, 9))
    assert (summer.started_at, summer.ended_at) == (utc(2026, 7, 4, 8, 5), utc(2026, 7, 4, 13, 30))
    seen = {o.description: o.observed_at for o in observations(db)}
    assert seen["summer late"] == utc(2026, 7, 4, 13, 30)
    assert seen["summer no time"] == summer.started_at  # untimed rows sit at the walk's start


def test_importing_the_same_file_twice_adds_nothing(db: Database, tmp_path: Path) -> None:
    path = sheet(tmp_path, GOOD, GOOD, "2026-03-05,Surgery,Theatres,motion,Fetching kit")
    first = import_observations(db, path)
    assert (first.walks_created, first.observations_created) == (2, 3)
    before = snapshot(db)
    second = import_observations(db, path)
    assert second == ObservationImportResult(
        rows=3,
        walks_created=0,
        observations_created=0,
        observations_skipped=3,
        flagged_identifiers=0,
    )
    assert snapshot(db) == before


def test_rows_added_to_a_sheet_later_join_the_walk_already_imported(
    db: Database, tmp_path: Path
) -> None:
    header = HEADER + ",time"
    import_observations(db, sheet(tmp_path, GOOD + ",10:00", header=header))
    result = import_observations(
        db,
        sheet(
            tmp_path,
            GOOD + ",10:00",
            GOOD + ",11:30",
            "2026-03-04,Medicine,Ward 12,motion,Searching for a hoist,08:15",
            header=header,
        ),
    )
    assert (result.walks_created, result.observations_created) == (0, 2)
    assert result.observations_skipped == 1
    (walk,) = walks(db)
    assert (walk.started_at, walk.ended_at) == (utc(2026, 3, 4, 8, 15), utc(2026, 3, 4, 11, 30))


def test_identical_rows_are_separate_observations(db: Database, tmp_path: Path) -> None:
    result = import_observations(db, sheet(tmp_path, GOOD, GOOD, GOOD))
    assert result.observations_created == 3
    assert counts(db) == (1, 3)


def test_a_deleted_observation_is_not_brought_back_by_a_reimport(
    db: Database, tmp_path: Path
) -> None:
    path = sheet(tmp_path, GOOD)
    import_observations(db, path)
    (obs,) = observations(db)
    set_observation_deleted(db, obs.id, True)
    result = import_observations(db, path)
    assert (result.observations_created, result.observations_skipped) == (0, 1)
    assert observations(db)[0].deleted_at is not None


def test_all_optional_columns_are_stored(db: Database, tmp_path: Path) -> None:
    header = (
        "Date,CSU,Area,Waste,Description,Location,Impact,Ease,Frequency,Countermeasure,"
        "Domains,Focus,Time"
    )
    row = (
        "2026-03-04,Medicine,Ward 12,Unused skills,HCA trained in ECGs not asked,Bay 3,4,2,"
        "daily,Add to the rota,quality; morale,Discharge before noon,10:00"
    )
    import_observations(db, sheet(tmp_path, row, header=header))
    (obs,) = observations(db)
    with db.session() as session:
        category = session.get(WasteCategory, obs.category_id)
        assert category is not None
        assert category.code == "skills"
    assert (obs.location, obs.impact, obs.ease, obs.frequency) == ("Bay 3", 4, 2, "daily")
    assert obs.countermeasure == "Add to the rota"
    assert (obs.domain_quality, obs.domain_morale, obs.domain_cost) == (True, True, False)
    assert walks(db)[0].focus == "Discharge before noon"


def test_a_waste_may_be_given_by_code_in_any_case(db: Database, tmp_path: Path) -> None:
    result = import_observations(db, sheet(tmp_path, GOOD.replace("waiting", " WAITING ")))
    assert result.observations_created == 1


def test_an_nhs_number_is_flagged(db: Database, tmp_path: Path) -> None:
    result = import_observations(
        db, sheet(tmp_path, f"2026-03-04,Medicine,Ward 12,waiting,Patient {NHS_NUMBER} waited")
    )
    assert result.flagged_identifiers == 1
    assert observations(db)[0].suspected_identifier


def test_excel_utf8_file_with_bom_crlf_blank_rows_and_trailing_lines(
    db: Database, tmp_path: Path
) -> None:
    content = (
        "\ufeff" + HEADER + "\r\n" + GOOD + "\r\n" + ",,,,\r\n"
        '2026-03-04,Medicine,Ward 7,motion,"two\r\nlines"\r\n' + "\r\n\r\n\r\n"
    )
    result = import_observations(db, write(tmp_path, content))
    assert (result.rows, result.observations_created) == (2, 2)
    assert "two\r\nlines" in [o.description for o in observations(db)]


def test_old_mac_line_endings_are_read(db: Database, tmp_path: Path) -> None:
    content = HEADER + "\r" + GOOD + "\r" + GOOD.replace("Ward 12", "Ward 7") + "\r"
    result = import_observations(db, write(tmp_path, content))
    assert result.observations_created == 2


@pytest.mark.parametrize(
    "description",
    [
        "Café: patient’s TTO 💊 — waiting ≥ 2 h; 病房 三",
        "<b>&amp; bold & </b> <script>alert(1)</script>",
        '=HYPERLINK("http://example.com","click")',
        "+44 20 7946 0000",
        "-1",
        "@SUM(A1:A3)",
        'She said "now", then left',
    ],
)
def test_text_is_stored_exactly_as_typed(db: Database, tmp_path: Path, description: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [HEADER.split(","), ["2026-03-04", "Medicine", "Ward 12", "waiting", description]]
    )
    import_observations(db, write(tmp_path, buffer.getvalue()))
    assert observations(db)[0].description == description


_dates = itertools.count()
_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    min_size=1,
    max_size=300,
).filter(lambda s: s.strip() != "")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(descriptions=st.lists(_text, min_size=1, max_size=8))
def test_any_unicode_description_round_trips(
    db: Database, tmp_path: Path, descriptions: list[str]
) -> None:
    # A new date per example gives each its own walk in the shared database.
    date = dt.date(2020, 1, 1) + dt.timedelta(days=next(_dates))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER.split(","))
    for description in descriptions:
        writer.writerow([date.isoformat(), "Medicine", "Ward 12", "waiting", description])
    path = write(tmp_path, "\ufeff" + buffer.getvalue())
    import_observations(db, path)
    with db.session() as session:
        walk_ids = select(Walk.id).where(Walk.started_at >= utc(date.year, date.month, date.day))
        walk_ids = walk_ids.where(
            Walk.started_at < utc(date.year, date.month, date.day) + dt.timedelta(days=1)
        )
        stored = session.scalars(
            select(Observation.description).where(Observation.walk_id.in_(walk_ids))
        ).all()
    # Surrounding spaces are trimmed, as the window trims them; everything else is kept.
    assert sorted(stored) == sorted(d.strip() for d in descriptions)


def test_ten_thousand_rows_import_in_seconds(db: Database, tmp_path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*HEADER.split(","), "location", "impact", "time"])
    areas = ["Ward 12", "Ward 7"]
    for i in range(10_000):
        writer.writerow(
            [
                f"2026-03-{1 + i % 28:02d}",
                "Medicine",
                areas[(i // 28) % 2],
                "waiting",
                f"Observation number {i}: patients waiting for TTOs",
                "bay 3",
                1 + i % 5,
                f"{8 + i % 9}:{i % 60:02d}",
            ]
        )
    path = write(tmp_path, buffer.getvalue())
    started = time.perf_counter()
    result = import_observations(db, path)
    elapsed = time.perf_counter() - started
    assert (result.rows, result.walks_created, result.observations_created) == (10_000, 56, 10_000)
    assert elapsed < 10, f"10,000 rows took {elapsed:.1f} s"


# --- bad rows: named by row and column, nothing written -------------------------------------


@pytest.mark.parametrize(
    ("header", "bad", "column", "words"),
    [
        (HEADER + ",impact", GOOD.replace("late", "x") + ",0", "impact", "1 to 5"),
        (HEADER + ",impact", GOOD + ",9", "impact", "1 to 5"),
        (HEADER + ",impact", GOOD + ",high", "impact", "whole number from 1 to 5"),
        (HEADER + ",impact", GOOD + ",2.5", "impact", "whole number"),
        (HEADER + ",ease", GOOD + ",6", "ease", "1 to 5"),
        (HEADER, GOOD.replace("2026-03-04", "03/04/2026"), "date", "YYYY-MM-DD"),
        (HEADER, GOOD.replace("2026-03-04", "2026-13-01"), "date", "YYYY-MM-DD"),
        (HEADER, GOOD.replace("2026-03-04", "2026-02-30"), "date", "not a real date"),
        (HEADER, GOOD.replace("2026-03-04", "4 March 2026"), "date", "YYYY-MM-DD"),
        (HEADER, GOOD.replace("2026-03-04", ""), "date", "required"),
        (HEADER + ",time", GOOD + ",9am", "time", "HH:MM"),
        (HEADER + ",time", GOOD + ",25:00", "time", "HH:MM"),
        (HEADER, "2026-03-04,Medicine,Ward 12,waiting,", "description", "required"),
        (HEADER, "2026-03-04,Medicine,Ward 12,waiting,   ", "description", "required"),
        (HEADER, "2026-03-04,Medicine,Ward 12,waiting,a\x00b", "description", "NUL"),
        (HEADER, GOOD.replace("TTOs", "x" * 10_001), "description", "too long"),
        (HEADER + ",location", GOOD + "," + "L" * 201, "location", "too long"),
        (HEADER + ",domains", GOOD + ",quality;money", "domains", "money"),
        (HEADER + ",focus", GOOD + "," + "F" * 201, "focus", "too long"),
        (HEADER, GOOD.replace("Ward 12", "Ward 99"), "area", "wastewalk import areas"),
        (HEADER, GOOD.replace("Ward 12", "Wrad 12"), "area", "did you mean 'Ward 12'"),
        (HEADER, GOOD.replace("Medicine", "Medicne"), "csu", "wastewalk import areas"),
        (HEADER, GOOD.replace("Medicine", ""), "csu", "required"),
        (HEADER, GOOD.replace("Medicine,Ward 12", "Medicine,"), "area", "required"),
        (HEADER, GOOD.replace("waiting", "wating"), "waste", "transport, inventory, motion"),
        (HEADER, GOOD.replace("waiting", ""), "waste", "required"),
        (HEADER, GOOD.replace("TTOs not", '"Bay 3" not'), "description", "quote"),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(
    db: Database, tmp_path: Path, header: str, bad: str, column: str, words: str
) -> None:
    good = GOOD + "," * (header.count(",") - HEADER.count(","))
    error = rejected(db, sheet(tmp_path, good, bad, header=header))
    assert words in problem_at(error, 3, column).message
    assert counts(db) == (0, 0)


def test_every_problem_is_reported_at_once_in_row_order(db: Database, tmp_path: Path) -> None:
    path = sheet(
        tmp_path,
        "2026-03-04,Medicine,Ward 12,waiting,TTOs late,3",
        "03/04/2026,Medicine,Ward 12,waiting,TTOs late,9",
        "2026-03-04,Medicine,Ward 99,wating,,high",
        header=HEADER + ",impact",
    )
    error = rejected(db, path)
    assert [(p.row, p.column) for p in error.problems] == [
        (3, "date"),
        (3, "impact"),
        (4, "impact"),
        (4, "description"),
        (4, "area"),
        (4, "waste"),
    ]


def test_a_blank_name_does_not_hide_a_bad_waste_on_the_same_row(
    db: Database, tmp_path: Path
) -> None:
    error = rejected(db, sheet(tmp_path, "2026-03-04,,Ward 12,wating,x"))
    assert [(p.row, p.column) for p in error.problems] == [(2, "csu"), (2, "waste")]


def test_problems_stop_at_two_hundred(db: Database, tmp_path: Path) -> None:
    path = sheet(tmp_path, *[GOOD + ",high"] * 500, header=HEADER + ",impact")
    error = rejected(db, path)
    assert len(error.problems) == 201
    assert "stopped after 200 problems" in error.problems[-1].message


def test_a_row_after_a_multi_line_cell_is_numbered_as_a_spreadsheet_row(
    db: Database, tmp_path: Path
) -> None:
    content = f'{HEADER}\n2026-03-04,Medicine,Ward 12,waiting,"one\ntwo\nthree"\n{GOOD},x\n'
    error = rejected(db, write(tmp_path, content))
    assert "6 cells" in problem_at(error, 3, None).message


def test_rows_after_a_broken_quote_are_still_checked(db: Database, tmp_path: Path) -> None:
    broken = GOOD.replace("TTOs not", '"Bay 3" not')
    error = rejected(db, sheet(tmp_path, GOOD, broken, GOOD, GOOD.replace("Ward 12", "Ward 99")))
    assert [(p.row, p.column) for p in error.problems] == [(3, "description"), (5, "area")]


def test_a_row_with_too_many_cells_is_refused(db: Database, tmp_path: Path) -> None:
    error = rejected(db, sheet(tmp_path, GOOD, GOOD + ",extra"))
    assert "6 cells but the header has 5 columns" in problem_at(error, 3, None).message


def test_extra_blank_cells_are_ignored(db: Database, tmp_path: Path) -> None:
    assert import_observations(db, sheet(tmp_path, GOOD + ",,,")).observations_created == 1


def test_a_value_under_a_blank_heading_is_refused(db: Database, tmp_path: Path) -> None:
    error = rejected(db, sheet(tmp_path, GOOD + ",", GOOD + ",oops", header=HEADER + ","))
    assert "no heading" in problem_at(error, 3, None).message


def test_a_focus_given_twice_for_one_walk_must_agree(db: Database, tmp_path: Path) -> None:
    header = HEADER + ",focus"
    error = rejected(db, sheet(tmp_path, GOOD + ",Discharge", GOOD + ",Falls", header=header))
    assert "row 2" in problem_at(error, 3, "focus").message
    result = import_observations(
        db, sheet(tmp_path, GOOD + ",Discharge", GOOD + ",", header=header)
    )
    assert result.observations_created == 2


def test_an_archived_area_is_refused(db: Database, tmp_path: Path) -> None:
    ward = next(a for a in list_areas(db) if a.name == "Ward 12")
    set_area_archived(db, ward.id, True)
    error = rejected(db, sheet(tmp_path, GOOD))
    assert "archived" in problem_at(error, 2, "area").message


def test_an_area_in_an_archived_csu_is_refused(db: Database, tmp_path: Path) -> None:
    ward = next(a for a in list_areas(db) if a.name == "Ward 12")
    set_csu_archived(db, ward.csu_id, True)
    error = rejected(db, sheet(tmp_path, GOOD))
    assert "archived" in problem_at(error, 2, "csu").message


def test_an_archived_waste_category_is_refused(db: Database, tmp_path: Path) -> None:
    waiting = next(c for c in list_categories(db) if c.code == "waiting")
    set_category_archived(db, waiting.id, True)
    error = rejected(db, sheet(tmp_path, GOOD))
    message = problem_at(error, 2, "waste").message
    assert "archived" in message
    assert "waiting" not in message.split("codes")[1]  # only live codes are offered


# --- bad headers ------------------------------------------------------------------------------


def test_missing_required_columns_are_named(db: Database, tmp_path: Path) -> None:
    error = rejected(db, sheet(tmp_path, "2026-03-04,Ward 12,x", header="date,area,description"))
    assert "'csu' is missing" in problem_at(error, 1, "csu").message
    assert "'waste' is missing" in problem_at(error, 1, "waste").message


def test_an_unknown_column_is_named(db: Database, tmp_path: Path) -> None:
    error = rejected(db, sheet(tmp_path, GOOD + ",red", header=HEADER + ",colour"))
    assert "unknown column 'colour'" in problem_at(error, 1, "colour").message


def test_a_duplicate_column_is_named(db: Database, tmp_path: Path) -> None:
    error = rejected(db, sheet(tmp_path, GOOD + ",x", header=HEADER + ",Description"))
    assert "appears twice (columns 5 and 6)" in problem_at(error, 1, "description").message


def test_a_semicolon_separated_file_gets_a_hint(db: Database, tmp_path: Path) -> None:
    error = rejected(db, write(tmp_path, HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";")))
    (problem,) = error.problems  # not also "date is missing", "csu is missing", ...
    assert "semicolons" in problem.message
    assert "CSV UTF-8" in problem.message
    assert problem.row == 1


def test_a_broken_quote_in_the_header_is_refused(db: Database, tmp_path: Path) -> None:
    error = rejected(db, sheet(tmp_path, GOOD, header='date,"csu"x,area,waste,description'))
    assert "quote" in problem_at(error, 1, None).message


# --- files that are not what they should be ---------------------------------------------------


def test_a_cell_of_a_megabyte_is_refused_by_row_and_column(db: Database, tmp_path: Path) -> None:
    huge = "x" * 1_000_000
    error = rejected(
        db, sheet(tmp_path, GOOD, f'{GOOD},"{huge}",bay 3', header=HEADER + ",location,ease")
    )
    assert "characters" in problem_at(error, 3, "location").message


def test_an_unquoted_cell_of_a_megabyte_in_the_description_is_refused(
    db: Database, tmp_path: Path
) -> None:
    error = rejected(db, sheet(tmp_path, GOOD, GOOD.replace("TTOs", "y" * 1_000_000)))
    assert "characters" in problem_at(error, 3, "description").message


def test_a_cell_just_over_the_limit_is_refused_and_reading_goes_on(
    db: Database, tmp_path: Path
) -> None:
    long = GOOD.replace("TTOs", "z" * 20_000)
    error = rejected(db, sheet(tmp_path, GOOD, long, GOOD.replace("Ward 12", "Ward 99")))
    assert "too long (20,0" in problem_at(error, 3, "description").message
    problem_at(error, 4, "area")


def test_a_line_of_several_megabytes_without_a_line_break_is_refused(
    db: Database, tmp_path: Path
) -> None:
    error = rejected(db, write(tmp_path, HEADER + "\n" + "a," * 2_000_000))
    assert "over 1 MB" in problem_at(error, 2, "cell 524289").message
    one_cell = f"{HEADER}\n{GOOD}\n2026-03-04,Medicine,Ward 12,waiting," + "b" * 3_000_000
    error = rejected(db, write(tmp_path, one_cell))
    assert "over 1 MB" in problem_at(error, 3, "description").message


def test_bytes_that_are_not_utf8_are_located(db: Database, tmp_path: Path) -> None:
    first = (HEADER + "\n" + GOOD + "\n").encode("utf-8")
    bad_row = b"2026-03-04,Medicine,Ward 12,waiting,Caf\xe9 queue\n"
    error = rejected(db, write(tmp_path, first + bad_row))
    message = problem_at(error, 3, "description").message
    assert "UTF-8" in message
    offset = len(first) + bad_row.index(0xE9)
    assert f"byte 0xE9 at byte {offset:,}" in message
    assert "CSV UTF-8" in message


def test_the_byte_offset_counts_the_byte_order_mark(db: Database, tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + HEADER.encode() + b"\nbad\xff"
    error = rejected(db, write(tmp_path, content))
    assert f"at byte {3 + len(HEADER) + 4:,}" in problem_at(error, 2, "date").message


def test_a_windows_1252_file_is_reported_once_with_other_problems(
    db: Database, tmp_path: Path
) -> None:
    content = f"{HEADER}\n{GOOD} café\n{GOOD} naïve\n{GOOD.replace('Ward 12', 'Ward 99')}\n"
    error = rejected(db, write(tmp_path, content.encode("cp1252")))
    assert sum("UTF-8" in p.message for p in error.problems) == 1
    problem_at(error, 2, "description")
    problem_at(error, 4, "area")


def test_a_file_cut_short_inside_a_quoted_cell_is_refused(db: Database, tmp_path: Path) -> None:
    content = f'{HEADER}\n{GOOD}\n2026-03-04,Medicine,Ward 12,waiting,"The sluice door was'
    error = rejected(db, write(tmp_path, content))
    assert "ends in the middle of a quoted cell" in problem_at(error, 3, "description").message


def test_an_empty_file_is_refused(db: Database, tmp_path: Path) -> None:
    assert "empty" in str(rejected(db, write(tmp_path, b"")))
    assert "empty" in str(rejected(db, write(tmp_path, "\r\n\n  \n")))
    assert "empty" in str(rejected(db, write(tmp_path, "\ufeff")))


def test_a_header_without_rows_is_refused(db: Database, tmp_path: Path) -> None:
    assert "no observations" in str(rejected(db, write(tmp_path, HEADER + "\n")))
    assert "no observations" in str(rejected(db, write(tmp_path, HEADER + "\n,,,,\n\n")))


def test_a_missing_file_is_refused(db: Database, tmp_path: Path) -> None:
    assert "no such file" in str(rejected(db, tmp_path / "missing.csv"))


def test_a_folder_is_refused(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "obs.csv"
    folder.mkdir()
    assert "folder" in str(rejected(db, folder))


def test_an_excel_workbook_is_refused_with_advice(db: Database, tmp_path: Path) -> None:
    error = rejected(db, write(tmp_path, b"PK\x03\x04\x14\x00\x06\x00" + bytes(200)))
    assert "Excel workbook" in str(error)
    assert "CSV UTF-8" in str(error)


def test_a_utf16_file_is_refused_with_advice(db: Database, tmp_path: Path) -> None:
    error = rejected(db, write(tmp_path, f"{HEADER}\n{GOOD}\n".encode("utf-16")))
    assert "UTF-16" in str(error)
