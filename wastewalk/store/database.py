"""Opening a database: check it, refuse what we cannot safely use, back it up, migrate it.

A new database and an old one take the same path: both are upgraded from their current revision
(none, for a new file) to head by the shipped migrations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from wastewalk.domain.errors import DatabaseDamagedError, DatabaseError, DatabaseTooNewError
from wastewalk.store import backup, migrations, paths
from wastewalk.store.engine import (
    make_engine,
    make_sessionmaker,
    session_scope,
    sqlite_path,
    to_url,
    unreachable_error,
)
from wastewalk.store.integrity import check_file, read_only_connection

logger = logging.getLogger(__name__)


@dataclass
class Database:
    """An open, checked, up-to-date database and the way to get sessions on it."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None = None
    device_id: str = ""
    warnings: list[str] = field(default_factory=list)
    # What opening did, for `db upgrade` to report: the revision it found and the backup it took.
    upgraded_from: str | None = None
    pre_upgrade_backup: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def display_name(self) -> str:
        """What the title bar shows: the file, or the server database without its password."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work (see store.engine.session_scope)."""
        with session_scope(self.sessions) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    target: str | None = None,
    *,
    upgrade: bool = True,
    daily_backup: bool = True,
    create: bool = True,
) -> Database:
    """Open `target` (a path or URL; default the user's file), refusing damaged or newer files.

    With `upgrade` False an out-of-date database is refused instead of migrated, and with
    `create` False a missing file is refused instead of made (both for `db check`).
    """
    url = to_url(target or paths.default_database())
    path = sqlite_path(url)
    warnings: list[str] = []
    existed = False
    if path is not None:
        existed = path.exists() and path.stat().st_size > 0
        if existed:
            _refuse_damaged(path)
            _refuse_unknown_revision_sqlite(path)
        elif not create:
            raise DatabaseError(f"There is no database at {path}")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"Cannot create the folder for the database {path}: {exc.strerror or exc}"
                ) from exc
        risk = paths.risky_location(path)
        if risk:
            warnings.append(risk)
            logger.warning(risk)

    engine = make_engine(url)
    try:
        upgraded_from, saved = _migrate(engine, path if existed else None, upgrade=upgrade)
        if path is not None and existed and daily_backup:
            backup.daily_backup(path)
    except OperationalError as exc:
        engine.dispose()
        unreachable = unreachable_error(url, exc)
        if unreachable is not None:
            logger.warning("database server unreachable: %s", exc.orig)
            raise unreachable from exc
        raise DatabaseError(f"Cannot open the database {_safe(url)}: {exc.orig}") from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(
        url=url,
        engine=engine,
        sessions=make_sessionmaker(engine),
        path=path,
        device_id=paths.device_id(),
        warnings=warnings,
        upgraded_from=upgraded_from,
        pre_upgrade_backup=saved,
    )


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _refuse_damaged(path: Path) -> None:
    problems = check_file(path)
    if not problems:
        return
    latest = backup.latest_good_backup(path)
    offer = (
        f" The latest good automatic backup is {latest}; restore it with "
        f"'wastewalk db restore \"{latest}\"' (your damaged file is kept)."
        if latest
        else " There is no automatic backup of it on this computer."
    )
    raise DatabaseDamagedError(
        f"The database {path} is damaged ({problems[0]}). It has not been changed.{offer}",
        latest_backup=str(latest) if latest else None,
    )


def _refuse_unknown_revision_sqlite(path: Path) -> None:
    # Read the stamp through a read-only connection, so a refused file is provably untouched.
    conn = read_only_connection(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        conn.close()
    _check_revision(str(path), revision, has_tables=bool(tables - {"alembic_version"}))


def _check_revision(where: str, revision: str | None, *, has_tables: bool) -> None:
    if revision is None:
        if has_tables:
            raise DatabaseError(
                f"{where} is not a WasteWalk database (it has tables but no WasteWalk version). "
                "It has not been changed."
            )
        return
    if revision not in migrations.known_revisions():
        raise DatabaseTooNewError(
            f"{where} was written by a newer version of WasteWalk (database version {revision}). "
            "Install the newer WasteWalk to open it; this version has not changed it."
        )


def _migrate(
    engine: Engine, existing_file: Path | None, *, upgrade: bool
) -> tuple[str | None, Path | None]:
    """Bring the database to head; returns the revision it was at and any backup taken."""
    with engine.connect() as connection:
        revision = migrations.current_revision(connection)
        has_tables = migrations.has_user_tables(connection)
    _check_revision(_safe(str(engine.url)), revision, has_tables=has_tables)
    head = migrations.head_revision()
    if revision == head:
        return revision, None
    if not upgrade:
        raise DatabaseError(
            f"The database is at version {revision or 'none'} and needs upgrading to {head}; "
            "run 'wastewalk db upgrade' (a backup is taken first)."
        )
    saved = None
    if existing_file is not None:
        saved = backup.backup_before_upgrade(existing_file, revision)
        logger.info(
            "upgrading %s from %s to %s; backup at %s", existing_file, revision, head, saved
        )
    migrations.upgrade(engine, head)
    return revision, saved


def integrity_report(db: Database) -> list[str]:
    """Problems found by a full integrity check and foreign-key check; empty when all is well."""
    if db.path is None:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return []
    problems = check_file(db.path, full=True)
    conn = read_only_connection(db.path)
    try:
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points at a missing {parent}")
    finally:
        conn.close()
    return problems
