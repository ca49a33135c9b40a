"""Undo and redo for observations: each command calls the services, so every step is saved."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from wastewalk.services.observations import (
    ObservationInfo,
    ObservationInput,
    edit_observation,
    set_observation_deleted,
)
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

Refresh = Callable[[uuid.UUID], None]


class AddObservation(QUndoCommand):
    """The observation is saved before the command is pushed; undo deletes it (softly)."""

    def __init__(self, db: Database, saved: ObservationInfo, refresh: Refresh) -> None:
        super().__init__(f"add “{_brief(saved.description)}”")
        self.db, self.saved, self.refresh = db, saved, refresh
        self._first = True

    def redo(self) -> None:
        if self._first:  # already saved by the form; pushing must not save it twice
            self._first = False
            return
        set_observation_deleted(self.db, self.saved.id, False)
        self.refresh(self.saved.id)

    def undo(self) -> None:
        set_observation_deleted(self.db, self.saved.id, True)
        self.refresh(self.saved.id)


class EditObservation(QUndoCommand):
    """Holds the content before and after an edit; the edit is saved before the push."""

    def __init__(
        self,
        db: Database,
        observation_id: uuid.UUID,
        before: ObservationInput,
        after: ObservationInput,
        refresh: Refresh,
    ) -> None:
        super().__init__(f"edit “{_brief(after.description)}”")
        # Not `self.id`: that would hide QUndoCommand.id(), which the stack calls when merging.
        self.db, self.observation_id, self.before, self.after, self.refresh = (
            db,
            observation_id,
            before,
            after,
            refresh,
        )
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        edit_observation(self.db, self.observation_id, self.after)
        self.refresh(self.observation_id)

    def undo(self) -> None:
        edit_observation(self.db, self.observation_id, self.before)
        self.refresh(self.observation_id)


class DeleteObservation(QUndoCommand):
    """Deleting is soft, so undo brings the observation back exactly as it was."""

    def __init__(self, db: Database, info: ObservationInfo, refresh: Refresh) -> None:
        super().__init__(f"delete “{_brief(info.description)}”")
        self.db, self.info, self.refresh = db, info, refresh

    def redo(self) -> None:
        set_observation_deleted(self.db, self.info.id, True)
        self.refresh(self.info.id)

    def undo(self) -> None:
        set_observation_deleted(self.db, self.info.id, False)
        self.refresh(self.info.id)


def _brief(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
