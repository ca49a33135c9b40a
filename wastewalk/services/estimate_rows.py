"""The estimates behind the savings figures, as one query of plain columns, streamed.

services.savings.estimate_lines (the drill-down in the window, reports) builds its lines from this
query; estimates.csv streams it. Ids and times come as stored (see services.stored_values), so a
trust's quarter of a million estimates are read without a UUID and a datetime made per cell, and
written without ever being all in memory. Which
estimates: the counting ones (`in_rollup`) in the filter's area or CSU, counted on one of its UK
days, exactly as services.savings.rollup sums them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, and_, case, false, func, select
from sqlalchemy.orm import Session

from wastewalk.models import Action, Area, Csu, Estimate, Observation, WasteCategory
from wastewalk.services.data_filter import DataFilter, period_conditions, place_conditions
from wastewalk.services.stored_values import AnyRow, as_stored, stream

logger = logging.getLogger(__name__)

MEASURES = ("opportunity", "expected", "validated")
# The fields of each row, in order (names as services.savings.EstimateLine has them).
ESTIMATE_FIELDS = (
    "estimate_id",
    "measure",
    "cash_releasing",
    "recurrent",
    "annual_value_pence",
    "annual_hours_e4",
    "area_id",
    "area_name",
    "csu_id",
    "csu_name",
    "category_label",
    "day",
    "observation_id",
    "action_id",
    "description",
    "basis",
    "rate_code",
    "rate_label",
    "rate_pence",
    "rate_source",
    "rate_year",
    "minutes_centi",
    "staff_count_centi",
    "occurrences_milli",
    "per",
    "operating_days",
    "consumables_pence",
    "other_annual_pence",
    "hours_per_wte_centi",
    "priced_at",
    "needs_identifier_review",
)


def estimate_query(
    flt: DataFilter,
    *,
    measures: Sequence[str] = MEASURES,
    category_id: uuid.UUID | None = None,
    limit: int | None = None,
) -> Select[Any]:
    """The counting estimates in the filter, largest annual value first: the fields of
    ESTIMATE_FIELDS, ids and times as stored."""
    e = Estimate
    value = as_stored

    review = case(
        (
            and_(
                Observation.suspected_identifier.is_(True),
                Observation.identifier_confirmed.is_(False),
            ),
            True,
        ),
        else_=false(),
    )
    query = (
        select(
            value(e.id),
            e.kind,
            e.cash_releasing,
            e.recurrent,
            e.annual_value_pence,
            e.annual_hours_e4,
            value(e.area_id),
            Area.name,
            value(Csu.id),
            Csu.name,
            func.coalesce(WasteCategory.label, ""),
            value(e.counted_at),
            value(e.observation_id),
            value(e.action_id),
            func.coalesce(Observation.description, Action.title, ""),
            e.basis,
            e.rate_code,
            e.rate_label,
            e.rate_pence,
            e.rate_source,
            e.rate_year,
            e.minutes_centi,
            e.staff_count_centi,
            e.occurrences_milli,
            e.per,
            e.operating_days,
            e.consumables_pence,
            e.other_annual_pence,
            e.hours_per_wte_centi,
            value(e.priced_at),
            review,
        )
        .join(Area, Area.id == e.area_id)
        .join(Csu, Csu.id == Area.csu_id)
        .outerjoin(WasteCategory, WasteCategory.id == e.category_id)
        .outerjoin(Observation, Observation.id == e.observation_id)
        .outerjoin(Action, Action.id == e.action_id)
        .where(
            e.in_rollup.is_(True),
            e.kind.in_(list(measures)),
            *place_conditions(flt, e.area_id),
            *period_conditions(flt, e.counted_at),
        )
        .order_by(e.annual_value_pence.desc(), e.id)
    )
    if category_id is not None:
        query = query.where(e.category_id == category_id)
    if limit is not None:
        query = query.limit(limit)
    return query


def estimate_rows(session: Session, flt: DataFilter, **options: Any) -> Iterator[AnyRow]:
    """The rows of estimate_query, streamed."""
    return stream(session, estimate_query(flt, **options))
