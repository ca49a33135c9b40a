"""The walk summary: counts per waste, duration, participants and the NHS-number review count."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import event

from wastewalk.domain.errors import NotFoundError
from wastewalk.services.observations import (
    ObservationInput,
    add_observation,
    confirm_not_identifier,
    set_observation_deleted,
)
from wastewalk.services.walk_summary import duration_words, review_warning, walk_summary
from wastewalk.services.walks import (
    ParticipantInput,
    WalkInfo,
    complete_walk,
    edit_walk,
    start_walk,
)
from wastewalk.services.wastes import WasteCategoryInfo, add_category, set_category_archived
from wastewalk.store.database import Database

VALID_NHS_NUMBER = "943 476 5919"
# The start time of the `walk` fixture (tests/db/conftest.py).
WALK_START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _add(
    db: Database, walk: WalkInfo, category: WasteCategoryInfo, text: str, minute: int
) -> uuid.UUID:
    when = WALK_START + dt.timedelta(minutes=minute)
    return add_observation(
        db, walk.id, ObservationInput(category.id, text, location="Bay 3", observed_at=when)
    ).id


def test_counts_duration_participants_and_review(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    assert walk.started_at == WALK_START
    edit_walk(
        db,
        walk.id,
        participants=[
            ParticipantInput("Sister A. Okafor", "staff"),
            ParticipantInput("Mr J. Patel", "quality_partner"),
        ],
    )
    _add(db, walk, categories["waiting"], "TTOs late from pharmacy", 5)
    _add(db, walk, categories["waiting"], "Bed waiting for cleaning", 20)
    _add(db, walk, categories["motion"], "Walked to Ward 14 for a scanner", 10)
    gone = _add(db, walk, categories["motion"], "Entered twice by mistake", 11)
    set_observation_deleted(db, gone, True)
    flagged = _add(db, walk, categories["defects"], f"Label shows {VALID_NHS_NUMBER}", 30)
    confirmed = _add(db, walk, categories["defects"], f"Fax ref {VALID_NHS_NUMBER}", 31)
    confirm_not_identifier(db, confirmed)
    complete_walk(db, walk.id, ended_at=WALK_START + dt.timedelta(hours=1, minutes=12))

    summary = walk_summary(db, walk.id)

    assert (summary.area_name, summary.csu_name) == ("Ward 7", "Medicine")
    assert summary.focus == "Discharge before noon"
    assert summary.is_complete
    assert summary.duration == dt.timedelta(hours=1, minutes=12)
    assert duration_words(summary.duration) == "1 h 12 min"
    assert [(p.name, p.role_words) for p in summary.participants] == [
        ("Sister A. Okafor", "Staff"),
        ("Mr J. Patel", "Quality Partner"),
    ]
    by_code = {c.code: c.count for c in summary.counts}
    assert by_code == {
        "transport": 0,
        "inventory": 0,
        "motion": 1,  # the deleted one is not counted
        "waiting": 2,
        "overproduction": 0,
        "overprocessing": 0,
        "defects": 2,
        "skills": 0,
    }
    # Category display order, zero counts included.
    assert [c.code for c in summary.counts] == [
        c.code for c in sorted(categories.values(), key=lambda c: c.sort_order)
    ]
    assert summary.total == 5
    assert len(summary.observations) == 5
    assert gone not in {o.id for o in summary.observations}
    # Oldest first.
    assert [o.observed_at for o in summary.observations] == sorted(
        o.observed_at for o in summary.observations
    )
    assert summary.needs_review_count == 1
    assert [o.id for o in summary.observations if o.needs_identifier_review] == [flagged]
    assert review_warning(summary.needs_review_count).startswith("1 observation may hold")


def test_unfinished_walk_runs_until_now(db: Database, walk: WalkInfo) -> None:
    now = WALK_START + dt.timedelta(minutes=45, seconds=30)
    summary = walk_summary(db, walk.id, now=now)
    assert not summary.is_complete
    assert summary.ended_at is None
    assert summary.duration == dt.timedelta(minutes=45, seconds=30)
    assert duration_words(summary.duration) == "45 min"
    assert summary.total == 0
    assert all(c.count == 0 for c in summary.counts)
    assert summary.needs_review_count == 0
    assert review_warning(0) == ""


def test_archived_category_only_when_used(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    unused = add_category(db, "bleep_noise", "Bleep noise")
    used = add_category(db, "phone_hunting", "Phone hunting")
    _add(db, walk, used, "Ward phone lost again", 3)
    set_category_archived(db, unused.id, True)
    set_category_archived(db, used.id, True)
    set_category_archived(db, categories["skills"].id, True)

    codes = [c.code for c in walk_summary(db, walk.id).counts]

    assert "phone_hunting" in codes
    assert "bleep_noise" not in codes
    assert "skills" not in codes
    assert {c.code: c.archived for c in walk_summary(db, walk.id).counts}["phone_hunting"]


def test_other_walks_do_not_leak_in(
    db: Database, org, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    other = start_walk(db, org.clinic.id, started_at=WALK_START)
    _add(db, other, categories["waiting"], "Clinic letters queued", 1)
    _add(db, walk, categories["transport"], "Notes carried to clinic", 2)
    summary = walk_summary(db, walk.id)
    assert summary.total == 1
    assert {c.code: c.count for c in summary.counts}["waiting"] == 0


def test_query_count_does_not_grow_with_observations(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    for minute in range(30):
        _add(db, walk, categories["waiting"], f"Waiting {minute}", minute)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        walk_summary(db, walk.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 4


def test_unknown_walk_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        walk_summary(db, uuid.uuid4())


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "under a minute"),
        (59, "under a minute"),
        (60, "1 min"),
        (3600, "1 h"),
        (3660, "1 h 1 min"),
    ],
)
def test_duration_words(seconds: int, words: str) -> None:
    assert duration_words(dt.timedelta(seconds=seconds)) == words
