"""pack sync bookkeeping

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Adds the local tables behind packs (.wwpack): each record's content hash when this database last
met a peer (record_sync_state), the export and import logs, and conflicts kept until a person
chooses. None of them is a Record; none travels in a pack. No existing table changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_sync_state",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("peer_device_id", sa.String(length=240), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "table_name", "record_id", "peer_device_id", name=op.f("pk_record_sync_state")
        ),
    )
    op.create_table(
        "pack_export_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("destination", sa.String(length=200), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("up_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_export_log")),
    )
    with op.batch_alter_table("pack_export_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pack_export_log_destination", ["destination", "up_to"], unique=False
        )

    op.create_table(
        "pack_import_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pack_device_id", sa.String(length=64), nullable=False),
        sa.Column("pack_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("pack_sha256", sa.String(length=64), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("identical", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("skipped_local_newer", sa.Integer(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_import_log")),
    )
    op.create_table(
        "pack_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("pack_device_id", sa.String(length=64), nullable=False),
        sa.Column("local_json", sa.Text(), nullable=False),
        sa.Column("incoming_json", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("import_log_id", sa.Uuid(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=10), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('both_edited', 'edited_vs_deleted', 'deleted_vs_edited')",
            name=op.f("ck_pack_conflict_kind"),
        ),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('local', 'incoming')",
            name=op.f("ck_pack_conflict_resolution"),
        ),
        sa.ForeignKeyConstraint(
            ["import_log_id"],
            ["pack_import_log.id"],
            name=op.f("fk_pack_conflict_import_log_id_pack_import_log"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_conflict")),
    )
    with op.batch_alter_table("pack_conflict", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pack_conflict_import_log_id"), ["import_log_id"], unique=False
        )
        batch_op.create_index("ix_pack_conflict_record", ["table_name", "record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pack_conflict", schema=None) as batch_op:
        batch_op.drop_index("ix_pack_conflict_record")
        batch_op.drop_index(batch_op.f("ix_pack_conflict_import_log_id"))

    op.drop_table("pack_conflict")
    op.drop_table("pack_import_log")
    with op.batch_alter_table("pack_export_log", schema=None) as batch_op:
        batch_op.drop_index("ix_pack_export_log_destination")

    op.drop_table("pack_export_log")
    op.drop_table("record_sync_state")
