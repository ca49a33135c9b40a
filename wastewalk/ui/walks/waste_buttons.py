"""Eight large waste buttons: one key (1–8) picks a waste, and the picked one is unmistakable."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QPushButton, QSizePolicy, QWidget

from wastewalk.services.wastes import WasteCategoryInfo

logger = logging.getLogger(__name__)

_STYLE = """
QPushButton {
    text-align: left; padding: 6px 10px; font-size: 11pt; border: 2px solid #aeb7bd;
    border-radius: 6px; background: #ffffff; color: #212b32;
}
QPushButton:focus { border: 3px solid #ffb81c; }
QPushButton:checked { background: #005EB8; color: #ffffff; border: 3px solid #003087; }
"""


class WasteButtons(QWidget):
    """A grid of checkable buttons, one per live waste category; exactly one can be picked."""

    picked = Signal(object)  # uuid.UUID of the category

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Waste category")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.buttons: dict[uuid.UUID, QPushButton] = {}
        self.by_key: dict[str, uuid.UUID] = {}
        self.setStyleSheet(_STYLE)
        self.group.idClicked.connect(self._clicked)
        self._ids: list[uuid.UUID] = []

    def set_categories(self, categories: list[WasteCategoryInfo]) -> None:
        """Show these categories (in their order), four to a row."""
        for button in self.buttons.values():
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons.clear()
        self.by_key.clear()
        self._ids = []
        columns = 4
        for index, category in enumerate(categories):
            key = category.key or ""
            title = f"{key}  {category.label}" if key else category.label
            button = QPushButton(f"{title}\n{_short(category.hint)}", self)
            button.setCheckable(True)
            button.setMinimumHeight(58)
            # Ignored: the hint may be cut rather than push the window wider than the screen.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(120)
            button.setToolTip(category.hint)
            button.setAccessibleName(f"{category.label} (key {key})" if key else category.label)
            button.setAccessibleDescription(category.hint)
            self.group.addButton(button, index)
            self.grid.addWidget(button, index // columns, index % columns)
            self.buttons[category.id] = button
            self._ids.append(category.id)
            if key:
                self.by_key[key] = category.id

    def selected(self) -> uuid.UUID | None:
        """The picked category, or None."""
        index = self.group.checkedId()
        return self._ids[index] if index >= 0 else None

    def select(self, category_id: uuid.UUID | None) -> None:
        """Pick a category (None clears the choice)."""
        if category_id is None or category_id not in self.buttons:
            checked = self.group.checkedButton()
            if checked is not None:
                self.group.setExclusive(False)
                checked.setChecked(False)
                self.group.setExclusive(True)
            return
        self.buttons[category_id].setChecked(True)

    def select_key(self, key: str) -> bool:
        """Pick the category with this key; False when no category has it."""
        category_id = self.by_key.get(key)
        if category_id is None:
            return False
        self.select(category_id)
        self.picked.emit(category_id)
        return True

    def focus_selected(self) -> None:
        """Put keyboard focus on the picked button (or the first one)."""
        selected = self.selected()
        target = self.buttons.get(selected) if selected else None
        if target is None and self._ids:
            target = self.buttons[self._ids[0]]
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clicked(self, index: int) -> None:
        self.picked.emit(self._ids[index])


def _short(hint: str, limit: int = 22) -> str:
    """The first words of a hint that fit under the label on a 1366-pixel-wide screen."""
    first = hint.split(";")[0].split(",")[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(" ,;")
    return cut + "…"
