"""The savings CSV files, read back with the csv module: safe text, real numbers, sums to the penny.

A small trust is priced through the services (observations, actions, expected and validated
savings), exported, and the files are checked as a spreadsheet would read them.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from wastewalk.domain.errors import InputError
from wastewalk.export import csv_writer
from wastewalk.export.csv_writer import CsvTable, ExportError, cell_text, write_csv_files
from wastewalk.export.savings_csv import (
    BY_AREA,
    BY_CSU,
    ESTIMATES,
    export_savings_csv,
    savings_filter,
)
from wastewalk.services.actions import (
    ActionInput,
    create_action,
    set_expected_saving,
    validate_saving,
)
from wastewalk.services.estimates import EstimateInput, set_observation_estimate
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.savings import Figures, RollupBy, SavingsFilter, estimate_lines, rollup
from wastewalk.services.staff_rates import StaffRateInput, add_staff_rate, list_staff_rates
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database, open_database

MARCH = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
JUNE = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
HYPERLINK = '=HYPERLINK("x")'
MONEY = ("cash_releasing_gbp", "non_cash_releasing_gbp", "gbp")
MEASURES = {"opportunity": "opportunity", "estimated_saving": "expected"}
MEASURES["validated_saving"] = "validated"


@dataclass(frozen=True)
class Trust:
    db: Database
    csus: dict[str, uuid.UUID]
    areas: dict[str, uuid.UUID]
    worked_example: uuid.UUID  # the observation priced as PRODUCT.md's worked example


@pytest.fixture
def trust(tmp_path: Path) -> Iterator[Trust]:
    """Two CSUs, four areas, dozens of priced observations with odd pence, and actions."""
    db = open_database(str(tmp_path / "t.sqlite"))
    try:
        yield _fill(db)
    finally:
        db.close()


def _fill(db: Database) -> Trust:
    rng = random.Random(5)
    medicine, surgery = create_csu(db, "Medicine"), create_csu(db, "+Surgery")
    areas = {
        "Ward 7": create_area(db, medicine.id, "Ward 7"),
        "Diabetes clinic": create_area(
            db, medicine.id, "Diabetes clinic", kind="clinic", operating_days_per_year=253
        ),
        "Theatres": create_area(db, surgery.id, "Theatres", operating_days_per_year=253),
        "@Recovery": create_area(db, surgery.id, "@Recovery"),
    }
    rate = add_staff_rate(db, StaffRateInput("nurse-53", "Nurse", 5300, source="eg", year="2025"))
    rates = [r.id for r in list_staff_rates(db)]
    waiting = next(c for c in list_categories(db) if c.code == "waiting")

    def observe(area: str, text: str, when: dt.datetime) -> uuid.UUID:
        walk = start_walk(db, areas[area].id, started_at=when)
        return add_observation(db, walk.id, ObservationInput(waiting.id, text, observed_at=when)).id

    worked = observe("Ward 7", HYPERLINK, MARCH)
    set_observation_estimate(
        db,
        worked,
        EstimateInput(minutes=Decimal(6), staff_rate_id=rate.id, occurrences=Decimal(5), per="day"),
    )
    for number in range(40):
        area = rng.choice(list(areas))
        seen = observe(area, f"Seen {number}", rng.choice((MARCH, JUNE)))
        cash = rng.random() < 0.3
        data = EstimateInput(
            minutes=Decimal(rng.randint(1, 3000)) / 100,
            staff_count=Decimal(rng.randint(1, 3)),
            staff_rate_id=rng.choice(rates),
            occurrences=Decimal(rng.randint(1, 9000)) / 1000,
            per=rng.choice(("day", "week", "month", "year")),
            consumables_pence=rng.choice((0, 0, 37, 1999)),
            cash_releasing=cash,
            basis="Bank shifts cut" if cash else "",
        )
        set_observation_estimate(db, seen, data)
        if number % 5 == 0:
            action = create_action(db, [seen], ActionInput(f"Fix {number}", owner="Sister"))
            set_expected_saving(db, action.id, data)
            if number % 10 == 0:
                validate_saving(db, action.id, data, validated_by="Finance")
    return Trust(
        db=db,
        csus={"Medicine": medicine.id, "+Surgery": surgery.id},
        areas={name: info.id for name, info in areas.items()},
        worked_example=worked,
    )


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def pence(cell: str) -> int:
    """A money cell as pence; it must be a plain number with exactly two decimals."""
    assert "£" not in cell
    assert "," not in cell
    value = Decimal(cell)
    assert value.as_tuple().exponent == -2, cell
    return int(value * 100)


def money_totals(rows: list[dict[str, str]]) -> dict[str, int]:
    return {
        f"{word}_{part}": sum(pence(r[f"{word}_{part}"]) for r in rows)
        for word in MEASURES
        for part in MONEY
    }


def figures_totals(figures: Figures) -> dict[str, int]:
    totals = {}
    for word, measure in MEASURES.items():
        cash = getattr(figures, f"{measure}_cash")
        non_cash = getattr(figures, f"{measure}_non_cash")
        totals[f"{word}_cash_releasing_gbp"] = cash
        totals[f"{word}_non_cash_releasing_gbp"] = non_cash
        totals[f"{word}_gbp"] = cash + non_cash
    return totals


# --- the files --------------------------------------------------------------------------------


def test_the_three_files_read_back_as_a_spreadsheet_reads_them(
    trust: Trust, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = export_savings_csv(trust.db, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([BY_AREA, BY_CSU, ESTIMATES])
    assert sorted(p.name for p in done.files) == sorted([BY_AREA, BY_CSU, ESTIMATES])
    by_area, by_csu = read(out / BY_AREA), read(out / BY_CSU)
    assert {r["csu"] for r in by_area} == {"Medicine", "'+Surgery"}  # a formula-like name is text
    assert "'@Recovery" in {r["area"] for r in by_area}
    assert {uuid.UUID(r["area_id"]) for r in by_area} <= set(trust.areas.values())
    assert {uuid.UUID(r["csu_id"]) for r in by_csu} == set(trust.csus.values())
    for r in by_area:  # ids a spreadsheet can join on
        assert trust.areas[r["area"].removeprefix("'")] == uuid.UUID(r["area_id"])
        assert trust.csus[r["csu"].removeprefix("'")] == uuid.UUID(r["csu_id"])
    for r in by_area + by_csu:
        for word in MEASURES:
            assert pence(r[f"{word}_gbp"]) == pence(r[f"{word}_cash_releasing_gbp"]) + pence(
                r[f"{word}_non_cash_releasing_gbp"]
            )
            assert Decimal(r[f"{word}_hours"]) >= 0  # a number, with no unit
            assert Decimal(r[f"{word}_wte"]) >= 0
    assert done.areas == len(by_area) == 4
    assert done.csus == len(by_csu) == 2
    assert len(read(out / ESTIMATES)) == done.estimates


def test_areas_add_up_to_csus_and_to_the_rollup_total_to_the_penny(
    trust: Trust, tmp_path: Path
) -> None:
    export_savings_csv(trust.db, tmp_path)
    by_area, by_csu = read(tmp_path / BY_AREA), read(tmp_path / BY_CSU)
    total = rollup(trust.db, RollupBy.AREA).total
    assert total.opportunity > 0
    assert total.expected > 0
    assert total.validated > 0
    assert money_totals(by_area) == money_totals(by_csu) == figures_totals(total)
    for word in MEASURES:  # hours are exact sums too
        area_hours = sum(Decimal(r[f"{word}_hours"]) for r in by_area)
        assert area_hours == sum(Decimal(r[f"{word}_hours"]) for r in by_csu)
    assert sum(int(r["estimates"]) for r in by_area) == total.estimates
    assert sum(int(r["estimates"]) for r in by_csu) == total.estimates
    # No total row in the per-area file: every row is an area.
    assert all(r["area_id"] for r in by_area)


def test_estimates_file_holds_every_input_and_result(trust: Trust, tmp_path: Path) -> None:
    export_savings_csv(trust.db, tmp_path)
    rows = read(tmp_path / ESTIMATES)
    lines = estimate_lines(trust.db)
    assert len(rows) == len(lines)
    assert {uuid.UUID(r["estimate_id"]) for r in rows} == {line.estimate_id for line in lines}
    # Summed by measure and cash class, the estimates make the roll-up's total.
    total = figures_totals(rollup(trust.db, RollupBy.CSU).total)
    for word in MEASURES:
        for flag, part in (("Y", "cash_releasing_gbp"), ("N", "non_cash_releasing_gbp")):
            found = sum(
                pence(r["annual_value_gbp"])
                for r in rows
                if r["measure"] == word and r["cash_releasing"] == flag
            )
            assert found == total[f"{word}_{part}"], (word, part)
    (worked,) = [r for r in rows if r["observation_id"] == str(trust.worked_example)]
    assert worked["description"] == "'" + HYPERLINK  # shown as text, never run
    assert worked["measure"] == "opportunity"
    assert worked["counted_on"] == "2026-03-02"
    assert (worked["area"], worked["csu"], worked["waste"]) == ("Ward 7", "Medicine", "Waiting")
    assert (worked["minutes"], worked["staff_count"], worked["occurrences"]) == (
        "6.00",
        "1.00",
        "5.000",
    )
    assert (worked["per"], worked["operating_days"]) == ("day", "365")
    assert (worked["staff_group"], worked["staff_group_label"]) == ("nurse-53", "Nurse")
    assert (worked["rate_gbp_per_hour"], worked["rate_source"], worked["rate_year"]) == (
        "53.00",
        "eg",
        "2025",
    )
    assert (worked["consumables_gbp"], worked["other_annual_gbp"]) == ("0.00", "0.00")
    assert (worked["cash_releasing"], worked["recurrent"], worked["basis"]) == ("N", "Y", "")
    assert worked["annual_hours"] == "182.5000"
    assert worked["annual_value_gbp"] == "9672.50"
    assert worked["wte"] == "0.0936"
    assert worked["hours_per_wte_year"] == "1950.00"
    priced = dt.datetime.fromisoformat(worked["priced_at"])
    assert priced.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - priced) < dt.timedelta(hours=1)
    assert all(r["basis"] for r in rows if r["cash_releasing"] == "Y")
    assert {r["measure"] for r in rows} == set(MEASURES)


# --- filters ----------------------------------------------------------------------------------


def test_filters_by_csu_area_and_dates(trust: Trust, tmp_path: Path) -> None:
    flt = savings_filter(trust.db, csu="  medicine ")
    assert flt == SavingsFilter(csu_id=trust.csus["Medicine"])
    export_savings_csv(trust.db, tmp_path / "csu", flt)
    assert {r["csu"] for r in read(tmp_path / "csu" / BY_AREA)} == {"Medicine"}
    assert [r["csu"] for r in read(tmp_path / "csu" / BY_CSU)] == ["Medicine"]
    assert {r["csu"] for r in read(tmp_path / "csu" / ESTIMATES)} == {"Medicine"}

    flt = savings_filter(trust.db, area="+surgery/theatres")
    assert flt.area_id == trust.areas["Theatres"]
    export_savings_csv(trust.db, tmp_path / "area", flt)
    assert [r["area"] for r in read(tmp_path / "area" / BY_AREA)] == ["Theatres"]
    assert {r["area"] for r in read(tmp_path / "area" / ESTIMATES)} == {"Theatres"}

    flt = savings_filter(trust.db, date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 30))
    export_savings_csv(trust.db, tmp_path / "june", flt)
    june = read(tmp_path / "june" / ESTIMATES)
    assert {r["counted_on"] for r in june if r["measure"] == "opportunity"} == {"2026-06-15"}
    assert money_totals(read(tmp_path / "june" / BY_AREA)) == figures_totals(
        rollup(trust.db, RollupBy.AREA, flt).total
    )
    assert len(june) < len(estimate_lines(trust.db))


@pytest.mark.parametrize(
    ("names", "words"),
    [
        ({"csu": "Cardiology"}, "no CSU called 'Cardiology'"),
        ({"area": "Ward 99"}, "no area 'Ward 99'"),
        ({"csu": "Medicine", "area": "Theatres"}, "no area 'Theatres' in the CSU 'Medicine'"),
        ({"date_from": dt.date(2026, 6, 2), "date_to": dt.date(2026, 6, 1)}, "is after --to"),
    ],
)
def test_a_filter_naming_nothing_is_refused(
    trust: Trust, names: dict[str, object], words: str
) -> None:
    with pytest.raises(InputError, match=words):
        savings_filter(trust.db, **names)  # type: ignore[arg-type]


def test_an_empty_selection_still_writes_the_headers(trust: Trust, tmp_path: Path) -> None:
    flt = savings_filter(trust.db, date_from=dt.date(2030, 1, 1))
    done = export_savings_csv(trust.db, tmp_path, flt)
    assert (done.areas, done.csus, done.estimates) == (0, 0, 0)
    for name in (BY_AREA, BY_CSU, ESTIMATES):
        with (tmp_path / name).open(encoding="utf-8-sig", newline="") as handle:
            header, *rest = list(csv.reader(handle))
        assert header
        assert rest == []


# --- safe writing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 7700", "'+44 7700"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Bay 3 = sluice", "Bay 3 = sluice"),
        ("", ""),
        (-3, "-3"),  # a number stays a number, sign and all
        (Decimal("-12.50"), "-12.50"),
        (dt.date(2026, 3, 4), "2026-03-04"),
        (None, ""),
    ],
)
def test_text_that_would_run_as_a_formula_is_defused_and_numbers_stay_numbers(
    value: object, written: str
) -> None:
    assert cell_text(value) == written  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [1.5, True])
def test_floats_and_booleans_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        cell_text(value)  # type: ignore[arg-type]


def test_a_failure_leaves_no_half_file_and_the_old_files_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b.csv").write_text("old", encoding="utf-8")
    real = csv_writer._write_one

    def disk_fills_on_b(path: Path, table: CsvTable) -> None:
        real(path, table)
        if path.name.startswith(".b.csv."):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(csv_writer, "_write_one", disk_fills_on_b)
    tables = {name: CsvTable(["x"], [[1], [2]]) for name in ("a.csv", "b.csv", "c.csv")}
    with pytest.raises(ExportError, match="disk is full"):
        write_csv_files(tmp_path, tables)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]
    assert (tmp_path / "b.csv").read_text(encoding="utf-8") == "old"


def test_a_folder_that_is_a_file_is_a_plain_message(tmp_path: Path) -> None:
    blocker = tmp_path / "report.csv"
    blocker.write_text("", encoding="utf-8")
    for folder in (blocker, blocker / "inside"):
        with pytest.raises(ExportError, match="is a file, not a folder"):
            write_csv_files(folder, {"a.csv": CsvTable(["x"], [])})


def test_rows_are_written_with_crlf_and_cells_quoted_where_needed(tmp_path: Path) -> None:
    write_csv_files(tmp_path, {"a.csv": CsvTable(["name", "n"], [["a, b\nc", 1]])})
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw == b'\xef\xbb\xbfname,n\r\n"a, b\nc",1\r\n'
