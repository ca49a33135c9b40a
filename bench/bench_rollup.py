"""Savings roll-ups at trust scale: services.savings.rollup against one raw SQL query.

    python -m bench.bench_rollup [--db GENERATED.sqlite] [--repeat 7] [--share 1.0]
                                 [--actions 10000] [--no-analyze]

A 250,000-observation trust (bench.generate, or a copy of `--db`; the original is never changed)
gets an opportunity estimate on every observation (`--share`), and `--actions` actions made from
them, each with an expected saving and a third of them validated and locked. The estimates are
bulk-inserted with plain sqlite3, stored as services.estimates stores them; a sample is checked
against domain.costing.work_out. Then `rollup(db, "csu")` and `rollup(db, "area")` are timed
(median of `--repeat` runs after a warm-up) next to the same aggregate written as ONE raw SQL
query on a plain sqlite3 connection with the app's PRAGMAs, alternately, in the same run. Both
must give the same figures. The query plans of both are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.common import (
    app_configured_connection,
    copy_database,
    insert_sql,
    median,
    new_id,
    print_table,
    scratch_data_dir,
    stored_time,
)
from bench.generate import generate
from wastewalk.domain.costing import EstimateInputs, Period, period_factor, work_out
from wastewalk.services.savings import Figures, RollupBy, rollup
from wastewalk.store.database import open_database

logger = logging.getLogger(__name__)

TARGET_MS = 300
ESTIMATE_COLUMNS = (
    "id", "kind", "observation_id", "action_id", "staff_rate_id", "rate_code", "rate_label",
    "rate_pence", "rate_source", "rate_year", "minutes_centi", "staff_count_centi",
    "occurrences_milli", "per", "operating_days", "consumables_pence", "other_annual_pence",
    "hours_per_wte_centi", "cash_releasing", "recurrent", "basis", "annual_value_pence",
    "annual_hours_e4", "priced_at", "deleted_at", "created_at", "updated_at", "device_id",
)  # fmt: skip
ACTION_COLUMNS = (
    "id", "area_id", "category_id", "title", "owner", "due_date", "status", "notes",
    "validated_at", "validated_by", "locked", "deleted_at", "created_at", "updated_at",
    "device_id",
)  # fmt: skip
LINK_COLUMNS = ("id", "action_id", "observation_id", "created_at", "updated_at", "device_id")
# 600,000,000 = 100 (minutes) x 100 (staff) x 1000 (occurrences) x 60 (minutes an hour): the
# common denominator of an estimate's value in pence, so it is rounded half up exactly, once.
_DENOMINATOR = 600_000_000

# The same aggregate as services.savings.rollup, as one statement: the counting estimates
# (in_rollup, kept by services.estimates.refresh_rollup_columns), summed per group.
# {key}, {label} and {group} pick the CSU or the area.
RAW_SQL = """
SELECT {key}, {label},
    SUM(CASE WHEN e.kind = 'opportunity' AND e.cash_releasing = 1 THEN e.annual_value_pence ELSE 0 END),
    SUM(CASE WHEN e.kind = 'opportunity' AND e.cash_releasing = 0 THEN e.annual_value_pence ELSE 0 END),
    SUM(CASE WHEN e.kind = 'expected' AND e.cash_releasing = 1 THEN e.annual_value_pence ELSE 0 END),
    SUM(CASE WHEN e.kind = 'expected' AND e.cash_releasing = 0 THEN e.annual_value_pence ELSE 0 END),
    SUM(CASE WHEN e.kind = 'validated' AND e.cash_releasing = 1 THEN e.annual_value_pence ELSE 0 END),
    SUM(CASE WHEN e.kind = 'validated' AND e.cash_releasing = 0 THEN e.annual_value_pence ELSE 0 END),
    SUM(CASE WHEN e.kind = 'opportunity' THEN e.annual_hours_e4 ELSE 0 END),
    SUM(CASE WHEN e.kind = 'expected' THEN e.annual_hours_e4 ELSE 0 END),
    SUM(CASE WHEN e.kind = 'validated' THEN e.annual_hours_e4 ELSE 0 END),
    COUNT(*)
FROM estimate e
JOIN area ON area.id = e.area_id
JOIN csu ON csu.id = area.csu_id
WHERE e.in_rollup = 1
GROUP BY {group}
ORDER BY {order}
"""  # noqa: E501 - one query, kept readable as SQL
RAW = {
    "csu": RAW_SQL.format(key="csu.id", label="csu.name", group="csu.id", order="csu.name"),
    "area": RAW_SQL.format(
        key="area.id", label="area.name", group="area.id", order="csu.name, area.name"
    ),
}


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def _figures(
    minutes: int, staff: int, occurrences: int, factor: int, rate: int, cons: int
) -> tuple[int, int]:
    """(annual value in pence, annual hours in ten-thousandths), each rounded half up once."""
    staff_time = minutes * staff * occurrences * factor
    pence = _half_up(staff_time * rate + cons * occurrences * factor * 600_000, _DENOMINATOR)
    return pence, _half_up(staff_time, 60_000)


def add_costing(path: Path, rng: random.Random, share: float, actions: int) -> dict[str, int]:
    """Price `share` of the observations and make `actions` actions with savings, in bulk."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")  # speed while filling only, as bench.generate
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("PRAGMA foreign_keys=ON")
        rates = list(
            conn.execute(
                "SELECT id, code, staff_group, cost_per_hour_pence, source, year FROM staff_rate"
            )
        )
        days = dict(conn.execute("SELECT id, operating_days_per_year FROM area"))
        observations = list(
            conn.execute(
                "SELECT o.id, w.area_id, o.category_id, o.observed_at, o.deleted_at IS NOT NULL "
                "FROM observation o JOIN walk w ON w.id = o.walk_id ORDER BY o.rowid"
            )
        )
        device = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        conn.execute("BEGIN")
        priced: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []  # (observation, estimate)
        rows = []
        for obs in observations:
            if rng.random() >= share:
                continue
            row = _estimate(rng, device, rates, days[obs[1]], obs[0], None, "opportunity", obs[3])
            rows.append(row)
            if not obs[4]:
                priced.append((obs, row))
        conn.executemany(insert_sql("estimate", ESTIMATE_COLUMNS), rows)
        made = _add_actions(conn, rng, device, rates, days, priced, actions)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return {"opportunity estimates": len(rows), **made}


def _estimate(
    rng: random.Random,
    device: str,
    rates: list[tuple[Any, ...]],
    operating_days: int,
    observation_id: str | None,
    action_id: str | None,
    kind: str,
    when: str,
    like: tuple[Any, ...] | None = None,
    share: float = 1.0,
) -> tuple[Any, ...]:
    """One estimate row; `like` (an opportunity row) with `share` of its minutes for a saving."""
    if like is None:
        rate = rng.choice(rates)
        minutes = rng.choice((200, 300, 500, 750, 1000, 1500))
        staff = 100 if rng.random() < 0.85 else 200
        occurrences = rng.randint(1, 8) * 1000
        per = rng.choice(("day", "day", "week", "month"))
        consumables = rng.choice((0, 0, 0, 0, 150, 1200))
    else:
        index = {name: i for i, name in enumerate(ESTIMATE_COLUMNS)}
        rate = next(r for r in rates if r[0] == like[index["staff_rate_id"]])
        minutes = int(like[index["minutes_centi"]] * share)
        staff = like[index["staff_count_centi"]]
        occurrences = like[index["occurrences_milli"]]
        per = like[index["per"]]
        consumables = int(like[index["consumables_pence"]] * share)
    factor = period_factor(per, operating_days)
    pence, hours = _figures(minutes, staff, occurrences, factor, rate[3], consumables)
    cash = rng.random() < 0.2
    return (
        new_id(rng),
        kind,
        observation_id,
        action_id,
        rate[0],
        rate[1],
        rate[2],
        rate[3],
        rate[4],
        rate[5],
        minutes,
        staff,
        occurrences,
        per,
        operating_days,
        consumables,
        0,
        195000,
        int(cash),
        1,
        "Bank shifts stopped" if cash else "",
        pence,
        hours,
        when,
        None,
        when,
        when,
        device,
    )


def _add_actions(
    conn: sqlite3.Connection,
    rng: random.Random,
    device: str,
    rates: list[tuple[Any, ...]],
    days: dict[str, int],
    priced: list[tuple[tuple[Any, ...], tuple[Any, ...]]],
    count: int,
) -> dict[str, int]:
    actions, links, estimates = [], [], []
    validated = 0
    for obs, opportunity in rng.sample(priced, min(count, len(priced))):
        observation_id, area_id, category_id, observed_at, _deleted = obs
        seen = dt.datetime.fromisoformat(observed_at)
        created = stored_time(seen + dt.timedelta(days=3))
        action_id = new_id(rng)
        locked = rng.random() < 1 / 3
        validated_at = stored_time(seen + dt.timedelta(days=40)) if locked else None
        validated += locked
        status, by = ("done", "Finance") if locked else ("in_progress", "")
        head = (action_id, area_id, category_id, "Fix it", "Sister", None, status, "")
        actions.append((*head, validated_at, by, int(locked), None, created, created, device))
        links.append((new_id(rng), action_id, observation_id, created, created, device))
        saving = (rng, device, rates, days[area_id], None, action_id)
        estimates.append(_estimate(*saving, "expected", created, opportunity, 0.6))
        if validated_at is not None:
            estimates.append(_estimate(*saving, "validated", validated_at, opportunity, 0.5))
    conn.executemany(insert_sql("action", ACTION_COLUMNS), actions)
    conn.executemany(insert_sql("action_observation", LINK_COLUMNS), links)
    conn.executemany(insert_sql("estimate", ESTIMATE_COLUMNS), estimates)
    return {"actions": len(actions), "saving estimates": len(estimates), "validated": validated}


def refresh_all(path: Path) -> float:
    """Fill the estimates' roll-up columns with the app's own bulk refresh; its time in s."""
    from wastewalk.services.estimates import refresh_rollup_columns
    from wastewalk.store.database import open_database

    began = time.perf_counter()
    db = open_database(str(path), daily_backup=False)
    try:
        with db.session() as session:
            refresh_rollup_columns(session)
    finally:
        db.close()
    return time.perf_counter() - began


def check_sample(path: Path, rng: random.Random, n: int = 500) -> None:
    """The bulk rows hold what domain.costing.work_out makes of their own inputs."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT minutes_centi, staff_count_centi, rate_pence, occurrences_milli, per, "
            "operating_days, consumables_pence, annual_value_pence, annual_hours_e4 FROM estimate"
        ).fetchall()
    finally:
        conn.close()
    for row in rng.sample(rows, min(n, len(rows))):
        minutes, staff, rate, occurrences, per, operating_days, cons, pence, hours = row
        result = work_out(
            EstimateInputs(
                minutes_per_occurrence=Decimal(minutes) / 100,
                staff_count=Decimal(staff) / 100,
                hourly_cost_pence=rate,
                occurrences=Decimal(occurrences) / 1000,
                per=Period(per),
                operating_days=operating_days,
                consumables_per_occurrence_pence=cons,
            )
        )
        hours_e4 = (result.annual_hours * 10_000).to_integral_value(ROUND_HALF_UP)
        if (result.annual_value_pence, hours_e4) != (pence, hours):
            raise SystemExit(f"bulk estimate {row} disagrees with work_out: {result}")


def _raw_rows(conn: sqlite3.Connection, by: str) -> list[tuple[Any, ...]]:
    return conn.execute(RAW[by]).fetchall()


def _same(service: list[tuple[str, Figures]], raw: list[tuple[Any, ...]]) -> bool:
    raw_figures = [
        (key, Figures(*values[:6], *values[6:9], values[9])) for key, _label, *values in raw
    ]
    return service == raw_figures


def _timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def _captured_sql(engine: Any, call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements (with their parameters) that `call` sends to the database."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _plan(conn: sqlite3.Connection, statement: str, parameters: Any = ()) -> Iterator[str]:
    for _id, parent, _unused, detail in conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
        yield f"    {'  ' if parent else ''}{detail}"


def run(path: Path, repeat: int) -> int:
    db = open_database(str(path), daily_backup=False)
    results = []
    failed = False
    try:
        with app_configured_connection(path) as conn:
            for by in ("csu", "area"):

                def service(by: str = by) -> object:
                    return rollup(db, RollupBy(by))

                def raw(by: str = by) -> object:
                    return _raw_rows(conn, by)

                table = rollup(db, RollupBy(by))
                rows = [(row.key, row.figures) for row in table.rows]
                raw_rows = [(uuid.UUID(hex=r[0]).hex, *r[1:]) for r in _raw_rows(conn, by)]
                if not _same(rows, raw_rows):
                    print(f"PROBLEM: rollup by {by} and the raw query disagree", file=sys.stderr)
                    failed = True
                service_ms, raw_ms = [], []
                for _ in range(repeat):
                    service_ms.append(_timed(service))
                    raw_ms.append(_timed(raw))
                results.append((by, len(rows), table.total, service_ms, raw_ms))
            captured = _captured_sql(db.engine, lambda: rollup(db, RollupBy.CSU))
            print("Query plans (rollup by CSU: the service's statements, then the raw query)")
            for number, (statement, parameters) in enumerate(captured, start=1):
                print(f"  service statement {number}:")
                for line in _plan(conn, statement, parameters):
                    print(line)
            print("  raw query:")
            for line in _plan(conn, RAW["csu"]):
                print(line)
    finally:
        db.close()
    print()
    total = results[0][2]
    print(
        f"Counting estimates: {total.estimates:,}; opportunity £{total.opportunity / 100:,.2f}, "
        f"expected £{total.expected / 100:,.2f}, validated £{total.validated / 100:,.2f}\n"
    )
    print_table(
        ["roll-up, ms", "rows", "service median", "min", "max", "raw SQL median", "min", "ratio"],
        [
            (
                f"by {by}",
                n,
                f"{median(s):.0f}",
                f"{min(s):.0f}",
                f"{max(s):.0f}",
                f"{median(r):.0f}",
                f"{min(r):.0f}",
                f"{median(s) / median(r):.1f}x",
            )
            for by, n, _total, s, r in results
        ],
    )
    for by, _n, _total, service_ms, _raw in results:
        verdict = "meets" if median(service_ms) < TARGET_MS else "MISSES"
        print(f"rollup by {by}: {verdict} the {TARGET_MS} ms target")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_rollup", description=__doc__)
    parser.add_argument("--db", type=Path, help="a database made by bench.generate (copied)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--share", type=float, default=1.0, help="share of observations priced")
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--observations", type=int, default=250_000, help="for a generated trust (default 250,000)"
    )
    parser.add_argument(
        "--no-analyze", action="store_true", help="drop sqlite_stat1, as on a laptop's own file"
    )
    args = parser.parse_args(argv)
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}\n"
    )
    rng = random.Random(args.seed)
    with scratch_data_dir() as folder:
        path = folder / "trust.sqlite"
        began = time.perf_counter()
        if args.db:
            copy_database(args.db, path)
        else:
            generate(path, seed=args.seed, observations=args.observations)
        made = time.perf_counter() - began
        counts = add_costing(path, rng, args.share, args.actions)
        refreshed = refresh_all(path)
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            if args.no_analyze:
                conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
            else:
                conn.execute("ANALYZE")
            conn.execute("PRAGMA journal_mode=WAL")
            observations = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
        finally:
            conn.close()
        check_sample(path, rng)
        priced = time.perf_counter() - began - made
        print(
            f"{observations:,} observations ({'copied' if args.db else 'generated'} in "
            f"{made:.1f} s); added in {priced:.1f} s: "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + (" (no ANALYZE statistics)" if args.no_analyze else " (then ANALYZE)")
            + f"; every estimate's roll-up columns refreshed in {refreshed:.1f} s\n"
        )
        return run(path, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
