"""Three laptops' demo walks compiled into one shared PostgreSQL database, twice over, without loss
or duplicates: tests/db/test_pack_import.py's three-laptop test with PostgreSQL as the compiled
database (the laptops stay SQLite files, as they are in a trust)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.db import test_pack_import
from tests.db.pack_helpers import LAPTOPS, demo_laptop
from tests.db.test_pack_import import list_walk_ids
from wastewalk.services.observations import (
    ObservationInput,
    edit_observation,
    get_observation,
    input_from_info,
    list_observations,
)
from wastewalk.services.pack_conflicts import list_conflicts
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_import import import_pack
from wastewalk.store.database import Database


def test_three_laptops_compile_into_postgresql_without_loss_or_duplicates(
    pg_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def three_laptops(folder: Path) -> tuple[list[Database], Database]:
        laptops = [demo_laptop(folder, name, seed) for name, seed in (("a", 1), ("b", 2), ("c", 3))]
        pg_db.device_id = str(uuid.uuid5(LAPTOPS, "compiled"))
        return laptops, pg_db

    monkeypatch.setattr(test_pack_import, "_three_laptops", three_laptops)
    test_pack_import.test_three_laptops_compile_without_loss_or_duplicates(tmp_path)


def test_a_record_edited_on_both_sides_is_kept_once_as_a_conflict_in_postgresql(
    pg_db: Database, tmp_path: Path
) -> None:
    ward = demo_laptop(tmp_path, "ward", 1)
    pg_db.device_id = str(uuid.uuid5(LAPTOPS, "compiled"))
    export_pack(ward, tmp_path / "first.wwpack")
    import_pack(pg_db, tmp_path / "first.wwpack")
    seen = list_observations(ward, list_walk_ids(ward)[0])[0]
    for db, words in ((ward, "Bin full: porter called twice"), (pg_db, "Bin moved to the sluice")):
        mine = input_from_info(get_observation(db, seen.id))
        edit_observation(db, seen.id, ObservationInput(**{**mine.__dict__, "description": words}))
    export_pack(ward, tmp_path / "second.wwpack")
    done = import_pack(pg_db, tmp_path / "second.wwpack")
    again = import_pack(pg_db, tmp_path / "second.wwpack")
    assert [(c.record_id, c.kind) for c in done.preview.conflicts] == [(seen.id, "both_edited")]
    assert again.preview.conflict_count == 1
    kept = list_conflicts(pg_db)
    assert [(c.record_id, c.incoming["description"]) for c in kept] == [
        (seen.id, "Bin full: porter called twice")
    ]
    assert get_observation(pg_db, seen.id).description == "Bin moved to the sluice"
    ward.close()
