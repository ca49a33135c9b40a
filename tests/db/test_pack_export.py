"""Writing packs: everything, a CSU, an area, a period, and only what changed since the last one."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from wastewalk.domain.progress import Cancelled
from wastewalk.models import Observation, PackExportLog, Photo, RecordSyncState, Walk
from wastewalk.services.data_filter import DataFilter, resolve_filter
from wastewalk.services.demo import make_demo
from wastewalk.services.observations import (
    edit_observation,
    input_from_info,
    list_observations,
)
from wastewalk.services.pack_export import export_pack, list_destinations
from wastewalk.services.pack_reader import PackContents, read_pack
from wastewalk.services.pack_records import (
    DERIVED,
    MODELS,
    PACK_TABLES,
    PARENT_KEYS,
    content_hash,
    decode_record,
    record_dict,
)
from wastewalk.services.photos import attach_photo
from wastewalk.services.walks import list_walks
from wastewalk.store import migrations
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 11, 20)


def small_png(shade: int, size: tuple[int, int] = (320, 240)) -> bytes:
    image = Image.new("RGB", size, (shade % 256, (shade * 7) % 256, (shade * 13) % 256))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    """The demo trust, with two photos on the first walk's first observation."""
    database = open_database(str(tmp_path / "demo.sqlite"))
    make_demo(database, seed=1, today=TODAY)
    walk = list_walks(database)[0]
    first = list_observations(database, walk.id)[0]
    attach_photo(database, first.id, "one.png", small_png(1))
    attach_photo(database, first.id, "two.png", small_png(2))
    yield database
    database.close()


def row_counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            table: session.execute(select(func.count()).select_from(model)).scalar_one()
            for table, model in PACK_TABLES
        }


def assert_parents_present(pack: PackContents) -> None:
    """Every foreign key a record carries points at a record in the same pack."""
    ids = {table: {row["id"] for row in rows} for table, rows in pack.tables.items()}
    for table, rows in pack.tables.items():
        for row in rows:
            for column, parent in PARENT_KEYS[table]:
                value = row[column]
                assert value is None or value in ids.get(parent, set()), (table, column, value)


def test_everything_reads_back_record_for_record(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "all.wwpack"
    result = export_pack(demo, out)
    counts = {t: n for t, n in row_counts(demo).items() if n}
    assert result.records == counts
    assert result.photos == 4  # two photos and two thumbnails
    assert result.since is None

    pack = read_pack(out)
    assert {t: len(rows) for t, rows in pack.tables.items() if rows} == counts
    assert pack.manifest["format"] == "wastewalk-pack"
    assert pack.manifest["version"] == 1
    assert pack.manifest["device_id"] == demo.device_id
    assert pack.manifest["schema"] == migrations.head_revision()
    assert pack.file_name == "all.wwpack"
    assert_parents_present(pack)
    # Each record equals the database's own, hash for hash; derived estimate columns are absent.
    with demo.session() as session:
        for table, model in PACK_TABLES:
            local = {
                str(obj.id): content_hash(table, record_dict(obj, table))
                for obj in session.execute(select(model)).scalars()
            }
            assert {str(r["id"]): content_hash(table, r) for r in pack.tables.get(table, [])} == (
                local
            )
        photos = list(session.execute(select(Photo)).scalars())
        for photo in photos:
            assert pack.photos[photo.sha256] == photo.data
    assert not DERIVED["estimate"] & set(pack.tables["estimate"][0])
    row = pack.tables["photo"][0]
    values = decode_record("photo", row, where="test", photos=pack.photos)
    assert isinstance(values["data"], bytes)
    assert isinstance(values["thumbnail_png"], bytes)


def test_the_same_data_gives_the_same_members_in_the_same_order(
    demo: Database, tmp_path: Path
) -> None:
    first = export_pack(demo, tmp_path / "a.wwpack").path
    second = export_pack(demo, tmp_path / "b.wwpack").path
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        names = a.namelist()
        assert names == b.namelist()
        assert names[-1] == "manifest.json"
        assert [n for n in names if n.startswith("data/")] == [
            f"data/{t}.jsonl" for t, _ in PACK_TABLES
        ]
        for name in names[:-1]:
            assert a.read(name) == b.read(name), name


def test_a_csu_pack_holds_its_areas_and_every_parent(demo: Database, tmp_path: Path) -> None:
    walks = list_walks(demo)
    csu_name = walks[0].csu_name
    flt = resolve_filter(demo, csu=csu_name)
    result = export_pack(demo, tmp_path / "csu.wwpack", flt=flt)
    pack = read_pack(result.path)
    assert_parents_present(pack)
    assert pack.manifest["scope"]["csu"] == csu_name
    assert {r["csu_id"] for r in pack.tables["area"]} == {str(flt.csu_id)}
    assert len(pack.tables["trust"]) == 1
    assert len(pack.tables["csu"]) == 1
    expected_walks = {str(w.id) for w in walks if w.csu_name == csu_name}
    assert {r["id"] for r in pack.tables["walk"]} >= expected_walks
    assert len(pack.tables["waste_category"]) == 8
    assert len(pack.tables["activity_category"]) == 10
    # Only the staff rates its estimates use.
    used = {r["staff_rate_id"] for r in pack.tables.get("estimate", [])} - {None}
    assert {r["id"] for r in pack.tables.get("staff_rate", [])} == used
    assert sum(result.records.values()) < sum(row_counts(demo).values())


def test_an_area_pack_holds_only_that_areas_walks(demo: Database, tmp_path: Path) -> None:
    walk = list_walks(demo)[0]
    flt = DataFilter(area_id=walk.area_id)
    pack = read_pack(export_pack(demo, tmp_path / "area.wwpack", flt=flt).path)
    assert_parents_present(pack)
    assert {r["id"] for r in pack.tables["area"]} == {str(walk.area_id)}
    with demo.session() as session:
        walks = set(session.execute(select(Walk.id).where(Walk.area_id == walk.area_id)).scalars())
    assert {r["id"] for r in pack.tables["walk"]} == {str(w) for w in walks}
    assert len(pack.photos) == 4 or walk.area_id not in walks


def test_a_period_pack_holds_the_walks_started_on_those_days(
    demo: Database, tmp_path: Path
) -> None:
    start, end = dt.date(2026, 9, 1), dt.date(2026, 9, 30)
    flt = DataFilter(date_from=start, date_to=end)
    pack = read_pack(export_pack(demo, tmp_path / "sept.wwpack", flt=flt).path)
    assert_parents_present(pack)
    low, high = flt.utc_bounds()
    assert low is not None
    assert high is not None
    with demo.session() as session:
        expected = set(
            session.execute(
                select(Walk.id).where(Walk.started_at >= low, Walk.started_at < high)
            ).scalars()
        )
        observations = set(
            session.execute(
                select(Observation.id).where(Observation.walk_id.in_(expected))
            ).scalars()
        )
    assert expected
    # Walks outside the period appear only as parents of a follow or an action in it.
    assert {r["id"] for r in pack.tables["walk"]} >= {str(w) for w in expected}
    assert {r["id"] for r in pack.tables["observation"]} >= {str(o) for o in observations}


def test_since_last_sends_only_what_changed(demo: Database, tmp_path: Path) -> None:
    first = export_pack(demo, tmp_path / "1.wwpack", since_last="Laptop B")
    assert first.records == {t: n for t, n in row_counts(demo).items() if n}
    assert first.since is None

    walk = list_walks(demo)[3]
    obs = list_observations(demo, walk.id)[0]
    edit_observation(demo, obs.id, replace(input_from_info(obs), location="bay 9"))
    second = export_pack(demo, tmp_path / "2.wwpack", since_last="Laptop B")
    assert second.since is not None
    pack = read_pack(second.path)
    assert [r["id"] for r in pack.tables["observation"]] == [str(obs.id)]
    assert pack.tables["observation"][0]["location"] == "bay 9"
    assert [r["id"] for r in pack.tables["walk"]] == [str(walk.id)]
    assert set(pack.tables) <= {
        "trust",
        "csu",
        "area",
        "waste_category",
        "walk",
        "observation",
        "estimate",
    }
    assert second.photos == 0
    assert_parents_present(pack)

    third = export_pack(demo, tmp_path / "3.wwpack", since_last="Laptop B")
    assert third.records == {}
    assert read_pack(third.path).tables == {}
    # Another destination has met nothing yet: it gets everything.
    other = export_pack(demo, tmp_path / "c.wwpack", since_last="Laptop C")
    assert other.records == first.records
    with demo.session() as session:
        logs = list(
            session.execute(select(PackExportLog).order_by(PackExportLog.exported_at)).scalars()
        )
        assert [(log.destination, log.file_name) for log in logs] == [
            ("Laptop B", "1.wwpack"),
            ("Laptop B", "2.wwpack"),
            ("Laptop B", "3.wwpack"),
            ("Laptop C", "c.wwpack"),
        ]
        remembered = session.execute(
            select(RecordSyncState.content_hash).where(
                RecordSyncState.record_id == obs.id,
                RecordSyncState.peer_device_id == "dest:Laptop B",
            )
        ).scalar_one()
    assert remembered == content_hash("observation", pack.tables["observation"][0])
    # The window offers the destinations used before, the latest first.
    assert list_destinations(demo) == ["Laptop C", "Laptop B"]


def test_cancelled_export_leaves_no_file_and_no_log(demo: Database, tmp_path: Path) -> None:
    seen: list[str] = []

    def stop(fraction: float, words: str) -> None:
        seen.append(words)
        if "observation" in words:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export_pack(demo, tmp_path / "stop.wwpack", since_last="B", progress=stop)
    assert list(tmp_path.glob("*.wwpack")) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    with demo.session() as session:
        assert session.execute(select(func.count()).select_from(PackExportLog)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(RecordSyncState)).scalar_one() == 0


def test_every_pack_table_is_a_record_table() -> None:
    assert len(MODELS) == len(PACK_TABLES) == 21
    for table, model in PACK_TABLES:
        assert model.__tablename__ == table  # type: ignore[attr-defined]
        columns = {c.name for c in model.__table__.columns}  # type: ignore[attr-defined]
        assert {"id", "created_at", "updated_at", "device_id"} <= columns
