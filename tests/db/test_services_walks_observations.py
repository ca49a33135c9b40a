"""Walks, the wastes they are recorded against, and observations: what a team types on a walk."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.models import Observation, Participant, Walk
from wastewalk.services.observations import (
    ObservationInfo,
    ObservationInput,
    add_observation,
    confirm_not_identifier,
    edit_observation,
    get_observation,
    list_observations,
    redact_identifiers,
    set_observation_deleted,
)
from wastewalk.services.walks import (
    ParticipantInput,
    WalkInfo,
    complete_walk,
    edit_walk,
    get_walk,
    list_walks,
    start_walk,
)
from wastewalk.services.wastes import (
    WasteCategoryInfo,
    add_category,
    list_categories,
    relabel_category,
    set_category_archived,
)
from wastewalk.store.database import Database

if TYPE_CHECKING:
    from conftest import Org

NHS_NUMBER = "943 476 5919"  # a valid check digit: the published example number
REMOVED = "[NHS number removed]"
BST = dt.timezone(dt.timedelta(hours=1))


def is_utc(when: dt.datetime | None) -> bool:
    return when is not None and when.tzinfo is not None and when.utcoffset() == dt.timedelta(0)


def note(category: WasteCategoryInfo, description: str, **more: object) -> ObservationInput:
    return ObservationInput(category_id=category.id, description=description, **more)  # type: ignore[arg-type]


# --- waste categories -----------------------------------------------------------------------------


def test_add_a_teams_own_category(db: Database) -> None:
    added = add_category(
        db, "interruptions", "Interruptions", hint="Bleeps during drug rounds", key="9"
    )
    assert (added.code, added.label, added.key, added.is_default) == (
        "interruptions",
        "Interruptions",
        "9",
        False,
    )
    codes = [c.code for c in list_categories(db)]
    assert codes[-1] == "interruptions"  # after the eight defaults
    assert len(codes) == 9


@pytest.mark.parametrize(
    "code",
    ["Interruptions", "9lives", "x", "has space", "a" * 41, "", "café", "drop;table"],
)
def test_bad_category_codes_are_refused(db: Database, code: str) -> None:
    with pytest.raises(InputError, match="code"):
        add_category(db, code, "Some label")
    assert len(list_categories(db, include_archived=True)) == 8


def test_duplicate_category_code_is_refused_even_when_archived(db: Database) -> None:
    with pytest.raises(InputError, match="already exists"):
        add_category(db, "waiting", "Waiting again")
    mine = add_category(db, "interruptions", "Interruptions")
    set_category_archived(db, mine.id, True)
    with pytest.raises(InputError, match="already exists"):
        add_category(db, "interruptions", "Interruptions (new)")


def test_category_key_must_be_free(db: Database) -> None:
    with pytest.raises(InputError, match="already used"):
        add_category(db, "interruptions", "Interruptions", key="4")  # 4 is Waiting


def test_relabel_keeps_the_code(db: Database, categories: dict[str, WasteCategoryInfo]) -> None:
    relabelled = relabel_category(db, categories["skills"].id, "Untapped talent", hint="Ask staff")
    assert (relabelled.code, relabelled.label, relabelled.hint) == (
        "skills",
        "Untapped talent",
        "Ask staff",
    )
    with pytest.raises(InputError):
        relabel_category(db, categories["skills"].id, "   ")
    assert {c.code: c.label for c in list_categories(db)}["skills"] == "Untapped talent"


def test_archived_category_is_hidden_but_old_observations_keep_it(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    motion = categories["motion"]
    old = add_observation(db, walk.id, note(motion, "Walked to the far store for syringes"))

    set_category_archived(db, motion.id, True)

    assert "motion" not in [c.code for c in list_categories(db)]
    assert "motion" in [c.code for c in list_categories(db, include_archived=True)]
    kept = get_observation(db, old.id)
    assert (kept.category_code, kept.category_label) == ("motion", "Motion")
    assert [o.id for o in list_observations(db, walk.id)] == [old.id]
    # The old entry can still be edited without changing its category...
    edited = edit_observation(
        db, old.id, note(motion, "Walked to the far store for 10 ml syringes")
    )
    assert edited.category_code == "motion"
    # ...but no new entry may use it.
    with pytest.raises(InputError, match="archived"):
        add_observation(db, walk.id, note(motion, "Searched for a hoist"))


def test_restoring_a_category_whose_key_was_taken_keeps_it_usable(db: Database) -> None:
    mine = add_category(db, "interruptions", "Interruptions", key="9")
    set_category_archived(db, mine.id, True)
    add_category(db, "noise", "Noise", key="9")
    restored = set_category_archived(db, mine.id, False)
    assert not restored.archived
    assert restored.key is None
    keys = [c.key for c in list_categories(db) if c.key is not None]
    assert len(keys) == len(set(keys))


# --- walks ----------------------------------------------------------------------------------------


def test_start_a_walk_with_participants_in_order(db: Database, org: Org) -> None:
    people = [
        ParticipantInput("Sam Patel", "staff"),
        ParticipantInput("Jo Evans", "quality_partner"),
        ParticipantInput("  Alex   Khan ", "improvement_specialist"),
        ParticipantInput("Chris Lee", "manager"),
    ]
    start = dt.datetime(2026, 3, 2, 10, 30, tzinfo=BST)
    walk = start_walk(
        db, org.area.id, focus="Discharge before noon", participants=people, started_at=start
    )

    assert walk.status == "in_progress"
    assert walk.started_at == start
    assert is_utc(walk.started_at)
    assert walk.started_at.hour == 9
    assert walk.ended_at is None
    assert (walk.area_name, walk.csu_name, walk.focus) == (
        "Ward 7",
        "Medicine",
        "Discharge before noon",
    )
    assert [(p.name, p.role) for p in get_walk(db, walk.id).participants] == [
        ("Sam Patel", "staff"),
        ("Jo Evans", "quality_partner"),
        ("Alex Khan", "improvement_specialist"),
        ("Chris Lee", "manager"),
    ]


def test_walk_without_start_time_starts_now(db: Database, org: Org) -> None:
    before = dt.datetime.now(dt.UTC)
    walk = start_walk(db, org.area.id)
    assert is_utc(walk.started_at)
    assert before <= walk.started_at <= dt.datetime.now(dt.UTC)


def test_bad_participant_role_is_refused(db: Database, org: Org) -> None:
    with pytest.raises(InputError, match="role"):
        start_walk(db, org.area.id, participants=[ParticipantInput("Sam", "consultant")])
    with pytest.raises(InputError, match="name"):
        start_walk(db, org.area.id, participants=[ParticipantInput("  ", "staff")])
    assert list_walks(db) == []


def test_naive_times_are_refused(db: Database, org: Org, walk: WalkInfo) -> None:
    naive = dt.datetime(2026, 3, 2, 9, 30)
    with pytest.raises(InputError, match="time zone"):
        start_walk(db, org.area.id, started_at=naive)
    with pytest.raises(InputError, match="time zone"):
        edit_walk(db, walk.id, ended_at=naive + dt.timedelta(hours=1))
    with pytest.raises(InputError, match="time zone"):
        complete_walk(db, walk.id, naive + dt.timedelta(hours=1))
    assert len(list_walks(db)) == 1
    assert get_walk(db, walk.id).ended_at is None


def test_walk_cannot_end_before_it_starts(db: Database, walk: WalkInfo) -> None:
    before_start = walk.started_at - dt.timedelta(minutes=1)
    with pytest.raises(InputError, match="end before it starts"):
        complete_walk(db, walk.id, before_start)
    with pytest.raises(InputError, match="end before it starts"):
        edit_walk(db, walk.id, ended_at=before_start)
    unchanged = get_walk(db, walk.id)
    assert (unchanged.status, unchanged.ended_at) == ("in_progress", None)


def test_edit_a_walk_changes_only_what_is_given(db: Database, walk: WalkInfo) -> None:
    start_walk_people = [ParticipantInput("Sam Patel", "staff"), ParticipantInput("Jo", "manager")]
    edit_walk(db, walk.id, participants=start_walk_people)
    edited = edit_walk(
        db,
        walk.id,
        notes="Pharmacy visited at 11:00",
        participants=[ParticipantInput("Jo Evans", "quality_partner")],
    )
    assert edited.focus == walk.focus
    assert edited.notes == "Pharmacy visited at 11:00"
    assert edited.participants == (ParticipantInput("Jo Evans", "quality_partner"),)
    with db.session() as session:
        # Replaced participants are gone, not left pointing at the walk.
        assert session.query(Participant).count() == 1


def test_complete_a_walk(db: Database, walk: WalkInfo) -> None:
    end = walk.started_at + dt.timedelta(minutes=45)
    done = complete_walk(db, walk.id, end)
    assert (done.status, done.ended_at) == ("complete", end)
    assert is_utc(done.ended_at)
    assert get_walk(db, walk.id).status == "complete"


def test_unknown_walk_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        get_walk(db, uuid.uuid4())
    with pytest.raises(NotFoundError):
        complete_walk(db, uuid.uuid4())


def test_walks_listed_newest_first_per_area(db: Database, org: Org) -> None:
    first = start_walk(db, org.area.id, started_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    second = start_walk(db, org.area.id, started_at=dt.datetime(2026, 3, 8, 9, tzinfo=dt.UTC))
    clinic = start_walk(db, org.clinic.id, started_at=dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC))
    assert [w.id for w in list_walks(db)] == [second.id, clinic.id, first.id]
    assert [w.id for w in list_walks(db, org.area.id)] == [second.id, first.id]


# --- observations ---------------------------------------------------------------------------------


def test_add_an_observation_with_everything(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    seen = dt.datetime(2026, 3, 2, 10, 40, tzinfo=BST)
    saved = add_observation(
        db,
        walk.id,
        note(
            categories["waiting"],
            "TTO medicines waited 3 hours for pharmacy",
            location="nurses' station",
            observed_at=seen,
            impact=4,
            frequency="every weekday",
            ease=2,
            domains=frozenset({"delivery", "cost"}),
            countermeasure="Order TTOs the evening before",
        ),
    )
    again = get_observation(db, saved.id)
    assert again == saved
    assert (again.category_code, again.category_label) == ("waiting", "Waiting")
    assert again.observed_at == seen
    assert is_utc(again.observed_at)
    assert is_utc(again.created_at)
    assert is_utc(again.updated_at)
    assert (again.impact, again.ease, again.frequency) == (4, 2, "every weekday")
    assert again.domains == frozenset({"delivery", "cost"})
    assert again.countermeasure == "Order TTOs the evening before"
    assert not again.suspected_identifier
    assert not again.needs_identifier_review
    assert get_walk(db, walk.id).observation_count == 1


def test_observation_without_a_time_is_stamped_now(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    before = dt.datetime.now(dt.UTC)
    saved = add_observation(db, walk.id, note(categories["motion"], "Searched for a hoist"))
    assert is_utc(saved.observed_at)
    assert before <= saved.observed_at <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    ("field", "value", "column"),
    [
        ("impact", 0, "impact"),
        ("impact", 6, "impact"),
        ("ease", 0, "ease"),
        ("ease", 6, "ease"),
        ("impact", True, "impact"),
        ("description", "", "description"),
        ("description", "  \n\t ", "description"),
        ("description", "x" * 1_000_000, "description"),
        ("description", "bay 3\x00", "description"),
        ("location", "L" * 201, "location"),
        ("domains", frozenset({"quality", "happiness"}), "domains"),
        ("observed_at", dt.datetime(2026, 3, 2, 10, 0), "observed_at"),
    ],
)
def test_invalid_observation_is_refused_and_nothing_saved(
    db: Database,
    walk: WalkInfo,
    categories: dict[str, WasteCategoryInfo],
    field: str,
    value: object,
    column: str,
) -> None:
    good = note(categories["waiting"], "Waited for porter")
    with pytest.raises(InputError) as refused:
        add_observation(db, walk.id, replace(good, **{field: value}))
    assert [p.column for p in refused.value.problems] == [column]
    assert list_observations(db, walk.id, include_deleted=True) == []


def test_every_problem_is_reported_at_once(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    bad = note(categories["waiting"], "", impact=9, ease=0)
    with pytest.raises(InputError) as refused:
        add_observation(db, walk.id, bad)
    assert {p.column for p in refused.value.problems} == {"description", "impact", "ease"}


def test_description_too_long_message_is_plain(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    with pytest.raises(InputError, match=r"too long \(1,000,000 characters; the limit is 10,000\)"):
        add_observation(db, walk.id, note(categories["waiting"], "x" * 1_000_000))


@pytest.mark.parametrize(
    "text",
    [
        "Pátiënt wartete — 患者在等待 — 🚑 ٣",
        "note <b>&amp;</b> & <script>alert(1)</script>",
        '=HYPERLINK("http://example.invalid","click")',
        "+44 7700 900123",
        "-1 beds, @porter",
        "line one\nline two\r\n\ttabbed",
        "'quoted' \"double\" `back` \\ backslash; DROP TABLE observation;--",
    ],
)
def test_text_is_stored_exactly(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo], text: str
) -> None:
    saved = add_observation(
        db, walk.id, note(categories["defects"], text, countermeasure=text, location=text[:200])
    )
    again = get_observation(db, saved.id)
    assert again.description == text
    assert again.countermeasure == text
    assert again.location == text[:200].strip()


def test_nhs_number_in_text_is_flagged_for_review(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(
        db, walk.id, note(categories["waiting"], f"Patient {NHS_NUMBER} waited 3 h for TTOs")
    )
    assert saved.suspected_identifier
    assert saved.needs_identifier_review
    assert get_observation(db, saved.id).needs_identifier_review


@pytest.mark.parametrize("where", ["location", "frequency", "countermeasure"])
def test_nhs_number_in_any_text_field_is_flagged(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo], where: str
) -> None:
    saved = add_observation(
        db, walk.id, note(categories["waiting"], "Waited for TTOs", **{where: f"re {NHS_NUMBER}"})
    )
    assert saved.needs_identifier_review


def test_number_failing_the_check_digit_is_not_flagged(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(db, walk.id, note(categories["waiting"], "Order 943 476 5918 late"))
    assert not saved.suspected_identifier


def test_redacting_removes_the_number_and_clears_the_flag(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(
        db,
        walk.id,
        note(
            categories["waiting"],
            f"Patient {NHS_NUMBER} waited",
            countermeasure=f"Call re {NHS_NUMBER}",
        ),
    )
    redacted = redact_identifiers(db, saved.id)
    assert redacted.description == f"Patient {REMOVED} waited"
    assert redacted.countermeasure == f"Call re {REMOVED}"
    assert not redacted.suspected_identifier
    assert not redacted.needs_identifier_review
    assert get_observation(db, saved.id) == redacted


def test_confirming_keeps_the_text_and_clears_the_review(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    text = f"Stock code {NHS_NUMBER} out of date"
    saved = add_observation(db, walk.id, note(categories["inventory"], text))
    confirmed = confirm_not_identifier(db, saved.id)
    assert confirmed.description == text
    assert confirmed.suspected_identifier
    assert confirmed.identifier_confirmed
    assert not confirmed.needs_identifier_review


def test_confirming_an_unflagged_observation_changes_nothing(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(db, walk.id, note(categories["inventory"], "Gloves overstocked"))
    confirmed = confirm_not_identifier(db, saved.id)
    assert not confirmed.identifier_confirmed
    assert not confirmed.suspected_identifier


def test_editing_the_number_out_clears_the_flag(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(
        db, walk.id, note(categories["waiting"], f"Patient {NHS_NUMBER} waited")
    )
    edited = edit_observation(db, saved.id, note(categories["waiting"], "Patient in bay 3 waited"))
    assert not edited.suspected_identifier
    assert not edited.needs_identifier_review
    # And typing one in later flags it again.
    again = edit_observation(db, saved.id, note(categories["waiting"], f"Bay 3, {NHS_NUMBER}"))
    assert again.needs_identifier_review


def test_edit_changes_updated_at_but_not_created_at(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(db, walk.id, note(categories["waiting"], "Waited for porter", impact=2))
    edited = edit_observation(
        db, saved.id, note(categories["transport"], "Waited for porter to move notes", impact=3)
    )
    assert edited.created_at == saved.created_at
    assert edited.updated_at > saved.updated_at
    assert (edited.category_code, edited.impact) == ("transport", 3)
    assert edited.observed_at == saved.observed_at  # editing text does not move when it was seen
    assert edited.walk_id == walk.id


def test_observations_carry_the_device_id(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(db, walk.id, note(categories["waiting"], "Waited for porter"))
    with db.session() as session:
        row = session.get(Observation, saved.id)
        walk_row = session.get(Walk, walk.id)
        assert row is not None
        assert walk_row is not None
        assert row.device_id == db.device_id == walk_row.device_id
        assert str(uuid.UUID(row.device_id)) == row.device_id


def test_delete_and_restore_an_observation(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    keep = add_observation(db, walk.id, note(categories["waiting"], "Waited for porter"))
    gone = add_observation(db, walk.id, note(categories["motion"], "Searched for a hoist"))

    deleted = set_observation_deleted(db, gone.id, True)
    assert deleted.deleted
    assert [o.id for o in list_observations(db, walk.id)] == [keep.id]
    assert {o.id for o in list_observations(db, walk.id, include_deleted=True)} == {
        keep.id,
        gone.id,
    }
    assert get_walk(db, walk.id).observation_count == 1
    assert get_observation(db, gone.id).description == "Searched for a hoist"

    restored = set_observation_deleted(db, gone.id, False)
    assert not restored.deleted
    assert get_walk(db, walk.id).observation_count == 2
    assert restored.description == "Searched for a hoist"


def test_observations_listed_newest_first(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    times = [walk.started_at + dt.timedelta(minutes=m) for m in (30, 5, 12)]
    saved: list[ObservationInfo] = [
        add_observation(db, walk.id, note(categories["waiting"], f"at {t:%H:%M}", observed_at=t))
        for t in times
    ]
    assert [o.id for o in list_observations(db, walk.id)] == [saved[0].id, saved[2].id, saved[1].id]


def test_unknown_walk_category_or_observation_is_refused(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    with pytest.raises(NotFoundError):
        add_observation(db, uuid.uuid4(), note(categories["waiting"], "Waited"))
    with pytest.raises(InputError, match="waste category"):
        add_observation(db, walk.id, ObservationInput(uuid.uuid4(), "Waited"))
    for action in (get_observation, redact_identifiers, confirm_not_identifier):
        with pytest.raises(NotFoundError):
            action(db, uuid.uuid4())
    assert list_observations(db, walk.id, include_deleted=True) == []


def test_a_confirmation_survives_an_edit_that_adds_no_new_number(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    saved = add_observation(
        db, walk.id, note(categories["waiting"], f"Ref {NHS_NUMBER} is a stock code")
    )
    confirm_not_identifier(db, saved.id)
    # Only the impact changes: the person's "not patient data" answer must not be thrown away.
    edited = edit_observation(
        db, saved.id, note(categories["waiting"], f"Ref {NHS_NUMBER} is a stock code", impact=4)
    )
    assert edited.identifier_confirmed
    assert not edited.needs_identifier_review
    # A different number typed in later is a new question.
    other = "401 023 2137"
    changed = edit_observation(
        db, saved.id, note(categories["waiting"], f"Ref {NHS_NUMBER} and {other}")
    )
    assert changed.needs_identifier_review
