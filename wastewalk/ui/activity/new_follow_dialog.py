"""Start a follow: the area, the role followed (never a name), observer, mode and interval."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.activity import (
    DEFAULT_SAMPLE_INTERVAL_S,
    MAX_SAMPLE_INTERVAL_S,
    MIN_SAMPLE_INTERVAL_S,
    FollowMode,
)
from wastewalk.services.organisation import AreaInfo
from wastewalk.ui.walks.start_dialog import AreaPicker

logger = logging.getLogger(__name__)

_OBSERVER_KEY = "activity/observer"
COMMON_ROLES = (
    "Staff nurse",
    "Ward sister / charge nurse",
    "Healthcare assistant",
    "Nursing associate",
    "Ward clerk",
    "Junior doctor",
    "Pharmacist",
    "Physiotherapist",
    "Occupational therapist",
    "Porter",
    "Housekeeper",
)
MODES = (
    (FollowMode.CONTINUOUS, "Continuous: press a key each time the activity changes"),
    (FollowMode.SAMPLING, "Sampling: answer a prompt at every interval"),
)


class NewFollowDialog(QDialog):
    """Collects what a new follow needs; the section calls the service with its values."""

    def __init__(
        self,
        areas: list[AreaInfo],
        recent_roles: list[str],
        preferred_area: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New activity follow")
        self.setAccessibleName("New activity follow")
        self.resize(620, 600)
        form = QFormLayout()
        self.areas = AreaPicker(areas, preferred_area, self)
        self.areas.tree.setMinimumHeight(160)
        form.addRow("&Area", self.areas)

        self.role = QComboBox(self)
        self.role.setEditable(True)
        self.role.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.role.setAccessibleName("Role followed (never a name)")
        self.role.setMinimumHeight(36)
        roles = list(dict.fromkeys([*recent_roles, *COMMON_ROLES]))
        self.role.addItems(roles)
        self.role.setCurrentIndex(-1)
        self.role.lineEdit().setPlaceholderText("For example: staff nurse (a role, not a name)")
        self.role.lineEdit().setMaxLength(200)
        form.addRow("&Role followed", self.role)

        self.observer = QLineEdit(str(QSettings().value(_OBSERVER_KEY, "") or ""), self)
        self.observer.setPlaceholderText("Who is observing (optional)")
        self.observer.setAccessibleName("Observer")
        self.observer.setMinimumHeight(36)
        self.observer.setMaxLength(200)
        form.addRow("&Observer", self.observer)

        self.mode = QComboBox(self)
        self.mode.setAccessibleName("How to record")
        self.mode.setMinimumHeight(36)
        for mode, label in MODES:
            self.mode.addItem(label, str(mode))
        form.addRow("&Mode", self.mode)

        self.interval = QSpinBox(self)
        self.interval.setRange(MIN_SAMPLE_INTERVAL_S, MAX_SAMPLE_INTERVAL_S)
        self.interval.setValue(DEFAULT_SAMPLE_INTERVAL_S)
        self.interval.setSuffix(" seconds")
        self.interval.setAccessibleName("Sampling interval in seconds")
        self.interval.setMinimumHeight(36)
        form.addRow("&Interval", self.interval)
        self.mode.currentIndexChanged.connect(self._mode_changed)

        self.location = QLineEdit(self)
        self.location.setPlaceholderText("Where the follow starts: bay, room, corridor (optional)")
        self.location.setAccessibleName("Where the follow starts")
        self.location.setMinimumHeight(36)
        self.location.setMaxLength(200)
        form.addRow("&Where", self.location)

        self.problem = QLabel(self)
        self.problem.setStyleSheet("color:#d5281b;")
        self.problem.setAccessibleName("Problem")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Start follow")
        ok.setDefault(True)
        for button in buttons.buttons():
            button.setMinimumHeight(40)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._mode_changed()
        self.areas.search.setFocus()

    def _mode_changed(self) -> None:
        self.interval.setEnabled(self.mode_value() == FollowMode.SAMPLING)

    def area_id(self) -> uuid.UUID | None:
        return self.areas.selected_area()

    def role_text(self) -> str:
        return " ".join(self.role.currentText().split())

    def mode_value(self) -> str:
        return str(self.mode.currentData())

    def _accept(self) -> None:
        if self.area_id() is None:
            self.problem.setText("Choose the area of the follow (type part of its name).")
            self.areas.search.setFocus()
            return
        if not self.role_text():
            self.problem.setText("Say which role you are following, for example 'Staff nurse'.")
            self.role.setFocus()
            return
        QSettings().setValue(_OBSERVER_KEY, self.observer.text().strip())
        self.accept()
