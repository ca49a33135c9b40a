"""The demo trust's money: priced observations, actions with expected and validated savings.

About two in five observations are priced at the shipped staff rates, as a team prices the wastes
worth pricing; about 25 actions across the CSUs carry the story from opportunity to saving: some
validated and locked, some done and awaiting validation, a few overdue, one or two dropped.

Deterministic like the rest of the demo (same seed, same records, ids from `next_id`). Rows are
written straight through the models, as demo.py does, but every figure is worked out by
`domain.costing.work_out` and stored as the estimates service stores it, with a copy of the rate.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.costing import EstimateInputs, EstimateKind, Period, check_inputs, work_out
from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.models import (
    Action,
    ActionEvent,
    ActionObservation,
    Area,
    Estimate,
    Observation,
    StaffRate,
    Walk,
    WasteCategory,
)
from wastewalk.services import demo_text as text
from wastewalk.services.staff_rates import hours_per_wte_in

logger = logging.getLogger(__name__)

NextId = Callable[[str], uuid.UUID]

PRICED_SHARE = 0.4
ACTIONS = 25
# What happens to the actions, oldest first: old ones have had time to be done and validated.
OLD_FATES = ("validated",) * 6 + ("done",) * 3 + ("dropped",) * 2 + ("overdue",) * 2
NEW_FATES = ("overdue",) * 2 + ("in_progress",) * 5 + ("open",) * 5

# Staff groups by setting (rate code, weight): who loses the time on a ward, in a clinic...
STAFF: dict[str, tuple[tuple[str, int], ...]] = {
    "w": (("nurse-band-5", 50), ("hca-band-3", 30), ("nurse-band-6", 12), ("doctor-fy1", 8)),
    "l": (("nurse-band-5", 50), ("hca-band-2", 50)),
    "c": (("nurse-band-6", 40), ("hca-band-3", 35), ("doctor-registrar", 25)),
    "r": (("ahp-band-6", 50), ("ahp-band-5", 30), ("hca-band-3", 20)),
    "p": (("ahp-band-5", 50), ("ahp-band-4", 30), ("hca-band-2", 20)),
    "f": (("ahp-band-6", 30), ("ahp-band-4", 50), ("hca-band-3", 20)),
}


@dataclass(frozen=True)
class _Pricing:
    """How a waste is typically priced: minutes each time, how often, what it uses up."""

    minutes: tuple[float, ...]
    occurrences: tuple[int, ...]
    per: str
    consumables_pence: tuple[int, ...] = (0,)
    cash_share: float = 0.1
    cash_basis: tuple[str, ...] = ()


PRICING: dict[str, _Pricing] = {
    "waiting": _Pricing((3, 5, 8, 10, 15), (1, 2, 3, 4), "day"),
    "motion": _Pricing(
        (2, 3, 4, 5, 7.5),
        (2, 3, 4, 6),
        "day",
        cash_share=0.15,
        cash_basis=("A bank HCA shift is booked most weeks to cover the fetching; it would stop",),
    ),
    "transport": _Pricing((5, 10, 15), (1, 2, 3), "day"),
    "inventory": _Pricing(
        (2, 5, 10),
        (1, 2, 3),
        "week",
        consumables_pence=(850, 1200, 2500, 4000),
        cash_share=0.5,
        cash_basis=(
            "Out-of-date stock written off from the ward budget each week",
            "Duplicate orders: the top-up list shows the same items bought twice",
        ),
    ),
    "overprocessing": _Pricing((2, 3, 5, 8), (2, 3, 5), "day"),
    "defects": _Pricing((5, 10, 15, 20), (1, 2, 3), "week"),
    "overproduction": _Pricing((3, 5, 10), (1, 2, 3), "day", consumables_pence=(0, 150, 400)),
    "skills": _Pricing((15, 20, 30), (2, 3, 5), "week"),
}
NON_CASH_BASIS = (
    "",
    "Timed on the walk; how often agreed with the nurse in charge",
    "Minutes from the walk, frequency from a week's tally sheet",
)

# Titles for an action whose observations suggest no countermeasure, fit for any setting.
ACTION_TITLES: dict[str, tuple[str, ...]] = {
    "waiting": ("Agree a time with the team we wait for", "Make the queue visible each morning"),
    "motion": ("Keep the kit where it is used", "Re-lay the room so kit is within reach"),
    "transport": ("Planned runs instead of ad-hoc trips", "Book transport earlier in the day"),
    "inventory": ("Two-bin system in the stock room", "Weekly stock check with a named owner"),
    "overprocessing": ("One form instead of three", "Stop recording the same thing twice"),
    "defects": ("Check before it leaves the area", "Find and fix the cause of repeat errors"),
    "overproduction": ("Order and make on demand, not in advance", "Print on demand"),
    "skills": ("Train the team to take this task on", "Let the right role do this task"),
}
MAX_TITLE = 120
SAVING_CASH_BASIS = (
    "One fewer bank shift a week, agreed with the ward manager and finance business partner",
    "Overtime budget cut by the hours released, agreed at the CSU finance meeting",
    "Stock budget reduced by the write-offs removed; checked against the top-up report",
)
VALIDATION_BASIS = (
    "Roster and bank usage compared for the 8 weeks before and after",
    "Stock write-off report for the last quarter",
    "Re-timed on a follow-up walk",
)
FINANCE = ("Hannah Pryce (Finance Business Partner)", "Colin Mbeki (Finance Business Partner)")


class DemoCosting(NamedTuple):
    """How many estimates (of all kinds) and actions the demo costing made."""

    estimates: int
    actions: int


@dataclass(frozen=True)
class _Seen:
    observation: Observation
    area: Area
    category: WasteCategory
    estimate: Estimate | None = None


@dataclass(frozen=True)
class _Context:
    session: Session
    device_id: str
    next_id: NextId
    rng: random.Random
    rates: dict[str, StaffRate]
    hours_per_wte: Decimal
    latest: dt.datetime  # nothing is priced, validated or created after this


def make_demo_costing(
    session: Session, device_id: str, next_id: NextId, rng: random.Random, today: dt.date
) -> DemoCosting:
    """Price about 40 % of the demo's observations and make about 25 actions with savings.

    Call after the demo's observations are flushed; `today` is the demo's today (every record
    is dated before it).
    """
    ctx = _Context(
        session=session,
        device_id=device_id,
        next_id=next_id,
        rng=rng,
        rates={r.code: r for r in session.scalars(select(StaffRate)) if r.archived_at is None},
        hours_per_wte=hours_per_wte_in(session),
        latest=uk_to_utc(today, dt.time(0, 0)) - dt.timedelta(hours=1),
    )
    settings = {spec.name: spec for csu in text.CSUS for spec in csu.areas}
    priced: list[_Seen] = []
    for seen in _observations(session):
        spec = settings.get(seen.area.name)
        pricing = PRICING.get(seen.category.code)
        if spec is None or pricing is None or rng.random() >= PRICED_SHARE:
            continue
        estimate = _price_observation(ctx, seen, pricing, spec.setting)
        if estimate is not None:
            priced.append(replace(seen, estimate=estimate))
    session.flush()
    actions, savings = _make_actions(ctx, priced)
    session.flush()
    made = DemoCosting(estimates=len(priced) + savings, actions=actions)
    logger.info("demo costing: %s", made)
    return made


def _observations(session: Session) -> list[_Seen]:
    query = (
        select(Observation, Area, WasteCategory)
        .join(Walk, Walk.id == Observation.walk_id)
        .join(Area, Area.id == Walk.area_id)
        .join(WasteCategory, WasteCategory.id == Observation.category_id)
        .where(Observation.deleted_at.is_(None))
        .order_by(Observation.observed_at, Observation.id)
    )
    return [_Seen(o, a, c) for o, a, c in session.execute(query)]


def _price_observation(
    ctx: _Context, seen: _Seen, pricing: _Pricing, setting: str
) -> Estimate | None:
    rng = ctx.rng
    codes, weights = zip(*STAFF[setting], strict=True)
    rate = ctx.rates.get(rng.choices(codes, weights)[0])
    if rate is None:
        return None  # a shipped rate was archived: price only with rates still in use
    cash = bool(pricing.cash_basis) and rng.random() < pricing.cash_share
    inputs = EstimateInputs(
        minutes_per_occurrence=Decimal(str(rng.choice(pricing.minutes))),
        staff_count=Decimal(1 if rng.random() < 0.85 else 2),
        hourly_cost_pence=rate.cost_per_hour_pence,
        occurrences=Decimal(rng.choice(pricing.occurrences)),
        per=Period(pricing.per),
        operating_days=seen.area.operating_days_per_year,
        consumables_per_occurrence_pence=rng.choice(pricing.consumables_pence),
        hours_per_wte_year=ctx.hours_per_wte,
    )
    basis = rng.choice(pricing.cash_basis) if cash else rng.choice(NON_CASH_BASIS)
    observed = seen.observation.observed_at
    priced_at = min(observed + dt.timedelta(days=rng.randint(0, 10), hours=2), ctx.latest)
    return _add_estimate(
        ctx,
        EstimateKind.OPPORTUNITY,
        inputs,
        rate,
        cash_releasing=cash,
        recurrent=rng.random() < 0.9,
        basis=basis,
        at=max(priced_at, observed),
        observation_id=seen.observation.id,
    )


def _add_estimate(
    ctx: _Context,
    kind: EstimateKind,
    inputs: EstimateInputs,
    rate: StaffRate,
    *,
    cash_releasing: bool,
    recurrent: bool,
    basis: str,
    at: dt.datetime,
    observation_id: uuid.UUID | None = None,
    action_id: uuid.UUID | None = None,
) -> Estimate:
    """One estimate row, worked out and stored exactly as services.estimates stores one."""
    problems = check_inputs(inputs, has_staff_group=True)
    if problems or (cash_releasing and not basis):  # our own tables: a problem here is a bug
        raise RuntimeError(f"demo estimate is invalid: {problems or 'no basis'}")
    result = work_out(inputs)
    estimate = Estimate(
        id=ctx.next_id("estimate"),
        kind=kind,
        observation_id=observation_id,
        action_id=action_id,
        staff_rate_id=rate.id,
        rate_code=rate.code,
        rate_label=rate.staff_group,
        rate_pence=rate.cost_per_hour_pence,
        rate_source=rate.source,
        rate_year=rate.year,
        minutes_centi=_scaled(inputs.minutes_per_occurrence, 100),
        staff_count_centi=_scaled(inputs.staff_count, 100),
        occurrences_milli=_scaled(inputs.occurrences, 1000),
        per=str(inputs.per),
        operating_days=inputs.operating_days,
        consumables_pence=inputs.consumables_per_occurrence_pence,
        other_annual_pence=inputs.other_annual_pence,
        hours_per_wte_centi=_scaled(inputs.hours_per_wte_year, 100),
        cash_releasing=cash_releasing,
        recurrent=recurrent,
        basis=basis,
        annual_value_pence=result.annual_value_pence,
        annual_hours_e4=_scaled(result.annual_hours, 10_000),
        priced_at=at,
        device_id=ctx.device_id,
        created_at=at,
        updated_at=at,
    )
    ctx.session.add(estimate)
    return estimate


def _scaled(value: Decimal, factor: int) -> int:
    return int((value * factor).to_integral_value(rounding=ROUND_HALF_UP))


# --- actions ----------------------------------------------------------------------------------


@dataclass
class _PlannedAction:
    seen: list[_Seen]
    created_at: dt.datetime
    fate: str = "open"


def _make_actions(ctx: _Context, priced: Sequence[_Seen]) -> tuple[int, int]:
    """About 25 actions from priced observations, spread over the areas; returns how many
    actions and how many saving estimates were made."""
    plans = _plan_actions(ctx, priced)
    plans.sort(key=lambda p: (p.created_at, p.seen[0].observation.id))
    old, new = list(OLD_FATES), list(NEW_FATES)
    ctx.rng.shuffle(old)
    ctx.rng.shuffle(new)
    for plan, fate in zip(plans, old + new, strict=False):
        plan.fate = fate
    savings = 0
    specs = {spec.name: (spec, csu) for csu in text.CSUS for spec in csu.areas}
    for plan in plans:
        savings += _make_action(ctx, plan, specs)
    return len(plans), savings


def _plan_actions(ctx: _Context, priced: Sequence[_Seen]) -> list[_PlannedAction]:
    """Groups of one to three priced observations of one waste in one area, taken area by area
    in turn so every CSU has some."""
    groups: dict[uuid.UUID, dict[str, list[_Seen]]] = {}
    names: dict[uuid.UUID, str] = {}
    for seen in priced:
        groups.setdefault(seen.area.id, {}).setdefault(seen.category.code, []).append(seen)
        names[seen.area.id] = seen.area.name
    areas = sorted(groups, key=names.__getitem__)
    plans: list[_PlannedAction] = []
    while len(plans) < ACTIONS and any(groups[a] for a in areas):
        for area_id in areas:
            if len(plans) >= ACTIONS or not groups[area_id]:
                continue
            code = ctx.rng.choice(sorted(groups[area_id]))
            pool = groups[area_id].pop(code)
            chosen = ctx.rng.sample(pool, min(len(pool), ctx.rng.randint(1, 3)))
            last_seen = max(s.observation.observed_at for s in chosen)
            created = min(last_seen + dt.timedelta(days=ctx.rng.randint(1, 7)), ctx.latest)
            plans.append(_PlannedAction(seen=chosen, created_at=max(created, last_seen)))
    return plans


def _make_action(
    ctx: _Context, plan: _PlannedAction, specs: dict[str, tuple[text.AreaSpec, text.CsuSpec]]
) -> int:
    rng, first = ctx.rng, plan.seen[0]
    spec, csu = specs[first.area.name]
    today = (ctx.latest + dt.timedelta(hours=1)).date()
    created = plan.created_at
    due = created.date() + dt.timedelta(days=rng.randint(21, 70))
    if plan.fate in ("open", "in_progress"):  # still running: due some time ahead
        due = max(due, today + dt.timedelta(days=rng.randint(7, 45)))
    elif plan.fate == "overdue":  # still running, and its due date has passed
        due = min(due, today - dt.timedelta(days=rng.randint(2, 20)))
        due = max(due, created.date() + dt.timedelta(days=1))
    status = {"validated": "done", "overdue": rng.choice(("open", "in_progress"))}.get(
        plan.fate, plan.fate
    )
    action = Action(
        id=ctx.next_id("action"),
        area_id=first.area.id,
        category_id=first.category.id,
        title=_title(rng, plan.seen),
        owner=spec.manager if rng.random() < 0.7 else csu.specialist,
        due_date=due,
        status=status,
        notes="",
        device_id=ctx.device_id,
        created_at=created,
        updated_at=created,
    )
    ctx.session.add(action)
    ctx.session.flush()  # the links and estimates below point at it
    for seen in plan.seen:
        ctx.session.add(
            ActionObservation(
                id=ctx.next_id("action_observation"),
                action_id=action.id,
                observation_id=seen.observation.id,
                device_id=ctx.device_id,
                created_at=created,
                updated_at=created,
            )
        )
    if plan.fate == "open" and rng.random() < 0.5:
        return 0  # not priced yet
    opportunity = first.estimate
    assert opportunity is not None
    rate = ctx.rates[opportunity.rate_code]
    expected_inputs = _scaled_down(opportunity, rng.choice((0.5, 0.6, 0.75, 0.8)), ctx)
    cash = rng.random() < 0.35
    expected = _add_estimate(
        ctx,
        EstimateKind.EXPECTED,
        expected_inputs,
        rate,
        cash_releasing=cash,
        recurrent=True,
        basis=rng.choice(SAVING_CASH_BASIS) if cash else "",
        at=created,
        action_id=action.id,
    )
    if plan.fate != "validated":
        return 1
    validated_at = min(created + dt.timedelta(days=rng.randint(28, 70)), ctx.latest)
    validated_at = max(validated_at, created + dt.timedelta(hours=1))
    achieved = replace(
        expected_inputs,
        minutes_per_occurrence=_share(expected_inputs.minutes_per_occurrence, rng),
    )
    validator = rng.choice(FINANCE) if expected.cash_releasing else csu.specialist
    row = _add_estimate(
        ctx,
        EstimateKind.VALIDATED,
        achieved,
        rate,
        cash_releasing=expected.cash_releasing,
        recurrent=True,
        basis=rng.choice(VALIDATION_BASIS) + (f". {expected.basis}" if expected.basis else ""),
        at=validated_at,
        action_id=action.id,
    )
    action.validated_at = validated_at
    action.validated_by = validator
    action.locked = True
    action.updated_at = validated_at
    cash_words = "cash-releasing" if row.cash_releasing else "non-cash-releasing"
    ctx.session.add(
        ActionEvent(
            id=ctx.next_id("action_event"),
            action_id=action.id,
            at=validated_at,
            who=validator,
            what="validated",
            note=f"£{row.annual_value_pence / 100:,.2f} a year ({cash_words})",
            device_id=ctx.device_id,
            created_at=validated_at,
            updated_at=validated_at,
        )
    )
    return 2


def _title(rng: random.Random, seen: Sequence[_Seen]) -> str:
    """The team's own idea from the observations if they wrote one, else a title for the waste."""
    ideas = [s.observation.countermeasure.strip() for s in seen]
    ideas = [idea for idea in ideas if idea and len(idea) <= MAX_TITLE]
    if ideas:
        idea = ideas[0].rstrip(".")
        return idea[:1].upper() + idea[1:]
    return rng.choice(ACTION_TITLES.get(seen[0].category.code, ("Find and fix the cause",)))


def _scaled_down(opportunity: Estimate, share: float, ctx: _Context) -> EstimateInputs:
    """The opportunity's inputs with the minutes and consumables an action expects to save."""
    factor = Decimal(str(share))
    return EstimateInputs(
        minutes_per_occurrence=(Decimal(opportunity.minutes_centi) / 100 * factor).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        ),
        staff_count=Decimal(opportunity.staff_count_centi) / 100,
        hourly_cost_pence=opportunity.rate_pence,
        occurrences=Decimal(opportunity.occurrences_milli) / 1000,
        per=Period(opportunity.per),
        operating_days=opportunity.operating_days,
        consumables_per_occurrence_pence=int(opportunity.consumables_pence * factor),
        hours_per_wte_year=ctx.hours_per_wte,
    )


def _share(minutes: Decimal, rng: random.Random) -> Decimal:
    """What was really saved: 70 % to 110 % of what was expected, to the hundredth of a minute."""
    return (minutes * Decimal(rng.randint(70, 110)) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
