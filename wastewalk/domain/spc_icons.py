"""The Making Data Count colours and icons, as labelled symbols any renderer can draw.

Codes are NHSRplotthedots's icon names (`ptd_get_icons`: variation `common_cause`,
`improvement_high`, ...; assurance `consistent_pass`, `consistent_fail`, `inconsistent`). Each icon
is a coloured disc with a letter and a title, so the PDF and the window draw the same thing without
the SVG files. Public names are re-exported by `wastewalk.domain.spc`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from wastewalk.domain.spc_rules import (
    COMMON_CAUSE,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_NEUTRAL_LOW,
    Improvement,
    Limits,
)

logger = logging.getLogger(__name__)

GREY = "#a6a6a6"
BLUE = "#00b0f0"
ORANGE = "#e46c0a"
PURPLE = "#490092"

POINT_COLOURS: dict[str, str] = {
    COMMON_CAUSE: GREY,
    SPECIAL_CAUSE_IMPROVEMENT: BLUE,
    SPECIAL_CAUSE_CONCERN: ORANGE,
    SPECIAL_CAUSE_NEUTRAL_HIGH: PURPLE,
    SPECIAL_CAUSE_NEUTRAL_LOW: PURPLE,
}


@dataclass(frozen=True)
class IconInfo:
    """One icon: its code, the letter on it, its colour, a short title and a sentence to read."""

    code: str
    letter: str
    colour: str
    title: str
    words: str


def _icons(*icons: IconInfo) -> dict[str, IconInfo]:
    return {icon.code: icon for icon in icons}


VARIATION_ICONS: dict[str, IconInfo] = _icons(
    IconInfo(
        "common_cause",
        "~",
        GREY,
        "Common cause variation",
        "Only common cause variation: no sign of change.",
    ),
    IconInfo(
        "improvement_high",
        "H",
        BLUE,
        "Special cause improvement, high",
        "Special cause improvement: the measure has risen, which is better.",
    ),
    IconInfo(
        "improvement_low",
        "L",
        BLUE,
        "Special cause improvement, low",
        "Special cause improvement: the measure has fallen, which is better.",
    ),
    IconInfo(
        "concern_high",
        "H",
        ORANGE,
        "Special cause concern, high",
        "Special cause concern: the measure has risen, which is worse.",
    ),
    IconInfo(
        "concern_low",
        "L",
        ORANGE,
        "Special cause concern, low",
        "Special cause concern: the measure has fallen, which is worse.",
    ),
    IconInfo(
        "neutral_high",
        "H",
        PURPLE,
        "Special cause variation, high",
        "Special cause variation upwards, neither better nor worse.",
    ),
    IconInfo(
        "neutral_low",
        "L",
        PURPLE,
        "Special cause variation, low",
        "Special cause variation downwards, neither better nor worse.",
    ),
)

ASSURANCE_ICONS: dict[str, IconInfo] = _icons(
    IconInfo(
        "consistent_pass",
        "P",
        BLUE,
        "Consistently passing the target",
        "The target lies outside the limits on the good side: it will be met every time "
        "unless the process changes.",
    ),
    IconInfo(
        "consistent_fail",
        "F",
        ORANGE,
        "Consistently failing the target",
        "The target lies outside the limits on the bad side: it will be missed every time "
        "unless the process changes.",
    ),
    IconInfo(
        "inconsistent",
        "?",
        GREY,
        "Hitting and missing the target",
        "The target lies between the limits: it will be met and missed by chance.",
    ),
)


def variation_icon_code(last_point_type: str, improvement: Improvement) -> str:
    """The variation icon for the last point's type.

    As `ptd_get_icons`, high/low of improvement and concern follow the improvement direction (an
    improvement when higher is better is "high"), which is also the way the signal points: a rising
    trend that is still below the mean is an improvement, high.
    """
    if last_point_type == SPECIAL_CAUSE_NEUTRAL_HIGH:
        return "neutral_high"
    if last_point_type == SPECIAL_CAUSE_NEUTRAL_LOW:
        return "neutral_low"
    increasing = improvement is Improvement.INCREASE
    if last_point_type == SPECIAL_CAUSE_IMPROVEMENT:
        return "improvement_high" if increasing else "improvement_low"
    if last_point_type == SPECIAL_CAUSE_CONCERN:
        return "concern_low" if increasing else "concern_high"
    return "common_cause"


def assurance_icon_code(
    target: float | None, improvement: Improvement, latest: Limits
) -> str | None:
    """Compare a target with the latest limits (`ptd_calculate_assurance_type`).

    None without a target or when neither direction is better. Strictly beyond a limit is a
    consistent pass or fail; a target exactly on a limit, or between them, is inconsistent.
    """
    if target is None or improvement is Improvement.NEUTRAL:
        return None
    increasing = improvement is Improvement.INCREASE
    if target > latest.upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < latest.lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"
