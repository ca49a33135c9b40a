"""SPC: an XmR chart of 10,000 points with a few rebases, next to a bare limits loop.

    python -m bench.bench_spc [--points 10000] [--rebases 3] [--repeat 15] [--seed 1]

The values are a normal series with a few steps and some spikes, so every rule and the screening
have work to do. Timed alternately, `--repeat` times each after one untimed run:

- `domain.spc.xmr_chart(xs, ys, SpcOptions(rebase_at=...))`: limits, the four rules, point types
  and icons, screening on (the default);
- the same with `screen_outliers=False`;
- `json.dumps(chart_as_dict(chart), allow_nan=False)`: what `wastewalk spc --json` adds;
- the baseline: a bare Python loop over the same values and groups working out each group's mean,
  moving ranges, mean moving range and the two limits, nothing else.

Before timing, the baseline's means and limits are checked against the unscreened chart's.
No database and no files: the data folder is not touched.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence

from bench.common import median, print_table
from wastewalk.domain.spc import SpcChart, SpcOptions, chart_as_dict, xmr_chart


def make_values(points: int, rebases: int, rng: random.Random) -> tuple[list[float], list[int]]:
    """Normal noise around a level that steps at each rebase, with a spike now and then."""
    cuts = [points * (k + 1) // (rebases + 1) for k in range(rebases)]
    values = []
    level = 100.0
    for i in range(points):
        if i in cuts:
            level += rng.choice((-15.0, 12.0, 20.0))
        value = rng.gauss(level, 5.0)
        if rng.random() < 0.005:
            value += rng.choice((-40.0, 40.0))
        values.append(value)
    return values, cuts


def baseline_limits(
    values: Sequence[float], cuts: Sequence[int]
) -> list[tuple[float, float, float]]:
    """Per group: mean, lower limit, upper limit, in a bare loop (no screening, no rules)."""
    bounds = [0, *cuts, len(values)]
    out = []
    for k in range(len(bounds) - 1):
        start, end = bounds[k], bounds[k + 1]
        total = 0.0
        ranges = 0.0
        previous = values[start]
        for i in range(start, end):
            v = values[i]
            total += v
            if i > start:
                ranges += abs(v - previous)
            previous = v
        mean = total / (end - start)
        mr = ranges / (end - start - 1)
        out.append((mean, mean - 2.66 * mr, mean + 2.66 * mr))
    return out


def check(values: Sequence[float], cuts: Sequence[int], chart: SpcChart) -> None:
    """The baseline and the unscreened chart agree on every group's mean and limits."""
    expected = baseline_limits(values, cuts)
    firsts = [0, *cuts]
    for (mean, lpl, upl), first in zip(expected, firsts, strict=True):
        p = chart.points[first]
        for a, b in ((mean, p.mean), (lpl, p.lpl), (upl, p.upl)):
            if not math.isclose(a, b, rel_tol=1e-9):
                raise SystemExit(f"baseline and chart disagree at point {first}: {a} != {b}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_spc", description=__doc__)
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--rebases", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each (median)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")

    rng = random.Random(args.seed)
    values, cuts = make_values(args.points, args.rebases, rng)
    xs = [f"p{i}" for i in range(len(values))]
    screened = SpcOptions(rebase_at=tuple(cuts))
    unscreened = SpcOptions(rebase_at=tuple(cuts), screen_outliers=False)
    check(values, cuts, xmr_chart(xs, values, unscreened))
    chart = xmr_chart(xs, values, screened)

    tasks: dict[str, Callable[[], object]] = {
        "xmr_chart, screening on (default)": lambda: xmr_chart(xs, values, screened),
        "xmr_chart, screening off": lambda: xmr_chart(xs, values, unscreened),
        "json.dumps(chart_as_dict(chart))": lambda: json.dumps(
            chart_as_dict(chart), allow_nan=False
        ),
        "baseline: bare mean/MR/limits loop": lambda: baseline_limits(values, cuts),
    }
    times: dict[str, list[float]] = {name: [] for name in tasks}
    for task in tasks.values():
        task()  # warm-up
    for _ in range(args.repeat):
        for name, task in tasks.items():
            start = time.perf_counter()
            task()
            times[name].append((time.perf_counter() - start) * 1000)

    base = median(times["baseline: bare mean/MR/limits loop"])
    rows = [
        [name, f"{median(t):.2f}", f"{min(t):.2f}", f"{median(t) / base:.1f}x"]
        for name, t in times.items()
    ]
    signals = sum(p.rule is not None for p in chart.points)
    print(
        f"{len(values):,} points, {len(cuts) + 1} groups, {signals:,} special-cause points, "
        f"{args.repeat} runs each\n"
    )
    print_table(["ms", "median", "min", "vs baseline"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
