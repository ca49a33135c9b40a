"""Organisation & settings: the trust tree, the waste categories, and the data file with backups."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from wastewalk.store.database import Database
from wastewalk.ui.costing.staff_rates_tab import StaffRatesTab
from wastewalk.ui.packs.packs_tab import PacksTab
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section
from wastewalk.ui.settings.categories_tab import CategoriesTab
from wastewalk.ui.settings.data_file_tab import DataFileTab
from wastewalk.ui.settings.organisation_tab import OrganisationTab

logger = logging.getLogger(__name__)


class SettingsSection(Section):
    """Five tabs; every saved change to CSUs, areas or categories emits `organisation_changed`.

    The section shows the whole trust whatever the shared filter says: it is where the filter's
    CSUs and areas are made. Only the pack export's "what the filter shows" follows the filter.
    An imported pack or a settled conflict may bring CSUs, areas or categories: the window reloads
    as after any change to the organisation.
    """

    title = "Organisation & settings"
    # A restore replaced the open file (its path is passed); the program must start again on it.
    database_replaced = Signal(object)

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(db, scope, parent)
        self.setAccessibleName(self.title)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Organisation and settings pages")
        self.organisation = OrganisationTab(db, self.tabs)
        self.categories = CategoriesTab(db, self.tabs)
        self.data_file = DataFileTab(db, self.tabs)
        self.staff_rates = StaffRatesTab(db, self.tabs)
        self.packs = PacksTab(db, scope, self.tabs)
        self.tabs.addTab(self.organisation, "&Organisation")
        self.tabs.addTab(self.categories, "&Waste categories")
        self.tabs.addTab(self.data_file, "&Data file")
        self.tabs.addTab(self.staff_rates, "&Staff rates")
        self.tabs.addTab(self.packs, "&Hand over (packs)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.organisation.changed.connect(self.organisation_changed)
        self.categories.changed.connect(self.organisation_changed)
        self.data_file.database_replaced.connect(self.database_replaced)
        self.packs.data_changed.connect(self.organisation_changed)
        self.tabs.currentChanged.connect(lambda _index: self._reload_current())
        self._loaded: set[int] = set()

    def set_scope(self, scope: Scope) -> None:
        super().set_scope(scope)
        self.packs.set_scope(scope)

    def activated(self) -> None:
        """Counts and backups change while other sections are in use: re-read the open tab."""
        self._loaded.clear()
        self._reload_current()

    def _reload_current(self) -> None:
        index = self.tabs.currentIndex()
        if index in self._loaded:
            return
        widget = self.tabs.currentWidget()
        if isinstance(
            widget, OrganisationTab | CategoriesTab | DataFileTab | StaffRatesTab | PacksTab
        ):
            widget.reload()
        self._loaded.add(index)

    def closeEvent(self, event: QCloseEvent) -> None:
        # A pack may be being written or imported on the worker thread; let it end first.
        self.packs.shut_down()
        super().closeEvent(event)
