"""Alembic environment for WasteWalk; always given a live connection by wastewalk.store."""

from __future__ import annotations

from alembic import context

from wastewalk.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "WasteWalk migrations run from the program (wastewalk db upgrade), not the alembic command"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
