"""A trust-wide summary: each CSU's areas with their walk and observation counts."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.models import Area, Csu, Observation, Trust, Walk
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AreaNode:
    """An area in the organisation tree, with what has been recorded there."""

    id: uuid.UUID
    name: str
    kind: str
    operating_days_per_year: int
    archived: bool
    walks: int
    observations: int


@dataclass(frozen=True)
class CsuNode:
    """A CSU in the organisation tree (it may have no areas yet)."""

    id: uuid.UUID
    name: str
    archived: bool
    areas: tuple[AreaNode, ...]

    @property
    def walks(self) -> int:
        return sum(a.walks for a in self.areas)

    @property
    def observations(self) -> int:
        return sum(a.observations for a in self.areas)


@dataclass(frozen=True)
class OrganisationTree:
    """The database's own trust, its CSUs and their areas, for editing the organisation."""

    trust_id: uuid.UUID | None
    trust_name: str | None
    csus: tuple[CsuNode, ...]

    @property
    def walks(self) -> int:
        return sum(c.walks for c in self.csus)

    @property
    def observations(self) -> int:
        return sum(c.observations for c in self.csus)


def organisation_tree(db: Database, include_archived: bool = False) -> OrganisationTree:
    """Trust → CSU → area with ids, archive state and counts; CSUs with no areas are included.

    Archived CSUs and areas (and every area of an archived CSU) appear only when asked for.
    Counts include walks in archived areas, so nothing recorded ever looks lost.
    """
    with db.session() as session:
        trust = session.scalar(
            select(Trust).where(Trust.archived_at.is_(None)).order_by(Trust.created_at)
        )
        if trust is None:
            return OrganisationTree(None, None, ())
        walk_counts, obs_counts = _counts_by_area(session)
        csu_query = select(Csu).where(Csu.trust_id == trust.id).order_by(Csu.name)
        area_query = select(Area).join(Csu).where(Csu.trust_id == trust.id).order_by(Area.name)
        if not include_archived:
            csu_query = csu_query.where(Csu.archived_at.is_(None))
            area_query = area_query.where(Area.archived_at.is_(None))
        areas: dict[uuid.UUID, list[AreaNode]] = {}
        for area in session.scalars(area_query):
            areas.setdefault(area.csu_id, []).append(
                AreaNode(
                    area.id,
                    area.name,
                    area.kind,
                    area.operating_days_per_year,
                    area.archived_at is not None,
                    walk_counts.get(area.id, 0),
                    obs_counts.get(area.id, 0),
                )
            )
        csus = [
            CsuNode(
                csu.id,
                csu.name,
                csu.archived_at is not None,
                tuple(sorted(areas.get(csu.id, ()), key=lambda a: natural_key(a.name))),
            )
            for csu in session.scalars(csu_query)
        ]
        csus.sort(key=lambda c: natural_key(c.name))
        return OrganisationTree(trust.id, trust.name, tuple(csus))


def _counts_by_area(session: Session) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, int]]:
    """Walks and live observations per area, in two aggregate queries (cheap at trust scale)."""
    walks = {
        area_id: n
        for area_id, n in session.execute(select(Walk.area_id, func.count()).group_by(Walk.area_id))
    }
    observations = {
        area_id: n
        for area_id, n in session.execute(
            select(Walk.area_id, func.count())
            .select_from(Observation)
            .join(Walk, Observation.walk_id == Walk.id)
            .where(Observation.deleted_at.is_(None))
            .group_by(Walk.area_id)
        )
    }
    return walks, observations


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "Ward 7" before "Ward 12", ignoring case, as a person would."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", name.casefold())
        if part
    )
