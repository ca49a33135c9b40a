"""Observations on a walk: add, edit, delete (soft, undoable), and the NHS-number flag."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, Problem
from wastewalk.domain.nhs_number import find_nhs_numbers, redact_nhs_numbers
from wastewalk.domain.observation_rules import (
    MAX_SHORT_TEXT,
    MAX_TEXT_LENGTH,
    ScorecardDomain,
    check_scale,
    check_text,
)
from wastewalk.models import Observation, Walk, WasteCategory, utcnow
from wastewalk.services.estimates import refresh_rollup_columns
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

_DOMAIN_COLUMNS = {d: f"domain_{d.value}" for d in ScorecardDomain}


@dataclass(frozen=True)
class ObservationInput:
    """What a person enters for one observation."""

    category_id: uuid.UUID
    description: str
    location: str = ""
    observed_at: dt.datetime | None = None
    impact: int | None = None
    frequency: str = ""
    ease: int | None = None
    domains: frozenset[str] = field(default_factory=frozenset)
    countermeasure: str = ""
    # The person has looked at a suspected NHS number and said it is not patient data.
    identifier_confirmed: bool = False


@dataclass(frozen=True)
class ObservationInfo:
    id: uuid.UUID
    walk_id: uuid.UUID
    category_id: uuid.UUID
    category_code: str
    category_label: str
    description: str
    location: str
    observed_at: dt.datetime
    impact: int | None
    frequency: str
    ease: int | None
    domains: frozenset[str]
    countermeasure: str
    suspected_identifier: bool
    identifier_confirmed: bool
    deleted: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def needs_identifier_review(self) -> bool:
        """True while a suspected NHS number is neither redacted nor confirmed (blocks export)."""
        return self.suspected_identifier and not self.identifier_confirmed


def input_from_info(info: ObservationInfo) -> ObservationInput:
    """The input that would recreate an observation as it is (for undo and "copy")."""
    return ObservationInput(
        category_id=info.category_id,
        description=info.description,
        location=info.location,
        observed_at=info.observed_at,
        impact=info.impact,
        frequency=info.frequency,
        ease=info.ease,
        domains=info.domains,
        countermeasure=info.countermeasure,
        identifier_confirmed=info.identifier_confirmed,
    )


def validate_observation(data: ObservationInput) -> list[Problem]:
    """Every problem with the input, each naming its field (as a column name)."""
    checks = [
        (
            "description",
            check_text(data.description, "What was seen", required=True, limit=MAX_TEXT_LENGTH),
        ),
        ("location", check_text(data.location, "Where", required=False, limit=MAX_SHORT_TEXT)),
        (
            "frequency",
            check_text(data.frequency, "How often", required=False, limit=MAX_SHORT_TEXT),
        ),
        (
            "countermeasure",
            check_text(
                data.countermeasure, "Countermeasure idea", required=False, limit=MAX_TEXT_LENGTH
            ),
        ),
        ("impact", check_scale(data.impact, "Impact")),
        ("ease", check_scale(data.ease, "Ease of fixing")),
    ]
    problems = [Problem(message, column=column) for column, message in checks if message]
    unknown = set(data.domains) - {d.value for d in ScorecardDomain}
    if unknown:
        problems.append(
            Problem(
                f"unknown scorecard domain(s) {', '.join(sorted(unknown))}; "
                "use quality, delivery, service, morale, cost",
                column="domains",
            )
        )
    if data.observed_at is not None and data.observed_at.tzinfo is None:
        problems.append(Problem("time has no time zone", column="observed_at"))
    return problems


def text_has_identifier(*texts: str) -> bool:
    """True when any of the texts looks like it holds an NHS number."""
    return any(find_nhs_numbers(t) for t in texts if t)


def observation_info(obs: Observation, category: WasteCategory) -> ObservationInfo:
    """Plain copy of an observation row."""
    return ObservationInfo(
        id=obs.id,
        walk_id=obs.walk_id,
        category_id=obs.category_id,
        category_code=category.code,
        category_label=category.label,
        description=obs.description,
        location=obs.location,
        observed_at=obs.observed_at,
        impact=obs.impact,
        frequency=obs.frequency,
        ease=obs.ease,
        domains=frozenset(d.value for d, col in _DOMAIN_COLUMNS.items() if getattr(obs, col)),
        countermeasure=obs.countermeasure,
        suspected_identifier=obs.suspected_identifier,
        identifier_confirmed=obs.identifier_confirmed,
        deleted=obs.deleted_at is not None,
        created_at=obs.created_at,
        updated_at=obs.updated_at,
    )


def _identifiers_in(obs: Observation) -> set[str]:
    texts = (obs.description, obs.location, obs.frequency, obs.countermeasure)
    return {number.digits for text in texts if text for number in find_nhs_numbers(text)}


def apply_input(obs: Observation, data: ObservationInput) -> None:
    """Copy validated input onto a row, setting the suspected-identifier flag from the text."""
    previously_confirmed = _identifiers_in(obs) if obs.identifier_confirmed else None
    obs.category_id = data.category_id
    obs.description = data.description.strip()
    obs.location = data.location.strip()
    obs.impact = data.impact
    obs.frequency = data.frequency.strip()
    obs.ease = data.ease
    obs.countermeasure = data.countermeasure.strip()
    for domain, column in _DOMAIN_COLUMNS.items():
        setattr(obs, column, domain.value in data.domains)
    found = _identifiers_in(obs)
    obs.suspected_identifier = bool(found)
    # A "not patient data" confirmation survives edits that bring in no new suspected number.
    obs.identifier_confirmed = bool(found) and (
        data.identifier_confirmed
        or (previously_confirmed is not None and found <= previously_confirmed)
    )
    if data.observed_at is not None:
        obs.observed_at = data.observed_at.astimezone(dt.UTC)


def _category(session: Session, category_id: uuid.UUID, *, new_entry: bool) -> WasteCategory:
    category = session.get(WasteCategory, category_id)
    if category is None:
        raise InputError(Problem(f"No waste category with id {category_id}", column="waste"))
    if new_entry and category.archived_at is not None:
        raise InputError(
            Problem(f"The waste category '{category.label}' is archived", column="waste")
        )
    return category


def add_observation(db: Database, walk_id: uuid.UUID, data: ObservationInput) -> ObservationInfo:
    """Save one observation; it is on disk (synchronous=FULL) when this returns."""
    problems = validate_observation(data)
    if problems:
        raise InputError(problems)
    with db.session() as session:
        get_or_fail(session, Walk, walk_id, "walk")
        category = _category(session, data.category_id, new_entry=True)
        obs = Observation(walk_id=walk_id, device_id=db.device_id, observed_at=utcnow())
        apply_input(obs, data)
        session.add(obs)
        session.flush()
        return observation_info(obs, category)


def edit_observation(
    db: Database, observation_id: uuid.UUID, data: ObservationInput
) -> ObservationInfo:
    """Replace an observation's content with `data` (the walk it belongs to does not change)."""
    problems = validate_observation(data)
    if problems:
        raise InputError(problems)
    with db.session() as session:
        obs = get_or_fail(session, Observation, observation_id, "observation")
        old_category = obs.category_id
        category = _category(session, data.category_id, new_entry=data.category_id != old_category)
        apply_input(obs, data)
        session.flush()
        refresh_rollup_columns(session, observation_ids=[obs.id])
        return observation_info(obs, category)


def set_observation_deleted(
    db: Database, observation_id: uuid.UUID, deleted: bool
) -> ObservationInfo:
    """Delete (softly, so it can be undone and a pack can carry the deletion) or restore."""
    with db.session() as session:
        obs = get_or_fail(session, Observation, observation_id, "observation")
        obs.deleted_at = utcnow() if deleted else None
        session.flush()
        refresh_rollup_columns(session, observation_ids=[obs.id])
        return observation_info(obs, _category(session, obs.category_id, new_entry=False))


def redact_identifiers(db: Database, observation_id: uuid.UUID) -> ObservationInfo:
    """Replace every suspected NHS number in the observation's text and clear the flag."""
    with db.session() as session:
        obs = get_or_fail(session, Observation, observation_id, "observation")
        obs.description = redact_nhs_numbers(obs.description)
        obs.location = redact_nhs_numbers(obs.location)
        obs.frequency = redact_nhs_numbers(obs.frequency)
        obs.countermeasure = redact_nhs_numbers(obs.countermeasure)
        obs.suspected_identifier = False
        obs.identifier_confirmed = False
        session.flush()
        return observation_info(obs, _category(session, obs.category_id, new_entry=False))


def confirm_not_identifier(db: Database, observation_id: uuid.UUID) -> ObservationInfo:
    """Record that a person checked the suspected number and it is not patient data."""
    with db.session() as session:
        obs = get_or_fail(session, Observation, observation_id, "observation")
        obs.identifier_confirmed = obs.suspected_identifier
        session.flush()
        return observation_info(obs, _category(session, obs.category_id, new_entry=False))


def get_observation(db: Database, observation_id: uuid.UUID) -> ObservationInfo:
    """One observation, deleted or not."""
    with db.session() as session:
        obs = get_or_fail(session, Observation, observation_id, "observation")
        return observation_info(obs, _category(session, obs.category_id, new_entry=False))


def list_observations(
    db: Database, walk_id: uuid.UUID, include_deleted: bool = False
) -> list[ObservationInfo]:
    """A walk's observations, newest first."""
    with db.session() as session:
        query = (
            select(Observation, WasteCategory)
            .join(WasteCategory, Observation.category_id == WasteCategory.id)
            .where(Observation.walk_id == walk_id)
            .order_by(Observation.observed_at.desc(), Observation.created_at.desc())
        )
        if not include_deleted:
            query = query.where(Observation.deleted_at.is_(None))
        return [observation_info(o, c) for o, c in session.execute(query)]
