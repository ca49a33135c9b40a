"""One walk at a glance: who walked, for how long, and what waste they saw, counted per category.

Shown when a walk is finished, and the basis of the walk summary report. Four queries whatever the
size of the walk: the walk with its area and CSU, its participants, the counts per category (one
GROUP BY), and the observation lines.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from wastewalk.domain.errors import NotFoundError
from wastewalk.domain.observation_rules import ParticipantRole, WalkStatus
from wastewalk.models import Area, Csu, Observation, Participant, Walk, WasteCategory, utcnow
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

# Roles as people say them; the stored codes are for files and the database.
ROLE_WORDS: dict[str, str] = {
    ParticipantRole.STAFF: "Staff",
    ParticipantRole.QUALITY_PARTNER: "Quality Partner",
    ParticipantRole.IMPROVEMENT_SPECIALIST: "Improvement specialist",
    ParticipantRole.MANAGER: "Manager",
}


@dataclass(frozen=True)
class ParticipantLine:
    """A person on the walk and their role, as a code and in plain words."""

    name: str
    role: str
    role_words: str


@dataclass(frozen=True)
class WasteCount:
    """How many live observations of one waste category the walk recorded (zero included)."""

    category_id: uuid.UUID
    code: str
    label: str
    count: int
    archived: bool


@dataclass(frozen=True)
class ObservationLine:
    """One live observation as the summary lists it."""

    id: uuid.UUID
    observed_at: dt.datetime
    category_code: str
    category_label: str
    description: str
    location: str
    impact: int | None
    ease: int | None
    needs_identifier_review: bool


@dataclass(frozen=True)
class WalkSummary:
    """Everything the walk summary shows; times are UTC, the reader converts for display."""

    walk_id: uuid.UUID
    area_name: str
    csu_name: str
    focus: str
    status: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    # Until the end time, or until `now` for a walk still in progress.
    duration: dt.timedelta
    participants: tuple[ParticipantLine, ...]
    # Category display order; every live category, and archived ones only where the walk used them.
    counts: tuple[WasteCount, ...]
    total: int
    # Oldest first: the order the walk happened in.
    observations: tuple[ObservationLine, ...]
    needs_review_count: int

    @property
    def is_complete(self) -> bool:
        return self.status == WalkStatus.COMPLETE


def walk_summary(
    db: Database, walk_id: uuid.UUID, *, now: dt.datetime | None = None
) -> WalkSummary:
    """Summarise one walk; deleted observations are left out. `now` is for an unfinished walk."""
    live = Observation.deleted_at.is_(None)
    with db.session() as session:
        head = session.execute(
            select(Walk, Area.name, Csu.name)
            .join(Area, Walk.area_id == Area.id)
            .join(Csu, Area.csu_id == Csu.id)
            .where(Walk.id == walk_id)
        ).one_or_none()
        if head is None:
            raise NotFoundError(f"No walk with id {walk_id}")
        walk, area_name, csu_name = head

        participants = tuple(
            ParticipantLine(name, role, ROLE_WORDS.get(role, role.replace("_", " ").capitalize()))
            for name, role in session.execute(
                select(Participant.name, Participant.role)
                .where(Participant.walk_id == walk_id)
                .order_by(Participant.position, Participant.created_at)
            )
        )

        # The walk's observations joined on the outer side, so a category it never used counts 0.
        count = func.count(Observation.id)
        counted = session.execute(
            select(
                WasteCategory.id,
                WasteCategory.code,
                WasteCategory.label,
                WasteCategory.archived_at,
                count,
            )
            .outerjoin(
                Observation,
                and_(
                    Observation.category_id == WasteCategory.id,
                    Observation.walk_id == walk_id,
                    live,
                ),
            )
            .group_by(
                WasteCategory.id,
                WasteCategory.code,
                WasteCategory.label,
                WasteCategory.archived_at,
                WasteCategory.sort_order,
            )
            .having(WasteCategory.archived_at.is_(None) | (count > 0))
            .order_by(WasteCategory.sort_order, WasteCategory.code)
        )
        counts = tuple(
            WasteCount(cid, code, label, n, archived_at is not None)
            for cid, code, label, archived_at, n in counted
        )

        needs_review = and_(
            Observation.suspected_identifier.is_(True),
            Observation.identifier_confirmed.is_(False),
        )
        observations = tuple(
            ObservationLine(
                id=row.id,
                observed_at=row.observed_at,
                category_code=row.code,
                category_label=row.label,
                description=row.description,
                location=row.location,
                impact=row.impact,
                ease=row.ease,
                needs_identifier_review=bool(row.review),
            )
            for row in session.execute(
                select(
                    Observation.id,
                    Observation.observed_at,
                    WasteCategory.code,
                    WasteCategory.label,
                    Observation.description,
                    Observation.location,
                    Observation.impact,
                    Observation.ease,
                    case((needs_review, True), else_=False).label("review"),
                )
                .join(WasteCategory, Observation.category_id == WasteCategory.id)
                .where(Observation.walk_id == walk_id, live)
                .order_by(Observation.observed_at, Observation.created_at)
            )
        )

    end = walk.ended_at if walk.ended_at is not None else (now or utcnow())
    # A clock set back, or `now` before the start, would give a negative time; none is walked.
    duration = max(end - walk.started_at, dt.timedelta(0))
    return WalkSummary(
        walk_id=walk.id,
        area_name=area_name,
        csu_name=csu_name,
        focus=walk.focus,
        status=walk.status,
        started_at=walk.started_at,
        ended_at=walk.ended_at,
        duration=duration,
        participants=participants,
        counts=counts,
        total=sum(c.count for c in counts),
        observations=observations,
        needs_review_count=sum(1 for o in observations if o.needs_identifier_review),
    )


def duration_words(duration: dt.timedelta) -> str:
    """A walk's length as people say it: "1 h 12 min", "45 min", "under a minute"."""
    minutes = int(duration.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def review_warning(count: int) -> str:
    """The line that tells people observations must be checked for NHS numbers before export."""
    if count <= 0:
        return ""
    if count == 1:
        return "1 observation may hold an NHS number: redact or confirm it before export"
    return f"{count} observations may hold an NHS number: redact or confirm them before export"
