"""Writing a classified pack (services.pack_import) inside the caller's one session.

New records are inserted and updated ones overwritten exactly as the pack has them (created_at,
updated_at and device_id included, so the same pack imported again is identical); conflicts leave
the local record alone and keep both versions in pack_conflict (once per record and incoming
version); every record that ended equal to the pack's version is remembered in record_sync_state
against the pack's device; the derived estimate columns are refreshed; the import is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wastewalk.domain.progress import Progress, report
from wastewalk.models import utcnow
from wastewalk.services.estimates import refresh_rollup_columns
from wastewalk.services.pack_conflicts import TABLE_WORDS
from wastewalk.services.pack_import import (
    CONFLICT,
    IDENTICAL,
    NEW,
    UPDATED,
    Incoming,
    PackPreview,
    Plan,
    conflict_kind,
)
from wastewalk.services.pack_local import among, chunks, id_chunk, table_of
from wastewalk.services.pack_records import BINARY_KEYS, PACK_TABLES, PackRefused, canonical_json

logger = logging.getLogger(__name__)

WRITE_CHUNK = 2_000
_PK = "pack_record_id"


def apply_plan(
    session: Session, plan: Plan, preview: PackPreview, progress: Progress | None
) -> uuid.UUID:
    """Write `plan` in `session` (the caller commits); returns the new import log entry's id."""
    now = utcnow()
    log_id = uuid.uuid4()
    session.execute(
        insert(table_of("pack_import_log")).values(
            id=log_id,
            imported_at=now,
            pack_device_id=plan.device_id,
            pack_created_at=preview.created_at,
            file_name=plan.contents.file_name[:255],
            pack_sha256=plan.contents.sha256,
            new=preview.new,
            updated=preview.updated,
            identical=preview.identical,
            conflicts=preview.conflict_count,
            skipped_local_newer=preview.local_newer,
            dry_run=False,
        )
    )
    names = [name for name, _ in PACK_TABLES]
    total = max(1, sum(len(plan.of_kind(n, NEW, UPDATED)) for n in names))
    done = 0
    for name in names:
        try:
            for part in chunks(plan.of_kind(name, NEW), WRITE_CHUNK):
                report(progress, 0.9 * done / total, "Writing the pack's records")
                session.execute(insert(table_of(name)), [_row(plan, item) for item in part])
                done += len(part)
            for part in chunks(plan.of_kind(name, UPDATED), WRITE_CHUNK):
                report(progress, 0.9 * done / total, "Writing the pack's records")
                _update(session, name, [_row(plan, item) for item in part])
                done += len(part)
        except IntegrityError as exc:
            raise PackRefused(
                f"The pack's {TABLE_WORDS.get(name, name)} records ({name}) hold a value this "
                f"database cannot accept ({str(exc.orig).strip()[:200]}). Nothing was changed."
            ) from None
    report(progress, 0.9, "Remembering what was met")
    _remember(session, plan, now)
    _keep_conflicts(session, plan, log_id, now)
    _refresh_estimates(session, plan)
    report(progress, 1.0, "Pack imported")
    return log_id


def _row(plan: Plan, item: Incoming) -> dict[str, Any]:
    if item.table != "photo":
        return item.values
    row = dict(item.values)
    for column, key in BINARY_KEYS.items():
        sha = row.pop(key)
        row[column] = None if sha is None else plan.contents.photos[sha]
    return row


def _update(session: Session, name: str, rows: list[dict[str, Any]]) -> None:
    table = table_of(name)
    statement = update(table).where(table.c.id == bindparam(_PK, type_=table.c.id.type))
    params = []
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        values[_PK] = row["id"]
        params.append(values)
    session.execute(statement, params)


def _remember(session: Session, plan: Plan, now: dt.datetime) -> None:
    """record_sync_state: each record that now equals the pack's version, against its device."""
    state = table_of("record_sync_state")
    dialect = session.get_bind().dialect.name
    for name, items in plan.tables.items():
        stale = [
            item
            for item in items
            if item.kind in (NEW, UPDATED, IDENTICAL) and item.base != item.hash
        ]
        for part in chunks(stale, WRITE_CHUNK):
            session.execute(
                delete(state).where(
                    and_(
                        state.c.table_name == name,
                        state.c.peer_device_id == plan.device_id,
                        among(state.c.record_id, [item.id for item in part], dialect),
                    )
                )
            )
            session.execute(
                insert(state),
                [
                    {
                        "table_name": name,
                        "record_id": item.id,
                        "peer_device_id": plan.device_id,
                        "content_hash": item.hash,
                        "met_at": now,
                    }
                    for item in part
                ],
            )


def incoming_digest(incoming_json: str) -> str:
    """The sha256 of a conflict's stored incoming JSON (same version, same digest)."""
    return hashlib.sha256(incoming_json.encode("ascii")).hexdigest()


def _keep_conflicts(session: Session, plan: Plan, log_id: uuid.UUID, now: dt.datetime) -> None:
    """One open pack_conflict per record and incoming version: a re-import adds none."""
    conflict = table_of("pack_conflict")
    for name, items in plan.tables.items():
        found = [item for item in items if item.kind == CONFLICT]
        if not found:
            continue
        open_ones: set[tuple[uuid.UUID, str]] = set()
        dialect = session.get_bind().dialect.name
        for part in chunks([item.id for item in found], id_chunk(dialect)):
            for record_id, incoming_json in session.execute(
                select(conflict.c.record_id, conflict.c.incoming_json).where(
                    and_(
                        conflict.c.table_name == name,
                        conflict.c.resolved_at.is_(None),
                        among(conflict.c.record_id, part, dialect),
                    )
                )
            ):
                open_ones.add((record_id, incoming_digest(incoming_json)))
        rows = []
        for item in found:
            assert item.local is not None
            incoming_json = canonical_json(item.pack)
            if (item.id, incoming_digest(incoming_json)) in open_ones:
                continue
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "table_name": name,
                    "record_id": item.id,
                    "pack_device_id": plan.device_id,
                    "local_json": canonical_json(item.local),
                    "incoming_json": incoming_json,
                    "kind": conflict_kind(item.local, item.pack),
                    "import_log_id": log_id,
                    "detected_at": now,
                    "resolved_at": None,
                    "resolution": None,
                    "resolved_by": "",
                }
            )
        if rows:
            session.execute(insert(conflict), rows)


def _refresh_estimates(session: Session, plan: Plan) -> None:
    """Estimates copy their owner's area, waste, date and whether they count: refresh those whose
    owner (or the owner's walk) the pack wrote."""
    written = {name: plan.of_kind(name, NEW, UPDATED) for name in plan.tables}
    observations: set[uuid.UUID] = {item.id for item in written.get("observation", [])}
    actions: set[uuid.UUID] = {item.id for item in written.get("action", [])}
    for item in written.get("estimate", []):
        if item.values.get("observation_id") is not None:
            observations.add(item.values["observation_id"])
        if item.values.get("action_id") is not None:
            actions.add(item.values["action_id"])
    walks = [item.id for item in written.get("walk", [])]
    if walks:
        observation = table_of("observation")
        dialect = session.get_bind().dialect.name
        for part in chunks(walks, id_chunk(dialect)):
            observations.update(
                session.scalars(
                    select(observation.c.id).where(among(observation.c.walk_id, part, dialect))
                )
            )
    if not observations and not actions:
        return
    if len(observations) + len(actions) > WRITE_CHUNK:
        refresh_rollup_columns(session)  # one pass over all beats a very long IN list
        return
    refresh_rollup_columns(
        session, observation_ids=sorted(observations), action_ids=sorted(actions)
    )
