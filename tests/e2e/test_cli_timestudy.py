"""The time-study command line: `import timestudy` and `timestudy summary|list`, as a user runs it.

The worked examples of PRODUCT.md ("Direct observation: time studies") go in as paper sheets
through `wastewalk import timestudy` and come out through `wastewalk timestudy summary --json`,
the contract of issue 4. Most run `wastewalk.cli.main` in this process; the first example also
runs as a real `python -m wastewalk` child process.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, child_environment
from wastewalk.cli import main
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.store.database import open_database

FULL_HEADER = "element,element_order,cycle,seconds,rating_pct,value_class,excluded,exclude_reason"

# The published example: four elements, readings 8, 9, 8, 11, 7 / 36, 41, 39, 35 /
# 15, 17, 13, 20, 18 / 8, 6, 9, rated 110/85/105/90 %, 23 % allowance on the workday basis.
DRUG_ROUND = {
    "Collect drugs": (110, "va", [8, 9, 8, 11, 7]),
    "Prepare": (85, "va", [36, 41, 39, 35]),
    "Give": (105, "va", [15, 17, 13, 20, 18]),
    "Record": (90, "nnva", [8, 6, 9]),
}

ELEMENT_KEYS = {
    "name": str,
    "order": int,
    "value_class": str,
    "n": int,
    "mean_s": float,
    "median_s": float,
    "min_s": float,
    "max_s": float,
    "fluctuation_s": float,
    "lrt_s": (float, type(None)),
    "outlier_cycles": list,
    "rating_pct": float,
    "normal_s": float,
    "standard_s": float,
}
TOP_KEYS = {
    "name",
    "allowance_pct",
    "allowance_basis",
    "selected_time",
    "elements",
    "cycles",
    "normal_total_s",
    "standard_total_s",
    "takt_s",
    "va_ratio",
    "cycles_needed",
}


def sheet_csv(elements: dict[str, tuple[float, str, list[float | str]]]) -> str:
    """A paper sheet as CSV, cycle by cycle as it is typed across: rating and class once."""
    lines = [FULL_HEADER]
    longest = max(len(readings) for _r, _c, readings in elements.values())
    for cycle in range(1, longest + 1):
        for order, (name, (rating, value_class, readings)) in enumerate(elements.items(), 1):
            if cycle <= len(readings):
                first = cycle == 1
                lines.append(
                    f"{name},{order},{cycle},{readings[cycle - 1]},"
                    f"{rating if first else ''},{value_class if first else ''},,"
                )
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database with Ward 7 in Medicine, and Ward 7 in Surgery too (so a CSU can be needed)."""
    path = tmp_path / "ward.sqlite"
    db = open_database(str(path))
    try:
        create_area(db, create_csu(db, "Medicine").id, "Ward 7")
        create_area(db, create_csu(db, "Surgery").id, "Theatres")
    finally:
        db.close()
    return path


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[..., Run]]:
    """Run `wastewalk ARGS --db FILE` in this process; the log handler it adds is taken away."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level

    def run(*args: str) -> Run:
        code = main([*args, "--db", str(db_path)])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def sheet(tmp_path: Path) -> Callable[[str], Path]:
    def write(content: str) -> Path:
        path = tmp_path / "sheet.csv"
        path.write_text(content, encoding="utf-8")
        return path

    return write


def summary_json(cli: Callable[..., Run], name: str) -> dict[str, object]:
    result = cli("timestudy", "summary", name, "--json")
    assert result.code == 0, result.err
    assert result.out.count("\n") == 1  # exactly one JSON object on one line
    loaded = json.loads(result.out)
    assert isinstance(loaded, dict)
    return loaded


def imported(cli: Callable[..., Run], path: Path, name: str, *flags: str) -> dict[str, object]:
    result = cli("import", "timestudy", str(path), "--name", name, "--area", "Ward 7", *flags)
    assert result.code == 0, result.err
    return summary_json(cli, name)


def element(summary: dict[str, object], index: int = 0) -> dict[str, object]:
    elements = summary["elements"]
    assert isinstance(elements, list)
    found = elements[index]
    assert isinstance(found, dict)
    return found


def table_counts(path: Path) -> tuple[int, ...]:
    conn = sqlite3.connect(path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("time_study", "time_study_element", "time_study_reading")
        )
    finally:
        conn.close()


# --- the worked examples ----------------------------------------------------------------------


def test_standard_time_85_56_as_a_real_process(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "drug-round.csv"
    path.write_text(sheet_csv(DRUG_ROUND), encoding="utf-8")

    def wastewalk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wastewalk", *args, "--db", str(db_path)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=REPO,
            env=child_environment(),
            timeout=120,
        )

    done = wastewalk(
        "import",
        "timestudy",
        str(path),
        "--name",
        "Drug round",
        "--area",
        "Medicine/Ward 7",
        "--allowance-pct",
        "23",
        "--allowance-basis",
        "workday",
    )
    assert done.returncode == 0, done.stderr
    assert "4 element(s), 17 reading(s) over 5 cycle(s)" in done.stdout

    shown = wastewalk("timestudy", "summary", "Drug round", "--json")
    assert shown.returncode == 0, shown.stderr
    summary = json.loads(shown.stdout)
    assert set(summary) == TOP_KEYS
    for item in summary["elements"]:
        assert set(item) == set(ELEMENT_KEYS)
        for key, kind in ELEMENT_KEYS.items():
            assert isinstance(item[key], kind), (key, item[key])
    assert set(summary["cycles"]) == {"n", "mean_s", "min_s", "max_s"}
    assert round(summary["standard_total_s"], 2) == 85.56
    assert summary["standard_total_s"] == pytest.approx(85.5551948051948)  # unrounded
    assert [e["normal_s"] for e in summary["elements"]] == pytest.approx(
        [9.46, 32.0875, 17.43, 6.9]
    )
    assert [e["rating_pct"] for e in summary["elements"]] == [110.0, 85.0, 105.0, 90.0]
    assert [e["value_class"] for e in summary["elements"]] == ["va", "va", "va", "nnva"]
    assert (summary["allowance_pct"], summary["allowance_basis"]) == (23.0, "workday")
    # Cycles 1-3 have all four elements; the sum of each, never the sum of the element means.
    assert summary["cycles"] == {
        "n": 3,
        "mean_s": pytest.approx(209 / 3),
        "min_s": 67.0,
        "max_s": 73.0,
    }
    assert summary["takt_s"] is None

    table = wastewalk("timestudy", "summary", "Drug round")
    assert table.returncode == 0, table.stderr
    assert "total standard time 85.56 s" in table.stdout
    assert "Complete cycles: 3 (mean 69.67 s, min 67.00 s, max 73.00 s)" in table.stdout


def test_mean_20_rated_120_with_a_20_percent_job_allowance_is_28_8(
    cli: Callable[..., Run], sheet: Callable[[str], Path]
) -> None:
    path = sheet(f"{FULL_HEADER}\nDress wound,1,1,18,120,va,,\nDress wound,1,2,22,,,,\n")
    summary = imported(cli, path, "Dressing", "--allowance-pct", "20")
    assert summary["allowance_basis"] == "job"
    first = element(summary)
    assert first["mean_s"] == 20.0
    assert first["normal_s"] == pytest.approx(24.0)
    assert first["standard_s"] == pytest.approx(28.8)
    assert summary["standard_total_s"] == pytest.approx(28.8)


def test_lowest_repeatable_time_18_with_47_an_outlier(
    cli: Callable[..., Run], sheet: Callable[[str], Path]
) -> None:
    readings = [18, 22, 19, 47, 20, 18, 21, 19, 20, 18]
    rows = "".join(f"Check wristband,1,{c},{s},,,,\n" for c, s in enumerate(readings, 1))
    summary = imported(
        cli, sheet(FULL_HEADER + "\n" + rows), "Wristbands", "--selected-time", "lrt"
    )
    assert summary["selected_time"] == "lrt"
    first = element(summary)
    assert first["lrt_s"] == 18.0
    assert first["outlier_cycles"] == [4]
    assert first["normal_s"] == 18.0  # the LRT is rated, at 100 %
    assert (first["min_s"], first["max_s"], first["fluctuation_s"]) == (18.0, 47.0, 29.0)
    assert first["median_s"] == 19.5


def test_takt_time_is_10_5_minutes_for_420_minutes_and_demand_40(
    cli: Callable[..., Run], sheet: Callable[[str], Path]
) -> None:
    path = sheet(f"{FULL_HEADER}\nAdmit,1,1,300,,,,\n")
    summary = imported(cli, path, "Admissions", "--available-minutes", "420", "--demand", "40")
    assert summary["takt_s"] == 630.0
    table = cli("timestudy", "summary", "Admissions")
    assert "Takt time: 630.00 s (10.50 min)" in table.out


def test_mean_3_and_deviation_1_need_171_cycles_at_95_and_121_at_90(
    cli: Callable[..., Run], sheet: Callable[[str], Path]
) -> None:
    # Readings 2, 3, 4: mean 3.00 and sample standard deviation 1.0 exactly.
    rows = "".join(f"Label sample,1,{c},{s},,,,\n" for c, s in enumerate([2, 3, 4], 1))
    path = sheet(FULL_HEADER + "\n" + rows)
    assert imported(cli, path, "Samples at 95")["cycles_needed"] == 171
    ninety = imported(cli, path, "Samples at 90", "--confidence", "90")
    assert ninety["cycles_needed"] == 121
    table = cli("timestudy", "summary", "Samples at 95")
    assert "Cycles needed for +/-5 % at 95 % confidence: 171 (168 more)" in table.out


# --- edge cases -------------------------------------------------------------------------------


def test_a_single_reading(cli: Callable[..., Run], sheet: Callable[[str], Path]) -> None:
    summary = imported(cli, sheet(f"{FULL_HEADER}\nHandover,1,1,42.5,,,,\n"), "Handover")
    first = element(summary)
    assert first["n"] == 1
    assert first["mean_s"] == first["median_s"] == first["min_s"] == first["max_s"] == 42.5
    assert first["fluctuation_s"] == 0.0
    assert first["lrt_s"] is None  # nothing repeats
    assert summary["cycles_needed"] is None  # no deviation from one reading
    assert summary["cycles"] == {"n": 1, "mean_s": 42.5, "min_s": 42.5, "max_s": 42.5}
    assert summary["va_ratio"] == 1.0


def test_all_readings_of_an_element_excluded(
    cli: Callable[..., Run], sheet: Callable[[str], Path]
) -> None:
    path = sheet(
        f"{FULL_HEADER}\n"
        "Collect,1,1,10,,,,\n"
        "Interrupted step,2,1,30,,nnva,Y,fire alarm\n"
        "Collect,1,2,12,,,,\n"
        "Interrupted step,2,2,35,,,Y,phone call\n"
    )
    summary = imported(cli, path, "Excluded")
    second = element(summary, 1)
    assert second["n"] == 0
    for key in ("mean_s", "median_s", "min_s", "max_s", "normal_s", "standard_s", "lrt_s"):
        assert second[key] is None, key
    assert summary["normal_total_s"] == 11.0  # the other element alone
    assert summary["standard_total_s"] == 11.0
    # An excluded reading leaves its cycle's time unknown: no complete cycle.
    assert summary["cycles"] == {"n": 0, "mean_s": None, "min_s": None, "max_s": None}
    assert summary["va_ratio"] is None
    table = cli("timestudy", "summary", "Excluded")
    assert "No valid readings, so left out of the totals: Interrupted step" in table.out


def test_an_element_never_performed(cli: Callable[..., Run], sheet: Callable[[str], Path]) -> None:
    path = sheet(
        f"{FULL_HEADER}\n"
        "Collect,1,1,10,,,,\n"
        "Call pharmacy,2,1,NP,,waste,,\n"
        "Collect,1,2,14,,,,\n"
        "Call pharmacy,2,2,,,,,\n"
    )
    summary = imported(cli, path, "Never")
    second = element(summary, 1)
    assert (second["n"], second["mean_s"], second["value_class"]) == (0, None, "waste")
    # Not performed is a state, never a zero: both cycles are complete, timed by Collect alone.
    assert summary["cycles"] == {"n": 2, "mean_s": 12.0, "min_s": 10.0, "max_s": 14.0}
    assert summary["normal_total_s"] == 12.0


def test_a_hostile_cell_is_stored_and_printed_back_as_text(
    cli: Callable[..., Run], sheet: Callable[[str], Path]
) -> None:
    path = sheet(f'{FULL_HEADER}\n"=HYPERLINK(""x"")",1,1,5,,,,\n"<b>&\u00e9",2,1,6,,,,\n')
    summary = imported(cli, path, "=cmd|' /C calc'!A0")
    assert summary["name"] == "=cmd|' /C calc'!A0"
    assert [element(summary, i)["name"] for i in (0, 1)] == ['=HYPERLINK("x")', "<b>&\u00e9"]


# --- refusals: exit 2, a message saying where, nothing written --------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "Collect,1,1,8,,,,\nCollect,1,2,0,,,,\n",
            "sheet.csv, row 3, column 'seconds': Seconds must be more than 0, not 0",
        ),
        (
            "Collect,1,1,-2.5,,,,\n",
            "sheet.csv, row 2, column 'seconds': Seconds must be more than 0, not -2.5",
        ),
        (
            "Collect,1,1,8,,value,,\n",
            "row 2, column 'value_class': Element 1 value class must be va, nnva or waste",
        ),
        (
            "Collect,1,1,8,,,,\nCollect,1,1,9,,,,\n",
            "row 3, column 'cycle': 'Collect' already has a reading in cycle 1 (row 2)",
        ),
    ],
)
def test_a_bad_cell_is_refused_by_row_and_column(
    cli: Callable[..., Run],
    sheet: Callable[[str], Path],
    db_path: Path,
    rows: str,
    expected: str,
) -> None:
    path = sheet(FULL_HEADER + "\n" + rows)
    result = cli("import", "timestudy", str(path), "--name", "Bad", "--area", "Medicine/Ward 7")
    assert result.code == 2
    assert expected in result.err
    assert table_counts(db_path) == (0, 0, 0)


def test_a_missing_column_is_named(
    cli: Callable[..., Run], sheet: Callable[[str], Path], db_path: Path
) -> None:
    path = sheet("element,cycle,seconds\nCollect,1,8\n")
    result = cli("import", "timestudy", str(path), "--name", "Bad", "--area", "Medicine/Ward 7")
    assert result.code == 2
    assert "the required column 'element_order' is missing" in result.err
    assert table_counts(db_path) == (0, 0, 0)


def test_a_full_workday_allowance_is_refused(
    cli: Callable[..., Run], sheet: Callable[[str], Path], db_path: Path
) -> None:
    path = sheet(f"{FULL_HEADER}\nCollect,1,1,8,,,,\n")
    result = cli(
        "import",
        "timestudy",
        str(path),
        "--name",
        "Full",
        "--area",
        "Medicine/Ward 7",
        "--allowance-pct",
        "100",
        "--allowance-basis",
        "workday",
    )
    assert result.code == 2
    assert "An allowance of 100 % of the workday leaves no working time" in result.err
    assert table_counts(db_path) == (0, 0, 0)
    # 100 % on the job basis doubles the time: allowed.
    done = cli(
        "import",
        "timestudy",
        str(path),
        "--name",
        "Full",
        "--area",
        "Medicine/Ward 7",
        "--allowance-pct",
        "100",
    )
    assert done.code == 0, done.err
    assert element(summary_json(cli, "Full"))["standard_s"] == 16.0


def test_importing_again_under_the_same_name_is_refused_and_changes_nothing(
    cli: Callable[..., Run], sheet: Callable[[str], Path], db_path: Path
) -> None:
    path = sheet(sheet_csv(DRUG_ROUND))
    before = imported(cli, path, "Drug round", "--allowance-pct", "23")
    counts = table_counts(db_path)
    other = sheet(f"{FULL_HEADER}\nSomething else,1,1,99,,,,\n")
    again = cli("import", "timestudy", str(other), "--name", "drug ROUND", "--area", "Ward 7")
    assert again.code == 2
    assert "There is already a time study called 'drug ROUND'" in again.err
    assert table_counts(db_path) == counts
    assert summary_json(cli, "Drug round") == before


def test_an_area_in_two_csus_needs_its_csu(
    cli: Callable[..., Run], sheet: Callable[[str], Path], db_path: Path
) -> None:
    db = open_database(str(db_path))
    try:
        create_area(db, create_csu(db, "Paediatrics").id, "Ward 7")
    finally:
        db.close()
    path = sheet(f"{FULL_HEADER}\nCollect,1,1,8,,,,\n")
    ambiguous = cli("import", "timestudy", str(path), "--name", "Where", "--area", "Ward 7")
    assert ambiguous.code == 2
    assert "in more than one CSU ('Medicine', 'Paediatrics')" in ambiguous.err
    done = cli(
        "import",
        "timestudy",
        str(path),
        "--name",
        "Where",
        "--area",
        "Ward 7",
        "--csu",
        "Paediatrics",
    )
    assert done.code == 0, done.err
    assert "in Paediatrics/Ward 7" in done.out


def test_a_date_not_written_iso_is_refused_by_the_parser(
    cli: Callable[..., Run], sheet: Callable[[str], Path]
) -> None:
    path = sheet(f"{FULL_HEADER}\nCollect,1,1,8,,,,\n")
    with pytest.raises(SystemExit) as stopped:
        cli(
            "import",
            "timestudy",
            str(path),
            "--name",
            "D",
            "--area",
            "Ward 7",
            "--date",
            "24/11/2026",
        )
    assert stopped.value.code == 2


def test_list_and_an_unknown_name(cli: Callable[..., Run], sheet: Callable[[str], Path]) -> None:
    empty = cli("timestudy", "list")
    assert (empty.code, empty.out) == (0, "No time studies yet.\n")
    path = sheet(sheet_csv(DRUG_ROUND))
    done = cli(
        "import",
        "timestudy",
        str(path),
        "--name",
        "Drug round",
        "--area",
        "Ward 7",
        "--date",
        "2026-11-24",
        "--observer",
        "Jo Evans",
    )
    assert done.code == 0, done.err
    listed = cli("timestudy", "list")
    assert listed.code == 0
    lines = listed.out.splitlines()
    assert lines[0].split() == ["Study", "Area", "Date", "Source", "Readings"]
    assert lines[2].split() == ["Drug", "round", "Medicine/Ward", "7", "2026-11-24", "paper", "17"]
    unknown = cli("timestudy", "summary", "Drug run", "--json")
    assert (unknown.code, unknown.out) == (2, "")
    assert "There is no time study called 'Drug run'" in unknown.err


def test_a_summary_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite"
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        assert main(["timestudy", "list", "--db", str(missing)]) == 2
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    assert not missing.exists()
