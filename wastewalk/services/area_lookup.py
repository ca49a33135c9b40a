"""Find an area by the name a person types on the command line: "Area", "CSU/Area" or with --csu.

Names compare as the CSV imports compare them (case, spaces and dashes folded). A name found in
two CSUs, an archived area and an unknown name each get a message saying how to name it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import Problem
from wastewalk.models import Area, Csu
from wastewalk.services.csv_input import name_key, shown

logger = logging.getLogger(__name__)

_AREAS_LISTED = 12  # areas named in a "there is no such area" message


@dataclass(frozen=True)
class _Asked:
    area: str
    csu: str | None


@dataclass(frozen=True)
class AreaPlace:
    """An area found by name, with its CSU's name."""

    area_id: uuid.UUID
    area_name: str
    csu_name: str


def find_area_by_name(
    session: Session, area_name: str, csu_name: str | None, problems: list[Problem]
) -> AreaPlace | None:
    """The live area named "Area", "CSU/Area", or by --csu and --area; else a problem is added."""
    options = _Asked(area_name, csu_name)
    if not options.area.strip():
        problems.append(Problem("--area is required: the area the study was done in"))
        return None
    places: list[tuple[Area, Csu]] = [
        (a, c) for a, c in session.execute(select(Area, Csu).join(Csu, Area.csu_id == Csu.id))
    ]
    wanted = [(name_key(options.csu or ""), name_key(options.area))]
    if not options.csu:
        wanted = [("", name_key(options.area))] + [
            (name_key(options.area[:i]), name_key(options.area[i + 1 :]))
            for i, char in enumerate(options.area)
            if char == "/"
        ]
    matches: list[tuple[Area, Csu]] = []
    for csu_key, area_key in wanted:
        matches = [
            (a, c)
            for a, c in places
            if name_key(a.name) == area_key and csu_key in ("", name_key(c.name))
        ]
        if matches:
            break
    live = [(a, c) for a, c in matches if a.archived_at is None and c.archived_at is None]
    if len(live) == 1:
        area, csu = live[0]
        return AreaPlace(area.id, area.name, csu.name)
    if len(live) > 1:
        csus = ", ".join(sorted(shown(c.name) for _a, c in live))
        area, csu = live[0]
        problems.append(
            Problem(
                f"there is an area called {shown(area.name)} in more than one CSU ({csus}); "
                f"name it as 'CSU/Area' (for example '{csu.name}/{area.name}') or add --csu CSU"
            )
        )
    elif matches:
        area, csu = matches[0]
        problems.append(
            Problem(f"The area '{area.name}' in '{csu.name}' is archived; choose a current area")
        )
    else:
        problems.append(Problem(_no_such_area(options, places)))
    return None


def _no_such_area(options: _Asked, places: list[tuple[Area, Csu]]) -> str:
    asked = shown(options.area) + (f" in the CSU {shown(options.csu)}" if options.csu else "")
    live = sorted(
        f"{csu.name}/{area.name}"
        for area, csu in places
        if area.archived_at is None and csu.archived_at is None
    )
    if not live:
        return (
            f"there is no area {asked}: there are no areas yet; add them in the window or with "
            "'wastewalk import areas'"
        )
    listed = ", ".join(live[:_AREAS_LISTED]) + (", …" if len(live) > _AREAS_LISTED else "")
    return (
        f"there is no area {asked}; give the area's name as WasteWalk shows it, as "
        f"'CSU/Area' (for example --area '{live[0]}') or with --csu CSU. The areas are: {listed}"
    )
