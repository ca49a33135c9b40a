"""A trust-wide summary: each CSU's areas with their walk and observation counts."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from wastewalk.models import Area, Csu, Observation, Trust, Walk
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AreaSummary:
    name: str
    kind: str
    operating_days_per_year: int
    walks: int
    observations: int


@dataclass(frozen=True)
class CsuSummary:
    name: str
    areas: tuple[AreaSummary, ...]

    @property
    def walks(self) -> int:
        return sum(a.walks for a in self.areas)

    @property
    def observations(self) -> int:
        return sum(a.observations for a in self.areas)


@dataclass(frozen=True)
class Overview:
    trust_name: str | None
    csus: tuple[CsuSummary, ...]

    @property
    def walks(self) -> int:
        return sum(c.walks for c in self.csus)

    @property
    def observations(self) -> int:
        return sum(c.observations for c in self.csus)


def trust_overview(db: Database) -> Overview:
    """Counts per area, grouped by CSU, in two aggregate queries (cheap at trust scale)."""
    with db.session() as session:
        trust_name = session.scalar(
            select(Trust.name).where(Trust.archived_at.is_(None)).order_by(Trust.created_at)
        )
        walk_counts: dict[uuid.UUID, int] = {
            area_id: n
            for area_id, n in session.execute(
                select(Walk.area_id, func.count()).group_by(Walk.area_id)
            )
        }
        obs_counts: dict[uuid.UUID, int] = {
            area_id: n
            for area_id, n in session.execute(
                select(Walk.area_id, func.count())
                .select_from(Observation)
                .join(Walk, Observation.walk_id == Walk.id)
                .where(Observation.deleted_at.is_(None))
                .group_by(Walk.area_id)
            )
        }
        rows = session.execute(
            select(Csu.name, Area)
            .join(Area, Area.csu_id == Csu.id)
            .where(Csu.archived_at.is_(None), Area.archived_at.is_(None))
            .order_by(Csu.name, Area.name)
        )
        grouped: dict[str, list[AreaSummary]] = {}
        for csu_name, area in rows:
            grouped.setdefault(csu_name, []).append(
                AreaSummary(
                    area.name,
                    area.kind,
                    area.operating_days_per_year,
                    walk_counts.get(area.id, 0),
                    obs_counts.get(area.id, 0),
                )
            )
    return Overview(
        trust_name, tuple(CsuSummary(name, tuple(areas)) for name, areas in grouped.items())
    )
