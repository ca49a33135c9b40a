"""The import log: every pack imported here, newest first: when, from which device, the file, and
what it did."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from wastewalk.services.pack_import import import_log
from wastewalk.store.database import Database
from wastewalk.ui.packs import words
from wastewalk.ui.settings.widgets import flat_list, make_note_row
from wastewalk.ui.timefmt import uk_compact

logger = logging.getLogger(__name__)

COLUMNS = ("When", "From", "File", "What it did")


def _field(entry: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if hasattr(entry, name):
            return getattr(entry, name)
    return default


def did_words(entry: Any) -> str:
    """'3 new, 1 updated, 40 identical (skipped), 0 conflicts' (and 'preview only')."""
    text = words.counts_words(
        new=int(_field(entry, "new", default=0) or 0),
        updated=int(_field(entry, "updated", default=0) or 0),
        identical=int(_field(entry, "identical", default=0) or 0),
        local_newer=int(_field(entry, "local_newer", "skipped_local_newer", default=0) or 0),
        conflicts=int(_field(entry, "conflicts", default=0) or 0),
    )
    if _field(entry, "dry_run", default=False):
        text += " (a preview only: nothing changed)"
    return text


class LogView(QWidget):
    """The newest 100 imports."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.entries: list[Any] = []
        about = QLabel(
            "Every pack imported into this file, newest first. An import that found nothing new "
            "is listed too.",
            self,
        )
        about.setWordWrap(True)
        about.setStyleSheet("color: #425563;")
        self.list = flat_list(self, "Packs imported, newest first", COLUMNS)
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 150)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 130)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 330)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(about)
        layout.addWidget(self.list, 1)

    def reload(self) -> None:
        """Re-read the log."""
        self.entries = list(import_log(self.db, limit=100))
        self.list.clear()
        for entry in self.entries:
            when = _field(entry, "when", "imported_at")
            device = str(_field(entry, "device", "pack_device_id", "device_id", default=""))
            file_name = str(_field(entry, "file", "file_name", default=""))
            item = QTreeWidgetItem(
                self.list,
                [
                    uk_compact(when) if isinstance(when, dt.datetime) else "",
                    words.short_device(device),
                    file_name,
                    did_words(_field(entry, "counts", default=entry) or entry),
                ],
            )
            item.setToolTip(1, f"Device id {device}")
            item.setToolTip(2, file_name)
            item.setToolTip(3, item.text(3))
        if not self.entries:
            make_note_row(QTreeWidgetItem(self.list, ["No packs imported into this file yet"]))
