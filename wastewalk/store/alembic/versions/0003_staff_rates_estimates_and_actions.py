# ruff: noqa: E501 - the shipped sources and check constraints are quoted whole, as they ship
"""staff rates, estimates and actions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Adds the staff-rate table (seeded with the shipped defaults and their sources, fixed uuid5 ids so
every laptop's defaults are the same records), cost estimates, actions with their observations
and history, and one setting: hours per WTE year (1950 = 37.5 x 52). The seed data is copied here
from resources/staff_rates_default.csv as it shipped, so this revision never changes.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

SHIPPED_DEVICE = "00000000-0000-0000-0000-000000000000"
RATE_NAMESPACE = uuid.UUID("3e0f4c1a-9b7d-4c2e-8f1a-6d5b4a3c2e10")
SETTING_NAMESPACE = uuid.UUID("7a2d9e4b-1c3f-4b8a-9e6d-0f1e2d3c4b5a")
DEFAULT_STAFF_RATES = [
    # code, staff group, band, pence per hour, basis, source, year
    (
        "hca-band-2",
        "Healthcare support worker, band 2",
        "2",
        1251,
        "basic pay only (£24,465 a year); excludes employer on-costs and overheads",
        "Agenda for Change pay points 2025/26 (England); hourly = annual / (37.5 x 52.143)",
        "2025/26",
    ),
    (
        "hca-band-3",
        "Healthcare support worker, band 3",
        "3",
        1360,
        "basic pay only, top of band (£26,598 a year); excludes employer on-costs and overheads",
        "Agenda for Change pay points 2025/26 (England); hourly = annual / (37.5 x 52.143)",
        "2025/26",
    ),
    (
        "nurse-band-4",
        "Nurse, band 4",
        "4",
        4700,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-5",
        "Nurse, band 5",
        "5",
        5700,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-6",
        "Nurse, band 6",
        "6",
        6800,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-7",
        "Nurse, band 7",
        "7",
        8000,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-8a",
        "Nurse, band 8a",
        "8a",
        9000,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-8b",
        "Nurse, band 8b",
        "8b",
        10300,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-8c",
        "Nurse, band 8c",
        "8c",
        12100,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-8d",
        "Nurse, band 8d",
        "8d",
        14100,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "nurse-band-9",
        "Nurse, band 9",
        "9",
        16800,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual (PSSRU Kent / CHE York, doi 10.22024/UniKent/01.02.115569), Table 9.2.1",
        "2025",
    ),
    (
        "ahp-band-4",
        "Allied health / scientific professional, band 4",
        "4",
        4200,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-5",
        "Allied health / scientific professional, band 5",
        "5",
        4700,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-6",
        "Allied health / scientific professional, band 6",
        "6",
        6000,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-7",
        "Allied health / scientific professional, band 7",
        "7",
        7200,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-8a",
        "Allied health / scientific professional, band 8a",
        "8a",
        8200,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-8b",
        "Allied health / scientific professional, band 8b",
        "8b",
        9600,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-8c",
        "Allied health / scientific professional, band 8c",
        "8c",
        11400,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-8d",
        "Allied health / scientific professional, band 8d",
        "8d",
        13500,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "ahp-band-9",
        "Allied health / scientific professional, band 9",
        "9",
        15900,
        "cost per working hour, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 8.2.1 (scientific and professional staff)",
        "2025",
    ),
    (
        "doctor-fy1",
        "Doctor, FY1",
        "",
        5600,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 11.3.2 (hospital-based doctors)",
        "2025",
    ),
    (
        "doctor-fy2",
        "Doctor, FY2",
        "",
        6300,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 11.3.2 (hospital-based doctors)",
        "2025",
    ),
    (
        "doctor-registrar",
        "Doctor, Registrar",
        "",
        9100,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 11.3.2 (hospital-based doctors)",
        "2025",
    ),
    (
        "doctor-associate-specialist",
        "Doctor, Associate specialist",
        "",
        14600,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 11.3.2 (hospital-based doctors)",
        "2025",
    ),
    (
        "doctor-consultant-medical",
        "Doctor, Consultant medical",
        "",
        17800,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 11.3.2 (hospital-based doctors)",
        "2025",
    ),
    (
        "doctor-consultant-surgical",
        "Doctor, Consultant surgical",
        "",
        18000,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 11.3.2 (hospital-based doctors)",
        "2025",
    ),
    (
        "doctor-consultant-psychiatric",
        "Doctor, Consultant psychiatric",
        "",
        17900,
        "cost per working hour incl. qualification, salary, on-costs and overheads",
        "Unit Costs of Health and Social Care 2025 Manual, Table 11.3.2 (hospital-based doctors)",
        "2025",
    ),
]


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_setting")),
        sa.UniqueConstraint("key", name=op.f("uq_app_setting_key")),
    )
    op.create_table(
        "staff_rate",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("staff_group", sa.String(length=200), nullable=False),
        sa.Column("band", sa.String(length=20), nullable=False),
        sa.Column("cost_per_hour_pence", sa.Integer(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("year", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "cost_per_hour_pence >= 0", name=op.f("ck_staff_rate_cost_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_rate")),
        sa.UniqueConstraint("code", name=op.f("uq_staff_rate_code")),
    )
    op.create_table(
        "action",
        sa.Column("area_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_by", sa.String(length=200), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'done', 'dropped')", name=op.f("ck_action_status")
        ),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_action_area_id_area")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["waste_category.id"],
            name=op.f("fk_action_category_id_waste_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index("ix_action_area_status", ["area_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_category_id"), ["category_id"], unique=False)

    op.create_table(
        "action_event",
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("what", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_event_action_id_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_event")),
    )
    with op.batch_alter_table("action_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_event_action_id"), ["action_id"], unique=False)

    op.create_table(
        "action_observation",
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("observation_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_observation_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observation.id"],
            name=op.f("fk_action_observation_observation_id_observation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_observation")),
        sa.UniqueConstraint("action_id", "observation_id", name="uq_action_observation"),
    )
    with op.batch_alter_table("action_observation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_observation_action_id"), ["action_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_observation_observation_id"), ["observation_id"], unique=False
        )

    op.create_table(
        "estimate",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("observation_id", sa.Uuid(), nullable=True),
        sa.Column("action_id", sa.Uuid(), nullable=True),
        sa.Column("staff_rate_id", sa.Uuid(), nullable=True),
        sa.Column("rate_code", sa.String(length=60), nullable=False),
        sa.Column("rate_label", sa.String(length=200), nullable=False),
        sa.Column("rate_pence", sa.Integer(), nullable=False),
        sa.Column("rate_source", sa.Text(), nullable=False),
        sa.Column("rate_year", sa.String(length=20), nullable=False),
        sa.Column("minutes_centi", sa.Integer(), nullable=False),
        sa.Column("staff_count_centi", sa.Integer(), nullable=False),
        sa.Column("occurrences_milli", sa.BigInteger(), nullable=False),
        sa.Column("per", sa.String(length=5), nullable=False),
        sa.Column("operating_days", sa.Integer(), nullable=False),
        sa.Column("consumables_pence", sa.BigInteger(), nullable=False),
        sa.Column("other_annual_pence", sa.BigInteger(), nullable=False),
        sa.Column("hours_per_wte_centi", sa.Integer(), nullable=False),
        sa.Column("cash_releasing", sa.Boolean(), nullable=False),
        sa.Column("recurrent", sa.Boolean(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("annual_value_pence", sa.BigInteger(), nullable=False),
        sa.Column("annual_hours_e4", sa.BigInteger(), nullable=False),
        sa.Column("priced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("area_id", sa.Uuid(), nullable=True),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_rollup", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "(kind = 'opportunity' AND observation_id IS NOT NULL AND action_id IS NULL) OR (kind <> 'opportunity' AND action_id IS NOT NULL AND observation_id IS NULL)",
            name=op.f("ck_estimate_one_owner"),
        ),
        sa.CheckConstraint(
            "NOT cash_releasing OR basis <> ''", name=op.f("ck_estimate_cash_releasing_has_basis")
        ),
        sa.CheckConstraint(
            "kind IN ('opportunity', 'expected', 'validated')", name=op.f("ck_estimate_kind")
        ),
        sa.CheckConstraint("per IN ('day', 'week', 'month', 'year')", name=op.f("ck_estimate_per")),
        sa.CheckConstraint(
            "minutes_centi >= 0 AND staff_count_centi >= 0 AND occurrences_milli >= 0 AND consumables_pence >= 0 AND other_annual_pence >= 0 AND rate_pence >= 0",
            name=op.f("ck_estimate_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_estimate_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observation.id"],
            name=op.f("fk_estimate_observation_id_observation"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_rate_id"], ["staff_rate.id"], name=op.f("fk_estimate_staff_rate_id_staff_rate")
        ),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_estimate_area_id_area")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["waste_category.id"],
            name=op.f("fk_estimate_category_id_waste_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimate")),
    )
    with op.batch_alter_table("estimate", schema=None) as batch_op:
        batch_op.create_index("ix_estimate_action_kind", ["action_id", "kind"], unique=False)
        batch_op.create_index("ix_estimate_observation", ["observation_id"], unique=False)
        batch_op.create_index(
            "ix_estimate_rollup",
            [
                "in_rollup",
                "area_id",
                "kind",
                "cash_releasing",
                "counted_at",
                "category_id",
                "annual_value_pence",
                "annual_hours_e4",
            ],
            unique=False,
        )

    _seed()


def _seed() -> None:
    shipped = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    if op.get_bind().dialect.name == "sqlite":
        shipped = shipped.replace(tzinfo=None)
    stamps = {"created_at": shipped, "updated_at": shipped, "device_id": SHIPPED_DEVICE}
    rate = sa.table(
        "staff_rate",
        *(
            sa.column(name)
            for name in (
                "id",
                "code",
                "staff_group",
                "band",
                "cost_per_hour_pence",
                "basis",
                "source",
                "year",
                "sort_order",
                "is_default",
                "created_at",
                "updated_at",
                "device_id",
            )
        ),
    )
    rate.c.id.type = sa.Uuid()
    rate.c.created_at.type = sa.DateTime(timezone=True)
    rate.c.updated_at.type = sa.DateTime(timezone=True)
    op.bulk_insert(
        rate,
        [
            {
                "id": uuid.uuid5(RATE_NAMESPACE, code),
                "code": code,
                "staff_group": group,
                "band": band,
                "cost_per_hour_pence": pence,
                "basis": basis,
                "source": source,
                "year": year,
                "sort_order": position,
                "is_default": True,
                **stamps,
            }
            for position, (code, group, band, pence, basis, source, year) in enumerate(
                DEFAULT_STAFF_RATES, start=1
            )
        ],
    )
    setting = sa.table(
        "app_setting",
        sa.column("id", sa.Uuid()),
        sa.column("key", sa.String()),
        sa.column("value", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("device_id", sa.String()),
    )
    op.bulk_insert(
        setting,
        [
            {
                "id": uuid.uuid5(SETTING_NAMESPACE, "hours_per_wte_year"),
                "key": "hours_per_wte_year",
                "value": "1950",
                **stamps,
            }
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("estimate", schema=None) as batch_op:
        batch_op.drop_index("ix_estimate_rollup")
        batch_op.drop_index("ix_estimate_observation")
        batch_op.drop_index("ix_estimate_action_kind")

    op.drop_table("estimate")
    with op.batch_alter_table("action_observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_observation_observation_id"))
        batch_op.drop_index(batch_op.f("ix_action_observation_action_id"))

    op.drop_table("action_observation")
    with op.batch_alter_table("action_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_event_action_id"))

    op.drop_table("action_event")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_category_id"))
        batch_op.drop_index("ix_action_area_status")

    op.drop_table("action")
    op.drop_table("staff_rate")
    op.drop_table("app_setting")
