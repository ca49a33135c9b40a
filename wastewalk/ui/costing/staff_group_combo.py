"""The staff-group chooser: live rates as "Nurse, band 5 — £57.00/h (2025)", type to search.

Typing part of a name ("band 5", "pharm") offers the groups that contain it. The source of each
rate is its tooltip. An estimate's own rate stays on offer after it has been archived.
"""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from wastewalk.domain.costing import money_text
from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.staff_rates import StaffRateInfo, get_staff_rate, list_staff_rates
from wastewalk.store.database import Database
from wastewalk.ui.costing.money_widgets import MIN_TARGET, rate_text, rate_tooltip

logger = logging.getLogger(__name__)

NO_GROUP = "No staff time (consumables or other costs only)"


class StaffGroupCombo(QComboBox):
    """An editable combo over the staff rates; `rate_id()` reads the choice back."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.rates: list[StaffRateInfo] = []
        self.setAccessibleName("Staff group")
        self.setToolTip("Type part of a name to search, for example 'band 5'")
        self.setMinimumHeight(MIN_TARGET)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(30)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def load(self, keep: uuid.UUID | None = None) -> None:
        """The live rates, plus `keep` (an estimate's own rate) when it has been archived."""
        rates = list_staff_rates(self.db)
        if keep is not None and all(rate.id != keep for rate in rates):
            try:
                rates.append(get_staff_rate(self.db, keep))
            except WasteWalkError:
                logger.info("staff rate %s of an estimate no longer exists", keep)
        self.rates = rates
        self.blockSignals(True)
        self.clear()
        self.addItem(NO_GROUP, "")
        for rate in rates:
            self.addItem(rate_text(rate) + (" (archived)" if rate.archived else ""), str(rate.id))
            self.setItemData(self.count() - 1, rate_tooltip(rate), Qt.ItemDataRole.ToolTipRole)
        self.blockSignals(False)

    def mark_kept(self, rate_id: uuid.UUID, pence: int) -> None:
        """Label a rate as an estimate keeps it, when the rate has changed since it was priced."""
        index = self.findData(str(rate_id))
        rate = next((r for r in self.rates if r.id == rate_id), None)
        if index < 0 or rate is None:
            return
        self.setItemText(
            index,
            f"{rate.staff_group} — {money_text(pence)}/h as priced "
            f"(today {money_text(rate.cost_per_hour_pence)}/h)",
        )

    def select(self, rate_id: uuid.UUID | None) -> None:
        """Choose a staff group by id (None: no staff time)."""
        index = max(self.findData(str(rate_id) if rate_id is not None else ""), 0)
        self.setCurrentIndex(index)
        self.setEditText(self.itemText(index))

    def rate_id(self) -> uuid.UUID | None:
        """The chosen group; ValueError when the typed text names none in the list."""
        text = self.currentText().strip()
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != self.currentText():
            index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            if not text:
                return None
            raise ValueError(f"'{text}' is not a staff group in the list: choose one from it")
        value = self.itemData(index)
        return uuid.UUID(value) if value else None
