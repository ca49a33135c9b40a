"""What a walk saw: observations and their photos."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from wastewalk.models.base import Base, Record, UTCDateTime

logger = logging.getLogger(__name__)


class Observation(Record, Base):
    """One waste seen on a walk. Soft-deleted so undo and packs can carry the deletion."""

    __tablename__ = "observation"
    __table_args__ = (
        CheckConstraint("impact IS NULL OR impact BETWEEN 1 AND 5", name="impact"),
        CheckConstraint("ease IS NULL OR ease BETWEEN 1 AND 5", name="ease"),
        Index("ix_observation_walk_observed", "walk_id", "observed_at"),
        Index("ix_observation_category_observed", "category_id", "observed_at"),
    )

    walk_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("walk.id"))
    category_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("waste_category.id"))
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(200), default="")
    observed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    impact: Mapped[int | None] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(200), default="")
    ease: Mapped[int | None] = mapped_column(Integer)
    # One column per scorecard domain: five fixed domains, and each filterable in plain SQL.
    domain_quality: Mapped[bool] = mapped_column(Boolean, default=False)
    domain_delivery: Mapped[bool] = mapped_column(Boolean, default=False)
    domain_service: Mapped[bool] = mapped_column(Boolean, default=False)
    domain_morale: Mapped[bool] = mapped_column(Boolean, default=False)
    domain_cost: Mapped[bool] = mapped_column(Boolean, default=False)
    countermeasure: Mapped[str] = mapped_column(Text, default="")
    # Set when the text looks like it holds an NHS number; cleared only by redacting or confirming.
    suspected_identifier: Mapped[bool] = mapped_column(Boolean, default=False)
    identifier_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Photo(Record, Base):
    """A JPEG or PNG attached to an observation, kept in the database so a pack can carry it.

    The image bytes are deferred: listing photos never loads them.
    """

    __tablename__ = "photo"
    __table_args__ = (
        CheckConstraint("media_type IN ('image/jpeg', 'image/png')", name="media_type"),
        CheckConstraint("size_bytes > 0", name="size_positive"),
    )

    observation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("observation.id"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    thumbnail_png: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
