"""Estimates, actions and roll-ups in a real database: kept rates, locks, and sums to the penny."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal as D

import pytest

from tests.db.conftest import Org
from wastewalk.domain.errors import InputError
from wastewalk.services.actions import (
    ActionInput,
    action_history,
    create_action,
    delete_action,
    edit_action,
    get_action,
    list_actions,
    set_expected_saving,
    unlock_action,
    validate_saving,
)
from wastewalk.services.estimates import (
    EstimateInput,
    clear_observation_estimate,
    get_observation_estimate,
    reprice_estimate,
    set_observation_estimate,
)
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.savings import RollupBy, SavingsFilter, estimate_lines, rollup
from wastewalk.services.staff_rates import (
    StaffRateInfo,
    StaffRateInput,
    add_staff_rate,
    edit_staff_rate,
    list_staff_rates,
    set_hours_per_wte_year,
)
from wastewalk.services.walks import WalkInfo, start_walk
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store.database import Database

SEEN = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def rate(db: Database) -> StaffRateInfo:
    return add_staff_rate(
        db,
        StaffRateInput(
            "nurse-b5-example",
            "Registered nurse band 5 (worked example)",
            5300,
            band="5",
            basis="cost per working hour",
            source="PRODUCT.md worked example",
            year="2025",
        ),
    )


def observe(db: Database, walk: WalkInfo, category: WasteCategoryInfo, text: str = "Seen"):  # type: ignore[no-untyped-def]
    return add_observation(db, walk.id, ObservationInput(category.id, text, observed_at=SEEN))


def example(rate: StaffRateInfo, **changes: object) -> EstimateInput:
    data = EstimateInput(
        minutes=D(6), staff_count=D(1), staff_rate_id=rate.id, occurrences=D(5), per="day"
    )
    return EstimateInput(**{**data.__dict__, **changes})  # type: ignore[arg-type]


def test_shipped_rates_state_their_sources(db: Database) -> None:
    rates = {r.code: r for r in list_staff_rates(db)}
    assert len(rates) == 27
    assert rates["nurse-band-5"].cost_per_hour_pence == 5700
    assert "Unit Costs of Health and Social Care 2025" in rates["nurse-band-5"].source
    assert all(r.source and r.year and r.is_default for r in rates.values())


def test_the_worked_example_on_an_observation(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo], rate: StaffRateInfo
) -> None:
    observation = observe(db, walk, categories["motion"])
    info = set_observation_estimate(db, observation.id, example(rate))
    assert info.result.annual_hours == D("182.5")
    assert info.annual_value_pence == 967250
    assert round(info.result.wte, 4) == D("0.0936")
    assert info.rate.pence == 5300
    assert info.operating_days == 365
    assert get_observation_estimate(db, observation.id) == info


def test_a_clinic_prices_by_its_operating_days(
    db: Database, org: Org, categories: dict[str, WasteCategoryInfo], rate: StaffRateInfo
) -> None:
    clinic_walk = start_walk(db, org.clinic.id, started_at=SEEN)
    observation = observe(db, clinic_walk, categories["waiting"])
    info = set_observation_estimate(db, observation.id, example(rate))
    assert info.operating_days == 253
    assert info.annual_value_pence == 670450


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"cash_releasing": True}, "needs a written basis"),
        ({"staff_rate_id": None}, "Choose a staff group"),
        ({"minutes": D("1.234")}, "at most 2 decimal places"),
        ({"minutes": D(-6)}, "cannot be negative"),
        ({"occurrences": D(20_000)}, "more than 10,000"),
        ({"per": "fortnight"}, "day, week, month or year"),
    ],
)
def test_refusals_store_nothing(
    db: Database,
    walk: WalkInfo,
    categories: dict[str, WasteCategoryInfo],
    rate: StaffRateInfo,
    changes: dict[str, object],
    words: str,
) -> None:
    observation = observe(db, walk, categories["motion"])
    with pytest.raises(InputError, match=words):
        set_observation_estimate(db, observation.id, example(rate, **changes))
    assert get_observation_estimate(db, observation.id) is None


def test_editing_a_rate_changes_no_estimate_until_repriced(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo], rate: StaffRateInfo
) -> None:
    observation = observe(db, walk, categories["motion"])
    first = set_observation_estimate(db, observation.id, example(rate))
    edit_staff_rate(
        db, rate.id, StaffRateInput(rate.code, rate.staff_group, 6000, source="2026", year="2026")
    )
    kept = get_observation_estimate(db, observation.id)
    assert kept is not None
    assert kept.annual_value_pence == 967250
    assert kept.rate_changed_since
    # Editing other inputs keeps the rate it was priced with, and its pricing date.
    edited = set_observation_estimate(db, observation.id, example(rate, occurrences=D(10)))
    assert edited.rate.pence == 5300
    assert edited.annual_value_pence == 2 * 967250
    assert edited.priced_at == first.priced_at
    repriced = reprice_estimate(db, kept.id)
    assert repriced.rate.pence == 6000
    assert repriced.annual_value_pence == 2 * 1095000
    assert not repriced.rate_changed_since
    assert repriced.priced_at > first.priced_at
    clear_observation_estimate(db, observation.id)
    assert get_observation_estimate(db, observation.id) is None


def test_an_action_from_observations_validated_locked_and_unlocked_on_record(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo], rate: StaffRateInfo
) -> None:
    one = observe(db, walk, categories["motion"], "Gloves fetched from the sluice")
    two = observe(db, walk, categories["motion"], "Aprons fetched from the sluice")
    action = create_action(
        db,
        [one.id, two.id],
        ActionInput("Glove and apron dispensers in each bay", owner="Sister Okafor"),
    )
    assert action.observation_ids == (one.id, two.id)
    assert action.category_code == "motion"
    action = set_expected_saving(db, action.id, example(rate))
    assert action.expected is not None
    assert action.expected.annual_value_pence == 967250
    action = validate_saving(
        db,
        action.id,
        example(rate, minutes=D(4), cash_releasing=True, basis="Bank HCA shift removed"),
        "Finance business partner",
    )
    assert action.locked
    assert action.validated is not None
    assert action.validated.annual_value_pence == 644833  # 121.666.. h x £53
    assert action.validated_by == "Finance business partner"
    with pytest.raises(InputError, match="locked"):
        set_expected_saving(db, action.id, example(rate, minutes=D(1)))
    with pytest.raises(InputError, match="locked"):
        delete_action(db, action.id)
    assert action.validated is not None
    with pytest.raises(InputError, match="unlock it first"):
        reprice_estimate(db, action.validated.id)
    # A rate edit leaves the validated saving as it was.
    edit_staff_rate(
        db, rate.id, StaffRateInput(rate.code, rate.staff_group, 9000, source="x", year="y")
    )
    validated = get_action(db, action.id).validated
    assert validated is not None
    assert validated.annual_value_pence == 644833
    with pytest.raises(InputError, match="reason"):
        unlock_action(db, action.id, "Jo Evans", " ")
    unlocked = unlock_action(db, action.id, "Jo Evans", "Basis named the wrong shift")
    assert not unlocked.locked
    assert unlocked.validated_at is None
    history = action_history(db, action.id)
    assert [(h.what, h.who) for h in history] == [
        ("validated", "Finance business partner"),
        ("unlocked", "Jo Evans"),
    ]
    assert history[1].note == "Basis named the wrong shift"


def test_actions_across_areas_are_refused(
    db: Database, org: Org, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    clinic_walk = start_walk(db, org.clinic.id, started_at=SEEN)
    one = observe(db, walk, categories["motion"])
    two = observe(db, clinic_walk, categories["motion"])
    with pytest.raises(InputError, match="different areas"):
        create_action(db, [one.id, two.id], ActionInput("Both"))
    with pytest.raises(InputError, match="at least one observation"):
        create_action(db, [], ActionInput("None"))
    with pytest.raises(InputError, match="Title is required"):
        create_action(db, [one.id], ActionInput(" "))


def test_overdue_actions_stand_out_and_come_first(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    seen = observe(db, walk, categories["waiting"])
    today = dt.date(2026, 11, 24)
    late = create_action(db, [seen.id], ActionInput("Late", due_date=dt.date(2026, 11, 1)))
    create_action(db, [seen.id], ActionInput("Soon", due_date=dt.date(2026, 12, 1)))
    create_action(
        db, [seen.id], ActionInput("Done late", due_date=dt.date(2026, 10, 1), status="done")
    )
    actions = list_actions(db, today=today)
    assert [(a.title, a.overdue) for a in actions] == [
        ("Late", True),
        ("Done late", False),
        ("Soon", False),
    ]
    assert [a.id for a in list_actions(db, overdue_only=True, today=today)] == [late.id]
    edit_action(db, late.id, ActionInput("Late", due_date=dt.date(2026, 11, 1), status="done"))
    assert list_actions(db, overdue_only=True, today=today) == []
    assert len(list_actions(db, observation_id=seen.id)) == 3


def test_hours_per_wte_is_a_setting_kept_by_each_estimate(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo], rate: StaffRateInfo
) -> None:
    observation = observe(db, walk, categories["motion"])
    before = set_observation_estimate(db, observation.id, example(rate))
    set_hours_per_wte_year(db, D("1500"))
    assert get_observation_estimate(db, observation.id) == before
    with pytest.raises(InputError, match="1,000 to 3,000"):
        set_hours_per_wte_year(db, D(10))


def test_rollups_add_up_to_the_penny_on_a_generated_trust(db: Database) -> None:
    from wastewalk.services.demo import make_demo
    from wastewalk.services.observations import list_observations
    from wastewalk.services.walks import list_walks

    make_demo(db, today=dt.date(2026, 11, 24))
    rng = random.Random(5)
    rates = list_staff_rates(db)
    priced = 0
    for walk in list_walks(db, limit=10_000)[:40]:
        observations = list_observations(db, walk.id)
        for observation in observations:
            cash = rng.random() < 0.3
            set_observation_estimate(
                db,
                observation.id,
                EstimateInput(
                    minutes=D(rng.randint(1, 600)) / 20,
                    staff_count=D(rng.randint(1, 3)),
                    staff_rate_id=rng.choice(rates).id,
                    occurrences=D(rng.randint(1, 40)) / 4,
                    per=rng.choice(["day", "week", "month", "year"]),
                    consumables_pence=rng.choice([0, 0, 37, 1250]),
                    cash_releasing=cash,
                    basis="Bank shifts cut" if cash else "",
                ),
            )
            priced += 1
        if observations and rng.random() < 0.5:
            action = create_action(db, [observations[0].id], ActionInput(f"Fix {walk.id}"))
            set_expected_saving(db, action.id, example(rates[3], minutes=D(rng.randint(1, 9))))
            if rng.random() < 0.5:
                validate_saving(db, action.id, example(rates[3], minutes=D(1)), "Finance")
    trust = rollup(db, RollupBy.TRUST)
    assert trust.total.estimates >= priced
    assert trust.total.opportunity > 0
    assert trust.total.validated > 0
    for by in RollupBy:
        result = rollup(db, by)
        summed = sum((row.figures for row in result.rows), start=type(result.total)())
        assert summed == result.total, by
        assert result.total == trust.total, by
    lines = estimate_lines(db)
    assert sum(line.annual_value_pence for line in lines) == (
        trust.total.opportunity + trust.total.expected + trust.total.validated
    )
    # A filter narrows every level alike, and its parts still sum to its whole.
    first_csu = rollup(db, RollupBy.CSU).rows[0]
    narrowed = rollup(db, RollupBy.AREA, SavingsFilter(csu_id=uuid.UUID(first_csu.key)))
    assert narrowed.total == first_csu.figures
    assert sum((r.figures for r in narrowed.rows), start=type(narrowed.total)()) == narrowed.total
    recent = rollup(db, RollupBy.TRUST, SavingsFilter(date_from=dt.date(2026, 10, 1)))
    assert recent.total.opportunity < trust.total.opportunity


NORMALISED_TOTALS = """
SELECT kind, cash_releasing, SUM(pence) FROM (
    SELECT e.kind, e.cash_releasing, e.annual_value_pence AS pence
    FROM estimate e JOIN observation o ON o.id = e.observation_id
    WHERE e.kind = 'opportunity' AND e.deleted_at IS NULL AND o.deleted_at IS NULL
    UNION ALL
    SELECT e.kind, e.cash_releasing, e.annual_value_pence
    FROM estimate e JOIN action a ON a.id = e.action_id
    WHERE e.deleted_at IS NULL AND a.deleted_at IS NULL
      AND (e.kind = 'expected' OR a.locked = 1)
) GROUP BY kind, cash_releasing
"""


def test_the_copied_rollup_columns_follow_every_change(
    db: Database,
    walk: WalkInfo,
    categories: dict[str, WasteCategoryInfo],
    rate: StaffRateInfo,
) -> None:
    """Deleting, restoring and re-filing observations, and deleting, validating and unlocking
    actions, leave the roll-up equal to the same sums worked out from the owners directly."""
    import sqlite3
    from contextlib import closing

    from wastewalk.services.observations import (
        edit_observation,
        input_from_info,
        set_observation_deleted,
    )

    def check() -> None:
        with closing(sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)) as conn:
            expected = {
                (kind, bool(cash)): pence for kind, cash, pence in conn.execute(NORMALISED_TOTALS)
            }
        total = rollup(db, RollupBy.TRUST).total
        got = {
            ("opportunity", True): total.opportunity_cash,
            ("opportunity", False): total.opportunity_non_cash,
            ("expected", True): total.expected_cash,
            ("expected", False): total.expected_non_cash,
            ("validated", True): total.validated_cash,
            ("validated", False): total.validated_non_cash,
        }
        assert {k: v for k, v in got.items() if v} == expected

    seen = [observe(db, walk, categories["motion"], f"Seen {n}") for n in range(4)]
    for n, observation in enumerate(seen):
        set_observation_estimate(db, observation.id, example(rate, minutes=D(n + 1)))
    action = create_action(db, [seen[0].id], ActionInput("Move the gloves"))
    set_expected_saving(db, action.id, example(rate))
    check()
    set_observation_deleted(db, seen[1].id, True)
    check()
    by_waste = {r.label: r.figures.opportunity for r in rollup(db, RollupBy.WASTE).rows}
    assert set(by_waste) == {"Motion"}
    refiled = input_from_info(seen[2])
    edit_observation(
        db,
        seen[2].id,
        ObservationInput(**{**refiled.__dict__, "category_id": categories["waiting"].id}),
    )
    by_waste = {r.label: r.figures.opportunity for r in rollup(db, RollupBy.WASTE).rows}
    assert by_waste["Waiting"] == 483625  # 3 minutes: half the worked example
    check()
    validate_saving(db, action.id, example(rate, cash_releasing=True, basis="Shift cut"), "FD")
    check()
    unlock_action(db, action.id, "FD", "wrong basis")
    check()
    set_observation_deleted(db, seen[1].id, False)
    check()
    delete_action(db, action.id)
    check()
    clear_observation_estimate(db, seen[3].id)
    check()
