"""The CSU/area filter every section shares, remembered between sessions."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from wastewalk.services.organisation import list_areas, list_csus
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

_SETTINGS_KEY = "scope/selection"


@dataclass(frozen=True)
class Scope:
    """What the person is looking at: the whole trust, one CSU, or one area."""

    csu_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None

    @property
    def is_trust(self) -> bool:
        return self.csu_id is None and self.area_id is None


class ScopeFilter(QWidget):
    """A combo box listing 'Whole trust', each CSU, and each CSU's areas indented beneath it."""

    changed = Signal(object)  # Scope

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Looking at:", self)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("CSU or area shown in every section")
        self.combo.setMinimumWidth(320)
        self.combo.setMinimumHeight(40)
        self.combo.setMaxVisibleItems(25)
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        self.reload()
        self.combo.currentIndexChanged.connect(self._emit)

    def reload(self) -> None:
        """Re-read CSUs and areas (after the organisation changes), keeping the selection."""
        keep = self.combo.currentData() or QSettings().value(_SETTINGS_KEY, "")
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("Whole trust", "")
        areas = list_areas(self.db)
        # Every live CSU, even one with no areas yet, so a new CSU can be chosen at once.
        for csu in list_csus(self.db):
            self.combo.addItem(csu.name, f"csu:{csu.id}")
            for area in (a for a in areas if a.csu_id == csu.id):
                self.combo.addItem(f"    {area.name}", f"area:{area.csu_id}:{area.id}")
        index = self.combo.findData(keep)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def scope(self) -> Scope:
        """The current selection."""
        return _parse(str(self.combo.currentData() or ""))

    def set_area(self, area_id: uuid.UUID) -> None:
        """Select one area (for example the area of a walk just opened)."""
        for index in range(self.combo.count()):
            if str(self.combo.itemData(index)).endswith(f":{area_id}"):
                self.combo.setCurrentIndex(index)
                return

    def _emit(self) -> None:
        QSettings().setValue(_SETTINGS_KEY, self.combo.currentData() or "")
        self.changed.emit(self.scope())


def _parse(key: str) -> Scope:
    parts = key.split(":")
    if parts[0] == "csu":
        return Scope(csu_id=uuid.UUID(parts[1]))
    if parts[0] == "area":
        return Scope(csu_id=uuid.UUID(parts[1]), area_id=uuid.UUID(parts[2]))
    return Scope()
