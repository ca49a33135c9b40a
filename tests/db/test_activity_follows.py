"""Activity follows on a real database file: segments, samples, undo, end, restart, waste tags."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest

from tests.db.conftest import Org
from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.services.activity_categories import (
    ActivityCategoryInfo,
    add_activity_category,
    edit_activity_category,
    list_activity_categories,
    set_activity_category_archived,
)
from wastewalk.services.activity_follow_waste import tag_segment_waste
from wastewalk.services.activity_follows import (
    FollowInfo,
    InterruptionInfo,
    SegmentInfo,
    delete_follow,
    end_follow,
    follow_summary,
    get_follow,
    list_follows,
    list_interruptions,
    list_segments,
    mark_follow_time,
    recent_staff_roles,
    record_interruption,
    record_sample,
    resume_follow,
    set_segment_location,
    start_follow,
    switch_activity,
    undo_last_event,
)
from wastewalk.services.observations import get_observation, list_observations
from wastewalk.services.walks import get_walk
from wastewalk.store.database import Database, open_database

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def acts(db: Database) -> dict[str, ActivityCategoryInfo]:
    """The live activity categories by code."""
    return {c.code: c for c in list_activity_categories(db)}


@pytest.fixture
def follow(db: Database, org: Org) -> FollowInfo:
    return start_follow(db, org.area.id, staff_role="Staff nurse", observer="QP", started_at=START)


@pytest.fixture
def sampling(db: Database, org: Org) -> FollowInfo:
    return start_follow(
        db, org.area.id, staff_role="Healthcare assistant", mode="sampling", started_at=START
    )


def spans(db: Database, follow_id: uuid.UUID) -> list[tuple[str, float, float | None]]:
    return [(s.category_code, s.start_s, s.end_s) for s in list_segments(db, follow_id)]


def do_the_follow(db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]) -> None:
    """Keys 1, 4, 7, 1 at 0, 2:00, 5:00 and 6:00; interrupted at 3:20 and 6:40; ended at 10:00."""
    switch_activity(db, follow.id, acts["direct_care"].id, 0, location="Bay 2")
    switch_activity(db, follow.id, acts["documentation"].id, 120)
    record_interruption(db, follow.id, 200)
    switch_activity(db, follow.id, acts["transit"].id, 300, location="Corridor")
    switch_activity(db, follow.id, acts["direct_care"].id, 360)
    record_interruption(db, follow.id, 400, note="Bleep")
    end_follow(db, follow.id, 600)


def test_seeded_categories_have_the_number_keys(acts: dict[str, ActivityCategoryInfo]) -> None:
    assert [c.key for c in acts.values()] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
    assert [c.code for c in acts.values() if c.is_direct_care] == ["direct_care"]
    assert [c.code for c in acts.values() if c.is_transit] == ["transit"]


def test_continuous_segments_and_summary_are_exact(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    do_the_follow(db, follow, acts)
    assert spans(db, follow.id) == [
        ("direct_care", 0, 120),
        ("documentation", 120, 300),
        ("transit", 300, 360),
        ("direct_care", 360, 600),
    ]
    assert [s.location for s in list_segments(db, follow.id)] == ["Bay 2", "", "Corridor", ""]
    assert [(i.at_s, i.note) for i in list_interruptions(db, follow.id)] == [
        (200, ""),
        (400, "Bleep"),
    ]
    info, summary = follow_summary(db, follow.id)
    assert info.length_s == 600
    assert info.ended_at is not None
    assert info.ended_at >= START + dt.timedelta(seconds=600)
    assert (info.segment_count, info.interruption_count) == (4, 2)
    rows = {row.code: row for row in summary.categories}
    assert summary.total_s == 600
    assert (rows["direct_care"].seconds, rows["direct_care"].segments) == (360, 2)
    assert rows["direct_care"].share == pytest.approx(0.6)
    assert (rows["documentation"].seconds, rows["documentation"].share) == (180, 0.3)
    assert rows["transit"].seconds == 60
    assert rows["transit"].share == pytest.approx(0.1)
    assert rows["medication"].seconds == 0
    assert summary.direct_care_share == pytest.approx(0.6)
    assert info.direct_care_share == pytest.approx(0.6)
    assert summary.transit_s == 60
    assert summary.interruptions == 2
    assert summary.interruptions_per_hour == pytest.approx(12.0)
    assert [row.code for row in summary.categories] == list(acts)


def test_an_open_segment_counts_to_the_last_known_point(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    switch_activity(db, follow.id, acts["medication"].id, 10)
    mark_follow_time(db, follow.id, 70)
    info, summary = follow_summary(db, follow.id)
    assert info.length_s == 70
    assert info.ended_at is None
    assert summary.total_s == 60
    assert summary.interruptions_per_hour == 0
    assert list_segments(db, follow.id)[0].length_s is None


def test_sampling_answers_stand_for_the_interval_before_them(
    db: Database, sampling: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    first = record_sample(db, sampling.id, acts["direct_care"].id, 60, location="Bay 1")
    assert (first.start_s, first.end_s, first.sampled, first.location) == (0, 60, True, "Bay 1")
    # An interruption while the second prompt was waiting; its answer comes in later.
    record_interruption(db, sampling.id, 130)
    record_sample(db, sampling.id, acts["medication"].id, 120)
    record_sample(db, sampling.id, acts["direct_care"].id, 180)
    with pytest.raises(InputError, match="not be after the previous sample at 3:00"):
        record_sample(db, sampling.id, acts["other"].id, 180)
    end_follow(db, sampling.id, 200)
    assert spans(db, sampling.id) == [
        ("direct_care", 0, 60),
        ("medication", 60, 120),
        ("direct_care", 120, 180),
    ]
    info, summary = follow_summary(db, sampling.id)
    rows = {row.code: row for row in summary.categories}
    assert rows["direct_care"].seconds == 120
    assert summary.total_s == 180
    assert summary.direct_care_share == pytest.approx(2 / 3)
    # Per hour of the follow (200 s), not of the answered samples.
    assert summary.interruptions_per_hour == pytest.approx(18.0)
    assert info.length_s == 200


def test_a_first_sample_early_in_the_follow_starts_at_zero(
    db: Database, org: Org, acts: dict[str, ActivityCategoryInfo]
) -> None:
    follow = start_follow(db, org.area.id, staff_role="Doctor", mode="sampling", interval_s=30)
    record_sample(db, follow.id, acts["other"].id, 20)
    record_sample(db, follow.id, acts["other"].id, 50)
    assert spans(db, follow.id) == [("other", 0, 20), ("other", 20, 50)]
    assert get_follow(db, follow.id).interval_s == 30


def test_undo_takes_back_the_latest_event_and_reopens_the_segment_before(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    switch_activity(db, follow.id, acts["direct_care"].id, 0)
    switch_activity(db, follow.id, acts["documentation"].id, 30)
    record_interruption(db, follow.id, 40)
    undone = undo_last_event(db, follow.id)
    assert isinstance(undone, InterruptionInfo)
    assert undone.at_s == 40
    assert list_interruptions(db, follow.id) == []
    undone = undo_last_event(db, follow.id)
    assert isinstance(undone, SegmentInfo)
    assert (undone.category_code, undone.start_s) == ("documentation", 30)
    assert spans(db, follow.id) == [("direct_care", 0, None)]
    # The key pressed again, a little later: the reopened segment closes there.
    switch_activity(db, follow.id, acts["medication"].id, 35)
    assert spans(db, follow.id) == [("direct_care", 0, 35), ("medication", 35, None)]
    assert isinstance(undo_last_event(db, follow.id), SegmentInfo)
    assert isinstance(undo_last_event(db, follow.id), SegmentInfo)
    assert spans(db, follow.id) == []
    assert undo_last_event(db, follow.id) is None


def test_undo_in_sampling_leaves_the_earlier_samples_alone(
    db: Database, sampling: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    record_sample(db, sampling.id, acts["direct_care"].id, 60)
    record_sample(db, sampling.id, acts["medication"].id, 120)
    undo_last_event(db, sampling.id)
    assert spans(db, sampling.id) == [("direct_care", 0, 60)]
    record_sample(db, sampling.id, acts["other"].id, 120)
    assert spans(db, sampling.id) == [("direct_care", 0, 60), ("other", 60, 120)]


def test_an_ended_follow_takes_nothing_more(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    switch_activity(db, follow.id, acts["direct_care"].id, 0)
    ended = end_follow(db, follow.id, 90)
    assert ended.ended
    assert ended.length_s == 90
    assert spans(db, follow.id) == [("direct_care", 0, 90)]
    for attempt in (
        lambda: switch_activity(db, follow.id, acts["other"].id, 100),
        lambda: record_interruption(db, follow.id, 100),
        lambda: undo_last_event(db, follow.id),
        lambda: end_follow(db, follow.id, 120),
    ):
        with pytest.raises(InputError, match="has ended"):
            attempt()
    # Reopening an ended follow changes nothing.
    assert resume_follow(db, follow.id).length_s == 90


def test_a_follow_left_open_by_a_killed_program_goes_on_from_its_last_known_point(
    db_path: Path, org: Org, acts: dict[str, ActivityCategoryInfo]
) -> None:
    first = open_database(str(db_path))
    follow = start_follow(first, org.area.id, staff_role="Staff nurse")
    switch_activity(first, follow.id, acts["direct_care"].id, 0)
    switch_activity(first, follow.id, acts["medication"].id, 20)
    mark_follow_time(first, follow.id, 45)  # the window's periodic mark
    first.close()  # nothing more reaches the file: the program was killed here

    second = open_database(str(db_path))
    resumed = resume_follow(second, follow.id)
    assert resumed.length_s == 45
    assert spans(second, follow.id) == [("direct_care", 0, 20), ("medication", 20, 45)]
    # The clock goes on from 45 s.
    switch_activity(second, follow.id, acts["transit"].id, 46)
    end_follow(second, follow.id, 60)
    assert spans(second, follow.id)[-1] == ("transit", 46, 60)
    assert follow_summary(second, follow.id)[1].total_s == 59
    second.close()


def test_resume_with_no_mark_closes_the_open_segment_where_it_started(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    switch_activity(db, follow.id, acts["direct_care"].id, 0)
    switch_activity(db, follow.id, acts["medication"].id, 20)
    resume_follow(db, follow.id)
    assert spans(db, follow.id) == [("direct_care", 0, 20), ("medication", 20, 20)]


def test_tagging_a_segment_makes_an_observation_in_a_walk_of_the_area(
    db: Database, follow: FollowInfo, org: Org, acts: dict[str, ActivityCategoryInfo]
) -> None:
    do_the_follow(db, follow, acts)
    segments = list_segments(db, follow.id)
    transit, documentation = segments[2], segments[1]
    tagged = tag_segment_waste(db, transit.id, "motion", "fetching a hoist from Ward 9")
    assert (tagged.waste_code, tagged.waste_label) == ("motion", "Motion")
    assert tagged.observation_id is not None
    info = get_follow(db, follow.id)
    assert info.walk_id is not None
    walk = get_walk(db, info.walk_id)
    assert (walk.area_id, walk.focus) == (org.area.id, "Activity follow: Staff nurse")
    assert walk.status == "complete"  # the follow had already ended
    observation = get_observation(db, tagged.observation_id)
    assert observation.walk_id == walk.id
    assert observation.category_code == "motion"
    assert observation.description == (
        "In transit for 1:00 (Staff nurse): fetching a hoist from Ward 9"
    )
    assert observation.location == "Corridor"
    assert observation.observed_at == START + dt.timedelta(seconds=300)

    # A second tag goes into the same walk; its description is the default one.
    second = tag_segment_waste(db, documentation.id, "overprocessing")
    assert second.observation_id is not None
    assert get_follow(db, follow.id).walk_id == walk.id
    assert get_observation(db, second.observation_id).description == (
        "Documentation for 3:00 (Staff nurse)"
    )
    summary = follow_summary(db, follow.id)[1]
    assert (summary.waste_s, summary.waste_segments) == (240, 2)

    # Re-tagging changes the observation's waste; its text stays.
    retagged = tag_segment_waste(db, transit.id, "transport")
    assert retagged.observation_id == tagged.observation_id
    again = get_observation(db, tagged.observation_id)
    assert again.category_code == "transport"
    assert again.description.endswith("fetching a hoist from Ward 9")
    # A new location reaches the observation too.
    set_segment_location(db, transit.id, "Main corridor")
    assert get_observation(db, tagged.observation_id).location == "Main corridor"

    # Untagging deletes the observation (softly).
    untagged = tag_segment_waste(db, transit.id, None)
    assert (untagged.waste_code, untagged.observation_id) == (None, None)
    assert get_observation(db, tagged.observation_id).deleted
    live = list_observations(db, walk.id)
    assert [o.id for o in live] == [second.observation_id]
    assert follow_summary(db, follow.id)[1].waste_s == 180


def test_undoing_a_tagged_segment_takes_its_observation_and_ending_completes_the_walk(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    switch_activity(db, follow.id, acts["direct_care"].id, 0)
    first = switch_activity(db, follow.id, acts["ward_related"].id, 50)
    tagged = tag_segment_waste(db, first.id, "waiting", "waiting for the lift")
    assert tagged.observation_id is not None
    assert get_observation(db, tagged.observation_id).description == (
        "Ward-related (still going) (Staff nurse): waiting for the lift"
    )
    walk_id = get_follow(db, follow.id).walk_id
    assert walk_id is not None
    assert get_walk(db, walk_id).status == "in_progress"
    undo_last_event(db, follow.id)
    assert get_observation(db, tagged.observation_id).deleted
    end_follow(db, follow.id, 80)
    walk = get_walk(db, walk_id)
    assert walk.status == "complete"
    assert walk.ended_at is not None


def test_tagging_refuses_unknown_wastes(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    segment = switch_activity(db, follow.id, acts["direct_care"].id, 0)
    with pytest.raises(InputError, match="no waste category with code 'laziness'"):
        tag_segment_waste(db, segment.id, "laziness")
    assert get_follow(db, follow.id).walk_id is None  # nothing half-made


def test_categories_can_be_relabelled_added_and_archived(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    direct = acts["direct_care"]
    edited = edit_activity_category(
        db, direct.id, label="Patient care", key="1", is_direct_care=True, is_transit=False
    )
    assert (edited.code, edited.label, edited.is_default) == ("direct_care", "Patient care", True)
    with pytest.raises(InputError, match="The key 4 is already used by 'Documentation'"):
        edit_activity_category(
            db, direct.id, label="Patient care", key="4", is_direct_care=True, is_transit=False
        )
    with pytest.raises(InputError, match="kept for the follow screen"):
        add_activity_category(db, "Phone", key="t")
    with pytest.raises(InputError, match="single digit or letter"):
        add_activity_category(db, "Phone", key="10")
    with pytest.raises(InputError, match="already a category called 'Medication'"):
        add_activity_category(db, "medication")
    with pytest.raises(InputError, match="both direct care and time in transit"):
        add_activity_category(db, "Escort", is_direct_care=True, is_transit=True)
    with pytest.raises(InputError, match="Category label is required"):
        add_activity_category(db, "  ")

    phone = add_activity_category(db, "Answering the phone", key="p")
    assert (phone.code, phone.key, phone.is_default) == ("answering_the_phone", "P", False)
    assert list_activity_categories(db)[-1].id == phone.id

    # The supervision key goes to the phone once supervision is archived.
    supervision = acts["supervision"]
    set_activity_category_archived(db, supervision.id, True)
    edit_activity_category(
        db, phone.id, label="Answering the phone", key="8", is_direct_care=False, is_transit=False
    )
    with pytest.raises(InputError, match="'Supervision' is archived"):
        switch_activity(db, follow.id, supervision.id, 0)
    assert supervision.id not in {c.id for c in list_activity_categories(db)}
    assert supervision.id in {c.id for c in list_activity_categories(db, include_archived=True)}
    restored = set_activity_category_archived(db, supervision.id, False)
    assert (restored.archived, restored.key) == (False, None)

    # The relabelled default shows under its new name in a summary.
    switch_activity(db, follow.id, direct.id, 0)
    end_follow(db, follow.id, 10)
    rows = follow_summary(db, follow.id)[1].categories
    assert rows[0].label == "Patient care"
    assert rows[-1].label == "Answering the phone"


def test_an_archived_category_still_shows_in_old_summaries(
    db: Database, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    switch_activity(db, follow.id, acts["supervision"].id, 0)
    end_follow(db, follow.id, 30)
    set_activity_category_archived(db, acts["supervision"].id, True)
    rows = {r.code: r for r in follow_summary(db, follow.id)[1].categories}
    assert rows["supervision"].label == "Supervision"
    assert rows["supervision"].seconds == 30


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"staff_role": ""}, "Role followed is required"),
        ({"staff_role": "n" * 201}, "Role followed is too long"),
        ({"staff_role": "Nurse", "interval_s": 5}, "from 10 to 3600 seconds, not 5"),
        ({"staff_role": "Nurse", "interval_s": 3601}, "from 10 to 3600 seconds, not 3601"),
        ({"staff_role": "Nurse", "mode": "guessing"}, "not 'guessing'"),
        (
            {"staff_role": "Nurse", "started_at": dt.datetime(2026, 3, 2, 9, 0)},
            "no time zone",
        ),
    ],
)
def test_start_refusals(db: Database, org: Org, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        start_follow(db, org.area.id, **kwargs)  # type: ignore[arg-type]
    assert list_follows(db) == []


def test_recording_refusals(
    db: Database,
    follow: FollowInfo,
    sampling: FollowInfo,
    acts: dict[str, ActivityCategoryInfo],
) -> None:
    care = acts["direct_care"].id
    with pytest.raises(InputError, match="cannot be before the start"):
        switch_activity(db, follow.id, care, -1)
    switch_activity(db, follow.id, care, 30)
    with pytest.raises(
        InputError, match=re.escape("A new activity at 0:20.0 would be before the previous")
    ):
        switch_activity(db, follow.id, care, 20)
    with pytest.raises(InputError, match=re.escape("An interruption at 0:10.0 would be before")):
        record_interruption(db, follow.id, 10)
    with pytest.raises(InputError, match=re.escape("The end of the follow at 0:29.0")):
        end_follow(db, follow.id, 29)
    with pytest.raises(InputError, match="timed continuously"):
        record_sample(db, follow.id, care, 60)
    with pytest.raises(InputError, match="samples at intervals"):
        switch_activity(db, sampling.id, care, 60)
    with pytest.raises(InputError, match="no activity category"):
        switch_activity(db, follow.id, uuid.uuid4(), 40)
    with pytest.raises(InputError, match="Location is too long"):
        switch_activity(db, follow.id, care, 40, location="x" * 201)
    with pytest.raises(InputError, match="number of seconds"):
        switch_activity(db, follow.id, care, float("nan"))
    assert spans(db, follow.id) == [("direct_care", 30, None)]


def test_lists_follow_the_scope_and_deleted_follows_go(
    db: Database, org: Org, follow: FollowInfo, acts: dict[str, ActivityCategoryInfo]
) -> None:
    later = START + dt.timedelta(hours=2)
    clinic = start_follow(db, org.clinic.id, staff_role="Nurse specialist", started_at=later)
    assert [f.id for f in list_follows(db)] == [clinic.id, follow.id]
    assert [f.id for f in list_follows(db, area_ids=[org.area.id])] == [follow.id]
    assert [f.id for f in list_follows(db, csu_id=org.csu.id)] == [clinic.id, follow.id]
    assert list_follows(db, csu_id=uuid.uuid4()) == []
    assert recent_staff_roles(db) == ["Nurse specialist", "Staff nurse"]
    listed = list_follows(db)[1]
    assert (listed.area_name, listed.csu_name, listed.direct_care_share) == (
        "Ward 7",
        "Medicine",
        None,
    )
    delete_follow(db, clinic.id)
    assert [f.id for f in list_follows(db)] == [follow.id]
    with pytest.raises(NotFoundError):
        get_follow(db, clinic.id)
    delete_follow(db, clinic.id, deleted=False)
    assert len(list_follows(db)) == 2
