"""The demo trust's direct observation: monthly time studies of a few processes, activity follows.

Deterministic like the rest of the demo (same seed, same records). The processes improve over the
months the way a team's work would show it, so the cycle-time and direct-care series have a story
for the SPC charts: the bed turnaround on Ward 12 drops after a change in month four.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.models import (
    ActivityCategory,
    ActivityFollow,
    ActivityInterruption,
    ActivitySegment,
    Area,
    TimeStudy,
    TimeStudyElement,
    TimeStudyReading,
    WasteCategory,
)

logger = logging.getLogger(__name__)

NextId = Callable[[str], uuid.UUID]


@dataclass(frozen=True)
class _Element:
    name: str
    value_class: str
    mean_s: float
    spread: float  # coefficient of variation
    rating_pct: float = 100.0
    waste: str | None = None
    skipped_sometimes: bool = False


@dataclass(frozen=True)
class _Process:
    name: str
    area: str
    observer: str
    allowance_pct: float
    allowance_basis: str
    elements: tuple[_Element, ...]
    # Multiplier on every element's time per month studied, oldest first: the improvement story.
    trend: tuple[float, ...]
    cycles: int
    available_minutes: float | None = None
    demand: float | None = None


PROCESSES = (
    _Process(
        name="Bed turnaround",
        area="Ward 12 – Acute Medicine",
        observer="Sister A. Okafor",
        allowance_pct=12,
        allowance_basis="job",
        elements=(
            _Element("Strip bed and bag linen", "nnva", 150, 0.15, 105),
            _Element("Fetch clean linen from store", "waste", 210, 0.35, 100, "motion"),
            _Element("Clean bed and mattress", "va", 420, 0.12, 95),
            _Element("Make bed", "va", 180, 0.1, 100),
            _Element("Tell bed manager bed is ready", "nnva", 95, 0.5, 100, None, True),
        ),
        trend=(1.0, 1.04, 0.98, 0.74, 0.71, 0.69),
        cycles=10,
        available_minutes=720,
        demand=14,
    ),
    _Process(
        name="Morning drug round (one bay)",
        area="Ward 22 – General Surgery",
        observer="Sister R. Patel",
        allowance_pct=15,
        allowance_basis="workday",
        elements=(
            _Element("Check chart and identity", "nnva", 45, 0.2, 100),
            _Element("Prepare dose", "va", 70, 0.2, 110),
            _Element("Look for missing drug", "waste", 95, 0.6, 100, "motion", True),
            _Element("Give medicine", "va", 60, 0.25, 100),
            _Element("Sign chart", "nnva", 20, 0.2, 100),
        ),
        trend=(1.0, 0.97, 1.02, 0.99),
        cycles=12,
    ),
    _Process(
        name="Specimen booking-in",
        area="Pathology Specimen Reception",
        observer="Lab Manager G. Evans",
        allowance_pct=10,
        allowance_basis="job",
        elements=(
            _Element("Open bag and check form", "nnva", 25, 0.2, 100),
            _Element("Resolve mismatched label", "waste", 120, 0.5, 100, "defects", True),
            _Element("Book in on LIMS", "va", 40, 0.15, 105),
            _Element("Sort to analyser rack", "va", 15, 0.2, 100),
        ),
        trend=(1.0, 0.95, 0.9),
        cycles=15,
        available_minutes=450,
        demand=600,
    ),
)

FOLLOWS = (
    # area, the role followed (never a name), observer; one follow a month
    ("Ward 14 – Respiratory", "Staff nurse", "Charge Nurse D. Mensah"),
    ("Ward 16 – Elderly Care", "Healthcare assistant", "Sister K. Byrne"),
)
# Minutes per activity per hour before and after "Releasing Time to Care" work on the ward.
FOLLOW_MIX_BEFORE = {
    "direct_care": 20,
    "indirect_care": 6,
    "medication": 8,
    "documentation": 10,
    "communication": 5,
    "ward_related": 3,
    "transit": 6,
    "supervision": 1,
    "other": 1,
}
FOLLOW_MIX_AFTER = {**FOLLOW_MIX_BEFORE, "direct_care": 28, "transit": 3, "documentation": 7}
FOLLOW_MONTHS = 6
FOLLOW_HOURS = 2


@dataclass(frozen=True)
class DirectResult:
    time_studies: int
    readings: int
    follows: int
    segments: int


def make_direct_observation(
    session: Session,
    device_id: str,
    next_id: NextId,
    rng: random.Random,
    areas: dict[str, Area],
    first_day: dt.date,
    today: dt.date,
) -> DirectResult:
    """Add the demo studies and follows (areas by name; months counted back from today)."""
    wastes = dict(session.execute(select(WasteCategory.code, WasteCategory.id)).all())
    activities = {c.code: c for c in session.scalars(select(ActivityCategory))}
    studies = readings = 0
    for process in PROCESSES:
        for month, factor in enumerate(process.trend):
            day = _weekday_in_month(first_day, month + (6 - len(process.trend)), rng)
            if day >= today:
                continue
            readings += _make_study(
                session, device_id, next_id, rng, process, areas[process.area], day, factor, wastes
            )
            studies += 1
    follows = segments = 0
    for area_name, role, observer in FOLLOWS:
        for month in range(FOLLOW_MONTHS):
            day = _weekday_in_month(first_day, month, rng)
            if day >= today:
                continue
            mix = FOLLOW_MIX_BEFORE if month < 3 else FOLLOW_MIX_AFTER
            segments += _make_follow(
                session,
                device_id,
                next_id,
                rng,
                areas[area_name],
                role,
                observer,
                day,
                mix,
                activities,
            )
            follows += 1
    session.flush()
    return DirectResult(studies, readings, follows, segments)


def _weekday_in_month(first_day: dt.date, month: int, rng: random.Random) -> dt.date:
    year, month_index = divmod(first_day.month - 1 + month, 12)
    day = dt.date(first_day.year + year, month_index + 1, rng.randint(8, 20))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _make_study(
    session: Session,
    device_id: str,
    next_id: NextId,
    rng: random.Random,
    process: _Process,
    area: Area,
    day: dt.date,
    factor: float,
    wastes: dict[str, uuid.UUID],
) -> int:
    start = uk_to_utc(day, dt.time(10, rng.choice((0, 15, 30))))
    stamps = {"device_id": device_id, "created_at": start, "updated_at": start}
    study = TimeStudy(
        id=next_id("time_study"),
        name=f"{process.name}, {day:%d %b %Y}",
        process=process.name,
        area_id=area.id,
        observer=process.observer,
        study_date=day,
        allowance_pct=process.allowance_pct,
        allowance_basis=process.allowance_basis,
        selected_time="mean",
        available_minutes=process.available_minutes,
        demand=process.demand,
        source="timed",
        finished_at=start + dt.timedelta(hours=2),
        **stamps,
    )
    session.add(study)
    elements = []
    for position, spec in enumerate(process.elements, start=1):
        element = TimeStudyElement(
            id=next_id("time_study_element"),
            study_id=study.id,
            position=position,
            name=spec.name,
            value_class=spec.value_class,
            waste_category_id=wastes[spec.waste] if spec.waste else None,
            rating_pct=spec.rating_pct,
            **stamps,
        )
        session.add(element)
        elements.append((element, spec))
    session.flush()
    sequence = 0
    taken = start
    for cycle in range(1, process.cycles + 1):
        for element, spec in elements:
            sequence += 1
            state, seconds, reason = "valid", None, ""
            if spec.skipped_sometimes and rng.random() < 0.4:
                state = "not_performed"
            else:
                typical = spec.mean_s * factor
                seconds = round(max(1.0, rng.gauss(typical, spec.mean_s * spec.spread)), 1)
                if rng.random() < 0.02:
                    seconds = round(seconds * 3.2, 1)
                    state, reason = "excluded", "Called away to a patient"
                taken += dt.timedelta(seconds=seconds)
            session.add(
                TimeStudyReading(
                    id=next_id("time_study_reading"),
                    study_id=study.id,
                    element_id=element.id,
                    cycle=cycle,
                    state=state,
                    seconds=seconds,
                    exclude_reason=reason,
                    sequence=sequence,
                    taken_at=taken,
                    device_id=device_id,
                    created_at=taken,
                    updated_at=taken,
                )
            )
    return sequence


def _make_follow(
    session: Session,
    device_id: str,
    next_id: NextId,
    rng: random.Random,
    area: Area,
    role: str,
    observer: str,
    day: dt.date,
    mix: dict[str, int],
    activities: dict[str, ActivityCategory],
) -> int:
    start = uk_to_utc(day, dt.time(rng.choice((8, 9, 13)), 30))
    length = FOLLOW_HOURS * 3600.0
    stamps = {"device_id": device_id, "created_at": start, "updated_at": start}
    follow = ActivityFollow(
        id=next_id("activity_follow"),
        area_id=area.id,
        observer=observer,
        staff_role=role,
        mode="continuous",
        interval_s=60,
        started_at=start,
        ended_at=start + dt.timedelta(seconds=length),
        length_s=length,
        **stamps,
    )
    session.add(follow)
    session.flush()
    codes = list(mix)
    weights = [mix[c] for c in codes]
    at = 0.0
    count = 0
    while at < length:
        code = rng.choices(codes, weights)[0]
        minutes = max(0.5, rng.expovariate(1 / (2.5 if code != "direct_care" else 4.0)))
        end = min(length, at + round(minutes * 60, 1))
        session.add(
            ActivitySegment(
                id=next_id("activity_segment"),
                follow_id=follow.id,
                category_id=activities[code].id,
                start_s=at,
                end_s=end,
                **stamps,
            )
        )
        count += 1
        at = end
    for _ in range(rng.randint(4, 14)):
        session.add(
            ActivityInterruption(
                id=next_id("activity_interruption"),
                follow_id=follow.id,
                at_s=round(rng.uniform(0, length), 1),
                **stamps,
            )
        )
    return count
