"""The table view of the readings grid: keyboard editing, the cell being timed kept in view."""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget

from wastewalk.services.time_studies import Position
from wastewalk.ui.timestudy.sheet_model import SheetModel

logger = logging.getLogger(__name__)

ROW_HEIGHT = 28


class SheetView(QTableView):
    """Elements down, cycles across. Typing a number into a cell edits it (for paper studies)."""

    def __init__(self, model: SheetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet = model
        self.setModel(model)
        self.setAccessibleName("Readings: elements down, cycles across, seconds")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        rows = self.verticalHeader()
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setMaximumWidth(320)
        # The current row is marked by the model's colours; a bold header would be cut short.
        rows.setHighlightSections(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultSectionSize(62)
        self.horizontalHeader().setMinimumSectionSize(40)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def select_cell(self, cell: Position, timing: Position | None) -> None:
        """Make `cell` the selected one (X excludes it) and keep the timed cell in view."""
        index = self.sheet.cell_index(cell.element_order, cell.cycle)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.scrollTo(index)
        if timing is not None:
            self.scrollTo(self.sheet.cell_index(timing.element_order, timing.cycle))

    def wanted_height(self) -> int:
        """Tall enough for every element's row, its headings and a scroll bar."""
        return (
            self.horizontalHeader().sizeHint().height()
            + self.sheet.rowCount() * ROW_HEIGHT
            + self.horizontalScrollBar().sizeHint().height()
            + 2 * self.frameWidth()
        )

    def type_into_current(self, text: str) -> bool:
        """Open the editor of the selected reading cell with `text` typed; False if none."""
        index = self.currentIndex()
        if not self.sheet.is_cycle_column(index.column()):
            return False
        self.edit(index)  # the one-argument overload returns nothing
        editor = self.indexWidget(index)
        if not isinstance(editor, QLineEdit):
            return False
        editor.setText(text)
        return True
