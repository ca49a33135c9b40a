"""The estimates behind a roll-up figure: every input, the rate and its code, the basis, the date
priced. Enter or a double-click opens what an estimate belongs to (an observation's walk, or
an action)."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from wastewalk.services.savings import EstimateLine
from wastewalk.ui.savings.texts import (
    MEASURE_WORDS,
    aware,
    class_text,
    hours_text,
    inputs_text,
    money,
    rate_text,
    working_text,
)
from wastewalk.ui.timefmt import uk_day

logger = logging.getLogger(__name__)

_OBSERVATION_ROLE = Qt.ItemDataRole.UserRole
_ACTION_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = (
    "Counts as",
    "Description",
    "Area",
    "Waste",
    "Class",
    "Annual value",
    "Hours a year",
    "Inputs",
    "Rate",
    "Basis",
    "Priced",
    "Counted on",
)
DESCRIPTION, VALUE, HOURS = 1, 5, 6
WIDTHS = (112, 300, 140, 104, 140, 104, 90, 250, 190, 260, 100, 100)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class EstimateLinesTable(QTableWidget):
    """One row per estimate; the full arithmetic is in each row's tooltip."""

    open_observation = Signal(object)  # uuid.UUID
    open_action = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(HEADERS)
        self.setAccessibleName("Estimates behind the chosen figure")
        self.setAccessibleDescription(
            "One row per estimate, largest first. Enter or double-click opens the walk of an "
            "observation, or the action of a saving. Hover a row for its arithmetic."
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(WIDTHS):
            self.setColumnWidth(column, width)
        self.lines: list[EstimateLine] = []
        self.cellDoubleClicked.connect(lambda row, _column: self._open(row))

    def set_lines(self, lines: list[EstimateLine]) -> None:
        self.lines = list(lines)
        self.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (
                MEASURE_WORDS.get(line.measure, line.measure),
                line.description,
                line.area_name,
                line.category_label,
                class_text(line.cash_releasing, line.recurrent),
                money(line.annual_value_pence),
                hours_text(Decimal(line.annual_hours_e4) / 10_000),
                inputs_text(line),
                rate_text(line),
                line.basis,
                uk_day(aware(line.priced_at)),
                uk_day(aware(line.day)),
            )
            tip = working_text(line)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{line.description}\n\n{tip}" if column == DESCRIPTION else tip)
                item.setData(_OBSERVATION_ROLE, str(line.observation_id or ""))
                item.setData(_ACTION_ROLE, str(line.action_id or ""))
                if column in (VALUE, HOURS):
                    item.setTextAlignment(_RIGHT)
                if column == 0 and line.measure == "validated":
                    item.setForeground(QBrush(QColor("#007f3b")))
                self.setItem(row, column, item)
        if lines:
            self.selectRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self._open(self.currentRow())
            return
        super().keyPressEvent(event)

    def _open(self, row: int) -> None:
        item = self.item(row, 0)
        if item is None:
            return
        observation = item.data(_OBSERVATION_ROLE)
        action = item.data(_ACTION_ROLE)
        if observation:
            self.open_observation.emit(uuid.UUID(observation))
        elif action:
            self.open_action.emit(uuid.UUID(action))
