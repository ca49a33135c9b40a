"""readings.csv and elements.csv: element time studies (column dictionary: docs/csv.md).

readings.csv is the Time Observation Sheet made tidy: one row per reading. elements.csv is one row
per element of each study with the figures of services.time_studies.study_summary, rounded to the
hundredth of a second as `wastewalk timestudy summary` prints them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from sqlalchemy.orm import Session

from wastewalk.domain.time_study import ReadingState
from wastewalk.export.csv_writer import Cell, CsvTable, safe_text
from wastewalk.export.rows_csv import (
    PLACE_HEADER,
    YES_NO,
    Tally,
    date_text,
    decimal_text,
    plain_number,
    safe_places,
)
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.stored_values import Times, count_rows, id_text, places
from wastewalk.services.study_rows import reading_query, reading_rows, study_summaries
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

READINGS, ELEMENTS = "readings.csv", "elements.csv"
STUDY_HEADER = ("study_id", "study", "process", *PLACE_HEADER, "study_date")
READINGS_HEADER = (
    *STUDY_HEADER,
    "element_id",
    "element_order",
    "element",
    "value_class",
    "rating_pct",
    "cycle",
    "state",
    "seconds",
    "excluded",
    "exclude_reason",
    "not_performed",
    "sequence",
    "taken_at",
)
ELEMENTS_HEADER = (
    *STUDY_HEADER,
    "allowance_pct",
    "allowance_basis",
    "selected_time",
    "element_id",
    "element_order",
    "element",
    "value_class",
    "waste",
    "rating_pct",
    "n",
    "mean_s",
    "median_s",
    "min_s",
    "max_s",
    "lrt_s",
    "selected_s",
    "outlier_cycles",
    "normal_s",
    "standard_s",
)
SECONDS_PLACES = 2  # as `wastewalk timestudy summary` prints them


def seconds_text(seconds: float | None) -> str:
    """A reading as the sheet shows it: up to six decimals, no trailing zeros ('12.5')."""
    if seconds is None:
        return ""
    return f"{seconds:.6f}".rstrip("0").rstrip(".")


def readings_table(session: Session, flt: DataFilter, tally: Tally) -> CsvTable:
    """readings.csv for the filter."""
    rows = _reading_rows(session, flt)
    counted = tally.counted(READINGS, rows, lambda: count_rows(session, reading_query(flt)))
    return CsvTable(READINGS_HEADER, counted, prepared=True)


def elements_table(db: Database, session: Session, flt: DataFilter, tally: Tally) -> CsvTable:
    """elements.csv for the filter."""
    return CsvTable(ELEMENTS_HEADER, tally.counted(ELEMENTS, _element_rows(db, session, flt)), True)


def _reading_rows(session: Session, flt: DataFilter) -> Iterator[tuple[Cell, ...]]:
    place_of = safe_places(places(session))
    times = Times()
    study_cells: dict[object, tuple[str, ...]] = {}
    for row in reading_rows(session, flt):
        (study_id, study, process, area_id, study_date, element_id, order, element, value_class,
         rating, cycle, state, seconds, reason, sequence, taken) = row  # fmt: skip
        head = study_cells.get(study_id)
        if head is None:
            head = study_cells[study_id] = (
                id_text(study_id),
                safe_text(study),
                safe_text(process),
                *place_of[area_id],
                date_text(study_date),
            )
        yield (
            *head,
            id_text(element_id),
            order,
            safe_text(element),
            value_class,
            plain_number(rating),
            cycle,
            state,
            seconds_text(seconds),
            YES_NO[state == ReadingState.EXCLUDED],
            safe_text(reason),
            YES_NO[state == ReadingState.NOT_PERFORMED],
            sequence,
            times.utc_text(taken),
        )


def _element_rows(db: Database, session: Session, flt: DataFilter) -> Iterator[tuple[Cell, ...]]:
    place_by_id = {cells[0]: cells for cells in safe_places(places(session)).values()}

    def s(value: float | None) -> str:
        return decimal_text(value, SECONDS_PLACES)

    for study, summary in study_summaries(db, flt):
        settings = summary.settings
        head = (
            str(study.id),
            safe_text(study.name),
            safe_text(study.process),
            *place_by_id[str(study.area_id)],
            date_text(study.study_date),
            plain_number(settings.allowance_pct),
            str(settings.allowance_basis),
            str(settings.selected_time),
        )
        elements = {e.order: e for e in study.elements}
        for figures in summary.elements:
            element = elements[figures.order]
            yield (
                *head,
                str(element.id),
                figures.order,
                safe_text(figures.name),
                str(figures.value_class),
                safe_text(element.waste_label or ""),
                plain_number(figures.rating_pct),
                figures.n,
                s(figures.mean_s),
                s(figures.median_s),
                s(figures.min_s),
                s(figures.max_s),
                s(figures.lrt_s),
                s(figures.selected_s),
                "; ".join(str(cycle) for cycle in figures.outlier_cycles),
                s(figures.normal_s),
                s(figures.standard_s),
            )
