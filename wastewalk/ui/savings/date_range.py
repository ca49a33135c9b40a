"""A date range for the roll-up: All time, this or last financial year (1 April to 31 March),
the last 12 months, or two dates of the person's choosing. An open end shows "Any"."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from wastewalk.services.actions import uk_today

logger = logging.getLogger(__name__)

ALL_TIME = "All time"
THIS_YEAR = "This financial year"
LAST_YEAR = "Last financial year"
LAST_12_MONTHS = "Last 12 months"
CHOSEN = "Chosen dates"
PRESETS = (ALL_TIME, THIS_YEAR, LAST_YEAR, LAST_12_MONTHS, CHOSEN)
_ANY = QDate(2000, 1, 1)  # the minimum date: shown as "Any", meaning no limit at that end
CONTROL_HEIGHT = 34


def financial_year_start(day: dt.date) -> dt.date:
    """1 April of the NHS financial year that `day` falls in."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def preset_range(name: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The inclusive dates of a preset."""
    if name == THIS_YEAR:
        start = financial_year_start(today)
        return start, dt.date(start.year + 1, 3, 31)
    if name == LAST_YEAR:
        start = financial_year_start(today)
        return dt.date(start.year - 1, 4, 1), dt.date(start.year, 3, 31)
    if name == LAST_12_MONTHS:
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return year_ago + dt.timedelta(days=1), today
    return None, None


def _qdate(day: dt.date | None) -> QDate:
    return _ANY if day is None else QDate(day.year, day.month, day.day)


def _day(date: QDate) -> dt.date | None:
    return None if date == _ANY else dt.date(date.year(), date.month(), date.day())


class DateRangeBar(QWidget):
    """Period presets and From/To dates; `changed` when the range changes."""

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, today: Callable[[], dt.date] = uk_today
    ) -> None:
        super().__init__(parent)
        self.today = today
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Period", self)
        self.preset = QComboBox(self)
        self.preset.addItems(PRESETS)
        self.preset.setAccessibleName("Period counted")
        self.preset.setMinimumHeight(CONTROL_HEIGHT)
        label.setBuddy(self.preset)
        self.date_from = self._date_edit("Counted from (inclusive)")
        self.date_to = self._date_edit("Counted to (inclusive)")
        layout.addWidget(label)
        layout.addWidget(self.preset)
        layout.addSpacing(6)
        from_label = QLabel("&from", self)
        from_label.setBuddy(self.date_from)
        to_label = QLabel("&to", self)
        to_label.setBuddy(self.date_to)
        layout.addWidget(from_label)
        layout.addWidget(self.date_from)
        layout.addWidget(to_label)
        layout.addWidget(self.date_to)
        # Typing a date changes it digit by digit; wait for a pause before counting again.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(300)
        self._settle.timeout.connect(self.changed)
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.date_from.dateChanged.connect(self._date_edited)
        self.date_to.dateChanged.connect(self._date_edited)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(_ANY)
        edit.setSpecialValueText("Any")  # shown at the minimum date: no limit at this end
        edit.setDate(_ANY)
        edit.setAccessibleName(name)
        edit.setMinimumHeight(CONTROL_HEIGHT)
        edit.setMinimumWidth(125)
        return edit

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """The inclusive range; None at an open end."""
        return _day(self.date_from.date()), _day(self.date_to.date())

    def problem(self) -> str:
        start, end = self.dates()
        if start is not None and end is not None and start > end:
            return "The 'from' date is after the 'to' date, so nothing can be counted."
        return ""

    def set_preset(self, name: str) -> None:
        self.preset.setCurrentText(name)

    def set_dates(self, start: dt.date | None, end: dt.date | None) -> None:
        """Choose two dates (None for an open end); the period becomes 'Chosen dates'."""
        self._show(start, end)
        self.preset.blockSignals(True)
        self.preset.setCurrentText(CHOSEN)
        self.preset.blockSignals(False)
        self.changed.emit()

    def _show(self, start: dt.date | None, end: dt.date | None) -> None:
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _preset_chosen(self, name: str) -> None:
        if name == CHOSEN:
            start, end = self.dates()
            if start is None and end is None:  # a starting point to change, not "Any" to "Any"
                self._show(*preset_range(THIS_YEAR, self.today()))
        else:
            self._show(*preset_range(name, self.today()))
        self._settle.stop()
        self.changed.emit()

    def _date_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentText(CHOSEN)
        self.preset.blockSignals(False)
        self._settle.start()
