"""xmr_chart against a line-by-line reading of NHSRplotthedots 0.2.x, on generated series.

`reference` below follows the R code's shape on purpose (padded windows, `part_of` over window
ends, `case_when` order, the "use right side" trend direction) rather than this program's runs, so
the two are independent ways to the same answer. It carries only the two choices the package leaves
undefined (a zero mean moving range screens nothing; a group of one point has a mean moving range of
0) and skips the one place the package's answer is an accident (see the trend-direction note).
Plus invariants every chart keeps, and that every chart survives strict JSON.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from wastewalk.domain.spc import Improvement, SpcOptions, chart_as_dict, xmr_chart


@dataclass
class RefPoint:
    mean: float
    lpl: float
    upl: float
    rule: str | None
    point_type: str
    ambiguous_direction: bool


def _sign(v: float) -> int:
    return (v > 0) - (v < 0)


def _seven_one_side(rtm: list[int]) -> list[int]:
    vp = [0] * 6 + rtm
    return [
        int(all(vp[i] == vp[i - k] for k in range(1, 7)) and vp[i] != 0) for i in range(6, len(vp))
    ]


def _part_of_seven(ends: list[int]) -> list[bool]:
    vp = ends + [0] * 6
    return [any(abs(vp[i + k]) == 1 for k in range(7)) for i in range(len(ends))]


def _seven_trend(y: list[float]) -> list[int]:
    if len(y) < 7:
        return [0] * len(y)
    out = [0] * 6
    for i in range(6, len(y)):
        d = [_sign(y[i - k] - y[i - k - 1]) for k in range(6)]
        out.append(1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0)
    return out


def _two_in_three(close: list[bool], rtm: list[int]) -> list[bool]:
    vp = [0, 0, *[int(c) for c in close], 0, 0]
    rp = [0, 0, *rtm, 0, 0]
    out = []
    for i in range(len(close)):
        out.append(
            any(
                sum(vp[i + a : i + a + 3]) >= 2 and abs(sum(rp[i + a : i + a + 3])) == 3
                for a in range(3)
            )
        )
    return [o and c for o, c in zip(out, close, strict=True)]


def _group(y: list[float], fix_after: int | None, screen: bool, direction: int) -> list[RefPoint]:
    n = len(y)
    fix_y = [v if fix_after is None or i < fix_after else None for i, v in enumerate(y)]
    fixed = [v for v in fix_y if v is not None]
    mean = sum(fixed) / len(fixed)
    mr = [None] + [
        abs(b - a) if a is not None and b is not None else None
        for a, b in itertools.pairwise(fix_y)
    ]
    present = [m for m in mr if m is not None]
    amr = sum(present) / len(present) if present else 0.0
    if screen and amr > 0:
        mr = [m if m is not None and m < 3.267 * amr else None for m in mr]
        present = [m for m in mr if m is not None]
        amr = sum(present) / len(present)
    limit, close_limit = 2.66, 2 * (2.66 / 3)
    lpl, upl = mean - limit * amr, mean + limit * amr
    nlpl, nupl = mean - close_limit * amr, mean + close_limit * amr
    outside = [v > upl or v < lpl for v in y]
    rtm = [_sign(v - mean) for v in y]
    close = [not o and (v < nlpl or v > nupl) for v, o in zip(y, outside, strict=True)]

    trend = _part_of_seven(_seven_trend(y))
    two = _two_in_three(close, rtm)
    shift = _part_of_seven(_seven_one_side(rtm))
    sdy = [_sign(b - a) for a, b in itertools.pairwise(y)]
    right = [*sdy, sdy[-1] if sdy else 0]
    left = [0, *sdy]
    nxt = [*trend[1:], False]
    way = [r if (a and b) else le for a, b, r, le in zip(nxt, trend, right, left, strict=True)]

    points = []
    for i in range(n):
        if outside[i]:
            rule, v = "outside_limits", 1 if rtm[i] == 1 else -1
        elif trend[i]:
            rule, v = "trend", 1 if way[i] == 1 else -1
        elif two[i]:
            rule, v = "two_in_three", 1 if rtm[i] > 0 else -1
        elif shift[i]:
            rule, v = "shift", 1 if rtm[i] > 0 else -1
        else:
            rule, v = None, 0
        if v == 0:
            kind = "common_cause"
        elif direction == 0:
            kind = "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low"
        else:
            kind = "special_cause_improvement" if v * direction > 0 else "special_cause_concern"
        # The package reads a zero step between two trend points as "Decreasing": an accident.
        ambiguous = rule == "trend" and nxt[i] and trend[i] and right[i] == 0
        points.append(RefPoint(mean, lpl, upl, rule, kind, ambiguous))
    return points


def reference(
    ys: list[float], rebase: set[int], fix_after: int | None, screen: bool, direction: int
) -> list[RefPoint]:
    group = 0
    groups: list[list[float]] = [[]]
    for i, y in enumerate(ys):
        if i in rebase and i > 0:
            group += 1
            groups.append([])
        groups[group].append(y)
    out: list[RefPoint] = []
    for g in groups:
        out.extend(_group(g, fix_after, screen, direction))
    return out


values = st.one_of(
    st.integers(min_value=0, max_value=12).map(float),
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False),
)


def _walk(steps: list[int]) -> list[float]:
    # A drifting random walk: trends, shifts and points outside the limits, which flat noise
    # seldom gives.
    out, level = [], 0.0
    for step in steps:
        level += step
        out.append(level)
    return out


series = st.one_of(
    st.lists(st.integers(min_value=0, max_value=12).map(float), min_size=2, max_size=60),
    st.lists(values, min_size=2, max_size=60),
    st.lists(st.integers(min_value=-2, max_value=4), min_size=2, max_size=60).map(_walk),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[float], set[int], SpcOptions]:
    ys = draw(series)
    rebase = draw(st.sets(st.integers(min_value=0, max_value=len(ys) - 1), max_size=3))
    fix_after = draw(st.one_of(st.none(), st.integers(min_value=12, max_value=30)))
    improvement = draw(st.sampled_from(list(Improvement)))
    target = draw(st.one_of(st.none(), values))
    options = SpcOptions(
        improvement=improvement,
        target=target,
        rebase_at=tuple(sorted(rebase)),
        fix_after=fix_after,
        screen_outliers=draw(st.booleans()),
    )
    return ys, rebase, options


@settings(max_examples=400, deadline=None)
@given(cases())
def test_matches_the_package_reading(case: tuple[list[float], set[int], SpcOptions]) -> None:
    ys, rebase, options = case
    chart = xmr_chart([str(i) for i in range(len(ys))], ys, options)
    ref = reference(
        ys, rebase, options.fix_after, options.screen_outliers, options.improvement.sign
    )
    assert len(chart.points) == len(ref)
    for p, r in zip(chart.points, ref, strict=True):
        assert math.isclose(p.mean, r.mean, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(p.upl, r.upl, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(p.lpl, r.lpl, rel_tol=1e-9, abs_tol=1e-9)
        assert p.rule == r.rule
        if not r.ambiguous_direction:
            assert p.point_type == r.point_type


@settings(max_examples=300, deadline=None)
@given(cases())
def test_invariants(case: tuple[list[float], set[int], SpcOptions]) -> None:
    ys, _, options = case
    chart = xmr_chart([str(i) for i in range(len(ys))], ys, options)
    groups = [p.group for p in chart.points]
    assert groups[0] == 0
    assert all(b - a in (0, 1) for a, b in itertools.pairwise(groups))
    sizes = {g: groups.count(g) for g in set(groups)}
    for p in chart.points:
        assert p.lpl <= p.nlpl <= p.mean <= p.nupl <= p.upl
        assert p.relative_to_mean == _sign(p.y - p.mean)
        assert (p.rule is None) == (p.point_type == "common_cause")
        assert (p.rule == "outside_limits") == (p.y > p.upl or p.y < p.lpl)
        assert p.trial_limits == (sizes[p.group] < 13)
    same_group = [p for p in chart.points if p.group == groups[-1]]
    assert len({(p.mean, p.upl, p.lpl) for p in same_group}) == 1
    assert chart.variation_icon is not None
    assert (chart.assurance_icon is None) == (
        options.target is None or options.improvement is Improvement.NEUTRAL
    )
    json.dumps(chart_as_dict(chart), allow_nan=False)


def test_a_level_step_between_two_trends_keeps_the_first_trends_way() -> None:
    # 1..7 rising, then 7 again and falling: the package calls the first 7 "Decreasing" because
    # the step after it is level; this program gives it the way of the only trend it belongs to.
    # A wide base with fixed limits keeps every point inside them.
    ys = [0.0, 20.0] * 6 + [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    options = SpcOptions(Improvement.NEUTRAL, fix_after=12)
    chart = xmr_chart([str(i) for i in range(len(ys))], ys, options)
    assert [p.rule for p in chart.points[12:]] == ["trend"] * 14
    assert chart.points[18].point_type == "special_cause_neutral_high"
    assert chart.points[19].point_type == "special_cause_neutral_low"
