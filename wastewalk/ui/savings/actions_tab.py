"""The actions in scope: what was agreed, who owns it, when it is due, the saving expected and
the saving validated. Overdue actions come first with a red badge; a validated saving shows a
lock, and changing it takes a recorded unlock."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.actions import (
    ActionInfo,
    ActionInput,
    action_history,
    create_action,
    delete_action,
    edit_action,
    list_actions,
    unlock_action,
)
from wastewalk.services.organisation import list_areas
from wastewalk.services.savings_view import recent_observations
from wastewalk.store.database import Database
from wastewalk.ui.savings import ask
from wastewalk.ui.savings.action_dialogs import (
    EditActionDialog,
    HistoryDialog,
    NewActionDialog,
    UnlockDialog,
)
from wastewalk.ui.savings.badges import OVERDUE_ROLE, DueDelegate, lock_icon
from wastewalk.ui.savings.saving_dialogs import ValidatedSavingDialog, expected_saving_dialog
from wastewalk.ui.savings.texts import day_text, money, status_text, uk_date_of
from wastewalk.ui.scope import Scope

logger = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole
HEADERS = (
    "Title",
    "Area",
    "Waste",
    "Owner",
    "Due",
    "Status",
    "Expected saving",
    "Validated saving",
    "Validated by, on",
)
TITLE, AREA, WASTE, OWNER, DUE, STATUS, EXPECTED, VALIDATED, BY = range(9)
WIDTHS = {AREA: 130, WASTE: 96, OWNER: 112, DUE: 104, STATUS: 86, EXPECTED: 120}
WIDTHS |= {VALIDATED: 124, BY: 150}
ROW_HEIGHT = 46  # two lines; longer titles end in "…" and show in full in their tooltip
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
BUTTON_HEIGHT = 38


class ActionTable(QTableWidget):
    """Enter edits the action; Delete deletes it."""

    edit_requested = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.edit_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and self.currentRow() >= 0:
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)


class ActionsTab(QWidget):
    """Buttons on top, the table of actions beneath; every change goes through a service."""

    changed = Signal()  # an action or its saving changed: the roll-up is stale

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
        self.actions: list[ActionInfo] = []
        self.dialog: QDialog | None = None  # the dialog last shown (tests fill it in)
        self.last_edit: tuple[uuid.UUID, ActionInput] | None = None
        self._lock = lock_icon()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.new_button = self._button(
            "&New action…", "Make an action from observations of one area (Ctrl+N)", self.new
        )
        self.new_button.setStyleSheet(
            "QPushButton { background:#005EB8; color:white; font-weight:600; padding:0 14px; }"
        )
        self.edit_button = self._button(
            "&Edit…", "Title, owner, due date, status and notes (Enter)", self.edit
        )
        self.expected_button = self._button(
            "E&xpected saving…", "Price the saving this action expects to make", self.expected
        )
        self.validate_button = self._button(
            "&Validate saving…",
            "Record the saving achieved and who validated it; the action then locks",
            self.validate,
        )
        self.unlock_button = self._button(
            "&Unlock…", "Unlock a validated saving (who and why are recorded)", self.unlock
        )
        self.history_button = self._button(
            "&History", "Validations, unlocks and status changes", self.history
        )
        self.delete_button = self._button(
            "&Delete", "Delete this action (a validated, locked action cannot be)", self.delete
        )
        for button in self.buttons():
            bar.addWidget(button)
        bar.addStretch(1)
        self.overdue_only = QCheckBox("&Overdue only", self)
        self.overdue_only.setMinimumHeight(BUTTON_HEIGHT)
        self.overdue_only.toggled.connect(lambda _on: self.reload())
        bar.addWidget(self.overdue_only)
        layout.addLayout(bar)
        self.status = QLabel(self)
        self.status.setAccessibleName("Actions status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)

        self.table = ActionTable(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeaderItem(DUE).setToolTip("Overdue actions are flagged and first")
        self.table.setItemDelegateForColumn(DUE, DueDelegate(self.table))
        self.table.setAccessibleName("Actions, overdue first, then by due date")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in WIDTHS.items():
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.table.edit_requested.connect(self.edit)
        self.table.delete_requested.connect(self.delete)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit())
        self.table.itemSelectionChanged.connect(self._enable)

        new = QAction("New action", self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(self.new)
        self.addAction(new)
        undo = QAction("Undo the last edit", self)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.triggered.connect(self.undo_edit)
        self.addAction(undo)
        self._enable()

    def _button(self, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setMinimumHeight(BUTTON_HEIGHT)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(tip)
        button.clicked.connect(slot)
        return button

    def buttons(self) -> list[QPushButton]:
        return [
            self.new_button,
            self.edit_button,
            self.expected_button,
            self.validate_button,
            self.unlock_button,
            self.history_button,
            self.delete_button,
        ]

    # --- the list ----------------------------------------------------------------------------

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.reload()

    def _area_ids(self) -> list[uuid.UUID] | None:
        if self.scope.area_id is not None:
            return [self.scope.area_id]
        if self.scope.csu_id is not None:
            return [a.id for a in list_areas(self.db, True) if a.csu_id == self.scope.csu_id]
        return None

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Read the actions in scope again, keeping (or moving to) the selected one."""
        keep = select or self.selected_id()
        self.actions = list_actions(
            self.db, area_ids=self._area_ids(), overdue_only=self.overdue_only.isChecked()
        )
        self.table.setRowCount(len(self.actions))
        for row, info in enumerate(self.actions):
            self._fill_row(row, info)
        overdue = sum(1 for a in self.actions if a.overdue)
        shown = f"{len(self.actions):,} action{'s' if len(self.actions) != 1 else ''}"
        if self.overdue_only.isChecked():
            shown += " overdue"
        elif overdue:
            shown += f", {overdue} overdue (shown first)"
        self.status.setText(shown if self.actions else self._empty_text())
        index = next((i for i, a in enumerate(self.actions) if a.id == keep), 0)
        if self.actions:
            self.table.selectRow(index)
        self._enable()

    def _empty_text(self) -> str:
        if self.overdue_only.isChecked():
            return "No overdue actions here."
        return "No actions here yet. Make one from observations with “New action…” (Ctrl+N)."

    def _fill_row(self, row: int, info: ActionInfo) -> None:
        validated = ""
        by = ""
        if info.validated is not None:
            validated = money(info.validated.annual_value_pence)
            if info.locked:
                when = f"on {uk_date_of(info.validated_at)}" if info.validated_at else ""
                by = "\n".join(p for p in (info.validated_by, when) if p)
            else:
                validated += " (unlocked)"
                by = "not counted until validated again"
        cells = {
            TITLE: info.title,
            AREA: info.area_name,
            WASTE: info.category_label or "",
            OWNER: info.owner,
            DUE: uk_day_date(info),
            STATUS: status_text(info.status),
            EXPECTED: money(info.expected.annual_value_pence) if info.expected else "",
            VALIDATED: validated,
            BY: by,
        }
        for column, text in cells.items():
            item = QTableWidgetItem(text)
            item.setData(_ID_ROLE, str(info.id))
            item.setToolTip(text)
            self.table.setItem(row, column, item)
        if info.overdue:
            due = self.table.item(row, DUE)
            due.setData(OVERDUE_ROLE, True)
            due.setToolTip(f"Overdue: due {uk_day_date(info)} and not done or dropped")
            due.setData(Qt.ItemDataRole.AccessibleTextRole, f"Overdue, due {uk_day_date(info)}")
        for column in (EXPECTED, VALIDATED):
            self.table.item(row, column).setTextAlignment(_RIGHT)
        for column, estimate in ((EXPECTED, info.expected), (VALIDATED, info.validated)):
            if estimate is not None:
                cash = "cash-releasing" if estimate.inputs.cash_releasing else "non-cash"
                self.table.item(row, column).setToolTip(
                    f"{money(estimate.annual_value_pence)} a year, {cash}\n"
                    + "\n".join(estimate.result.working)
                )
        if info.validated is not None and not info.locked:
            self.table.item(row, VALIDATED).setForeground(QBrush(QColor("#8a8a8a")))
        if info.locked:
            lock = self.table.item(row, VALIDATED)
            lock.setIcon(self._lock)
            lock.setData(Qt.ItemDataRole.AccessibleTextRole, f"Locked, {validated}")
            lock.setToolTip(
                f"Locked: validated at {validated} a year. Unlocking is recorded with who and why."
            )

    def selected_id(self) -> uuid.UUID | None:
        item = self.table.item(self.table.currentRow(), 0)
        value = item.data(_ID_ROLE) if item is not None else None
        return uuid.UUID(value) if isinstance(value, str) and value else None

    def selected(self) -> ActionInfo | None:
        chosen = self.selected_id()
        return next((a for a in self.actions if a.id == chosen), None)

    def select(self, action_id: uuid.UUID) -> None:
        """Show one action (clearing "Overdue only" if it hides it)."""
        if not any(a.id == action_id for a in self.actions) and self.overdue_only.isChecked():
            self.overdue_only.setChecked(False)
        self.reload(select=action_id)
        self.table.setFocus()

    def _enable(self) -> None:
        info = self.selected()
        chosen = info is not None
        for button in (self.edit_button, self.history_button, self.delete_button):
            button.setEnabled(chosen)
        self.expected_button.setEnabled(chosen and not info.locked)  # type: ignore[union-attr]
        self.validate_button.setEnabled(chosen and not info.locked)  # type: ignore[union-attr]
        self.unlock_button.setEnabled(chosen and info.locked)  # type: ignore[union-attr]

    # --- doing things ------------------------------------------------------------------------

    def _run(self, dialog: QDialog) -> bool:
        """Show a dialog; after a save, read the list again and tell the roll-up."""
        self.dialog = dialog
        accepted = ask.run_dialog(dialog)
        if accepted:
            self.changed.emit()
        return accepted

    def new(self) -> None:
        areas = [
            a
            for a in list_areas(self.db)
            if (self.scope.csu_id is None or a.csu_id == self.scope.csu_id)
            and (self.scope.area_id is None or a.id == self.scope.area_id)
        ]
        if not areas:
            ask.warn(
                self,
                "No areas here",
                "There are no areas in the CSU or area chosen at the top. Add wards under "
                "Organisation & settings, or choose “Whole trust”.",
            )
            return
        db = self.db
        preferred = self.scope.area_id or (self.selected().area_id if self.selected() else None)
        dialog = NewActionDialog(
            areas,
            preferred,
            lambda area_id: recent_observations(db, area_id),
            lambda ids, data: create_action(db, ids, data),
            self,
        )
        if self._run(dialog):
            made = dialog.saved_value
            assert isinstance(made, ActionInfo)
            self.reload(select=made.id)

    def edit(self) -> None:
        info = self.selected()
        if info is None:
            return
        before = ActionInput(info.title, info.owner, info.due_date, info.status, info.notes)
        dialog = EditActionDialog(info, lambda data: edit_action(self.db, info.id, data), self)
        if self._run(dialog):
            self.last_edit = (info.id, before)
            self.reload(select=info.id)
            self.status.setText(f"Saved “{info.title}”. Ctrl+Z puts back what it was.")

    def undo_edit(self) -> None:
        """Put back the action as it was before the last edit (Ctrl+Z)."""
        if self.last_edit is None:
            self.status.setText("There is no edit to undo.")
            return
        action_id, before = self.last_edit
        try:
            edit_action(self.db, action_id, before)
        except WasteWalkError as exc:
            ask.warn(self, "The edit was not undone", str(exc))
            return
        self.last_edit = None
        self.changed.emit()
        self.reload(select=action_id)
        self.status.setText(f"Undid the last edit of “{before.title}”.")

    def expected(self) -> None:
        info = self.selected()
        if info is None:
            return
        if self._run(expected_saving_dialog(self.db, info, self)):
            self.reload(select=info.id)

    def validate(self) -> None:
        info = self.selected()
        if info is None:
            return
        if self._run(ValidatedSavingDialog(self.db, info, self)):
            self.reload(select=info.id)
            self.status.setText(f"Validated and locked “{info.title}”.")

    def unlock(self) -> None:
        info = self.selected()
        if info is None:
            return
        dialog = UnlockDialog(
            info, lambda who, why: unlock_action(self.db, info.id, who, why), self
        )
        if self._run(dialog):
            self.reload(select=info.id)
            self.status.setText(
                f"Unlocked “{info.title}”; the unlock is in its history. Its validated saving "
                "counts again once it is validated again."
            )

    def history(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            events = action_history(self.db, info.id)
        except WasteWalkError as exc:
            ask.warn(self, "The history could not be read", str(exc))
            return
        self.dialog = HistoryDialog(info, events, self)
        ask.run_dialog(self.dialog)

    def delete(self) -> None:
        info = self.selected()
        if info is None:
            return
        if not ask.confirm(
            self,
            "Delete the action",
            f"Delete the action “{info.title}”? Its expected saving leaves every total.",
            "Delete",
        ):
            return
        try:
            delete_action(self.db, info.id)
        except WasteWalkError as exc:
            ask.warn(self, "The action was not deleted", str(exc))
            return
        self.changed.emit()
        self.reload()
        self.status.setText(f"Deleted “{info.title}”.")


def uk_day_date(info: ActionInfo) -> str:
    """'2 Mar 2026' for a due date, or '' when there is none."""
    return day_text(info.due_date) if info.due_date is not None else ""
