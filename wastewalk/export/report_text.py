"""Figures and times in the words the PDF reports print them in, and two small layouts they share
(a label/value panel and a heading kept with what follows it).

Money always goes through domain.costing.money_text, so a figure on paper is the roll-up's pence
to the penny; hours and WTE are shown to one and two places, never summed from the shown text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from wastewalk.domain.uk_time import UK
from wastewalk.export.pdf.style import CONTENT_WIDTH, NHS_DARK_GREY, NHS_PALE_GREY, styles
from wastewalk.export.pdf.text import markup, rich
from wastewalk.services.data_filter import uk_day_words

logger = logging.getLogger(__name__)

E4 = Decimal(10_000)


def hours_of(hours_e4: int) -> Decimal:
    """Stored ten-thousandths of an hour as hours, exactly."""
    return Decimal(hours_e4) / E4


def hours_text(hours: Decimal, places: int = 1) -> str:
    """'1,234.5 h' (rounded half up for show only)."""
    step = Decimal(1).scaleb(-places)
    return f"{hours.quantize(step, rounding=ROUND_HALF_UP):,} h"


def wte_text(hours: Decimal, hours_per_wte: Decimal) -> str:
    """'0.94 WTE': hours a year over the hours in one whole-time-equivalent year."""
    if hours_per_wte <= 0:
        return "–"
    wte = hours / hours_per_wte
    if 0 < wte < Decimal("0.01"):
        return "under 0.01 WTE"
    return f"{wte.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,} WTE"


def number_text(value: Decimal) -> str:
    """A Decimal without trailing zeros: 5, 2.5, 0.125, 1,200."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def uk_time_text(moment: dt.datetime) -> str:
    """'09:30' on the UK clock."""
    return moment.astimezone(UK).strftime("%H:%M")


def uk_day_text(moment: dt.datetime) -> str:
    """'4 March 2026': the UK day of a UTC moment."""
    return uk_day_words(moment.astimezone(UK).date())


def date_text(day: dt.date | None, empty: str = "–") -> str:
    """'4 March 2026' or a dash."""
    return uk_day_words(day) if day else empty


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 observation', '3 observations'."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


@cache
def _tight_style() -> ParagraphStyle:
    return ParagraphStyle("cell_right_tight", parent=styles()["cell_right"], fontSize=7.5)


def tight_number(text: str) -> Paragraph:
    """A right-aligned table figure half a point smaller, for tables of many money columns."""
    return Paragraph(markup(text), _tight_style())


def details_panel(pairs: Sequence[tuple[str, str | Flowable]], label_width: float = 0.2) -> Table:
    """Label/value lines in a pale box (a walk's details, a report's scope). Values that are
    text are user text and escaped."""
    label_style = styles()["cell"]
    rows: list[list[Flowable]] = []
    for label, value in pairs:
        shown = Paragraph(markup(value), styles()["body"]) if isinstance(value, str) else value
        rows.append([rich(f"<b>{markup(label)}</b>", label_style.name), shown])
    table = Table(
        rows,
        colWidths=[CONTENT_WIDTH * label_width, CONTENT_WIDTH * (1 - label_width)],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.6, NHS_PALE_GREY),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, NHS_PALE_GREY),
                ("TEXTCOLOR", (0, 0), (0, -1), NHS_DARK_GREY),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def heading_with(heading: str, first: Flowable | Sequence[Flowable], style: str = "h2") -> Flowable:
    """A heading kept on the same page as what it introduces (a chart, a short table), so it is
    never orphaned at a page foot. `heading` is our own words (escaped all the same)."""
    parts: list[Flowable] = [rich(markup(heading), style)]
    parts.extend([first] if isinstance(first, Flowable) else first)
    return KeepTogether(parts)


def heading_over_long(
    heading: str, table: Flowable, style: str = "h2", room: float = 110
) -> list[Flowable]:
    """A heading over a table that may run over pages: a new page first only when less than
    `room` points are left (so the heading has a few rows under it), then the table splits with
    its header row repeated. Keeping it all together would leave most of a page blank."""
    return [CondPageBreak(room), rich(markup(heading), style), table]


def gap(points: float = 6) -> Spacer:
    return Spacer(1, points)
