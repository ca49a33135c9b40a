"""Small pieces the settings tabs share: big buttons, plain sizes and UK times."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

logger = logging.getLogger(__name__)

# Numbers line up on the right and sit in the middle of the row like the text beside them.
NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MIN_TARGET = 40  # px: comfortable for a finger on a touch screen, as everywhere in WasteWalk


def action_button(text: str, parent: QWidget, *, tip: str = "") -> QPushButton:
    """A push button at least 40 px high, named for screen readers after its text."""
    button = QPushButton(text, parent)
    button.setMinimumHeight(MIN_TARGET)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    if tip:
        button.setToolTip(tip)
        button.setAccessibleDescription(tip)
    return button


def archived_brush() -> QBrush:
    """The grey archived rows are drawn in: plainly quieter, still 5.6:1 on white."""
    return QBrush(QColor("#686868"))


def roomy_rows(view: QAbstractItemView) -> None:
    """Rows tall enough to pick with a finger or a shaky mouse on a ward trolley."""
    view.setStyleSheet("QTreeView::item { min-height: 26px; }")


def flat_list(parent: QWidget, name: str, columns: tuple[str, ...]) -> QTreeWidget:
    """A read-only, single-selection list with column headings, as the settings tabs show."""
    view = QTreeWidget(parent)
    view.setAccessibleName(name)
    view.setHeaderLabels(list(columns))
    view.setRootIsDecorated(False)
    view.setAlternatingRowColors(True)
    view.setUniformRowHeights(True)
    roomy_rows(view)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return view


def human_size(size_bytes: int) -> str:
    """1,234,567 bytes as "1.2 MB"."""
    size = float(size_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size_bytes:,} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def make_note_row(item: QTreeWidgetItem) -> None:
    """A row that explains (say, why a list is empty): readable, in italics, never selected."""
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    item.setFirstColumnSpanned(True)
    font = item.font(0)
    font.setItalic(True)
    item.setFont(0, font)
