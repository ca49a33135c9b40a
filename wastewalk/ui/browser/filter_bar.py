"""The browser's filters: waste, date range and free text (the CSU and area come from the scope)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from wastewalk.services.wastes import WasteCategoryInfo

logger = logging.getLogger(__name__)

# Long enough to let a word be typed without a query per key, short enough to feel immediate.
DEBOUNCE_MS = 250
CONTROL_HEIGHT = 40
_UK_ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


class OptionalDateEdit(QDateEdit):
    """A UK date that may be left empty ("Any date"); empty is held as the minimum date.

    Delete or Backspace empties it; an arrow key on an empty one starts at today.
    """

    EMPTY = QDate(2000, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(_UK_ENGLISH)
        self.setDisplayFormat("dd MMM yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(self.EMPTY)
        self.setSpecialValueText("Any date")
        self.setDate(self.EMPTY)
        self.setMinimumHeight(CONTROL_HEIGHT)

    def value(self) -> dt.date | None:
        """The date chosen, or None for any date."""
        date = self.date()
        if date == self.EMPTY:
            return None
        return dt.date(date.year(), date.month(), date.day())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(self.EMPTY if value is None else QDate(value.year, value.month, value.day))

    def stepBy(self, steps: int) -> None:
        if self.value() is None:
            self.setDate(QDate.currentDate())
            return
        super().stepBy(steps)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete or (
            event.key() == Qt.Key.Key_Backspace and self.value() is None
        ):
            self.set_value(None)
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        calendar = self.calendarWidget()
        if self.value() is None and calendar is not None:
            # The popup would otherwise open on January 2000, the "empty" date.
            today = QDate.currentDate()
            calendar.setCurrentPage(today.year(), today.month())


class ObservationFilterBar(QWidget):
    """Waste, from, to, search and "Clear filters", in one row."""

    # The filters changed: typing and dates after a short pause, waste and Clear at once.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self.waste = QComboBox(self)
        self.waste.setAccessibleName("Waste shown")
        self.waste.setToolTip("Show one waste, or all of them")
        self.waste.setMinimumHeight(CONTROL_HEIGHT)
        self.waste.setMinimumWidth(170)
        self.waste.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.waste.addItem("All wastes", None)

        self.date_from = OptionalDateEdit(self)
        self.date_from.setAccessibleName("Seen on or after")
        self.date_from.setToolTip("First day shown (UK date). Delete empties it.")
        self.date_to = OptionalDateEdit(self)
        self.date_to.setAccessibleName("Seen on or before")
        self.date_to.setToolTip("Last day shown, included (UK date). Delete empties it.")

        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search observations")
        self.search.setPlaceholderText("What was seen, where, or the idea (Ctrl+F)")
        self.search.setToolTip(
            "Finds this text anywhere in what was seen, where, or the countermeasure idea; "
            "capitals do not matter."
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(CONTROL_HEIGHT)
        self.search.setMinimumWidth(220)

        self.clear_button = QPushButton("C&lear filters", self)
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setToolTip("Show every waste, any date, no search text")
        self.clear_button.setMinimumHeight(CONTROL_HEIGHT)

        for text, control in (
            ("&Waste:", self.waste),
            ("&From:", self.date_from),
            ("&To:", self.date_to),
            ("Sea&rch:", self.search),
        ):
            label = QLabel(text, self)
            label.setBuddy(control)
            layout.addWidget(label)
            layout.addWidget(control, 1 if control is self.search else 0)
            if control is not self.search:
                layout.addSpacing(6)
        layout.addWidget(self.clear_button)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.changed)
        self.search.textChanged.connect(self.debounce.start)
        self.search.returnPressed.connect(self.apply_now)
        self.date_from.dateChanged.connect(self.debounce.start)
        self.date_to.dateChanged.connect(self.debounce.start)
        self.waste.currentIndexChanged.connect(self.apply_now)
        self.clear_button.clicked.connect(self.clear)

    def set_categories(self, categories: Sequence[WasteCategoryInfo]) -> None:
        """Offer these wastes, archived ones too (old observations keep them); keep the choice."""
        keep = self.waste.currentData()
        self.waste.blockSignals(True)
        self.waste.clear()
        self.waste.addItem("All wastes", None)
        live = [c for c in categories if not c.archived]
        archived = [c for c in categories if c.archived]
        for category in live + archived:
            label = f"{category.label} (archived)" if category.archived else category.label
            self.waste.addItem(label, str(category.id))
        index = self.waste.findData(keep) if keep is not None else 0
        self.waste.setCurrentIndex(max(index, 0))
        self.waste.blockSignals(False)
        if keep is not None and index < 0:
            self.apply_now()  # the chosen waste is gone: show all again

    def category_ids(self) -> frozenset[uuid.UUID]:
        data = self.waste.currentData()
        return frozenset() if not data else frozenset({uuid.UUID(str(data))})

    def set_category(self, category_id: uuid.UUID | None) -> None:
        index = 0 if category_id is None else self.waste.findData(str(category_id))
        self.waste.setCurrentIndex(max(index, 0))

    def text(self) -> str:
        return self.search.text().strip()

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        return self.date_from.value(), self.date_to.value()

    def is_empty(self) -> bool:
        return not (self.category_ids() or self.text() or any(self.dates()))

    def apply_now(self) -> None:
        """Apply what is entered without waiting for the pause after typing."""
        self.debounce.stop()
        self.changed.emit()

    def clear(self) -> None:
        for control in (self.waste, self.date_from, self.date_to, self.search):
            control.blockSignals(True)
        self.waste.setCurrentIndex(0)
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        self.search.clear()
        for control in (self.waste, self.date_from, self.date_to, self.search):
            control.blockSignals(False)
        self.apply_now()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
