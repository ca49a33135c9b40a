"""Setting up a trust's CSUs and areas from one CSV file (``wastewalk import areas FILE``).

A trust lists its wards once in a spreadsheet, ``csu,area[,operating_days_per_year][,kind]``, and
imports it. Names already in the database are reused, compared without regard to case or extra
spaces, so importing the same file again changes nothing; an area whose operating days or kind in
the file differ from the database is updated. The whole file is checked first and written in one
transaction: any problem and nothing changes. See docs/import-areas.md.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.observation_rules import (
    MAX_SHORT_TEXT,
    AreaKind,
    check_operating_days,
    check_text,
)
from wastewalk.models import Area, Csu
from wastewalk.services.csv_input import (
    CellError,
    Columns,
    Problems,
    name_key,
    open_csv,
    parse_choice,
    parse_whole_number,
    shown,
)
from wastewalk.services.organisation import default_trust
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

COLUMNS = Columns(required=("csu", "area"), optional=("operating_days_per_year", "kind"))
MAX_ROWS = 20_000  # a large trust has a few hundred areas; more is not an area list
DEFAULT_OPERATING_DAYS = 365
_KINDS = tuple(kind.value for kind in AreaKind)


@dataclass(frozen=True)
class AreaImportResult:
    """What an area import did. ``rows`` counts data rows; each area is counted once."""

    rows: int
    csus_created: int
    areas_created: int
    areas_updated: int
    areas_unchanged: int


@dataclass
class _WantedArea:
    """One area the file asks for; `kind` and `days` are None where the file leaves them blank."""

    row: int
    csu: str
    area: str
    kind: str | None
    days: int | None


def import_areas(db: Database, path: Path) -> AreaImportResult:
    """Create the CSUs and areas listed in a CSV file, reusing those already present.

    Raises InputError listing every problem (file, row, column) and changes nothing if any row
    is wrong. Areas go into the database's own trust (see organisation.default_trust).
    """
    problems = Problems(path.name)
    wanted, rows = _read(path, problems)
    if rows == 0 and not len(problems):
        raise problems.fail("no areas: the file has a header row but no data rows")
    problems.raise_if_any()
    with db.session() as session:
        result = _apply(session, db.device_id, wanted, rows, problems)
        # Raised inside the session, so the trust default_trust may have made is rolled back too.
        problems.raise_if_any()
    logger.info(
        "imported areas from %s: %d row(s), %d CSU(s) and %d area(s) created, %d updated",
        path.name,
        rows,
        result.csus_created,
        result.areas_created,
        result.areas_updated,
    )
    return result


def _read(path: Path, problems: Problems) -> tuple[list[_WantedArea], int]:
    """The distinct areas the file names, first mention first, and the number of data rows."""
    wanted: dict[tuple[str, str], _WantedArea] = {}
    rows = 0
    with open_csv(path, COLUMNS, problems, max_rows=MAX_ROWS) as records:
        for row, cells in records:
            rows += 1
            area = _read_row(row, cells, problems)
            if area is not None:
                _merge(wanted, area, problems)
    return list(wanted.values()), rows


def _read_row(row: int, cells: dict[str, str], problems: Problems) -> _WantedArea | None:
    ok = True
    names: list[str] = []
    for column, what in (("csu", "CSU name"), ("area", "Area name")):
        problem = check_text(cells[column], what, required=True, limit=MAX_SHORT_TEXT)
        if problem:
            problems.add(problem, row, column)
            ok = False
        names.append(" ".join(cells[column].split()))
    before = len(problems)
    days = problems.cell(
        row, "operating_days_per_year", cells.get("operating_days_per_year", ""), _days
    )
    kind = problems.cell(row, "kind", cells.get("kind", ""), parse_choice(_KINDS))
    if not ok or len(problems) > before:
        return None
    return _WantedArea(row=row, csu=names[0], area=names[1], kind=kind, days=days)


def _days(text: str) -> int:
    days = parse_whole_number(text)
    problem = check_operating_days(days)
    if problem:
        raise CellError(problem)
    return days


def _merge(
    wanted: dict[tuple[str, str], _WantedArea], area: _WantedArea, problems: Problems
) -> None:
    """Fold a row into the areas wanted; the same area twice must not disagree with itself."""
    key = (name_key(area.csu), name_key(area.area))
    first = wanted.get(key)
    if first is None:
        wanted[key] = area
        return
    for column, mine, theirs in (
        ("operating_days_per_year", area.days, first.days),
        ("kind", area.kind, first.kind),
    ):
        if mine is not None and theirs is not None and mine != theirs:
            problems.add(
                f"{shown(area.area)} in {shown(area.csu)} is also on row {first.row} with "
                f"{column.replace('_', ' ')} {theirs}, not {mine}; list each area once",
                area.row,
                column,
            )
    first.days = first.days if first.days is not None else area.days
    first.kind = first.kind or area.kind


def _apply(
    session: Session,
    device_id: str,
    wanted: list[_WantedArea],
    rows: int,
    problems: Problems,
) -> AreaImportResult:
    trust = default_trust(session, device_id)
    csus = {
        name_key(csu.name): csu
        for csu in session.scalars(select(Csu).where(Csu.trust_id == trust.id))
    }
    areas = {
        (area.csu_id, name_key(area.name)): area
        for area in session.scalars(select(Area).join(Csu).where(Csu.trust_id == trust.id))
    }
    csus_created = created = updated = unchanged = 0
    for item in wanted:
        csu = csus.get(name_key(item.csu))
        if csu is None:
            # Ids are set here, not at flush, so the new areas below can point at the new CSU.
            csu = Csu(id=uuid.uuid4(), trust_id=trust.id, name=item.csu, device_id=device_id)
            session.add(csu)
            csus[name_key(item.csu)] = csu
            csus_created += 1
        area = areas.get((csu.id, name_key(item.area)))
        if area is None:
            if csu.archived_at is not None:
                problems.add(
                    f"the CSU {shown(csu.name)} is archived; bring it back in WasteWalk before "
                    "adding areas to it",
                    item.row,
                    "csu",
                )
                continue
            area = Area(
                id=uuid.uuid4(),
                csu_id=csu.id,
                name=item.area,
                kind=item.kind or AreaKind.WARD.value,
                operating_days_per_year=item.days or DEFAULT_OPERATING_DAYS,
                device_id=device_id,
            )
            session.add(area)
            areas[(csu.id, name_key(item.area))] = area
            created += 1
        elif _update(area, item):
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return AreaImportResult(
        rows=rows,
        csus_created=csus_created,
        areas_created=created,
        areas_updated=updated,
        areas_unchanged=unchanged,
    )


def _update(area: Area, item: _WantedArea) -> bool:
    """Apply the file's operating days and kind to an existing area; True if either changed.

    Names are left as the database has them (the file matched them ignoring case), and an
    archived area stays archived: bringing one back is a decision for a person in the window.
    """
    changed = False
    if item.days is not None and item.days != area.operating_days_per_year:
        area.operating_days_per_year = item.days
        changed = True
    if item.kind is not None and item.kind != area.kind:
        area.kind = item.kind
        changed = True
    return changed
