"""The arithmetic of an estimate, line by line, then its three figures in large type.

Refusals take the place of the arithmetic, in red and in the services' words, so a person sees at
once why nothing can be worked out (a negative number, more than 24 hours a day…).
"""

from __future__ import annotations

import logging
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from wastewalk.domain.costing import EstimateResult, money_text
from wastewalk.ui.costing.money_widgets import QUIET_COLOUR, error_label, show_problems

logger = logging.getLogger(__name__)

FOUR_PLACES = Decimal("0.0001")
NOTHING = "—"


def wte_text(wte: Decimal) -> str:
    """0.0936: always four decimal places, rounded half up."""
    return f"{wte.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)}"


def hours_text(hours: Decimal) -> str:
    """182.5, 1,825 or 0.25 hours: to two places at most, no trailing zeros."""
    text = f"{hours.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class ArithmeticPanel(QFrame):
    """`show_result` for figures that work out, `show_problems` for a refusal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arithmetic")
        self.setStyleSheet("#arithmetic { background: #f0f4f5; border: 1px solid #d8dde0; }")
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 10, 14, 12)
        heading = QLabel("The arithmetic", self)
        heading.setStyleSheet("font-weight: 600; color: #005EB8;")
        column.addWidget(heading)
        self.working_label = QLabel(self)
        self.working_label.setAccessibleName("The arithmetic, line by line")
        self.working_label.setWordWrap(True)
        self.working_label.setTextFormat(Qt.TextFormat.PlainText)
        self.working_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.working_label)
        self.problems_label = error_label(self, "Why this cannot be worked out")
        column.addWidget(self.problems_label)
        column.addStretch(1)

        figures = QGridLayout()
        figures.setHorizontalSpacing(20)
        figures.setVerticalSpacing(0)
        self.hours_figure = self._figure(figures, 0, "hours a year", "Annual hours")
        self.value_figure = self._figure(figures, 1, "a year", "Annual value")
        self.wte_figure = self._figure(figures, 2, "WTE", "Whole-time equivalent")
        column.addLayout(figures)

    def _figure(self, grid: QGridLayout, position: int, unit: str, name: str) -> QLabel:
        value = QLabel(NOTHING, self)
        value.setAccessibleName(name)
        value.setStyleSheet("font-size: 17pt; font-weight: 700; color: #212b32;")
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        caption = QLabel(unit, self)
        caption.setStyleSheet(f"color: {QUIET_COLOUR};")
        grid.addWidget(value, 0, position)
        grid.addWidget(caption, 1, position)
        return value

    def show_result(self, result: EstimateResult) -> None:
        """The working, then annual hours, annual value and WTE."""
        show_problems(self.problems_label, [])
        self.working_label.setText("\n".join(result.working))
        self.working_label.setVisible(True)
        self.hours_figure.setText(hours_text(result.annual_hours))
        self.value_figure.setText(money_text(result.annual_value_pence))
        self.wte_figure.setText(wte_text(result.wte))

    def show_problems(self, problems: list[str]) -> None:
        """Why the figures cannot be worked out; the figures show a dash."""
        self.working_label.setText("")
        self.working_label.setVisible(False)
        show_problems(self.problems_label, problems)
        for figure in (self.hours_figure, self.value_figure, self.wte_figure):
            figure.setText(NOTHING)
