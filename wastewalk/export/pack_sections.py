"""The sections of the steering-group pack, each a list of flowables from figures already read.

Nothing here reads the database: pack_report gathers the figures once (PackData) and these
functions lay them out, so the pack can be laid out twice (the first pass finds the page of each
section for the contents list) without asking the database again. All user text goes through
text.para/markup; money is whole pence printed with money_text, so a figure in the pack is the
service's figure to the penny.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, PageBreak, Spacer

from wastewalk.domain.costing import money_text
from wastewalk.domain.uk_time import MONTH_NAMES
from wastewalk.export.pdf.charts import pareto_chart
from wastewalk.export.pdf.style import CONTENT_WIDTH
from wastewalk.export.pdf.tables import data_table, figure_boxes
from wastewalk.export.pdf.text import markup, para, rich
from wastewalk.export.report_text import heading_with
from wastewalk.services.actions import STATUS_WORDS, ActionInfo, ActionStatus
from wastewalk.services.data_filter import uk_day_words
from wastewalk.services.pack_figures import StudyResult
from wastewalk.services.report_figures import ActionStatusCounts, WasteTally
from wastewalk.services.savings import Figures, Rollup

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    """One entry of the contents: its heading and the flowables under it."""

    key: str
    heading: str
    body: Callable[[], list[Flowable]]


class PageMark(Flowable):
    """Takes no room; notes the page it lands on, so the contents can give page numbers."""

    def __init__(self, key: str, pages: dict[str, int]) -> None:
        super().__init__()
        self.key = key
        self.pages = pages
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


@dataclass
class PageNumbers:
    """Pages of the sections from the first layout (empty on the first pass)."""

    found: dict[str, int] = field(default_factory=dict)


# --- words and numbers ----------------------------------------------------------------------------


def short_day(day: dt.date) -> str:
    """13 Apr 2026."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def short_money(pence: int) -> str:
    """Money above a bar: £850, £9.7k, £1.25m (the table beside it has the exact figure)."""
    pounds = pence / 100
    if abs(pounds) >= 1_000_000:
        return f"£{pounds / 1_000_000:.3g}m"
    if abs(pounds) >= 1_000:
        return f"£{pounds / 1_000:.3g}k"
    return f"£{pounds:,.0f}"


def duration_text(seconds: float) -> str:
    """16 min 21 s; 45.2 s under a minute; 1 h 02 min over an hour."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole >= 3600:
        return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
    return f"{whole // 60} min {whole % 60:02d} s"


# --- cover ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverFacts:
    trust: str
    place: str  # "Whole trust", "Medicine CSU"
    period: str  # "all dates", "1 April 2026 to 31 March 2027"
    data_date: str  # "data to 24 November 2026"
    today: dt.date
    version: str


def _data_box(data_date: str) -> tuple[str, str]:
    """'data to 30 September 2026' as a box: the day big, 'Data up to' under it."""
    day = data_date.removeprefix("data to ")
    if day == data_date:
        return data_date[:1].upper() + data_date[1:], "Data"
    return day, "Data up to (the newest change recorded)"


def cover(facts: CoverFacts, sections: Sequence[Section], pages: PageNumbers) -> list[Flowable]:
    """Title page: trust, scope, period, data date, who prepared it, and the contents."""
    rows = []
    for number, section in enumerate(sections, start=1):
        page = pages.found.get(section.key)
        rows.append([f"{number}.", section.heading, str(page) if page else ""])
    contents = data_table(["", "Contents", "Page"], rows, [0.06, 0.82, 0.12], numeric=(2,))
    return [
        Spacer(1, 40),
        para("Steering-group pack", "title"),
        para(facts.trust, "subtitle"),
        Spacer(1, 10),
        figure_boxes(
            [
                (facts.place, "Scope"),
                (facts.period[:1].upper() + facts.period[1:], "Period"),
                _data_box(facts.data_date),
            ]
        ),
        Spacer(1, 12),
        rich(
            f"Prepared by WasteWalk {markup(facts.version)} on {uk_day_words(facts.today)} "
            "from the walks, observations, estimates, actions, time studies and activity "
            "follows recorded in it. Money is a year's worth (annualised), in pounds.",
            "body",
        ),
        Spacer(1, 18),
        contents,
        PageBreak(),
    ]


# --- headline figures -----------------------------------------------------------------------------


def headline(
    total: Figures,
    walks: int,
    observations: int,
    actions: ActionStatusCounts,
    today: dt.date,
) -> list[Flowable]:
    """The money (each cash and non-cash) and the activity behind it."""
    money = figure_boxes(
        [
            (money_text(total.opportunity), "Opportunity a year (waste seen, priced)"),
            (money_text(total.expected), "Estimated saving a year (actions)"),
            (money_text(total.validated), "Validated saving a year"),
        ]
    )
    split = data_table(
        ["", "Cash-releasing", "Non-cash-releasing", "Total"],
        [
            [
                name,
                money_text(getattr(total, f"{measure}_cash")),
                money_text(getattr(total, f"{measure}_non_cash")),
                money_text(getattr(total, measure)),
            ]
            for name, measure in (
                ("Opportunity", "opportunity"),
                ("Estimated saving", "expected"),
                ("Validated saving", "validated"),
            )
        ],
        [0.31, 0.23, 0.23, 0.23],
        numeric=(1, 2, 3),
    )
    open_now = actions.open + actions.in_progress
    activity = figure_boxes(
        [
            (f"{walks:,}", "Walks"),
            (f"{observations:,}", "Observations of waste"),
            (f"{open_now:,}", f"Actions open or in progress (of {actions.total:,})"),
            (f"{actions.overdue:,}", f"Actions overdue on {short_day(today)}"),
            (f"{actions.done:,}", "Actions done"),
            (f"{actions.validated:,}", "Actions with a validated saving"),
        ]
    )
    return [
        money,
        Spacer(1, 6),
        split,
        Spacer(1, 4),
        para(
            "Cash-releasing: a budget really falls (posts, bank or agency shifts, overtime or "
            "stock). Non-cash-releasing: time released to care. Estimated and validated "
            "savings are never added together.",
            "note",
        ),
        Spacer(1, 8),
        activity,
    ]


# --- wastes ---------------------------------------------------------------------------------------


def wastes(tallies: Sequence[WasteTally]) -> list[Flowable]:
    """Pareto of observations by waste, then of opportunity by waste, with a table of both."""
    labels = [t.label for t in tallies]
    counts = pareto_chart(
        labels,
        [float(t.observations) for t in tallies],
        value_words="Observations",
        width=CONTENT_WIDTH,
        height=190,
    )
    money = pareto_chart(
        labels,
        # In thousands of pounds: the axis reads "250", not "2.5e+05".
        [t.opportunity_pence / 100_000 for t in tallies],
        value_words="Opportunity a year (£ thousand)",
        value_text=[short_money(t.opportunity_pence) for t in tallies],
        width=CONTENT_WIDTH,
        height=190,
    )
    total_seen = sum(t.observations for t in tallies)
    total_money = sum(t.opportunity_pence for t in tallies)
    order = sorted(tallies, key=lambda t: (-t.observations, -t.opportunity_pence, t.label))
    rows: list[list[str | Flowable]] = [
        [
            t.label,
            f"{t.observations:,}",
            f"{100 * t.observations / total_seen:.0f}%" if total_seen else "–",
            money_text(t.opportunity_pence),
        ]
        for t in order
    ]
    rows.append(
        ["Total", f"{total_seen:,}", "100%" if total_seen else "–", money_text(total_money)]
    )
    table = data_table(
        ["Waste", "Observations", "Share", "Opportunity a year"],
        rows,
        [0.43, 0.19, 0.14, 0.24],
        numeric=(1, 2, 3),
        bold_last_row=True,
    )
    return [
        heading_with("Observations by waste", [counts]),
        heading_with("Opportunity by waste", [money]),
        Spacer(1, 6),
        table,
    ]


# --- savings by CSU or area ---------------------------------------------------------------------

SAVINGS_HEADER = [
    "Opportunity: cash",
    "Opportunity: non-cash",
    "Estimated: cash",
    "Estimated: non-cash",
    "Validated: cash",
    "Validated: non-cash",
]


def _money_cells(f: Figures) -> list[str | Flowable]:
    return [
        money_text(v)
        for v in (
            f.opportunity_cash,
            f.opportunity_non_cash,
            f.expected_cash,
            f.expected_non_cash,
            f.validated_cash,
            f.validated_non_cash,
        )
    ]


def savings_by(rollup: Rollup, what: str) -> list[Flowable]:
    """A line per CSU (or area) and class, with the total; 'what' names the lines ('CSU')."""
    if not rollup.rows:
        return [para("No estimates count in this scope and period yet.")]
    rows: list[list[str | Flowable]] = [[r.label, *_money_cells(r.figures)] for r in rollup.rows]
    rows.append(["Total", *_money_cells(rollup.total)])
    table = data_table(
        [what, *SAVINGS_HEADER],
        rows,
        [0.22] + [0.13] * 6,
        numeric=range(1, 7),
        bold_last_row=True,
    )
    return [
        table,
        Spacer(1, 4),
        para(
            "Opportunity counts on the day the waste was seen, an estimated saving on the day "
            "its action was made, a validated saving on the day it was validated. Each line is a "
            "sum of whole pence, so the lines add up to the total exactly.",
            "note",
        ),
    ]


# --- time studies ---------------------------------------------------------------------------------

STUDY_LIMIT = 40


def studies(results: Sequence[StudyResult]) -> list[Flowable]:
    """Each finished study's cycle count, normal and standard time and value-adding ratio."""
    if not results:
        return [para("No time study in this scope and period has been finished.")]
    shown = results[:STUDY_LIMIT]
    rows: list[list[str | Flowable]] = [
        [
            r.process,
            r.area_name,
            short_day(r.study_date),
            f"{r.cycles:,}",
            duration_text(r.normal_s),
            duration_text(r.standard_s),
            f"{100 * r.va_ratio:.0f}%" if r.va_ratio is not None else "–",
        ]
        for r in shown
    ]
    flowables: list[Flowable] = [
        data_table(
            ["Process", "Area", "Date", "Cycles", "Normal time", "Standard time", "VA ratio"],
            rows,
            [0.23, 0.27, 0.11, 0.07, 0.11, 0.12, 0.09],
            numeric=(3, 4, 5, 6),
        ),
        Spacer(1, 4),
    ]
    if len(results) > len(shown):
        flowables.append(
            para(
                f"The first {len(shown)} of {len(results)} finished studies are listed, by "
                "process and date; the time-study CSV export has them all.",
                "note",
            )
        )
    flowables.append(
        para(
            "Cycles: complete cycles timed. Normal time: the rated time of one cycle; standard "
            "time adds the study's allowance. VA ratio: the value-adding share of normal time.",
            "note",
        )
    )
    return flowables


# --- overdue actions ------------------------------------------------------------------------------


def overdue(actions: Sequence[ActionInfo], count: int, today: dt.date) -> list[Flowable]:
    """Overdue actions, oldest due first: who owns them and how late they are."""
    if not actions:
        return [para(f"No action is overdue on {uk_day_words(today)}.")]
    rows: list[list[str | Flowable]] = []
    for a in actions:
        assert a.due_date is not None  # overdue means it has a due date
        days = (today - a.due_date).days
        rows.append(
            [
                a.title,
                a.owner or "–",
                f"{a.area_name} ({a.csu_name})",
                short_day(a.due_date),
                f"{days:,}",
                STATUS_WORDS.get(ActionStatus(a.status), a.status),
            ]
        )
    flowables: list[Flowable] = [
        data_table(
            ["Action", "Owner", "Area", "Due", "Days overdue", "Status"],
            rows,
            [0.30, 0.14, 0.26, 0.11, 0.09, 0.10],
            numeric=(4,),
        ),
        Spacer(1, 4),
        para(
            f"Overdue on {uk_day_words(today)}: past the due date and still open or in progress.",
            "note",
        ),
    ]
    if count > len(actions):
        flowables.append(
            para(
                f"The {len(actions)} longest overdue of {count:,} are listed; the actions CSV "
                "export has them all.",
                "note",
            )
        )
    return flowables
