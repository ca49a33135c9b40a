"""Walks and observations for the CSV export, streamed as stored (see services.stored_values).

Which rows: an observation when it is live (not deleted), in the filter's area or CSU (its walk's
area) and seen on one of the filter's UK days. A walk when it is in the area or CSU and either
started on one of those days or holds a live observation seen on one of them, so every
observation's walk is in the walks file whatever the dates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from wastewalk.models import Estimate, Observation, Participant, Photo, Walk, WasteCategory
from wastewalk.services.data_filter import DataFilter, period_conditions, place_conditions
from wastewalk.services.stored_values import AnyRow, as_stored, stream

logger = logging.getLogger(__name__)

# The fields of each observation row, in order.
OBSERVATION_FIELDS = (
    "id",
    "walk_id",
    "area_id",
    "category_id",
    "observed_at",
    "description",
    "location",
    "frequency",
    "impact",
    "ease",
    "domain_quality",
    "domain_delivery",
    "domain_service",
    "domain_morale",
    "domain_cost",
    "countermeasure",
    "needs_identifier_review",
    "estimate_id",
    "annual_value_pence",
    "cash_releasing",
)
WALK_FIELDS = (
    "id",
    "area_id",
    "started_at",
    "ended_at",
    "focus",
    "status",
    "notes",
    "observations",
)


def _observation_conditions(flt: DataFilter) -> list[ColumnElement[bool]]:
    return [
        Observation.deleted_at.is_(None),
        *place_conditions(flt, Walk.area_id),
        *period_conditions(flt, Observation.observed_at),
    ]


def observation_query(flt: DataFilter) -> Select[Any]:
    """Live observations in the filter, oldest first, with their walk's area and their
    opportunity estimate (if priced): the fields of OBSERVATION_FIELDS, as stored."""
    o = Observation
    opportunity = and_(
        Estimate.observation_id == o.id,
        Estimate.kind == "opportunity",
        Estimate.deleted_at.is_(None),
    )
    return (
        select(
            as_stored(o.id),
            as_stored(o.walk_id),
            as_stored(Walk.area_id),
            as_stored(o.category_id),
            as_stored(o.observed_at),
            o.description,
            o.location,
            o.frequency,
            o.impact,
            o.ease,
            o.domain_quality,
            o.domain_delivery,
            o.domain_service,
            o.domain_morale,
            o.domain_cost,
            o.countermeasure,
            and_(o.suspected_identifier, ~o.identifier_confirmed),
            as_stored(Estimate.id),
            Estimate.annual_value_pence,
            Estimate.cash_releasing,
        )
        .join(Walk, Walk.id == o.walk_id)
        .outerjoin(Estimate, opportunity)
        .where(*_observation_conditions(flt))
        .order_by(o.observed_at, o.id)
    )


def observation_rows(session: Session, flt: DataFilter) -> Iterator[AnyRow]:
    """The rows of observation_query, streamed."""
    return stream(session, observation_query(flt))


def photo_counts(session: Session) -> dict[object, int]:
    """Live photos per observation (by the observation's id as stored); observations with none
    are absent. Photos are few, so one grouped scan beats a count on every row."""
    query = (
        select(as_stored(Photo.observation_id), func.count())
        .where(Photo.deleted_at.is_(None))
        .group_by(Photo.observation_id)
    )
    return {observation_id: int(count) for observation_id, count in stream(session, query)}


def waste_names(session: Session) -> dict[object, tuple[str, str]]:
    """Every waste category's (code, label) by its id as stored."""
    query = select(as_stored(WasteCategory.id), WasteCategory.code, WasteCategory.label)
    return {category_id: (code, label) for category_id, code, label in stream(session, query)}


def walk_query(flt: DataFilter) -> Select[Any]:
    """Walks in the filter (see the module's docstring), oldest first, with their live
    observation count: the fields of WALK_FIELDS, as stored."""
    live = (
        select(func.count())
        .where(Observation.walk_id == Walk.id, Observation.deleted_at.is_(None))
        .correlate(Walk)
        .scalar_subquery()
    )
    conditions = place_conditions(flt, Walk.area_id)
    started = period_conditions(flt, Walk.started_at)
    if started:
        seen = (
            exists()
            .where(Observation.walk_id == Walk.id, Observation.deleted_at.is_(None))
            .where(*period_conditions(flt, Observation.observed_at))
        )
        conditions.append(or_(and_(*started), seen))
    return (
        select(
            as_stored(Walk.id),
            as_stored(Walk.area_id),
            as_stored(Walk.started_at),
            as_stored(Walk.ended_at),
            Walk.focus,
            Walk.status,
            Walk.notes,
            live,
        )
        .where(*conditions)
        .order_by(Walk.started_at, Walk.id)
    )


def walk_rows(session: Session, flt: DataFilter) -> Iterator[AnyRow]:
    """The rows of walk_query, streamed."""
    return stream(session, walk_query(flt))


def participants(session: Session, flt: DataFilter) -> dict[object, list[tuple[str, str]]]:
    """(name, role) of the people on each walk in the filter, in their order on the walk, by
    the walk's id as stored."""
    walks = walk_query(flt).with_only_columns(Walk.id).order_by(None)
    query = (
        select(as_stored(Participant.walk_id), Participant.name, Participant.role)
        .where(Participant.walk_id.in_(walks))
        .order_by(Participant.walk_id, Participant.position, Participant.created_at)
    )
    people: dict[object, list[tuple[str, str]]] = {}
    for walk_id, name, role in stream(session, query):
        people.setdefault(walk_id, []).append((name, role))
    return people
