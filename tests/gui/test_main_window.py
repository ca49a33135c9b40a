"""The first window: shows which database is open and what the trust holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.walks import ParticipantInput, start_walk
from wastewalk.services.wastes import category_codes
from wastewalk.store.database import Database, open_database
from wastewalk.ui import app
from wastewalk.ui.main_window import MainWindow


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(str(tmp_path / "ward.sqlite"))
    yield database
    database.close()


def test_window_shows_database_and_counts(qtbot, db: Database) -> None:
    csu = create_csu(db, "Medicine")
    ward = create_area(db, csu.id, "Ward 12 – Acute Medicine")
    create_area(db, csu.id, "Discharge Lounge", kind="department", operating_days_per_year=253)
    walk = start_walk(
        db,
        ward.id,
        focus="discharge before noon",
        participants=[ParticipantInput("Sister A. Okafor")],
    )
    codes = category_codes(db)
    for text in ("TTOs late from pharmacy", "Walked to Ward 14 for a bladder scanner"):
        add_observation(db, walk.id, ObservationInput(codes["waiting"], text))

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()

    assert str(db.path) in window.windowTitle()
    assert window.totals.text() == "1 CSUs · 2 areas · 1 walks · 2 observations"
    csu_item = window.tree.topLevelItem(0)
    assert csu_item.text(0) == "Medicine"
    wards = {csu_item.child(i).text(0): csu_item.child(i) for i in range(csu_item.childCount())}
    assert wards["Ward 12 – Acute Medicine"].text(4) == "2"
    assert wards["Discharge Lounge"].text(2) == "253"
    assert not window.warning_label.isVisible()


def test_empty_database_says_what_to_do(qtbot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert "import areas" in window.tree.topLevelItem(0).text(0)


def test_too_new_database_is_explained_not_opened(qtbot, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    shown: list[str] = []

    def record(_parent, _title, text, *_args):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    # The dialog is modal; record what it would say instead of blocking the test.
    monkeypatch.setattr(QMessageBox, "critical", record)
    assert app.open_or_explain(str(path)) is None
    assert "newer version of WasteWalk" in shown[0]
