"""Element time studies: set up, read back, summarise. Readings are in time_study_readings.

The position of the next reading (cycle and element) is worked out from what is saved, so a
reopened study goes on where it stopped.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, NotFoundError, Problem
from wastewalk.domain.observation_rules import MAX_SHORT_TEXT, MAX_TEXT_LENGTH, check_text
from wastewalk.domain.time_study import (
    AllowanceBasis,
    ElementSpec,
    Reading,
    ReadingState,
    SelectedTime,
    StudySettings,
    StudySummary,
    ValueClass,
    check_allowance,
    check_confidence,
    check_rating,
    check_takt_inputs,
    summarise_study,
)
from wastewalk.models import (
    Area,
    Csu,
    TimeStudy,
    TimeStudyElement,
    TimeStudyReading,
    WasteCategory,
    utcnow,
)
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

MAX_ELEMENTS = 200


@dataclass(frozen=True)
class ElementInput:
    """An element as the set-up form or an import gives it."""

    name: str
    value_class: str = ValueClass.VALUE_ADDING
    rating_pct: float = 100.0
    waste_code: str | None = None


@dataclass(frozen=True)
class StudyInput:
    """Everything a study is set up with."""

    name: str
    area_id: uuid.UUID
    study_date: dt.date
    elements: tuple[ElementInput, ...]
    process: str = ""  # defaults to the name
    observer: str = ""
    allowance_pct: float = 0.0
    allowance_basis: str = AllowanceBasis.JOB
    selected_time: str = SelectedTime.MEAN
    available_minutes: float | None = None
    demand: float | None = None
    confidence_pct: int = 95
    accuracy_pct: float = 5.0
    notes: str = ""
    source: str = "timed"


@dataclass(frozen=True)
class ElementInfo:
    id: uuid.UUID
    order: int
    name: str
    value_class: str
    rating_pct: float
    waste_category_id: uuid.UUID | None
    waste_label: str | None


@dataclass(frozen=True)
class StudyInfo:
    id: uuid.UUID
    name: str
    process: str
    area_id: uuid.UUID
    area_name: str
    csu_name: str
    observer: str
    study_date: dt.date
    settings: StudySettings
    elements: tuple[ElementInfo, ...]
    notes: str
    source: str
    finished_at: dt.datetime | None
    reading_count: int


@dataclass(frozen=True)
class ReadingInfo:
    id: uuid.UUID
    element_id: uuid.UUID
    element_order: int
    cycle: int
    state: str
    seconds: float | None
    exclude_reason: str
    sequence: int
    taken_at: dt.datetime


@dataclass(frozen=True)
class Position:
    """Where the next lap goes: the cycle and the element (by order, 1-based)."""

    cycle: int
    element_order: int


# --- checks -------------------------------------------------------------------------------------


def settings_problems(
    *,
    name: str,
    process: str = "",
    observer: str = "",
    notes: str = "",
    allowance_pct: float = 0.0,
    allowance_basis: str = AllowanceBasis.JOB,
    selected_time: str = SelectedTime.MEAN,
    available_minutes: float | None = None,
    demand: float | None = None,
    confidence_pct: int = 95,
    accuracy_pct: float = 5.0,
) -> list[str]:
    """What is wrong with a study's set-up (not its elements), in words for the person."""
    problems: list[str] = []
    for problem in (
        check_text(name, "Study name", required=True, limit=MAX_SHORT_TEXT),
        check_text(process, "Process", required=False, limit=MAX_SHORT_TEXT),
        check_text(observer, "Observer", required=False, limit=MAX_SHORT_TEXT),
        check_text(notes, "Notes", required=False, limit=MAX_TEXT_LENGTH),
        check_allowance(allowance_pct, allowance_basis),
        check_takt_inputs(available_minutes, demand),
        check_confidence(confidence_pct, accuracy_pct),
    ):
        if problem:
            problems.append(problem)
    if selected_time not in set(SelectedTime):
        problems.append(f"Selected time must be 'mean' or 'lrt', not '{selected_time}'")
    if (available_minutes is None) != (demand is None):
        problems.append("Give both the available time and the demand for takt time, or neither")
    return problems


def _settings_problems(data: StudyInput) -> list[str]:
    problems = settings_problems(
        name=data.name,
        process=data.process,
        observer=data.observer,
        notes=data.notes,
        allowance_pct=data.allowance_pct,
        allowance_basis=data.allowance_basis,
        selected_time=data.selected_time,
        available_minutes=data.available_minutes,
        demand=data.demand,
        confidence_pct=data.confidence_pct,
        accuracy_pct=data.accuracy_pct,
    )
    if data.source not in ("timed", "paper"):
        problems.append(f"Source must be 'timed' or 'paper', not '{data.source}'")
    return problems


def element_problems(number: int, element: ElementInput) -> list[str]:
    """What is wrong with one element of the set-up, in words naming it by its number."""
    what = f"Element {number}"
    problems = []
    problem = check_text(element.name, f"{what} name", required=True, limit=MAX_SHORT_TEXT)
    if problem:
        problems.append(problem)
    if element.value_class not in set(ValueClass):
        problems.append(
            f"{what} value class must be va, nnva or waste, not '{element.value_class}'"
        )
    problem = check_rating(element.rating_pct, f"{what} rating")
    if problem:
        problems.append(problem)
    if element.waste_code and element.value_class != ValueClass.WASTE:
        problems.append(f"{what} names a waste but is not marked as waste")
    return problems


def _elements_problems(elements: Sequence[ElementInput]) -> list[str]:
    problems: list[str] = []
    if not elements:
        problems.append("A study needs at least one element")
    if len(elements) > MAX_ELEMENTS:
        problems.append(f"A study can have at most {MAX_ELEMENTS} elements, not {len(elements)}")
    seen: set[str] = set()
    for number, element in enumerate(elements, start=1):
        problems.extend(element_problems(number, element))
        key = element.name.strip().casefold()
        if key and key in seen:
            problems.append(f"Element {number} '{element.name.strip()}' is listed twice")
        seen.add(key)
    return problems


def _waste_id(session: Session, code: str | None, what: str) -> uuid.UUID | None:
    if not code:
        return None
    found = session.scalar(select(WasteCategory.id).where(WasteCategory.code == code))
    if found is None:
        raise InputError(f"{what}: there is no waste category with code '{code}'")
    return found


def name_taken(session: Session, name: str, except_id: uuid.UUID | None = None) -> bool:
    """True when a live study already has this name (case and spaces ignored)."""
    query = select(TimeStudy.id).where(
        func.lower(TimeStudy.name) == name.strip().lower(), TimeStudy.deleted_at.is_(None)
    )
    if except_id is not None:
        query = query.where(TimeStudy.id != except_id)
    return session.scalar(query) is not None


# --- reading back ---------------------------------------------------------------------------------


def live_study(session: Session, study_id: uuid.UUID) -> TimeStudy:
    study = get_or_fail(session, TimeStudy, study_id, "time study")
    if study.deleted_at is not None:
        raise NotFoundError("That time study has been deleted")
    return study


def _elements(session: Session, study_id: uuid.UUID) -> list[TimeStudyElement]:
    return list(
        session.scalars(
            select(TimeStudyElement)
            .where(TimeStudyElement.study_id == study_id, TimeStudyElement.deleted_at.is_(None))
            .order_by(TimeStudyElement.position)
        )
    )


def _settings(study: TimeStudy) -> StudySettings:
    return StudySettings(
        allowance_pct=study.allowance_pct,
        allowance_basis=AllowanceBasis(study.allowance_basis),
        selected_time=SelectedTime(study.selected_time),
        available_minutes=study.available_minutes,
        demand=study.demand,
        confidence_pct=study.confidence_pct,
        accuracy_pct=study.accuracy_pct,
    )


def _study_infos(session: Session, studies: Sequence[TimeStudy]) -> list[StudyInfo]:
    """Plain copies of many studies in five queries, however many studies there are."""
    if not studies:
        return []
    ids = [s.id for s in studies]
    places = {
        area_id: (area_name, csu_name)
        for area_id, area_name, csu_name in session.execute(
            select(Area.id, Area.name, Csu.name)
            .join(Csu, Csu.id == Area.csu_id)
            .where(Area.id.in_({s.area_id for s in studies}))
        )
    }
    labels = dict(session.execute(select(WasteCategory.id, WasteCategory.label)).all())
    counts = dict(
        session.execute(
            select(TimeStudyReading.study_id, func.count())
            .where(TimeStudyReading.study_id.in_(ids), TimeStudyReading.deleted_at.is_(None))
            .group_by(TimeStudyReading.study_id)
        ).all()
    )
    elements: dict[uuid.UUID, list[ElementInfo]] = {i: [] for i in ids}
    for e in session.scalars(
        select(TimeStudyElement)
        .where(TimeStudyElement.study_id.in_(ids), TimeStudyElement.deleted_at.is_(None))
        .order_by(TimeStudyElement.study_id, TimeStudyElement.position)
    ):
        elements[e.study_id].append(
            ElementInfo(
                id=e.id,
                order=e.position,
                name=e.name,
                value_class=e.value_class,
                rating_pct=e.rating_pct,
                waste_category_id=e.waste_category_id,
                waste_label=labels.get(e.waste_category_id) if e.waste_category_id else None,
            )
        )
    return [
        StudyInfo(
            id=study.id,
            name=study.name,
            process=study.process,
            area_id=study.area_id,
            area_name=places[study.area_id][0],
            csu_name=places[study.area_id][1],
            observer=study.observer,
            study_date=study.study_date,
            settings=_settings(study),
            elements=tuple(elements[study.id]),
            notes=study.notes,
            source=study.source,
            finished_at=study.finished_at,
            reading_count=counts.get(study.id, 0),
        )
        for study in studies
    ]


def _study_info(session: Session, study: TimeStudy) -> StudyInfo:
    return _study_infos(session, [study])[0]


def get_study(db: Database, study_id: uuid.UUID) -> StudyInfo:
    """One study with its elements."""
    with db.session() as session:
        return _study_info(session, live_study(session, study_id))


def find_study(db: Database, name: str) -> StudyInfo:
    """The study with this name (case and surrounding spaces ignored)."""
    with db.session() as session:
        study = session.scalar(
            select(TimeStudy).where(
                func.lower(TimeStudy.name) == name.strip().lower(),
                TimeStudy.deleted_at.is_(None),
            )
        )
        if study is None:
            raise NotFoundError(f"There is no time study called '{name.strip()}'")
        return _study_info(session, study)


def list_studies(db: Database, area_ids: Sequence[uuid.UUID] | None = None) -> list[StudyInfo]:
    """Studies, newest first, optionally in some areas only."""
    with db.session() as session:
        query = select(TimeStudy).where(TimeStudy.deleted_at.is_(None))
        if area_ids is not None:
            query = query.where(TimeStudy.area_id.in_(list(area_ids)))
        query = query.order_by(TimeStudy.study_date.desc(), TimeStudy.created_at.desc())
        return _study_infos(session, list(session.scalars(query)))


def reading_info(reading: TimeStudyReading, order: int) -> ReadingInfo:
    return ReadingInfo(
        id=reading.id,
        element_id=reading.element_id,
        element_order=order,
        cycle=reading.cycle,
        state=reading.state,
        seconds=reading.seconds,
        exclude_reason=reading.exclude_reason,
        sequence=reading.sequence,
        taken_at=reading.taken_at,
    )


def _live_readings(session: Session, study_id: uuid.UUID) -> list[ReadingInfo]:
    # Plain columns, not ORM objects: a 50 x 200 sheet reads in a fifth of the time.
    r = TimeStudyReading
    rows = session.execute(
        select(
            r.id,
            r.element_id,
            TimeStudyElement.position,
            r.cycle,
            r.state,
            r.seconds,
            r.exclude_reason,
            r.sequence,
            r.taken_at,
        )
        .join(TimeStudyElement, TimeStudyElement.id == r.element_id)
        .where(r.study_id == study_id, r.deleted_at.is_(None))
        .order_by(r.sequence)
    ).all()
    return [ReadingInfo(*row) for row in rows]


def list_readings(db: Database, study_id: uuid.UUID) -> list[ReadingInfo]:
    """Every live reading of a study, in the order taken."""
    with db.session() as session:
        live_study(session, study_id)
        return _live_readings(session, study_id)


def next_position(readings: Sequence[ReadingInfo], element_count: int) -> Position:
    """The cell after the last reading taken; cycle 1, element 1 for a new study."""
    if not readings or element_count == 0:
        return Position(1, 1)
    last = max(readings, key=lambda r: r.sequence)
    if last.element_order >= element_count:
        return Position(last.cycle + 1, 1)
    return Position(last.cycle, last.element_order + 1)


# --- set up -------------------------------------------------------------------------------------


def create_study(db: Database, data: StudyInput) -> StudyInfo:
    """Set up a study with its ordered elements."""
    problems = _settings_problems(data) + _elements_problems(data.elements)
    if problems:
        raise InputError([Problem(p) for p in problems])
    with db.session() as session:
        area = get_or_fail(session, Area, data.area_id, "area")
        if area.archived_at is not None:
            raise InputError(f"The area '{area.name}' is archived; choose a current area")
        if name_taken(session, data.name):
            raise InputError(
                f"There is already a time study called '{data.name.strip()}'; give this one "
                "another name (for example with the date)"
            )
        study = TimeStudy(
            name=data.name.strip(),
            process=(data.process or data.name).strip(),
            area_id=area.id,
            observer=data.observer.strip(),
            study_date=data.study_date,
            allowance_pct=float(data.allowance_pct),
            allowance_basis=str(data.allowance_basis),
            selected_time=str(data.selected_time),
            available_minutes=data.available_minutes,
            demand=data.demand,
            confidence_pct=data.confidence_pct,
            accuracy_pct=float(data.accuracy_pct),
            source=data.source,
            notes=data.notes,
            device_id=db.device_id,
        )
        session.add(study)
        session.flush()
        for position, element in enumerate(data.elements, start=1):
            session.add(
                TimeStudyElement(
                    study_id=study.id,
                    position=position,
                    name=element.name.strip(),
                    value_class=str(element.value_class),
                    rating_pct=float(element.rating_pct),
                    waste_category_id=_waste_id(session, element.waste_code, f"Element {position}"),
                    device_id=db.device_id,
                )
            )
        session.flush()
        logger.info("time study %s set up with %d elements", study.id, len(data.elements))
        return _study_info(session, study)


def update_study(db: Database, study_id: uuid.UUID, data: StudyInput) -> StudyInfo:
    """Change the study's settings and its elements' names, classes, ratings and wastes.

    Elements are matched by position. Elements may be added at the end at any time; an element
    may be removed from the end only while it has no readings.
    """
    problems = _settings_problems(data) + _elements_problems(data.elements)
    if problems:
        raise InputError([Problem(p) for p in problems])
    with db.session() as session:
        study = live_study(session, study_id)
        area = get_or_fail(session, Area, data.area_id, "area")
        if name_taken(session, data.name, except_id=study.id):
            raise InputError(f"There is already a time study called '{data.name.strip()}'")
        study.name = data.name.strip()
        study.process = (data.process or data.name).strip()
        study.area_id = area.id
        study.observer = data.observer.strip()
        study.study_date = data.study_date
        study.allowance_pct = float(data.allowance_pct)
        study.allowance_basis = str(data.allowance_basis)
        study.selected_time = str(data.selected_time)
        study.available_minutes = data.available_minutes
        study.demand = data.demand
        study.confidence_pct = data.confidence_pct
        study.accuracy_pct = float(data.accuracy_pct)
        study.notes = data.notes
        existing = _elements(session, study.id)
        for position, element in enumerate(data.elements, start=1):
            waste_id = _waste_id(session, element.waste_code, f"Element {position}")
            if position <= len(existing):
                row = existing[position - 1]
                row.name = element.name.strip()
                row.value_class = str(element.value_class)
                row.rating_pct = float(element.rating_pct)
                row.waste_category_id = waste_id
            else:
                session.add(
                    TimeStudyElement(
                        study_id=study.id,
                        position=position,
                        name=element.name.strip(),
                        value_class=str(element.value_class),
                        rating_pct=float(element.rating_pct),
                        waste_category_id=waste_id,
                        device_id=db.device_id,
                    )
                )
        for row in existing[len(data.elements) :]:
            used = session.scalar(
                select(func.count())
                .select_from(TimeStudyReading)
                .where(TimeStudyReading.element_id == row.id, TimeStudyReading.deleted_at.is_(None))
            )
            if used:
                raise InputError(
                    f"Element {row.position} '{row.name}' has {used} reading(s) and cannot be "
                    "removed; rename it instead"
                )
            row.deleted_at = utcnow()
        session.flush()
        return _study_info(session, study)


def set_study_finished(db: Database, study_id: uuid.UUID, finished: bool = True) -> StudyInfo:
    """Mark the study finished (it can be reopened to go on timing)."""
    with db.session() as session:
        study = live_study(session, study_id)
        study.finished_at = utcnow() if finished else None
        session.flush()
        return _study_info(session, study)


def delete_study(db: Database, study_id: uuid.UUID, deleted: bool = True) -> None:
    """Soft-delete a study (or bring it back), so a pack can carry the deletion."""
    with db.session() as session:
        study = get_or_fail(session, TimeStudy, study_id, "time study")
        if not deleted and name_taken(session, study.name, except_id=study.id):
            raise InputError(f"Another study is now called '{study.name}'; rename it first")
        study.deleted_at = utcnow() if deleted else None


# --- summary ------------------------------------------------------------------------------------


def summarise(study: StudyInfo, readings: Sequence[ReadingInfo]) -> StudySummary:
    """The domain summary of a study from its plain records (no database access)."""
    specs = [
        ElementSpec(e.name, e.order, ValueClass(e.value_class), e.rating_pct)
        for e in study.elements
    ]
    by_order: dict[int, list[Reading]] = {}
    for r in readings:
        by_order.setdefault(r.element_order, []).append(
            Reading(r.cycle, ReadingState(r.state), r.seconds)
        )
    return summarise_study(specs, by_order, study.settings)


def study_summary(db: Database, study_id: uuid.UUID) -> tuple[StudyInfo, StudySummary]:
    """The study and its summary, read in one session."""
    with db.session() as session:
        study = _study_info(session, live_study(session, study_id))
        readings = _live_readings(session, study_id)
    return study, summarise(study, readings)


def summary_as_dict(name: str, summary: StudySummary) -> dict[str, object]:
    """The `timestudy summary --json` contract: unrounded numbers, null where not computable."""
    settings = summary.settings
    return {
        "name": name,
        "allowance_pct": float(settings.allowance_pct),
        "allowance_basis": str(settings.allowance_basis),
        "selected_time": str(settings.selected_time),
        "elements": [
            {
                "name": e.name,
                "order": e.order,
                "value_class": str(e.value_class),
                "n": e.n,
                "mean_s": e.mean_s,
                "median_s": e.median_s,
                "min_s": e.min_s,
                "max_s": e.max_s,
                "fluctuation_s": e.fluctuation_s,
                "lrt_s": e.lrt_s,
                "outlier_cycles": list(e.outlier_cycles),
                "rating_pct": float(e.rating_pct),
                "normal_s": e.normal_s,
                "standard_s": e.standard_s,
            }
            for e in summary.elements
        ],
        "cycles": {
            "n": summary.cycles.n,
            "mean_s": summary.cycles.mean_s,
            "min_s": summary.cycles.min_s,
            "max_s": summary.cycles.max_s,
        },
        "normal_total_s": summary.normal_total_s,
        "standard_total_s": summary.standard_total_s,
        "takt_s": summary.takt_s,
        "va_ratio": summary.va_ratio,
        "cycles_needed": summary.cycles_needed,
    }
