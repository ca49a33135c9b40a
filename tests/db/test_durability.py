"""Nothing lost: a save that returned survives the program being killed a moment later.

A child process (durability_child.py) saves observations in a loop and prints each id once the save
has returned. The parent kills it with SIGKILL after a random number of printed ids (no sleeps: the
child's own output is the clock), many times over the same file, and after every kill checks the
file is whole and holds every printed id. At most the one save in flight may be missing from the
printed list, never from the file.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import child_environment
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.store.database import open_database

CHILD = Path(__file__).with_name("durability_child.py")
KILLS = 60
MOST_IDS_BEFORE_KILL = 30
ID_LENGTH = 32  # UUIDs are stored as 32 hex digits on SQLite


def parse(line: str) -> tuple[str, str] | None:
    """("walk" | "obs", hex id) for a complete line, None for a line cut off by the kill."""
    if not line.endswith("\n"):
        return None
    kind, _, ident = line.strip().partition(" ")
    assert kind in {"walk", "obs"}, f"unexpected output from the child: {line!r}"
    assert len(ident) == ID_LENGTH, f"bad id from the child: {line!r}"
    int(ident, 16)  # hex, or ValueError
    return kind, ident


def run_and_kill(db_path: Path, area_hex: str, wait_for: int, stderr_path: Path) -> list[str]:
    """Start a child; kill it after `wait_for` observation ids (-1: at once); return its lines."""
    with stderr_path.open("w", encoding="utf-8") as stderr:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(db_path), area_hex],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=child_environment(),
            text=True,
            encoding="utf-8",
        )
    assert child.stdout is not None
    lines: list[str] = []
    try:
        if wait_for >= 0:
            # The walk line, then `wait_for` observation lines.
            for _ in range(wait_for + 1):
                line = child.stdout.readline()
                if not line:
                    break  # the child ended by itself: reported below
                lines.append(line)
    finally:
        child.send_signal(signal.SIGKILL)
        # Ids it printed that we had not read yet were saved too: read them to the end.
        lines.extend(child.stdout.readlines())
        child.stdout.close()
        child.wait()
    assert child.returncode == -signal.SIGKILL, (
        f"the child stopped by itself (exit {child.returncode}):\n"
        + stderr_path.read_text(encoding="utf-8")
    )
    return lines


def read_file_state(db_path: Path) -> tuple[str, set[str], set[str], list[tuple[object, ...]]]:
    """quick_check, observation ids, walk ids and foreign-key problems, read with plain sqlite3."""
    conn = sqlite3.connect(db_path)
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        observations = {row[0] for row in conn.execute("SELECT id FROM observation")}
        walks = {row[0] for row in conn.execute("SELECT id FROM walk")}
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return check, observations, walks, orphans


@pytest.mark.slow
def test_every_returned_save_survives_sigkill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = int(os.environ.get("WASTEWALK_DURABILITY_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    db_path = tmp_path / "ward.sqlite"
    db = open_database(str(db_path))
    try:
        area = create_area(db, create_csu(db, "Medicine").id, "Ward 7")
    finally:
        db.close()

    printed_obs: set[str] = set()
    printed_walks: set[str] = set()
    started = time.monotonic()
    for kill in range(1, KILLS + 1):
        # -1: kill while the child is still starting up (before any save).
        wait_for = rng.randint(-1, MOST_IDS_BEFORE_KILL)
        lines = run_and_kill(db_path, area.id.hex, wait_for, tmp_path / "child-stderr.txt")
        for parsed in filter(None, map(parse, lines)):
            kind, ident = parsed
            (printed_walks if kind == "walk" else printed_obs).add(ident)

        check, in_file_obs, in_file_walks, orphans = read_file_state(db_path)
        where = f"after kill {kill} of {KILLS} (seed {seed}, waited for {wait_for} ids)"
        assert check == "ok", f"file damaged {where}: {check}"
        assert orphans == [], f"observations without a walk {where}"
        assert printed_obs <= in_file_obs, (
            f"{len(printed_obs - in_file_obs)} returned save(s) lost {where}"
        )
        assert printed_walks <= in_file_walks, f"a started walk was lost {where}"
        # Only a save in flight at a kill can be in the file without having been reported.
        assert len(in_file_obs - printed_obs) <= kill, f"unexplained observations {where}"
        assert len(in_file_walks - printed_walks) <= kill, f"unexplained walks {where}"

    elapsed = time.monotonic() - started
    assert len(printed_obs) > KILLS, "the children saved too little for the test to mean much"
    with capsys.disabled():
        print(
            f"\ndurability: {KILLS} SIGKILLs, {len(printed_obs)} returned saves all found, "
            f"{len(in_file_obs)} observations and {len(in_file_walks)} walks in the file, "
            f"quick_check ok every time, {elapsed:.1f} s (seed {seed})"
        )
