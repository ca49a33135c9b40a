"""`wastewalk report walk|savings|pack ... --out F.pdf`: the PDF reports."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from wastewalk.cli.common import Subparsers, add_filter_options

logger = logging.getLogger(__name__)

NAME = "report"


def add_parser(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    """The `report` command and its three reports."""
    report = sub.add_parser("report", parents=[common], help="PDF reports (A4)")
    report_sub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    walk = report_sub.add_parser("walk", parents=[common], help="one walk's summary")
    walk.add_argument("walk_id", metavar="WALK_ID", help="the walk's id (as in walks.csv)")
    walk.add_argument("--out", required=True, type=Path, metavar="F.pdf", help="the PDF to write")
    savings = report_sub.add_parser(
        "savings", parents=[common], help="savings for an area, a CSU or the trust"
    )
    add_filter_options(savings)
    savings.add_argument("--out", required=True, type=Path, metavar="F.pdf")
    pack = report_sub.add_parser(
        "pack", parents=[common], help="the steering-group pack for a CSU or the trust"
    )
    add_filter_options(pack)
    pack.add_argument("--out", required=True, type=Path, metavar="F.pdf")


def run(args: argparse.Namespace, target: str | None) -> int:
    """Write the chosen report."""
    raise NotImplementedError("report: being written (issue 6)")
