"""actions.csv: one row per live action, oldest first (column dictionary: docs/csv.md)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from sqlalchemy.orm import Session

from wastewalk.export.csv_writer import Cell, CsvTable, safe_text
from wastewalk.export.rows_csv import (
    PLACE_HEADER,
    YES_NO,
    Tally,
    date_text,
    pounds,
    safe_places,
)
from wastewalk.services.action_rows import action_observations, action_query, action_rows
from wastewalk.services.actions import is_overdue, uk_today
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.stored_values import Times, count_rows, id_text, places
from wastewalk.services.walk_rows import waste_names

logger = logging.getLogger(__name__)

ACTIONS = "actions.csv"
ACTIONS_HEADER = (
    "action_id",
    *PLACE_HEADER,
    "created_on",
    "created_at",
    "waste_code",
    "waste",
    "title",
    "owner",
    "due_on",
    "status",
    "overdue",
    "observation_ids",
    "observations",
    "estimated_saving_cash_releasing_gbp",
    "estimated_saving_non_cash_releasing_gbp",
    "validated_saving_cash_releasing_gbp",
    "validated_saving_non_cash_releasing_gbp",
    "validated_by",
    "validated_at",
    "locked",
    "notes",
)


def actions_table(
    session: Session, flt: DataFilter, tally: Tally, today: dt.date | None = None
) -> CsvTable:
    """actions.csv for the filter; `overdue` is as of `today` (default: today in the UK)."""
    rows = _rows(session, flt, today or uk_today())
    counted = tally.counted(ACTIONS, rows, lambda: count_rows(session, action_query(flt)))
    return CsvTable(ACTIONS_HEADER, counted, prepared=True)


def _split(pence: int | None, cash: bool | None) -> tuple[str, str]:
    """(cash-releasing, non-cash-releasing) pounds of one estimate; blank for no estimate."""
    if pence is None:
        return "", ""
    return (pounds(pence), "0.00") if cash else ("0.00", pounds(pence))


def _rows(session: Session, flt: DataFilter, today: dt.date) -> Iterator[tuple[Cell, ...]]:
    place_of = safe_places(places(session))
    wastes = {key: tuple(map(safe_text, names)) for key, names in waste_names(session).items()}
    links = action_observations(session, flt)
    times = Times()
    for row in action_rows(session, flt):
        (action_id, area_id, category_id, created, title, owner, due, status, expected,
         expected_cash, validated, validated_cash, validated_by, validated_at, locked,
         notes) = row  # fmt: skip
        linked = links.get(action_id, [])
        yield (
            id_text(action_id),
            *place_of[area_id],
            times.uk_day(created),
            times.utc_text(created),
            *wastes.get(category_id, ("", "")),
            safe_text(title),
            safe_text(owner),
            date_text(due),
            status,
            YES_NO[is_overdue(due, status, today)],
            "; ".join(id_text(observation_id) for observation_id in linked),
            len(linked),
            *_split(expected, expected_cash),
            *_split(validated, validated_cash),
            safe_text(validated_by) if locked else "",
            times.utc_text(validated_at) if locked else "",
            YES_NO[locked],
            safe_text(notes),
        )
