"""`wastewalk export csv` for every entity, run as a person runs it, on the demo trust."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, child_environment
from wastewalk.cli.exports import WHAT
from wastewalk.export.csv_exports import ALL_FILES, EXPORTS


def wastewalk(*args: str, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    extra = {"WASTEWALK_DATA_DIR": str(data)} if data else {}
    return subprocess.run(
        [sys.executable, "-m", "wastewalk", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_environment(**extra),
        timeout=180,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo trust, made once for this module (in its own data folder)."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.sqlite"
    made = wastewalk("demo", "--db", str(db), data=folder / "data")
    assert made.returncode == 0, made.stderr
    return db


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_command_offers_every_export() -> None:
    assert tuple(EXPORTS) == WHAT


def test_export_all_writes_every_file_and_says_what_it_wrote(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    result = wastewalk("export", "csv", "--what", "all", "--out", str(out), "--db", str(demo))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(ALL_FILES)
    assert f"Wrote {len(ALL_FILES)} file(s) to {out}:" in result.stdout
    for name in ALL_FILES:
        rows = read(out / name)
        assert f"  {name}: {len(rows):,} row(s)" in result.stdout
        assert rows, name  # the demo has some of everything
    assert "Opportunity: £" in result.stdout
    assert "may hold an NHS number" in result.stdout  # the demo flags two observations
    walks = {r["walk_id"] for r in read(out / "walks.csv")}
    assert {r["walk_id"] for r in read(out / "observations.csv")} <= walks


def test_one_entity_with_filters(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    base = ("export", "csv", "--out", str(out), "--db", str(demo))
    everything = wastewalk(*base, "--what", "observations")
    assert everything.returncode == 0, everything.stderr
    rows = read(out / "observations.csv")
    csu = rows[0]["csu"]
    days = sorted({r["observed_on"] for r in rows})
    first, last = days[len(days) // 3], days[2 * len(days) // 3]
    narrowed = wastewalk(
        *base, "--what", "observations", "--csu", csu.upper(), "--from", first, "--to", last
    )
    assert narrowed.returncode == 0, narrowed.stderr
    some = read(out / "observations.csv")
    assert 0 < len(some) < len(rows)
    assert {r["csu"] for r in some} == {csu}
    assert all(first <= r["observed_on"] <= last for r in some)
    assert sorted(p.name for p in out.iterdir()) == ["observations.csv"]


def test_an_unknown_csu_is_exit_2_with_a_message_and_writes_nothing(
    demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = wastewalk(
        "export", "csv", "--what", "walks", "--csu", "Cardiology", "--out", str(out),
        "--db", str(demo),
    )  # fmt: skip
    assert result.returncode == 2
    assert "no CSU called 'Cardiology'; the CSUs are: " in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_folder_in_the_way_is_exit_2_and_leaves_the_old_files(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "activity.csv").mkdir(parents=True)
    (out / "walks.csv").write_text("old", encoding="utf-8")
    result = wastewalk("export", "csv", "--what", "all", "--out", str(out), "--db", str(demo))
    assert result.returncode == 2
    assert "is a folder" in result.stderr
    assert sorted(os.listdir(out)) == ["activity.csv", "walks.csv"]
    assert (out / "walks.csv").read_text(encoding="utf-8") == "old"


def test_an_empty_period_writes_headers_and_says_so(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = wastewalk(
        "export", "csv", "--what", "actions", "--from", "2035-01-01", "--out", str(out),
        "--db", str(demo),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Nothing matches, so the files hold their header rows only." in result.stdout
    assert read(out / "actions.csv") == []
