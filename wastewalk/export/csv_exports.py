"""Every CSV export by name (`wastewalk export csv --what ...`): which files, built how, written
all or nothing in one call of csv_writer.write_csv_files.

The streamed files read from one session, so `--what all` is one consistent picture of the data
(SQLite gives a read transaction a snapshot). The column dictionary is docs/csv.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from wastewalk.domain.progress import Progress
from wastewalk.export.actions_csv import ACTIONS, actions_table
from wastewalk.export.activity_csv import ACTIVITY, activity_table
from wastewalk.export.csv_writer import CsvTable, write_csv_files
from wastewalk.export.observations_csv import OBSERVATIONS, observations_table
from wastewalk.export.rows_csv import Tally
from wastewalk.export.savings_csv import (
    BY_AREA,
    BY_CSU,
    ESTIMATES,
    estimates_table,
    savings_tables,
)
from wastewalk.export.timestudy_csv import ELEMENTS, READINGS, elements_table, readings_table
from wastewalk.export.walks_csv import WALKS, walks_table
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.savings import Figures
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

SAVINGS_FILES = (BY_AREA, BY_CSU, ESTIMATES)
ALL_FILES = (WALKS, OBSERVATIONS, ACTIONS, *SAVINGS_FILES, READINGS, ELEMENTS, ACTIVITY)
# What `--what` offers, and the files each writes (in the order they are written).
EXPORTS: dict[str, tuple[str, ...]] = {
    "walks": (WALKS,),
    "observations": (OBSERVATIONS,),
    "actions": (ACTIONS,),
    "estimates": (ESTIMATES,),
    "savings": SAVINGS_FILES,
    "readings": (READINGS,),
    "elements": (ELEMENTS,),
    "activity": (ACTIVITY,),
    "all": ALL_FILES,
}


@dataclass(frozen=True)
class SavingsCounts:
    """The savings files' headline: rows of the two roll-up files and the trust total."""

    areas: int
    csus: int
    total: Figures


@dataclass(frozen=True)
class CsvExport:
    """What one export wrote."""

    what: str
    folder: Path
    files: tuple[Path, ...]
    rows: dict[str, int] = field(default_factory=dict)  # data rows per file name
    redacted: dict[str, int] = field(default_factory=dict)  # rows with NHS numbers taken out
    savings: SavingsCounts | None = None  # when the savings roll-up files were written


def export_csv(
    db: Database,
    folder: Path,
    what: str,
    flt: DataFilter | None = None,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> CsvExport:
    """Write the files of `what` (a key of EXPORTS) for the filter into `folder`, all or none.

    An unwritable folder or a full disk is an ExportError; Cancelled raised by `progress` passes
    out. Either way no file is left half-written and files already there are untouched.
    `today` is the day actions are judged overdue on (default: today in the UK).
    """
    if what not in EXPORTS:
        raise ValueError(f"no CSV export called {what!r}; choose from {', '.join(EXPORTS)}")
    flt = flt or DataFilter()
    names = EXPORTS[what]
    tally = Tally(progress, names)
    savings: SavingsCounts | None = None
    with db.session() as session:
        tables: dict[str, CsvTable] = {}
        for name in names:
            if name in tables:
                continue
            if name == BY_AREA:
                made = savings_tables(db, session, flt, tally)
                tables.update(made.tables)
                savings = SavingsCounts(
                    len(made.by_area.rows), len(made.by_csu.rows), made.by_area.total
                )
            else:
                tables[name] = _table(name, db, session, flt, tally, today)
        files = write_csv_files(folder, {name: tables[name] for name in names})
    logger.info("CSV export %s: %s", what, tally.rows)
    return CsvExport(
        what=what,
        folder=folder,
        files=tuple(files),
        rows=dict(tally.rows),
        redacted={name: n for name, n in tally.redacted.items() if n},
        savings=savings,
    )


def _table(
    name: str,
    db: Database,
    session: Session,
    flt: DataFilter,
    tally: Tally,
    today: dt.date | None,
) -> CsvTable:
    if name == WALKS:
        return walks_table(session, flt, tally)
    if name == OBSERVATIONS:
        return observations_table(session, flt, tally)
    if name == ACTIONS:
        return actions_table(session, flt, tally, today)
    if name == ESTIMATES:
        return estimates_table(session, flt, tally)
    if name == READINGS:
        return readings_table(session, flt, tally)
    if name == ELEMENTS:
        return elements_table(db, session, flt, tally)
    if name == ACTIVITY:
        return activity_table(session, flt, tally)
    raise ValueError(f"no table called {name}")
