"""The Activity follow section: the list of follows, the follow screen, and a follow's summary."""

from __future__ import annotations

import logging
import time
import uuid

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QStackedLayout, QWidget

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.activity_follows import (
    delete_follow,
    get_follow,
    list_follows,
    recent_staff_roles,
    start_follow,
)
from wastewalk.services.organisation import list_areas
from wastewalk.store.database import Database
from wastewalk.ui.activity.categories_dialog import ActivityCategoriesDialog
from wastewalk.ui.activity.follow_list import FollowListPage
from wastewalk.ui.activity.follow_screen import Clock, FollowScreen
from wastewalk.ui.activity.new_follow_dialog import NewFollowDialog
from wastewalk.ui.activity.summary_page import SummaryPage
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section

logger = logging.getLogger(__name__)

LIST_LIMIT = 500


class ActivitySection(Section):
    title = "Activity follow"

    def __init__(
        self,
        db: Database,
        scope: Scope,
        parent: QWidget | None = None,
        clock: Clock = time.monotonic_ns,
    ) -> None:
        super().__init__(db, scope, parent)
        self.stack = QStackedLayout(self)
        self.list_page = FollowListPage(self)
        self.screen = FollowScreen(db, clock, self)
        self.summary = SummaryPage(db, self)
        for page in (self.list_page, self.screen, self.summary):
            self.stack.addWidget(page)
        self.list_page.start_requested.connect(self.start_new_follow)
        self.list_page.open_requested.connect(self.open_follow)
        self.list_page.delete_requested.connect(self.delete_follow)
        self.list_page.categories_requested.connect(self.edit_categories)
        self.screen.closed.connect(self.show_list)
        self.screen.ended.connect(self.show_summary)
        self.summary.closed.connect(self.show_list)
        self.new_dialog: NewFollowDialog | None = None
        self.categories_dialog: ActivityCategoriesDialog | None = None
        self.stack.setCurrentWidget(self.list_page)

    def set_clock(self, clock: Clock) -> None:
        """The monotonic clock (nanoseconds) the follow screen times with; tests step a fake."""
        self.screen.set_clock(clock)

    def set_scope(self, scope: Scope) -> None:
        super().set_scope(scope)
        self.reload_list()

    def activated(self) -> None:
        page = self.stack.currentWidget()
        if page is self.list_page:
            self.reload_list()
            self.list_page.table.setFocus()
        elif page is self.screen:
            self.screen.setFocus()

    def reload_list(self) -> None:
        area_ids = [self.scope.area_id] if self.scope.area_id else None
        csu_id = None if self.scope.area_id else self.scope.csu_id
        follows = list_follows(self.db, area_ids=area_ids, csu_id=csu_id, limit=LIST_LIMIT)
        self.list_page.set_follows(follows, LIST_LIMIT)

    def show_list(self) -> None:
        self.reload_list()
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.table.setFocus()

    def open_follow(self, follow_id: uuid.UUID, location: str = "") -> None:
        """An ended follow opens on its summary; one still going opens to go on with it."""
        try:
            ended = get_follow(self.db, follow_id).ended
            if not ended:
                self.screen.open_follow(follow_id, location)
        except WasteWalkError as exc:
            QMessageBox.warning(self, "The follow could not be opened", str(exc))
            return
        if ended:
            self.show_summary(follow_id)
        else:
            self.stack.setCurrentWidget(self.screen)
            self.screen.setFocus()

    def show_summary(self, follow_id: uuid.UUID) -> None:
        self.summary.show_follow(follow_id)
        self.stack.setCurrentWidget(self.summary)

    def start_new_follow(self) -> None:
        """Ask for area, role, observer, mode and interval; then open the follow screen."""
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
        dialog = NewFollowDialog(areas, recent_staff_roles(self.db), self.scope.area_id, self)
        self.new_dialog = dialog
        dialog.accepted.connect(lambda: self._start_from(dialog))
        dialog.open()
        dialog.activateWindow()

    def _start_from(self, dialog: NewFollowDialog) -> None:
        area_id = dialog.area_id()
        assert area_id is not None  # the dialog does not accept without one
        try:
            follow = start_follow(
                self.db,
                area_id,
                staff_role=dialog.role_text(),
                observer=dialog.observer.text(),
                mode=dialog.mode_value(),
                interval_s=dialog.interval.value(),
            )
        except WasteWalkError as exc:
            QMessageBox.warning(self, "The follow was not started", str(exc))
            return
        self.open_follow(follow.id, dialog.location.text())
        # The dialog has gone: give the keys back to the window, where the follow screen is.
        self.window().activateWindow()

    def delete_follow(self, follow_id: uuid.UUID) -> None:
        follow = get_follow(self.db, follow_id)
        answer = QMessageBox.question(
            self,
            "Delete this follow?",
            f"Delete the follow of the {follow.staff_role} in {follow.area_name}? Observations "
            "made from its segments stay in their walk.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            delete_follow(self.db, follow_id)
            self.reload_list()

    def edit_categories(self) -> None:
        dialog = ActivityCategoriesDialog(self.db, self)
        self.categories_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window is closing: a follow going on keeps its last point, to go on from later.
        self.screen.save_point()
        super().closeEvent(event)
