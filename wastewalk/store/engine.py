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
    """A plain DatabaseError for a full disk, I/O error, read-only file or lock, or a database
    server that went away; None otherwise."""
    text = str(exc.orig).lower()
    for marker, message in _WORLD_ERRORS:
        if marker in text:
            return DatabaseError(message)
    if exc.connection_invalidated or any(marker in text for marker in _SERVER_GONE):
        return DatabaseError(
            "The shared database could not be reached, so this was not saved. Everything saved "
            "before is safe on the server; try again when the network is back, or work on this "
            "laptop's own file with --db PATH and hand your walks over later as a pack."
        )
    return None


# PostgreSQL's (libpq's) words for a server that is not there or went away.
_SERVER_GONE = (
    "connection refused",
    "could not connect",
    "connection failed",
    "could not translate host name",
    "name or service not known",
    "server closed the connection",
    "terminating connection",
    "connection timed out",
    "no route to host",
    "network is unreachable",
    "consuming input failed",
    "the connection is closed",
    "connection is bad",
    "is the server running",
)


def server_place(url: str) -> str:
    """Where a server database lives, for messages: host (and port), or the socket folder."""
    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = ",".join(host)
    return f"{host}:{parsed.port}" if parsed.port else str(host)


def unreachable_error(url: str, exc: OperationalError) -> DatabaseError | None:
    """The plain words for a database server that cannot be reached; None for other failures."""
    text = str(exc.orig).lower()
    if make_url(url).get_backend_name() == "sqlite" or not any(m in text for m in _SERVER_GONE):
        return None
    lines = str(exc.orig).strip().splitlines() or ["no answer"]
    reason = lines[0].strip()
    for prefix in ("connection failed: ", "connection is bad: "):
        reason = reason.removeprefix(prefix)
    return DatabaseError(
        f"The shared database at {server_place(url)} cannot be reached ({reason}). Work on this "
        "laptop's own file with --db PATH (or the window's choice) and hand your walks over "
        "later as a pack."
    )
