"""Bulk entry of observations typed up from paper sheets (``wastewalk import observations FILE``).

Each row is one observation: ``date,csu,area,waste,description`` plus optional columns. Rows with
the same date and area become one completed walk; optional estimate columns price the waste seen
(see import_estimates). Every row is checked, with the same rules the window uses
(observations.validate_observation), before anything is written, and everything is written in one
transaction: one problem anywhere and the database is left exactly as it was.

Importing the same file twice adds nothing the second time. Each walk's id is derived from its
area and date, and each observation's from its walk, its content and how many identical rows came
before it, so a row already imported is recognised and skipped; a laptop importing the same sheet
makes the same ids, so packs from two laptops merge cleanly. An imported estimate's id is derived
from its observation's for the same reason. See docs/import-observations.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import logging
import re
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.observation_rules import (
    MAX_SHORT_TEXT,
    SCALE_MAX,
    SCALE_MIN,
    WalkStatus,
    check_text,
)
from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.models import Area, Csu, Observation, Walk, WasteCategory
from wastewalk.services.csv_input import (
    CellError,
    Columns,
    Problems,
    name_key,
    open_csv,
    parse_iso_date,
    parse_time_of_day,
    parse_whole_number,
    shown,
)
from wastewalk.services.estimates import EstimateInput
from wastewalk.services.import_estimates import (
    ESTIMATE_COLUMNS,
    EstimateCells,
    ToPrice,
    ToSave,
    price_estimates,
    read_estimate,
    save_imported_estimates,
)
from wastewalk.services.observations import ObservationInput, apply_input, validate_observation
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

COLUMNS = Columns(
    required=("date", "csu", "area", "waste", "description"),
    optional=(
        "time",
        "location",
        "impact",
        "ease",
        "frequency",
        "countermeasure",
        "domains",
        "focus",
        *ESTIMATE_COLUMNS,
    ),
)
MAX_ROWS = 500_000  # twice a large trust's whole history; a bigger file is a mistake
# Paper sheets rarely carry a time; a walk without one is placed mid-morning, UK time.
DEFAULT_WALK_TIME = dt.time(9, 0)
# Fixed forever: changing either would make a re-import add every row again.
_WALK_NAMESPACE = uuid.UUID("6f0c7f36-55a4-4c53-9d9e-3b2f4c1a8e01")
_OBSERVATION_NAMESPACE = uuid.UUID("a3b1e2d4-0c5f-4e6a-8b7d-9f1e2c3d4b02")
_PENDING_CATEGORY = uuid.UUID(int=0)  # stands in until the waste code is looked up
_DOMAIN_SEPARATORS = re.compile(r"[\s,;/]+")
_IN_CHUNK = 500  # ids per IN (...) query, well under any database's parameter limit


@dataclass(frozen=True)
class ObservationImportResult:
    """What an observation import did.

    ``rows`` counts data rows; ``observations_skipped`` are rows imported before (by this or an
    earlier import of the same content); ``flagged_identifiers`` are new observations whose text
    looks like it holds an NHS number and must be redacted or confirmed before export.
    """

    rows: int
    walks_created: int
    observations_created: int
    observations_skipped: int
    flagged_identifiers: int
    estimates_created: int = 0
    # Rows with estimate cells whose observation already had an estimate (kept) or was deleted.
    estimates_skipped: int = 0


@dataclass(frozen=True)
class _Names:
    """The names a row uses, looked up in the database after every row has been read."""

    row: int
    csu: str
    area: str
    waste: str


@dataclass(frozen=True)
class _Row:
    """A row whose cells are all valid; `data.category_id` is filled in once the waste is known."""

    row: int
    date: dt.date
    time: dt.time | None
    focus: str
    data: ObservationInput
    estimate: EstimateCells | None = None


@dataclass(frozen=True)
class _Found:
    area_id: uuid.UUID
    category: WasteCategory
    operating_days: int


def import_observations(db: Database, path: Path) -> ObservationImportResult:
    """Add the observations in a CSV file, grouped into one completed walk per area and date.

    Raises InputError listing every problem (file, row, column) and changes nothing if any row
    is wrong. Rows already imported are skipped, so importing a file twice adds nothing.
    """
    problems = Problems(path.name)
    names, rows = _read(path, problems)
    if not names and not len(problems):
        raise problems.fail("no observations: the file has a header row but no data rows")
    with db.session() as session:
        found = _look_up(session, names, problems)
        wanted = [
            ToPrice(row.row, row.estimate, found[row.row].operating_days)
            for row in rows
            if row.estimate is not None and row.row in found
        ]
        priced = price_estimates(session, wanted, problems)
        # Raised inside the session: nothing has been added, and the transaction is rolled back.
        problems.raise_if_any()
        result = _write(session, db.device_id, problems, rows, found, priced, len(names))
        problems.raise_if_any()  # an estimate the services refused: the whole file is rolled back
    logger.info(
        "imported observations from %s: %d row(s), %d new walk(s), %d new, %d skipped, %d flagged,"
        " %d estimate(s)",
        path.name,
        result.rows,
        result.walks_created,
        result.observations_created,
        result.observations_skipped,
        result.flagged_identifiers,
        result.estimates_created,
    )
    return result


def _read(path: Path, problems: Problems) -> tuple[list[_Names], list[_Row]]:
    """Every row's names, and the rows whose cells are all valid; problems go to `problems`."""
    names: list[_Names] = []
    rows: list[_Row] = []
    # The first focus given for each walk (CSU, area, date), with its row, to catch a second one.
    focuses: dict[tuple[str, str, dt.date], tuple[str, int]] = {}
    with open_csv(path, COLUMNS, problems, max_rows=MAX_ROWS) as records:
        for row, cells in records:
            before = len(problems)
            for column in ("csu", "area", "waste"):
                if not cells[column].strip():
                    problems.add(f"{column} is required", row, column)
            names.append(_Names(row, cells["csu"], cells["area"], cells["waste"]))
            parsed = _read_row(row, cells, problems)
            if parsed is not None and len(problems) == before:
                _check_focus(parsed, cells, focuses, problems)
                rows.append(parsed)
    return names, rows


def _read_row(row: int, cells: dict[str, str], problems: Problems) -> _Row | None:
    before = len(problems)
    date = problems.cell(row, "date", cells["date"], parse_iso_date)
    if not cells["date"].strip():
        problems.add("date is required; use YYYY-MM-DD", row, "date")
    time = problems.cell(row, "time", cells.get("time", ""), parse_time_of_day)
    impact = problems.cell(row, "impact", cells.get("impact", ""), _ScaleParser("Impact"))
    ease = problems.cell(row, "ease", cells.get("ease", ""), _ScaleParser("Ease of fixing"))
    focus = cells.get("focus", "")
    focus_problem = check_text(focus, "Focus", required=False, limit=MAX_SHORT_TEXT)
    if focus_problem:
        problems.add(focus_problem, row, "focus")
    data = ObservationInput(
        category_id=_PENDING_CATEGORY,
        description=cells["description"],
        location=cells.get("location", ""),
        impact=impact,
        frequency=cells.get("frequency", ""),
        ease=ease,
        domains=_domains(cells.get("domains", "")),
        countermeasure=cells.get("countermeasure", ""),
    )
    # The window's own rules, so a sheet and a laptop accept exactly the same observations.
    for problem in validate_observation(data):
        problems.add(problem.message, row, problem.column)
    estimate = read_estimate(row, cells, problems)
    if date is None or len(problems) > before:
        return None
    focus = " ".join(focus.split())
    return _Row(row=row, date=date, time=time, focus=focus, data=data, estimate=estimate)


@dataclass(frozen=True)
class _ScaleParser:
    """Reads a 1–5 score as a whole number; its range is left to validate_observation."""

    what: str

    def __call__(self, text: str) -> int:
        try:
            return parse_whole_number(text)
        except CellError:
            raise CellError(
                f"{self.what} must be a whole number from {SCALE_MIN} to {SCALE_MAX}, "
                f"not {shown(text)}"
            ) from None


def _domains(text: str) -> frozenset[str]:
    return frozenset(part.casefold() for part in _DOMAIN_SEPARATORS.split(text) if part)


def _check_focus(
    parsed: _Row,
    cells: dict[str, str],
    focuses: dict[tuple[str, str, dt.date], tuple[str, int]],
    problems: Problems,
) -> None:
    """A walk has one focus: rows of the same walk may leave it blank but must not disagree."""
    if not parsed.focus:
        return
    key = (name_key(cells["csu"]), name_key(cells["area"]), parsed.date)
    first = focuses.setdefault(key, (parsed.focus, parsed.row))
    if name_key(first[0]) != name_key(parsed.focus):
        problems.add(
            f"row {first[1]} gives this walk (same area and date) the focus {shown(first[0])}; "
            "a walk has one focus, so give it once or the same on every row",
            parsed.row,
            "focus",
        )


def _look_up(session: Session, names: Sequence[_Names], problems: Problems) -> dict[int, _Found]:
    """Each row's area and waste category, by row number; unknown or archived ones are problems."""
    areas: dict[tuple[str, str], tuple[Area, Csu]] = {}
    for area, csu in session.execute(select(Area, Csu).join(Csu, Area.csu_id == Csu.id)):
        areas.setdefault((name_key(csu.name), name_key(area.name)), (area, csu))
    csu_names = {key[0]: csu.name for key, (_area, csu) in areas.items()}
    csu_names.update({name_key(name): name for name in session.scalars(select(Csu.name))})
    categories = list(session.scalars(select(WasteCategory).order_by(WasteCategory.sort_order)))
    by_code = {category.code.casefold(): category for category in categories}
    by_label = {name_key(category.label): category for category in categories}
    live_codes = [category.code for category in categories if category.archived_at is None]

    found: dict[int, _Found] = {}
    for item in names:
        if problems.full:
            break  # the file will be refused anyway; spare the look-ups for the rest
        place = _place(item, areas, csu_names, problems)
        category = _category(item, by_code, by_label, live_codes, problems)
        if place is not None and category is not None:
            found[item.row] = _Found(place.id, category, place.operating_days_per_year)
    return found


def _place(
    item: _Names,
    areas: dict[tuple[str, str], tuple[Area, Csu]],
    csu_names: dict[str, str],
    problems: Problems,
) -> Area | None:
    """The live area a row names, or None (blank names were reported when read)."""
    if not (item.csu.strip() and item.area.strip()):
        return None
    place = areas.get((name_key(item.csu), name_key(item.area)))
    if place is None:
        _unknown_place(item, csu_names, areas, problems)
        return None
    area, csu = place
    if area.archived_at is not None or csu.archived_at is not None:
        problems.add(
            f"{shown(area.name)} in {shown(csu.name)} is archived; bring it back in WasteWalk "
            "before importing observations for it",
            item.row,
            "area" if area.archived_at is not None else "csu",
        )
        return None
    return area


def _category(
    item: _Names,
    by_code: dict[str, WasteCategory],
    by_label: dict[str, WasteCategory],
    live_codes: list[str],
    problems: Problems,
) -> WasteCategory | None:
    """The live waste category a row names by code (or label), or None."""
    if not item.waste.strip():
        return None
    category = by_code.get(item.waste.strip().casefold()) or by_label.get(name_key(item.waste))
    if category is None:
        problems.add(
            f"unknown waste {shown(item.waste)}{_did_you_mean(item.waste, by_code)}; "
            f"use one of the codes {', '.join(live_codes)}",
            item.row,
            "waste",
        )
        return None
    if category.archived_at is not None:
        problems.add(
            f"the waste category {shown(category.label)} is archived and takes no new "
            f"observations; use one of the codes {', '.join(live_codes)}",
            item.row,
            "waste",
        )
        return None
    return category


def _unknown_place(
    item: _Names,
    csu_names: dict[str, str],
    areas: dict[tuple[str, str], tuple[Area, Csu]],
    problems: Problems,
) -> None:
    advice = "add it first with 'wastewalk import areas' (or in the window)"
    csu_key = name_key(item.csu)
    if csu_key not in csu_names:
        problems.add(
            f"there is no CSU called {shown(item.csu)}{_did_you_mean(item.csu, csu_names)}; "
            f"{advice}",
            item.row,
            "csu",
        )
        return
    in_csu = {area_key: area.name for (c, area_key), (area, _csu) in areas.items() if c == csu_key}
    problems.add(
        f"there is no area {shown(item.area)} in the CSU {shown(csu_names[csu_key])}"
        f"{_did_you_mean(item.area, in_csu)}; {advice}",
        item.row,
        "area",
    )


def _did_you_mean(text: str, known: Mapping[str, object]) -> str:
    """' (did you mean 'X'?)' for a close match among `known` keys, else ''."""
    if len(text) > 200:
        return ""  # nothing that long is a near miss, and matching it would be slow
    close = difflib.get_close_matches(name_key(text), list(known), n=1, cutoff=0.75)
    if not close:
        return ""
    match = known[close[0]]
    label = match.code if isinstance(match, WasteCategory) else str(match)
    return f" (did you mean {shown(label)}?)"


def _content_key(row: _Row, category: WasteCategory) -> str:
    """What makes two rows of one walk the same observation: everything that is stored."""
    data = row.data
    parts = (
        category.code,
        data.description.strip(),
        data.location.strip(),
        row.time.isoformat() if row.time else "",
        "" if data.impact is None else str(data.impact),
        "" if data.ease is None else str(data.ease),
        data.frequency.strip(),
        data.countermeasure.strip(),
        ",".join(sorted(data.domains)),
    )
    return "\x1f".join(parts)


def _write(
    session: Session,
    device_id: str,
    problems: Problems,
    rows: Sequence[_Row],
    found: dict[int, _Found],
    priced: dict[int, EstimateInput],
    row_count: int,
) -> ObservationImportResult:
    groups: dict[tuple[uuid.UUID, dt.date], list[_Row]] = {}
    for row in rows:
        groups.setdefault((found[row.row].area_id, row.date), []).append(row)
    walk_ids = {
        key: uuid.uuid5(_WALK_NAMESPACE, f"{key[0]}/{key[1].isoformat()}") for key in groups
    }
    walks = _existing_walks(session, list(walk_ids.values()))
    seen = _observation_ids(session, list(walks))

    new_walks: list[Walk] = []
    new_observations: list[Observation] = []
    to_save: list[ToSave] = []
    skipped = 0
    for (area_id, date), group in groups.items():
        walk_id = walk_ids[(area_id, date)]
        times = [row.time for row in group if row.time is not None]
        start = uk_to_utc(date, min(times) if times else DEFAULT_WALK_TIME)
        end = uk_to_utc(date, max(times)) if times else start
        ordinals: Counter[str] = Counter()
        added = 0
        for row in group:
            category = found[row.row].category
            key = _content_key(row, category)
            # Identical rows are distinct observations (two beds waiting, say): number them.
            obs_id = uuid.uuid5(_OBSERVATION_NAMESPACE, f"{walk_id}/{ordinals[key]}/{key}")
            ordinals[key] += 1
            if row.row in priced:
                to_save.append(
                    ToSave(row.row, obs_id, priced[row.row], found[row.row].operating_days)
                )
            if obs_id in seen:
                skipped += 1
                continue
            observed_at = uk_to_utc(date, row.time) if row.time else start
            obs = Observation(id=obs_id, walk_id=walk_id, device_id=device_id)
            apply_input(
                obs,
                dataclasses.replace(row.data, category_id=category.id, observed_at=observed_at),
            )
            new_observations.append(obs)
            added += 1
        walk = walks.get(walk_id)
        if walk is None:
            focus = next((row.focus for row in group if row.focus), "")
            new_walks.append(
                Walk(
                    id=walk_id,
                    area_id=area_id,
                    started_at=start,
                    ended_at=end,
                    focus=focus,
                    status=WalkStatus.COMPLETE.value,
                    notes="",
                    device_id=device_id,
                )
            )
        elif added:
            _widen(walk, start, end)
    # Walks first, so the observations' foreign keys have something to point at when flushed.
    session.add_all(new_walks)
    session.flush()
    session.add_all(new_observations)
    session.flush()
    created = save_imported_estimates(session, device_id, to_save, problems)
    return ObservationImportResult(
        rows=row_count,
        walks_created=len(new_walks),
        observations_created=len(new_observations),
        observations_skipped=skipped,
        flagged_identifiers=sum(1 for obs in new_observations if obs.suspected_identifier),
        estimates_created=created,
        estimates_skipped=len(to_save) - created,
    )


def _widen(walk: Walk, start: dt.datetime, end: dt.datetime) -> None:
    """Stretch an earlier import's walk to cover rows added to the sheet since."""
    if start < walk.started_at:
        walk.started_at = start
    if walk.ended_at is None or end > walk.ended_at:
        walk.ended_at = end


def _existing_walks(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Walk]:
    """The walks among `ids` that are already in the database (made by an earlier import)."""
    walks: dict[uuid.UUID, Walk] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        walks.update(
            (walk.id, walk) for walk in session.scalars(select(Walk).where(Walk.id.in_(chunk)))
        )
    return walks


def _observation_ids(session: Session, walk_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Ids of every observation in these walks, deleted ones too: a deletion is not undone."""
    ids: set[uuid.UUID] = set()
    for start in range(0, len(walk_ids), _IN_CHUNK):
        chunk = walk_ids[start : start + _IN_CHUNK]
        ids.update(session.scalars(select(Observation.id).where(Observation.walk_id.in_(chunk))))
    return ids
