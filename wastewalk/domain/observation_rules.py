"""What a valid observation, walk and area look like, checked before anything is stored."""

from __future__ import annotations

import logging
from enum import StrEnum

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 10_000  # a long paragraph; guards against pasted documents and hostile files
MAX_SHORT_TEXT = 200  # names, locations, focus
SCALE_MIN, SCALE_MAX = 1, 5


class ScorecardDomain(StrEnum):
    """The trust's balanced-scorecard domains."""

    QUALITY = "quality"
    DELIVERY = "delivery"
    SERVICE = "service"
    MORALE = "morale"
    COST = "cost"


class AreaKind(StrEnum):
    """What sort of place an area is."""

    WARD = "ward"
    DEPARTMENT = "department"
    CLINIC = "clinic"


class WalkStatus(StrEnum):
    """Where a walk is in its life."""

    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class ParticipantRole(StrEnum):
    """The roles people take on a walk."""

    STAFF = "staff"
    QUALITY_PARTNER = "quality_partner"
    IMPROVEMENT_SPECIALIST = "improvement_specialist"
    MANAGER = "manager"


def check_scale(value: int | None, what: str) -> str | None:
    """Return a plain problem message if `value` is not a whole number from 1 to 5, else None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{what} must be a whole number from 1 to 5"
    if not SCALE_MIN <= value <= SCALE_MAX:
        return f"{what} must be from 1 to 5, not {value}"
    return None


def check_text(value: str | None, what: str, *, required: bool, limit: int) -> str | None:
    """Return a plain problem message if the text is missing (when required) or too long."""
    if value is None or not value.strip():
        return f"{what} is required" if required else None
    if len(value) > limit:
        return f"{what} is too long ({len(value):,} characters; the limit is {limit:,})"
    if "\x00" in value:
        return f"{what} contains a NUL character"
    return None


def check_operating_days(days: int) -> str | None:
    """An area operates between 1 and 366 days a year."""
    if isinstance(days, bool) or not isinstance(days, int):
        return "operating days per year must be a whole number"
    if not 1 <= days <= 366:
        return f"operating days per year must be from 1 to 366, not {days}"
    return None
