"""Asked before saving text that looks like it holds an NHS number: redact it, or keep it."""

from __future__ import annotations

import enum
import logging

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

logger = logging.getLogger(__name__)


class IdentifierChoice(enum.Enum):
    REDACT = "redact"
    KEEP = "keep"
    GO_BACK = "go_back"


class NhsNumberWarning(QDialog):
    """Plain-words warning with three ways out; the number itself is shown so it can be judged."""

    def __init__(self, numbers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("This may be an NHS number")
        self.setAccessibleName("NHS number warning")
        self.choice = IdentifierChoice.GO_BACK
        shown = ", ".join(f"{n[:3]} {n[3:6]} {n[6:]}" for n in numbers)
        text = QLabel(
            f"<p>The text contains <b>{shown}</b>, which passes the NHS number check.</p>"
            "<p>Patient-identifiable information must not be recorded in observations.</p>"
            "<p><b>Redact</b> replaces it with “[NHS number removed]”. Choose <b>Keep</b> only "
            "if it is not patient data (for example a stock or asset code).</p>",
            self,
        )
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        buttons = QDialogButtonBox(self)
        self.redact_button = QPushButton("&Redact and save", self)
        self.keep_button = QPushButton("&Keep (not patient data)", self)
        self.back_button = QPushButton("&Go back", self)
        for button, role in (
            (self.redact_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.back_button, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button.setMinimumHeight(40)
            button.setAccessibleName(button.text().replace("&", ""))
            buttons.addButton(button, role)
        self.redact_button.setDefault(True)
        self.redact_button.clicked.connect(lambda: self._finish(IdentifierChoice.REDACT))
        self.keep_button.clicked.connect(lambda: self._finish(IdentifierChoice.KEEP))
        self.back_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _finish(self, choice: IdentifierChoice) -> None:
        self.choice = choice
        self.accept()
