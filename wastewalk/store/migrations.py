"""The packaged Alembic environment, run from code: read, refuse, back up, upgrade."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

logger = logging.getLogger(__name__)

ALEMBIC_DIR = Path(__file__).parent / "alembic"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    """The shipped revisions."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision this version of WasteWalk writes."""
    head = script_directory().get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def known_revisions() -> set[str]:
    """Every revision this version of WasteWalk knows how to read."""
    return {rev.revision for rev in script_directory().walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, or None for a database never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def has_user_tables(connection: Connection) -> bool:
    """True when the database holds tables other than Alembic's own."""
    return any(name != "alembic_version" for name in inspect(connection).get_table_names())


def upgrade(engine: Engine, target: str = "head") -> None:
    """Upgrade to `target` in one transaction (SQLite DDL is transactional under our BEGIN)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), target)


def downgrade(engine: Engine, target: str) -> None:
    """Downgrade to `target`; used by the migration tests."""
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), target)
