"""`wastewalk spc FILE.csv --value-column C ... --json`: an XmR chart worked out the NHS way."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from wastewalk.cli.common import Subparsers

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
    """Read the CSV, work out the chart, print it."""
    raise NotImplementedError("spc: being written (issue 6)")
