"""Undo and redo on the timing screen: laps, exclusions and typed entries.

As in the walk capture screen, the change is saved before its command is pushed (so a refusal is
seen at once and nothing is pushed); undo and redo call the services again, so every step is on
disk the moment it is taken.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.time_study import ReadingState
from wastewalk.services.time_studies import ReadingInfo
from wastewalk.services.time_study_readings import (
    exclude_reading,
    include_reading,
    restore_reading,
    set_reading,
    undo_last_reading,
)
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


class SheetHost(Protocol):
    """What the commands tell the timing screen."""

    def cell_changed(self, order: int, cycle: int, reading: ReadingInfo | None) -> None: ...

    def lap_undone(self, reading: ReadingInfo, lap_seconds: float | None) -> None: ...

    def lap_redone(self, reading: ReadingInfo, lap_seconds: float | None) -> None: ...

    def say(self, text: str, *, error: bool = False) -> None: ...


class _Saved(QUndoCommand):
    """The change is on disk before the push; the first redo (from push) does nothing."""

    def __init__(self, text: str, host: SheetHost) -> None:
        super().__init__(text)
        self.host = host
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guarded(self.apply)

    def undo(self) -> None:
        self._guarded(self.revert)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except WasteWalkError as exc:
            self.host.say(f"Could not undo or redo the {self.text()}: {exc}", error=True)


class LapCommand(_Saved):
    """A lap (or 'not performed') taken on the timing screen.

    Undo removes the last reading and gives its time back to the element being timed.
    """

    def __init__(
        self,
        db: Database,
        study_id: uuid.UUID,
        reading: ReadingInfo,
        element_name: str,
        lap_seconds: float | None,
        host: SheetHost,
    ) -> None:
        what = "“not performed” mark" if lap_seconds is None else "lap"
        super().__init__(f"{what} of {element_name}, cycle {reading.cycle}", host)
        self.db, self.study_id, self.reading, self.lap_seconds = db, study_id, reading, lap_seconds

    def revert(self) -> None:
        removed = undo_last_reading(self.db, self.study_id)
        if removed is None:
            raise WasteWalkError("there is no reading left to undo")
        if removed.id != self.reading.id:
            # Someone else's reading was last (a typed entry outside the undo stack): put it
            # back and leave this one, rather than remove the wrong cell.
            restore_reading(self.db, removed.id)
            raise WasteWalkError("the last reading is not this lap")
        self.host.lap_undone(removed, self.lap_seconds)

    def apply(self) -> None:
        restored = restore_reading(self.db, self.reading.id)
        self.host.lap_redone(restored, self.lap_seconds)


class ExcludeCommand(_Saved):
    """A reading left out of the figures, with its reason."""

    def __init__(self, db: Database, reading: ReadingInfo, reason: str, host: SheetHost) -> None:
        super().__init__(f"exclusion in cycle {reading.cycle}", host)
        self.db, self.reading_id, self.reason = db, reading.id, reason

    def apply(self) -> None:
        info = exclude_reading(self.db, self.reading_id, self.reason)
        self.host.cell_changed(info.element_order, info.cycle, info)

    def revert(self) -> None:
        info = include_reading(self.db, self.reading_id)
        self.host.cell_changed(info.element_order, info.cycle, info)


class IncludeCommand(_Saved):
    """An excluded reading counted again; undo excludes it with its old reason."""

    def __init__(self, db: Database, before: ReadingInfo, host: SheetHost) -> None:
        super().__init__(f"inclusion in cycle {before.cycle}", host)
        self.db, self.reading_id, self.reason = db, before.id, before.exclude_reason

    def apply(self) -> None:
        info = include_reading(self.db, self.reading_id)
        self.host.cell_changed(info.element_order, info.cycle, info)

    def revert(self) -> None:
        info = exclude_reading(self.db, self.reading_id, self.reason)
        self.host.cell_changed(info.element_order, info.cycle, info)


class TypedEntryCommand(_Saved):
    """A value typed into the sheet (a number, NP, or a cleared cell)."""

    def __init__(
        self,
        db: Database,
        study_id: uuid.UUID,
        before: ReadingInfo | None,
        after: ReadingInfo | None,
        host: SheetHost,
    ) -> None:
        known = after or before
        assert known is not None  # an entry changes something
        super().__init__(f"typed entry in cycle {known.cycle}", host)
        self.db, self.study_id = db, study_id
        self.element_id, self.order, self.cycle = known.element_id, known.element_order, known.cycle
        self.before, self.after = before, after

    def apply(self) -> None:
        self.after = self._put(self.after, self.before)

    def revert(self) -> None:
        self.before = self._put(self.before, self.after)

    def _put(self, target: ReadingInfo | None, current: ReadingInfo | None) -> ReadingInfo | None:
        """Make the cell hold `target` again, as exactly as the services allow."""
        if target is None:
            set_reading(self.db, self.study_id, self.element_id, self.cycle, None)
            self.host.cell_changed(self.order, self.cycle, None)
            return None
        if current is None:
            # The very record that was there comes back, exclusion, reason and all.
            info = restore_reading(self.db, target.id)
        else:
            info = set_reading(
                self.db,
                self.study_id,
                self.element_id,
                self.cycle,
                target.seconds,
                not_performed=target.state == ReadingState.NOT_PERFORMED,
            )
            assert info is not None
            if target.state == ReadingState.EXCLUDED and info.state != ReadingState.EXCLUDED:
                info = exclude_reading(self.db, info.id, target.exclude_reason)
            elif target.state == ReadingState.VALID and info.state == ReadingState.EXCLUDED:
                info = include_reading(self.db, info.id)
        self.host.cell_changed(self.order, self.cycle, info)
        return info
