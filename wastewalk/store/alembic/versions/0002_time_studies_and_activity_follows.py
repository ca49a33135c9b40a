"""time studies and activity follows

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Adds element time studies (study, elements, readings) and activity follows (categories, follows,
segments, interruptions). Seeds the ten Productive Ward activity categories with fixed ids (uuid5 of
their codes) so every laptop's defaults are the same records. Seed data is copied here, not
imported, so this revision stays as it shipped whatever later code does.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

SHIPPED_DEVICE = "00000000-0000-0000-0000-000000000000"
ACTIVITY_NAMESPACE = uuid.UUID("8c0b6a55-4a1e-4f57-9d0e-2f7a3e6b1c90")
# code, label, key, is_direct_care, is_transit
DEFAULT_ACTIVITIES = [
    ("direct_care", "Direct care", "1", True, False),
    ("indirect_care", "Indirect care", "2", False, False),
    ("medication", "Medication", "3", False, False),
    ("documentation", "Documentation", "4", False, False),
    ("communication", "Professional communication", "5", False, False),
    ("ward_related", "Ward-related", "6", False, False),
    ("transit", "In transit", "7", False, True),
    ("supervision", "Supervision", "8", False, False),
    ("break", "Social/break", "9", False, False),
    ("other", "Other", "0", False, False),
]


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_category",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=1), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_direct_care", sa.Boolean(), nullable=False),
        sa.Column("is_transit", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_category")),
        sa.UniqueConstraint("code", name=op.f("uq_activity_category_code")),
    )
    op.create_table(
        "time_study",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("process", sa.String(length=200), nullable=False),
        sa.Column("area_id", sa.Uuid(), nullable=False),
        sa.Column("observer", sa.String(length=200), nullable=False),
        sa.Column("study_date", sa.Date(), nullable=False),
        sa.Column("allowance_pct", sa.Float(), nullable=False),
        sa.Column("allowance_basis", sa.String(length=10), nullable=False),
        sa.Column("selected_time", sa.String(length=10), nullable=False),
        sa.Column("available_minutes", sa.Float(), nullable=True),
        sa.Column("demand", sa.Float(), nullable=True),
        sa.Column("confidence_pct", sa.Integer(), nullable=False),
        sa.Column("accuracy_pct", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "allowance_basis = 'job' OR allowance_pct < 100",
            name=op.f("ck_time_study_workday_allowance_below_100"),
        ),
        sa.CheckConstraint(
            "allowance_basis IN ('job', 'workday')", name=op.f("ck_time_study_allowance_basis")
        ),
        sa.CheckConstraint(
            "selected_time IN ('mean', 'lrt')", name=op.f("ck_time_study_selected_time")
        ),
        sa.CheckConstraint("source IN ('timed', 'paper')", name=op.f("ck_time_study_source")),
        sa.CheckConstraint("allowance_pct >= 0", name=op.f("ck_time_study_allowance_not_negative")),
        sa.CheckConstraint(
            "available_minutes IS NULL OR available_minutes > 0",
            name=op.f("ck_time_study_available"),
        ),
        sa.CheckConstraint("demand IS NULL OR demand > 0", name=op.f("ck_time_study_demand")),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_time_study_area_id_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_study")),
    )
    with op.batch_alter_table("time_study", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_time_study_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_time_study_name"), ["name"], unique=False)

    op.create_table(
        "activity_follow",
        sa.Column("area_id", sa.Uuid(), nullable=False),
        sa.Column("observer", sa.String(length=200), nullable=False),
        sa.Column("staff_role", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("length_s", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("walk_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "mode IN ('continuous', 'sampling')", name=op.f("ck_activity_follow_mode")
        ),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= started_at",
            name=op.f("ck_activity_follow_ends_after_start"),
        ),
        sa.CheckConstraint(
            "interval_s BETWEEN 10 AND 3600", name=op.f("ck_activity_follow_interval")
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["area.id"], name=op.f("fk_activity_follow_area_id_area")
        ),
        sa.ForeignKeyConstraint(
            ["walk_id"], ["walk.id"], name=op.f("fk_activity_follow_walk_id_walk")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_follow")),
    )
    with op.batch_alter_table("activity_follow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_follow_area_id"), ["area_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_activity_follow_started_at"), ["started_at"], unique=False
        )

    op.create_table(
        "time_study_element",
        sa.Column("study_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value_class", sa.String(length=5), nullable=False),
        sa.Column("waste_category_id", sa.Uuid(), nullable=True),
        sa.Column("rating_pct", sa.Float(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "value_class = 'waste' OR waste_category_id IS NULL",
            name=op.f("ck_time_study_element_waste_only_on_waste"),
        ),
        sa.CheckConstraint(
            "value_class IN ('va', 'nnva', 'waste')", name=op.f("ck_time_study_element_value_class")
        ),
        sa.CheckConstraint("rating_pct > 0", name=op.f("ck_time_study_element_rating_positive")),
        sa.ForeignKeyConstraint(
            ["study_id"], ["time_study.id"], name=op.f("fk_time_study_element_study_id_time_study")
        ),
        sa.ForeignKeyConstraint(
            ["waste_category_id"],
            ["waste_category.id"],
            name=op.f("fk_time_study_element_waste_category_id_waste_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_study_element")),
    )
    with op.batch_alter_table("time_study_element", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_time_study_element_study_id"), ["study_id"], unique=False
        )

    op.create_table(
        "activity_interruption",
        sa.Column("follow_id", sa.Uuid(), nullable=False),
        sa.Column("at_s", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["follow_id"],
            ["activity_follow.id"],
            name=op.f("fk_activity_interruption_follow_id_activity_follow"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_interruption")),
    )
    with op.batch_alter_table("activity_interruption", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_interruption_follow_id"), ["follow_id"], unique=False
        )

    op.create_table(
        "activity_segment",
        sa.Column("follow_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=True),
        sa.Column("sampled", sa.Boolean(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("waste_category_id", sa.Uuid(), nullable=True),
        sa.Column("observation_id", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "end_s IS NULL OR end_s >= start_s", name=op.f("ck_activity_segment_ends_after_start")
        ),
        sa.CheckConstraint("start_s >= 0", name=op.f("ck_activity_segment_start_not_negative")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["activity_category.id"],
            name=op.f("fk_activity_segment_category_id_activity_category"),
        ),
        sa.ForeignKeyConstraint(
            ["follow_id"],
            ["activity_follow.id"],
            name=op.f("fk_activity_segment_follow_id_activity_follow"),
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observation.id"],
            name=op.f("fk_activity_segment_observation_id_observation"),
        ),
        sa.ForeignKeyConstraint(
            ["waste_category_id"],
            ["waste_category.id"],
            name=op.f("fk_activity_segment_waste_category_id_waste_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_segment")),
    )
    with op.batch_alter_table("activity_segment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_segment_follow_start", ["follow_id", "start_s"], unique=False
        )

    op.create_table(
        "time_study_reading",
        sa.Column("study_id", sa.Uuid(), nullable=False),
        sa.Column("element_id", sa.Uuid(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=15), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("exclude_reason", sa.Text(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "(state = 'not_performed' AND seconds IS NULL) "
            "OR (state <> 'not_performed' AND seconds > 0)",
            name=op.f("ck_time_study_reading_seconds_match_state"),
        ),
        sa.CheckConstraint(
            "state <> 'excluded' OR exclude_reason <> ''",
            name=op.f("ck_time_study_reading_excluded_has_reason"),
        ),
        sa.CheckConstraint(
            "state IN ('valid', 'excluded', 'not_performed')",
            name=op.f("ck_time_study_reading_state"),
        ),
        sa.CheckConstraint("cycle >= 1", name=op.f("ck_time_study_reading_cycle_positive")),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["time_study_element.id"],
            name=op.f("fk_time_study_reading_element_id_time_study_element"),
        ),
        sa.ForeignKeyConstraint(
            ["study_id"], ["time_study.id"], name=op.f("fk_time_study_reading_study_id_time_study")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_study_reading")),
    )
    with op.batch_alter_table("time_study_reading", schema=None) as batch_op:
        batch_op.create_index(
            "ix_time_study_reading_element_cycle", ["element_id", "cycle"], unique=False
        )
        batch_op.create_index(
            "ix_time_study_reading_study_sequence", ["study_id", "sequence"], unique=False
        )

    _seed_activity_categories()


def _seed_activity_categories() -> None:
    category = sa.table(
        "activity_category",
        sa.column("id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("label", sa.String()),
        sa.column("key", sa.String()),
        sa.column("sort_order", sa.Integer()),
        sa.column("is_direct_care", sa.Boolean()),
        sa.column("is_transit", sa.Boolean()),
        sa.column("is_default", sa.Boolean()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("device_id", sa.String()),
    )
    # A fixed time, not now(): the seed must be identical on every laptop.
    shipped = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    if op.get_bind().dialect.name == "sqlite":
        shipped = shipped.replace(tzinfo=None)
    op.bulk_insert(
        category,
        [
            {
                "id": uuid.uuid5(ACTIVITY_NAMESPACE, code),
                "code": code,
                "label": label,
                "key": key,
                "sort_order": position,
                "is_direct_care": direct,
                "is_transit": transit,
                "is_default": True,
                "created_at": shipped,
                "updated_at": shipped,
                "device_id": SHIPPED_DEVICE,
            }
            for position, (code, label, key, direct, transit) in enumerate(
                DEFAULT_ACTIVITIES, start=1
            )
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("time_study_reading", schema=None) as batch_op:
        batch_op.drop_index("ix_time_study_reading_study_sequence")
        batch_op.drop_index("ix_time_study_reading_element_cycle")

    op.drop_table("time_study_reading")
    with op.batch_alter_table("activity_segment", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_segment_follow_start")

    op.drop_table("activity_segment")
    with op.batch_alter_table("activity_interruption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_interruption_follow_id"))

    op.drop_table("activity_interruption")
    with op.batch_alter_table("time_study_element", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_time_study_element_study_id"))

    op.drop_table("time_study_element")
    with op.batch_alter_table("activity_follow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_follow_started_at"))
        batch_op.drop_index(batch_op.f("ix_activity_follow_area_id"))

    op.drop_table("activity_follow")
    with op.batch_alter_table("time_study", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_time_study_name"))
        batch_op.drop_index(batch_op.f("ix_time_study_area_id"))

    op.drop_table("time_study")
    op.drop_table("activity_category")
