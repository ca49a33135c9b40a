"""`wastewalk export csv --what ... --out DIR [--csu --area --from --to]`: CSV for a spreadsheet."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path

from wastewalk.cli.common import EXIT_OK, Subparsers, open_db, parse_date
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

NAME = "export"


def add_parser(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    """The `export csv` command."""
    export = sub.add_parser("export", parents=[common], help="write data out as files")
    export_sub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    to_csv = export_sub.add_parser(
        "csv",
        parents=[common],
        help="CSV files for a spreadsheet (UTF-8, all or nothing)",
        description="Write CSV files for a spreadsheet into a folder. --what savings writes "
        "savings_by_area.csv, savings_by_csu.csv and estimates.csv. See docs/csv.md.",
    )
    to_csv.add_argument("--what", required=True, choices=tuple(EXPORTS), help="what to export")
    to_csv.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="the folder (made if missing)"
    )
    to_csv.add_argument("--csu", help="only this CSU (its name)")
    to_csv.add_argument("--area", help="only this area: its name, or 'CSU/Area'")
    to_csv.add_argument(
        "--from", dest="date_from", type=parse_date, metavar="YYYY-MM-DD", help="from this day (UK)"
    )
    to_csv.add_argument(
        "--to", dest="date_to", type=parse_date, metavar="YYYY-MM-DD", help="to this day, inclusive"
    )


def run(args: argparse.Namespace, target: str | None) -> int:
    """`wastewalk export csv`: one writer per --what."""
    db = open_db(target, create=False)
    try:
        for line in EXPORTS[args.what](db, args):
            print(line)
    finally:
        db.close()
    return EXIT_OK


def _export_savings(db: Database, args: argparse.Namespace) -> list[str]:
    from wastewalk.domain.costing import money_text
    from wastewalk.export.savings_csv import export_savings_csv, savings_filter

    flt = savings_filter(
        db, csu=args.csu, area=args.area, date_from=args.date_from, date_to=args.date_to
    )
    done = export_savings_csv(db, args.out, flt)
    total = done.total
    lines = [
        f"Wrote {done.areas} area(s), {done.csus} CSU(s) and {done.estimates} estimate(s) to "
        f"{args.out}: {', '.join(path.name for path in done.files)}."
    ]
    for word, cash, non_cash in (
        ("Opportunity", total.opportunity_cash, total.opportunity_non_cash),
        ("Estimated saving", total.expected_cash, total.expected_non_cash),
        ("Validated saving", total.validated_cash, total.validated_non_cash),
    ):
        lines.append(
            f"{word}: {money_text(cash + non_cash)} a year ({money_text(cash)} cash-releasing, "
            f"{money_text(non_cash)} non-cash-releasing)"
        )
    if not done.estimates:
        lines.append("No estimates match, so the files hold their header rows only.")
    return lines


_EXPORTS: dict[str, Callable[[Database, argparse.Namespace], list[str]]] = {
    "savings": _export_savings,
}


EXPORTS: dict[str, Callable[[Database, argparse.Namespace], list[str]]] = {
    "savings": _export_savings,
}
