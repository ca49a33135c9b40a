"""SPC colours, icons and the one-line reading for reports."""

from __future__ import annotations

import re

import pytest

from wastewalk.domain.spc import (
    ASSURANCE_ICONS,
    POINT_COLOURS,
    POINT_TYPES,
    VARIATION_ICONS,
    Improvement,
    SpcChart,
    SpcOptions,
    number_text,
    reading_of,
    xmr_chart,
)

BASE = [10.0, 11.0] * 6  # limits fixed from these: mean 10.5, limits 7.84 and 13.16


def fixed(extra: list[float], **options: object) -> SpcChart:
    ys = [*BASE, *extra]
    return xmr_chart(
        [str(i) for i in range(len(ys))],
        ys,
        SpcOptions(fix_after=12, **options),  # type: ignore[arg-type]
    )


def test_point_colours_are_the_mdc_colours() -> None:
    assert set(POINT_COLOURS) == set(POINT_TYPES)
    assert POINT_COLOURS == {
        "common_cause": "#a6a6a6",
        "special_cause_improvement": "#00b0f0",
        "special_cause_concern": "#e46c0a",
        "special_cause_neutral_high": "#490092",
        "special_cause_neutral_low": "#490092",
    }
    assert fixed([13.5]).points[-1].colour == "#00b0f0"


def test_icon_tables_use_the_package_codes() -> None:
    assert set(VARIATION_ICONS) == {
        "common_cause",
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "neutral_high",
        "neutral_low",
    }
    assert set(ASSURANCE_ICONS) == {"consistent_pass", "consistent_fail", "inconsistent"}
    for table in (VARIATION_ICONS, ASSURANCE_ICONS):
        for code, icon in table.items():
            assert icon.code == code
            assert re.fullmatch(r"#[0-9a-f]{6}", icon.colour)
            assert len(icon.letter) == 1
            assert icon.title
            assert icon.words.endswith(".")


@pytest.mark.parametrize(
    ("code", "letter", "colour"),
    [
        ("common_cause", "~", "#a6a6a6"),
        ("improvement_high", "H", "#00b0f0"),
        ("improvement_low", "L", "#00b0f0"),
        ("concern_high", "H", "#e46c0a"),
        ("concern_low", "L", "#e46c0a"),
        ("neutral_high", "H", "#490092"),
        ("neutral_low", "L", "#490092"),
    ],
)
def test_variation_icon_symbols(code: str, letter: str, colour: str) -> None:
    icon = VARIATION_ICONS[code]
    assert (icon.letter, icon.colour) == (letter, colour)


@pytest.mark.parametrize(
    ("code", "letter", "colour"),
    [
        ("consistent_pass", "P", "#00b0f0"),
        ("consistent_fail", "F", "#e46c0a"),
        ("inconsistent", "?", "#a6a6a6"),
    ],
)
def test_assurance_icon_symbols(code: str, letter: str, colour: str) -> None:
    icon = ASSURANCE_ICONS[code]
    assert (icon.letter, icon.colour) == (letter, colour)


def test_chart_exposes_its_icons() -> None:
    c = fixed([13.5], target=14.0)
    assert c.variation is VARIATION_ICONS["improvement_high"]
    assert c.assurance is ASSURANCE_ICONS["consistent_fail"]
    assert fixed([10.0]).assurance is None


# --- numbers for a reader ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (95.0, "", "95"),
        (95.0, "%", "95%"),
        (12.5, "minutes", "12.5 minutes"),
        (1234.567, "s", "1,234.57 s"),
        (0.1416238, "", "0.14"),
        (-0.001, "", "0"),
        (-3.01138, "", "-3.01"),
    ],
)
def test_number_text(value: float, unit: str, text: str) -> None:
    assert number_text(value, unit) == text


# --- the reading ---------------------------------------------------------------------------------


def test_reading_of_no_points_and_one_point() -> None:
    assert reading_of(xmr_chart([], [])) == "No points to chart."
    assert "at least 2" in reading_of(xmr_chart(["a"], [3.0]))


def test_reading_of_common_cause_with_a_target_between_the_limits() -> None:
    text = reading_of(fixed([10.0], target=12.0))
    assert text == (
        "Common cause variation only: no sign of change. Mean 10.5, limits 7.84 to 13.16. "
        "The target of 12 lies between the limits, so it will be met and missed by chance."
    )


def test_reading_of_says_trial_limits() -> None:
    c = xmr_chart([str(i) for i in range(12)], BASE)
    assert reading_of(c).endswith("(trial limits: fewer than 13 points).")


def test_reading_of_target_on_a_limit() -> None:
    upl = fixed([]).points[0].upl
    assert "lies on a limit, so it will be met and missed by chance" in reading_of(
        fixed([10.0], target=upl)
    )


@pytest.mark.parametrize(
    ("improvement", "target", "words"),
    [
        (
            Improvement.INCREASE,
            7.0,
            "The target of 7 minutes lies below the lower limit, so it will be met every time "
            "unless the process changes.",
        ),
        (
            Improvement.INCREASE,
            14.0,
            "The target of 14 minutes lies above the upper limit, so it will not be met unless "
            "the process changes.",
        ),
        (
            Improvement.DECREASE,
            14.0,
            "The target of 14 minutes lies above the upper limit, so it will be met every time "
            "unless the process changes.",
        ),
        (
            Improvement.DECREASE,
            7.0,
            "The target of 7 minutes lies below the lower limit, so it will not be met unless "
            "the process changes.",
        ),
    ],
)
def test_reading_of_consistent_pass_and_fail(
    improvement: Improvement, target: float, words: str
) -> None:
    text = reading_of(fixed([10.0], improvement=improvement, target=target), "minutes")
    assert text.endswith(words)
    assert "Mean 10.5 minutes, limits 7.84 minutes to 13.16 minutes." in text


def test_reading_of_a_neutral_measure_says_nothing_of_the_target() -> None:
    text = reading_of(fixed([10.0], improvement=Improvement.NEUTRAL, target=14.0))
    assert "target" not in text


@pytest.mark.parametrize(
    ("extra", "improvement", "start"),
    [
        (
            [13.5],
            Improvement.INCREASE,
            "Special cause improvement, high: the latest point lies above the upper limit.",
        ),
        (
            [7.5],
            Improvement.INCREASE,
            "Special cause concern, low: the latest point lies below the lower limit.",
        ),
        (
            [7.5],
            Improvement.DECREASE,
            "Special cause improvement, low: the latest point lies below the lower limit.",
        ),
        (
            [13.5],
            Improvement.NEUTRAL,
            "Special cause variation, high: the latest point lies above the upper limit.",
        ),
        (
            [10.0, 8.9, 9.1, 9.3, 9.5, 9.7, 9.9, 10.1],
            Improvement.INCREASE,
            "Special cause "
            "improvement, high: the latest point is part of a run of 7 points each higher than the "
            "last.",
        ),
        (
            [10.0, 8.9, 9.1, 9.3, 9.5, 9.7, 9.9, 10.1],
            Improvement.DECREASE,
            "Special cause "
            "concern, high: the latest point is part of a run of 7 points each higher than the "
            "last.",
        ),
        (
            [11.6, 11.3, 11.0, 10.7, 10.4, 10.1, 9.8],
            Improvement.NEUTRAL,
            "Special cause "
            "variation, low: the latest point is part of a run of 7 points each lower than the "
            "last.",
        ),
        (
            [10.0, 12.5, 11.0, 12.5],
            Improvement.INCREASE,
            "Special cause improvement, high: the "
            "latest point is one of 2 of 3 points close to the upper limit.",
        ),
        (
            [10.0, 9.8, 10.0, 9.8, 10.0, 9.8, 10.0],
            Improvement.DECREASE,
            "Special cause "
            "improvement, low: the latest point is part of a run of 7 or more points below the "
            "mean.",
        ),
    ],
)
def test_reading_of_special_causes(
    extra: list[float], improvement: Improvement, start: str
) -> None:
    text = reading_of(fixed(extra, improvement=improvement))
    assert text.startswith(start)


def test_reading_of_earlier_special_causes() -> None:
    text = reading_of(fixed([13.5, 10.0, 7.5, 10.0]))
    assert text.startswith(
        "The latest point shows common cause variation; earlier points show 1 special cause "
        "improvement and 1 special cause concern."
    )
