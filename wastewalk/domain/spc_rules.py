"""The arithmetic of an XmR chart: limits per group and the four special-cause rules.

Written to give the same answers as NHSRplotthedots 0.2.x (`ptd_spc_standard`,
`ptd_calculate_point_type`, `ptd_add_short_group_warnings`); where this module decides something the
package leaves undefined (gaps, a zero moving range, a one-point group) the choice is said in the
docstring and in docs/spc.md. Public names are re-exported by `wastewalk.domain.spc`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

logger = logging.getLogger(__name__)

# Scaling of the mean moving range, as the package: 2.66 for the process limits and two thirds of
# that (2 x 2.66 / 3 = 1.77333...) for the near-limit lines, which the package derives rather than
# rounding to 1.7733.
LIMIT_SCALE = 2.66
NEAR_LIMIT_SCALE = 2 * LIMIT_SCALE / 3
# A moving range at or above this multiple of the mean moving range is screened out (once).
SCREEN_SCALE = 3.267
# Run lengths of the rules.
RUN_LENGTH = 7
# Fixed limits need at least this many points (the package refuses fewer).
MIN_FIX_AFTER = 12
# A group with fewer points than this has trial limits (the package's warning threshold).
TRIAL_BELOW = 13

RULE_OUTSIDE_LIMITS = "outside_limits"
RULE_TREND = "trend"
RULE_TWO_IN_THREE = "two_in_three"
RULE_SHIFT = "shift"

COMMON_CAUSE = "common_cause"
SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
SPECIAL_CAUSE_CONCERN = "special_cause_concern"
SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"
POINT_TYPES = (
    COMMON_CAUSE,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_NEUTRAL_LOW,
)


class Improvement(StrEnum):
    """Which way a measure should move to be better."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better, 0 when neither."""
        return {"increase": 1, "decrease": -1, "neutral": 0}[self.value]


@dataclass(frozen=True)
class Limits:
    """The centre line and limits of one group."""

    mean: float
    lpl: float
    upl: float
    nlpl: float
    nupl: float
    mean_moving_range: float


@dataclass(frozen=True)
class Signal:
    """The rule (if any) a point breaks, and the direction of that signal (+1 high, -1 low)."""

    rule: str | None
    direction: int


def sign(value: float) -> int:
    """-1, 0 or 1: a value exactly zero is zero (a point exactly on the mean breaks a run)."""
    return (value > 0) - (value < 0)


def group_limits(
    values: Sequence[float], starts_run: Sequence[bool], fix_after: int | None, screen: bool
) -> Limits:
    """Mean, limits and near-limit lines of one group of values.

    `starts_run[i]` is true where a gap came before value i: the moving range is not taken across
    a gap (the package's `diff` gives NA there). With `fix_after` only the first n values count.
    With `screen`, moving ranges at or above 3.267 x their mean are dropped once and the mean moving
    range worked out again; the mean itself is not. A zero mean moving range screens nothing (the
    package would drop every range and give no limits at all), and a group of one value has no
    moving range: both give limits equal to the mean.
    """
    n = len(values) if fix_after is None else min(fix_after, len(values))
    base = values[:n]
    mean = sum(base) / len(base)
    ranges = [abs(base[i] - base[i - 1]) for i in range(1, n) if not starts_run[i]]
    mr = sum(ranges) / len(ranges) if ranges else 0.0
    if screen and mr > 0:
        kept = [r for r in ranges if r < SCREEN_SCALE * mr]
        mr = sum(kept) / len(kept)
    return Limits(
        mean=mean,
        lpl=mean - LIMIT_SCALE * mr,
        upl=mean + LIMIT_SCALE * mr,
        nlpl=mean - NEAR_LIMIT_SCALE * mr,
        nupl=mean + NEAR_LIMIT_SCALE * mr,
        mean_moving_range=mr,
    )


def _runs(starts_run: Sequence[bool]) -> list[tuple[int, int]]:
    """[start, end) of the stretches without a gap, inside which the run rules look."""
    bounds = [i for i, s in enumerate(starts_run) if s or i == 0]
    bounds.append(len(starts_run))
    return [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]


def _trend_directions(ys: Sequence[float], start: int, end: int, out: list[int]) -> None:
    """Mark each point of a trend (7 points, each strictly above/below the one before) with its way.

    A point in both a rising and a falling trend (the peak they share) takes the later one, as the
    package does ("use right side").
    """
    steps = [sign(ys[i] - ys[i - 1]) for i in range(start + 1, end)]
    # steps[k] is the step into point start + k + 1; a trend ending at e needs the 6 steps into
    # points e-5 .. e to share one non-zero sign.
    same = 0
    for k, step in enumerate(steps):
        same = same + 1 if step != 0 and k > 0 and step == steps[k - 1] else (1 if step else 0)
        if same >= RUN_LENGTH - 1:
            last = start + k + 1
            for i in range(last - RUN_LENGTH + 1, last + 1):
                out[i] = step


def _shift_flags(rtm: Sequence[int], start: int, end: int, out: list[bool]) -> None:
    """Flag runs of 7 or more points on one side of the mean (a point on the mean breaks a run)."""
    i = start
    while i < end:
        j = i
        while j < end and rtm[j] == rtm[i]:
            j += 1
        if rtm[i] != 0 and j - i >= RUN_LENGTH:
            for k in range(i, j):
                out[k] = True
        i = j


def _two_in_three_flags(
    rtm: Sequence[int], close: Sequence[bool], start: int, end: int, out: list[bool]
) -> None:
    """Flag the near-limit points of any 3 in a row on one side with 2 or more near a limit."""
    for first in range(start, end - 2):
        side = rtm[first]
        if side == 0 or rtm[first + 1] != side or rtm[first + 2] != side:
            continue
        a, b, c = close[first], close[first + 1], close[first + 2]
        if a + b + c >= 2:
            out[first] = out[first] or a
            out[first + 1] = out[first + 1] or b
            out[first + 2] = out[first + 2] or c


def group_signals(ys: Sequence[float], starts_run: Sequence[bool], limits: Limits) -> list[Signal]:
    """The special cause of each point of one group, first match wins.

    Order as the package: outside the limits, trend, two in three, shift. A point exactly on a
    limit is inside it; "near a limit" is strictly between the near-limit line and the limit. The
    run rules look only within a stretch without gaps.
    """
    n = len(ys)
    outside = [y > limits.upl or y < limits.lpl for y in ys]
    rtm = [sign(y - limits.mean) for y in ys]
    close = [not outside[i] and (ys[i] > limits.nupl or ys[i] < limits.nlpl) for i in range(n)]
    trend = [0] * n
    shift = [False] * n
    two = [False] * n
    for start, end in _runs(starts_run):
        _trend_directions(ys, start, end, trend)
        _shift_flags(rtm, start, end, shift)
        _two_in_three_flags(rtm, close, start, end, two)
    signals = []
    for i in range(n):
        if outside[i]:
            signals.append(Signal(RULE_OUTSIDE_LIMITS, rtm[i]))
        elif trend[i]:
            signals.append(Signal(RULE_TREND, trend[i]))
        elif two[i]:
            signals.append(Signal(RULE_TWO_IN_THREE, rtm[i]))
        elif shift[i]:
            signals.append(Signal(RULE_SHIFT, rtm[i]))
        else:
            signals.append(Signal(None, 0))
    return signals


def point_type(signal: Signal, improvement: Improvement) -> str:
    """Turn a signal's direction into improvement or concern (or neutral high/low)."""
    if signal.rule is None or signal.direction == 0:
        return COMMON_CAUSE
    if improvement is Improvement.NEUTRAL:
        return SPECIAL_CAUSE_NEUTRAL_HIGH if signal.direction > 0 else SPECIAL_CAUSE_NEUTRAL_LOW
    if signal.direction == improvement.sign:
        return SPECIAL_CAUSE_IMPROVEMENT
    return SPECIAL_CAUSE_CONCERN
