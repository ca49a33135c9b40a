"""The activity categories editor and the list of follows: relabel, keys, add, archive, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from wastewalk.services.activity_categories import list_activity_categories
from wastewalk.services.activity_follows import list_follows, start_follow
from wastewalk.services.organisation import create_area, create_csu, list_areas
from wastewalk.store.database import Database, open_database
from wastewalk.ui.activity.section import ActivitySection
from wastewalk.ui.scope import Scope


class StillClock:
    def __call__(self) -> int:
        return 1_000_000_000


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(str(tmp_path / "ward.sqlite"))
    csu = create_csu(database, "Surgery")
    ward = create_area(database, csu.id, "Ward 30")
    other = create_csu(database, "Women's")
    create_area(database, other.id, "Labour ward")
    start_follow(database, ward.id, staff_role="Staff nurse")
    yield database
    database.close()


@pytest.fixture
def section(qtbot, db: Database) -> ActivitySection:
    widget = ActivitySection(db, Scope(), clock=StillClock())
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    widget.show()
    qtbot.waitUntil(widget.isVisible)
    widget.activated()
    return widget


def test_relabel_a_default_refuse_a_taken_key_add_and_archive(
    qtbot, section: ActivitySection, db: Database
) -> None:
    qtbot.mouseClick(section.list_page.categories_button, Qt.MouseButton.LeftButton)
    dialog = section.categories_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.table.rowCount() == 10
    assert dialog.label.text() == "Direct care"

    dialog.label.setText("Patient care")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "Saved."
    assert dialog.table.item(0, 1).text() == "Patient care"

    dialog.key.setText("4")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == "The key 4 is already used by 'Documentation'"
    assert list_activity_categories(db)[0].key == "1"

    dialog.label.setText("Phone calls")
    dialog.key.setText("p")
    dialog.direct.setChecked(False)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(10, 1).text() == "Phone calls"
    assert dialog.table.item(10, 0).text() == "P"
    assert dialog.selected() is not None
    assert dialog.selected().label == "Phone calls"

    dialog.table.selectRow(7)  # Supervision
    assert dialog.archive_button.text() == "Arc&hive"
    qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(7, 4).text() == "Archived"
    assert dialog.archive_button.text() == "Bring &back"
    dialog.reject()

    # The follow screen shows the categories as they now are, and the new key works.
    section.open_follow(list_follows(db)[0].id)
    screen = section.screen
    labels = [c.label for c in screen.buttons.categories]
    assert labels[0] == "Patient care"
    assert "Supervision" not in labels
    assert labels[-1] == "Phone calls"
    section.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen)
    qtbot.keyClick(screen, Qt.Key.Key_P)
    assert screen.now_label.text() == "Phone calls"
    qtbot.keyClick(screen, Qt.Key.Key_8)  # Supervision's key went with it
    assert screen.now_label.text() == "Phone calls"


def test_the_list_follows_the_scope_and_a_follow_can_be_deleted(
    qtbot, section: ActivitySection, db: Database, monkeypatch
) -> None:
    table = section.list_page.table
    assert table.rowCount() == 1
    assert table.item(0, 6).text() == "In progress"
    labour = next(a for a in list_areas(db) if a.name == "Labour ward")
    section.set_scope(Scope(csu_id=labour.csu_id, area_id=labour.id))
    assert table.rowCount() == 0
    assert section.list_page.count.text() == "0 follows"
    section.set_scope(Scope())

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: next(answers))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert table.rowCount() == 1
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert table.rowCount() == 0
    assert list_follows(db) == []
