"""Time-study readings and element summaries for the CSV export.

Which studies: live (not deleted) ones in the filter's area or CSU whose study date is one of its
days. Readings are streamed as stored (see services.stored_values); live readings of live
elements only, as the sheet shows them. Element summaries are services.time_studies.study_summary
itself, so the numbers are the window's and `wastewalk timestudy summary`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from wastewalk.domain.time_study import StudySummary
from wastewalk.models import Area, TimeStudy, TimeStudyElement, TimeStudyReading
from wastewalk.services.data_filter import DataFilter, place_conditions
from wastewalk.services.stored_values import AnyRow, as_stored, in_days, stream
from wastewalk.services.time_studies import StudyInfo, list_studies, study_summary
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

READING_FIELDS = (
    "study_id",
    "study",
    "process",
    "area_id",
    "study_date",
    "element_id",
    "element_order",
    "element",
    "value_class",
    "rating_pct",
    "cycle",
    "state",
    "seconds",
    "exclude_reason",
    "sequence",
    "taken_at",
)


def reading_query(flt: DataFilter) -> Select[Any]:
    """Live readings of the studies in the filter, study by study (by date, then name), cycle by
    cycle, element by element: the fields of READING_FIELDS, as stored."""
    s, e, r = TimeStudy, TimeStudyElement, TimeStudyReading
    return (
        select(
            as_stored(s.id),
            s.name,
            s.process,
            as_stored(s.area_id),
            s.study_date,
            as_stored(e.id),
            e.position,
            e.name,
            e.value_class,
            e.rating_pct,
            r.cycle,
            r.state,
            r.seconds,
            r.exclude_reason,
            r.sequence,
            as_stored(r.taken_at),
        )
        .join(e, e.id == r.element_id)
        .join(s, s.id == r.study_id)
        .where(
            r.deleted_at.is_(None),
            e.deleted_at.is_(None),
            s.deleted_at.is_(None),
            *place_conditions(flt, s.area_id),
            *in_days(s.study_date, flt),
        )
        .order_by(s.study_date, s.name, s.id, r.cycle, e.position)
    )


def reading_rows(session: Session, flt: DataFilter) -> Iterator[AnyRow]:
    """The rows of reading_query, streamed."""
    return stream(session, reading_query(flt))


def studies_in(db: Database, flt: DataFilter) -> list[StudyInfo]:
    """The live studies in the filter, oldest first (by date, then name)."""
    area_ids = None
    if flt.area_id is not None:
        area_ids = [flt.area_id]
    elif flt.csu_id is not None:
        with db.session() as session:
            area_ids = list(session.scalars(select(Area.id).where(Area.csu_id == flt.csu_id)))
    studies = [
        study
        for study in list_studies(db, area_ids)
        if (flt.date_from is None or study.study_date >= flt.date_from)
        and (flt.date_to is None or study.study_date <= flt.date_to)
    ]
    return sorted(studies, key=lambda s: (s.study_date, s.name, str(s.id)))


def study_summaries(db: Database, flt: DataFilter) -> Iterator[tuple[StudyInfo, StudySummary]]:
    """Each study in the filter with its summary (study_summary, one study at a time)."""
    for study in studies_in(db, flt):
        yield study_summary(db, study.id)
