"""Activity-follow summary: time and share per category, direct care, interruptions, transit."""

from __future__ import annotations

import pytest

from wastewalk.domain.activity import (
    DEFAULT_ACTIVITIES,
    CategoryInfo,
    Segment,
    check_interval,
    summarise_follow,
)

CATEGORIES = [
    CategoryInfo(a.code, a.label, a.is_direct_care, a.is_transit) for a in DEFAULT_ACTIVITIES
]


def test_defaults_are_the_productive_ward_ten_with_distinct_keys() -> None:
    assert [a.label for a in DEFAULT_ACTIVITIES] == [
        "Direct care",
        "Indirect care",
        "Medication",
        "Documentation",
        "Professional communication",
        "Ward-related",
        "In transit",
        "Supervision",
        "Social/break",
        "Other",
    ]
    assert len({a.key for a in DEFAULT_ACTIVITIES}) == 10


def test_summary_of_a_continuous_follow() -> None:
    segments = [
        Segment("direct_care", 0, 600),
        Segment("documentation", 600, 900, waste_code="overprocessing"),
        Segment("transit", 900, 1080, waste_code="motion"),
        Segment("direct_care", 1080, 1800),
    ]
    summary = summarise_follow(CATEGORIES, segments, interruptions=3)
    rows = {row.code: row for row in summary.categories}
    assert summary.total_s == 1800
    assert rows["direct_care"].seconds == 1320
    assert rows["direct_care"].segments == 2
    assert rows["direct_care"].share == pytest.approx(1320 / 1800)
    assert rows["medication"].seconds == 0
    assert rows["medication"].share == 0
    assert summary.direct_care_share == pytest.approx(1320 / 1800)
    assert summary.transit_s == 180
    assert summary.interruptions_per_hour == pytest.approx(6.0)
    assert (summary.waste_s, summary.waste_segments) == (480, 2)
    assert sum(row.share or 0 for row in summary.categories) == pytest.approx(1)
    assert [row.code for row in summary.categories] == [c.code for c in CATEGORIES]


def test_interruptions_per_hour_over_the_observed_length() -> None:
    summary = summarise_follow(CATEGORIES, [Segment("other", 0, 900)], 2, observed_s=1800)
    assert summary.interruptions_per_hour == pytest.approx(4.0)


def test_an_empty_follow_has_no_shares() -> None:
    summary = summarise_follow(CATEGORIES, [], 0)
    assert summary.total_s == 0
    assert summary.direct_care_share is None
    assert summary.interruptions_per_hour is None


def test_a_category_since_archived_is_still_counted() -> None:
    summary = summarise_follow(CATEGORIES[:2], [Segment("gone", 0, 60)], 0)
    assert summary.categories[-1].code == "gone"
    assert summary.categories[-1].seconds == 60


@pytest.mark.parametrize(
    ("value", "ok"), [(60, True), (10, True), (3600, True), (9, False), (0, False), (True, False)]
)
def test_sampling_interval(value: int, ok: bool) -> None:
    assert (check_interval(value) is None) is ok
