"""Pricing a paper sheet and exporting the savings from the command line, as a user runs it."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import REPO, child_environment

SHEET = """date,csu,area,waste,description,minutes,staff_count,staff_group,occurrences,per,\
consumables_gbp,cash_releasing,basis
2026-03-04,Medicine,Ward 12,waiting,TTOs not ready,6,1,nurse-band-5,5,day,,N,
2026-03-04,Medicine,Ward 12,motion,"=HYPERLINK(""x"")",10,2,hca-band-3,3,week,"£1,234.50",Y,\
Bank shifts cut
2026-03-05,Surgery,Theatres,inventory,Out of date stock,,,,12,month,40,Y,Stock removed
2026-03-05,Surgery,Theatres,defects,Not priced,,,,,,,,
"""


def wastewalk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wastewalk", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_environment(),
        timeout=120,
    )


@pytest.fixture
def priced(tmp_path: Path) -> Path:
    """A database with two CSUs whose observations were priced by importing a sheet."""
    db = tmp_path / "t.sqlite"
    areas = tmp_path / "areas.csv"
    areas.write_text(
        "csu,area,operating_days_per_year\nMedicine,Ward 12,365\nSurgery,Theatres,253\n",
        encoding="utf-8",
    )
    assert wastewalk("import", "areas", str(areas), "--db", str(db)).returncode == 0
    sheet = tmp_path / "obs.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    result = wastewalk("import", "observations", str(sheet), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "3 estimate(s) added" in result.stdout
    again = wastewalk("import", "observations", str(sheet), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "0 estimate(s) added; 3 left as they were" in again.stdout
    return db


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_savings_writes_the_three_files(priced: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "march"
    result = wastewalk("export", "csv", "--what", "savings", "--out", str(out), "--db", str(priced))
    assert result.returncode == 0, result.stderr
    assert "Wrote 2 area(s), 2 CSU(s) and 3 estimate(s)" in result.stdout
    # 6 min x 5 a day x 365 at £57 = £10,402.50; 10 min x 2 x 156 at £13.60 + £1,234.50 x 156
    # = £192,582.00 + £707.20; £40 x 144 = £5,760.00.
    assert "Opportunity: £209,451.70 a year (£199,049.20 cash-releasing" in result.stdout
    by_area = {r["area"]: r for r in read(out / "savings_by_area.csv")}
    assert by_area["Ward 12"]["opportunity_non_cash_releasing_gbp"] == "10402.50"
    assert by_area["Ward 12"]["opportunity_cash_releasing_gbp"] == "193289.20"
    assert by_area["Theatres"]["opportunity_gbp"] == "5760.00"
    by_csu = {r["csu"]: r for r in read(out / "savings_by_csu.csv")}
    assert by_csu["Surgery"]["opportunity_gbp"] == "5760.00"
    estimates = read(out / "estimates.csv")
    assert sorted(r["annual_value_gbp"] for r in estimates) == ["10402.50", "193289.20", "5760.00"]
    assert '\'=HYPERLINK("x")' in {r["description"] for r in estimates}


def test_filters_choose_what_is_exported(priced: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("export", "csv", "--what", "savings", "--out", str(out), "--db", str(priced))
    result = wastewalk(*args, "--csu", "surgery", "--from", "2026-03-05", "--to", "2026-03-05")
    assert result.returncode == 0, result.stderr
    assert [r["csu"] for r in read(out / "savings_by_csu.csv")] == ["Surgery"]
    assert [r["area"] for r in read(out / "savings_by_area.csv")] == ["Theatres"]
    result = wastewalk(*args, "--area", "Medicine/Ward 12", "--to", "2026-03-04")
    assert result.returncode == 0, result.stderr
    assert len(read(out / "estimates.csv")) == 2
    result = wastewalk(*args, "--from", "2026-04-01")
    assert result.returncode == 0, result.stderr
    assert "No estimates match" in result.stdout
    assert read(out / "savings_by_area.csv") == []


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--csu", "Cardiology"), "no CSU called 'Cardiology'"),
        (("--area", "Ward 99"), "no area 'Ward 99'"),
        (("--from", "2026-13-01"), "not a real date"),
        (("--from", "2026-03-05", "--to", "2026-03-04"), "is after --to"),
    ],
)
def test_a_bad_filter_is_exit_2_and_writes_nothing(
    priced: Path, tmp_path: Path, extra: tuple[str, ...], words: str
) -> None:
    out = tmp_path / "out"
    args = ("export", "csv", "--what", "savings", "--out", str(out), "--db", str(priced))
    result = wastewalk(*args, *extra)
    assert result.returncode == 2
    assert words in result.stderr
    assert not out.exists()


def test_an_unwritable_folder_is_a_plain_message(priced: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    args = ("export", "csv", "--what", "savings", "--db", str(priced))
    result = wastewalk(*args, "--out", str(blocker / "savings"))
    assert result.returncode == 2
    assert "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_from_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite"
    out = tmp_path / "out"
    result = wastewalk("export", "csv", "--what", "savings", "--out", str(out), "--db", str(db))
    assert result.returncode == 2
    assert not db.exists()
    assert not out.exists()


def test_a_refused_estimate_names_row_and_column_and_imports_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    areas = tmp_path / "areas.csv"
    areas.write_text("csu,area\nMedicine,Ward 12\n", encoding="utf-8")
    assert wastewalk("import", "areas", str(areas), "--db", str(db)).returncode == 0
    sheet = tmp_path / "obs.csv"
    sheet.write_text(
        "date,csu,area,waste,description,minutes,staff_group,occurrences,per\n"
        "2026-03-04,Medicine,Ward 12,waiting,fine,6,nurse-band-5,5,day\n"
        "2026-03-04,Medicine,Ward 12,waiting,absurd,6,nurse-band-5,500,day\n",
        encoding="utf-8",
    )
    result = wastewalk("import", "observations", str(sheet), "--db", str(db))
    assert result.returncode == 2
    assert "obs.csv, row 3, column 'minutes'" in result.stderr
    assert "hours a day, more than 24" in result.stderr
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM observation").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM estimate").fetchone() == (0,)
