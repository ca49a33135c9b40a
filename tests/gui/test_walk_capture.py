"""A whole waste walk driven from the keyboard, and what the database holds afterwards."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wastewalk.services.observations import list_observations
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.photos import list_photos
from wastewalk.services.walk_list import list_walks_in_scope
from wastewalk.services.walks import get_walk
from wastewalk.store.database import Database, open_database
from wastewalk.ui.main_window import MainWindow
from wastewalk.ui.walks.nhs_warning import IdentifierChoice, NhsNumberWarning


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(str(tmp_path / "ward.sqlite"))
    csu = create_csu(database, "Medicine")
    create_area(database, csu.id, "Ward 12 – Acute Medicine")
    create_area(database, csu.id, "Ward 14 – Respiratory")
    yield database
    database.close()


@pytest.fixture
def window(qtbot, db: Database) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    win.nav.setCurrentRow(0)
    return win


def jpeg(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def type_text(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def start_walk_by_keyboard(qtbot, window: MainWindow) -> None:
    section = window.walks
    section.activated()
    assert section.list_page.table.hasFocus()
    qtbot.keyClick(section.list_page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = section.start_dialog
    assert dialog is not None
    assert dialog.isVisible()
    qtbot.waitActive(dialog)
    qtbot.keyClicks(dialog.areas.search, "resp")
    qtbot.keyClick(dialog.areas.search, Qt.Key.Key_Down)
    assert dialog.area_id() is not None
    # Tab runs from the focus to the first person's name and role, then "Add person".
    assert dialog.focus.nextInFocusChain() is dialog.rows[0].name
    assert dialog.rows[0].role.nextInFocusChain() is dialog.add_person_button
    type_text(qtbot, dialog.focus, "Discharge before noon")
    type_text(qtbot, dialog.rows[0].name, "Sister A. Okafor")
    qtbot.keyClick(dialog.focus, Qt.Key.Key_Return)
    assert dialog.problem.text() == ""
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.capture)


def test_a_whole_walk_from_the_keyboard(qtbot, window: MainWindow, db: Database, tmp_path):
    start_walk_by_keyboard(qtbot, window)
    capture = window.walks.capture
    walk = capture.walk
    assert walk is not None
    assert walk.area_name == "Ward 14 – Respiratory"
    assert walk.participants[0].name == "Sister A. Okafor"

    entries = [
        ("4", "TTOs not back from pharmacy at 14:30", "nurses' station"),
        ("3", "Walked to Ward 16 twice for a bladder scanner", "corridor"),
        ("2", "Three boxes of expired cannulas", "clean utility"),
        ("7", "Drug chart missing for bay 2 patient", ""),
        ("1", "Notes carried to x-ray and back by hand", ""),
    ]
    for number, (key, description, where) in enumerate(entries):
        focused = QApplication.focusWidget()
        qtbot.keyClick(focused, key)  # picks the waste and moves to "What was seen"
        assert capture.form.description.hasFocus()
        qtbot.keyClicks(capture.form.description, description)
        if where:
            qtbot.keyClick(capture.form.description, Qt.Key.Key_Tab)
            qtbot.keyClicks(capture.form.location, where)
        if number == 2:
            capture.add_photos([jpeg(tmp_path / "cannulas.jpg")])
        with qtbot.waitSignal(capture.saved):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert capture.form.description.toPlainText() == ""
        # The newest is at the top of this walk's list.
        assert description[:30] in capture.observations.list.item(0).text()

    # One undo, from wherever the focus is after saving: the last observation goes.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert capture.observations.list.count() == 4
    shown = [capture.observations.list.item(i).text() for i in range(4)]

    finish = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, finish)
    dialog = capture.summary_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    with qtbot.waitSignal(capture.closed):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    saved = list_observations(db, walk.id)
    assert [o.description for o in saved] == [d for _k, d, _w in reversed(entries[:4])]
    assert [o.category_code for o in saved] == ["defects", "inventory", "motion", "waiting"]
    assert {o.location for o in saved} == {"nurses' station", "corridor", "clean utility", ""}
    for info, text in zip(saved, shown, strict=True):
        assert info.description[:30] in text
        assert info.category_label in text
    cannulas = next(o for o in saved if o.category_code == "inventory")
    assert [p.filename for p in list_photos(db, cannulas.id)] == ["cannulas.jpg"]
    assert "1 photo" in shown[1]
    assert get_walk(db, walk.id).status == "complete"
    # The deleted one is still in the file (soft delete), just not shown.
    assert len(list_observations(db, walk.id, include_deleted=True)) == 5
    assert list_walks_in_scope(db)[0].observations == 4


def test_nhs_number_warning_redacts_or_keeps(qtbot, window: MainWindow, db: Database, monkeypatch):
    start_walk_by_keyboard(qtbot, window)
    capture = window.walks.capture
    choices = iter([IdentifierChoice.REDACT, IdentifierChoice.KEEP, IdentifierChoice.GO_BACK])
    seen: list[list[str]] = []

    def answer(dialog: NhsNumberWarning) -> int:
        seen.append(dialog.findChild(type(capture.status)).text())
        dialog.choice = next(choices)
        return 1

    monkeypatch.setattr(NhsNumberWarning, "exec", answer)
    for _ in range(3):
        capture.pick_key("4")
        qtbot.keyClicks(capture.form.description, "Pt 943 476 5919 waited for TTOs")
        qtbot.keyClick(capture.form.description, Qt.Key.Key_Return)
    assert all("943 476 5919" in text for text in seen)
    saved = list_observations(db, capture.walk.id)
    assert [o.description for o in saved] == [
        "Pt 943 476 5919 waited for TTOs",
        "Pt [NHS number removed] waited for TTOs",
    ]
    assert saved[0].identifier_confirmed
    assert not saved[0].needs_identifier_review
    assert not saved[1].suspected_identifier
    # "Go back" saved nothing and kept the text for the person to change.
    assert capture.form.description.toPlainText() == "Pt 943 476 5919 waited for TTOs"


def test_a_refused_image_is_explained_and_nothing_is_attached(
    qtbot, window: MainWindow, db: Database, tmp_path: Path
):
    start_walk_by_keyboard(qtbot, window)
    capture = window.walks.capture
    gif = tmp_path / "scan.gif"
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"not really a jpeg")
    capture.add_photos([gif, fake])
    assert capture.pending_photos == []
    assert "scan.gif" in capture.status.text()
    assert "photo.jpg" in capture.status.text()
    capture.pick_key("4")
    qtbot.keyClicks(capture.form.description, "Waiting for porter")
    qtbot.keyClick(capture.form.description, Qt.Key.Key_Return)
    (saved,) = list_observations(db, capture.walk.id)
    assert list_photos(db, saved.id) == []


def test_edit_copy_delete_with_undo_and_redo(qtbot, window: MainWindow, db: Database):
    start_walk_by_keyboard(qtbot, window)
    capture = window.walks.capture
    capture.pick_key("4")
    qtbot.keyClicks(capture.form.description, "Bed waiting for cleaning")
    capture.form.impact.buttons[3].click()
    qtbot.keyClick(capture.form.description, Qt.Key.Key_Return)
    (first,) = list_observations(db, capture.walk.id)

    capture.start_edit(first.id)
    capture.form.description.setPlainText("Bed 4 waiting 2 h for cleaning")
    qtbot.keyClick(capture.form.description, Qt.Key.Key_Return)
    assert list_observations(db, capture.walk.id)[0].description == "Bed 4 waiting 2 h for cleaning"

    capture.copy_observation(first.id)
    assert capture.form.description.toPlainText() == "Bed 4 waiting 2 h for cleaning"
    assert capture.form.impact.value() == 3
    capture.form.description.setPlainText("Bed 6 waiting for cleaning")
    qtbot.keyClick(capture.form.description, Qt.Key.Key_Return)
    assert len(list_observations(db, capture.walk.id)) == 2

    capture.delete_observation(first.id)
    assert len(list_observations(db, capture.walk.id)) == 1
    capture.undo_stack.undo()  # the delete
    assert len(list_observations(db, capture.walk.id)) == 2
    capture.undo_stack.undo()  # the copy's add
    capture.undo_stack.undo()  # the edit
    assert [o.description for o in list_observations(db, capture.walk.id)] == [
        "Bed waiting for cleaning"
    ]
    capture.undo_stack.redo()
    capture.undo_stack.redo()
    descriptions = {o.description for o in list_observations(db, capture.walk.id)}
    assert descriptions == {"Bed 4 waiting 2 h for cleaning", "Bed 6 waiting for cleaning"}


def test_save_without_a_waste_or_text_says_what_is_missing(qtbot, window: MainWindow, db):
    start_walk_by_keyboard(qtbot, window)
    capture = window.walks.capture
    capture.save()
    assert "Pick a waste" in capture.status.text()
    capture.pick_key("4")
    capture.save()
    assert "what was seen" in capture.status.text()
    assert list_observations(db, capture.walk.id) == []
