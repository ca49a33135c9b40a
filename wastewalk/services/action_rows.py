"""Actions for the CSV export, streamed as stored (see services.stored_values).

Which rows: live (not deleted) actions in the filter's area or CSU, made on one of its UK days.
Their savings are the estimates that count in the savings roll-up (`in_rollup`): the expected
saving of a live action, and the validated saving only while the action is locked, so the
columns add up to the savings files' figures.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session, aliased

from wastewalk.models import Action, ActionObservation, Estimate, Observation
from wastewalk.services.data_filter import DataFilter, period_conditions, place_conditions
from wastewalk.services.stored_values import AnyRow, as_stored, stream

logger = logging.getLogger(__name__)

ACTION_FIELDS = (
    "id",
    "area_id",
    "category_id",
    "created_at",
    "title",
    "owner",
    "due_date",
    "status",
    "expected_pence",
    "expected_cash_releasing",
    "validated_pence",
    "validated_cash_releasing",
    "validated_by",
    "validated_at",
    "locked",
    "notes",
)


def action_query(flt: DataFilter) -> Select[Any]:
    """Live actions in the filter, oldest first, with the savings that count: the fields of
    ACTION_FIELDS, as stored."""
    expected = aliased(Estimate)
    validated = aliased(Estimate)

    def counting(estimate: Any, kind: str) -> Any:
        return and_(
            estimate.action_id == Action.id, estimate.kind == kind, estimate.in_rollup.is_(True)
        )

    return (
        select(
            as_stored(Action.id),
            as_stored(Action.area_id),
            as_stored(Action.category_id),
            as_stored(Action.created_at),
            Action.title,
            Action.owner,
            Action.due_date,
            Action.status,
            expected.annual_value_pence,
            expected.cash_releasing,
            validated.annual_value_pence,
            validated.cash_releasing,
            Action.validated_by,
            as_stored(Action.validated_at),
            Action.locked,
            Action.notes,
        )
        .outerjoin(expected, counting(expected, "expected"))
        .outerjoin(validated, counting(validated, "validated"))
        .where(
            Action.deleted_at.is_(None),
            *place_conditions(flt, Action.area_id),
            *period_conditions(flt, Action.created_at),
        )
        .order_by(Action.created_at, Action.id)
    )


def action_rows(session: Session, flt: DataFilter) -> Iterator[AnyRow]:
    """The rows of action_query, streamed."""
    return stream(session, action_query(flt))


def action_observations(session: Session, flt: DataFilter) -> dict[object, list[object]]:
    """The live observations each action in the filter was made from, in the order they were
    linked, by the action's id as stored (the observations' ids as stored too). Links made at the
    same moment go in id order: without it SQLite and PostgreSQL break the tie differently."""
    actions = action_query(flt).with_only_columns(Action.id).order_by(None)
    query = (
        select(as_stored(ActionObservation.action_id), as_stored(ActionObservation.observation_id))
        .join(Observation, Observation.id == ActionObservation.observation_id)
        .where(ActionObservation.action_id.in_(actions), Observation.deleted_at.is_(None))
        .order_by(
            ActionObservation.action_id,
            ActionObservation.created_at,
            ActionObservation.observation_id,
        )
    )
    links: dict[object, list[object]] = {}
    for action_id, observation_id in stream(session, query):
        links.setdefault(action_id, []).append(observation_id)
    return links
