"""The steering-group pack: one PDF for a CSU or the whole trust and a period.

Cover with contents, headline figures, the wastes as Pareto charts, SPC charts with their icons and
a one-line reading each, savings by CSU (or by area for one CSU) and class, time-study results,
overdue actions and method notes. Every figure comes from the services (savings.rollup,
report_figures, pack_figures, spc_series), read once into PackData; the pages are then laid out
twice, the first time only to find the page of each section for the contents list.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from wastewalk import __version__
from wastewalk.domain.progress import Progress, report, scaled
from wastewalk.export.pack_method import costing_notes, spc_notes
from wastewalk.export.pack_sections import (
    CoverFacts,
    PageMark,
    PageNumbers,
    Section,
    cover,
    headline,
    overdue,
    savings_by,
    studies,
    wastes,
)
from wastewalk.export.pack_spc import SpcPart, gather_spc, spc_section
from wastewalk.export.pdf.document import BuiltPdf, ReportFrame, build_pdf, pdf_bytes
from wastewalk.export.pdf.text import para
from wastewalk.services.actions import ActionInfo, uk_today
from wastewalk.services.data_filter import (
    DataFilter,
    data_as_of_words,
    period_words,
    place_words,
)
from wastewalk.services.pack_figures import StudyResult, study_results, trust_name, walk_count
from wastewalk.services.report_figures import (
    ActionStatusCounts,
    AnnualisationBasis,
    RateUsed,
    WasteTally,
    action_status,
    annualisation_basis,
    overdue_actions,
    rates_used,
    waste_tallies,
)
from wastewalk.services.savings import Rollup, RollupBy, rollup
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

TITLE = "Steering-group pack"
TITLE_ROOM = 70  # characters the page head shows (export.pdf.document)
OVERDUE_LIMIT = (
    30  # a pack lists this many overdue actions at most (about a page), and says how many more
)


@dataclass(frozen=True)
class PackData:
    """Everything the pack prints, read from the services once."""

    cover: CoverFacts
    filters: str
    by: Rollup  # by CSU for the trust, by area for a CSU or an area
    by_words: str  # "CSU" or "area"
    tallies: tuple[WasteTally, ...]
    walks: int
    actions: ActionStatusCounts
    spc: SpcPart
    studies: tuple[StudyResult, ...]
    overdue: tuple[ActionInfo, ...]
    rates: tuple[RateUsed, ...]
    basis: AnnualisationBasis
    hours_per_wte: Decimal


def gather(
    db: Database, flt: DataFilter, progress: Progress | None = None, today: dt.date | None = None
) -> PackData:
    """Read every figure of the pack (a handful of queries each; the SPC series the most)."""
    day = today or uk_today()
    report(progress, 0.0, "Reading the savings")
    place, period = place_words(db, flt), period_words(flt)
    data_date = data_as_of_words(db)
    by_csu = flt.csu_id is None and flt.area_id is None
    by = rollup(db, RollupBy.CSU if by_csu else RollupBy.AREA, flt)
    tallies = tuple(waste_tallies(db, flt))
    report(progress, 0.15, "Counting walks and actions")
    walks = walk_count(db, flt)
    actions = action_status(db, flt, day)
    late = tuple(overdue_actions(db, flt, day, limit=OVERDUE_LIMIT))
    report(progress, 0.25, "Working out the SPC charts")
    spc = gather_spc(db, flt, scaled(progress, 0.25, 0.8))
    report(progress, 0.8, "Summarising the time studies")
    results = tuple(study_results(db, flt))
    rates = tuple(rates_used(db, flt))
    basis = annualisation_basis(db, flt)
    report(progress, 1.0, "Figures read")
    return PackData(
        cover=CoverFacts(
            trust=trust_name(db),
            place=place,
            period=period,
            data_date=data_date,
            today=day,
            version=__version__,
        ),
        filters=f"{place} · {period}",
        by=by,
        by_words="CSU" if by_csu else "area",
        tallies=tallies,
        walks=walks,
        actions=actions,
        spc=spc,
        studies=results,
        overdue=late,
        rates=rates,
        basis=basis,
        hours_per_wte=by.hours_per_wte,
    )


def _sections(data: PackData) -> list[Section]:
    observations = sum(t.observations for t in data.tallies)
    savings_title = f"Savings by {data.by_words} and class"
    return [
        Section(
            "headline",
            "Headline figures",
            lambda: headline(
                data.by.total, data.walks, observations, data.actions, data.cover.today
            ),
        ),
        Section("wastes", "Wastes seen", lambda: wastes(data.tallies)),
        Section("spc", "Measurement for improvement: SPC charts", lambda: spc_section(data.spc)),
        Section(
            "savings",
            savings_title,
            lambda: savings_by(data.by, data.by_words[:1].upper() + data.by_words[1:]),
        ),
        Section("studies", "Time-study results", lambda: studies(data.studies)),
        Section(
            "overdue",
            "Overdue actions",
            lambda: overdue(data.overdue, data.actions.overdue, data.cover.today),
        ),
        Section(
            "method",
            "Method notes",
            lambda: [
                *spc_notes(),
                *costing_notes(data.rates, data.basis, data.hours_per_wte),
            ],
        ),
    ]


def _opening(mark: Flowable, title: str, first: Sequence[Flowable]) -> Flowable:
    """The section's heading (and its page mark) kept with its first flowable. A KeepTogether
    inside a KeepTogether always breaks the page in reportlab, so a kept group is opened up."""
    parts: list[Flowable] = [mark, para(title, "h1")]
    for flowable in first:
        parts += flowable._content if isinstance(flowable, KeepTogether) else [flowable]
    return KeepTogether(parts)


def _story(data: PackData, pages: PageNumbers, marks: dict[str, int]) -> list[Flowable]:
    sections = _sections(data)
    story: list[Flowable] = cover(data.cover, sections, pages)
    for section in sections:
        body = section.body()
        mark = PageMark(section.key, marks)
        if section.key in ("spc", "method"):
            # Long sections start on a page of their own.
            if story and not isinstance(story[-1], PageBreak):
                story.append(PageBreak())
            story += [mark, para(section.heading, "h1"), *body]
        elif section.key in ("savings", "overdue", "studies") and len(body) > 1:
            # A table that may run over pages: a new page only if little room is left.
            story += [CondPageBreak(140), _opening(mark, section.heading, []), *body]
        else:
            story += [_opening(mark, section.heading, body[:1]), *body[1:]]
    return story


def _frame(data: PackData) -> ReportFrame:
    # The page head has room for about 70 characters: a long trust name stays on the cover.
    title = f"{TITLE} · {data.cover.trust}"
    return ReportFrame(
        title=title if len(title) <= TITLE_ROOM else TITLE,
        filters=data.filters,
        data_date=data.cover.data_date,
        subject=f"{TITLE}: {data.filters}",
    )


def pack_report_story(
    db: Database,
    flt: DataFilter,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> tuple[ReportFrame, list[Flowable]]:
    """The pack's frame and flowables, its contents list already carrying page numbers.

    `today` (a UK day; default today) is the day actions are judged overdue on and the day the
    cover says the pack was prepared."""
    data = gather(db, flt, scaled(progress, 0.0, 0.6), today)
    frame = _frame(data)
    found: dict[str, int] = {}
    # First layout: only to learn where each section starts. The contents list has the same
    # number of lines either way, so the second layout breaks its pages at the same places.
    pdf_bytes(frame, _story(data, PageNumbers(), found), scaled(progress, 0.6, 0.8))
    return frame, _story(data, PageNumbers(dict(found)), {})


def write_pack_report(
    db: Database,
    flt: DataFilter,
    out: Path,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> BuiltPdf:
    """Write the steering-group pack for the filter's CSU (or the trust) and period to `out`,
    all or nothing (a Cancelled from `progress` leaves no file)."""
    frame, story = pack_report_story(db, flt, scaled(progress, 0.0, 0.8), today=today)
    built = build_pdf(out, frame, story, scaled(progress, 0.8, 1.0))
    logger.info("steering-group pack: %s, %d pages", out, built.pages)
    return built
