"""A lazy table model over every observation: a count, and pages of rows fetched as the view asks.

Filtering and sorting happen in SQL (services.observation_query); the model holds the count and a
few pages. Queries run on the UI thread on purpose. Measured by bench/bench_browser.py at trust
scale (250,000 observations, 2-core VM), from the call to the rows painted: the section opens in
about 75 ms, a search is applied in 80–115 ms, a page read while scrolling or jumping to the end
takes about 12 ms, and a sort by a column of the observation itself about 95–125 ms. Only a
whole-trust sort by CSU, area or walk focus reaches about 200 ms (every row is joined to its
walk), and then a far page costs as much again. A worker thread would put a loading state in
every cell to save a person less than a quarter of a second.
"""

from __future__ import annotations

import html
import logging
from collections import OrderedDict

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.observation_query import (
    ObservationFilter,
    ObservationRow,
    SortKey,
    count_and_first_page,
    fetch_page,
)
from wastewalk.store.database import Database
from wastewalk.ui.browser.columns import COLUMNS, DESCRIPTION_COLUMN, column_for, row_tooltip

logger = logging.getLogger(__name__)

ObservationIdRole = Qt.ItemDataRole.UserRole
WalkIdRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

_AnyIndex = QModelIndex | QPersistentModelIndex


class ObservationTableModel(QAbstractTableModel):
    """Observations matching a filter, in a sort order, read a page at a time."""

    PAGE_SIZE = 200
    # About 2,000 rows: several screens either way of where the person is looking.
    MAX_PAGES = 10

    # The count or the first page could not be read: a message for the person.
    failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._filter: ObservationFilter | None = None  # None: nothing asked for yet
        self._sort = SortKey.OBSERVED_AT
        self._descending = True
        self._total = 0
        self._pages: OrderedDict[int, list[ObservationRow]] = OrderedDict()
        self._warning_icon: QIcon | None = None

    # --- what to show -------------------------------------------------------------------

    @property
    def filter(self) -> ObservationFilter | None:
        return self._filter

    @property
    def total(self) -> int:
        """How many observations the filter lets through."""
        return self._total

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def set_filter(self, f: ObservationFilter) -> None:
        """Show the observations `f` lets through (re-read even if `f` is unchanged)."""
        self.beginResetModel()
        self._filter = f
        self._pages.clear()
        self._total = 0
        problem = None
        try:
            self._total, first = count_and_first_page(
                self.db, f, self._sort, self._descending, self.PAGE_SIZE
            )
            self._pages[0] = first
        except WasteWalkError as exc:
            logger.warning("observations could not be read: %s", exc)
            problem = str(exc)
        finally:
            self.endResetModel()
        if problem is not None:
            self.failed.emit(problem)

    def refresh(self) -> None:
        """Read the same filter again (observations may have been added or edited)."""
        if self._filter is not None:
            self.set_filter(self._filter)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].sort
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self.beginResetModel()
        self._sort, self._descending = key, descending
        self._pages.clear()
        self.endResetModel()

    def sort_column(self) -> int:
        return column_for(self._sort)

    # --- reading rows -------------------------------------------------------------------

    def row_at(self, row: int) -> ObservationRow | None:
        """The observation shown on `row`, reading its page if it is not held."""
        if self._filter is None or not 0 <= row < self._total:
            return None
        number = row // self.PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
            if page is None:
                return None
        else:
            self._pages.move_to_end(number)
        within = row - number * self.PAGE_SIZE
        return page[within] if within < len(page) else None

    def _read_page(self, number: int) -> list[ObservationRow] | None:
        assert self._filter is not None
        try:
            page = fetch_page(
                self.db,
                self._filter,
                self._sort,
                self._descending,
                offset=number * self.PAGE_SIZE,
                limit=self.PAGE_SIZE,
                total=self._total,
            )
        except WasteWalkError as exc:
            logger.warning("page %d of observations could not be read: %s", number, exc)
            self.failed.emit(str(exc))
            return None
        self._pages[number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    @property
    def pages_held(self) -> int:
        return len(self._pages)

    # --- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{column.heading_tip}. Click to sort; click again to reverse."
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        return None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.column() < len(COLUMNS):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            # Rich text on purpose, escaped, so a description holding "<b>" shows as typed.
            return "<qt>" + html.escape(row_tooltip(row)).replace("\n", "<br>") + "</qt>"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.title}: {column.spoken(row)}"
        if role == Qt.ItemDataRole.DecorationRole:
            if index.column() == DESCRIPTION_COLUMN and row.needs_identifier_review:
                return self._warning()
            return None
        if role == ObservationIdRole:
            return row.id
        if role == WalkIdRole:
            return row.walk_id
        if role == RowRole:
            return row
        return None

    def _warning(self) -> QIcon:
        if self._warning_icon is None:
            style = QApplication.style()
            self._warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning_icon
