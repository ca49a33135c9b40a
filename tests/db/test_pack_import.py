"""Pack import on real SQLite files: round trip, twice, three laptops, refusals, hypothesis.

Every laptop is its own database file with its own device id (tests.db.pack_helpers.laptop).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.db.pack_helpers import (
    TODAY,
    demo_laptop,
    dump,
    laptop,
    records,
    rewrite_pack,
)
from wastewalk.domain.progress import Cancelled
from wastewalk.export.csv_exports import export_csv
from wastewalk.models import Observation, PackImportLog, RecordSyncState, Walk
from wastewalk.services.observations import (
    ObservationInput,
    add_observation,
    edit_observation,
    get_observation,
    input_from_info,
    list_observations,
    set_observation_deleted,
)
from wastewalk.services.organisation import list_areas
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_import import import_log, import_pack, preview_pack
from wastewalk.services.pack_records import PackRefused
from wastewalk.services.walks import start_walk
from wastewalk.store.database import Database

SHIPPED = ("waste_category", "activity_category", "staff_rate", "app_setting")


def _csv(db: Database, folder: Path) -> dict[str, bytes]:
    export_csv(db, folder, "all", today=TODAY)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_round_trip_of_the_demo_is_exact(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    done = import_pack(target, pack)
    assert done.applied
    assert done.log_id is not None
    assert done.preview.conflict_count == 0
    assert done.preview.updated == 0
    assert done.preview.new + done.preview.identical == sum(
        len(rows) for rows in records(source).values()
    )
    assert records(target) == records(source)
    assert _csv(target, tmp_path / "csv-target") == _csv(source, tmp_path / "csv-source")
    source.close()
    target.close()


def test_importing_the_same_pack_twice_changes_nothing(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    first = import_pack(target, pack)
    before = dump(tmp_path / "compiled.sqlite", skip=("pack_import_log",))
    second = import_pack(target, pack)
    after = dump(tmp_path / "compiled.sqlite", skip=("pack_import_log",))
    assert after == before
    assert second.preview.new == second.preview.updated == second.preview.conflict_count == 0
    assert second.preview.identical == first.preview.records
    log = import_log(target)
    assert [entry.id for entry in log] == [second.log_id, first.log_id]
    assert log[0].identical == first.preview.records
    assert log[0].new == 0
    assert log[1].new == first.preview.new
    assert not log[1].dry_run
    target.close()
    source.close()


def test_preview_and_dry_run_change_nothing(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    before = dump(tmp_path / "compiled.sqlite")
    preview = preview_pack(target, pack)
    dry = import_pack(target, pack, dry_run=True)
    assert dump(tmp_path / "compiled.sqlite") == before
    assert not dry.applied
    assert dry.log_id is None
    assert dry.preview == preview
    walks = next(t for t in preview.tables if t.table == "walk")
    assert walks.new == len(records(source)["walk"])
    assert walks.identical == 0
    assert preview.device_id == source.device_id
    assert preview.file_name == "ward.wwpack"
    assert preview.created_at is not None
    target.close()
    source.close()


def test_cancel_while_writing_changes_nothing(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    before = dump(tmp_path / "compiled.sqlite")
    seen: list[str] = []

    def progress(fraction: float, words: str) -> None:
        seen.append(words)
        if words == "Writing the pack's records" and seen.count(words) == 3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_pack(target, pack, progress)
    assert dump(tmp_path / "compiled.sqlite") == before
    target.close()
    source.close()


def _three_laptops(tmp_path: Path) -> tuple[list[Database], Database]:
    laptops = [demo_laptop(tmp_path, name, seed) for name, seed in (("a", 1), ("b", 2), ("c", 3))]
    compiled = laptop(tmp_path / "compiled.sqlite", "compiled")
    return laptops, compiled


def _expected_union(laptops: list[Database]) -> dict[str, dict[uuid.UUID, dict[str, object]]]:
    union: dict[str, dict[uuid.UUID, dict[str, object]]] = {}
    for db in laptops:
        for table, rows in records(db).items():
            mine = union.setdefault(table, {})
            for record_id, row in rows.items():
                assert mine.get(record_id, row) == row, f"{table} {record_id} differs"
                mine[record_id] = row
    return union


def test_three_laptops_compile_without_loss_or_duplicates(tmp_path: Path) -> None:
    laptops, compiled = _three_laptops(tmp_path)
    for round_number in (1, 2):
        for db, name in zip(laptops, "abc", strict=True):
            pack = tmp_path / f"{name}-{round_number}.wwpack"
            export_pack(db, pack, since_last="compiled")
            done = import_pack(compiled, pack)
            assert done.preview.conflict_count == 0, done.preview.conflicts
            if round_number == 2:
                obs = next(t for t in done.preview.tables if t.table == "observation")
                assert (obs.new, obs.updated) == {"a": (0, 1), "b": (1, 0), "c": (0, 1)}[name]
        assert records(compiled) == _expected_union(laptops)
        if round_number == 1:
            per_laptop = [records(db) for db in laptops]
            got = records(compiled)
            for table, rows in got.items():
                if table in SHIPPED or table in ("trust", "csu", "area"):  # shared, once
                    assert len(rows) == len(per_laptop[0][table])
                else:
                    assert len(rows) == sum(len(r[table]) for r in per_laptop), table
            # Each laptop adds or edits something, and hands it over again.
            a, b, c = laptops
            first_a = list_observations(a, list_walk_ids(a)[0])[0]
            changed = input_from_info(first_a)
            edit_observation(
                a, first_a.id, ObservationInput(**{**changed.__dict__, "description": "Edited"})
            )
            walk_b = list_walk_ids(b)[0]
            category = list_observations(b, walk_b)[0].category_id
            add_observation(b, walk_b, ObservationInput(category_id=category, description="New"))
            set_observation_deleted(c, list_observations(c, list_walk_ids(c)[0])[0].id, True)
    with compiled.session() as session:
        assert session.scalar(select(func.count()).select_from(PackImportLog)) == 6
    assert get_observation(compiled, first_a.id).description == "Edited"
    for db in (*laptops, compiled):
        db.close()


def list_walk_ids(db: Database) -> list[uuid.UUID]:
    with db.session() as session:
        return list(session.scalars(select(Walk.id).order_by(Walk.started_at, Walk.id)))


def test_a_record_pointing_at_a_missing_parent_is_refused(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    broken = tmp_path / "broken.wwpack"
    with source.session() as session:
        walk_id = session.scalars(select(Walk.id).order_by(Walk.id)).first()
    rewrite_pack(
        pack, broken, lambda t, rows: [r for r in rows if t != "walk" or r["id"] != str(walk_id)]
    )
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    before = dump(tmp_path / "compiled.sqlite")
    with pytest.raises(PackRefused) as refused:
        import_pack(target, broken)
    words = str(refused.value)
    assert str(walk_id) in words
    assert "neither in the pack nor in this database" in words
    assert "walk" in words
    assert dump(tmp_path / "compiled.sqlite") == before
    # With the walk already here, the same pack is fine.
    import_pack(target, pack)
    done = import_pack(target, broken)
    assert done.preview.new == 0
    assert done.preview.conflict_count == 0
    target.close()
    source.close()


def test_a_different_record_with_the_same_name_is_refused(tmp_path: Path) -> None:
    # Two laptops that each set up "their" trust by hand: the ids differ, the names clash.
    from wastewalk.services.organisation import create_trust

    first = laptop(tmp_path / "one.sqlite", "one")
    create_trust(first, "Northbridge Teaching Hospitals NHS Trust")
    second = laptop(tmp_path / "two.sqlite", "two")
    create_trust(second, "Northbridge Teaching Hospitals NHS Trust")
    pack = tmp_path / "two.wwpack"
    export_pack(second, pack)
    before = dump(tmp_path / "one.sqlite")
    with pytest.raises(PackRefused, match="same name 'Northbridge"):
        import_pack(first, pack)
    assert dump(tmp_path / "one.sqlite") == before
    first.close()
    second.close()


def test_sync_state_remembers_the_pack_device(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    done = import_pack(target, pack)
    with target.session() as session:
        peers = set(session.scalars(select(RecordSyncState.peer_device_id)))
        remembered = session.scalar(select(func.count()).select_from(RecordSyncState))
    assert peers == {source.device_id}
    assert remembered == done.preview.records
    target.close()
    source.close()


def test_a_value_the_database_refuses_is_a_refused_pack(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    broken = tmp_path / "impact.wwpack"

    def impact_99(table: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
        if table == "observation":
            rows[0]["impact"] = 99
        return rows

    rewrite_pack(pack, broken, impact_99)
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    before = dump(tmp_path / "compiled.sqlite")
    with pytest.raises(PackRefused, match=r"observation .* cannot accept"):
        import_pack(target, broken)
    assert dump(tmp_path / "compiled.sqlite") == before
    target.close()
    source.close()


# --- hypothesis: awkward observations survive export and import exactly --------------------------

_TEXT = st.text(max_size=60) | st.sampled_from(
    ["<b>&", '=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\t", "\r\n", "", "é ✓ 🧪", "\x00"]
)
_OBSERVATION = st.fixed_dictionaries(
    {
        "description": _TEXT,
        "location": st.text(max_size=200) | st.just(""),
        "frequency": st.text(max_size=20),
        "countermeasure": _TEXT,
        "impact": st.none() | st.integers(min_value=1, max_value=5),
        "ease": st.none() | st.integers(min_value=1, max_value=5),
        "observed_at": st.datetimes(
            min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 12, 31)
        ),
        "deleted": st.booleans(),
        "domain_quality": st.booleans(),
        "suspected_identifier": st.booleans(),
    }
)


def test_generated_observations_round_trip(tmp_path: Path) -> None:
    source = laptop(tmp_path / "source.sqlite", "source")
    target = laptop(tmp_path / "target.sqlite", "target")
    from wastewalk.services.organisation import create_area, create_csu

    csu = create_csu(source, "Medicine")
    create_area(source, csu.id, "Ward 7")
    area = list_areas(source)[0]
    walk = start_walk(source, area.id, focus="Hypothesis")
    category = list_observations(source, walk.id)  # empty; category from the seeded ones below
    assert category == []
    with source.session() as session:
        from wastewalk.models import WasteCategory

        category_id = session.scalars(select(WasteCategory.id).order_by(WasteCategory.code)).first()
    folder = Path(tempfile.mkdtemp(dir=tmp_path))

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(_OBSERVATION, min_size=1, max_size=5))
    def round_trip(observations: list[dict[str, object]]) -> None:
        with source.session() as session:
            for data in observations:
                moment = data["observed_at"]
                assert isinstance(moment, dt.datetime)
                session.add(
                    Observation(
                        walk_id=walk.id,
                        category_id=category_id,
                        description=data["description"],
                        location=data["location"],
                        frequency=data["frequency"],
                        countermeasure=data["countermeasure"],
                        impact=data["impact"],
                        ease=data["ease"],
                        observed_at=moment.replace(tzinfo=dt.UTC),
                        deleted_at=moment.replace(tzinfo=dt.UTC) if data["deleted"] else None,
                        domain_quality=data["domain_quality"],
                        suspected_identifier=data["suspected_identifier"],
                        device_id=source.device_id,
                    )
                )
        pack = folder / f"{uuid.uuid4().hex}.wwpack"
        export_pack(source, pack)
        done = import_pack(target, pack)
        assert done.preview.conflict_count == 0
        assert records(target) == records(source)

    round_trip()
    source.close()
    target.close()
