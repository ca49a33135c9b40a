"""Costing against the published worked example, each period factor, rounding, and refusals."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wastewalk.domain.costing import (
    EstimateInputs,
    Period,
    check_inputs,
    money_text,
    parse_pounds,
    period_factor,
    round_to_pence,
    work_out,
)


def inputs(**changes: object) -> EstimateInputs:
    base = {
        "minutes_per_occurrence": D(6),
        "staff_count": D(1),
        "hourly_cost_pence": 5300,
        "occurrences": D(5),
        "per": Period.DAY,
        "operating_days": 365,
    }
    return EstimateInputs(**{**base, **changes})  # type: ignore[arg-type]


def test_the_worked_example() -> None:
    result = work_out(inputs())
    assert result.annual_occurrences == 1825
    assert result.annual_hours == D("182.5")
    assert result.annual_value_pence == 967250
    assert money_text(result.annual_value_pence) == "£9,672.50"
    assert round(result.wte, 4) == D("0.0936")
    assert result.working[-2] == "Annual value: £9,672.50 (rounded half up to the penny, once)"
    assert "182.5 h × £53.00/h = £9,672.50" in result.working[2]


@pytest.mark.parametrize(
    ("per", "days", "factor"),
    [
        (Period.DAY, 365, 365),
        (Period.DAY, 253, 253),
        (Period.WEEK, 365, 52),
        (Period.MONTH, 253, 12),
        (Period.YEAR, 365, 1),
    ],
)
def test_each_period_factor(per: Period, days: int, factor: int) -> None:
    assert period_factor(per, days) == factor
    result = work_out(inputs(per=per, operating_days=days, occurrences=D(2)))
    assert result.annual_occurrences == 2 * factor


def test_a_clinic_counts_its_operating_days() -> None:
    ward = work_out(inputs())
    clinic = work_out(inputs(operating_days=253))
    assert clinic.annual_hours == D("126.5")
    assert clinic.annual_value_pence == 670450
    assert ward.annual_value_pence > clinic.annual_value_pence


def test_consumables_and_other_costs_are_added() -> None:
    result = work_out(inputs(consumables_per_occurrence_pence=125, other_annual_pence=50000))
    assert result.annual_value_pence == 967250 + 125 * 1825 + 50000


def test_rounded_once_half_up_at_the_end() -> None:
    # 1 minute x 1 x 1 a year at £0.03/h = £0.0005 -> rounds half up to £0.00 ... and 0.005 to 0.01
    assert round_to_pence(D("0.005")) == 1
    assert round_to_pence(D("0.0049")) == 0
    assert round_to_pence(D("2.675")) == 268  # binary floating point would give 2.67
    # Three staff-cost pieces that each round down but together round up: rounded once, at the end.
    result = work_out(
        inputs(
            minutes_per_occurrence=D(1),
            occurrences=D(1),
            per=Period.YEAR,
            hourly_cost_pence=30,  # £0.30/h: one minute costs £0.005
            consumables_per_occurrence_pence=0,
        )
    )
    assert result.annual_value_exact == Fraction(5, 1000)
    assert result.annual_value_pence == 1


def test_wte_uses_the_setting() -> None:
    result = work_out(inputs(hours_per_wte_year=D("1950")))
    assert result.wte == D("182.5") / D("1950")
    assert work_out(inputs(hours_per_wte_year=D("1500"))).wte == D("182.5") / D("1500")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"minutes_per_occurrence": D(-1)}, "Minutes cannot be negative"),
        ({"staff_count": D(-2)}, "Staff count cannot be negative"),
        ({"occurrences": D(-5)}, "Occurrences cannot be negative"),
        ({"consumables_per_occurrence_pence": -1}, "Consumables per occurrence cannot be negative"),
        ({"other_annual_pence": -100}, "Other annual cost cannot be negative"),
        ({"minutes_per_occurrence": D(1441)}, "more than 24 hours for one occurrence"),
        ({"minutes_per_occurrence": D(300)}, "25 hours a day, more than 24"),
        ({"occurrences": D(10_001)}, "more than 10,000"),
        ({"occurrences": D(70_008), "per": Period.WEEK}, "more than 10,000"),
        ({"staff_count": D(0)}, "Staff count must be at least 1"),
        ({"staff_count": D(1001)}, "more than 1,000"),
        ({"other_annual_pence": 10_000_000_001}, "more than £100 million"),
    ],
)
def test_negative_and_absurd_inputs_are_refused(changes: dict[str, object], words: str) -> None:
    problems = check_inputs(inputs(**changes), has_staff_group=True)
    assert any(words in p for p in problems), problems


def test_a_missing_staff_group_is_refused_when_minutes_are_given() -> None:
    assert any("staff group" in p for p in check_inputs(inputs(), has_staff_group=False))
    consumables_only = inputs(minutes_per_occurrence=D(0), consumables_per_occurrence_pence=300)
    assert check_inputs(consumables_only, has_staff_group=False) == []


def test_the_example_passes_the_checks() -> None:
    assert check_inputs(inputs(), has_staff_group=True) == []


@pytest.mark.parametrize(
    ("text", "pence"), [("£1,234.56", 123456), ("12", 1200), (" 0.5 ", 50), ("£0", 0)]
)
def test_parse_pounds(text: str, pence: int) -> None:
    assert parse_pounds(text, "Amount") == pence


@pytest.mark.parametrize("text", ["1.234", "abc", "=1+1", "NaN", "Infinity", ""])
def test_parse_pounds_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="Amount"):
        parse_pounds(text, "Amount")


def test_money_text() -> None:
    assert money_text(0) == "£0.00"
    assert money_text(123456789) == "£1,234,567.89"
    assert money_text(-300) == "-£3.00"


@given(
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=0, max_value=20_000),
    st.integers(min_value=0, max_value=50),
    st.sampled_from(list(Period)),
)
def test_value_is_the_exact_sum_rounded_once(
    minutes: int, staff: int, pence_per_hour: int, occurrences: int, per: Period
) -> None:
    result = work_out(
        inputs(
            minutes_per_occurrence=D(minutes) / 4,
            staff_count=D(staff),
            hourly_cost_pence=pence_per_hour,
            occurrences=D(occurrences),
            per=per,
        )
    )
    exact = result.annual_value_exact
    staff = Fraction(minutes, 4) * staff * occurrences * period_factor(per, 365)
    assert exact == staff * Fraction(pence_per_hour, 100) / 60
    assert abs(Fraction(result.annual_value_pence, 100) - exact) <= Fraction(1, 200)
    assert abs(D(result.annual_value_pence) / 100 - (result.staff_cost_pounds)) <= D("0.0051")


def test_an_exact_half_penny_rounds_up() -> None:
    # 2 minutes at £0.15/h is exactly £0.005: no decimal of 2 / 60 is exact, the fraction is.
    result = work_out(
        inputs(minutes_per_occurrence=D(2), occurrences=D(1), per=Period.YEAR, hourly_cost_pence=15)
    )
    assert result.annual_value_exact == Fraction(1, 200)
    assert result.annual_value_pence == 1
