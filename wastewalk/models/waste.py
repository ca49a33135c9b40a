"""Waste categories: the eight defaults plus a team's own; archived, never deleted."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wastewalk.models.base import Base, Record, UTCDateTime

logger = logging.getLogger(__name__)


class WasteCategory(Record, Base):
    """A category an observation is recorded against; `code` never changes once made."""

    __tablename__ = "waste_category"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    key: Mapped[str | None] = mapped_column(String(1))
    hint: Mapped[str] = mapped_column(String(500), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
