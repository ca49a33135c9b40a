"""The browser's columns: heading, SQL sort, width, alignment, and how a value is shown and read."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt

from wastewalk.services.observation_query import ObservationRow, SortKey
from wastewalk.ui.timefmt import uk_compact, uk_spoken

logger = logging.getLogger(__name__)

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter


def one_line(text: str) -> str:
    """Text on one table line: line breaks and runs of spaces become single spaces."""
    return " ".join(text.split())


def _score(value: int | None) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column:
    title: str
    sort: SortKey
    width: int  # starting width in pixels; the person can drag it
    align: Qt.AlignmentFlag
    text: Callable[[ObservationRow], str]
    # What a screen reader says for the cell; the heading is spoken with it.
    spoken: Callable[[ObservationRow], str]
    heading_tip: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "When",
        SortKey.OBSERVED_AT,
        128,
        LEFT,
        lambda r: uk_compact(r.observed_at),
        lambda r: uk_spoken(r.observed_at),
        "When it was seen, on the UK clock",
    ),
    Column(
        "CSU",
        SortKey.CSU,
        118,
        LEFT,
        lambda r: r.csu_name,
        lambda r: r.csu_name,
        "Clinical Service Unit",
    ),
    Column(
        "Area",
        SortKey.AREA,
        165,
        LEFT,
        lambda r: r.area_name,
        lambda r: r.area_name,
        "Ward, department or clinic",
    ),
    Column(
        "Waste",
        SortKey.WASTE,
        112,
        LEFT,
        lambda r: r.category_label,
        lambda r: r.category_label,
        "Which of the wastes",
    ),
    Column(
        "What was seen",
        SortKey.DESCRIPTION,
        300,
        LEFT,
        lambda r: one_line(r.description),
        lambda r: (
            ("Check for an NHS number before export. " if r.needs_identifier_review else "")
            + r.description
        ),
        "What was seen (a warning sign marks a possible NHS number to check)",
    ),
    Column(
        "Where",
        SortKey.LOCATION,
        110,
        LEFT,
        lambda r: r.location,
        lambda r: r.location or "not given",
        "Where on the ward",
    ),
    Column(
        "Impact",
        SortKey.IMPACT,
        62,
        CENTRE,
        lambda r: _score(r.impact),
        lambda r: "not scored" if r.impact is None else f"{r.impact} of 5",
        "Impact, 1 (low) to 5 (high)",
    ),
    Column(
        "Ease",
        SortKey.EASE,
        54,
        CENTRE,
        lambda r: _score(r.ease),
        lambda r: "not scored" if r.ease is None else f"{r.ease} of 5",
        "Ease of fixing, 1 (hard) to 5 (easy)",
    ),
    Column(
        "Walk focus",
        SortKey.WALK_FOCUS,
        118,
        LEFT,
        lambda r: r.walk_focus,
        lambda r: r.walk_focus or "none",
        "The focus of the walk it was seen on",
    ),
)

DESCRIPTION_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.sort is SortKey.DESCRIPTION)


def column_for(sort: SortKey) -> int:
    """The column that sorts by `sort`."""
    return next(i for i, c in enumerate(COLUMNS) if c.sort is sort)


def row_tooltip(row: ObservationRow) -> str:
    """Everything about the observation a hover can usefully show, as plain text."""
    lines = [
        f"{row.category_label} · {uk_compact(row.observed_at)} · {row.area_name}, {row.csu_name}",
        row.description,
    ]
    if row.location:
        lines.append(f"Where: {row.location}")
    if row.countermeasure:
        lines.append(f"Countermeasure idea: {row.countermeasure}")
    if row.photo_count:
        lines.append(f"Photos: {row.photo_count}")
    if row.needs_identifier_review:
        lines.append("May hold an NHS number: redact it or confirm it before export.")
    if row.deleted:
        lines.append("Deleted")
    return "\n".join(lines)
