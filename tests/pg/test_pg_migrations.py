"""The shipped migrations on PostgreSQL: empty to head, a schema equal to the models, and back."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from wastewalk.models import Base
from wastewalk.store import migrations
from wastewalk.store.database import open_database
from wastewalk.store.engine import make_engine


def test_an_empty_database_is_migrated_to_head_and_matches_the_models(pg_empty_url: str) -> None:
    db = open_database(pg_empty_url)
    try:
        assert db.path is None
        with db.engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.head_revision()
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
    finally:
        db.close()


def test_every_revision_downgrades_and_upgrades_again(pg_empty_url: str) -> None:
    engine = make_engine(pg_empty_url)
    try:
        migrations.upgrade(engine, "head")
        migrations.downgrade(engine, "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        migrations.upgrade(engine, "head")
        with engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.head_revision()
    finally:
        engine.dispose()
