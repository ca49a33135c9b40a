"""Two strips under the Reports buttons: the progress of the work running (with Cancel), and what
happened last (saved where, with Open folder; or what went wrong, in plain words)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

logger = logging.getLogger(__name__)

STEPS = 1000
_STYLES = {
    "error": "QFrame#message { background: #fdecea; border: 1px solid #d5281b; }",
    "done": "QFrame#message { background: #e8f4ec; border: 1px solid #007f3b; }",
    "info": "QFrame#message { background: #eef3f9; border: 1px solid #005eb8; }",
}


class ProgressStrip(QWidget):
    """A progress bar, the current step in words, and Cancel; shown only while work runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, STEPS)
        self.bar.setAccessibleName("How far the work has gone")
        self.bar.setMinimumWidth(220)
        self.bar.setMaximumWidth(320)
        self.bar.setMinimumHeight(24)
        self.words = QLabel(self)
        self.words.setAccessibleName("The step being done")
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QPushButton("&Cancel", self)
        self.cancel_button.setToolTip("Stop; nothing is written")
        self.cancel_button.setAccessibleName("Cancel the work; nothing is written")
        self.cancel_button.setAutoDefault(True)  # Enter on the focused button presses it
        self.cancel_button.setMinimumHeight(32)
        layout.addWidget(self.bar)
        layout.addWidget(self.words, 1)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    def begin(self, words: str) -> None:
        self.bar.setValue(0)
        self.words.setText(words)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Cancel")
        self.setVisible(True)

    def show_progress(self, fraction: float, words: str) -> None:
        self.bar.setValue(round(fraction * STEPS))
        if words:
            self.words.setText(words)

    def stopping(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping…")
        self.words.setText("Stopping at the next step; nothing will be written.")

    def end(self) -> None:
        self.setVisible(False)


class MessageStrip(QFrame):
    """One message in plain words, coloured by kind, with Open folder after a save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        self.kind = ""
        self.folder: Path | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("What happened")
        self.open_button = QPushButton("&Open folder", self)
        self.open_button.setToolTip("Show the folder in the file manager")
        self.open_button.setAutoDefault(True)
        self.open_button.setMinimumHeight(30)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        self.open_button.clicked.connect(self.open_folder)
        self.clear()

    def show_message(self, kind: str, text: str, folder: Path | None = None) -> None:
        """`kind` is 'error', 'done' or 'info'; `folder` offers Open folder."""
        self.kind = kind
        self.folder = folder
        self.setStyleSheet(_STYLES[kind])
        self.text.setText(text)
        self.open_button.setVisible(folder is not None)
        self.setVisible(True)

    def clear(self) -> None:
        self.kind = ""
        self.folder = None
        self.text.setText("")
        self.setVisible(False)

    def open_folder(self) -> None:
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
