"""The Reports section: PDF reports and CSV exports (preview, save), and SPC charts."""

from __future__ import annotations

import logging

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from wastewalk.store.database import Database
from wastewalk.ui.reports.report_tab import ReportTab
from wastewalk.ui.reports.spc_tab import SpcTab
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section

logger = logging.getLogger(__name__)

REPORTS, SPC = 0, 1


class ReportsSection(Section):
    title = "Reports"

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(db, scope, parent)
        self.setAccessibleName("Reports section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Reports pages")
        self.reports = ReportTab(db, scope, self.tabs)
        self.spc = SpcTab(db, scope, self.tabs)
        self.tabs.addTab(self.reports, "&Reports")
        self.tabs.addTab(self.spc, "&SPC charts")
        self.tabs.setStyleSheet("QTabBar::tab { min-height: 30px; min-width: 110px; }")
        layout.addWidget(self.tabs)
        # What is stale: read again when that tab is next shown, not on every change.
        self._stale = {REPORTS: True, SPC: True}
        self.tabs.currentChanged.connect(self._tab_shown)

    def set_scope(self, scope: Scope) -> None:
        super().set_scope(scope)
        self.reports.scope = scope
        self.spc.scope = scope
        self._stale = {REPORTS: True, SPC: True}
        if self.isVisible():
            self._tab_shown(self.tabs.currentIndex())

    def activated(self) -> None:
        self._stale = {REPORTS: True, SPC: True}  # other sections may have added data
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if not self._stale.get(index, False):
            return
        self._stale[index] = False
        if index == REPORTS:
            self.reports.set_scope(self.scope)
            self.reports.kind.setFocus()
        else:
            self.spc.set_scope(self.scope)
            self.spc.series_box.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Work may still be running on a worker thread; let it end before the database does.
        self.reports.shut_down()
        self.spc.shut_down()
        super().closeEvent(event)
