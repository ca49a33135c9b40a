"""The walk summary PDF: where and when, who walked, what they saw (by waste, with photos), the
Pareto of wastes, the estimates made and the actions agreed.

Every piece of text a person typed (names, notes, observations, action titles) goes through
pdf.text, so it prints as typed and can never be read as markup or make reportlab fetch anything.
Photos come from the database as PNG thumbnail bytes; a damaged one is left out with a note.
An observation that may hold an NHS number (flagged, neither redacted nor confirmed) is printed
with the suspected number hidden and marked for review: PRODUCT.md says such text must be redacted
or confirmed before it leaves the laptop, and a PDF does leave it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from PIL import Image as PilImage
from reportlab.platypus import Flowable, HRFlowable, Image, KeepTogether, Table, TableStyle

from wastewalk.domain.costing import money_text
from wastewalk.domain.nhs_number import redact_nhs_numbers
from wastewalk.domain.progress import Progress, report, scaled
from wastewalk.export.pdf.charts import pareto_chart
from wastewalk.export.pdf.document import BuiltPdf, ReportFrame, build_pdf
from wastewalk.export.pdf.style import NHS_PALE_GREY
from wastewalk.export.pdf.tables import data_table, figure_boxes
from wastewalk.export.pdf.text import markup, para, rich, shorten
from wastewalk.export.report_text import (
    date_text,
    details_panel,
    gap,
    heading_over_long,
    heading_with,
    hours_text,
    number_text,
    plural,
    uk_day_text,
    uk_time_text,
    wte_text,
)
from wastewalk.services.actions import STATUS_WORDS, ActionInfo
from wastewalk.services.data_filter import data_as_of_words
from wastewalk.services.estimates import EstimateInfo
from wastewalk.services.observations import ObservationInfo
from wastewalk.services.photos import PhotoInfo, photo_bytes
from wastewalk.services.walk_report_figures import WalkReportFigures, walk_report_figures
from wastewalk.services.walk_summary import duration_words, review_warning
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

TITLE = "Walk summary"
HIDDEN = "[possible NHS number hidden]"
THUMB_SIDE = 36 * 2.8346  # 36 mm: four photos to a row
PHOTOS_PER_ROW = 4


def write_walk_report(
    db: Database,
    walk_id: uuid.UUID,
    out: Path,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> BuiltPdf:
    """Write the walk's summary as an A4 PDF at `out`, all or nothing.

    NotFoundError if there is no such walk; ExportError if the file cannot be written; Cancelled
    from `progress` stops it with nothing written. `today` decides which actions show as overdue.
    """
    frame, story = walk_report_story(db, walk_id, scaled(progress, 0.0, 0.5), today=today)
    return build_pdf(out, frame, story, scaled(progress, 0.5, 1.0))


def walk_report_story(
    db: Database,
    walk_id: uuid.UUID,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> tuple[ReportFrame, list[Flowable]]:
    """The page frame and the flowables of one walk's summary (for a preview or the pack)."""
    report(progress, 0.0, "Reading the walk")
    figures = walk_report_figures(db, walk_id, today=today)
    summary = figures.summary
    place = f"{summary.area_name}, {summary.csu_name} CSU"
    frame = ReportFrame(
        title=TITLE,
        filters=f"{place} · walk of {uk_day_text(summary.started_at)}",
        data_date=data_as_of_words(db),
        subject=f"Waste walk, {place}, {uk_day_text(summary.started_at)}",
    )
    story: list[Flowable] = [*_opening(figures), *_headline(figures)]
    report(progress, 0.2, "Drawing the Pareto chart")
    story += _pareto(figures)
    story += _observations(db, figures, progress)
    report(progress, 0.9, "Listing estimates and actions")
    story += _estimates(figures)
    story += _actions(figures)
    report(progress, 1.0, "Walk read")
    return frame, story


# --- opening ------------------------------------------------------------------------------------


def _opening(figures: WalkReportFigures) -> list[Flowable]:
    s = figures.summary
    times = uk_time_text(s.started_at)
    if s.ended_at is not None:
        times += f" to {uk_time_text(s.ended_at)} ({duration_words(s.duration)})"
    else:
        times += " (not yet finished)"
    people = "\n".join(f"{p.name} ({p.role_words})" for p in s.participants) or "None recorded"
    pairs: list[tuple[str, str | Flowable]] = [
        ("Area", s.area_name),
        ("CSU", s.csu_name),
        ("Date", uk_day_text(s.started_at)),
        ("Times", times),
        ("Participants", people),
        ("Focus", s.focus or "None given"),
    ]
    if figures.notes.strip():
        pairs.append(("Notes", figures.notes))
    return [
        para(s.area_name, "title"),
        para(f"{s.csu_name} CSU · waste walk of {uk_day_text(s.started_at)}", "subtitle"),
        gap(4),
        details_panel(pairs),
        gap(8),
    ]


def _headline(figures: WalkReportFigures) -> list[Flowable]:
    s = figures.summary
    priced = sum(e.annual_value_pence for e in figures.estimates.values())
    wastes = sum(1 for c in s.counts if c.count)
    boxes = figure_boxes(
        [
            (f"{s.total:,}", "observations"),
            (f"{wastes} of {sum(1 for c in s.counts if not c.archived)}", "wastes seen"),
            (
                money_text(priced),
                f"a year: the waste priced on {plural(len(figures.estimates), 'observation')}",
            ),
            (f"{len(figures.actions):,}", "actions agreed"),
        ],
        per_row=4,
    )
    flowables: list[Flowable] = [boxes]
    if s.needs_review_count:
        flowables += [
            gap(4),
            para(
                f"{review_warning(s.needs_review_count)}. The suspected numbers are hidden in "
                "this report and the observations are marked 'flagged for review'.",
                "note",
            ),
        ]
    return flowables


def _pareto(figures: WalkReportFigures) -> list[Flowable]:
    counts = [c for c in figures.summary.counts if c.count]
    chart = pareto_chart(
        [c.label for c in counts],
        [c.count for c in counts],
        value_words="Observations",
        height=190,
    )
    return [gap(6), heading_with("Observations by waste", chart, "h1")]


# --- observations --------------------------------------------------------------------------------


def _observations(
    db: Database, figures: WalkReportFigures, progress: Progress | None
) -> list[Flowable]:
    s = figures.summary
    if not figures.observations:
        return [
            rich(markup("What was seen"), "h1"),
            para("No observations were recorded on this walk.", "body"),
        ]
    numbers = _numbers(figures)
    flowables: list[Flowable] = [rich(markup("What was seen"), "h1")]
    if s.total:
        flowables.append(
            para(
                "Grouped by waste, in the order the wastes are listed; within each waste, "
                "in the order they were seen. The number before each is used in the estimates "
                "table.",
                "note",
            )
        )
    done = 0
    for count in s.counts:
        mine = [o for o in figures.observations if o.category_id == count.category_id]
        if not mine:
            continue
        for index, o in enumerate(mine):
            parts = _observation_block(db, numbers[o.id], o, figures.estimates.get(o.id), figures)
            if index == 0:
                # The waste's heading stays with its first observation.
                parts.insert(0, rich(markup(f"{count.label} ({len(mine)})"), "h2"))
            # One KeepTogether per observation, never nested (a nested one forces a page break).
            flowables.append(KeepTogether(parts))
        done += len(mine)
        report(progress, 0.2 + 0.7 * done / len(figures.observations), "Adding the photos")
    return flowables


def _numbers(figures: WalkReportFigures) -> dict[uuid.UUID, int]:
    """Observations numbered in the order the report lists them (by waste, then time)."""
    order = {c.category_id: i for i, c in enumerate(figures.summary.counts)}
    listed = sorted(
        enumerate(figures.observations),
        key=lambda item: (order.get(item[1].category_id, 0), item[0]),
    )
    return {o.id: n for n, (_, o) in enumerate(listed, start=1)}


def _shown(text: str, flagged: bool) -> str:
    return redact_nhs_numbers(text, HIDDEN) if flagged else text


def _observation_block(
    db: Database,
    number: int,
    o: ObservationInfo,
    estimate: EstimateInfo | None,
    figures: WalkReportFigures,
) -> list[Flowable]:
    flagged = o.needs_identifier_review
    lines: list[Flowable] = [
        rich(f"<b>{number}.</b> {markup(_shown(o.description, flagged))}", "body"),
    ]
    facts = [uk_time_text(o.observed_at)]
    if o.location:
        facts.append(_shown(o.location, flagged))
    if o.impact is not None:
        facts.append(f"impact {o.impact} of 5")
    if o.ease is not None:
        facts.append(f"ease {o.ease} of 5")
    if o.frequency:
        facts.append(f"how often: {_shown(o.frequency, flagged)}")
    lines.append(para(" · ".join(facts), "small"))
    if o.countermeasure:
        lines.append(
            rich(
                f"<b>Countermeasure:</b> {markup(_shown(o.countermeasure, flagged))}",
                "small",
            )
        )
    if estimate is not None:
        cash = "cash-releasing" if estimate.inputs.cash_releasing else "non-cash-releasing"
        lines.append(
            rich(
                f"<b>Estimate:</b> {markup(money_text(estimate.annual_value_pence))} a year, "
                f"{markup(hours_text(estimate.result.annual_hours))}, "
                f"{markup(wte_text(estimate.result.annual_hours, estimate.hours_per_wte))}, "
                f"{cash}",
                "small",
            )
        )
    if flagged:
        lines.append(
            para(
                "Flagged for review: this observation may hold an NHS number. It is hidden "
                "here; redact or confirm it in WasteWalk.",
                "note",
            )
        )
    photos = figures.photos.get(o.id, [])
    if photos:
        lines.extend(_photo_rows(db, photos))
    lines.append(
        HRFlowable(width="100%", thickness=0.4, color=NHS_PALE_GREY, spaceBefore=4, spaceAfter=5)
    )
    return lines


def _thumbnail(db: Database, photo: PhotoInfo) -> Flowable | None:
    """The photo's stored thumbnail as an image drawn from memory, or None if it is damaged.

    The bytes are decoded here first: reportlab would only find out while drawing the page, and
    one bad photo must not stop the report."""
    try:
        data = photo_bytes(db, photo.id, thumbnail=True)
        with PilImage.open(io.BytesIO(data)) as probe:
            probe.load()
            width, height = probe.size
        if width <= 0 or height <= 0:
            return None
    except Exception:  # any decoding failure: the photo is skipped with a note, never a crash
        logger.warning("photo %s could not be read for the walk report", photo.id)
        return None
    scale = min(THUMB_SIDE / width, THUMB_SIDE / height)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)


def _photo_rows(db: Database, photos: Sequence[PhotoInfo]) -> list[Flowable]:
    cells: list[Flowable] = []
    damaged: list[str] = []
    for photo in photos:
        image = _thumbnail(db, photo)
        if image is None:
            damaged.append(photo.filename)
        else:
            cells.append(image)
    flowables: list[Flowable] = []
    if cells:
        rows = [cells[i : i + PHOTOS_PER_ROW] for i in range(0, len(cells), PHOTOS_PER_ROW)]
        rows[-1] = rows[-1] + [""] * (PHOTOS_PER_ROW - len(rows[-1]))  # type: ignore[list-item]
        grid = Table(rows, colWidths=[THUMB_SIDE + 8] * PHOTOS_PER_ROW, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        flowables.append(grid)
    for name in damaged:
        flowables.append(
            para(f"The photo {shorten(name, 60)} could not be read; left out.", "note")
        )
    return flowables


# --- estimates and actions ----------------------------------------------------------------------


def _frequency(e: EstimateInfo) -> str:
    return f"{number_text(e.inputs.occurrences)} a {e.inputs.per}"


def _minutes(e: EstimateInfo) -> str:
    minutes = number_text(e.inputs.minutes)
    staff = e.inputs.staff_count
    return minutes if staff == 1 else f"{minutes} × {number_text(staff)} staff"


def _estimates(figures: WalkReportFigures) -> list[Flowable]:
    if not figures.estimates:
        return [
            rich(markup("Estimates"), "h1"),
            para("None of this walk's observations has been priced yet.", "body"),
        ]
    numbers = _numbers(figures)
    listed = sorted(figures.observations, key=lambda o: numbers[o.id])
    rows: list[list[str]] = []
    total_pence = 0
    total_hours = Decimal(0)
    for o in listed:
        e = figures.estimates.get(o.id)
        if e is None:
            continue
        total_pence += e.annual_value_pence
        total_hours += e.result.annual_hours
        rows.append(
            [
                f"{numbers[o.id]}. {shorten(_shown(o.description, o.needs_identifier_review), 48)}",
                e.rate.label or "No staff time",
                _minutes(e),
                _frequency(e),
                hours_text(e.result.annual_hours),
                money_text(e.annual_value_pence),
                "Y" if e.inputs.cash_releasing else "N",
                e.inputs.basis or "–",
            ]
        )
    rows.append(["Total", "", "", "", hours_text(total_hours), money_text(total_pence), "", ""])
    table = data_table(
        [
            "Observation",
            "Staff group",
            "Minutes",
            "How often",
            "Hours a year",
            "£ a year",
            "Cash",
            "Basis",
        ],
        rows,
        [0.23, 0.16, 0.08, 0.1, 0.09, 0.11, 0.06, 0.17],
        numeric={2, 4, 5},
        bold_last_row=True,
    )
    note = para(
        "Minutes are per occurrence (× staff where more than one person is involved); "
        "how often is annualised a day × the area's operating days, a week × 52, a month × 12. "
        "Cash: Y where a budget really falls (a written basis is required).",
        "note",
    )
    return [*heading_over_long("Estimates", table, "h1"), gap(3), note]


def _action_status(a: ActionInfo) -> str:
    words = STATUS_WORDS.get(a.status, a.status)  # type: ignore[call-overload]
    if a.overdue:
        words += " (overdue)"
    if a.locked:
        words += ", validated"
    return words


def _actions(figures: WalkReportFigures) -> list[Flowable]:
    if not figures.actions:
        return [
            rich(markup("Actions agreed"), "h1"),
            para("No actions have been made from this walk's observations yet.", "body"),
        ]
    rows = [
        [
            a.title,
            a.owner or "–",
            date_text(a.due_date),
            _action_status(a),
            money_text(a.expected.annual_value_pence) if a.expected else "–",
            money_text(a.validated.annual_value_pence) if a.validated and a.locked else "–",
        ]
        for a in figures.actions
    ]
    table = data_table(
        ["Action", "Owner", "Due", "Status", "Expected saving a year", "Validated a year"],
        rows,
        [0.34, 0.16, 0.13, 0.13, 0.12, 0.12],
        numeric={4, 5},
    )
    return heading_over_long("Actions agreed", table, "h1")
