"""The Observations section: every observation across walks, filtered, sorted, and opened."""

from __future__ import annotations

import logging
import time
import uuid

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services.observation_query import ObservationFilter
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database
from wastewalk.ui.browser.columns import COLUMNS, DESCRIPTION_COLUMN
from wastewalk.ui.browser.filter_bar import CONTROL_HEIGHT, ObservationFilterBar
from wastewalk.ui.browser.model import ObservationIdRole, ObservationTableModel, WalkIdRole
from wastewalk.ui.costing import observation_estimate
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section

logger = logging.getLogger(__name__)

ROW_HEIGHT = 40  # a row is a target for a double-click or a tap: at least 40 px


class ObservationTable(QTableView):
    """The results table; Enter or Return opens the current row's walk on every platform."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ObservationsSection(Section):
    """All observations in the shared scope, in one lazy table over SQL."""

    title = "Observations"

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(db, scope, parent)
        self.setAccessibleName("Observations section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)

        self.filter_bar = ObservationFilterBar(self)
        layout.addWidget(self.filter_bar)

        status = QHBoxLayout()
        self.count_label = QLabel("", self)
        self.count_label.setAccessibleName("Number of observations shown")
        self.count_label.setStyleSheet("font-weight: 600;")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("&Open walk", self)
        self.open_button.setAccessibleName("Open the walk of the selected observation")
        self.open_button.setToolTip("Open the walk this observation was seen on (Enter)")
        self.open_button.setMinimumHeight(CONTROL_HEIGHT)
        self.open_button.setMinimumWidth(120)
        self.open_button.setEnabled(False)
        self.estimate_button = QPushButton(observation_estimate.ACTION_TEXT, self)
        self.estimate_button.setAccessibleName("Cost estimate of the selected observation")
        self.estimate_button.setToolTip(observation_estimate.ACTION_TIP)
        self.estimate_button.setMinimumHeight(CONTROL_HEIGHT)
        self.estimate_button.setEnabled(False)
        self.estimate_dialog: QWidget | None = None
        self.priced_label = QLabel("", self)
        self.priced_label.setAccessibleName("Cost estimate of the selected observation")
        status.addWidget(self.count_label, 1)
        status.addWidget(self.priced_label)
        status.addWidget(self.estimate_button)
        status.addWidget(self.open_button)
        layout.addLayout(status)

        self.model = ObservationTableModel(db, self)
        self.table = ObservationTable(self)
        self._set_up_table()
        layout.addWidget(self.table, 1)

        find = QAction("Search observations", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        # Only while this section is the one showing; other sections may use Ctrl+F too.
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.filter_bar.focus_search)
        self.addAction(find)
        self.find_action = find
        estimate = QAction(observation_estimate.ACTION_TEXT, self.table)
        estimate.setShortcut(QKeySequence(observation_estimate.SHORTCUT))
        estimate.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        estimate.triggered.connect(self.open_estimate)
        self.table.addAction(estimate)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.estimate_action = estimate

        self.filter_bar.changed.connect(self.apply_filters)
        self.model.modelReset.connect(self._show_count)
        self.model.failed.connect(self._show_problem)
        self.table.open_requested.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.open_button.clicked.connect(self.open_selected)
        self.estimate_button.clicked.connect(self.open_estimate)
        self.setTabOrder(self.filter_bar.clear_button, self.open_button)
        self.setTabOrder(self.open_button, self.table)
        self.last_query_seconds = 0.0

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setAccessibleName("Observations")
        table.setAccessibleDescription(
            "One row per observation. Enter or double-click opens its walk; "
            "click a heading to sort."
        )
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move within it
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = table.horizontalHeader()
        header.setMinimumHeight(CONTROL_HEIGHT)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(48)
        for number, column in enumerate(COLUMNS):
            table.setColumnWidth(number, column.width)
        header.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)

    # --- Section ------------------------------------------------------------------------

    def set_scope(self, scope: Scope) -> None:
        super().set_scope(scope)
        # A hidden section waits: `activated` reads it when it is shown.
        if self.isVisible():
            self.apply_filters()

    def activated(self) -> None:
        self.filter_bar.set_categories(list_categories(self.db, include_archived=True))
        self.apply_filters()

    # --- filtering ----------------------------------------------------------------------

    def current_filter(self) -> ObservationFilter:
        date_from, date_to = self.filter_bar.dates()
        return ObservationFilter(
            csu_id=self.scope.csu_id,
            area_id=self.scope.area_id,
            category_ids=self.filter_bar.category_ids(),
            date_from=date_from,
            date_to=date_to,
            text=self.filter_bar.text(),
        )

    def apply_filters(self) -> None:
        """Show what the scope and the filters let through, from the database as it is now."""
        began = time.perf_counter()
        self.model.set_filter(self.current_filter())
        self.last_query_seconds = time.perf_counter() - began
        logger.debug("observations filtered in %.0f ms", self.last_query_seconds * 1000)

    def _show_count(self) -> None:
        total = self.model.total
        date_from, date_to = self.filter_bar.dates()
        if total:
            noun = "observation" if total == 1 else "observations"
            text = f"{total:,} {noun}"
        elif date_from and date_to and date_from > date_to:
            text = "No observations: the 'From' date is after the 'To' date"
        elif self.filter_bar.is_empty() and self.scope.is_trust:
            text = "No observations recorded yet: they appear here once a walk records them"
        else:
            text = "No observations match these filters"
        self.count_label.setText(text)
        self._selection_changed()

    def _show_problem(self, message: str) -> None:
        self.count_label.setText(f"The observations could not be read: {message}")

    # --- opening a walk -----------------------------------------------------------------

    def selected_walk_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        walk_id = rows[0].data(WalkIdRole)
        return walk_id if isinstance(walk_id, uuid.UUID) else None

    def open_selected(self) -> None:
        walk_id = self.selected_walk_id()
        if walk_id is not None:
            self.open_walk_requested.emit(walk_id)

    def _open_index(self, index: QModelIndex) -> None:
        walk_id = index.siblingAtColumn(0).data(WalkIdRole)
        if isinstance(walk_id, uuid.UUID):
            self.open_walk_requested.emit(walk_id)

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(self.selected_walk_id() is not None)
        observation_id = self.selected_observation_id()
        self.estimate_button.setEnabled(observation_id is not None)
        self.estimate_action.setEnabled(observation_id is not None)
        self.priced_label.setText(
            observation_estimate.priced_words(self.db, observation_id) if observation_id else ""
        )

    def selected_observation_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        observation_id = rows[0].data(ObservationIdRole) if rows else None
        return observation_id if isinstance(observation_id, uuid.UUID) else None

    def open_estimate(self) -> None:
        """Price the selected observation's waste (E, or "Cost estimate…")."""
        observation_id = self.selected_observation_id()
        if observation_id is not None:
            if self.estimate_dialog is not None:
                self.estimate_dialog.deleteLater()  # the last one, closed by now
            dialog = observation_estimate.open_observation_estimate(self.db, observation_id, self)
            dialog.finished.connect(lambda _result: self._selection_changed())
            self.estimate_dialog = dialog
