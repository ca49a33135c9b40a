"""Activity follows: follow one member of staff, record segments and interruptions, summarise.

Offsets (`*_s`) are seconds from the start of the follow by the window's monotonic clock. Every
event is saved as it happens, and `length_s` is kept at the last known point of the follow (every
event and a periodic `mark_follow_time` move it on), so a follow left open by a killed program
can be continued: `resume_follow` closes the segment left open at that point.

Tagging segments as waste (they become observations) is in activity_follow_waste.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.activity import (
    CategoryInfo,
    FollowMode,
    FollowSummary,
    Segment,
    check_interval,
    summarise_follow,
)
from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.lap_timer import clock_text
from wastewalk.domain.observation_rules import (
    MAX_SHORT_TEXT,
    MAX_TEXT_LENGTH,
    WalkStatus,
    check_text,
)
from wastewalk.models import (
    ActivityCategory,
    ActivityFollow,
    ActivityInterruption,
    ActivitySegment,
    Area,
    Csu,
    Observation,
    Walk,
    WasteCategory,
    utcnow,
)
from wastewalk.services.estimates import refresh_rollup_columns
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

LIST_LIMIT = 500


@dataclass(frozen=True)
class FollowInfo:
    id: uuid.UUID
    area_id: uuid.UUID
    area_name: str
    csu_id: uuid.UUID
    csu_name: str
    observer: str
    staff_role: str
    mode: str
    interval_s: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    length_s: float  # the last known point of the follow; its length once ended
    notes: str
    walk_id: uuid.UUID | None
    segment_count: int
    interruption_count: int
    direct_care_share: float | None

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


@dataclass(frozen=True)
class SegmentInfo:
    id: uuid.UUID
    follow_id: uuid.UUID
    category_id: uuid.UUID
    category_code: str
    category_label: str
    category_key: str | None
    start_s: float
    end_s: float | None  # None while it is the activity going on now
    sampled: bool
    location: str
    note: str
    waste_category_id: uuid.UUID | None
    waste_code: str | None
    waste_label: str | None
    observation_id: uuid.UUID | None

    @property
    def length_s(self) -> float | None:
        return None if self.end_s is None else self.end_s - self.start_s


@dataclass(frozen=True)
class InterruptionInfo:
    id: uuid.UUID
    follow_id: uuid.UUID
    at_s: float
    note: str


# --- reading back -------------------------------------------------------------------------------


def live_follow(session: Session, follow_id: uuid.UUID) -> ActivityFollow:
    follow = get_or_fail(session, ActivityFollow, follow_id, "activity follow")
    if follow.deleted_at is not None:
        raise NotFoundError("That activity follow has been deleted")
    return follow


def _running_follow(session: Session, follow_id: uuid.UUID) -> ActivityFollow:
    follow = live_follow(session, follow_id)
    if follow.ended_at is not None:
        raise InputError("This follow has ended; nothing more can be recorded in it")
    return follow


def _segments(session: Session, follow_id: uuid.UUID) -> list[ActivitySegment]:
    return list(
        session.scalars(
            select(ActivitySegment)
            .where(ActivitySegment.follow_id == follow_id, ActivitySegment.deleted_at.is_(None))
            .order_by(ActivitySegment.start_s, ActivitySegment.created_at)
        )
    )


def _interruptions(session: Session, follow_id: uuid.UUID) -> list[ActivityInterruption]:
    return list(
        session.scalars(
            select(ActivityInterruption)
            .where(
                ActivityInterruption.follow_id == follow_id,
                ActivityInterruption.deleted_at.is_(None),
            )
            .order_by(ActivityInterruption.at_s, ActivityInterruption.created_at)
        )
    )


def _figures(
    session: Session, follows: Sequence[ActivityFollow]
) -> dict[uuid.UUID, tuple[int, int, float | None]]:
    """Per follow: segments, interruptions and the share of time in direct care."""
    lengths = {f.id: f.length_s or 0.0 for f in follows}
    spans: dict[uuid.UUID, list[tuple[float, bool]]] = {i: [] for i in lengths}
    for follow_id, start, end, direct in session.execute(
        select(
            ActivitySegment.follow_id,
            ActivitySegment.start_s,
            ActivitySegment.end_s,
            ActivityCategory.is_direct_care,
        )
        .join(ActivityCategory, ActivityCategory.id == ActivitySegment.category_id)
        .where(ActivitySegment.follow_id.in_(lengths), ActivitySegment.deleted_at.is_(None))
    ):
        stop = end if end is not None else max(lengths[follow_id], start)
        spans[follow_id].append((stop - start, bool(direct)))
    interrupted: dict[uuid.UUID, int] = {
        follow_id: count
        for follow_id, count in session.execute(
            select(ActivityInterruption.follow_id, func.count())
            .where(
                ActivityInterruption.follow_id.in_(lengths),
                ActivityInterruption.deleted_at.is_(None),
            )
            .group_by(ActivityInterruption.follow_id)
        )
    }
    result = {}
    for follow_id, times in spans.items():
        total = math.fsum(t for t, _ in times)
        direct_s = math.fsum(t for t, d in times if d)
        share = direct_s / total if total > 0 else None
        result[follow_id] = (len(times), interrupted.get(follow_id, 0), share)
    return result


def _infos(session: Session, follows: Sequence[ActivityFollow]) -> list[FollowInfo]:
    figures = _figures(session, follows)
    area_ids = {f.area_id for f in follows}
    places = {
        area.id: (area.name, csu.id, csu.name)
        for area, csu in session.execute(
            select(Area, Csu).join(Csu, Csu.id == Area.csu_id).where(Area.id.in_(area_ids))
        )
    }
    infos = []
    for f in follows:
        area_name, csu_id, csu_name = places[f.area_id]
        segments, interruptions, share = figures[f.id]
        infos.append(
            FollowInfo(
                id=f.id,
                area_id=f.area_id,
                area_name=area_name,
                csu_id=csu_id,
                csu_name=csu_name,
                observer=f.observer,
                staff_role=f.staff_role,
                mode=f.mode,
                interval_s=f.interval_s,
                started_at=f.started_at,
                ended_at=f.ended_at,
                length_s=f.length_s or 0.0,
                notes=f.notes,
                walk_id=f.walk_id,
                segment_count=segments,
                interruption_count=interruptions,
                direct_care_share=share,
            )
        )
    return infos


def _info(session: Session, follow: ActivityFollow) -> FollowInfo:
    session.flush()
    return _infos(session, [follow])[0]


def get_follow(db: Database, follow_id: uuid.UUID) -> FollowInfo:
    """One follow with its counts."""
    with db.session() as session:
        return _info(session, live_follow(session, follow_id))


def list_follows(
    db: Database,
    area_ids: Sequence[uuid.UUID] | None = None,
    csu_id: uuid.UUID | None = None,
    limit: int = LIST_LIMIT,
) -> list[FollowInfo]:
    """Follows, newest first, optionally only in some areas or in one CSU's areas."""
    with db.session() as session:
        query = select(ActivityFollow).where(ActivityFollow.deleted_at.is_(None))
        if area_ids is not None:
            query = query.where(ActivityFollow.area_id.in_(list(area_ids)))
        if csu_id is not None:
            query = query.join(Area, Area.id == ActivityFollow.area_id).where(Area.csu_id == csu_id)
        query = query.order_by(ActivityFollow.started_at.desc()).limit(limit)
        return _infos(session, list(session.scalars(query)))


def recent_staff_roles(db: Database, limit: int = 20) -> list[str]:
    """Roles followed lately, most recent first, each once (to offer when starting a follow)."""
    with db.session() as session:
        rows = session.execute(
            select(ActivityFollow.staff_role, func.max(ActivityFollow.started_at).label("last"))
            .where(ActivityFollow.deleted_at.is_(None))
            .group_by(ActivityFollow.staff_role)
            .order_by(func.max(ActivityFollow.started_at).desc())
            .limit(limit)
        )
        return [role for role, _last in rows]


def _segment_infos(
    session: Session, follow_id: uuid.UUID, segment_id: uuid.UUID | None = None
) -> list[SegmentInfo]:
    query = (
        select(ActivitySegment, ActivityCategory, WasteCategory)
        .join(ActivityCategory, ActivityCategory.id == ActivitySegment.category_id)
        .outerjoin(WasteCategory, WasteCategory.id == ActivitySegment.waste_category_id)
        .where(ActivitySegment.follow_id == follow_id, ActivitySegment.deleted_at.is_(None))
        .order_by(ActivitySegment.start_s, ActivitySegment.created_at)
    )
    if segment_id is not None:
        query = query.where(ActivitySegment.id == segment_id)
    return [
        SegmentInfo(
            id=s.id,
            follow_id=s.follow_id,
            category_id=c.id,
            category_code=c.code,
            category_label=c.label,
            category_key=c.key,
            start_s=s.start_s,
            end_s=s.end_s,
            sampled=s.sampled,
            location=s.location,
            note=s.note,
            waste_category_id=s.waste_category_id,
            waste_code=w.code if w is not None else None,
            waste_label=w.label if w is not None else None,
            observation_id=s.observation_id,
        )
        for s, c, w in session.execute(query)
    ]


def segment_info(session: Session, segment: ActivitySegment) -> SegmentInfo:
    session.flush()
    return _segment_infos(session, segment.follow_id, segment.id)[0]


def _interruption_info(i: ActivityInterruption) -> InterruptionInfo:
    return InterruptionInfo(id=i.id, follow_id=i.follow_id, at_s=i.at_s, note=i.note)


def list_segments(db: Database, follow_id: uuid.UUID) -> list[SegmentInfo]:
    """The follow's live segments in time order (the open one, if any, last)."""
    with db.session() as session:
        live_follow(session, follow_id)
        return _segment_infos(session, follow_id)


def list_interruptions(db: Database, follow_id: uuid.UUID) -> list[InterruptionInfo]:
    """The follow's live interruptions in time order."""
    with db.session() as session:
        live_follow(session, follow_id)
        return [_interruption_info(i) for i in _interruptions(session, follow_id)]


# --- starting, recording, ending ----------------------------------------------------------------


def start_follow(
    db: Database,
    area_id: uuid.UUID,
    *,
    staff_role: str,
    observer: str = "",
    mode: str = FollowMode.CONTINUOUS,
    interval_s: int = 60,
    started_at: dt.datetime | None = None,
    notes: str = "",
) -> FollowInfo:
    """Begin following one member of staff, named by role only, in an area (now, by default)."""
    problems = [
        p
        for p in (
            check_text(staff_role, "Role followed", required=True, limit=MAX_SHORT_TEXT),
            check_text(observer, "Observer", required=False, limit=MAX_SHORT_TEXT),
            check_text(notes, "Notes", required=False, limit=MAX_TEXT_LENGTH),
            check_interval(interval_s),
        )
        if p
    ]
    if mode not in set(FollowMode):
        problems.append(f"The mode must be 'continuous' or 'sampling', not '{mode}'")
    if started_at is not None and started_at.tzinfo is None:
        problems.append("The start time has no time zone; give a time in UTC or with an offset")
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        area = get_or_fail(session, Area, area_id, "area")
        if area.archived_at is not None:
            raise InputError(f"{area.name} is archived; bring it back before following there")
        follow = ActivityFollow(
            area_id=area.id,
            observer=" ".join(observer.split()),
            staff_role=" ".join(staff_role.split()),
            mode=str(mode),
            interval_s=interval_s,
            started_at=started_at.astimezone(dt.UTC) if started_at else utcnow(),
            length_s=0.0,
            notes=notes,
            device_id=db.device_id,
        )
        session.add(follow)
        session.flush()
        logger.info("activity follow %s started (%s)", follow.id, follow.mode)
        return _info(session, follow)


def _check_offset(at_s: float) -> float:
    if isinstance(at_s, bool) or not isinstance(at_s, int | float) or not math.isfinite(at_s):
        raise InputError("The time must be a number of seconds from the start of the follow")
    if at_s < 0:
        raise InputError(f"The time cannot be before the start of the follow ({at_s} s)")
    return float(at_s)


def _refuse_before(at_s: float, previous: float | None, what: str) -> None:
    if previous is not None and at_s < previous:
        raise InputError(
            f"{what} at {clock_text(at_s)} would be before the previous event "
            f"at {clock_text(previous)}"
        )


def _last_segment_point(segments: Sequence[ActivitySegment]) -> float | None:
    points = [s.end_s if s.end_s is not None else s.start_s for s in segments]
    return max(points, default=None)


def _last_event(session: Session, follow_id: uuid.UUID) -> float | None:
    points = [_last_segment_point(_segments(session, follow_id))]
    points += [max((i.at_s for i in _interruptions(session, follow_id)), default=None)]
    return max((p for p in points if p is not None), default=None)


def _usable_category(session: Session, category_id: uuid.UUID) -> ActivityCategory:
    category = session.get(ActivityCategory, category_id)
    if category is None:
        raise InputError(f"There is no activity category with id {category_id}")
    if category.archived_at is not None:
        raise InputError(f"The activity category '{category.label}' is archived")
    return category


def _check_location(location: str) -> str:
    problem = check_text(location, "Location", required=False, limit=MAX_SHORT_TEXT)
    if problem:
        raise InputError(problem)
    return " ".join(location.split())


def _move_on(follow: ActivityFollow, at_s: float) -> None:
    follow.length_s = max(follow.length_s or 0.0, at_s)


def _add_segment(
    session: Session,
    db: Database,
    follow: ActivityFollow,
    category_id: uuid.UUID,
    span: tuple[float, float | None],
    location: str,
) -> SegmentInfo:
    start, end = span
    segment = ActivitySegment(
        follow_id=follow.id,
        category_id=category_id,
        start_s=start,
        end_s=end,
        sampled=follow.mode == FollowMode.SAMPLING,
        location=location,
        device_id=db.device_id,
    )
    session.add(segment)
    _move_on(follow, end if end is not None else start)
    return segment_info(session, segment)


def switch_activity(
    db: Database, follow_id: uuid.UUID, category_id: uuid.UUID, at_s: float, location: str = ""
) -> SegmentInfo:
    """Continuous timing: close the activity going on at `at_s` and start a new one there."""
    at_s = _check_offset(at_s)
    location = _check_location(location)
    with db.session() as session:
        follow = _running_follow(session, follow_id)
        if follow.mode != FollowMode.CONTINUOUS:
            raise InputError(
                "This follow samples at intervals: answer the prompt instead of switching activity"
            )
        _usable_category(session, category_id)
        _refuse_before(at_s, _last_event(session, follow.id), "A new activity")
        for segment in _segments(session, follow.id):
            if segment.end_s is None:
                segment.end_s = at_s
        return _add_segment(session, db, follow, category_id, (at_s, None), location)


def record_sample(
    db: Database, follow_id: uuid.UUID, category_id: uuid.UUID, at_s: float, location: str = ""
) -> SegmentInfo:
    """Sampling: the answer to the prompt at `at_s` stands for the time since the previous one.

    The first answer stands for one interval before it (from the start at the earliest). Give
    the time of the prompt, not of the answer, so a late answer still covers its own interval.
    """
    at_s = _check_offset(at_s)
    location = _check_location(location)
    with db.session() as session:
        follow = _running_follow(session, follow_id)
        if follow.mode != FollowMode.SAMPLING:
            raise InputError(
                "This follow is timed continuously: press the activity's key when it changes"
            )
        _usable_category(session, category_id)
        previous = _last_segment_point(_segments(session, follow.id))
        if previous is not None and at_s <= previous:
            raise InputError(
                f"A sample at {clock_text(at_s)} would not be after the previous sample "
                f"at {clock_text(previous)}"
            )
        start = previous if previous is not None else max(0.0, at_s - follow.interval_s)
        return _add_segment(session, db, follow, category_id, (start, at_s), location)


def record_interruption(
    db: Database, follow_id: uuid.UUID, at_s: float, note: str = ""
) -> InterruptionInfo:
    """The member of staff was interrupted at `at_s`."""
    at_s = _check_offset(at_s)
    problem = check_text(note, "Note", required=False, limit=MAX_TEXT_LENGTH)
    if problem:
        raise InputError(problem)
    with db.session() as session:
        follow = _running_follow(session, follow_id)
        previous = max((i.at_s for i in _interruptions(session, follow.id)), default=None)
        if follow.mode == FollowMode.CONTINUOUS:
            previous = _last_event(session, follow.id)
        # In sampling an answer may be recorded late for an earlier prompt, so an
        # interruption is only kept in order with the other interruptions.
        _refuse_before(at_s, previous, "An interruption")
        interruption = ActivityInterruption(
            follow_id=follow.id, at_s=at_s, note=note.strip(), device_id=db.device_id
        )
        session.add(interruption)
        _move_on(follow, at_s)
        session.flush()
        return _interruption_info(interruption)


def undo_last_event(db: Database, follow_id: uuid.UUID) -> SegmentInfo | InterruptionInfo | None:
    """Take back the latest segment or interruption recorded (None when there is none).

    Taking back a segment of a continuous follow reopens the one before it; a segment tagged as
    waste takes its observation with it.
    """
    with db.session() as session:
        follow = _running_follow(session, follow_id)
        segments = _segments(session, follow.id)
        interruptions = _interruptions(session, follow.id)
        last_segment = max(segments, key=lambda s: (s.created_at, s.start_s), default=None)
        last_break = max(interruptions, key=lambda i: (i.created_at, i.at_s), default=None)
        now = utcnow()
        if last_break is not None and (
            last_segment is None or last_break.created_at >= last_segment.created_at
        ):
            last_break.deleted_at = now
            return _interruption_info(last_break)
        if last_segment is None:
            return None
        info = segment_info(session, last_segment)
        last_segment.deleted_at = now
        delete_segment_observation(session, last_segment, now)
        rest = [s for s in segments if s.id != last_segment.id]
        if follow.mode == FollowMode.CONTINUOUS and rest:
            rest[-1].end_s = None
        session.flush()
        return info


def set_segment_location(db: Database, segment_id: uuid.UUID, location: str) -> SegmentInfo:
    """Say where a segment happened (its observation, if tagged as waste, follows)."""
    location = _check_location(location)
    with db.session() as session:
        segment = get_or_fail(session, ActivitySegment, segment_id, "segment")
        live_follow(session, segment.follow_id)
        segment.location = location
        if segment.observation_id is not None:
            observation = session.get(Observation, segment.observation_id)
            if observation is not None:
                observation.location = location
        return segment_info(session, segment)


def mark_follow_time(db: Database, follow_id: uuid.UUID, at_s: float) -> None:
    """The follow was still going at `at_s`: the point a killed program's follow resumes from."""
    at_s = _check_offset(at_s)
    with db.session() as session:
        follow = live_follow(session, follow_id)
        if follow.ended_at is None:
            _move_on(follow, at_s)


def end_follow(db: Database, follow_id: uuid.UUID, at_s: float) -> FollowInfo:
    """End the follow at `at_s`: the activity going on closes there and that is its length."""
    at_s = _check_offset(at_s)
    with db.session() as session:
        follow = _running_follow(session, follow_id)
        _refuse_before(at_s, _last_event(session, follow.id), "The end of the follow")
        for segment in _segments(session, follow.id):
            if segment.end_s is None:
                segment.end_s = at_s
        follow.length_s = at_s
        follow.ended_at = max(utcnow(), follow.started_at + dt.timedelta(seconds=at_s))
        if follow.walk_id is not None:
            walk = session.get(Walk, follow.walk_id)
            if walk is not None and walk.status != WalkStatus.COMPLETE:
                walk.status = WalkStatus.COMPLETE
                walk.ended_at = max(follow.ended_at, walk.started_at)
        logger.info("activity follow %s ended at %.1f s", follow.id, at_s)
        return _info(session, follow)


def resume_follow(db: Database, follow_id: uuid.UUID) -> FollowInfo:
    """Open a follow again to go on with it: an activity left open (the window was closed or
    the program killed) is closed at the follow's last known point, `length_s`, from which the
    clock goes on. An ended follow is returned as it is."""
    with db.session() as session:
        follow = live_follow(session, follow_id)
        if follow.ended_at is None:
            for segment in _segments(session, follow.id):
                if segment.end_s is None:
                    segment.end_s = max(segment.start_s, follow.length_s or 0.0)
                    follow.length_s = segment.end_s
        return _info(session, follow)


def delete_follow(db: Database, follow_id: uuid.UUID, deleted: bool = True) -> None:
    """Delete a follow softly (or bring it back). Observations made from it stay in their walk."""
    with db.session() as session:
        follow = get_or_fail(session, ActivityFollow, follow_id, "activity follow")
        follow.deleted_at = (follow.deleted_at or utcnow()) if deleted else None


def delete_segment_observation(
    session: Session, segment: ActivitySegment, now: dt.datetime
) -> None:
    """Soft-delete the observation a segment was tagged into, if any."""
    if segment.observation_id is not None:
        observation = session.get(Observation, segment.observation_id)
        if observation is not None and observation.deleted_at is None:
            observation.deleted_at = now
            session.flush()
            refresh_rollup_columns(session, observation_ids=[observation.id])


# --- summary ------------------------------------------------------------------------------------


def follow_summary(db: Database, follow_id: uuid.UUID) -> tuple[FollowInfo, FollowSummary]:
    """The follow and its summary: time and share per category, direct care, interruptions
    per hour, time in transit and time tagged as waste. An activity still going counts up to
    the follow's last known point."""
    with db.session() as session:
        follow = live_follow(session, follow_id)
        info = _info(session, follow)
        segments = _segment_infos(session, follow.id)
        used = {s.category_id for s in segments}
        categories = [
            CategoryInfo(c.code, c.label, c.is_direct_care, c.is_transit)
            for c in session.scalars(
                select(ActivityCategory).order_by(
                    ActivityCategory.sort_order, ActivityCategory.code
                )
            )
            if c.archived_at is None or c.id in used
        ]
        known = info.length_s
        spans = [
            Segment(
                s.category_code,
                s.start_s,
                s.end_s if s.end_s is not None else max(known, s.start_s),
                s.waste_code,
            )
            for s in segments
        ]
        summary = summarise_follow(
            categories, spans, info.interruption_count, observed_s=known or None
        )
        return info, summary
