"""The time studies in the current CSU/area, newest first, with New, Open, Edit and Delete."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services.time_studies import StudyInfo
from wastewalk.ui.timefmt import DAYS, MONTHS

logger = logging.getLogger(__name__)

# Ids are kept as text in item data: a plain QString, with no Python object for Qt to hold.
_ID_ROLE = Qt.ItemDataRole.UserRole
HEADERS = ("Study", "Process", "Area", "Date", "Readings", "Cycles", "Status")
_NUMBER_COLUMNS = (4, 5)


class StudyListPage(QWidget):
    """Enter or double-click opens a study; Ctrl+N sets up a new one; Delete deletes (softly)."""

    new_requested = Signal()
    open_requested = Signal(object)  # uuid.UUID
    edit_requested = Signal(object)  # uuid.UUID
    delete_requested = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.new_button = _button("Set up a &new study  (Ctrl+N)", "Set up a new time study", self)
        self.new_button.setStyleSheet(
            "QPushButton { background:#005EB8; color:white; font-size:12pt; font-weight:600;"
            " padding:0 18px; }"
        )
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = _button("&Open  (Enter)", "Open the selected study for timing", self)
        self.open_button.clicked.connect(lambda: self._emit_selected(self.open_requested))
        self.edit_button = _button("&Edit set-up", "Change the selected study's set-up", self)
        self.edit_button.clicked.connect(lambda: self._emit_selected(self.edit_requested))
        self.delete_button = _button("&Delete…", "Delete the selected study (Delete key)", self)
        self.delete_button.clicked.connect(lambda: self._emit_selected(self.delete_requested))
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of studies shown")
        for widget in (self.new_button, self.open_button, self.edit_button, self.delete_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.count)
        layout.addLayout(top)
        self.message = QLabel(self)
        self.message.setAccessibleName("Message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Time studies, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((2, 190), (3, 130), (4, 90), (5, 80), (6, 110)):
            self.table.setColumnWidth(column, width)
        # `activated` is Enter on the keyboard, or a double-click.
        self.table.activated.connect(lambda _index: self._emit_selected(self.open_requested))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(
            "No time studies here yet. Press Ctrl+N to set one up: name the process, list its "
            "steps (elements) in order, then time them with the space bar.",
            self,
        )
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color:#425563; font-size:11pt; padding:12px;")
        layout.addWidget(self.empty)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        new = QShortcut(QKeySequence.StandardKey.New, self)
        new.setContext(context)
        new.activated.connect(self.new_requested)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(lambda: self._emit_selected(self.delete_requested))
        self._update_buttons()

    def set_studies(
        self,
        studies: Sequence[StudyInfo],
        cycles: Mapping[uuid.UUID, int],
        select: uuid.UUID | None = None,
    ) -> None:
        keep = select or self.selected_study()
        self.table.setRowCount(len(studies))
        chosen = 0
        for row, study in enumerate(studies):
            if study.finished_at is not None:
                status, colour = "Finished", "#425563"
            elif study.reading_count:
                status, colour = "In progress", "#007f3b"
            else:
                status, colour = "Not started", "#005EB8"
            cells = (
                study.name,
                study.process if study.process != study.name else "",
                study.area_name,
                date_text(study.study_date),
                f"{study.reading_count:,}",
                f"{cycles.get(study.id, 0):,}",
                status,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, str(study.id))
                item.setToolTip(text if column < 3 else "")
                if column in _NUMBER_COLUMNS:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 6:
                    item.setForeground(QBrush(QColor(colour)))
                self.table.setItem(row, column, item)
            if study.id == keep:
                chosen = row
        self.count.setText(f"{len(studies):,} studies")
        self.empty.setVisible(not studies)
        if studies:
            self.table.selectRow(chosen)
        self._update_buttons()

    def selected_study(self) -> uuid.UUID | None:
        item = self.table.item(self.table.currentRow(), 0)
        value = item.data(_ID_ROLE) if item is not None else None
        return uuid.UUID(value) if isinstance(value, str) else None

    def say(self, text: str, *, error: bool = False) -> None:
        colour = "#d5281b" if error else "#212b32"
        self.message.setStyleSheet(f"color:{colour};")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _update_buttons(self) -> None:
        chosen = self.selected_study() is not None
        for button in (self.open_button, self.edit_button, self.delete_button):
            button.setEnabled(chosen)

    def _emit_selected(self, signal: Signal) -> None:
        study_id = self.selected_study()
        if study_id is not None:
            signal.emit(study_id)  # type: ignore[attr-defined]


def date_text(date: dt.date) -> str:
    """'Tue 24 Nov 2026', as people write a date (English names whatever the laptop's locale)."""
    return f"{DAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]} {date.year}"


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setMinimumHeight(48)
    button.setAccessibleName(name)
    button.setToolTip(name)
    return button
