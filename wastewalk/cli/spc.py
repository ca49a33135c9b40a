"""`wastewalk spc FILE.csv --value-column C ... --json`: an XmR chart worked out the NHS way.

The file is any CSV a spreadsheet saves (UTF-8, with or without Excel's byte-order mark). Points are
charted in file order; a blank value cell is a gap (no point), anything else must be a number.
docs/spc.md has the method and the JSON fields. Every problem with the file or the options exits 2
naming the file, row and column; nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from wastewalk.cli.common import EXIT_OK, Subparsers, one_line, table
from wastewalk.domain.errors import InputError, Problem
from wastewalk.domain.spc import (
    MIN_FIX_AFTER,
    MIN_POINTS,
    Improvement,
    SpcChart,
    SpcOptions,
    chart_as_dict,
    reading_of,
    xmr_chart,
)

logger = logging.getLogger(__name__)

NAME = "spc"


def add_parser(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    """The `spc` command (its contract is in issue 6 and docs/spc.md)."""
    spc = sub.add_parser(
        "spc",
        parents=[common],
        help="an XmR (SPC) chart of a CSV column, Making Data Count rules",
    )
    spc.add_argument("file", metavar="FILE.csv", type=Path)
    spc.add_argument("--value-column", required=True, metavar="C", help="the column of values")
    spc.add_argument("--date-column", metavar="D", help="the column of dates or labels")
    spc.add_argument(
        "--improvement",
        choices=("increase", "decrease", "neutral"),
        default="increase",
        help="which way is better (default increase)",
    )
    spc.add_argument("--target", type=float, metavar="T", help="a target, for the assurance icon")
    spc.add_argument(
        "--rebase-at",
        action="append",
        default=[],
        metavar="X",
        help="start a new group at this date (or 1-based row without --date-column); repeatable",
    )
    spc.add_argument(
        "--fix-after", type=int, metavar="N", help="fix the limits from the first N points (12+)"
    )
    spc.add_argument(
        "--no-screen-outliers",
        action="store_true",
        help="keep large moving ranges (as the MDC Excel tool does)",
    )
    spc.add_argument("--json", action="store_true", help="one JSON object (for scripts)")


def run(args: argparse.Namespace, target: str | None) -> int:
    """Read the CSV, work out the chart, print it (no database is opened)."""
    series = read_series(args.file, args.value_column, args.date_column)
    options = SpcOptions(
        improvement=Improvement(args.improvement),
        target=args.target,
        rebase_at=_rebase_indices(series, args.rebase_at, args.date_column),
        fix_after=args.fix_after,
        screen_outliers=not args.no_screen_outliers,
    )
    _check_options(series, options)
    chart = xmr_chart(series.labels, series.values, options)
    if args.json:
        print(json.dumps(chart_as_dict(chart), allow_nan=False))
    else:
        for line in chart_lines(chart):
            print(line)
    return EXIT_OK


# A plain decimal number as a spreadsheet writes it: no thousands separators, no currency or %
# signs (a "1,234" could as well be a European 1.234), no nan or inf.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True)
class Series:
    """The points read from the file: labels, values (None for a gap) and their spreadsheet rows."""

    file: str
    value_column: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    rows: tuple[int, ...]


def read_series(path: Path, value_column: str, date_column: str | None) -> Series:
    """The value (and label) column of a CSV file, every problem in it raised together."""
    name = str(path)
    rows = _read_rows(path)
    if not rows:
        raise InputError(Problem("the file is empty: there is no header row and no data", name))
    header_row, header = rows[0]
    value_at = _column_index(header, value_column, name, header_row)
    date_at = _column_index(header, date_column, name, header_row) if date_column else None
    problems: list[Problem] = []
    labels: list[str] = []
    values: list[float | None] = []
    numbers: list[int] = []
    seen: dict[str, int] = {}
    for number, cells in rows[1:]:
        text = _cell(cells, value_at)
        value = None
        if text and _NUMBER.fullmatch(text):
            value = float(text)
        elif text:
            problems.append(
                Problem(f"'{one_line(text, 40)}' is not a number", name, number, value_column)
            )
        if date_at is None:
            label = str(len(labels) + 1)
        else:
            assert date_column is not None
            label = _cell(cells, date_at)
            if not label:
                problems.append(Problem("the date (or label) is blank", name, number, date_column))
            elif label in seen:
                problems.append(
                    Problem(
                        f"'{one_line(label, 40)}' is also on row {seen[label]}; each point "
                        "needs a date (or label) of its own",
                        name,
                        number,
                        date_column,
                    )
                )
            seen.setdefault(label, number)
        labels.append(label)
        values.append(value)
        numbers.append(number)
    if date_column is not None and not problems:
        problems.extend(_dates_out_of_order(labels, numbers, name, date_column))
    if problems:
        raise InputError(problems[:50] + _more(problems, 50, name))
    if not labels:
        raise InputError(Problem("the file has a header row but no data rows", name))
    return Series(name, value_column, tuple(labels), tuple(values), tuple(numbers))


def _more(problems: list[Problem], limit: int, name: str) -> list[Problem]:
    rest = len(problems) - limit
    return [Problem(f"... and {rest} more problem(s)", name)] if rest > 0 else []


def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank records with their spreadsheet row numbers (the header is row 1)."""
    name = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            out = []
            reader = csv.reader(handle, strict=True)
            for cells in reader:
                if any(c.strip() for c in cells):
                    out.append((reader.line_num, cells))
            return out
    except FileNotFoundError:
        raise InputError(Problem(f"no such file (looked for {path.absolute()})", name)) from None
    except IsADirectoryError:
        raise InputError(Problem("this is a folder, not a CSV file", name)) from None
    except UnicodeDecodeError:
        raise InputError(
            Problem(
                "this is not UTF-8 text; in Excel choose File > Save As and the type "
                "'CSV UTF-8 (Comma delimited) (*.csv)'",
                name,
            )
        ) from None
    except csv.Error as exc:
        raise InputError(Problem(f"this cannot be read as CSV ({exc})", name)) from None
    except OSError as exc:
        raise InputError(
            Problem(f"the file cannot be opened: {exc.strerror or exc}", name)
        ) from None


def _column_index(header: list[str], wanted: str, name: str, row: int) -> int:
    """Where a column is: its heading as typed, or failing that ignoring case and spaces."""
    stripped = [h.strip() for h in header]
    if wanted.strip() in stripped:
        return stripped.index(wanted.strip())
    folded = [" ".join(h.split()).casefold() for h in header]
    key = " ".join(wanted.split()).casefold()
    if folded.count(key) == 1:
        return folded.index(key)
    present = ", ".join(f"'{h}'" for h in stripped if h) or "none"
    raise InputError(
        Problem(f"there is no column '{wanted}'; the columns are {present}", name, row, wanted)
    )


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _dates_out_of_order(
    labels: list[str], rows: list[int], name: str, column: str
) -> list[Problem]:
    """ISO dates must run forwards: the package sorts by date, and file order is charted here."""
    if not all(_ISO_DATE.fullmatch(label) for label in labels):
        return []
    try:
        dates = [dt.date.fromisoformat(label) for label in labels]
    except ValueError:
        return []
    for k in range(1, len(dates)):
        if dates[k] < dates[k - 1]:
            return [
                Problem(
                    f"{labels[k]} comes after {labels[k - 1]} (row {rows[k - 1]}); sort the file "
                    "by date, oldest first",
                    name,
                    rows[k],
                    column,
                )
            ]
    return []


def _rebase_indices(series: Series, wanted: list[str], date_column: str | None) -> tuple[int, ...]:
    """Each --rebase-at value as its point's index: a date or label, or a 1-based point number."""
    indices = []
    for text in wanted:
        key = text.strip()
        if key in series.labels:
            indices.append(series.labels.index(key))
            continue
        if date_column:
            hint = f"no row of column '{date_column}' holds '{key}'"
        else:
            hint = f"'{key}' is not a point number from 1 to {len(series.labels)}"
        raise InputError(Problem(f"--rebase-at {key}: {hint}", series.file, column=date_column))
    return tuple(indices)


def _check_options(series: Series, options: SpcOptions) -> None:
    points = sum(v is not None for v in series.values)
    if points < MIN_POINTS:
        raise InputError(
            Problem(
                f"column '{series.value_column}' has {points} number(s); an XmR chart needs at "
                f"least {MIN_POINTS} to work out its limits",
                series.file,
                column=series.value_column,
            )
        )
    if options.fix_after is not None and not MIN_FIX_AFTER <= options.fix_after <= points:
        raise InputError(
            f"--fix-after {options.fix_after}: the limits can be fixed from {MIN_FIX_AFTER} to "
            f"{points} points (the points in the file)"
            if points >= MIN_FIX_AFTER
            else f"--fix-after {options.fix_after}: limits are fixed from at least "
            f"{MIN_FIX_AFTER} points and the file has {points}"
        )
    starts = sorted({i for i in options.rebase_at if i > 0} | {0})
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(series.values)
        size = sum(v is not None for v in series.values[start:end])
        if size < MIN_POINTS:
            raise InputError(
                Problem(
                    f"with --rebase-at, the group starting at {series.labels[start]} would have "
                    f"{size} point(s); each group needs at least {MIN_POINTS} for its limits",
                    series.file,
                    series.rows[start],
                )
            )


_RULE_SHORT = {
    None: "",
    "outside_limits": "outside limits",
    "trend": "trend",
    "two_in_three": "2 of 3",
    "shift": "shift",
}
_TYPE_SHORT = {
    "common_cause": "common cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "special, high",
    "special_cause_neutral_low": "special, low",
}


def chart_lines(chart: SpcChart) -> list[str]:
    """The chart as a table, its icons and the reading, for a person at a terminal."""
    rows = [
        [
            one_line(p.x, 24),
            _n(p.y),
            str(p.group),
            _n(p.mean),
            _n(p.lpl),
            _n(p.upl),
            _RULE_SHORT[p.rule],
            _TYPE_SHORT[p.point_type],
        ]
        for p in chart.points
    ]
    lines = table(["x", "y", "group", "mean", "lower", "upper", "rule", "type"], rows, left=1)
    lines.append("")
    if chart.variation:
        icon = chart.variation
        lines.append(f"Variation  [{icon.letter}] {icon.title}. {icon.words}")
    if chart.assurance:
        icon = chart.assurance
        lines.append(f"Assurance  [{icon.letter}] {icon.title}. {icon.words}")
    elif chart.target is not None:
        lines.append("Assurance  none: no direction is better, so the target is not assessed.")
    if any(p.trial_limits for p in chart.points):
        lines.append("Trial limits: a group has fewer than 13 points, so its limits may move.")
    lines.append(reading_of(chart))
    return lines


def _n(value: float) -> str:
    # Six significant figures: enough to check by hand, short enough for a terminal.
    return f"{value:.6g}"
