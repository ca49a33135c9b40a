"""Ask why a reading is left out of the figures. A reason is required; the reading stays shown."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

logger = logging.getLogger(__name__)

COMMON_REASONS = (
    "Interrupted (phone, bleep, a question)",
    "Lap pressed late or early",
    "Not the usual way of doing it",
    "Equipment missing or faulty",
)


class ExcludeReasonDialog(QDialog):
    """A reason typed or picked from common ones; OK refuses an empty reason, inline."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Exclude a reading")
        self.setAccessibleName("Exclude a reading")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Leave {what} out of the figures? It stays on the sheet, greyed, with the reason.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.setAccessibleName("Reason for excluding the reading")
        self.reason.setMinimumHeight(38)
        self.reason.addItems(COMMON_REASONS)
        # No inline completion: Enter must exclude with the words typed, not swallow a guess.
        self.reason.setCompleter(None)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason.setCurrentIndex(-1)
        self.reason.setEditText("")
        line = self.reason.lineEdit()
        assert line is not None
        line.setPlaceholderText("Why? Type a reason or pick one (Down arrow)")
        line.setMaxLength(500)
        layout.addWidget(self.reason)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color:#d5281b;")
        self.problem.setAccessibleName("Problem")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Exclude")
        ok.setDefault(True)
        for button in buttons.buttons():
            button.setMinimumHeight(40)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def reason_text(self) -> str:
        return self.reason.currentText().strip()

    def _accept(self) -> None:
        if not self.reason_text():
            self.problem.setText("Say why this reading is left out (a reason is required).")
            self.reason.setFocus()
            return
        self.accept()
