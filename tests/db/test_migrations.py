"""The shipped migrations: one head, a schema equal to the models, every step reversible, data kept.

Written to keep working as revisions are added: `ordered_revisions()` walks whatever ships, and
SEEDERS holds, per released schema, the raw SQL a laptop of that release would have written. When a
revision changes a table a seeder writes, add a seeder for it (the older ones stay, frozen).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import Script
from sqlalchemy import Connection, Engine, inspect, text

from wastewalk.models import Base
from wastewalk.services.observations import list_observations
from wastewalk.services.organisation import list_areas, list_csus, list_trusts
from wastewalk.services.photos import list_photos, photo_bytes
from wastewalk.services.walks import ParticipantInput, get_walk, list_walks
from wastewalk.services.wastes import list_categories
from wastewalk.store import migrations
from wastewalk.store.database import open_database
from wastewalk.store.engine import make_engine, to_url

FIXTURES = Path(__file__).parent / "fixtures"


def ordered_revisions() -> list[Script]:
    """Every shipped revision, oldest first."""
    return list(reversed(list(migrations.script_directory().walk_revisions())))


def engine_for(path: Path) -> Engine:
    return make_engine(to_url(str(path)))


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return migrations.current_revision(connection)


def user_tables(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names()) - {"alembic_version"}


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order, as SQLite holds it."""
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))),
                key=repr,
            )
            for table in tables
        }


# --- what a laptop of each released schema holds --------------------------------------------------

SEED_DEVICE = "11111111-2222-3333-4444-555555555555"
SEED_TIME = "2026-03-02 09:00:00.000000"


@dataclass(frozen=True)
class Seeded:
    """The records a seeder wrote, in terms the current services can check."""

    trust_name: str
    csu_name: str
    area_id: uuid.UUID
    area_name: str
    walk_id: uuid.UUID
    observation_id: uuid.UUID
    description: str
    photo_id: uuid.UUID
    photo: bytes


def seed_0001(connection: Connection) -> Seeded:
    """Raw SQL as schema 0001 stores it: UUIDs as 32 hex digits, UTC times without an offset."""
    ids = {name: uuid.uuid4() for name in ("trust", "csu", "area", "walk", "who", "obs", "photo")}
    waiting = connection.execute(
        text("SELECT id FROM waste_category WHERE code = 'waiting'")
    ).scalar_one()
    common = {"t": SEED_TIME, "dev": SEED_DEVICE}
    photo = b"\x89PNG\r\n\x1a\n" + b"pretend image bytes"  # stored as given; not decoded here
    description = 'Patients waited for TTOs; note <b>&</b> =HYPERLINK("x") ünïcödé ✓'
    statements = [
        (
            "INSERT INTO trust (id, name, archived_at, created_at, updated_at, device_id) "
            "VALUES (:id, 'Seed Trust', NULL, :t, :t, :dev)",
            {"id": ids["trust"].hex},
        ),
        (
            "INSERT INTO csu (id, trust_id, name, archived_at, created_at, updated_at, device_id) "
            "VALUES (:id, :trust, 'Seed CSU', NULL, :t, :t, :dev)",
            {"id": ids["csu"].hex, "trust": ids["trust"].hex},
        ),
        (
            "INSERT INTO area (id, csu_id, name, kind, operating_days_per_year, archived_at, "
            "created_at, updated_at, device_id) "
            "VALUES (:id, :csu, 'Seed Ward', 'ward', 365, NULL, :t, :t, :dev)",
            {"id": ids["area"].hex, "csu": ids["csu"].hex},
        ),
        (
            "INSERT INTO walk (id, area_id, started_at, ended_at, focus, status, notes, "
            "created_at, updated_at, device_id) "
            "VALUES (:id, :area, :t, NULL, 'Seed focus', 'in_progress', '', :t, :t, :dev)",
            {"id": ids["walk"].hex, "area": ids["area"].hex},
        ),
        (
            "INSERT INTO participant (id, walk_id, name, role, position, created_at, updated_at, "
            "device_id) VALUES (:id, :walk, 'Sam Patel', 'quality_partner', 0, :t, :t, :dev)",
            {"id": ids["who"].hex, "walk": ids["walk"].hex},
        ),
        (
            "INSERT INTO observation (id, walk_id, category_id, description, location, "
            "observed_at, impact, frequency, ease, domain_quality, domain_delivery, "
            "domain_service, domain_morale, domain_cost, countermeasure, suspected_identifier, "
            "identifier_confirmed, deleted_at, created_at, updated_at, device_id) "
            "VALUES (:id, :walk, :cat, :description, 'bay 3', :t, 4, 'daily', 2, 0, 1, 0, 0, 1, "
            "'pre-order TTOs', 0, 0, NULL, :t, :t, :dev)",
            {
                "id": ids["obs"].hex,
                "walk": ids["walk"].hex,
                "cat": waiting,
                "description": description,
            },
        ),
        (
            "INSERT INTO photo (id, observation_id, filename, media_type, sha256, size_bytes, "
            "width, height, data, thumbnail_png, deleted_at, created_at, updated_at, device_id) "
            "VALUES (:id, :obs, 'bay3.png', 'image/png', :sha, :size, 4, 3, :data, :data, NULL, "
            ":t, :t, :dev)",
            {
                "id": ids["photo"].hex,
                "obs": ids["obs"].hex,
                "sha": hashlib.sha256(photo).hexdigest(),
                "size": len(photo),
                "data": photo,
            },
        ),
    ]
    for sql, values in statements:
        connection.execute(text(sql), {**common, **values})
    return Seeded(
        trust_name="Seed Trust",
        csu_name="Seed CSU",
        area_id=ids["area"],
        area_name="Seed Ward",
        walk_id=ids["walk"],
        observation_id=ids["obs"],
        description=description,
        photo_id=ids["photo"],
        photo=photo,
    )


SEEDERS: dict[str, Callable[[Connection], Seeded]] = {"0001": seed_0001}


def seeder_for(revision: str) -> Callable[[Connection], Seeded]:
    """The newest seeder written for `revision` or an earlier one."""
    chosen = None
    for script in ordered_revisions():
        chosen = SEEDERS.get(script.revision, chosen)
        if script.revision == revision:
            break
    assert chosen is not None, f"no seeder for revision {revision}"
    return chosen


def build_at(path: Path, revision: str) -> Seeded:
    """A database file at `revision`, holding one of everything, closed."""
    engine = engine_for(path)
    try:
        migrations.upgrade(engine, revision)
        with engine.begin() as connection:
            return seeder_for(revision)(connection)
    finally:
        engine.dispose()


def check_seeded_records(path: Path, seeded: Seeded) -> None:
    """Open with the program and read every seeded record back through the services."""
    db = open_database(str(path))
    try:
        assert [t.name for t in list_trusts(db)] == [seeded.trust_name]
        assert [c.name for c in list_csus(db)] == [seeded.csu_name]
        [area] = list_areas(db)
        assert (area.id, area.name, area.operating_days_per_year) == (
            seeded.area_id,
            seeded.area_name,
            365,
        )
        walk = get_walk(db, seeded.walk_id)
        assert walk.focus == "Seed focus"
        assert walk.started_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        assert walk.participants == (ParticipantInput("Sam Patel", "quality_partner"),)
        [obs] = list_observations(db, seeded.walk_id)
        assert obs.id == seeded.observation_id
        assert obs.description == seeded.description
        assert (obs.category_code, obs.impact, obs.ease, obs.location) == ("waiting", 4, 2, "bay 3")
        assert obs.domains == frozenset({"delivery", "cost"})
        [photo] = list_photos(db, seeded.observation_id)
        assert photo.id == seeded.photo_id
        assert photo_bytes(db, seeded.photo_id) == seeded.photo
        assert len(list_categories(db)) == 8
    finally:
        db.close()


# --- the revision graph ---------------------------------------------------------------------------


def test_there_is_exactly_one_head() -> None:
    heads = migrations.script_directory().get_heads()
    assert heads == [migrations.head_revision()]


def test_revisions_form_one_line_from_base() -> None:
    revisions = ordered_revisions()
    assert revisions[0].down_revision is None
    for older, newer in itertools.pairwise(revisions):
        assert newer.down_revision == older.revision
    assert revisions[-1].revision == migrations.head_revision()
    assert {r.revision for r in revisions} == migrations.known_revisions()


# --- schema ---------------------------------------------------------------------------------------


def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "fresh.sqlite")
    try:
        migrations.upgrade(engine, "head")
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_every_revision_upgrades_and_downgrades_in_turn(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "stepwise.sqlite")
    try:
        for script in ordered_revisions():
            migrations.upgrade(engine, script.revision)
            assert revision_of(engine) == script.revision
            after_upgrade = user_tables(engine)

            migrations.downgrade(engine, script.down_revision or "base")
            assert revision_of(engine) == script.down_revision

            migrations.upgrade(engine, script.revision)
            assert revision_of(engine) == script.revision
            assert user_tables(engine) == after_upgrade
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []

        migrations.downgrade(engine, "base")
        assert revision_of(engine) is None
        assert user_tables(engine) == set()
    finally:
        engine.dispose()


def test_downgrade_then_upgrade_reseeds_the_same_default_wastes(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "again.sqlite")
    try:
        migrations.upgrade(engine, "head")
        first = dump(engine)["waste_category"]
        migrations.downgrade(engine, "base")
        migrations.upgrade(engine, "head")
        assert dump(engine)["waste_category"] == first
    finally:
        engine.dispose()


# --- data -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("revision", [s.revision for s in ordered_revisions()])
def test_data_survives_opening_a_file_made_at_each_revision(tmp_path: Path, revision: str) -> None:
    path = tmp_path / f"at-{revision}.sqlite"
    seeded = build_at(path, revision)
    head = migrations.head_revision()

    db = open_database(str(path))
    try:
        assert db.upgraded_from == revision
        saved = db.pre_upgrade_backup
    finally:
        db.close()
    if revision == head:
        assert saved is None
    else:
        # The copy taken before migrating is the old file, data and revision both.
        assert saved is not None
        kept = sqlite3.connect(f"{saved.as_uri()}?mode=ro", uri=True)
        try:
            assert kept.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (revision,)
            ]
            assert kept.execute("SELECT count(*) FROM observation").fetchone() == (1,)
        finally:
            kept.close()
    check_seeded_records(path, seeded)


def test_upgrading_a_database_already_at_head_changes_no_data(tmp_path: Path) -> None:
    path = tmp_path / "head.sqlite"
    build_at(path, "head")
    engine = engine_for(path)
    try:
        before = dump(engine)
        migrations.upgrade(engine, "head")
        assert dump(engine) == before
        assert revision_of(engine) == migrations.head_revision()
    finally:
        engine.dispose()


# --- real files made by released schemas ----------------------------------------------------------

EXPECTED_0001_OBSERVATIONS = [
    # newest first, as a walk lists them
    ("defects", "Discharge letter missing <b>&</b> GP details", "doctors' office", 20, 5, 3),
    ("motion", "Walked to bay 3 sluice twice for gloves", "bay 3 sluice", 12, 2, 5),
    ("waiting", "TTO medicines waited 3 hours for pharmacy", "nurses' station", 5, 4, 2),
]
EXPECTED_0001_PHOTO_SHA256 = "038f4ee6d2d1ccf1d95b84117d840fc074ff67e7c69614f3644696fcbf9b22b5"


def test_released_schema_0001_file_opens_with_every_record_intact(tmp_path: Path) -> None:
    released = FIXTURES / "schema_0001.sqlite"
    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(released, path)
    probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert probe.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        probe.close()

    db = open_database(str(path))
    try:
        assert db.upgraded_from == "0001"
        if migrations.head_revision() != "0001":
            assert db.pre_upgrade_backup is not None

        assert [t.name for t in list_trusts(db)] == ["NHS Trust"]
        areas = {a.name: a for a in list_areas(db)}
        assert {
            name: (a.csu_name, a.kind, a.operating_days_per_year) for name, a in areas.items()
        } == {
            "Ward 7": ("Medicine", "ward", 365),
            "Diabetes clinic": ("Medicine", "clinic", 253),
        }
        [walk_id] = [w.id for w in list_walks(db)]
        walk = get_walk(db, walk_id)
        start = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
        assert (walk.area_name, walk.focus, walk.status) == (
            "Ward 7",
            "Discharge before noon",
            "complete",
        )
        assert (walk.started_at, walk.ended_at) == (
            start,
            dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC),
        )
        assert walk.participants == (
            ParticipantInput("Sam Patel", "staff"),
            ParticipantInput("Jo Evans", "quality_partner"),
        )
        assert walk.observation_count == 3

        observations = list_observations(db, walk_id)
        assert [
            (
                o.category_code,
                o.description,
                o.location,
                (o.observed_at - start) // dt.timedelta(minutes=1),
                o.impact,
                o.ease,
            )
            for o in observations
        ] == EXPECTED_0001_OBSERVATIONS
        assert all(o.observed_at.tzinfo == dt.UTC for o in observations)

        waiting = observations[-1]
        [photo] = list_photos(db, waiting.id)
        assert (photo.filename, photo.media_type, photo.width, photo.height) == (
            "sluice.png",
            "image/png",
            64,
            48,
        )
        data = photo_bytes(db, photo.id)
        assert len(data) == photo.size_bytes
        assert hashlib.sha256(data).hexdigest() == photo.sha256 == EXPECTED_0001_PHOTO_SHA256
        assert photo_bytes(db, photo.id, thumbnail=True).startswith(b"\x89PNG\r\n\x1a\n")
        assert [c.code for c in list_categories(db)][:8] == [
            "transport",
            "inventory",
            "motion",
            "waiting",
            "overproduction",
            "overprocessing",
            "defects",
            "skills",
        ]
    finally:
        db.close()


def test_a_schema_0001_laptop_gains_time_studies_and_activity_categories(tmp_path: Path) -> None:
    """Revision 0002 on a real 0001 file: the new tables work beside the old data."""
    from wastewalk.services.time_studies import ElementInput, StudyInput, create_study
    from wastewalk.services.time_study_readings import record_reading

    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(FIXTURES / "schema_0001.sqlite", path)
    db = open_database(str(path))
    try:
        ward = next(a for a in list_areas(db) if a.name == "Ward 7")
        study = create_study(
            db,
            StudyInput(
                name="Drug round",
                area_id=ward.id,
                study_date=dt.date(2026, 11, 24),
                elements=(ElementInput("Prepare"), ElementInput("Give")),
            ),
        )
        record_reading(db, study.id, study.elements[0].id, 1, 12.5)
        assert len(list_walks(db)) == 1
    finally:
        db.close()
    probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        codes = [
            row[0]
            for row in probe.execute("SELECT code FROM activity_category ORDER BY sort_order")
        ]
        ids = {row[0] for row in probe.execute("SELECT id FROM activity_category")}
        assert probe.execute("SELECT seconds FROM time_study_reading").fetchall() == [(12.5,)]
    finally:
        probe.close()
    assert codes[:2] == ["direct_care", "indirect_care"]
    assert len(codes) == 10
    # Fixed ids: every laptop seeds the same records, so packs merge without conflicts.
    namespace = uuid.UUID("8c0b6a55-4a1e-4f57-9d0e-2f7a3e6b1c90")
    assert ids == {uuid.uuid5(namespace, code).hex for code in codes}


def test_released_schema_0002_file_opens_with_every_record_intact(tmp_path: Path) -> None:
    """The 0002 laptop's study and follow read back with the same figures at every later head."""
    from wastewalk.services.activity_follows import follow_summary, list_follows, list_segments
    from wastewalk.services.observations import get_observation
    from wastewalk.services.time_studies import find_study, list_readings, study_summary

    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(FIXTURES / "schema_0002.sqlite", path)
    db = open_database(str(path))
    try:
        study = find_study(db, "Drug round, Ward 7, 3 Mar 2026")
        assert (study.area_name, study.process, study.observer) == (
            "Ward 7",
            "Morning drug round",
            "Jo Evans",
        )
        readings = list_readings(db, study.id)
        assert [(r.element_order, r.cycle, r.state, r.seconds) for r in readings][:6] == [
            (1, 1, "valid", 8.0),
            (2, 1, "valid", 36.0),
            (3, 1, "not_performed", None),
            (1, 2, "valid", 9.0),
            (2, 2, "valid", 41.0),
            (3, 2, "valid", 62.5),
        ]
        assert [r.exclude_reason for r in readings if r.state == "excluded"] == [
            "Called to a patient"
        ]
        _, summary = study_summary(db, study.id)
        assert summary.cycles.cycle_times == (44.0, 112.5, 46.0, 94.0)
        assert summary.normal_total_s == pytest.approx(105.375)
        assert summary.standard_total_s == pytest.approx(105.375 / 0.85)
        assert summary.takt_s == 630.0
        assert summary.cycles_needed == 53

        [follow] = list_follows(db)
        _, activity = follow_summary(db, follow.id)
        assert activity.total_s == 1800.0
        assert activity.direct_care_share == pytest.approx(1320 / 1800)
        assert activity.interruptions_per_hour == 6.0
        assert activity.transit_s == 180.0
        tagged = [s for s in list_segments(db, follow.id) if s.observation_id is not None]
        assert len(tagged) == 1
        observation = get_observation(db, tagged[0].observation_id)
        assert observation.category_code == "motion"
        assert "to pharmacy for a missing drug" in observation.description
        assert len(list_walks(db)) == 2  # the 0001 walk and the follow's own
    finally:
        db.close()


def test_a_schema_0002_laptop_gains_staff_rates_and_can_price_its_observations(
    tmp_path: Path,
) -> None:
    """Revision 0003 on a real 0002 file: shipped rates with fixed ids, and estimates work."""
    from decimal import Decimal

    from wastewalk.services.estimates import EstimateInput, set_observation_estimate
    from wastewalk.services.staff_rates import hours_per_wte_year, list_staff_rates

    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(FIXTURES / "schema_0002.sqlite", path)
    db = open_database(str(path))
    try:
        rates = {r.code: r for r in list_staff_rates(db)}
        assert rates["nurse-band-5"].cost_per_hour_pence == 5700
        namespace = uuid.UUID("3e0f4c1a-9b7d-4c2e-8f1a-6d5b4a3c2e10")
        assert all(r.id == uuid.uuid5(namespace, r.code) for r in rates.values())
        assert hours_per_wte_year(db) == Decimal(1950)
        [walk_id] = [w.id for w in list_walks(db) if w.focus == "Discharge before noon"]
        first = list_observations(db, walk_id)[0]
        info = set_observation_estimate(
            db,
            first.id,
            EstimateInput(
                minutes=Decimal(6),
                staff_rate_id=rates["nurse-band-5"].id,
                occurrences=Decimal(5),
            ),
        )
        assert info.annual_value_pence == 1040250
    finally:
        db.close()


def test_a_schema_0003_laptop_gains_pack_sync_and_exports_everything(tmp_path: Path) -> None:
    """Revision 0004 on a real 0003 file: every estimate and action kept, and a pack of it all."""
    from sqlalchemy import func, select

    from wastewalk.models import Action, Estimate, PackExportLog, RecordSyncState
    from wastewalk.services.actions import list_actions
    from wastewalk.services.pack_export import export_pack
    from wastewalk.services.pack_reader import read_pack

    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(FIXTURES / "schema_0003.sqlite", path)
    db = open_database(str(path))
    try:
        assert db.upgraded_from == "0003"
        with db.session() as session:
            estimates = sorted(
                (e.kind, e.annual_value_pence, e.in_rollup)
                for e in session.execute(select(Estimate)).scalars()
            )
            assert session.execute(select(func.count()).select_from(PackExportLog)).scalar() == 0
            assert session.execute(select(func.count()).select_from(RecordSyncState)).scalar() == 0
            locked = session.execute(select(Action.locked).order_by(Action.title)).scalars().all()
        assert estimates == [
            ("expected", 231167, True),
            ("expected", 2889705, True),
            ("opportunity", 182646, True),
            ("opportunity", 1022000, True),
            ("opportunity", 4161000, True),
            ("validated", 184933, True),
        ]
        assert locked == [True, False]
        titles = sorted(a.title for a in list_actions(db))
        assert titles == ["GP details checked at clerking", "Glove dispensers in every bay"]

        result = export_pack(db, tmp_path / "all.wwpack", since_last="office")
        pack = read_pack(result.path)
        assert len(pack.tables["estimate"]) == 6
        assert len(pack.tables["action"]) == 2
        assert {r["code"] for r in pack.tables["staff_rate"]} >= {"ward-clerk", "nurse-band-5"}
        assert len(pack.tables["time_study_reading"]) == 15
        assert pack.manifest["schema"] == migrations.head_revision()
    finally:
        db.close()
