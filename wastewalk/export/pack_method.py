"""The pack's method notes: how the SPC charts are made and read, and how the money is worked out
(the formula, the staff rates used with their sources, the annualisation factors, what counts as
validated), so a finance director can check any figure in the pack."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from reportlab.platypus import Flowable, Spacer

from wastewalk.domain.costing import money_text
from wastewalk.domain.spc import ASSURANCE_ICONS, TRIAL_BELOW, VARIATION_ICONS
from wastewalk.export.pdf.spc_chart import icon_symbol
from wastewalk.export.pdf.tables import data_table
from wastewalk.export.pdf.text import markup, para, rich
from wastewalk.export.report_text import heading_with
from wastewalk.services.report_figures import AnnualisationBasis, RateUsed

logger = logging.getLogger(__name__)

SPC_METHOD = (
    "Each chart is an XmR (individuals) chart made the way NHS England's Making Data Count "
    "programme and the NHS-R community's NHSRplotthedots package make them. The mean of the "
    "points is the centre line. The moving ranges (the differences between neighbouring points) "
    "are averaged, after moving ranges of 3.267 times their mean or more are screened out once; "
    "the process limits are the mean plus and minus 2.66 times that average moving range. About "
    "99 % of points of a stable process fall between them. A rebase starts a new set of limits; "
    f"nothing is carried across it. With fewer than {TRIAL_BELOW} points the limits are trial "
    "limits, drawn lighter and dotted: read them with care."
)

SPC_RULES = [
    "A point outside the process limits (a point exactly on a limit is inside).",
    "A trend: 7 points in a row each higher than the one before, or each lower; all 7 are marked.",
    "Two of three: 2 of 3 points in a row close to the same limit (beyond two-thirds of the way "
    "from the mean to it, same side of the mean); those 2 are marked.",
    "A shift: 7 or more points in a row on the same side of the mean (a point on the mean "
    "breaks the run).",
]

AREAS_NAMED = 20  # more areas than this are counted by operating days, not named

COSTING_FORMULA = [
    "annual occurrences = occurrences × the period's factor (below)",
    "annual hours = minutes each time × staff involved × annual occurrences ÷ 60",
    "staff cost = annual hours × the staff group's hourly cost",
    "annual value = staff cost + consumables each time × annual occurrences + other annual cost",
    "whole-time equivalent (WTE) = annual hours ÷ hours in a WTE year",
]


def spc_notes() -> list[Flowable]:
    """How the charts are made, the special-cause rules in order, and what each icon means."""
    rules = "<br/>".join(f"{n}. {markup(rule)}" for n, rule in enumerate(SPC_RULES, start=1))
    icon_rows: list[list[str | Flowable]] = [
        [icon_symbol(icon, 16), icon.title, icon.words]
        for icon in (*VARIATION_ICONS.values(), *ASSURANCE_ICONS.values())
    ]
    return [
        heading_with("SPC charts", [para(SPC_METHOD)]),
        Spacer(1, 4),
        rich(
            "<b>Special cause</b>, checked in this order (the first that applies is shown):<br/>"
            + rules
        ),
        Spacer(1, 4),
        para(
            "Colours of the points: grey, common cause (no signal); blue, special cause "
            "improvement; orange, special cause concern; purple, special cause where neither "
            "direction is better. Whether up is better is stated under each chart. The "
            "variation icon describes the latest point; the assurance icon compares a target "
            "with the latest limits and is shown only where a chart has a target."
        ),
        Spacer(1, 4),
        data_table(["Icon", "Meaning", "How to read it"], icon_rows, [0.08, 0.34, 0.58]),
    ]


def _hours(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def costing_notes(
    rates: Sequence[RateUsed], basis: AnnualisationBasis, hours_per_wte: Decimal
) -> list[Flowable]:
    """The formula, the period factors and operating days, the staff rates used, validation."""
    formula = "<br/>".join(markup(line) for line in COSTING_FORMULA)
    factors: list[list[str | Flowable]] = [
        [f"per {f.per}", f"{f.factor:,}" if f.factor is not None else "operating days", f.words]
        for f in basis.factors
    ]
    groups = basis.days_groups()
    if len(basis.areas) <= AREAS_NAMED:
        day_groups = "; ".join(
            f"{days} days a year: " + ", ".join(a.area_name for a in areas)
            for days, areas in groups
        )
    else:
        day_groups = "; ".join(f"{len(areas):,} areas {days} days a year" for days, areas in groups)
    flowables: list[Flowable] = [
        heading_with(
            "Costing",
            [
                para(
                    "Every estimate keeps its inputs and a written basis. Its value is worked "
                    "out as below and rounded half up to the penny once, at the end; a total is "
                    "a sum of whole pence."
                ),
                Spacer(1, 3),
                rich(formula, "small"),
            ],
        ),
        Spacer(1, 4),
        data_table(["Period", "Factor", "Meaning"], factors, [0.2, 0.2, 0.6]),
        Spacer(1, 3),
        para(
            "Operating days of the areas in scope: " + (day_groups or "none") + ". "
            f"A WTE year is {_hours(hours_per_wte)} hours.",
            "small",
        ),
        Spacer(1, 6),
    ]
    if rates:
        rate_rows: list[list[str | Flowable]] = [
            [r.label, money_text(r.rate_pence) + " an hour", r.source, r.year, f"{r.estimates:,}"]
            for r in rates
        ]
        flowables.append(
            heading_with(
                "Staff rates used",
                [
                    data_table(
                        ["Staff group", "Cost", "Source", "Year", "Estimates"],
                        rate_rows,
                        [0.25, 0.15, 0.38, 0.1, 0.12],
                        numeric=(1, 4),
                    )
                ],
                "h2",
            )
        )
        flowables.append(
            para(
                "An estimate keeps the rate it was priced with; a rate edited since appears "
                "twice, once for each figure in use.",
                "note",
            )
        )
    else:
        flowables.append(para("No estimate in scope uses a staff rate."))
    flowables += [
        Spacer(1, 6),
        heading_with(
            "What counts",
            [
                para(
                    "Opportunity: the estimates on observations, the yearly cost of the waste "
                    "seen. Estimated saving: the saving an action is expected to make. "
                    "Validated saving: the saving an action actually made, entered with who "
                    "validated it and when; it counts only while the action stays locked "
                    "(unlocking it to correct it takes it out until it is validated again). "
                    "Deleted observations and actions never count. Cash-releasing and "
                    "non-cash-releasing money are always shown apart."
                )
            ],
            "h2",
        ),
    ]
    return flowables
