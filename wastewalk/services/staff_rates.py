"""Staff rates (cost per hour by staff group, with basis, source and year) and costing settings.

Rates ship with stated sources and are editable. Editing a rate changes no estimate already
priced: estimates keep the rate they were priced with until someone re-prices them on purpose.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.costing import DEFAULT_HOURS_PER_WTE_YEAR, MAX_POUNDS, pounds
from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.observation_rules import MAX_SHORT_TEXT, MAX_TEXT_LENGTH, check_text
from wastewalk.models import AppSetting, StaffRate, utcnow
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

HOURS_PER_WTE_KEY = "hours_per_wte_year"
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class StaffRateInfo:
    id: uuid.UUID
    code: str
    staff_group: str
    band: str
    cost_per_hour_pence: int
    basis: str
    source: str
    year: str
    is_default: bool
    archived: bool

    @property
    def label(self) -> str:
        """'Nurse, band 5 (£57.00/h, 2025)'."""
        return f"{self.staff_group} (£{pounds(self.cost_per_hour_pence):,.2f}/h, {self.year})"


@dataclass(frozen=True)
class StaffRateInput:
    code: str
    staff_group: str
    cost_per_hour_pence: int
    band: str = ""
    basis: str = ""
    source: str = ""
    year: str = ""


def rate_info(rate: StaffRate) -> StaffRateInfo:
    return StaffRateInfo(
        id=rate.id,
        code=rate.code,
        staff_group=rate.staff_group,
        band=rate.band,
        cost_per_hour_pence=rate.cost_per_hour_pence,
        basis=rate.basis,
        source=rate.source,
        year=rate.year,
        is_default=rate.is_default,
        archived=rate.archived_at is not None,
    )


def list_staff_rates(db: Database, include_archived: bool = False) -> list[StaffRateInfo]:
    """Rates in their shipped order, then the trust's own."""
    with db.session() as session:
        query = select(StaffRate).order_by(StaffRate.sort_order, StaffRate.staff_group)
        if not include_archived:
            query = query.where(StaffRate.archived_at.is_(None))
        return [rate_info(r) for r in session.scalars(query)]


def find_staff_rate(session: Session, code: str) -> StaffRate | None:
    """The rate with this code (case ignored)."""
    return session.scalar(select(StaffRate).where(func.lower(StaffRate.code) == code.lower()))


def _problems(data: StaffRateInput, *, new: bool) -> list[str]:
    problems = []
    if new and not _CODE.match(data.code):
        problems.append(
            "A rate code is lower-case letters, digits and hyphens (for example "
            f"'nurse-band-5-bank'), not '{data.code}'"
        )
    for problem in (
        check_text(data.staff_group, "Staff group", required=True, limit=MAX_SHORT_TEXT),
        check_text(data.band, "Band", required=False, limit=20),
        check_text(data.basis, "Basis", required=False, limit=MAX_TEXT_LENGTH),
        check_text(data.source, "Source", required=True, limit=MAX_TEXT_LENGTH),
        check_text(data.year, "Year", required=True, limit=20),
    ):
        if problem:
            problems.append(problem)
    if isinstance(data.cost_per_hour_pence, bool) or not isinstance(data.cost_per_hour_pence, int):
        problems.append("Cost per hour must be an amount in pounds")
    elif data.cost_per_hour_pence <= 0:
        problems.append("Cost per hour must be more than £0")
    elif pounds(data.cost_per_hour_pence) > Decimal(10_000):
        problems.append("Cost per hour of more than £10,000 is not a staff rate; check it")
    return problems


def add_staff_rate(db: Database, data: StaffRateInput) -> StaffRateInfo:
    """Add a trust's own rate (a source and year are required, so every figure is traceable)."""
    problems = _problems(data, new=True)
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        if find_staff_rate(session, data.code) is not None:
            raise InputError(f"There is already a staff rate with code '{data.code}'")
        last = session.scalar(select(func.max(StaffRate.sort_order))) or 0
        rate = StaffRate(
            code=data.code,
            staff_group=data.staff_group.strip(),
            band=data.band.strip(),
            cost_per_hour_pence=data.cost_per_hour_pence,
            basis=data.basis.strip(),
            source=data.source.strip(),
            year=data.year.strip(),
            sort_order=last + 1,
            device_id=db.device_id,
        )
        session.add(rate)
        session.flush()
        return rate_info(rate)


def edit_staff_rate(db: Database, rate_id: uuid.UUID, data: StaffRateInput) -> StaffRateInfo:
    """Change a rate (its code stays). Estimates already priced keep the old figure."""
    problems = _problems(data, new=False)
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        rate = get_or_fail(session, StaffRate, rate_id, "staff rate")
        rate.staff_group = data.staff_group.strip()
        rate.band = data.band.strip()
        rate.cost_per_hour_pence = data.cost_per_hour_pence
        rate.basis = data.basis.strip()
        rate.source = data.source.strip()
        rate.year = data.year.strip()
        session.flush()
        logger.info("staff rate %s edited", rate.code)
        return rate_info(rate)


def set_staff_rate_archived(db: Database, rate_id: uuid.UUID, archived: bool) -> StaffRateInfo:
    """Archive a rate (not offered for new estimates) or bring it back."""
    with db.session() as session:
        rate = get_or_fail(session, StaffRate, rate_id, "staff rate")
        rate.archived_at = utcnow() if archived else None
        session.flush()
        return rate_info(rate)


def parse_hourly_cost(text: str) -> int:
    """'£57', '57.00' as pence; a plain-word InputError otherwise."""
    cleaned = text.strip().replace(",", "").removeprefix("£").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(f"'{text.strip()}' is not an amount in pounds") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise InputError(f"'{text.strip()}' is not an amount in pounds and pence")
    if value > MAX_POUNDS:
        raise InputError(f"'{text.strip()}' is too large")
    return int(value * 100)


# --- settings ---------------------------------------------------------------------------------


def hours_per_wte_year(db: Database) -> Decimal:
    """Working hours in one whole-time-equivalent year (default 37.5 x 52 = 1950)."""
    with db.session() as session:
        return _hours_per_wte(session)


def _hours_per_wte(session: Session) -> Decimal:
    value = session.scalar(select(AppSetting.value).where(AppSetting.key == HOURS_PER_WTE_KEY))
    return Decimal(value) if value else DEFAULT_HOURS_PER_WTE_YEAR


def hours_per_wte_in(session: Session) -> Decimal:
    """The setting, read inside a session the caller already holds."""
    return _hours_per_wte(session)


def set_hours_per_wte_year(db: Database, hours: Decimal) -> Decimal:
    """Change the WTE year for new estimates (estimates already made keep theirs)."""
    if not hours.is_finite() or not Decimal(1000) <= hours <= Decimal(3000):
        raise InputError("Hours per WTE year must be from 1,000 to 3,000 (37.5 x 52 = 1,950)")
    if hours != hours.quantize(Decimal("0.01")):
        raise InputError("Hours per WTE year can have at most two decimal places")
    with db.session() as session:
        setting = session.scalar(select(AppSetting).where(AppSetting.key == HOURS_PER_WTE_KEY))
        if setting is None:
            session.add(AppSetting(key=HOURS_PER_WTE_KEY, value=str(hours), device_id=db.device_id))
        else:
            setting.value = str(hours)
    return hours


def get_staff_rate(db: Database, rate_id: uuid.UUID) -> StaffRateInfo:
    """One rate."""
    with db.session() as session:
        rate = session.get(StaffRate, rate_id)
        if rate is None:
            raise NotFoundError("That staff rate does not exist")
        return rate_info(rate)
