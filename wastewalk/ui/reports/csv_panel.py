"""The CSV export's choice: which files (`wastewalk export csv --what`), and what each holds."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from wastewalk.ui.reports import jobs
from wastewalk.ui.savings.date_range import CONTROL_HEIGHT

logger = logging.getLogger(__name__)


class CsvPanel(QWidget):
    """A Files choice, and the list of files it writes with a few words on each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        row = QHBoxLayout()
        label = QLabel("&Files", self)
        self.what = QComboBox(self)
        self.what.setAccessibleName("CSV files to write")
        self.what.setMinimumHeight(CONTROL_HEIGHT)
        label.setBuddy(self.what)
        for what, words in jobs.csv_choices():
            self.what.addItem(words, what)
        row.addWidget(label)
        row.addWidget(self.what)
        row.addStretch(1)
        layout.addLayout(row)
        self.files = QLabel(self)
        self.files.setTextFormat(Qt.TextFormat.RichText)
        self.files.setWordWrap(True)
        self.files.setAccessibleName("The files that will be written")
        self.files.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.files)

    def current(self) -> str:
        """The --what chosen."""
        return str(self.what.currentData())

    def show_files(self) -> None:
        """List the files the current choice writes."""
        items = "".join(
            f"<li><b>{name}</b>: {html.escape(words)}</li>"
            for name, words in jobs.csv_files(self.current())
        )
        self.files.setText(
            "<p>Written into the folder you choose, all or none; a file already there with the "
            f"same name is replaced:</p><ul>{items}</ul>"
        )
