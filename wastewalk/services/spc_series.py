"""The series the window's SPC view and the steering-group pack chart, read from the database.

Each series says in `basis` exactly what one point is, so a reader of the report can recount it.
All honour the data filter (CSU or area, UK days inclusive). Labels are short: a UK day as
YYYY-MM-DD (with " (2)", " (3)" ... when two points fall on one day) or, per week, its Monday.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.costing import EstimateKind
from wastewalk.domain.errors import InputError, Problem
from wastewalk.domain.observation_rules import WalkStatus
from wastewalk.domain.spc import Improvement, SpcChart, SpcOptions, xmr_chart
from wastewalk.domain.uk_time import UK
from wastewalk.models import Estimate, Observation, TimeStudy, Walk
from wastewalk.services.activity_follows import list_follows
from wastewalk.services.data_filter import DataFilter, period_conditions, place_conditions
from wastewalk.services.time_studies import study_summary
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

# Every follow in scope, however many: the series needs them all, not the window's first page.
_ALL = 1_000_000_000


class SeriesKind(StrEnum):
    """The series offered for SPC charts."""

    OBSERVATIONS_PER_WALK = "observations_per_walk"
    WASTE_MINUTES_PER_WEEK = "waste_minutes_per_week"
    DIRECT_CARE_SHARE = "direct_care_share"
    CYCLE_TIME = "cycle_time"


SERIES_TITLES = {
    SeriesKind.OBSERVATIONS_PER_WALK: "Observations per walk",
    SeriesKind.WASTE_MINUTES_PER_WEEK: "Waste staff-minutes per week",
    SeriesKind.DIRECT_CARE_SHARE: "Direct-care share per activity follow",
    SeriesKind.CYCLE_TIME: "Cycle time per study",
}


@dataclass(frozen=True)
class SpcSeries:
    """Points for one chart: labels, values, the day of each, and what a point is."""

    kind: SeriesKind
    title: str
    unit: str
    improvement: Improvement
    basis: str
    xs: tuple[str, ...]
    ys: tuple[float, ...]
    x_dates: tuple[dt.date, ...]


def series_for(
    db: Database, kind: SeriesKind | str, flt: DataFilter, process: str | None = None
) -> SpcSeries:
    """One series in the filter's scope; `process` (a time-study process) for cycle time."""
    try:
        kind = SeriesKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in SeriesKind)
        raise InputError(Problem(f"there is no series '{kind}'; the series are: {known}")) from None
    if kind is SeriesKind.OBSERVATIONS_PER_WALK:
        return _observations_per_walk(db, flt)
    if kind is SeriesKind.WASTE_MINUTES_PER_WEEK:
        return _waste_minutes_per_week(db, flt)
    if kind is SeriesKind.DIRECT_CARE_SHARE:
        return _direct_care_share(db, flt)
    if not process or not process.strip():
        raise InputError(Problem("choose a process for the cycle-time chart"))
    return _cycle_time(db, flt, process)


def processes(db: Database, flt: DataFilter) -> list[str]:
    """Time-study processes with at least one live study in scope, in alphabetical order.

    Names that differ only in case or spacing are one process (as the cycle-time series treats
    them), shown as most of its studies spell it.
    """
    query = _studies_in_scope(select(TimeStudy.process, func.count()), flt).group_by(
        TimeStudy.process
    )
    with db.session() as session:
        counts = [(str(name), int(n)) for name, n in session.execute(query)]
    spellings: dict[str, tuple[int, str]] = {}
    for name, n in counts:
        key = _process_key(name)
        best = spellings.get(key)
        # Most studies first; among equals the alphabetically first, so the answer is stable.
        if best is None or (-n, name) < (-best[0], best[1]):
            spellings[key] = (n, name)
    return sorted((name for _, name in spellings.values()), key=str.casefold)


def _process_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def chart_of(
    series: SpcSeries,
    target: float | None = None,
    rebase_at: tuple[int, ...] = (),
    fix_after: int | None = None,
) -> SpcChart:
    """The XmR chart of a series, in the series' direction of improvement."""
    options = SpcOptions(
        improvement=series.improvement, target=target, rebase_at=rebase_at, fix_after=fix_after
    )
    return xmr_chart(series.xs, series.ys, options)


# --- labels -------------------------------------------------------------------------------------


def uk_day(moment: dt.datetime) -> dt.date:
    """The UK day of a UTC moment."""
    return moment.astimezone(UK).date()


def day_labels(days: Sequence[dt.date]) -> tuple[str, ...]:
    """YYYY-MM-DD for each day, the second and later of one day marked " (2)", " (3)" ..."""
    seen: Counter[dt.date] = Counter()
    labels = []
    for day in days:
        seen[day] += 1
        n = seen[day]
        labels.append(day.isoformat() if n == 1 else f"{day.isoformat()} ({n})")
    return tuple(labels)


# --- scope --------------------------------------------------------------------------------------


def _place(query: Any, area_column: Any, flt: DataFilter) -> Any:
    return query.where(*place_conditions(flt, area_column))


def _between(query: Any, moment_column: Any, flt: DataFilter) -> Any:
    return query.where(*period_conditions(flt, moment_column))


def _walks_in_scope(query: Any, flt: DataFilter) -> Any:
    query = query.where(Walk.status == WalkStatus.COMPLETE)
    return _between(_place(query, Walk.area_id, flt), Walk.started_at, flt)


def _studies_in_scope(query: Any, flt: DataFilter) -> Any:
    query = _place(query.where(TimeStudy.deleted_at.is_(None)), TimeStudy.area_id, flt)
    if flt.date_from is not None:
        query = query.where(TimeStudy.study_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(TimeStudy.study_date <= flt.date_to)
    return query


# --- the series ---------------------------------------------------------------------------------


def _observations_per_walk(db: Database, flt: DataFilter) -> SpcSeries:
    live = (
        select(func.count())
        .where(Observation.walk_id == Walk.id, Observation.deleted_at.is_(None))
        .scalar_subquery()
    )
    query = _walks_in_scope(select(Walk.started_at, live), flt).order_by(Walk.started_at, Walk.id)
    with db.session() as session:
        rows = [tuple(row) for row in session.execute(query)]
    days = [uk_day(started) for started, _ in rows]
    return SpcSeries(
        kind=SeriesKind.OBSERVATIONS_PER_WALK,
        title=SERIES_TITLES[SeriesKind.OBSERVATIONS_PER_WALK],
        unit="observations",
        improvement=Improvement.NEUTRAL,
        basis=(
            "Each point is one completed walk, in the order walked: the number of observations "
            "recorded on it (deleted ones not counted). More is neither better nor worse: it "
            "depends on the walk as much as on the waste."
        ),
        xs=day_labels(days),
        ys=tuple(float(count) for _, count in rows),
        x_dates=tuple(days),
    )


def _last_whole_day(flt: DataFilter) -> dt.date:
    """The last UK day a week may end on to count as whole: yesterday, or the filter's last day."""
    yesterday = dt.datetime.now(UK).date() - dt.timedelta(days=1)
    return min(yesterday, flt.date_to) if flt.date_to else yesterday


def _waste_minutes_per_week(db: Database, flt: DataFilter) -> SpcSeries:
    with db.session() as session:
        walks = {
            walk_id: uk_day(started)
            for walk_id, started in session.execute(
                _walks_in_scope(select(Walk.id, Walk.started_at), flt)
            )
        }
        minutes = _estimated_minutes(session, list(walks))
    weeks: dict[dt.date, float] = {}
    for walk_id, day in walks.items():
        monday = day - dt.timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0.0) + minutes.get(walk_id, 0.0)
    # A week still under way (or cut by --to) would chart as a fall that is only a short week.
    last_day = _last_whole_day(flt)
    partial = [m for m in weeks if m + dt.timedelta(days=6) > last_day]
    mondays = sorted(m for m in weeks if m not in partial)
    return SpcSeries(
        kind=SeriesKind.WASTE_MINUTES_PER_WEEK,
        title=SERIES_TITLES[SeriesKind.WASTE_MINUTES_PER_WEEK],
        unit="staff-minutes",
        improvement=Improvement.DECREASE,
        basis=(
            "Each point is one week (Monday to Sunday, labelled with its Monday) in which at "
            "least one walk was completed: the sum, over that week's walks' observations that "
            "have a cost estimate, of minutes lost per occurrence × staff involved, i.e. the "
            "staff-minutes one occurrence of each waste seen costs. Observations without an "
            "estimate add nothing; weeks without a walk are left out, not shown as zero."
        )
        + (
            f" The week of {partial[0].isoformat()} is not over (or is cut by the period), so it "
            "is left out."
            if partial
            else ""
        ),
        xs=tuple(m.isoformat() for m in mondays),
        ys=tuple(weeks[m] for m in mondays),
        x_dates=tuple(mondays),
    )


def _estimated_minutes(session: Session, walk_ids: list[uuid.UUID]) -> dict[uuid.UUID, float]:
    """Per walk: the sum of minutes x staff of its live observations' live opportunity estimates."""
    result: dict[uuid.UUID, int] = {}
    for chunk_start in range(0, len(walk_ids), 500):
        chunk = walk_ids[chunk_start : chunk_start + 500]
        query = (
            select(
                Observation.walk_id,
                func.sum(Estimate.minutes_centi * Estimate.staff_count_centi),
            )
            .join(Estimate, Estimate.observation_id == Observation.id)
            .where(
                Observation.walk_id.in_(chunk),
                Observation.deleted_at.is_(None),
                Estimate.kind == EstimateKind.OPPORTUNITY,
                Estimate.deleted_at.is_(None),
            )
            .group_by(Observation.walk_id)
        )
        for walk_id, centi_centi in session.execute(query):
            result[walk_id] = int(centi_centi or 0)
    # Hundredths of minutes times hundredths of staff: exact in SQL, divided once here.
    return {walk_id: value / 10_000 for walk_id, value in result.items()}


def _direct_care_share(db: Database, flt: DataFilter) -> SpcSeries:
    area_ids = [flt.area_id] if flt.area_id is not None else None
    start, end = flt.utc_bounds()
    follows = [
        f
        for f in list_follows(db, area_ids=area_ids, csu_id=flt.csu_id, limit=_ALL)
        if f.ended
        and (start is None or f.started_at >= start)
        and (end is None or f.started_at < end)
    ]
    follows.sort(key=lambda f: (f.started_at, str(f.id)))
    counted = [f for f in follows if f.direct_care_share is not None]
    skipped = len(follows) - len(counted)
    basis = (
        "Each point is one ended activity follow, in the order followed: the share of its "
        "categorised time spent in direct-care categories, as the follow's summary shows it."
    )
    if skipped:
        basis += f" {skipped} follow(s) with no categorised time are left out."
    days = [uk_day(f.started_at) for f in counted]
    return SpcSeries(
        kind=SeriesKind.DIRECT_CARE_SHARE,
        title=SERIES_TITLES[SeriesKind.DIRECT_CARE_SHARE],
        unit="%",
        improvement=Improvement.INCREASE,
        basis=basis,
        xs=day_labels(days),
        ys=tuple(100.0 * (f.direct_care_share or 0.0) for f in counted),
        x_dates=tuple(days),
    )


def _process_studies(
    db: Database, flt: DataFilter, process: str
) -> list[tuple[uuid.UUID, dt.date]]:
    """Live studies of a process in scope, oldest first (names compared ignoring case/spaces)."""
    wanted = _process_key(process)
    query = _studies_in_scope(
        select(TimeStudy.id, TimeStudy.process, TimeStudy.study_date), flt
    ).order_by(TimeStudy.study_date, TimeStudy.created_at, TimeStudy.id)
    with db.session() as session:
        studies = [
            (study_id, day)
            for study_id, name, day in session.execute(query)
            if _process_key(name) == wanted
        ]
    return studies


def _cycle_time(db: Database, flt: DataFilter, process: str) -> SpcSeries:
    studies = _process_studies(db, flt, process)
    days: list[dt.date] = []
    ys: list[float] = []
    for study_id, day in studies:
        _, summary = study_summary(db, study_id)
        if summary.cycles.mean_s is not None:
            days.append(day)
            ys.append(summary.cycles.mean_s)
    skipped = len(studies) - len(ys)
    basis = (
        f"Each point is one time study of '{process.strip()}', in date order: the mean time of "
        "its complete cycles (every element read, or marked not performed), in seconds, "
        "before rating and allowances."
    )
    if skipped:
        basis += f" {skipped} study(ies) with no complete cycle are left out."
    return SpcSeries(
        kind=SeriesKind.CYCLE_TIME,
        title=f"{SERIES_TITLES[SeriesKind.CYCLE_TIME]}: {process.strip()}",
        unit="s",
        improvement=Improvement.DECREASE,
        basis=basis,
        xs=day_labels(days),
        ys=tuple(ys),
        x_dates=tuple(days),
    )


def cycle_times_per_cycle(db: Database, flt: DataFilter, process: str) -> SpcSeries:
    """Every complete cycle of every study of a process as its own point (a finer cycle-time chart).

    One point per study gives few points (a study a month is 12 a year), too few for the run
    rules to see a change quickly; one per cycle shows within-study variation too. Labelled with
    the study's day and the cycle number ("2026-05-12 c3").
    """
    studies = _process_studies(db, flt, process)
    xs: list[str] = []
    ys: list[float] = []
    days: list[dt.date] = []
    for (study_id, day), label in zip(studies, day_labels([d for _, d in studies]), strict=True):
        _, summary = study_summary(db, study_id)
        for cycle, seconds in zip(
            summary.cycles.complete_cycles, summary.cycles.cycle_times, strict=True
        ):
            xs.append(f"{label} c{cycle}")
            ys.append(seconds)
            days.append(day)
    return SpcSeries(
        kind=SeriesKind.CYCLE_TIME,
        title=f"Cycle time per cycle: {process.strip()}",
        unit="s",
        improvement=Improvement.DECREASE,
        basis=(
            f"Each point is one complete cycle of a time study of '{process.strip()}' (every "
            "element read, or marked not performed), studies in date order and cycles in the "
            "order timed: the cycle's time in seconds, before rating and allowances."
        ),
        xs=tuple(xs),
        ys=tuple(ys),
        x_dates=tuple(days),
    )
