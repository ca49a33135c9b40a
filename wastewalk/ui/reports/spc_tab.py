"""The SPC charts tab: a series within the window's CSU/area and a period, drawn as an XmR chart
the Making Data Count way, with its icons, a one-line reading, and how the values were counted.

The series is read on a worker thread (at trust scale it scans every observation); the chart is
worked out there too, so changing an option never freezes the window.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.spc import (
    MIN_FIX_AFTER,
    Improvement,
    SpcChart,
    SpcOptions,
    reading_of,
    xmr_chart,
)
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.spc_series import (
    SERIES_TITLES,
    SeriesKind,
    SpcSeries,
    processes,
    series_for,
)
from wastewalk.store.database import Database
from wastewalk.ui.charts.spc_chart_view import SpcChartView
from wastewalk.ui.charts.spc_icons import IconLabel
from wastewalk.ui.savings.background import Background
from wastewalk.ui.savings.date_range import CONTROL_HEIGHT, DateRangeBar
from wastewalk.ui.scope import Scope

logger = logging.getLogger(__name__)

IMPROVEMENT_WORDS: dict[Improvement, str] = {
    Improvement.INCREASE: "Higher is better",
    Improvement.DECREASE: "Lower is better",
    Improvement.NEUTRAL: "Neither (no direction)",
}
NOT_FIXED = MIN_FIX_AFTER - 1  # the spin box's lowest value, shown as "Not fixed"


@dataclass(frozen=True)
class Drawn:
    """What the chart shows: the series, the options it was worked out with, and the chart."""

    series: SpcSeries
    options: SpcOptions
    chart: SpcChart


class SpcTab(QWidget):
    """Series, process and period on top; the chart with its icons and reading; options beside."""

    shown = Signal()  # a chart (or the reason there is none) is on show for the current choice

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
        self.series: SpcSeries | None = None
        self.drawn: Drawn | None = None
        self._positions: dict[str, int] = {}
        # Rebases are kept by label (a day or week), so they stay on the same point when the
        # period or scope changes and the points are counted again.
        self.rebases: set[str] = set()
        self.background = Background(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)

        top = QHBoxLayout()
        series_label = QLabel("S&eries", self)
        self.series_box = QComboBox(self)
        for kind, words in SERIES_TITLES.items():
            self.series_box.addItem(words, str(kind))
        self.series_box.setAccessibleName("Series charted")
        self.series_box.setMinimumHeight(CONTROL_HEIGHT)
        series_label.setBuddy(self.series_box)
        self.process_label = QLabel("Pro&cess", self)
        self.process_box = QComboBox(self)
        self.process_box.setAccessibleName("Process whose cycle time is charted")
        self.process_box.setMinimumHeight(CONTROL_HEIGHT)
        self.process_box.setMinimumWidth(200)
        self.process_label.setBuddy(self.process_box)
        self.dates = DateRangeBar(self)
        top.addWidget(series_label)
        top.addWidget(self.series_box)
        top.addSpacing(8)
        top.addWidget(self.process_label)
        top.addWidget(self.process_box)
        top.addSpacing(8)
        top.addWidget(self.dates)
        top.addStretch(1)
        layout.addLayout(top)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.chart_view = SpcChartView(self)
        self.chart_view.setMinimumHeight(260)
        left.addWidget(self.chart_view, 1)
        icons = QHBoxLayout()
        self.variation_icon = IconLabel("Variation", self)
        self.assurance_icon = IconLabel("Assurance", self)
        icons.addWidget(self.variation_icon, 1)
        icons.addSpacing(12)
        icons.addWidget(self.assurance_icon, 1)
        left.addLayout(icons)
        self.reading = QLabel(self)
        self.reading.setWordWrap(True)
        self.reading.setTextFormat(Qt.TextFormat.PlainText)
        self.reading.setAccessibleName("Reading of the chart")
        self.reading.setStyleSheet("font-size: 11pt;")
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.basis = QLabel(self)
        self.basis.setWordWrap(True)
        self.basis.setTextFormat(Qt.TextFormat.PlainText)
        self.basis.setAccessibleName("How the values were counted")
        self.basis.setStyleSheet("color: #425563;")
        left.addWidget(self.reading)
        left.addWidget(self.basis)
        body.addLayout(left, 1)
        body.addWidget(self._options_panel())
        layout.addLayout(body, 1)

        self.setTabOrder(self.series_box, self.process_box)
        self.setTabOrder(self.process_box, self.dates.preset)
        self.setTabOrder(self.dates.preset, self.dates.date_from)
        self.setTabOrder(self.dates.date_from, self.dates.date_to)
        self.setTabOrder(self.dates.date_to, self.improvement_box)
        self.setTabOrder(self.improvement_box, self.target_edit)
        self.setTabOrder(self.target_edit, self.fix_after_box)
        self.setTabOrder(self.fix_after_box, self.screen_box)
        self.setTabOrder(self.screen_box, self.rebase_box)
        self.setTabOrder(self.rebase_box, self.add_rebase_button)
        self.setTabOrder(self.add_rebase_button, self.clear_rebases_button)
        self.setTabOrder(self.clear_rebases_button, self.chart_view)

        self.series_box.currentIndexChanged.connect(lambda _i: self._series_changed())
        self.process_box.currentIndexChanged.connect(lambda _i: self._choice_changed())
        self.dates.changed.connect(self._choice_changed)
        self.improvement_box.currentIndexChanged.connect(lambda _i: self.redraw())
        self.target_edit.editingFinished.connect(self._target_edited)
        # Emptying the box (its clear button) takes the target away at once.
        self.target_edit.textChanged.connect(
            lambda text: None if text.strip() else self._target_edited()
        )
        self.fix_after_box.valueChanged.connect(lambda _v: self.redraw())
        self.screen_box.toggled.connect(lambda _on: self.redraw())
        self.add_rebase_button.clicked.connect(self._add_chosen_rebase)
        self.clear_rebases_button.clicked.connect(self.clear_rebases)
        self.chart_view.point_clicked.connect(self.toggle_rebase)
        self._show_process_choice()

    def _options_panel(self) -> QFrame:
        panel = QFrame(self)
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setFixedWidth(270)
        form = QFormLayout(panel)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setContentsMargins(8, 8, 8, 8)
        heading = QLabel("Chart options", panel)
        heading.setStyleSheet("font-weight: 600; color: #005eb8;")
        form.addRow(heading)
        self.improvement_box = QComboBox(panel)
        for improvement, words in IMPROVEMENT_WORDS.items():
            self.improvement_box.addItem(words, str(improvement))
        self.improvement_box.setAccessibleName("Which way is better")
        self.improvement_box.setMinimumHeight(CONTROL_HEIGHT)
        form.addRow(_buddy("&Better when", self.improvement_box, panel), self.improvement_box)
        self.target_edit = QLineEdit(panel)
        self.target_edit.setPlaceholderText("No target")
        self.target_edit.setValidator(QDoubleValidator(panel))
        self.target_edit.setAccessibleName("Target (leave empty for none)")
        self.target_edit.setClearButtonEnabled(True)
        self.target_edit.setMinimumHeight(CONTROL_HEIGHT)
        form.addRow(_buddy("&Target", self.target_edit, panel), self.target_edit)
        self.fix_after_box = QSpinBox(panel)
        self.fix_after_box.setRange(NOT_FIXED, 100_000)
        self.fix_after_box.setSpecialValueText("Not fixed")
        self.fix_after_box.setSuffix(" points")
        self.fix_after_box.setAccessibleName(
            f"Fix the limits from the first points of each group ({MIN_FIX_AFTER} or more)"
        )
        self.fix_after_box.setKeyboardTracking(False)
        self.fix_after_box.setMinimumHeight(CONTROL_HEIGHT)
        form.addRow(_buddy("Fi&x limits after", self.fix_after_box, panel), self.fix_after_box)
        self.screen_box = QCheckBox("Screen &outlying moving ranges", panel)
        self.screen_box.setChecked(True)
        self.screen_box.setToolTip(
            "Leave out moving ranges of 3.267 times their mean or more before working out the "
            "limits (as NHSRplotthedots does; off matches the Making Data Count Excel tool)"
        )
        form.addRow(self.screen_box)
        self.rebase_box = QComboBox(panel)
        self.rebase_box.setAccessibleName("Point to rebase at")
        self.rebase_box.setMinimumHeight(CONTROL_HEIGHT)
        form.addRow(
            _buddy("&Rebase at (or click a point)", self.rebase_box, panel), self.rebase_box
        )
        buttons = QHBoxLayout()
        self.add_rebase_button = QPushButton("&Add rebase", panel)
        self.add_rebase_button.setToolTip("Start a new group of limits at the point chosen")
        self.add_rebase_button.setAutoDefault(True)
        self.clear_rebases_button = QPushButton("C&lear rebases", panel)
        self.clear_rebases_button.setAutoDefault(True)
        buttons.addWidget(self.add_rebase_button)
        buttons.addWidget(self.clear_rebases_button)
        form.addRow(buttons)
        self.rebases_label = QLabel(panel)
        self.rebases_label.setWordWrap(True)
        self.rebases_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rebases_label.setStyleSheet("color: #425563;")
        form.addRow(self.rebases_label)
        return panel

    # --- the choice -----------------------------------------------------------------------

    def current_kind(self) -> SeriesKind:
        return SeriesKind(str(self.series_box.currentData()))

    def set_kind(self, kind: SeriesKind) -> None:
        self.series_box.setCurrentIndex(self.series_box.findData(str(kind)))

    def current_filter(self) -> DataFilter:
        start, end = self.dates.dates()
        return DataFilter(self.scope.csu_id, self.scope.area_id, start, end)

    def current_options(self) -> SpcOptions:
        fix_after = self.fix_after_box.value()
        return SpcOptions(
            improvement=Improvement(str(self.improvement_box.currentData())),
            target=self.target(),
            rebase_at=self.rebase_indices(),
            fix_after=None if fix_after == NOT_FIXED else fix_after,
            screen_outliers=self.screen_box.isChecked(),
        )

    def target(self) -> float | None:
        text = self.target_edit.text().strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self._choice_changed()

    def _show_process_choice(self) -> None:
        cycle = self.current_kind() == SeriesKind.CYCLE_TIME
        self.process_label.setVisible(cycle)
        self.process_box.setVisible(cycle)

    def _series_changed(self) -> None:
        self._show_process_choice()
        # A new measure: its own direction, no target and no rebases (they meant the old one).
        self.target_edit.clear()
        self.rebases.clear()
        self.series = None
        self._choice_changed()

    def _choice_changed(self) -> None:
        """The series, process, scope or period changed: read the series again."""
        problem = self.dates.problem()
        if problem:
            self._show_nothing(problem)
            return
        kind = self.current_kind()
        flt = self.current_filter()
        db = self.db
        self.reading.setText("Reading the values…")
        if kind == SeriesKind.CYCLE_TIME:
            self.background.run(
                "processes", lambda: processes(db, flt), self._processes_read, self._failed
            )
            return
        self.background.run(
            "series", lambda: series_for(db, kind, flt), self._series_read, self._failed
        )

    def _processes_read(self, names: list[str]) -> None:
        if self.current_kind() != SeriesKind.CYCLE_TIME:
            return  # the person chose another series meanwhile
        keep = self.process_box.currentText()
        self.process_box.blockSignals(True)
        self.process_box.clear()
        self.process_box.addItems(list(names))
        index = self.process_box.findText(keep)
        self.process_box.setCurrentIndex(max(index, 0))
        self.process_box.blockSignals(False)
        if not names:
            self._show_nothing(
                "No time studies here in this period, so there is no cycle time to chart."
            )
            return
        kind, flt, db = self.current_kind(), self.current_filter(), self.db
        process = self.process_box.currentText()
        self.background.run(
            "series",
            lambda: series_for(db, kind, flt, process),
            self._series_read,
            self._failed,
        )

    def _series_read(self, series: SpcSeries) -> None:
        first = self.series is None or self.series.kind != series.kind
        self.series = series
        if first:
            self.improvement_box.blockSignals(True)
            self.improvement_box.setCurrentIndex(
                self.improvement_box.findData(str(series.improvement))
            )
            self.improvement_box.blockSignals(False)
        self._positions = {label: index for index, label in enumerate(series.xs)}
        self.rebase_box.clear()
        self.rebase_box.addItems(list(series.xs))  # item i is point i: one call, fast at 10,000
        self.rebase_box.setCurrentIndex(min(1, self.rebase_box.count() - 1))
        self.basis.setText(series.basis)
        self.redraw()

    # --- the chart ------------------------------------------------------------------------

    def redraw(self) -> None:
        """Work the chart out again with the current options (on the worker thread)."""
        series = self.series
        if series is None:
            return
        if not series.ys:
            self._show_nothing(f"No values for {series.title.lower()} in this scope and period.")
            return
        options = self.current_options()
        self.background.run(
            "chart",
            lambda: Drawn(series, options, xmr_chart(series.xs, series.ys, options)),
            self._draw,
            self._failed,
        )

    def _draw(self, drawn: Drawn) -> None:
        self.drawn = drawn
        series, chart = drawn.series, drawn.chart
        self.chart_view.show_chart(chart, series.xs, series.title, series.unit)
        self.variation_icon.set_icon(chart.variation, "Too few points for limits.")
        self.assurance_icon.set_icon(chart.assurance, _no_assurance_words(chart))
        self.reading.setStyleSheet("font-size: 11pt;")
        self.reading.setText(reading_of(chart, series.unit))
        self._show_rebases()
        self.shown.emit()

    def _show_nothing(self, words: str) -> None:
        self.drawn = None
        self.chart_view.show_chart(SpcChart(Improvement.NEUTRAL, None, (), None, None), (), "", "")
        self.variation_icon.set_icon(None, "")
        self.assurance_icon.set_icon(None, "")
        self.reading.setText(words)
        self.basis.setText("")
        self.shown.emit()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, WasteWalkError):
            self.reading.setText(str(exc))
        else:
            logger.error("the SPC chart could not be drawn", exc_info=exc)
            self.reading.setText(
                f"The chart could not be drawn (a fault in WasteWalk; details in the log): {exc}"
            )
        self.reading.setStyleSheet("font-size: 11pt; color: #d5281b;")
        self.shown.emit()

    def _target_edited(self) -> None:
        if self.drawn is None or self.drawn.options.target != self.target():
            self.redraw()

    # --- rebasing -------------------------------------------------------------------------

    def rebase_indices(self) -> tuple[int, ...]:
        """The points (0-based, in the series shown) that start a new group."""
        found = (self._positions.get(label, 0) for label in self.rebases)
        return tuple(sorted(index for index in found if index > 0))

    def toggle_rebase(self, index: int) -> None:
        """Start a new group at the point `index` (0-based), or undo that rebase."""
        series = self.series
        if series is None or not 0 < index < len(series.xs):
            return  # a rebase at the first point changes nothing
        label = series.xs[index]
        if label in self.rebases:
            self.rebases.discard(label)
        else:
            self.rebases.add(label)
        self.redraw()

    def _add_chosen_rebase(self) -> None:
        series = self.series
        index = self.rebase_box.currentIndex()
        if series is None or not 0 < index < len(series.xs):
            return
        if series.xs[index] not in self.rebases:
            self.rebases.add(series.xs[index])
            self.redraw()

    def clear_rebases(self) -> None:
        if self.rebases:
            self.rebases.clear()
            self.redraw()

    def _show_rebases(self) -> None:
        at = [self.series.xs[i] for i in self.rebase_indices()] if self.series else []
        if not at:
            self.rebases_label.setText("No rebases: one set of limits for all the points.")
        else:
            self.rebases_label.setText(
                f"New limits from: {', '.join(at)}. Click a point again to undo."
            )
        self.clear_rebases_button.setEnabled(bool(self.rebases))

    def shut_down(self) -> None:
        """Let any read finish before the database closes."""
        self.background.wait()


def _no_assurance_words(chart: SpcChart) -> str:
    if not chart.has_limits:
        return ""
    if chart.target is None:
        return "Set a target to see whether it will be met."
    return "With no better direction, a target is neither passed nor failed."


def _buddy(text: str, widget: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(widget)
    return label
