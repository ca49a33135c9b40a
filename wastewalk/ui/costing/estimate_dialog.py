"""A window around `EstimateForm`: OK saves through the caller's function, so one dialog serves
the cost of a waste on an observation and an action's expected or validated saving.

    dialog = EstimateDialog(
        db, area_id, "Expected saving",
        save=lambda data: set_expected_saving(db, action_id, data),
        remove=lambda: clear_expected_saving(db, action_id),   # only when one exists
        data=info.inputs, estimate_id=info.id,                 # when editing
        subject="Action: stop double-checking discharge letters",
        parent=self,
    )
    dialog.saved.connect(...)      # with whatever `save` returned
    dialog.removed.connect(...)
    dialog.repriced.connect(...)   # "Re-price at today's rate" saved at once (EstimateInfo)
    dialog.open()                  # never blocks: tests drive it with qtbot

A refusal from `save` (or `remove`) is shown in red inside the dialog, which stays open with what
was typed. Esc (or Cancel) closes it without saving.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.estimates import EstimateInput
from wastewalk.store.database import Database
from wastewalk.ui.costing.estimate_form import EstimateForm
from wastewalk.ui.costing.money_widgets import (
    big_button,
    error_label,
    show_problems,
    split_problems,
)
from wastewalk.ui.settings import ask

logger = logging.getLogger(__name__)


class EstimateDialog(QDialog):
    """Title from the caller ("Cost of this waste", "Expected saving", "Validated saving").

    After OK saved: `saved` is emitted with what `save` returned, also kept in `.saved_value`,
    and the dialog is accepted. After "Remove estimate": `removed`, and the dialog is accepted
    with `.was_removed` True.
    """

    saved = Signal(object)
    removed = Signal()
    repriced = Signal(object)  # EstimateInfo: "Re-price at today's rate" saved a new price

    def __init__(
        self,
        db: Database,
        area_id: uuid.UUID,
        title: str,
        save: Callable[[EstimateInput], object],
        *,
        remove: Callable[[], object] | None = None,
        data: EstimateInput | None = None,
        estimate_id: uuid.UUID | None = None,
        subject: str = "",
        ok_text: str = "&Save estimate",
        cash_required_basis: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._save = save
        self._remove = remove
        self.saved_value: object = None
        self.was_removed = False
        # Asked before removing (None: `ask.confirm`); a test sets it to answer without a modal.
        self.confirm: Callable[[QWidget | None, str, str, str], bool] | None = None

        layout = QVBoxLayout(self)
        heading = QLabel(title, self)
        heading.setStyleSheet("font-size: 14pt; font-weight: 600; color: #005EB8;")
        layout.addWidget(heading)
        if subject:
            self.subject_label = QLabel(subject, self)
            self.subject_label.setWordWrap(True)
            self.subject_label.setTextFormat(Qt.TextFormat.PlainText)
            self.subject_label.setAccessibleName("What is being priced")
            layout.addWidget(self.subject_label)
        self.form = EstimateForm(db, area_id, self, cash_required_basis=cash_required_basis)
        self.form.set_input(data, estimate_id)
        layout.addWidget(self.form, 1)
        self.error = error_label(self, "Why the estimate was not saved")
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = big_button(ok_text, self, tip="Save this estimate (Enter)")
        self.ok_button.setDefault(True)
        self.cancel_button = big_button("Cancel", self, tip="Close without saving (Esc)")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.remove_button = big_button(
            "Remo&ve estimate", self, tip="Remove this estimate; the rest stays as it is"
        )
        self.remove_button.setVisible(remove is not None)
        for button in (self.ok_button, self.cancel_button, self.remove_button):
            button.setMinimumWidth(120)
        # Remove stands apart on the left, away from Save, so it is not pressed by mistake.
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.ok_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.remove_button.clicked.connect(self.remove)
        self.form.changed.connect(lambda: show_problems(self.error, []))
        self.form.repriced.connect(self.repriced)
        # Wide enough for the two columns; never taller than a 768-pixel laptop screen allows.
        self.resize(1040, min(self.sizeHint().height(), 700))
        self.form.minutes_edit.setFocus()

    def save(self) -> None:
        """Read the form and save it through the caller's function; stay open on a refusal."""
        try:
            data = self.form.value()
            result = self._save(data)
        except WasteWalkError as exc:
            show_problems(self.error, ["Not saved: " + line for line in split_problems(str(exc))])
            return
        self.saved_value = result
        logger.info("estimate saved from the '%s' dialog", self.windowTitle())
        self.saved.emit(result)
        self.accept()

    def remove(self) -> None:
        """After a confirm, remove the estimate through the caller's function."""
        if self._remove is None:
            return
        if not (self.confirm or ask.confirm)(
            self,
            "Remove the estimate",
            "Remove this estimate? Its figures leave every total.",
            "Remove",
        ):
            return
        try:
            self._remove()
        except WasteWalkError as exc:
            show_problems(self.error, ["Not removed: " + line for line in split_problems(str(exc))])
            return
        self.was_removed = True
        self.removed.emit()
        self.accept()
