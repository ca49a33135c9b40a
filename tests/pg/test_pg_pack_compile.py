"""Three laptops' demo walks compiled into one shared PostgreSQL database, twice over, without loss
or duplicates: tests/db/test_pack_import.py's three-laptop test with PostgreSQL as the compiled
database (the laptops stay SQLite files, as they are in a trust)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.db import test_pack_import
from tests.db.pack_helpers import LAPTOPS, demo_laptop
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
