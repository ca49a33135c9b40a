"""Writing CSV files a spreadsheet opens safely: all or nothing, UTF-8 with BOM, formulas defused.

Every export writes through here, so each follows the same rules:

- UTF-8 with a byte-order mark (Excel then reads accents and the pound sign correctly), the csv
  module's default dialect (cells quoted where needed, CRLF line ends), a header row first.
- Text that a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage
  return) gets a leading single quote, so `=HYPERLINK(...)` in an observation is shown, not run.
  Numbers (int and Decimal) are written as numbers; floats and booleans are refused, so money can
  never pass through a float and "True" never stands for "Y".
- Each file is written to a hidden temporary file in the target folder, flushed to disk, and only
  then renamed over the target. If any file of a set fails, none is renamed and the temporary
  files are removed: a full disk or an unwritable folder leaves no half-written file behind.
  The renames themselves are all or none too (old files moved aside first, put back on failure),
  so a file held open elsewhere never leaves a mix of new and old files.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import logging
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from wastewalk.domain.errors import WasteWalkError

logger = logging.getLogger(__name__)

Cell = str | int | Decimal | dt.date | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(WasteWalkError):
    """An export could not be written (folder missing or read-only, disk full); nothing was."""


@dataclass(frozen=True)
class CsvTable:
    """One file's header and rows (rows may be a generator: they are written as they come).

    `prepared` rows already hold every cell as it is to be written: text passed through
    safe_text (or a number already formatted as text), int, or None. They go to the csv module
    as they are, without a check per cell: at a quarter of a million rows the check costs more
    than everything else (bench/bench_csv_export.py). The big entity exports build their rows so.
    """

    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    prepared: bool = False


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ tab or CR is defused with a quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: Cell) -> str:
    """One cell as written: numbers as numbers, dates as YYYY-MM-DD, text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("write Y or N, not a boolean")
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    raise TypeError(f"no CSV form for {type(value).__name__}")


def write_csv_files(folder: Path, tables: Mapping[str, CsvTable]) -> list[Path]:
    """Write each table to `folder`/name (the folder is made if missing), all or nothing.

    Raises ExportError with a plain message when the folder or disk will not take the files; then
    no target file has been touched and no temporary file is left behind (nor a folder made for
    them). Anything else raised meanwhile (Cancelled from a progress callback) cleans up the same.
    """
    written: list[tuple[Path, Path]] = []
    made = _missing_folders(folder)
    try:
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{folder} is a file, not a folder; give a folder for the CSV files")
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            target = folder / name
            temporary = folder / f".{name}.{uuid.uuid4().hex[:12]}.part"
            written.append((temporary, target))
            _write_one(temporary, table)
        _put_in_place(written)
    except OSError as exc:
        _remove(temporary for temporary, _ in written)
        _remove_folders(made)
        raise ExportError(_explain(exc, folder)) from exc
    except BaseException:
        _remove(temporary for temporary, _ in written)
        _remove_folders(made)
        raise
    logger.info("wrote %s to %s", ", ".join(tables), folder)
    return [target for _, target in written]


def _put_in_place(written: list[tuple[Path, Path]]) -> None:
    """Rename every finished file over its target, all or none.

    Old files are first moved aside (this is where a file held open by Excel on Windows refuses),
    then the new ones renamed in; if any step fails, the new ones are taken away and the old ones
    put back, so the set of files is never a mix of this export and an earlier one.
    """
    for _, target in written:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(target))
    aside: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for _, target in written:
            if target.exists() or target.is_symlink():
                old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.old")
                os.replace(target, old)
                aside.append((target, old))
        for temporary, target in written:
            os.replace(temporary, target)
            placed.append(target)
    except BaseException:
        _remove(placed)
        for target, old in aside:
            try:
                os.replace(old, target)
            except OSError:
                logger.warning("could not put back %s (it is kept as %s)", target, old)
        raise
    _remove(old for _, old in aside)


def _missing_folders(folder: Path) -> list[Path]:
    """The folders that mkdir(parents=True) would make, the deepest first."""
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    return missing


def _remove_folders(folders: list[Path]) -> None:
    for path in folders:  # deepest first; only if still empty
        try:
            path.rmdir()
        except OSError:
            return


def _write_one(path: Path, table: CsvTable) -> None:
    # "x": never follow or overwrite something already there; default permissions (umask).
    with path.open("x", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_text(name) for name in table.header])
        if table.prepared:
            writer.writerows(table.rows)
        else:
            for row in table.rows:
                writer.writerow([cell_text(value) for value in row])
        handle.flush()
        os.fsync(handle.fileno())


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove the unfinished export %s", path)


def _explain(exc: OSError, folder: Path) -> str:
    where = exc.filename or folder
    if exc.errno == errno.ENOSPC:
        return f"The disk is full, so the CSV files were not written to {folder}. Free some space."
    if exc.errno == errno.EROFS:
        return f"{folder} is on a read-only disk; choose another folder for the CSV files."
    if isinstance(exc, PermissionError):
        return (
            f"WasteWalk may not write to {where} (permission denied); choose another folder, or "
            "close the file if it is open in Excel."
        )
    if isinstance(exc, NotADirectoryError | FileExistsError):
        return f"{where} is a file, not a folder; give a folder for the CSV files."
    if isinstance(exc, IsADirectoryError):
        return f"{where} is a folder, so a CSV file of that name cannot be written there."
    return f"The CSV files could not be written to {folder}: {exc.strerror or exc}."
