"""Activity follows: categories, the follow, its segments of time and its interruptions."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from wastewalk.models.base import Base, Record, UTCDateTime

logger = logging.getLogger(__name__)


class ActivityCategory(Record, Base):
    """What staff spend time on (Productive Ward); the defaults ship, teams may add and relabel."""

    __tablename__ = "activity_category"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    key: Mapped[str | None] = mapped_column(String(1))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_direct_care: Mapped[bool] = mapped_column(Boolean, default=False)
    is_transit: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ActivityFollow(Record, Base):
    """One observer following one member of staff (by role, never by name) for a period.

    Offsets (`*_s`) are seconds from the start of the follow by the monotonic clock; `started_at`
    anchors them to the wall clock. `walk_id` is the walk that holds observations made from
    segments tagged as waste, created on first use.
    """

    __tablename__ = "activity_follow"
    __table_args__ = (
        CheckConstraint("mode IN ('continuous', 'sampling')", name="mode"),
        CheckConstraint("interval_s BETWEEN 10 AND 3600", name="interval"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
    )

    area_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("area.id"), index=True)
    observer: Mapped[str] = mapped_column(String(200), default="")
    staff_role: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(12), default="continuous")
    interval_s: Mapped[int] = mapped_column(Integer, default=60)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    length_s: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    walk_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("walk.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ActivitySegment(Record, Base):
    """A stretch of time in one category. The open (current) segment has no end yet."""

    __tablename__ = "activity_segment"
    __table_args__ = (
        CheckConstraint("start_s >= 0", name="start_not_negative"),
        CheckConstraint("end_s IS NULL OR end_s >= start_s", name="ends_after_start"),
        Index("ix_activity_segment_follow_start", "follow_id", "start_s"),
    )

    follow_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("activity_follow.id"))
    category_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("activity_category.id"))
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float | None] = mapped_column(Float)
    sampled: Mapped[bool] = mapped_column(Boolean, default=False)
    location: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    waste_category_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("waste_category.id")
    )
    observation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("observation.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ActivityInterruption(Record, Base):
    """The member of staff was interrupted (a bleep, a question) at a moment of the follow."""

    __tablename__ = "activity_interruption"

    follow_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("activity_follow.id"), index=True)
    at_s: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
