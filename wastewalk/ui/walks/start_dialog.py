"""Start a walk: which area (grouped by CSU, type to search), the focus, who is walking, when."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.observation_rules import ParticipantRole
from wastewalk.services.organisation import AreaInfo
from wastewalk.services.walks import ParticipantInput

logger = logging.getLogger(__name__)

ROLE_LABELS = (
    (ParticipantRole.STAFF, "Staff"),
    (ParticipantRole.QUALITY_PARTNER, "Quality Partner"),
    (ParticipantRole.IMPROVEMENT_SPECIALIST, "Improvement specialist"),
    (ParticipantRole.MANAGER, "Manager"),
)
_AREA_ROLE = Qt.ItemDataRole.UserRole
UK_ZONE = QTimeZone(b"Europe/London")


class AreaPicker(QWidget):
    """A search box over a CSU → area tree; typing narrows the tree, Down moves into it."""

    def __init__(
        self, areas: list[AreaInfo], preferred: uuid.UUID | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Type to find a ward, department or clinic")
        self.search.setAccessibleName("Search areas")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(36)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Areas grouped by CSU")
        self.tree.setMinimumHeight(220)
        self.tree.setStyleSheet("QTreeWidget::item { min-height: 32px; }")
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        csu_items: dict[uuid.UUID, QTreeWidgetItem] = {}
        for area in areas:
            parent_item = csu_items.get(area.csu_id)
            if parent_item is None:
                parent_item = QTreeWidgetItem(self.tree, [area.csu_name])
                parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                csu_items[area.csu_id] = parent_item
            item = QTreeWidgetItem(parent_item, [area.name])
            item.setData(0, _AREA_ROLE, area.id)
            if area.id == preferred:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)

    def eventFilter(self, watched: object, event: object) -> bool:
        # Down or Enter in the search box moves to the first visible area: keyboard-only use.
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == (QKeyEvent.Type.KeyPress)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            first = self._first_visible()
            if first is not None:
                self.tree.setCurrentItem(first)
                if event.key() == Qt.Key.Key_Down:
                    self.tree.setFocus()
                    return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.tree.topLevelItemCount()):
            csu = self.tree.topLevelItem(i)
            csu_match = needle in csu.text(0).casefold()
            shown = 0
            for j in range(csu.childCount()):
                area = csu.child(j)
                visible = not needle or csu_match or needle in area.text(0).casefold()
                area.setHidden(not visible)
                shown += visible
            csu.setHidden(shown == 0)
        current = self.tree.currentItem()
        if current is None or current.isHidden():
            first = self._first_visible()
            if first is not None:
                self.tree.setCurrentItem(first)

    def _first_visible(self) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            csu = self.tree.topLevelItem(i)
            for j in range(csu.childCount()):
                if not csu.child(j).isHidden():
                    return csu.child(j)
        return None

    def selected_area(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        value = item.data(0, _AREA_ROLE) if item is not None and not item.isHidden() else None
        return value if isinstance(value, uuid.UUID) else None


class ParticipantRow(QWidget):
    """A name (recent names offered) and a role."""

    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Name (no staff or patient numbers)")
        self.name.setAccessibleName("Participant name")
        self.name.setMinimumHeight(36)
        completer = QCompleter(recent, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.role = QComboBox(self)
        self.role.setAccessibleName("Participant role")
        self.role.setMinimumHeight(36)
        for role, label in ROLE_LABELS:
            self.role.addItem(label, str(role))
        layout.addWidget(self.name, 2)
        layout.addWidget(self.role, 1)

    def value(self) -> ParticipantInput | None:
        name = self.name.text().strip()
        return ParticipantInput(name, str(self.role.currentData())) if name else None


class StartWalkDialog(QDialog):
    """Collects what a new walk needs; the section calls the service with `values()`."""

    def __init__(
        self,
        areas: list[AreaInfo],
        recent_names: list[str],
        preferred_area: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start a waste walk")
        self.setAccessibleName("Start a waste walk")
        self.resize(620, 640)
        self.recent = recent_names
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.areas = AreaPicker(areas, preferred_area, self)
        form.addRow("&Area", self.areas)
        self.focus = QLineEdit(self)
        self.focus.setPlaceholderText("For example: discharge before noon")
        self.focus.setAccessibleName("Focus of the walk")
        self.focus.setMinimumHeight(36)
        self.focus.setMaxLength(200)
        form.addRow("&Focus", self.focus)
        self.people_box = QVBoxLayout()
        self.rows: list[ParticipantRow] = []
        self.add_person_button = QPushButton("Add &person", self)
        self.add_person_button.setMinimumHeight(40)
        self.add_person_button.setAutoDefault(False)
        self.add_person_button.setAccessibleName("Add another participant")
        self.add_person_button.clicked.connect(self.add_person)
        people = QVBoxLayout()
        people.addLayout(self.people_box)
        people.addWidget(self.add_person_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("People", people)
        self.start = QDateTimeEdit(QDateTime.currentDateTime().toTimeZone(UK_ZONE), self)
        self.start.setTimeZone(UK_ZONE)
        self.start.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.start.setCalendarPopup(True)
        self.start.setAccessibleName("Start time (UK time)")
        self.start.setMinimumHeight(36)
        self._initial_start = self.start.dateTime()
        form.addRow("&Starts", self.start)
        layout.addLayout(form)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color:#d5281b;")
        self.problem.setAccessibleName("Problem")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Start &walk")
        ok.setDefault(True)  # Enter in any field starts the walk
        for button in buttons.buttons():
            button.setMinimumHeight(40)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.add_person()
        self.areas.search.setFocus()

    def add_person(self) -> None:
        row = ParticipantRow(self.recent, self)
        # Tab goes focus → each person's name and role → "Add person" → start time.
        before = self.rows[-1].role if self.rows else self.focus
        QWidget.setTabOrder(before, row.name)
        QWidget.setTabOrder(row.name, row.role)
        QWidget.setTabOrder(row.role, self.add_person_button)
        QWidget.setTabOrder(self.add_person_button, self.start)
        self.rows.append(row)
        self.people_box.addWidget(row)
        if len(self.rows) > 1:
            row.name.setFocus()

    def area_id(self) -> uuid.UUID | None:
        return self.areas.selected_area()

    def participants(self) -> list[ParticipantInput]:
        return [p for p in (row.value() for row in self.rows) if p is not None]

    def started_at(self) -> dt.datetime | None:
        """The chosen start, or None for "now" when the person left the time as it was."""
        if self.start.dateTime() == self._initial_start:
            return None
        seconds = self.start.dateTime().toSecsSinceEpoch()
        return dt.datetime.fromtimestamp(seconds, dt.UTC)

    def _accept(self) -> None:
        if self.area_id() is None:
            self.problem.setText("Choose the area you are walking (type part of its name).")
            self.areas.search.setFocus()
            return
        self.accept()
