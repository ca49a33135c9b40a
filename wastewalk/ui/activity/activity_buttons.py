"""One large button per activity category, labelled with its key; the current one stands out."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services.activity_categories import ActivityCategoryInfo

logger = logging.getLogger(__name__)

COLUMNS = 5
_STYLE = """
QPushButton {
    border: 2px solid #aeb7bd; border-radius: 6px; background: #ffffff;
}
QPushButton:hover { border-color: #005EB8; }
QPushButton:checked { background: #005EB8; border: 3px solid #003087; }
"""
_TEXT = "color:{colour}; background:transparent; font-size:{size}pt; {weight}"


class LabelledButton(QPushButton):
    """A push button whose words are labels, so a long one wraps onto a second line."""

    def __init__(self, lines: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = [QLabel(text, self) for text in lines]
        for label in self.labels:
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setCheckable(True)
        self.toggled.connect(lambda _on: self._paint_text())

    def _paint_text(self) -> None:
        colour = "#ffffff" if self.isChecked() else "#212b32"
        for index, label in enumerate(self.labels):
            label.setStyleSheet(self.text_style(index, colour))

    def text_style(self, index: int, colour: str) -> str:
        return _TEXT.format(colour=colour, size=12, weight="")


class ActivityButton(LabelledButton):
    """The key, bold, and the activity's label beside it (wrapped when long)."""

    def __init__(self, key: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__((key, label), parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 8, 2)
        layout.setSpacing(10)
        self.labels[0].setFixedWidth(18)
        self.labels[1].setWordWrap(True)
        layout.addWidget(self.labels[0])
        layout.addWidget(self.labels[1], 1)
        self._paint_text()

    def text_style(self, index: int, colour: str) -> str:
        if index == 0:
            return _TEXT.format(colour=colour, size=15, weight="font-weight:700;")
        return _TEXT.format(colour=colour, size=12, weight="")


class CountButton(LabelledButton):
    """A caption, a large number and a hint, stacked (the interruption counter)."""

    def __init__(self, caption: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__((caption, "0", hint), parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        for label in self.labels:
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        self.setCheckable(False)
        self._paint_text()

    def set_count(self, count: int) -> None:
        self.labels[1].setText(str(count))

    def count_text(self) -> str:
        return self.labels[1].text()

    def text_style(self, index: int, colour: str) -> str:
        sizes = (12, 26, 11)
        weight = "font-weight:700;" if index == 1 else ""
        return _TEXT.format(colour=colour, size=sizes[index], weight=weight)


class ActivityButtons(QWidget):
    """Buttons in category order, five to a row; `picked` when one is clicked.

    The buttons take no keyboard focus: their keys work from anywhere on the follow screen,
    and focus stays where the observer left it.
    """

    picked = Signal(object)  # uuid.UUID of the category

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Activity categories")
        self.setStyleSheet(_STYLE)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.buttons: dict[uuid.UUID, ActivityButton] = {}
        self.categories: list[ActivityCategoryInfo] = []

    def set_categories(self, categories: list[ActivityCategoryInfo]) -> None:
        """Show these categories, in their order."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        self.categories = list(categories)
        for index, category in enumerate(categories):
            key = category.key or ""
            button = ActivityButton(key, category.label, self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(54)
            # Ignored: a long label wraps rather than push the window past 1366 pixels.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(120)
            button.setToolTip(f"{category.label} (key {key})" if key else category.label)
            button.setAccessibleName(button.toolTip())
            button.clicked.connect(lambda _=False, cid=category.id: self._clicked(cid))
            self.grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons[category.id] = button

    def by_key(self, key: str) -> ActivityCategoryInfo | None:
        """The category with this key (letters in either case)."""
        wanted = key.upper()
        return next((c for c in self.categories if (c.key or "").upper() == wanted), None)

    def show_current(self, category_id: uuid.UUID | None) -> None:
        """Mark the activity going on now (none: no button marked)."""
        for cid, button in self.buttons.items():
            button.setChecked(cid == category_id)

    def current(self) -> uuid.UUID | None:
        return next((cid for cid, b in self.buttons.items() if b.isChecked()), None)

    def _clicked(self, category_id: uuid.UUID) -> None:
        # A click must not leave the button toggled: the screen marks the current one itself.
        self.buttons[category_id].setChecked(not self.buttons[category_id].isChecked())
        self.picked.emit(category_id)
