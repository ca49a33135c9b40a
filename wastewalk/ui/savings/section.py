"""The Savings section: the roll-up from trust to CSU to area (or by waste, or by month) with
the estimates behind every figure, and the actions that turn waste into savings."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.savings_view import walk_of_observation
from wastewalk.store.database import Database
from wastewalk.ui.savings import ask
from wastewalk.ui.savings.actions_tab import ActionsTab
from wastewalk.ui.savings.rollup_tab import RollupTab
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section

logger = logging.getLogger(__name__)

ROLLUP, ACTIONS = 0, 1


class SavingsSection(Section):
    title = "Savings"

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(db, scope, parent)
        self.setAccessibleName("Savings section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Savings pages")
        self.rollup = RollupTab(db, scope, self.tabs)
        self.actions = ActionsTab(db, scope, self.tabs)
        self.tabs.addTab(self.rollup, "&Roll-up")
        self.tabs.addTab(self.actions, "&Actions")
        self.tabs.setStyleSheet("QTabBar::tab { min-height: 30px; min-width: 110px; }")
        layout.addWidget(self.tabs)
        # What is stale: read again when that tab is next shown, not on every change.
        self._stale = {ROLLUP: True, ACTIONS: True}
        self.tabs.currentChanged.connect(self._tab_shown)
        self.rollup.open_observation.connect(self._open_observation)
        self.rollup.open_action.connect(self.show_action)
        self.actions.changed.connect(self._actions_changed)

    def set_scope(self, scope: Scope) -> None:
        super().set_scope(scope)
        self.rollup.scope = scope
        self.actions.scope = scope
        self._stale = {ROLLUP: True, ACTIONS: True}
        if self.isVisible():
            self._tab_shown(self.tabs.currentIndex())

    def activated(self) -> None:
        self._stale = {ROLLUP: True, ACTIONS: True}  # other sections may have priced things
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if not self._stale.get(index, False):
            return
        self._stale[index] = False
        if index == ROLLUP:
            self.rollup.reload()
            self.rollup.tree.setFocus()
        else:
            self.actions.reload()
            self.actions.table.setFocus()

    def _actions_changed(self) -> None:
        self._stale[ROLLUP] = True

    def show_action(self, action_id: uuid.UUID) -> None:
        """Switch to the Actions tab with one action selected."""
        self.tabs.setCurrentIndex(ACTIONS)
        self.actions.select(action_id)

    def _open_observation(self, observation_id: uuid.UUID) -> None:
        try:
            walk_id = walk_of_observation(self.db, observation_id)
        except WasteWalkError as exc:
            ask.warn(self, "The walk was not opened", str(exc))
            return
        self.open_walk_requested.emit(walk_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        # A read may still be running on the worker thread; let it end before the database does.
        self.rollup.background.wait()
        super().closeEvent(event)
