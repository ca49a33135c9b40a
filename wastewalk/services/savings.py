"""Savings roll-ups by area, CSU, trust, waste category and month, computed in SQL.

Three figures side by side, each split cash-releasing / non-cash-releasing:
- opportunity: estimates on observations (the annual cost of the waste seen);
- estimated saving: the expected saving of actions;
- validated saving: the validated saving of actions whose validation stands (locked).
Every figure is a sum of whole pence, so the parts always add up to the whole to the penny.

Dates: an opportunity counts on the day its observation was made; an estimated saving on the day
its action was made; a validated saving on the day it was validated (UK days).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.models import (
    Action,
    Area,
    Csu,
    Estimate,
    Observation,
    Trust,
    Walk,
    WasteCategory,
)
from wastewalk.services.staff_rates import hours_per_wte_in
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


class RollupBy(StrEnum):
    AREA = "area"
    CSU = "csu"
    TRUST = "trust"
    WASTE = "waste"
    MONTH = "month"


@dataclass(frozen=True)
class SavingsFilter:
    """Which estimates count: in a CSU or area, between two UK dates (inclusive)."""

    csu_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class Figures:
    """Pence and hours (in ten-thousandths) for the three measures, each split by cash class."""

    opportunity_cash: int = 0
    opportunity_non_cash: int = 0
    expected_cash: int = 0
    expected_non_cash: int = 0
    validated_cash: int = 0
    validated_non_cash: int = 0
    opportunity_hours_e4: int = 0
    expected_hours_e4: int = 0
    validated_hours_e4: int = 0
    estimates: int = 0

    @property
    def opportunity(self) -> int:
        return self.opportunity_cash + self.opportunity_non_cash

    @property
    def expected(self) -> int:
        return self.expected_cash + self.expected_non_cash

    @property
    def validated(self) -> int:
        return self.validated_cash + self.validated_non_cash

    def hours(self, measure: str) -> Decimal:
        """Annual hours of 'opportunity', 'expected' or 'validated'."""
        return Decimal(getattr(self, f"{measure}_hours_e4")) / 10_000

    def __add__(self, other: Figures) -> Figures:
        names = [f for f in self.__dataclass_fields__]
        return Figures(**{n: getattr(self, n) + getattr(other, n) for n in names})


@dataclass(frozen=True)
class RollupRow:
    """One line of a roll-up: a CSU, an area, a waste or a month, and its figures."""

    key: str  # the id (as text) or the month "2026-03"
    label: str
    csu_name: str
    figures: Figures


@dataclass(frozen=True)
class Rollup:
    by: RollupBy
    rows: tuple[RollupRow, ...]
    total: Figures
    hours_per_wte: Decimal = field(default=Decimal(1950))

    def wte(self, hours: Decimal) -> Decimal:
        return hours / self.hours_per_wte


_MEASURES = ("opportunity", "expected", "validated")


def _estimate_rows() -> Any:
    """One row per counting estimate: its measure, cash class, value, hours, place, waste, date."""
    opportunity = (
        select(
            literal("opportunity").label("measure"),
            Estimate.cash_releasing.label("cash"),
            Estimate.annual_value_pence.label("pence"),
            Estimate.annual_hours_e4.label("hours"),
            Walk.area_id.label("area_id"),
            Observation.category_id.label("category_id"),
            Observation.observed_at.label("day"),
        )
        .join(Observation, Observation.id == Estimate.observation_id)
        .join(Walk, Walk.id == Observation.walk_id)
        .where(
            Estimate.kind == "opportunity",
            Estimate.deleted_at.is_(None),
            Observation.deleted_at.is_(None),
        )
    )
    saving = (
        select(
            Estimate.kind.label("measure"),
            Estimate.cash_releasing.label("cash"),
            Estimate.annual_value_pence.label("pence"),
            Estimate.annual_hours_e4.label("hours"),
            Action.area_id.label("area_id"),
            Action.category_id.label("category_id"),
            case(
                (Estimate.kind == "validated", Action.validated_at), else_=Action.created_at
            ).label("day"),
        )
        .join(Action, Action.id == Estimate.action_id)
        .where(
            Estimate.deleted_at.is_(None),
            Action.deleted_at.is_(None),
            or_(
                Estimate.kind == "expected",
                and_(Estimate.kind == "validated", Action.locked.is_(True)),
            ),
        )
    )
    return union_all(opportunity, saving).subquery("counted")


def _filtered(query: Select[Any], counted: Any, flt: SavingsFilter) -> Select[Any]:
    if flt.area_id is not None:
        query = query.where(counted.c.area_id == flt.area_id)
    if flt.csu_id is not None:
        query = query.where(Area.csu_id == flt.csu_id)
    if flt.date_from is not None:
        query = query.where(counted.c.day >= uk_to_utc(flt.date_from, dt.time(0, 0)))
    if flt.date_to is not None:
        end = uk_to_utc(flt.date_to + dt.timedelta(days=1), dt.time(0, 0))
        query = query.where(counted.c.day < end)
    return query


def _sums(counted: Any) -> list[Any]:
    columns = []
    for measure in _MEASURES:
        is_measure = counted.c.measure == measure
        for cash, suffix in ((True, "cash"), (False, "non_cash")):
            columns.append(
                func.coalesce(
                    func.sum(
                        case(
                            (and_(is_measure, counted.c.cash.is_(cash)), counted.c.pence),
                            else_=0,
                        )
                    ),
                    0,
                ).label(f"{measure}_{suffix}")
            )
        columns.append(
            func.coalesce(func.sum(case((is_measure, counted.c.hours), else_=0)), 0).label(
                f"{measure}_hours_e4"
            )
        )
    columns.append(func.count().label("estimates"))
    return columns


def _figures(row: Any) -> Figures:
    return Figures(
        opportunity_cash=int(row.opportunity_cash),
        opportunity_non_cash=int(row.opportunity_non_cash),
        expected_cash=int(row.expected_cash),
        expected_non_cash=int(row.expected_non_cash),
        validated_cash=int(row.validated_cash),
        validated_non_cash=int(row.validated_non_cash),
        opportunity_hours_e4=int(row.opportunity_hours_e4),
        expected_hours_e4=int(row.expected_hours_e4),
        validated_hours_e4=int(row.validated_hours_e4),
        estimates=int(row.estimates),
    )


def _month(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Europe/London", column), "YYYY-MM")
    # SQLite holds naive UTC; a month boundary within an hour of midnight BST is counted in UTC.
    return func.strftime("%Y-%m", column)


def rollup(db: Database, by: RollupBy | str, flt: SavingsFilter | None = None) -> Rollup:
    """The three measures by area, CSU, trust, waste category or month, with their total.

    Every area, CSU or waste with at least one counting estimate gets a row; the total is worked
    out in the same SQL over the same rows, and equals the sum of the rows to the penny.
    """
    flt = flt or SavingsFilter()
    by = RollupBy(by)
    with db.session() as session:
        counted = _estimate_rows()
        base = select(*_sums(counted)).select_from(counted).join(Area, Area.id == counted.c.area_id)
        base = _filtered(base, counted, flt)
        if by == RollupBy.AREA:
            query = (
                base.join(Csu, Csu.id == Area.csu_id)
                .add_columns(Area.id.label("key"), Area.name.label("label"), Csu.name.label("csu"))
                .group_by(Area.id, Area.name, Csu.name)
                .order_by(Csu.name, Area.name)
            )
        elif by == RollupBy.CSU:
            query = (
                base.join(Csu, Csu.id == Area.csu_id)
                .add_columns(Csu.id.label("key"), Csu.name.label("label"), Csu.name.label("csu"))
                .group_by(Csu.id, Csu.name)
                .order_by(Csu.name)
            )
        elif by == RollupBy.TRUST:
            query = (
                base.join(Csu, Csu.id == Area.csu_id)
                .join(Trust, Trust.id == Csu.trust_id)
                .add_columns(
                    Trust.id.label("key"), Trust.name.label("label"), literal("").label("csu")
                )
                .group_by(Trust.id, Trust.name)
                .order_by(Trust.name)
            )
        elif by == RollupBy.WASTE:
            query = (
                base.outerjoin(WasteCategory, WasteCategory.id == counted.c.category_id)
                .add_columns(
                    WasteCategory.id.label("key"),
                    func.coalesce(WasteCategory.label, "No waste named").label("label"),
                    literal("").label("csu"),
                )
                .group_by(WasteCategory.id, WasteCategory.label, WasteCategory.sort_order)
                .order_by(WasteCategory.sort_order)
            )
        else:
            month = _month(session, counted.c.day)
            query = (
                base.add_columns(month.label("key"), month.label("label"), literal("").label("csu"))
                .group_by(month)
                .order_by(month)
            )
        rows = tuple(
            RollupRow(
                key=str(row.key.hex if isinstance(row.key, uuid.UUID) else row.key or ""),
                label=row.label,
                csu_name=row.csu,
                figures=_figures(row),
            )
            for row in session.execute(query)
        )
        total_row = session.execute(base).one()
        total = _figures(total_row)
        hours = hours_per_wte_in(session)
    return Rollup(by=by, rows=rows, total=total, hours_per_wte=hours)


@dataclass(frozen=True)
class EstimateLine:
    """One estimate behind a figure, for drill-down and estimates.csv."""

    estimate_id: uuid.UUID
    measure: str
    cash_releasing: bool
    recurrent: bool
    annual_value_pence: int
    annual_hours_e4: int
    area_id: uuid.UUID
    area_name: str
    csu_id: uuid.UUID
    csu_name: str
    category_label: str
    day: dt.datetime
    observation_id: uuid.UUID | None
    action_id: uuid.UUID | None
    description: str  # the observation's text or the action's title
    basis: str
    rate_code: str
    rate_label: str
    rate_pence: int
    rate_source: str
    rate_year: str
    minutes_centi: int
    staff_count_centi: int
    occurrences_milli: int
    per: str
    operating_days: int
    consumables_pence: int
    other_annual_pence: int
    hours_per_wte_centi: int
    priced_at: dt.datetime


def estimate_lines(
    db: Database,
    flt: SavingsFilter | None = None,
    *,
    measures: Sequence[str] = _MEASURES,
    category_id: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[EstimateLine]:
    """The estimates that make up a roll-up's figures, largest first."""
    flt = flt or SavingsFilter()
    with db.session() as session:
        counted_ids = _estimate_ids(session)
        query = (
            select(
                Estimate,
                counted_ids.c.measure,
                counted_ids.c.area_id,
                counted_ids.c.day,
                counted_ids.c.description,
                Area.name,
                Csu.id,
                Csu.name,
                func.coalesce(WasteCategory.label, ""),
            )
            .join(counted_ids, counted_ids.c.id == Estimate.id)
            .join(Area, Area.id == counted_ids.c.area_id)
            .join(Csu, Csu.id == Area.csu_id)
            .outerjoin(WasteCategory, WasteCategory.id == counted_ids.c.category_id)
            .where(counted_ids.c.measure.in_(list(measures)))
            .order_by(Estimate.annual_value_pence.desc(), Estimate.id)
        )
        query = _filtered(query, counted_ids, flt)
        if category_id is not None:
            query = query.where(counted_ids.c.category_id == category_id)
        if limit is not None:
            query = query.limit(limit)
        lines = []
        for e, measure, area_id, day, text, area_name, csu_id, csu_name, label in session.execute(
            query
        ):
            lines.append(
                EstimateLine(
                    estimate_id=e.id,
                    measure=measure,
                    cash_releasing=e.cash_releasing,
                    recurrent=e.recurrent,
                    annual_value_pence=e.annual_value_pence,
                    annual_hours_e4=e.annual_hours_e4,
                    area_id=area_id,
                    area_name=area_name,
                    csu_id=csu_id,
                    csu_name=csu_name,
                    category_label=label,
                    day=day,
                    observation_id=e.observation_id,
                    action_id=e.action_id,
                    description=text,
                    basis=e.basis,
                    rate_code=e.rate_code,
                    rate_label=e.rate_label,
                    rate_pence=e.rate_pence,
                    rate_source=e.rate_source,
                    rate_year=e.rate_year,
                    minutes_centi=e.minutes_centi,
                    staff_count_centi=e.staff_count_centi,
                    occurrences_milli=e.occurrences_milli,
                    per=e.per,
                    operating_days=e.operating_days,
                    consumables_pence=e.consumables_pence,
                    other_annual_pence=e.other_annual_pence,
                    hours_per_wte_centi=e.hours_per_wte_centi,
                    priced_at=e.priced_at,
                )
            )
        return lines


def _estimate_ids(session: Session) -> Any:
    """Like the roll-up's rows, with the estimate id and a description, for drill-down."""
    opportunity = (
        select(
            Estimate.id.label("id"),
            literal("opportunity").label("measure"),
            Walk.area_id.label("area_id"),
            Observation.category_id.label("category_id"),
            Observation.observed_at.label("day"),
            Observation.description.label("description"),
        )
        .join(Observation, Observation.id == Estimate.observation_id)
        .join(Walk, Walk.id == Observation.walk_id)
        .where(
            Estimate.kind == "opportunity",
            Estimate.deleted_at.is_(None),
            Observation.deleted_at.is_(None),
        )
    )
    saving = (
        select(
            Estimate.id.label("id"),
            Estimate.kind.label("measure"),
            Action.area_id.label("area_id"),
            Action.category_id.label("category_id"),
            case(
                (Estimate.kind == "validated", Action.validated_at), else_=Action.created_at
            ).label("day"),
            Action.title.label("description"),
        )
        .join(Action, Action.id == Estimate.action_id)
        .where(
            Estimate.deleted_at.is_(None),
            Action.deleted_at.is_(None),
            or_(
                Estimate.kind == "expected",
                and_(Estimate.kind == "validated", Action.locked.is_(True)),
            ),
        )
    )
    return union_all(opportunity, saving).subquery("counted_ids")
