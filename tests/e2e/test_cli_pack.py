"""`wastewalk pack export|import`, run as a person runs it: a demo laptop handed to another."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, child_environment


def wastewalk(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wastewalk", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_environment(WASTEWALK_DATA_DIR=str(data)),
        timeout=180,
    )


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def ward_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo trust made on one laptop (its own data folder) and exported whole."""
    folder = tmp_path_factory.mktemp("ward")
    db = folder / "ward.sqlite"
    made = wastewalk("demo", "--db", str(db), data=folder / "data")
    assert made.returncode == 0, made.stderr
    pack = folder / "ward.wwpack"
    done = wastewalk("pack", "export", "--out", str(pack), "--db", str(db), data=folder / "data")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote {pack}: ")
    assert "observation" in done.stdout
    return pack


def test_import_dry_run_then_import_then_again(ward_pack: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = tmp_path / "compiled.sqlite"
    made = wastewalk("db", "check", "--db", str(db), data=data)  # no file yet: exit 2
    assert made.returncode == 2
    assert wastewalk("db", "upgrade", "--db", str(db), data=data).returncode == 0
    before = dump(db)

    dry = wastewalk("pack", "import", str(ward_pack), "--dry-run", "--db", str(db), data=data)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing was changed." in dry.stdout
    assert "new  updated  identical  local newer  conflicts" in dry.stdout
    assert dump(db) == before

    done = wastewalk("pack", "import", str(ward_pack), "--db", str(db), data=data)
    assert done.returncode == 0, done.stderr
    assert "Imported ward.wwpack: " in done.stdout
    walk_line = next(line for line in done.stdout.splitlines() if line.strip().startswith("walk "))
    assert walk_line.split()[1] != "0"  # new walks
    after = dump(db)
    assert after != before

    again = wastewalk("pack", "import", str(ward_pack), "--db", str(db), data=data)
    assert again.returncode == 0, again.stderr
    assert "Imported ward.wwpack: 0 new, 0 updated" in again.stdout
    # Only the import log grew.
    assert [line for line in dump(db) if "pack_import_log" not in line] == [
        line for line in after if "pack_import_log" not in line
    ]


def test_a_refused_pack_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = tmp_path / "compiled.sqlite"
    assert wastewalk("db", "upgrade", "--db", str(db), data=data).returncode == 0
    before = dump(db)
    evil = tmp_path / "evil.wwpack"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../escape.txt", "x")
    result = wastewalk("pack", "import", str(evil), "--db", str(db), data=data)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("wastewalk: ")
    assert "evil.wwpack" in result.stderr
    assert dump(db) == before
    not_zip = tmp_path / "notes.wwpack"
    not_zip.write_text("hello", encoding="utf-8")
    result = wastewalk("pack", "import", str(not_zip), "--db", str(db), data=data)
    assert result.returncode == 2
    assert "notes.wwpack" in result.stderr
    assert dump(db) == before


def test_export_of_one_area_since_last(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = tmp_path / "ward.sqlite"
    assert wastewalk("demo", "--db", str(db), data=data).returncode == 0
    first = tmp_path / "first.wwpack"
    args = ("--area", "Surgery/Day Surgery Unit", "--since-last", "specialist", "--db", str(db))
    done = wastewalk("pack", "export", "--out", str(first), *args, data=data)
    assert done.returncode == 0, done.stderr
    second = tmp_path / "second.wwpack"
    done = wastewalk("pack", "export", "--out", str(second), *args, data=data)
    assert done.returncode == 0, done.stderr
    assert "changes since" in done.stdout
    assert ": 0 record(s)" in done.stdout
