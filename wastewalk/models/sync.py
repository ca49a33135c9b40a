"""Local bookkeeping for packs: what each peer last saw, what was exported, imported, in conflict.

These tables are not Records: they never travel in a pack. They describe this database's own
history of meeting other laptops, so they carry no device_id and no updated_at.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wastewalk.models.base import Base, UTCDateTime, utcnow

logger = logging.getLogger(__name__)

CONFLICT_KINDS = ("both_edited", "edited_vs_deleted", "deleted_vs_edited")
RESOLUTIONS = ("local", "incoming")


class RecordSyncState(Base):
    """A record's content hash when this database last met a peer (a device, or 'dest:NAME')."""

    __tablename__ = "record_sync_state"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    peer_device_id: Mapped[str] = mapped_column(String(240), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    met_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PackExportLog(Base):
    """One pack written: where to, when, and the newest change it carried (for --since-last)."""

    __tablename__ = "pack_export_log"
    __table_args__ = (Index("ix_pack_export_log_destination", "destination", "up_to"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    destination: Mapped[str | None] = mapped_column(String(200))
    exported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    up_to: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    records: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(255))


class PackImportLog(Base):
    """One pack read (applied, or previewed with dry_run) and what became of its records."""

    __tablename__ = "pack_import_log"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    pack_device_id: Mapped[str] = mapped_column(String(64))
    pack_created_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    file_name: Mapped[str] = mapped_column(String(255))
    pack_sha256: Mapped[str] = mapped_column(String(64))
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    identical: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    skipped_local_newer: Mapped[int] = mapped_column(Integer, default=0)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)


class PackConflict(Base):
    """A record both sides changed: both versions kept (as pack JSON) until a person chooses."""

    __tablename__ = "pack_conflict"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('both_edited', 'edited_vs_deleted', 'deleted_vs_edited')", name="kind"
        ),
        CheckConstraint(
            "resolution IS NULL OR resolution IN ('local', 'incoming')", name="resolution"
        ),
        Index("ix_pack_conflict_record", "table_name", "record_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    pack_device_id: Mapped[str] = mapped_column(String(64))
    local_json: Mapped[str] = mapped_column(Text)
    incoming_json: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    import_log_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("pack_import_log.id"), index=True
    )
    detected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolved_by: Mapped[str] = mapped_column(String(200), default="")
