"""Actions: made from observations, with an owner, a due date, a status and a saving.

The expected saving is an estimate; the validated saving is a second estimate recorded with who
validated it and when, after which the action is locked. Unlocking is deliberate, needs a reason
and is recorded, as is every validation and re-pricing.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.costing import EstimateKind
from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.observation_rules import MAX_SHORT_TEXT, MAX_TEXT_LENGTH, check_text
from wastewalk.domain.uk_time import UK
from wastewalk.models import (
    Action,
    ActionEvent,
    ActionObservation,
    Area,
    Csu,
    Estimate,
    Observation,
    Walk,
    WasteCategory,
    utcnow,
)
from wastewalk.services.estimates import (
    EstimateInfo,
    EstimateInput,
    estimate_info,
    live_estimate,
    refresh_rollup_columns,
    reprice_estimate,
    save_estimate,
)
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


STATUS_WORDS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner: str = ""
    due_date: dt.date | None = None
    status: str = ActionStatus.OPEN
    notes: str = ""


@dataclass(frozen=True)
class ActionEventInfo:
    at: dt.datetime
    who: str
    what: str
    note: str


@dataclass(frozen=True)
class ActionInfo:
    id: uuid.UUID
    area_id: uuid.UUID
    area_name: str
    csu_name: str
    category_code: str | None
    category_label: str | None
    title: str
    owner: str
    due_date: dt.date | None
    status: str
    notes: str
    observation_ids: tuple[uuid.UUID, ...]
    expected: EstimateInfo | None
    validated: EstimateInfo | None
    validated_at: dt.datetime | None
    validated_by: str
    locked: bool
    overdue: bool
    created_at: dt.datetime


def uk_today() -> dt.date:
    """Today's date on a UK ward."""
    return dt.datetime.now(UK).date()


def is_overdue(due: dt.date | None, status: str, today: dt.date) -> bool:
    """Past its due date and neither done nor dropped."""
    return (
        due is not None and due < today and status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
    )


def _problems(data: ActionInput) -> list[str]:
    problems = [
        p
        for p in (
            check_text(data.title, "Title", required=True, limit=MAX_SHORT_TEXT),
            check_text(data.owner, "Owner", required=False, limit=MAX_SHORT_TEXT),
            check_text(data.notes, "Notes", required=False, limit=MAX_TEXT_LENGTH),
        )
        if p
    ]
    if data.status not in set(ActionStatus):
        problems.append(f"Status must be open, in_progress, done or dropped, not '{data.status}'")
    return problems


def _event(
    session: Session, device_id: str, action: Action, what: str, who: str, note: str
) -> None:
    session.add(
        ActionEvent(
            action_id=action.id, at=utcnow(), who=who, what=what, note=note, device_id=device_id
        )
    )


def action_info(session: Session, action: Action, today: dt.date | None = None) -> ActionInfo:
    """A plain copy of an action with its estimates and observations."""
    area = session.get(Area, action.area_id)
    assert area is not None
    csu_name = session.scalar(select(Csu.name).where(Csu.id == area.csu_id)) or ""
    category = session.get(WasteCategory, action.category_id) if action.category_id else None
    observations = tuple(
        session.scalars(
            select(ActionObservation.observation_id)
            .where(ActionObservation.action_id == action.id)
            .order_by(ActionObservation.created_at)
        )
    )
    expected = live_estimate(session, kind=EstimateKind.EXPECTED, action_id=action.id)
    validated = live_estimate(session, kind=EstimateKind.VALIDATED, action_id=action.id)
    return ActionInfo(
        id=action.id,
        area_id=action.area_id,
        area_name=area.name,
        csu_name=csu_name,
        category_code=category.code if category else None,
        category_label=category.label if category else None,
        title=action.title,
        owner=action.owner,
        due_date=action.due_date,
        status=action.status,
        notes=action.notes,
        observation_ids=observations,
        expected=estimate_info(session, expected) if expected else None,
        validated=estimate_info(session, validated) if validated else None,
        validated_at=action.validated_at,
        validated_by=action.validated_by,
        locked=action.locked,
        overdue=is_overdue(action.due_date, action.status, today or uk_today()),
        created_at=action.created_at,
    )


def _live_action(session: Session, action_id: uuid.UUID, *, lock: bool = True) -> Action:
    # Locked for the rest of the unit of work (FOR UPDATE; SQLite has one writer anyway): on a
    # shared PostgreSQL database two people validating one action at once would otherwise both
    # see it unlocked and save two validated savings.
    action = session.get(Action, action_id, with_for_update=lock or None)
    if action is None:
        raise NotFoundError(f"No action with id {action_id}")
    if action.deleted_at is not None:
        raise NotFoundError("That action has been deleted")
    return action


def _refuse_locked(action: Action) -> None:
    if action.locked:
        raise InputError(
            "This action's saving has been validated, so it is locked. Unlock it first (the "
            "unlock and its reason are recorded)."
        )


def _observations_area(
    session: Session, observation_ids: Sequence[uuid.UUID]
) -> tuple[uuid.UUID, uuid.UUID]:
    """The one area the observations were seen in, and the first one's waste category."""
    if not observation_ids:
        raise InputError("An action is made from at least one observation")
    areas = set()
    first_category = None
    for observation_id in observation_ids:
        observation = get_or_fail(session, Observation, observation_id, "observation")
        if observation.deleted_at is not None:
            raise InputError("One of the observations has been deleted")
        walk = session.get(Walk, observation.walk_id)
        assert walk is not None
        areas.add(walk.area_id)
        first_category = first_category or observation.category_id
    if len(areas) > 1:
        raise InputError(
            "These observations were seen in different areas; make one action per area"
        )
    assert first_category is not None
    return areas.pop(), first_category


def create_action(
    db: Database, observation_ids: Sequence[uuid.UUID], data: ActionInput
) -> ActionInfo:
    """Make an action from one or more observations of one area."""
    problems = _problems(data)
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        area_id, category_id = _observations_area(session, list(dict.fromkeys(observation_ids)))
        action = Action(
            area_id=area_id,
            category_id=category_id,
            title=data.title.strip(),
            owner=data.owner.strip(),
            due_date=data.due_date,
            status=str(data.status),
            notes=data.notes,
            device_id=db.device_id,
        )
        session.add(action)
        session.flush()
        for observation_id in dict.fromkeys(observation_ids):
            session.add(
                ActionObservation(
                    action_id=action.id, observation_id=observation_id, device_id=db.device_id
                )
            )
        session.flush()
        return action_info(session, action)


def edit_action(db: Database, action_id: uuid.UUID, data: ActionInput) -> ActionInfo:
    """Change title, owner, due date, status or notes (allowed while locked: they are not money)."""
    problems = _problems(data)
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        action = _live_action(session, action_id)
        if action.status != data.status:
            _event(session, db.device_id, action, "status", "", f"{action.status} → {data.status}")
        action.title = data.title.strip()
        action.owner = data.owner.strip()
        action.due_date = data.due_date
        action.status = str(data.status)
        action.notes = data.notes
        session.flush()
        return action_info(session, action)


def set_action_observations(
    db: Database, action_id: uuid.UUID, observation_ids: Sequence[uuid.UUID]
) -> ActionInfo:
    """Replace the observations an action was made from (all in the action's area)."""
    with db.session() as session:
        action = _live_action(session, action_id)
        area_id, _ = _observations_area(session, observation_ids)
        if area_id != action.area_id:
            raise InputError("Those observations are from another area than the action")
        wanted = list(dict.fromkeys(observation_ids))
        links = list(
            session.scalars(
                select(ActionObservation).where(ActionObservation.action_id == action.id)
            )
        )
        have = {link.observation_id for link in links}
        for link in links:
            if link.observation_id not in wanted:
                session.delete(link)
        for observation_id in wanted:
            if observation_id not in have:
                session.add(
                    ActionObservation(
                        action_id=action.id, observation_id=observation_id, device_id=db.device_id
                    )
                )
        session.flush()
        return action_info(session, action)


def delete_action(db: Database, action_id: uuid.UUID, deleted: bool = True) -> None:
    """Delete (softly) or bring back an action. A locked action cannot be deleted."""
    with db.session() as session:
        action = get_or_fail(session, Action, action_id, "action")
        if deleted:
            _refuse_locked(action)
        action.deleted_at = utcnow() if deleted else None
        session.flush()
        refresh_rollup_columns(session, action_ids=[action.id])


def get_action(db: Database, action_id: uuid.UUID) -> ActionInfo:
    with db.session() as session:
        return action_info(session, _live_action(session, action_id, lock=False))


def list_actions(
    db: Database,
    *,
    area_ids: Sequence[uuid.UUID] | None = None,
    observation_id: uuid.UUID | None = None,
    overdue_only: bool = False,
    today: dt.date | None = None,
) -> list[ActionInfo]:
    """Actions, overdue first, then by due date; optionally for one observation or some areas."""
    day = today or uk_today()
    with db.session() as session:
        query = select(Action).where(Action.deleted_at.is_(None))
        if area_ids is not None:
            query = query.where(Action.area_id.in_(list(area_ids)))
        if observation_id is not None:
            query = query.join(ActionObservation, ActionObservation.action_id == Action.id).where(
                ActionObservation.observation_id == observation_id
            )
        infos = [action_info(session, a, day) for a in session.scalars(query)]
    if overdue_only:
        infos = [a for a in infos if a.overdue]
    far = dt.date.max
    return sorted(infos, key=lambda a: (not a.overdue, a.due_date or far, a.title.casefold()))


def action_history(db: Database, action_id: uuid.UUID) -> list[ActionEventInfo]:
    """Validations, unlocks, re-pricing and status changes, oldest first."""
    with db.session() as session:
        _live_action(session, action_id, lock=False)
        return [
            ActionEventInfo(e.at, e.who, e.what, e.note)
            for e in session.scalars(
                select(ActionEvent)
                .where(ActionEvent.action_id == action_id)
                .order_by(ActionEvent.at, ActionEvent.created_at)
            )
        ]


# --- savings ------------------------------------------------------------------------------------


def _operating_days(session: Session, action: Action) -> int:
    area = session.get(Area, action.area_id)
    assert area is not None
    return area.operating_days_per_year


def set_expected_saving(db: Database, action_id: uuid.UUID, data: EstimateInput) -> ActionInfo:
    """The saving the action expects to make, as an estimate."""
    with db.session() as session:
        action = _live_action(session, action_id)
        _refuse_locked(action)
        save_estimate(
            session,
            db.device_id,
            kind=EstimateKind.EXPECTED,
            data=data,
            operating_days=_operating_days(session, action),
            action_id=action.id,
        )
        return action_info(session, action)


def clear_expected_saving(db: Database, action_id: uuid.UUID) -> ActionInfo:
    with db.session() as session:
        action = _live_action(session, action_id)
        _refuse_locked(action)
        row = live_estimate(session, kind=EstimateKind.EXPECTED, action_id=action.id)
        if row is not None:
            row.deleted_at = utcnow()
            row.in_rollup = False
        return action_info(session, action)


def validate_saving(
    db: Database, action_id: uuid.UUID, data: EstimateInput, validated_by: str
) -> ActionInfo:
    """Record the saving actually achieved, who validated it and when; the action locks."""
    problem = check_text(validated_by, "Validated by", required=True, limit=MAX_SHORT_TEXT)
    if problem:
        raise InputError(problem)
    with db.session() as session:
        action = _live_action(session, action_id)
        _refuse_locked(action)
        row = save_estimate(
            session,
            db.device_id,
            kind=EstimateKind.VALIDATED,
            data=data,
            operating_days=_operating_days(session, action),
            action_id=action.id,
        )
        action.validated_at = utcnow()
        action.validated_by = validated_by.strip()
        action.locked = True
        session.flush()
        refresh_rollup_columns(session, action_ids=[action.id])
        _event(
            session,
            db.device_id,
            action,
            "validated",
            validated_by.strip(),
            f"£{row.annual_value_pence / 100:,.2f} a year"
            f" ({'cash-releasing' if row.cash_releasing else 'non-cash-releasing'})",
        )
        session.flush()
        return action_info(session, action)


def unlock_action(db: Database, action_id: uuid.UUID, who: str, reason: str) -> ActionInfo:
    """Unlock a validated action on purpose, saying who and why. Its saving stops counting as
    validated until it is validated again."""
    problems = [
        p
        for p in (
            check_text(who, "Who is unlocking", required=True, limit=MAX_SHORT_TEXT),
            check_text(reason, "The reason for unlocking", required=True, limit=MAX_TEXT_LENGTH),
        )
        if p
    ]
    if problems:
        raise InputError("; ".join(problems))
    with db.session() as session:
        action = _live_action(session, action_id)
        if not action.locked:
            raise InputError("This action is not locked")
        action.locked = False
        action.validated_at = None
        session.flush()
        refresh_rollup_columns(session, action_ids=[action.id])
        _event(session, db.device_id, action, "unlocked", who.strip(), reason.strip())
        session.flush()
        return action_info(session, action)


def reprice_action_estimates(db: Database, action_id: uuid.UUID, who: str = "") -> ActionInfo:
    """Re-price the action's expected saving at today's rates (refused while locked)."""
    with db.session() as session:
        action = _live_action(session, action_id)
        _refuse_locked(action)
        row = live_estimate(session, kind=EstimateKind.EXPECTED, action_id=action.id)
        estimate_id = row.id if row else None
    if estimate_id is not None:
        info = reprice_estimate(db, estimate_id)
        with db.session() as session:
            action = _live_action(session, action_id)
            _event(session, db.device_id, action, "repriced", who, f"at {info.rate.code}")
    return get_action(db, action_id)


def estimate_rows_for_action(session: Session, action_id: uuid.UUID) -> list[Estimate]:
    """Live estimates of an action (for exports)."""
    return list(
        session.scalars(
            select(Estimate).where(Estimate.action_id == action_id, Estimate.deleted_at.is_(None))
        )
    )
