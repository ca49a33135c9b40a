"""The estimate columns of `wastewalk import observations`, into a real SQLite file.

A priced row adds its observation's opportunity in the same transaction; a wrong estimate cell
refuses the whole file naming row and column; a file imported again adds no second estimate.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from wastewalk.domain.costing import EstimateInputs, Period, check_inputs
from wastewalk.domain.errors import InputError, Problem
from wastewalk.models import Estimate, Observation
from wastewalk.services.estimates import (
    EstimateInfo,
    EstimateInput,
    clear_observation_estimate,
    get_observation_estimate,
    set_observation_estimate,
)
from wastewalk.services.import_areas import import_areas
from wastewalk.services.import_estimates import column_of
from wastewalk.services.import_observations import import_observations
from wastewalk.services.observations import set_observation_deleted
from wastewalk.services.staff_rates import (
    StaffRateInput,
    add_staff_rate,
    find_staff_rate,
    set_staff_rate_archived,
)
from wastewalk.store.database import Database, open_database

TABLES = ("walk", "observation", "estimate")
COLUMNS = ["date", "csu", "area", "waste", "description"]
COLUMNS += ["minutes", "staff_count", "staff_group", "occurrences", "per", "consumables_gbp"]
COLUMNS += ["other_annual_gbp", "cash_releasing", "recurrent", "basis"]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """Two CSUs: a 24/7 ward and a weekday theatre suite, and a £53-an-hour staff group."""
    database = open_database(str(tmp_path / "t.sqlite"))
    areas = tmp_path / "areas.csv"
    areas.write_text(
        "csu,area,operating_days_per_year\nMedicine,Ward 12,365\nSurgery,Theatres,253\n",
        encoding="utf-8",
    )
    import_areas(database, areas)
    add_staff_rate(
        database,
        StaffRateInput(
            code="nurse-53",
            staff_group="Nurse at the worked example's rate",
            cost_per_hour_pence=5300,
            source="PRODUCT.md worked example",
            year="2025",
        ),
    )
    yield database
    database.close()


def row(description: str = "TTOs not ready", **cells: str) -> dict[str, str]:
    """A Ward 12 waiting row; estimate cells by column name."""
    base = {"date": "2026-03-04", "csu": "Medicine", "area": "Ward 12", "waste": "waiting"}
    return {**base, "description": description, **cells}


WORKED = {"minutes": "6", "staff_group": "nurse-53", "occurrences": "5", "per": "day"}


def sheet(tmp_path: Path, *rows: dict[str, str], name: str = "obs.csv") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in TABLES
        }


def observation_id(db: Database, description: str) -> uuid.UUID:
    with db.session() as session:
        found = session.scalar(select(Observation.id).where(Observation.description == description))
    assert found is not None, description
    return found


def estimate_of(db: Database, description: str) -> EstimateInfo:
    info = get_observation_estimate(db, observation_id(db, description))
    assert info is not None, f"no estimate on {description!r}"
    return info


def estimate_rows(db: Database) -> list[Estimate]:
    with db.session() as session:
        return list(session.scalars(select(Estimate).order_by(Estimate.id)))


def refused(db: Database, path: Path) -> InputError:
    before = snapshot(db)
    with pytest.raises(InputError) as caught:
        import_observations(db, path)
    assert snapshot(db) == before, "a refused file must leave the database as it was"
    return caught.value


def problem_at(error: InputError, row_number: int, column: str) -> Problem:
    for problem in error.problems:
        if problem.row == row_number and problem.column == column:
            assert problem.file == "obs.csv"
            return problem
    raise AssertionError(f"no problem at row {row_number}, column {column}:\n{error}")


# --- priced rows ------------------------------------------------------------------------------


def test_the_worked_example_is_priced_in_the_same_import(db: Database, tmp_path: Path) -> None:
    result = import_observations(db, sheet(tmp_path, row(**WORKED)))
    assert (result.observations_created, result.estimates_created) == (1, 1)
    info = estimate_of(db, "TTOs not ready")
    assert info.kind == "opportunity"
    assert info.result.annual_hours == Decimal("182.5")
    assert info.result.annual_value_pence == 967_250  # £9,672.50
    assert info.result.wte.quantize(Decimal("0.0001")) == Decimal("0.0936")
    assert (info.rate.code, info.rate.pence, info.operating_days) == ("nurse-53", 5300, 365)
    # The blanks take the window's defaults: one person, recurrent, not cash-releasing.
    assert info.inputs.staff_count == 1
    assert (info.inputs.recurrent, info.inputs.cash_releasing, info.inputs.basis) == (
        True,
        False,
        "",
    )


@pytest.mark.parametrize(
    ("per", "area", "occurrences_a_year"),
    [
        ("day", "Ward 12", 365),
        ("day", "Theatres", 253),
        ("week", "Ward 12", 52),
        ("month", "Ward 12", 12),
        ("year", "Ward 12", 1),
    ],
)
def test_each_period_and_the_areas_operating_days(
    db: Database, tmp_path: Path, per: str, area: str, occurrences_a_year: int
) -> None:
    csu = "Surgery" if area == "Theatres" else "Medicine"
    cells = {"minutes": "60", "staff_group": "nurse-53", "occurrences": "1", "per": per}
    import_observations(db, sheet(tmp_path, row(csu=csu, area=area, **cells)))
    info = estimate_of(db, "TTOs not ready")
    assert info.result.annual_occurrences == occurrences_a_year
    assert info.result.annual_value_pence == 5300 * occurrences_a_year


def test_money_cells_in_pounds_with_or_without_the_pound_sign_and_commas(
    db: Database, tmp_path: Path
) -> None:
    cells = {"occurrences": "2", "per": "week", "cash_releasing": "y", "recurrent": "No"}
    cells |= {"consumables_gbp": "£1,234.50", "other_annual_gbp": "12.5", "basis": "Stock removed"}
    import_observations(db, sheet(tmp_path, row(**cells)))
    info = estimate_of(db, "TTOs not ready")
    assert (info.inputs.consumables_pence, info.inputs.other_annual_pence) == (123_450, 1250)
    assert info.inputs.minutes == 0  # no staff time,
    assert info.rate.code == ""  # so no staff group
    assert info.result.annual_value_pence == 123_450 * 2 * 52 + 1250
    assert (info.inputs.cash_releasing, info.inputs.recurrent) == (True, False)
    assert info.inputs.basis == "Stock removed"


def test_rows_without_estimate_cells_stay_unpriced_and_headings_are_forgiving(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "obs.csv"
    path.write_text(
        "date,csu,area,waste,description,Minutes,Staff Count,STAFF-GROUP,Occurrences,Per\n"
        "2026-03-04,Medicine,Ward 12,waiting,priced,2.5,2,nurse-53,4.5,day\n"
        "2026-03-04,Medicine,Ward 12,waiting,not priced,,,,,\n",
        encoding="utf-8",
    )
    result = import_observations(db, path)
    assert (result.observations_created, result.estimates_created) == (2, 1)
    assert get_observation_estimate(db, observation_id(db, "not priced")) is None
    info = estimate_of(db, "priced")
    assert (info.inputs.minutes, info.inputs.staff_count) == (Decimal("2.5"), 2)
    assert info.inputs.occurrences == Decimal("4.5")
    # 2.5 min x 2 staff x 4.5 x 365 / 60 = 136.875 h at £53 = £7,254.375 -> £7,254.38 (half up)
    assert info.result.annual_value_pence == 725_438


# --- refusals ---------------------------------------------------------------------------------


REFUSALS = [
    pytest.param({**WORKED, "minutes": "-6"}, "minutes", "negative", id="negative minutes"),
    pytest.param(
        {**WORKED, "consumables_gbp": "-1.00"}, "consumables_gbp", "negative", id="negative money"
    ),
    pytest.param({**WORKED, "staff_count": "-1"}, "staff_count", "negative", id="negative staff"),
    pytest.param({**WORKED, "minutes": "1441"}, "minutes", "24 hours", id="over a day at once"),
    pytest.param(
        {**WORKED, "minutes": "60", "occurrences": "25"}, "minutes", "24", id="over 24 h a day"
    ),
    pytest.param(
        {**WORKED, "minutes": "0.1", "occurrences": "10001"},
        "occurrences",
        "10,000",
        id="over 10,000 a day",
    ),
    pytest.param(
        {**WORKED, "minutes": "0.01", "occurrences": "75000", "per": "week"},
        "occurrences",
        "10,000",
        id="over 10,000 a day, counted weekly",
    ),
    pytest.param({**WORKED, "staff_group": ""}, "staff_group", "required", id="no staff group"),
    pytest.param(
        {**WORKED, "staff_group": "nurse-band-55"},
        "staff_group",
        "did you mean 'nurse-band-5'",
        id="unknown staff group",
    ),
    pytest.param(
        {**WORKED, "cash_releasing": "Y"}, "basis", "written basis", id="cash with no basis"
    ),
    pytest.param({**WORKED, "per": ""}, "per", "required", id="no per"),
    pytest.param({**WORKED, "per": "fortnight"}, "per", "fortnight", id="unknown per"),
    pytest.param({**WORKED, "occurrences": ""}, "occurrences", "required", id="no occurrences"),
    pytest.param({"basis": "Just a basis"}, "minutes", "needs minutes", id="basis alone"),
    pytest.param({**WORKED, "minutes": "six"}, "minutes", "number", id="minutes in words"),
    pytest.param({**WORKED, "minutes": "6.125"}, "minutes", "decimal places", id="too precise"),
    pytest.param(
        {**WORKED, "other_annual_gbp": "12.345"}, "other_annual_gbp", "penny", id="part pennies"
    ),
    pytest.param({**WORKED, "recurrent": "sometimes"}, "recurrent", "Y or N", id="not Y or N"),
    pytest.param({**WORKED, "staff_count": "0"}, "staff_count", "at least 1", id="nobody"),
]


@pytest.mark.parametrize(("cells", "column", "words"), REFUSALS)
def test_a_refused_estimate_names_its_row_and_column_and_nothing_is_written(
    db: Database, tmp_path: Path, cells: dict[str, str], column: str, words: str
) -> None:
    path = sheet(tmp_path, row("fine", **WORKED), row(**cells))
    error = refused(db, path)
    assert words in problem_at(error, 3, column).message
    assert all(problem.row == 3 for problem in error.problems), error


def test_an_archived_staff_group_is_refused(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        rate = find_staff_rate(session, "nurse-53")
        assert rate is not None
        rate_id = rate.id
    set_staff_rate_archived(db, rate_id, True)
    error = refused(db, sheet(tmp_path, row(**WORKED)))
    assert "archived" in problem_at(error, 2, "staff_group").message


def test_every_costing_refusal_is_placed_in_its_column() -> None:
    """The domain's own messages, so a change of wording there cannot lose the column here."""

    def columns(has_staff_group: bool = True, **changes: object) -> set[str | None]:
        base = dict(
            minutes_per_occurrence=Decimal(6),
            staff_count=Decimal(1),
            hourly_cost_pence=5300,
            occurrences=Decimal(5),
            per=Period.DAY,
            operating_days=365,
        )
        inputs = EstimateInputs(**{**base, **changes})  # type: ignore[arg-type]
        messages = check_inputs(inputs, has_staff_group=has_staff_group)
        assert messages, changes
        return {column_of(message) for message in messages}

    assert columns(minutes_per_occurrence=Decimal(-1)) == {"minutes"}
    assert columns(staff_count=Decimal(-1)) == {"staff_count"}
    assert columns(occurrences=Decimal(-1)) == {"occurrences"}
    assert columns(consumables_per_occurrence_pence=-1) == {"consumables_gbp"}
    assert columns(other_annual_pence=-1) == {"other_annual_gbp"}
    assert columns(hourly_cost_pence=-1) == {"staff_group"}
    assert columns(minutes_per_occurrence=Decimal(1441)) == {"minutes"}
    assert columns(minutes_per_occurrence=Decimal(60), occurrences=Decimal(25)) == {"minutes"}
    assert columns(minutes_per_occurrence=Decimal(0), occurrences=Decimal(10_001)) == {
        "occurrences"
    }
    assert columns(staff_count=Decimal(0)) == {"staff_count"}
    assert columns(staff_count=Decimal(1001)) == {"staff_count"}
    assert columns(has_staff_group=False) == {"staff_group"}
    assert columns(operating_days=0) == {"area"}


# --- importing again --------------------------------------------------------------------------


def test_importing_the_same_priced_file_twice_adds_no_second_estimate(
    db: Database, tmp_path: Path
) -> None:
    path = sheet(
        tmp_path,
        row(**WORKED),
        row("two", minutes="3", staff_group="nurse-53", occurrences="1", per="week"),
    )
    first = import_observations(db, path)
    assert first.estimates_created == 2
    before = snapshot(db)
    second = import_observations(db, path)
    assert (second.observations_created, second.estimates_created) == (0, 0)
    assert second.estimates_skipped == 2
    assert snapshot(db) == before


def test_two_laptops_importing_the_same_sheet_make_the_same_estimates(
    db: Database, tmp_path: Path
) -> None:
    # The second laptop has the same areas and rates (from a pack): a copy of the file.
    assert db.path is not None
    with (
        closing(sqlite3.connect(db.path)) as source,
        closing(sqlite3.connect(tmp_path / "other.sqlite")) as target,
    ):
        source.backup(target)
    path = sheet(tmp_path, row(**WORKED))
    import_observations(db, path)
    other = open_database(str(tmp_path / "other.sqlite"))
    try:
        import_observations(other, path)
        theirs = [(e.id, e.observation_id, e.annual_value_pence) for e in estimate_rows(other)]
    finally:
        other.close()
    ours = [(e.id, e.observation_id, e.annual_value_pence) for e in estimate_rows(db)]
    assert len(ours) == 1
    assert ours == theirs


def test_an_estimate_changed_or_cleared_in_wastewalk_is_not_brought_back(
    db: Database, tmp_path: Path
) -> None:
    path = sheet(tmp_path, row("edited", **WORKED), row("cleared", **WORKED))
    import_observations(db, path)
    edited, cleared = observation_id(db, "edited"), observation_id(db, "cleared")
    staff_rate_id = estimate_of(db, "edited").rate.staff_rate_id
    set_observation_estimate(
        db,
        edited,
        EstimateInput(
            minutes=Decimal(1), staff_rate_id=staff_rate_id, occurrences=Decimal(1), per="year"
        ),
    )
    clear_observation_estimate(db, cleared)
    result = import_observations(db, path)
    assert (result.estimates_created, result.estimates_skipped) == (0, 2)
    assert estimate_of(db, "edited").inputs.minutes == 1  # as edited: not overwritten
    assert get_observation_estimate(db, cleared) is None
    assert len(estimate_rows(db)) == 2


def test_a_sheet_priced_after_it_was_imported_prices_its_observations(
    db: Database, tmp_path: Path
) -> None:
    import_observations(db, sheet(tmp_path, row("first"), row("second"), row("deleted")))
    set_observation_deleted(db, observation_id(db, "deleted"), True)
    priced = sheet(tmp_path, row("first", **WORKED), row("second"), row("deleted", **WORKED))
    result = import_observations(db, priced)
    assert (result.observations_created, result.observations_skipped) == (0, 3)
    assert (result.estimates_created, result.estimates_skipped) == (1, 1)
    assert estimate_of(db, "first").result.annual_value_pence == 967_250
    assert get_observation_estimate(db, observation_id(db, "second")) is None
    assert get_observation_estimate(db, observation_id(db, "deleted")) is None
