"""The command line as a user runs it: a real process, a real file, real exit codes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def wastewalk(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "wastewalk", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    env = {"WASTEWALK_DATA_DIR": str(tmp_path_factory.mktemp("demo-profile"))}
    result = wastewalk("demo", "--seed", "7", "--db", str(path), env_extra=env)
    assert result.returncode == 0, result.stderr
    assert "walks" in result.stdout
    return path


def test_demo_fills_a_believable_trust(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    try:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("csu", "area", "walk", "observation")
        }
    finally:
        conn.close()
    assert counts["csu"] >= 3
    assert counts["area"] >= 12
    assert counts["walk"] >= 80
    assert counts["observation"] >= 800


def test_demo_refuses_a_database_that_already_has_walks(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    before = sqlite3.connect(copy).execute("SELECT count(*) FROM walk").fetchone()[0]
    result = wastewalk("demo", "--db", str(copy))
    assert result.returncode == 2
    assert "already" in result.stderr
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM walk").fetchone()[0] == before


def test_db_check_upgrade_backup_and_env_override(demo_db: Path, tmp_path: Path) -> None:
    check = wastewalk("db", "check", "--db", str(demo_db))
    assert check.returncode == 0, check.stderr
    assert "ok" in check.stdout

    upgrade = wastewalk("db", "upgrade", env_extra={"WASTEWALK_DB": str(demo_db)})
    assert upgrade.returncode == 0, upgrade.stderr
    assert "already up to date" in upgrade.stdout
    assert str(demo_db) in upgrade.stdout  # WASTEWALK_DB was the database used

    out = tmp_path / "copy" / "backup.sqlite"
    backup = wastewalk("db", "backup", str(out), "--db", str(demo_db))
    assert backup.returncode == 0, backup.stderr
    original = sqlite3.connect(demo_db).execute("SELECT count(*) FROM observation").fetchone()
    copied = sqlite3.connect(out).execute("SELECT count(*) FROM observation").fetchone()
    assert copied == original


def test_db_check_on_a_missing_file_says_so_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nope.sqlite"
    result = wastewalk("db", "check", "--db", str(missing))
    assert result.returncode == 2
    assert "no database" in result.stderr.lower()
    assert not missing.exists()


def test_newer_database_is_refused_with_exit_2_and_left_untouched(
    demo_db: Path, tmp_path: Path
) -> None:
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(demo_db.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = sha(newer)
    for args in (["db", "upgrade"], ["db", "check"], ["import", "areas", str(newer)]):
        result = wastewalk(*args, "--db", str(newer))
        assert result.returncode == 2, (args, result.stderr)
        assert "newer version of WasteWalk" in result.stderr
        assert sha(newer) == before


def test_damaged_database_is_refused_and_names_the_backup(demo_db: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(demo_db.read_bytes())
    profile = tmp_path / "profile"
    env = {"WASTEWALK_DATA_DIR": str(profile)}
    # Opening once makes today's automatic backup of the healthy file.
    assert wastewalk("db", "upgrade", "--db", str(damaged), env_extra=env).returncode == 0
    data = bytearray(damaged.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data) - page, page * 3):
        data[offset : offset + 200] = os.urandom(200)
    damaged.write_bytes(bytes(data))
    before = sha(damaged)

    result = wastewalk("db", "check", "--db", str(damaged), env_extra=env)
    assert result.returncode == 2
    assert "damaged" in result.stderr
    assert "daily-" in result.stderr  # the latest good automatic backup is offered
    assert sha(damaged) == before

    backup_path = result.stderr.split("backup is ")[1].split("; restore")[0]
    restored = wastewalk("db", "restore", backup_path, "--db", str(damaged), env_extra=env)
    assert restored.returncode == 0, restored.stderr
    assert wastewalk("db", "check", "--db", str(damaged), env_extra=env).returncode == 0


def test_import_observations_error_names_file_row_and_column(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    areas = tmp_path / "areas.csv"
    areas.write_text("csu,area,operating_days_per_year\nMedicine,Ward 12,365\n", encoding="utf-8")
    result = wastewalk("import", "areas", str(areas), "--db", str(db))
    assert result.returncode == 0, result.stderr

    bad = tmp_path / "obs.csv"
    bad.write_text(
        "date,csu,area,waste,description,impact\n"
        "2026-03-04,Medicine,Ward 12,waiting,TTOs late,3\n"
        "03/04/2026,Medicine,Ward 12,waiting,TTOs late,9\n",
        encoding="utf-8",
    )
    result = wastewalk("import", "observations", str(bad), "--db", str(db))
    assert result.returncode == 2
    assert "row 3" in result.stderr
    assert "date" in result.stderr
    assert "impact" in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM observation").fetchone()[0] == 0
    conn.close()


def test_missing_import_file_is_exit_2(tmp_path: Path) -> None:
    result = wastewalk(
        "import", "observations", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "t.sqlite")
    )
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_bad_arguments_exit_2() -> None:
    result = wastewalk("db", "frobnicate")
    assert result.returncode == 2


@pytest.mark.parametrize("before", [True, False])
def test_db_before_or_after_the_command_is_the_database_used(
    demo_db: Path, tmp_path: Path, before: bool
) -> None:
    profile = tmp_path / "profile"
    env = {"WASTEWALK_DATA_DIR": str(profile)}
    pack = tmp_path / "demo.wwpack"
    export = ["pack", "export", "--out", str(pack)]
    args = ["--db", str(demo_db), *export] if before else [*export, "--db", str(demo_db)]
    assert wastewalk(*args, env_extra=env).returncode == 0
    hub = tmp_path / "hub.sqlite"
    place = ["--db", str(hub)]
    imported = ["pack", "import", str(pack)]
    result = wastewalk(*(place + imported if before else imported + place), env_extra=env)
    assert result.returncode == 0, result.stderr
    walks = sqlite3.connect(demo_db).execute("SELECT count(*) FROM walk").fetchone()[0]
    assert sqlite3.connect(hub).execute("SELECT count(*) FROM walk").fetchone()[0] == walks
    assert not (profile / "wastewalk.sqlite").exists()  # the default file was never touched


def test_output_read_by_something_that_stops_early_is_not_a_fault(
    demo_db: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "WASTEWALK_DATA_DIR": str(tmp_path / "profile")}
    command = ["pack", "export", "--out", str(tmp_path / "p.wwpack"), "--db", str(demo_db)]
    child = subprocess.Popen(
        [sys.executable, "-m", "wastewalk", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    assert child.stdout is not None
    child.stdout.close()  # as `| head -0` would, long before anything is printed
    _, err = child.communicate(timeout=120)
    assert child.returncode == 141
    assert err == b""
    assert (tmp_path / "p.wwpack").exists()  # the work itself was done
