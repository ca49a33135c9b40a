"""Start the window: open the database, plainly refusing what cannot be used and offering a way out.

A damaged file can be swapped for its latest good backup, any refused file for another one; after
a restore from the settings, the window reopens on the restored file.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from wastewalk.domain.errors import DatabaseDamagedError, DatabaseError, WasteWalkError
from wastewalk.services.backups import database_file, restore_file
from wastewalk.store.database import Database, open_database
from wastewalk.ui.main_window import MainWindow

logger = logging.getLogger(__name__)

RESTORE = "Restore the latest good backup"
CHOOSE = "Choose another file…"
USUAL = "Open my usual file"
QUIT = "Quit"


def ask_choice(title: str, text: str, choices: list[str]) -> str:
    """A modal question with one button per choice; Quit when the box is closed."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    buttons = {
        box.addButton(choice, QMessageBox.ButtonRole.ActionRole): choice for choice in choices
    }
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    return buttons.get(box.clickedButton(), QUIT)


def choose_file() -> str | None:
    """Pick an existing database file or name a new one; None when cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(
        None,
        "Open or create a WasteWalk database",
        "",
        "WasteWalk database (*.sqlite);;All files (*)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return chosen or None


def open_or_explain(target: str | None) -> Database | None:
    """Open the database, or say plainly why not and let the person choose what to do.

    Returns None when the person chooses to quit; the refused file is never changed.
    """
    while True:
        try:
            return open_database(target)
        except DatabaseDamagedError as exc:
            choices = [RESTORE, CHOOSE, QUIT] if exc.latest_backup else [CHOOSE, QUIT]
            answer = ask_choice(
                "The database is damaged",
                f"{exc}\n\nRestoring puts the backup in place and keeps the damaged file too.",
                choices,
            )
            if answer == RESTORE and exc.latest_backup:
                restored = _restore(target, Path(exc.latest_backup))
                if restored is not None:
                    return restored
                continue
        except WasteWalkError as exc:
            choices = [CHOOSE, USUAL, QUIT] if target else [CHOOSE, QUIT]
            answer = ask_choice("WasteWalk cannot open the database", str(exc), choices)
            if answer == USUAL:
                target = None
                continue
        if answer == QUIT:
            return None
        picked = choose_file()
        if picked is not None:
            target = picked


def _restore(target: str | None, backup: Path) -> Database | None:
    path = database_file(target)
    if path is None:  # only local files are ever reported damaged
        return None
    try:
        result = restore_file(path, backup)
    except DatabaseError as exc:
        QMessageBox.critical(None, "The backup could not be restored", str(exc))
        return None
    QMessageBox.information(
        None,
        "Backup restored",
        f"The backup is in place. The damaged file is kept as {result.kept.path}.",
    )
    return result.database


def run(target: str | None) -> int:
    """Run the window until it closes; returns the exit code."""
    QCoreApplication.setOrganizationName("WasteWalk")
    QCoreApplication.setApplicationName("WasteWalk")
    app = QApplication.instance() or QApplication(sys.argv)
    while True:
        db = open_or_explain(target)
        if db is None:
            return 2
        window = MainWindow(db)
        replaced: list[Path] = []
        window.settings.database_replaced.connect(replaced.append)
        window.show()
        try:
            code = app.exec()
        finally:
            window.deleteLater()
            db.close()
        if not replaced:
            return code
        # A restore from the settings put a backup in place: reopen on that same file.
        target = str(replaced[-1]) if replaced[-1] else target
