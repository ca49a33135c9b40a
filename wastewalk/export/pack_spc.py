"""The pack's SPC charts: which series are charted for the scope, worked out and laid out.

Series (services.spc_series): waste minutes per week and direct-care share per activity follow
for the whole scope; observations per walk for the areas that walked most (a trust has too many
areas to chart them all, so the pack says which it picked); cycle time per study for each process
with at least two finished studies (the processes with most studies first, a few of them).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.platypus import Flowable, KeepTogether, Spacer

from wastewalk.domain.progress import Progress, report
from wastewalk.domain.spc import Improvement, SpcChart, SpcOptions, reading_of, xmr_chart
from wastewalk.export.pdf.spc_chart import NOT_ENOUGH, spc_drawing
from wastewalk.export.pdf.style import CONTENT_WIDTH
from wastewalk.export.pdf.text import markup, para, rich
from wastewalk.export.report_text import plural
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.pack_figures import busiest_areas, process_study_counts
from wastewalk.services.spc_series import SeriesKind, SpcSeries, series_for
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

AREAS_FOR_TRUST = 4  # observations per walk: areas charted for a trust-wide pack
AREAS_FOR_CSU = 6  # ... and for one CSU
PROCESSES = 4  # cycle time: processes charted at most
CHART_HEIGHT = 205

AXIS_UNITS = {"s": "seconds", "%": "per cent"}  # the y axis's label for a series' unit

DIRECTION_WORDS = {
    Improvement.INCREASE: "Higher is better.",
    Improvement.DECREASE: "Lower is better.",
    Improvement.NEUTRAL: "Neither direction is better.",
}


@dataclass(frozen=True)
class ChartItem:
    """One chart of the pack: the series, the chart worked out, and its reading in one line."""

    series: SpcSeries
    chart: SpcChart
    reading: str


@dataclass(frozen=True)
class SpcPart:
    """The charts in the order printed, and notes on what was picked."""

    items: tuple[ChartItem, ...]
    area_note: str
    process_note: str


def _item(series: SpcSeries, title: str | None = None) -> ChartItem:
    chart = xmr_chart(series.xs, series.ys, SpcOptions(improvement=series.improvement))
    if title:
        series = replace(series, title=title)
    return ChartItem(series, chart, reading_of(chart, series.unit))


def gather_spc(db: Database, flt: DataFilter, progress: Progress | None = None) -> SpcPart:
    """Work out every chart the pack prints for this scope and period."""
    items = [_item(series_for(db, SeriesKind.WASTE_MINUTES_PER_WEEK, flt))]
    report(progress, 0.2, "Working out the SPC charts")
    areas = busiest_areas(db, flt)
    limit = 1 if flt.area_id else AREAS_FOR_CSU if flt.csu_id else AREAS_FOR_TRUST
    picked = areas[:limit]
    for area in picked:
        narrowed = replace(flt, area_id=area.area_id)
        series = series_for(db, SeriesKind.OBSERVATIONS_PER_WALK, narrowed)
        items.append(_item(series, f"Observations per walk: {area.area_name} ({area.csu_name})"))
    if len(areas) > len(picked):
        area_note = (
            f"Observations per walk is charted for the {len(picked)} areas with the most walks "
            f"in this scope and period, of {plural(len(areas), 'area')} walked."
        )
    else:
        area_note = ""
    report(progress, 0.6, "Working out the SPC charts")
    items.append(_item(series_for(db, SeriesKind.DIRECT_CARE_SHARE, flt)))
    counted = [p for p in process_study_counts(db, flt) if p.studies >= 2]
    for process in counted[:PROCESSES]:
        items.append(_item(series_for(db, SeriesKind.CYCLE_TIME, flt, process=process.process)))
    if len(counted) > PROCESSES:
        left_out = ", ".join(p.process for p in counted[PROCESSES:])
        process_note = (
            f"Cycle time is charted for the {PROCESSES} processes with the most time studies, of "
            f"{len(counted)} with two or more; left out: {left_out}."
        )
    else:
        process_note = ""
    report(progress, 1.0, "Working out the SPC charts")
    return SpcPart(tuple(items), area_note, process_note)


def chart_flowable(item: ChartItem, heading_style: str = "h2") -> Flowable:
    """Heading, chart, and the reading under it, never split across pages."""
    series = item.series
    if not item.chart.points:
        # Nothing to draw: a title and one line, not a page's worth of empty axes.
        return KeepTogether(
            [
                rich(f"<b>{markup(series.title)}</b>"),
                para(f"{NOT_ENOUGH}: there are no points in this scope and period.", "small"),
                para(series.basis, "note"),
                Spacer(1, 10),
            ]
        )
    drawing = spc_drawing(
        item.chart,
        title=series.title,
        unit=AXIS_UNITS.get(series.unit, series.unit),
        width=CONTENT_WIDTH,
        height=CHART_HEIGHT,
    )
    reading = rich(
        "<b>Reading:</b> "
        + markup(item.reading)
        + " "
        + markup(DIRECTION_WORDS[series.improvement])
    )
    parts: list[Flowable] = [drawing, Spacer(1, 2), reading]
    if series.basis:
        parts.append(para(series.basis, "note"))
    parts.append(Spacer(1, 10))
    return KeepTogether(parts)


def spc_section(part: SpcPart) -> list[Flowable]:
    """Every chart with its reading; the notes on what was picked first."""
    flowables: list[Flowable] = [
        para(
            "Each chart is an XmR chart (see the method notes): grey points are common cause "
            "variation, coloured points a signal. The icons on the right give the latest "
            "variation and, where there is a target, the assurance.",
            "small",
        ),
        Spacer(1, 6),
    ]
    notes: Sequence[str] = [n for n in (part.area_note, part.process_note) if n]
    for note in notes:
        flowables.append(para(note, "note"))
    if notes:
        flowables.append(Spacer(1, 6))
    flowables += [chart_flowable(item) for item in part.items]
    return flowables
