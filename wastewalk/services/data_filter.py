"""The one filter every export, report and roll-up takes: a CSU or an area, and UK dates.

People type names ("Medicine", "Ward 7" or "Medicine/Ward 7"); the services work on ids. This module
turns the one into the other with plain-word problems, describes a filter in words for the top of
every report page, and says how current the data is (the newest change in the file), so two reports
of the same data carry the same date.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, Problem
from wastewalk.domain.uk_time import MONTH_NAMES, UK, uk_to_utc
from wastewalk.models import Action, Area, Csu, Estimate, Observation, Walk
from wastewalk.services.area_lookup import find_area_by_name
from wastewalk.services.csv_input import name_key, shown
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DataFilter:
    """What to include: one CSU or one area (or the whole trust), between two UK days inclusive."""

    csu_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def utc_bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[start, end) in UTC for the UK days chosen (None where open)."""
        start = uk_to_utc(self.date_from, dt.time(0, 0)) if self.date_from else None
        end = (
            uk_to_utc(self.date_to + dt.timedelta(days=1), dt.time(0, 0)) if self.date_to else None
        )
        return start, end


def place_conditions(flt: DataFilter, area_column: Any) -> list[ColumnElement[bool]]:
    """SQL conditions keeping rows whose area (the column) is the filter's area or in its CSU."""
    conditions: list[ColumnElement[bool]] = []
    if flt.area_id is not None:
        conditions.append(area_column == flt.area_id)
    if flt.csu_id is not None:
        conditions.append(area_column.in_(select(Area.id).where(Area.csu_id == flt.csu_id)))
    return conditions


def period_conditions(flt: DataFilter, time_column: Any) -> list[ColumnElement[bool]]:
    """SQL conditions keeping rows whose UTC time (the column) falls on the filter's UK days."""
    start, end = flt.utc_bounds()
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(time_column >= start)
    if end is not None:
        conditions.append(time_column < end)
    return conditions


def resolve_filter(
    db: Database,
    *,
    csu: str | None = None,
    area: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> DataFilter:
    """The filter for a CSU and an area named as a person types them (case and spacing ignored;
    an area as 'Area' or 'CSU/Area'), and a date range. Unknown names are an InputError."""
    problems: list[Problem] = []
    if date_from and date_to and date_from > date_to:
        problems.append(
            Problem(f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}")
        )
    csu_id = None
    area_id = None
    with db.session() as session:
        if csu is not None:
            csu_id = _csu_id(session, csu, problems)
        if area is not None:
            place = find_area_by_name(session, area, csu, problems)
            area_id = place.area_id if place else None
    if problems:
        raise InputError(problems)
    return DataFilter(csu_id=csu_id, area_id=area_id, date_from=date_from, date_to=date_to)


def _csu_id(session: Session, name: str, problems: list[Problem]) -> uuid.UUID | None:
    csus = list(session.execute(select(Csu.id, Csu.name, Csu.archived_at)))
    matches = [c for c in csus if name_key(c.name) == name_key(name)]
    if len(matches) == 1:
        return matches[0].id  # type: ignore[no-any-return]
    if matches:
        problems.append(Problem(f"more than one CSU is called {shown(name)}; rename one first"))
    else:
        known = ", ".join(sorted(c.name for c in csus if c.archived_at is None)) or "none yet"
        problems.append(Problem(f"there is no CSU called {shown(name)}; the CSUs are: {known}"))
    return None


def uk_day_words(day: dt.date) -> str:
    """24 November 2026: English month names whatever the laptop's language."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def place_words(db: Database, flt: DataFilter) -> str:
    """'Whole trust', 'Medicine CSU' or 'Ward 7, Medicine CSU' for a filter."""
    with db.session() as session:
        if flt.area_id is not None:
            row = session.execute(
                select(Area.name, Csu.name)
                .join(Csu, Area.csu_id == Csu.id)
                .where(Area.id == flt.area_id)
            ).first()
            if row is not None:
                return f"{row[0]}, {row[1]} CSU"
        if flt.csu_id is not None:
            name = session.scalar(select(Csu.name).where(Csu.id == flt.csu_id))
            if name is not None:
                return f"{name} CSU"
    return "Whole trust"


def period_words(flt: DataFilter) -> str:
    """'1 April 2026 to 31 March 2027', 'from 1 April 2026', 'to …' or 'all dates'."""
    if flt.date_from and flt.date_to:
        return f"{uk_day_words(flt.date_from)} to {uk_day_words(flt.date_to)}"
    if flt.date_from:
        return f"from {uk_day_words(flt.date_from)}"
    if flt.date_to:
        return f"up to {uk_day_words(flt.date_to)}"
    return "all dates"


def describe_filter(db: Database, flt: DataFilter) -> str:
    """The filter in words for the top of a report page: 'Medicine CSU · all dates'."""
    return f"{place_words(db, flt)} · {period_words(flt)}"


def data_as_of(db: Database) -> dt.datetime | None:
    """The newest change (UTC) to walks, observations, estimates or actions: the data's date.

    A report states it on every page; it depends on the data only, so the same data gives the
    same report byte for byte."""
    with db.session() as session:
        newest = [
            session.scalar(select(func.max(model.updated_at)))
            for model in (Walk, Observation, Estimate, Action)
        ]
    found = [moment for moment in newest if moment is not None]
    return max(found) if found else None


def data_as_of_words(db: Database) -> str:
    """'data to 24 November 2026' (UK day of the newest change), or 'no data yet'."""
    newest = data_as_of(db)
    if newest is None:
        return "no data yet"
    return f"data to {uk_day_words(newest.astimezone(UK).date())}"
