"""The `wastewalk` command line: with no sub-command it opens the window; the rest work headless.

Exit codes: 0 success; 2 bad input or an unusable database, with a message saying what and where;
1 an unexpected fault (a bug), logged with its traceback. A failed command changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import logging.handlers
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wastewalk import __version__
from wastewalk.domain.errors import DatabaseError, WasteWalkError
from wastewalk.store import paths
from wastewalk.store.database import Database, integrity_report, open_database

if TYPE_CHECKING:
    from wastewalk.domain.time_study import StudySummary
    from wastewalk.services.time_studies import StudyInfo

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2

GuiLauncher = Callable[[str | None], int]


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line grammar."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=f"database file or URL (default: ${paths.ENV_DB}, else the user's data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="wastewalk",
        description="Waste walks, direct observation and savings for NHS improvement teams.",
        parents=[common],
    )
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
    _add_export(sub, common)

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
    return parser


def _add_timestudy_import(
    imp_sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
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
        "--date", type=_date, metavar="YYYY-MM-DD", help="the day it was timed (default: today)"
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


def _add_export(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    export = sub.add_parser("export", parents=[common], help="write data out as files")
    export_sub = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    to_csv = export_sub.add_parser(
        "csv",
        parents=[common],
        help="CSV files for a spreadsheet (UTF-8, all or nothing)",
        description="Write CSV files for a spreadsheet into a folder. --what savings writes "
        "savings_by_area.csv, savings_by_csu.csv and estimates.csv. See docs/csv.md.",
    )
    to_csv.add_argument("--what", required=True, choices=tuple(_EXPORTS), help="what to export")
    to_csv.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="the folder (made if missing)"
    )
    to_csv.add_argument("--csu", help="only this CSU (its name)")
    to_csv.add_argument("--area", help="only this area: its name, or 'CSU/Area'")
    to_csv.add_argument(
        "--from", dest="date_from", type=_date, metavar="YYYY-MM-DD", help="from this day (UK)"
    )
    to_csv.add_argument(
        "--to", dest="date_to", type=_date, metavar="YYYY-MM-DD", help="to this day, inclusive"
    )


def _date(text: str) -> dt.date:
    from wastewalk.services.csv_input import CellError, parse_iso_date

    try:
        return parse_iso_date(text)
    except CellError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
        handler = _HANDLERS[args.command]
        return handler(args, target)
    except WasteWalkError as exc:
        print(f"wastewalk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("wastewalk: stopped; nothing was changed by the unfinished step.", file=sys.stderr)
        return EXIT_FAULT
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


def _open(target: str | None, **kwargs: bool) -> Database:
    db = open_database(target, **kwargs)
    for warning in db.warnings:
        print(f"wastewalk: warning: {warning}", file=sys.stderr)
    return db


def _cmd_demo(args: argparse.Namespace, target: str | None) -> int:
    from wastewalk.services.demo import make_demo

    db = _open(target)
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
    db = _open(
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
    db = _open(str(path))
    db.close()
    print(f"Restored {path} from {source}. The file it replaced is kept as {kept}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, target: str | None) -> int:
    if not args.file.is_file():
        raise WasteWalkError(f"{args.file}: no such file")
    db = _open(target)
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


def _cmd_export(args: argparse.Namespace, target: str | None) -> int:
    db = _open(target, create=False)
    try:
        for line in _EXPORTS[args.what](db, args):
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


def _cmd_timestudy(args: argparse.Namespace, target: str | None) -> int:
    from wastewalk.services import time_studies

    db = _open(target, create=False)
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


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 2) -> list[str]:
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


def _text(value: str, limit: int = 32) -> str:
    """User text on one line of a table: line breaks and control characters as spaces, cut short."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _study_list_lines(studies: Sequence[StudyInfo]) -> list[str]:
    if not studies:
        return ["No time studies yet."]
    rows = [
        [
            _text(s.name, 80),  # whole, so it can be copied into `timestudy summary`
            _text(f"{s.csu_name}/{s.area_name}", 40),
            s.study_date.isoformat(),
            "paper" if s.source == "paper" else "timed",
            str(s.reading_count),
        ]
        for s in studies
    ]
    return _table(["Study", "Area", "Date", "Source", "Readings"], rows, left=4)


def _summary_lines(info: StudyInfo, summary: StudySummary) -> list[str]:
    from wastewalk.domain.time_study import VALUE_CLASS_WORDS, ValueClass, more_cycles_needed

    settings = summary.settings
    basis = "of the workday" if settings.allowance_basis == "workday" else "on the job"
    selected = "the lowest repeatable time" if settings.selected_time == "lrt" else "the mean"
    lines = [
        _text(info.name, 120),
        f"{_text(info.csu_name, 60)}/{_text(info.area_name, 60)}, {info.study_date.isoformat()}"
        + (f", observer {_text(info.observer, 60)}" if info.observer else "")
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
                _text(e.name),
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
    lines += _table([*headers, "Rating", "Normal", "Standard"], rows, left=3)
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
        names = ", ".join(_text(name) for name in summary.elements_without_readings)
        lines.append(f"No valid readings, so left out of the totals: {names}")
    if fell_back:
        lines.append("* no whole-second reading repeats, so the mean is used for this element")
    words = ", ".join(f"{str(v).upper()} {VALUE_CLASS_WORDS[v].lower()}" for v in ValueClass)
    lines.append(f"Classes: {words}.")
    return lines


_HANDLERS: dict[str, Callable[[argparse.Namespace, str | None], int]] = {
    "demo": _cmd_demo,
    "db": _cmd_db,
    "import": _cmd_import,
    "timestudy": _cmd_timestudy,
    "export": _cmd_export,
}
