"""The study's summary under the sheet, redrawn after every lap from services' `summarise`.

Per element: selected, normal and standard time; for the study: cycle statistics over complete
cycles, takt time, value-added ratio and how many more cycles the study's accuracy needs.
Everything shown is rounded for reading; the services hold the exact figures.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from wastewalk.domain.time_study import (
    AllowanceBasis,
    SelectedTime,
    StudySummary,
    more_cycles_needed,
)
from wastewalk.services.time_studies import StudyInfo
from wastewalk.ui.timestudy.sheet_model import VALUE_CLASS_TAGS, seconds_text

logger = logging.getLogger(__name__)

ELEMENT_HEADERS = ("Element", "Class", "n", "Selected", "Rating", "Normal", "Standard")


def minutes_and_seconds(seconds: float) -> str:
    """'10.5 min (630.0 s)', or '42.3 s' under a minute."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min ({seconds:.1f} s)"


class SummaryPanel(QWidget):
    """Per-element times on the left, the study's figures on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(ELEMENT_HEADERS), self)
        self.table.setAccessibleName("Normal and standard time per element")
        self.table.setHorizontalHeaderLabels(ELEMENT_HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(ELEMENT_HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 3)

        figures = QWidget(self)
        grid = QGridLayout(figures)
        grid.setContentsMargins(8, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.values: dict[str, QLabel] = {}
        rows = (
            ("standard", "Standard time (total)"),
            ("cycles", "Cycles (complete)"),
            ("takt", "Takt time"),
            ("va", "Value-added ratio"),
            ("needed", "Cycles needed"),
        )
        for row, (key, words) in enumerate(rows):
            label = QLabel(words, figures)
            label.setStyleSheet("color:#425563;")
            value = QLabel(figures)
            value.setStyleSheet("font-weight:600;")
            value.setWordWrap(True)
            value.setAccessibleName(words)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.values[key] = value
        self.notes = QLabel(figures)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Notes on the summary")
        self.notes.setStyleSheet("color:#6b3d00;")
        self.notes.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        grid.addWidget(self.notes, len(rows), 0, 1, 2)
        grid.setRowStretch(len(rows) + 1, 1)
        grid.setColumnStretch(1, 1)
        layout.addWidget(figures, 2)

    def show_summary(self, study: StudyInfo, summary: StudySummary) -> None:
        """Redraw from a fresh summary (cheap: a few dozen labels)."""
        settings = summary.settings
        lrt = settings.selected_time == SelectedTime.LRT
        self.table.setHorizontalHeaderItem(
            3, QTableWidgetItem("Selected (LRT)" if lrt else "Selected (mean)")
        )
        rows = len(summary.elements) + 1
        self.table.setRowCount(rows)
        for row, element in enumerate(summary.elements):
            selected = seconds_text(element.selected_s)
            if element.selected_fell_back_to_mean:
                selected += " (mean)"
            self._row(
                row,
                (
                    f"{element.order}. {element.name}",
                    VALUE_CLASS_TAGS.get(element.value_class, str(element.value_class)),
                    str(element.n),
                    selected,
                    f"{element.rating_pct:g} %",
                    seconds_text(element.normal_s),
                    seconds_text(element.standard_s),
                ),
            )
        allowance = f"{settings.allowance_pct:g} % of the " + (
            "workday" if settings.allowance_basis == AllowanceBasis.WORKDAY else "job"
        )
        self._row(
            rows - 1,
            (
                "Total",
                "",
                "",
                "",
                "",
                seconds_text(summary.normal_total_s),
                seconds_text(summary.standard_total_s),
            ),
            bold=True,
        )
        normal = seconds_text(summary.normal_total_s)
        self.values["standard"].setText(
            f"{seconds_text(summary.standard_total_s)} s  (normal {normal} s + {allowance})"
        )
        cycles = summary.cycles
        if cycles.n and cycles.mean_s is not None:
            self.values["cycles"].setText(
                f"{cycles.n}: mean {seconds_text(cycles.mean_s)} s, "
                f"min {seconds_text(cycles.min_s)} s, max {seconds_text(cycles.max_s)} s"
            )
        else:
            self.values["cycles"].setText("none complete yet")
        if summary.takt_s is not None:
            takt = minutes_and_seconds(summary.takt_s)
            if cycles.mean_s is not None:
                verdict = "within" if cycles.mean_s <= summary.takt_s else "over"
                takt += f"; mean cycle {verdict} takt"
            self.values["takt"].setText(takt)
        else:
            self.values["takt"].setText("not set (give available time and demand in the set-up)")
        self.values["va"].setText(
            f"{summary.va_ratio * 100:.0f} %" if summary.va_ratio is not None else "–"
        )
        self.values["needed"].setText(self._needed_text(summary))
        self.notes.setText(self._notes(summary))

    def _needed_text(self, summary: StudySummary) -> str:
        settings = summary.settings
        goal = f"±{settings.accuracy_pct:g} % at {settings.confidence_pct} % confidence"
        if summary.cycles_needed is None:
            return f"needs 2 valid readings of each element ({goal})"
        more = more_cycles_needed(summary)
        if not more:
            return f"{summary.cycles_needed} for {goal}: enough"
        return f"{summary.cycles_needed} for {goal}: {more} more cycles needed"

    def _notes(self, summary: StudySummary) -> str:
        notes = []
        if summary.elements_without_readings:
            names = ", ".join(summary.elements_without_readings)
            notes.append(f"No valid readings yet for {names}: left out of the totals.")
        fell_back = [e.name for e in summary.elements if e.selected_fell_back_to_mean]
        if fell_back:
            notes.append(
                "No whole-second reading repeats for " + ", ".join(fell_back) + ", so the "
                "mean is used instead of the lowest repeatable time."
            )
        return " ".join(notes)

    def _row(self, row: int, cells: tuple[str, ...], *, bold: bool = False) -> None:
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)
