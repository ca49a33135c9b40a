"""An action's expected saving and its validated saving, priced in the shared EstimateDialog.

The validated saving adds a required "Validated by" field; saving it locks the action.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from wastewalk.services.actions import (
    ActionInfo,
    clear_expected_saving,
    set_expected_saving,
    validate_saving,
)
from wastewalk.store.database import Database
from wastewalk.ui.costing.estimate_dialog import EstimateDialog
from wastewalk.ui.costing.money_widgets import MIN_TARGET

logger = logging.getLogger(__name__)

EXPECTED_TITLE = "Expected saving"
VALIDATED_TITLE = "Validated saving"


def _subject(info: ActionInfo) -> str:
    return f"Action on {info.area_name}: {info.title}"


def expected_saving_dialog(
    db: Database, info: ActionInfo, parent: QWidget | None = None
) -> EstimateDialog:
    """The saving the action expects to make (new, or the one it has, which can be removed)."""
    current = info.expected
    return EstimateDialog(
        db,
        info.area_id,
        EXPECTED_TITLE,
        save=lambda data: set_expected_saving(db, info.id, data),
        remove=(lambda: clear_expected_saving(db, info.id)) if current else None,
        data=current.inputs if current else None,
        estimate_id=current.id if current else None,
        subject=_subject(info),
        parent=parent,
    )


class ValidatedSavingDialog(EstimateDialog):
    """The saving achieved, priced like any estimate, plus who validated it."""

    def __init__(self, db: Database, info: ActionInfo, parent: QWidget | None = None) -> None:
        # Starts from the validated figure (after an unlock) or the expected one. A new
        # validated saving is priced at today's rates, so the expected estimate's kept rate is
        # not offered (its id would preview the old rate).
        start = info.validated or info.expected
        super().__init__(
            db,
            info.area_id,
            VALIDATED_TITLE,
            save=lambda data: validate_saving(db, info.id, data, self.validated_by.text()),
            data=start.inputs if start else None,
            estimate_id=info.validated.id if info.validated else None,
            subject=_subject(info),
            ok_text="&Validate and lock",
            parent=parent,
        )
        self.validated_by = QLineEdit(self)  # read by `save` above, only when OK is pressed
        self.validated_by.setAccessibleName("Validated by")
        self.validated_by.setPlaceholderText(
            "Name and role of who checked it, e.g. finance business partner"
        )
        self.validated_by.setMaxLength(200)
        self.validated_by.setMinimumHeight(MIN_TARGET)
        self.validated_by.setText(info.validated_by)
        row = QFormLayout()
        label = QLabel("Validated &by (required):", self)
        label.setBuddy(self.validated_by)
        row.addRow(label, self.validated_by)
        note = QLabel(
            "Validating locks the action: its saving can only change again after an unlock, "
            "which is recorded with who and why.",
            self,
        )
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setStyleSheet("color: #425563;")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        at = layout.indexOf(self.form) + 1
        layout.insertLayout(at, row)
        layout.insertWidget(at + 1, note)
        self.ok_button.setToolTip("Save the validated saving and lock the action")
        self.resize(1040, 700)  # room for the two rows added under the form
