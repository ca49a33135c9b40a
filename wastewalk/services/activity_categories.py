"""Activity categories for follows: list, add a team's own, edit, archive (never delete).

The ten Productive Ward defaults ship with the database (migration 0002); teams may relabel
them, change their keys and flags, or archive them. Codes never change, so old follows keep
their meaning. A key picks a category with one press on the follow screen, so two live
categories may never share one; the letters the follow screen uses for itself are refused.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError
from wastewalk.domain.observation_rules import check_text
from wastewalk.models import ActivityCategory, utcnow
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

MAX_LABEL = 100
# I (interruption), L (location) and T (tag as waste) are the follow screen's own keys.
RESERVED_KEYS = frozenset("ILT")


@dataclass(frozen=True)
class ActivityCategoryInfo:
    id: uuid.UUID
    code: str
    label: str
    key: str | None
    sort_order: int
    is_direct_care: bool
    is_transit: bool
    is_default: bool
    archived: bool


def category_info(c: ActivityCategory) -> ActivityCategoryInfo:
    """Plain copy of a category row."""
    return ActivityCategoryInfo(
        id=c.id,
        code=c.code,
        label=c.label,
        key=c.key,
        sort_order=c.sort_order,
        is_direct_care=c.is_direct_care,
        is_transit=c.is_transit,
        is_default=c.is_default,
        archived=c.archived_at is not None,
    )


def list_activity_categories(
    db: Database, include_archived: bool = False
) -> list[ActivityCategoryInfo]:
    """Categories in display order; archived ones only when asked (old follows keep theirs)."""
    with db.session() as session:
        query = select(ActivityCategory).order_by(
            ActivityCategory.sort_order, ActivityCategory.code
        )
        if not include_archived:
            query = query.where(ActivityCategory.archived_at.is_(None))
        return [category_info(c) for c in session.scalars(query)]


def _check_key(key: str | None) -> tuple[str | None, str | None]:
    """The key as stored (upper case, None for none) and a problem message, if any."""
    if key is None or not key.strip():
        return None, None
    key = key.strip().upper()
    if len(key) != 1 or not (key.isascii() and key.isalnum()):
        return None, "The key must be a single digit or letter"
    if key in RESERVED_KEYS:
        return None, (
            f"The key {key} is kept for the follow screen (I interruption, L location, "
            "T tag as waste); choose another"
        )
    return key, None


def _check(label: str, key: str | None, direct: bool, transit: bool) -> tuple[str | None, str]:
    problems = []
    problem = check_text(label, "Category label", required=True, limit=MAX_LABEL)
    if problem:
        problems.append(problem)
    clean_key, key_problem = _check_key(key)
    if key_problem:
        problems.append(key_problem)
    if direct and transit:
        problems.append("A category cannot be both direct care and time in transit")
    if problems:
        raise InputError("; ".join(problems))
    return clean_key, " ".join(label.split())


def _refuse_clashes(
    session: Session, label: str, key: str | None, category_id: uuid.UUID | None
) -> None:
    live = select(ActivityCategory).where(ActivityCategory.archived_at.is_(None))
    if category_id is not None:
        live = live.where(ActivityCategory.id != category_id)
    if key is not None:
        clash = session.scalar(live.where(func.upper(ActivityCategory.key) == key))
        if clash is not None:
            raise InputError(f"The key {key} is already used by '{clash.label}'")
    same = session.scalar(live.where(func.lower(ActivityCategory.label) == label.lower()))
    if same is not None:
        raise InputError(f"There is already a category called '{same.label}'")


def _new_code(session: Session, label: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30] or "activity"
    if not base[0].isalpha():
        base = f"a_{base}"
    taken = set(session.scalars(select(ActivityCategory.code)))
    code, number = base, 2
    while code in taken:
        code = f"{base}_{number}"
        number += 1
    return code


def add_activity_category(
    db: Database,
    label: str,
    key: str | None = None,
    is_direct_care: bool = False,
    is_transit: bool = False,
) -> ActivityCategoryInfo:
    """Add a team's own category at the end of the list; its key (if any) must be free."""
    clean_key, clean_label = _check(label, key, is_direct_care, is_transit)
    with db.session() as session:
        _refuse_clashes(session, clean_label, clean_key, None)
        last = session.scalar(select(func.max(ActivityCategory.sort_order))) or 0
        category = ActivityCategory(
            code=_new_code(session, clean_label),
            label=clean_label,
            key=clean_key,
            sort_order=last + 1,
            is_direct_care=is_direct_care,
            is_transit=is_transit,
            is_default=False,
            device_id=db.device_id,
        )
        session.add(category)
        session.flush()
        logger.info("activity category %s added", category.code)
        return category_info(category)


def edit_activity_category(
    db: Database,
    category_id: uuid.UUID,
    *,
    label: str,
    key: str | None,
    is_direct_care: bool,
    is_transit: bool,
) -> ActivityCategoryInfo:
    """Change a category's label, key and flags together: all of them or, on a problem, none.

    The code never changes. Changing the flags changes the summaries of past follows too (they
    are worked out when read), which is what a team relabelling its categories means.
    """
    clean_key, clean_label = _check(label, key, is_direct_care, is_transit)
    with db.session() as session:
        category = get_or_fail(session, ActivityCategory, category_id, "activity category")
        if category.archived_at is None:
            _refuse_clashes(session, clean_label, clean_key, category.id)
        new = (clean_label, clean_key, is_direct_care, is_transit)
        old = (category.label, category.key, category.is_direct_care, category.is_transit)
        if new != old:
            category.label, category.key, category.is_direct_care, category.is_transit = new
            session.flush()
        return category_info(category)


def set_activity_category_archived(
    db: Database, category_id: uuid.UUID, archived: bool
) -> ActivityCategoryInfo:
    """Archive a category (no new segments; old follows keep it) or bring it back.

    A category brought back whose key another live category now has comes back without a key;
    one whose label another live category now has is refused.
    """
    with db.session() as session:
        category = get_or_fail(session, ActivityCategory, category_id, "activity category")
        if not archived and category.archived_at is not None:
            live = select(ActivityCategory).where(
                ActivityCategory.archived_at.is_(None), ActivityCategory.id != category.id
            )
            if session.scalar(
                live.where(func.lower(ActivityCategory.label) == category.label.lower())
            ):
                raise InputError(
                    f"There is already a category called '{category.label}'; rename one first"
                )
            if category.key is not None and session.scalar(
                live.where(func.upper(ActivityCategory.key) == category.key.upper())
            ):
                category.key = None
        category.archived_at = (category.archived_at or utcnow()) if archived else None
        session.flush()
        return category_info(category)
