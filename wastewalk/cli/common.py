"""What every command shares: exit codes, opening the database, dates and filters as typed."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TypeAlias

from wastewalk.store.database import Database, open_database

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what read the output stopped reading

GuiLauncher = Callable[[str | None], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD argument, or argparse's own error naming the option."""
    from wastewalk.services.csv_input import CellError, parse_iso_date

    try:
        return parse_iso_date(text)
    except CellError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_filter_options(parser: argparse.ArgumentParser, *, dates: bool = True) -> None:
    """--csu, --area and (unless `dates` is False) --from and --to, as every export takes them."""
    parser.add_argument("--csu", help="only this CSU (its name)")
    parser.add_argument("--area", help="only this area: its name, or 'CSU/Area'")
    if dates:
        parser.add_argument(
            "--from",
            dest="date_from",
            type=parse_date,
            metavar="YYYY-MM-DD",
            help="from this day (UK)",
        )
        parser.add_argument(
            "--to",
            dest="date_to",
            type=parse_date,
            metavar="YYYY-MM-DD",
            help="to this day, inclusive",
        )


def open_db(target: str | None, **kwargs: bool) -> Database:
    """Open (and migrate) the database, printing any warning it has for the person."""
    db = open_database(target, **kwargs)
    for warning in db.warnings:
        print(f"wastewalk: warning: {warning}", file=sys.stderr)
    return db


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 2) -> list[str]:
    """Fixed-width lines: the first `left` columns left-aligned, the rest right-aligned."""
    cells = [list(headers), *[list(row) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def one_line(value: str, limit: int = 32) -> str:
    """User text on one line of a table: line breaks and control characters as spaces, cut short."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
