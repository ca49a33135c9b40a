"""What the Savings section reads besides single records: the roll-up table it shows (CSU
and area, waste or month, with the total), which walk an observation was seen on, and the recent
observations of an area to make an action from."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import and_, func, select

from wastewalk.domain.errors import NotFoundError
from wastewalk.models import (
    Action,
    ActionObservation,
    Estimate,
    Observation,
    Walk,
    WasteCategory,
)
from wastewalk.services.organisation import current_trust, list_areas, list_csus
from wastewalk.services.savings import Figures, RollupBy, RollupRow, SavingsFilter, rollup
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

RECENT_OBSERVATIONS = 200


class SavingsView(StrEnum):
    PLACE = "place"  # trust, then CSUs, then areas
    WASTE = "waste"
    MONTH = "month"


@dataclass(frozen=True)
class SavingsTable:
    """A roll-up as the window shows it: the total on top, then groups (CSUs, wastes or months)
    and, for CSUs, their areas. Every figure comes from SQL; nothing here is added up again."""

    view: SavingsView
    scope_label: str  # the trust's name, or the CSU or area the filter is narrowed to
    total: Figures
    hours_per_wte: Decimal
    groups: tuple[RollupRow, ...]
    areas: tuple[RollupRow, ...]  # by place only
    area_csu: tuple[tuple[str, str], ...]  # (area key, CSU key) for every area
    seconds: float  # how long the reads took

    def areas_of(self, csu_key: str) -> list[RollupRow]:
        """The area rows of one CSU row, in the roll-up's order."""
        mine = {area for area, csu in self.area_csu if csu == csu_key}
        return [row for row in self.areas if row.key in mine]


def _scope_label(db: Database, flt: SavingsFilter) -> str:
    if flt.area_id is not None:
        name = next((a.name for a in list_areas(db, True) if a.id == flt.area_id), "")
        return name or "This area"
    if flt.csu_id is not None:
        name = next((c.name for c in list_csus(db, True) if c.id == flt.csu_id), "")
        return name or "This CSU"
    trust = current_trust(db)
    return trust.name if trust is not None else "Whole trust"


def savings_table(db: Database, view: SavingsView | str, flt: SavingsFilter) -> SavingsTable:
    """The roll-up by CSU and area, by waste or by month, inside a filter."""
    started = time.perf_counter()
    view = SavingsView(view)
    if view == SavingsView.PLACE:
        groups = rollup(db, RollupBy.CSU, flt)
        areas = rollup(db, RollupBy.AREA, flt).rows
        area_csu = tuple((a.id.hex, a.csu_id.hex) for a in list_areas(db, True))
    else:
        groups = rollup(db, RollupBy.WASTE if view == SavingsView.WASTE else RollupBy.MONTH, flt)
        areas, area_csu = (), ()
    table = SavingsTable(
        view=view,
        scope_label=_scope_label(db, flt),
        total=groups.total,
        hours_per_wte=groups.hours_per_wte,
        groups=groups.rows,
        areas=areas,
        area_csu=area_csu,
        seconds=time.perf_counter() - started,
    )
    logger.debug("savings table %s in %.3f s", view, table.seconds)
    return table


@dataclass(frozen=True)
class ObservationChoice:
    """An observation offered when making an action: what was seen, and its priced cost if any."""

    id: uuid.UUID
    walk_id: uuid.UUID
    observed_at: dt.datetime
    category_label: str
    description: str
    estimate_pence: int | None  # the opportunity, when the observation has been priced
    cash_releasing: bool | None
    actions: int  # how many live actions were already made from it


def walk_of_observation(db: Database, observation_id: uuid.UUID) -> uuid.UUID:
    """The walk an observation was seen on (refused when the observation is deleted)."""
    with db.session() as session:
        row = session.execute(
            select(Observation.walk_id, Observation.deleted_at).where(
                Observation.id == observation_id
            )
        ).one_or_none()
    if row is None or row.deleted_at is not None:
        raise NotFoundError("That observation has been deleted, so its walk cannot be opened")
    walk_id: uuid.UUID = row.walk_id
    return walk_id


def recent_observations(
    db: Database, area_id: uuid.UUID, limit: int = RECENT_OBSERVATIONS
) -> list[ObservationChoice]:
    """The newest live observations seen in an area, with their estimate, newest first."""
    live_actions = (
        select(func.count())
        .select_from(ActionObservation)
        .join(Action, Action.id == ActionObservation.action_id)
        .where(ActionObservation.observation_id == Observation.id, Action.deleted_at.is_(None))
        .correlate(Observation)
        .scalar_subquery()
    )
    query = (
        select(
            Observation.id,
            Observation.walk_id,
            Observation.observed_at,
            WasteCategory.label,
            Observation.description,
            Estimate.annual_value_pence,
            Estimate.cash_releasing,
            live_actions,
        )
        .join(Walk, Walk.id == Observation.walk_id)
        .join(WasteCategory, WasteCategory.id == Observation.category_id)
        .outerjoin(
            Estimate,
            and_(
                Estimate.observation_id == Observation.id,
                Estimate.kind == "opportunity",
                Estimate.deleted_at.is_(None),
            ),
        )
        .where(Walk.area_id == area_id, Observation.deleted_at.is_(None))
        .order_by(Observation.observed_at.desc(), Observation.id)
        .limit(limit)
    )
    with db.session() as session:
        return [
            ObservationChoice(
                id=row[0],
                walk_id=row[1],
                observed_at=row[2],
                category_label=row[3],
                description=row[4],
                estimate_pence=row[5],
                cash_releasing=row[6],
                actions=int(row[7]),
            )
            for row in session.execute(query)
        ]
