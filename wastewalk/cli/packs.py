"""`wastewalk pack export|import`: hand records from one laptop to another (or to the shared one).

    wastewalk pack export --out F.wwpack [--csu NAME | --area NAME] [--from --to]
                          [--since-last DEST]
    wastewalk pack import F.wwpack [--dry-run]

Import prints the preview (per table: new, updated, identical, local newer, conflicts; then each
conflict in words) and applies it in one transaction; --dry-run prints the preview and changes
nothing. A refused pack exits 2 with the reason and changes nothing.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from wastewalk.cli.common import EXIT_OK, Subparsers, add_filter_options, one_line, open_db, table

if TYPE_CHECKING:
    from wastewalk.services.pack_import import PackPreview

logger = logging.getLogger(__name__)

NAME = "pack"


def add_parser(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    """The `pack export` and `pack import` commands."""
    pack = sub.add_parser(
        "pack", parents=[common], help="hand data between laptops as .wwpack files"
    )
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    export = pack_sub.add_parser(
        "export",
        parents=[common],
        help="write a pack: everything, a CSU, an area, a period, or changes since the last",
        description="Write a .wwpack file (docs/pack-format.md): every record, or one CSU, area "
        "or period with the records they need, or (--since-last DEST) only what changed since "
        "the last pack written for DEST.",
    )
    export.add_argument("--out", required=True, type=Path, metavar="F.wwpack", help="the file")
    add_filter_options(export)
    export.add_argument(
        "--since-last",
        metavar="DEST",
        help="only what changed since the last pack for DEST (a laptop or person's name)",
    )
    imp = pack_sub.add_parser(
        "import",
        parents=[common],
        help="preview and import a pack (all or nothing; conflicts kept for a person)",
        description="Check a .wwpack file, print what it would do, and import it in one "
        "transaction. Records changed on both sides are kept as conflicts for a person to "
        "choose in the window; nothing is overwritten silently.",
    )
    imp.add_argument("file", metavar="F.wwpack", type=Path)
    imp.add_argument(
        "--dry-run", action="store_true", help="print the preview only; change nothing"
    )


def run(args: argparse.Namespace, target: str | None) -> int:
    """Export or import, then say what was done."""
    if args.pack_command == "export":
        return _export(args, target)
    return _import(args, target)


def _export(args: argparse.Namespace, target: str | None) -> int:
    from wastewalk.services.data_filter import resolve_filter
    from wastewalk.services.pack_export import export_pack

    db = open_db(target, create=False)
    try:
        flt = resolve_filter(
            db, csu=args.csu, area=args.area, date_from=args.date_from, date_to=args.date_to
        )
        done = export_pack(db, args.out, flt=flt, since_last=args.since_last)
    finally:
        db.close()
    total = sum(done.records.values())
    since = f" (changes since {done.since:%Y-%m-%d %H:%M} UTC)" if done.since else ""
    print(f"Wrote {done.path}: {total:,} record(s) and {done.photos:,} photo(s){since}.")
    rows = [[name, f"{count:,}"] for name, count in done.records.items() if count]
    if rows:
        for line in table(["table", "records"], rows, left=1):
            print(f"  {line}")
    return EXIT_OK


def _import(args: argparse.Namespace, target: str | None) -> int:
    from wastewalk.services.pack_import import import_pack

    db = open_db(target, create=not args.dry_run)
    try:
        done = import_pack(db, args.file, dry_run=args.dry_run)
    finally:
        db.close()
    for line in preview_lines(done.preview):
        print(line)
    if args.dry_run:
        print("Dry run: nothing was changed.")
    else:
        kept = done.preview.conflict_count
        print(
            f"Imported {done.preview.file_name}: {done.preview.new:,} new, "
            f"{done.preview.updated:,} updated, {done.preview.identical:,} already here."
            + (f" {kept:,} conflict(s) kept for you to choose in the window." if kept else "")
        )
    return EXIT_OK


def preview_lines(preview: PackPreview) -> list[str]:
    """The preview as the command prints it: a table per record type, then the conflicts."""
    created = f", made {preview.created_at:%Y-%m-%d %H:%M} UTC" if preview.created_at else ""
    lines = [
        f"Pack {preview.file_name} from device {preview.device_id}{created}: "
        f"{preview.records:,} record(s), {preview.photos:,} photo(s)."
    ]
    rows = [
        [
            t.table,
            f"{t.new:,}",
            f"{t.updated:,}",
            f"{t.identical:,}",
            f"{t.local_newer:,}",
            f"{t.conflicts:,}",
        ]
        for t in preview.tables
    ]
    rows.append(
        [
            "total",
            f"{preview.new:,}",
            f"{preview.updated:,}",
            f"{preview.identical:,}",
            f"{preview.local_newer:,}",
            f"{preview.conflict_count:,}",
        ]
    )
    headers = ["table", "new", "updated", "identical", "local newer", "conflicts"]
    lines += [f"  {line}" for line in table(headers, rows, left=1)]
    if preview.conflicts:
        lines.append("Conflicts (changed on both sides; both versions are kept):")
        words = {
            "both_edited": "edited here and in the pack",
            "edited_vs_deleted": "edited here, deleted in the pack",
            "deleted_vs_edited": "deleted here, edited in the pack",
        }
        for conflict in preview.conflicts:
            lines.append(
                f"  {one_line(conflict.label, 70)}: {words.get(conflict.kind, conflict.kind)}"
            )
    return lines
