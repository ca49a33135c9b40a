"""Writing a pack (.wwpack): everything, one CSU/area/period, or what changed since the last pack.

Records are streamed table by table, parent before child, into `data/<table>.jsonl` members of a
zip written to a hidden temporary file beside the target; photos go in one at a time as
`photos/<sha256>.bin`; the manifest (with each data file's sha256) goes in last. Only when the
file is complete and flushed to disk is it renamed into place, and then the export is logged (and,
for --since-last, what was sent is remembered) in the same transaction that read the records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wastewalk import __version__
from wastewalk.domain.errors import WasteWalkError, saving_file_words
from wastewalk.domain.progress import Progress, report
from wastewalk.models import (
    Action,
    ActionEvent,
    ActionObservation,
    ActivityFollow,
    ActivityInterruption,
    ActivitySegment,
    Area,
    Csu,
    Estimate,
    Observation,
    PackExportLog,
    Participant,
    Photo,
    RecordSyncState,
    TimeStudy,
    TimeStudyElement,
    TimeStudyReading,
    Walk,
    utcnow,
)
from wastewalk.services.data_filter import DataFilter, period_conditions, place_conditions
from wastewalk.services.pack_reader import MANIFEST, PACK_FORMAT, PACK_VERSION
from wastewalk.services.pack_records import (
    MODELS,
    PACK_TABLES,
    PARENT_KEYS,
    canonical_json,
    content_hash,
    record_dict,
)
from wastewalk.store import migrations
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

DEST_PREFIX = "dest:"
_BATCH = 500
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip member times fixed, so the same data gives the same zip
_BINARY = ("data", "thumbnail_png")


class PackExportError(WasteWalkError):
    """The pack could not be written; nothing was logged and no partial file was left."""


@dataclass(frozen=True)
class PackExport:
    """A pack written: where, how many records of each table, how many photos, since when."""

    path: Path
    records: dict[str, int]
    photos: int
    since: dt.datetime | None


@dataclass
class _Plan:
    # table -> chosen ids; a table absent means "every row" (only for whole exports)
    ids: dict[str, set[uuid.UUID]] = field(default_factory=dict)
    whole: bool = False


def export_pack(
    db: Database,
    out: Path,
    *,
    flt: DataFilter | None = None,
    since_last: str | None = None,
    progress: Progress | None = None,
) -> PackExport:
    """Write a pack of every record, or of one CSU/area/period (with every parent it needs, so it
    imports on an empty database), or of what changed since the last pack to `since_last`.

    Written atomically and logged in pack_export_log; with `since_last`, every record written is
    remembered (record_sync_state, peer "dest:<since_last>") so the next pack to it carries only
    records whose content changed since (plus their parents). Cancelled or any error: no file, no
    log, nothing changed.
    """
    if out.is_dir():
        raise PackExportError(
            f"{out} is a folder; give a file name for the pack, e.g. ward7.wwpack"
        )
    if not out.parent.is_dir():
        raise PackExportError(f"There is no folder {out.parent} to save the pack in.")
    destination = since_last.strip() if since_last is not None else None
    if destination == "":
        raise PackExportError("Give the name of the laptop or person the pack is for.")
    flt = flt or DataFilter()
    with db.session() as session:
        started = utcnow()
        plan = _choose(session, flt)
        since: dt.datetime | None = None
        sent: dict[str, dict[uuid.UUID, str]] = {}
        if destination is not None:
            peer = DEST_PREFIX + destination
            since = session.execute(
                select(func.max(PackExportLog.up_to)).where(
                    PackExportLog.destination == destination
                )
            ).scalar_one_or_none()
            report(progress, 0.02, "Finding what changed since the last pack")
            sent = _sent_before(session, peer)
            plan = _changed_only(session, plan, sent)
        _add_parents(session, plan)
        up_to = _newest_change(session) or started
        temporary = out.parent / f".{out.name}.{uuid.uuid4().hex[:12]}.part"
        try:
            counts, photos, hashes = _write_zip(
                session, db, temporary, plan, flt, destination, since, progress
            )
            os.replace(temporary, out)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise PackExportError(saving_file_words(exc, out, "pack")) from exc
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        total = sum(counts.values())
        session.add(
            PackExportLog(
                destination=destination,
                exported_at=started,
                up_to=up_to,
                records=total,
                file_name=out.name,
            )
        )
        if destination is not None:
            _remember(session, DEST_PREFIX + destination, hashes, started)
    report(progress, 1.0, "Pack written")
    logger.info("wrote pack %s: %d records, %d photos", out, total, photos)
    return PackExport(path=out, records=counts, photos=photos, since=since)


# --- what goes in ---------------------------------------------------------------------------------


def _ids(session: Session, stmt: Select[Any]) -> set[uuid.UUID]:
    return set(session.execute(stmt).scalars())


def _chunks(ids: Iterable[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _BATCH):
        yield ordered[start : start + _BATCH]


def _children(
    session: Session, column: Any, parent_ids: set[uuid.UUID], id_column: Any
) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for chunk in _chunks(parent_ids):
        found |= _ids(session, select(id_column).where(column.in_(chunk)))
    return found


def _choose(session: Session, flt: DataFilter) -> _Plan:
    if flt == DataFilter():
        return _Plan(whole=True)
    areas = _ids(session, select(Area.id).where(*place_conditions(flt, Area.id)))
    ids: dict[str, set[uuid.UUID]] = {
        "area": areas,
        "waste_category": set(),
        "activity_category": set(),
        "app_setting": set(),
    }
    for table in ("waste_category", "activity_category", "app_setting"):
        ids[table] = _ids(session, select(MODELS[table].id))  # type: ignore[attr-defined]
    walks = _children(session, Walk.area_id, areas, Walk.id)
    walks = {
        w
        for chunk in _chunks(walks)
        for w in _ids(
            session,
            select(Walk.id).where(Walk.id.in_(chunk), *period_conditions(flt, Walk.started_at)),
        )
    }
    ids["walk"] = walks
    ids["participant"] = _children(session, Participant.walk_id, walks, Participant.id)
    observations = _children(session, Observation.walk_id, walks, Observation.id)
    ids["observation"] = observations
    ids["photo"] = _children(session, Photo.observation_id, observations, Photo.id)
    follows = {
        f
        for chunk in _chunks(areas)
        for f in _ids(
            session,
            select(ActivityFollow.id).where(
                ActivityFollow.area_id.in_(chunk),
                *period_conditions(flt, ActivityFollow.started_at),
            ),
        )
    }
    ids["activity_follow"] = follows
    ids["activity_segment"] = _children(
        session, ActivitySegment.follow_id, follows, ActivitySegment.id
    )
    ids["activity_interruption"] = _children(
        session, ActivityInterruption.follow_id, follows, ActivityInterruption.id
    )
    day_conditions = []
    if flt.date_from is not None:
        day_conditions.append(TimeStudy.study_date >= flt.date_from)
    if flt.date_to is not None:
        day_conditions.append(TimeStudy.study_date <= flt.date_to)
    studies = {
        s
        for chunk in _chunks(areas)
        for s in _ids(
            session, select(TimeStudy.id).where(TimeStudy.area_id.in_(chunk), *day_conditions)
        )
    }
    ids["time_study"] = studies
    ids["time_study_element"] = _children(
        session, TimeStudyElement.study_id, studies, TimeStudyElement.id
    )
    ids["time_study_reading"] = _children(
        session, TimeStudyReading.study_id, studies, TimeStudyReading.id
    )
    actions = _children(
        session, ActionObservation.observation_id, observations, ActionObservation.action_id
    )
    for chunk in _chunks(areas):
        actions |= _ids(
            session,
            select(Action.id).where(
                Action.area_id.in_(chunk), *period_conditions(flt, Action.created_at)
            ),
        )
    ids["action"] = actions
    ids["action_observation"] = _children(
        session, ActionObservation.action_id, actions, ActionObservation.id
    )
    ids["action_event"] = _children(session, ActionEvent.action_id, actions, ActionEvent.id)
    ids["estimate"] = _children(
        session, Estimate.observation_id, observations, Estimate.id
    ) | _children(session, Estimate.action_id, actions, Estimate.id)
    return _Plan(ids=ids)


def _sent_before(session: Session, peer: str) -> dict[str, dict[uuid.UUID, str]]:
    sent: dict[str, dict[uuid.UUID, str]] = {}
    rows = session.execute(
        select(
            RecordSyncState.table_name, RecordSyncState.record_id, RecordSyncState.content_hash
        ).where(RecordSyncState.peer_device_id == peer)
    )
    for table, record_id, digest in rows:
        sent.setdefault(table, {})[record_id] = digest
    return sent


def _changed_only(session: Session, plan: _Plan, sent: dict[str, dict[uuid.UUID, str]]) -> _Plan:
    """Only records whose content differs from what was last sent to the destination."""
    changed: dict[str, set[uuid.UUID]] = {}
    for table, _ in PACK_TABLES:
        before = sent.get(table, {})
        keep: set[uuid.UUID] = set()
        for d in _rows(session, table, None if plan.whole else plan.ids.get(table, set())):
            record_id = uuid.UUID(str(d["id"]))
            if before.get(record_id) != content_hash(table, d):
                keep.add(record_id)
        changed[table] = keep
    return _Plan(ids=changed)


def _add_parents(session: Session, plan: _Plan) -> None:
    """Every parent a chosen record points at, so the pack imports on an empty database."""
    if plan.whole:
        return
    for table, model in reversed(PACK_TABLES):
        chosen = plan.ids.setdefault(table, set())
        for column, parent in PARENT_KEYS[table]:
            needed: set[uuid.UUID] = set()
            for chunk in _chunks(chosen):
                needed |= {
                    v
                    for v in session.execute(
                        select(getattr(model, column)).where(
                            model.id.in_(chunk),  # type: ignore[attr-defined]
                        )
                    ).scalars()
                    if v is not None
                }
            plan.ids.setdefault(parent, set()).update(needed)


def _newest_change(session: Session) -> dt.datetime | None:
    newest: dt.datetime | None = None
    for _, model in PACK_TABLES:
        value = session.execute(select(func.max(model.updated_at))).scalar_one_or_none()  # type: ignore[attr-defined]
        if value is not None and (newest is None or value > newest):
            newest = value
    return newest


# --- reading rows ---------------------------------------------------------------------------------


def _plain_columns(table: str) -> list[Any]:
    model = MODELS[table]
    return [
        c
        for c in model.__table__.columns  # type: ignore[attr-defined]
        if c.name not in _BINARY
    ]


def _rows(
    session: Session, table: str, ids: set[uuid.UUID] | None, *, with_bytes: bool = False
) -> Iterator[dict[str, object]]:
    """The table's records as pack dicts, ordered by id; photos with their bytes' sha256 (and,
    with_bytes, the bytes themselves under "data"/"thumbnail_png", one photo at a time)."""
    model = MODELS[table]
    columns = _plain_columns(table)
    id_column = model.id  # type: ignore[attr-defined]
    batches: Iterable[list[uuid.UUID] | None] = [None] if ids is None else _chunks(ids)
    for chunk in batches:
        stmt = select(*columns).order_by(id_column)
        if chunk is not None:
            stmt = stmt.where(id_column.in_(chunk))
        for row in session.execute(stmt).yield_per(_BATCH):
            values = dict(row._mapping)
            if table == "photo":
                data, thumb = session.execute(
                    select(Photo.data, Photo.thumbnail_png).where(Photo.id == values["id"])
                ).one()
                values["data"] = data
                values["thumbnail_png"] = thumb
                d = record_dict(values, table)
                if with_bytes:
                    d["data"] = data
                    d["thumbnail_png"] = thumb
                yield d
            else:
                yield record_dict(values, table)


# --- writing --------------------------------------------------------------------------------------


def _member(name: str, compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = compress_type
    info.external_attr = 0o100644 << 16
    return info


def _write_zip(
    session: Session,
    db: Database,
    temporary: Path,
    plan: _Plan,
    flt: DataFilter,
    destination: str | None,
    since: dt.datetime | None,
    progress: Progress | None,
) -> tuple[dict[str, int], int, list[tuple[str, uuid.UUID, str]]]:
    counts: dict[str, int] = {}
    tables: dict[str, dict[str, object]] = {}
    hashes: list[tuple[str, uuid.UUID, str]] = []
    photos_written: set[str] = set()
    photo_bytes = 0
    with (
        temporary.open("xb") as handle,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for position, (table, _) in enumerate(PACK_TABLES):
            report(
                progress,
                0.05 + 0.9 * position / len(PACK_TABLES),
                f"Writing {table.replace('_', ' ')} records",
            )
            ids = None if plan.whole else plan.ids.get(table, set())
            if ids is not None and not ids:
                continue
            name = f"data/{table}.jsonl"
            digest = hashlib.sha256()
            count = 0
            photo_ids: list[uuid.UUID] = []
            with archive.open(_member(name), "w") as member:
                for d in _rows(session, table, ids):
                    line = (canonical_json(d) + "\n").encode("ascii")
                    digest.update(line)
                    member.write(line)
                    count += 1
                    record_id = uuid.UUID(str(d["id"]))
                    hashes.append((table, record_id, content_hash(table, d)))
                    if table == "photo":
                        photo_ids.append(record_id)
            counts[table] = count
            tables[table] = {"file": name, "records": count, "sha256": digest.hexdigest()}
            for photo_id in photo_ids:
                # One photo's bytes in memory at a time.
                for blob in session.execute(
                    select(Photo.data, Photo.thumbnail_png).where(Photo.id == photo_id)
                ).one():
                    sha = hashlib.sha256(blob).hexdigest()
                    if sha not in photos_written:
                        photos_written.add(sha)
                        photo_bytes += len(blob)
                        # Stored, not deflated: JPEG and PNG are compressed already, and
                        # inflating them again was a third of reading a pack.
                        archive.writestr(_member(f"photos/{sha}.bin", zipfile.ZIP_STORED), blob)
        report(progress, 0.96, "Writing the manifest")
        manifest = {
            "format": PACK_FORMAT,
            "version": PACK_VERSION,
            "created_at": utcnow().isoformat(),
            "device_id": db.device_id,
            "program": f"WasteWalk {__version__}",
            "schema": migrations.head_revision(),
            "scope": _scope(session, flt, destination, since),
            "tables": tables,
            "photos": {"files": len(photos_written), "bytes": photo_bytes},
        }
        archive.writestr(_member(MANIFEST), json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    counts = {table: n for table, n in counts.items() if n}
    return counts, len(photos_written), hashes


def _scope(
    session: Session, flt: DataFilter, destination: str | None, since: dt.datetime | None
) -> dict[str, object]:
    csu = None
    area = None
    if flt.csu_id is not None:
        csu = session.execute(select(Csu.name).where(Csu.id == flt.csu_id)).scalar_one_or_none()
    if flt.area_id is not None:
        area = session.execute(select(Area.name).where(Area.id == flt.area_id)).scalar_one_or_none()
    return {
        "csu": csu,
        "area": area,
        "from": flt.date_from.isoformat() if flt.date_from else None,
        "to": flt.date_to.isoformat() if flt.date_to else None,
        "since_last": destination,
        "since": since.isoformat() if since else None,
    }


def _remember(
    session: Session, peer: str, hashes: Sequence[tuple[str, uuid.UUID, str]], now: dt.datetime
) -> None:
    """Record what was sent to `peer`, so the next pack to it leaves unchanged records out."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(hashes), _BATCH):
        values = [
            {
                "table_name": name,
                "record_id": record_id,
                "peer_device_id": peer,
                "content_hash": digest,
                "met_at": now,
            }
            for name, record_id, digest in hashes[start : start + _BATCH]
        ]
        stmt = insert(RecordSyncState).values(values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["table_name", "record_id", "peer_device_id"],
            set_={"content_hash": stmt.excluded.content_hash, "met_at": stmt.excluded.met_at},
        )
        session.execute(stmt)


def list_destinations(db: Database) -> list[str]:
    """Destinations packs were handed to with --since-last, most recent first."""
    with db.session() as session:
        rows = session.execute(
            select(PackExportLog.destination, func.max(PackExportLog.exported_at))
            .where(PackExportLog.destination.is_not(None))
            .group_by(PackExportLog.destination)
            .order_by(func.max(PackExportLog.exported_at).desc())
        )
        return [str(row[0]) for row in rows]
