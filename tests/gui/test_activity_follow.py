"""Activity follows done from the keyboard with a fake monotonic clock, checked in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wastewalk.services.activity_follows import (
    get_follow,
    list_follows,
    list_interruptions,
    list_segments,
)
from wastewalk.services.observations import get_observation, list_observations
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.store.database import Database, open_database
from wastewalk.ui.activity.section import ActivitySection
from wastewalk.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class FakeClock:
    """A monotonic clock in nanoseconds that moves only when told."""

    def __init__(self) -> None:
        self.ns = 5_000_000_000_000  # an arbitrary uptime: offsets must not depend on it

    def __call__(self) -> int:
        return self.ns

    def advance(self, seconds: float) -> None:
        self.ns += round(seconds * 1_000_000_000)


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(str(tmp_path / "ward.sqlite"))
    csu = create_csu(database, "Medicine")
    create_area(database, csu.id, "Ward 12 – Acute Medicine")
    create_area(database, csu.id, "Ward 14 – Respiratory")
    yield database
    database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot, db: Database, clock: FakeClock) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.activity.set_clock(clock)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(win, Qt.Key.Key_4, CTRL)
    assert win.current_section() is win.activity
    return win


def press(qtbot, key: str | Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press wherever the focus is, as the observer's hand would."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def start_by_keyboard(qtbot, section: ActivitySection, role: str, sampling: bool = False) -> None:
    assert section.list_page.table.hasFocus()
    qtbot.keyClick(section.list_page.table, Qt.Key.Key_N, CTRL)
    dialog = section.new_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClicks(dialog.areas.search, "resp")
    qtbot.keyClick(dialog.areas.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.areas.tree, Qt.Key.Key_Tab)
    assert dialog.role.hasFocus()
    qtbot.keyClicks(dialog.role.lineEdit(), role)
    qtbot.keyClick(dialog.role, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.observer, "Quality Partner")
    if sampling:
        qtbot.keyClick(dialog.observer, Qt.Key.Key_Tab)
        qtbot.keyClick(dialog.mode, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.mode, Qt.Key.Key_Tab)
        assert dialog.interval.isEnabled()
        dialog.interval.selectAll()
        qtbot.keyClicks(dialog.interval, "30")
    qtbot.keyClick(dialog.location, Qt.Key.Key_Tab)  # nothing typed: no location
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.problem.text() == ""
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.screen)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is section.screen)


def test_a_continuous_follow_from_the_keyboard(
    qtbot, window: MainWindow, db: Database, clock: FakeClock
) -> None:
    section = window.activity
    start_by_keyboard(qtbot, section, "Staff nurse")
    screen = section.screen
    follow = screen.follow
    assert follow is not None
    assert (follow.area_name, follow.staff_role, follow.observer, follow.mode) == (
        "Ward 14 – Respiratory",
        "Staff nurse",
        "Quality Partner",
        "continuous",
    )
    assert screen.now_label.text() == "Press a key to start"

    with qtbot.waitSignal(screen.recorded):
        press(qtbot, "1")
    assert screen.now_label.text() == "Direct care"
    clock.advance(120)
    screen.tick()
    assert screen.clock_label.text() == "2:00"
    assert screen.since_label.text() == "since 0:00 · 2:00 so far"
    # The location, typed after L, is for the activity going on and those after it.
    press(qtbot, "l")
    assert screen.location_edit.hasFocus()
    qtbot.keyClicks(screen.location_edit, "Bay 3")
    qtbot.keyClick(screen.location_edit, Qt.Key.Key_Return)
    assert screen.hasFocus()
    press(qtbot, "4")
    clock.advance(80)
    press(qtbot, "i")
    assert screen.interruption_button.count_text() == "1"
    clock.advance(100)
    press(qtbot, "7")
    clock.advance(60)
    # A slip: 3 pressed and taken back at once.
    press(qtbot, "3")
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert screen.status.text() == "Taken back: Medication from 6:00."
    press(qtbot, "1")
    clock.advance(40)
    # Focus on the segments list does not stop the keys working.
    screen.table.setFocus()
    press(qtbot, "i")
    assert screen.interruption_button.count_text() == "2"
    clock.advance(200)
    screen.tick()
    assert screen.clock_label.text() == "10:00"
    assert screen.table.item(3, 3).text() == "4:00…"

    press(qtbot, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.summary)

    segments = [
        (s.category_code, s.start_s, s.end_s, s.location) for s in list_segments(db, follow.id)
    ]
    assert segments == [
        ("direct_care", 0, 120, "Bay 3"),
        ("documentation", 120, 300, "Bay 3"),
        ("transit", 300, 360, "Bay 3"),
        ("direct_care", 360, 600, "Bay 3"),
    ]
    assert [i.at_s for i in list_interruptions(db, follow.id)] == [200, 400]
    ended = get_follow(db, follow.id)
    assert (ended.ended, ended.length_s) == (True, 600)

    summary = section.summary
    assert summary.tiles["direct"].value.text() == "60 %"
    assert summary.tiles["direct"].detail.text() == "6:00 of 10:00 recorded"
    assert summary.tiles["interruptions"].value.text() == "12.0"
    assert summary.tiles["interruptions"].detail.text() == "per hour (2 in all)"
    assert summary.tiles["transit"].value.text() == "1:00"
    assert summary.tiles["waste"].value.text() == "0:00"
    rows = {
        summary.table.item(r, 0).text(): (
            summary.table.item(r, 1).text(),
            summary.table.item(r, 2).text(),
            summary.table.item(r, 3).text(),
        )
        for r in range(summary.table.rowCount())
    }
    assert rows["Direct care"] == ("6:00", "60 %", "2")
    assert rows["Documentation"] == ("3:00", "30 %", "1")
    assert rows["In transit"] == ("1:00", "10 %", "1")
    assert rows["Medication"] == ("0:00", "0 %", "0")
    assert rows["Total"] == ("10:00", "100 %", "4")
    assert "Direct care 6:00  60 %" in summary.chart.description()

    # Back to the list: the follow is there with its length and direct-care share.
    qtbot.mouseClick(summary.back_button, Qt.MouseButton.LeftButton)
    table = section.list_page.table
    assert [table.item(0, c).text() for c in (2, 3, 4, 5, 6)] == [
        "Staff nurse",
        "Continuous",
        "10:00",
        "60 %",
        "Ended",
    ]


def test_a_sampling_follow_answers_the_prompts_in_order(
    qtbot, window: MainWindow, db: Database, clock: FakeClock
) -> None:
    section = window.activity
    start_by_keyboard(qtbot, section, "Healthcare assistant", sampling=True)
    screen = section.screen
    follow = screen.follow
    assert follow is not None
    assert (follow.mode, follow.interval_s) == ("sampling", 30)
    assert screen.banner.isVisible()
    clock.advance(10)
    screen.tick()
    assert screen.banner.question.text() == "Next prompt in 0:20"
    press(qtbot, "1")  # no prompt yet: nothing is recorded
    assert screen.status.text() == "No prompt is waiting; the next falls at 0:30."
    assert list_segments(db, follow.id) == []

    # Past two intervals with no answer: both prompts wait, the older asked first.
    clock.advance(55)
    screen.tick()
    assert screen.waiting_prompts() == [30, 60]
    assert screen.banner.question.text().startswith("Prompt at 0:30:")
    assert screen.banner.waiting.text() == "Press the activity's key\n1 more waiting"
    style = screen.banner.styleSheet()
    screen.tick()
    assert screen.banner.styleSheet() == style
    clock.advance(1)
    screen.tick()
    assert screen.banner.styleSheet() != style  # the silent cue: the banner pulses each second
    press(qtbot, "3")
    assert screen.banner.question.text().startswith("Prompt at 1:00:")
    press(qtbot, "i")
    press(qtbot, "1")
    assert screen.waiting_prompts() == []
    screen.tick()
    assert screen.banner.question.text() == "Next prompt in 0:24"
    assert screen.now_label.text() == "Direct care"
    clock.advance(30)
    screen.tick()
    press(qtbot, "7")
    # Taken back: the prompt at 1:30 waits again, and is answered again.
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert screen.waiting_prompts() == [90]
    press(qtbot, "2")
    clock.advance(10)
    press(qtbot, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: section.stack.currentWidget() is section.summary)

    segments = [
        (s.category_code, s.start_s, s.end_s, s.sampled) for s in list_segments(db, follow.id)
    ]
    assert segments == [
        ("medication", 0, 30, True),
        ("direct_care", 30, 60, True),
        ("indirect_care", 60, 90, True),
    ]
    assert [i.at_s for i in list_interruptions(db, follow.id)] == [66]
    assert get_follow(db, follow.id).length_s == 106
    tiles = section.summary.tiles
    assert tiles["direct"].value.text() == "33 %"
    # One interruption in 106 s of following.
    assert tiles["interruptions"].value.text() == f"{3600 / 106:.1f}"


def test_tagging_a_segment_as_waste_makes_an_observation(
    qtbot, window: MainWindow, db: Database, clock: FakeClock
) -> None:
    section = window.activity
    start_by_keyboard(qtbot, section, "Staff nurse")
    screen = section.screen
    follow = screen.follow
    assert follow is not None
    press(qtbot, "1")
    clock.advance(30)
    press(qtbot, "7")
    clock.advance(95)
    press(qtbot, "1")
    clock.advance(5)
    # Select the transit segment and tag it from the keyboard.
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Up)
    assert screen.table.selected_segment().category_code == "transit"
    press(qtbot, "t")
    dialog = screen.tag_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    motion = next(
        dialog.list.item(r).text()
        for r in range(dialog.list.count())
        if "Motion" in dialog.list.item(r).text()
    )
    qtbot.keyClick(dialog.list, motion.split()[0])  # the waste's key
    assert dialog.waste_code() == "motion"
    assert dialog.description.hasFocus()
    qtbot.keyClicks(dialog.description, "fetching the hoist from Ward 9")
    with qtbot.waitSignal(screen.recorded):
        qtbot.keyClick(dialog.description, Qt.Key.Key_Return)
    assert screen.table.item(1, 5).text() == "Motion"

    tagged = list_segments(db, follow.id)[1]
    assert tagged.observation_id is not None
    observation = get_observation(db, tagged.observation_id)
    assert observation.category_code == "motion"
    assert observation.description == (
        "In transit for 1:35 (Staff nurse): fetching the hoist from Ward 9"
    )
    walk_id = get_follow(db, follow.id).walk_id
    assert walk_id is not None
    assert [o.id for o in list_observations(db, walk_id)] == [observation.id]

    # After the end, on the summary, the tag can be taken off again.
    press(qtbot, Qt.Key.Key_F, CTRL_SHIFT)
    summary = section.summary
    qtbot.waitUntil(lambda: section.stack.currentWidget() is summary)
    assert summary.tiles["waste"].value.text() == "1:35"
    summary.segments.selectRow(1)
    summary.segments.setFocus()
    press(qtbot, "t")
    dialog = summary.tag_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.waste_code() == "motion"
    dialog.list.setCurrentRow(0)
    assert dialog.waste_code() is None
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: summary.tiles["waste"].value.text() == "0:00")
    assert list_observations(db, walk_id) == []


def test_leaving_a_follow_and_opening_it_again_goes_on_from_there(
    qtbot, window: MainWindow, db: Database, clock: FakeClock
) -> None:
    section = window.activity
    start_by_keyboard(qtbot, section, "Ward clerk")
    screen = section.screen
    follow = screen.follow
    assert follow is not None
    press(qtbot, "6")
    clock.advance(50)
    qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    table = section.list_page.table
    assert table.hasFocus()
    assert table.item(0, 6).text() == "In progress"
    assert table.item(0, 4).text() == "0:50"
    clock.advance(600)  # away from the follow: not counted
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.stack.currentWidget() is screen)
    assert screen.clock_label.text() == "0:50"
    assert screen.now_label.text() == "Press a key to start"
    clock.advance(10)
    press(qtbot, "5")
    assert [(s.start_s, s.end_s) for s in list_segments(db, follow.id)] == [
        (0, 50),
        (60, None),
    ]
    assert list_follows(db)[0].segment_count == 2
