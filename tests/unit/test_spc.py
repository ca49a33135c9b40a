"""XmR charts: limits, the four rules, their edges and priorities, groups, fixed limits, screening.

Most cases sit on a base of 12 points alternating 10, 11 with the limits fixed from them (mean 10.5,
mean moving range 1): upper limit 13.16, near-limit lines 10.5 ± 1.7733..., so each case's later
points are judged against limits that they cannot move.
"""

from __future__ import annotations

import json
import math

import pytest

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.spc import (
    NEAR_LIMIT_SCALE,
    Improvement,
    SpcChart,
    SpcOptions,
    chart_as_dict,
    xmr_chart,
)

RNORM_20 = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.2240818,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.7013559,
    -0.47279141,
]

BASE = [10.0, 11.0] * 6  # mean 10.5, every moving range 1
MEAN = 10.5
UPL = 10.5 + 2.66
LPL = 10.5 - 2.66
NUPL = 10.5 + 2 * 2.66 / 3
NLPL = 10.5 - 2 * 2.66 / 3


def chart(ys: list[float | None], **options: object) -> SpcChart:
    return xmr_chart([f"p{i}" for i in range(len(ys))], ys, SpcOptions(**options))  # type: ignore[arg-type]


def fixed(extra: list[float], **options: object) -> SpcChart:
    """BASE then `extra`, limits fixed from BASE."""
    return chart([*BASE, *extra], fix_after=12, **options)


def rules(c: SpcChart, start: int = 12) -> list[str | None]:
    return [p.rule for p in c.points[start:]]


def types(c: SpcChart, start: int = 12) -> list[str]:
    return [p.point_type for p in c.points[start:]]


# --- the published check -------------------------------------------------------------------------


def test_rnorm_20_published_check() -> None:
    c = chart(RNORM_20)
    assert len(c.points) == 20
    for p in c.points:
        assert p.mean == pytest.approx(0.1416238, abs=1e-7)
        assert p.lpl == pytest.approx(-3.01138, abs=1e-5)
        assert p.upl == pytest.approx(3.294627, abs=1e-6)
        assert p.point_type == "common_cause"
        assert p.rule is None
        assert p.group == 0
        assert p.trial_limits is False
    assert c.variation_icon == "common_cause"
    assert c.assurance_icon is None


def test_near_limit_lines_are_two_thirds_of_the_limits() -> None:
    # The package derives 1.7733 as 2 x 2.66 / 3 rather than rounding it.
    assert pytest.approx(1.77333333333, abs=1e-10) == NEAR_LIMIT_SCALE
    p = chart(RNORM_20).points[0]
    assert (p.nupl - p.mean) / (p.upl - p.mean) == pytest.approx(2 / 3)
    assert (p.mean - p.nlpl) / (p.mean - p.lpl) == pytest.approx(2 / 3)


def test_fixed_base_limits() -> None:
    p = fixed([]).points[0]
    assert (p.mean, p.lpl, p.upl) == (pytest.approx(MEAN), pytest.approx(LPL), pytest.approx(UPL))
    assert (p.nlpl, p.nupl) == (pytest.approx(NLPL), pytest.approx(NUPL))


def test_relative_to_mean() -> None:
    c = fixed([10.5, 12.0, 9.0])
    assert [p.relative_to_mean for p in c.points[12:]] == [0, 1, -1]


# --- rule 1: outside the limits ------------------------------------------------------------------


def test_above_the_upper_limit_is_special_cause() -> None:
    c = fixed([13.5])
    assert rules(c) == ["outside_limits"]
    assert types(c) == ["special_cause_improvement"]
    assert c.variation_icon == "improvement_high"


def test_below_the_lower_limit_is_concern_when_higher_is_better() -> None:
    c = fixed([7.0])
    assert rules(c) == ["outside_limits"]
    assert types(c) == ["special_cause_concern"]
    assert c.variation_icon == "concern_low"


def test_a_point_exactly_on_a_limit_is_inside() -> None:
    upl = fixed([]).points[0].upl
    lpl = fixed([]).points[0].lpl
    c = fixed([upl, 10.0, lpl, 11.0])
    assert rules(c) == [None, None, None, None]
    assert math.nextafter(upl, math.inf) > upl
    c = fixed([math.nextafter(upl, math.inf), 10.0, math.nextafter(lpl, -math.inf)])
    assert rules(c) == ["outside_limits", None, "outside_limits"]


# --- rule 2: trend -------------------------------------------------------------------------------

RISING_7 = [9.5, 9.8, 10.1, 10.4, 10.7, 11.0, 11.3]


def test_seven_rising_points_are_a_trend_all_flagged() -> None:
    c = fixed([*RISING_7, 10.8])
    assert rules(c) == ["trend"] * 7 + [None]
    # The direction is kept where the trend crosses the mean: the points below it are improvement.
    assert types(c)[:7] == ["special_cause_improvement"] * 7
    assert [p.relative_to_mean for p in c.points[12:16]] == [-1, -1, -1, -1]


def test_six_rising_points_are_not_a_trend() -> None:
    c = fixed([*RISING_7[:6], 10.8])
    assert rules(c) == [None] * 7


def test_a_longer_trend_flags_every_point() -> None:
    c = fixed([9.0, 9.25, 9.5, 9.75, 10.0, 10.25, 10.75, 11.0, 11.25, 10.0])
    assert rules(c) == ["trend"] * 9 + [None]


def test_an_equal_value_breaks_a_trend() -> None:
    c = fixed([9.5, 9.8, 10.1, 10.1, 10.4, 10.7, 11.0, 11.3, 10.8])
    assert rules(c) == [None] * 9


def test_falling_trend_is_improvement_when_lower_is_better() -> None:
    falling = [11.6, 11.3, 11.0, 10.7, 10.4, 10.1, 9.8]
    c = fixed([10.0, *falling, 11.0], improvement=Improvement.DECREASE)
    assert rules(c) == [None, *["trend"] * 7, None]
    assert types(c)[1:8] == ["special_cause_improvement"] * 7
    c = fixed([10.0, *falling, 11.0])
    assert types(c)[1:8] == ["special_cause_concern"] * 7


def test_a_trend_starting_below_the_mean_as_variation_icon_is_high() -> None:
    # As ptd_get_icons: high/low of improvement follows the direction of improvement.
    c = fixed([10.0, 8.9, 9.1, 9.3, 9.5, 9.7, 9.9, 10.1])
    assert c.points[-1].rule == "trend"
    assert c.points[-1].relative_to_mean == -1
    assert c.variation_icon == "improvement_high"


def test_peak_shared_by_a_rising_and_a_falling_trend_takes_the_falling_one() -> None:
    up = [9.0, 9.3, 9.6, 9.9, 10.2, 10.5, 12.0]
    down = [10.4, 10.1, 9.8, 9.5, 9.2, 8.9]
    c = fixed([*up, *down, 11.0], improvement=Improvement.NEUTRAL)
    assert rules(c) == ["trend"] * 13 + [None]
    kinds = types(c)
    assert kinds[:6] == ["special_cause_neutral_high"] * 6
    assert kinds[6] == "special_cause_neutral_low"  # the peak: the package uses the right side
    assert kinds[7:13] == ["special_cause_neutral_low"] * 6


# --- rule 3: two in three ------------------------------------------------------------------------


def test_two_of_three_near_the_upper_limit_flags_only_those_two() -> None:
    c = fixed([12.5, 11.0, 12.5, 10.0])
    assert rules(c) == ["two_in_three", None, "two_in_three", None]
    assert types(c) == ["special_cause_improvement", "common_cause"] * 2


def test_two_in_a_row_near_the_lower_limit() -> None:
    c = fixed([10.0, 8.5, 8.5, 11.0])
    assert rules(c) == [None, "two_in_three", "two_in_three", None]
    assert types(c)[1:3] == ["special_cause_concern"] * 2


def test_two_near_a_limit_between_points_on_the_other_side_are_not_a_signal() -> None:
    # Every 3 in a row holding both must also hold a point above the mean.
    assert rules(fixed([8.5, 8.5, 11.0])) == [None] * 3


def test_one_of_three_near_a_limit_is_not_a_signal() -> None:
    assert rules(fixed([12.5, 11.0, 11.5, 10.0])) == [None] * 4


def test_two_in_three_needs_all_three_on_one_side() -> None:
    assert rules(fixed([12.5, 10.0, 12.5, 10.0])) == [None] * 4


def test_a_point_on_the_mean_breaks_two_in_three() -> None:
    assert rules(fixed([12.5, 10.5, 12.5, 10.0])) == [None] * 4


def test_a_point_beyond_the_limit_does_not_count_towards_two_in_three() -> None:
    c = fixed([13.5, 12.5, 11.0, 10.0])
    assert rules(c) == ["outside_limits", None, None, None]


def test_a_point_exactly_on_the_near_limit_line_is_not_near() -> None:
    nupl = fixed([]).points[0].nupl
    assert rules(fixed([nupl, 11.0, 12.5, 10.0])) == [None] * 4
    assert rules(fixed([math.nextafter(nupl, math.inf), 11.0, 12.5, 10.0])) == [
        "two_in_three",
        None,
        "two_in_three",
        None,
    ]


# --- rule 4: shift -------------------------------------------------------------------------------


def test_seven_points_above_the_mean_are_a_shift_all_flagged() -> None:
    c = fixed([10.0, 11.0, 11.2, 11.0, 11.2, 11.0, 11.2, 11.0, 10.0])
    assert rules(c) == [None, *["shift"] * 7, None]
    assert types(c)[1:8] == ["special_cause_improvement"] * 7


def test_six_points_above_the_mean_are_not_a_shift() -> None:
    assert rules(fixed([10.0, 11.0, 11.2, 11.0, 11.2, 11.0, 11.2, 10.0])) == [None] * 8


def test_a_point_exactly_on_the_mean_breaks_a_shift() -> None:
    c = fixed([10.0, 11.0, 11.2, 11.0, 10.5, 11.2, 11.0, 11.2, 11.0, 10.0])
    assert rules(c) == [None] * 10


def test_a_long_shift_below_the_mean_flags_every_point() -> None:
    below = [10.0, 9.8] * 5
    c = fixed([11.0, *below, 11.0], improvement=Improvement.DECREASE)
    assert rules(c) == [None, *["shift"] * 10, None]
    assert types(c)[1:11] == ["special_cause_improvement"] * 10


# --- priorities ----------------------------------------------------------------------------------


def test_outside_the_limits_beats_a_trend() -> None:
    c = fixed([9.5, 9.8, 10.1, 10.4, 10.7, 11.0, 13.5, 10.0])
    assert rules(c) == [*["trend"] * 6, "outside_limits", None]


def test_two_in_three_beats_a_shift() -> None:
    c = fixed([10.0, 11.0, 12.5, 11.0, 12.5, 11.0, 11.0, 11.0, 10.0])
    assert rules(c) == [
        None,
        "shift",
        "two_in_three",
        "shift",
        "two_in_three",
        "shift",
        "shift",
        "shift",
        None,
    ]


def test_a_trend_beats_two_in_three_and_a_shift() -> None:
    # 12.4 and 12.6 are also two in three, and 12.0 to 12.6 eight above the mean.
    c = fixed([10.0, 12.0, 10.7, 11.0, 11.3, 11.6, 11.9, 12.4, 12.6, 10.0])
    assert rules(c) == [None, "shift", *["trend"] * 7, None]


# --- improvement direction -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("improvement", "high", "low", "icon_high", "icon_low"),
    [
        (
            Improvement.INCREASE,
            "special_cause_improvement",
            "special_cause_concern",
            "improvement_high",
            "concern_low",
        ),
        (
            Improvement.DECREASE,
            "special_cause_concern",
            "special_cause_improvement",
            "concern_high",
            "improvement_low",
        ),
        (
            Improvement.NEUTRAL,
            "special_cause_neutral_high",
            "special_cause_neutral_low",
            "neutral_high",
            "neutral_low",
        ),
    ],
)
def test_improvement_direction_turns_high_and_low_into_types_and_icons(
    improvement: Improvement, high: str, low: str, icon_high: str, icon_low: str
) -> None:
    up = fixed([13.5], improvement=improvement)
    down = fixed([7.5], improvement=improvement)
    assert types(up) == [high]
    assert types(down) == [low]
    assert up.variation_icon == icon_high
    assert down.variation_icon == icon_low


def test_variation_icon_is_the_last_points_type_only() -> None:
    c = fixed([13.5, 10.0])
    assert types(c) == ["special_cause_improvement", "common_cause"]
    assert c.variation_icon == "common_cause"


# --- assurance -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("improvement", "target", "icon"),
    [
        (Improvement.INCREASE, 7.0, "consistent_pass"),
        (Improvement.INCREASE, 14.0, "consistent_fail"),
        (Improvement.INCREASE, 11.0, "inconsistent"),
        (Improvement.DECREASE, 14.0, "consistent_pass"),
        (Improvement.DECREASE, 7.0, "consistent_fail"),
        (Improvement.DECREASE, 11.0, "inconsistent"),
        (Improvement.NEUTRAL, 14.0, None),
        (Improvement.INCREASE, None, None),
    ],
)
def test_assurance_icon(improvement: Improvement, target: float | None, icon: str | None) -> None:
    c = fixed([10.0], improvement=improvement, target=target)
    assert c.assurance_icon == icon
    assert c.target == target


def test_a_target_exactly_on_a_limit_is_inconsistent() -> None:
    p = fixed([]).points[0]
    for target in (p.upl, p.lpl):
        for improvement in (Improvement.INCREASE, Improvement.DECREASE):
            c = fixed([10.0], improvement=improvement, target=target)
            assert c.assurance_icon == "inconsistent"


def test_assurance_uses_the_latest_groups_limits() -> None:
    ys = [10.0, 11.0] * 7 + [20.0, 21.0] * 7
    c = chart(ys, rebase_at=(14,), target=15.0)
    assert c.assurance_icon == "consistent_pass"  # 15 is below group 1's lower limit of 17.84
    c = chart(ys[:14], target=15.0)
    assert c.assurance_icon == "consistent_fail"


# --- rebasing ------------------------------------------------------------------------------------


def test_rebase_gives_each_group_its_own_limits_and_moving_ranges() -> None:
    ys = [10.0, 11.0] * 7 + [20.0, 21.0] * 7
    c = chart(ys, rebase_at=(14,))
    assert [p.group for p in c.points] == [0] * 14 + [1] * 14
    first, second = c.points[0], c.points[14]
    assert first.mean == pytest.approx(10.5)
    assert second.mean == pytest.approx(20.5)
    # The jump from 11 to 20 is no moving range of either group: each has a mean moving range of 1.
    assert first.upl - first.mean == pytest.approx(2.66)
    assert second.upl - second.mean == pytest.approx(2.66)
    assert all(p.rule is None for p in c.points)
    without = chart(ys)
    assert any(p.rule is not None for p in without.points)


def test_runs_do_not_cross_a_group_boundary() -> None:
    ys = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert [p.rule for p in chart(ys).points] == [
        "outside_limits",
        *["trend"] * 5,
        "outside_limits",
    ]
    assert [p.rule for p in chart(ys, rebase_at=(4,)).points] == [None] * 7


def test_a_rebase_on_the_first_point_changes_nothing() -> None:
    assert chart(RNORM_20, rebase_at=(0,)) == chart(RNORM_20)


def test_repeated_and_unordered_rebases() -> None:
    ys = [float(i % 3) for i in range(30)]
    c = chart(ys, rebase_at=(20, 10, 10))
    assert [p.group for p in c.points] == [0] * 10 + [1] * 10 + [2] * 10


def test_a_rebase_outside_the_points_is_refused() -> None:
    with pytest.raises(WasteWalkError, match="no point 21"):
        chart(RNORM_20, rebase_at=(20,))


# --- trial limits --------------------------------------------------------------------------------


def test_trial_limits_under_13_points() -> None:
    assert all(p.trial_limits for p in chart(RNORM_20[:12]).points)
    assert not any(p.trial_limits for p in chart(RNORM_20[:13]).points)


def test_trial_limits_are_counted_per_group() -> None:
    c = chart(RNORM_20 + RNORM_20[:12], rebase_at=(20,))
    assert [p.trial_limits for p in c.points] == [False] * 20 + [True] * 12


# --- fixed limits --------------------------------------------------------------------------------


def test_fixed_limits_come_from_the_first_n_points_only() -> None:
    ys = [*RNORM_20, 5.0, 6.0, 7.0]
    c = chart(ys, fix_after=12)
    first12 = chart(RNORM_20[:12]).points[0]
    for p in c.points:
        assert (p.mean, p.lpl, p.upl) == (first12.mean, first12.lpl, first12.upl)
    assert [p.rule for p in c.points[-3:]] == ["outside_limits"] * 3


def test_fixed_limits_per_group() -> None:
    ys = RNORM_20 + [y + 10 for y in RNORM_20]
    c = chart(ys, fix_after=12, rebase_at=(20,))
    assert c.points[25].mean == pytest.approx(chart(RNORM_20[:12]).points[0].mean + 10)


def test_fix_after_more_than_the_points_uses_them_all() -> None:
    assert chart(RNORM_20, fix_after=50) == chart(RNORM_20)


@pytest.mark.parametrize("n", [0, 5, 11])
def test_fix_after_under_12_is_refused(n: int) -> None:
    with pytest.raises(WasteWalkError, match="12 or more"):
        chart(RNORM_20, fix_after=n)


# --- screening large moving ranges ---------------------------------------------------------------

SPIKE = [10.0, 11.0] * 10 + [30.0, 11.0]


def test_screening_drops_large_moving_ranges_once() -> None:
    mean = sum(SPIKE) / len(SPIKE)
    screened = chart(SPIKE).points[0]
    kept = chart(SPIKE, screen_outliers=False).points[0]
    # 19 ranges of 1 and two of 19: the two are at least 3.267 x the mean (57/21) and go.
    assert screened.mean == pytest.approx(mean)
    assert kept.mean == pytest.approx(mean)
    assert screened.upl - screened.mean == pytest.approx(2.66 * 1.0)
    assert kept.upl - kept.mean == pytest.approx(2.66 * 57 / 21)


def test_screening_keeps_ranges_just_under_the_threshold() -> None:
    # Ranges of 1 (x18) and one of r: the mean moving range is (18 + r) / 19; r < 3.267 x that
    # while r < 3.267 x 18 / (19 - 3.267) = 3.7377...
    for r, screened in ((3.73, False), (3.75, True)):
        ys = [10.0, 11.0] * 10
        ys[-1] = ys[-2] + r
        p = chart(ys).points[0]
        mr = 1.0 if screened else (18 + r) / 19
        assert p.upl - p.mean == pytest.approx(2.66 * mr)


def test_screening_does_not_recompute_the_mean() -> None:
    assert chart(SPIKE).points[0].mean == chart(SPIKE, screen_outliers=False).points[0].mean


# --- edge cases ----------------------------------------------------------------------------------


def test_no_points() -> None:
    c = chart([])
    assert c.points == ()
    assert (c.variation_icon, c.assurance_icon) == (None, None)
    assert not c.has_limits


def test_one_point_has_no_icons() -> None:
    c = chart([5.0], target=3.0)
    assert len(c.points) == 1
    p = c.points[0]
    assert (p.mean, p.lpl, p.upl, p.rule) == (5.0, 5.0, 5.0, None)
    assert (c.variation_icon, c.assurance_icon) == (None, None)
    assert not c.has_limits


def test_two_points_are_enough() -> None:
    c = chart([1.0, 3.0])
    assert c.has_limits
    assert c.points[0].mean == 2.0
    assert c.points[0].upl == pytest.approx(2.0 + 2.66 * 2)
    assert c.variation_icon == "common_cause"


def test_all_values_equal_gives_limits_on_the_mean_and_no_signal() -> None:
    c = chart([5.0] * 15, target=5.0)
    for p in c.points:
        assert (p.mean, p.lpl, p.upl, p.nlpl, p.nupl) == (5.0,) * 5
        assert p.rule is None
        assert p.relative_to_mean == 0
    assert c.variation_icon == "common_cause"
    assert c.assurance_icon == "inconsistent"


def test_zero_moving_range_point_strictly_beyond_is_outside() -> None:
    c = chart([5.0] * 14 + [6.0], fix_after=12)
    assert [p.rule for p in c.points] == [None] * 14 + ["outside_limits"]


def test_a_gap_is_not_a_point_and_breaks_moving_ranges_and_runs() -> None:
    ys: list[float | None] = [*BASE, 10.0, 11.0, 11.2, 11.0, 11.2, None, 11.0, 11.2, 11.0, 10.0]
    c = chart(ys, fix_after=12)
    assert len(c.points) == len(ys) - 1
    assert [p.index for p in c.points][-5:] == [16, 18, 19, 20, 21]
    assert [p.x for p in c.points][-5:] == ["p16", "p18", "p19", "p20", "p21"]
    assert [p.rule for p in c.points] == [None] * 21  # 4 above, a gap, 3 above: no shift
    joined = chart([y for y in ys if y is not None], fix_after=12)
    assert [p.rule for p in joined.points][13:20] == ["shift"] * 7


def test_the_moving_range_is_not_taken_across_a_gap() -> None:
    c = chart([1.0, 2.0, None, 10.0, 11.0])
    # Ranges 1 and 1 only (2 -> 10 spans the gap); the mean is of the four values.
    p = c.points[0]
    assert p.mean == 6.0
    assert p.upl == pytest.approx(6.0 + 2.66)


def test_a_rebase_at_a_gap_starts_the_group_at_the_next_point() -> None:
    c = chart([1.0, 2.0, None, 10.0, 11.0], rebase_at=(2,))
    assert [p.group for p in c.points] == [0, 0, 1, 1]


def test_leading_gaps_and_a_rebase_among_them() -> None:
    c = chart([None, None, 1.0, 2.0, 3.0], rebase_at=(1,))
    assert [p.group for p in c.points] == [0, 0, 0]


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(WasteWalkError, match="Value 2"):
        chart([1.0, math.nan, 2.0])
    with pytest.raises(WasteWalkError, match="Value 1"):
        chart([math.inf, 2.0])


def test_labels_and_values_must_match() -> None:
    with pytest.raises(ValueError, match="2 labels for 3 values"):
        xmr_chart(["a", "b"], [1.0, 2.0, 3.0])


# --- the JSON contract ---------------------------------------------------------------------------


def test_chart_as_dict_is_the_cli_contract() -> None:
    c = fixed([13.5], target=12.0)
    d = chart_as_dict(c)
    assert list(d) == [
        "improvement",
        "target",
        "points",
        "variation_icon",
        "assurance_icon",
    ]
    assert d["improvement"] == "increase"
    assert d["target"] == 12.0
    assert d["variation_icon"] == "improvement_high"
    assert d["assurance_icon"] == "inconsistent"
    points = d["points"]
    assert isinstance(points, list)
    assert list(points[0]) == [
        "x",
        "y",
        "group",
        "mean",
        "lpl",
        "upl",
        "nlpl",
        "nupl",
        "relative_to_mean",
        "rule",
        "point_type",
        "trial_limits",
    ]
    assert points[-1]["rule"] == "outside_limits"
    assert points[0]["rule"] is None
    json.dumps(d, allow_nan=False)


def test_numbers_are_not_rounded() -> None:
    d = chart_as_dict(chart(RNORM_20))
    points = d["points"]
    assert isinstance(points, list)
    assert points[0]["y"] == -0.56047565
    assert points[0]["mean"] == sum(RNORM_20) / 20
