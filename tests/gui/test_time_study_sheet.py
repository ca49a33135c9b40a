"""The readings grid: typed entry from a paper sheet goes to the database, bad values are refused
with a message and store nothing, and the model passes Qt's model tester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.time_studies import (
    ElementInput,
    StudyInfo,
    StudyInput,
    create_study,
    list_readings,
    summarise,
)
from wastewalk.services.time_study_readings import exclude_reading, record_reading
from wastewalk.store.database import Database, open_database
from wastewalk.ui.timestudy.sheet_model import (
    SheetModel,
    TypedReading,
    parse_reading_text,
    seconds_text,
)
from wastewalk.ui.timestudy.timing_screen import TimingScreen


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "x.sqlite"))
    yield database
    database.close()


@pytest.fixture
def study(db: Database) -> StudyInfo:
    """A paper study of two elements with cycle 1 typed already and one outlier to come."""
    csu = create_csu(db, "Surgery")
    ward = create_area(db, csu.id, "Ward 22 – General Surgery")
    info = create_study(
        db,
        StudyInput(
            name="Theatre turnaround",
            area_id=ward.id,
            study_date=dt.date(2026, 11, 20),
            elements=(ElementInput("Clean"), ElementInput("Set up", rating_pct=90)),
            source="paper",
        ),
    )
    for element, seconds in zip(info.elements, (40.0, 125.0), strict=True):
        record_reading(db, info.id, element.id, 1, seconds)
    return info


@pytest.fixture
def screen(qtbot, db: Database, study: StudyInfo) -> TimingScreen:
    widget = TimingScreen(db)
    qtbot.addWidget(widget)
    widget.resize(1150, 680)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    widget.open_study(study.id)
    return widget


def stored(db: Database, study: StudyInfo) -> dict[tuple[int, int], tuple[str, float | None]]:
    return {(r.element_order, r.cycle): (r.state, r.seconds) for r in list_readings(db, study.id)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65", TypedReading(65.0)),
        (" 65.5 ", TypedReading(65.5)),
        ("1:05", TypedReading(65.0)),
        ("1:05.5", TypedReading(65.5)),
        ("1:02:03", TypedReading(3723.0)),
        ("NP", TypedReading(not_performed=True)),
        ("np", TypedReading(not_performed=True)),
        ("", TypedReading()),
        ("-3", TypedReading(-3.0)),  # a number: the services say why it is refused
    ],
)
def test_typed_text_is_read_as_seconds(text: str, expected: TypedReading) -> None:
    assert parse_reading_text(text) == expected


@pytest.mark.parametrize("text", ["abc", "1:75", "12s", "1,5", "nan"])
def test_text_that_is_not_a_time_is_refused_with_words(text: str) -> None:
    with pytest.raises(ValueError, match=r"seconds|not a time"):
        parse_reading_text(text)


def test_display_rounds_half_up_to_a_tenth() -> None:
    assert seconds_text(18.25) == "18.3"
    assert seconds_text(0.04) == "0.0"
    assert seconds_text(None) == ""


def test_typed_entries_go_to_the_database(
    qtbot, screen: TimingScreen, db: Database, study: StudyInfo
) -> None:
    model = screen.model
    assert model.cycles == 2  # cycle 1 typed, cycle 2 next
    assert model.setData(model.cell_index(1, 2), "1:05")
    assert model.setData(model.cell_index(2, 2), "NP")
    assert stored(db, study)[(1, 2)] == ("valid", 65.0)
    assert stored(db, study)[(2, 2)] == ("not_performed", None)
    assert model.cell_index(2, 2).data() == "NP"
    assert model.cell_index(1, 2).data() == "65.0"
    # The grid grew a column: there is always an empty cycle to type into.
    assert model.cycles == 3
    assert screen.summary.values["cycles"].text().startswith("2: mean")

    # Through the real editor: select the cell, type, Enter.
    index = model.cell_index(2, 3)
    screen.grid.setFocus()
    screen.grid.setCurrentIndex(index)
    screen.grid.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "2:10.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on its next event
    qtbot.waitUntil(lambda: (2, 3) in stored(db, study))
    assert stored(db, study)[(2, 3)] == ("valid", 130.5)

    # Before the clock starts, N in the sheet types (the start of NP) into the selected cell;
    # it does not mark the timing position (cycle 3, element 1) not performed.
    assert screen.position.cycle == 3
    assert screen.position.element_order == 1
    index = model.cell_index(2, 4)
    screen.grid.setCurrentIndex(index)
    qtbot.keyClick(screen.grid, Qt.Key.Key_N)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "N"
    qtbot.keyClick(editor, Qt.Key.Key_P)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (2, 4) in stored(db, study))
    assert stored(db, study)[(2, 4)] == ("not_performed", None)
    assert (1, 3) not in stored(db, study)
    # Delete in the sheet empties the selected cell.
    qtbot.waitUntil(lambda: screen.grid.state() != screen.grid.State.EditingState)
    screen.grid.setFocus()
    screen.grid.setCurrentIndex(index)
    qtbot.keyClick(screen.grid, Qt.Key.Key_Delete)
    assert (2, 4) not in stored(db, study)

    # Empty clears a cell; Ctrl+Z brings it back exactly as it was.
    assert model.setData(model.cell_index(1, 2), "")
    assert (1, 2) not in stored(db, study)
    screen.grid.setFocus()
    qtbot.keyClick(screen.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, study)[(1, 2)] == ("valid", 65.0)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-3", "must be more than 0"),
        ("0", "must be more than 0"),
        ("abc", "is not a time"),
        ("90000", "more than a day"),
    ],
)
def test_a_bad_value_is_refused_with_a_message_and_nothing_stored(
    screen: TimingScreen, db: Database, study: StudyInfo, text: str, words: str
) -> None:
    before = stored(db, study)
    model = screen.model
    assert not model.setData(model.cell_index(1, 2), text)
    assert not model.setData(model.cell_index(1, 1), text)  # an existing reading is kept too
    assert stored(db, study) == before
    assert words in screen.status.text()
    assert "Nothing was saved" in screen.status.text()
    assert "Clean, cycle 1" in screen.status.text()
    assert model.cell_index(1, 1).data() == "40.0"


def test_outliers_are_marked_and_figures_shown(
    screen: TimingScreen, db: Database, study: StudyInfo
) -> None:
    model = screen.model
    for cycle, text in ((2, "41"), (3, "39"), (4, "120")):
        assert model.setData(model.cell_index(1, cycle), text)
    outlier = model.cell_index(1, 4)
    assert "more than twice the median" in outlier.data(Qt.ItemDataRole.ToolTipRole)
    assert outlier.data(Qt.ItemDataRole.FontRole).bold()
    assert model.cell_index(1, 2).data(Qt.ItemDataRole.FontRole) is None
    # Per-element figures: n, mean, median, min, max, fluctuation, LRT.
    figures = [model.index(0, model.cycles + k).data() for k in range(7)]
    assert figures == ["4", "60.0", "40.5", "39.0", "120.0", "81.0", "–"]


def test_model_passes_qtmodeltester(qtmodeltester, db: Database, study: StudyInfo) -> None:
    model = SheetModel(db)
    qtmodeltester.check(model)  # nothing shown yet
    readings = list_readings(db, study.id)
    model.set_sheet(study, readings, summarise(study, readings), None)
    qtmodeltester.check(model)
    # More cycles, an exclusion, a step not performed: columns are inserted, cells change.
    clean, setup = study.elements
    record_reading(db, study.id, clean.id, 2, 38.0)
    record_reading(db, study.id, setup.id, 2, None)
    third = record_reading(db, study.id, clean.id, 3, 90.0)
    exclude_reading(db, third.id, "Porter late")
    readings = list_readings(db, study.id)
    model.set_sheet(study, readings, summarise(study, readings), None)
    qtmodeltester.check(model)
    assert model.columnCount() == 4 + 7  # cycles 1-3 and an empty one to type into
    excluded = model.cell_index(1, 3)
    assert excluded.data() == "90.0"
    assert excluded.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert model.cell_index(2, 2).data() == "NP"
    assert model.setData(model.cell_index(2, 3), "2:00")
    qtmodeltester.check(model)
    # Fewer cycles again (an undo): columns are removed.
    model.set_sheet(study, readings[:2], summarise(study, readings[:2]), None)
    qtmodeltester.check(model)
    assert model.columnCount() == 2 + 7
    model.set_sheet(None, [], None, None)
    qtmodeltester.check(model)
