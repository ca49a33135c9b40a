"""Readings typed from a paper Time Observation Sheet (``wastewalk import timestudy FILE``).

Each row is one cell of the sheet: ``element,element_order,cycle,seconds`` plus the optional
``rating_pct``, ``value_class``, ``excluded`` and ``exclude_reason``. The file becomes one new
study (source "paper") with its elements in order and its readings numbered in file order, so
"go on timing" after an import starts right after the file's last row.

All or nothing: every row is checked with the rules the window uses (the domain's check_*
functions and services.time_studies.element_problems, in the same words), every problem is
reported with its file, row and column, and only a file without a single problem is written, in
one transaction. The file is streamed, and the parsed readings are held in compact arrays, so a
file at the row limit does not fill memory. See docs/import-timestudy.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, Problem
from wastewalk.domain.observation_rules import MAX_SHORT_TEXT, check_text
from wastewalk.domain.time_study import (
    ReadingState,
    SelectedTime,
    ValueClass,
    check_rating,
    check_seconds,
)
from wastewalk.domain.uk_time import UK
from wastewalk.models import TimeStudy, TimeStudyElement, TimeStudyReading, utcnow
from wastewalk.services.area_lookup import AreaPlace, find_area_by_name
from wastewalk.services.csv_input import (
    CellError,
    Columns,
    Problems,
    name_key,
    open_csv,
    parse_whole_number,
    shown,
)
from wastewalk.services.time_studies import (
    MAX_ELEMENTS,
    ElementInput,
    element_problems,
    name_taken,
    settings_problems,
)
from wastewalk.services.time_study_readings import MAX_CYCLE
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

COLUMNS = Columns(
    required=("element", "element_order", "cycle", "seconds"),
    optional=("rating_pct", "value_class", "excluded", "exclude_reason"),
)
MAX_ROWS = 1_000_000  # 200 elements x 5,000 cycles; no paper sheet comes near it
MAX_REASON = 500  # as services.time_study_readings.exclude_reason allows
NOT_PERFORMED_WORDS = ("", "np")  # a blank cell or NP: the step was not done in that cycle
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_CHUNK = 5_000  # readings per INSERT batch: bounded memory at the row limit
_CELLS = (MAX_ELEMENTS + 1) * (MAX_CYCLE + 1)  # every (element_order, cycle) a file may use


@dataclass(frozen=True)
class TimeStudyImportOptions:
    """The study's set-up, given on the command line; the file gives elements and readings.

    `area` is the area's name, or "CSU/Area" when the name alone is not enough (or give `csu`).
    `study_date` defaults to today (UK date).
    """

    name: str
    area: str
    csu: str | None = None
    process: str = ""
    observer: str = ""
    study_date: dt.date | None = None
    allowance_pct: float = 0.0
    allowance_basis: str = "job"
    selected_time: str = SelectedTime.MEAN
    available_minutes: float | None = None
    demand: float | None = None
    confidence_pct: int = 95
    accuracy_pct: float = 5.0


@dataclass(frozen=True)
class TimeStudyImportResult:
    """What one import made: a study, its elements and readings, over how many cycles."""

    study_id: uuid.UUID
    name: str
    area_name: str
    csu_name: str
    elements: int
    readings: int
    cycles: int
    not_performed: int
    excluded: int


@dataclass
class _Element:
    """One element as the file gives it, with the rows that first gave its name, rating, class."""

    name: str
    key: str
    row: int
    rating_pct: float | None = None
    rating_row: int = 0
    value_class: str | None = None
    class_row: int = 0


@dataclass
class _Sheet:
    """The readings of a file without problems, in file order, in compact arrays."""

    elements: dict[int, _Element] = field(default_factory=dict)  # by element_order
    orders: array[int] = field(default_factory=lambda: array("H"))
    cycles: array[int] = field(default_factory=lambda: array("H"))
    seconds: array[float] = field(default_factory=lambda: array("d"))  # NaN: not performed
    # Readings excluded in the file: their index in the arrays, and the reason.
    excluded: dict[int, str] = field(default_factory=dict)
    rows: int = 0
    too_many_reported: bool = False
    # Every element_order a row gives, its element accepted or not: a gap is checked over these,
    # so a row refused for another reason does not also show up as a missing number.
    orders_given: set[int] = field(default_factory=set)


def import_timestudy(
    db: Database, path: Path, options: TimeStudyImportOptions
) -> TimeStudyImportResult:
    """Make a new study from a CSV of readings typed from a paper sheet.

    Raises InputError listing every problem, in the options (area, name, allowance ...) and in
    the file (with row and column), and writes nothing if there is any.
    """
    option_problems = _option_problems(options)
    problems = Problems(path.name)
    try:
        sheet = _read(path, problems)
    except InputError as exc:  # a file that cannot be read at all: still report the options
        raise InputError(option_problems + exc.problems) from None
    with db.session() as session:
        place = find_area_by_name(session, options.area, options.csu, option_problems)
        if options.name.strip() and name_taken(session, options.name):
            option_problems.append(
                Problem(
                    f"There is already a time study called '{options.name.strip()}'; give this "
                    "one another name (for example with the date)"
                )
            )
        if option_problems or len(problems):
            found = problems.error().problems if len(problems) else []
            # Raised inside the session: nothing has been added, and it is rolled back.
            raise InputError(option_problems + found)
        assert place is not None
        result = _write(session, db.device_id, options, place, sheet)
    logger.info(
        "imported time study %s from %s: %d element(s), %d reading(s), %d cycle(s)",
        result.study_id,
        path.name,
        result.elements,
        result.readings,
        result.cycles,
    )
    return result


# --- the options ----------------------------------------------------------------------------


def _option_problems(options: TimeStudyImportOptions) -> list[Problem]:
    """The set-up's problems, in the words the window uses for the same checks."""
    return [
        Problem(p)
        for p in settings_problems(
            name=options.name,
            process=options.process,
            observer=options.observer,
            allowance_pct=options.allowance_pct,
            allowance_basis=options.allowance_basis,
            selected_time=options.selected_time,
            available_minutes=options.available_minutes,
            demand=options.demand,
            confidence_pct=options.confidence_pct,
            accuracy_pct=options.accuracy_pct,
        )
    ]


# --- the file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cells:
    """One row's cells, parsed; None where a cell is missing or wrong (already reported)."""

    row: int
    name: str
    key: str
    order: int | None
    cycle: int | None
    seconds: float | None
    not_performed: bool
    rating_pct: float | None
    value_class: str | None
    excluded: bool
    reason: str


def _read(path: Path, problems: Problems) -> _Sheet:
    """The readings of the file; every problem found goes to `problems`."""
    sheet = _Sheet()
    # The first row of each cell (element order, cycle) seen, to name it when repeated: one
    # slot per possible cell (8 MB), where a dict of a million cells would take over 100 MB.
    first_row = array("I", [0]) * _CELLS
    names: dict[str, int] = {}  # element name key -> order
    with open_csv(path, COLUMNS, problems, max_rows=MAX_ROWS) as records:
        for row, cells in records:
            sheet.rows += 1
            before = len(problems)
            parsed = _parse_row(row, cells, problems)
            if parsed.order is None:
                continue
            sheet.orders_given.add(parsed.order)
            if not parsed.key:
                continue
            element = _element_for(parsed, sheet, names, problems)
            if element is None:
                continue
            _agree(element, parsed, problems)
            if parsed.cycle is not None:
                cell = parsed.order * (MAX_CYCLE + 1) + parsed.cycle
                if first_row[cell]:
                    problems.add(
                        f"{shown(element.name)} already has a reading in cycle {parsed.cycle} "
                        f"(row {first_row[cell]}); an element has one reading per cycle",
                        row,
                        "cycle",
                    )
                else:
                    first_row[cell] = row
            if len(problems) == before and not problems.full:
                _keep(sheet, parsed)
    if sheet.rows == 0:
        problems.add("no readings: the file has a header row but no data rows")
    _check_elements(sheet, problems)
    return sheet


def _parse_row(row: int, cells: dict[str, str], problems: Problems) -> _Cells:
    name = cells["element"]
    key = name_key(name)
    if not key:
        problems.add("element is required: the name of the step, as on the sheet", row, "element")
    order = _required(row, "element_order", cells, problems, _parse_order)
    cycle = _required(row, "cycle", cells, problems, _parse_cycle)
    seconds_text = cells["seconds"].strip()
    not_performed = seconds_text.casefold() in NOT_PERFORMED_WORDS
    seconds = None if not_performed else problems.cell(row, "seconds", seconds_text, _parse_seconds)
    what = f"Element {order}" if order is not None else "Element"
    rating = problems.cell(
        row, "rating_pct", cells.get("rating_pct", ""), lambda t: _parse_rating(t, what)
    )
    value_class = problems.cell(
        row, "value_class", cells.get("value_class", ""), lambda t: _parse_class(t, what)
    )
    excluded = problems.cell(row, "excluded", cells.get("excluded", ""), _parse_yes_no) or False
    reason = cells.get("exclude_reason", "")
    if excluded:
        if not_performed:
            problems.add(
                "A step that was not performed has no time to exclude; write N in excluded, "
                "or the reading's seconds",
                row,
                "excluded",
            )
        problem = check_text(
            reason, "The reason for excluding a reading", required=True, limit=MAX_REASON
        )
        if problem:
            problems.add(problem, row, "exclude_reason")
    elif reason.strip():
        problems.add(
            "there is a reason for excluding this reading, but excluded is not Y; write Y in "
            "excluded, or clear the reason",
            row,
            "exclude_reason",
        )
    return _Cells(
        row=row,
        name=name.strip(),
        key=key,
        order=order,
        cycle=cycle,
        seconds=seconds,
        not_performed=not_performed,
        rating_pct=rating,
        value_class=value_class,
        excluded=excluded,
        reason=reason.strip(),
    )


def _required(
    row: int,
    column: str,
    cells: dict[str, str],
    problems: Problems,
    parse: Callable[[str], int],
) -> int | None:
    if not cells[column].strip():
        problems.add(f"{column} is required", row, column)
        return None
    return problems.cell(row, column, cells[column], parse)


def _parse_order(text: str) -> int:
    try:
        value = parse_whole_number(text)
    except CellError:
        raise CellError(
            f"{shown(text)} is not an element order; use a whole number: 1 for the first "
            "element of the sheet, 2 for the second ..."
        ) from None
    if not 1 <= value <= MAX_ELEMENTS:
        raise CellError(f"element_order must be from 1 to {MAX_ELEMENTS}, not {value}")
    return value


def _parse_cycle(text: str) -> int:
    try:
        value = parse_whole_number(text)
    except CellError:
        raise CellError(f"{shown(text)} is not a cycle number; use 1, 2, 3 ...") from None
    if not 1 <= value <= MAX_CYCLE:
        # The words of services.time_study_readings, for a cycle typed into the window.
        raise CellError(f"Cycle must be a whole number from 1 to {MAX_CYCLE:,}, not {value}")
    return value


def _number(text: str) -> float | None:
    cleaned = text.strip()
    if len(cleaned) > 30 or not _DECIMAL.fullmatch(cleaned):
        return None
    return float(cleaned)


def _parse_seconds(text: str) -> float:
    value = _number(text)
    if value is None:
        raise CellError(
            f"{shown(text)} is not a number of seconds; write the element's time in seconds "
            "(for example 12.5), or NP (or leave it blank) for a step not performed"
        )
    problem = check_seconds(value)
    if problem:
        raise CellError(problem)
    return value


def _parse_rating(text: str, what: str) -> float:
    value = _number(text.strip().removesuffix("%"))
    if value is None:
        raise CellError(f"{shown(text)} is not a rating; write a percentage such as 110")
    problem = check_rating(value, f"{what} rating")
    if problem:
        raise CellError(problem)
    return value


def _parse_class(text: str, what: str) -> str:
    cleaned = text.strip().casefold()
    if cleaned not in set(ValueClass):
        # The words of services.time_studies.element_problems.
        raise CellError(f"{what} value class must be va, nnva or waste, not {shown(text)}")
    return cleaned


def _parse_yes_no(text: str) -> bool:
    cleaned = text.strip().casefold()
    if cleaned in ("y", "yes"):
        return True
    if cleaned in ("n", "no"):
        return False
    raise CellError(
        f"{shown(text)} is not Y or N; write Y for an excluded reading, else N or blank"
    )


def _element_for(
    parsed: _Cells, sheet: _Sheet, names: dict[str, int], problems: Problems
) -> _Element | None:
    """The element this row is a reading of, registered on its first row; None if it clashes
    with an earlier row (reported) or would be one element too many."""
    assert parsed.order is not None
    known = sheet.elements.get(parsed.order)
    if known is not None and known.key != parsed.key:
        problems.add(
            f"element_order {parsed.order} is {shown(known.name)} (row {known.row}), not "
            f"{shown(parsed.name)}; each element has one order number, and each number one element",
            parsed.row,
            "element_order",
        )
        return None
    order_of_name = names.get(parsed.key)
    if order_of_name is not None and order_of_name != parsed.order:
        first = sheet.elements[order_of_name]
        problems.add(
            f"{shown(parsed.name)} has element_order {order_of_name} on row {first.row}, not "
            f"{parsed.order}; each element has one order number, and each number one element",
            parsed.row,
            "element_order",
        )
        return None
    if known is not None:
        return known
    if len(sheet.elements) >= MAX_ELEMENTS:
        if not sheet.too_many_reported:
            sheet.too_many_reported = True
            problems.add(
                f"this row starts element {len(sheet.elements) + 1}: a study can have at most "
                f"{MAX_ELEMENTS} elements; split the sheet into two studies",
                parsed.row,
                "element",
            )
        return None
    problem = check_text(
        parsed.name, f"Element {parsed.order} name", required=True, limit=MAX_SHORT_TEXT
    )
    if problem:
        problems.add(problem, parsed.row, "element")
    element = _Element(name=parsed.name, key=parsed.key, row=parsed.row)
    sheet.elements[parsed.order] = element
    names[parsed.key] = parsed.order
    return element


def _agree(element: _Element, parsed: _Cells, problems: Problems) -> None:
    """An element has one rating and one value class: the rows that give one must agree."""
    if parsed.rating_pct is not None:
        if element.rating_pct is None:
            element.rating_pct, element.rating_row = parsed.rating_pct, parsed.row
        elif element.rating_pct != parsed.rating_pct:
            problems.add(
                f"{shown(element.name)} is rated {element.rating_pct:g} % on row "
                f"{element.rating_row} and {parsed.rating_pct:g} % here; an element has one "
                "rating (give it once, or the same on every row)",
                parsed.row,
                "rating_pct",
            )
    if parsed.value_class is not None:
        if element.value_class is None:
            element.value_class, element.class_row = parsed.value_class, parsed.row
        elif element.value_class != parsed.value_class:
            problems.add(
                f"{shown(element.name)} is {element.value_class} on row {element.class_row} and "
                f"{parsed.value_class} here; an element has one value class (give it once, or "
                "the same on every row)",
                parsed.row,
                "value_class",
            )


def _keep(sheet: _Sheet, parsed: _Cells) -> None:
    assert parsed.order is not None
    assert parsed.cycle is not None
    if parsed.excluded:
        sheet.excluded[len(sheet.seconds)] = parsed.reason
    sheet.orders.append(parsed.order)
    sheet.cycles.append(parsed.cycle)
    sheet.seconds.append(float("nan") if parsed.seconds is None else parsed.seconds)


def _check_elements(sheet: _Sheet, problems: Problems) -> None:
    """Orders run 1, 2, 3 ... without a gap; each element passes the set-up's own checks."""
    if not sheet.elements:
        return
    present = sheet.orders_given
    missing = [order for order in range(1, max(present) + 1) if order not in present]
    if missing:
        listed = ", ".join(map(str, missing[:10])) + (", …" if len(missing) > 10 else "")
        problems.add(
            f"element_order must number the elements 1, 2, 3 ... with none missing; no row "
            f"has element_order {listed}",
            None,
            "element_order",
        )
    if len(problems):
        return  # the set-up check below would only repeat what the rows already said
    for order, element in sorted(sheet.elements.items()):
        for problem in element_problems(order, _element_input(element)):
            problems.add(problem, element.row, None)


def _element_input(element: _Element) -> ElementInput:
    return ElementInput(
        name=element.name,
        value_class=element.value_class or ValueClass.VALUE_ADDING,
        rating_pct=element.rating_pct if element.rating_pct is not None else 100.0,
    )


# --- writing --------------------------------------------------------------------------------


def _write(
    session: Session,
    device_id: str,
    options: TimeStudyImportOptions,
    place: AreaPlace,
    sheet: _Sheet,
) -> TimeStudyImportResult:
    study = TimeStudy(
        name=options.name.strip(),
        process=(options.process or options.name).strip(),
        area_id=place.area_id,
        observer=options.observer.strip(),
        study_date=options.study_date or dt.datetime.now(UK).date(),
        allowance_pct=float(options.allowance_pct),
        allowance_basis=str(options.allowance_basis),
        selected_time=str(options.selected_time),
        available_minutes=options.available_minutes,
        demand=options.demand,
        confidence_pct=options.confidence_pct,
        accuracy_pct=float(options.accuracy_pct),
        source="paper",
        notes="",
        device_id=device_id,
    )
    session.add(study)
    session.flush()
    element_ids: dict[int, uuid.UUID] = {}
    for order, element in sorted(sheet.elements.items()):
        data = _element_input(element)
        row = TimeStudyElement(
            study_id=study.id,
            position=order,
            name=data.name,
            value_class=str(data.value_class),
            rating_pct=float(data.rating_pct),
            device_id=device_id,
        )
        session.add(row)
        session.flush()
        element_ids[order] = row.id
    taken_at = utcnow()
    batch: list[dict[str, object]] = []
    for values in _reading_rows(sheet, study.id, element_ids, taken_at, device_id):
        batch.append(values)
        if len(batch) >= _CHUNK:
            session.execute(insert(TimeStudyReading), batch)
            batch = []
    if batch:
        session.execute(insert(TimeStudyReading), batch)
    not_performed = sum(1 for s in sheet.seconds if s != s)  # NaN marks not performed
    return TimeStudyImportResult(
        study_id=study.id,
        name=study.name,
        area_name=place.area_name,
        csu_name=place.csu_name,
        elements=len(sheet.elements),
        readings=len(sheet.seconds),
        cycles=len(set(sheet.cycles)),
        not_performed=not_performed,
        excluded=len(sheet.excluded),
    )


def _reading_rows(
    sheet: _Sheet,
    study_id: uuid.UUID,
    element_ids: dict[int, uuid.UUID],
    taken_at: dt.datetime,
    device_id: str,
) -> Iterator[dict[str, object]]:
    """One INSERT parameter set per reading, numbered in file order."""
    for index, (order, cycle, seconds) in enumerate(
        zip(sheet.orders, sheet.cycles, sheet.seconds, strict=True)
    ):
        reason = sheet.excluded.get(index)
        if seconds != seconds:  # NaN: not performed, never a zero
            state, value = ReadingState.NOT_PERFORMED, None
        else:
            state = ReadingState.EXCLUDED if reason is not None else ReadingState.VALID
            value = seconds
        yield {
            "id": uuid.uuid4(),
            "study_id": study_id,
            "element_id": element_ids[order],
            "cycle": cycle,
            "state": str(state),
            "seconds": value,
            "exclude_reason": reason or "",
            "sequence": index + 1,
            "taken_at": taken_at,
            "created_at": taken_at,
            "updated_at": taken_at,
            "device_id": device_id,
        }
