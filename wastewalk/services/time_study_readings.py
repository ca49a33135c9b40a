"""Readings of a time study: each lap saved as it is taken, typed from paper, excluded, undone.

One transaction per reading: the moment a call returns, the reading is on disk, so a program
killed mid-study loses at most the element being timed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.observation_rules import check_text
from wastewalk.domain.time_study import ReadingState, check_seconds
from wastewalk.models import TimeStudy, TimeStudyElement, TimeStudyReading, utcnow
from wastewalk.services.organisation import get_or_fail
from wastewalk.services.time_studies import ReadingInfo, live_study, reading_info
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

MAX_CYCLE = 10_000


def _element_of(session: Session, study: TimeStudy, element_id: uuid.UUID) -> TimeStudyElement:
    element = session.get(TimeStudyElement, element_id)
    if element is None or element.study_id != study.id or element.deleted_at is not None:
        raise NotFoundError("That element is not part of this study")
    return element


def _cell(session: Session, element_id: uuid.UUID, cycle: int) -> TimeStudyReading | None:
    return session.scalar(
        select(TimeStudyReading).where(
            TimeStudyReading.element_id == element_id,
            TimeStudyReading.cycle == cycle,
            TimeStudyReading.deleted_at.is_(None),
        )
    )


def _next_sequence(session: Session, study_id: uuid.UUID) -> int:
    # Deleted readings keep their numbers: sequence only ever grows, so "last" is unambiguous.
    last = session.scalar(
        select(func.max(TimeStudyReading.sequence)).where(TimeStudyReading.study_id == study_id)
    )
    return (last or 0) + 1


def _check_cycle(cycle: int) -> None:
    if isinstance(cycle, bool) or not isinstance(cycle, int) or not 1 <= cycle <= MAX_CYCLE:
        raise InputError(f"Cycle must be a whole number from 1 to {MAX_CYCLE:,}, not {cycle}")


def record_reading(
    db: Database,
    study_id: uuid.UUID,
    element_id: uuid.UUID,
    cycle: int,
    seconds: float | None,
    *,
    taken_at: dt.datetime | None = None,
) -> ReadingInfo:
    """Save one lap (or, with `seconds=None`, mark the element not performed in this cycle).

    One transaction per reading: the moment this returns, the reading is on disk.
    """
    _check_cycle(cycle)
    if seconds is not None:
        problem = check_seconds(seconds)
        if problem:
            raise InputError(problem)
    with db.session() as session:
        study = live_study(session, study_id)
        element = _element_of(session, study, element_id)
        if _cell(session, element.id, cycle) is not None:
            raise InputError(
                f"'{element.name}' already has a reading in cycle {cycle}; edit that one instead"
            )
        reading = TimeStudyReading(
            study_id=study.id,
            element_id=element.id,
            cycle=cycle,
            state=ReadingState.VALID if seconds is not None else ReadingState.NOT_PERFORMED,
            seconds=float(seconds) if seconds is not None else None,
            sequence=_next_sequence(session, study.id),
            taken_at=taken_at or utcnow(),
            device_id=db.device_id,
        )
        session.add(reading)
        session.flush()
        return reading_info(reading, element.position)


def set_reading(
    db: Database,
    study_id: uuid.UUID,
    element_id: uuid.UUID,
    cycle: int,
    seconds: float | None,
    *,
    not_performed: bool = False,
) -> ReadingInfo | None:
    """Type a reading into a cell (as from a paper sheet): a number, 'not performed', or clear it.

    With `seconds=None` and `not_performed=False` the cell is cleared; returns None then.
    An excluded reading that is retyped keeps its exclusion and reason.
    """
    _check_cycle(cycle)
    if seconds is not None:
        problem = check_seconds(seconds)
        if problem:
            raise InputError(problem)
    with db.session() as session:
        study = live_study(session, study_id)
        element = _element_of(session, study, element_id)
        reading = _cell(session, element.id, cycle)
        if seconds is None and not not_performed:
            if reading is not None:
                reading.deleted_at = utcnow()
            return None
        if reading is None:
            reading = TimeStudyReading(
                study_id=study.id,
                element_id=element.id,
                cycle=cycle,
                sequence=_next_sequence(session, study.id),
                taken_at=utcnow(),
                device_id=db.device_id,
            )
            session.add(reading)
        if seconds is None:
            reading.state = ReadingState.NOT_PERFORMED
            reading.seconds = None
            reading.exclude_reason = ""
        else:
            reading.seconds = float(seconds)
            if reading.state == ReadingState.NOT_PERFORMED or not reading.state:
                reading.state = ReadingState.VALID
        session.flush()
        return reading_info(reading, element.position)


def exclude_reading(db: Database, reading_id: uuid.UUID, reason: str) -> ReadingInfo:
    """Leave a reading out of the figures, with the reason why; it stays on the sheet."""
    problem = check_text(reason, "The reason for excluding a reading", required=True, limit=500)
    if problem:
        raise InputError(problem)
    with db.session() as session:
        reading = get_or_fail(session, TimeStudyReading, reading_id, "reading")
        if reading.deleted_at is not None:
            raise NotFoundError("That reading has been removed")
        if reading.state == ReadingState.NOT_PERFORMED:
            raise InputError("A step that was not performed has no time to exclude")
        reading.state = ReadingState.EXCLUDED
        reading.exclude_reason = reason.strip()
        session.flush()
        element = session.get(TimeStudyElement, reading.element_id)
        assert element is not None
        return reading_info(reading, element.position)


def include_reading(db: Database, reading_id: uuid.UUID) -> ReadingInfo:
    """Count an excluded reading again."""
    with db.session() as session:
        reading = get_or_fail(session, TimeStudyReading, reading_id, "reading")
        if reading.state == ReadingState.EXCLUDED:
            reading.state = ReadingState.VALID
            reading.exclude_reason = ""
        session.flush()
        element = session.get(TimeStudyElement, reading.element_id)
        assert element is not None
        return reading_info(reading, element.position)


def undo_last_reading(db: Database, study_id: uuid.UUID) -> ReadingInfo | None:
    """Remove the reading taken last (a lap pressed by mistake). Returns it, or None if none."""
    with db.session() as session:
        live_study(session, study_id)
        reading = session.scalar(
            select(TimeStudyReading)
            .where(TimeStudyReading.study_id == study_id, TimeStudyReading.deleted_at.is_(None))
            .order_by(TimeStudyReading.sequence.desc())
            .limit(1)
        )
        if reading is None:
            return None
        reading.deleted_at = utcnow()
        element = session.get(TimeStudyElement, reading.element_id)
        assert element is not None
        return reading_info(reading, element.position)


def restore_reading(db: Database, reading_id: uuid.UUID) -> ReadingInfo:
    """Bring back a reading removed by undo (redo), unless its cell has been filled since."""
    with db.session() as session:
        reading = get_or_fail(session, TimeStudyReading, reading_id, "reading")
        if reading.deleted_at is not None:
            if _cell(session, reading.element_id, reading.cycle) is not None:
                raise InputError("That cell has a new reading; the old one cannot come back")
            reading.deleted_at = None
        session.flush()
        element = session.get(TimeStudyElement, reading.element_id)
        assert element is not None
        return reading_info(reading, element.position)
