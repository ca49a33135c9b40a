"""The activity categories: relabel the defaults, set keys and flags, add a team's own, archive.

Each change is saved at once; a refused one says why and changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.activity_categories import (
    ActivityCategoryInfo,
    add_activity_category,
    edit_activity_category,
    list_activity_categories,
    set_activity_category_archived,
)
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

HEADERS = ("Key", "Activity", "Direct care", "In transit", "State")
_GREY = QColor("#768692")


class ActivityCategoriesDialog(QDialog):
    """A list of every category and a small form for the selected one."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.categories: list[ActivityCategoryInfo] = []
        self.setWindowTitle("Activity categories")
        self.setAccessibleName("Activity categories")
        self.resize(900, 560)
        intro = QLabel(
            "These are the activities a follow records, each picked with its key. Relabel the "
            "defaults to your team's words, add your own, or archive one you do not use (past "
            "follows keep it). To add one, type its label and key in the form and press "
            "'Add as a new category'. I, L and T are kept for the follow screen.",
            self,
        )
        intro.setWordWrap(True)

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Activity categories in order")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 50), (2, 95), (3, 85), (4, 80)):
            self.table.setColumnWidth(column, width)
        self.table.currentCellChanged.connect(lambda *_: self._load_selected())

        self.label = QLineEdit(self)
        self.label.setAccessibleName("Activity label")
        self.label.setMaxLength(100)
        self.label.setMinimumHeight(34)
        self.key = QLineEdit(self)
        self.key.setAccessibleName("Key")
        self.key.setMaxLength(1)
        self.key.setMaximumWidth(60)
        self.key.setMinimumHeight(34)
        self.direct = QCheckBox("Counts as &direct care", self)
        self.transit = QCheckBox("Counts as time in &transit", self)
        form = QFormLayout()
        form.addRow("&Label", self.label)
        form.addRow("&Key", self.key)
        form.addRow(self.direct)
        form.addRow(self.transit)
        self.save_button = QPushButton("&Save changes", self)
        self.add_button = QPushButton("&Add as a new category", self)
        self.archive_button = QPushButton("Arc&hive", self)
        for button in (self.save_button, self.add_button, self.archive_button):
            button.setMinimumHeight(40)
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_selected)
        self.add_button.clicked.connect(self.add_new)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.save_button)
        side.addWidget(self.add_button)
        side.addWidget(self.archive_button)
        side.addWidget(self.problem)
        side.addStretch(1)
        side_widget = QWidget(self)
        side_widget.setLayout(side)
        side_widget.setFixedWidth(320)

        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(side_widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Read every category again (archived ones greyed), selecting `select` if given."""
        current = self.selected()
        keep = select or (current.id if current else None)
        self.categories = list_activity_categories(self.db, include_archived=True)
        self.table.setRowCount(len(self.categories))
        for row, category in enumerate(self.categories):
            cells = (
                category.key or "",
                category.label,
                "Yes" if category.is_direct_care else "",
                "Yes" if category.is_transit else "",
                "Archived" if category.archived else "In use",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if category.archived:
                    item.setForeground(QBrush(_GREY))
                self.table.setItem(row, column, item)
        rows = [r for r, c in enumerate(self.categories) if c.id == keep]
        self.table.selectRow(rows[0] if rows else 0)
        self._load_selected()

    def selected(self) -> ActivityCategoryInfo | None:
        row = self.table.currentRow()
        return self.categories[row] if 0 <= row < len(self.categories) else None

    def _load_selected(self) -> None:
        category = self.selected()
        if category is None:
            return
        self.label.setText(category.label)
        self.key.setText(category.key or "")
        self.direct.setChecked(category.is_direct_care)
        self.transit.setChecked(category.is_transit)
        self.archive_button.setText("Bring &back" if category.archived else "Arc&hive")

    def save_selected(self) -> None:
        category = self.selected()
        if category is None:
            return
        self._apply(
            lambda: edit_activity_category(
                self.db,
                category.id,
                label=self.label.text(),
                key=self.key.text(),
                is_direct_care=self.direct.isChecked(),
                is_transit=self.transit.isChecked(),
            ),
            "Saved.",
        )

    def add_new(self) -> None:
        self._apply(
            lambda: add_activity_category(
                self.db,
                self.label.text(),
                key=self.key.text(),
                is_direct_care=self.direct.isChecked(),
                is_transit=self.transit.isChecked(),
            ),
            "Added at the end of the list.",
        )

    def toggle_archived(self) -> None:
        category = self.selected()
        if category is None:
            return
        self._apply(
            lambda: set_activity_category_archived(self.db, category.id, not category.archived),
            "Brought back." if category.archived else "Archived.",
        )

    def _apply(self, action: Callable[[], ActivityCategoryInfo], done: str) -> None:
        try:
            info = action()
        except WasteWalkError as exc:
            self._say(str(exc), error=True)
            return
        self.reload(select=info.id)
        self._say(done)
        self.changed.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.problem.setStyleSheet(f"color:{'#d5281b' if error else '#007f3b'};")
        self.problem.setText(text)
