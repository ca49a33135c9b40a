"""`wastewalk export csv --what ... --out DIR [--csu --area --from --to]`: CSV for a spreadsheet."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from wastewalk.cli.common import EXIT_OK, Subparsers, add_filter_options, open_db

if TYPE_CHECKING:
    from wastewalk.export.csv_exports import CsvExport

logger = logging.getLogger(__name__)

NAME = "export"
# The keys of export.csv_exports.EXPORTS (checked by a test); named here so that reading the
# command line does not import the exports.
WHAT = (
    "walks",
    "observations",
    "actions",
    "estimates",
    "savings",
    "readings",
    "elements",
    "activity",
    "all",
)


def add_parser(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    """The `export csv` command."""
    export = sub.add_parser("export", parents=[common], help="write data out as files")
    export_sub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    to_csv = export_sub.add_parser(
        "csv",
        parents=[common],
        help="CSV files for a spreadsheet (UTF-8, all or nothing)",
        description="Write CSV files for a spreadsheet into a folder: walks.csv, "
        "observations.csv, actions.csv, estimates.csv, savings_by_area.csv and "
        "savings_by_csu.csv (--what savings, with estimates.csv), readings.csv, elements.csv, "
        "activity.csv, or all of them (--what all). Deleted records are left out. The columns "
        "are described in docs/csv.md.",
    )
    to_csv.add_argument("--what", required=True, choices=WHAT, help="what to export")
    to_csv.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="the folder (made if missing)"
    )
    add_filter_options(to_csv)


def run(args: argparse.Namespace, target: str | None) -> int:
    """`wastewalk export csv`: write the files, then say what was written."""
    from wastewalk.export.csv_exports import export_csv
    from wastewalk.services.data_filter import resolve_filter

    db = open_db(target, create=False)
    try:
        flt = resolve_filter(
            db, csu=args.csu, area=args.area, date_from=args.date_from, date_to=args.date_to
        )
        done = export_csv(db, args.out, args.what, flt)
    finally:
        db.close()
    for line in summary_lines(done):
        print(line)
    return EXIT_OK


def summary_lines(done: CsvExport) -> list[str]:
    """What the command prints: the files and their rows, savings totals, and any redaction."""
    from wastewalk.domain.costing import money_text

    lines: list[str] = []
    if done.savings is not None and done.what == "savings":
        lines.append(
            f"Wrote {done.savings.areas} area(s), {done.savings.csus} CSU(s) and "
            f"{done.rows.get('estimates.csv', 0)} estimate(s) to {done.folder}: "
            f"{', '.join(path.name for path in done.files)}."
        )
    else:
        lines.append(f"Wrote {len(done.files)} file(s) to {done.folder}:")
        lines += [f"  {path.name}: {done.rows.get(path.name, 0):,} row(s)" for path in done.files]
    if done.savings is not None:
        total = done.savings.total
        for word, cash, non_cash in (
            ("Opportunity", total.opportunity_cash, total.opportunity_non_cash),
            ("Estimated saving", total.expected_cash, total.expected_non_cash),
            ("Validated saving", total.validated_cash, total.validated_non_cash),
        ):
            lines.append(
                f"{word}: {money_text(cash + non_cash)} a year ({money_text(cash)} "
                f"cash-releasing, {money_text(non_cash)} non-cash-releasing)"
            )
    for name, count in done.redacted.items():
        lines.append(
            f"{name}: {count:,} row(s) may hold an NHS number that nobody has redacted or "
            "confirmed; the suspected numbers were taken out of the file. Redact or confirm "
            "them in WasteWalk."
        )
    if not any(done.rows.values()):
        things = (
            "No estimates match" if done.what in ("savings", "estimates") else "Nothing matches"
        )
        lines.append(f"{things}, so the files hold their header rows only.")
    return lines
