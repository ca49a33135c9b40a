"""The Savings section (placeholder until the roll-ups land)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from wastewalk.store.database import Database
from wastewalk.ui.scope import Scope
from wastewalk.ui.section import Section

logger = logging.getLogger(__name__)


class SavingsSection(Section):
    title = "Savings"

    def __init__(self, db: Database, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(db, scope, parent)
        QVBoxLayout(self).addWidget(QLabel("Savings"))
