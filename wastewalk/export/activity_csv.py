"""activity.csv: one row per segment of an activity follow (column dictionary: docs/csv.md)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy.orm import Session

from wastewalk.export.csv_writer import Cell, CsvTable, safe_text
from wastewalk.export.rows_csv import PLACE_HEADER, YES_NO, Tally, safe_places
from wastewalk.services.activity_rows import segment_query, segment_rows
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.stored_values import Times, count_rows, id_text, id_text_or_blank, places

logger = logging.getLogger(__name__)

ACTIVITY = "activity.csv"
ACTIVITY_HEADER = (
    "segment_id",
    "follow_id",
    *PLACE_HEADER,
    "followed_on",
    "follow_started_at",
    "staff_role",
    "observer",
    "mode",
    "category_code",
    "category",
    "direct_care",
    "start_s",
    "end_s",
    "duration_s",
    "started_at",
    "sampled",
    "location",
    "note",
    "waste_code",
    "waste",
    "observation_id",
)
MILLISECOND = Decimal("0.001")


def activity_table(session: Session, flt: DataFilter, tally: Tally) -> CsvTable:
    """activity.csv for the filter."""
    rows = _rows(session, flt)
    counted = tally.counted(ACTIVITY, rows, lambda: count_rows(session, segment_query(flt)))
    return CsvTable(ACTIVITY_HEADER, counted, prepared=True)


def _seconds(value: float) -> Decimal:
    # Rounded once to the millisecond, so duration_s is exactly end_s - start_s in the file.
    return Decimal(repr(value)).quantize(MILLISECOND)


def _rows(session: Session, flt: DataFilter) -> Iterator[tuple[Cell, ...]]:
    place_of = safe_places(places(session))
    times = Times()
    for row in segment_rows(session, flt):
        (segment_id, follow_id, area_id, follow_started, role, observer, mode, length, code,
         category, direct, start_s, end_s, sampled, location, note, waste_code, waste,
         observation_id) = row  # fmt: skip
        start = _seconds(start_s)
        # The activity still going when the follow was last saved runs to that point, as the
        # follow's summary counts it.
        end = _seconds(end_s) if end_s is not None else None
        stop = end if end is not None else max(_seconds(length or 0.0), start)
        began = times.moment(follow_started)
        assert began is not None
        at = began + dt.timedelta(seconds=start_s)
        yield (
            id_text(segment_id),
            id_text(follow_id),
            *place_of[area_id],
            times.uk_day(follow_started),
            times.utc_text(follow_started),
            safe_text(role),
            safe_text(observer),
            mode,
            safe_text(code),
            safe_text(category),
            YES_NO[direct],
            str(start),
            "" if end is None else str(end),
            str(stop - start),
            at.isoformat(timespec="seconds"),
            YES_NO[sampled],
            safe_text(location),
            safe_text(note),
            safe_text(waste_code or ""),
            safe_text(waste or ""),
            id_text_or_blank(observation_id),
        )
