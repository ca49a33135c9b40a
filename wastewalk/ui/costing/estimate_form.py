"""The fields of one cost estimate, with its arithmetic worked out as you type.

Used for the cost of a waste on an observation and for an action's expected and validated saving
(`EstimateDialog` wraps it). The form saves nothing itself: `value()` gives the `EstimateInput`
and the caller's service stores it. Every figure shown is worked out by the services
(`preview_estimate`), so the window shows exactly what would be saved.

    form = EstimateForm(db, area_id)
    form.set_input(info.inputs, info.id)      # or set_input(None) for a new estimate
    data = form.value()                       # raises InputError with plain words
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.costing import EstimateResult, Period, money_text
from wastewalk.domain.errors import InputError, WasteWalkError
from wastewalk.services.estimates import (
    EstimateInfo,
    EstimateInput,
    get_estimate,
    preview_estimate,
    reprice_estimate,
)
from wastewalk.services.organisation import list_areas
from wastewalk.store.database import Database
from wastewalk.ui.costing.arithmetic_panel import ArithmeticPanel
from wastewalk.ui.costing.money_widgets import (
    ERROR_COLOUR,
    MIN_TARGET,
    WARNING_BACKGROUND,
    big_button,
    decimal_text,
    help_label,
    number_field,
    pounds_text,
    read_number,
    read_pence,
    split_problems,
)
from wastewalk.ui.costing.staff_group_combo import StaffGroupCombo
from wastewalk.ui.settings import ask
from wastewalk.ui.timefmt import uk_day

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

PER_WORDS: tuple[tuple[Period, str], ...] = (
    (Period.DAY, "a day"),
    (Period.WEEK, "a week"),
    (Period.MONTH, "a month"),
    (Period.YEAR, "a year"),
)
CASH_RELEASING_HELP = (
    "A budget really falls: posts, bank/agency shifts, overtime or stock removed. "
    "Otherwise it is time released to care."
)
BASIS_REQUIRED = "Required when cash-releasing: say which budget falls, and how you know."
BASIS_OPTIONAL = "How the figures were found: counted, timed, from a report…"


class EstimateForm(QWidget):
    """Minutes, staff, group, frequency, costs, classing and basis; the arithmetic beside them.

    `changed` is emitted after every edit (the figures are already redrawn); `repriced` with the
    new `EstimateInfo` after "Re-price at today's rate" saved a new price.

    `cash_required_basis` (default True) says beside the basis that a cash-releasing figure needs
    one, and marks it red while it is missing. The services refuse a cash-releasing estimate with
    no basis whatever this says; the refusal is then shown in the arithmetic panel.
    """

    changed = Signal()
    repriced = Signal(object)  # EstimateInfo

    def __init__(
        self,
        db: Database,
        area_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        cash_required_basis: bool = True,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.area_id = area_id
        self.cash_required_basis = cash_required_basis
        self.estimate_id: uuid.UUID | None = None
        self.info: EstimateInfo | None = None
        self.result: EstimateResult | None = None  # the figures as they stand, None if refused
        self.problems: list[str] = []
        # Asked before re-pricing (None: `ask.confirm`); a test sets it to answer without a modal.
        self.confirm: Callable[[QWidget | None, str, str, str], bool] | None = None
        self._loading = False
        self.operating_days = 365
        self.area_name = "This area"
        for area in list_areas(db, include_archived=True):
            if area.id == area_id:
                self.operating_days = area.operating_days_per_year
                self.area_name = area.name
        self._build()
        self.set_input(None)

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.priced_label = help_label("", self)
        self.priced_label.setAccessibleName("When this estimate was priced")
        self.priced_label.setVisible(False)
        outer.addWidget(self.priced_label)
        self.rate_notice = self._rate_notice()
        outer.addWidget(self.rate_notice)

        # Fields on the left; on the right the arithmetic they make, then how the money is
        # classed and why. Two columns keep the whole form on a 768-pixel-high screen.
        body = QHBoxLayout()
        body.setSpacing(18)
        body.addLayout(self._fields(), 1)
        right = QVBoxLayout()
        self.arithmetic = ArithmeticPanel(self)
        right.addWidget(self.arithmetic, 1)
        right.addLayout(self._classing())
        body.addLayout(right, 1)
        outer.addLayout(body, 1)
        for edit in (self.minutes_edit, self.staff_edit, self.occurrences_edit):
            edit.textChanged.connect(self._edited)
        for edit in (self.consumables_edit, self.other_edit):
            edit.textChanged.connect(self._edited)
        self.rate_combo.currentIndexChanged.connect(self._edited)
        self.rate_combo.editTextChanged.connect(self._edited)
        self.per_combo.currentIndexChanged.connect(self._edited)
        self.cash_check.toggled.connect(self._edited)
        self.recurrent_check.toggled.connect(self._edited)
        self.basis_edit.textChanged.connect(self._edited)

    def _rate_notice(self) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("rateNotice")
        frame.setStyleSheet(
            f"#rateNotice {{ background: {WARNING_BACKGROUND}; border: 1px solid #ffb81c; }}"
        )
        row = QHBoxLayout(frame)
        row.setContentsMargins(8, 4, 8, 4)
        self.rate_notice_label = QLabel(frame)
        self.rate_notice_label.setWordWrap(True)
        self.rate_notice_label.setAccessibleName("The staff rate has changed")
        self.reprice_button = big_button(
            "&Re-price at today's rate",
            frame,
            tip="Price this estimate again at the staff group's rate as it is today",
        )
        self.reprice_button.clicked.connect(self.reprice)
        row.addWidget(self.rate_notice_label, 1)
        row.addWidget(self.reprice_button)
        frame.setVisible(False)
        return frame

    def _fields(self) -> QVBoxLayout:
        column = QVBoxLayout()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(6)
        self.form_layout = form

        self.minutes_edit = number_field("Minutes each time", self)
        self.minutes_edit.setPlaceholderText("e.g. 6")
        self._row(form, "&Minutes each time:", _with_unit(self.minutes_edit, "minutes", self))

        self.staff_edit = number_field("Staff involved each time", self, text="1")
        self._row(form, "Staff &involved:", _with_unit(self.staff_edit, "staff at once", self))

        self.rate_combo = StaffGroupCombo(self.db, self)
        self._row(form, "Staff &group:", self.rate_combo)

        self.occurrences_edit = number_field("How many times", self)
        self.occurrences_edit.setPlaceholderText("e.g. 5")
        self.per_combo = QComboBox(self)
        self.per_combo.setAccessibleName("Per")
        self.per_combo.setMinimumHeight(MIN_TARGET)
        for period, words in PER_WORDS:
            self.per_combo.addItem(words, str(period))
        often = QHBoxLayout()
        often.setContentsMargins(0, 0, 0, 0)
        often.addWidget(self.occurrences_edit)
        often.addWidget(QLabel("times", self))
        often.addWidget(self.per_combo)
        often.addStretch(1)
        often_widget = QWidget(self)
        often_widget.setLayout(often)
        self._row(form, "How &often:", often_widget)
        self.days_label = help_label(
            f"{self.area_name} operates {self.operating_days} days a year: “a day” counts "
            "those days.",
            self,
        )
        self.days_label.setAccessibleName("Operating days of the area")
        form.addRow("", self.days_label)

        self.consumables_edit = number_field("Consumables each time, in pounds", self)
        self.consumables_edit.setPlaceholderText("0.00")
        self._row(
            form, "&Consumables:", _with_unit(self.consumables_edit, "£ each time", self, left=True)
        )
        self.other_edit = number_field("Other cost a year, in pounds", self)
        self.other_edit.setPlaceholderText("0.00")
        self._row(form, "Ot&her cost:", _with_unit(self.other_edit, "£ a year", self, left=True))
        column.addLayout(form)
        column.addStretch(1)
        return column

    def _classing(self) -> QVBoxLayout:
        """Cash-releasing or not, recurrent or not, and the written basis."""
        column = QVBoxLayout()
        column.setSpacing(2)
        self.cash_check = QCheckBox("Ca&sh-releasing", self)
        self.cash_check.setAccessibleName("Cash-releasing")
        self.cash_check.setAccessibleDescription(CASH_RELEASING_HELP)
        self.cash_check.setMinimumHeight(32)
        self.recurrent_check = QCheckBox("Rec&urrent (every year, not once)", self)
        self.recurrent_check.setChecked(True)
        self.recurrent_check.setAccessibleName("Recurrent: every year, not once")
        self.recurrent_check.setMinimumHeight(32)
        column.addWidget(self.cash_check)
        cash_help = help_label(CASH_RELEASING_HELP, self)
        cash_help.setContentsMargins(24, 0, 0, 4)  # under the box's words, not its tick
        column.addWidget(cash_help)
        column.addWidget(self.recurrent_check)

        basis_row = QHBoxLayout()
        basis_label = QLabel("&Basis:", self)
        self.basis_note = QLabel(self)
        self.basis_note.setWordWrap(True)
        basis_row.addWidget(basis_label)
        basis_row.addWidget(self.basis_note, 1)
        column.addLayout(basis_row)
        self.basis_edit = QPlainTextEdit(self)
        self.basis_edit.setAccessibleName("Basis")
        self.basis_edit.setTabChangesFocus(True)
        self.basis_edit.setPlaceholderText(
            "e.g. timed on 3 walks in March; agency shifts booked to cover this, per the roster"
        )
        self.basis_edit.setMinimumHeight(64)
        self.basis_edit.setMaximumHeight(96)
        basis_label.setBuddy(self.basis_edit)
        column.addWidget(self.basis_edit)
        return column

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text, self)
        label.setMinimumHeight(MIN_TARGET)
        target = field.findChild(QLineEdit) if not isinstance(field, QLineEdit) else field
        label.setBuddy(target if target is not None else field)
        if isinstance(field, QComboBox):
            label.setBuddy(field)
        form.addRow(label, field)

    # --- filling in ---------------------------------------------------------------------------

    def set_input(self, data: EstimateInput | None, estimate_id: uuid.UUID | None = None) -> None:
        """Show an estimate's inputs (None: an empty new one); `estimate_id` when it is saved."""
        self._loading = True
        try:
            self.estimate_id = estimate_id
            self.info = get_estimate(self.db, estimate_id) if estimate_id is not None else None
            data = data or EstimateInput()
            self.rate_combo.load(data.staff_rate_id)
            info = self.info
            if info is not None and info.rate_changed_since and info.rate.staff_rate_id:
                self.rate_combo.mark_kept(info.rate.staff_rate_id, info.rate.pence)
            self.minutes_edit.setText(decimal_text(data.minutes) if data.minutes else "")
            self.staff_edit.setText(decimal_text(data.staff_count))
            self.rate_combo.select(data.staff_rate_id)
            self.occurrences_edit.setText(
                decimal_text(data.occurrences) if data.occurrences else ""
            )
            self.per_combo.setCurrentIndex(max(self.per_combo.findData(str(data.per)), 0))
            self.consumables_edit.setText(pounds_text(data.consumables_pence))
            self.other_edit.setText(pounds_text(data.other_annual_pence))
            self.cash_check.setChecked(data.cash_releasing)
            self.recurrent_check.setChecked(data.recurrent)
            self.basis_edit.setPlainText(data.basis)
        finally:
            self._loading = False
        self._show_pricing()
        self.refresh()

    def select_rate(self, rate_id: uuid.UUID | None) -> None:
        """Choose a staff group by id (None: no staff time)."""
        self.rate_combo.select(rate_id)

    def _show_pricing(self) -> None:
        info = self.info
        if info is None:
            self.priced_label.setVisible(False)
            self.rate_notice.setVisible(False)
            return
        when = info.priced_at if info.priced_at.tzinfo else info.priced_at.replace(tzinfo=dt.UTC)
        if info.rate.staff_rate_id is not None:
            rate = money_text(info.rate.pence)
            source = f", source {info.rate.source}" if info.rate.source else ""
            text = f"Priced on {uk_day(when)} at {rate}/h ({info.rate.label}{source})"
        else:
            text = f"Priced on {uk_day(when)} (no staff time)"
        self.priced_label.setText(text)
        self.priced_label.setToolTip(text)
        self.priced_label.setVisible(True)
        self.rate_notice_label.setText(
            "The rate for this staff group has changed since; this estimate keeps "
            f"{money_text(info.rate.pence)}/h."
        )
        self.rate_notice.setVisible(info.rate_changed_since)

    # --- reading back -------------------------------------------------------------------------

    def value(self) -> EstimateInput:
        """The inputs as typed; InputError listing every field that cannot be read."""
        problems: list[str] = []

        def attempt(read: Callable[[], _T], fallback: _T) -> _T:
            try:
                return read()
            except ValueError as exc:
                problems.append(str(exc))
                return fallback

        def number(edit: QLineEdit, what: str, fallback: Decimal) -> Decimal:
            return attempt(lambda: read_number(edit.text(), what), fallback)

        def pence(edit: QLineEdit, what: str) -> int:
            return attempt(lambda: read_pence(edit.text(), what), 0)

        data = EstimateInput(
            minutes=number(self.minutes_edit, "Minutes", Decimal(0)),
            staff_count=number(self.staff_edit, "Staff involved", Decimal(1)),
            staff_rate_id=attempt(self.rate_combo.rate_id, None),
            occurrences=number(self.occurrences_edit, "How often", Decimal(0)),
            per=str(self.per_combo.currentData()),
            consumables_pence=pence(self.consumables_edit, "Consumables each time"),
            other_annual_pence=pence(self.other_edit, "Other cost a year"),
            cash_releasing=self.cash_check.isChecked(),
            recurrent=self.recurrent_check.isChecked(),
            basis=self.basis_edit.toPlainText(),
        )
        if problems:
            raise InputError("; ".join(problems))
        return data

    # --- the arithmetic -----------------------------------------------------------------------

    def _edited(self) -> None:
        if self._loading:
            return
        self.refresh()
        self.changed.emit()

    def refresh(self) -> None:
        """Work the figures out again from the fields, or say plainly why they cannot be."""
        self._show_basis_note()
        info = self.info
        if info is not None:
            # Another staff group takes today's rate, so the notice about the kept one goes.
            try:
                same_group = self.rate_combo.rate_id() == info.rate.staff_rate_id
            except ValueError:
                same_group = False
            self.rate_notice.setVisible(info.rate_changed_since and same_group)
        try:
            result = preview_estimate(self.db, self.value(), self.area_id, self.estimate_id)
        except WasteWalkError as exc:
            self.result, self.problems = None, split_problems(str(exc))
            self.arithmetic.show_problems(self.problems)
            return
        self.result, self.problems = result, []
        self.arithmetic.show_result(result)

    def _show_basis_note(self) -> None:
        cash = self.cash_check.isChecked()
        if cash and self.cash_required_basis:
            missing = not self.basis_edit.toPlainText().strip()
            self.basis_note.setText(BASIS_REQUIRED)
            colour = ERROR_COLOUR if missing else "#212b32"
            self.basis_note.setStyleSheet(f"color: {colour}; font-weight: 600;")
        else:
            required = " Required if cash-releasing." if self.cash_required_basis else ""
            self.basis_note.setText(BASIS_OPTIONAL + required)
            self.basis_note.setStyleSheet("color: #425563;")

    # --- re-pricing ---------------------------------------------------------------------------

    def reprice(self) -> None:
        """After a confirm, price the saved estimate again at today's rate for its staff group."""
        if self.estimate_id is None or self.info is None:
            return
        question = (
            f"Re-price this estimate at today's rate? It was priced at "
            f"{money_text(self.info.rate.pence)}/h; its annual value will change and the "
            "date it was priced becomes today."
        )
        if not (self.confirm or ask.confirm)(self, "Re-price the estimate", question, "Re-price"):
            return
        try:
            info = reprice_estimate(self.db, self.estimate_id)
        except WasteWalkError as exc:
            self.arithmetic.show_problems(split_problems(str(exc)))
            return
        self.set_input(info.inputs, info.id)
        self.repriced.emit(info)


def _with_unit(field: QLineEdit, unit: str, parent: QWidget, *, left: bool = False) -> QWidget:
    """A field with its unit written beside it ("minutes", "£ a year")."""
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    if left:
        symbol, _, rest = unit.partition(" ")
        row.addWidget(QLabel(symbol, holder))
        row.addWidget(field)
        row.addWidget(QLabel(rest, holder))
    else:
        row.addWidget(field)
        row.addWidget(QLabel(unit, holder))
    row.addStretch(1)
    return holder
