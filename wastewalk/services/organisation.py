"""Trust, CSU and area: create, rename, archive (never delete), and read the tree."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.observation_rules import (
    MAX_SHORT_TEXT,
    AreaKind,
    check_operating_days,
    check_text,
)
from wastewalk.models import Area, Csu, Trust, utcnow
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

DEFAULT_TRUST_NAME = "NHS Trust"
_T = TypeVar("_T")


@dataclass(frozen=True)
class TrustInfo:
    id: uuid.UUID
    name: str
    archived: bool


@dataclass(frozen=True)
class CsuInfo:
    id: uuid.UUID
    trust_id: uuid.UUID
    name: str
    archived: bool


@dataclass(frozen=True)
class AreaInfo:
    id: uuid.UUID
    csu_id: uuid.UUID
    csu_name: str
    name: str
    kind: str
    operating_days_per_year: int
    archived: bool


def _trust_info(t: Trust) -> TrustInfo:
    return TrustInfo(t.id, t.name, t.archived_at is not None)


def _csu_info(c: Csu) -> CsuInfo:
    return CsuInfo(c.id, c.trust_id, c.name, c.archived_at is not None)


def area_info(a: Area, csu_name: str) -> AreaInfo:
    """Plain copy of an area row."""
    return AreaInfo(
        a.id,
        a.csu_id,
        csu_name,
        a.name,
        a.kind,
        a.operating_days_per_year,
        a.archived_at is not None,
    )


def _clean_name(name: str, what: str) -> str:
    problem = check_text(name, what, required=True, limit=MAX_SHORT_TEXT)
    if problem:
        raise InputError(problem)
    return " ".join(name.split())


def get_or_fail(session: Session, model: type[_T], record_id: uuid.UUID, what: str) -> _T:
    found = session.get(model, record_id)
    if found is None:
        raise NotFoundError(f"No {what} with id {record_id}")
    return found


def create_trust(db: Database, name: str) -> TrustInfo:
    """Add a trust."""
    name = _clean_name(name, "Trust name")
    with db.session() as session:
        if session.scalar(select(Trust).where(Trust.name == name)):
            raise InputError(f"A trust called '{name}' already exists")
        trust = Trust(name=name, device_id=db.device_id)
        session.add(trust)
        session.flush()
        return _trust_info(trust)


def default_trust(session: Session, device_id: str) -> Trust:
    """The trust this database is for: the first one not archived, made if there is none."""
    trust = session.scalar(
        select(Trust).where(Trust.archived_at.is_(None)).order_by(Trust.created_at)
    )
    if trust is None:
        if session.scalar(select(func.count()).select_from(Trust)):
            raise InputError("Every trust in this database is archived; bring one back first")
        trust = Trust(name=DEFAULT_TRUST_NAME, device_id=device_id)
        session.add(trust)
        session.flush()
    return trust


def list_trusts(db: Database) -> list[TrustInfo]:
    """Every trust, archived ones included."""
    with db.session() as session:
        return [_trust_info(t) for t in session.scalars(select(Trust).order_by(Trust.name))]


def rename_trust(db: Database, trust_id: uuid.UUID, name: str) -> TrustInfo:
    """Give a trust a new name."""
    name = _clean_name(name, "Trust name")
    with db.session() as session:
        trust = get_or_fail(session, Trust, trust_id, "trust")
        if session.scalar(select(Trust).where(Trust.name == name, Trust.id != trust.id)):
            raise InputError(f"A trust called '{name}' already exists")
        trust.name = name
        session.flush()
        return _trust_info(trust)


def set_trust_archived(db: Database, trust_id: uuid.UUID, archived: bool) -> TrustInfo:
    """Archive a trust (hidden from new entries, history kept) or bring it back."""
    with db.session() as session:
        trust = get_or_fail(session, Trust, trust_id, "trust")
        trust.archived_at = utcnow() if archived else None
        session.flush()
        return _trust_info(trust)


def create_csu(db: Database, name: str, trust_id: uuid.UUID | None = None) -> CsuInfo:
    """Add a CSU to a trust (the database's own trust when none is named)."""
    name = _clean_name(name, "CSU name")
    with db.session() as session:
        trust = (
            get_or_fail(session, Trust, trust_id, "trust")
            if trust_id
            else default_trust(session, db.device_id)
        )
        clash = session.scalar(
            select(Csu).where(Csu.trust_id == trust.id, func.lower(Csu.name) == name.lower())
        )
        if clash:
            raise InputError(f"A CSU called '{name}' already exists")
        csu = Csu(trust_id=trust.id, name=name, device_id=db.device_id)
        session.add(csu)
        session.flush()
        return _csu_info(csu)


def rename_csu(db: Database, csu_id: uuid.UUID, name: str) -> CsuInfo:
    """Give a CSU a new name (unique within its trust)."""
    name = _clean_name(name, "CSU name")
    with db.session() as session:
        csu = get_or_fail(session, Csu, csu_id, "CSU")
        clash = session.scalar(
            select(Csu).where(
                Csu.trust_id == csu.trust_id,
                func.lower(Csu.name) == name.lower(),
                Csu.id != csu.id,
            )
        )
        if clash:
            raise InputError(f"A CSU called '{name}' already exists")
        csu.name = name
        session.flush()
        return _csu_info(csu)


def set_csu_archived(db: Database, csu_id: uuid.UUID, archived: bool) -> CsuInfo:
    """Archive a CSU (hidden from new entries, history kept) or bring it back."""
    with db.session() as session:
        csu = get_or_fail(session, Csu, csu_id, "CSU")
        csu.archived_at = utcnow() if archived else None
        session.flush()
        return _csu_info(csu)


def list_csus(db: Database, include_archived: bool = False) -> list[CsuInfo]:
    """CSUs by name."""
    with db.session() as session:
        query = select(Csu).order_by(Csu.name)
        if not include_archived:
            query = query.where(Csu.archived_at.is_(None))
        return [_csu_info(c) for c in session.scalars(query)]


def create_area(
    db: Database,
    csu_id: uuid.UUID,
    name: str,
    *,
    kind: str = AreaKind.WARD,
    operating_days_per_year: int = 365,
) -> AreaInfo:
    """Add a ward, department or clinic to a CSU."""
    name = _clean_name(name, "Area name")
    _check_area_values(kind, operating_days_per_year)
    with db.session() as session:
        csu = get_or_fail(session, Csu, csu_id, "CSU")
        clash = session.scalar(
            select(Area).where(Area.csu_id == csu_id, func.lower(Area.name) == name.lower())
        )
        if clash:
            raise InputError(f"An area called '{name}' already exists in {csu.name}")
        area = Area(
            csu_id=csu_id,
            name=name,
            kind=str(kind),
            operating_days_per_year=operating_days_per_year,
            device_id=db.device_id,
        )
        session.add(area)
        session.flush()
        return area_info(area, csu.name)


def _check_area_values(kind: str, operating_days_per_year: int) -> None:
    problems = []
    if kind not in set(AreaKind):
        problems.append(f"area kind must be ward, department or clinic, not '{kind}'")
    days_problem = check_operating_days(operating_days_per_year)
    if days_problem:
        problems.append(days_problem)
    if problems:
        raise InputError("; ".join(problems))


def update_area(
    db: Database,
    area_id: uuid.UUID,
    *,
    name: str | None = None,
    kind: str | None = None,
    operating_days_per_year: int | None = None,
) -> AreaInfo:
    """Rename an area or change its kind or operating days."""
    with db.session() as session:
        area = get_or_fail(session, Area, area_id, "area")
        new_name = _clean_name(name, "Area name") if name is not None else area.name
        new_kind = kind if kind is not None else area.kind
        new_days = (
            operating_days_per_year
            if operating_days_per_year is not None
            else area.operating_days_per_year
        )
        _check_area_values(new_kind, new_days)
        clash = session.scalar(
            select(Area).where(
                Area.csu_id == area.csu_id,
                func.lower(Area.name) == new_name.lower(),
                Area.id != area.id,
            )
        )
        if clash:
            raise InputError(f"An area called '{new_name}' already exists in this CSU")
        area.name, area.kind, area.operating_days_per_year = new_name, new_kind, new_days
        session.flush()
        return area_info(area, area.csu.name)


def set_area_archived(db: Database, area_id: uuid.UUID, archived: bool) -> AreaInfo:
    """Archive an area (hidden from new walks, history kept) or bring it back."""
    with db.session() as session:
        area = get_or_fail(session, Area, area_id, "area")
        area.archived_at = utcnow() if archived else None
        session.flush()
        return area_info(area, area.csu.name)


def list_areas(db: Database, include_archived: bool = False) -> list[AreaInfo]:
    """Areas with their CSU names, ordered by CSU then area."""
    with db.session() as session:
        query = select(Area, Csu.name).join(Csu).order_by(Csu.name, Area.name)
        if not include_archived:
            query = query.where(Area.archived_at.is_(None), Csu.archived_at.is_(None))
        return [area_info(area, csu_name) for area, csu_name in session.execute(query)]


def find_area(session: Session, csu_name: str, area_name: str) -> Area | None:
    """An area by its CSU and area names (whitespace-normalised, case-insensitive)."""
    csu_key = " ".join(csu_name.split()).casefold()
    area_key = " ".join(area_name.split()).casefold()
    for area, name in session.execute(select(Area, Csu.name).join(Csu)):
        if name.casefold() == csu_key and area.name.casefold() == area_key:
            return area
    return None


def current_trust(db: Database) -> TrustInfo | None:
    """The trust this database is for (the first not archived), or None before one is made.

    Reads only: unlike `default_trust` it never creates one.
    """
    with db.session() as session:
        trust = session.scalar(
            select(Trust).where(Trust.archived_at.is_(None)).order_by(Trust.created_at)
        )
        return _trust_info(trust) if trust is not None else None


def rename_current_trust(db: Database, name: str) -> TrustInfo:
    """Name the database's own trust, making it first if the database has none yet."""
    name = _clean_name(name, "Trust name")
    with db.session() as session:
        trust = default_trust(session, db.device_id)
        if session.scalar(select(Trust).where(Trust.name == name, Trust.id != trust.id)):
            raise InputError(f"A trust called '{name}' already exists")
        if trust.name != name:
            trust.name = name
            session.flush()
        return _trust_info(trust)
