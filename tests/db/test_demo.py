"""The demo trust: enough believable data, deterministic, and refused on a database in use."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from wastewalk.domain.errors import InputError
from wastewalk.domain.observation_rules import ParticipantRole, WalkStatus
from wastewalk.domain.wastes import DEFAULT_CODES
from wastewalk.services.demo import DemoResult, make_demo
from wastewalk.services.observations import list_observations, text_has_identifier
from wastewalk.services.organisation import list_areas, list_csus
from wastewalk.services.walks import list_walks
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 11, 20)
SIX_MONTHS_BEFORE = dt.date(2026, 5, 20)
LONDON = ZoneInfo("Europe/London")
TABLES = (
    "trust",
    "csu",
    "area",
    "walk",
    "participant",
    "observation",
    "time_study",
    "time_study_element",
    "time_study_reading",
    "activity_follow",
    "activity_segment",
    "activity_interruption",
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # One data folder per test: the device id (stamped on every row) is shared by its databases.
    folder = tmp_path / "data"
    monkeypatch.setenv("WASTEWALK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    databases: list[Database] = []
    yield databases
    for db in databases:
        db.close()


def _open(path: Path, opened: list[Database]) -> Database:
    db = open_database(str(path))
    opened.append(db)
    return db


@pytest.fixture
def demo_db(tmp_path: Path, opened: list[Database]) -> tuple[Database, DemoResult]:
    db = _open(tmp_path / "demo.sqlite", opened)
    return db, make_demo(db, seed=1, today=TODAY)


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    assert db.path is not None
    # A plain read-only look at the file, independent of the code under test.
    with closing(sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)) as conn:
        return list(conn.execute(sql))


def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {table: _rows(db, f"SELECT * FROM {table} ORDER BY id") for table in TABLES}


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_counts_meet_the_minimums_and_match_the_result(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, result = demo_db
    assert result.csus >= 3
    assert result.areas >= 12
    assert result.walks >= 80
    assert result.observations >= 800
    assert len(list_csus(db)) == result.csus
    assert len(list_areas(db)) == result.areas
    assert _rows(db, "SELECT count(*) FROM walk") == [(result.walks,)]
    assert _rows(db, "SELECT count(*) FROM observation") == [(result.observations,)]
    assert _rows(db, "SELECT name FROM trust") == [(result.trust_name,)]


def test_areas_are_wards_clinics_and_departments_with_their_operating_days(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, _ = demo_db
    areas = list_areas(db)
    kinds = {(a.kind, a.operating_days_per_year) for a in areas}
    assert ("ward", 365) in kinds
    assert ("clinic", 253) in kinds
    assert any(a.kind == "department" for a in areas)
    weekday_only = {a.id for a in areas if a.operating_days_per_year < 300}
    for walk in list_walks(db, limit=10_000):
        if walk.area_id in weekday_only:
            assert walk.started_at.astimezone(LONDON).weekday() < 5, walk.area_name
    assert all(
        _rows(db, f"SELECT count(*) FROM walk WHERE area_id = '{a.id.hex}'")[0][0] > 0
        for a in areas
    )


def test_same_seed_and_day_give_identical_content_and_another_seed_differs(
    tmp_path: Path, opened: list[Database]
) -> None:
    first = _open(tmp_path / "first.sqlite", opened)
    second = _open(tmp_path / "second.sqlite", opened)
    other = _open(tmp_path / "other.sqlite", opened)
    assert make_demo(first, seed=7, today=TODAY) == make_demo(second, seed=7, today=TODAY)
    make_demo(other, seed=8, today=TODAY)

    assert _dump(first) == _dump(second)
    texts = "SELECT id, description FROM observation ORDER BY id"
    assert _rows(first, texts) != _rows(other, texts)
    assert not {r[0] for r in _rows(first, "SELECT id FROM walk")} & {
        r[0] for r in _rows(other, "SELECT id FROM walk")
    }


def test_walks_lie_in_the_six_months_before_today_in_working_hours(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, _ = demo_db
    walks = list_walks(db, limit=10_000)
    for walk in walks:
        local = walk.started_at.astimezone(LONDON)
        assert SIX_MONTHS_BEFORE <= local.date() < TODAY
        assert dt.time(8, 0) <= local.time()
        assert walk.started_at.tzinfo is not None
        if walk.ended_at is not None:
            minutes = (walk.ended_at - walk.started_at).total_seconds() / 60
            assert 30 <= minutes <= 90
            assert walk.ended_at.astimezone(LONDON).time() <= dt.time(18, 0)


def test_only_the_newest_one_or_two_walks_are_in_progress(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, _ = demo_db
    newest_first = list_walks(db, limit=10_000)
    statuses = [w.status for w in newest_first]
    open_count = statuses.count(WalkStatus.IN_PROGRESS)
    assert open_count in {1, 2}
    assert set(statuses[:open_count]) == {WalkStatus.IN_PROGRESS}
    assert all(w.ended_at is None for w in newest_first[:open_count])
    assert all(w.ended_at is not None for w in newest_first[open_count:])


def test_walks_have_people_in_every_role(demo_db: tuple[Database, DemoResult]) -> None:
    db, _ = demo_db
    walks = list_walks(db, limit=10_000)
    assert all(len(w.participants) >= 2 for w in walks)
    roles = Counter(p.role for w in walks for p in w.participants)
    assert set(roles) == {str(r) for r in ParticipantRole}
    assert roles[ParticipantRole.QUALITY_PARTNER] < roles[ParticipantRole.STAFF]
    names = {p.name for w in walks for p in w.participants}
    assert "Sister A. Okafor" in names
    assert any(name.startswith("HCA ") for name in names)


def test_every_observation_lies_within_its_walk_in_a_live_area(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, result = demo_db
    rows = _rows(
        db,
        "SELECT o.observed_at, w.started_at, w.ended_at, a.archived_at, c.archived_at "
        "FROM observation o JOIN walk w ON w.id = o.walk_id JOIN area a ON a.id = w.area_id "
        "JOIN csu c ON c.id = a.csu_id",
    )
    assert len(rows) == result.observations
    midnight = dt.datetime.combine(TODAY, dt.time(), tzinfo=LONDON)
    for observed, started, ended, area_archived, csu_archived in rows:
        assert isinstance(observed, str)
        assert isinstance(started, str)
        assert _utc(started) <= _utc(observed) < midnight
        if ended is not None:
            assert isinstance(ended, str)
            assert _utc(observed) <= _utc(ended)
        assert area_archived is None
        assert csu_archived is None


def test_observations_read_back_through_the_service_as_entered(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, _ = demo_db
    walk = list_walks(db, limit=10_000)[-1]
    observations = list_observations(db, walk.id)
    assert len(observations) == walk.observation_count >= 2
    for obs in observations:
        assert obs.description
        assert obs.description == obs.description.strip()
        assert obs.observed_at.tzinfo is not None
        assert obs.created_at == obs.observed_at
        assert obs.impact is None or 1 <= obs.impact <= 5
        assert obs.ease is None or 1 <= obs.ease <= 5
    devices = _rows(
        db, "SELECT DISTINCT device_id FROM observation UNION SELECT device_id FROM walk"
    )
    assert devices == [(db.device_id,)]


def test_observations_carry_scores_frequency_domains_and_ideas(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, result = demo_db
    ((with_domain, with_idea, with_frequency, with_place),) = _rows(
        db,
        "SELECT sum(domain_quality OR domain_delivery OR domain_service OR domain_morale "
        "OR domain_cost), sum(countermeasure != ''), sum(frequency != ''), sum(location != '') "
        "FROM observation",
    )
    assert isinstance(with_domain, int)
    assert isinstance(with_idea, int)
    assert 0.3 * result.observations < with_domain < result.observations
    assert 0.2 * result.observations < with_idea < result.observations
    assert with_frequency == pytest.approx(0.88 * result.observations, rel=0.1)
    assert with_place == result.observations
    impacts = Counter(r[0] for r in _rows(db, "SELECT impact FROM observation"))
    # Skewed to the middle, as teams score: 3 is the commonest, 1 and 5 the rarest.
    assert impacts.most_common(1)[0][0] == 3
    assert impacts[1] < impacts[4]
    assert impacts[5] < impacts[3]


def test_waiting_and_motion_lead_the_pareto_and_skills_is_rarest(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, _ = demo_db
    counts = _rows(
        db,
        "SELECT c.code, count(*) AS n FROM observation o "
        "JOIN waste_category c ON c.id = o.category_id GROUP BY c.code ORDER BY n DESC",
    )
    assert {code for code, _ in counts[:2]} == {"waiting", "motion"}
    assert counts[-1][0] == "skills"


def test_every_category_used_is_a_default_one(demo_db: tuple[Database, DemoResult]) -> None:
    db, _ = demo_db
    used = {
        r[0]
        for r in _rows(
            db,
            "SELECT DISTINCT c.code FROM observation o "
            "JOIN waste_category c ON c.id = o.category_id",
        )
    }
    assert used <= set(DEFAULT_CODES)
    assert len(used) == len(DEFAULT_CODES)


def test_a_suspected_nhs_number_is_flagged_by_the_normal_rule(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, result = demo_db
    rows = _rows(
        db,
        "SELECT description, location, frequency, countermeasure, suspected_identifier, "
        "identifier_confirmed FROM observation",
    )
    flagged = [r for r in rows if r[4]]
    assert len(flagged) == result.flagged >= 1
    for description, location, frequency, idea, flag, confirmed in rows:
        texts = [str(t) for t in (description, location, frequency, idea)]
        assert bool(flag) == text_has_identifier(*texts)
        assert not confirmed
    # Built in the range kept for test data, never a real patient's number.
    assert all("999 " in str(r[0]) for r in flagged)


def test_a_database_with_walks_is_refused_and_left_unchanged(
    demo_db: tuple[Database, DemoResult],
) -> None:
    db, _ = demo_db
    before = _dump(db)
    with pytest.raises(InputError, match=r"already holds .* walk"):
        make_demo(db, seed=2, today=TODAY)
    assert _dump(db) == before


def test_time_studies_tell_the_bed_turnaround_story(demo_db: tuple[Database, DemoResult]) -> None:
    from wastewalk.services.time_studies import list_studies, study_summary

    db, result = demo_db
    studies = list_studies(db)
    assert len(studies) == result.time_studies >= 10
    assert _rows(db, "SELECT count(*) FROM activity_follow") == [(result.follows,)]
    assert result.follows >= 10
    beds = sorted((s for s in studies if s.process == "Bed turnaround"), key=lambda s: s.study_date)
    cycle_means = [study_summary(db, s.id)[1].cycles.mean_s or 0 for s in beds]
    assert len(beds) == 6
    # The change in month four shows: every later study is faster than every earlier one.
    assert max(cycle_means[3:]) < min(cycle_means[:3])
    assert all(s.reading_count > 0 for s in studies)
