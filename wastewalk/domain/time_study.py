"""Element time study arithmetic: the Time Observation Sheet of lean practice, summarised exactly.

Pure functions over plain readings. PRODUCT.md ("Direct observation: time studies") states the rules
and the published worked examples they are tested against. Nothing is rounded here: the window and
the reports round for display.
"""

from __future__ import annotations

import logging
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

logger = logging.getLogger(__name__)

# z for the confidence levels a study may ask for (two-sided, normal distribution).
Z_FOR_CONFIDENCE = {90: 1.645, 95: 1.96, 99: 2.576}
DEFAULT_CONFIDENCE_PCT = 95
DEFAULT_ACCURACY_PCT = 5.0
OUTLIER_FACTOR = 2  # a reading more than twice the element's median is flagged
MAX_READING_SECONDS = 24 * 3600  # one element longer than a day is a typing slip
MAX_RATING_PCT = 200.0
MIN_RATING_PCT = 1.0


class ValueClass(StrEnum):
    """What an element is worth to the patient."""

    VALUE_ADDING = "va"
    NECESSARY_NON_VALUE_ADDING = "nnva"
    WASTE = "waste"


VALUE_CLASS_WORDS = {
    ValueClass.VALUE_ADDING: "Value-adding",
    ValueClass.NECESSARY_NON_VALUE_ADDING: "Necessary non-value-adding",
    ValueClass.WASTE: "Waste",
}


class AllowanceBasis(StrEnum):
    """How the allowance percentage is applied to normal time."""

    JOB = "job"  # ST = NT x (1 + A)
    WORKDAY = "workday"  # ST = NT / (1 - A)


class SelectedTime(StrEnum):
    """Which observed time is rated: the mean of valid readings or the lowest repeatable time."""

    MEAN = "mean"
    LRT = "lrt"


class ReadingState(StrEnum):
    """A reading is valid, excluded with a reason (still shown), or a note that the element was
    not performed in that cycle (a state, never a zero)."""

    VALID = "valid"
    EXCLUDED = "excluded"
    NOT_PERFORMED = "not_performed"


@dataclass(frozen=True)
class Reading:
    """One cell of the sheet: an element in a cycle."""

    cycle: int
    state: ReadingState
    seconds: float | None = None


@dataclass(frozen=True)
class ElementSpec:
    """An element as set up for the study."""

    name: str
    order: int
    value_class: ValueClass = ValueClass.VALUE_ADDING
    rating_pct: float = 100.0


@dataclass(frozen=True)
class ElementSummary:
    """Per-element figures over its valid readings. Figures that need a reading are None at n=0."""

    name: str
    order: int
    value_class: ValueClass
    rating_pct: float
    n: int
    mean_s: float | None
    median_s: float | None
    min_s: float | None
    max_s: float | None
    fluctuation_s: float | None
    lrt_s: float | None
    outlier_cycles: tuple[int, ...]
    stdev_s: float | None
    selected_s: float | None
    # True when the study asks for the LRT but no whole-second reading repeats: the mean is used.
    selected_fell_back_to_mean: bool
    normal_s: float | None
    standard_s: float | None
    cycles_needed: int | None


@dataclass(frozen=True)
class CycleSummary:
    """Statistics over complete cycles (every element read validly or marked not performed)."""

    n: int
    mean_s: float | None
    min_s: float | None
    max_s: float | None
    complete_cycles: tuple[int, ...]
    cycle_times: tuple[float, ...]


@dataclass(frozen=True)
class StudySettings:
    """The study-wide choices that turn readings into standard time."""

    allowance_pct: float = 0.0
    allowance_basis: AllowanceBasis = AllowanceBasis.JOB
    selected_time: SelectedTime = SelectedTime.MEAN
    available_minutes: float | None = None
    demand: float | None = None
    confidence_pct: int = DEFAULT_CONFIDENCE_PCT
    accuracy_pct: float = DEFAULT_ACCURACY_PCT


@dataclass(frozen=True)
class StudySummary:
    """Everything the summary panel, the command line and the reports show."""

    settings: StudySettings
    elements: tuple[ElementSummary, ...]
    cycles: CycleSummary
    normal_total_s: float
    standard_total_s: float
    takt_s: float | None
    va_ratio: float | None
    cycles_needed: int | None
    elements_without_readings: tuple[str, ...]


# --- checks -----------------------------------------------------------------------------------


def check_seconds(value: float, what: str = "Seconds") -> str | None:
    """A reading must be a positive number of seconds, and less than a day."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return f"{what} must be a number of seconds"
    if math.isinf(value):
        return f"{what} must be a finite number of seconds"
    if value <= 0:
        return (
            f"{what} must be more than 0, not {value:g} "
            "(a step that was not done is marked 'not performed')"
        )
    if value > MAX_READING_SECONDS:
        return f"{what} of {value:g} is more than a day; check the reading"
    return None


def check_rating(value: float, what: str = "Rating") -> str | None:
    """Ratings are percentages of normal pace, from 1 % to 200 %."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"{what} must be a percentage"
    if not MIN_RATING_PCT <= value <= MAX_RATING_PCT:
        return f"{what} must be from {MIN_RATING_PCT:g} % to {MAX_RATING_PCT:g} %, not {value:g} %"
    return None


def check_allowance(pct: float, basis: AllowanceBasis | str) -> str | None:
    """An allowance is from 0 %; under the workday basis it must stay below 100 %."""
    if isinstance(pct, bool) or not isinstance(pct, int | float) or not math.isfinite(pct):
        return "Allowance must be a percentage"
    if basis not in set(AllowanceBasis):
        return f"Allowance basis must be 'job' or 'workday', not '{basis}'"
    if pct < 0:
        return f"Allowance cannot be negative ({pct:g} %)"
    if basis == AllowanceBasis.WORKDAY and pct >= 100:
        return (
            f"An allowance of {pct:g} % of the workday leaves no working time; "
            "under the workday basis it must be below 100 %"
        )
    if pct > 100:
        return f"An allowance of {pct:g} % on the job is more than the job itself; check it"
    return None


def check_takt_inputs(available_minutes: float | None, demand: float | None) -> str | None:
    """Available time and demand are both positive when given."""
    for value, what in ((available_minutes, "Available minutes"), (demand, "Demand")):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{what} must be a number"
        if not math.isfinite(value) or value <= 0:
            return f"{what} must be more than 0, not {value:g}"
    return None


def check_confidence(confidence_pct: int, accuracy_pct: float) -> str | None:
    """Confidence is 90, 95 or 99 %; accuracy a percentage above 0 and at most 50."""
    if confidence_pct not in Z_FOR_CONFIDENCE:
        return "Confidence must be 90, 95 or 99 %"
    if not isinstance(accuracy_pct, int | float) or not 0 < accuracy_pct <= 50:
        return "Accuracy must be more than 0 % and at most 50 %"
    return None


# --- per-element formulas -----------------------------------------------------------------------


def lowest_repeatable_time(seconds: Iterable[float]) -> float | None:
    """The lowest reading that occurs at least twice, compared at whole seconds (half up)."""
    counts: dict[int, int] = {}
    for value in seconds:
        whole = int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        counts[whole] = counts.get(whole, 0) + 1
    repeated = [whole for whole, count in counts.items() if count >= 2]
    return float(min(repeated)) if repeated else None


def outlier_cycles(readings: Sequence[tuple[int, float]]) -> tuple[int, ...]:
    """Cycles whose reading is more than twice the median of the element's valid readings."""
    if not readings:
        return ()
    median = statistics.median(s for _, s in readings)
    return tuple(cycle for cycle, s in readings if s > OUTLIER_FACTOR * median)


def normal_time(selected_s: float, rating_pct: float) -> float:
    """Normal time = selected time x rating."""
    return selected_s * rating_pct / 100


def standard_time(normal_s: float, allowance_pct: float, basis: AllowanceBasis | str) -> float:
    """Standard time with the allowance under its basis: job NT x (1 + A); workday NT / (1 - A)."""
    problem = check_allowance(allowance_pct, basis)
    if problem:
        raise ValueError(problem)
    if basis == AllowanceBasis.WORKDAY:
        return normal_s / (1 - allowance_pct / 100)
    return normal_s * (1 + allowance_pct / 100)


def cycles_needed(stdev_s: float, mean_s: float, accuracy_pct: float, z: float) -> int:
    """n = ceil((z s / (h x))^2): cycles for +/-h accuracy at the confidence z stands for.

    Rounded to 9 decimals before the ceiling, so 121.00000000000001 from binary floating point
    counts as the 121 the formula gives on paper.
    """
    if mean_s <= 0:
        raise ValueError("the mean must be positive")
    value = (z * stdev_s / (accuracy_pct / 100 * mean_s)) ** 2
    return math.ceil(round(value, 9))


def takt_time_s(available_minutes: float | None, demand: float | None) -> float | None:
    """Takt time = available time / demand, in seconds; None unless both are given."""
    if available_minutes is None or demand is None:
        return None
    problem = check_takt_inputs(available_minutes, demand)
    if problem:
        raise ValueError(problem)
    return available_minutes * 60 / demand


def summarise_element(
    spec: ElementSpec, readings: Sequence[Reading], settings: StudySettings
) -> ElementSummary:
    """n, mean, median, min, max, fluctuation, LRT, outliers, normal and standard time."""
    valid = sorted(
        (r.cycle, float(r.seconds))
        for r in readings
        if r.state == ReadingState.VALID and r.seconds is not None
    )
    values = [s for _, s in valid]
    n = len(values)
    if n == 0:
        return ElementSummary(
            name=spec.name,
            order=spec.order,
            value_class=spec.value_class,
            rating_pct=spec.rating_pct,
            n=0,
            mean_s=None,
            median_s=None,
            min_s=None,
            max_s=None,
            fluctuation_s=None,
            lrt_s=None,
            outlier_cycles=(),
            stdev_s=None,
            selected_s=None,
            selected_fell_back_to_mean=False,
            normal_s=None,
            standard_s=None,
            cycles_needed=None,
        )
    mean = math.fsum(values) / n
    lrt = lowest_repeatable_time(values)
    fell_back = settings.selected_time == SelectedTime.LRT and lrt is None
    selected = lrt if settings.selected_time == SelectedTime.LRT and lrt is not None else mean
    normal = normal_time(selected, spec.rating_pct)
    stdev = statistics.stdev(values) if n >= 2 else None
    z = Z_FOR_CONFIDENCE[settings.confidence_pct]
    needed = cycles_needed(stdev, mean, settings.accuracy_pct, z) if stdev is not None else None
    return ElementSummary(
        name=spec.name,
        order=spec.order,
        value_class=spec.value_class,
        rating_pct=spec.rating_pct,
        n=n,
        mean_s=mean,
        median_s=float(statistics.median(values)),
        min_s=min(values),
        max_s=max(values),
        fluctuation_s=max(values) - min(values),
        lrt_s=lrt,
        outlier_cycles=outlier_cycles(valid),
        stdev_s=stdev,
        selected_s=selected,
        selected_fell_back_to_mean=fell_back,
        normal_s=normal,
        standard_s=standard_time(normal, settings.allowance_pct, settings.allowance_basis),
        cycles_needed=needed,
    )


# --- per-study ----------------------------------------------------------------------------------


def summarise_cycles(
    elements: Sequence[ElementSpec], readings: Mapping[int, Sequence[Reading]]
) -> CycleSummary:
    """Cycle times over complete cycles only: the sum of one cycle's readings, never of means.

    A cycle is complete when every element has a valid reading or is marked not performed in it,
    and at least one reading is valid. An excluded reading leaves its cycle's time unknown.
    """
    by_cycle: dict[int, dict[int, Reading]] = {}
    for order, element_readings in readings.items():
        for reading in element_readings:
            by_cycle.setdefault(reading.cycle, {})[order] = reading
    orders = [e.order for e in elements]
    complete: list[int] = []
    times: list[float] = []
    for cycle in sorted(by_cycle):
        cells = by_cycle[cycle]
        if not orders or any(order not in cells for order in orders):
            continue
        states = [cells[order].state for order in orders]
        if ReadingState.EXCLUDED in states or ReadingState.VALID not in states:
            continue
        complete.append(cycle)
        times.append(
            math.fsum(
                float(cells[o].seconds or 0.0)
                for o in orders
                if cells[o].state == ReadingState.VALID
            )
        )
    if not times:
        return CycleSummary(0, None, None, None, (), ())
    return CycleSummary(
        n=len(times),
        mean_s=math.fsum(times) / len(times),
        min_s=min(times),
        max_s=max(times),
        complete_cycles=tuple(complete),
        cycle_times=tuple(times),
    )


def value_added_ratio(
    elements: Sequence[ElementSpec], readings: Mapping[int, Sequence[Reading]], cycles: CycleSummary
) -> float | None:
    """Value-adding time / total cycle time, both summed over the complete cycles."""
    if not cycles.n:
        return None
    value_adding = {e.order for e in elements if e.value_class == ValueClass.VALUE_ADDING}
    complete = set(cycles.complete_cycles)
    va_time = math.fsum(
        float(r.seconds or 0.0)
        for order in value_adding
        for r in readings.get(order, ())
        if r.cycle in complete and r.state == ReadingState.VALID
    )
    total = math.fsum(cycles.cycle_times)
    return va_time / total if total > 0 else None


def summarise_study(
    elements: Sequence[ElementSpec],
    readings: Mapping[int, Sequence[Reading]],
    settings: StudySettings,
) -> StudySummary:
    """The whole sheet: per element, per cycle, totals, takt, value-added ratio, cycles needed.

    `readings` maps each element's order to its readings. Totals are sums over elements that have
    a valid reading; `elements_without_readings` names the rest so the window can say so.
    """
    problem = check_allowance(settings.allowance_pct, settings.allowance_basis) or (
        check_takt_inputs(settings.available_minutes, settings.demand)
        or check_confidence(settings.confidence_pct, settings.accuracy_pct)
    )
    if problem:
        raise ValueError(problem)
    ordered = sorted(elements, key=lambda e: e.order)
    summaries = tuple(summarise_element(e, readings.get(e.order, ()), settings) for e in ordered)
    cycles = summarise_cycles(ordered, readings)
    needed = [s.cycles_needed for s in summaries if s.cycles_needed is not None]
    return StudySummary(
        settings=settings,
        elements=summaries,
        cycles=cycles,
        normal_total_s=math.fsum(s.normal_s for s in summaries if s.normal_s is not None),
        standard_total_s=math.fsum(s.standard_s for s in summaries if s.standard_s is not None),
        takt_s=takt_time_s(settings.available_minutes, settings.demand),
        va_ratio=value_added_ratio(ordered, readings, cycles),
        cycles_needed=max(needed) if needed else None,
        elements_without_readings=tuple(s.name for s in summaries if s.n == 0),
    )


def more_cycles_needed(summary: StudySummary) -> int | None:
    """How many more complete cycles the study needs for its accuracy, or None if unknown.

    Counted against complete cycles, the unit the observer times: an element often not
    performed gathers fewer readings, and the largest element's need already allows for that.
    """
    if summary.cycles_needed is None:
        return None
    return max(0, summary.cycles_needed - summary.cycles.n)
