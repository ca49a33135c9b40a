"""Savings as CSV: by area, by CSU, and every estimate behind them (``wastewalk export csv``).

Three files, written together or not at all (see csv_writer):

- ``savings_by_area.csv``: one row per area with a counting estimate; ids and names to join on;
  opportunity, estimated saving and validated saving, each cash-releasing and non-cash-releasing,
  in pounds a year (two decimals, numbers without £), with annual hours and WTE. No total row: a
  spreadsheet sums the column, and the areas add up to the CSUs to the penny.
- ``savings_by_csu.csv``: the same, one row per CSU.
- ``estimates.csv``: every counting estimate with its inputs, the rate it was priced with and its
  results, so any figure can be checked by hand.

The figures come from services.savings (rollup and estimate_lines), so they are the Savings
section's figures. The column dictionary is docs/csv.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from wastewalk.domain.uk_time import UK
from wastewalk.export.csv_writer import Cell, CsvTable, write_csv_files
from wastewalk.services.data_filter import resolve_filter
from wastewalk.services.organisation import list_areas
from wastewalk.services.savings import (
    EstimateLine,
    Figures,
    Rollup,
    RollupBy,
    SavingsFilter,
    estimate_lines,
    rollup,
)
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
    db: Database, folder: Path, flt: SavingsFilter | None = None
) -> SavingsExport:
    """Write savings_by_area.csv, savings_by_csu.csv and estimates.csv into `folder`.

    All three or none: an unwritable folder or a full disk is an ExportError and leaves nothing
    half-written. Existing files of the same names are replaced.
    """
    flt = flt or SavingsFilter()
    by_area = rollup(db, RollupBy.AREA, flt)
    by_csu = rollup(db, RollupBy.CSU, flt)
    lines = estimate_lines(db, flt)
    csu_of_area = {a.id.hex: a.csu_id for a in list_areas(db, include_archived=True)}
    files = write_csv_files(
        folder,
        {
            BY_AREA: CsvTable(BY_AREA_HEADER, _area_rows(by_area, csu_of_area)),
            BY_CSU: CsvTable(BY_CSU_HEADER, _csu_rows(by_csu)),
            ESTIMATES: CsvTable(ESTIMATES_HEADER, _estimate_rows(lines)),
        },
    )
    return SavingsExport(
        files=tuple(files),
        areas=len(by_area.rows),
        csus=len(by_csu.rows),
        estimates=len(lines),
        total=by_area.total,
    )


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


def _estimate_rows(lines: Sequence[EstimateLine]) -> Iterator[list[Cell]]:
    for line in lines:
        hours_per_wte = Decimal(line.hours_per_wte_centi).scaleb(-2)
        annual_hours = hours(line.annual_hours_e4)
        wte = (annual_hours / hours_per_wte).quantize(WTE_PLACES, rounding=ROUND_HALF_UP)
        yield [
            str(line.estimate_id),
            MEASURE_WORDS.get(line.measure, line.measure),
            line.day.astimezone(UK).date(),
            str(line.area_id),
            line.area_name,
            str(line.csu_id),
            line.csu_name,
            line.category_label,
            str(line.observation_id) if line.observation_id else "",
            str(line.action_id) if line.action_id else "",
            line.description,
            Decimal(line.minutes_centi).scaleb(-2),
            Decimal(line.staff_count_centi).scaleb(-2),
            line.rate_code,
            line.rate_label,
            gbp(line.rate_pence),
            line.rate_source,
            line.rate_year,
            Decimal(line.occurrences_milli).scaleb(-3),
            line.per,
            line.operating_days,
            gbp(line.consumables_pence),
            gbp(line.other_annual_pence),
            "Y" if line.cash_releasing else "N",
            "Y" if line.recurrent else "N",
            line.basis,
            annual_hours,
            gbp(line.annual_value_pence),
            hours_per_wte,
            wte,
            line.priced_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        ]
