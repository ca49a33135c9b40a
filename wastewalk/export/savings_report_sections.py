"""The sections of the savings report, each a list of flowables from figures already read.

Every money figure printed here is a roll-up's whole pence through money_text: nothing is added up
from printed text, so the report's numbers are services.savings.rollup's to the penny.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from decimal import Decimal

from reportlab.platypus import CondPageBreak, Flowable, TableStyle

from wastewalk.domain.costing import money_text
from wastewalk.domain.nhs_number import redact_nhs_numbers
from wastewalk.export.pdf.charts import pareto_chart
from wastewalk.export.pdf.style import NHS_MID_GREY
from wastewalk.export.pdf.tables import Cell, data_table, figure_boxes
from wastewalk.export.pdf.text import markup, para, rich, shorten
from wastewalk.export.report_text import (
    date_text,
    gap,
    heading_over_long,
    heading_with,
    hours_text,
    number_text,
    plural,
    tight_number,
    wte_text,
)
from wastewalk.services.actions import STATUS_WORDS, ActionInfo
from wastewalk.services.report_figures import (
    ActionStatusCounts,
    AnnualisationBasis,
    OpportunityLine,
    RateUsed,
    WasteTally,
)
from wastewalk.services.savings import Figures, Rollup

logger = logging.getLogger(__name__)

HIDDEN = "[possible NHS number hidden]"
LIST_AREAS_UP_TO = 20  # areas named one by one under one figure of operating days

MEASURES = (
    ("Opportunity", "opportunity", "the annual cost of the waste seen (estimates on observations)"),
    ("Estimated saving", "expected", "what actions expect to save (their expected savings)"),
    ("Validated saving", "validated", "what actions were shown to save (validated and locked)"),
)


def _pence(figures: Figures, measure: str, part: str) -> int:
    if part == "total":
        return int(getattr(figures, measure))
    return int(getattr(figures, f"{measure}_{part}"))


# --- headline -----------------------------------------------------------------------------------


def headline(total: Rollup) -> list[Flowable]:
    """Three boxes (each measure a year) and the table that splits them by class, with hours."""
    figures = total.total
    boxes = figure_boxes(
        [
            (
                money_text(_pence(figures, measure, "total")),
                f"{label.lower()} a year: {money_text(_pence(figures, measure, 'cash'))} "
                "cash-releasing",
            )
            for label, measure, _ in MEASURES
        ],
        per_row=3,
    )
    rows = []
    for label, measure, _ in MEASURES:
        hours = figures.hours(measure)
        rows.append(
            [
                label,
                money_text(_pence(figures, measure, "cash")),
                money_text(_pence(figures, measure, "non_cash")),
                money_text(_pence(figures, measure, "total")),
                hours_text(hours),
                wte_text(hours, total.hours_per_wte),
            ]
        )
    table = data_table(
        ["A year", "Cash-releasing", "Non-cash-releasing", "Total", "Hours", "WTE"],
        rows,
        [0.22, 0.17, 0.17, 0.17, 0.14, 0.13],
        numeric={1, 2, 3, 4, 5},
    )
    note = para(
        f"{plural(figures.estimates, 'estimate')} make up these figures. Each measure is a sum "
        "of estimates in whole pence, so the parts add up to the totals to the penny. "
        "Cash-releasing and non-cash-releasing are never mixed: only the first takes money out "
        "of a budget.",
        "note",
    )
    return [heading_with("Headline figures", [boxes, gap(6), table, gap(3), note], "h1")]


# --- by place and by waste ----------------------------------------------------------------------


PLACE_HEADER = [
    "Opportunity cash-releasing",
    "Opportunity non-cash",
    "Estimated cash-releasing",
    "Estimated non-cash",
    "Validated cash-releasing",
    "Validated non-cash",
]


def _money_cells(figures: Figures) -> list[Cell]:
    # Six money columns side by side: a slightly smaller face keeps a trust's hundreds of
    # millions (to the penny) on one line in a seventh of the page.
    return [
        tight_number(money_text(_pence(figures, measure, part)))
        for _, measure, _ in MEASURES
        for part in ("cash", "non_cash")
    ]


def by_place(title: str, what: str, rollup_rows: Rollup, *, csu_rows: bool) -> list[Flowable]:
    """A table of CSUs or areas, each with the three measures split by class, and a total row.

    `what` is the column's heading and the word for one line ("CSU" or "Area"); `csu_rows` puts
    a line naming each CSU above its areas (areas come ordered by CSU)."""
    if not rollup_rows.rows:
        return [
            rich(markup(title), "h1"),
            para(f"No {what if what.isupper() else what.lower()} has a figure in this selection."),
        ]
    rows: list[list[Cell]] = []
    firsts: list[int] = []  # table rows (1 = first under the header) that open a CSU
    csu = None
    for row in rollup_rows.rows:
        name: Cell = row.label
        if csu_rows and row.csu_name != csu:
            # The CSU's name heads the cell of its first area, so it can never be left alone
            # at the foot of a page as a row of its own would be.
            csu = row.csu_name
            name = rich(f"<b>{markup(csu)} CSU</b><br/>{markup(row.label)}", "cell")
            firsts.append(len(rows) + 1)
        rows.append([name, *_money_cells(row.figures)])
    rows.append(["Total", *_money_cells(rollup_rows.total)])
    table = data_table(
        [what, *PLACE_HEADER],
        rows,
        [0.16, 0.14, 0.14, 0.14, 0.14, 0.14, 0.14],
        numeric={1, 2, 3, 4, 5, 6},
        bold_last_row=True,
    )
    commands: list[tuple[object, ...]] = []
    for index in firsts:
        commands.append(("VALIGN", (1, index), (-1, index), "BOTTOM"))
        if index > 1:
            commands.append(("LINEABOVE", (0, index), (-1, index), 0.8, NHS_MID_GREY))
    if commands:
        table.setStyle(TableStyle(commands))
    return heading_over_long(title, table, "h1")


def by_waste(tallies: Sequence[WasteTally], wastes: Rollup) -> list[Flowable]:
    """Observations and the three measures by waste, with the Pareto of the opportunity."""
    money = {row.label: row.figures for row in wastes.rows}
    rows: list[list[str]] = []
    listed: set[str] = set()
    for tally in tallies:
        figures = money.get(tally.label, Figures())
        listed.add(tally.label)
        rows.append([tally.label, f"{tally.observations:,}", *_waste_cells(figures)])
    for row in wastes.rows:  # an estimated saving on an action with no waste named, say
        if row.label not in listed:
            rows.append([row.label, "–", *_waste_cells(row.figures)])
    rows.append(["Total", f"{sum(t.observations for t in tallies):,}", *_waste_cells(wastes.total)])
    table = data_table(
        [
            "Waste",
            "Observations",
            "Opportunity cash-releasing",
            "Opportunity non-cash",
            "Estimated saving",
            "Validated saving",
        ],
        rows,
        [0.2, 0.13, 0.17, 0.17, 0.165, 0.165],
        numeric={1, 2, 3, 4, 5},
        bold_last_row=True,
    )
    priced = [t for t in tallies if t.opportunity_pence > 0]
    unit, words = _chart_unit(max((t.opportunity_pence for t in priced), default=0))
    chart = pareto_chart(
        [t.label for t in priced],
        # Pounds, thousands or millions keep the axis in plain figures; drawing only: the
        # table carries the pence.
        [t.opportunity_pence / unit for t in priced],
        value_words=f"Opportunity, {words} a year",
        value_text=[_short_money(t.opportunity_pence) for t in priced],
        height=180,
    )
    note = para(
        "Observations are those seen in the selection; the opportunity is the priced part of "
        "them. Estimated and validated savings are by the waste of the action's observations.",
        "note",
    )
    return [
        heading_with("By waste", [table, gap(3), note], "h1"),
        gap(6),
        heading_with("Pareto of the opportunity by waste", chart, "h2"),
    ]


def _chart_unit(largest_pence: int) -> tuple[int, str]:
    """Pence per unit of the chart's axis, and the unit in words."""
    if largest_pence >= 1_000_000_000:  # £10 million
        return 100_000_000, "£ million"
    if largest_pence >= 1_000_000:  # £10,000
        return 100_000, "£ thousand"
    return 100, "£"


def _waste_cells(figures: Figures) -> list[str]:
    return [
        money_text(figures.opportunity_cash),
        money_text(figures.opportunity_non_cash),
        money_text(figures.expected),
        money_text(figures.validated),
    ]


def _short_money(pence: int) -> str:
    """£608k, £12.4k, £950 over a chart's bar (the tables carry the exact figure)."""
    pounds = Decimal(pence) / 100
    if pounds >= 1_000_000:
        return f"£{pounds / 1_000_000:.2f}m"
    if pounds >= 10_000:
        return f"£{pounds / 1000:.0f}k"
    if pounds >= 1000:
        return f"£{pounds / 1000:.1f}k"
    return f"£{pounds:.0f}"


# --- biggest opportunities and actions ----------------------------------------------------------


def top_opportunities_section(lines: Sequence[OpportunityLine], limit: int) -> list[Flowable]:
    """The biggest priced wastes, with where they were seen."""
    title = f"The {limit} biggest opportunities"
    if not lines:
        return [rich(markup(title), "h1"), para("No observation in this selection is priced.")]
    rows = [
        [
            f"{number}",
            shorten(_shown(line.description, line.needs_identifier_review), 110)
            + (" (flagged for review)" if line.needs_identifier_review else ""),
            f"{line.area_name}\n{line.csu_name} CSU",
            line.waste_label,
            hours_text(Decimal(line.hours_e4) / 10_000),
            money_text(line.annual_value_pence),
            "Y" if line.cash_releasing else "N",
        ]
        for number, line in enumerate(lines, start=1)
    ]
    table = data_table(
        ["", "What was seen", "Where", "Waste", "Hours a year", "£ a year", "Cash"],
        rows,
        [0.04, 0.34, 0.2, 0.14, 0.1, 0.12, 0.06],
        numeric={0, 4, 5},
    )
    return heading_over_long(title, table, "h1")


def _shown(text: str, flagged: bool) -> str:
    return redact_nhs_numbers(text, HIDDEN) if flagged else text


def actions_section(
    counts: ActionStatusCounts, overdue: Sequence[ActionInfo], today: dt.date, shown: int
) -> list[Flowable]:
    """Actions by status, and the longest overdue of them."""
    table = data_table(
        ["Open", "In progress", "Done", "Dropped", "All", "Overdue", "Validated"],
        [
            [
                f"{counts.open:,}",
                f"{counts.in_progress:,}",
                f"{counts.done:,}",
                f"{counts.dropped:,}",
                f"{counts.total:,}",
                f"{counts.overdue:,}",
                f"{counts.validated:,}",
            ]
        ],
        numeric={0, 1, 2, 3, 4, 5, 6},
    )
    note = para(
        f"Actions made in the selection, by status. Overdue: past the due date on "
        f"{date_text(today)} and still open or in progress. Validated: the saving has been "
        "validated and the action locked.",
        "note",
    )
    parts: list[Flowable] = [heading_with("Actions", [table, gap(3), note], "h1")]
    if overdue:
        rows = [
            [
                a.title,
                f"{a.area_name}\n{a.csu_name} CSU",
                a.owner or "–",
                date_text(a.due_date),
                STATUS_WORDS.get(a.status, a.status),  # type: ignore[call-overload]
                money_text(a.expected.annual_value_pence) if a.expected else "–",
            ]
            for a in overdue
        ]
        table = data_table(
            ["Overdue action", "Where", "Owner", "Due", "Status", "Expected saving a year"],
            rows,
            [0.3, 0.2, 0.14, 0.13, 0.1, 0.13],
            numeric={5},
        )
        title = (
            "Overdue actions, longest overdue first"
            if counts.overdue <= shown
            else f"The {shown} longest overdue of {counts.overdue:,} overdue actions"
        )
        parts += [gap(4), *heading_over_long(title, table, "h2")]
    return parts


# --- basis ---------------------------------------------------------------------------------------


def basis_section(rates: Sequence[RateUsed], basis: AnnualisationBasis) -> list[Flowable]:
    """The staff rates behind the money, the annualisation, hours per WTE and the definitions."""
    # The section's heading never sits alone at a page foot.
    parts: list[Flowable] = [CondPageBreak(200), rich(markup("Basis of the figures"), "h1")]
    if rates:
        table = data_table(
            ["Staff group", "£ an hour", "Source", "Year", "Estimates"],
            [
                [
                    f"{r.label}\n({r.code})",
                    money_text(r.rate_pence),
                    r.source,
                    r.year,
                    f"{r.estimates:,}",
                ]
                for r in rates
            ],
            [0.27, 0.1, 0.45, 0.08, 0.1],
            numeric={1, 4},
        )
        parts += heading_over_long("Staff rates used", table, "h2")
        parts.append(
            para(
                "Each estimate keeps the rate it was priced with; a rate edited since then shows "
                "twice, once for each figure in use.",
                "note",
            )
        )
    else:
        parts += [rich(markup("Staff rates used"), "h2"), para("No estimate uses a staff rate.")]
    parts += _annualisation(basis)
    parts += _definitions()
    return parts


def _annualisation(basis: AnnualisationBasis) -> list[Flowable]:
    factors = "; ".join(
        f"per {f.per}: × {f.words}" if f.factor is None else f"per {f.per}: × {f.factor}"
        for f in basis.factors
    )
    lines: list[Flowable] = [
        para(
            "An estimate counts how often the waste happens (so many a day, a week, a month or "
            f"a year) and turns it into a year: {factors}.",
        ),
    ]
    groups = basis.days_groups()
    # At trust scale most areas share one figure: name the exceptions, count the rest.
    common = max(groups, key=lambda g: len(g[1]), default=None)
    for days, areas in groups:
        if common is not None and days == common[0] and len(areas) > LIST_AREAS_UP_TO:
            continue
        names = ", ".join(f"{a.area_name} ({a.csu_name})" for a in areas)
        lines.append(rich(f"<b>{days} operating days a year:</b> {markup(names)}", "small"))
    if common is not None and len(common[1]) > LIST_AREAS_UP_TO:
        others = "the other" if len(groups) > 1 else "all"
        lines.append(
            rich(
                f"<b>{common[0]} operating days a year:</b> {others} "
                f"{len(common[1]):,} areas in the selection",
                "small",
            )
        )
    if not basis.areas:
        lines.append(para("No area is in this selection.", "small"))
    hours = basis.hours_per_wte
    lines.append(
        para(
            f"Whole-time equivalents (WTE) divide hours a year by {number_text(hours)} hours, "
            "the working hours of one full-time post a year (a setting; 37.5 × 52 = 1,950 by "
            "default). Each estimate keeps the operating days and WTE year it was priced with.",
        )
    )
    return [gap(4), heading_with("Annualisation", lines[0], "h2"), *lines[1:]]


def _definitions() -> list[Flowable]:
    items = [
        (
            "Cash-releasing",
            "a budget really falls: posts, bank or agency shifts, overtime or stock removed. "
            "Every cash-releasing figure has a written basis. Non-cash-releasing: time released "
            "to care, worth the same hours but no money leaves a budget.",
        ),
        *[(label, words[0].upper() + words[1:] + ".") for label, _, words in MEASURES],
        (
            "Counted on",
            "an opportunity counts on the UK day its observation was made; an estimated saving "
            "on the day its action was made; a validated saving on the day it was validated. "
            "The dates of the selection choose figures by these days.",
        ),
        (
            "What never counts",
            "deleted observations, deleted actions and removed estimates; a validated saving "
            "whose action has been unlocked, until it is validated again.",
        ),
    ]
    lines = [rich(f"<b>{markup(label)}:</b> {markup(text)}", "small") for label, text in items]
    return [gap(4), heading_with("Definitions", lines, "h2")]
