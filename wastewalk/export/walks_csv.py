"""walks.csv: one row per walk, oldest first (column dictionary: docs/csv.md)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from sqlalchemy.orm import Session

from wastewalk.export.csv_writer import Cell, CsvTable, safe_text
from wastewalk.export.rows_csv import PLACE_HEADER, Tally, safe_places
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.stored_values import Times, count_rows, id_text, places
from wastewalk.services.walk_rows import participants, walk_query, walk_rows

logger = logging.getLogger(__name__)

WALKS = "walks.csv"
WALKS_HEADER = (
    "walk_id",
    *PLACE_HEADER,
    "walked_on",
    "started_at",
    "ended_at",
    "status",
    "focus",
    "participants",
    "participant_count",
    "notes",
    "observations",
)


def walks_table(session: Session, flt: DataFilter, tally: Tally) -> CsvTable:
    """walks.csv for the filter."""
    counted = tally.counted(
        WALKS, _rows(session, flt), lambda: count_rows(session, walk_query(flt))
    )
    return CsvTable(WALKS_HEADER, counted, prepared=True)


def people_text(people: list[tuple[str, str]]) -> str:
    """'Amina Khan (staff); Ben Chen (manager)': the walk's people in one cell, in their order."""
    return "; ".join(f"{name} ({role})" for name, role in people)


def _rows(session: Session, flt: DataFilter) -> Iterator[tuple[Cell, ...]]:
    place_of = safe_places(places(session))
    people = participants(session, flt)
    times = Times()
    for walk_id, area_id, started, ended, focus, status, notes, observations in walk_rows(
        session, flt
    ):
        on_walk = people.get(walk_id, [])
        yield (
            id_text(walk_id),
            *place_of[area_id],
            times.uk_day(started),
            times.utc_text(started),
            times.utc_text(ended),
            status,
            safe_text(focus),
            safe_text(people_text(on_walk)),
            len(on_walk),
            safe_text(notes),
            observations,
        )
