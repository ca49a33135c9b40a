"""The data file and its backups, as the window shows them: list, back up now, restore.

Automatic backups exist for local SQLite files only; a shared PostgreSQL database is backed up
on its server (pg_dump), so every function here says so plainly instead of pretending.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from wastewalk.domain.errors import DatabaseError
from wastewalk.store import backup as store_backup
from wastewalk.store import paths
from wastewalk.store.database import Database, open_database
from wastewalk.store.engine import sqlite_path, to_url
from wastewalk.store.integrity import check_file

logger = logging.getLogger(__name__)

MANUAL_PREFIX = "manual-"
SERVER_BACKUPS = (
    "This is a shared PostgreSQL database: its backups are made on the database server "
    "(for example with pg_dump) by whoever runs it, not by WasteWalk on this laptop."
)


class BackupKind(StrEnum):
    """Why a backup was made."""

    DAILY = "daily"  # the first time the file is opened each day; the newest seven are kept
    PRE_UPGRADE = "pre-upgrade"  # just before a new WasteWalk changed the file's layout
    PRE_RESTORE = "pre-restore"  # the file as it was just before a restore replaced it
    MANUAL = "manual"  # made by a person ("Back up now…" or `wastewalk db backup`)


class RestoredButNotOpenedError(DatabaseError):
    """The backup is in place but would not open; the file it replaced is kept at `kept`."""

    def __init__(self, message: str, kept: Path) -> None:
        self.kept = kept
        super().__init__(message)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file."""

    name: str
    path: Path
    kind: BackupKind
    made_at: dt.datetime  # UTC: when the copy was written (the file's modification time)
    size_bytes: int


@dataclass(frozen=True)
class DataFileInfo:
    """What database is open and where its files live."""

    display_name: str
    engine_name: str  # "SQLite" or "PostgreSQL"
    path: Path | None  # the SQLite file; None for a server database
    size_bytes: int | None  # the file plus its write-ahead log; None for a server database
    data_folder: Path
    backup_folder: Path | None  # None when backups are made on a server

    @property
    def backups_on_server(self) -> bool:
        return self.path is None


@dataclass(frozen=True)
class RestoreResult:
    """A finished restore: the backup in place, the replaced file kept, the database reopened."""

    restored_from: Path
    kept: BackupInfo
    database: Database


def kind_of(name: str) -> BackupKind:
    """The kind of backup a file in the backup folder is, from its name."""
    for prefix, kind in (
        (store_backup.DAILY_PREFIX, BackupKind.DAILY),
        (store_backup.UPGRADE_PREFIX, BackupKind.PRE_UPGRADE),
        (store_backup.RESTORE_PREFIX, BackupKind.PRE_RESTORE),
    ):
        if name.startswith(prefix):
            return kind
    return BackupKind.MANUAL


def _backup_info(path: Path) -> BackupInfo:
    stat = path.stat()
    return BackupInfo(
        name=path.name,
        path=path,
        kind=kind_of(path.name),
        made_at=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC),
        size_bytes=stat.st_size,
    )


def _file_size(path: Path) -> int:
    total = 0
    for candidate in (path, path.with_name(path.name + "-wal")):
        try:
            total += candidate.stat().st_size
        except FileNotFoundError:
            continue  # no write-ahead log right now: nothing to add
    return total


def data_file_info(db: Database) -> DataFileInfo:
    """The open database: its name, kind, size and the folders WasteWalk keeps beside it."""
    engine_name = "PostgreSQL" if db.engine.dialect.name == "postgresql" else "SQLite"
    if db.path is None:
        return DataFileInfo(db.display_name, engine_name, None, None, paths.data_dir(), None)
    return DataFileInfo(
        display_name=db.display_name,
        engine_name=engine_name,
        path=db.path,
        size_bytes=_file_size(db.path),
        data_folder=paths.data_dir(),
        backup_folder=store_backup.backup_folder_for(db.path),
    )


def database_file(target: str | None) -> Path | None:
    """The SQLite file `target` names (the user's own file when None); None for a server."""
    return sqlite_path(to_url(target or paths.default_database()))


def list_backups(db: Database) -> list[BackupInfo]:
    """Every backup of the open file, newest first; none for a server database."""
    return [] if db.path is None else list_backups_of_file(db.path)


def list_backups_of_file(path: Path) -> list[BackupInfo]:
    """Every backup of a SQLite file, newest first, whether or not it can be opened."""
    found = []
    for backup in store_backup.list_backups(path):
        try:
            found.append(_backup_info(backup))
        except FileNotFoundError:
            continue  # pruned by another WasteWalk between listing and reading it
    return found


def suggested_backup_path(db: Database, now: dt.datetime | None = None) -> Path:
    """Where "Back up now" offers to put a copy: the backup folder, so the list shows it."""
    if db.path is None:
        raise DatabaseError(SERVER_BACKUPS)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%d-%H%M%S")
    return store_backup.backup_folder_for(db.path) / f"{MANUAL_PREFIX}{stamp}.sqlite"


def backup_now(db: Database, out: Path) -> BackupInfo:
    """A consistent, checked copy of the open file at `out` (".sqlite" added if it has no suffix).

    Safe while the file is in use; an older copy at `out` is replaced only once the new one is
    complete.
    """
    if db.path is None:
        raise DatabaseError(SERVER_BACKUPS)
    if not out.suffix:
        out = out.with_name(out.name + ".sqlite")
    return _backup_info(store_backup.backup_to(db.path, out))


def restore_backup(db: Database, backup: Path) -> RestoreResult:
    """Replace the open file with `backup`, keeping the current file first as a pre-restore copy.

    `db` is closed before the file is replaced and must not be used afterwards: the result holds
    the restored database, opened the usual way (checked, and upgraded if the backup is older).
    If the backup cannot be used, nothing is changed and `db` stays usable. If the restored file
    then fails to open, RestoredButNotOpenedError names the kept copy.
    """
    if db.path is None:
        raise DatabaseError(SERVER_BACKUPS)
    _refuse_unusable(backup)
    # Closing folds the write-ahead log into the file, so the kept copy is one whole file.
    db.close()
    return restore_file(db.path, backup)


def restore_file(path: Path, backup: Path) -> RestoreResult:
    """Put `backup` in place of a SQLite file nothing has open (say, one refused as damaged).

    The file is kept first as a pre-restore copy, byte for byte; the restored file is then opened
    the usual way. Nothing changes if the backup cannot be used.
    """
    _refuse_unusable(backup)
    kept = store_backup.restore(path, backup)
    try:
        reopened = open_database(str(path))
    except DatabaseError as exc:
        raise RestoredButNotOpenedError(
            f"The backup was put in place but could not be opened: {exc} "
            f"The file it replaced is kept as {kept}.",
            kept,
        ) from exc
    logger.info("restored %s from %s; previous file kept as %s", path, backup, kept)
    return RestoreResult(restored_from=backup, kept=_backup_info(kept), database=reopened)


def _refuse_unusable(backup: Path) -> None:
    if not backup.is_file():
        raise DatabaseError(f"There is no backup file at {backup}")
    problems = check_file(backup)
    if problems:
        raise DatabaseError(f"The backup {backup} cannot be used: {problems[0]}")
