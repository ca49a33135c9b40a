"""Launch to main window shown, on the trust-scale database, next to a bare PySide6 QMainWindow.

    python -m bench.bench_window [--db GENERATED.sqlite] [--runs 5]

Without --db a 250,000-observation database is generated into a temp folder first (about 8 s).
Every launch is a fresh process, so interpreter start and imports count, as they do for a person
double-clicking the icon. The time is from the parent's `Popen` call to the moment, in the child,
after the window's first paint: the window's first `paintEvent` queues a zero-delay timer, which
runs once that whole paint (children and flush included) is done. Both ends read
`time.perf_counter`, which on Linux is CLOCK_MONOTONIC and so shared between the processes.

Launches, taken in turn in each round so that a busy moment on the machine hits all alike:

- `python -c pass`: the interpreter alone
- `wastewalk --version`: the interpreter and the command line's imports
- a bare PySide6 `QMainWindow` with a `QLabel`, at 1366×740
- WasteWalk as `wastewalk --db FILE` runs it (the real entry point and `ui.app.run`), on the
  trust-scale file, with its data folder already holding today's automatic backup ("second open")
  and with a fresh data folder ("first open today", which makes the daily backup of the file)

The child also stamps the stages on its way (interpreter ready, imports, QApplication, opening the
database, building the window, first paint) and reports its resident memory (VmRSS, VmHWM) once
the window is painted. Qt runs offscreen. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The child starts here: the stamp is the first statement, then the rest of the child is imported.
CHILD_CODE = (
    "import time; ready = time.perf_counter(); import sys; "
    "from bench.bench_window import child; child(ready, sys.argv[1:])"
)
BARE, SECOND, FIRST = "bare", "app-second", "app-first"
PYTHON, VERSION = "python", "version"
LABELS = {
    PYTHON: "python -c pass (interpreter alone)",
    VERSION: "wastewalk --version",
    BARE: "bare PySide6 QMainWindow + QLabel",
    SECOND: "WasteWalk, second open today",
    FIRST: "WasteWalk, first open today (daily backup)",
}
ORDER = [PYTHON, VERSION, BARE, SECOND, FIRST]
WINDOW_CASES = (BARE, SECOND, FIRST)
STAGES = {
    "ready": "interpreter ready",
    "imported": "imports",
    "app": "QApplication, command line",
    "opened": "open database (checks, backup)",
    "built": "build the window",
    "painted": "show, first paint",
}


# --- in the child --------------------------------------------------------------------------------


def _memory_mb() -> dict[str, float]:
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def child(ready: float, argv: list[str]) -> None:
    """Launch one window, print the stamps and memory as JSON after its first paint, exit."""
    stamps = {"ready": ready}
    if argv[0] == BARE:
        _bare_window(stamps)
    else:
        _wastewalk_window(stamps, argv[1])


def _reporting_window_class(base: type, stamps: dict[str, float]) -> type:
    """`base` with a first paint that reports the stamps and memory, then ends the event loop."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    class Reporting(base):
        _painted = False

        def paintEvent(self, event: object) -> None:
            super().paintEvent(event)
            if not self._painted:
                self._painted = True
                QTimer.singleShot(0, self._report)

        def _report(self) -> None:
            stamps["painted"] = time.perf_counter()
            print(json.dumps({"stamps": stamps, "memory": _memory_mb()}), flush=True)
            QApplication.exit(0)

    return Reporting


def _bare_window(stamps: dict[str, float]) -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    stamps["imported"] = time.perf_counter()
    app = QApplication([])
    stamps["app"] = stamps["opened"] = time.perf_counter()
    window = _reporting_window_class(QMainWindow, stamps)()
    window.setWindowTitle("Bare")
    window.setCentralWidget(QLabel("A bare PySide6 window", window))
    window.resize(1366, 740)
    stamps["built"] = time.perf_counter()
    window.show()
    app.exec()


def _wastewalk_window(stamps: dict[str, float], db_path: str) -> None:
    # The modules `wastewalk --db FILE` loads: the entry point, then the window's (launch_gui).
    import wastewalk.__main__ as entry
    from wastewalk.ui import app as app_module

    stamps["imported"] = time.perf_counter()
    open_or_explain = app_module.open_or_explain

    def timed_open(target: str | None) -> object:
        stamps["app"] = time.perf_counter()
        return open_or_explain(target)

    class Timed(_reporting_window_class(app_module.MainWindow, stamps)):
        def __init__(self, db: object) -> None:
            stamps["opened"] = time.perf_counter()
            super().__init__(db)
            stamps["built"] = time.perf_counter()

    # The real start-up path runs unchanged; these two only take the time on the way through.
    app_module.open_or_explain = timed_open
    app_module.MainWindow = Timed
    sys.exit(entry.main(["--db", db_path]))


# --- in the parent -------------------------------------------------------------------------------


def _environment(data_dir: Path, config_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("WASTEWALK_DB", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["WASTEWALK_DATA_DIR"] = str(data_dir)
    env["XDG_CONFIG_HOME"] = str(config_home)
    return env


def launch(case: str, db_path: Path, profile: Path) -> dict[str, object]:
    """One fresh process; the time from Popen to the window painted (or to exit, without one)."""
    env = _environment(profile / "data", profile / "config")
    if case == PYTHON:
        command = [sys.executable, "-c", "pass"]
    elif case == VERSION:
        command = [sys.executable, "-m", "wastewalk", "--version"]
    else:
        kind = BARE if case == BARE else "app"
        command = [sys.executable, "-c", CHILD_CODE, kind, str(db_path)]
    began = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = child.communicate(timeout=300)
    ended = time.perf_counter()
    if child.returncode != 0:
        raise RuntimeError(f"{LABELS[case]} failed (exit {child.returncode}):\n{err}")
    if case not in WINDOW_CASES:
        return {"total": ended - began}
    report = json.loads(out.strip().splitlines()[-1])
    stamps = report["stamps"]
    return {
        "total": stamps["painted"] - began,
        "stages": _stages(began, stamps),
        "memory": report["memory"],
    }


def _stages(began: float, stamps: dict[str, float]) -> dict[str, float]:
    stages, before = {}, began
    for key in STAGES:
        stages[key] = stamps[key] - before
        before = stamps[key]
    return stages


def run(db_path: Path, runs: int, scratch: Path) -> None:
    import platform
    import sqlite3

    from bench.common import median, print_table

    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        observations = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    size_mb = db_path.stat().st_size / 1e6
    print(f"{db_path} ({observations:,} observations, {size_mb:.0f} MB)")
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Qt offscreen"
    )

    kept = scratch / "kept-profile"  # the "second open" profile: today's backup already there

    def one(case: str, number: int) -> dict[str, object]:
        if case == FIRST:
            fresh = scratch / f"first-{number}"
            try:
                return launch(case, db_path, fresh)
            finally:
                shutil.rmtree(fresh, ignore_errors=True)  # its backup is as big as the file
        return launch(case, db_path, kept if case == SECOND else scratch / case)

    # One launch of each, not counted: the files the interpreter and Qt load come into the cache,
    # and the kept profile gets today's backup.
    for case in ORDER:
        one(case, 0)
    results: dict[str, list[dict[str, object]]] = {case: [] for case in ORDER}
    for number in range(1, runs + 1):
        for case in ORDER:
            results[case].append(one(case, number))

    def totals(case: str) -> list[float]:
        return [float(r["total"]) for r in results[case]]

    bare = median(totals(BARE))
    rows = []
    for case in ORDER:
        values = totals(case)
        rows.append(
            (
                LABELS[case],
                f"{median(values) * 1000:.0f}",
                f"{min(values) * 1000:.0f}",
                f"{median(values) / bare:.2f}x",
            )
        )
    print()
    print(f"launch to window painted (or to exit), ms, {runs} runs each in fresh processes")
    print_table(["launch", "median", "min", "vs bare window (median)"], rows)

    print()
    print("where the time goes, ms (median of each stage)")
    stage_rows = []
    for key, title in STAGES.items():
        cells = [title]
        for case in WINDOW_CASES:
            stages = [r["stages"][key] for r in results[case]]
            cells.append(f"{median(stages) * 1000:.0f}")
        stage_rows.append(cells)
    print_table(["stage", "bare", "WasteWalk second", "WasteWalk first"], stage_rows)

    print()
    memory_rows = []
    for case in WINDOW_CASES:
        rss = [r["memory"]["VmRSS"] for r in results[case]]
        peak = [r["memory"]["VmHWM"] for r in results[case]]
        memory_rows.append((LABELS[case], f"{median(rss):.0f}", f"{median(peak):.0f}"))
    print_table(["resident memory after first paint, MB", "VmRSS", "peak (VmHWM)"], memory_rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_window", description=__doc__)
    parser.add_argument("--db", type=Path, help="a database made by bench.generate")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from bench.common import scratch_data_dir
    from bench.generate import generate

    with scratch_data_dir() as folder:
        path = args.db.expanduser().resolve() if args.db else folder / "trust.sqlite"
        if not args.db:
            began = time.perf_counter()
            generate(path)
            print(f"generated {path} in {time.perf_counter() - began:.1f} s")
        with tempfile.TemporaryDirectory(prefix="wastewalk-bench-window-") as scratch:
            run(path, args.runs, Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
