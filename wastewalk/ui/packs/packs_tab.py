"""Hand over (packs): a ward laptop exports its walks as a pack; the improvement specialist imports
many. Four pages: Export, Import (with its preview), Conflicts, and the Import log. One worker
thread runs the long work, so the window never freezes and only one pack is worked at a time."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from wastewalk.store.database import Database
from wastewalk.ui.packs.conflicts_view import ConflictsView
from wastewalk.ui.packs.export_panel import ExportPanel
from wastewalk.ui.packs.import_panel import ImportPanel
from wastewalk.ui.packs.log_view import LogView
from wastewalk.ui.reports.worker import ReportWorker
from wastewalk.ui.scope import Scope

logger = logging.getLogger(__name__)

EXPORT, IMPORT, CONFLICTS, LOG = 0, 1, 2, 3


class PacksTab(QWidget):
    """Export, Import, Conflicts and Import log; `data_changed` after an import or a choice."""

    data_changed = Signal()

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.worker = ReportWorker(self)
        self.pages = QTabWidget(self)
        self.pages.setAccessibleName("Hand over pages")
        self.pages.setDocumentMode(True)
        self.export = ExportPanel(db, scope, self.worker, self.pages)
        self.importer = ImportPanel(db, self.worker, self.pages)
        self.conflicts = ConflictsView(db, self.pages)
        self.log = LogView(db, self.pages)
        self.pages.addTab(_padded(self.export), "E&xport a pack")
        self.pages.addTab(_padded(self.importer), "&Import a pack")
        self.pages.addTab(_padded(self.conflicts), "Co&nflicts")
        self.pages.addTab(_padded(self.log), "Import &log")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.pages)

        self.importer.imported.connect(lambda _result: self._imported())
        self.conflicts.resolved.connect(lambda _done: self.data_changed.emit())
        self.conflicts.count_changed.connect(self._show_count)
        self.pages.currentChanged.connect(lambda _index: self._page_shown())
        # No choice is written while a pack is being imported on the worker thread.
        self.worker.busy_changed.connect(lambda busy: self.conflicts.setEnabled(not busy))

    def set_scope(self, scope: Scope) -> None:
        self.export.set_scope(scope)

    def reload(self) -> None:
        """Re-read destinations, conflicts and the log (the tab has just been shown)."""
        self.export.reload()
        self.conflicts.reload()
        self.log.reload()

    def _page_shown(self) -> None:
        index = self.pages.currentIndex()
        if self.worker.busy:
            return
        if index == CONFLICTS:
            self.conflicts.reload()
        elif index == LOG:
            self.log.reload()

    def _imported(self) -> None:
        self.conflicts.reload()
        self.log.reload()
        self.data_changed.emit()

    def _show_count(self, count: int) -> None:
        self.pages.setTabText(CONFLICTS, f"Co&nflicts ({count})" if count else "Co&nflicts")

    def shut_down(self) -> None:
        """Stop any work before the database closes (the window is closing)."""
        self.worker.cancel()
        self.worker.wait()


def _padded(page: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(10, 8, 10, 8)
    layout.addWidget(page)
    return holder
