"""Cost estimates on observations (the opportunity) and on actions (the saving), priced and kept.

An estimate stores its inputs, a copy of the staff rate it was priced with, and its results, so
anyone can check it and a later change of rate never changes it. Re-pricing is a deliberate act
that records when it happened.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, literal, or_, select, update
from sqlalchemy.orm import Session

from wastewalk.domain.costing import (
    EstimateInputs,
    EstimateKind,
    EstimateResult,
    Period,
    check_inputs,
    work_out,
)
from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.observation_rules import MAX_TEXT_LENGTH, check_text
from wastewalk.models import Action, Area, Estimate, Observation, StaffRate, Walk, utcnow
from wastewalk.services.organisation import get_or_fail
from wastewalk.services.staff_rates import hours_per_wte_in
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

CENTI = Decimal("0.01")
MILLI = Decimal("0.001")


@dataclass(frozen=True)
class EstimateInput:
    """What a person fills in. Minutes and staff to 2 decimal places, occurrences to 3."""

    minutes: Decimal = Decimal(0)
    staff_count: Decimal = Decimal(1)
    staff_rate_id: uuid.UUID | None = None
    occurrences: Decimal = Decimal(0)
    per: str = Period.DAY
    consumables_pence: int = 0
    other_annual_pence: int = 0
    cash_releasing: bool = False
    recurrent: bool = True
    basis: str = ""


@dataclass(frozen=True)
class RateUsed:
    """The staff rate as it was when the estimate was priced."""

    staff_rate_id: uuid.UUID | None
    code: str
    label: str
    pence: int
    source: str
    year: str


@dataclass(frozen=True)
class EstimateInfo:
    id: uuid.UUID
    kind: str
    observation_id: uuid.UUID | None
    action_id: uuid.UUID | None
    inputs: EstimateInput
    rate: RateUsed
    operating_days: int
    hours_per_wte: Decimal
    result: EstimateResult
    priced_at: dt.datetime
    # The rate has been edited since this estimate was priced (it still uses the old figure).
    rate_changed_since: bool

    @property
    def annual_value_pence(self) -> int:
        return self.result.annual_value_pence


# --- scaling between Decimal inputs and the stored integers -----------------------------------


def _scaled(value: Decimal, step: Decimal, what: str) -> int:
    if not value.is_finite():
        raise InputError(f"{what} must be a number")
    if value != value.quantize(step):
        places = -step.as_tuple().exponent  # type: ignore[operator]
        raise InputError(f"{what} can have at most {places} decimal places ({value})")
    return int((value / step).to_integral_value(rounding=ROUND_HALF_UP))


def _inputs_problems(data: EstimateInput) -> list[str]:
    problems = []
    if data.per not in set(Period):
        problems.append(f"'Per' must be day, week, month or year, not '{data.per}'")
    problem = check_text(data.basis, "Basis", required=data.cash_releasing, limit=MAX_TEXT_LENGTH)
    if problem:
        problems.append(
            "A cash-releasing saving needs a written basis: what budget falls, and how"
            if data.cash_releasing and not data.basis.strip()
            else problem
        )
    return problems


@dataclass(frozen=True)
class _Priced:
    inputs: EstimateInputs
    result: EstimateResult
    rate: RateUsed


def _price(
    session: Session,
    data: EstimateInput,
    operating_days: int,
    rate: RateUsed | None,
    hours_per_wte: Decimal,
) -> _Priced:
    """Check and work out an estimate. `rate` is the copy to use; None takes the current rate."""
    problems = _inputs_problems(data)
    minutes = _scaled(data.minutes, CENTI, "Minutes")
    staff = _scaled(data.staff_count, CENTI, "Staff count")
    occurrences = _scaled(data.occurrences, MILLI, "Occurrences")
    del minutes, staff, occurrences  # checked for precision; the Decimals are used below
    if rate is None:
        if data.staff_rate_id is not None:
            row = session.get(StaffRate, data.staff_rate_id)
            if row is None:
                raise NotFoundError("That staff group does not exist")
            if row.archived_at is not None:
                problems.append(f"The staff group '{row.staff_group}' is archived; choose another")
            rate = RateUsed(
                row.id, row.code, row.staff_group, row.cost_per_hour_pence, row.source, row.year
            )
        else:
            rate = RateUsed(None, "", "", 0, "", "")
    inputs = EstimateInputs(
        minutes_per_occurrence=data.minutes,
        staff_count=data.staff_count,
        hourly_cost_pence=rate.pence,
        occurrences=data.occurrences,
        per=Period(data.per) if data.per in set(Period) else Period.DAY,
        operating_days=operating_days,
        consumables_per_occurrence_pence=data.consumables_pence,
        other_annual_pence=data.other_annual_pence,
        hours_per_wte_year=hours_per_wte,
    )
    problems += check_inputs(inputs, has_staff_group=rate.staff_rate_id is not None)
    if problems:
        raise InputError("; ".join(problems))
    return _Priced(inputs, work_out(inputs), rate)


def _store(row: Estimate, data: EstimateInput, priced: _Priced, now: dt.datetime) -> None:
    row.staff_rate_id = priced.rate.staff_rate_id
    row.rate_code = priced.rate.code
    row.rate_label = priced.rate.label
    row.rate_pence = priced.rate.pence
    row.rate_source = priced.rate.source
    row.rate_year = priced.rate.year
    row.minutes_centi = _scaled(data.minutes, CENTI, "Minutes")
    row.staff_count_centi = _scaled(data.staff_count, CENTI, "Staff count")
    row.occurrences_milli = _scaled(data.occurrences, MILLI, "Occurrences")
    row.per = str(data.per)
    row.operating_days = priced.inputs.operating_days
    row.consumables_pence = data.consumables_pence
    row.other_annual_pence = data.other_annual_pence
    row.hours_per_wte_centi = _scaled(priced.inputs.hours_per_wte_year, CENTI, "Hours per WTE")
    row.cash_releasing = data.cash_releasing
    row.recurrent = data.recurrent
    row.basis = data.basis.strip()
    row.annual_value_pence = priced.result.annual_value_pence
    row.annual_hours_e4 = int(
        (priced.result.annual_hours * 10_000).to_integral_value(rounding=ROUND_HALF_UP)
    )
    row.priced_at = now


def _input_of(row: Estimate) -> EstimateInput:
    return EstimateInput(
        minutes=Decimal(row.minutes_centi) / 100,
        staff_count=Decimal(row.staff_count_centi) / 100,
        staff_rate_id=row.staff_rate_id,
        occurrences=Decimal(row.occurrences_milli) / 1000,
        per=row.per,
        consumables_pence=row.consumables_pence,
        other_annual_pence=row.other_annual_pence,
        cash_releasing=row.cash_releasing,
        recurrent=row.recurrent,
        basis=row.basis,
    )


def _rate_of(row: Estimate) -> RateUsed:
    return RateUsed(
        row.staff_rate_id,
        row.rate_code,
        row.rate_label,
        row.rate_pence,
        row.rate_source,
        row.rate_year,
    )


def estimate_info(session: Session, row: Estimate) -> EstimateInfo:
    """A stored estimate, with its arithmetic worked out again from its own stored inputs."""
    data = _input_of(row)
    hours_per_wte = Decimal(row.hours_per_wte_centi) / 100
    result = work_out(
        EstimateInputs(
            minutes_per_occurrence=data.minutes,
            staff_count=data.staff_count,
            hourly_cost_pence=row.rate_pence,
            occurrences=data.occurrences,
            per=Period(row.per),
            operating_days=row.operating_days,
            consumables_per_occurrence_pence=row.consumables_pence,
            other_annual_pence=row.other_annual_pence,
            hours_per_wte_year=hours_per_wte,
        )
    )
    current = session.get(StaffRate, row.staff_rate_id) if row.staff_rate_id else None
    return EstimateInfo(
        id=row.id,
        kind=row.kind,
        observation_id=row.observation_id,
        action_id=row.action_id,
        inputs=data,
        rate=_rate_of(row),
        operating_days=row.operating_days,
        hours_per_wte=hours_per_wte,
        result=result,
        priced_at=row.priced_at,
        rate_changed_since=current is not None and current.cost_per_hour_pence != row.rate_pence,
    )


def live_estimate(
    session: Session,
    *,
    kind: str,
    observation_id: uuid.UUID | None = None,
    action_id: uuid.UUID | None = None,
) -> Estimate | None:
    """The one live estimate of this kind on an observation or an action, if any."""
    query = select(Estimate).where(Estimate.kind == kind, Estimate.deleted_at.is_(None))
    if observation_id is not None:
        query = query.where(Estimate.observation_id == observation_id)
    else:
        query = query.where(Estimate.action_id == action_id)
    return session.scalar(query)


def save_estimate(
    session: Session,
    device_id: str,
    *,
    kind: str,
    data: EstimateInput,
    operating_days: int,
    observation_id: uuid.UUID | None = None,
    action_id: uuid.UUID | None = None,
) -> Estimate:
    """Create or change the live estimate of `kind`. A changed staff group takes today's rate;
    otherwise the rate the estimate was priced with is kept (re-pricing is `reprice_estimate`)."""
    # The owner is locked for the rest of the unit of work (FOR UPDATE; SQLite has one writer
    # anyway): on a shared PostgreSQL database two people pricing one observation at once would
    # otherwise both find no estimate and save two, counting its cost twice.
    owner = Observation if observation_id is not None else Action
    owner_id = observation_id if observation_id is not None else action_id
    session.execute(select(owner.id).where(owner.id == owner_id).with_for_update())
    row = live_estimate(session, kind=kind, observation_id=observation_id, action_id=action_id)
    keep = None
    hours = hours_per_wte_in(session)
    if row is not None and row.staff_rate_id == data.staff_rate_id:
        keep = _rate_of(row)
        hours = Decimal(row.hours_per_wte_centi) / 100
    priced = _price(session, data, operating_days, keep, hours)
    now = utcnow()
    if row is None:
        row = Estimate(
            kind=kind,
            observation_id=observation_id,
            action_id=action_id,
            device_id=device_id,
        )
        session.add(row)
    _store(row, data, priced, now if keep is None or row.priced_at is None else row.priced_at)
    session.flush()
    refresh_rollup_columns(
        session,
        observation_ids=[observation_id] if observation_id is not None else None,
        action_ids=[action_id] if action_id is not None else None,
    )
    session.refresh(row)
    return row


def preview_estimate(
    db: Database, data: EstimateInput, area_id: uuid.UUID, estimate_id: uuid.UUID | None = None
) -> EstimateResult:
    """Work an estimate out without saving it (the window shows the arithmetic as you type).

    With `estimate_id`, the rate copy of that estimate is used unless the staff group changed.
    """
    with db.session() as session:
        area = get_or_fail(session, Area, area_id, "area")
        keep = None
        hours = hours_per_wte_in(session)
        if estimate_id is not None:
            row = session.get(Estimate, estimate_id)
            if row is not None and row.staff_rate_id == data.staff_rate_id:
                keep = _rate_of(row)
                hours = Decimal(row.hours_per_wte_centi) / 100
        return _price(session, data, area.operating_days_per_year, keep, hours).result


# --- on observations ------------------------------------------------------------------------


def _observation_area(session: Session, observation_id: uuid.UUID) -> tuple[Observation, Area]:
    observation = get_or_fail(session, Observation, observation_id, "observation")
    if observation.deleted_at is not None:
        raise NotFoundError("That observation has been deleted")
    walk = session.get(Walk, observation.walk_id)
    assert walk is not None
    area = session.get(Area, walk.area_id)
    assert area is not None
    return observation, area


def set_observation_estimate(
    db: Database, observation_id: uuid.UUID, data: EstimateInput
) -> EstimateInfo:
    """Price the waste an observation saw: its annual cost, the opportunity."""
    with db.session() as session:
        _, area = _observation_area(session, observation_id)
        row = save_estimate(
            session,
            db.device_id,
            kind=EstimateKind.OPPORTUNITY,
            data=data,
            operating_days=area.operating_days_per_year,
            observation_id=observation_id,
        )
        return estimate_info(session, row)


def get_observation_estimate(db: Database, observation_id: uuid.UUID) -> EstimateInfo | None:
    """The observation's estimate, or None."""
    with db.session() as session:
        row = live_estimate(session, kind=EstimateKind.OPPORTUNITY, observation_id=observation_id)
        return estimate_info(session, row) if row is not None else None


def observation_estimate_values(
    db: Database, observation_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Annual value (pence) of each of these observations that has a live estimate: one query."""
    ids = list(observation_ids)
    if not ids:
        return {}
    with db.session() as session:
        rows = session.execute(
            select(Estimate.observation_id, Estimate.annual_value_pence).where(
                Estimate.kind == EstimateKind.OPPORTUNITY,
                Estimate.deleted_at.is_(None),
                Estimate.observation_id.in_(ids),
            )
        )
        return {oid: int(pence) for oid, pence in rows if oid is not None}


def clear_observation_estimate(db: Database, observation_id: uuid.UUID) -> None:
    """Remove the observation's estimate (softly, so a pack carries the removal)."""
    with db.session() as session:
        row = live_estimate(session, kind=EstimateKind.OPPORTUNITY, observation_id=observation_id)
        if row is not None:
            row.deleted_at = utcnow()
            row.in_rollup = False


def get_estimate(db: Database, estimate_id: uuid.UUID) -> EstimateInfo:
    """One estimate."""
    with db.session() as session:
        row = get_or_fail(session, Estimate, estimate_id, "estimate")
        return estimate_info(session, row)


def reprice_estimate(db: Database, estimate_id: uuid.UUID) -> EstimateInfo:
    """Take today's rate for the estimate's staff group and today's WTE year, on purpose.

    Refused for the validated saving of a locked action: unlock it first (which is recorded).
    """
    with db.session() as session:
        row = get_or_fail(session, Estimate, estimate_id, "estimate")
        if row.deleted_at is not None:
            raise NotFoundError("That estimate has been removed")
        if row.action_id is not None:
            action = session.get(Action, row.action_id)
            if action is not None and action.locked:
                raise InputError(
                    "This action's saving is validated and locked; unlock it first (the unlock "
                    "is recorded) to re-price it"
                )
        data = _input_of(row)
        priced = _price(session, data, row.operating_days, None, hours_per_wte_in(session))
        _store(row, data, priced, utcnow())
        session.flush()
        logger.info("estimate %s re-priced at %s", row.id, priced.rate.pence)
        return estimate_info(session, row)


# --- where and when each estimate counts ----------------------------------------------------------


def refresh_rollup_columns(
    session: Session,
    *,
    observation_ids: Sequence[uuid.UUID] | None = None,
    action_ids: Sequence[uuid.UUID] | None = None,
) -> None:
    """Copy each estimate's area, waste, date and whether it counts from its observation or
    action. With no ids, every estimate (after a bulk write); otherwise only those owners'.

    Called by every service that changes what an estimate hangs on: the estimate itself, the
    observation (edit, delete, restore) and the action (delete, validate, unlock).
    """
    o, w, a = Observation, Walk, Action
    if action_ids is None or observation_ids is not None:
        owner = select(literal(1)).where(o.id == Estimate.observation_id)
        opportunity = (
            update(Estimate)
            .where(Estimate.kind == EstimateKind.OPPORTUNITY)
            .values(
                area_id=select(w.area_id)
                .join(o, o.walk_id == w.id)
                .where(o.id == Estimate.observation_id)
                .scalar_subquery(),
                category_id=select(o.category_id)
                .where(o.id == Estimate.observation_id)
                .scalar_subquery(),
                counted_at=select(o.observed_at)
                .where(o.id == Estimate.observation_id)
                .scalar_subquery(),
                in_rollup=and_(
                    Estimate.deleted_at.is_(None),
                    owner.where(o.deleted_at.is_(None)).exists(),
                ),
                # Derived columns: refreshing them is not an edit a pack should carry.
                updated_at=Estimate.updated_at,
            )
            .execution_options(synchronize_session=False)
        )
        if observation_ids is not None:
            opportunity = opportunity.where(Estimate.observation_id.in_(list(observation_ids)))
        session.execute(opportunity)
    if observation_ids is None or action_ids is not None:
        owner_action = select(literal(1)).where(a.id == Estimate.action_id)
        saving = (
            update(Estimate)
            .where(Estimate.kind != EstimateKind.OPPORTUNITY)
            .values(
                area_id=select(a.area_id).where(a.id == Estimate.action_id).scalar_subquery(),
                category_id=select(a.category_id)
                .where(a.id == Estimate.action_id)
                .scalar_subquery(),
                counted_at=select(
                    case(
                        (Estimate.kind == EstimateKind.VALIDATED, a.validated_at),
                        else_=a.created_at,
                    )
                )
                .where(a.id == Estimate.action_id)
                .scalar_subquery(),
                in_rollup=and_(
                    Estimate.deleted_at.is_(None),
                    owner_action.where(
                        a.deleted_at.is_(None),
                        or_(Estimate.kind == EstimateKind.EXPECTED, a.locked.is_(True)),
                    ).exists(),
                ),
                updated_at=Estimate.updated_at,
            )
            .execution_options(synchronize_session=False)
        )
        if action_ids is not None:
            saving = saving.where(Estimate.action_id.in_(list(action_ids)))
        session.execute(saving)
