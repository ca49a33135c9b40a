"""An XmR (SPC) chart for PDF reports, drawn with reportlab graphics (vector, deterministic).

Drawn the Making Data Count way: the points joined by a grey line and each coloured by its type
(common cause grey, improvement blue, concern orange, neutral purple), the mean as a solid line,
the process limits dashed, each group of points (a rebase starts one) with its own limits and a gap
before the next, trial limits (fewer than 13 points) lighter and dotted with the words "trial
limits", a labelled target line, and the variation and assurance icons as labelled symbols (a disc
in the icon's colour with its letter and a short title under it). A key under the plot says what
the colours and lines mean, so a printed page in grey still reads.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from wastewalk.domain.spc import (
    ASSURANCE_ICONS,
    POINT_COLOURS,
    VARIATION_ICONS,
    IconInfo,
    SpcChart,
    SpcPoint,
)
from wastewalk.export.pdf.fonts import FONT, FONT_BOLD, register_fonts
from wastewalk.export.pdf.style import NHS_DARK_GREY, NHS_MID_GREY, NHS_PALE_GREY, TEXT
from wastewalk.export.pdf.text import shorten

logger = logging.getLogger(__name__)

NOT_ENOUGH = "Not enough data for an SPC chart (it needs at least 2 points)"
TRIAL_WORDS = "trial limits"
MEAN_COLOUR = colors.HexColor("#231f20")
LIMIT_COLOUR = colors.HexColor("#5b6b77")
TRIAL_COLOUR = colors.HexColor("#a9b6bf")
TARGET_COLOUR = colors.HexColor("#DA291C")
LINE_COLOUR = colors.HexColor("#a6a6a6")
COMMON_CAUSE = "common_cause"
# Past this many points a marker per point is a smear: common-cause points are left to the line
# and only special-cause points get a (smaller) marker, which also keeps the PDF small.
MARKERS_FOR_ALL_UP_TO = 240
ICON_PANEL = 112  # width kept on the right for the two icons
KEY_HEIGHT = 24  # the key under the plot
LABEL_FONT = 6.5

# Drawn in this order: later parts lie over earlier ones (points over limits over grid lines).
PARTS = ("axes", "limits", "target", "points", "x_labels", "icons", "key", "message")

KEY_ITEMS = (
    ("common_cause", "Common cause"),
    ("special_cause_improvement", "Special cause: improvement"),
    ("special_cause_concern", "Special cause: concern"),
    ("special_cause_neutral_high", "Special cause: neutral"),
)


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 × 10^n apart) covering [low, high], at most `most` + 1."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(most, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step + 1e-9)
    end = math.ceil(high / step - 1e-9)
    ticks = [round(n * step, 10) for n in range(start, end + 1)]
    return ticks if len(ticks) > 1 else [ticks[0], ticks[0] + step]


def tick_text(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (no '2.5000000001')."""
    decimals = max(0, -math.floor(math.log10(step)))
    while decimals < 6 and abs(round(step, decimals) - step) > step * 1e-9:
        decimals += 1
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number_text(value: float) -> str:
    """A limit or target value in a label: up to 4 significant figures, thousands separated."""
    if not math.isfinite(value):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


@dataclass(frozen=True)
class _Box:
    left: float
    bottom: float
    width: float
    height: float
    low: float
    high: float

    def y(self, value: float) -> float:
        span = self.high - self.low
        return self.bottom + self.height * (value - self.low) / span


def _finite(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def _text(
    x: float,
    y: float,
    text: str,
    size: float = LABEL_FONT,
    *,
    anchor: str = "start",
    colour: colors.Color = NHS_DARK_GREY,
    bold: bool = False,
) -> String:
    return String(
        x,
        y,
        text,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        textAnchor=anchor,
        fillColor=colour,
    )


def spc_drawing(chart: SpcChart, *, title: str, unit: str, width: float, height: float) -> Drawing:
    """The chart as a vector drawing `width` × `height` points, with its title, icons and key.

    Its parts are named groups (drawing.axes, .limits, .target, .points, .x_labels, .icons,
    .key, .message), which is how the tests look inside it."""
    register_fonts()
    drawing = Drawing(width, height)
    drawing.add(_text(0, height - 10, shorten(title, 90), 9, colour=TEXT, bold=True))
    parts = {name: Group() for name in PARTS}
    points = list(chart.points)
    plot_right = width - ICON_PANEL - 6
    left = 44.0
    bottom = KEY_HEIGHT + 26
    top = height - 30
    parts["icons"].add(_icons(chart, width - ICON_PANEL, bottom, top))
    if points:
        parts["key"].add(_key(chart, left, 2, plot_right - left))
    usable = [p for p in points if _finite(p.y)]
    box = _Box(left, bottom, plot_right - left, top - bottom, 0, 1)
    if len(usable) < 2:
        if usable:
            box = _axes(parts["axes"], usable, None, box, unit)
            _draw_points(parts["points"], usable, box)
        # Near the top of the plot, so a lone point (drawn mid-height) stays visible.
        message_y = bottom + box.height * 0.8
        parts["message"].add(
            Rect(
                left + 8,
                message_y - 6,
                box.width - 16,
                18,
                fillColor=colors.white,
                strokeColor=NHS_PALE_GREY,
            )
        )
        parts["message"].add(_text(left + box.width / 2, message_y, NOT_ENOUGH, 8, anchor="middle"))
    else:
        box = _axes(parts["axes"], usable, chart.target, box, unit)
        step = box.width / len(usable)
        xs = [box.left + step * (i + 0.5) for i in range(len(usable))]
        _limits(parts["limits"], usable, xs, step, box)
        if chart.target is not None and math.isfinite(chart.target):
            y = box.y(chart.target)
            parts["target"].add(
                Line(box.left, y, box.left + box.width, y, strokeColor=TARGET_COLOUR, strokeWidth=1)
            )
            parts["target"].add(
                _text(
                    box.left + 2, y + 2, f"Target {number_text(chart.target)}", colour=TARGET_COLOUR
                )
            )
        _draw_points(parts["points"], usable, box, xs)
        _x_labels(parts["x_labels"], usable, xs, box)
    for name in PARTS:
        drawing.add(parts[name], name=name)
    return drawing


def _axes(
    drawing: Group, points: Sequence[SpcPoint], target: float | None, box: _Box, unit: str
) -> _Box:
    """Y axis with nice ticks over the values, limits and target; returns the scaled box."""
    values = [p.y for p in points]
    for p in points:
        values += [v for v in (p.lpl, p.upl, p.mean) if _finite(v)]
    if target is not None and math.isfinite(target):
        values.append(target)
    ticks = nice_ticks(min(values), max(values))
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    scaled = _Box(box.left, box.bottom, box.width, box.height, ticks[0], ticks[-1])
    for tick in ticks:
        y = scaled.y(tick)
        drawing.add(
            Line(box.left, y, box.left + box.width, y, strokeColor=NHS_PALE_GREY, strokeWidth=0.4)
        )
        drawing.add(_text(box.left - 4, y - 2.3, tick_text(tick, step), anchor="end"))
    drawing.add(
        Line(box.left, box.bottom, box.left + box.width, box.bottom, strokeColor=NHS_MID_GREY)
    )
    drawing.add(
        Line(box.left, box.bottom, box.left, box.bottom + box.height, strokeColor=NHS_MID_GREY)
    )
    drawing.add(_text(2, box.bottom + box.height + 6, shorten(unit, 60)))
    return scaled


def _runs(points: Sequence[SpcPoint]) -> list[tuple[int, int]]:
    """[start, end) of each stretch with one group and the same limits (they step at a rebase)."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(points) + 1):
        if (
            i == len(points)
            or points[i].group != points[start].group
            or (points[i].mean, points[i].lpl, points[i].upl, points[i].trial_limits)
            != (
                points[start].mean,
                points[start].lpl,
                points[start].upl,
                points[start].trial_limits,
            )
        ):
            runs.append((start, i))
            start = i
    return runs


def _limits(
    drawing: Group, points: Sequence[SpcPoint], xs: Sequence[float], step: float, box: _Box
) -> None:
    for start, end in _runs(points):
        first = points[start]
        new_group = start == 0 or points[start - 1].group != first.group
        last_in_group = end == len(points) or points[end].group != first.group
        # A gap of a third of a slot on each side of a group boundary; limits meet within one.
        x0 = xs[start] - step * (0.2 if new_group else 0.5)
        x1 = xs[end - 1] + step * (0.2 if last_in_group else 0.5)
        if x1 - x0 < 3:
            x0, x1 = x0 - 1.5, x1 + 1.5
        trial = first.trial_limits
        limit_colour = TRIAL_COLOUR if trial else LIMIT_COLOUR
        dash = [1, 1.6] if trial else [4, 2.5]
        if _finite(first.mean):
            y = box.y(first.mean)
            drawing.add(
                Line(
                    x0,
                    y,
                    x1,
                    y,
                    strokeColor=MEAN_COLOUR,
                    strokeWidth=0.9,
                )
            )
        for value in (first.lpl, first.upl):
            if _finite(value):
                y = box.y(value)
                drawing.add(
                    Line(
                        x0,
                        y,
                        x1,
                        y,
                        strokeColor=limit_colour,
                        strokeWidth=0.9,
                        strokeDashArray=dash,
                    )
                )
        if trial and new_group and _finite(first.upl):
            drawing.add(
                _text(
                    x0 + 1, box.y(first.upl) + 2, TRIAL_WORDS, LABEL_FONT - 0.5, colour=NHS_MID_GREY
                )
            )


def _draw_points(
    drawing: Group,
    points: Sequence[SpcPoint],
    box: _Box,
    xs: Sequence[float] | None = None,
) -> None:
    if xs is None:
        xs = [box.left + box.width / 2]
    segment: list[float] = []
    for i, (p, x) in enumerate(zip(points, xs, strict=True)):
        if i and points[i - 1].group != p.group:
            _line(drawing, segment)
            segment = []
        segment += [x, box.y(p.y)]
    _line(drawing, segment)
    every = len(points) <= MARKERS_FOR_ALL_UP_TO
    radius = 2.3 if len(points) <= 60 else 1.6 if every else 1.2
    for p, x in zip(points, xs, strict=True):
        if not every and p.point_type == COMMON_CAUSE:
            continue
        colour = colors.HexColor(POINT_COLOURS.get(p.point_type, POINT_COLOURS[COMMON_CAUSE]))
        drawing.add(
            Circle(x, box.y(p.y), radius, fillColor=colour, strokeColor=colour, strokeWidth=0.3)
        )


def _line(drawing: Group, segment: list[float]) -> None:
    if len(segment) >= 4:
        drawing.add(PolyLine(segment, strokeColor=LINE_COLOUR, strokeWidth=0.8))


def _x_labels(drawing: Group, points: Sequence[SpcPoint], xs: Sequence[float], box: _Box) -> None:
    """Every k-th label, k chosen so the widest label fits its share of the axis."""
    labels = [shorten(str(p.x), 14) for p in points]
    widest = max(stringWidth(text, FONT, LABEL_FONT) for text in labels) + 6
    room = max(1, int(box.width // widest))
    every = max(1, math.ceil(len(points) / room))
    for i in range(0, len(points), every):
        drawing.add(Line(xs[i], box.bottom, xs[i], box.bottom - 2.5, strokeColor=NHS_MID_GREY))
        drawing.add(_text(xs[i], box.bottom - 10, labels[i], anchor="middle"))


def _wrapped(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and stringWidth(candidate, FONT, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _icon(icon: IconInfo | None, heading: str, x: float, y: float, width: float) -> Group:
    """One labelled symbol: a disc with its letter, the heading above and the title under it."""
    group = Group()
    group.add(_text(x + width / 2, y + 16, heading, LABEL_FONT, anchor="middle", colour=TEXT))
    radius = 11
    cy = y
    if icon is None:
        group.add(
            Circle(
                x + width / 2,
                cy,
                radius,
                fillColor=colors.white,
                strokeColor=NHS_PALE_GREY,
                strokeWidth=1,
            )
        )
        group.add(_text(x + width / 2, cy - 3.5, "–", 10, anchor="middle", colour=NHS_MID_GREY))
        words = "No target set" if heading == "Assurance" else "No chart"
    else:
        colour = colors.HexColor(icon.colour)
        group.add(Circle(x + width / 2, cy, radius, fillColor=colour, strokeColor=colour))
        group.add(
            _text(
                x + width / 2,
                cy - 4,
                icon.letter,
                11.5,
                anchor="middle",
                colour=colors.white,
                bold=True,
            )
        )
        words = icon.title
    for n, line in enumerate(_wrapped(words, width - 4, LABEL_FONT)[:3]):
        group.add(_text(x + width / 2, cy - radius - 9 - n * 8, line, anchor="middle"))
    return group


def _icons(chart: SpcChart, x: float, bottom: float, top: float) -> Group:
    group = Group()
    variation = VARIATION_ICONS.get(chart.variation_icon) if chart.variation_icon else None
    assurance = ASSURANCE_ICONS.get(chart.assurance_icon) if chart.assurance_icon else None
    middle = (top + bottom) / 2
    group.add(_icon(variation, "Variation", x, middle + 30, ICON_PANEL))
    group.add(_icon(assurance, "Assurance", x, middle - 30, ICON_PANEL))
    return group


def _key(chart: SpcChart, x: float, y: float, width: float) -> Group:
    """What the colours and lines mean, in two rows under the plot."""
    group = Group()
    cursor = x
    for point_type, words in KEY_ITEMS:
        colour = colors.HexColor(POINT_COLOURS[point_type])
        group.add(Circle(cursor + 3, y + 15, 2.5, fillColor=colour, strokeColor=colour))
        group.add(_text(cursor + 8, y + 12.7, words))
        cursor += 14 + stringWidth(words, FONT, LABEL_FONT)
    cursor = x
    lines: list[tuple[colors.Color, list[float] | None, str]] = [
        (MEAN_COLOUR, None, "Mean"),
        (LIMIT_COLOUR, [4, 2.5], "Process limits"),
        (TRIAL_COLOUR, [1, 1.6], "Trial limits (fewer than 13 points)"),
    ]
    if chart.target is not None:
        lines.append((TARGET_COLOUR, None, "Target"))
    for colour, dash, words in lines:
        group.add(
            Line(
                cursor,
                y + 3,
                cursor + 14,
                y + 3,
                strokeColor=colour,
                strokeWidth=0.9,
                strokeDashArray=dash,
            )
        )
        group.add(_text(cursor + 17, y + 0.7, words))
        cursor += 26 + stringWidth(words, FONT, LABEL_FONT)
    return group


def icon_symbol(icon: IconInfo, size: float = 22) -> Drawing:
    """The icon alone (a disc in its colour with its letter), for a key or a method note."""
    register_fonts()
    drawing = Drawing(size, size)
    colour = colors.HexColor(icon.colour)
    drawing.add(Circle(size / 2, size / 2, size / 2 - 0.5, fillColor=colour, strokeColor=colour))
    drawing.add(
        _text(
            size / 2,
            size / 2 - size * 0.18,
            icon.letter,
            size * 0.5,
            anchor="middle",
            colour=colors.white,
            bold=True,
        )
    )
    return drawing
