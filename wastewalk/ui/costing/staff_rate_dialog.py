"""The form for one staff rate: a trust's own new rate, or new figures for an existing one.

A plain QDialog with its fields as attributes, so a test can build one, fill it and read it back
without showing it. It saves nothing: the Staff rates tab calls the service and shows any problem
in the service's words.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.observation_rules import MAX_SHORT_TEXT
from wastewalk.services.staff_rates import StaffRateInfo, StaffRateInput, parse_hourly_cost
from wastewalk.ui.costing.money_widgets import MIN_TARGET, big_button, help_label, pounds_text

logger = logging.getLogger(__name__)

CODE_HELP = (
    "The code names this rate in import files (the staff_group column), so it never changes once "
    "the rate is made: lower-case letters, digits and hyphens, such as 'nurse-band-5-bank'."
)
KEEP_HELP = (
    "Estimates already priced keep the rate they were priced with; re-price one on purpose to "
    "take the new figure."
)


def _line(name: str, parent: QWidget, *, limit: int, text: str = "") -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setMaxLength(limit)
    edit.setMinimumHeight(MIN_TARGET)
    edit.setAccessibleName(name)
    return edit


def _box(name: str, parent: QWidget, text: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(text, parent)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(64)
    return box


class StaffRateDialog(QDialog):
    """Code (new rates only), staff group, band, cost per hour, basis, source and year."""

    def __init__(
        self, title: str, rate: StaffRateInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(620)
        self.rate = rate
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        self.form = form

        self.code_edit: QLineEdit | None = None
        if rate is None:
            self.code_edit = _line("Code (never changes)", self, limit=60)
            self.code_edit.setPlaceholderText("for example: nurse-band-5-bank")
            self._row("&Code:", self.code_edit)
        else:
            shown = QLabel(rate.code, self)
            shown.setAccessibleName("Code (never changes)")
            self._row("Code:", shown)
        self.group_edit = _line(
            "Staff group", self, limit=MAX_SHORT_TEXT, text=rate.staff_group if rate else ""
        )
        self.group_edit.setPlaceholderText("for example: Nurse, band 5 (bank)")
        self._row("Staff &group:", self.group_edit)
        self.band_edit = _line("Band", self, limit=20, text=rate.band if rate else "")
        self.band_edit.setMaximumWidth(120)
        self._row("&Band:", self.band_edit)
        self.cost_edit = _line(
            "Cost per hour in pounds",
            self,
            limit=12,
            text=pounds_text(rate.cost_per_hour_pence) if rate else "",
        )
        self.cost_edit.setMaximumWidth(140)
        self.cost_edit.setPlaceholderText("57.00")
        self._row("Cost per &hour (£):", self.cost_edit)
        self.basis_edit = _box("Basis of the cost", self, rate.basis if rate else "")
        self.basis_edit.setPlaceholderText(
            "what the hourly figure includes: salary, on-costs, overheads, qualification…"
        )
        self._row("Ba&sis:", self.basis_edit)
        self.source_edit = _box("Source", self, rate.source if rate else "")
        self.source_edit.setPlaceholderText("where the figure comes from, so anyone can check it")
        self._row("S&ource:", self.source_edit)
        self.year_edit = _line("Year", self, limit=20, text=rate.year if rate else "")
        self.year_edit.setMaximumWidth(140)
        self.year_edit.setPlaceholderText("2025/26")
        self._row("&Year:", self.year_edit)
        outer.addWidget(help_label(CODE_HELP if rate is None else KEEP_HELP, self))

        buttons = QDialogButtonBox(self)
        self.ok_button = big_button("OK", self)
        self.ok_button.setDefault(True)
        cancel = big_button("Cancel", self)
        for button, role in (
            (self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (cancel, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button.setMinimumWidth(110)
            buttons.addButton(button, role)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def _row(self, text: str, field: QWidget) -> None:
        label = QLabel(text, self)
        label.setBuddy(field)
        label.setMinimumHeight(MIN_TARGET)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.addRow(label, field)

    def value(self) -> StaffRateInput:
        """The rate as typed; InputError (from the service's parser) if the cost is not pounds."""
        return StaffRateInput(
            code=self.code_edit.text().strip() if self.code_edit is not None else "",
            staff_group=self.group_edit.text(),
            cost_per_hour_pence=parse_hourly_cost(self.cost_edit.text()),
            band=self.band_edit.text(),
            basis=self.basis_edit.toPlainText(),
            source=self.source_edit.toPlainText(),
            year=self.year_edit.text(),
        )
