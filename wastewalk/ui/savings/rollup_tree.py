"""The roll-up's tree of figures: nine money columns under three grouped headings (opportunity,
estimated saving, validated saving; each cash, non-cash and total), then hours and WTE of one
measure. Names wrap rather than lose their ends; figure columns fit their widest figure."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QWidget,
)

from wastewalk.services.savings_view import SavingsView
from wastewalk.ui.savings.group_header import GroupedHeader
from wastewalk.ui.savings.texts import CASH_WORDS, MEASURE_WORDS, MEASURES

logger = logging.getLogger(__name__)

NAME, HOURS, WTE = 0, 10, 11
MIN_NAME_WIDTH = 150
NAME_HEADINGS = {
    SavingsView.PLACE: "CSU / area",
    SavingsView.WASTE: "Waste",
    SavingsView.MONTH: "Month",
}
# Columns 1-9: (measure, cash class) where None is the total of both classes.
FIGURE_COLUMNS: tuple[tuple[str, bool | None], ...] = tuple(
    (measure, cash) for measure in MEASURES for cash in (True, False, None)
)
SHORT_CASH = {True: "cash", False: "non-cash", None: "total"}


class NameDelegate(QStyledItemDelegate):
    """Row heights for wrapped names. QTreeView measures a wrapped name as if it had the whole
    column, not the column less its indentation, and so cuts a third line off."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.column() != NAME:
            return size
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = self.tree.columnWidth(NAME) - self.tree.indentation() * depth - 10
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font if isinstance(font, QFont) else option.font)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        flags = int(Qt.TextFlag.TextWordWrap)
        height = metrics.boundingRect(QRect(0, 0, max(width, 40), 10_000), flags, text).height()
        return QSize(size.width(), max(size.height(), height + 10))


class RollupTree(QTreeWidget):
    """The roll-up figures; the total on top in bold, groups and areas beneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(12)
        self.grouped = GroupedHeader(self)
        self.name_heading = NAME_HEADINGS[SavingsView.PLACE]
        self.setHeader(self.grouped)
        self.setAccessibleName("Savings roll-up")
        self.setAccessibleDescription(
            "The total on top, then CSUs and their areas (or wastes, or months). Choose a figure "
            "to list the estimates behind it; plus and minus open and close a row."
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setStyleSheet("QTreeWidget::item { min-height: 28px; padding: 2px 0; }")
        # Nine money columns leave the names little room on a laptop: they wrap onto a second
        # line rather than lose their ends, and each level is indented a little less.
        self.setWordWrap(True)
        self.setIndentation(14)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegateForColumn(NAME, NameDelegate(self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setMinimumSectionSize(56)
        # Row heights follow the wrapped names: work them out again when the names' width changes.
        header.sectionResized.connect(
            lambda column, _old, _new: self.scheduleDelayedItemsLayout() if column == NAME else None
        )
        self.set_hours_measure("opportunity")
        for column in range(1, 12):
            self.setColumnWidth(column, 84)

    def set_hours_measure(self, measure: str) -> None:
        words = MEASURE_WORDS[measure]
        labels = [self.name_heading]
        labels += [SHORT_CASH[c] for _m, c in FIGURE_COLUMNS]
        labels += ["hours a year", "WTE"]
        self.setHeaderLabels(labels)
        groups = [(1 + 3 * i, 3 + 3 * i, MEASURE_WORDS[m]) for i, m in enumerate(MEASURES)]
        self.grouped.set_groups([*groups, (HOURS, WTE, f"{words} time")])
        self.headerItem().setToolTip(HOURS, f"Annual hours of the {words.lower()}")
        self.headerItem().setToolTip(WTE, f"Whole-time equivalents of the {words.lower()} hours")
        for column, (measure_of, cash) in enumerate(FIGURE_COLUMNS, start=1):
            self.headerItem().setToolTip(
                column, f"{MEASURE_WORDS[measure_of]}, {CASH_WORDS[cash]}: pounds a year"
            )

    def fit_figures(self) -> None:
        """Every figure column just wide enough for its widest figure; the name takes the rest."""
        for column in range(1, self.columnCount()):
            self.resizeColumnToContents(column)
            self.setColumnWidth(column, self.columnWidth(column) + 4)
        self._fit_name()

    def _fit_name(self) -> None:
        # The name stretches into what the figures leave, but never below MIN_NAME_WIDTH: with
        # figures in the hundreds of millions the table scrolls sideways instead.
        figures = sum(self.columnWidth(c) for c in range(1, self.columnCount()))
        header = self.header()
        if self.viewport().width() - figures >= MIN_NAME_WIDTH:
            header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(NAME, MIN_NAME_WIDTH)
        self.scheduleDelayedItemsLayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_name()
