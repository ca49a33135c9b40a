"""Tables in house style: NHS Blue header row repeated on every page, pale zebra rows, text that
wraps inside its cell, numbers right-aligned. Every cell of text is escaped (text.para)."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from wastewalk.export.pdf.style import CONTENT_WIDTH, NHS_BLUE, NHS_PALE_GREY, styles
from wastewalk.export.pdf.text import markup

logger = logging.getLogger(__name__)

Cell = str | Flowable


def _cell(value: Cell, style: str) -> Flowable:
    if isinstance(value, str):
        from reportlab.platypus import Paragraph

        return Paragraph(markup(value), styles()[style])
    return value


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float] | None = None,
    *,
    numeric: Collection[int] = (),
    bold_last_row: bool = False,
) -> Table:
    """A table of `rows` under `header`; columns in `numeric` are right-aligned.

    `widths` are fractions of the page's content width (they should add up to 1) or None for equal
    columns. `bold_last_row` marks a total row.
    """
    count = len(header)
    fractions = list(widths) if widths else [1 / count] * count
    col_widths = [CONTENT_WIDTH * f for f in fractions]
    body = [
        [_cell(h, "cell_head_right" if i in numeric else "cell_head") for i, h in enumerate(header)]
    ]
    for row in rows:
        body.append([_cell(v, "cell_right" if i in numeric else "cell") for i, v in enumerate(row)])
    table = Table(body, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, NHS_PALE_GREY),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for index in range(2, len(body), 2):
        commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#F4F7F8")))
    if bold_last_row and len(body) > 1:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1.0, NHS_BLUE))
        commands.append(("BACKGROUND", (0, -1), (-1, -1), NHS_PALE_GREY))
    table.setStyle(TableStyle(commands))
    return table


def figure_boxes(figures: Sequence[tuple[str, str]], per_row: int = 3) -> Table:
    """Headline figures as boxes: big number above a small label ((value, label) pairs)."""
    cells: list[list[Flowable | str]] = []
    row: list[Flowable | str] = []
    for value, label in figures:
        from reportlab.platypus import Paragraph

        box = [
            Paragraph(markup(value), styles()["figure"]),
            Paragraph(markup(label), styles()["figure_label"]),
        ]
        row.append(box)  # type: ignore[arg-type]  # reportlab takes a list of flowables
        if len(row) == per_row:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (per_row - len(row)))
    width = CONTENT_WIDTH / per_row
    table = Table(cells, colWidths=[width] * per_row, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.6, NHS_PALE_GREY),
                ("INNERGRID", (0, 0), (-1, -1), 0.6, NHS_PALE_GREY),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table
