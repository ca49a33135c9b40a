"""The savings report PDF for an area, a CSU or the trust (the one DataFilter).

Headline figures (opportunity, estimated and validated saving, each cash-releasing and not, with
hours and WTE), the same by CSU and by area, by waste, the biggest opportunities, actions by
status, and the basis a finance director asks for: the staff rates used with their sources and
years, the annualisation factors and operating days, hours per WTE, and the definitions.

Every figure comes from services.savings.rollup for the same filter (the Savings section's and the
CSV export's numbers), so the report agrees with them to the penny.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from reportlab.platypus import Flowable

from wastewalk.domain.progress import Progress, report, scaled
from wastewalk.export.pdf.document import BuiltPdf, ReportFrame, build_pdf
from wastewalk.export.pdf.text import para
from wastewalk.export.report_text import details_panel, gap
from wastewalk.export.savings_report_sections import (
    actions_section,
    basis_section,
    by_place,
    by_waste,
    headline,
    top_opportunities_section,
)
from wastewalk.services.actions import uk_today
from wastewalk.services.data_filter import (
    DataFilter,
    data_as_of_words,
    describe_filter,
    period_words,
    place_words,
)
from wastewalk.services.organisation import current_trust
from wastewalk.services.report_figures import (
    action_status,
    annualisation_basis,
    overdue_actions,
    rates_used,
    top_opportunities,
    waste_tallies,
)
from wastewalk.services.savings import RollupBy, rollup
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

TITLE = "Savings report"
TOP = 10  # biggest opportunities listed
OVERDUE_SHOWN = 15  # overdue actions listed (all are counted)


def write_savings_report(
    db: Database,
    flt: DataFilter,
    out: Path,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> BuiltPdf:
    """Write the savings report for `flt` as an A4 PDF at `out`, all or nothing.

    ExportError if the file cannot be written; Cancelled from `progress` stops it with nothing
    written. `today` (a UK day, default today) decides which actions are overdue."""
    frame, story = savings_report_story(db, flt, scaled(progress, 0.0, 0.5), today=today)
    return build_pdf(out, frame, story, scaled(progress, 0.5, 1.0))


def _scope_title(db: Database, flt: DataFilter) -> str:
    if flt.area_id is None and flt.csu_id is None:
        trust = current_trust(db)
        return trust.name if trust is not None else "Whole trust"
    return place_words(db, flt)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def savings_report_story(
    db: Database,
    flt: DataFilter,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> tuple[ReportFrame, list[Flowable]]:
    """The page frame and flowables of the savings report (for a preview or the pack)."""
    day = today or uk_today()
    report(progress, 0.0, "Adding up the savings")
    frame = ReportFrame(
        title=TITLE,
        filters=describe_filter(db, flt),
        data_date=data_as_of_words(db),
        subject=f"Savings report, {describe_filter(db, flt)}",
    )
    whole = rollup(db, RollupBy.TRUST, flt)
    story: list[Flowable] = [
        para(_scope_title(db, flt), "title"),
        para(f"Savings report · {period_words(flt)}", "subtitle"),
        gap(4),
        details_panel(
            [
                ("Scope", place_words(db, flt)),
                ("Period", period_words(flt)),
                ("Data", _first_upper(data_as_of_words(db).replace("data to", "up to"))),
                ("Figures", "Pounds and hours a year: each estimate annualised (see the basis)."),
            ]
        ),
        gap(8),
        *headline(whole),
    ]
    report(progress, 0.2, "Savings by CSU and area")
    if flt.area_id is None:
        if flt.csu_id is None:
            story += [
                gap(6),
                *by_place("By CSU", "CSU", rollup(db, RollupBy.CSU, flt), csu_rows=False),
            ]
        # Within one CSU its name is in the title; across the trust each CSU heads its areas.
        by_area = rollup(db, RollupBy.AREA, flt)
        story += [gap(6), *by_place("By area", "Area", by_area, csu_rows=flt.csu_id is None)]
    report(progress, 0.4, "Savings by waste")
    story += [gap(6), *by_waste(waste_tallies(db, flt), rollup(db, RollupBy.WASTE, flt))]
    report(progress, 0.55, "The biggest opportunities")
    story += [gap(6), *top_opportunities_section(top_opportunities(db, flt, TOP), TOP)]
    report(progress, 0.7, "Actions")
    counts = action_status(db, flt, day)
    overdue = overdue_actions(db, flt, day, limit=OVERDUE_SHOWN)
    story += [gap(6), *actions_section(counts, overdue, day, OVERDUE_SHOWN)]
    report(progress, 0.85, "The basis of the figures")
    story += [gap(6), *basis_section(rates_used(db, flt), annualisation_basis(db, flt))]
    report(progress, 1.0, "Figures read")
    return frame, story
