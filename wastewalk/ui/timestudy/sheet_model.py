"""The readings grid as on a paper Time Observation Sheet: elements down, cycles across.

After the cycles come each element's figures (n, mean, median, min, max, fluctuation, LRT). The
figures come from the study's summary (services.time_studies.summarise), so the grid and the
summary panel can never disagree. Cells show one decimal; the services keep exact values.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.time_study import ElementSummary, ReadingState, StudySummary
from wastewalk.services.time_studies import Position, ReadingInfo, StudyInfo
from wastewalk.services.time_study_readings import set_reading
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

_AnyIndex = QModelIndex | QPersistentModelIndex

ReadingIdRole = Qt.ItemDataRole.UserRole  # the reading's id as text, or None

STAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "Valid readings"),
    ("Mean", "Mean of the valid readings, seconds"),
    ("Median", "Median of the valid readings, seconds"),
    ("Min", "Shortest valid reading, seconds"),
    ("Max", "Longest valid reading, seconds"),
    ("Fluct.", "Fluctuation: longest minus shortest, seconds"),
    ("LRT", "Lowest repeatable time: the lowest reading seen at least twice (whole seconds)"),
)

VALUE_CLASS_TAGS = {"va": "VA", "nnva": "NNVA", "waste": "Waste"}

NOT_PERFORMED_TEXT = "NP"
CURRENT_BACKGROUND = QColor("#fff2a8")  # the cell being timed now, like a highlighter pen
CURRENT_ROW_BACKGROUND = QColor("#eef4fb")
OUTLIER_COLOUR = QColor("#d5281b")
EXCLUDED_COLOUR = QColor("#768692")
NOT_PERFORMED_COLOUR = QColor("#425563")

_TENTH = Decimal("0.1")
_TIME_PATTERN = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d*)?)$")


@dataclass(frozen=True)
class TypedReading:
    """What a person typed into a cell: seconds, 'not performed', or nothing (clear the cell)."""

    seconds: float | None = None
    not_performed: bool = False


def parse_reading_text(text: str) -> TypedReading:
    """Seconds as typed from a paper sheet: '65', '65.5', '1:05' (m:ss), '1:02:03', 'NP', or ''.

    Raises ValueError with a message for the person when the text is none of these. Whether the
    number itself is acceptable (more than 0, less than a day) is the services' decision.
    """
    cleaned = text.strip()
    if not cleaned:
        return TypedReading()
    if cleaned.replace(" ", "").replace(".", "").casefold() in ("np", "notperformed"):
        return TypedReading(not_performed=True)
    match = _TIME_PATTERN.match(cleaned)
    if match:
        hours, minutes, seconds = match.groups()
        if float(seconds) >= 60:
            raise ValueError(
                f"'{cleaned}' has {seconds} seconds after the colon; write it as minutes:seconds "
                "with fewer than 60 seconds, or as seconds alone"
            )
        return TypedReading(int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds))
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if math.isnan(value):
        raise ValueError(
            f"'{cleaned}' is not a time. Type seconds (65 or 65.5), minutes and seconds (1:05), "
            "NP if the step was not performed, or delete the text to clear the cell"
        )
    return TypedReading(value)


def seconds_text(seconds: float | None) -> str:
    """One decimal for display, half up as on paper: 18.25 -> 18.3 (a blank for no figure)."""
    if seconds is None:
        return ""
    return str(Decimal(repr(seconds)).quantize(_TENTH, rounding=ROUND_HALF_UP))


def exact_text(seconds: float) -> str:
    """The value as stored, without float noise, for editing: 12.345 not 12.345000000000001."""
    return f"{seconds:.6f}".rstrip("0").rstrip(".")


class SheetModel(QAbstractTableModel):
    """The readings of one study. Typed entries are saved through `set_reading` at once."""

    # A typed entry was saved: (before, after); either may be None (empty cell, cleared cell).
    entry_saved = Signal(object, object)
    # A typed entry was refused: the message for the person.
    refused = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.study: StudyInfo | None = None
        self._cells: dict[tuple[int, int], ReadingInfo] = {}  # (element order, cycle)
        self._figures: dict[int, ElementSummary] = {}
        self._cycles = 0
        self.current: Position | None = None

    # --- what to show -------------------------------------------------------------------

    def set_sheet(
        self,
        study: StudyInfo | None,
        readings: Sequence[ReadingInfo] | Mapping[tuple[int, int], ReadingInfo],
        summary: StudySummary | None,
        current: Position | None,
    ) -> None:
        """Show a study's readings; a new study (or new elements) resets the view."""
        if isinstance(readings, Mapping):  # already keyed by (element order, cycle)
            cells = dict(readings)
        else:
            cells = {(r.element_order, r.cycle): r for r in readings}
        # One empty cycle after the last reading, so a paper sheet can be typed in row by row.
        last = max((c for _, c in cells), default=0)
        cycles = max(last + 1, current.cycle if current else 0) if study else 0
        figures = {e.order: e for e in summary.elements} if summary else {}
        same_rows = (
            self.study is not None
            and study is not None
            and self.study.id == study.id
            and self.study.elements == study.elements
        )
        if not same_rows:
            self.beginResetModel()
            self.study, self._cells, self._figures, self._cycles = study, cells, figures, cycles
            self.current = current
            self.endResetModel()
            return
        self.study = study
        if cycles > self._cycles:
            self.beginInsertColumns(QModelIndex(), self._cycles, cycles - 1)
            self._cycles = cycles
            self.endInsertColumns()
        elif cycles < self._cycles:
            self.beginRemoveColumns(QModelIndex(), cycles, self._cycles - 1)
            self._cycles = cycles
            self.endRemoveColumns()
        old_cycle = self.current.cycle if self.current else None
        self._cells, self._figures, self.current = cells, figures, current
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )
        # Only the current cycle's heading changes (bold); telling the header about every
        # column on each lap makes it re-read them all, which costs more than the lap's save.
        new_cycle = current.cycle if current else None
        for cycle in {old_cycle, new_cycle} - {None}:
            if old_cycle != new_cycle and cycle is not None and cycle <= self._cycles:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, cycle - 1, cycle - 1)

    @property
    def cycles(self) -> int:
        return self._cycles

    def cell_index(self, element_order: int, cycle: int) -> QModelIndex:
        """Where a reading is shown."""
        return self.index(element_order - 1, cycle - 1)

    def reading_at(self, index: _AnyIndex) -> ReadingInfo | None:
        if not index.isValid() or index.column() >= self._cycles:
            return None
        return self._cells.get((index.row() + 1, index.column() + 1))

    def is_cycle_column(self, column: int) -> bool:
        return 0 <= column < self._cycles

    # --- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.study is None:
            return 0
        return len(self.study.elements)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.study is None:
            return 0
        return self._cycles + len(STAT_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if self.study is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < self.columnCount():
                return None
            if section < self._cycles:
                if role == Qt.ItemDataRole.DisplayRole:
                    return f"C{section + 1}"
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"Cycle {section + 1}, seconds"
                if role == Qt.ItemDataRole.FontRole and self._is_current_cycle(section + 1):
                    return _bold()
                return None
            label, tip = STAT_COLUMNS[section - self._cycles]
            if role == Qt.ItemDataRole.DisplayRole:
                return label
            if role == Qt.ItemDataRole.ToolTipRole:
                return tip
            return None
        if not 0 <= section < len(self.study.elements):
            return None
        element = self.study.elements[section]
        if role == Qt.ItemDataRole.DisplayRole:
            tag = VALUE_CLASS_TAGS.get(element.value_class, element.value_class)
            return f"{element.order}. {element.name}  ({tag})"
        if role == Qt.ItemDataRole.ToolTipRole:
            waste = f", waste: {element.waste_label}" if element.waste_label else ""
            return f"{element.name}: rating {element.rating_pct:g} %{waste}"
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() < self._cycles:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.study is None:
            return None
        if not 0 <= index.row() < self.rowCount() or not 0 <= index.column() < self.columnCount():
            return None
        if index.column() >= self._cycles:
            return self._figure_data(index, role)
        return self._cell_data(index, role)

    def setData(
        self, index: _AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.study is None:
            return False
        if not index.isValid() or not self.is_cycle_column(index.column()):
            return False
        element = self.study.elements[index.row()]
        cycle = index.column() + 1
        where = f"{element.name}, cycle {cycle}"
        try:
            typed = parse_reading_text(str(value if value is not None else ""))
        except ValueError as exc:
            self.refused.emit(f"{where}: {exc}. Nothing was saved.")
            return False
        before = self._cells.get((element.order, cycle))
        if _unchanged(before, typed):
            return False
        try:
            after = set_reading(
                self.db,
                self.study.id,
                element.id,
                cycle,
                typed.seconds,
                not_performed=typed.not_performed,
            )
        except WasteWalkError as exc:
            self.refused.emit(f"{where}: {exc}. Nothing was saved.")
            return False
        # The section refreshes figures and columns from entry_saved; this cell changes now.
        if after is None:
            self._cells.pop((element.order, cycle), None)
        else:
            self._cells[(element.order, cycle)] = after
        self.dataChanged.emit(index, index)
        self.entry_saved.emit(before, after)
        return True

    # --- cells ------------------------------------------------------------------------

    def _cell_data(self, index: _AnyIndex, role: int) -> object:
        assert self.study is not None
        order, cycle = index.row() + 1, index.column() + 1
        reading = self._cells.get((order, cycle))
        is_current = self.current is not None and (
            self.current.element_order,
            self.current.cycle,
        ) == (
            order,
            cycle,
        )
        if role == Qt.ItemDataRole.BackgroundRole:
            if is_current:
                return QBrush(CURRENT_BACKGROUND)
            return QBrush(CURRENT_ROW_BACKGROUND) if self._is_current_row(index.row()) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(reading, is_current)
        if reading is None:
            if role == Qt.ItemDataRole.ToolTipRole and is_current:
                return "Being timed now"
            if role == Qt.ItemDataRole.EditRole:
                return ""
            return None
        outlier = self._is_outlier(reading)
        if role == ReadingIdRole:
            return str(reading.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if reading.state == ReadingState.NOT_PERFORMED:
                return NOT_PERFORMED_TEXT
            return seconds_text(reading.seconds)
        if role == Qt.ItemDataRole.EditRole:
            if reading.seconds is None:
                return NOT_PERFORMED_TEXT
            return exact_text(reading.seconds)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(reading, outlier)
        if role == Qt.ItemDataRole.ForegroundRole:
            if reading.state == ReadingState.EXCLUDED:
                return QBrush(EXCLUDED_COLOUR)
            if reading.state == ReadingState.NOT_PERFORMED:
                return QBrush(NOT_PERFORMED_COLOUR)
            return QBrush(OUTLIER_COLOUR) if outlier else None
        if role == Qt.ItemDataRole.FontRole:
            if reading.state == ReadingState.EXCLUDED:
                font = QFont()
                font.setStrikeOut(True)
                return font
            if reading.state == ReadingState.NOT_PERFORMED:
                font = QFont()
                font.setItalic(True)
                return font
            return _bold() if outlier else None
        return None

    def _is_outlier(self, reading: ReadingInfo) -> bool:
        figures = self._figures.get(reading.element_order)
        return (
            figures is not None
            and reading.state == ReadingState.VALID
            and reading.cycle in figures.outlier_cycles
        )

    def _tooltip(self, reading: ReadingInfo, outlier: bool) -> str:
        exact = f"{exact_text(reading.seconds)} s" if reading.seconds is not None else ""
        if reading.state == ReadingState.EXCLUDED:
            return f"Excluded ({exact}): {reading.exclude_reason}. Press I to count it again."
        if reading.state == ReadingState.NOT_PERFORMED:
            return "Not performed in this cycle (not counted as a time)"
        if outlier:
            figures = self._figures[reading.element_order]
            median = seconds_text(figures.median_s)
            return f"{exact}: more than twice the median ({median} s). Press X to exclude it."
        return exact

    def _spoken(self, reading: ReadingInfo | None, is_current: bool) -> str:
        if reading is None:
            return "being timed now" if is_current else "empty"
        if reading.state == ReadingState.NOT_PERFORMED:
            return "not performed"
        text = f"{seconds_text(reading.seconds)} seconds"
        if reading.state == ReadingState.EXCLUDED:
            return f"{text}, excluded: {reading.exclude_reason}"
        return f"{text}, outlier" if self._is_outlier(reading) else text

    # --- per-element figures --------------------------------------------------------------

    def _figure_data(self, index: _AnyIndex, role: int) -> object:
        assert self.study is not None
        element = self.study.elements[index.row()]
        figures = self._figures.get(element.order)
        column = index.column() - self._cycles
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor("#f0f4f5"))
        if figures is None:
            return None
        values = (
            figures.n,
            figures.mean_s,
            figures.median_s,
            figures.min_s,
            figures.max_s,
            figures.fluctuation_s,
            figures.lrt_s,
        )
        value = values[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return str(value)
            if value is None:
                return "–" if column == len(values) - 1 and figures.n else ""
            return seconds_text(float(value))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == len(values) - 1 and figures.n and value is None:
                return "No whole-second reading repeats yet, so there is no LRT"
            if value is not None and column:
                return f"{exact_text(float(value))} s"
        return None

    def _is_current_cycle(self, cycle: int) -> bool:
        return self.current is not None and self.current.cycle == cycle

    def _is_current_row(self, row: int) -> bool:
        return self.current is not None and self.current.element_order == row + 1


def _unchanged(before: ReadingInfo | None, typed: TypedReading) -> bool:
    if before is None:
        return typed.seconds is None and not typed.not_performed
    if typed.not_performed:
        return before.state == ReadingState.NOT_PERFORMED
    return typed.seconds is not None and before.seconds == typed.seconds


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font
