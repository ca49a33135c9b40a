"""Staff rates, cost estimates, actions and their history.

Quantities are scaled integers (minutes and staff in hundredths, occurrences in thousandths, hours
in ten-thousandths) and money is whole pence, so SQLite and PostgreSQL hold exactly the same
numbers and sums in SQL are exact. An estimate keeps a copy of the rate it was priced with, so
editing a rate later never changes a figure already made.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from wastewalk.models.base import Base, Record, UTCDateTime

logger = logging.getLogger(__name__)


class StaffRate(Record, Base):
    """A staff group's cost per hour, with the basis of that cost, its source and year."""

    __tablename__ = "staff_rate"
    __table_args__ = (CheckConstraint("cost_per_hour_pence >= 0", name="cost_not_negative"),)

    code: Mapped[str] = mapped_column(String(60), unique=True)
    staff_group: Mapped[str] = mapped_column(String(200))
    band: Mapped[str] = mapped_column(String(20), default="")
    cost_per_hour_pence: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[str] = mapped_column(String(20), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AppSetting(Record, Base):
    """A setting every laptop sharing the data should agree on (hours per WTE year)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[str] = mapped_column(String(200))


class Action(Record, Base):
    """Something a team agreed to do about one or more observations, and the saving it makes.

    Once its saving is validated the action is locked; unlocking is deliberate and recorded in
    `action_event`.
    """

    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'in_progress', 'done', 'dropped')", name="status"),
        Index("ix_action_area_status", "area_id", "status"),
    )

    area_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("area.id"))
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("waste_category.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    notes: Mapped[str] = mapped_column(Text, default="")
    validated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    validated_by: Mapped[str] = mapped_column(String(200), default="")
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ActionObservation(Record, Base):
    """An observation an action was made from."""

    __tablename__ = "action_observation"
    __table_args__ = (
        UniqueConstraint("action_id", "observation_id", name="uq_action_observation"),
    )

    action_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("action.id"), index=True)
    observation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("observation.id"), index=True
    )


class ActionEvent(Record, Base):
    """The history of an action that matters to an auditor: validation, unlocks, re-pricing."""

    __tablename__ = "action_event"

    action_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("action.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    who: Mapped[str] = mapped_column(String(200), default="")
    what: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")


class Estimate(Record, Base):
    """One costed estimate: an observation's opportunity, or an action's expected or validated
    saving. Inputs, the rate used (copied) and the results are all kept."""

    __tablename__ = "estimate"
    __table_args__ = (
        CheckConstraint("kind IN ('opportunity', 'expected', 'validated')", name="kind"),
        CheckConstraint(
            "(kind = 'opportunity' AND observation_id IS NOT NULL AND action_id IS NULL) OR "
            "(kind <> 'opportunity' AND action_id IS NOT NULL AND observation_id IS NULL)",
            name="one_owner",
        ),
        CheckConstraint("per IN ('day', 'week', 'month', 'year')", name="per"),
        CheckConstraint(
            "minutes_centi >= 0 AND staff_count_centi >= 0 AND occurrences_milli >= 0 "
            "AND consumables_pence >= 0 AND other_annual_pence >= 0 AND rate_pence >= 0",
            name="not_negative",
        ),
        CheckConstraint("NOT cash_releasing OR basis <> ''", name="cash_releasing_has_basis"),
        Index("ix_estimate_observation", "observation_id"),
        Index("ix_estimate_action_kind", "action_id", "kind"),
        # Covers the roll-ups: they read this index alone, never the wide rows.
        Index(
            "ix_estimate_rollup",
            "in_rollup",
            "area_id",
            "kind",
            "cash_releasing",
            "counted_at",
            "category_id",
            "annual_value_pence",
            "annual_hours_e4",
        ),
    )

    kind: Mapped[str] = mapped_column(String(12))
    observation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("observation.id"))
    action_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("action.id"))
    staff_rate_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("staff_rate.id"))
    # The rate as it was when priced: a later edit of the rate changes none of these.
    rate_code: Mapped[str] = mapped_column(String(60), default="")
    rate_label: Mapped[str] = mapped_column(String(200), default="")
    rate_pence: Mapped[int] = mapped_column(Integer, default=0)
    rate_source: Mapped[str] = mapped_column(Text, default="")
    rate_year: Mapped[str] = mapped_column(String(20), default="")
    minutes_centi: Mapped[int] = mapped_column(Integer, default=0)
    staff_count_centi: Mapped[int] = mapped_column(Integer, default=100)
    occurrences_milli: Mapped[int] = mapped_column(BigInteger, default=0)
    per: Mapped[str] = mapped_column(String(5), default="day")
    operating_days: Mapped[int] = mapped_column(Integer)
    consumables_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    other_annual_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    hours_per_wte_centi: Mapped[int] = mapped_column(Integer, default=195000)
    cash_releasing: Mapped[bool] = mapped_column(Boolean, default=False)
    recurrent: Mapped[bool] = mapped_column(Boolean, default=True)
    basis: Mapped[str] = mapped_column(Text, default="")
    annual_value_pence: Mapped[int] = mapped_column(BigInteger)
    annual_hours_e4: Mapped[int] = mapped_column(BigInteger)
    priced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Where and when the estimate counts, copied from its observation (walk's area, waste, time
    # seen) or its action (area, waste, made or validated), and whether it counts at all (live
    # estimate of a live observation, live action, validated only while locked). Kept in step by
    # services.estimates.refresh_rollup_columns, so a roll-up is one scan of one index.
    area_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("area.id"))
    category_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("waste_category.id"))
    counted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    in_rollup: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
