"""Waste walks: start, edit, complete, read."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError
from wastewalk.domain.observation_rules import (
    MAX_SHORT_TEXT,
    MAX_TEXT_LENGTH,
    ParticipantRole,
    WalkStatus,
    check_text,
)
from wastewalk.models import Area, Csu, Observation, Participant, Walk, utcnow
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParticipantInput:
    name: str
    role: str = ParticipantRole.STAFF


@dataclass(frozen=True)
class WalkInfo:
    id: uuid.UUID
    area_id: uuid.UUID
    area_name: str
    csu_name: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    focus: str
    status: str
    notes: str
    participants: tuple[ParticipantInput, ...]
    observation_count: int


def _check_participants(participants: Sequence[ParticipantInput]) -> list[str]:
    problems = []
    roles = set(ParticipantRole)
    for number, person in enumerate(participants, start=1):
        problem = check_text(
            person.name, f"Participant {number} name", required=True, limit=MAX_SHORT_TEXT
        )
        if problem:
            problems.append(problem)
        if person.role not in roles:
            problems.append(
                f"Participant {number} role must be one of {', '.join(sorted(roles))}, "
                f"not '{person.role}'"
            )
    return problems


def _aware(when: dt.datetime, what: str) -> dt.datetime:
    if when.tzinfo is None:
        raise InputError(f"{what} has no time zone; give a time in UTC or with an offset")
    return when.astimezone(dt.UTC)


def walk_info(session: Session, walk: Walk) -> WalkInfo:
    """Plain copy of a walk, with its area, CSU, participants and live observation count."""
    area = session.get(Area, walk.area_id)
    assert area is not None
    csu_name = session.scalar(select(Csu.name).where(Csu.id == area.csu_id)) or ""
    count = session.scalar(
        select(func.count())
        .select_from(Observation)
        .where(Observation.walk_id == walk.id, Observation.deleted_at.is_(None))
    )
    return WalkInfo(
        id=walk.id,
        area_id=walk.area_id,
        area_name=area.name,
        csu_name=csu_name,
        started_at=walk.started_at,
        ended_at=walk.ended_at,
        focus=walk.focus,
        status=walk.status,
        notes=walk.notes,
        participants=tuple(ParticipantInput(p.name, p.role) for p in walk.participants),
        observation_count=count or 0,
    )


def start_walk(
    db: Database,
    area_id: uuid.UUID,
    *,
    focus: str = "",
    participants: Sequence[ParticipantInput] = (),
    started_at: dt.datetime | None = None,
    notes: str = "",
) -> WalkInfo:
    """Begin a walk in an area (now, unless another start time is given)."""
    problems = _check_participants(participants)
    for problem in (
        check_text(focus, "Focus", required=False, limit=MAX_SHORT_TEXT),
        check_text(notes, "Notes", required=False, limit=MAX_TEXT_LENGTH),
    ):
        if problem:
            problems.append(problem)
    if problems:
        raise InputError("; ".join(problems))
    start = _aware(started_at, "Start time") if started_at else utcnow()
    with db.session() as session:
        area = get_or_fail(session, Area, area_id, "area")
        if area.archived_at is not None:
            raise InputError(f"{area.name} is archived; bring it back before starting a walk there")
        walk = Walk(
            area_id=area_id,
            started_at=start,
            focus=focus.strip(),
            notes=notes,
            status=WalkStatus.IN_PROGRESS,
            device_id=db.device_id,
        )
        session.add(walk)
        session.flush()
        _replace_participants(session, walk, participants, db.device_id)
        return walk_info(session, walk)


def _replace_participants(
    session: Session, walk: Walk, participants: Sequence[ParticipantInput], device_id: str
) -> None:
    for old in list(walk.participants):
        session.delete(old)
    session.flush()
    walk.participants = [
        Participant(
            walk_id=walk.id,
            name=" ".join(p.name.split()),
            role=str(p.role),
            position=i,
            device_id=device_id,
        )
        for i, p in enumerate(participants)
    ]
    session.flush()


def edit_walk(
    db: Database,
    walk_id: uuid.UUID,
    *,
    focus: str | None = None,
    notes: str | None = None,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    participants: Sequence[ParticipantInput] | None = None,
) -> WalkInfo:
    """Change a walk's details; only what is given changes."""
    problems = _check_participants(participants or ())
    if focus is not None and (
        p := check_text(focus, "Focus", required=False, limit=MAX_SHORT_TEXT)
    ):
        problems.append(p)
    if notes is not None and (
        p := check_text(notes, "Notes", required=False, limit=MAX_TEXT_LENGTH)
    ):
        problems.append(p)
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        walk = get_or_fail(session, Walk, walk_id, "walk")
        if focus is not None:
            walk.focus = focus.strip()
        if notes is not None:
            walk.notes = notes
        if started_at is not None:
            walk.started_at = _aware(started_at, "Start time")
        if ended_at is not None:
            walk.ended_at = _aware(ended_at, "End time")
        if walk.ended_at is not None and walk.ended_at < walk.started_at:
            raise InputError("A walk cannot end before it starts")
        if participants is not None:
            _replace_participants(session, walk, participants, db.device_id)
        session.flush()
        return walk_info(session, walk)


def complete_walk(
    db: Database, walk_id: uuid.UUID, ended_at: dt.datetime | None = None
) -> WalkInfo:
    """Mark a walk complete, ending it now unless another end time is given."""
    with db.session() as session:
        walk = get_or_fail(session, Walk, walk_id, "walk")
        end = _aware(ended_at, "End time") if ended_at else utcnow()
        if end < walk.started_at:
            raise InputError("A walk cannot end before it starts")
        walk.ended_at = end
        walk.status = WalkStatus.COMPLETE
        session.flush()
        return walk_info(session, walk)


def get_walk(db: Database, walk_id: uuid.UUID) -> WalkInfo:
    """One walk."""
    with db.session() as session:
        return walk_info(session, get_or_fail(session, Walk, walk_id, "walk"))


def list_walks(db: Database, area_id: uuid.UUID | None = None, limit: int = 200) -> list[WalkInfo]:
    """Most recent walks first, optionally in one area."""
    with db.session() as session:
        query = select(Walk).order_by(Walk.started_at.desc()).limit(limit)
        if area_id is not None:
            query = query.where(Walk.area_id == area_id)
        return [walk_info(session, w) for w in session.scalars(query)]
