"""Time-study arithmetic against the published worked examples in PRODUCT.md, and its edge cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wastewalk.domain.time_study import (
    AllowanceBasis,
    ElementSpec,
    Reading,
    ReadingState,
    SelectedTime,
    StudySettings,
    ValueClass,
    check_allowance,
    check_seconds,
    cycles_needed,
    lowest_repeatable_time,
    more_cycles_needed,
    normal_time,
    outlier_cycles,
    standard_time,
    summarise_element,
    summarise_study,
    takt_time_s,
)

V, E, N = ReadingState.VALID, ReadingState.EXCLUDED, ReadingState.NOT_PERFORMED


def valid(*seconds: float) -> list[Reading]:
    return [Reading(cycle, V, s) for cycle, s in enumerate(seconds, start=1)]


# --- the worked examples -------------------------------------------------------------------------

SHEET = {
    1: valid(8, 9, 8, 11, 7),
    2: valid(36, 41, 39, 35),
    3: valid(15, 17, 13, 20, 18),
    4: valid(8, 6, 9),
}
SHEET_ELEMENTS = [
    ElementSpec("Collect", 1, rating_pct=110),
    ElementSpec("Prepare", 2, rating_pct=85),
    ElementSpec("Give", 3, rating_pct=105),
    ElementSpec("Record", 4, rating_pct=90),
]


def test_workday_allowance_example_gives_85_56_seconds() -> None:
    settings = StudySettings(allowance_pct=23, allowance_basis=AllowanceBasis.WORKDAY)
    summary = summarise_study(SHEET_ELEMENTS, SHEET, settings)
    normals = [e.normal_s for e in summary.elements]
    assert normals == pytest.approx([9.46, 32.0875, 17.43, 6.9])
    assert summary.normal_total_s == pytest.approx(65.8775)
    assert summary.standard_total_s == pytest.approx(85.5552, abs=5e-5)
    assert round(summary.standard_total_s, 2) == 85.56
    # Per-element standard times add up to the total: the basis is applied element by element.
    assert math.fsum(e.standard_s or 0 for e in summary.elements) == pytest.approx(
        summary.standard_total_s
    )


def test_job_allowance_example_gives_28_8_seconds() -> None:
    normal = normal_time(20, 120)
    assert normal == pytest.approx(24.0)
    assert standard_time(normal, 20, AllowanceBasis.JOB) == pytest.approx(28.8)


def test_job_and_workday_bases_differ() -> None:
    assert standard_time(100, 20, AllowanceBasis.JOB) == pytest.approx(120)
    assert standard_time(100, 20, AllowanceBasis.WORKDAY) == pytest.approx(125)


@pytest.mark.parametrize(("z", "expected"), [(1.96, 171), (1.65, 121)])
def test_cycles_needed_examples(z: float, expected: int) -> None:
    assert cycles_needed(1.0, 3.00, 5, z) == expected


def test_cycles_needed_is_not_pushed_up_by_floating_point() -> None:
    # (1.65 x 1 / 0.15)^2 is 121 on paper, 121.00000000000003 in binary floating point.
    assert (1.65 / (0.05 * 3.0)) ** 2 != 121
    assert cycles_needed(1.0, 3.0, 5, 1.65) == 121


def test_lrt_and_outlier_example() -> None:
    readings = valid(18, 22, 19, 47, 20, 18, 21, 19, 20, 18)
    summary = summarise_element(ElementSpec("Swab", 1), readings, StudySettings())
    assert summary.lrt_s == 18
    assert summary.outlier_cycles == (4,)
    assert summary.median_s == 19.5
    assert summary.fluctuation_s == 29


def test_takt_example_is_10_5_minutes() -> None:
    assert takt_time_s(420, 40) == pytest.approx(630.0)
    assert takt_time_s(420, 40) / 60 == pytest.approx(10.5)


def test_takt_needs_both_inputs() -> None:
    assert takt_time_s(None, 40) is None
    assert takt_time_s(420, None) is None


# --- per element ---------------------------------------------------------------------------------


def test_element_statistics() -> None:
    s = summarise_element(ElementSpec("a", 1), valid(8, 9, 8, 11, 7), StudySettings())
    assert (s.n, s.mean_s, s.median_s, s.min_s, s.max_s, s.fluctuation_s) == (5, 8.6, 8, 7, 11, 4)
    assert s.stdev_s == pytest.approx(1.5165750888)
    assert s.lrt_s == 8


def test_lrt_compares_whole_seconds_half_up() -> None:
    assert lowest_repeatable_time([17.6, 18.4, 12.2]) == 18
    assert lowest_repeatable_time([12.5, 13.4]) == 13  # 12.5 rounds half up to 13
    assert lowest_repeatable_time([12.4, 13.4]) is None
    assert lowest_repeatable_time([]) is None


def test_selected_time_lrt_rates_the_lrt() -> None:
    settings = StudySettings(selected_time=SelectedTime.LRT)
    s = summarise_element(ElementSpec("a", 1, rating_pct=110), valid(8, 9, 8, 11, 7), settings)
    assert s.selected_s == 8
    assert s.normal_s == pytest.approx(8.8)
    assert not s.selected_fell_back_to_mean


def test_selected_time_lrt_without_a_repeat_falls_back_to_the_mean_and_says_so() -> None:
    settings = StudySettings(selected_time=SelectedTime.LRT)
    s = summarise_element(ElementSpec("a", 1), valid(36, 41, 39, 35), settings)
    assert s.lrt_s is None
    assert s.selected_s == 37.75
    assert s.selected_fell_back_to_mean


def test_a_single_reading() -> None:
    s = summarise_element(ElementSpec("a", 1), valid(12.5), StudySettings(allowance_pct=10))
    assert (s.n, s.mean_s, s.median_s, s.min_s, s.max_s, s.fluctuation_s) == (
        1,
        12.5,
        12.5,
        12.5,
        12.5,
        0,
    )
    assert s.lrt_s is None
    assert s.stdev_s is None
    assert s.cycles_needed is None
    assert s.standard_s == pytest.approx(13.75)
    assert s.outlier_cycles == ()


def test_excluded_and_not_performed_readings_do_not_count() -> None:
    readings = [Reading(1, V, 10), Reading(2, E, 90), Reading(3, N), Reading(4, V, 12)]
    s = summarise_element(ElementSpec("a", 1), readings, StudySettings())
    assert s.n == 2
    assert s.mean_s == 11
    assert s.max_s == 12


def test_all_readings_excluded_leaves_the_figures_empty_not_zero() -> None:
    readings = [Reading(1, E, 10), Reading(2, E, 11)]
    s = summarise_element(ElementSpec("a", 1), readings, StudySettings())
    assert s.n == 0
    assert s.mean_s is None
    assert s.normal_s is None
    assert s.standard_s is None
    assert s.outlier_cycles == ()


def test_outliers_are_flagged_not_removed() -> None:
    readings = valid(10, 10, 10, 21)
    s = summarise_element(ElementSpec("a", 1), readings, StudySettings())
    assert s.outlier_cycles == (4,)
    assert s.mean_s == pytest.approx(12.75)
    assert outlier_cycles([(1, 10.0), (2, 20.0)]) == ()  # exactly twice the median is not "more"


# --- per study -----------------------------------------------------------------------------------


def test_cycle_statistics_use_complete_cycles_only() -> None:
    elements = [ElementSpec("a", 1), ElementSpec("b", 2), ElementSpec("c", 3)]
    readings = {
        1: [Reading(1, V, 10), Reading(2, V, 11), Reading(3, V, 12), Reading(4, V, 13)],
        2: [Reading(1, V, 20), Reading(2, N), Reading(3, E, 99), Reading(4, V, 20)],
        3: [Reading(1, V, 5), Reading(2, V, 6), Reading(3, V, 7)],
    }
    summary = summarise_study(elements, readings, StudySettings())
    # Cycle 1 complete (35); cycle 2 complete with b not performed (17); cycle 3 has an excluded
    # reading (unknown time); cycle 4 has no reading for c yet (in progress).
    assert summary.cycles.complete_cycles == (1, 2)
    assert summary.cycles.cycle_times == (35, 17)
    assert summary.cycles.mean_s == 26
    assert (summary.cycles.min_s, summary.cycles.max_s) == (17, 35)
    # Never the sum of element means (11.5 + 20 + 6 = 37.5).
    assert summary.cycles.mean_s != pytest.approx(37.5)


def test_value_added_ratio_over_complete_cycles() -> None:
    elements = [
        ElementSpec("care", 1, ValueClass.VALUE_ADDING),
        ElementSpec("walk", 2, ValueClass.WASTE),
        ElementSpec("record", 3, ValueClass.NECESSARY_NON_VALUE_ADDING),
    ]
    readings = {1: valid(30, 30), 2: valid(50, 40), 3: valid(20, 30)}
    summary = summarise_study(elements, readings, StudySettings())
    assert summary.va_ratio == pytest.approx(60 / 200)


def test_study_needs_the_largest_element_cycle_count() -> None:
    elements = [ElementSpec("steady", 1), ElementSpec("wild", 2)]
    readings = {1: valid(10, 10.1, 9.9), 2: valid(2, 3, 4)}
    summary = summarise_study(elements, readings, StudySettings())
    assert summary.elements[1].cycles_needed == 171
    assert summary.cycles_needed == 171
    assert more_cycles_needed(summary) == 168


def test_confidence_changes_z() -> None:
    elements = [ElementSpec("wild", 1)]
    summary = summarise_study(elements, {1: valid(2, 3, 4)}, StudySettings(confidence_pct=99))
    assert summary.cycles_needed == math.ceil((2.576 / 0.15) ** 2)


def test_an_element_never_performed() -> None:
    elements = [ElementSpec("a", 1), ElementSpec("b", 2)]
    readings = {1: valid(10, 12), 2: [Reading(1, N), Reading(2, N)]}
    summary = summarise_study(elements, readings, StudySettings())
    assert summary.elements[1].n == 0
    assert summary.elements[1].normal_s is None
    assert summary.elements_without_readings == ("b",)
    assert summary.normal_total_s == 11
    assert summary.cycles.cycle_times == (10, 12)


def test_an_empty_study() -> None:
    summary = summarise_study([ElementSpec("a", 1)], {}, StudySettings())
    assert summary.cycles.n == 0
    assert summary.cycles.mean_s is None
    assert summary.normal_total_s == 0
    assert summary.va_ratio is None
    assert summary.cycles_needed is None
    assert more_cycles_needed(summary) is None


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -1, -0.001, float("nan"), float("inf"), 90_000])
def test_bad_seconds_are_refused(value: float) -> None:
    assert check_seconds(value) is not None


def test_good_seconds_pass() -> None:
    assert check_seconds(0.1) is None
    assert check_seconds(3599) is None


def test_100_percent_workday_allowance_is_refused() -> None:
    assert "workday" in (check_allowance(100, AllowanceBasis.WORKDAY) or "")
    with pytest.raises(ValueError, match="below 100"):
        standard_time(10, 100, AllowanceBasis.WORKDAY)
    with pytest.raises(ValueError, match="workday"):
        summarise_study(
            [ElementSpec("a", 1)],
            {1: valid(10)},
            StudySettings(allowance_pct=100, allowance_basis=AllowanceBasis.WORKDAY),
        )
    assert check_allowance(100, AllowanceBasis.JOB) is None  # doubling the job time is allowed


@pytest.mark.parametrize("pct", [-5, float("nan"), 150])
def test_other_bad_allowances_are_refused(pct: float) -> None:
    assert check_allowance(pct, AllowanceBasis.JOB) is not None


# --- properties ----------------------------------------------------------------------------------

positive = st.floats(min_value=0.1, max_value=3600, allow_nan=False, allow_infinity=False)


@given(st.lists(positive, min_size=1, max_size=40))
def test_element_figures_stay_within_the_readings(values: list[float]) -> None:
    s = summarise_element(ElementSpec("a", 1), valid(*values), StudySettings())
    assert s.min_s is not None
    assert s.max_s is not None
    assert s.mean_s is not None
    assert s.min_s <= s.mean_s * (1 + 1e-12)
    assert s.mean_s <= s.max_s * (1 + 1e-12)
    assert s.fluctuation_s == s.max_s - s.min_s
    if s.lrt_s is not None:
        assert s.lrt_s >= math.floor(s.min_s)


@given(st.lists(st.lists(positive, min_size=3, max_size=3), min_size=1, max_size=20))
def test_mean_cycle_time_equals_the_sum_of_element_means_when_every_cycle_is_complete(
    cycles: list[list[float]],
) -> None:
    elements = [ElementSpec(name, order) for order, name in enumerate("abc", start=1)]
    readings = {order: valid(*(c[order - 1] for c in cycles)) for order in (1, 2, 3)}
    summary = summarise_study(elements, readings, StudySettings())
    assert summary.cycles.n == len(cycles)
    element_means = math.fsum(e.mean_s or 0 for e in summary.elements)
    assert summary.cycles.mean_s == pytest.approx(element_means, rel=1e-9)


def test_more_cycles_are_counted_against_complete_cycles() -> None:
    elements = [ElementSpec("wild", 1), ElementSpec("sometimes", 2)]
    readings = {
        1: valid(2, 3, 4, 3),
        2: [Reading(1, N), Reading(2, V, 5), Reading(3, N), Reading(4, V, 6)],
    }
    summary = summarise_study(elements, readings, StudySettings())
    assert summary.cycles.n == 4
    assert summary.elements[1].n == 2
    assert more_cycles_needed(summary) == summary.cycles_needed - 4
