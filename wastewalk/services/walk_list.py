"""Walks as the Walks section lists them: newest first, inside the shared CSU/area scope."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from wastewalk.models import Area, Csu, Observation, Participant, Walk
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

RECENT_NAMES = 30


@dataclass(frozen=True)
class WalkRow:
    id: uuid.UUID
    started_at: dt.datetime
    ended_at: dt.datetime | None
    csu_name: str
    area_name: str
    focus: str
    status: str
    observations: int


def list_walks_in_scope(
    db: Database,
    csu_id: uuid.UUID | None = None,
    area_id: uuid.UUID | None = None,
    limit: int = 500,
) -> list[WalkRow]:
    """The newest `limit` walks in a CSU, an area or the whole trust, with live observation counts.

    One query: the count is a correlated subquery over the (walk_id, observed_at) index.
    """
    live = (
        select(func.count())
        .where(Observation.walk_id == Walk.id, Observation.deleted_at.is_(None))
        .correlate(Walk)
        .scalar_subquery()
    )
    query = (
        select(
            Walk.id,
            Walk.started_at,
            Walk.ended_at,
            Csu.name,
            Area.name,
            Walk.focus,
            Walk.status,
            live,
        )
        .join(Area, Walk.area_id == Area.id)
        .join(Csu, Area.csu_id == Csu.id)
        .order_by(Walk.started_at.desc(), Walk.id)
        .limit(limit)
    )
    if area_id is not None:
        query = query.where(Walk.area_id == area_id)
    elif csu_id is not None:
        query = query.where(Area.csu_id == csu_id)
    with db.session() as session:
        return [WalkRow(*row) for row in session.execute(query)]


def recent_participant_names(db: Database, limit: int = RECENT_NAMES) -> list[str]:
    """Names of people on recent walks, most recent first, to offer when starting a walk."""
    query = (
        select(Participant.name, func.max(Participant.created_at).label("last"))
        .group_by(Participant.name)
        .order_by(func.max(Participant.created_at).desc())
        .limit(limit)
    )
    with db.session() as session:
        return [name for name, _last in session.execute(query)]
