"""The report figures: wastes counted, biggest opportunities, rates used, actions by status and
the annualisation basis, each honouring the filter and agreeing with the roll-up to the penny."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.db.conftest import Org
from wastewalk.models import Action
from wastewalk.services.actions import ActionInput, create_action, delete_action, validate_saving
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.demo import make_demo
from wastewalk.services.estimates import EstimateInput, set_observation_estimate
from wastewalk.services.observations import (
    ObservationInput,
    add_observation,
    set_observation_deleted,
)
from wastewalk.services.organisation import create_area, create_csu, list_areas, list_csus
from wastewalk.services.report_figures import (
    ActionStatusCounts,
    action_status,
    annualisation_basis,
    overdue_actions,
    rates_used,
    top_opportunities,
    waste_tallies,
)
from wastewalk.services.savings import RollupBy, estimate_lines, rollup
from wastewalk.services.staff_rates import (
    StaffRateInput,
    add_staff_rate,
    edit_staff_rate,
    set_hours_per_wte_year,
)
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import WasteCategoryInfo, add_category, set_category_archived
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 10, 1)
SEEN = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "demo.sqlite"))
    make_demo(database, seed=1, today=TODAY)
    yield database
    database.close()


def _filters(db: Database) -> list[DataFilter]:
    csus = {c.name: c.id for c in list_csus(db)}
    areas = list_areas(db)
    return [
        DataFilter(),
        DataFilter(csu_id=csus["Medicine"]),
        DataFilter(area_id=areas[3].id),
        DataFilter(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 8, 31)),
        DataFilter(csu_id=csus["Surgery"], date_from=dt.date(2026, 7, 1)),
    ]


def test_waste_opportunities_equal_the_rollup_for_every_filter(demo: Database) -> None:
    for flt in _filters(demo):
        tallies = waste_tallies(demo, flt)
        by_waste = {row.label: row.figures.opportunity for row in rollup(demo, "waste", flt).rows}
        assert {t.label: t.opportunity_pence for t in tallies if t.opportunity_pence} == {
            label: pence for label, pence in by_waste.items() if pence
        }
        total = rollup(demo, RollupBy.TRUST, flt).total.opportunity
        assert sum(t.opportunity_pence for t in tallies) == total
        assert len(tallies) == 8  # every active waste, zero rows included


def test_top_opportunities_are_the_biggest_counting_estimates(demo: Database) -> None:
    for flt in _filters(demo):
        top = top_opportunities(demo, flt, limit=7)
        lines = estimate_lines(demo, flt, measures=["opportunity"])
        assert [t.estimate_id for t in top] == [line.estimate_id for line in lines[:7]]
        assert [t.annual_value_pence for t in top] == sorted(
            (t.annual_value_pence for t in top), reverse=True
        )
        for t, line in zip(top, lines, strict=False):
            assert (t.area_name, t.csu_name, t.waste_label, t.description) == (
                line.area_name,
                line.csu_name,
                line.category_label,
                line.description,
            )
            assert t.hours_e4 == line.annual_hours_e4
            assert t.cash_releasing == line.cash_releasing
    assert top_opportunities(demo, DataFilter(), limit=0) == []


def test_rates_used_cover_every_counting_estimate(demo: Database) -> None:
    for flt in _filters(demo):
        rates = rates_used(demo, flt)
        lines = [line for line in estimate_lines(demo, flt) if line.rate_code]
        assert sum(r.estimates for r in rates) == len(lines)
        assert {(r.code, r.rate_pence, r.source, r.year) for r in rates} == {
            (line.rate_code, line.rate_pence, line.rate_source, line.rate_year) for line in lines
        }
        assert all(r.source and r.year for r in rates)


def test_action_status_counts_the_demo(demo: Database) -> None:
    counts = action_status(demo, DataFilter(), TODAY)
    assert counts.total == 25
    assert counts.overdue == len(overdue_actions(demo, DataFilter(), TODAY)) > 0
    assert counts.validated > 0
    by_csu = [action_status(demo, DataFilter(csu_id=c.id), TODAY) for c in list_csus(demo)]
    assert sum(c.total for c in by_csu) == counts.total
    assert sum(c.overdue for c in by_csu) == counts.overdue
    overdue = overdue_actions(demo, DataFilter(), TODAY)
    assert [a.due_date for a in overdue] == sorted(a.due_date for a in overdue if a.due_date)
    assert all(a.overdue for a in overdue)
    assert len(overdue_actions(demo, DataFilter(), TODAY, limit=2)) == min(2, len(overdue))


def test_annualisation_basis_of_the_demo(demo: Database) -> None:
    basis = annualisation_basis(demo, DataFilter())
    assert [(f.per, f.factor) for f in basis.factors] == [
        ("day", None),
        ("week", 52),
        ("month", 12),
        ("year", 1),
    ]
    assert len(basis.areas) == 15
    assert basis.hours_per_wte == D(1950)
    grouped = basis.days_groups()
    assert sum(len(areas) for _, areas in grouped) == 15
    assert [days for days, _ in grouped] == sorted({a.operating_days for a in basis.areas})[::-1]
    medicine = next(c for c in list_csus(demo) if c.name == "Medicine")
    narrowed = annualisation_basis(demo, DataFilter(csu_id=medicine.id))
    assert {a.csu_name for a in narrowed.areas} == {"Medicine"}


# --- a small world where each rule can be seen ----------------------------------------------------


def _rate(db: Database) -> uuid.UUID:
    return add_staff_rate(
        db,
        StaffRateInput(
            "porter-example",
            "Porter (example)",
            2000,
            source="Example source",
            year="2025",
        ),
    ).id


def _priced(
    db: Database, walk_id: uuid.UUID, category: WasteCategoryInfo, rate: uuid.UUID, minutes: int
) -> uuid.UUID:
    obs = add_observation(
        db, walk_id, ObservationInput(category.id, f"{minutes} minutes", observed_at=SEEN)
    )
    set_observation_estimate(
        db,
        obs.id,
        EstimateInput(
            minutes=D(minutes), staff_rate_id=rate, occurrences=D(1), per="day", basis="b"
        ),
    )
    return obs.id


def test_deleted_and_archived(
    db: Database, org: Org, categories: dict[str, WasteCategoryInfo]
) -> None:
    rate = _rate(db)
    walk = start_walk(db, org.area.id, started_at=SEEN)
    kept = _priced(db, walk.id, categories["motion"], rate, 6)
    gone = _priced(db, walk.id, categories["motion"], rate, 60)
    set_observation_deleted(db, gone, True)
    own = add_category(db, "paper_chase", "Paper chase")
    _priced(db, walk.id, own, rate, 3)
    set_category_archived(db, own.id, True)
    tallies = {t.code: t for t in waste_tallies(db, DataFilter())}
    assert tallies["motion"].observations == 1
    assert tallies["motion"].opportunity_pence == 73000  # 6 min × 365 days ÷ 60 = 36.5 h at £20/h
    assert tallies[own.code].observations == 1  # archived, still shown: it has observations
    assert tallies["waiting"].observations == 0
    top = top_opportunities(db, DataFilter())
    assert top[0].observation_id == kept
    assert gone not in [t.observation_id for t in top]
    assert sum(t.opportunity_pence for t in tallies.values()) == (
        rollup(db, "trust").total.opportunity
    )
    # A category archived with nothing in the filter drops out.
    empty = add_category(db, "never_used", "Never used")
    set_category_archived(db, empty.id, True)
    assert empty.code not in {t.code for t in waste_tallies(db, DataFilter())}


def test_filters_narrow_by_place_and_uk_day(
    db: Database, org: Org, categories: dict[str, WasteCategoryInfo]
) -> None:
    rate = _rate(db)
    other = create_area(db, create_csu(db, "Surgery").id, "Ward 2")
    ward = start_walk(db, org.area.id, started_at=SEEN)
    _priced(db, ward.id, categories["waiting"], rate, 6)
    theatre = start_walk(db, other.id, started_at=SEEN)
    _priced(db, theatre.id, categories["waiting"], rate, 12)
    medicine = DataFilter(csu_id=org.csu.id)
    assert [t.opportunity_pence for t in waste_tallies(db, medicine) if t.code == "waiting"] == [
        73000
    ]
    assert [a.area_name for a in annualisation_basis(db, medicine).areas] == [
        "Diabetes clinic",
        "Ward 7",
    ]
    # 2 March 2026 10:00 UTC is 2 March in the UK: a filter ending on 1 March sees nothing.
    before = DataFilter(date_to=dt.date(2026, 3, 1))
    assert all(t.observations == 0 and t.opportunity_pence == 0 for t in waste_tallies(db, before))
    assert top_opportunities(db, before) == []
    assert rates_used(db, before) == []
    on_the_day = DataFilter(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 2))
    assert len(top_opportunities(db, on_the_day)) == 2
    assert rates_used(db, on_the_day)[0].estimates == 2


def test_an_edited_rate_shows_both_figures(
    db: Database, org: Org, categories: dict[str, WasteCategoryInfo]
) -> None:
    rate = _rate(db)
    walk = start_walk(db, org.area.id, started_at=SEEN)
    _priced(db, walk.id, categories["motion"], rate, 6)
    edit_staff_rate(
        db,
        rate,
        StaffRateInput("porter-example", "Porter (example)", 2100, source="S2", year="2026"),
    )
    _priced(db, walk.id, categories["motion"], rate, 7)
    used = rates_used(db, DataFilter())
    assert [(r.code, r.rate_pence, r.source, r.year, r.estimates) for r in used] == [
        ("porter-example", 2000, "Example source", "2025", 1),
        ("porter-example", 2100, "S2", "2026", 1),
    ]
    set_hours_per_wte_year(db, D("1957.5"))
    assert annualisation_basis(db, DataFilter()).hours_per_wte == D("1957.5")


def test_actions_by_status_overdue_and_created_day(
    db: Database, org: Org, categories: dict[str, WasteCategoryInfo]
) -> None:
    rate = _rate(db)
    walk = start_walk(db, org.area.id, started_at=SEEN)
    obs = _priced(db, walk.id, categories["motion"], rate, 6)
    today = dt.date(2026, 5, 1)

    def act(title: str, status: str, due: dt.date | None) -> uuid.UUID:
        return create_action(db, [obs], ActionInput(title, due_date=due, status=status)).id

    late = act("Late and open", "open", dt.date(2026, 4, 1))
    later = act("Late and in progress", "in_progress", dt.date(2026, 3, 1))
    act("Done though late", "done", dt.date(2026, 3, 1))
    act("Dropped", "dropped", None)
    act("Due today", "open", today)
    gone = act("Deleted", "open", dt.date(2026, 1, 1))
    delete_action(db, gone)
    valid = act("Validated", "done", None)
    validate_saving(
        db,
        valid,
        EstimateInput(minutes=D(1), staff_rate_id=rate, occurrences=D(1), per="day"),
        "Finance",
    )
    counts = action_status(db, DataFilter(), today)
    assert counts == ActionStatusCounts(
        open=2, in_progress=1, done=2, dropped=1, overdue=2, validated=1
    )
    assert [a.id for a in overdue_actions(db, DataFilter(), today)] == [later, late]
    assert action_status(db, DataFilter(csu_id=uuid.uuid4()), today) == ActionStatusCounts()
    # Actions count on the UK day they were made.
    with db.session() as session:
        session.execute(
            update(Action)
            .where(Action.id == late)
            .values(created_at=dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC))
        )
    february = DataFilter(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28))
    assert action_status(db, february, today).total == 1
    assert [a.id for a in overdue_actions(db, february, today)] == [late]
