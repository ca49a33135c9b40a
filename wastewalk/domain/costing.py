"""Cost estimates: the annual cost of a waste, or the saving an action expects, with its arithmetic.

PRODUCT.md ("Cost estimates and savings") gives the model:

    annual_occurrences = occurrences x per-period factor (day: the area's operating days; week 52;
                         month 12; year 1)
    annual_hours       = minutes_per_occurrence x staff_count x annual_occurrences / 60
    staff_cost         = annual_hours x hourly_cost
    annual_value       = staff_cost + consumables_per_occurrence x annual_occurrences + other_annual
    wte_equivalent     = annual_hours / hours_per_wte_year (default 37.5 x 52 = 1950)

Money is whole pence (int) or Decimal, never float. The annual value is rounded half up to the
penny once, at the end; every intermediate figure stays exact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

logger = logging.getLogger(__name__)

DEFAULT_HOURS_PER_WTE_YEAR = Decimal("1950")  # 37.5 hours x 52 weeks
MINUTES_PER_DAY = Decimal(1440)
MAX_OCCURRENCES_PER_DAY = Decimal(10_000)
MAX_STAFF_COUNT = Decimal(1000)
MAX_POUNDS = Decimal(100_000_000)  # no single estimate is a hundred million pounds
PENNY = Decimal("0.01")
DAYS_PER_WEEK = Decimal(7)
DAYS_PER_MONTH = Decimal(365) / Decimal(12)


class Period(StrEnum):
    """How often the occurrences are counted."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class EstimateKind(StrEnum):
    """What an estimate stands for: the waste's cost, the saving expected, the saving achieved."""

    OPPORTUNITY = "opportunity"
    EXPECTED = "expected"
    VALIDATED = "validated"


def period_factor(per: Period | str, operating_days: int) -> int:
    """Occurrences a year per one occurrence per `per`: a day counts the area's operating days."""
    if per == Period.DAY:
        return operating_days
    if per == Period.WEEK:
        return 52
    if per == Period.MONTH:
        return 12
    if per == Period.YEAR:
        return 1
    raise ValueError(f"unknown period {per!r}")


def per_day(occurrences: Decimal, per: Period | str) -> Decimal:
    """The same frequency as occurrences per calendar day (for the absurdity checks)."""
    if per == Period.DAY:
        return occurrences
    if per == Period.WEEK:
        return occurrences / DAYS_PER_WEEK
    if per == Period.MONTH:
        return occurrences / DAYS_PER_MONTH
    return occurrences / Decimal(365)


@dataclass(frozen=True)
class EstimateInputs:
    """Everything an estimate is worked out from. Money in pence; quantities as Decimal."""

    minutes_per_occurrence: Decimal
    staff_count: Decimal
    hourly_cost_pence: int  # of the staff group, as it was when the estimate was priced
    occurrences: Decimal
    per: Period
    operating_days: int  # of the area, used when per is "day"
    consumables_per_occurrence_pence: int = 0
    other_annual_pence: int = 0
    hours_per_wte_year: Decimal = DEFAULT_HOURS_PER_WTE_YEAR


@dataclass(frozen=True)
class EstimateResult:
    """The figures, exact where they can be, and the one rounding of the annual value."""

    annual_occurrences: Decimal
    annual_hours: Decimal
    staff_cost_pounds: Decimal  # exact, before the one rounding
    consumables_pounds: Decimal
    other_pounds: Decimal
    # Exact as a fraction of pounds: dividing minutes by 60 has no exact decimal, and a value
    # a hair above or below a half penny must round the right way.
    annual_value_exact: Fraction
    annual_value_pence: int  # rounded half up to the penny, once
    wte: Decimal
    working: tuple[str, ...]  # the arithmetic, line by line, as the window and reports show it


def pounds(pence: int) -> Decimal:
    """Pence as pounds, exactly."""
    return Decimal(pence) / 100


def round_to_pence(value: Decimal) -> int:
    """Pounds rounded half up to the penny, as whole pence."""
    return int((value.quantize(PENNY, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def round_fraction_to_pence(pounds_exact: Fraction) -> int:
    """An exact amount of pounds rounded half up (away from zero) to whole pence."""
    pence = pounds_exact * 100
    sign = -1 if pence < 0 else 1
    return sign * int((abs(pence) * 2 + 1) // 2)


def money_text(pence: int) -> str:
    """£9,672.50; negative as -£3.00."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def parse_pounds(text: str, what: str) -> int:
    """'£1,234.56', '1234.5' or '12' as pence; refuses fractions of a penny and other text."""
    cleaned = text.strip().replace(",", "").removeprefix("£").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{what} must be an amount in pounds, such as 12.50") from None
    if not value.is_finite():
        raise ValueError(f"{what} must be an amount in pounds, such as 12.50")
    if value != value.quantize(PENNY):
        raise ValueError(f"{what} has fractions of a penny ({text.strip()})")
    return int(value * 100)


def _plain(value: Decimal, places: int = 4) -> str:
    """A Decimal without trailing zeros or exponent: 182.5, 0.0936, 1,825."""
    quantized = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    text = f"{quantized:,f}"
    return text


def _exact_money(value: Decimal) -> str:
    """Pounds with at least two places, more only when the exact figure has them: £9,672.50,
    £12.3456 (shown, not rounded, so the one rounding at the end is visible)."""
    text = _plain(value, 4)
    whole, _, part = text.partition(".")
    return f"£{whole}.{part.ljust(2, '0')}"


def check_inputs(inputs: EstimateInputs, *, has_staff_group: bool) -> list[str]:
    """Plain-word problems with an estimate's inputs: negative, absurd or missing."""
    problems: list[str] = []
    minutes, staff, occ = inputs.minutes_per_occurrence, inputs.staff_count, inputs.occurrences
    for value, what in ((minutes, "Minutes"), (staff, "Staff count"), (occ, "Occurrences")):
        if not value.is_finite():
            problems.append(f"{what} must be a number")
        elif value < 0:
            problems.append(f"{what} cannot be negative ({_plain(value)})")
    for pence, what in (
        (inputs.consumables_per_occurrence_pence, "Consumables per occurrence"),
        (inputs.other_annual_pence, "Other annual cost"),
        (inputs.hourly_cost_pence, "The staff group's hourly cost"),
    ):
        if pence < 0:
            problems.append(f"{what} cannot be negative ({money_text(pence)})")
        elif pounds(pence) > MAX_POUNDS:
            problems.append(f"{what} of {money_text(pence)} is more than £100 million; check it")
    if inputs.per not in set(Period):
        problems.append(f"'Per' must be day, week, month or year, not '{inputs.per}'")
    if not 1 <= inputs.operating_days <= 366:
        problems.append(f"The area's operating days must be 1 to 366, not {inputs.operating_days}")
    if problems:
        return problems
    if staff > MAX_STAFF_COUNT:
        problems.append(f"A staff count of {_plain(staff)} is more than {MAX_STAFF_COUNT:,}")
    daily = per_day(occ, inputs.per)
    if daily > MAX_OCCURRENCES_PER_DAY:
        problems.append(
            f"{_plain(occ)} a {inputs.per} is {_plain(daily, 1)} a day, more than "
            f"{MAX_OCCURRENCES_PER_DAY:,}; check the frequency"
        )
    if minutes > MINUTES_PER_DAY:
        problems.append(f"{_plain(minutes)} minutes is more than 24 hours for one occurrence")
    elif minutes * daily > MINUTES_PER_DAY:
        problems.append(
            f"{_plain(minutes)} minutes {_plain(occ)} times a {inputs.per} is "
            f"{_plain(minutes * daily / 60, 1)} hours a day, more than 24"
        )
    if minutes > 0 and staff == 0:
        problems.append("Staff count must be at least 1 when minutes are given")
    if minutes > 0 and not has_staff_group:
        problems.append("Choose a staff group: it gives the cost per hour")
    if inputs.hours_per_wte_year <= 0:
        problems.append("Hours per WTE year must be more than 0")
    return problems


def work_out(inputs: EstimateInputs) -> EstimateResult:
    """The annual occurrences, hours, value and WTE, exactly, with the arithmetic written out.

    Worked example (PRODUCT.md): 6 minutes, 5 a day, 365 days, one person at £53/h ->
    182.5 hours, £9,672.50, 0.0936 WTE.
    """
    factor = period_factor(inputs.per, inputs.operating_days)
    annual_occurrences = inputs.occurrences * factor
    annual_hours = inputs.minutes_per_occurrence * inputs.staff_count * annual_occurrences / 60
    rate = pounds(inputs.hourly_cost_pence)
    staff_cost = annual_hours * rate
    consumables = pounds(inputs.consumables_per_occurrence_pence) * annual_occurrences
    other = pounds(inputs.other_annual_pence)
    occurrences_exact = Fraction(inputs.occurrences) * factor
    exact = (
        Fraction(inputs.minutes_per_occurrence)
        * Fraction(inputs.staff_count)
        * occurrences_exact
        * Fraction(inputs.hourly_cost_pence, 100)
        / 60
        + Fraction(inputs.consumables_per_occurrence_pence, 100) * occurrences_exact
        + Fraction(inputs.other_annual_pence, 100)
    )
    value_pence = round_fraction_to_pence(exact)
    wte = annual_hours / inputs.hours_per_wte_year
    basis = {
        Period.DAY: f"{inputs.operating_days} operating days",
        Period.WEEK: "52 weeks",
        Period.MONTH: "12 months",
        Period.YEAR: "1 year",
    }[Period(inputs.per)]
    working = [
        f"Occurrences a year: {_plain(inputs.occurrences)} a {inputs.per} × {basis} "
        f"= {_plain(annual_occurrences)}",
        f"Hours a year: {_plain(inputs.minutes_per_occurrence)} min × "
        f"{_plain(inputs.staff_count)} staff × {_plain(annual_occurrences)} ÷ 60 "
        f"= {_plain(annual_hours)} h",
        f"Staff cost: {_plain(annual_hours)} h × {money_text(inputs.hourly_cost_pence)}/h "
        f"= {_exact_money(staff_cost)}",
    ]
    if inputs.consumables_per_occurrence_pence:
        working.append(
            f"Consumables: {money_text(inputs.consumables_per_occurrence_pence)} × "
            f"{_plain(annual_occurrences)} = {_exact_money(consumables)}"
        )
    if inputs.other_annual_pence:
        working.append(f"Other annual cost: {money_text(inputs.other_annual_pence)}")
    working.append(f"Annual value: {money_text(value_pence)} (rounded half up to the penny, once)")
    working.append(
        f"WTE: {_plain(annual_hours)} h ÷ {_plain(inputs.hours_per_wte_year)} h a year "
        f"= {_plain(wte)} WTE"
    )
    return EstimateResult(
        annual_occurrences=annual_occurrences,
        annual_hours=annual_hours,
        staff_cost_pounds=staff_cost,
        consumables_pounds=consumables,
        other_pounds=other,
        annual_value_exact=exact,
        annual_value_pence=value_pence,
        wte=wte,
        working=tuple(working),
    )
