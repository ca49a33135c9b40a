"""The Time studies section: the list of studies, and the timing screen of the one that is open."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QStackedLayout, QWidget

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services.organisation import AreaInfo, list_areas
from wastewalk.services.time_studies import (
    create_study,
    delete_study,
    get_study,
    list_studies,
    update_study,
)
from wastewalk.services.time_study_view import cycle_counts
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section
from wastewalk.ui.timestudy.list_page import StudyListPage
from wastewalk.ui.timestudy.setup_dialog import StudySetupDialog
from wastewalk.ui.timestudy.timing_screen import TimingScreen

logger = logging.getLogger(__name__)


class TimeStudiesSection(Section):
    title = "Time studies"

    def __init__(
        self,
        db: Database,
        scope: Scope,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], int] = time.monotonic_ns,
    ) -> None:
        super().__init__(db, scope, parent)
        self.stack = QStackedLayout(self)
        self.list_page = StudyListPage(self)
        self.timing = TimingScreen(db, clock, self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.timing)
        self.list_page.new_requested.connect(self.new_study)
        self.list_page.open_requested.connect(self.open_study)
        self.list_page.edit_requested.connect(self.edit_study)
        self.list_page.delete_requested.connect(self.delete_study)
        self.timing.closed.connect(self.show_list)
        self.timing.edit_requested.connect(self.edit_study)
        self.setup_dialog: StudySetupDialog | None = None
        self.delete_box: QMessageBox | None = None
        self.stack.setCurrentWidget(self.list_page)

    # --- Section ------------------------------------------------------------------------
    def set_scope(self, scope: Scope) -> None:
        super().set_scope(scope)
        if self.stack.currentWidget() is self.list_page:
            self.reload_list()

    def activated(self) -> None:
        if self.stack.currentWidget() is self.list_page:
            self.reload_list()
            self.list_page.table.setFocus()
        else:
            self.timing.panel.lap_button.setFocus()

    # --- the list -----------------------------------------------------------------------
    def areas_in_scope(self, include_archived: bool = False) -> list[AreaInfo]:
        areas = list_areas(self.db, include_archived=include_archived)
        if self.scope.area_id is not None:
            return [a for a in areas if a.id == self.scope.area_id]
        if self.scope.csu_id is not None:
            return [a for a in areas if a.csu_id == self.scope.csu_id]
        return areas

    def reload_list(self, select: uuid.UUID | None = None) -> None:
        area_ids = None if self.scope.is_trust else [a.id for a in self.areas_in_scope(True)]
        studies = list_studies(self.db, area_ids)
        self.list_page.set_studies(studies, cycle_counts(self.db, [s.id for s in studies]), select)

    def show_list(self) -> None:
        opened = self.timing.study.id if self.timing.study else None
        self.reload_list(select=opened)
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.table.setFocus()

    def open_study(self, study_id: uuid.UUID) -> None:
        try:
            self.timing.open_study(study_id)
        except WasteWalkError as exc:
            self.list_page.say(str(exc), error=True)
            self.reload_list()
            return
        self.list_page.say("")
        self.stack.setCurrentWidget(self.timing)
        self.timing.panel.lap_button.setFocus()

    # --- set-up -------------------------------------------------------------------------
    def new_study(self) -> None:
        """Ask for the set-up; the new study opens on the timing screen."""
        areas = self.areas_in_scope() or list_areas(self.db)
        if not areas:
            self.list_page.say(
                "Add a CSU and its wards first, under Organisation & settings "
                "(or with 'wastewalk import areas').",
                error=True,
            )
            return
        dialog = StudySetupDialog(
            areas,
            list_categories(self.db),
            lambda data: create_study(self.db, data),
            preferred_area=self.scope.area_id,
            parent=self,
        )
        self._show_dialog(dialog, self._created)

    def edit_study(self, study_id: uuid.UUID) -> None:
        """Change a study's set-up (also while it is being timed: the clock keeps running)."""
        try:
            study = get_study(self.db, study_id)
        except WasteWalkError as exc:
            self.list_page.say(str(exc), error=True)
            return
        dialog = StudySetupDialog(
            self.areas_in_scope() or list_areas(self.db),
            list_categories(self.db),
            lambda data: update_study(self.db, study_id, data),
            study=study,
            parent=self,
        )
        self._show_dialog(dialog, self._edited)

    def _show_dialog(
        self, dialog: StudySetupDialog, done: Callable[[StudySetupDialog], None]
    ) -> None:
        self.setup_dialog = dialog
        dialog.accepted.connect(lambda: done(dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()
        dialog.activateWindow()

    def _dialog_closed(self, dialog: StudySetupDialog) -> None:
        if self.setup_dialog is dialog:
            self.setup_dialog = None
        dialog.deleteLater()

    def _created(self, dialog: StudySetupDialog) -> None:
        assert dialog.saved is not None
        self.open_study(dialog.saved.id)

    def _edited(self, dialog: StudySetupDialog) -> None:
        study = dialog.saved
        assert study is not None
        if self.timing.study is not None and self.timing.study.id == study.id:
            self.timing.study_changed(study)
            self.timing.say("Set-up saved.")
        if self.stack.currentWidget() is self.list_page:
            self.reload_list(select=study.id)
            self.list_page.say(f"Set-up of “{study.name}” saved.")

    # --- deleting -----------------------------------------------------------------------
    def delete_study(self, study_id: uuid.UUID) -> None:
        """Ask first; the study is deleted softly (a pack can carry the deletion)."""
        try:
            study = get_study(self.db, study_id)
        except WasteWalkError as exc:
            self.list_page.say(str(exc), error=True)
            return
        readings = f" and its {study.reading_count:,} readings" if study.reading_count else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete time study?",
            f"Delete “{study.name}”{readings}? It disappears from the list and from reports.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        box.button(QMessageBox.StandardButton.No).setText("Keep it")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.delete_box = box
        box.finished.connect(lambda _result: self._delete_answered(box, study_id, study.name))
        box.open()

    def _delete_answered(self, box: QMessageBox, study_id: uuid.UUID, name: str) -> None:
        self.delete_box = None
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Yes):
            return
        try:
            delete_study(self.db, study_id)
        except WasteWalkError as exc:
            self.list_page.say(str(exc), error=True)
            return
        self.reload_list()
        self.list_page.say(f"Deleted “{name}”.")
        self.list_page.table.setFocus()
