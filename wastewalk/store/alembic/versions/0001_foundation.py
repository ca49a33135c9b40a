"""foundation: organisation, wastes, walks, observations, photos

Revision ID: 0001
Revises:
Create Date: 2026-11-24

Seeds the eight default waste categories with fixed ids (uuid5 of their codes), so every laptop's
defaults are the same records and packs from different laptops merge without conflicts. The seed
data is copied here, not imported, so this revision stays as it shipped whatever later code does.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

SHIPPED_DEVICE = "00000000-0000-0000-0000-000000000000"
WASTE_NAMESPACE = uuid.UUID("5d1f8f0e-2a8c-4f3a-9a53-1f2b3c4d5e6f")
DEFAULT_WASTES = [
    (
        "transport",
        "Transport",
        "1",
        "Patients, specimens, notes or equipment moved more than needed",
    ),
    (
        "inventory",
        "Inventory",
        "2",
        "Overstocked or expired supplies; patients queued; backlog of discharge letters",
    ),
    (
        "motion",
        "Motion",
        "3",
        "Walking to fetch kit, searching for items, poor layout, bending and reaching",
    ),
    (
        "waiting",
        "Waiting",
        "4",
        "Patients waiting for medicines to take home, staff waiting for results, "
        "beds waiting for cleaning",
    ),
    (
        "overproduction",
        "Overproduction",
        "5",
        "Tests 'just in case', printing forms nobody reads, preparing items not needed",
    ),
    (
        "overprocessing",
        "Over-processing",
        "6",
        "The same question asked three times, duplicate documentation, "
        "more checks than the risk needs",
    ),
    ("defects", "Defects", "7", "Medication errors, missing information, lost specimens, rework"),
    ("skills", "Unused skills", "8", "Staff working below their skill, ideas never asked for"),
]


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "trust",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust")),
        sa.UniqueConstraint("name", name=op.f("uq_trust_name")),
    )
    op.create_table(
        "waste_category",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=1), nullable=True),
        sa.Column("hint", sa.String(length=500), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_category")),
        sa.UniqueConstraint("code", name=op.f("uq_waste_category_code")),
    )
    op.create_table(
        "csu",
        sa.Column("trust_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["trust_id"], ["trust.id"], name=op.f("fk_csu_trust_id_trust")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_csu")),
        sa.UniqueConstraint("trust_id", "name", name=op.f("uq_csu_trust_id")),
    )
    with op.batch_alter_table("csu", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_csu_trust_id"), ["trust_id"], unique=False)

    op.create_table(
        "area",
        sa.Column("csu_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("operating_days_per_year", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint("kind IN ('ward', 'department', 'clinic')", name=op.f("ck_area_kind")),
        sa.CheckConstraint(
            "operating_days_per_year BETWEEN 1 AND 366", name=op.f("ck_area_operating_days")
        ),
        sa.ForeignKeyConstraint(["csu_id"], ["csu.id"], name=op.f("fk_area_csu_id_csu")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area")),
        sa.UniqueConstraint("csu_id", "name", name=op.f("uq_area_csu_id")),
    )
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_csu_id"), ["csu_id"], unique=False)

    op.create_table(
        "walk",
        sa.Column("area_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("focus", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint("status IN ('in_progress', 'complete')", name=op.f("ck_walk_status")),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= started_at", name=op.f("ck_walk_ends_after_start")
        ),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_walk_area_id_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walk")),
    )
    with op.batch_alter_table("walk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_walk_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_walk_started_at"), ["started_at"], unique=False)

    op.create_table(
        "observation",
        sa.Column("walk_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=True),
        sa.Column("frequency", sa.String(length=200), nullable=False),
        sa.Column("ease", sa.Integer(), nullable=True),
        sa.Column("domain_quality", sa.Boolean(), nullable=False),
        sa.Column("domain_delivery", sa.Boolean(), nullable=False),
        sa.Column("domain_service", sa.Boolean(), nullable=False),
        sa.Column("domain_morale", sa.Boolean(), nullable=False),
        sa.Column("domain_cost", sa.Boolean(), nullable=False),
        sa.Column("countermeasure", sa.Text(), nullable=False),
        sa.Column("suspected_identifier", sa.Boolean(), nullable=False),
        sa.Column("identifier_confirmed", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "ease IS NULL OR ease BETWEEN 1 AND 5", name=op.f("ck_observation_ease")
        ),
        sa.CheckConstraint(
            "impact IS NULL OR impact BETWEEN 1 AND 5", name=op.f("ck_observation_impact")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["waste_category.id"],
            name=op.f("fk_observation_category_id_waste_category"),
        ),
        sa.ForeignKeyConstraint(["walk_id"], ["walk.id"], name=op.f("fk_observation_walk_id_walk")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observation_category_observed", ["category_id", "observed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_observation_observed_at"), ["observed_at"], unique=False
        )
        batch_op.create_index(
            "ix_observation_walk_observed", ["walk_id", "observed_at"], unique=False
        )

    op.create_table(
        "participant",
        sa.Column("walk_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "role IN ('staff', 'quality_partner', 'improvement_specialist', 'manager')",
            name=op.f("ck_participant_role"),
        ),
        sa.ForeignKeyConstraint(["walk_id"], ["walk.id"], name=op.f("fk_participant_walk_id_walk")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_walk_id"), ["walk_id"], unique=False)

    op.create_table(
        "photo",
        sa.Column("observation_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("thumbnail_png", sa.LargeBinary(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "media_type IN ('image/jpeg', 'image/png')", name=op.f("ck_photo_media_type")
        ),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_photo_size_positive")),
        sa.ForeignKeyConstraint(
            ["observation_id"], ["observation.id"], name=op.f("fk_photo_observation_id_observation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_photo_observation_id"), ["observation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_photo_sha256"), ["sha256"], unique=False)

    waste = sa.table(
        "waste_category",
        sa.column("id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("label", sa.String()),
        sa.column("key", sa.String()),
        sa.column("hint", sa.String()),
        sa.column("sort_order", sa.Integer()),
        sa.column("is_default", sa.Boolean()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("device_id", sa.String()),
    )
    # A fixed time, not now(): the seed must be identical on every laptop.
    shipped = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    if op.get_bind().dialect.name == "sqlite":
        shipped = shipped.replace(tzinfo=None)
    op.bulk_insert(
        waste,
        [
            {
                "id": uuid.uuid5(WASTE_NAMESPACE, code),
                "code": code,
                "label": label,
                "key": key,
                "hint": hint,
                "sort_order": position,
                "is_default": True,
                "created_at": shipped,
                "updated_at": shipped,
                "device_id": SHIPPED_DEVICE,
            }
            for position, (code, label, key, hint) in enumerate(DEFAULT_WASTES, start=1)
        ],
    )


def downgrade() -> None:

    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_sha256"))
        batch_op.drop_index(batch_op.f("ix_photo_observation_id"))

    op.drop_table("photo")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_walk_id"))

    op.drop_table("participant")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_walk_observed")
        batch_op.drop_index(batch_op.f("ix_observation_observed_at"))
        batch_op.drop_index("ix_observation_category_observed")

    op.drop_table("observation")
    with op.batch_alter_table("walk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_walk_started_at"))
        batch_op.drop_index(batch_op.f("ix_walk_area_id"))

    op.drop_table("walk")
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_csu_id"))

    op.drop_table("area")
    with op.batch_alter_table("csu", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_csu_trust_id"))

    op.drop_table("csu")
    op.drop_table("waste_category")
    op.drop_table("trust")
