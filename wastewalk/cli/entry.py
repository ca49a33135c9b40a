"""The `wastewalk` grammar and dispatch: demo, db and import here, the rest in their own modules."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from wastewalk import __version__
from wastewalk.cli import exports, packs, reports, spc, timestudy
from wastewalk.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_FAULT,
    EXIT_OK,
    GuiLauncher,
    Subparsers,
    open_db,
    parse_date,
)
from wastewalk.domain.errors import DatabaseError, WasteWalkError
from wastewalk.store import paths
from wastewalk.store.database import Database, integrity_report

logger = logging.getLogger(__name__)

# Commands that live in a module of their own: NAME, add_parser(sub, common), run(args, target).
COMMAND_MODULES = (timestudy, exports, reports, spc, packs)


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line grammar."""
    db_help = f"database file or URL (default: ${paths.ENV_DB}, else the user's data folder)"
    # --db goes before or after the command. The commands' copy has no default (SUPPRESS):
    # argparse copies a sub-parser's defaults over what the main parser read, so a default of None
    # there made `wastewalk --db F pack import P` import into the default file, not F.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=db_help)
    parser = argparse.ArgumentParser(
        prog="wastewalk",
        description="Waste walks, direct observation and savings for NHS improvement teams.",
    )
    parser.add_argument("--db", metavar="PATH_OR_URL", help=db_help)
    parser.add_argument("--version", action="version", version=f"WasteWalk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", parents=[common], help="open the window (the default)")

    demo = sub.add_parser("demo", parents=[common], help="fill a new database with a demo trust")
    demo.add_argument("--seed", type=int, default=1, help="same seed, same demo (default 1)")

    db = sub.add_parser("db", parents=[common], help="upgrade, check, back up or restore")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="migrate to this version (backup first)")
    db_sub.add_parser("check", parents=[common], help="full integrity and foreign-key check")
    backup = db_sub.add_parser("backup", parents=[common], help="online backup to a file")
    backup.add_argument("out", metavar="OUT", type=Path)
    restore = db_sub.add_parser(
        "restore", parents=[common], help="replace the database with a backup (current kept)"
    )
    restore.add_argument("backup", metavar="BACKUP", type=Path)
    db_sub.add_parser("backups", parents=[common], help="list the automatic backups")

    imp = sub.add_parser("import", parents=[common], help="bulk entry from CSV files")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="WHAT", required=True)
    areas = imp_sub.add_parser(
        "areas", parents=[common], help="CSUs and areas: csu,area[,operating_days_per_year]"
    )
    areas.add_argument("file", metavar="FILE.csv", type=Path)
    observations = imp_sub.add_parser(
        "observations", parents=[common], help="observations from paper sheets (all or nothing)"
    )
    observations.add_argument("file", metavar="FILE.csv", type=Path)
    _add_timestudy_import(imp_sub, common)
    for module in COMMAND_MODULES:
        module.add_parser(sub, common)
    return parser


def _add_timestudy_import(imp_sub: Subparsers, common: argparse.ArgumentParser) -> None:
    timestudy = imp_sub.add_parser(
        "timestudy",
        parents=[common],
        help="readings typed from a paper Time Observation Sheet (all or nothing)",
        description="Make a new time study from a CSV of readings typed from a paper sheet. "
        "Columns: element, element_order, cycle, seconds; optional rating_pct, value_class, "
        "excluded, exclude_reason. All or nothing. See docs/import-timestudy.md.",
    )
    timestudy.add_argument("file", metavar="FILE.csv", type=Path)
    timestudy.add_argument("--name", required=True, help="the new study's name (unique)")
    timestudy.add_argument(
        "--area", required=True, help="the area: its name, or 'CSU/Area' (or use --csu)"
    )
    timestudy.add_argument("--csu", help="the area's CSU, where the area name is not enough")
    timestudy.add_argument("--process", default="", help="the process studied (default: the name)")
    timestudy.add_argument("--observer", default="", help="who timed it")
    timestudy.add_argument(
        "--date",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="the day it was timed (default: today)",
    )
    timestudy.add_argument(
        "--allowance-pct", type=float, default=0.0, metavar="P", help="allowance %% (default 0)"
    )
    timestudy.add_argument(
        "--allowance-basis",
        choices=("job", "workday"),
        default="job",
        help="job: ST = NT x (1 + A); workday: ST = NT / (1 - A) (default job)",
    )
    timestudy.add_argument(
        "--selected-time",
        choices=("mean", "lrt"),
        default="mean",
        help="rate the mean or the lowest repeatable time (default mean)",
    )
    timestudy.add_argument(
        "--available-minutes",
        type=float,
        metavar="M",
        help="available working minutes, for takt time (with --demand)",
    )
    timestudy.add_argument(
        "--demand", type=float, metavar="D", help="demand in that time (with --available-minutes)"
    )
    timestudy.add_argument(
        "--confidence",
        type=int,
        choices=(90, 95, 99),
        default=95,
        help="confidence %% for the cycles needed (default 95)",
    )
    timestudy.add_argument(
        "--accuracy-pct",
        type=float,
        default=5.0,
        metavar="H",
        help="accuracy +/-H %% for the cycles needed (default 5)",
    )


def main(argv: Sequence[str] | None = None, *, launch_gui: GuiLauncher | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging()
    target = args.db
    try:
        if args.command in (None, "gui"):
            if launch_gui is None:
                print("The window is not available from here.", file=sys.stderr)
                return EXIT_BAD_INPUT
            return launch_gui(target)
        handler = _HANDLERS.get(args.command) or _MODULE_RUN[args.command]
        return handler(args, target)
    except WasteWalkError as exc:
        print(f"wastewalk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("wastewalk: stopped; nothing was changed by the unfinished step.", file=sys.stderr)
        return EXIT_FAULT
    except BrokenPipeError:
        # Whatever read the output stopped reading (`wastewalk ... | head`). Say nothing more and
        # end as Unix tools do then (128 + SIGPIPE); not a fault to report.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception:
        logger.exception("unexpected fault running %s", list(argv or sys.argv[1:]))
        print(
            "wastewalk: sorry, something went wrong inside WasteWalk. Nothing was changed. "
            f"The details are in {_log_path()}; please send that file to your support team.",
            file=sys.stderr,
        )
        return EXIT_FAULT


def _log_path() -> Path:
    return paths.data_dir() / "wastewalk.log"


def _configure_logging() -> None:
    root = logging.getLogger()
    if any(getattr(h, "_wastewalk", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            _log_path(), maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)  # a read-only profile must not stop the program
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._wastewalk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _cmd_demo(args: argparse.Namespace, target: str | None) -> int:
    from wastewalk.services.demo import make_demo

    db = open_db(target)
    try:
        result = make_demo(db, seed=args.seed)
    finally:
        db.close()
    print(
        f"Demo trust '{result.trust_name}' written to {db.display_name}: {result.csus} CSUs, "
        f"{result.areas} areas, {result.walks} walks, {result.observations} observations "
        f"({result.flagged} flagged as possibly holding an NHS number), "
        f"{result.time_studies} time studies and {result.follows} activity follows."
    )
    return EXIT_OK


def _cmd_db(args: argparse.Namespace, target: str | None) -> int:
    action = args.db_command
    if action == "restore":
        return _restore(target, args.backup)
    db = open_db(
        target,
        upgrade=action == "upgrade",
        daily_backup=action != "check",
        create=action not in ("check", "backup", "backups"),
    )
    try:
        if action == "upgrade":
            from wastewalk.store.migrations import head_revision

            if db.upgraded_from == head_revision():
                print(f"{db.display_name} is already up to date (version {head_revision()}).")
            else:
                print(
                    f"{db.display_name} upgraded from version {db.upgraded_from or 'none'} "
                    f"to {head_revision()}."
                )
                if db.pre_upgrade_backup:
                    print(f"A copy from before the upgrade is at {db.pre_upgrade_backup}")
            return EXIT_OK
        if action == "check":
            problems = integrity_report(db)
            if problems:
                print(f"{db.display_name} has problems:", file=sys.stderr)
                for problem in problems[:50]:
                    print(f"  {problem}", file=sys.stderr)
                return EXIT_BAD_INPUT
            print(f"{db.display_name}: ok (integrity and foreign keys checked).")
            return EXIT_OK
        if action == "backup":
            if db.path is None:
                raise DatabaseError(
                    "Backups of a shared PostgreSQL database are made on the server (pg_dump)."
                )
            from wastewalk.store.backup import backup_to

            out = backup_to(db.path, args.out)
            print(f"Backed up {db.path} to {out}")
            return EXIT_OK
        if action == "backups":
            if db.path is None:
                raise DatabaseError("Automatic backups are kept for local database files only.")
            from wastewalk.store.backup import backup_folder_for, list_backups

            found = list_backups(db.path)
            print(f"Backups of {db.path} (in {backup_folder_for(db.path)}):")
            for item in found:
                print(f"  {item.name}")
            if not found:
                print("  none yet")
            return EXIT_OK
    finally:
        db.close()
    raise AssertionError(f"unhandled db action {action}")


def _restore(target: str | None, source: Path) -> int:
    from wastewalk.store.backup import restore
    from wastewalk.store.engine import sqlite_path, to_url

    path = sqlite_path(to_url(target or paths.default_database()))
    if path is None:
        raise DatabaseError("Restore works on local database files only.")
    if not source.is_file():
        raise DatabaseError(f"There is no backup file at {source}")
    kept = restore(path, source)
    db = open_db(str(path))
    db.close()
    print(f"Restored {path} from {source}. The file it replaced is kept as {kept}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, target: str | None) -> int:
    if not args.file.is_file():
        raise WasteWalkError(f"{args.file}: no such file")
    db = open_db(target)
    try:
        if args.import_command == "areas":
            from wastewalk.services.import_areas import import_areas

            areas = import_areas(db, args.file)
            print(
                f"{args.file}: {areas.rows} row(s); {areas.csus_created} new CSU(s), "
                f"{areas.areas_created} new area(s), {areas.areas_updated} updated, "
                f"{areas.areas_unchanged} already present."
            )
        elif args.import_command == "timestudy":
            _import_timestudy(db, args)
        else:
            from wastewalk.services.import_observations import import_observations

            obs = import_observations(db, args.file)
            print(
                f"{args.file}: {obs.rows} row(s); {obs.observations_created} observation(s) "
                f"in {obs.walks_created} new walk(s); {obs.observations_skipped} already "
                f"imported; {obs.flagged_identifiers} flagged as possibly holding an NHS number."
            )
            if obs.estimates_created or obs.estimates_skipped:
                print(
                    f"{obs.estimates_created} estimate(s) added; {obs.estimates_skipped} left as "
                    "they were (the observation already had an estimate, or was deleted)."
                )
    finally:
        db.close()
    return EXIT_OK


def _import_timestudy(db: Database, args: argparse.Namespace) -> None:
    from wastewalk.services.import_timestudy import TimeStudyImportOptions, import_timestudy

    result = import_timestudy(
        db,
        args.file,
        TimeStudyImportOptions(
            name=args.name,
            area=args.area,
            csu=args.csu,
            process=args.process,
            observer=args.observer,
            study_date=args.date,
            allowance_pct=args.allowance_pct,
            allowance_basis=args.allowance_basis,
            selected_time=args.selected_time,
            available_minutes=args.available_minutes,
            demand=args.demand,
            confidence_pct=args.confidence,
            accuracy_pct=args.accuracy_pct,
        ),
    )
    print(
        f"{args.file}: time study '{result.name}' in {result.csu_name}/{result.area_name}: "
        f"{result.elements} element(s), {result.readings} reading(s) over {result.cycles} "
        f"cycle(s) ({result.not_performed} not performed, {result.excluded} excluded)."
    )


_HANDLERS: dict[str, Callable[[argparse.Namespace, str | None], int]] = {
    "demo": _cmd_demo,
    "db": _cmd_db,
    "import": _cmd_import,
}
_MODULE_RUN = {module.NAME: module.run for module in COMMAND_MODULES}
