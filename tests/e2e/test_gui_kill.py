"""Killing the program during a walk loses no saved observation.

A child process (gui_kill_child.py) runs the real main window on a walk the test started, and
captures observations by keys like a person (waste key, text, Enter), printing each id once the
capture page says it is saved. The test kills it with SIGKILL after a random number of printed ids
(different every round; no sleeps: the child's own output is the clock), several times over the
same file, and after every kill checks the file is whole, holds every printed id, and opens again.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import child_environment
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.walks import start_walk
from wastewalk.store.database import open_database

CHILD = Path(__file__).with_name("gui_kill_child.py")
ROUNDS = 10
MOST_IDS_BEFORE_KILL = 15
# A watchdog, not a clock: a child that hangs (a modal dialog, a deadlock) is killed and reported
# instead of blocking the test run.
HANG_LIMIT_S = 60


def parse(line: str) -> tuple[str, str] | None:
    """("ready" | "obs", id as stored on SQLite); None for a line cut off by the kill."""
    if not line.endswith("\n"):
        return None
    kind, _, ident = line.strip().partition(" ")
    assert kind in {"ready", "obs"}, f"unexpected output from the child: {line!r}"
    return kind, uuid.UUID(ident).hex  # UUIDs are stored as 32 hex digits on SQLite


def run_and_kill(
    db_path: Path, walk_hex: str, round_number: int, wait_for: int, env: dict[str, str], err: Path
) -> list[str]:
    """Start a child; kill it after "ready" and `wait_for` observation ids; return its lines."""
    with err.open("w", encoding="utf-8") as stderr:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(db_path), walk_hex, str(round_number)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            text=True,
            encoding="utf-8",
        )
    assert child.stdout is not None
    hung = threading.Event()

    def give_up() -> None:
        hung.set()
        child.kill()

    watchdog = threading.Timer(HANG_LIMIT_S, give_up)
    watchdog.start()
    lines: list[str] = []
    try:
        for _ in range(wait_for + 1):
            line = child.stdout.readline()
            if not line:
                break  # the child ended by itself: reported below
            lines.append(line)
    finally:
        child.send_signal(signal.SIGKILL)
        watchdog.cancel()
        # Ids it printed that we had not read yet were saved too: read them to the end.
        lines.extend(child.stdout.readlines())
        child.stdout.close()
        child.wait()
    problems = err.read_text(encoding="utf-8")
    assert not hung.is_set(), f"the child hung for {HANG_LIMIT_S} s:\n{problems}"
    assert child.returncode == -signal.SIGKILL, (
        f"the child stopped by itself (exit {child.returncode}):\n{problems}"
    )
    got_ready = any(line.startswith("ready ") for line in lines)
    assert got_ready, f"the child never showed the walk:\n{problems}"
    return lines


def read_file_state(db_path: Path, walk_hex: str) -> tuple[str, set[str], set[str]]:
    """quick_check, this walk's observation ids and all observation ids, read with plain sqlite3."""
    conn = sqlite3.connect(db_path)
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        rows = conn.execute("SELECT id FROM observation WHERE walk_id = ?", (walk_hex,))
        in_walk = {row[0] for row in rows}
        everywhere = {row[0] for row in conn.execute("SELECT id FROM observation")}
    finally:
        conn.close()
    return check, in_walk, everywhere


def test_killing_the_window_during_a_walk_loses_no_saved_observation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = int(os.environ.get("WASTEWALK_GUI_KILL_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    # A different number of saves before each kill, from 0 (killed as the first one starts).
    waits = rng.sample(range(MOST_IDS_BEFORE_KILL + 1), ROUNDS)
    db_path = tmp_path / "ward.sqlite"
    db = open_database(str(db_path))
    try:
        area = create_area(db, create_csu(db, "Medicine").id, "Ward 12 – Acute Medicine")
        walk = start_walk(db, area.id, focus="Kill test: nothing saved is lost")
    finally:
        db.close()
    walk_hex = walk.id.hex
    env = child_environment(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))

    printed: set[str] = set()
    started = time.monotonic()
    for round_number, wait_for in enumerate(waits, start=1):
        lines = run_and_kill(
            db_path, walk_hex, round_number, wait_for, env, tmp_path / "child-stderr.txt"
        )
        parsed = [p for p in map(parse, lines) if p is not None]
        printed |= {ident for kind, ident in parsed if kind == "obs"}

        where = f"after kill {round_number} of {ROUNDS} (seed {seed}, waited for {wait_for} ids)"
        check, in_walk, everywhere = read_file_state(db_path, walk_hex)
        assert check == "ok", f"file damaged {where}: {check}"
        assert printed <= in_walk, f"{len(printed - in_walk)} saved observation(s) lost {where}"
        assert in_walk == everywhere, f"observations outside the walk {where}"
        # Only a save in flight at a kill can be in the file without having been printed.
        assert len(in_walk - printed) <= round_number, f"unexplained observations {where}"
        reopened = open_database(str(db_path))
        reopened.close()

    elapsed = time.monotonic() - started
    assert len(printed) >= sum(waits), "the children saved fewer than they were waited for"
    with capsys.disabled():
        print(
            f"\ngui kill: {ROUNDS} SIGKILLs of the main window mid-walk after {waits} saves, "
            f"{len(printed)} saved ids all found, {len(in_walk)} observations in the file, "
            f"quick_check ok and reopened every time, {elapsed:.1f} s (seed {seed})"
        )
