"""Setting up a time study from the list: the dialog creates it, refuses what the services refuse
(and then creates nothing), edits a set-up, and deletes a study after asking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from wastewalk.services.organisation import AreaInfo, create_area, create_csu
from wastewalk.services.time_studies import (
    ElementInput,
    StudyInput,
    create_study,
    get_study,
    list_studies,
)
from wastewalk.services.time_study_readings import record_reading
from wastewalk.store.database import Database, open_database
from wastewalk.ui.scope import Scope
from wastewalk.ui.timestudy.section import TimeStudiesSection
from wastewalk.ui.timestudy.setup_dialog import StudySetupDialog


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "x.sqlite"))
    yield database
    database.close()


@pytest.fixture
def areas(db: Database) -> tuple[AreaInfo, AreaInfo]:
    medicine = create_csu(db, "Medicine")
    surgery = create_csu(db, "Surgery")
    return (
        create_area(db, medicine.id, "Ward 12 – Acute Medicine"),
        create_area(db, surgery.id, "Ward 22 – General Surgery"),
    )


def make_section(qtbot, db: Database, scope: Scope) -> TimeStudiesSection:
    section = TimeStudiesSection(db, scope)
    qtbot.addWidget(section)
    section.resize(1150, 680)
    section.show()
    section.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is section)
    section.activated()
    return section


def open_new_dialog(qtbot, section: TimeStudiesSection) -> StudySetupDialog:
    assert section.list_page.table.hasFocus()
    qtbot.keyClick(section.list_page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = section.setup_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_the_set_up_dialog_creates_a_study_and_opens_it_for_timing(
    qtbot, db: Database, areas: tuple[AreaInfo, AreaInfo]
) -> None:
    _, ward22 = areas
    section = make_section(qtbot, db, Scope(csu_id=ward22.csu_id, area_id=ward22.id))
    dialog = open_new_dialog(qtbot, section)
    # Only areas in the shared scope are offered, and the scope's area is chosen.
    assert dialog.area.count() == 1
    assert dialog.area.currentText().startswith("Ward 22")
    qtbot.waitUntil(dialog.name.hasFocus)
    qtbot.keyClicks(dialog.name, "Theatre turnaround, list 2")
    qtbot.keyClicks(dialog.observer, "Sam Patel")
    for row, name in zip(dialog.rows, ("Clean", "Fetch trays", "Set up"), strict=True):
        qtbot.keyClicks(row.name, name)
    dialog.rows[1].value_class.setCurrentIndex(dialog.rows[1].value_class.findData("waste"))
    dialog.rows[1].waste.setCurrentIndex(dialog.rows[1].waste.findData("motion"))
    dialog.rows[2].rating.setValue(110)
    # Move "Set up" before "Fetch trays"; add a fourth element; a blank last row is ignored.
    dialog.table.setCurrentCell(2, 0)
    dialog.up_button.click()
    dialog.add_element().name.setText("Count instruments")
    dialog.add_element()
    dialog.allowance.setValue(15)
    dialog.basis.setCurrentIndex(dialog.basis.findData("workday"))
    dialog.available.setValue(480)
    dialog.demand.setValue(12)

    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.timing)
    assert dialog.problem.text() == ""
    (study,) = list_studies(db)
    assert study.name == "Theatre turnaround, list 2"
    assert study.area_id == ward22.id
    assert study.observer == "Sam Patel"
    assert study.study_date == dt.date.today()
    assert [(e.name, e.value_class, e.rating_pct, e.waste_label) for e in study.elements] == [
        ("Clean", "va", 100, None),
        ("Set up", "va", 110, None),
        ("Fetch trays", "waste", 100, "Motion"),
        ("Count instruments", "va", 100, None),
    ]
    assert study.settings.allowance_pct == 15
    assert study.settings.allowance_basis == "workday"
    assert (study.settings.available_minutes, study.settings.demand) == (480, 12)
    assert section.timing.study is not None
    assert section.timing.study.id == study.id
    assert section.timing.panel.position.text() == "Cycle 1  ·  Element 1 of 4"


def test_a_refused_set_up_says_why_and_creates_nothing(
    qtbot, db: Database, areas: tuple[AreaInfo, AreaInfo]
) -> None:
    section = make_section(qtbot, db, Scope())
    dialog = open_new_dialog(qtbot, section)
    assert dialog.area.count() == 2  # the whole trust
    qtbot.keyClicks(dialog.name, "Discharge letters")
    dialog.rows[0].name.setText("Open template")
    dialog.rows[2].name.setText("Print")  # the middle row left empty
    dialog.allowance.setValue(100)
    dialog.basis.setCurrentIndex(dialog.basis.findData("workday"))
    dialog.demand.setValue(30)  # demand without available time
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    problems = dialog.problem.text()
    assert "under the workday basis it must be below 100 %" in problems
    assert "Element 2 name" in problems
    assert "both the available time and the demand" in problems
    assert dialog.isVisible()
    assert list_studies(db) == []
    # Put right, the same dialog saves.
    dialog.allowance.setValue(12.5)
    dialog.demand.setValue(0)
    dialog.rows[1].name.setText("Check medicines")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.timing)
    (study,) = list_studies(db)
    assert [e.name for e in study.elements] == ["Open template", "Check medicines", "Print"]
    assert study.settings.allowance_pct == 12.5
    assert study.settings.demand is None


def test_edit_set_up_of_a_study_with_readings_keeps_elements_in_place(
    qtbot, db: Database, areas: tuple[AreaInfo, AreaInfo]
) -> None:
    ward12, _ = areas
    study = create_study(
        db,
        StudyInput(
            "Bed making",
            ward12.id,
            dt.date(2026, 11, 3),
            (ElementInput("Strip"), ElementInput("Make")),
        ),
    )
    record_reading(db, study.id, study.elements[0].id, 1, 50.0)
    section = make_section(qtbot, db, Scope())
    section.list_page.edit_button.click()
    dialog = section.setup_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.name.text() == "Bed making"
    dialog.table.setCurrentCell(0, 0)
    assert not dialog.down_button.isEnabled()  # readings belong to elements by place
    assert not dialog.remove_button.isEnabled()
    dialog.rows[1].name.setText("Make the bed")
    dialog.add_element().name.setText("Tidy")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: section.setup_dialog is None)
    again = get_study(db, study.id)
    assert [e.name for e in again.elements] == ["Strip", "Make the bed", "Tidy"]
    assert "saved" in section.list_page.message.text()


def test_delete_asks_first_and_deletes_softly(
    qtbot, db: Database, areas: tuple[AreaInfo, AreaInfo]
) -> None:
    ward12, _ = areas
    create_study(
        db, StudyInput("Bed making", ward12.id, dt.date(2026, 11, 3), (ElementInput("Make"),))
    )
    section = make_section(qtbot, db, Scope())
    assert section.list_page.table.rowCount() == 1
    for answer, left in ((QMessageBox.StandardButton.No, 1), (QMessageBox.StandardButton.Yes, 0)):
        qtbot.waitUntil(lambda: QApplication.activeWindow() is section)
        section.list_page.table.setFocus()
        qtbot.keyClick(section.list_page.table, Qt.Key.Key_Delete)
        box = section.delete_box
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        assert "Bed making" in box.text()
        box.button(answer).click()
        qtbot.waitUntil(lambda: section.delete_box is None)
        assert len(list_studies(db)) == left
        assert section.list_page.table.rowCount() == left
    assert "Deleted" in section.list_page.message.text()
