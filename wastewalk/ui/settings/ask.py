"""Every modal question, message and file chooser of the settings section, in one small module.

The tabs call these through the module (`ask.warn(...)`), so a test replaces one function to
answer a question or record a message instead of blocking on a modal window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from wastewalk.domain.errors import WasteWalkError

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """Say plainly why something was not done."""
    QMessageBox.warning(parent, title, text)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """Say what was done."""
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes_text: str) -> bool:
    """Ask before doing something that cannot be taken back with Undo; No is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when the person pressed OK."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def save_path(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    """Ask where to save a file, starting from `suggested`; None when cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, str(suggested), "WasteWalk database (*.sqlite);;All files (*)"
    )
    return Path(chosen) if chosen else None


def quit_application() -> None:
    """Close every window and leave the event loop (does nothing when no loop is running)."""
    QApplication.quit()


def attempt(parent: QWidget | None, what: str, save: Callable[[], _T]) -> _T | None:
    """Run one service call; a refusal is shown plainly (nothing was changed) and gives None."""
    try:
        return save()
    except WasteWalkError as exc:
        warn(parent, f"{what}: not saved", str(exc))
        return None


def until_saved(
    parent: QWidget | None, dialog: QDialog, what: str, save: Callable[[], _T]
) -> _T | None:
    """Show `dialog` until `save` is accepted or the person cancels (None).

    After a refusal the same form comes back with what was typed, ready to correct.
    """
    while run_dialog(dialog):
        saved = attempt(parent, what, save)
        if saved is not None:
            return saved
    return None
