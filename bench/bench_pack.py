"""The trust-wide steering-group pack at trust scale, next to bare reportlab in the same run.

    python -m bench.bench_pack [--db GENERATED.sqlite] [--keep PRICED.sqlite] [--repeat 3]
                               [--actions 10000] [--seed 1]

The trust: a bench.generate database (250,000 observations; a copy of `--db`, or generated), every
observation priced and `--actions` actions made with savings, a third validated and locked, as
bench.bench_rollup does; two thirds of the actions are then given a due date 30 days after they
were made and stay in progress, so the pack has thousands of overdue actions. `--keep PATH` keeps
that priced trust at PATH and reuses it on later runs (pricing 250,000 observations takes ~25 s).

Timed alternately, `--repeat` times each after one untimed warm-up:
- **pack**: `export.pack_report.write_pack_report(db, DataFilter(), out)`, the whole trust, all
  dates: every query, both layouts (the first finds the contents' page numbers), the file written.
- **bare reportlab**: a document of the same page count built from plain paragraphs and tables
  of about the same size (a heading, a 30-row, 7-column table and a paragraph per page) in the same
  font, with no queries, written the same way.
One more instrumented run splits the pack's time into its stages by the progress words.
Target (issue 6): the trust pack in under 10 s.
"""

from __future__ import annotations

import argparse
import io
import itertools
import logging
import os
import platform
import random
import sqlite3
import sys
import time
from pathlib import Path

from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from bench.bench_rollup import add_costing, refresh_all
from bench.common import copy_database, median, print_table, scratch_data_dir
from bench.generate import generate
from wastewalk.export.files import write_file_atomically
from wastewalk.export.pack_report import write_pack_report
from wastewalk.export.pdf.fonts import FONT, register_fonts
from wastewalk.export.pdf.style import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, styles
from wastewalk.services.data_filter import DataFilter
from wastewalk.store.database import Database, open_database

logger = logging.getLogger(__name__)

TARGET_S = 10.0


def priced_trust(path: Path, source: Path | None, seed: int, actions: int) -> dict[str, object]:
    """Make the priced trust at `path` (from a copy of `source`, or generated); what it holds."""
    began = time.perf_counter()
    if source is not None:
        copy_database(source, path)
    else:
        generate(path, seed=seed)
    db = open_database(str(path), daily_backup=False)  # migrate a file made by an older schema
    db.close()
    counts: dict[str, object] = dict(add_costing(path, random.Random(seed), 1.0, actions))
    counts["refresh s"] = round(refresh_all(path), 1)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE action SET due_date = date(created_at, '+30 days') WHERE status = 'in_progress'"
        )
        conn.execute("ANALYZE")
    counts["made in s"] = round(time.perf_counter() - began, 1)
    return counts


def _is_priced(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        return bool(conn.execute("SELECT count(*) FROM estimate").fetchone()[0])


def bare_reportlab(pages: int, out: Path) -> int:
    """A document of `pages` pages of plain paragraphs and tables, no queries; its page count."""
    register_fonts()
    style = styles()["body"]
    story = []
    for page in range(pages):
        story.append(Paragraph(f"Section {page + 1}", styles()["h1"]))
        rows = [[f"Row {r} cell {c} £{r * 1234.56:,.2f}" for c in range(7)] for r in range(30)]
        table = Table(rows, colWidths=[(PAGE_WIDTH - 2 * MARGIN) / 7] * 7)
        table.setStyle([("FONT", (0, 0), (-1, -1), FONT, 6.5)])
        story += [table, Spacer(1, 6), Paragraph("Plain words. " * 40, style)]
        if page < pages - 1:
            story.append(PageBreak())
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    document.build(story)
    write_file_atomically(out, buffer.getvalue())
    return int(document.page)


def stages(db: Database, out: Path) -> list[tuple[str, float]]:
    """Seconds spent from each progress message to the next, in one (warm) run of the pack."""
    marks: list[tuple[str, float]] = [("start", time.perf_counter())]

    def note(_fraction: float, words: str) -> None:
        if marks[-1][0] != words:
            marks.append((words, time.perf_counter()))

    write_pack_report(db, DataFilter(), out, note)
    marks.append(("end", time.perf_counter()))
    merged: dict[str, float] = {}
    for (words, at), (_next, later) in itertools.pairwise(marks):
        merged[words] = merged.get(words, 0.0) + later - at
    return [(words, seconds) for words, seconds in merged.items() if words != "start"]


def run(path: Path, folder: Path, repeat: int) -> int:
    db = open_database(str(path), daily_backup=False)
    try:
        warm = write_pack_report(db, DataFilter(), folder / "pack.pdf")
        bare_pages = bare_reportlab(warm.pages, folder / "bare.pdf")
        if bare_pages != warm.pages:
            print(f"note: bare document has {bare_pages} pages, the pack {warm.pages}")
        pack_s, bare_s = [], []
        for _ in range(repeat):
            began = time.perf_counter()
            write_pack_report(db, DataFilter(), folder / "pack.pdf")
            pack_s.append(time.perf_counter() - began)
            began = time.perf_counter()
            bare_reportlab(warm.pages, folder / "bare.pdf")
            bare_s.append(time.perf_counter() - began)
        split = stages(db, folder / "stages.pdf")
    finally:
        db.close()
    size = (folder / "pack.pdf").stat().st_size
    print(f"Trust pack: {warm.pages} pages, {size / 1024:,.0f} KiB\n")
    print_table(
        ["seconds", "median", "min", "max"],
        [
            ("write_pack_report (trust)", *(f"{f(pack_s):.2f}" for f in (median, min, max))),
            ("bare reportlab, same pages", *(f"{f(bare_s):.2f}" for f in (median, min, max))),
        ],
    )
    print(f"\nratio (median): {median(pack_s) / median(bare_s):.1f}x")
    print("\nWhere one more run's time goes (each stage named by its first progress message):")
    print_table(
        ["stage", "s"],
        [(words, f"{seconds:.2f}") for words, seconds in split],
    )
    verdict = "meets" if median(pack_s) < TARGET_S else "MISSES"
    print(f"\nThe trust pack {verdict} the {TARGET_S:.0f} s target.")
    return 0 if median(pack_s) < TARGET_S else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pack", description=__doc__)
    parser.add_argument("--db", type=Path, help="a database made by bench.generate (copied)")
    parser.add_argument("--keep", type=Path, help="keep the priced trust here and reuse it")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}\n"
    )
    with scratch_data_dir() as folder:
        path = args.keep or folder / "trust.sqlite"
        if path.exists() and _is_priced(path):
            print(f"Reusing the priced trust {path}\n")
        else:
            if path.exists():
                sys.exit(f"{path} exists but holds no estimates; give another --keep path")
            print("Pricing the trust:", priced_trust(path, args.db, args.seed, args.actions), "\n")
        return run(path, folder, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
