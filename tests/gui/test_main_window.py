"""The main window: which database is open, the sections, and the shared CSU/area filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.walks import start_walk
from wastewalk.store.database import Database, open_database
from wastewalk.ui.main_window import MainWindow


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(str(tmp_path / "ward.sqlite"))
    medicine = create_csu(database, "Medicine")
    surgery = create_csu(database, "Surgery")
    ward12 = create_area(database, medicine.id, "Ward 12 – Acute Medicine")
    ward22 = create_area(database, surgery.id, "Ward 22 – General Surgery")
    start_walk(database, ward12.id, focus="discharge before noon")
    start_walk(database, ward22.id, focus="stock room")
    yield database
    database.close()


def make_window(qtbot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_title_names_the_database_and_only_working_sections_show(qtbot, db: Database) -> None:
    window = make_window(qtbot, db)
    assert str(db.path) in window.windowTitle()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [
        "Walks",
        "Observations",
        "Time studies",
        "Activity follow",
        "Savings",
        "Reports",
        "Organisation & settings",
    ]
    assert not window.warning_label.isVisible()


def test_ctrl_number_switches_section(qtbot, db: Database) -> None:
    window = make_window(qtbot, db)
    window.nav.setCurrentRow(0)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() is window.observations
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() is window.time_studies
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() is window.activity
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() is window.savings
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() is window.reports
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() is window.settings


def test_the_scope_filter_narrows_the_walks_and_is_remembered(qtbot, db: Database) -> None:
    window = make_window(qtbot, db)
    window.nav.setCurrentRow(0)
    assert window.walks.list_page.table.rowCount() == 2
    combo = window.scope_filter.combo
    combo.setCurrentIndex(combo.findText("Surgery"))
    assert window.walks.list_page.table.rowCount() == 1
    assert window.walks.list_page.table.item(0, 1).text() == "Surgery"
    window.close()

    again = make_window(qtbot, db)
    assert again.scope_filter.combo.currentText() == "Surgery"
    assert again.walks.list_page.table.rowCount() == 1


def test_the_window_reopens_on_the_section_last_shown(qtbot, db: Database) -> None:
    window = make_window(qtbot, db)
    window.nav.setCurrentRow(window.sections.index(window.settings))
    window.close()
    # Remembered by its title, so adding a section before it cannot move the person elsewhere.
    assert QSettings().value("main_window/section_title") == "Organisation & settings"
    again = make_window(qtbot, db)
    assert again.current_section() is again.settings


def test_risky_location_warning_is_shown(qtbot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "OneDrive - NHS" / "ward.sqlite"))
    try:
        window = make_window(qtbot, database)
        assert window.warning_label.isVisible()
        assert "cloud-synced" in window.warning_label.text()
    finally:
        database.close()
