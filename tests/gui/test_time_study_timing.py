"""A time study timed through the window from the keyboard, with a stepped clock, checked against
what the database holds; and a reopened study carrying on where it stopped."""

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
    Position,
    StudyInfo,
    StudyInput,
    create_study,
    get_study,
    list_readings,
)
from wastewalk.store.database import Database, open_database
from wastewalk.ui.scope import Scope
from wastewalk.ui.timestudy.section import TimeStudiesSection

NS = 1_000_000_000


class SteppedClock:
    """A monotonic clock that moves only when the test says so (integer nanoseconds)."""

    def __init__(self) -> None:
        self.now = 5_000 * NS

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += round(seconds * NS)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "x.sqlite"))
    yield database
    database.close()


@pytest.fixture
def ward(db: Database) -> AreaInfo:
    csu = create_csu(db, "Medicine")
    return create_area(db, csu.id, "Ward 12 – Acute Medicine")


@pytest.fixture
def study(db: Database, ward: AreaInfo) -> StudyInfo:
    return create_study(
        db,
        StudyInput(
            name="Drug round, bay 2",
            area_id=ward.id,
            study_date=dt.date(2026, 11, 24),
            elements=(
                ElementInput("Check wristband"),
                ElementInput("Prepare medicines"),
                ElementInput("Record on chart", value_class="nnva"),
            ),
        ),
    )


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def section(qtbot, db: Database, clock: SteppedClock, study: StudyInfo) -> TimeStudiesSection:
    widget = TimeStudiesSection(db, Scope(), clock=clock)
    qtbot.addWidget(widget)
    widget.resize(1150, 680)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    widget.activated()
    return widget


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the person's focus is, as the keyboard would deliver it."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def lap_after(qtbot, clock: SteppedClock, seconds: float) -> None:
    clock.advance(seconds)
    press(qtbot, Qt.Key.Key_Space)


def open_from_list(qtbot, section: TimeStudiesSection) -> None:
    assert section.list_page.table.hasFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.timing)


def cells(db: Database, study: StudyInfo) -> list[tuple[int, int, float | None, str, str]]:
    return [
        (r.cycle, r.element_order, r.seconds, r.state, r.exclude_reason)
        for r in sorted(list_readings(db, study.id), key=lambda r: (r.cycle, r.element_order))
    ]


def test_a_study_timed_from_the_keyboard_is_saved_lap_by_lap(
    qtbot, section: TimeStudiesSection, db: Database, study: StudyInfo, clock: SteppedClock
) -> None:
    open_from_list(qtbot, section)
    screen = section.timing
    panel = screen.panel
    assert panel.lap_button.text().startswith("Start")
    assert panel.position.text() == "Cycle 1  ·  Element 1 of 3"

    press(qtbot, Qt.Key.Key_Space)  # the first Space starts the clock: no reading
    assert list_readings(db, study.id) == []
    assert panel.lap_button.text().startswith("Lap")
    lap_after(qtbot, clock, 5)
    lap_after(qtbot, clock, 12.5)
    assert panel.element.text() == "3. Record on chart"
    lap_after(qtbot, clock, 3.25)  # the last element: cycle 2 starts
    assert panel.position.text() == "Cycle 2  ·  Element 1 of 3"
    lap_after(qtbot, clock, 6)
    # A lap pressed too early: Backspace takes it back and its 2 s go back on the clock.
    lap_after(qtbot, clock, 2)
    assert len(list_readings(db, study.id)) == 5
    press(qtbot, Qt.Key.Key_Backspace)
    assert len(list_readings(db, study.id)) == 4
    assert panel.position.text() == "Cycle 2  ·  Element 2 of 3"
    qtbot.waitUntil(lambda: panel.clock.text() == "0:02.0")  # repainted from the timer
    lap_after(qtbot, clock, 9)  # 2 + 9 s

    # A pause: the 100 s away from the process belong to no element.
    clock.advance(1.5)
    press(qtbot, Qt.Key.Key_P)
    assert panel.lap_button.text() == "Paused"
    clock.advance(100)
    qtbot.waitUntil(lambda: panel.clock.text() == "0:01.5")
    press(qtbot, Qt.Key.Key_Space)  # refused while paused
    assert "press P" in screen.status.text()
    press(qtbot, Qt.Key.Key_P)
    lap_after(qtbot, clock, 2.5)  # 1.5 + 2.5 s

    # Cycle 3: the second element is not performed; its time runs on into the third.
    lap_after(qtbot, clock, 5.5)
    clock.advance(3)
    press(qtbot, Qt.Key.Key_N)
    lap_after(qtbot, clock, 7)  # 3 + 7 s
    assert screen.position == Position(4, 1)

    # Exclude cycle 1's second reading, picked in the sheet; a reason is required.
    screen.grid.setFocus()
    screen.grid.setCurrentIndex(screen.model.cell_index(2, 1))
    press(qtbot, Qt.Key.Key_X)
    dialog = screen.exclude_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog.reason.lineEdit(), Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "reason is required" in dialog.problem.text()
    qtbot.keyClicks(dialog.reason.lineEdit(), "Phone call in the middle")
    qtbot.keyClick(dialog.reason.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.exclude_dialog is None)

    assert cells(db, study) == [
        (1, 1, 5.0, "valid", ""),
        (1, 2, 12.5, "excluded", "Phone call in the middle"),
        (1, 3, 3.25, "valid", ""),
        (2, 1, 6.0, "valid", ""),
        (2, 2, 11.0, "valid", ""),
        (2, 3, 4.0, "valid", ""),
        (3, 1, 5.5, "valid", ""),
        (3, 2, None, "not_performed", ""),
        (3, 3, 10.0, "valid", ""),
    ]
    # The sheet shows what was saved: an excluded reading stays, struck through; NP, never 0.
    model = screen.model
    excluded = model.cell_index(2, 1)
    assert excluded.data() == "12.5"
    assert excluded.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert "Phone call in the middle" in excluded.data(Qt.ItemDataRole.ToolTipRole)
    assert model.cell_index(2, 3).data() == "NP"
    # The summary follows: cycles 2 and 3 are complete (cycle 1 has an exclusion).
    assert (
        screen.summary.values["cycles"].text().startswith("2: mean 18.3 s, min 15.5 s, max 21.0 s")
    )

    # Leaving while an element is being timed asks first; that element is not saved.
    clock.advance(4)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is section)
    screen.header.back_button.click()
    box = screen.leave_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.list_page)
    assert section.list_page.table.item(0, 4).text() == "9"
    assert section.list_page.table.item(0, 5).text() == "3"

    # Reopened, the study carries on at the next cell with the clock from zero.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is section)
    open_from_list(qtbot, section)
    assert screen.position == Position(4, 1)
    assert panel.clock.text() == "0:00.0"
    assert "Carrying on at cycle 4, element 1" in screen.note.text()
    assert "not saved" in screen.note.text()
    press(qtbot, Qt.Key.Key_Space)
    lap_after(qtbot, clock, 8)
    assert cells(db, study)[-1] == (4, 1, 8.0, "valid", "")

    finish = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, Qt.Key.Key_F, finish)
    assert get_study(db, study.id).finished_at is not None
    assert panel.lap_button.text() == "Finished"
    press(qtbot, Qt.Key.Key_Space)  # no lap on a finished study
    assert len(list_readings(db, study.id)) == 10


def test_undo_and_redo_of_laps_and_exclusions(
    qtbot, section: TimeStudiesSection, db: Database, study: StudyInfo, clock: SteppedClock
) -> None:
    open_from_list(qtbot, section)
    screen = section.timing
    press(qtbot, Qt.Key.Key_Space)
    lap_after(qtbot, clock, 4)
    lap_after(qtbot, clock, 30)
    clock.advance(1)
    control = Qt.KeyboardModifier.ControlModifier
    press(qtbot, Qt.Key.Key_Z, control)  # undo: 30 s back to the element being timed
    assert cells(db, study) == [(1, 1, 4.0, "valid", "")]
    assert screen.timer.element_seconds() == 31
    press(qtbot, Qt.Key.Key_Z, control | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert cells(db, study) == [(1, 1, 4.0, "valid", ""), (1, 2, 30.0, "valid", "")]
    assert screen.timer.element_seconds() == 1
    assert screen.position == Position(1, 3)

    # Exclude the lap just taken (it is the selected cell), then undo and redo the exclusion.
    assert screen.selected_reading() is not None
    assert screen.selected_reading().cycle == 1
    press(qtbot, Qt.Key.Key_X)
    dialog = screen.exclude_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.reason.lineEdit(), "Lap pressed late")
    qtbot.keyClick(dialog.reason.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.exclude_dialog is None)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is section)
    assert cells(db, study)[1][3] == "excluded"
    press(qtbot, Qt.Key.Key_Backspace)
    assert cells(db, study)[1][3:] == ("valid", "")
    press(qtbot, Qt.Key.Key_Z, control | Qt.KeyboardModifier.ShiftModifier)
    assert cells(db, study)[1][3:] == ("excluded", "Lap pressed late")
    # I counts it again.
    press(qtbot, Qt.Key.Key_I)
    assert cells(db, study)[1][3:] == ("valid", "")
    # Undo down to nothing, then one more: said plainly, nothing breaks.
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Backspace)
    assert cells(db, study) == []
    press(qtbot, Qt.Key.Key_Backspace)
    assert "Nothing to undo" in screen.status.text()
    assert screen.timer.element_seconds() == 35  # every undone lap's time is back on the clock
