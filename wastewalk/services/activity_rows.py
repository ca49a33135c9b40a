"""Activity-follow segments for the CSV export, streamed as stored (see services.stored_values).

Which rows: live segments of live follows in the filter's area or CSU that started on one of its
UK days, follow by follow (oldest first), each follow's segments in time order. A segment tagged
as waste names its observation only while that observation is live.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from wastewalk.models import (
    ActivityCategory,
    ActivityFollow,
    ActivitySegment,
    Observation,
    WasteCategory,
)
from wastewalk.services.data_filter import DataFilter, period_conditions, place_conditions
from wastewalk.services.stored_values import AnyRow, as_stored, stream

logger = logging.getLogger(__name__)

SEGMENT_FIELDS = (
    "segment_id",
    "follow_id",
    "area_id",
    "follow_started_at",
    "staff_role",
    "observer",
    "mode",
    "follow_length_s",
    "category_code",
    "category",
    "direct_care",
    "start_s",
    "end_s",
    "sampled",
    "location",
    "note",
    "waste_code",
    "waste",
    "observation_id",
)


def segment_query(flt: DataFilter) -> Select[Any]:
    """Live segments of the follows in the filter: the fields of SEGMENT_FIELDS, as stored."""
    f, s, c = ActivityFollow, ActivitySegment, ActivityCategory
    live_observation = and_(Observation.id == s.observation_id, Observation.deleted_at.is_(None))
    return (
        select(
            as_stored(s.id),
            as_stored(f.id),
            as_stored(f.area_id),
            as_stored(f.started_at),
            f.staff_role,
            f.observer,
            f.mode,
            f.length_s,
            c.code,
            c.label,
            c.is_direct_care,
            s.start_s,
            s.end_s,
            s.sampled,
            s.location,
            s.note,
            WasteCategory.code,
            WasteCategory.label,
            as_stored(Observation.id),
        )
        .join(f, f.id == s.follow_id)
        .join(c, c.id == s.category_id)
        .outerjoin(WasteCategory, WasteCategory.id == s.waste_category_id)
        .outerjoin(Observation, live_observation)
        .where(
            s.deleted_at.is_(None),
            f.deleted_at.is_(None),
            *place_conditions(flt, f.area_id),
            *period_conditions(flt, f.started_at),
        )
        .order_by(f.started_at, f.id, s.start_s, s.created_at)
    )


def segment_rows(session: Session, flt: DataFilter) -> Iterator[AnyRow]:
    """The rows of segment_query, streamed."""
    return stream(session, segment_query(flt))
