"""Online backups with SQLite's backup API: before every upgrade, daily (keep 7), and on request."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sqlite3
from pathlib import Path

from wastewalk.domain.errors import DatabaseError
from wastewalk.store import paths
from wastewalk.store.integrity import check_file, read_only_connection

logger = logging.getLogger(__name__)

DAILY_KEEP = 7
DAILY_PREFIX = "daily-"
UPGRADE_PREFIX = "pre-upgrade-"
RESTORE_PREFIX = "pre-restore-"


def backup_folder_for(db_path: Path) -> Path:
    """Backups of one database file live together, named after it (plus a hash of its full path)."""
    resolved = str(db_path.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    folder = paths.backups_dir() / f"{db_path.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backup_to(db_path: Path, out: Path) -> Path:
    """Copy a live database to `out` consistently, even while it is in use, then verify the copy."""
    out = out.expanduser().resolve()
    if out == db_path.resolve():
        raise DatabaseError("The backup cannot overwrite the database it is copying.")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        source = read_only_connection(db_path)
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
                # A backup is a single self-contained file: no -wal beside it to lose.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        problems = check_file(tmp)
        if problems:
            raise DatabaseError(f"The backup copy failed its check: {problems[0]}")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"Could not write the backup to {out}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"Could not back up {db_path}: {exc}") from exc
    logger.info("backed up %s to %s", db_path, out)
    return out


def backup_before_upgrade(db_path: Path, revision: str | None) -> Path:
    """A copy taken just before a migration touches the file."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{UPGRADE_PREFIX}{revision or 'none'}-{stamp}.sqlite"
    return backup_to(db_path, backup_folder_for(db_path) / name)


def daily_backup(db_path: Path, today: dt.date | None = None) -> Path | None:
    """Make today's automatic backup if there is none yet, and keep only the newest seven."""
    folder = backup_folder_for(db_path)
    today = today or dt.datetime.now(dt.UTC).date()
    target = folder / f"{DAILY_PREFIX}{today.isoformat()}.sqlite"
    made = None
    if not target.exists():
        made = backup_to(db_path, target)
    dailies = sorted(folder.glob(f"{DAILY_PREFIX}*.sqlite"))
    for old in dailies[:-DAILY_KEEP]:
        old.unlink()
        logger.info("removed old automatic backup %s", old)
    return made


def list_backups(db_path: Path) -> list[Path]:
    """Every backup of this database, newest first."""
    folder = backup_folder_for(db_path)
    return sorted(folder.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)


def latest_good_backup(db_path: Path) -> Path | None:
    """The newest backup that passes quick_check, if any."""
    for candidate in list_backups(db_path):
        if not check_file(candidate):
            return candidate
    return None


def restore(db_path: Path, backup: Path) -> Path:
    """Put `backup` in place of the database; the current file is kept first as a pre-restore copy.

    The current file is copied byte for byte (not through SQLite) because it may be damaged.
    Returns the path of that kept copy.
    """
    problems = check_file(backup)
    if problems:
        raise DatabaseError(f"The backup {backup} cannot be used: {problems[0]}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = backup_folder_for(db_path) / f"{RESTORE_PREFIX}{stamp}.sqlite"
    try:
        if db_path.exists():
            kept.write_bytes(db_path.read_bytes())
            wal = _side(db_path, "-wal")
            if wal.exists():
                _side(kept, "-wal").write_bytes(wal.read_bytes())
        # Write the replacement beside the file first: a full disk fails here, before anything
        # of the current file is touched.
        tmp = db_path.with_name(db_path.name + ".restoring")
        tmp.write_bytes(backup.read_bytes())
        for suffix in ("-wal", "-shm"):
            _side(db_path, suffix).unlink(missing_ok=True)  # kept above; not the restored file's
        os.replace(tmp, db_path)
        backup_wal = _side(backup, "-wal")
        if backup_wal.exists():  # a pre-restore copy can carry committed pages in its WAL
            _side(db_path, "-wal").write_bytes(backup_wal.read_bytes())
    except OSError as exc:
        raise DatabaseError(f"Could not restore {backup}: {exc.strerror or exc}") from exc
    logger.info("restored %s from %s (previous file kept as %s)", db_path, backup, kept)
    return kept


def _side(path: Path, suffix: str) -> Path:
    """SQLite's companion file of `path` (its -wal or -shm)."""
    return path.with_name(path.name + suffix)
