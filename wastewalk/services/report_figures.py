"""The figures the PDF reports print besides the roll-up: wastes counted, the biggest
opportunities, the staff rates behind the money, actions by status, and the annualisation basis.

Every function takes the one DataFilter every report takes and reads in SQL (GROUP BY, ORDER BY
... LIMIT), so a trust-wide report costs a handful of queries whatever the size of the data.

Which estimates count is the roll-up's rule (services.savings): live estimates of live owners,
a validated saving only while its action is locked, narrowed by the estimate's copied area and
counted-on time. So an opportunity here adds up to the roll-up's opportunity to the penny.
Observations count on the day they were seen; actions on the day they were made.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from wastewalk.domain.costing import EstimateKind, Period
from wastewalk.domain.uk_time import UK
from wastewalk.models import Action, Area, Csu, Estimate, Observation, Walk, WasteCategory
from wastewalk.services.actions import ActionInfo, ActionStatus, action_info
from wastewalk.services.data_filter import DataFilter, period_conditions, place_conditions
from wastewalk.services.staff_rates import hours_per_wte_in
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


# --- scope ----------------------------------------------------------------------------------------


def _counting(flt: DataFilter, *kinds: str) -> list[ColumnElement[bool]]:
    """The roll-up's rule for the estimates that count, of these kinds, in the filter."""
    return [
        Estimate.in_rollup.is_(True),
        Estimate.kind.in_(list(kinds)),
        *place_conditions(flt, Estimate.area_id),
        *period_conditions(flt, Estimate.counted_at),
    ]


# --- wastes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WasteTally:
    """One waste category: live observations seen in the filter, and their counting opportunity."""

    code: str
    label: str
    observations: int
    opportunity_pence: int


def waste_tallies(db: Database, flt: DataFilter) -> list[WasteTally]:
    """Every active waste category (zero rows included) in display order, with its observations
    and opportunity; an archived category appears only where it still has either.

    The opportunity is the roll-up's: summed over the waste it equals
    `rollup(db, RollupBy.WASTE, flt)`'s opportunity to the penny.
    """
    with db.session() as session:
        seen: dict[uuid.UUID, int] = {
            category_id: int(count)
            for category_id, count in session.execute(
                select(Observation.category_id, func.count())
                .join(Walk, Walk.id == Observation.walk_id)
                .where(
                    Observation.deleted_at.is_(None),
                    *place_conditions(flt, Walk.area_id),
                    *period_conditions(flt, Observation.observed_at),
                )
                .group_by(Observation.category_id)
            )
        }
        money: dict[uuid.UUID | None, int] = {
            category_id: int(pence or 0)
            for category_id, pence in session.execute(
                select(Estimate.category_id, func.sum(Estimate.annual_value_pence))
                .where(*_counting(flt, EstimateKind.OPPORTUNITY))
                .group_by(Estimate.category_id)
            )
        }
        categories = session.execute(
            select(
                WasteCategory.id, WasteCategory.code, WasteCategory.label, WasteCategory.archived_at
            ).order_by(WasteCategory.sort_order, WasteCategory.code)
        ).all()
    tallies: list[WasteTally] = []
    for category_id, code, label, archived_at in categories:
        count = seen.get(category_id, 0)
        pence = money.get(category_id, 0)
        if archived_at is None or count or pence:
            tallies.append(WasteTally(code, label, count, pence))
    return tallies


# --- the biggest opportunities --------------------------------------------------------------------


@dataclass(frozen=True)
class OpportunityLine:
    """One counting opportunity estimate and the observation it prices."""

    estimate_id: uuid.UUID
    observation_id: uuid.UUID
    area_name: str
    csu_name: str
    waste_label: str
    description: str  # the observation's text, as typed
    annual_value_pence: int
    cash_releasing: bool
    hours_e4: int  # annual hours in ten-thousandths
    needs_identifier_review: bool  # the text may hold an NHS number (not yet redacted/confirmed)


def top_opportunities(db: Database, flt: DataFilter, limit: int = 10) -> list[OpportunityLine]:
    """The `limit` biggest counting opportunity estimates, largest first (ties by estimate id).

    Two steps, so a trust of a quarter of a million estimates is not joined row by row before
    the sort: the `limit`-th largest value is read from the roll-up's covering index alone, then
    only the estimates at or above it are joined to their observation, area and waste."""
    if limit <= 0:
        return []
    counting = _counting(flt, EstimateKind.OPPORTUNITY)
    review = and_(
        Observation.suspected_identifier.is_(True), Observation.identifier_confirmed.is_(False)
    )
    threshold = (
        select(Estimate.annual_value_pence)
        .where(*counting)
        .order_by(Estimate.annual_value_pence.desc())
        .limit(1)
        .offset(limit - 1)
    )
    query = (
        select(
            Estimate.id,
            Observation.id,
            Area.name,
            Csu.name,
            WasteCategory.label,
            Observation.description,
            Estimate.annual_value_pence,
            Estimate.cash_releasing,
            Estimate.annual_hours_e4,
            review,
        )
        .join(Observation, Observation.id == Estimate.observation_id)
        .join(Area, Area.id == Estimate.area_id)
        .join(Csu, Csu.id == Area.csu_id)
        .join(WasteCategory, WasteCategory.id == Estimate.category_id)
        .where(*counting)
        .order_by(Estimate.annual_value_pence.desc(), Estimate.id)
        .limit(limit)
    )
    with db.session() as session:
        lowest = session.scalar(threshold)
        if lowest is not None:  # fewer than `limit` estimates: every one of them
            query = query.where(Estimate.annual_value_pence >= lowest)
        return [
            OpportunityLine(
                estimate_id=estimate_id,
                observation_id=observation_id,
                area_name=area,
                csu_name=csu,
                waste_label=label,
                description=text,
                annual_value_pence=int(pence),
                cash_releasing=bool(cash),
                hours_e4=int(hours),
                needs_identifier_review=bool(flagged),
            )
            for (
                estimate_id,
                observation_id,
                area,
                csu,
                label,
                text,
                pence,
                cash,
                hours,
                flagged,
            ) in session.execute(query)
        ]


# --- the staff rates behind the money -------------------------------------------------------------


@dataclass(frozen=True)
class RateUsed:
    """A staff rate as the counting estimates were priced with it, and how many used it.

    The same code can appear twice with different figures: an estimate keeps the rate it was
    priced with, so an edit of the rate since leaves older estimates on the older figure."""

    code: str
    label: str
    rate_pence: int
    source: str
    year: str
    estimates: int


def rates_used(db: Database, flt: DataFilter) -> list[RateUsed]:
    """The distinct staff rates behind every counting estimate in the filter (opportunities,
    estimated and validated savings), by code, year and figure. Estimates without staff time
    (consumables or other costs only) name no rate and are not listed."""
    columns = (
        Estimate.rate_code,
        Estimate.rate_label,
        Estimate.rate_pence,
        Estimate.rate_source,
        Estimate.rate_year,
    )
    query = (
        select(*columns, func.count())
        .where(*_counting(flt, *EstimateKind), Estimate.rate_code != "")
        .group_by(*columns)
        .order_by(Estimate.rate_label, Estimate.rate_code, Estimate.rate_year, Estimate.rate_pence)
    )
    with db.session() as session:
        return [
            RateUsed(code, label, int(pence), source, year, int(count))
            for code, label, pence, source, year, count in session.execute(query)
        ]


# --- actions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionStatusCounts:
    """Live actions in the filter by status; overdue and validated are counted across them."""

    open: int = 0
    in_progress: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0  # past due and still open or in progress
    validated: int = 0  # a validated saving that stands (the action is locked)

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.done + self.dropped


def _uk_today() -> dt.date:
    return dt.datetime.now(UK).date()


def _actions_in(flt: DataFilter) -> list[ColumnElement[bool]]:
    """Live actions of the filter's areas, made on the filter's UK days."""
    return [
        Action.deleted_at.is_(None),
        *place_conditions(flt, Action.area_id),
        *period_conditions(flt, Action.created_at),
    ]


def _overdue(today: dt.date) -> ColumnElement[bool]:
    # The rule of services.actions.is_overdue, in SQL.
    return and_(
        Action.due_date.is_not(None),
        Action.due_date < today,
        or_(Action.status == ActionStatus.OPEN, Action.status == ActionStatus.IN_PROGRESS),
    )


def action_status(
    db: Database, flt: DataFilter, today: dt.date | None = None
) -> ActionStatusCounts:
    """How many actions in the filter are open, in progress, done or dropped; how many of them
    are overdue on `today` (a UK day; default today) and how many have a validated saving."""
    day = today or _uk_today()
    query = (
        select(
            Action.status,
            func.count(),
            func.sum(case((_overdue(day), 1), else_=0)),
            func.sum(case((Action.locked.is_(True), 1), else_=0)),
        )
        .where(*_actions_in(flt))
        .group_by(Action.status)
    )
    by_status: dict[str, int] = {}
    overdue = validated = 0
    with db.session() as session:
        for status, count, late, locked in session.execute(query):
            by_status[status] = int(count)
            overdue += int(late or 0)
            validated += int(locked or 0)
    return ActionStatusCounts(
        open=by_status.get(ActionStatus.OPEN, 0),
        in_progress=by_status.get(ActionStatus.IN_PROGRESS, 0),
        done=by_status.get(ActionStatus.DONE, 0),
        dropped=by_status.get(ActionStatus.DROPPED, 0),
        overdue=overdue,
        validated=validated,
    )


def overdue_actions(
    db: Database, flt: DataFilter, today: dt.date | None = None, *, limit: int | None = None
) -> list[ActionInfo]:
    """Overdue actions in the filter (see action_status), oldest due date first, then by title;
    at most `limit` of them when given (count them with action_status)."""
    day = today or _uk_today()
    query = (
        select(Action)
        .where(*_actions_in(flt), _overdue(day))
        .order_by(Action.due_date, func.lower(Action.title), Action.id)
    )
    if limit is not None:
        query = query.limit(max(limit, 0))
    with db.session() as session:
        return [action_info(session, action, day) for action in session.scalars(query)]


# --- annualisation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFactor:
    """How many times a year one occurrence 'per' this period counts."""

    per: str  # day, week, month, year
    factor: int | None  # None for day: it is each area's operating days
    words: str  # "the area's operating days a year", "52 weeks a year"


@dataclass(frozen=True)
class AreaDays:
    """An area in the filter and its operating days a year (today's setting)."""

    area_name: str
    csu_name: str
    operating_days: int


@dataclass(frozen=True)
class AnnualisationBasis:
    """What turns 'so many a day' into a year, and hours into whole-time equivalents."""

    factors: tuple[PeriodFactor, ...]
    areas: tuple[AreaDays, ...]  # live areas of the filter, by CSU then area
    hours_per_wte: Decimal

    def days_groups(self) -> list[tuple[int, list[AreaDays]]]:
        """The areas grouped by their operating days, most days first."""
        groups: dict[int, list[AreaDays]] = {}
        for area in self.areas:
            groups.setdefault(area.operating_days, []).append(area)
        return sorted(groups.items(), key=lambda item: -item[0])


PERIOD_FACTORS = (
    PeriodFactor(Period.DAY, None, "the area's operating days a year"),
    PeriodFactor(Period.WEEK, 52, "52 weeks a year"),
    PeriodFactor(Period.MONTH, 12, "12 months a year"),
    PeriodFactor(Period.YEAR, 1, "once a year"),
)


def annualisation_basis(db: Database, flt: DataFilter) -> AnnualisationBasis:
    """The period factors (day = the area's operating days, week 52, month 12, year 1), the
    operating days of each area in the filter (archived areas only where an estimate in the
    filter still counts there), and the hours in a WTE year."""
    with db.session() as session:
        counted = select(Estimate.area_id).where(*_counting(flt, *EstimateKind)).distinct()
        query = (
            select(Area.name, Csu.name, Area.operating_days_per_year)
            .join(Csu, Csu.id == Area.csu_id)
            .where(
                *place_conditions(flt, Area.id),
                or_(Area.archived_at.is_(None), Area.id.in_(counted)),
            )
            .order_by(func.lower(Csu.name), func.lower(Area.name))
        )
        areas = tuple(AreaDays(area, csu, int(days)) for area, csu, days in session.execute(query))
        hours = hours_per_wte_in(session)
    return AnnualisationBasis(factors=PERIOD_FACTORS, areas=areas, hours_per_wte=hours)
