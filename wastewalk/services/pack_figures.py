"""Figures the steering-group pack needs besides the roll-ups and services.report_figures: how
many walks were done, which areas walked most (the pack charts observations per walk for those),
and the results of the finished time studies in scope.

Counting walks and ranking areas are single GROUP BY queries, so a trust-wide pack costs the same
few queries whatever the size of the data.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from wastewalk.models import Area, Csu, TimeStudy, Walk
from wastewalk.services.data_filter import DataFilter, place_conditions
from wastewalk.services.organisation import current_trust
from wastewalk.services.time_studies import study_summary
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


def _walks_in(flt: DataFilter) -> list[ColumnElement[bool]]:
    """Walks of the filter's areas that started on the filter's UK days."""
    start, end = flt.utc_bounds()
    conditions = place_conditions(flt, Walk.area_id)
    if start is not None:
        conditions.append(Walk.started_at >= start)
    if end is not None:
        conditions.append(Walk.started_at < end)
    return conditions


def trust_name(db: Database) -> str:
    """The trust's name as set in the program, or 'NHS trust' before one is set."""
    trust = current_trust(db)
    return trust.name if trust is not None else "NHS trust"


def walk_count(db: Database, flt: DataFilter) -> int:
    """How many walks started in the filter (in progress or complete)."""
    with db.session() as session:
        query = select(func.count()).select_from(Walk).where(*_walks_in(flt))
        return int(session.scalar(query) or 0)


@dataclass(frozen=True)
class BusyArea:
    """An area and how many walks it had in the filter."""

    area_id: uuid.UUID
    area_name: str
    csu_name: str
    walks: int


def busiest_areas(db: Database, flt: DataFilter) -> list[BusyArea]:
    """Every area with a walk in the filter, most walks first (then CSU and area by name)."""
    count = func.count(Walk.id)
    query = (
        select(Walk.area_id, Area.name, Csu.name, count)
        .join(Area, Area.id == Walk.area_id)
        .join(Csu, Csu.id == Area.csu_id)
        .where(*_walks_in(flt))
        .group_by(Walk.area_id, Area.name, Csu.name)
        .order_by(count.desc(), func.lower(Csu.name), func.lower(Area.name), Walk.area_id)
    )
    with db.session() as session:
        return [
            BusyArea(area_id, area, csu, int(walks))
            for area_id, area, csu, walks in session.execute(query)
        ]


@dataclass(frozen=True)
class StudyResult:
    """A finished time study's headline results (seconds unrounded; None where not computable)."""

    study_id: uuid.UUID
    name: str
    process: str
    area_name: str
    csu_name: str
    study_date: dt.date
    cycles: int  # complete cycles
    normal_s: float
    standard_s: float
    va_ratio: float | None  # value-adding share of normal time, 0 to 1


def study_results(db: Database, flt: DataFilter) -> list[StudyResult]:
    """Finished, live time studies of the filter's areas dated within its days, by process
    (case ignored) then date then name; each summarised by services.time_studies."""
    query = select(TimeStudy.id).where(
        TimeStudy.deleted_at.is_(None),
        TimeStudy.finished_at.is_not(None),
        *place_conditions(flt, TimeStudy.area_id),
    )
    if flt.date_from is not None:
        query = query.where(TimeStudy.study_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(TimeStudy.study_date <= flt.date_to)
    with db.session() as session:
        ids = list(session.scalars(query))
    results: list[StudyResult] = []
    for study_id in ids:
        info, summary = study_summary(db, study_id)
        results.append(
            StudyResult(
                study_id=info.id,
                name=info.name,
                process=info.process,
                area_name=info.area_name,
                csu_name=info.csu_name,
                study_date=info.study_date,
                cycles=summary.cycles.n,
                normal_s=summary.normal_total_s,
                standard_s=summary.standard_total_s,
                va_ratio=summary.va_ratio,
            )
        )
    return sorted(
        results, key=lambda r: (r.process.casefold(), r.study_date, r.name.casefold(), r.study_id)
    )


@dataclass(frozen=True)
class ProcessStudies:
    """A time-study process (as first spelt) and how many live studies of it are in scope."""

    process: str
    studies: int


def process_study_counts(db: Database, flt: DataFilter) -> list[ProcessStudies]:
    """Processes by how many live studies of them are in scope (most first, then by name).

    Spellings that differ only in case and spacing are one process, as the cycle-time series
    (services.spc_series) treats them; a study counts whether finished or not, as there."""
    query = (
        select(TimeStudy.process, func.count())
        .where(TimeStudy.deleted_at.is_(None), *place_conditions(flt, TimeStudy.area_id))
        .group_by(TimeStudy.process)
        .order_by(TimeStudy.process)
    )
    if flt.date_from is not None:
        query = query.where(TimeStudy.study_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(TimeStudy.study_date <= flt.date_to)
    merged: dict[str, ProcessStudies] = {}
    with db.session() as session:
        for name, count in session.execute(query):
            key = " ".join(name.split()).casefold()
            before = merged.get(key)
            merged[key] = ProcessStudies(
                before.process if before else " ".join(name.split()),
                (before.studies if before else 0) + int(count),
            )
    return sorted(merged.values(), key=lambda p: (-p.studies, p.process.casefold()))
