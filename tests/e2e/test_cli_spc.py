"""`wastewalk spc FILE.csv ... --json`, as a script or an analyst runs it: the issue-6 contract.

Most run `wastewalk.cli.main` in this process; one runs the installed `.venv/bin/wastewalk` as a
child process. No database is involved: the command reads only the CSV it is given.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, child_environment
from wastewalk.cli import main

RNORM_20 = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.2240818,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.7013559,
    -0.47279141,
]
WEEKS = [f"2026-{1 + i // 4:02d}-{1 + 7 * (i % 4):02d}" for i in range(40)]
POINT_KEYS = {
    "x": str,
    "y": float,
    "group": int,
    "mean": float,
    "lpl": float,
    "upl": float,
    "nlpl": float,
    "nupl": float,
    "relative_to_mean": int,
    "rule": (str, type(None)),
    "point_type": str,
    "trial_limits": bool,
}


def write_csv(path: Path, header: str, rows: list[str], bom: bool = True) -> Path:
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def rnorm_file(tmp_path: Path) -> Path:
    rows = [f"{WEEKS[i]},{y!r}" for i, y in enumerate(RNORM_20)]
    return write_csv(tmp_path / "rnorm.csv", "Week,Value", rows)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["spc", *args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    return json.loads(out)  # type: ignore[no-any-return]


def run_fail(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["spc", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_rnorm_20_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, str(rnorm_file(tmp_path)), "--value-column", "Value")
    assert set(data) == {"improvement", "target", "points", "variation_icon", "assurance_icon"}
    assert data["improvement"] == "increase"
    assert data["target"] is None
    assert data["variation_icon"] == "common_cause"
    assert data["assurance_icon"] is None
    points = data["points"]
    assert isinstance(points, list)
    assert len(points) == 20
    for i, point in enumerate(points):
        assert set(point) == set(POINT_KEYS)
        for key, kind in POINT_KEYS.items():
            assert isinstance(point[key], kind), key
        assert point["x"] == str(i + 1)  # no date column: 1-based point numbers
        assert point["y"] == RNORM_20[i]  # unrounded
        assert point["mean"] == pytest.approx(0.1416238, abs=1e-7)
        assert point["lpl"] == pytest.approx(-3.01138, abs=1e-5)
        assert point["upl"] == pytest.approx(3.294627, abs=1e-6)
        assert point["point_type"] == "common_cause"
        assert point["rule"] is None
        assert point["group"] == 0
        assert point["trial_limits"] is False


def test_the_installed_command(tmp_path: Path) -> None:
    path = rnorm_file(tmp_path)
    done = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "wastewalk"),
            "spc",
            str(path),
            "--value-column",
            "Value",
            "--date-column",
            "Week",
            "--target",
            "5",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=child_environment(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [p["x"] for p in data["points"]] == WEEKS[:20]
    assert data["assurance_icon"] == "consistent_fail"  # 5 is above the upper limit 3.29
    assert data["points"][0]["mean"] == pytest.approx(0.1416238, abs=1e-7)


def test_options_reach_the_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ys = [10.0, 11.0] * 7 + [20.0, 21.0] * 7
    rows = [f"{WEEKS[i]},{y}" for i, y in enumerate(ys)]
    path = write_csv(tmp_path / "step.csv", "week,minutes", rows)
    base = [str(path), "--value-column", "minutes", "--date-column", "week"]
    data = run_json(capsys, *base, "--improvement", "decrease", "--target", "15")
    assert data["improvement"] == "decrease"
    assert data["target"] == 15.0
    points = data["points"]
    assert isinstance(points, list)
    assert {p["point_type"] for p in points[:7]} == {"special_cause_improvement"}
    assert data["variation_icon"] == "concern_high"

    data = run_json(capsys, *base, "--rebase-at", WEEKS[14], "--target", "15")
    points = data["points"]
    assert isinstance(points, list)
    assert [p["group"] for p in points] == [0] * 14 + [1] * 14
    assert points[14]["mean"] == 20.5
    assert all(p["rule"] is None for p in points)
    assert data["assurance_icon"] == "consistent_pass"


def test_rebase_at_a_point_number_without_a_date_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "n.csv", "v", [str(y) for y in [1, 2, 3, 4, 5, 6, 7]])
    data = run_json(capsys, str(path), "--value-column", "v", "--rebase-at", "5")
    points = data["points"]
    assert isinstance(points, list)
    assert [p["group"] for p in points] == [0, 0, 0, 0, 1, 1, 1]
    assert all(p["trial_limits"] for p in points)
    data = run_json(capsys, str(path), "--value-column", "v", "--rebase-at", "1")
    points = data["points"]
    assert isinstance(points, list)
    assert {p["group"] for p in points} == {0}  # a rebase on the first point changes nothing


def test_fix_after_and_no_screen_outliers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ys = [*RNORM_20, 9.0]
    path = write_csv(tmp_path / "f.csv", "v", [repr(y) for y in ys])
    fixed = run_json(capsys, str(path), "--value-column", "v", "--fix-after", "12")
    points = fixed["points"]
    assert isinstance(points, list)
    assert len({p["upl"] for p in points}) == 1
    screened = run_json(capsys, str(path), "--value-column", "v")
    kept = run_json(capsys, str(path), "--value-column", "v", "--no-screen-outliers")
    s_points, k_points = screened["points"], kept["points"]
    assert isinstance(s_points, list)
    assert isinstance(k_points, list)
    assert s_points[0]["mean"] == k_points[0]["mean"]
    assert s_points[0]["upl"] < k_points[0]["upl"]  # the jump to 9 is screened out


def test_blank_cells_are_gaps_and_headings_match_loosely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["2026-01-05,4", "2026-01-12,", "2026-01-19,6", "", "2026-01-26,5"]
    path = write_csv(tmp_path / "g.csv", " Week Start ,Waste  minutes", rows, bom=False)
    data = run_json(
        capsys, str(path), "--value-column", "waste minutes", "--date-column", "week start"
    )
    points = data["points"]
    assert isinstance(points, list)
    assert [p["x"] for p in points] == ["2026-01-05", "2026-01-19", "2026-01-26"]


def test_readable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = rnorm_file(tmp_path)
    assert main(["spc", str(path), "--value-column", "Value", "--target", "5"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["x", "y", "group", "mean", "lower", "upper", "rule", "type"]
    assert "0.141624" in lines[2]
    assert "-3.01138" in lines[2]
    assert "Variation  [~] Common cause variation." in out
    assert "Assurance  [F] Consistently failing the target." in out
    assert "The target of 5 lies above the upper limit" in out


# --- errors: exit 2, naming file, row and column -------------------------------------------------


def test_a_non_numeric_cell_names_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "bad.csv", "week,minutes", ["2026-01-05,4", "2026-01-12,four"])
    err = run_fail(capsys, str(path), "--value-column", "minutes")
    assert str(path) in err
    assert "row 3" in err
    assert "column 'minutes'" in err
    assert "'four' is not a number" in err


@pytest.mark.parametrize("text", ["nan", "inf", "1,234", "£5", "12%", "0x10"])
def test_numbers_must_be_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = write_csv(tmp_path / "bad.csv", "v", ["1", "2", f'"{text}"'])
    err = run_fail(capsys, str(path), "--value-column", "v")
    assert "row 4" in err
    assert "is not a number" in err


def test_a_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = rnorm_file(tmp_path)
    err = run_fail(capsys, str(path), "--value-column", "Minutes")
    assert "no column 'Minutes'" in err
    assert "'Week', 'Value'" in err
    err = run_fail(capsys, str(path), "--value-column", "Value", "--date-column", "Date")
    assert "no column 'Date'" in err


def test_rebase_at_a_value_not_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = rnorm_file(tmp_path)
    err = run_fail(
        capsys, str(path), "--value-column", "Value", "--date-column", "Week", "--rebase-at", "x"
    )
    assert "--rebase-at x" in err
    assert "column 'Week'" in err
    err = run_fail(capsys, str(path), "--value-column", "Value", "--rebase-at", "21")
    assert "not a point number from 1 to 20" in err


def test_rebase_leaving_a_group_of_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = rnorm_file(tmp_path)
    err = run_fail(capsys, str(path), "--value-column", "Value", "--rebase-at", "20")
    assert "1 point(s)" in err


@pytest.mark.parametrize(("n", "words"), [("11", "from 12 to 20"), ("21", "from 12 to 20")])
def test_fix_after_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], n: str, words: str
) -> None:
    err = run_fail(capsys, str(rnorm_file(tmp_path)), "--value-column", "Value", "--fix-after", n)
    assert f"--fix-after {n}" in err
    assert words in err


def test_fix_after_with_too_few_points(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "few.csv", "v", ["1", "2", "3"])
    err = run_fail(capsys, str(path), "--value-column", "v", "--fix-after", "12")
    assert "at least 12 points and the file has 3" in err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("v\n", "no data rows"),
        ("v\n5\n", "has 1 number(s)"),
        ("v,w\n,a\n,b\n", "has 0 number(s)"),
    ],
)
def test_empty_and_too_short_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    path = tmp_path / "short.csv"
    path.write_text(content, encoding="utf-8")
    err = run_fail(capsys, str(path), "--value-column", "v")
    assert words in err


def test_files_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no such file" in run_fail(capsys, str(tmp_path / "nope.csv"), "--value-column", "v")
    assert "folder" in run_fail(capsys, str(tmp_path), "--value-column", "v")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("caf\xe9\n1\n2\n".encode("latin-1"))
    assert "not UTF-8" in run_fail(capsys, str(latin), "--value-column", "café")


def test_dates_must_be_unique_and_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "d.csv", "week,v", ["2026-01-05,1", "2026-01-12,2", "2026-01-05,3"])
    err = run_fail(capsys, str(path), "--value-column", "v", "--date-column", "week")
    assert "row 4" in err
    assert "also on row 2" in err
    path = write_csv(tmp_path / "o.csv", "week,v", ["2026-01-12,1", "2026-01-05,2"])
    err = run_fail(capsys, str(path), "--value-column", "v", "--date-column", "week")
    assert "row 3" in err
    assert "sort the file by date" in err


def test_a_target_that_is_not_a_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = run_fail(capsys, str(rnorm_file(tmp_path)), "--value-column", "Value", "--target", "nan")
    assert "target" in err


def test_rebase_leaving_a_first_group_of_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rnorm_file(tmp_path)
    err = run_fail(capsys, str(path), "--value-column", "Value", "--rebase-at", "2")
    assert "the group starting at 1 would have 1 point(s)" in err
    assert "row 2" in err
