"""Pricing an observation from the walk's list (capture screen) and the Observations browser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wastewalk.services.estimates import get_observation_estimate
from wastewalk.services.observations import ObservationInfo, ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.staff_rates import StaffRateInput, add_staff_rate
from wastewalk.services.walks import WalkInfo, start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database, open_database
from wastewalk.ui.browser.section import ObservationsSection
from wastewalk.ui.costing.estimate_dialog import EstimateDialog
from wastewalk.ui.scope import Scope
from wastewalk.ui.walks.capture import CapturePage


@dataclass(frozen=True)
class Walked:
    db: Database
    walk: WalkInfo
    first: ObservationInfo
    second: ObservationInfo
    rate_id: object


@pytest.fixture
def walked(tmp_path: Path) -> Iterator[Walked]:
    db = open_database(str(tmp_path / "ward.sqlite"))
    csu = create_csu(db, "Medicine")
    area = create_area(db, csu.id, "Ward 12")
    walk = start_walk(db, area.id, started_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    motion = next(c for c in list_categories(db) if c.code == "motion")
    first = add_observation(db, walk.id, ObservationInput(motion.id, "Walks to far store"))
    second = add_observation(db, walk.id, ObservationInput(motion.id, "Hunts for the key"))
    rate = add_staff_rate(
        db,
        StaffRateInput(
            code="ward-nurse",
            staff_group="Ward nurse",
            cost_per_hour_pence=5300,
            source="s",
            year="2025",
        ),
    )
    yield Walked(db, walk, first, second, rate.id)
    db.close()


def price_worked_example(qtbot, dialog: EstimateDialog, rate_id) -> None:
    form = dialog.form
    form.minutes_edit.setText("6")
    form.occurrences_edit.setText("5")
    form.select_rate(rate_id)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_e_on_the_walks_list_prices_the_selected_observation_and_the_list_shows_it(
    qtbot, walked: Walked
) -> None:
    capture = CapturePage(walked.db)
    qtbot.addWidget(capture)
    capture.resize(1366, 700)
    capture.show()
    capture.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is capture)
    capture.open_walk(walked.walk.id)
    panel = capture.observations
    assert panel.list.count() == 2
    assert not panel.estimate_button.isEnabled(), "nothing selected yet"
    panel.list.setCurrentRow(1)  # newest first: row 1 is the first observation
    assert panel.selected_id() == walked.first.id
    assert panel.estimate_button.isEnabled()
    assert "a year" not in panel.list.item(1).text()

    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_E)
    dialog = panel.estimate_dialog
    assert isinstance(dialog, EstimateDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Cost of this waste"
    assert "Walks to far store" in dialog.subject_label.text()
    price_worked_example(qtbot, dialog, walked.rate_id)

    info = get_observation_estimate(walked.db, walked.first.id)
    assert info is not None
    assert info.annual_value_pence == 967_250
    assert get_observation_estimate(walked.db, walked.second.id) is None
    assert "£9,672.50 a year" in panel.list.item(1).text()
    assert "a year" not in panel.list.item(0).text()
    assert panel.selected_id() == walked.first.id

    # The button and the context menu do the same, and the dialog now offers "Remove".
    assert [a.text() for a in panel.list.actions()] == ["Cost es&timate…"]
    qtbot.mouseClick(panel.estimate_button, Qt.MouseButton.LeftButton)
    again = panel.estimate_dialog
    assert isinstance(again, EstimateDialog)
    assert again is not dialog
    assert again.form.minutes_edit.text() == "6"
    again.confirm = lambda *_args: True
    with qtbot.waitSignal(again.removed):
        qtbot.mouseClick(again.remove_button, Qt.MouseButton.LeftButton)
    assert get_observation_estimate(walked.db, walked.first.id) is None
    assert "a year" not in panel.list.item(1).text()


def test_e_in_the_observations_browser_prices_the_selected_row(qtbot, walked: Walked) -> None:
    section = ObservationsSection(walked.db, Scope())
    qtbot.addWidget(section)
    section.resize(1366, 700)
    section.show()
    section.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is section)
    section.activated()
    assert section.model.total == 2
    assert not section.estimate_button.isEnabled()
    section.table.selectRow(0)  # newest first: the second observation
    assert section.estimate_button.isEnabled()
    assert section.priced_label.text() == "Not priced yet"
    section.table.setFocus()
    qtbot.keyClick(section.table, Qt.Key.Key_E)
    dialog = section.estimate_dialog
    assert isinstance(dialog, EstimateDialog)
    assert "Hunts for the key" in dialog.subject_label.text()
    price_worked_example(qtbot, dialog, walked.rate_id)
    info = get_observation_estimate(walked.db, walked.second.id)
    assert info is not None
    assert info.annual_value_pence == 967_250
    assert get_observation_estimate(walked.db, walked.first.id) is None
    qtbot.waitUntil(lambda: section.priced_label.text() == "Priced: £9,672.50 a year")
