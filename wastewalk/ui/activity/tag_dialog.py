"""Tag a segment as a waste: pick the waste (its key or the arrows), add a few words, Enter."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.activity_follow_waste import tag_segment_waste
from wastewalk.services.activity_follows import SegmentInfo
from wastewalk.services.wastes import WasteCategoryInfo, list_categories
from wastewalk.store.database import Database
from wastewalk.ui.activity.texts import span_text

logger = logging.getLogger(__name__)

_CODE_ROLE = Qt.ItemDataRole.UserRole
NO_WASTE = ""  # the code of the "not waste" row


class TagWasteDialog(QDialog):
    """A short list of wastes (and "Not waste" to remove a tag) and a description."""

    def __init__(
        self,
        segment: SegmentInfo,
        wastes: list[WasteCategoryInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tag as waste")
        self.setAccessibleName("Tag a segment as waste")
        self.resize(460, 520)
        length = segment.length_s
        what = f"{segment.category_label} from {span_text(segment.start_s)}"
        what += f" for {span_text(length)}" if length is not None else " (still going)"
        heading = QLabel(what, self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-size:13pt; font-weight:600; color:#005EB8;")
        heading.setWordWrap(True)
        hint = QLabel("Press a waste's key, or use the arrows. Enter saves the tag.", self)
        hint.setWordWrap(True)

        self.list = QListWidget(self)
        self.list.setAccessibleName("Waste")
        self.list.setStyleSheet(
            "QListWidget { font-size:12pt; } QListWidget::item { padding:5px; }"
        )
        self.keys: dict[str, int] = {}
        if segment.waste_code:
            self._add(NO_WASTE, "Not waste (remove the tag)", None)
        for waste in wastes:
            self._add(waste.code, waste.label, waste.key)
            if waste.code == segment.waste_code:
                self.list.setCurrentRow(self.list.count() - 1)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.list.installEventFilter(self)

        self.description = QLineEdit(self)
        self.description.setPlaceholderText("What made it waste (optional)")
        self.description.setAccessibleName("What made it waste")
        self.description.setMinimumHeight(36)
        self.description.setMaxLength(2000)
        words = QLabel("&What made it waste", self)
        words.setBuddy(self.description)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Tag")
        ok.setDefault(True)
        for button in buttons.buttons():
            button.setMinimumHeight(40)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(words)
        layout.addWidget(self.description)
        layout.addWidget(buttons)
        self.list.setFocus()

    def _add(self, code: str, label: str, key: str | None) -> None:
        item = QListWidgetItem(f"{key}   {label}" if key else f"     {label}", self.list)
        item.setData(_CODE_ROLE, code)
        if key:
            self.keys[key.upper()] = self.list.count() - 1

    def waste_code(self) -> str | None:
        """The chosen waste's code, or None for "not waste"."""
        item = self.list.currentItem()
        code = str(item.data(_CODE_ROLE)) if item is not None else NO_WASTE
        return code or None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A waste's key in the list picks it and moves on to the description.
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.text().upper() in self.keys
        ):
            self.list.setCurrentRow(self.keys[event.text().upper()])
            self.description.setFocus()
            return True
        return super().eventFilter(watched, event)


def open_tag_dialog(
    db: Database,
    segment: SegmentInfo,
    parent: QWidget,
    done: Callable[[SegmentInfo], None],
    failed: Callable[[str], None],
) -> TagWasteDialog:
    """Show the dialog (not blocking); on Tag, save the tag and call `done` with the segment."""
    dialog = TagWasteDialog(segment, list_categories(db), parent)

    def save() -> None:
        try:
            tagged = tag_segment_waste(
                db, segment.id, dialog.waste_code(), dialog.description.text()
            )
        except WasteWalkError as exc:
            failed(str(exc))
            return
        done(tagged)

    dialog.accepted.connect(save)
    dialog.open()
    dialog.activateWindow()
    return dialog
