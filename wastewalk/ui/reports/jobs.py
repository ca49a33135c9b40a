"""What the Reports tab can build, and the plain functions the worker runs to build it.

The export modules are imported when first used: they bring in reportlab, which the window does
not need until someone asks for a report.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from wastewalk.domain.errors import InputError, WasteWalkError
from wastewalk.domain.progress import Progress
from wastewalk.services.data_filter import DataFilter
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


class ReportKind(StrEnum):
    WALK = "walk"
    SAVINGS = "savings"
    PACK = "pack"
    CSV = "csv"


KIND_TITLES: dict[ReportKind, str] = {
    ReportKind.WALK: "Walk summary",
    ReportKind.SAVINGS: "Savings report",
    ReportKind.PACK: "Steering-group pack",
    ReportKind.CSV: "CSV export",
}

KIND_HELP: dict[ReportKind, str] = {
    ReportKind.WALK: "One walk: who, where and when, what was seen by waste with photos, a "
    "Pareto chart, estimates and the actions agreed.",
    ReportKind.SAVINGS: "Savings for the trust, a CSU or an area: opportunity, estimated and "
    "validated savings, by place and by waste, top opportunities, and the rates used.",
    ReportKind.PACK: "For the steering group: headline figures, Pareto of wastes, SPC charts "
    "with a reading of each, savings by CSU (by area for one CSU), time-study results and "
    "overdue actions.",
    ReportKind.CSV: "Tidy CSV files for a spreadsheet (UTF-8, ISO dates, pounds with two "
    "decimals); docs/csv.md lists every column.",
}

# Characters Windows refuses in a file name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class ReportRequest:
    """One report as chosen: its kind, the filter, the walk (walk summary) and the --what (CSV)."""

    kind: ReportKind
    flt: DataFilter
    walk_id: uuid.UUID | None = None
    what: str = "all"

    @property
    def is_pdf(self) -> bool:
        return self.kind != ReportKind.CSV


def build_pdf(db: Database, request: ReportRequest, out: Path, progress: Progress) -> Any:
    """Write the PDF of `request` to `out`; the export's BuiltPdf (path, pages)."""
    if request.kind == ReportKind.WALK:
        from wastewalk.export.walk_report import write_walk_report

        if request.walk_id is None:
            raise ValueError("a walk summary needs a walk")
        return write_walk_report(db, request.walk_id, out, progress)
    if request.kind == ReportKind.SAVINGS:
        from wastewalk.export.savings_report import write_savings_report

        return write_savings_report(db, request.flt, out, progress)
    if request.kind == ReportKind.PACK:
        from wastewalk.export.pack_report import write_pack_report

        return write_pack_report(db, request.flt, out, progress)
    raise ValueError(f"{request.kind} is not a PDF report")


def error_words(exc: BaseException) -> str:
    """What went wrong, in plain words: the message of an error of the world (a folder that
    cannot be written, a walk since deleted), or an apology for a fault of the program."""
    if isinstance(exc, WasteWalkError):
        text = exc.summary() if isinstance(exc, InputError) else str(exc)
        return f"Nothing was saved. {text}"
    logger.error("a report failed", exc_info=exc)
    return (
        "Nothing was saved: WasteWalk met a fault of its own (a bug) while building this. "
        f"The details are in the log. ({type(exc).__name__}: {exc})"
    )


def file_name_part(text: str) -> str:
    """`text` safe inside a file name on any laptop: no slashes, colons or control characters."""
    cleaned = _UNSAFE.sub("-", text).strip(" .")
    return re.sub(r"\s+", " ", cleaned) or "report"


def default_file_name(title: str, place: str, day: dt.date) -> str:
    """'Savings report - Medicine CSU - 2026-11-24.pdf'."""
    return f"{file_name_part(title)} - {file_name_part(place)} - {day.isoformat()}.pdf"


CSV_CHOICES: tuple[tuple[str, str], ...] = (
    ("all", "All the files"),
    ("walks", "Walks"),
    ("observations", "Observations"),
    ("actions", "Actions"),
    ("estimates", "Cost estimates"),
    ("savings", "Savings by area and CSU"),
    ("readings", "Time-study readings"),
    ("elements", "Time-study elements"),
    ("activity", "Activity-follow segments"),
)


CSV_FILE_WORDS: dict[str, str] = {
    "walks.csv": "one row per walk, oldest first",
    "observations.csv": "one row per observation, with the walk it was seen on",
    "actions.csv": "one row per action, with its expected and validated savings",
    "savings_by_area.csv": "one row per area: opportunity, estimated and validated savings",
    "savings_by_csu.csv": "one row per CSU, with the same figures",
    "estimates.csv": "every counting estimate, with everything it was worked out from",
    "readings.csv": "time-study readings, cycle by cycle and element by element",
    "elements.csv": "one row per element of each time study, with its summary figures",
    "activity.csv": "one row per segment of each activity follow",
}


def csv_files(what: str) -> list[tuple[str, str]]:
    """The files `what` writes, each with a few words on what a row is."""
    from wastewalk.export.csv_exports import EXPORTS

    return [(name, CSV_FILE_WORDS.get(name, "")) for name in EXPORTS.get(what, ())]


def csv_choices() -> tuple[tuple[str, str], ...]:
    """The --what choices of `wastewalk export csv`, with words for the window."""
    return CSV_CHOICES


def write_csv(db: Database, request: ReportRequest, folder: Path, progress: Progress) -> Any:
    """Write the CSV files of `request.what` into `folder` (all or nothing): a CsvExport."""
    from wastewalk.export.csv_exports import export_csv

    return export_csv(db, folder, request.what, request.flt, progress)


def csv_done_words(done: Any, folder: Path) -> str:
    """What the window says after the CSV files are written: each file and its rows."""
    rows: dict[str, int] = done.rows
    files = ", ".join(f"{path.name} ({_rows(rows.get(path.name, 0))})" for path in done.files)
    words = f"Wrote {len(done.files)} CSV file{'s' if len(done.files) != 1 else ''} to {folder}: "
    words += f"{files}."
    redacted: dict[str, int] = done.redacted
    if redacted:
        words += (
            f" {sum(redacted.values()):,} row(s) may hold an NHS number nobody has redacted or "
            "confirmed; the suspected numbers were left out of the files."
        )
    if not any(rows.values()):
        words += " Nothing matches this CSU or area and period, so the files hold headers only."
    return words


def _rows(count: int) -> str:
    return f"{count:,} row{'s' if count != 1 else ''}"
