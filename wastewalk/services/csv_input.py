"""Reading a CSV file that a person made in a spreadsheet: streamed, strict, every problem located.

The importers share these mechanics: open the file (turning a missing file, a folder or an Excel
workbook into a plain message), decode it as UTF-8 with or without Excel's byte-order mark, check
the header against the columns an importer knows, and yield each data row as
``(row_number, {column: text})``. Row numbers are spreadsheet rows: the header is row 1, and a cell
holding line breaks still counts as one row, as Excel shows it.

Nothing here raises for a bad row. Problems are collected in a :class:`Problems`, so a person sees
every mistake at once; the importer raises them all together before writing anything. Only problems
that leave nothing sensible to read (no file, no header, missing columns) stop at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from wastewalk.domain.errors import InputError, Problem

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_PROBLEMS",
    "SAVE_AS_UTF8",
    "CellError",
    "Columns",
    "Problems",
    "name_key",
    "normalise_heading",
    "open_csv",
    "parse_choice",
    "parse_iso_date",
    "parse_time_of_day",
    "parse_whole_number",
    "shown",
]

T = TypeVar("T")

MAX_PROBLEMS = 200  # enough to see the pattern of what is wrong; more is noise
# No real row of an import is near this (two 10,000-character notes are ~80 kB even in Chinese);
# reading line by line with a cap keeps a binary or one-line file from filling memory.
MAX_LINE_BYTES = 1024 * 1024
SAVE_AS_UTF8 = "In Excel choose File > Save As and the type 'CSV UTF-8 (Comma delimited) (*.csv)'."

_UTF8_BOM = b"\xef\xbb\xbf"
# A carriage return not followed by a line feed: old Mac files end lines this way, and the csv
# module refuses a bare one outside quotes, so such lines are split after it.
_BARE_CR = re.compile(r"(?<=\r)(?!\n)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)
_WHOLE_NUMBER = re.compile(r"[+-]?\d+", re.ASCII)


class CellError(ValueError):
    """A cell's text cannot be read as the value its column needs; the message says why."""


def shown(text: str, limit: int = 40) -> str:
    """A cell's text quoted for a message, shortened so a huge cell cannot flood the screen."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"'{flat}'"


def name_key(name: str) -> str:
    """How names are compared: whitespace runs collapsed, case ignored ("ward  7" is "Ward 7")."""
    return " ".join(name.split()).casefold()


class Problems:
    """Every problem found in one file, in the order found, up to :data:`MAX_PROBLEMS`."""

    def __init__(self, file: str, limit: int = MAX_PROBLEMS) -> None:
        self.file = file
        self.limit = limit
        self._items: list[Problem] = []

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        """Record a problem at a row and column (either may be unknown)."""
        if self.full:
            return
        self._items.append(Problem(message, file=self.file, row=row, column=column))

    def cell(self, row: int, column: str, text: str, parse: Callable[[str], T]) -> T | None:
        """The cell parsed, or None after recording why it cannot be (blank cells give None)."""
        if not text.strip():
            return None
        try:
            return parse(text)
        except CellError as exc:
            self.add(str(exc), row, column)
            return None

    @property
    def full(self) -> bool:
        """True once the limit is reached: readers stop, as more would only repeat the pattern."""
        return len(self._items) >= self.limit

    def __len__(self) -> int:
        return len(self._items)

    def error(self) -> InputError:
        """Every problem so far as one InputError, in row order."""
        # Checks run in passes (cells, then names in the database), so sort to read top to bottom.
        items = sorted(self._items, key=lambda p: p.row or 0)
        if self.full:  # reading stopped here, so later rows were never checked
            items.append(
                Problem(
                    f"stopped after {self.limit} problems; fix these and import the file again",
                    file=self.file,
                )
            )
        return InputError(items)

    def fail(self, message: str) -> InputError:
        """Record a problem about the whole file and return the error to raise."""
        self.add(message)
        return self.error()

    def raise_if_any(self) -> None:
        """Raise every problem so far as one InputError; do nothing if there are none."""
        if self._items:
            raise self.error()


@dataclass(frozen=True)
class Columns:
    """The columns an importer reads: those that must be present, and those that may be."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


def normalise_heading(heading: str) -> str:
    """A header cell as a column name: trimmed, lower-case, spaces and hyphens as underscores."""
    return re.sub(r"[\s-]+", "_", heading.strip().casefold())


@contextmanager
def open_csv(
    path: Path, columns: Columns, problems: Problems, *, max_rows: int
) -> Iterator[Iterator[tuple[int, dict[str, str]]]]:
    """Open `path` and yield an iterator of its data rows as ``(row_number, {column: text})``.

    Raises InputError at once when the file cannot be read at all or its header is wrong. Rows that
    are entirely blank are skipped; a row with fewer cells than the header reads as blank cells.
    Problems found while reading rows are added to `problems`; reading stops at a problem that
    leaves the rest of the file unreadable (bad encoding aside), or when `problems` is full.
    """
    handle = _open_binary(path, problems)
    with handle:
        source = _LineSource(handle, problems)
        records = _records(source, problems)
        header = _header(records, source, problems)
        _check_columns(header, columns, problems)
        problems.raise_if_any()
        yield _rows(records, header, problems, max_rows)


def _open_binary(path: Path, problems: Problems) -> BinaryIO:
    fail = problems.fail
    if path.is_dir():
        raise fail(f"this is a folder, not a CSV file ({path.absolute()})")
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise fail(f"no such file (looked for {path.absolute()})") from None
    except PermissionError:
        raise fail(
            "the file cannot be opened: permission denied (if it is open in Excel, close it first)"
        ) from None
    except OSError as exc:
        raise fail(f"the file cannot be opened: {exc.strerror or exc}") from None
    head = handle.read(4)
    handle.seek(0)
    reason = None
    if head.startswith(b"PK\x03\x04"):
        reason = "This is an Excel workbook (or another zip file), not a CSV file."
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        reason = "This file is saved as UTF-16 ('Unicode Text'), not as CSV UTF-8."
    if reason:
        handle.close()
        raise fail(f"{reason} {SAVE_AS_UTF8}")
    return handle


class _LineSource:
    """Decoded lines for csv.reader, remembering enough of where it is to explain a problem."""

    def __init__(self, handle: BinaryIO, problems: Problems) -> None:
        self._handle = handle
        self._problems = problems
        self.header: list[str] = []
        self.row = 1  # the spreadsheet row being read
        self.record_text: list[str] = []  # the lines of that row read so far
        self.stopped = False  # reading stopped early at a problem already recorded
        self._decode_failed = False
        self._offset = 0

    def start_row(self, row: int) -> None:
        self.row = row
        self.record_text = []

    def column_at(self, extra: str = "") -> str | None:
        """The column of the cell where reading the current row stopped."""
        index = _cell_index_where_parsing_stops("".join(self.record_text) + extra)
        if index < len(self.header) and self.header[index]:
            return self.header[index]
        return f"cell {index + 1}" if self.header else None

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self._handle.readline(MAX_LINE_BYTES)
            if not raw:
                return
            start, self._offset = self._offset, self._offset + len(raw)
            if len(raw) >= MAX_LINE_BYTES and not raw.endswith(b"\n"):
                self._problems.add(
                    f"this row is over {MAX_LINE_BYTES // (1024 * 1024)} MB long; no row of an "
                    "import is near that size (is this really a CSV file?)",
                    self.row,
                    self.column_at(raw.decode("utf-8", errors="replace")),
                )
                self.stopped = True
                return
            if start == 0 and raw.startswith(_UTF8_BOM):
                # Excel's "CSV UTF-8" starts with one; it is not data.
                raw, start = raw[len(_UTF8_BOM) :], len(_UTF8_BOM)
            text = self._decode(raw, start)
            pieces = _BARE_CR.split(text) if "\r" in text else [text]
            for piece in pieces:
                if piece:
                    self.record_text.append(piece)
                    yield piece

    def _decode(self, raw: bytes, start: int) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not self._decode_failed:
                # One message is enough: a file saved in the wrong encoding fails on every accent.
                self._decode_failed = True
                before = raw[: exc.start].decode("utf-8", errors="replace")
                self._problems.add(
                    f"this is not UTF-8 text: byte 0x{raw[exc.start]:02X} at byte "
                    f"{start + exc.start:,} of the file cannot be read (the file was probably "
                    f"saved as 'CSV (Comma delimited)' in another encoding). {SAVE_AS_UTF8}",
                    self.row,
                    self.column_at(before),
                )
            # Keep reading with the bad bytes replaced, so other problems are still reported.
            return raw.decode("utf-8", errors="replace")


def _cell_index_where_parsing_stops(text: str) -> int:
    """Which cell of one row's text strict CSV parsing stops in (mirrors csv's default dialect).

    It stops at a cell longer than csv's field limit, at text after a closing quote, or at the
    end of the text (a row cut short, or text read up to a bad byte).
    """
    limit = csv.field_size_limit()
    index, length, state = 0, 0, "start"
    for char in text:
        if state in ("start", "plain"):
            if char == ",":
                index, length, state = index + 1, 0, "start"
                continue
            if char in "\r\n":
                continue
            if state == "start" and char == '"':
                state = "quoted"
                continue
            state = "plain"
        elif state == "quoted":
            if char == '"':
                state = "quote_in_quoted"
                continue
        elif char == '"':  # a doubled quote inside a quoted cell
            state = "quoted"
        elif char == ",":
            index, length, state = index + 1, 0, "start"
            continue
        elif char not in "\r\n":
            return index  # text after a closing quote
        else:
            continue
        length += 1
        if length > limit:
            return index
    return index


def _records(source: _LineSource, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """Every record of the file with its spreadsheet row number, blank ones included."""
    # strict: an unclosed quote at the end, or text after a closing quote, is an error rather
    # than silently swallowed or mangled cells.
    reader = csv.reader(source, strict=True)
    row = 0
    while not problems.full:
        source.start_row(row + 1)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if source.stopped:
                return  # the line source stopped at a problem it has already recorded
            problems.add(_explain_csv_error(exc), row + 1, source.column_at())
            row += 1
            # Text after a closing quote spoils only its own line, so later rows are still worth
            # checking; after a cut-off or giant cell, where the next row starts is unknown.
            if "expected after" not in str(exc):
                return
            continue
        row += 1
        yield row, cells


def _explain_csv_error(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return (
            'the file ends in the middle of a quoted cell: the quote (") that opens this cell '
            "is never closed. Was the file cut short?"
        )
    if "expected after" in text:
        return (
            "there is text after the closing quote of a quoted cell; put the whole cell in "
            'quotes and write each quote inside it twice (""), or save the file from Excel'
        )
    if "field larger than field limit" in text:
        return (
            f"this cell is over {csv.field_size_limit():,} characters long, far more than any "
            "column allows"
        )
    return f"this row cannot be read as CSV ({text})"


def _header(
    records: Iterator[tuple[int, list[str]]], source: _LineSource, problems: Problems
) -> list[str]:
    for row, cells in records:
        if len(problems):
            raise problems.error()  # the header row itself could not be read
        if any(cell.strip() for cell in cells):
            header = [normalise_heading(cell) for cell in cells]
            source.header = header
            if row != 1:
                logger.debug("header found on row %d after blank rows", row)
            return header
    if len(problems):
        raise problems.error()  # the file could not be read as far as a header
    raise problems.fail("the file is empty: there is no header row and no data")


def _check_columns(header: Sequence[str], columns: Columns, problems: Problems) -> None:
    named = [name for name in header if name]
    if len(named) == 1 and (";" in named[0] or "\t" in named[0]):
        problems.add(
            "the cells of this file are separated by semicolons or tabs, not commas. "
            + SAVE_AS_UTF8,
            1,
        )
        return
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            continue  # a blank heading is allowed while its cells are blank too (see _rows)
        if name in seen:
            problems.add(
                f"the column '{name}' appears twice (columns {seen[name]} and {position})",
                1,
                name,
            )
        elif name not in columns.known:
            problems.add(
                f"unknown column {shown(name)}; the columns are: {', '.join(columns.known)}",
                1,
                name[:60],
            )
        seen.setdefault(name, position)
    for name in columns.required:
        if name not in seen:
            problems.add(
                f"the required column '{name}' is missing; the file needs the columns "
                f"{', '.join(columns.required)} (in any order)",
                1,
                name,
            )


def _rows(
    records: Iterator[tuple[int, list[str]]],
    header: list[str],
    problems: Problems,
    max_rows: int,
) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    count = 0
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets write empty rows as ",,,,"; they are not data
        extra = [(i, c) for i, c in enumerate(cells[width:], start=width + 1) if c.strip()]
        if extra:
            position, text = extra[0]
            problems.add(
                f"this row has {len(cells)} cells but the header has {width} columns (cell "
                f"{position} is {shown(text)}); is there a comma in a cell that needs quotes?",
                row,
            )
            continue
        blank_heading = [i for i, name in enumerate(header) if not name and i < len(cells)]
        for i in blank_heading:
            if cells[i].strip():
                problems.add(
                    f"cell {i + 1} is {shown(cells[i])} but its column has no heading", row
                )
        count += 1
        if count > max_rows:
            problems.add(f"the file has more than {max_rows:,} rows; split it into smaller files")
            return
        yield row, {name: (cells[i] if i < len(cells) else "") for i, name in _named(header)}


def _named(header: Iterable[str]) -> Iterator[tuple[int, str]]:
    return ((i, name) for i, name in enumerate(header) if name)


def parse_iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD; anything else, or a day that does not exist, is a CellError."""
    cleaned = text.strip()
    if not _ISO_DATE.fullmatch(cleaned):
        raise CellError(
            f"{shown(cleaned)} is not a date this file can use: use YYYY-MM-DD, "
            "for example 2026-03-04 for 4 March 2026"
        )
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError as exc:
        raise CellError(f"{shown(cleaned)} is not a real date ({exc}); use YYYY-MM-DD") from None


def parse_time_of_day(text: str) -> dt.time:
    """A 24-hour clock time HH:MM (seconds allowed); anything else is a CellError."""
    cleaned = text.strip()
    match = _TIME_OF_DAY.fullmatch(cleaned)
    if match:
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
    raise CellError(f"{shown(cleaned)} is not a time; use HH:MM on the 24-hour clock, e.g. 14:30")


def parse_whole_number(text: str) -> int:
    """A whole number such as 3 or 365 (no decimals, no words); anything else is a CellError."""
    cleaned = text.strip()
    # The length cap stops a 4,000-digit "number" from costing a slow int() conversion.
    if len(cleaned) > 12 or not _WHOLE_NUMBER.fullmatch(cleaned):
        raise CellError(f"{shown(cleaned)} is not a whole number")
    return int(cleaned)


def parse_choice(choices: Sequence[str]) -> Callable[[str], str]:
    """A parser accepting one of `choices` (case and surrounding spaces ignored)."""

    def parse(text: str) -> str:
        cleaned = text.strip().casefold()
        if cleaned not in choices:
            raise CellError(f"{shown(text)} is not one of {', '.join(choices)}")
        return cleaned

    return parse
