"""Waste walks and the people who took part."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wastewalk.models.base import Base, Record, UTCDateTime

logger = logging.getLogger(__name__)


class Walk(Record, Base):
    """One waste walk in one area."""

    __tablename__ = "walk"
    __table_args__ = (
        CheckConstraint("status IN ('in_progress', 'complete')", name="status"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
    )

    area_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("area.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    focus: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    notes: Mapped[str] = mapped_column(Text, default="")

    participants: Mapped[list[Participant]] = relationship(
        back_populates="walk", order_by="Participant.position"
    )


class Participant(Record, Base):
    """A person on a walk, with their role. Names only: no staff numbers, no patient data."""

    __tablename__ = "participant"
    __table_args__ = (
        CheckConstraint(
            "role IN ('staff', 'quality_partner', 'improvement_specialist', 'manager')",
            name="role",
        ),
    )

    walk_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("walk.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer, default=0)

    walk: Mapped[Walk] = relationship(back_populates="participants")
