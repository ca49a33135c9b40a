"""The demo trust's money: priced observations and actions that read like a real team's."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from decimal import ROUND_HALF_UP
from pathlib import Path

from sqlalchemy import func, select

from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.models import Action, ActionEvent, Estimate, Observation, StaffRate
from wastewalk.services.actions import list_actions
from wastewalk.services.demo import make_demo
from wastewalk.services.demo_costing import make_demo_costing
from wastewalk.services.estimates import get_estimate
from wastewalk.services.organisation import list_csus
from wastewalk.services.savings import RollupBy, rollup
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 11, 20)
COSTING_TABLES = ("estimate", "action", "action_observation", "action_event")


def _next_id(seed: int) -> Callable[[str], uuid.UUID]:
    counters: Counter[str] = Counter()

    def next_id(kind: str) -> uuid.UUID:
        counters[kind] += 1
        return uuid.uuid5(uuid.NAMESPACE_URL, f"demo-costing-test:{seed}:{kind}:{counters[kind]}")

    return next_id


def demo(path: Path) -> Database:
    """A demo database with its costing, made by make_demo (or added here, until demo.py calls
    make_demo_costing itself)."""
    db = open_database(str(path))
    make_demo(db, seed=1, today=TODAY)
    with db.session() as session:
        if not session.scalar(select(func.count()).select_from(Estimate)):
            make_demo_costing(session, db.device_id, _next_id(1), random.Random(1), TODAY)
    return db


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {
            table: list(conn.execute(f"SELECT * FROM {table} ORDER BY id"))
            for table in COSTING_TABLES
        }


def test_the_demo_prices_a_share_of_its_observations_and_rolls_up(tmp_path: Path) -> None:
    db = demo(tmp_path / "demo.sqlite")
    try:
        by_csu = rollup(db, RollupBy.CSU)
        total = by_csu.total
        assert total.opportunity > 0
        assert total.expected > 0
        assert total.validated > 0
        assert total.opportunity_cash > 0
        assert total.opportunity_non_cash > 0
        assert total.expected < total.opportunity  # an action saves part of the waste
        assert {row.label for row in by_csu.rows} == {c.name for c in list_csus(db)}
        assert all(row.figures.opportunity > 0 for row in by_csu.rows)
        with db.session() as session:
            observations = session.scalar(
                select(func.count())
                .select_from(Observation)
                .where(Observation.deleted_at.is_(None))
            )
            estimates = list(session.scalars(select(Estimate)))
            rates = {r.id: r for r in session.scalars(select(StaffRate))}
        opportunities = [e for e in estimates if e.kind == "opportunity"]
        assert observations
        assert 0.3 < len(opportunities) / observations < 0.5
        # A cash-releasing figure always says which budget falls.
        assert all(e.basis.strip() for e in estimates if e.cash_releasing)
        start_of_today = uk_to_utc(TODAY, dt.time(0, 0))
        for e in estimates:
            assert e.priced_at < start_of_today
            rate = rates[e.staff_rate_id] if e.staff_rate_id else None
            assert rate is not None
            copy = (e.rate_code, e.rate_label, e.rate_pence, e.rate_source, e.rate_year)
            assert copy == (
                rate.code,
                rate.staff_group,
                rate.cost_per_hour_pence,
                rate.source,
                rate.year,
            )
        # The stored figures are the ones the estimate's own inputs work out to.
        for e in random.Random(3).sample(estimates, 60):
            info = get_estimate(db, e.id)
            assert info.result.annual_value_pence == e.annual_value_pence
            hours_e4 = (info.result.annual_hours * 10_000).to_integral_value(ROUND_HALF_UP)
            assert hours_e4 == e.annual_hours_e4
    finally:
        db.close()


def test_the_demo_actions_tell_the_story_from_waste_to_saving(tmp_path: Path) -> None:
    db = demo(tmp_path / "demo.sqlite")
    try:
        actions = list_actions(db, today=TODAY)
        assert 20 <= len(actions) <= 30
        assert len({a.area_id for a in actions}) >= 8
        assert len({a.csu_name for a in actions}) == len(list_csus(db))
        statuses = Counter(a.status for a in actions)
        assert set(statuses) == {"open", "in_progress", "done", "dropped"}
        overdue = [a for a in actions if a.overdue]
        assert 2 <= len(overdue) <= 6
        validated = [a for a in actions if a.validated is not None]
        assert len(validated) >= 3
        for action in validated:
            assert action.locked
            assert action.status == "done"
            assert action.validated_by
            assert action.validated_at is not None
            assert action.created_at < action.validated_at < uk_to_utc(TODAY, dt.time(0, 0))
        assert sum(a.expected is not None for a in actions) >= len(actions) // 2
        for action in actions:
            assert action.observation_ids
            assert action.title
            assert action.due_date is not None
            assert action.due_date > action.created_at.date()
        with db.session() as session:
            events = Counter(session.scalars(select(ActionEvent.what)))
            stamped = session.scalar(
                select(func.count()).select_from(Action).where(Action.validated_at.is_not(None))
            )
        assert events["validated"] == len(validated) == stamped
    finally:
        db.close()


def test_the_same_seed_gives_the_same_costing(tmp_path: Path) -> None:
    for name in ("one.sqlite", "two.sqlite"):
        demo(tmp_path / name).close()
    one, two = dump(tmp_path / "one.sqlite"), dump(tmp_path / "two.sqlite")
    assert one["estimate"]
    assert one == two
    with closing(sqlite3.connect(tmp_path / "one.sqlite")) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
