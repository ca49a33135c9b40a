"""What the pack tests share: laptops with their own device ids, demos, dumps and record sets."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from wastewalk.models import Base
from wastewalk.services.demo import make_demo
from wastewalk.services.pack_records import DERIVED, PACK_TABLES, record_dict
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 11, 2)
LAPTOPS = uuid.UUID("6a1b9e0c-3f55-4d2a-8e7b-1c0d2e3f4a5b")
# The demo's own bookkeeping rows: compared separately (record_sync_state holds per-peer state).
BOOKKEEPING = ("pack_import_log", "pack_export_log", "record_sync_state", "pack_conflict")


def laptop(path: Path, name: str) -> Database:
    """A database file as one laptop has it: its own device id (uuid5 of `name`)."""
    db = open_database(str(path))
    db.device_id = str(uuid.uuid5(LAPTOPS, name))
    return db


def demo_laptop(folder: Path, name: str, seed: int) -> Database:
    """A laptop with the demo trust and the walks of `seed` (every seed shares the trust, its CSUs
    and areas, as laptops of one trust do; walks and all below them are the seed's own)."""
    db = laptop(folder / f"{name}.sqlite", name)
    make_demo(db, seed=seed, today=TODAY)
    return db


def records(db: Database) -> dict[str, dict[uuid.UUID, dict[str, Any]]]:
    """Every record of every pack table as its pack dict, plus the derived estimate columns."""
    out: dict[str, dict[uuid.UUID, dict[str, Any]]] = {}
    with db.session() as session:
        for name, _ in PACK_TABLES:
            table = Base.metadata.tables[name]
            rows: dict[uuid.UUID, dict[str, Any]] = {}
            for row in session.execute(select(table)):
                d = record_dict(row, name)
                for column in DERIVED.get(name, set()):
                    d[column] = row._mapping[column]
                rows[row._mapping["id"]] = d
            out[name] = rows
    return out


def dump(path: Path, *, skip: tuple[str, ...] = ()) -> list[str]:
    """The SQL dump of a database file, without the rows of the tables in `skip`."""
    connection = sqlite3.connect(path)
    try:
        prefixes = tuple(f'INSERT INTO "{name}"' for name in skip)
        return [line for line in connection.iterdump() if not line.startswith(prefixes)]
    finally:
        connection.close()


def counts(db: Database) -> dict[str, int]:
    """How many records each pack table holds."""
    return {name: len(rows) for name, rows in records(db).items()}


def rewrite_pack(source: Path, target: Path, edit: Any, *, manifest_edit: Any = None) -> None:
    """Copy a pack, passing each table's records through `edit(table, rows) -> rows` and fixing
    the manifest's counts and sha256s to match, so only what `edit` did is wrong with it."""
    import hashlib
    import json
    import zipfile

    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read("manifest.json"))
        members = {name: old.read(name) for name in old.namelist() if name != "manifest.json"}
    for table, entry in manifest["tables"].items():
        lines = members[entry["file"]].decode("utf-8").splitlines()
        rows = edit(table, [json.loads(line) for line in lines if line.strip()])
        data = "".join(json.dumps(row, sort_keys=True) + "\n" for row in rows).encode("utf-8")
        members[entry["file"]] = data
        entry["records"] = len(rows)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    if manifest_edit is not None:
        manifest_edit(manifest)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        new.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            new.writestr(name, data)
