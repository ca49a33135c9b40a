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

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.models import (
    Area,
    Csu,
    Estimate,
    Trust,
    WasteCategory,
)
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.estimate_rows import estimate_query
from wastewalk.services.staff_rates import hours_per_wte_in
from wastewalk.services.stored_values import Times, stream, uuid_of
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


class RollupBy(StrEnum):
    AREA = "area"
    CSU = "csu"
    TRUST = "trust"
    WASTE = "waste"
    MONTH = "month"


# Savings take the filter every export and report takes.
SavingsFilter = DataFilter


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


def _where(session: Session, query: Any, flt: SavingsFilter) -> Any:
    """Counting estimates only, narrowed by place and UK dates."""
    query = query.where(Estimate.in_rollup.is_(True))
    if flt.area_id is not None:
        query = query.where(Estimate.area_id == flt.area_id)
    if flt.csu_id is not None:
        areas = select(Area.id).where(Area.csu_id == flt.csu_id)
        query = query.where(Estimate.area_id.in_(areas))
    if flt.date_from is not None:
        query = query.where(Estimate.counted_at >= uk_to_utc(flt.date_from, dt.time(0, 0)))
    if flt.date_to is not None:
        end = uk_to_utc(flt.date_to + dt.timedelta(days=1), dt.time(0, 0))
        query = query.where(Estimate.counted_at < end)
    return query


def _sums() -> list[Any]:
    columns = []
    for measure in _MEASURES:
        is_measure = Estimate.kind == measure
        for cash, suffix in ((True, "cash"), (False, "non_cash")):
            columns.append(
                func.coalesce(
                    func.sum(
                        case(
                            (
                                and_(is_measure, Estimate.cash_releasing.is_(cash)),
                                Estimate.annual_value_pence,
                            ),
                            else_=0,
                        )
                    ),
                    0,
                ).label(f"{measure}_{suffix}")
            )
        columns.append(
            func.coalesce(func.sum(case((is_measure, Estimate.annual_hours_e4), else_=0)), 0).label(
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


def _sum(figures: Sequence[Figures]) -> Figures:
    total = Figures()
    for f in figures:
        total = total + f
    return total


def rollup(db: Database, by: RollupBy | str, flt: SavingsFilter | None = None) -> Rollup:
    """The three measures by area, CSU, trust, waste category or month, with their total.

    One SQL aggregate over the estimates' covering index, grouped by area (or waste, or month);
    CSU and trust lines are sums of their areas' whole pence, and the total is the sum of the
    lines, so the parts add up to the whole to the penny by construction.
    """
    flt = flt or SavingsFilter()
    by = RollupBy(by)
    with db.session() as session:
        if by == RollupBy.WASTE:
            key = Estimate.category_id
        elif by == RollupBy.MONTH:
            key = _month(session, Estimate.counted_at)
        else:
            key = Estimate.area_id
        query = _where(session, select(key.label("key"), *_sums()), flt).group_by(key)
        grouped = {row.key: _figures(row) for row in session.execute(query)}
        hours = hours_per_wte_in(session)
        rows: list[RollupRow] = []
        if by == RollupBy.WASTE:
            wastes = session.execute(
                select(WasteCategory.id, WasteCategory.label).order_by(WasteCategory.sort_order)
            ).all()
            for waste_id, label in wastes:
                if waste_id in grouped:
                    rows.append(RollupRow(waste_id.hex, label, "", grouped.pop(waste_id)))
            if None in grouped:
                rows.append(RollupRow("", "No waste named", "", grouped.pop(None)))
        elif by == RollupBy.MONTH:
            rows = [RollupRow(str(k), str(k), "", f) for k, f in sorted(grouped.items())]
        else:
            places = session.execute(
                select(Area.id, Area.name, Csu.id, Csu.name, Trust.id, Trust.name)
                .join(Csu, Csu.id == Area.csu_id)
                .join(Trust, Trust.id == Csu.trust_id)
                .where(Area.id.in_([k for k in grouped if k is not None]))
            ).all()
            if by == RollupBy.AREA:
                rows = sorted(
                    (
                        RollupRow(area_id.hex, area, csu, grouped[area_id])
                        for area_id, area, _c, csu, _t, _tn in places
                    ),
                    key=lambda r: (r.csu_name.casefold(), r.label.casefold()),
                )
            else:
                parents: dict[uuid.UUID, tuple[str, str, list[Figures]]] = {}
                for area_id, _a, csu_id, csu, trust_id, trust in places:
                    parent, label, csu_label = (
                        (csu_id, csu, csu) if by == RollupBy.CSU else (trust_id, trust, "")
                    )
                    parents.setdefault(parent, (label, csu_label, []))[2].append(grouped[area_id])
                rows = sorted(
                    (
                        RollupRow(parent.hex, label, csu_label, _sum(figures))
                        for parent, (label, csu_label, figures) in parents.items()
                    ),
                    key=lambda r: r.label.casefold(),
                )
    return Rollup(
        by=by, rows=tuple(rows), total=_sum([r.figures for r in rows]), hours_per_wte=hours
    )


@dataclass(frozen=True, slots=True)
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
    # The observation's text may hold an NHS number nobody has redacted or confirmed yet: an
    # export takes the suspected number out of `description` (PRODUCT.md).
    needs_identifier_review: bool = False


def estimate_lines(
    db: Database,
    flt: SavingsFilter | None = None,
    *,
    measures: Sequence[str] = _MEASURES,
    category_id: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[EstimateLine]:
    """The estimates that make up a roll-up's figures, largest first.

    One query of plain columns (services.estimate_rows), not ORM objects, and lines with slots:
    a whole trust's estimates load several times faster and in a fraction of the memory.
    estimates.csv streams the same query instead of holding the lines.
    """
    query = estimate_query(
        flt or SavingsFilter(),
        measures=measures,
        category_id=category_id,
        limit=limit,
    )
    # Ids and times come as stored and are converted here: a UUID made once per area and CSU,
    # not once per row, as SQLAlchemy would (most of the time of a whole trust's lines).
    places: dict[object, uuid.UUID] = {}

    def place(value: object) -> uuid.UUID:
        found = places.get(value)
        if found is None:
            found = places[value] = uuid_of(value)
        return found

    times = Times()
    lines: list[EstimateLine] = []
    with db.session() as session:
        for row in stream(session, query):
            (estimate_id, measure, cash, recurrent, pence, hours_e4, area_id, area, csu_id, csu,
             label, day, observation_id, action_id, description, basis, rate_code, rate_label,
             rate_pence, rate_source, rate_year, minutes, staff, occurrences, per,
             operating_days, consumables, other, hours_per_wte, priced_at,
             review) = row  # fmt: skip
            counted, priced = times.moment(day), times.moment(priced_at)
            assert counted is not None
            assert priced is not None
            lines.append(
                EstimateLine(
                    estimate_id=uuid_of(estimate_id),
                    measure=measure,
                    cash_releasing=bool(cash),
                    recurrent=bool(recurrent),
                    annual_value_pence=pence,
                    annual_hours_e4=hours_e4,
                    area_id=place(area_id),
                    area_name=area,
                    csu_id=place(csu_id),
                    csu_name=csu,
                    category_label=label,
                    day=counted,
                    observation_id=None if observation_id is None else uuid_of(observation_id),
                    action_id=None if action_id is None else uuid_of(action_id),
                    description=description,
                    basis=basis,
                    rate_code=rate_code,
                    rate_label=rate_label,
                    rate_pence=rate_pence,
                    rate_source=rate_source,
                    rate_year=rate_year,
                    minutes_centi=minutes,
                    staff_count_centi=staff,
                    occurrences_milli=occurrences,
                    per=per,
                    operating_days=operating_days,
                    consumables_pence=consumables,
                    other_annual_pence=other,
                    hours_per_wte_centi=hours_per_wte,
                    priced_at=priced,
                    needs_identifier_review=bool(review),
                )
            )
    return lines
