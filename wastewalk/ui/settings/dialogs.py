"""The small forms of the settings section: a name, an area's kind and days, a waste category.

Each is a plain QDialog with its fields as attributes, so a test can build one, fill it and read
it back without showing it. None of them saves anything: the tab that opened it calls the service
and shows any problem the service finds.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.observation_rules import MAX_SHORT_TEXT, AreaKind
from wastewalk.ui.settings.widgets import MIN_TARGET

logger = logging.getLogger(__name__)

KIND_LABELS: dict[str, str] = {
    AreaKind.WARD: "Ward",
    AreaKind.DEPARTMENT: "Department",
    AreaKind.CLINIC: "Clinic",
}
OPERATING_DAYS_HELP = (
    "Operating days are used to turn 'per day' into 'per year' when the cost of a waste is "
    "estimated: 365 for a ward open every day, about 253 for a clinic open on weekdays."
)


def _line_edit(name: str, parent: QWidget, *, limit: int, text: str = "") -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setMaxLength(limit)
    edit.setMinimumHeight(MIN_TARGET)
    edit.setAccessibleName(name)
    return edit


def _help(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #425563;")  # NHS dark grey: quieter than text, still legible
    return label


class _FormDialog(QDialog):
    """A titled form with OK and Cancel, each at least 40 px high."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = QPushButton(ok_text, self)
        self.ok_button.setDefault(True)
        cancel = QPushButton("Cancel", self)
        for button, role in (
            (self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (cancel, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button.setMinimumHeight(MIN_TARGET)
            button.setMinimumWidth(110)
            button.setAccessibleName(button.text().replace("&", ""))
            self.buttons.addButton(button, role)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def add_row(self, text: str, field: QWidget) -> None:
        """A labelled field; the label (and its Alt+letter) sits level with the field's middle."""
        label = QLabel(text, self)
        label.setBuddy(field)
        label.setMinimumHeight(MIN_TARGET)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.addRow(label, field)

    def finish_layout(self) -> None:
        self.outer.addWidget(self.buttons)


class NameDialog(_FormDialog):
    """One name: a new CSU, or a new name for the trust, a CSU or an area."""

    def __init__(
        self, title: str, label: str, name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(title, "OK", parent)
        self.name_edit = _line_edit(label.replace("&", ""), self, limit=MAX_SHORT_TEXT, text=name)
        self.name_edit.selectAll()
        self.add_row(label, self.name_edit)
        self.finish_layout()
        self.name_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.name_edit.text().strip()))

    def name(self) -> str:
        return self.name_edit.text()


class AreaDialog(_FormDialog):
    """A new area (name, kind, days), or the kind and operating days of an existing one."""

    def __init__(
        self,
        title: str,
        *,
        csu_name: str,
        name: str | None = "",
        kind: str = AreaKind.WARD,
        operating_days: int = 365,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, "OK", parent)
        self.add_row("CSU:", QLabel(csu_name, self))
        # name None: only kind and days are being changed (Rename does the name).
        self.name_edit: QLineEdit | None = None
        if name is not None:
            self.name_edit = _line_edit("Area name", self, limit=MAX_SHORT_TEXT, text=name)
            self.add_row("Area &name:", self.name_edit)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName("Kind of area")
        self.kind_combo.setMinimumHeight(MIN_TARGET)
        for value, text in KIND_LABELS.items():
            self.kind_combo.addItem(text, str(value))
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(str(kind)), 0))
        self.add_row("&Kind:", self.kind_combo)
        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(1, 366)
        self.days_spin.setValue(operating_days)
        self.days_spin.setSuffix(" days a year")
        self.days_spin.setMinimumHeight(MIN_TARGET)
        self.days_spin.setAccessibleName("Operating days per year")
        self.days_spin.setAccessibleDescription(OPERATING_DAYS_HELP)
        self.add_row("&Operating days:", self.days_spin)
        self.outer.addWidget(_help(OPERATING_DAYS_HELP, self))
        self.finish_layout()
        if self.name_edit is not None:
            self.name_edit.textChanged.connect(self._update_ok)
            self._update_ok()

    def _update_ok(self) -> None:
        assert self.name_edit is not None
        self.ok_button.setEnabled(bool(self.name_edit.text().strip()))

    def name(self) -> str | None:
        return self.name_edit.text() if self.name_edit is not None else None

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def operating_days(self) -> int:
        return self.days_spin.value()


CODE_HELP = (
    "The code names this category in CSV files and packs, so it never changes once the category "
    "is made: 2–40 lower-case letters, digits, '-' or '_', starting with a letter. The label, "
    "hint and key can be changed at any time."
)


class CategoryDialog(_FormDialog):
    """A team's own waste category (code, label, hint, key), or new words for an existing one."""

    def __init__(
        self,
        title: str,
        *,
        code: str | None = None,
        label: str = "",
        hint: str = "",
        key: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, "OK", parent)
        # code None: a new category, whose code is typed here once and never again.
        self.code_edit: QLineEdit | None = None
        if code is None:
            self.code_edit = _line_edit("Code (never changes)", self, limit=40)
            self.code_edit.setPlaceholderText("for example: interruptions")
            self.add_row("&Code:", self.code_edit)
        else:
            shown = QLabel(code, self)
            shown.setAccessibleName("Code (never changes)")
            self.add_row("Code:", shown)
        self.label_edit = _line_edit("Label", self, limit=100, text=label)
        self.add_row("&Label:", self.label_edit)
        self.hint_edit = _line_edit("Hint", self, limit=500, text=hint)
        self.hint_edit.setPlaceholderText("healthcare examples shown on the capture screen")
        self.add_row("&Hint:", self.hint_edit)
        self.key_edit = _line_edit("Key", self, limit=1, text=key or "")
        self.key_edit.setMaximumWidth(80)
        self.key_edit.setToolTip("One letter or digit that picks this waste; leave empty for none")
        self.add_row("&Key:", self.key_edit)
        self.outer.addWidget(_help(CODE_HELP, self))
        self.finish_layout()

    def code(self) -> str | None:
        return self.code_edit.text().strip() if self.code_edit is not None else None

    def label(self) -> str:
        return self.label_edit.text()

    def hint(self) -> str:
        return self.hint_edit.text()

    def key(self) -> str | None:
        return self.key_edit.text().strip() or None
