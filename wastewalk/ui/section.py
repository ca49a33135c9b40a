"""What every section of the main window (Walks, Observations, Organisation & settings) offers."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from wastewalk.store.database import Database
from wastewalk.ui.scope import Scope

logger = logging.getLogger(__name__)


class Section(QWidget):
    """A page of the main window. It is told the shared scope and may ask for a walk to open."""

    title = "Section"
    # Another section asks the window to show a walk (the Walks section opens it).
    open_walk_requested = Signal(object)  # uuid.UUID
    # The organisation or categories changed: the window reloads the scope filter and sections.
    organisation_changed = Signal()

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope

    def set_scope(self, scope: Scope) -> None:
        """The shared CSU/area filter changed; show only what is inside it."""
        self.scope = scope

    def activated(self) -> None:
        """The section has just been shown; refresh whatever may be stale."""

    def open_walk(self, walk_id: uuid.UUID) -> None:
        """Show one walk (only the Walks section does anything with this)."""
