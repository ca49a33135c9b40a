"""Dialogs of the Actions tab: make an action from observations, edit it, unlock it, read its
history. Each saves through the caller's function and, on a refusal, says why in red and stays
open with what was typed."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.actions import (
    STATUS_WORDS,
    ActionEventInfo,
    ActionInfo,
    ActionInput,
    uk_today,
)
from wastewalk.services.organisation import AreaInfo
from wastewalk.services.savings_view import ObservationChoice
from wastewalk.ui.costing.money_widgets import (
    MIN_TARGET,
    big_button,
    error_label,
    show_problems,
    split_problems,
)
from wastewalk.ui.savings.texts import money
from wastewalk.ui.timefmt import uk_date_time, uk_day

logger = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole
EVENT_WORDS = {
    "validated": "Saving validated; action locked",
    "unlocked": "Unlocked",
    "repriced": "Expected saving re-priced",
    "status": "Status changed",
}


class SavingDialog(QDialog):
    """OK calls `save()` (a subclass's) and closes; a refusal is shown and the dialog stays."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.saved_value: object = None
        self.body = QVBoxLayout(self)
        self.error = error_label(self, "Why it was not saved")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = big_button(ok_text, self)
        self.ok_button.setDefault(True)
        self.cancel_button = big_button("Cancel", self, tip="Close without saving (Esc)")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.ok_button, self.cancel_button):
            button.setMinimumWidth(120)
        self.ok_button.clicked.connect(self.try_save)
        self.cancel_button.clicked.connect(self.reject)

    def finish_layout(self) -> None:
        self.body.addWidget(self.error)
        self.body.addWidget(self.buttons)

    def save(self) -> object:
        raise NotImplementedError

    def try_save(self) -> None:
        try:
            self.saved_value = self.save()
        except WasteWalkError as exc:
            show_problems(self.error, ["Not saved: " + p for p in split_problems(str(exc))])
            return
        self.accept()


class ActionFields(QWidget):
    """Title, owner, due date, status and (when editing) notes."""

    def __init__(self, parent: QWidget | None = None, *, notes: bool = True) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Action title")
        self.title.setPlaceholderText("What will be done, e.g. 'Keep a spare pump on each bay'")
        self.title.setMaxLength(200)
        self.title.setMinimumHeight(MIN_TARGET)
        form.addRow("&Title:", self.title)
        self.owner = QLineEdit(self)
        self.owner.setAccessibleName("Owner")
        self.owner.setPlaceholderText("Who makes it happen (a name or role)")
        self.owner.setMaxLength(200)
        self.owner.setMinimumHeight(MIN_TARGET)
        form.addRow("&Owner:", self.owner)
        due_row = QHBoxLayout()
        self.has_due = QCheckBox("&Due by", self)
        self.has_due.setAccessibleName("The action has a due date")
        self.due = QDateEdit(self)
        self.due.setDisplayFormat("ddd d MMM yyyy")
        self.due.setCalendarPopup(True)
        self.due.setAccessibleName("Due date")
        self.due.setMinimumHeight(MIN_TARGET)
        today = uk_today() + dt.timedelta(days=28)
        self.due.setDate(QDate(today.year, today.month, today.day))
        self.has_due.toggled.connect(self.due.setEnabled)
        self.has_due.setChecked(True)
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due)
        due_row.addStretch(1)
        form.addRow("When:", due_row)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status")
        self.status.setMinimumHeight(MIN_TARGET)
        for status, words in STATUS_WORDS.items():
            self.status.addItem(words, str(status))
        form.addRow("&Status:", self.status)
        self.notes: QPlainTextEdit | None = None
        if notes:
            self.notes = QPlainTextEdit(self)
            self.notes.setAccessibleName("Notes")
            self.notes.setTabChangesFocus(True)
            self.notes.setMaximumHeight(110)
            form.addRow("&Notes:", self.notes)

    def due_date(self) -> dt.date | None:
        if not self.has_due.isChecked():
            return None
        date = self.due.date()
        return dt.date(date.year(), date.month(), date.day())

    def value(self) -> ActionInput:
        return ActionInput(
            title=self.title.text(),
            owner=self.owner.text(),
            due_date=self.due_date(),
            status=str(self.status.currentData()),
            notes=self.notes.toPlainText() if self.notes is not None else "",
        )

    def set_value(self, info: ActionInfo) -> None:
        self.title.setText(info.title)
        self.owner.setText(info.owner)
        self.has_due.setChecked(info.due_date is not None)
        if info.due_date is not None:
            day = info.due_date
            self.due.setDate(QDate(day.year, day.month, day.day))
        self.status.setCurrentIndex(max(self.status.findData(info.status), 0))
        if self.notes is not None:
            self.notes.setPlainText(info.notes)


def choice_text(choice: ObservationChoice) -> str:
    """'12 Mar 2026 · Waiting · Porter waited 20 minutes … · £9,672.50 a year'."""
    text = " ".join(choice.description.split())
    if len(text) > 110:
        text = text[:109] + "…"
    parts = [uk_day(choice.observed_at), choice.category_label, text]
    if choice.estimate_pence is not None:
        cash = "cash-releasing" if choice.cash_releasing else "non-cash"
        parts.append(f"{money(choice.estimate_pence)} a year, {cash}")
    else:
        parts.append("not priced")
    if choice.actions:
        parts.append(f"already in {choice.actions} action{'s' if choice.actions != 1 else ''}")
    return " · ".join(parts)


class NewActionDialog(SavingDialog):
    """Choose an area, tick its observations, and describe the action."""

    def __init__(
        self,
        areas: list[AreaInfo],
        preferred_area: uuid.UUID | None,
        observations_of: Callable[[uuid.UUID], list[ObservationChoice]],
        save: Callable[[list[uuid.UUID], ActionInput], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("New action from observations", "&Make action", parent)
        self._observations_of = observations_of
        self._save = save
        top = QFormLayout()
        self.area = QComboBox(self)
        self.area.setAccessibleName("Area the observations were seen in")
        self.area.setMinimumHeight(MIN_TARGET)
        self.area.setMaxVisibleItems(20)
        for area in areas:
            self.area.addItem(f"{area.csu_name} — {area.name}", str(area.id))
        if preferred_area is not None:
            self.area.setCurrentIndex(max(self.area.findData(str(preferred_area)), 0))
        top.addRow("&Area:", self.area)
        self.body.addLayout(top)
        heading = QLabel("Tick the &observations this action answers (newest first):", self)
        self.observations = QListWidget(self)
        self.observations.setAccessibleName("Observations of the area, newest first")
        self.observations.setMinimumHeight(200)
        self.observations.setStyleSheet("QListWidget::item { min-height: 30px; }")
        self.observations.setWordWrap(True)
        heading.setBuddy(self.observations)
        self.ticked_label = QLabel(self)
        self.ticked_label.setAccessibleName("How many observations are ticked")
        self.body.addWidget(heading)
        self.body.addWidget(self.observations, 1)
        self.body.addWidget(self.ticked_label)
        self.fields = ActionFields(self, notes=False)
        self.body.addWidget(self.fields)
        self.finish_layout()
        self.area.currentIndexChanged.connect(lambda _i: self.load_observations())
        self.observations.itemChanged.connect(lambda _item: self._count())
        self.load_observations()
        self.resize(900, 640)
        self.area.setFocus()

    def area_id(self) -> uuid.UUID | None:
        value = self.area.currentData()
        return uuid.UUID(value) if value else None

    def load_observations(self) -> None:
        self.observations.clear()
        area_id = self.area_id()
        choices = self._observations_of(area_id) if area_id is not None else []
        self.observations.blockSignals(True)
        for choice in choices:
            item = QListWidgetItem(choice_text(choice))
            item.setData(_ID_ROLE, str(choice.id))
            item.setToolTip(choice.description)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.observations.addItem(item)
        self.observations.blockSignals(False)
        if not choices:
            self.ticked_label.setText("No observations have been recorded in this area yet.")
        else:
            self._count()

    def set_ticked(self, observation_ids: list[uuid.UUID]) -> None:
        wanted = {str(i) for i in observation_ids}
        for row in range(self.observations.count()):
            item = self.observations.item(row)
            ticked = item.data(_ID_ROLE) in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def ticked(self) -> list[uuid.UUID]:
        return [
            uuid.UUID(self.observations.item(row).data(_ID_ROLE))
            for row in range(self.observations.count())
            if self.observations.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _count(self) -> None:
        count = len(self.ticked())
        self.ticked_label.setText(
            f"{count} of {self.observations.count()} ticked"
            if count
            else "Tick at least one observation (Space ticks the highlighted one)."
        )

    def save(self) -> object:
        return self._save(self.ticked(), self.fields.value())


class EditActionDialog(SavingDialog):
    """Title, owner, due date, status and notes (allowed while locked: they are not money)."""

    def __init__(
        self,
        info: ActionInfo,
        save: Callable[[ActionInput], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit action", "&Save", parent)
        self._save = save
        count = len(info.observation_ids)
        made = f"made from {count} observation{'s' if count != 1 else ''}"
        waste = f" · {info.category_label}" if info.category_label else ""
        where = QLabel(f"{info.area_name} ({info.csu_name}){waste} · {made}", self)
        where.setTextFormat(Qt.TextFormat.PlainText)
        self.body.addWidget(where)
        self.fields = ActionFields(self)
        self.fields.set_value(info)
        self.body.addWidget(self.fields)
        self.finish_layout()
        self.resize(640, 420)
        self.fields.title.setFocus()

    def save(self) -> object:
        return self._save(self.fields.value())


class UnlockDialog(SavingDialog):
    """Who is unlocking and why: both required, both recorded."""

    def __init__(
        self,
        info: ActionInfo,
        save: Callable[[str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Unlock a validated saving", "&Unlock and record", parent)
        self._save = save
        by = f" by {info.validated_by}" if info.validated_by else ""
        when = f" on {uk_day(info.validated_at)}" if info.validated_at else ""
        value = f" of {money(info.validated.annual_value_pence)}" if info.validated else ""
        self.warning = warning = QLabel(
            f"The saving{value} on “{info.title}” was validated{by}{when}.\n\n"
            "Unlocking is recorded in the action's history with your name, the time and your "
            "reason. Until it is validated again, its validated saving stops counting in every "
            "total.",
            self,
        )
        warning.setWordWrap(True)
        warning.setTextFormat(Qt.TextFormat.PlainText)
        warning.setStyleSheet("background:#fff9c4; border:1px solid #ffb81c; padding:8px;")
        warning.setAccessibleName("What unlocking does")
        self.body.addWidget(warning)
        form = QFormLayout()
        self.who = QLineEdit(self)
        self.who.setAccessibleName("Who is unlocking")
        self.who.setPlaceholderText("Your name and role")
        self.who.setMaxLength(200)
        self.who.setMinimumHeight(MIN_TARGET)
        form.addRow("&Who is unlocking:", self.who)
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName("Reason for unlocking")
        self.reason.setPlaceholderText("e.g. the agency shifts came back in May; re-validating")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(100)
        form.addRow("&Reason:", self.reason)
        self.body.addLayout(form)
        self.finish_layout()
        self.resize(600, 380)
        self.who.setFocus()

    def save(self) -> object:
        return self._save(self.who.text(), self.reason.toPlainText())


class HistoryDialog(QDialog):
    """An action's validations, unlocks, re-pricing and status changes, oldest first."""

    def __init__(
        self, info: ActionInfo, events: list[ActionEventInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Action history")
        self.setAccessibleName("Action history")
        layout = QVBoxLayout(self)
        title = QLabel(f"History of “{info.title}”", self)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setStyleSheet("font-weight: 600;")
        layout.addWidget(title)
        self.table = QTableWidget(len(events), 4, self)
        self.table.setHorizontalHeaderLabels(("When", "Who", "What", "Note"))
        self.table.setAccessibleName("Events, oldest first")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        for row, event in enumerate(events):
            cells = (uk_date_time(event.at), event.who, EVENT_WORDS.get(event.what, event.what))
            for column, text in enumerate((*cells, event.note)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        for column, width in ((0, 170), (1, 170), (2, 210)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        if not events:
            layout.addWidget(
                QLabel("Nothing recorded yet: no validation, unlock or status change.", self)
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setMinimumHeight(MIN_TARGET)
        layout.addWidget(buttons)
        self.resize(820, 360)
