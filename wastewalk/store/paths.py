"""Where WasteWalk keeps its files, and whether a database path is a safe place for SQLite."""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

import platformdirs

logger = logging.getLogger(__name__)

APP_NAME = "WasteWalk"
DB_FILENAME = "wastewalk.sqlite"
ENV_DB = "WASTEWALK_DB"
# Lets tests and portable installs keep device id and backups somewhere other than the user profile.
ENV_DATA_DIR = "WASTEWALK_DATA_DIR"

# Folder names that sync clients use; SQLite's own advice is never to keep a live database there.
_SYNCED_MARKERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud", "box sync")


def data_dir() -> Path:
    """The per-user data folder (created if missing)."""
    override = os.environ.get(ENV_DATA_DIR)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> str:
    """`WASTEWALK_DB` if set, else the SQLite file in the user's data folder."""
    return os.environ.get(ENV_DB) or str(data_dir() / DB_FILENAME)


def backups_dir() -> Path:
    """Folder for automatic and pre-upgrade backups."""
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def device_id() -> str:
    """A random id made once per installation, stamped on every record this laptop creates."""
    path = data_dir() / "device-id"
    try:
        text = path.read_text(encoding="ascii").strip()
        return str(uuid.UUID(text))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        pass  # first run, or an unreadable file: make a fresh id below
    new = str(uuid.uuid4())
    tmp = path.with_suffix(".tmp")
    tmp.write_text(new, encoding="ascii")
    os.replace(tmp, path)
    logger.info("new device id %s", new)
    return new


def risky_location(path: Path) -> str | None:
    """A plain warning if `path` sits in a cloud-synced folder or on a network share, else None."""
    text = str(path.resolve()).lower()
    for marker in _SYNCED_MARKERS:
        if marker in text:
            return (
                f"The database {path} is inside a cloud-synced folder ({marker}). Syncing can "
                "damage a live database; keep it on this laptop's own disk and hand data over "
                "with packs."
            )
    if text.startswith(("\\\\", "//")):
        return (
            f"The database {path} is on a network share. SQLite is not safe over a network; "
            "use a local file or the shared PostgreSQL database."
        )
    if os.name == "posix" and _on_network_filesystem(path):
        return (
            f"The database {path} is on a network file system. SQLite is not safe over a "
            "network; use a local file or the shared PostgreSQL database."
        )
    return None


def _on_network_filesystem(path: Path) -> bool:
    """True when /proc/mounts says the folder holding `path` is NFS, SMB or similar (Linux only)."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    folder = str(path.resolve().parent)
    best, best_type = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and folder.startswith(parts[1]) and len(parts[1]) > len(best):
            best, best_type = parts[1], parts[2]
    return best_type in {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "sshfs", "fuse.sshfs"}
