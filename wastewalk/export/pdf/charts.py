"""Charts for PDF reports drawn with reportlab graphics (vector, deterministic): the Pareto of
wastes. (The SPC chart is in spc_chart.py.)"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from wastewalk.export.pdf.fonts import FONT, register_fonts
from wastewalk.export.pdf.style import CONTENT_WIDTH, NHS_BLUE, NHS_DARK_GREY, NHS_PALE_GREY
from wastewalk.export.pdf.text import shorten

logger = logging.getLogger(__name__)

CUMULATIVE = colors.HexColor("#DA291C")


def nice_step(value: float, divisions: int = 4) -> float:
    """A round tick step (1, 2 or 5 × 10^n) giving about `divisions` ticks up to `value`."""
    if value <= 0:
        return 0.25
    raw = value / divisions
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw * (1 - 1e-12):
            return multiple * power
    return 10 * power


def tick_label(value: float, step: float) -> str:
    """A tick's number with as many decimals as the step needs and thousands separated."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-12)) if step < 1 else 0
    return f"{value:,.{decimals}f}"


def pareto_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    value_words: str = "Observations",
    value_text: Sequence[str] | None = None,
    width: float = CONTENT_WIDTH,
    height: float = 200,
) -> Drawing:
    """Bars largest first with the cumulative percentage line over them (the 80 % line dotted).

    `labels`/`values` may come in any order; they are sorted here. `value_text`, if given, is what
    is printed above each bar (e.g. money), in the same order as `values`.
    """
    register_fonts()
    order = sorted(range(len(values)), key=lambda i: (-values[i], labels[i]))
    labels = [labels[i] for i in order]
    shown = [value_text[i] for i in order] if value_text else None
    values = [values[i] for i in order]
    drawing = Drawing(width, height)
    left, right, bottom, top = 46, 34, 46, 22
    plot_w, plot_h = width - left - right, height - bottom - top
    total = sum(values)
    step = nice_step(max(values, default=0))
    ticks = max(1, math.ceil(max(values, default=0) / step - 1e-9))
    axis_top = step * ticks
    grey = {"fontName": FONT, "fontSize": 7, "fillColor": NHS_DARK_GREY}
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=NHS_DARK_GREY))
    for tick in range(ticks + 1):
        y = bottom + plot_h * tick / ticks
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=NHS_PALE_GREY, strokeWidth=0.4))
        label = tick_label(step * tick, step)
        drawing.add(String(left - 4, y - 3, label, textAnchor="end", **grey))
    for quarter in range(5):
        y = bottom + plot_h * quarter / 4
        drawing.add(
            String(
                left + plot_w + 4,
                y - 3,
                f"{25 * quarter}%",
                fontName=FONT,
                fontSize=7,
                fillColor=CUMULATIVE,
            )
        )
    drawing.add(String(4, bottom + plot_h + 12, value_words, **grey))
    if not values or total <= 0:
        drawing.add(
            String(
                left + plot_w / 2,
                bottom + plot_h / 2,
                "Nothing to chart",
                fontName=FONT,
                fontSize=9,
                textAnchor="middle",
                fillColor=NHS_DARK_GREY,
            )
        )
        return drawing
    slot = plot_w / len(values)
    bar_w = slot * 0.7
    running = 0.0
    points: list[float] = []
    eighty = bottom + plot_h * 0.8
    drawing.add(
        Line(
            left,
            eighty,
            left + plot_w,
            eighty,
            strokeColor=CUMULATIVE,
            strokeWidth=0.5,
            strokeDashArray=[2, 2],
        )
    )
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + slot * index + (slot - bar_w) / 2
        bar_h = plot_h * value / axis_top
        drawing.add(Rect(x, bottom, bar_w, bar_h, fillColor=NHS_BLUE, strokeColor=None))
        above = shown[index] if shown else f"{value:,.4g}"
        drawing.add(
            String(
                x + bar_w / 2,
                bottom + bar_h + 2,
                above,
                fontName=FONT,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=NHS_DARK_GREY,
            )
        )
        drawing.add(
            String(
                x + bar_w / 2,
                bottom - 10,
                shorten(label, 16),
                fontName=FONT,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=NHS_DARK_GREY,
            )
        )
        running += value
        points += [x + bar_w / 2, bottom + plot_h * running / total]
    drawing.add(PolyLine(points, strokeColor=CUMULATIVE, strokeWidth=1.2))
    for i in range(0, len(points), 2):
        drawing.add(
            Rect(points[i] - 1.5, points[i + 1] - 1.5, 3, 3, fillColor=CUMULATIVE, strokeColor=None)
        )
    drawing.add(
        String(
            left,
            8,
            "Bars: " + value_words.lower() + ", largest first. Line: cumulative share "
            "(right axis); dotted: 80 %.",
            fontName=FONT,
            fontSize=6.5,
            fillColor=NHS_DARK_GREY,
        )
    )
    return drawing
