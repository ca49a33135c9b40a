"""The Walks section: the list of walks, and the capture screen for the one that is open."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtWidgets import QMessageBox, QStackedLayout, QWidget

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.organisation import list_areas
from wastewalk.services.walk_list import list_walks_in_scope, recent_participant_names
from wastewalk.services.walks import start_walk
from wastewalk.store.database import Database
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section
from wastewalk.ui.walks.capture import CapturePage
from wastewalk.ui.walks.start_dialog import StartWalkDialog
from wastewalk.ui.walks.walk_list import WalkListPage

logger = logging.getLogger(__name__)

LIST_LIMIT = 500


class WalksSection(Section):
    title = "Walks"

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(db, scope, parent)
        self.stack = QStackedLayout(self)
        self.list_page = WalkListPage(self)
        self.capture = CapturePage(db, self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.capture)
        self.list_page.start_requested.connect(self.start_new_walk)
        self.list_page.open_requested.connect(self.open_walk)
        self.capture.closed.connect(self.show_list)
        self.start_dialog: StartWalkDialog | None = None
        # The list is read when the section is first shown (activated), not here as well.
        self.stack.setCurrentWidget(self.list_page)

    def set_scope(self, scope: Scope) -> None:
        super().set_scope(scope)
        self.reload_list()

    def activated(self) -> None:
        if self.stack.currentWidget() is self.list_page:
            self.reload_list()
            self.list_page.table.setFocus()
        else:
            self.capture.wastes.focus_selected()

    def reload_list(self) -> None:
        walks = list_walks_in_scope(self.db, self.scope.csu_id, self.scope.area_id, LIST_LIMIT)
        self.list_page.set_walks(walks, LIST_LIMIT)

    def show_list(self) -> None:
        self.reload_list()
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.table.setFocus()

    def open_walk(self, walk_id: uuid.UUID) -> None:
        self.capture.open_walk(walk_id)
        self.stack.setCurrentWidget(self.capture)
        self.capture.wastes.focus_selected()

    def start_new_walk(self) -> None:
        """Ask for area, focus, people and start time; then open the new walk for capture."""
        areas = [
            a
            for a in list_areas(self.db)
            if self.scope.csu_id is None or a.csu_id == self.scope.csu_id
        ] or list_areas(self.db)
        if not areas:
            QMessageBox.information(
                self,
                "No areas yet",
                "Add a CSU and its wards first, under Organisation & settings "
                "(or with 'wastewalk import areas').",
            )
            return
        dialog = StartWalkDialog(areas, recent_participant_names(self.db), self.scope.area_id, self)
        self.start_dialog = dialog
        dialog.accepted.connect(lambda: self._start_from(dialog))
        dialog.open()
        dialog.activateWindow()

    def _start_from(self, dialog: StartWalkDialog) -> None:
        area_id = dialog.area_id()
        assert area_id is not None  # the dialog does not accept without one
        try:
            walk = start_walk(
                self.db,
                area_id,
                focus=dialog.focus.text(),
                participants=dialog.participants(),
                started_at=dialog.started_at(),
            )
        except WasteWalkError as exc:
            QMessageBox.warning(self, "The walk was not started", str(exc))
            return
        self.open_walk(walk.id)
