"""Engines with WasteWalk's per-connection settings, and the one-session-per-unit-of-work scope."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from wastewalk.domain.errors import DatabaseError

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


def to_url(target: str) -> str:
    """A database URL from either a URL or a plain file path."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database or an in-memory one."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite connections are made durable and strict as they open."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the sqlite3 module so BEGIN is ours: migrations then run as one
    # transaction, and a failed unit of work leaves nothing behind (SQLAlchemy's pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed save survives a flat battery one second later, not just a crashed program.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit, for handing plain results upward."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        world = world_error(exc)
        if world is None:
            raise
        raise world from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# SQLite's words for failures of the machine, not of WasteWalk, and what the person can do.
_WORLD_ERRORS = (
    (
        "disk is full",
        "The disk is full, so this was not saved. Free some space and try again; "
        "everything saved before is safe.",
    ),
    (
        "disk i/o error",
        "The disk could not be written, so this was not saved. Everything saved "
        "before is safe; check the drive, then try again.",
    ),
    (
        "readonly database",
        "The database file is read-only here, so this was not saved. Check the "
        "file's permissions or open a copy.",
    ),
    (
        "database is locked",
        "The database is busy in another WasteWalk window or program; this was "
        "not saved. Close the other one and try again.",
    ),
)


def world_error(exc: OperationalError) -> DatabaseError | None:
    """A plain DatabaseError for a full disk, I/O error, read-only file or lock; None otherwise."""
    text = str(exc.orig).lower()
    for marker, message in _WORLD_ERRORS:
        if marker in text:
            return DatabaseError(message)
    return None
