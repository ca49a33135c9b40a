"""The walk's summary, shown when a walk is finished: who, how long, what waste, and what to check.

Built from a `WalkSummary` (plain data), so it can be shown again for any past walk.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.uk_time import UK
from wastewalk.services.walk_summary import WalkSummary, duration_words, review_warning
from wastewalk.ui.timefmt import uk_clock, uk_day
from wastewalk.ui.walks.bar_chart import WasteBarChart

logger = logging.getLogger(__name__)

COLUMNS = ("Time", "Waste", "What was seen", "Where", "Impact", "Ease", "NHS number?")
# Leaves room for the title bar and the taskbar on a 1366×768 laptop.
_MAX_SIZE = (1280, 680)

_WARNING_STYLE = (
    "background: #fff9c4; color: #212b32; border-left: 6px solid #ffb81c; padding: 8px;"
    "font-weight: bold;"
)


def heading_text(summary: WalkSummary) -> str:
    """Area · CSU · focus (the focus is left out when the walk had none)."""
    return " · ".join(part for part in (summary.area_name, summary.csu_name, summary.focus) if part)


def when_text(summary: WalkSummary) -> str:
    """The walk's date, times in UK local time and its length in words."""
    start = summary.started_at
    length = duration_words(summary.duration)
    if summary.ended_at is None:
        return f"{uk_day(start)}, started {uk_clock(start)}, still in progress ({length} so far)"
    end = summary.ended_at
    same_day = start.astimezone(UK).date() == end.astimezone(UK).date()
    until = uk_clock(end) if same_day else f"{uk_day(end)} {uk_clock(end)}"
    return f"{uk_day(start)}, {uk_clock(start)}–{until} ({length})"


def participants_text(summary: WalkSummary) -> str:
    if not summary.participants:
        return "Participants: none recorded"
    people = ", ".join(f"{p.name} ({p.role_words})" for p in summary.participants)
    return f"Participants: {people}"


class WalkSummaryDialog(QDialog):
    """Heading, times, participants, the NHS-number warning, the bar chart and the list."""

    def __init__(self, summary: WalkSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setWindowTitle(f"Walk summary — {summary.area_name}")
        self.setAccessibleName("Walk summary")

        self.heading = QLabel(self)
        # Plain text: an area or focus typed as "<b>&" shows as typed.
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setText(heading_text(summary))
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold; color: #005EB8;")
        self.heading.setAccessibleName("Walk")

        self.when_label = QLabel(when_text(summary), self)
        self.when_label.setAccessibleName("When")
        self.participants_label = QLabel(participants_text(summary), self)
        self.participants_label.setWordWrap(True)
        self.participants_label.setAccessibleName("Participants")

        self.warning_label = QLabel(review_warning(summary.needs_review_count), self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(_WARNING_STYLE)
        self.warning_label.setAccessibleName("Warning")
        self.warning_label.setVisible(summary.needs_review_count > 0)

        total = summary.total
        self.chart_title = QLabel(
            f"Observations per waste ({total} in all)" if total else "Observations per waste", self
        )
        self.chart_title.setStyleSheet("font-weight: bold;")
        self.chart = WasteBarChart([(c.label, c.count) for c in summary.counts], self)
        self.chart_title.setBuddy(self.chart)

        self.table = self._make_table(summary)
        self.table_title = QLabel("What was seen, in order", self)
        self.table_title.setStyleSheet("font-weight: bold;")
        self.table_title.setBuddy(self.table)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setMinimumHeight(40)
        self.close_button.setMinimumWidth(120)
        self.close_button.setAccessibleName("Close summary")
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.chart_title)
        left.addWidget(self.chart)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.table_title)
        right.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.when_label)
        layout.addWidget(self.participants_label)
        layout.addWidget(self.warning_label)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self._fit_screen()
        # Keyboard users start on Close, so Enter or Esc both leave, as the issue asks.
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _make_table(self, summary: WalkSummary) -> QTableWidget:
        table = QTableWidget(len(summary.observations), len(COLUMNS), self)
        table.setAccessibleName("Observations on this walk")
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        # Tab leaves the table for the Close button instead of walking every cell.
        table.setTabKeyNavigation(False)
        for row, line in enumerate(summary.observations):
            cells = (
                uk_clock(line.observed_at),
                line.category_label,
                line.description,
                line.location,
                "" if line.impact is None else str(line.impact),
                "" if line.ease is None else str(line.ease),
                "Check" if line.needs_identifier_review else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setToolTip(text)  # long descriptions are elided in the cell
                if column in (4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 6 and text:
                    item.setToolTip("May hold an NHS number: redact or confirm before export")
                    item.setBackground(QColor("#fff9c4"))
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return table

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = _MAX_SIZE
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(width, height)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter closes even when focus is in the table, where QDialog would not reach the button.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.accept()
            return
        super().keyPressEvent(event)
