"""Figures the Time studies list shows beside each study, read in one query for the whole list."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select

from wastewalk.models import TimeStudyReading
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


def cycle_counts(db: Database, study_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many cycles each study has readings in (studies with none are left out)."""
    if not study_ids:
        return {}
    with db.session() as session:
        rows = session.execute(
            select(TimeStudyReading.study_id, func.count(func.distinct(TimeStudyReading.cycle)))
            .where(
                TimeStudyReading.study_id.in_(list(study_ids)),
                TimeStudyReading.deleted_at.is_(None),
            )
            .group_by(TimeStudyReading.study_id)
        ).all()
    return {study_id: count for study_id, count in rows}
