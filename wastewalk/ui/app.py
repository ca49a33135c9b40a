"""Start the window: open the database (plainly refusing what cannot be used), then show it."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from wastewalk.domain.errors import DatabaseDamagedError, WasteWalkError
from wastewalk.store.database import Database, open_database
from wastewalk.ui.main_window import MainWindow

logger = logging.getLogger(__name__)


def open_or_explain(target: str | None, parent: object = None) -> Database | None:
    """Open the database, or tell the person plainly why not (offering a backup when damaged)."""
    try:
        return open_database(target)
    except DatabaseDamagedError as exc:
        if not exc.latest_backup:
            QMessageBox.critical(None, "WasteWalk cannot open the database", str(exc))
            return None
        choice = QMessageBox.critical(
            None,
            "WasteWalk cannot open the database",
            f"{exc}\n\nRestore the latest automatic backup now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if choice != QMessageBox.StandardButton.Yes:
            return None
        return _restore_and_open(target, exc.latest_backup)
    except WasteWalkError as exc:
        QMessageBox.critical(None, "WasteWalk cannot open the database", str(exc))
        return None


def _restore_and_open(target: str | None, backup: str) -> Database | None:
    from pathlib import Path

    from wastewalk.store import paths
    from wastewalk.store.backup import restore
    from wastewalk.store.engine import sqlite_path, to_url

    path = sqlite_path(to_url(target or paths.default_database()))
    assert path is not None  # only SQLite files are ever reported damaged
    try:
        kept = restore(path, Path(backup))
        db = open_database(str(path))
    except WasteWalkError as exc:
        QMessageBox.critical(None, "The backup could not be restored", str(exc))
        return None
    QMessageBox.information(
        None, "Backup restored", f"The backup is restored. The damaged file is kept as {kept}."
    )
    return db


def run(target: str | None) -> int:
    """Run the window until it closes; returns the exit code."""
    QCoreApplication.setOrganizationName("WasteWalk")
    QCoreApplication.setApplicationName("WasteWalk")
    app = QApplication.instance() or QApplication(sys.argv)
    db = open_or_explain(target)
    if db is None:
        return 2
    window = MainWindow(db)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
