"""CSV export at trust scale: `export csv --what observations` against raw sqlite3 + csv.writer.

    python -m bench.bench_csv_export [--db GENERATED.sqlite] [--repeat 3] [--actions 10000]

A 250,000-observation trust (bench.generate, or a copy of `--db`; the original is never changed)
gets an opportunity estimate on every observation and `--actions` actions with savings, as
bench.bench_rollup makes them (skipped when the copy already holds estimates). Then, alternately
in each of `--repeat` rounds after one warm-up round:

- **service**: `export.csv_exports.export_csv(db, folder, "observations")` in this process;
- **command**: `python -m wastewalk export csv --what observations` in a child process, from
  `Popen` to exit (interpreter, imports, opening and checking the file included);
- **raw**: one SQL query on a plain sqlite3 connection with the app's PRAGMAs, with the same
  joins (walk, area, CSU, trust, waste, the opportunity estimate, a live-photo count) and the
  same 28 columns, written by csv.writer to a UTF-8-with-BOM file as sqlite3 returns them (ids as
  stored hex, times as stored text; no conversion, no neutralising).

Both observation files are checked to hold the same observations. Then `--what estimates` and
`--what all`, once each in a child process (the command), with the child's own peak resident
memory (VmHWM); and `services.savings.estimate_lines` for the whole trust (the list the window
and the reports get), timed and measured the same way in a child process.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import platform
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from bench.bench_rollup import add_costing, refresh_all
from bench.common import (
    app_configured_connection,
    copy_database,
    median,
    print_table,
    scratch_data_dir,
)
from bench.generate import generate
from wastewalk.export.csv_exports import export_csv
from wastewalk.export.observations_csv import OBSERVATIONS_HEADER
from wastewalk.store.database import open_database

logger = logging.getLogger(__name__)

TARGET_RATIO = 2.0
REPO = Path(__file__).resolve().parent.parent
RAW_SQL = """
SELECT o.id, o.walk_id, a.id, a.name, c.id, c.name, t.id, t.name,
    o.observed_at, o.observed_at, wc.code, wc.label,
    o.description, o.location, o.frequency, o.impact, o.ease,
    o.domain_quality, o.domain_delivery, o.domain_service, o.domain_morale, o.domain_cost,
    o.countermeasure, o.suspected_identifier AND NOT o.identifier_confirmed,
    (SELECT count(*) FROM photo p WHERE p.observation_id = o.id AND p.deleted_at IS NULL),
    e.id, e.annual_value_pence, e.cash_releasing
FROM observation o
JOIN walk w ON w.id = o.walk_id
JOIN area a ON a.id = w.area_id
JOIN csu c ON c.id = a.csu_id
JOIN trust t ON t.id = c.trust_id
JOIN waste_category wc ON wc.id = o.category_id
LEFT JOIN estimate e
    ON e.observation_id = o.id AND e.kind = 'opportunity' AND e.deleted_at IS NULL
WHERE o.deleted_at IS NULL
ORDER BY o.observed_at, o.id
"""


def raw_export(conn: sqlite3.Connection, path: Path) -> int:
    """The baseline: the same rows and columns straight from sqlite3 into csv.writer."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OBSERVATIONS_HEADER)
        cursor = conn.execute(RAW_SQL)
        writer.writerows(cursor)
        handle.flush()
        os.fsync(handle.fileno())
    return cursor.rowcount


# Each child reports its own peak resident memory at exit (VmHWM): the high-water mark of that
# program alone, where ru_maxrss from wait4 would also count the parent's memory shared with the
# child between fork and exec.
PEAK = """
with open("/proc/self/status") as status:
    peak = next(line for line in status if line.startswith("VmHWM:"))
sys.stderr.write("VmHWM " + peak.split()[1] + "\\n")
"""
# `python -m wastewalk ARGS`.
COMMAND = f"""
import sys
from wastewalk.__main__ import main
try:
    code = main(sys.argv[1:])
finally:
{textwrap.indent(PEAK, "    ")}
sys.exit(code)
"""
# services.savings.estimate_lines(db) for the whole trust, timed inside the child.
LINES = f"""
import sys, time
from wastewalk.services.savings import estimate_lines
from wastewalk.store.database import open_database
db = open_database(sys.argv[1], daily_backup=False)
began = time.perf_counter()
lines = estimate_lines(db)
sys.stderr.write(f"took {{time.perf_counter() - began}} lines {{len(lines)}}\\n")
{PEAK}
"""


def child(code: str, *args: str) -> tuple[float, int, str]:
    """Seconds, peak resident memory (MB) and stderr of `python -c CODE ARGS`."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr}")
    peak_kb = int(done.stderr.rsplit("VmHWM ", 1)[1].split()[0])
    return seconds, peak_kb // 1024, done.stderr


def command(db: Path, what: str, out: Path) -> tuple[float, int]:
    """Seconds and peak resident memory (MB) of `wastewalk export csv` in a child process."""
    seconds, peak_mb, _ = child(
        COMMAND, "export", "csv", "--what", what, "--out", str(out), "--db", str(db)
    )
    return seconds, peak_mb


def _timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def _ids(path: Path, dashed: bool) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        return {row[0].replace("-", "") if dashed else row[0] for row in rows}


def run(path: Path, folder: Path, repeat: int) -> int:
    db = open_database(str(path), daily_backup=False)
    service_out, raw_out, command_out = folder / "service", folder / "raw", folder / "command"
    raw_out.mkdir()
    # Once, untimed: the command's first open of the day backs the file up in the scratch folder.
    command(path, "walks", command_out)
    service_s, command_s, raw_s = [], [], []
    try:
        with app_configured_connection(path) as conn:
            for round_number in range(repeat + 1):
                s = _timed(lambda: export_csv(db, service_out, "observations"))
                c, command_mb = command(path, "observations", command_out)
                r = _timed(lambda: raw_export(conn, raw_out / "observations.csv"))
                if round_number:  # the first round warms the caches
                    service_s.append(s)
                    command_s.append(c)
                    raw_s.append(r)
        service_ids = _ids(service_out / "observations.csv", dashed=True)
        if service_ids != _ids(raw_out / "observations.csv", dashed=False):
            print("PROBLEM: the service and the raw query wrote different observations")
            return 1
    finally:
        db.close()
    _, lines_mb, said = child(LINES, str(path))
    lines_s = float(said.split("took ", 1)[1].split()[0])
    count = int(said.split(" lines ", 1)[1].split()[0])
    estimates_s, estimates_mb = command(path, "estimates", folder / "estimates")
    all_s, all_mb = command(path, "all", folder / "all")
    size = (service_out / "observations.csv").stat().st_size
    print(f"observations.csv: {len(service_ids):,} rows, {size / 1e6:.0f} MB\n")
    print_table(
        ["--what observations, s", "median", "min", "max", "vs raw (median)"],
        [
            (
                name,
                f"{median(t):.2f}",
                f"{min(t):.2f}",
                f"{max(t):.2f}",
                f"{median(t) / median(raw_s):.2f}x",
            )
            for name, t in (
                ("export_csv (service)", service_s),
                ("wastewalk export csv (command)", command_s),
                ("raw sqlite3 + csv.writer", raw_s),
            )
        ],
    )
    print(f"\ncommand peak resident memory: {command_mb} MB")
    print()
    print_table(
        ["once each", "s", "peak memory"],
        [
            (
                "wastewalk export csv --what estimates",
                f"{estimates_s:.1f}",
                f"{estimates_mb} MB RSS",
            ),
            ("wastewalk export csv --what all", f"{all_s:.1f}", f"{all_mb} MB RSS"),
            (
                f"estimate_lines(db): {count:,} lines in memory",
                f"{lines_s:.1f}",
                f"{lines_mb} MB RSS",
            ),
        ],
    )
    ratio = median(service_s) / median(raw_s)
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"\nservice {ratio:.2f}x raw: {verdict} the {TARGET_RATIO:g}x target")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_csv_export", description=__doc__)
    parser.add_argument("--db", type=Path, help="a database made by bench.generate (copied)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}\n"
    )
    with scratch_data_dir() as folder:
        path = folder / "trust.sqlite"
        began = time.perf_counter()
        if args.db:
            copy_database(args.db, path)
        else:
            generate(path, seed=args.seed)
        with sqlite3.connect(path) as conn:
            priced = conn.execute("SELECT count(*) FROM estimate").fetchone()[0]
        if not priced:
            counts = add_costing(path, random.Random(args.seed), 1.0, args.actions)
            refresh_all(path)
            print("priced: " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
        print(f"database ready in {time.perf_counter() - began:.1f} s\n")
        return run(path, folder, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
