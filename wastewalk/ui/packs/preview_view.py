"""What a pack would do, before anything changes: a row per record type (new, updated, identical,
newer here, conflicts), the totals, the photos, and which device made the pack and when."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from wastewalk.ui.packs import words
from wastewalk.ui.settings.widgets import NUMBER_ALIGN, flat_list
from wastewalk.ui.timefmt import uk_date_time

logger = logging.getLogger(__name__)

COLUMNS = (
    "Record type",
    "New",
    "Updated",
    "Identical (skipped)",
    "Newer here (kept)",
    "Conflicts",
)
COUNT_FIELDS = ("new", "updated", "identical", "local_newer", "conflicts")
CONFLICT_BRUSH = QBrush(QColor("#fff4cc"))


def totals(preview: Any) -> dict[str, int]:
    """The counts of every record type added up."""
    summed = dict.fromkeys(COUNT_FIELDS, 0)
    for row in getattr(preview, "tables", ()):
        for name in COUNT_FIELDS:
            summed[name] += int(getattr(row, name, 0) or 0)
    return summed


def made_words(preview: Any) -> str:
    """'From device 3f2a9c1e, made Tue 24 Nov 2026, 14:05 · WasteWalk - Demo - ….wwpack'."""
    created = getattr(preview, "created_at", None)
    when = uk_date_time(created) if isinstance(created, dt.datetime) else "at an unknown time"
    device = words.short_device(str(getattr(preview, "device_id", "")))
    return f"From {device}, made {when} · {getattr(preview, 'file_name', '')}"


class PreviewView(QWidget):
    """The preview of one pack; empty until `show_preview`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: Any = None
        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.source.setAccessibleName("Where the pack comes from")
        self.source.setStyleSheet("font-weight: 600;")
        self.table = flat_list(self, "What the pack would do, by record type", COLUMNS)
        self.table.setSelectionMode(self.table.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 150 if column in (3, 4) else 100)
            self.table.headerItem().setTextAlignment(column, NUMBER_ALIGN)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("What the pack would do, in all")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def show_preview(self, preview: Any) -> None:
        """Fill the table from a PackPreview."""
        self.preview = preview
        self.source.setText(made_words(preview))
        self.source.setToolTip(f"Device id {getattr(preview, 'device_id', '')}")
        self.table.clear()
        for row in getattr(preview, "tables", ()):
            counts = [int(getattr(row, name, 0) or 0) for name in COUNT_FIELDS]
            item = QTreeWidgetItem(
                self.table, [words.table_words(str(row.table))] + [f"{n:,}" for n in counts]
            )
            for column in range(1, len(COLUMNS)):
                item.setTextAlignment(column, NUMBER_ALIGN)
            if counts[-1]:
                for column in range(len(COLUMNS)):
                    item.setBackground(column, CONFLICT_BRUSH)
        summed = totals(preview)
        total = QTreeWidgetItem(
            self.table, ["All records"] + [f"{summed[name]:,}" for name in COUNT_FIELDS]
        )
        bold = QFont(total.font(0))
        bold.setBold(True)
        for column in range(len(COLUMNS)):
            total.setFont(column, bold)
            if column:
                total.setTextAlignment(column, NUMBER_ALIGN)
        photos = int(getattr(preview, "photos", 0) or 0)
        text = (
            f"In all: {words.counts_words(**summed)}; the pack carries "
            f"{words.plural(photos, 'photo')}."
        )
        if summed["conflicts"]:
            text += (
                " Each conflict keeps this laptop's version for now; both versions are shown "
                "under Conflicts for a person to choose."
            )
        if summed["new"] + summed["updated"] + summed["conflicts"] == 0:
            text += " Importing it would change nothing: this laptop already has all of it."
        self.summary.setText(text)

    def clear(self) -> None:
        self.preview = None
        self.source.setText("")
        self.table.clear()
        self.summary.setText("")
