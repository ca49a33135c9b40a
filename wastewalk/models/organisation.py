"""Trust → CSU → area."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wastewalk.models.base import Base, Record, UTCDateTime

logger = logging.getLogger(__name__)


class Trust(Record, Base):
    """An NHS trust: the top of the organisation tree (normally one per database)."""

    __tablename__ = "trust"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    csus: Mapped[list[Csu]] = relationship(back_populates="trust")


class Csu(Record, Base):
    """A Clinical Service Unit within a trust."""

    __tablename__ = "csu"
    __table_args__ = (UniqueConstraint("trust_id", "name"),)

    trust_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("trust.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    trust: Mapped[Trust] = relationship(back_populates="csus")
    areas: Mapped[list[Area]] = relationship(back_populates="csu")


class Area(Record, Base):
    """A ward, department or clinic; carries its operating days per year for annualising."""

    __tablename__ = "area"
    __table_args__ = (
        UniqueConstraint("csu_id", "name"),
        CheckConstraint("operating_days_per_year BETWEEN 1 AND 366", name="operating_days"),
        CheckConstraint("kind IN ('ward', 'department', 'clinic')", name="kind"),
    )

    csu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("csu.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="ward")
    operating_days_per_year: Mapped[int] = mapped_column(Integer, default=365)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    csu: Mapped[Csu] = relationship(back_populates="areas")
