"""Small pieces the costing screens share: number and pound fields, help lines, rate labels.

Fields hold text, not spin boxes: "1.5", "12.50" or "£1,200" are typed as a person would write
them, and reading one back either gives an exact Decimal / whole pence or a plain-word problem.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from wastewalk.domain.costing import money_text, parse_pounds
from wastewalk.services.staff_rates import StaffRateInfo

logger = logging.getLogger(__name__)

MIN_TARGET = 40  # px: a comfortable target for a finger or a shaky mouse on a ward trolley
ERROR_COLOUR = "#d5281b"  # NHS red
QUIET_COLOUR = "#425563"  # NHS dark grey: quieter than text, still legible
WARNING_BACKGROUND = "#fff9c4"  # NHS pale yellow behind a notice


def rate_text(rate: StaffRateInfo) -> str:
    """'Nurse, band 5 — £57.00/h (2025)', as the staff-group list shows a rate."""
    return f"{rate.staff_group} — {money_text(rate.cost_per_hour_pence)}/h ({rate.year})"


def rate_tooltip(rate: StaffRateInfo) -> str:
    """Where a rate comes from and what it includes."""
    parts = [f"Source: {rate.source}"]
    if rate.basis:
        parts.append(f"Basis: {rate.basis}")
    return "\n".join(parts)


def number_field(name: str, parent: QWidget, *, text: str = "", width: int = 110) -> QLineEdit:
    """A short text field for a number, named for screen readers."""
    edit = QLineEdit(text, parent)
    edit.setAccessibleName(name)
    edit.setMinimumHeight(MIN_TARGET)
    edit.setMaximumWidth(width)
    edit.setMaxLength(20)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return edit


def read_number(text: str, what: str, *, blank: Decimal | None = None) -> Decimal:
    """'1.5', '1,200' or ' 6 ' as an exact Decimal; ValueError in plain words otherwise.

    A blank field gives `blank` when one is given, and is a problem when not.
    """
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        if blank is not None:
            return blank
        raise ValueError(f"{what} is empty: type a number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(
            f"{what} must be a number, such as 6 or 1.5, not '{text.strip()}'"
        ) from None
    if not value.is_finite():
        raise ValueError(f"{what} must be a number, such as 6 or 1.5, not '{text.strip()}'")
    return value


def read_pence(text: str, what: str) -> int:
    """An amount in pounds as whole pence; a blank field is £0."""
    if not text.strip():
        return 0
    return parse_pounds(text, what)


def pounds_text(pence: int) -> str:
    """Pence as the field shows them: '' for nothing, '12.50' otherwise."""
    return "" if pence == 0 else f"{pence // 100}.{pence % 100:02d}"


def decimal_text(value: Decimal) -> str:
    """A Decimal as a person would type it: 6, 1.5, 0.25 (no trailing zeros, no exponent)."""
    text = f"{value.normalize():f}"
    return text


def help_label(text: str, parent: QWidget) -> QLabel:
    """A quieter line that explains a field."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {QUIET_COLOUR};")
    return label


def error_label(parent: QWidget, name: str) -> QLabel:
    """A red line for problems, empty (and hidden) while there are none."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: 600;")
    label.setVisible(False)
    return label


def show_problems(label: QLabel, problems: list[str]) -> None:
    """Each problem on its own line in the red label; hide it when there are none."""
    label.setText("\n".join(problems))
    label.setVisible(bool(problems))


def split_problems(message: str) -> list[str]:
    """A service's message ('a; b' or one per line) as separate problems."""
    lines: list[str] = []
    for line in message.splitlines():
        lines.extend(part.strip() for part in line.split("; ") if part.strip())
    return lines


def big_button(text: str, parent: QWidget, *, tip: str = "") -> QPushButton:
    """A push button at least 40 px high, named for screen readers after its text."""
    button = QPushButton(text, parent)
    button.setMinimumHeight(MIN_TARGET)
    button.setAccessibleName(text.replace("&", "").rstrip("…").strip())
    if tip:
        button.setToolTip(tip)
        button.setAccessibleDescription(tip)
    return button
