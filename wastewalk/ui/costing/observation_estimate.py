"""Pricing an observation: the "Cost estimate…" action of the walk's list and of the browser.

    dialog = open_observation_estimate(db, observation_id, parent)
    dialog.finished.connect(lambda _result: refresh())

opens (never blocks) an `EstimateDialog` that saves with `set_observation_estimate` and, when an
estimate exists, offers "Remove estimate" (`clear_observation_estimate`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

from wastewalk.domain.costing import money_text
from wastewalk.services.estimates import (
    clear_observation_estimate,
    get_observation_estimate,
    observation_estimate_values,
    set_observation_estimate,
)
from wastewalk.services.observations import get_observation
from wastewalk.services.walks import get_walk
from wastewalk.store.database import Database
from wastewalk.ui.costing.estimate_dialog import EstimateDialog

logger = logging.getLogger(__name__)

TITLE = "Cost of this waste"
SHORTCUT = "E"
ACTION_TEXT = "Cost es&timate…"
ACTION_TIP = "Price the waste the selected observation saw: its annual cost (E)"


def observation_estimate_dialog(
    db: Database, observation_id: uuid.UUID, parent: QWidget | None = None
) -> EstimateDialog:
    """The dialog for this observation's estimate (new, or the one it has), not yet shown."""
    observation = get_observation(db, observation_id)
    walk = get_walk(db, observation.walk_id)
    existing = get_observation_estimate(db, observation_id)
    description = " ".join(observation.description.split())
    if len(description) > 160:
        description = description[:159] + "…"
    subject = f"{observation.category_label} on {walk.area_name}: {description}"
    dialog = EstimateDialog(
        db,
        walk.area_id,
        TITLE,
        save=lambda data: set_observation_estimate(db, observation_id, data),
        remove=(lambda: clear_observation_estimate(db, observation_id)) if existing else None,
        data=existing.inputs if existing else None,
        estimate_id=existing.id if existing else None,
        subject=subject,
        parent=parent,
    )
    return dialog


def open_observation_estimate(
    db: Database, observation_id: uuid.UUID, parent: QWidget | None = None
) -> EstimateDialog:
    """Show the observation's estimate dialog without blocking."""
    dialog = observation_estimate_dialog(db, observation_id, parent)
    dialog.open()
    return dialog


def estimate_values(db: Database, observation_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The annual value in pence of each of these observations that has an estimate."""
    return observation_estimate_values(db, list(observation_ids))


def priced_words(db: Database, observation_id: uuid.UUID) -> str:
    """'Priced: £9,672.50 a year' or 'Not priced yet', for the selected observation."""
    info = get_observation_estimate(db, observation_id)
    if info is None:
        return "Not priced yet"
    return f"Priced: {money_text(info.annual_value_pence)} a year"


def marker(pence: int | None) -> str:
    """'£9,672.50 a year' for a priced observation, '' otherwise."""
    return "" if pence is None else f"{money_text(pence)} a year"
