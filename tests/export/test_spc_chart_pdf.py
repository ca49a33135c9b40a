"""The SPC chart drawn for PDFs: looked at from inside the reportlab Drawing (which strings, which
colours, which lines) and printed into a real PDF read back with pypdf."""

from __future__ import annotations

import io
import itertools
import math
import random
import time
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Circle, Group, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from wastewalk.domain.spc import (
    ASSURANCE_ICONS,
    POINT_COLOURS,
    VARIATION_ICONS,
    Improvement,
    SpcChart,
    SpcOptions,
    xmr_chart,
)
from wastewalk.export.pdf.document import ReportFrame, pdf_bytes
from wastewalk.export.pdf.fonts import FONT
from wastewalk.export.pdf.spc_chart import (
    NOT_ENOUGH,
    TRIAL_WORDS,
    icon_symbol,
    nice_ticks,
    spc_drawing,
    tick_text,
)
from wastewalk.export.pdf.style import CONTENT_WIDTH

WIDTH, HEIGHT = CONTENT_WIDTH, 210


def walk(node: object) -> list[object]:
    """Every shape inside a drawing or group, depth first."""
    found: list[object] = []
    for child in getattr(node, "contents", []):
        found.append(child)
        if isinstance(child, Group):
            found += walk(child)
    return found


def strings(node: object) -> list[str]:
    return [s.text for s in walk(node) if isinstance(s, String)]


def hex_of(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:].lower()


def chart_of(ys: list[float], **options: object) -> SpcChart:
    xs = [f"P{i + 1}" for i in range(len(ys))]
    return xmr_chart(xs, ys, SpcOptions(**options))  # type: ignore[arg-type]


def draw(chart: SpcChart, title: str = "Waste minutes per week") -> object:
    return spc_drawing(chart, title=title, unit="minutes", width=WIDTH, height=HEIGHT)


def noisy(n: int, seed: int = 4, shift_at: int | None = None) -> list[float]:
    rng = random.Random(seed)
    return [
        rng.gauss(20, 3) + (9 if shift_at is not None and i >= shift_at else 0) for i in range(n)
    ]


def point_circles(drawing: object) -> list[Circle]:
    return [c for c in walk(drawing.points) if isinstance(c, Circle)]  # type: ignore[attr-defined]


def test_no_points_says_a_chart_needs_two() -> None:
    drawing = draw(chart_of([]))
    assert NOT_ENOUGH in strings(drawing)
    assert NOT_ENOUGH == "Not enough data for an SPC chart (it needs at least 2 points)"
    assert point_circles(drawing) == []
    assert "Waste minutes per week" in strings(drawing)


def test_one_point_is_drawn_with_the_message() -> None:
    drawing = draw(chart_of([7.0]))
    assert NOT_ENOUGH in strings(drawing)
    assert len(point_circles(drawing)) == 1
    assert walk(drawing.limits) == []  # type: ignore[attr-defined]


def test_two_points_have_trial_limits_marked() -> None:
    chart = chart_of([5.0, 7.0])
    assert all(p.trial_limits for p in chart.points)
    drawing = draw(chart)
    assert NOT_ENOUGH not in strings(drawing)
    assert len(point_circles(drawing)) == 2
    assert TRIAL_WORDS in strings(drawing.limits)  # type: ignore[attr-defined]
    dashes = {
        tuple(line.strokeDashArray or ())
        for line in walk(drawing.limits)  # type: ignore[attr-defined]
        if isinstance(line, Line)
    }
    assert (1, 1.6) in dashes
    assert (4, 2.5) not in dashes


def test_thirteen_points_have_process_limits_not_trial() -> None:
    chart = chart_of(noisy(13))
    assert not any(p.trial_limits for p in chart.points)
    drawing = draw(chart)
    assert TRIAL_WORDS not in strings(drawing.limits)  # type: ignore[attr-defined]
    lines = [line for line in walk(drawing.limits) if isinstance(line, Line)]  # type: ignore[attr-defined]
    dashed = [line for line in lines if line.strokeDashArray == [4, 2.5]]
    solid = [line for line in lines if not line.strokeDashArray]
    assert len(dashed) == 2
    assert len(solid) == 1
    assert len(point_circles(drawing)) == 13


def test_every_point_is_coloured_by_its_type() -> None:
    ys = noisy(100, shift_at=60)
    chart = chart_of(ys)
    types = {p.point_type for p in chart.points}
    assert len(types) >= 2  # the shift makes special causes as well as common cause
    circles = point_circles(draw(chart))
    assert len(circles) == 100
    for point, circle in zip(chart.points, circles, strict=True):
        assert hex_of(circle.fillColor) == POINT_COLOURS[point.point_type]


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        (Improvement.INCREASE, "special_cause_improvement"),
        (Improvement.DECREASE, "special_cause_concern"),
        (Improvement.NEUTRAL, "special_cause_neutral_high"),
    ],
)
def test_a_rise_is_coloured_by_the_improvement_direction(
    improvement: Improvement, expected: str
) -> None:
    chart = chart_of([*noisy(20), 60.0], improvement=improvement)
    circles = point_circles(draw(chart))
    assert chart.points[-1].point_type == expected
    assert hex_of(circles[-1].fillColor) == POINT_COLOURS[expected]


def test_a_rebase_steps_the_limits_and_breaks_the_line() -> None:
    ys = noisy(40, shift_at=20)
    chart = chart_of(ys, rebase_at=(20,))
    assert {p.group for p in chart.points} == {0, 1}
    drawing = draw(chart)
    lines = [line for line in walk(drawing.limits) if isinstance(line, Line)]  # type: ignore[attr-defined]
    means = [line for line in lines if not line.strokeDashArray]
    assert len(means) == 2
    first, second = sorted(means, key=lambda line: line.x1)
    assert first.y1 != second.y1  # the limits step at the rebase
    assert first.x2 < second.x1  # with a gap between the groups
    polylines = [p for p in walk(drawing.points) if isinstance(p, PolyLine)]  # type: ignore[attr-defined]
    assert len(polylines) == 2  # the points are not joined across the rebase


def test_all_equal_values_draw_with_a_readable_axis() -> None:
    chart = chart_of([3.0] * 20)
    drawing = draw(chart)
    ticks = [s for s in strings(drawing.axes) if s != "minutes"]  # type: ignore[attr-defined]
    assert len(ticks) >= 2
    assert len(set(ticks)) == len(ticks)
    assert "3" in ticks
    assert len(point_circles(drawing)) == 20
    ys = {round(c.cy, 6) for c in point_circles(drawing)}
    assert len(ys) == 1


def test_target_line_is_labelled_and_keyed() -> None:
    chart = chart_of(noisy(20), target=12.0)
    drawing = draw(chart)
    assert "Target 12" in strings(drawing.target)  # type: ignore[attr-defined]
    assert "Target" in strings(drawing.key)  # type: ignore[attr-defined]
    assert strings(draw(chart_of(noisy(20))).target) == []  # type: ignore[attr-defined]


def test_the_key_names_every_colour() -> None:
    drawing = draw(chart_of(noisy(20)))
    words = strings(drawing.key)  # type: ignore[attr-defined]
    for label in ("Common cause", "Special cause: improvement", "Special cause: concern"):
        assert label in words
    keyed = {
        hex_of(c.fillColor)
        for c in walk(drawing.key)  # type: ignore[attr-defined]
        if isinstance(c, Circle)
    }
    assert keyed == set(POINT_COLOURS.values())


@pytest.mark.parametrize("code", sorted(VARIATION_ICONS))
def test_each_variation_icon_is_a_labelled_symbol(code: str) -> None:
    icon = VARIATION_ICONS[code]
    chart = replace(chart_of(noisy(20)), variation_icon=code)
    drawing = draw(chart)
    text = " ".join(strings(drawing.icons))  # type: ignore[attr-defined]
    assert icon.title in text
    assert icon.letter in strings(drawing.icons)  # type: ignore[attr-defined]
    discs = [c for c in walk(drawing.icons) if isinstance(c, Circle)]  # type: ignore[attr-defined]
    assert icon.colour in {hex_of(c.fillColor) for c in discs}


@pytest.mark.parametrize("code", sorted(ASSURANCE_ICONS))
def test_each_assurance_icon_is_a_labelled_symbol(code: str) -> None:
    icon = ASSURANCE_ICONS[code]
    chart = replace(chart_of(noisy(20), target=15.0), assurance_icon=code)
    drawing = draw(chart)
    assert icon.title in " ".join(strings(drawing.icons))  # type: ignore[attr-defined]
    assert icon.letter in strings(drawing.icons)  # type: ignore[attr-defined]
    symbol = icon_symbol(icon)
    assert icon.letter in strings(symbol)


def test_no_target_says_so_under_assurance() -> None:
    drawing = draw(chart_of(noisy(20)))
    assert "No target set" in strings(drawing.icons)  # type: ignore[attr-defined]


def test_x_labels_are_thinned_so_they_do_not_collide() -> None:
    ys = noisy(100)
    xs = [f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}" for i in range(100)]
    drawing = draw(xmr_chart(xs, ys))
    labels = [s for s in walk(drawing.x_labels) if isinstance(s, String)]  # type: ignore[attr-defined]
    assert 3 <= len(labels) < 100
    assert labels[0].text == "2026-01-01"
    spans = sorted(
        (
            s.x - stringWidth(s.text, FONT, s.fontSize) / 2,
            s.x + stringWidth(s.text, FONT, s.fontSize) / 2,
        )
        for s in labels
    )
    for (_, right), (left, _) in itertools.pairwise(spans):
        assert right < left


def test_ten_thousand_points_draw_quickly_and_print() -> None:
    ys = noisy(10_000, shift_at=6_000)
    chart = chart_of(ys)
    started = time.perf_counter()
    drawing = draw(chart, "Ten thousand points")
    assert time.perf_counter() - started < 5
    special = sum(p.point_type != "common_cause" for p in chart.points)
    # Past a few hundred points only the signals get a marker; the grey line carries the rest.
    assert len(point_circles(drawing)) == special
    data = pdf_bytes(
        ReportFrame("SPC", "Whole trust · all dates", "data to 1 October 2026"), [drawing]
    )
    assert len(data) < 2_000_000
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Ten thousand points" in text


def test_a_pdf_with_charts_reads_back() -> None:
    charts = [
        draw(chart_of([]), "Empty chart"),
        draw(chart_of(noisy(13), target=30.0, improvement=Improvement.DECREASE), "Thirteen"),
    ]
    data = pdf_bytes(
        ReportFrame("SPC", "Whole trust · all dates", "data to 1 October 2026"), charts
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Empty chart" in text
    assert "Thirteen" in text
    assert "Not enough data for an SPC chart" in text
    assert "Target 30" in text
    assert data == pdf_bytes(
        ReportFrame("SPC", "Whole trust · all dates", "data to 1 October 2026"),
        [
            draw(chart_of([]), "Empty chart"),
            draw(chart_of(noisy(13), target=30.0, improvement=Improvement.DECREASE), "Thirteen"),
        ],
    )


@pytest.mark.parametrize(
    ("low", "high"),
    [(0, 1), (0.1, 0.37), (-3.01, 3.29), (12, 12), (0, 1234567), (-5, -2), (99.5, 100.2)],
)
def test_nice_ticks_cover_the_range_in_round_steps(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low
    assert ticks[-1] >= high
    assert 2 <= len(ticks) <= 9
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1, 2, 2.5, 5)
    labels = [tick_text(t, step) for t in ticks]
    assert len(set(labels)) == len(labels)
    assert all(len(label) <= 12 for label in labels)


def test_tick_text_has_no_float_noise() -> None:
    assert tick_text(2.5, 2.5) == "2.5"
    assert tick_text(0.30000000000000004, 0.1) == "0.3"
    assert tick_text(1200, 200) == "1,200"
    assert tick_text(-0.0, 0.5) == "0"
