"""`wastewalk report walk|savings|pack ... --out F.pdf`: the PDF reports."""

from __future__ import annotations

import argparse
import logging
import uuid
from pathlib import Path

from wastewalk.cli.common import EXIT_OK, Subparsers, add_filter_options, one_line, open_db
from wastewalk.domain.errors import InputError, Problem

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
    """Write the chosen report and say where, with its page count."""
    from wastewalk.services.data_filter import resolve_filter

    db = open_db(target, create=False)
    try:
        if args.report_command == "walk":
            from wastewalk.export.walk_report import write_walk_report

            built = write_walk_report(db, _walk_id(args.walk_id), args.out)
        else:
            flt = resolve_filter(
                db, csu=args.csu, area=args.area, date_from=args.date_from, date_to=args.date_to
            )
            if args.report_command == "savings":
                from wastewalk.export.savings_report import write_savings_report

                built = write_savings_report(db, flt, args.out)
            else:
                from wastewalk.export.pack_report import write_pack_report

                built = write_pack_report(db, flt, args.out)
    finally:
        db.close()
    print(f"Wrote {built.path} ({built.pages} page{'s' if built.pages != 1 else ''}).")
    return EXIT_OK


def _walk_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise InputError(
            Problem(
                f"'{one_line(text, 60)}' is not a walk id; ids look like "
                "5f67eaf8-9843-48f4-8276-57d5dc9a4740 (the walk_id column of walks.csv)",
                column="WALK_ID",
            )
        ) from None
