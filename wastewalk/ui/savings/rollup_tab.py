"""The roll-up: opportunity, estimated saving and validated saving side by side, each cash-releasing
and non-cash apart, from the trust down to CSUs and areas (or by waste, or by month), with the
estimates behind any figure underneath.

Every figure is read from SQL (services.savings.rollup); this screen only shows them. The reads
run on a worker thread (see background.py), so the window stays responsive at trust scale.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.savings import EstimateLine, Figures, SavingsFilter, estimate_lines
from wastewalk.services.savings_view import SavingsTable, SavingsView, savings_table
from wastewalk.store.database import Database
from wastewalk.ui.savings.background import Background
from wastewalk.ui.savings.date_range import CONTROL_HEIGHT, DateRangeBar
from wastewalk.ui.savings.estimate_table import EstimateLinesTable
from wastewalk.ui.savings.rollup_tree import (
    FIGURE_COLUMNS,
    HOURS,
    NAME,
    NAME_HEADINGS,
    WTE,
    RollupTree,
)
from wastewalk.ui.savings.texts import (
    CASH_WORDS,
    MEASURE_WORDS,
    MEASURES,
    MONTHS,
    day_text,
    footnote,
    hours_text,
    money,
    wte_text,
)
from wastewalk.ui.scope import Scope

logger = logging.getLogger(__name__)

LINES_LIMIT = 500
KEY_ROLE = Qt.ItemDataRole.UserRole
VIEWS = (
    (SavingsView.PLACE, "By CSU and area"),
    (SavingsView.WASTE, "By waste"),
    (SavingsView.MONTH, "By month"),
)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# A faint tint on the middle group, so the three measures read as three blocks.
_GROUP_TINT = QColor("#eef3f9")
_ZERO = QColor("#8a8a8a")


@dataclass(frozen=True)
class Target:
    """What the estimates table is showing: a row of the roll-up and one of its figures."""

    key: str  # "total", "csu:<hex>", "area:<hex>", "waste:<hex>", "month:2026-03"
    label: str
    measure: str | None  # None: all three
    cash: bool | None  # None: both classes
    figure_pence: int | None


def figure_of(figures: Figures, measure: str, cash: bool | None) -> int:
    """One figure of a row as the roll-up worked it out."""
    if cash is None:
        value: int = getattr(figures, measure)
        return value
    value = getattr(figures, f"{measure}_{'cash' if cash else 'non_cash'}")
    return value


def month_label(key: str) -> str:
    """'2026-03' as 'Mar 2026'."""
    first, _last = month_range(key)
    return f"{MONTHS[first.month - 1]} {first.year}"


def month_range(key: str) -> tuple[dt.date, dt.date]:
    """'2026-03' as its first and last day."""
    year, month = (int(part) for part in key.split("-"))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


class RollupTab(QWidget):
    """Filters on top, the roll-up, the estimates behind the chosen figure, and the footnote."""

    open_observation = Signal(object)  # uuid.UUID
    open_action = Signal(object)  # uuid.UUID
    loaded = Signal()  # the table (and, after it, the estimates) are showing fresh figures

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
        self.table: SavingsTable | None = None
        self.target: Target | None = None
        self.shown_lines: list[EstimateLine] = []
        self.background = Background(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)

        bar = QHBoxLayout()
        view_label = QLabel("&Show", self)
        self.view = QComboBox(self)
        for value, text in VIEWS:
            self.view.addItem(text, str(value))
        self.view.setAccessibleName("Group the roll-up by")
        self.view.setMinimumHeight(CONTROL_HEIGHT)
        view_label.setBuddy(self.view)
        self.dates = DateRangeBar(self)
        hours_label = QLabel("&Hours of", self)
        self.hours_measure = QComboBox(self)
        for measure in MEASURES:
            self.hours_measure.addItem(MEASURE_WORDS[measure], measure)
        self.hours_measure.setAccessibleName("Hours and WTE columns show")
        self.hours_measure.setMinimumHeight(CONTROL_HEIGHT)
        hours_label.setBuddy(self.hours_measure)
        bar.addWidget(view_label)
        bar.addWidget(self.view)
        bar.addSpacing(12)
        bar.addWidget(self.dates)
        bar.addSpacing(12)
        bar.addWidget(hours_label)
        bar.addWidget(self.hours_measure)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.status = QLabel(self)
        self.status.setAccessibleName("Roll-up status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)

        self.tree = RollupTree(self)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        self.lines_heading = QLabel(lower)
        self.lines_heading.setAccessibleName("Which estimates are listed")
        self.lines_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.lines_heading.setWordWrap(True)
        self.lines_heading.setStyleSheet("font-weight: 600;")
        self.lines = EstimateLinesTable(lower)
        lower_layout.addWidget(self.lines_heading)
        lower_layout.addWidget(self.lines, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        self.footnote = QLabel(self)
        self.footnote.setWordWrap(True)
        self.footnote.setAccessibleName("Basis of the figures")
        self.footnote.setStyleSheet("color: #425563;")
        self.footnote.setText(footnote(Decimal(1950)))
        layout.addWidget(self.footnote)

        self.view.currentIndexChanged.connect(lambda _i: self.reload())
        self.dates.changed.connect(self.reload)
        self.hours_measure.currentIndexChanged.connect(lambda _i: self._hours_measure_changed())
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.lines.open_observation.connect(self.open_observation)
        self.lines.open_action.connect(self.open_action)

    # --- reading ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.background.busy

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.reload()

    def current_view(self) -> SavingsView:
        return SavingsView(str(self.view.currentData()))

    def base_filter(self) -> SavingsFilter:
        start, end = self.dates.dates()
        return SavingsFilter(
            csu_id=self.scope.csu_id, area_id=self.scope.area_id, date_from=start, date_to=end
        )

    def reload(self) -> None:
        """Read the roll-up again for the scope, period and grouping chosen."""
        problem = self.dates.problem()
        if problem:
            self.status.setText(problem)
            return
        self.status.setText("Counting the estimates… (the figures below are the last ones read)")
        db, view, flt = self.db, self.current_view(), self.base_filter()
        self.background.run(
            "table",
            lambda: savings_table(db, view, flt),
            self._show_table,
            lambda exc: self._failed("The roll-up could not be read", exc),
        )

    def _failed(self, what: str, exc: BaseException) -> None:
        if isinstance(exc, WasteWalkError):
            self.status.setText(f"{what}: {exc}")
        else:
            logger.error("%s", what, exc_info=exc)
            self.status.setText(
                f"{what} because of a fault in WasteWalk (it has been logged). Sorry; try again, "
                "and if it keeps happening send the log file to whoever supports WasteWalk."
            )
        self.loaded.emit()

    def _show_table(self, table: SavingsTable) -> None:
        keep = self.target
        expanded = self._expanded_keys()
        self.table = table
        self.footnote.setText(footnote(table.hours_per_wte))
        blocker = self.tree.selectionModel().blockSignals(True)
        self.tree.clear()
        label = "Whole trust" if self.scope.is_trust else table.scope_label
        top = self._add_row(None, "total", label, table.total, bold=True)
        top.setToolTip(NAME, f"{table.scope_label}: the total of everything below")
        self.tree.name_heading = NAME_HEADINGS[table.view]
        self.tree.headerItem().setText(NAME, self.tree.name_heading)
        for group in table.groups:
            prefix = "csu" if table.view == SavingsView.PLACE else str(table.view)
            label = month_label(group.key) if table.view == SavingsView.MONTH else group.label
            item = self._add_row(top, f"{prefix}:{group.key}", label, group.figures)
            for area in table.areas_of(group.key) if table.view == SavingsView.PLACE else ():
                self._add_row(item, f"area:{area.key}", area.label, area.figures)
        top.setExpanded(True)
        self._restore_expanded(expanded, only_group=len(table.groups) == 1)
        self.tree.fit_figures()
        self.tree.selectionModel().blockSignals(blocker)
        count = table.total.estimates
        self.status.setText(
            f"{count:,} estimate{'s' if count != 1 else ''} counted, {self._period_words()}"
            + (": nothing priced in this scope and period yet" if count == 0 else "")
        )
        restored = self._select(keep) if keep is not None else False
        if not restored:
            self.tree.setCurrentItem(top, NAME)

    def _period_words(self) -> str:
        start, end = self.dates.dates()
        if start is None and end is None:
            return "all time"
        if end is None:
            return f"from {day_text(start)}"
        if start is None:
            return f"up to {day_text(end)}"
        return f"{day_text(start)} to {day_text(end)}"

    def _add_row(
        self,
        parent: QTreeWidgetItem | None,
        key: str,
        label: str,
        figures: Figures,
        bold: bool = False,
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree if parent is None else parent)
        item.setText(NAME, label)
        item.setData(NAME, KEY_ROLE, key)
        item.setToolTip(NAME, label)
        for column, (measure, cash) in enumerate(FIGURE_COLUMNS, start=1):
            pence = figure_of(figures, measure, cash)
            item.setText(column, money(pence))
            item.setTextAlignment(column, _RIGHT)
            if pence == 0:
                item.setForeground(column, QBrush(_ZERO))
            if measure == "expected":
                item.setBackground(column, QBrush(_GROUP_TINT))
        self._set_hours(item, figures)
        if bold:
            font = QFont(item.font(NAME))
            font.setBold(True)
            for column in range(self.tree.columnCount()):
                item.setFont(column, font)
        return item

    def _set_hours(self, item: QTreeWidgetItem, figures: Figures) -> None:
        assert self.table is not None
        hours = figures.hours(str(self.hours_measure.currentData()))
        item.setText(HOURS, hours_text(hours))
        item.setText(WTE, wte_text(hours / self.table.hours_per_wte))
        item.setToolTip(WTE, f"{hours / self.table.hours_per_wte:.4f} WTE")
        for column in (HOURS, WTE):
            item.setTextAlignment(column, _RIGHT)

    def _hours_measure_changed(self) -> None:
        measure = str(self.hours_measure.currentData())
        self.tree.set_hours_measure(measure)
        if self.table is None:
            return
        for item in self._items():
            figures = self._figures_of(str(item.data(NAME, KEY_ROLE)))
            if figures is not None:
                self._set_hours(item, figures)

    # --- finding rows ------------------------------------------------------------------------

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            found.append(item)
            stack[0:0] = [item.child(i) for i in range(item.childCount())]
        return found

    def item_for(self, key: str) -> QTreeWidgetItem | None:
        """The row with this key ("total", "csu:<hex>", "area:<hex>", ...), if shown."""
        return next((i for i in self._items() if i.data(NAME, KEY_ROLE) == key), None)

    def _figures_of(self, key: str) -> Figures | None:
        table = self.table
        if table is None:
            return None
        if key == "total":
            return table.total
        kind, _, value = key.partition(":")
        rows = table.areas if kind == "area" else table.groups
        return next((r.figures for r in rows if r.key == value), None)

    def _expanded_keys(self) -> set[str]:
        return {str(i.data(NAME, KEY_ROLE)) for i in self._items() if i.isExpanded()}

    def _restore_expanded(self, keys: set[str], only_group: bool) -> None:
        for item in self._items():
            key = str(item.data(NAME, KEY_ROLE))
            if key in keys or (only_group and key.startswith("csu:")):
                item.setExpanded(True)

    def _select(self, target: Target) -> bool:
        item = self.item_for(target.key)
        if item is None:
            return False
        column = NAME
        for index, (measure, cash) in enumerate(FIGURE_COLUMNS, start=1):
            if (measure, cash) == (target.measure, target.cash):
                column = index
        parent = item.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        self.tree.setCurrentItem(item, column)
        return True

    def choose(self, key: str, measure: str | None = None, cash: bool | None = None) -> None:
        """Show the estimates behind one figure (no measure: every estimate of the row)."""
        self._select(Target(key, "", measure, cash, None))

    # --- drill-down to the estimates ---------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.tree.itemFromIndex(current) if current.isValid() else None
        if item is None:
            return
        key = str(item.data(NAME, KEY_ROLE))
        column = current.column()
        measure, cash = FIGURE_COLUMNS[column - 1] if 1 <= column <= 9 else (None, None)
        figures = self._figures_of(key)
        pence = figure_of(figures, measure, cash) if figures and measure else None
        self.target = Target(key, item.text(NAME), measure, cash, pence)
        self._load_lines(self.target)

    def _lines_filter(self, key: str) -> tuple[SavingsFilter, uuid.UUID | None]:
        flt = self.base_filter()
        kind, _, value = key.partition(":")
        if kind == "csu":
            return replace(flt, csu_id=uuid.UUID(value)), None
        if kind == "area":
            return replace(flt, area_id=uuid.UUID(value)), None
        if kind == "waste":
            return flt, uuid.UUID(value) if value else None
        if kind == "month":
            first, last = month_range(value)
            start = max(first, flt.date_from) if flt.date_from else first
            end = min(last, flt.date_to) if flt.date_to else last
            return replace(flt, date_from=start, date_to=end), None
        return flt, None

    def _load_lines(self, target: Target) -> None:
        flt, category = self._lines_filter(target.key)
        measures = (target.measure,) if target.measure else MEASURES
        db = self.db
        self.lines_heading.setText(f"Estimates behind {self._describe(target)}: reading…")
        self.background.run(
            "lines",
            lambda: estimate_lines(
                db, flt, measures=measures, category_id=category, limit=LINES_LIMIT
            ),
            lambda lines: self._show_lines(target, lines),
            lambda exc: self._failed("The estimates could not be read", exc),
        )

    def _describe(self, target: Target) -> str:
        what = "every figure"
        if target.measure:
            what = f"{MEASURE_WORDS[target.measure].lower()}, {CASH_WORDS[target.cash]}"
        return f"{target.label} ({what})"

    def _show_lines(self, target: Target, lines: list[EstimateLine]) -> None:
        cut = len(lines) >= LINES_LIMIT
        if target.cash is not None:
            lines = [line for line in lines if line.cash_releasing is target.cash]
        self.shown_lines = lines
        self.lines.set_lines(lines)
        text = f"Estimates behind {self._describe(target)}"
        if target.figure_pence is not None:
            text += f", {money(target.figure_pence)}"
        if not cut:
            text += f": {len(lines):,} estimate{'s' if len(lines) != 1 else ''}, largest first."
        elif target.cash is not None:
            text += f": the {len(lines):,} among the {LINES_LIMIT:,} largest estimates."
        else:
            figures = self._figures_of(target.key)
            of = f" of {figures.estimates:,}" if figures and target.measure is None else ""
            text += f": the {LINES_LIMIT:,} largest{of} estimates."
        if lines:
            text += " Hover a row for its arithmetic; Enter or double-click opens it."
        self.lines_heading.setText(text)
        self.loaded.emit()
