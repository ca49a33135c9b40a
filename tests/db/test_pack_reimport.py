"""The quick way a re-import takes, and that it lets nothing through.

An import reads the pack's records checking only their shape, and checks every value of a record
unless it equals, column for column and in canonical form, a record already stored here
(services.pack_import._compare). Stored records are read in pack form the quick way
(services.pack_local.LocalReader). These tests hold the quick ways to the exact ones: the local
dicts equal record_dict (here on SQLite; tests/pg runs it on PostgreSQL), and a pack record that
differs from the stored one in any way at all is checked and refused when it is bad.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from tests.db.pack_helpers import TODAY, demo_laptop, dump, laptop, rewrite_pack
from wastewalk.models import Base, Observation
from wastewalk.services.demo import make_demo
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_import import import_pack, preview_pack
from wastewalk.services.pack_local import LocalReader, sqlite_time, sqlite_uuid
from wastewalk.services.pack_reader import read_pack
from wastewalk.services.pack_records import PACK_TABLES, PackRefused, record_dict
from wastewalk.services.photos import attach_photo
from wastewalk.store.database import Database

Rows = list[dict[str, object]]


def _jpeg(seed: int) -> bytes:
    image = Image.new("RGB", (64, 48), (seed * 40 % 256, 90, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def test_local_records_read_quickly_equal_record_dict(db: Database) -> None:
    make_demo(db, seed=2, today=TODAY)
    with db.session() as session:
        first, second = session.scalars(select(Observation).order_by(Observation.id).limit(2))
        # A time with and without a fraction of a second: the two shapes SQLite text takes.
        first.observed_at = dt.datetime(2026, 10, 5, 9, 30, 0, tzinfo=dt.UTC)
        second.observed_at = dt.datetime(2026, 10, 5, 9, 30, 0, 120000, tzinfo=dt.UTC)
        owners = [first.id, second.id]
    for number, owner in enumerate(owners):
        attach_photo(db, owner, f"p{number}.jpg", _jpeg(number))
    dialect = db.engine.dialect.name
    compared = 0
    with db.session() as session:
        for name, _ in PACK_TABLES:
            table = Base.metadata.tables[name]
            exact = {
                row._mapping["id"]: record_dict(row, name) for row in session.execute(select(table))
            }
            reader = LocalReader.of(name, dialect)
            quick = [reader.to_dict(row) for row in session.execute(select(*reader.columns))]
            assert {uuid.UUID(str(d["id"])): d for d in quick} == exact, name
            compared += len(quick)
    assert compared > 1000


def test_sqlite_text_in_other_shapes_reads_exactly() -> None:
    assert sqlite_time("2026-11-01 12:00:00.000000") == "2026-11-01T12:00:00+00:00"
    assert sqlite_time("2026-11-01 12:00:00.120000") == "2026-11-01T12:00:00.120000+00:00"
    assert sqlite_time("2026-11-01 12:00:00") == "2026-11-01T12:00:00+00:00"
    assert sqlite_time("2026-11-01 12:00:00.5") == "2026-11-01T12:00:00.500000+00:00"
    some = uuid.UUID("5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b")
    assert sqlite_uuid(some.hex) == str(some)
    assert sqlite_uuid(some.hex.upper()) == str(some)
    assert sqlite_uuid(str(some).upper()) == str(some)


@pytest.fixture
def compiled(tmp_path: Path) -> tuple[Path, Database, Path]:
    """A ward laptop's pack, already imported once into a compiled database file."""
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    source.close()
    path = tmp_path / "compiled.sqlite"
    target = laptop(path, "compiled")
    import_pack(target, pack)
    return pack, target, path


def _edit_observation(pack: Path, out: Path, change: object, impact: int | None = None) -> Path:
    """A copy of `pack` with `change(row)` applied to the first observation that has an impact
    (of `impact`, when given)."""

    def edit(table: str, rows: Rows) -> Rows:
        if table == "observation":
            row = next(
                r
                for r in rows
                if isinstance(r["impact"], int) and (impact is None or r["impact"] == impact)
            )
            change(row)  # type: ignore[operator]
        return rows

    rewrite_pack(pack, out, edit)
    return out


@pytest.mark.parametrize(
    ("change", "impact", "words"),
    [
        (lambda row: row.update(impact="high"), None, "column 'impact': must be a whole number"),
        # Equal to the stored value by Python's ==, but not a whole number in JSON:
        (lambda row: row.update(impact=float(row["impact"])), None, "must be a whole number"),
        (lambda row: row.update(impact=True), 1, "must be a whole number"),
        (lambda row: row.update(walk_id="not-a-uuid"), None, "column 'walk_id'"),
        (lambda row: row.update(observed_at="2026-10-05T09:30:00"), None, "no time zone"),
        # updated_at is not compared, so it is checked on its own:
        (lambda row: row.update(updated_at="yesterday"), None, "column 'updated_at'"),
        (lambda row: row.update(updated_at=None), None, "column 'updated_at': is empty"),
        (lambda row: row.update(impact=float("nan")), None, "not valid JSON"),
    ],
)
def test_a_bad_value_in_a_record_stored_here_is_refused(
    compiled: tuple[Path, Database, Path],
    tmp_path: Path,
    change: object,
    impact: int | None,
    words: str,
) -> None:
    pack, target, path = compiled
    broken = _edit_observation(pack, tmp_path / "broken.wwpack", change, impact)
    before = dump(path)
    with pytest.raises(PackRefused, match=r"broken\.wwpack, data/observation\.jsonl line"):
        preview_pack(target, broken)
    with pytest.raises(PackRefused, match=r"data/observation\.jsonl line") as refused:
        import_pack(target, broken)
    assert words in str(refused.value)
    assert dump(path) == before
    target.close()


def test_the_same_values_written_another_way_are_identical(
    compiled: tuple[Path, Database, Path], tmp_path: Path
) -> None:
    pack, target, path = compiled

    def another_way(row: dict[str, object]) -> None:
        row["id"] = str(row["id"]).upper()
        row["walk_id"] = str(row["walk_id"]).replace("-", "")
        moment = dt.datetime.fromisoformat(str(row["observed_at"]))
        row["observed_at"] = moment.astimezone(dt.timezone(dt.timedelta(hours=1))).isoformat()

    written = _edit_observation(pack, tmp_path / "written.wwpack", another_way)
    before = dump(path, skip=("pack_import_log",))
    done = import_pack(target, written)
    assert done.preview.records == done.preview.identical
    assert done.preview.conflict_count == 0
    assert dump(path, skip=("pack_import_log",)) == before
    target.close()


def test_a_changed_record_is_checked_and_taken(
    compiled: tuple[Path, Database, Path], tmp_path: Path
) -> None:
    pack, target, _ = compiled
    changed: dict[str, object] = {}

    def new_words(row: dict[str, object]) -> None:
        row["description"] = "Changed on the ward laptop <b>&"
        changed.update(row)

    edited = _edit_observation(pack, tmp_path / "edited.wwpack", new_words)
    done = import_pack(target, edited)
    assert (done.preview.updated, done.preview.conflict_count) == (1, 0)
    assert done.preview.identical == done.preview.records - 1
    with target.session() as session:
        stored = session.get(Observation, uuid.UUID(str(changed["id"])))
        assert stored is not None
        assert stored.description == "Changed on the ward laptop <b>&"
    target.close()


def test_shape_is_checked_even_when_values_are_left_to_the_importer(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    source.close()
    cases: list[tuple[object, str]] = [
        (lambda rows: rows[0].update(id="x"), "column 'id'"),
        (lambda rows: rows[0].update(secret=1), "not a column of walk"),
        (lambda rows: rows[0].pop("focus"), "column 'focus': missing"),
        (lambda rows: rows.append(dict(rows[0])), "appears twice"),
    ]
    for number, (change, words) in enumerate(cases):

        def edit(table: str, rows: Rows, change: object = change) -> Rows:
            if table == "walk":
                change(rows)  # type: ignore[operator]
            return rows

        bad = tmp_path / f"bad{number}.wwpack"
        rewrite_pack(pack, bad, edit)
        with pytest.raises(PackRefused, match=r"data/walk\.jsonl line") as refused:
            read_pack(bad, check_records=False)
        assert words in str(refused.value)


def test_photos_travel_stored_and_data_deflated(tmp_path: Path) -> None:
    source = demo_laptop(tmp_path, "ward", 1)
    with source.session() as session:
        owner = session.scalars(select(Observation.id).limit(1)).one()
    attach_photo(source, owner, "ward.jpg", _jpeg(3))
    pack = tmp_path / "ward.wwpack"
    export_pack(source, pack)
    source.close()
    kinds: dict[str, set[int]] = {}
    with zipfile.ZipFile(pack) as archive:
        for info in archive.infolist():
            kinds.setdefault(info.filename.split("/")[0], set()).add(info.compress_type)
    assert kinds == {
        "data": {zipfile.ZIP_DEFLATED},
        "photos": {zipfile.ZIP_STORED},
        "manifest.json": {zipfile.ZIP_DEFLATED},
    }
    target = laptop(tmp_path / "compiled.sqlite", "compiled")
    assert import_pack(target, pack).preview.photos == 2  # the picture and its thumbnail
    again = import_pack(target, pack)
    assert again.preview.identical == again.preview.records
    target.close()
