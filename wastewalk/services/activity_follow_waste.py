"""Segments of an activity follow tagged as waste become observations in a walk of the area.

The walk is made on first use and remembered on the follow; untagging deletes the observation
(softly), so undo and packs carry it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.observation_rules import MAX_SHORT_TEXT, WalkStatus
from wastewalk.models import (
    ActivityCategory,
    ActivityFollow,
    ActivitySegment,
    Observation,
    Walk,
    WasteCategory,
    utcnow,
)
from wastewalk.services.activity_follows import (
    SegmentInfo,
    delete_segment_observation,
    live_follow,
    segment_info,
)
from wastewalk.services.estimates import refresh_rollup_columns
from wastewalk.services.observations import (
    ObservationInput,
    apply_input,
    input_from_info,
    observation_info,
    validate_observation,
)
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


def _follow_walk(session: Session, follow: ActivityFollow, device_id: str) -> uuid.UUID:
    """The walk that holds the follow's waste observations, made the first time it is needed."""
    if follow.walk_id is not None:
        return follow.walk_id
    ended = follow.ended_at is not None
    walk = Walk(
        area_id=follow.area_id,
        started_at=follow.started_at,
        ended_at=follow.ended_at,
        focus=f"Activity follow: {follow.staff_role}"[:MAX_SHORT_TEXT],
        status=WalkStatus.COMPLETE if ended else WalkStatus.IN_PROGRESS,
        device_id=device_id,
    )
    session.add(walk)
    session.flush()
    follow.walk_id = walk.id
    logger.info("walk %s made for the waste of activity follow %s", walk.id, follow.id)
    return walk.id


def segment_description(label: str, seconds: float | None, role: str, extra: str = "") -> str:
    """'Documentation for 3:05 (Staff nurse)', then what the observer added."""
    span = f"for {_minutes(seconds)}" if seconds is not None else "(still going)"
    text = f"{label} {span} ({role})"
    return f"{text}: {extra.strip()}" if extra.strip() else text


def _minutes(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def tag_segment_waste(
    db: Database, segment_id: uuid.UUID, waste_code: str | None, description: str = ""
) -> SegmentInfo:
    """Tag a segment as a waste (it becomes an observation) or, with None, remove the tag.

    The first tag in a follow makes a walk in the follow's area to hold the observations.
    Tagging again with another waste changes the observation's waste (and its description,
    when one is given). Everything is saved together or not at all.
    """
    with db.session() as session:
        segment = get_or_fail(session, ActivitySegment, segment_id, "segment")
        if segment.deleted_at is not None:
            raise NotFoundError("That segment has been taken back")
        follow = live_follow(session, segment.follow_id)
        now = utcnow()
        if waste_code is None:
            delete_segment_observation(session, segment, now)
            segment.waste_category_id = None
            segment.observation_id = None
            return segment_info(session, segment)
        waste = session.scalar(select(WasteCategory).where(WasteCategory.code == waste_code))
        if waste is None:
            raise InputError(f"There is no waste category with code '{waste_code}'")
        if waste.archived_at is not None and waste.id != segment.waste_category_id:
            raise InputError(f"The waste category '{waste.label}' is archived")
        category = session.get(ActivityCategory, segment.category_id)
        assert category is not None
        end = segment.end_s
        text = segment_description(
            category.label,
            end - segment.start_s if end is not None else None,
            follow.staff_role,
            description,
        )
        observation = (
            session.get(Observation, segment.observation_id) if segment.observation_id else None
        )
        if observation is not None and observation.deleted_at is None:
            old = session.get(WasteCategory, observation.category_id)
            assert old is not None
            data = dataclasses.replace(
                input_from_info(observation_info(observation, old)), category_id=waste.id
            )
            if description.strip():
                data = dataclasses.replace(data, description=text)
        else:
            data = ObservationInput(
                category_id=waste.id,
                description=text,
                location=segment.location,
                observed_at=follow.started_at + dt.timedelta(seconds=segment.start_s),
            )
            observation = Observation(
                walk_id=_follow_walk(session, follow, db.device_id),
                device_id=db.device_id,
                observed_at=data.observed_at,
            )
            session.add(observation)
        problems = validate_observation(data)
        if problems:
            raise InputError(problems)
        apply_input(observation, data)
        session.flush()
        refresh_rollup_columns(session, observation_ids=[observation.id])
        segment.waste_category_id = waste.id
        segment.observation_id = observation.id
        return segment_info(session, segment)
