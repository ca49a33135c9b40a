"""The observations browser at trust scale: open, filter, sort, scroll, and its memory.

    python -m bench.bench_browser [--db GENERATED.sqlite] [--repeat 7]

Without --db a 250,000-observation database is generated into a temp folder first (about 8 s).
Qt runs offscreen. Every figure is a wall-clock time on the UI thread, from the call to the rows
being painted, so it is what a person waits for:

- open: construct `ObservationsSection`, show it at 1150×700, `activated()` (what the main window
  calls), and paint the first page
- filter: type a search and apply it (`apply_now`, as when the pause after typing ends), then paint
  the first page; next to it, raw sqlite3 on a connection with the app's PRAGMAs doing the same
  work by hand: the COUNT with the same LIKE, then the first page with its joins, newest first
- sort and scroll: a heading clicked on the whole trust, and a jump to the last row

Resident memory (VmRSS from /proc/self/status) is measured in two child processes, so neither
carries the other's imports: a bare PySide6 QMainWindow, and the browser in a QMainWindow after a
search and a scroll to the end. Figures, not pass/fail; targets are 200 ms and 400 MB.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import app_configured_connection, median, print_table, scratch_data_dir
from bench.generate import generate

logger = logging.getLogger(__name__)

# A common word, a frequent one, a rare phrase, and one that matches nothing.
SEARCHES = ["pharmacy", "bay", "photocopying forms while patients waited", "zzzz"]
_EACH = [f"o.{c} LIKE ? ESCAPE '\\'" for c in ("description", "location", "countermeasure")]
LIKE = f"({' OR '.join(_EACH)})"
RAW_PAGE = f"""
SELECT o.id, o.walk_id, o.observed_at, c.name, a.name, wc.id, wc.code, wc.label, o.description,
       o.location, o.countermeasure, o.impact, o.ease, w.focus,
       (SELECT count(*) FROM photo p WHERE p.observation_id = o.id AND p.deleted_at IS NULL),
       o.suspected_identifier, o.identifier_confirmed, o.deleted_at IS NOT NULL
FROM observation o
JOIN walk w ON w.id = o.walk_id
JOIN area a ON a.id = w.area_id
JOIN csu c ON c.id = a.csu_id
JOIN waste_category wc ON wc.id = o.category_id
WHERE o.deleted_at IS NULL AND {LIKE}
ORDER BY o.observed_at DESC, o.rowid DESC
LIMIT 200
"""
RAW_COUNT = f"SELECT count(*) FROM observation o WHERE o.deleted_at IS NULL AND {LIKE}"


def rss_mb() -> tuple[float, float]:
    """(resident, peak resident) memory of this process in MB, from /proc/self/status."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found.get("VmRSS", float("nan")), found.get("VmHWM", float("nan"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


# --- child processes for memory ----------------------------------------------------------------


def child_bare() -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1366, 740)
    window.show()
    app.processEvents()
    rss, peak = rss_mb()
    window.close()
    return {"rss": rss, "peak": peak}


def child_browser(path: Path) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    from wastewalk.store.database import open_database
    from wastewalk.ui.browser.section import ObservationsSection
    from wastewalk.ui.scope import Scope

    app = QApplication([])
    db = open_database(str(path), daily_backup=False)
    window = QMainWindow()
    section = ObservationsSection(db, Scope(), window)
    window.setCentralWidget(section)
    window.resize(1366, 740)
    window.show()
    section.activated()
    app.processEvents()
    section.filter_bar.search.setText("bay")
    section.filter_bar.apply_now()
    section.table.scrollToBottom()
    section.table.viewport().repaint()
    section.filter_bar.search.setText("")
    section.filter_bar.apply_now()
    section.table.viewport().repaint()
    rss, peak = rss_mb()
    window.close()
    db.close()
    return {"rss": rss, "peak": peak}


def memory_in_child(kind: str, path: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.bench_browser", "--child", kind, "--db", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- timings in this process -------------------------------------------------------------------


def run(path: Path, repeat: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from wastewalk.store.database import open_database
    from wastewalk.ui.browser.columns import COLUMNS
    from wastewalk.ui.browser.section import ObservationsSection
    from wastewalk.ui.scope import Scope

    app = QApplication.instance() or QApplication([])
    db = open_database(str(path), daily_backup=False)
    with app_configured_connection(path) as raw:
        total_rows = raw.execute("SELECT count(*) FROM observation").fetchone()[0]
    print(f"{path} ({total_rows:,} observations)")
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.machine()}"
    )

    def open_section() -> ObservationsSection:
        section = ObservationsSection(db, Scope())
        section.resize(1150, 700)
        section.show()
        section.activated()
        app.processEvents()
        section.table.viewport().repaint()
        return section

    opens = []
    for _ in range(repeat + 1):
        began = time.perf_counter()
        section = open_section()
        opens.append(time.perf_counter() - began)
        section.close()
        section.deleteLater()
        app.processEvents()
    section = open_section()
    bar, table = section.filter_bar, section.table

    def apply_search(text: str) -> None:
        bar.search.blockSignals(True)
        bar.search.setText(text)
        bar.search.blockSignals(False)
        bar.apply_now()
        table.viewport().repaint()

    rows = [("open: construct, show, first page painted", ms(opens[0]), ms(median(opens[1:])), "")]
    with app_configured_connection(path) as raw:
        for text in SEARCHES:
            mine, theirs, counts = [], [], None
            for _ in range(repeat):
                apply_search("")
                mine.append(timed(lambda t=text: apply_search(t)))
                pattern = f"%{text}%"

                def by_hand(p: str = pattern) -> tuple[int, int]:
                    n = raw.execute(RAW_COUNT, (p, p, p)).fetchone()[0]
                    return n, len(raw.execute(RAW_PAGE, (p, p, p)).fetchall())

                began = time.perf_counter()
                counts = by_hand()
                theirs.append(time.perf_counter() - began)
            assert counts is not None
            assert section.model.total == counts[0], "the browser and raw SQL disagree"
            rows.append(
                (
                    f"filter '{text}' ({counts[0]:,} found)",
                    ms(mine[0]),
                    ms(median(mine)),
                    ms(median(theirs)),
                )
            )
    apply_search("")
    for number, column in enumerate(COLUMNS):
        times = []
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder) * 2:
            times.append(
                timed(
                    lambda n=number, o=order: (table.sortByColumn(n, o), table.viewport().repaint())
                )
            )
        rows.append((f"sort by {column.title} (whole trust)", ms(times[0]), ms(median(times)), ""))
    for number in (0, 1):
        table.sortByColumn(number, Qt.SortOrder.DescendingOrder)
        table.scrollToTop()
        jump = []
        for _ in range(3):
            table.scrollToTop()
            table.viewport().repaint()
            jump.append(timed(lambda: (table.scrollToBottom(), table.viewport().repaint())))
            section.model.refresh()
        rows.append(
            (f"jump to the last row, by {COLUMNS[number].title}", ms(jump[0]), ms(median(jump)), "")
        )

    print()
    print_table(["UI thread, ms", "first", "median", "raw sqlite3 median"], rows)
    section.close()
    db.close()

    bare = memory_in_child("bare", path)
    browser = memory_in_child("browser", path)
    print()
    print_table(
        ["resident memory, MB", "VmRSS", "peak (VmHWM)"],
        [
            ("bare PySide6 QMainWindow", f"{bare['rss']:.0f}", f"{bare['peak']:.0f}"),
            ("browser open, searched, scrolled", f"{browser['rss']:.0f}", f"{browser['peak']:.0f}"),
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_browser", description=__doc__)
    parser.add_argument("--db", type=Path, help="a database made by bench.generate")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", choices=["bare", "browser"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        figures = child_bare() if args.child == "bare" else child_browser(args.db)
        print(json.dumps(figures))
        return 0
    with scratch_data_dir() as folder:
        path = args.db.expanduser().resolve() if args.db else folder / "trust.sqlite"
        if not args.db:
            began = time.perf_counter()
            generate(path)
            print(f"generated {path} in {time.perf_counter() - began:.1f} s")
        run(path, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
