"""Every modal question and message of the Savings section, in one small module.

The tabs call these through the module (`ask.warn(...)`), so a test replaces one function to
answer a question or record a message instead of blocking on a modal window.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

logger = logging.getLogger(__name__)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """Say plainly why something was not done."""
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes_text: str) -> bool:
    """Ask before doing something; Cancel is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when the person pressed OK (or its equivalent)."""
    return dialog.exec() == QDialog.DialogCode.Accepted
