"""Staff rates (Settings): the cost per hour of each staff group, and the hours in a WTE year.

Editing a rate never changes an estimate already priced: each estimate keeps a copy of the rate it
was priced with, and says so when the rate has moved on.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.costing import money_text
from wastewalk.domain.errors import InputError
from wastewalk.services import staff_rates
from wastewalk.services.staff_rates import StaffRateInfo
from wastewalk.store.database import Database
from wastewalk.ui.costing.money_widgets import (
    QUIET_COLOUR,
    big_button,
    decimal_text,
    error_label,
    help_label,
    number_field,
    read_number,
    show_problems,
    split_problems,
)
from wastewalk.ui.costing.staff_rate_dialog import StaffRateDialog
from wastewalk.ui.settings import ask
from wastewalk.ui.settings.widgets import NUMBER_ALIGN, archived_brush, flat_list

logger = logging.getLogger(__name__)

COLUMNS = ("Staff group", "Band", "£ an hour", "Basis", "Source", "Year", "State")
GROUP, BAND, COST, BASIS, SOURCE, YEAR, STATE = range(len(COLUMNS))
NEVER_CHANGES = (
    "<b>Editing a rate never changes estimates already priced; re-price an estimate on "
    "purpose.</b> Each estimate keeps the rate it was priced with, and says when that rate "
    "has changed since."
)
WTE_HELP = "Used for the WTE of new estimates (saved estimates keep theirs). 37.5 h × 52 = 1,950."


class StaffRatesTab(QWidget):
    """Every rate in its order, archived ones greyed; `changed` after each saved change."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.rates: list[StaffRateInfo] = []

        intro = QLabel(
            "The cost per hour of each staff group prices the time in an estimate. The shipped "
            "rates state their source; add the trust's own (bank, agency, local pay) with "
            "theirs. " + NEVER_CHANGES,
            self,
        )
        intro.setWordWrap(True)

        self.show_archived = QCheckBox("Show arch&ived rates", self)
        self.show_archived.setChecked(True)
        self.show_archived.setAccessibleName("Show archived rates")
        self.table = flat_list(self, "Staff rates", COLUMNS)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.header()
        header.setStretchLastSection(False)
        # The group is read first and is never cut; basis and source share what is left (the
        # line under the table shows them whole for the selected rate).
        for column, width in ((GROUP, 330), (BAND, 48), (COST, 84), (YEAR, 66), (STATE, 70)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        for column in (BASIS, SOURCE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.headerItem().setTextAlignment(COST, NUMBER_ALIGN)

        self.add_button = big_button(
            "&Add rate…", self, tip="Add a trust's own staff rate, with its source"
        )
        self.edit_button = big_button(
            "&Edit rate…", self, tip="Change the selected rate (priced estimates keep theirs)"
        )
        self.archive_button = big_button("Arc&hive", self)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self._wte_box())
        side = QWidget(self)
        side.setLayout(buttons)
        side.setFixedWidth(230)

        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        self.details = help_label("", self)
        self.details.setAccessibleName("The selected rate's basis and source")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.details)
        left.addWidget(self.show_archived)
        body.addLayout(left, 1)
        body.addWidget(side)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)

        self.add_button.clicked.connect(self.add_rate)
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.table.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.table.itemActivated.connect(lambda *_: self.edit_selected())
        self._update_buttons()

    def _wte_box(self) -> QFrame:
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(frame)
        title = QLabel("Hours in a WTE year", frame)
        title.setStyleSheet("font-weight: 600;")
        column.addWidget(title)
        row = QHBoxLayout()
        self.wte_edit = number_field("Hours in one whole-time-equivalent year", frame)
        self.wte_save = big_button("Sa&ve hours", frame, tip="Use these hours for new estimates")
        row.addWidget(self.wte_edit)
        row.addWidget(self.wte_save)
        column.addLayout(row)
        column.addWidget(help_label(WTE_HELP, frame))
        self.wte_error = error_label(frame, "Why the hours were not saved")
        column.addWidget(self.wte_error)
        self.wte_saved = QLabel(frame)
        self.wte_saved.setStyleSheet(f"color: {QUIET_COLOUR};")
        column.addWidget(self.wte_saved)
        self.wte_save.clicked.connect(self.save_wte_hours)
        self.wte_edit.returnPressed.connect(self.save_wte_hours)
        self.wte_edit.textEdited.connect(lambda _t: self.wte_saved.setText(""))
        return frame

    # --- reading -----------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Re-read the rates (and the WTE hours), keeping the selection or selecting `select`."""
        current = self.selected()
        keep = select or (current.id if current else None)
        rates = staff_rates.list_staff_rates(
            self.db, include_archived=self.show_archived.isChecked()
        )
        self.show_rates(rates, keep)
        self.wte_edit.setText(decimal_text(staff_rates.hours_per_wte_year(self.db)))
        show_problems(self.wte_error, [])

    def show_rates(self, rates: list[StaffRateInfo], keep: uuid.UUID | None) -> None:
        self.rates = rates
        self.table.clear()
        chosen = None
        for rate in rates:
            item = QTreeWidgetItem(
                self.table,
                [
                    rate.staff_group,
                    rate.band,
                    money_text(rate.cost_per_hour_pence),
                    " ".join(rate.basis.split()),
                    " ".join(rate.source.split()),
                    rate.year,
                    "archived" if rate.archived else "in use",
                ],
            )
            item.setData(0, Qt.ItemDataRole.UserRole, str(rate.id))
            item.setToolTip(GROUP, rate.code)
            item.setToolTip(BASIS, rate.basis)
            item.setToolTip(SOURCE, rate.source)
            item.setTextAlignment(COST, NUMBER_ALIGN)
            item.setTextAlignment(BAND, Qt.AlignmentFlag.AlignCenter)
            if rate.archived:
                for column in range(len(COLUMNS)):
                    item.setForeground(column, archived_brush())
            if rate.id == keep or chosen is None:
                chosen = item
        if chosen is not None:
            self.table.setCurrentItem(chosen)
        self._selection_changed()

    def selected(self) -> StaffRateInfo | None:
        item = self.table.currentItem()
        if item is None:
            return None
        index = self.table.indexOfTopLevelItem(item)
        return self.rates[index] if 0 <= index < len(self.rates) else None

    def _selection_changed(self) -> None:
        rate = self.selected()
        if rate is None:
            self.details.setText("")
        else:
            basis = f"Basis: {rate.basis}. " if rate.basis else ""
            self.details.setText(
                f"{rate.staff_group} ({rate.code}): {money_text(rate.cost_per_hour_pence)} an "
                f"hour, {rate.year}. {basis}Source: {rate.source}"
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        rate = self.selected()
        self.edit_button.setEnabled(rate is not None)
        self.archive_button.setEnabled(rate is not None)
        restoring = rate is not None and rate.archived
        self.archive_button.setText("Restore from arc&hive" if restoring else "Arc&hive")
        self.archive_button.setAccessibleName(
            "Restore the rate from the archive" if restoring else "Archive the rate"
        )
        self.archive_button.setToolTip(
            "Offer this rate for new estimates again"
            if restoring
            else "Stop offering this rate for new estimates (priced ones keep it)"
        )

    # --- changing ----------------------------------------------------------------------------

    def _changed(self, rate_id: uuid.UUID) -> None:
        self.reload(select=rate_id)
        self.changed.emit()

    def add_rate(self) -> None:
        dialog = StaffRateDialog("Add a staff rate", parent=self)
        made = ask.until_saved(
            self,
            dialog,
            "Add staff rate",
            lambda: staff_rates.add_staff_rate(self.db, dialog.value()),
        )
        if made is not None:
            self._changed(made.id)

    def edit_selected(self) -> None:
        rate = self.selected()
        if rate is None:
            return
        dialog = StaffRateDialog(f"Edit {rate.staff_group}", rate, parent=self)
        saved = ask.until_saved(
            self,
            dialog,
            "Edit staff rate",
            lambda: staff_rates.edit_staff_rate(self.db, rate.id, dialog.value()),
        )
        if saved is not None:
            self._changed(saved.id)

    def toggle_archived(self) -> None:
        """Archive the selected rate, or bring an archived one back."""
        rate = self.selected()
        if rate is None:
            return
        archive = not rate.archived
        what = "Archive staff rate" if archive else "Restore staff rate"
        saved = ask.attempt(
            self, what, lambda: staff_rates.set_staff_rate_archived(self.db, rate.id, archive)
        )
        if saved is not None:
            self._changed(saved.id)

    def save_wte_hours(self) -> None:
        """Save the hours in a WTE year; a refusal is shown in red beside the field."""
        try:
            hours = read_number(self.wte_edit.text(), "Hours per WTE year")
            saved = staff_rates.set_hours_per_wte_year(self.db, hours)
        except (ValueError, InputError) as exc:
            show_problems(self.wte_error, split_problems(str(exc)))
            self.wte_saved.setText("")
            return
        show_problems(self.wte_error, [])
        self.wte_edit.setText(decimal_text(saved))
        self.wte_saved.setText(f"Saved: {wte_hours_text(saved)} hours")
        logger.info("hours per WTE year set to %s", saved)
        self.changed.emit()


def wte_hours_text(hours: Decimal) -> str:
    """1,950 or 1,837.5 hours, as the tab says them."""
    return f"{hours.normalize():,f}"
