"""The main window: navigation between sections, the shared CSU/area filter, the open database."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wastewalk.store.database import Database
from wastewalk.ui.activity.section import ActivitySection
from wastewalk.ui.browser.section import ObservationsSection
from wastewalk.ui.reports.section import ReportsSection
from wastewalk.ui.savings.section import SavingsSection
from wastewalk.ui.scope import Scope, ScopeFilter
from wastewalk.ui.section import Section
from wastewalk.ui.settings.section import SettingsSection
from wastewalk.ui.timestudy.section import TimeStudiesSection
from wastewalk.ui.walks.section import WalksSection

logger = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Top-level window over one open database."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"WasteWalk — {db.display_name}")
        self.setAccessibleName("WasteWalk main window")

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 8)

        self.warning_label = QLabel("\n".join(db.warnings), central)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(
            "background:#fff4e5; color:#6b3d00; padding:8px; border:1px solid #e46c0a;"
        )
        self.warning_label.setAccessibleName("Warnings about the database location")
        self.warning_label.setVisible(bool(db.warnings))
        outer.addWidget(self.warning_label)

        self.scope_filter = ScopeFilter(db, central)
        top = QHBoxLayout()
        top.addWidget(self.scope_filter, 1)
        outer.addLayout(top)

        body = QHBoxLayout()
        self.nav = QListWidget(central)
        self.nav.setAccessibleName("Sections")
        self.nav.setFixedWidth(210)
        self.nav.setIconSize(QSize(24, 24))
        self.nav.setStyleSheet(
            "QListWidget { font-size: 12pt; }"
            "QListWidget::item { min-height: 44px; padding-left: 8px; }"
            "QListWidget::item:selected { background: #005EB8; color: white; }"
        )
        self.stack = QStackedWidget(central)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        scope = self.scope_filter.scope()
        self.walks = WalksSection(db, scope, self)
        self.observations = ObservationsSection(db, scope, self)
        self.time_studies = TimeStudiesSection(db, scope, self)
        self.activity = ActivitySection(db, scope, self)
        self.savings = SavingsSection(db, scope, self)
        self.reports = ReportsSection(db, scope, self)
        self.settings = SettingsSection(db, scope, self)
        self.sections: list[Section] = [
            self.walks,
            self.observations,
            self.time_studies,
            self.activity,
            self.savings,
            self.reports,
            self.settings,
        ]
        for number, section in enumerate(self.sections, start=1):
            item = QListWidgetItem(f"{section.title}")
            item.setToolTip(f"{section.title} (Ctrl+{number})")
            self.nav.addItem(item)
            self.stack.addWidget(section)
            section.open_walk_requested.connect(self.show_walk)
            section.organisation_changed.connect(self._organisation_changed)
            action = QAction(section.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, n=number - 1: self.nav.setCurrentRow(n))
            self.addAction(action)
        self.nav.currentRowChanged.connect(self._show_section)
        self.scope_filter.changed.connect(self._scope_changed)

        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

        self._restore_state()

    def current_section(self) -> Section:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Section)
        return widget

    def show_walk(self, walk_id: uuid.UUID) -> None:
        """Switch to the Walks section with one walk open."""
        self.nav.setCurrentRow(self.sections.index(self.walks))
        self.walks.open_walk(walk_id)

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.sections[row].activated()
        # Remembered by title, not row: a new section must not reopen the window elsewhere.
        QSettings().setValue("main_window/section_title", self.sections[row].title)

    def _scope_changed(self, scope: Scope) -> None:
        for section in self.sections:
            section.set_scope(scope)

    def _organisation_changed(self) -> None:
        self.scope_filter.reload()
        self._scope_changed(self.scope_filter.scope())

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1366, 740)
        title = str(settings.value("main_window/section_title", "") or "")
        titles = [section.title for section in self.sections]
        self.nav.setCurrentRow(titles.index(title) if title in titles else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        for section in self.sections:
            if not section.close():
                event.ignore()
                return
        super().closeEvent(event)
