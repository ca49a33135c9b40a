"""XmR (SPC) charts the NHS way: NHS England's "Making Data Count" as NHSRplotthedots 0.2.x has it.

`xmr_chart(xs, ys, options)` works out every point (its group, mean, limits, near-limit lines, the
rule it breaks and its type) and the chart's variation and assurance icons; `chart_as_dict` is the
`wastewalk spc --json` contract and `reading_of` a plain-English line for a report. The arithmetic
is in `spc_rules`, the colours and icons in `spc_icons`; both are re-exported here, so callers
import only this module. docs/spc.md explains the method, the options and the edge cases.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.spc_icons import (
    ASSURANCE_ICONS,
    POINT_COLOURS,
    VARIATION_ICONS,
    IconInfo,
    assurance_icon_code,
    variation_icon_code,
)
from wastewalk.domain.spc_rules import (
    COMMON_CAUSE,
    LIMIT_SCALE,
    MIN_FIX_AFTER,
    NEAR_LIMIT_SCALE,
    POINT_TYPES,
    RULE_OUTSIDE_LIMITS,
    RULE_SHIFT,
    RULE_TREND,
    RULE_TWO_IN_THREE,
    SCREEN_SCALE,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_NEUTRAL_LOW,
    TRIAL_BELOW,
    Improvement,
    Limits,
    group_limits,
    group_signals,
    point_type,
    sign,
)

logger = logging.getLogger(__name__)

__all__ = [
    "ASSURANCE_ICONS",
    "COMMON_CAUSE",
    "LIMIT_SCALE",
    "MIN_FIX_AFTER",
    "MIN_POINTS",
    "NEAR_LIMIT_SCALE",
    "POINT_COLOURS",
    "POINT_TYPES",
    "RULES",
    "SCREEN_SCALE",
    "TRIAL_BELOW",
    "VARIATION_ICONS",
    "IconInfo",
    "Improvement",
    "SpcChart",
    "SpcOptions",
    "SpcPoint",
    "chart_as_dict",
    "reading_of",
    "xmr_chart",
]

# Fewer points than this have no moving range, so no limits and no icons.
MIN_POINTS = 2
RULES = (RULE_OUTSIDE_LIMITS, RULE_TREND, RULE_TWO_IN_THREE, RULE_SHIFT)


@dataclass(frozen=True)
class SpcOptions:
    """How to work out a chart.

    `rebase_at` holds 0-based indices into the values: the point at each starts a new group (one at
    or before the first point changes nothing). `fix_after` (12 or more, or None) works out each
    group's mean and limits from its first n points only and holds them for the rest of the group,
    as the package's `fix_after_n_points`. `screen_outliers` drops moving ranges at or above
    3.267 x their mean once before the limits are worked out (on by default; off matches the MDC
    Excel tool).
    """

    improvement: Improvement = Improvement.INCREASE
    target: float | None = None
    rebase_at: tuple[int, ...] = ()
    fix_after: int | None = None
    screen_outliers: bool = True


@dataclass(frozen=True)
class SpcPoint:
    """One point of the chart, with its group's centre line and limits."""

    x: str
    y: float
    group: int
    mean: float
    lpl: float
    upl: float
    nlpl: float
    nupl: float
    relative_to_mean: int
    rule: str | None
    point_type: str
    trial_limits: bool
    # Where the point came from in the values given (gaps are not points, so this can skip).
    index: int = -1

    @property
    def colour(self) -> str:
        """The MDC colour of the point's type."""
        return POINT_COLOURS[self.point_type]


@dataclass(frozen=True)
class SpcChart:
    """A worked-out chart: its points and icons (None when there are too few points for limits)."""

    improvement: Improvement
    target: float | None
    points: tuple[SpcPoint, ...]
    variation_icon: str | None
    assurance_icon: str | None

    @property
    def has_limits(self) -> bool:
        """Whether there are enough points for limits (at least 2)."""
        return len(self.points) >= MIN_POINTS

    @property
    def variation(self) -> IconInfo | None:
        """The variation icon's symbol and words."""
        return VARIATION_ICONS[self.variation_icon] if self.variation_icon else None

    @property
    def assurance(self) -> IconInfo | None:
        """The assurance icon's symbol and words."""
        return ASSURANCE_ICONS[self.assurance_icon] if self.assurance_icon else None


def _check(xs: Sequence[str], ys: Sequence[float | None], options: SpcOptions) -> None:
    if len(xs) != len(ys):
        raise ValueError(f"{len(xs)} labels for {len(ys)} values")
    if options.fix_after is not None and options.fix_after < MIN_FIX_AFTER:
        raise WasteWalkError(
            f"Limits can only be fixed from {MIN_FIX_AFTER} or more points "
            f"(asked for {options.fix_after})."
        )
    for index in options.rebase_at:
        if not 0 <= index < len(ys):
            raise WasteWalkError(f"There is no point {index + 1} to rebase at ({len(ys)} points).")
    for i, y in enumerate(ys):
        if y is not None and not math.isfinite(y):
            raise WasteWalkError(f"Value {i + 1} ({y}) is not a number that can be charted.")
    if options.target is not None and not math.isfinite(options.target):
        raise WasteWalkError(f"The target ({options.target}) is not a number.")


def xmr_chart(
    xs: Sequence[str], ys: Sequence[float | None], options: SpcOptions = SpcOptions()
) -> SpcChart:
    """Work out an XmR chart of the values `ys` labelled `xs`.

    A None value is a gap: it is not a point, it is left out of the mean, no moving range is taken
    across it and no run (trend, two in three, shift) continues across it. Groups are numbered from
    0 in order. Fewer than 2 points give a chart with no icons (`has_limits` is false); a lone point
    gets limits equal to its value.
    """
    _check(xs, ys, options)
    points: list[SpcPoint] = []
    for number, members in enumerate(_groups(ys, options.rebase_at)):
        values = [_value(ys[i]) for i in members]
        starts_run = [k > 0 and ys[i - 1] is None for k, i in enumerate(members)]
        limits = group_limits(values, starts_run, options.fix_after, options.screen_outliers)
        signals = group_signals(values, starts_run, limits)
        trial = len(members) < TRIAL_BELOW
        # A handful of distinct signals: type each once (keyed by a plain tuple, cheap to hash).
        types: dict[tuple[str | None, int], str] = {}
        for s in signals:
            if (s.rule, s.direction) not in types:
                types[(s.rule, s.direction)] = point_type(s, options.improvement)
        for i, y, signal in zip(members, values, signals, strict=True):
            points.append(
                SpcPoint(
                    x=xs[i],
                    y=y,
                    group=number,
                    mean=limits.mean,
                    lpl=limits.lpl,
                    upl=limits.upl,
                    nlpl=limits.nlpl,
                    nupl=limits.nupl,
                    relative_to_mean=sign(y - limits.mean),
                    rule=signal.rule,
                    point_type=types[(signal.rule, signal.direction)],
                    trial_limits=trial,
                    index=i,
                )
            )
    variation: str | None = None
    assurance: str | None = None
    if len(points) >= MIN_POINTS:
        last = points[-1]
        variation = variation_icon_code(last.point_type, options.improvement)
        assurance = assurance_icon_code(options.target, options.improvement, _limits_of(last))
    return SpcChart(
        improvement=options.improvement,
        target=options.target,
        points=tuple(points),
        variation_icon=variation,
        assurance_icon=assurance,
    )


def _groups(ys: Sequence[float | None], rebase_at: Sequence[int]) -> list[list[int]]:
    """Indices of the real points of each group, in order.

    A rebase at or before the first point changes nothing, and one among gaps only (no point
    before the next rebase) makes no empty group.
    """
    cuts = set(rebase_at)
    groups: list[list[int]] = []
    current: list[int] = []
    cut_pending = False
    for i, y in enumerate(ys):
        if i in cuts:
            cut_pending = True
        if y is None:
            continue
        if cut_pending and current:
            groups.append(current)
            current = []
        cut_pending = False
        current.append(i)
    if current:
        groups.append(current)
    return groups


def _value(y: float | None) -> float:
    assert y is not None  # only real points reach here
    return float(y)


def _limits_of(point: SpcPoint) -> Limits:
    return Limits(point.mean, point.lpl, point.upl, point.nlpl, point.nupl, 0.0)


def chart_as_dict(chart: SpcChart) -> dict[str, object]:
    """The chart as the `wastewalk spc --json` object (issue 6's contract), numbers unrounded."""
    return {
        "improvement": chart.improvement.value,
        "target": chart.target,
        "points": [
            {
                "x": p.x,
                "y": p.y,
                "group": p.group,
                "mean": p.mean,
                "lpl": p.lpl,
                "upl": p.upl,
                "nlpl": p.nlpl,
                "nupl": p.nupl,
                "relative_to_mean": p.relative_to_mean,
                "rule": p.rule,
                "point_type": p.point_type,
                "trial_limits": p.trial_limits,
            }
            for p in chart.points
        ],
        "variation_icon": chart.variation_icon,
        "assurance_icon": chart.assurance_icon,
    }


def number_text(value: float, unit: str = "") -> str:
    """A number for a reader: thousands separated, at most 2 decimals, with its unit."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


_RULE_WORDS = {
    (RULE_OUTSIDE_LIMITS, 1): "lies above the upper limit",
    (RULE_OUTSIDE_LIMITS, -1): "lies below the lower limit",
    (RULE_TREND, 1): "is part of a run of 7 points each higher than the last",
    (RULE_TREND, -1): "is part of a run of 7 points each lower than the last",
    (RULE_TWO_IN_THREE, 1): "is one of 2 of 3 points close to the upper limit",
    (RULE_TWO_IN_THREE, -1): "is one of 2 of 3 points close to the lower limit",
    (RULE_SHIFT, 1): "is part of a run of 7 or more points above the mean",
    (RULE_SHIFT, -1): "is part of a run of 7 or more points below the mean",
}


def _variation_sentence(chart: SpcChart) -> str:
    last = chart.points[-1]
    if last.rule is None:
        improving = sum(p.point_type == SPECIAL_CAUSE_IMPROVEMENT for p in chart.points)
        concerning = sum(p.point_type == SPECIAL_CAUSE_CONCERN for p in chart.points)
        other = sum(p.rule is not None for p in chart.points) - improving - concerning
        if improving + concerning + other == 0:
            return "Common cause variation only: no sign of change."
        parts = [
            f"{n} special cause {what}"
            for n, what in (
                (improving, "improvement"),
                (concerning, "concern"),
                (other, "variation"),
            )
            if n
        ]
        return (
            "The latest point shows common cause variation; earlier points show "
            + " and ".join(parts)
            + "."
        )
    icon = chart.variation
    title = icon.title if icon else "Special cause variation"
    words = _RULE_WORDS[(last.rule, _direction(last, chart.improvement))]
    return f"{title}: the latest point {words}."


def _direction(point: SpcPoint, improvement: Improvement) -> int:
    """The way a signal points: a trend keeps its own way even across the mean."""
    if point.rule != RULE_TREND:
        return point.relative_to_mean or 1
    if point.point_type == SPECIAL_CAUSE_NEUTRAL_HIGH:
        return 1
    if point.point_type == SPECIAL_CAUSE_NEUTRAL_LOW:
        return -1
    better = improvement.sign
    return better if point.point_type == SPECIAL_CAUSE_IMPROVEMENT else -better


def _assurance_sentence(chart: SpcChart, unit: str) -> str:
    if chart.target is None or chart.assurance_icon is None:
        return ""
    last = chart.points[-1]
    target = f"The target of {number_text(chart.target, unit)}"
    if chart.assurance_icon == "inconsistent":
        if chart.target in (last.upl, last.lpl):
            where = "lies on a limit"
        else:
            where = "lies between the limits"
        return f"{target} {where}, so it will be met and missed by chance."
    where = "above the upper limit" if chart.target > last.upl else "below the lower limit"
    if chart.assurance_icon == "consistent_pass":
        return f"{target} lies {where}, so it will be met every time unless the process changes."
    return f"{target} lies {where}, so it will not be met unless the process changes."


def reading_of(chart: SpcChart, unit: str = "") -> str:
    """One plain-English line for a report: what the variation says, the limits, the target."""
    if not chart.points:
        return "No points to chart."
    if not chart.has_limits:
        return f"Only one point so far; at least {MIN_POINTS} are needed to work out limits."
    last = chart.points[-1]
    sentences = [
        _variation_sentence(chart),
        f"Mean {number_text(last.mean, unit)}, limits {number_text(last.lpl, unit)} "
        f"to {number_text(last.upl, unit)}"
        + (f" (trial limits: fewer than {TRIAL_BELOW} points)." if last.trial_limits else "."),
    ]
    assurance = _assurance_sentence(chart, unit)
    if assurance:
        sentences.append(assurance)
    return " ".join(sentences)
