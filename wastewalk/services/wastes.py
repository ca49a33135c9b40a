"""Waste categories: list, add a team's own, relabel, reorder, archive (never delete)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.observation_rules import check_text
from wastewalk.domain.wastes import is_valid_code
from wastewalk.models import WasteCategory, utcnow
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WasteCategoryInfo:
    id: uuid.UUID
    code: str
    label: str
    key: str | None
    hint: str
    sort_order: int
    is_default: bool
    archived: bool


def _info(c: WasteCategory) -> WasteCategoryInfo:
    return WasteCategoryInfo(
        c.id, c.code, c.label, c.key, c.hint, c.sort_order, c.is_default, c.archived_at is not None
    )


def list_categories(db: Database, include_archived: bool = False) -> list[WasteCategoryInfo]:
    """Categories in display order; archived ones only when asked (old observations keep theirs)."""
    with db.session() as session:
        query = select(WasteCategory).order_by(WasteCategory.sort_order, WasteCategory.code)
        if not include_archived:
            query = query.where(WasteCategory.archived_at.is_(None))
        return [_info(c) for c in session.scalars(query)]


def _check_label_hint(label: str, hint: str) -> list[str]:
    return [
        p
        for p in (
            check_text(label, "Label", required=True, limit=100),
            check_text(hint, "Hint", required=False, limit=500),
        )
        if p
    ]


def add_category(
    db: Database, code: str, label: str, hint: str = "", key: str | None = None
) -> WasteCategoryInfo:
    """Add a team's own category. Its code is permanent; its key (if any) must be free."""
    problems = _check_label_hint(label, hint)
    if not is_valid_code(code):
        problems.append(
            f"code '{code}' must be 2–40 lower-case letters, digits, '-' or '_', "
            "starting with a letter"
        )
    key, key_problem = _check_key(key)
    if key_problem:
        problems.append(key_problem)
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        if session.scalar(select(WasteCategory).where(WasteCategory.code == code)):
            raise InputError(f"A category with code '{code}' already exists (perhaps archived)")
        _refuse_taken_key(session, key, None)
        last = session.scalar(select(func.max(WasteCategory.sort_order))) or 0
        category = WasteCategory(
            code=code,
            label=label.strip(),
            hint=hint.strip(),
            key=key,
            sort_order=last + 1,
            is_default=False,
            device_id=db.device_id,
        )
        session.add(category)
        session.flush()
        return _info(category)


def relabel_category(
    db: Database, category_id: uuid.UUID, label: str, hint: str | None = None
) -> WasteCategoryInfo:
    """Change a category's label (and hint); the code never changes."""
    with db.session() as session:
        category = get_or_fail(session, WasteCategory, category_id, "waste category")
        new_hint = category.hint if hint is None else hint
        problems = _check_label_hint(label, new_hint)
        if problems:
            raise InputError("; ".join(problems))
        category.label, category.hint = label.strip(), new_hint.strip()
        session.flush()
        return _info(category)


def set_category_archived(
    db: Database, category_id: uuid.UUID, archived: bool
) -> WasteCategoryInfo:
    """Archive a category (hidden from new entries; old observations keep it) or restore it."""
    with db.session() as session:
        category = get_or_fail(session, WasteCategory, category_id, "waste category")
        if not archived and category.key is not None:
            clash = session.scalar(
                select(WasteCategory).where(
                    func.lower(WasteCategory.key) == category.key.lower(),
                    WasteCategory.archived_at.is_(None),
                    WasteCategory.id != category.id,
                )
            )
            if clash:
                category.key = None  # keep it usable; its old key now belongs to another
        category.archived_at = utcnow() if archived else None
        session.flush()
        return _info(category)


def category_codes(db: Database) -> dict[str, uuid.UUID]:
    """Code → id for every category, archived included (old files may name archived ones)."""
    with db.session() as session:
        return {
            code: cid for code, cid in session.execute(select(WasteCategory.code, WasteCategory.id))
        }


def _check_key(key: str | None) -> tuple[str | None, str | None]:
    """The key as stored (None for no key) and a problem message, if any."""
    if key is None or not key.strip():
        return None, None
    key = key.strip()
    if len(key) != 1 or not (key.isascii() and key.isalnum()):
        return None, "key must be a single letter or digit"
    return key, None


def _refuse_taken_key(session: Session, key: str | None, category_id: uuid.UUID | None) -> None:
    # Keys choose a waste with one key press, so two live categories may never share one, in
    # either case. Archived categories give theirs up when restored (set_category_archived).
    if key is None:
        return
    clash = session.scalar(
        select(WasteCategory).where(
            func.lower(WasteCategory.key) == key.lower(),
            WasteCategory.archived_at.is_(None),
            WasteCategory.id != category_id if category_id else true(),
        )
    )
    if clash is not None:
        raise InputError(f"Key {key} is already used by {clash.label}")


def set_category_key(db: Database, category_id: uuid.UUID, key: str | None) -> WasteCategoryInfo:
    """Give a category the key that picks it on the capture screen, or none (None or blank)."""
    new_key, problem = _check_key(key)
    if problem:
        raise InputError(problem)
    with db.session() as session:
        category = get_or_fail(session, WasteCategory, category_id, "waste category")
        _refuse_taken_key(session, new_key, category.id)
        if category.key != new_key:
            category.key = new_key
            session.flush()
        return _info(category)


def edit_category(
    db: Database, category_id: uuid.UUID, *, label: str, hint: str, key: str | None
) -> WasteCategoryInfo:
    """Change a category's label, hint and key together: all of them or, on any problem, none.

    The code never changes.
    """
    new_key, key_problem = _check_key(key)
    problems = _check_label_hint(label, hint)
    if key_problem:
        problems.append(key_problem)
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        category = get_or_fail(session, WasteCategory, category_id, "waste category")
        _refuse_taken_key(session, new_key, category.id)
        new_values = (label.strip(), hint.strip(), new_key)
        if (category.label, category.hint, category.key) != new_values:
            category.label, category.hint, category.key = new_values
            session.flush()
        return _info(category)


def move_category(db: Database, category_id: uuid.UUID, new_index: int) -> list[WasteCategoryInfo]:
    """Put a category at `new_index` in the display order; returns every category in the new order.

    The order counts archived categories too (they keep their place for when they come back).
    An index beyond either end is taken as that end, so moving the first category up changes
    nothing. Codes never change; only `sort_order` is rewritten, and only where it differs.
    """
    with db.session() as session:
        ordered = list(
            session.scalars(
                select(WasteCategory).order_by(WasteCategory.sort_order, WasteCategory.code)
            )
        )
        old_index = next((i for i, c in enumerate(ordered) if c.id == category_id), None)
        if old_index is None:
            raise NotFoundError(f"No waste category with id {category_id}")
        new_index = max(0, min(new_index, len(ordered) - 1))
        if new_index == old_index:
            return [_info(c) for c in ordered]  # nothing moves, nothing is written
        ordered.insert(new_index, ordered.pop(old_index))
        # Renumber 1..n: ties or gaps (a team's categories added on two laptops) settle here.
        for position, category in enumerate(ordered, start=1):
            if category.sort_order != position:
                category.sort_order = position
        session.flush()
        return [_info(c) for c in ordered]
