"""What the walk summary report needs beyond services.walk_summary: the walk's notes, each live
observation in full (countermeasure, frequency), its estimate, its photos, and the actions agreed.

A fixed handful of queries per walk, however many observations it has; photo bytes are read one
thumbnail at a time by the report as it lays them out.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from wastewalk.domain.costing import EstimateKind
from wastewalk.domain.errors import NotFoundError
from wastewalk.models import Action, ActionObservation, Estimate, Observation, Walk
from wastewalk.services.actions import ActionInfo, action_info
from wastewalk.services.estimates import EstimateInfo, estimate_info
from wastewalk.services.observations import ObservationInfo, list_observations
from wastewalk.services.photos import PhotoInfo, photos_for_walk
from wastewalk.services.walk_summary import WalkSummary, walk_summary
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WalkReportFigures:
    """One walk, everything its report prints. Observations oldest first."""

    summary: WalkSummary
    notes: str
    observations: tuple[ObservationInfo, ...]
    estimates: dict[uuid.UUID, EstimateInfo]  # by observation id: the live opportunity
    photos: dict[uuid.UUID, list[PhotoInfo]]  # by observation id, oldest first
    actions: tuple[ActionInfo, ...]  # live actions made from the walk's observations


def walk_report_figures(
    db: Database, walk_id: uuid.UUID, *, today: dt.date | None = None
) -> WalkReportFigures:
    """Read one walk for its report; NotFoundError in plain words if there is no such walk.

    `today` decides which actions are overdue (default: today in the UK). The summary's
    duration of a walk still in progress runs to its last observation, not to the clock, so the
    same data gives the same report."""
    with db.session() as session:
        walk = session.get(Walk, walk_id)
        if walk is None:
            raise NotFoundError(
                f"There is no walk with id {walk_id}; the walk_id column of walks.csv lists them."
            )
        notes = walk.notes
        last_seen = session.scalar(
            select(Observation.observed_at)
            .where(Observation.walk_id == walk_id, Observation.deleted_at.is_(None))
            .order_by(Observation.observed_at.desc())
            .limit(1)
        )
        started = walk.started_at
    summary = walk_summary(db, walk_id, now=last_seen or started)
    observations = tuple(reversed(list_observations(db, walk_id)))
    live_ids = [o.id for o in observations]
    with db.session() as session:
        rows = session.scalars(
            select(Estimate).where(
                Estimate.kind == EstimateKind.OPPORTUNITY,
                Estimate.deleted_at.is_(None),
                Estimate.observation_id.in_(live_ids),
            )
        )
        estimates = {
            row.observation_id: estimate_info(session, row)
            for row in rows
            if row.observation_id is not None
        }
        made_from = (
            select(ActionObservation.action_id)
            .where(ActionObservation.observation_id.in_(live_ids))
            .distinct()
        )
        actions = tuple(
            action_info(session, action, today)
            for action in session.scalars(
                select(Action)
                .where(Action.id.in_(made_from), Action.deleted_at.is_(None))
                .order_by(Action.created_at, Action.id)
            )
        )
    return WalkReportFigures(
        summary=summary,
        notes=notes,
        observations=observations,
        estimates=estimates,
        photos=photos_for_walk(db, walk_id),
        actions=actions,
    )
