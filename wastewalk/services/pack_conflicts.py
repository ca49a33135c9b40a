"""Conflicts a pack import kept for a person: listed with both versions, resolved one at a time.

A conflict is a record changed on both sides since the two databases last met (or deleted on one
side and edited on the other). The import left the local version in place and stored both versions
as pack JSON in pack_conflict. Choosing "local" keeps what is here (and remembers the pack's version
as seen, so importing that pack again does not ask again); choosing "incoming" writes the pack's
version exactly as it came (its times and device too). Either way the choice, who made it and when
are recorded, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError, NotFoundError, WasteWalkError
from wastewalk.domain.uk_time import UK
from wastewalk.models import Base, PackConflict, utcnow
from wastewalk.services.estimates import refresh_rollup_columns
from wastewalk.services.pack_records import (
    BINARY_KEYS,
    canonical_json,
    content_hash,
    decode_record,
    record_dict,
)
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

CHOICES = ("local", "incoming")
# Plain words for each table, for messages and labels.
TABLE_WORDS: dict[str, str] = {
    "trust": "trust",
    "csu": "CSU",
    "area": "area",
    "waste_category": "waste category",
    "activity_category": "activity category",
    "staff_rate": "staff rate",
    "app_setting": "setting",
    "walk": "walk",
    "participant": "walk participant",
    "observation": "observation",
    "photo": "photo",
    "activity_follow": "activity follow",
    "activity_segment": "activity segment",
    "activity_interruption": "activity interruption",
    "time_study": "time study",
    "time_study_element": "time-study element",
    "time_study_reading": "time-study reading",
    "action": "action",
    "action_observation": "action's observation link",
    "action_event": "action event",
    "estimate": "estimate",
}
# The columns that say, in a person's words, which record this is (first one present wins).
_TEXT_KEYS = ("description", "title", "name", "label", "staff_role", "what", "note", "key", "code")
LABEL_TEXT = 40


@dataclass(frozen=True)
class ConflictInfo:
    """One kept conflict: both versions as pack dicts, a label in words, and what became of it."""

    id: uuid.UUID
    table: str
    record_id: uuid.UUID
    kind: str
    label: str
    local: dict[str, Any]
    incoming: dict[str, Any]
    detected_at: dt.datetime
    pack_device_id: str
    resolved_at: dt.datetime | None
    resolution: str | None
    resolved_by: str = ""


def deleted_flag(record: Mapping[str, object]) -> bool:
    """Whether a pack dict is deleted (or archived)."""
    return record.get("deleted_at") is not None or record.get("archived_at") is not None


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL_TEXT else flat[: LABEL_TEXT - 1] + "…"


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def _area_name(session: Session, record: Mapping[str, object]) -> str | None:
    area = Base.metadata.tables["area"]
    walk = Base.metadata.tables["walk"]
    observation = Base.metadata.tables["observation"]
    area_id = _uuid(record.get("area_id"))
    walk_id = _uuid(record.get("walk_id"))
    observation_id = _uuid(record.get("observation_id"))
    if area_id is None and walk_id is None and observation_id is not None:
        walk_id = session.scalar(
            select(observation.c.walk_id).where(observation.c.id == observation_id)
        )
    if area_id is None and walk_id is not None:
        area_id = session.scalar(select(walk.c.area_id).where(walk.c.id == walk_id))
    if area_id is None:
        return None
    name = session.scalar(select(area.c.name).where(area.c.id == area_id))
    return str(name) if name is not None else None


def record_label(session: Session, table: str, record: Mapping[str, object]) -> str:
    """Plain words for a record: "Observation 'Patient waited…' in Ward 7"."""
    words = TABLE_WORDS.get(table, table.replace("_", " "))
    label = words[:1].upper() + words[1:]
    for key in _TEXT_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            label += f" '{_short(value)}'"
            break
    else:
        when = record.get("started_at") or record.get("observed_at") or record.get("at")
        if isinstance(when, str):
            try:
                day = dt.datetime.fromisoformat(when).astimezone(UK).date()
                label += f" of {day.day} {day:%B %Y}"
            except ValueError:
                pass
    area = _area_name(session, record)
    if area:
        label += f" in {area}"
    return label


def _info(session: Session, row: PackConflict) -> ConflictInfo:
    local = json.loads(row.local_json)
    incoming = json.loads(row.incoming_json)
    return ConflictInfo(
        id=row.id,
        table=row.table_name,
        record_id=row.record_id,
        kind=row.kind,
        label=record_label(session, row.table_name, local),
        local=local,
        incoming=incoming,
        detected_at=row.detected_at,
        pack_device_id=row.pack_device_id,
        resolved_at=row.resolved_at,
        resolution=row.resolution,
        resolved_by=row.resolved_by,
    )


def list_conflicts(db: Database, *, open_only: bool = True) -> list[ConflictInfo]:
    """Kept conflicts, oldest first (only those nobody has resolved yet, unless `open_only` is
    False)."""
    with db.session() as session:
        query = select(PackConflict).order_by(PackConflict.detected_at, PackConflict.id)
        if open_only:
            query = query.where(PackConflict.resolved_at.is_(None))
        return [_info(session, row) for row in session.scalars(query)]


def open_conflict_count(db: Database) -> int:
    """How many kept conflicts wait for a person."""
    from sqlalchemy import func

    with db.session() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(PackConflict)
                .where(PackConflict.resolved_at.is_(None))
            )
            or 0
        )


def resolve_conflict(db: Database, conflict_id: uuid.UUID, choice: str, who: str) -> ConflictInfo:
    """Settle one conflict: "local" keeps this database's version, "incoming" writes the pack's.

    One transaction; the choice, `who` and the time are recorded. Refuses (InputError) an unknown
    choice, a conflict already resolved, or an incoming photo whose picture is no longer at hand.
    """
    if choice not in CHOICES:
        raise InputError(f"Choose 'local' or 'incoming', not {choice!r}.")
    with db.session() as session:
        row = session.get(PackConflict, conflict_id)
        if row is None:
            raise NotFoundError("That conflict is not in this database.")
        if row.resolved_at is not None:
            raise InputError(
                f"That conflict was already resolved ({row.resolution}, by "
                f"{row.resolved_by or 'someone'})."
            )
        incoming = json.loads(row.incoming_json)
        if choice == "incoming":
            _write_incoming(session, row.table_name, row.record_id, incoming)
        _remember(session, row.table_name, row.record_id, row.pack_device_id, incoming)
        row.resolved_at = utcnow()
        row.resolution = choice
        row.resolved_by = who.strip()[:200]
        session.flush()
        info = _info(session, row)
    logger.info("conflict %s on %s %s resolved: %s", info.id, info.table, info.record_id, choice)
    return info


def _write_incoming(
    session: Session, table_name: str, record_id: uuid.UUID, incoming: dict[str, Any]
) -> None:
    table = Base.metadata.tables[table_name]
    values = decode_record(table_name, incoming, where=f"the kept conflict on {record_id}")
    if table_name == "photo":
        local = session.execute(select(table).where(table.c.id == record_id)).first()
        if local is None:
            raise WasteWalkError("The photo is no longer in this database.")
        mine = record_dict(local, table_name)
        for column, key in BINARY_KEYS.items():
            if values[key] != mine.get(key):
                raise WasteWalkError(
                    "The pack's version of this photo has a different picture, which was not kept "
                    "with the conflict. Import the pack again to see it, or keep this version."
                )
            values.pop(key)
            values[column] = local._mapping[column]
    values.pop("id")
    if session.scalar(select(table.c.id).where(table.c.id == record_id)) is None:
        raise WasteWalkError("The record in conflict is no longer in this database.")
    pk = bindparam("conflict_record_id", type_=table.c.id.type)
    session.execute(
        update(table).where(table.c.id == pk), [{**values, "conflict_record_id": record_id}]
    )
    observations: list[uuid.UUID] = []
    actions: list[uuid.UUID] = []
    if table_name == "observation":
        observations.append(record_id)
    elif table_name == "action":
        actions.append(record_id)
    elif table_name == "walk":
        observation = Base.metadata.tables["observation"]
        observations += session.scalars(
            select(observation.c.id).where(observation.c.walk_id == record_id)
        )
    elif table_name == "estimate":
        for key, bucket in (("observation_id", observations), ("action_id", actions)):
            owner = values.get(key)
            if isinstance(owner, uuid.UUID):
                bucket.append(owner)
    if observations or actions:
        refresh_rollup_columns(session, observation_ids=observations, action_ids=actions)


def _remember(
    session: Session, table_name: str, record_id: uuid.UUID, peer: str, incoming: dict[str, Any]
) -> None:
    # The pack's version counts as met: the same pack again is identical (incoming chosen) or
    # older than this database's choice (local chosen), not a new conflict.
    state = Base.metadata.tables["record_sync_state"]
    session.execute(
        delete(state).where(
            and_(
                state.c.table_name == table_name,
                state.c.record_id == record_id,
                state.c.peer_device_id == peer,
            )
        )
    )
    session.execute(
        insert(state).values(
            table_name=table_name,
            record_id=record_id,
            peer_device_id=peer,
            content_hash=content_hash(table_name, incoming),
            met_at=utcnow(),
        )
    )


def conflict_json(record: Mapping[str, object]) -> str:
    """How a version is stored in pack_conflict (canonical pack JSON)."""
    return canonical_json(record)
