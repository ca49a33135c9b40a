"""`wastewalk timestudy list|summary NAME [--json]`: element time studies read from the file."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wastewalk.cli.common import EXIT_OK, Subparsers, one_line, open_db, table

if TYPE_CHECKING:
    from wastewalk.domain.time_study import StudySummary
    from wastewalk.services.time_studies import StudyInfo

logger = logging.getLogger(__name__)

NAME = "timestudy"


def add_parser(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    """The `timestudy` command and its actions."""
    studies = sub.add_parser("timestudy", parents=[common], help="element time studies")
    studies_sub = studies.add_subparsers(dest="timestudy_command", metavar="ACTION", required=True)
    summary = studies_sub.add_parser(
        "summary", parents=[common], help="a study's per-element and total figures"
    )
    summary.add_argument("name", metavar="NAME", help="the study's name")
    summary.add_argument(
        "--json", action="store_true", help="one JSON object, numbers unrounded (for scripts)"
    )
    studies_sub.add_parser("list", parents=[common], help="every study, newest first")


def run(args: argparse.Namespace, target: str | None) -> int:
    """`wastewalk timestudy list|summary`."""
    from wastewalk.services import time_studies

    db = open_db(target, create=False)
    try:
        if args.timestudy_command == "list":
            for line in _study_list_lines(time_studies.list_studies(db)):
                print(line)
            return EXIT_OK
        info = time_studies.find_study(db, args.name)
        info, summary = time_studies.study_summary(db, info.id)
    finally:
        db.close()
    if args.json:
        print(json.dumps(time_studies.summary_as_dict(info.name, summary), allow_nan=False))
    else:
        for line in _summary_lines(info, summary):
            print(line)
    return EXIT_OK


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _study_list_lines(studies: Sequence[StudyInfo]) -> list[str]:
    if not studies:
        return ["No time studies yet."]
    rows = [
        [
            one_line(s.name, 80),  # whole, so it can be copied into `timestudy summary`
            one_line(f"{s.csu_name}/{s.area_name}", 40),
            s.study_date.isoformat(),
            "paper" if s.source == "paper" else "timed",
            str(s.reading_count),
        ]
        for s in studies
    ]
    return table(["Study", "Area", "Date", "Source", "Readings"], rows, left=4)


def _summary_lines(info: StudyInfo, summary: StudySummary) -> list[str]:
    from wastewalk.domain.time_study import VALUE_CLASS_WORDS, ValueClass, more_cycles_needed

    settings = summary.settings
    basis = "of the workday" if settings.allowance_basis == "workday" else "on the job"
    selected = "the lowest repeatable time" if settings.selected_time == "lrt" else "the mean"
    lines = [
        one_line(info.name, 120),
        f"{one_line(info.csu_name, 60)}/{one_line(info.area_name, 60)}, "
        f"{info.study_date.isoformat()}"
        + (f", observer {one_line(info.observer, 60)}" if info.observer else "")
        + (", typed from paper" if info.source == "paper" else ""),
        f"Allowance {settings.allowance_pct:g} % {basis}; rating applied to {selected} "
        "of each element's valid readings. Times in seconds.",
        "",
    ]
    rows = []
    fell_back = False
    for e in summary.elements:
        lrt = _s(e.lrt_s)
        if e.selected_fell_back_to_mean:
            fell_back = True
            lrt += "*"
        rows.append(
            [
                str(e.order),
                one_line(e.name),
                str(e.value_class).upper(),
                str(e.n),
                _s(e.mean_s),
                _s(e.min_s),
                _s(e.max_s),
                lrt,
                ",".join(map(str, e.outlier_cycles)) or "-",
                f"{e.rating_pct:g} %",
                _s(e.normal_s),
                _s(e.standard_s),
            ]
        )
    headers = ["#", "Element", "Class", "n", "Mean", "Min", "Max", "LRT", "Outlier cycles"]
    lines += table([*headers, "Rating", "Normal", "Standard"], rows, left=3)
    cycles = summary.cycles
    lines += [
        "",
        f"Total normal time {summary.normal_total_s:.2f} s; "
        f"total standard time {summary.standard_total_s:.2f} s",
        f"Complete cycles: {cycles.n}"
        + (
            f" (mean {_s(cycles.mean_s)} s, min {_s(cycles.min_s)} s, max {_s(cycles.max_s)} s)"
            if cycles.n
            else " (a cycle counts once every element is read or marked not performed)"
        ),
    ]
    if summary.takt_s is not None:
        lines.append(
            f"Takt time: {summary.takt_s:.2f} s ({summary.takt_s / 60:.2f} min): "
            f"{settings.available_minutes:g} available minutes / demand {settings.demand:g}"
        )
    else:
        lines.append("Takt time: not set (it needs the available minutes and the demand)")
    lines.append(
        "Value-added ratio: "
        + (
            f"{summary.va_ratio * 100:.1f} % of the time of complete cycles is value-adding"
            if summary.va_ratio is not None
            else "- (no complete cycle yet)"
        )
    )
    more = more_cycles_needed(summary)
    lines.append(
        f"Cycles needed for +/-{settings.accuracy_pct:g} % at {settings.confidence_pct} % "
        "confidence: "
        + (
            f"{summary.cycles_needed} ({more} more)"
            if summary.cycles_needed is not None
            else "- (it needs two valid readings of an element)"
        )
    )
    if summary.elements_without_readings:
        names = ", ".join(one_line(name) for name in summary.elements_without_readings)
        lines.append(f"No valid readings, so left out of the totals: {names}")
    if fell_back:
        lines.append("* no whole-second reading repeats, so the mean is used for this element")
    words = ", ".join(f"{str(v).upper()} {VALUE_CLASS_WORDS[v].lower()}" for v in ValueClass)
    lines.append(f"Classes: {words}.")
    return lines
