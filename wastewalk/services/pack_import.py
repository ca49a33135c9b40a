"""Importing a pack: the preview (what it would do), then all of it in one transaction, logged.

Each incoming record R is compared with the local record L of the same id, and with B, the hash
this database kept for that record when it last met the pack's device (record_sync_state):

- no L: new (inserted); L and R hash the same: identical (skipped);
- B equals L's hash (unchanged here since they met): updated (R taken);
- B equals R's hash (the pack's copy is the one already taken, L changed since): local newer (kept);
- otherwise (never met, or both changed): a conflict. L stays as it is and both versions are kept in
  pack_conflict for a person to choose (services.pack_conflicts); never a silent overwrite.

A pack whose records point at parents that are neither in the pack nor here, or that would give a
record the same name as a different record here, is refused before anything is written. Applying
is one session: an error, a cancel or a killed process leaves the database as it was. Importing
the same pack twice changes nothing the second time (only the log records the attempt).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select, text
from sqlalchemy.orm import Session

from wastewalk.domain.progress import Progress, report, scaled
from wastewalk.models import PackImportLog, RecordSyncState
from wastewalk.services.pack_conflicts import TABLE_WORDS, deleted_flag, record_label
from wastewalk.services.pack_local import LocalReader, among, chunks, id_chunk, table_of
from wastewalk.services.pack_reader import KnownPhotos, PackContents, read_pack
from wastewalk.services.pack_records import (
    PACK_KEYSETS,
    PACK_TABLES,
    PARENT_KEYS,
    PackRefused,
    check_column,
    content_hash,
    decode_record,
    record_dict,
)
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

NEW, UPDATED, IDENTICAL, LOCAL_NEWER, CONFLICT = (
    "new",
    "updated",
    "identical",
    "local_newer",
    "conflict",
)


@dataclass(frozen=True)
class TableCounts:
    """What the pack holds for one table, and what importing it does."""

    table: str
    new: int
    updated: int
    identical: int
    local_newer: int
    conflicts: int

    @property
    def records(self) -> int:
        """Every record of this table in the pack."""
        return self.new + self.updated + self.identical + self.local_newer + self.conflicts


@dataclass(frozen=True)
class ConflictPreview:
    """One record changed on both sides (or deleted on one): both versions, and a label in words."""

    table: str
    record_id: uuid.UUID
    kind: str
    local: dict[str, object]
    incoming: dict[str, object]
    label: str


@dataclass(frozen=True)
class PackPreview:
    """What importing a pack would do; nothing has been changed."""

    file_name: str
    device_id: str
    created_at: dt.datetime | None
    tables: tuple[TableCounts, ...]
    conflicts: tuple[ConflictPreview, ...]
    photos: int
    sha256: str = ""

    @property
    def new(self) -> int:
        """Records the pack adds."""
        return sum(t.new for t in self.tables)

    @property
    def updated(self) -> int:
        """Records the pack brings a newer version of."""
        return sum(t.updated for t in self.tables)

    @property
    def identical(self) -> int:
        """Records already here exactly as in the pack (skipped)."""
        return sum(t.identical for t in self.tables)

    @property
    def local_newer(self) -> int:
        """Records changed here since the pack's copy was taken (kept as they are here)."""
        return sum(t.local_newer for t in self.tables)

    @property
    def conflict_count(self) -> int:
        """Records changed on both sides: kept for a person to choose."""
        return sum(t.conflicts for t in self.tables)

    @property
    def records(self) -> int:
        """Every record in the pack."""
        return sum(t.records for t in self.tables)


@dataclass(frozen=True)
class PackImport:
    """A pack imported (applied) or only previewed (dry run: log_id None, nothing changed)."""

    preview: PackPreview
    log_id: uuid.UUID | None
    applied: bool


@dataclass(frozen=True)
class ImportLogEntry:
    """One line of the import log."""

    id: uuid.UUID
    imported_at: dt.datetime
    pack_device_id: str
    pack_created_at: dt.datetime | None
    file_name: str
    pack_sha256: str
    new: int
    updated: int
    identical: int
    conflicts: int
    skipped_local_newer: int
    dry_run: bool


@dataclass
class Incoming:
    """One pack record, its hash and its verdict. The reader checked only its shape; `check`
    checks its values and puts it in canonical form, which every record not found identical to a
    stored one goes through before it is classified."""

    table: str
    pack: dict[str, object]
    id: uuid.UUID
    hash: str = ""  # content_hash of the canonical form, once checked or found identical
    line: int = 0
    file_name: str = ""  # the pack's, for messages
    base: str | None = None
    local: dict[str, object] | None = None
    local_hash: str | None = None
    kind: str = NEW
    _values: dict[str, Any] | None = None

    @property
    def where(self) -> str:
        """The record's place in the pack, for messages."""
        return f"{self.file_name}, data/{self.table}.jsonl line {self.line}"

    def check(self) -> None:
        """Check every value (PackRefused naming the line and column) and take the canonical
        form, whose hash compares with a stored record's."""
        if self._values is None:
            self._values = decode_record(self.table, self.pack, where=self.where)
            self.pack = record_dict(self._values, self.table)
            self.hash = content_hash(self.table, self.pack)

    @property
    def values(self) -> dict[str, Any]:
        """Column values for the model (photo bytes as their sha256 keys)."""
        self.check()
        assert self._values is not None
        return self._values


@dataclass
class Plan:
    """Every pack record classified, table by table in parent-before-child order."""

    contents: PackContents
    device_id: str
    tables: dict[str, list[Incoming]] = field(default_factory=dict)

    def of_kind(self, table: str, *kinds: str) -> list[Incoming]:
        """The table's records classified as one of `kinds`."""
        return [item for item in self.tables.get(table, []) if item.kind in kinds]


def _photos_held(db: Database) -> KnownPhotos:
    """Which of a pack's photo files (by sha256) this database already holds, as picture or
    thumbnail: those were checked as images when they arrived here."""

    def held(names: frozenset[str]) -> frozenset[str]:
        found: set[str] = set()
        wanted = sorted(names)
        with db.session() as session:
            dialect = session.get_bind().dialect.name
            photo = table_of("photo")
            column, convert = LocalReader.of("photo", dialect).pick("thumbnail_sha256")
            for part in chunks(wanted, id_chunk(dialect)):
                rows = session.execute(
                    select(photo.c.sha256, column).where(among(photo.c.sha256, part, dialect))
                )
                for sha, thumbnail_sha in rows:
                    found.add(sha)
                    if thumbnail_sha is not None:
                        found.add(thumbnail_sha if convert is None else convert(thumbnail_sha))
        return frozenset(found & names)

    return held


# A table that gained this many rows in one import has its planner statistics refreshed.
BIG_WRITE = 1000


def _refresh_statistics(session: Session, preview: PackPreview) -> None:
    """After a large import into PostgreSQL, ANALYZE the tables it filled, as autovacuum would
    later: with the statistics of a nearly empty table the planner scans instead of using the
    primary key, and the next import of the same pack took 4.3 s instead of 2.1 s. (SQLite plans
    these look-ups by primary key whatever its statistics say.)"""
    if session.get_bind().dialect.name != "postgresql":
        return
    written = {t.table: t.new + t.updated for t in preview.tables}
    big = [name for name, _ in PACK_TABLES if written.get(name, 0) >= BIG_WRITE]
    if sum(written.values()) >= BIG_WRITE:
        big.append("record_sync_state")
    for name in big:  # our own table names, never user input
        session.execute(text(f'ANALYZE "{name}"'))


def preview_pack(db: Database, path: Path, progress: Progress | None = None) -> PackPreview:
    """Read and check the pack at `path` and say what importing it would do; changes nothing.

    Raises PackRefused (a WasteWalkError) for a pack that cannot be imported, with the reason.
    """
    contents = read_pack(
        path, scaled(progress, 0.0, 0.6), known_photos=_photos_held(db), check_records=False
    )
    with db.session() as session:
        plan = classify(session, contents, scaled(progress, 0.6, 1.0))
        preview = _preview(session, plan)
        session.rollback()
    return preview


def import_pack(
    db: Database, path: Path, progress: Progress | None = None, *, dry_run: bool = False
) -> PackImport:
    """Import the pack at `path` in one transaction: new and updated records written, identical and
    locally newer ones left, conflicts kept for a person, the meeting remembered, the import logged.

    With `dry_run` only the preview is made and nothing at all is written (not even the log).
    A refused pack (PackRefused), an error or Cancelled from `progress` leaves nothing changed.
    """
    from wastewalk.services.pack_apply import apply_plan

    contents = read_pack(
        path, scaled(progress, 0.0, 0.3), known_photos=_photos_held(db), check_records=False
    )
    with db.session() as session:
        _serialise_imports(session)
        plan = classify(session, contents, scaled(progress, 0.3, 0.5))
        preview = _preview(session, plan)
        if dry_run:
            session.rollback()
            return PackImport(preview=preview, log_id=None, applied=False)
        log_id = apply_plan(session, plan, preview, scaled(progress, 0.5, 1.0))
        _refresh_statistics(session, preview)
    logger.info(
        "pack %s from %s imported: %d new, %d updated, %d identical, %d local newer, %d conflicts",
        contents.file_name,
        plan.device_id,
        preview.new,
        preview.updated,
        preview.identical,
        preview.local_newer,
        preview.conflict_count,
    )
    return PackImport(preview=preview, log_id=log_id, applied=True)


def import_log(db: Database, limit: int = 100) -> list[ImportLogEntry]:
    """The last `limit` imports (and dry runs logged by others), newest first."""
    with db.session() as session:
        rows = session.scalars(
            select(PackImportLog)
            .order_by(PackImportLog.imported_at.desc(), PackImportLog.id)
            .limit(limit)
        ).all()
        return [
            ImportLogEntry(
                id=r.id,
                imported_at=r.imported_at,
                pack_device_id=r.pack_device_id,
                pack_created_at=r.pack_created_at,
                file_name=r.file_name,
                pack_sha256=r.pack_sha256,
                new=r.new,
                updated=r.updated,
                identical=r.identical,
                conflicts=r.conflicts,
                skipped_local_newer=r.skipped_local_newer,
                dry_run=r.dry_run,
            )
            for r in rows
        ]


def _serialise_imports(session: Session) -> None:
    # Two imports at once into a shared PostgreSQL database would both see a record as new; one
    # waits for the other instead (the lock ends with the transaction). SQLite has one writer.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        session.execute(text("SELECT pg_advisory_xact_lock(727072)"))


def pack_device(contents: PackContents) -> str:
    """The device that wrote the pack, from its manifest."""
    device = contents.manifest.get("device_id")
    if not isinstance(device, str) or not device.strip():
        raise PackRefused("The pack's manifest does not say which device wrote it.")
    return device


def classify(session: Session, contents: PackContents, progress: Progress | None) -> Plan:
    """Check every record and its parents, and sort each into new, updated, identical, local
    newer or conflict against this database (see the module's docstring)."""
    plan = Plan(contents=contents, device_id=pack_device(contents))
    names = [name for name, _ in PACK_TABLES]
    for position, name in enumerate(names):
        report(progress, position / len(names), "Comparing with this database")
        rows = contents.tables.get(name, [])
        ids = contents.ids.get(name, [])
        lines = contents.lines.get(name, [])
        items = [
            Incoming(table=name, pack=raw, id=record_id, line=line, file_name=contents.file_name)
            for raw, record_id, line in zip(rows, ids, lines, strict=True)
        ]
        plan.tables[name] = items
        if items:
            _compare(session, plan.device_id, name, items)
    check_parents(session, plan)
    check_unique(session, plan)
    report(progress, 1.0, "Compared with this database")
    return plan


def _compare(session: Session, device: str, name: str, items: list[Incoming]) -> None:
    table = table_of(name)
    by_id = {item.id: item for item in items}
    by_text = {str(record_id): item for record_id, item in by_id.items()}
    dialect = session.get_bind().dialect.name
    reader = LocalReader.of(name, dialect)
    state = RecordSyncState.__table__
    for part in chunks(list(by_id), id_chunk(dialect)):
        for row in session.execute(select(*reader.columns).where(among(table.c.id, part, dialect))):
            stored = reader.to_dict(row)
            by_text[str(stored["id"])].local = stored
        for record_id, digest in session.execute(
            select(state.c.record_id, state.c.content_hash).where(
                and_(
                    state.c.table_name == name,
                    state.c.peer_device_id == device,
                    among(state.c.record_id, part, dialect),
                )
            )
        ):
            by_id[record_id].base = digest
    timed = "updated_at" in PACK_KEYSETS[name]
    for item in items:
        local = item.local
        if local is not None and reader.same_content(local, item.pack):
            # Identical to a stored record, which was checked when it was stored; updated_at is
            # the one value left to check. (Most of a re-import's records take this way.)
            if timed:
                check_column(name, "updated_at", item.pack, where=item.where)
            item.hash = item.local_hash = content_hash(name, local)
        else:
            item.check()
            if local is not None:
                item.local_hash = content_hash(name, local)
        item.kind = classify_one(item.hash, item.local_hash, item.base)


def classify_one(incoming: str, local: str | None, base: str | None) -> str:
    """The brief's rule for one record: its incoming hash, local hash (None: no local record) and
    the hash kept when this database last met the pack's device (None: never)."""
    if local is None:
        return NEW
    if local == incoming:
        return IDENTICAL
    if base is not None and base == local:
        return UPDATED
    if base is not None and base == incoming:
        return LOCAL_NEWER
    return CONFLICT


def conflict_kind(local: dict[str, object], incoming: dict[str, object]) -> str:
    """both_edited, or edited_vs_deleted (deleted in the pack) / deleted_vs_edited (deleted here)
    when exactly one side has the record deleted or archived."""
    here, there = deleted_flag(local), deleted_flag(incoming)
    if there and not here:
        return "edited_vs_deleted"
    if here and not there:
        return "deleted_vs_edited"
    return "both_edited"


def check_parents(session: Session, plan: Plan) -> None:
    """Refuse the pack (nothing changed) if a record it writes points at a parent that is neither
    in the pack nor in this database. (A record it leaves alone is here with its parents.)"""
    in_pack = {name: {item.id for item in items} for name, items in plan.tables.items()}
    for name in plan.tables:
        items = plan.of_kind(name, NEW, UPDATED)
        for column, parent in PARENT_KEYS.get(name, []):
            wanted: dict[uuid.UUID, Incoming] = {}
            for item in items:
                value = item.values.get(column)
                if value is not None and value not in in_pack.get(parent, set()):
                    wanted.setdefault(value, item)
            if not wanted:
                continue
            found: set[uuid.UUID] = set()
            parent_table = table_of(parent)
            dialect = session.get_bind().dialect.name
            for part in chunks(list(wanted), id_chunk(dialect)):
                found.update(
                    session.scalars(
                        select(parent_table.c.id).where(among(parent_table.c.id, part, dialect))
                    )
                )
            missing = [value for value in wanted if value not in found]
            if missing:
                item = wanted[missing[0]]
                more = f" ({len(missing) - 1} more like it)" if len(missing) > 1 else ""
                raise PackRefused(
                    f"The pack's {TABLE_WORDS.get(name, name)} {item.id} ({name}) points at "
                    f"{TABLE_WORDS.get(parent, parent)} {missing[0]} (its {column}), which is "
                    f"neither in the pack nor in this database{more}. Nothing was changed; import "
                    "the pack that holds it first, or export the whole of that laptop's data."
                )


def check_unique(session: Session, plan: Plan) -> None:
    """Refuse the pack if a record it writes would share a unique name or code with a different
    record here (two laptops made "the same" thing separately: the ids differ)."""
    from sqlalchemy import UniqueConstraint

    for name, items in plan.tables.items():
        writes = [item for item in items if item.kind in (NEW, UPDATED)]
        if not writes:
            continue
        table = table_of(name)
        for constraint in table.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            columns = [c.name for c in constraint.columns]
            owners: dict[tuple[object, ...], uuid.UUID] = {}
            for row in session.execute(select(table.c.id, *[table.c[c] for c in columns])):
                values = tuple(row)
                owners[tuple(values[1:])] = values[0]
            written = {item.id for item in writes}
            owners = {key: rid for key, rid in owners.items() if rid not in written}
            for item in writes:
                key = tuple(item.values[c] for c in columns)
                if any(part is None for part in key):
                    continue
                other = owners.get(key)
                if other is not None and other != item.id:
                    shown = ", ".join(f"{c} '{v}'" for c, v in zip(columns, key, strict=True))
                    raise PackRefused(
                        f"The pack's {TABLE_WORDS.get(name, name)} {item.id} has the same "
                        f"{shown} as a different {TABLE_WORDS.get(name, name)} here ({other}): "
                        "the two were made separately. Nothing was changed; rename one of them "
                        "and export the pack again."
                    )
                owners[key] = item.id


def _preview(session: Session, plan: Plan) -> PackPreview:
    counts: list[TableCounts] = []
    conflicts: list[ConflictPreview] = []
    for name, _ in PACK_TABLES:
        items = plan.tables.get(name, [])
        tally = {kind: 0 for kind in (NEW, UPDATED, IDENTICAL, LOCAL_NEWER, CONFLICT)}
        for item in items:
            tally[item.kind] += 1
            if item.kind == CONFLICT:
                assert item.local is not None
                conflicts.append(
                    ConflictPreview(
                        table=name,
                        record_id=item.id,
                        kind=conflict_kind(item.local, item.pack),
                        local=item.local,
                        incoming=item.pack,
                        label=record_label(session, name, item.local),
                    )
                )
        if items:
            counts.append(
                TableCounts(
                    table=name,
                    new=tally[NEW],
                    updated=tally[UPDATED],
                    identical=tally[IDENTICAL],
                    local_newer=tally[LOCAL_NEWER],
                    conflicts=tally[CONFLICT],
                )
            )
    created = plan.contents.manifest.get("created_at")
    created_at = None
    if isinstance(created, str):
        try:
            created_at = dt.datetime.fromisoformat(created)
        except ValueError:
            created_at = None
    return PackPreview(
        file_name=plan.contents.file_name,
        device_id=plan.device_id,
        created_at=created_at,
        tables=tuple(counts),
        conflicts=tuple(conflicts),
        photos=len(plan.contents.photos),
        sha256=plan.contents.sha256,
    )
