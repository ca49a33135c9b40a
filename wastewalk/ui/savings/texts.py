"""The words and number formats of the Savings section, in one place."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from wastewalk.domain.costing import EstimateInputs, Period, money_text, work_out
from wastewalk.domain.uk_time import UK
from wastewalk.services.actions import STATUS_WORDS, ActionStatus
from wastewalk.services.savings import EstimateLine
from wastewalk.ui.timefmt import DAYS, MONTHS

MEASURE_WORDS = {
    "opportunity": "Opportunity",
    "expected": "Estimated saving",
    "validated": "Validated saving",
}
MEASURES = tuple(MEASURE_WORDS)
CASH_WORDS = {True: "cash-releasing", False: "non-cash-releasing", None: "cash and non-cash"}
PER_WORDS = {"day": "a day", "week": "a week", "month": "a month", "year": "a year"}


def footnote(hours_per_wte: Decimal) -> str:
    """The basis of every figure in the roll-up, stated under the table."""
    return (
        "Annual values. Cash-releasing means a budget really falls (posts, bank or agency "
        "shifts, overtime or stock removed); non-cash-releasing is time released to care. "
        "Totals are sums of estimates. "
        f"WTE at {number(hours_per_wte, 0)} h a year. "
        "An opportunity counts on the day it was seen, an estimated saving on the day its action "
        "was made, a validated saving on the day it was validated, and only while it is locked."
    )


def aware(when: dt.datetime) -> dt.datetime:
    """A time read from a raw SQL column may come back naive; it is UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def day_text(day: dt.date, weekday: bool = False) -> str:
    """'1 Apr 2025' (or 'Tue 1 Apr 2025'), in English whatever the laptop's language."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{DAYS[day.weekday()]} {text}" if weekday else text


def uk_date_of(when: dt.datetime) -> str:
    """'24 Nov 2026': the UK calendar day of a stored time."""
    return day_text(aware(when).astimezone(UK).date())


def money(pence: int) -> str:
    return money_text(pence)


def number(value: Decimal, places: int) -> str:
    """1,234.5 style, rounded half up to `places`."""
    step = Decimal(1).scaleb(-places)
    return f"{value.quantize(step, rounding=ROUND_HALF_UP):,.{places}f}"


def hours_text(hours: Decimal) -> str:
    return number(hours, 1)


def wte_text(wte: Decimal) -> str:
    return number(wte, 2)


def status_text(status: str) -> str:
    return STATUS_WORDS.get(ActionStatus(status), status) if status in set(ActionStatus) else status


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def inputs_text(line: EstimateLine) -> str:
    """'6 min × 1 staff × 5 a day' and any consumables or other cost."""
    minutes = Decimal(line.minutes_centi) / 100
    staff = Decimal(line.staff_count_centi) / 100
    occurrences = Decimal(line.occurrences_milli) / 1000
    text = (
        f"{_plain(minutes)} min × {_plain(staff)} staff × {_plain(occurrences)} "
        f"{PER_WORDS.get(line.per, line.per)}"
    )
    if line.per == Period.DAY:
        text += f" ({line.operating_days} days)"
    if line.consumables_pence:
        text += f" + {money(line.consumables_pence)} each"
    if line.other_annual_pence:
        text += f" + {money(line.other_annual_pence)} a year"
    return text


def rate_text(line: EstimateLine) -> str:
    """'£53.00/h (nurse-band-5)'."""
    if not line.rate_code:
        return "no staff group"
    return f"{money(line.rate_pence)}/h ({line.rate_code})"


def class_text(cash_releasing: bool, recurrent: bool) -> str:
    cash = "Cash" if cash_releasing else "Non-cash"
    return f"{cash}, {'recurrent' if recurrent else 'one-off'}"


def working_text(line: EstimateLine) -> str:
    """The estimate's arithmetic, worked again from its own stored inputs, for a tooltip."""
    result = work_out(
        EstimateInputs(
            minutes_per_occurrence=Decimal(line.minutes_centi) / 100,
            staff_count=Decimal(line.staff_count_centi) / 100,
            hourly_cost_pence=line.rate_pence,
            occurrences=Decimal(line.occurrences_milli) / 1000,
            per=Period(line.per),
            operating_days=line.operating_days,
            consumables_per_occurrence_pence=line.consumables_pence,
            other_annual_pence=line.other_annual_pence,
            hours_per_wte_year=Decimal(line.hours_per_wte_centi) / 100,
        )
    )
    rate = (
        f"Rate: {line.rate_label}, {money(line.rate_pence)} an hour ({line.rate_source}, "
        f"{line.rate_year})"
        if line.rate_code
        else "Rate: no staff group"
    )
    basis = f"Basis: {line.basis}" if line.basis else "Basis: none written"
    return "\n".join([*result.working, rate, basis])
