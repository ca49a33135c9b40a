"""Savings as CSV: by area, by CSU, and every estimate behind them (``wastewalk export csv``).

Three files, written together or not at all (see csv_writer):

- ``savings_by_area.csv``: one row per area with a counting estimate; ids and names to join on;
  opportunity, estimated saving and validated saving, each cash-releasing and non-cash-releasing,
  in pounds a year (two decimals, numbers without £), with annual hours and WTE. No total row: a
  spreadsheet sums the column, and the areas add up to the CSUs to the penny.
- ``savings_by_csu.csv``: the same, one row per CSU.
- ``estimates.csv``: every counting estimate with its inputs, the rate it was priced with and its
  results, so any figure can be checked by hand.

The figures come from services.savings (rollup) and services.estimate_rows (the query behind
estimate_lines), so they are the Savings section's figures. estimates.csv is streamed: a trust's
quarter of a million estimates are never all in memory. The column dictionary is docs/csv.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from wastewalk.domain.nhs_number import redact_nhs_numbers
from wastewalk.domain.progress import Progress
from wastewalk.export.csv_writer import Cell, CsvTable, safe_text, write_csv_files
from wastewalk.export.rows_csv import YES_NO, Tally, fixed
from wastewalk.services.data_filter import resolve_filter
from wastewalk.services.estimate_rows import estimate_query, estimate_rows
from wastewalk.services.organisation import list_areas
from wastewalk.services.savings import (
    Figures,
    Rollup,
    RollupBy,
    SavingsFilter,
    rollup,
)
from wastewalk.services.stored_values import Times, count_rows, id_text, id_text_or_blank
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

BY_AREA, BY_CSU, ESTIMATES = "savings_by_area.csv", "savings_by_csu.csv", "estimates.csv"
WTE_PLACES = HOURS_PLACES = Decimal("0.0001")
# The three measures as the files name them, with the services' names.
MEASURES = (
    ("opportunity", "opportunity"),
    ("estimated_saving", "expected"),
    ("validated_saving", "validated"),
)
FIGURE_COLUMNS = tuple(
    f"{word}_{part}"
    for word, _ in MEASURES
    for part in ("cash_releasing_gbp", "non_cash_releasing_gbp", "gbp", "hours", "wte")
)
BY_AREA_HEADER = ("area_id", "area", "csu_id", "csu", "estimates", *FIGURE_COLUMNS)
BY_CSU_HEADER = ("csu_id", "csu", "estimates", *FIGURE_COLUMNS)
ESTIMATES_HEADER = (
    "estimate_id",
    "measure",
    "counted_on",
    "area_id",
    "area",
    "csu_id",
    "csu",
    "waste",
    "observation_id",
    "action_id",
    "description",
    "minutes",
    "staff_count",
    "staff_group",
    "staff_group_label",
    "rate_gbp_per_hour",
    "rate_source",
    "rate_year",
    "occurrences",
    "per",
    "operating_days",
    "consumables_gbp",
    "other_annual_gbp",
    "cash_releasing",
    "recurrent",
    "basis",
    "annual_hours",
    "annual_value_gbp",
    "hours_per_wte_year",
    "wte",
    "priced_at",
)
# estimates.csv names the measures as the other two files do.
MEASURE_WORDS = {service: word for word, service in MEASURES}


@dataclass(frozen=True)
class SavingsExport:
    """What was written: the files, how many rows each has, and the total of the figures."""

    files: tuple[Path, ...]
    areas: int
    csus: int
    estimates: int
    total: Figures


@dataclass(frozen=True)
class SavingsTables:
    """The three savings tables, ready to write with other files, and the roll-ups behind them."""

    tables: dict[str, CsvTable]
    by_area: Rollup
    by_csu: Rollup


def gbp(pence: int) -> Decimal:
    """Pence as pounds with exactly two decimals: 967250 -> 9672.50."""
    return Decimal(pence).scaleb(-2)


def hours(hours_e4: int) -> Decimal:
    """Stored ten-thousandths of an hour as hours, exactly: 1825000 -> 182.5000."""
    return Decimal(hours_e4).scaleb(-4)


def savings_filter(
    db: Database,
    *,
    csu: str | None = None,
    area: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> SavingsFilter:
    """The filter for names as typed (see services.data_filter.resolve_filter)."""
    return resolve_filter(db, csu=csu, area=area, date_from=date_from, date_to=date_to)


def export_savings_csv(
    db: Database,
    folder: Path,
    flt: SavingsFilter | None = None,
    progress: Progress | None = None,
) -> SavingsExport:
    """Write savings_by_area.csv, savings_by_csu.csv and estimates.csv into `folder`.

    All three or none: an unwritable folder or a full disk is an ExportError and leaves nothing
    half-written. Existing files of the same names are replaced.
    """
    flt = flt or SavingsFilter()
    tally = Tally(progress, (BY_AREA, BY_CSU, ESTIMATES))
    with db.session() as session:
        made = savings_tables(db, session, flt, tally)
        files = write_csv_files(folder, made.tables)
    return SavingsExport(
        files=tuple(files),
        areas=len(made.by_area.rows),
        csus=len(made.by_csu.rows),
        estimates=tally.rows.get(ESTIMATES, 0),
        total=made.by_area.total,
    )


def savings_tables(
    db: Database, session: Session, flt: SavingsFilter, tally: Tally
) -> SavingsTables:
    """The three savings files' tables (estimates.csv streamed from `session` as it is written)."""
    by_area = rollup(db, RollupBy.AREA, flt)
    by_csu = rollup(db, RollupBy.CSU, flt)
    csu_of_area = {a.id.hex: a.csu_id for a in list_areas(db, include_archived=True)}
    area_rows = tally.counted(BY_AREA, _area_rows(by_area, csu_of_area))
    csu_rows = tally.counted(BY_CSU, _csu_rows(by_csu))
    tables = {
        BY_AREA: CsvTable(BY_AREA_HEADER, area_rows),
        BY_CSU: CsvTable(BY_CSU_HEADER, csu_rows),
        ESTIMATES: estimates_table(session, flt, tally),
    }
    return SavingsTables(tables=tables, by_area=by_area, by_csu=by_csu)


def estimates_table(session: Session, flt: SavingsFilter, tally: Tally) -> CsvTable:
    """estimates.csv for the filter, streamed from `session` as it is written. Suspected NHS
    numbers nobody has redacted or confirmed are taken out of the descriptions."""
    rows = _estimate_rows(session, flt, tally)
    counted = tally.counted(ESTIMATES, rows, lambda: count_rows(session, estimate_query(flt)))
    return CsvTable(ESTIMATES_HEADER, counted, prepared=True)


def _figure_cells(figures: Figures, table: Rollup) -> list[Cell]:
    cells: list[Cell] = []
    for _, measure in MEASURES:
        cash = getattr(figures, f"{measure}_cash")
        non_cash = getattr(figures, f"{measure}_non_cash")
        measure_hours = figures.hours(measure)  # exact: a sum of ten-thousandths of an hour
        wte = table.wte(measure_hours).quantize(WTE_PLACES, rounding=ROUND_HALF_UP)
        cells += [
            gbp(cash),
            gbp(non_cash),
            gbp(cash + non_cash),
            measure_hours.quantize(HOURS_PLACES),
            wte,
        ]
    return cells


def _area_rows(table: Rollup, csu_of_area: dict[str, uuid.UUID]) -> Iterator[list[Cell]]:
    for row in table.rows:
        area_id = uuid.UUID(hex=row.key)
        csu_id = csu_of_area.get(row.key)
        yield [
            str(area_id),
            row.label,
            str(csu_id) if csu_id else "",
            row.csu_name,
            row.figures.estimates,
            *_figure_cells(row.figures, table),
        ]


def _csu_rows(table: Rollup) -> Iterator[list[Cell]]:
    for row in table.rows:
        yield [
            str(uuid.UUID(hex=row.key)),
            row.label,
            row.figures.estimates,
            *_figure_cells(row.figures, table),
        ]


def _wte_e4(hours_e4: int, hours_per_wte_centi: int) -> int:
    """WTE in ten-thousandths, rounded half up once: (hours_e4 / 10^4) / (centi / 100)."""
    if hours_per_wte_centi <= 0:
        return 0
    return (200 * hours_e4 + hours_per_wte_centi) // (2 * hours_per_wte_centi)


def _estimate_rows(
    session: Session, flt: SavingsFilter, tally: Tally
) -> Iterator[tuple[Cell, ...]]:
    # Whole-number arithmetic and fixed-point text throughout: exact, and several times faster
    # than Decimal at a quarter of a million rows. Cells that repeat row after row (the place,
    # the rate, small quantities) are worked out once and looked up after.
    times = Times()
    safe = safe_text
    redacted = 0
    places: dict[object, tuple[str, str, str, str]] = {}
    rates: dict[tuple[object, ...], tuple[str, str, str, str, str]] = {}
    wastes: dict[str, str] = {}
    hundredths: dict[int, str] = {}
    thousandths: dict[int, str] = {}
    for row in estimate_rows(session, flt):
        (estimate_id, measure, cash, recurrent, pence, hours_e4, area_id, area, csu_id, csu,
         waste, day, observation_id, action_id, description, basis, rate_code, rate_label,
         rate_pence, rate_source, rate_year, minutes, staff, occurrences, per, operating_days,
         consumables, other, hours_per_wte, priced_at, review) = row  # fmt: skip
        if review:
            redacted += 1
            description = redact_nhs_numbers(description)
        place = places.get(area_id)
        if place is None:
            place = places[area_id] = (id_text(area_id), safe(area), id_text(csu_id), safe(csu))
        rate_key = (rate_code, rate_label, rate_pence, rate_source, rate_year)
        rate = rates.get(rate_key)
        if rate is None:
            rate = rates[rate_key] = (
                safe(rate_code),
                safe(rate_label),
                fixed(rate_pence, 2),
                safe(rate_source),
                safe(rate_year),
            )
        yield (
            id_text(estimate_id),
            MEASURE_WORDS.get(measure, measure),
            times.uk_day(day),
            place[0],
            place[1],
            place[2],
            place[3],
            wastes.get(waste) or wastes.setdefault(waste, safe(waste)),
            id_text_or_blank(observation_id),
            id_text_or_blank(action_id),
            safe(description),
            hundredths.get(minutes) or hundredths.setdefault(minutes, fixed(minutes, 2)),
            hundredths.get(staff) or hundredths.setdefault(staff, fixed(staff, 2)),
            rate[0],
            rate[1],
            rate[2],
            rate[3],
            rate[4],
            thousandths.get(occurrences)
            or thousandths.setdefault(occurrences, fixed(occurrences, 3)),
            per,
            operating_days,
            hundredths.get(consumables)
            or hundredths.setdefault(consumables, fixed(consumables, 2)),
            hundredths.get(other) or hundredths.setdefault(other, fixed(other, 2)),
            YES_NO[cash],
            YES_NO[recurrent],
            safe(basis),
            fixed(hours_e4, 4),
            fixed(pence, 2),
            hundredths.get(hours_per_wte)
            or hundredths.setdefault(hours_per_wte, fixed(hours_per_wte, 2)),
            fixed(_wte_e4(hours_e4, hours_per_wte), 4),
            times.utc_text(priced_at),
        )
    tally.redacted[ESTIMATES] = redacted
