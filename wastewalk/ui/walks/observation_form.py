"""The fields of one observation, laid out to fit a 1366×768 screen without scrolling.

Enter saves from any field (Shift+Enter starts a new line in "What was seen").
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from wastewalk.domain.observation_rules import MAX_SHORT_TEXT, ScorecardDomain
from wastewalk.services.observations import ObservationInfo, ObservationInput

logger = logging.getLogger(__name__)

_IMPACT_WORDS = {1: "very low", 2: "low", 3: "moderate", 4: "high", 5: "very high"}
_EASE_WORDS = {1: "very hard", 2: "hard", 3: "moderate", 4: "easy", 5: "very easy"}


class SubmitTextEdit(QPlainTextEdit):
    """A text box where Enter submits and Shift+Enter makes a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ScaleButtons(QWidget):
    """Five buttons for a 1–5 rating; clicking the chosen one again clears it (not rated)."""

    def __init__(self, name: str, words: dict[int, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[int, QPushButton] = {}
        for value in range(1, 6):
            button = QPushButton(str(value), self)
            button.setCheckable(True)
            button.setFixedSize(44, 40)
            button.setToolTip(f"{value}: {words[value]}")
            button.setAccessibleName(f"{name} {value}, {words[value]}")
            self.group.addButton(button, value)
            self.buttons[value] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, value: int, checked: bool) -> None:
        if checked:
            for other, button in self.buttons.items():
                if other != value and button.isChecked():
                    button.setChecked(False)

    def value(self) -> int | None:
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return None

    def set_value(self, value: int | None) -> None:
        for other, button in self.buttons.items():
            button.setChecked(other == value)


class ObservationForm(QWidget):
    """What was seen, where, impact, ease, scorecard domains and an idea for a countermeasure."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A chosen rating or domain must be unmistakable at arm's length on a ward.
        self.setStyleSheet(
            "QPushButton:checked { background:#005EB8; color:white; border:2px solid #003087;"
            " font-weight:600; }"
        )
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.description = SubmitTextEdit(self)
        self.description.setAccessibleName("What was seen (required)")
        self.description.setPlaceholderText(
            "What did you see? Enter saves; Shift+Enter for a new line"
        )
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(72)
        self.description.submitted.connect(self.submitted)
        form.addRow("&What was seen*", self.description)

        self.location = self._line("Where (for example bay 3 sluice)", "Where")
        form.addRow("W&here", self.location)

        scales = QHBoxLayout()
        self.impact = ScaleButtons("Impact", _IMPACT_WORDS, self)
        self.ease = ScaleButtons("Ease of fixing", _EASE_WORDS, self)
        scales.addWidget(self.impact)
        scales.addSpacing(24)
        scales.addWidget(QLabel("Ease of fixing", self))
        scales.addWidget(self.ease)
        form.addRow("Impact", scales)

        domains = QHBoxLayout()
        domains.setSpacing(4)
        self.domain_buttons: dict[str, QPushButton] = {}
        for domain in ScorecardDomain:
            button = QPushButton(domain.value.capitalize(), self)
            button.setCheckable(True)
            button.setMinimumHeight(40)
            button.setAccessibleName(f"Scorecard domain {domain.value}")
            self.domain_buttons[domain.value] = button
            domains.addWidget(button)
        domains.addStretch(1)
        form.addRow("Scorecard", domains)

        self.frequency = self._line("How often (for example every shift)", "How often")
        form.addRow("How &often", self.frequency)
        self.countermeasure = self._line("An idea to fix it", "Countermeasure idea")
        form.addRow("&Idea", self.countermeasure)

    def _line(self, placeholder: str, name: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setPlaceholderText(placeholder)
        line.setAccessibleName(name)
        line.setMinimumHeight(36)
        line.setMaxLength(MAX_SHORT_TEXT if name != "Countermeasure idea" else 2000)
        line.returnPressed.connect(self.submitted)
        return line

    def to_input(
        self, category_id: uuid.UUID, identifier_confirmed: bool = False
    ) -> ObservationInput:
        """The form's content as service input (not yet validated)."""
        return ObservationInput(
            category_id=category_id,
            description=self.description.toPlainText(),
            location=self.location.text(),
            impact=self.impact.value(),
            frequency=self.frequency.text(),
            ease=self.ease.value(),
            domains=frozenset(d for d, b in self.domain_buttons.items() if b.isChecked()),
            countermeasure=self.countermeasure.text(),
            identifier_confirmed=identifier_confirmed,
        )

    def texts(self) -> list[str]:
        """Every free-text field, for the NHS-number check."""
        return [
            self.description.toPlainText(),
            self.location.text(),
            self.frequency.text(),
            self.countermeasure.text(),
        ]

    def load(self, info: ObservationInfo | ObservationInput) -> None:
        """Fill the form from an existing observation (to edit it or copy it)."""
        self.description.setPlainText(info.description)
        self.location.setText(info.location)
        self.impact.set_value(info.impact)
        self.ease.set_value(info.ease)
        self.frequency.setText(info.frequency)
        self.countermeasure.setText(info.countermeasure)
        for domain, button in self.domain_buttons.items():
            button.setChecked(domain in info.domains)

    def redact(self, redactor: Callable[[str], str]) -> None:
        """Apply a text function (the NHS-number redactor) to every free-text field."""
        self.description.setPlainText(redactor(self.description.toPlainText()))
        for line in (self.location, self.frequency, self.countermeasure):
            line.setText(redactor(line.text()))

    def clear(self) -> None:
        """Empty every field for the next observation."""
        self.description.clear()
        self.location.clear()
        self.impact.set_value(None)
        self.ease.set_value(None)
        self.frequency.clear()
        self.countermeasure.clear()
        for button in self.domain_buttons.values():
            button.setChecked(False)
