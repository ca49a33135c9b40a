"""Element time studies: the study, its ordered elements, and one reading per element per cycle."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import (
    CheckConstraint,
    Date,
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


class TimeStudy(Record, Base):
    """One process studied in one area, and how its readings become standard time."""

    __tablename__ = "time_study"
    __table_args__ = (
        CheckConstraint("allowance_basis IN ('job', 'workday')", name="allowance_basis"),
        CheckConstraint("selected_time IN ('mean', 'lrt')", name="selected_time"),
        CheckConstraint("allowance_pct >= 0", name="allowance_not_negative"),
        CheckConstraint(
            "allowance_basis = 'job' OR allowance_pct < 100", name="workday_allowance_below_100"
        ),
        CheckConstraint("available_minutes IS NULL OR available_minutes > 0", name="available"),
        CheckConstraint("demand IS NULL OR demand > 0", name="demand"),
        CheckConstraint("source IN ('timed', 'paper')", name="source"),
    )

    name: Mapped[str] = mapped_column(String(200), index=True)
    process: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("area.id"), index=True)
    observer: Mapped[str] = mapped_column(String(200), default="")
    study_date: Mapped[dt.date] = mapped_column(Date)
    allowance_pct: Mapped[float] = mapped_column(Float, default=0.0)
    allowance_basis: Mapped[str] = mapped_column(String(10), default="job")
    selected_time: Mapped[str] = mapped_column(String(10), default="mean")
    available_minutes: Mapped[float | None] = mapped_column(Float)
    demand: Mapped[float | None] = mapped_column(Float)
    confidence_pct: Mapped[int] = mapped_column(Integer, default=95)
    accuracy_pct: Mapped[float] = mapped_column(Float, default=5.0)
    source: Mapped[str] = mapped_column(String(10), default="timed")
    notes: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class TimeStudyElement(Record, Base):
    """One step of the process, in order, with its value class and pace rating."""

    __tablename__ = "time_study_element"
    __table_args__ = (
        CheckConstraint("value_class IN ('va', 'nnva', 'waste')", name="value_class"),
        CheckConstraint("rating_pct > 0", name="rating_positive"),
        CheckConstraint(
            "value_class = 'waste' OR waste_category_id IS NULL", name="waste_only_on_waste"
        ),
    )

    study_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("time_study.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    value_class: Mapped[str] = mapped_column(String(5), default="va")
    waste_category_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("waste_category.id")
    )
    rating_pct: Mapped[float] = mapped_column(Float, default=100.0)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class TimeStudyReading(Record, Base):
    """One cell of the sheet. Saved the moment it is taken; undone readings are soft-deleted.

    `sequence` orders the laps as they were taken, so "undo the last lap" and "go on after a
    restart" need no clock. An excluded reading keeps its seconds and needs a reason; a step not
    performed has no seconds at all (never a zero).
    """

    __tablename__ = "time_study_reading"
    __table_args__ = (
        CheckConstraint("state IN ('valid', 'excluded', 'not_performed')", name="state"),
        CheckConstraint(
            "(state = 'not_performed' AND seconds IS NULL) "
            "OR (state <> 'not_performed' AND seconds > 0)",
            name="seconds_match_state",
        ),
        CheckConstraint("state <> 'excluded' OR exclude_reason <> ''", name="excluded_has_reason"),
        CheckConstraint("cycle >= 1", name="cycle_positive"),
        Index("ix_time_study_reading_study_sequence", "study_id", "sequence"),
        Index("ix_time_study_reading_element_cycle", "element_id", "cycle"),
    )

    study_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("time_study.id"))
    element_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("time_study_element.id"))
    cycle: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(15), default="valid")
    seconds: Mapped[float | None] = mapped_column(Float)
    exclude_reason: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
