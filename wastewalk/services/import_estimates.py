"""The optional estimate columns of ``wastewalk import observations``: read, checked, saved.

A row with any estimate cell prices its observation's waste (the opportunity). Each cell is read
on its own first (numbers, pounds, Y/N), then the row as a whole against the staff rates and the
costing rules (`domain.costing.check_inputs`), so every refusal names its row and column before
anything is written. Saving goes through `estimates.save_estimate`, in the importer's transaction.

An estimate's id is derived from its observation's, so two laptops importing the same sheet make
the same estimate; an observation that already has, or once had, an estimate keeps it (an
estimate made, edited or cleared in WasteWalk is never overwritten by a sheet).
"""

from __future__ import annotations

import difflib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from wastewalk.domain.costing import (
    EstimateInputs,
    EstimateKind,
    Period,
    check_inputs,
    parse_pounds,
)
from wastewalk.domain.errors import InputError
from wastewalk.domain.observation_rules import MAX_TEXT_LENGTH, check_text
from wastewalk.models import Estimate, Observation, StaffRate
from wastewalk.services.csv_input import CellError, Problems, parse_choice, shown
from wastewalk.services.estimates import EstimateInput, save_estimate
from wastewalk.services.staff_rates import hours_per_wte_in

logger = logging.getLogger(__name__)

T = TypeVar("T")

ESTIMATE_COLUMNS = (
    "minutes",
    "staff_count",
    "staff_group",
    "occurrences",
    "per",
    "consumables_gbp",
    "other_annual_gbp",
    "cash_releasing",
    "recurrent",
    "basis",
)
# Fixed forever: changing it would make a re-import of an earlier sheet add its estimates again.
_ESTIMATE_NAMESPACE = uuid.UUID("5d2e8c41-7b3a-4f09-a6e2-1c9d0b7f3e03")
_IN_CHUNK = 500  # ids per IN (...) query, well under any database's parameter limit
_CODES_LISTED = 8


@dataclass(frozen=True)
class EstimateCells:
    """A row's estimate cells, each valid on its own; the staff group is still a code."""

    minutes: Decimal
    staff_count: Decimal
    staff_group: str
    occurrences: Decimal
    per: str
    consumables_pence: int
    other_annual_pence: int
    cash_releasing: bool
    recurrent: bool
    basis: str


@dataclass(frozen=True)
class ToPrice:
    """A valid row with an estimate, and the operating days of the area it names."""

    row: int
    cells: EstimateCells
    operating_days: int


@dataclass(frozen=True)
class ToSave:
    """A checked estimate for an observation (new, or imported before)."""

    row: int
    observation_id: uuid.UUID
    data: EstimateInput
    operating_days: int


@dataclass(frozen=True)
class _QuantityParser:
    """A quantity such as 6 or 2.5: not negative, at most `places` decimal places."""

    what: str
    places: int

    def __call__(self, text: str) -> Decimal:
        cleaned = text.strip().replace(",", "")
        try:
            value = Decimal(cleaned) if len(cleaned) <= 20 else Decimal("NaN")
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise CellError(f"{self.what} must be a number such as 6 or 2.5, not {shown(text)}")
        if value < 0:
            raise CellError(f"{self.what} cannot be negative ({cleaned})")
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            raise CellError(
                f"{self.what} can have at most {self.places} decimal places ({cleaned})"
            )
        return value


@dataclass(frozen=True)
class _MoneyParser:
    """An amount in pounds such as 12.50, £1,234.50 or 3: whole pence, not negative."""

    what: str

    def __call__(self, text: str) -> int:
        try:
            pence = parse_pounds(text, self.what)
        except ValueError as exc:
            raise CellError(str(exc)) from None
        if pence < 0:
            raise CellError(f"{self.what} cannot be negative ({text.strip()})")
        return pence


def _yes_no(text: str) -> bool:
    cleaned = text.strip().casefold()
    if cleaned in ("y", "yes"):
        return True
    if cleaned in ("n", "no"):
        return False
    raise CellError(f"use Y or N, not {shown(text)}")


def read_estimate(row: int, cells: dict[str, str], problems: Problems) -> EstimateCells | None:
    """The row's estimate, or None when every estimate cell is blank or a cell is wrong (the
    problems are recorded with their row and column)."""
    given = {column for column in ESTIMATE_COLUMNS if cells.get(column, "").strip()}
    if not given:
        return None
    before = len(problems)

    def cell(column: str, parse: Callable[[str], T]) -> T | None:
        return problems.cell(row, column, cells.get(column, ""), parse)

    minutes = cell("minutes", _QuantityParser("Minutes", 2))
    staff_count = cell("staff_count", _QuantityParser("Staff count", 2))
    occurrences = cell("occurrences", _QuantityParser("Occurrences", 3))
    per = cell("per", parse_choice(tuple(Period)))
    consumables = cell("consumables_gbp", _MoneyParser("Consumables per occurrence"))
    other = cell("other_annual_gbp", _MoneyParser("Other annual cost"))
    cash = cell("cash_releasing", _yes_no)
    recurrent = cell("recurrent", _yes_no)
    staff_group = cells.get("staff_group", "").strip()
    basis = cells.get("basis", "").strip()
    for column, what in (("occurrences", "how many times"), ("per", "day, week, month or year")):
        if column not in given:
            problems.add(f"{column} is required with an estimate ({what})", row, column)
    if not {"minutes", "consumables_gbp", "other_annual_gbp"} & given:
        problems.add(
            "an estimate needs minutes (or consumables_gbp or other_annual_gbp)", row, "minutes"
        )
    if minutes and not staff_group:
        problems.add(
            "staff_group is required with minutes: the staff-rate code that gives the cost per "
            "hour, such as nurse-band-5",
            row,
            "staff_group",
        )
    basis_problem = check_text(basis, "Basis", required=bool(cash), limit=MAX_TEXT_LENGTH)
    if cash and not basis:
        basis_problem = "a cash-releasing saving needs a written basis: what budget falls, and how"
    if basis_problem:
        problems.add(basis_problem, row, "basis")
    if len(problems) > before or occurrences is None or per is None:
        return None
    return EstimateCells(
        minutes=minutes or Decimal(0),
        staff_count=Decimal(1) if staff_count is None else staff_count,
        staff_group=staff_group,
        occurrences=occurrences,
        per=per,
        consumables_pence=consumables or 0,
        other_annual_pence=other or 0,
        cash_releasing=bool(cash),
        recurrent=True if recurrent is None else recurrent,
        basis=basis,
    )


def price_estimates(
    session: Session, wanted: Sequence[ToPrice], problems: Problems
) -> dict[int, EstimateInput]:
    """Each row's estimate, by row number, with its staff group found and the costing rules
    applied (negative, absurd or incomplete inputs are problems naming row and column)."""
    ordered = session.scalars(select(StaffRate).order_by(StaffRate.sort_order, StaffRate.code))
    rates = {rate.code.casefold(): rate for rate in ordered}
    live = [rate.code for rate in rates.values() if rate.archived_at is None]
    hours_per_wte = hours_per_wte_in(session)
    priced: dict[int, EstimateInput] = {}
    for item in wanted:
        if problems.full:
            break
        cells = item.cells
        rate = _staff_rate(item.row, cells.staff_group, rates, live, problems)
        if rate is None and cells.staff_group:
            continue
        inputs = EstimateInputs(
            minutes_per_occurrence=cells.minutes,
            staff_count=cells.staff_count,
            hourly_cost_pence=rate.cost_per_hour_pence if rate else 0,
            occurrences=cells.occurrences,
            per=Period(cells.per),
            operating_days=item.operating_days,
            consumables_per_occurrence_pence=cells.consumables_pence,
            other_annual_pence=cells.other_annual_pence,
            hours_per_wte_year=hours_per_wte,
        )
        refusals = check_inputs(inputs, has_staff_group=rate is not None)
        for message in refusals:
            problems.add(message, item.row, column_of(message))
        if not refusals:
            priced[item.row] = EstimateInput(
                minutes=cells.minutes,
                staff_count=cells.staff_count,
                staff_rate_id=rate.id if rate else None,
                occurrences=cells.occurrences,
                per=cells.per,
                consumables_pence=cells.consumables_pence,
                other_annual_pence=cells.other_annual_pence,
                cash_releasing=cells.cash_releasing,
                recurrent=cells.recurrent,
                basis=cells.basis,
            )
    return priced


def _staff_rate(
    row: int, code: str, rates: dict[str, StaffRate], live: list[str], problems: Problems
) -> StaffRate | None:
    """The live staff rate a row's code names, or None (blank, or a problem is recorded)."""
    if not code:
        return None
    rate = rates.get(code.casefold())
    if rate is not None and rate.archived_at is None:
        return rate
    listed = ", ".join(live[:_CODES_LISTED]) + (", …" if len(live) > _CODES_LISTED else "")
    if rate is None:
        close = difflib.get_close_matches(code.casefold(), list(rates), n=1, cutoff=0.75)
        hint = f" (did you mean {shown(rates[close[0]].code)}?)" if close else ""
        message = f"unknown staff_group {shown(code)}{hint}; use a staff-rate code such as {listed}"
    else:
        message = f"the staff rate {shown(rate.code)} is archived; use a current one ({listed})"
    problems.add(message + " (see Organisation & settings › Staff rates)", row, "staff_group")
    return None


# Which column each refusal of domain.costing.check_inputs is about: the first match wins, so the
# combined limits (hours a day, occurrences a day) come before the single-input words.
_REFUSAL_COLUMNS = (
    ("24 hours", "minutes"),
    ("more than 24", "minutes"),
    ("a day, more than", "occurrences"),
    ("Minutes", "minutes"),
    ("Occurrences", "occurrences"),
    ("Staff count", "staff_count"),
    ("staff count", "staff_count"),
    ("Consumables", "consumables_gbp"),
    ("Other annual", "other_annual_gbp"),
    ("staff group", "staff_group"),
    ("'Per'", "per"),
    ("operating days", "area"),
    ("basis", "basis"),
)


def column_of(message: str) -> str | None:
    """The import column a costing refusal is about (None when it is about no one column)."""
    return next((column for words, column in _REFUSAL_COLUMNS if words in message), None)


def save_imported_estimates(
    session: Session, device_id: str, to_save: Sequence[ToSave], problems: Problems
) -> int:
    """Save each estimate on its observation unless that observation already has (or had) an
    estimate or was deleted; returns how many were saved. Refusals become problems."""
    taken = _observations_with_estimates(session, [item.observation_id for item in to_save])
    created = 0
    for item in to_save:
        if item.observation_id in taken:
            continue
        try:
            estimate = save_estimate(
                session,
                device_id,
                kind=EstimateKind.OPPORTUNITY,
                data=item.data,
                operating_days=item.operating_days,
                observation_id=item.observation_id,
            )
        except InputError as exc:  # checked already, so not expected; still refused, not a crash
            for message in str(exc).split("; "):
                problems.add(message, item.row, column_of(message))
            continue
        # Derived from the observation's id, so two laptops importing the same sheet make the
        # same estimate and their packs merge without counting it twice.
        estimate.id = uuid.uuid5(_ESTIMATE_NAMESPACE, str(item.observation_id))
        created += 1
    session.flush()
    return created


def _observations_with_estimates(
    session: Session, observation_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `observation_ids` that are deleted or have ever had an opportunity estimate."""
    taken: set[uuid.UUID] = set()
    for start in range(0, len(observation_ids), _IN_CHUNK):
        chunk = observation_ids[start : start + _IN_CHUNK]
        taken.update(
            observation_id
            for observation_id in session.scalars(
                select(Estimate.observation_id).where(
                    Estimate.observation_id.in_(chunk), Estimate.kind == EstimateKind.OPPORTUNITY
                )
            )
            if observation_id is not None
        )
        taken.update(
            session.scalars(
                select(Observation.id).where(
                    Observation.id.in_(chunk), Observation.deleted_at.is_not(None)
                )
            )
        )
    return taken
