"""The walk summary dialog and its bar chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.walk_summary import WalkSummary, walk_summary
from wastewalk.services.walks import ParticipantInput, complete_walk, start_walk
from wastewalk.services.wastes import category_codes
from wastewalk.store.database import Database, open_database
from wastewalk.ui.walks.bar_chart import EMPTY_TEXT, NHS_BLUE, WasteBarChart
from wastewalk.ui.walks.summary import WalkSummaryDialog, heading_text, when_text

# 09:30 UTC in summer is 10:30 on the ward clock (BST).
START = dt.datetime(2026, 6, 2, 9, 30, tzinfo=dt.UTC)
VALID_NHS_NUMBERS = ("943 476 5919", "401 023 2137")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "ward.sqlite"))
    yield database
    database.close()


@pytest.fixture
def summary(db: Database) -> WalkSummary:
    csu = create_csu(db, "Medicine")
    ward = create_area(db, csu.id, "Ward 7")
    walk = start_walk(
        db,
        ward.id,
        focus="Discharge before noon",
        started_at=START,
        participants=[
            ParticipantInput("Sister A. Okafor", "staff"),
            ParticipantInput("Mr J. Patel", "quality_partner"),
            ParticipantInput("Dr L. Chen", "improvement_specialist"),
        ],
    )
    codes = category_codes(db)
    entries = [
        ("waiting", "TTOs late from pharmacy"),
        ("waiting", "Bed waiting for cleaning"),
        ("waiting", f"Patient {VALID_NHS_NUMBERS[0]} waiting for transport"),
        ("motion", "Walked to Ward 14 for a bladder scanner"),
        ("defects", f"Wristband {VALID_NHS_NUMBERS[1]} not matching the notes"),
    ]
    for minute, (code, text) in enumerate(entries):
        add_observation(
            db,
            walk.id,
            ObservationInput(
                codes[code], text, observed_at=START + dt.timedelta(minutes=5 * minute), impact=3
            ),
        )
    complete_walk(db, walk.id, ended_at=START + dt.timedelta(hours=1, minutes=12))
    return walk_summary(db, walk.id)


def test_dialog_shows_counts_people_times_and_warning(qtbot, summary: WalkSummary) -> None:
    dialog = WalkSummaryDialog(summary)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.heading.text() == "Ward 7 · Medicine · Discharge before noon"
    assert dialog.when_label.text() == "Tue 2 Jun 2026, 10:30–11:42 (1 h 12 min)"
    assert dialog.participants_label.text() == (
        "Participants: Sister A. Okafor (Staff), Mr J. Patel (Quality Partner), "
        "Dr L. Chen (Improvement specialist)"
    )
    assert dialog.warning_label.isVisible()
    assert dialog.warning_label.text() == (
        "2 observations may hold an NHS number: redact or confirm them before export"
    )
    counts = dict(dialog.chart.counts())
    assert counts["Waiting"] == 3
    assert counts["Motion"] == 1
    assert counts["Defects"] == 1
    assert counts["Transport"] == 0  # zero counts are shown, not hidden
    assert len(counts) == 8
    assert dialog.chart.accessibleDescription().startswith("Transport 0, Inventory 0, Motion 1")
    assert "Waiting 3" in dialog.chart.accessibleDescription()
    assert "(5 in all)" in dialog.chart_title.text()

    table = dialog.table
    assert table.rowCount() == 5
    assert table.item(0, 0).text() == "10:30"  # UK local time, not UTC
    assert table.item(0, 1).text() == "Waiting"
    flagged = [row for row in range(5) if table.item(row, 6).text()]
    assert flagged == [2, 4]
    for widget in (dialog, dialog.table, dialog.chart, dialog.close_button):
        assert widget.accessibleName()


def test_dialog_fits_a_laptop_screen(qtbot, summary: WalkSummary) -> None:
    dialog = WalkSummaryDialog(summary)
    qtbot.addWidget(dialog)
    assert dialog.width() <= 1366 - 40
    assert dialog.height() <= 768 - 60
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366
    assert hint.height() <= 700


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_Return])
def test_escape_or_enter_closes(qtbot, summary: WalkSummary, key: Qt.Key) -> None:
    dialog = WalkSummaryDialog(summary)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.setFocus()
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.table if key == Qt.Key.Key_Return else dialog, key)
    assert not dialog.isVisible()


def test_close_button_closes(qtbot, summary: WalkSummary) -> None:
    dialog = WalkSummaryDialog(summary)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)


def test_no_warning_and_empty_chart_for_a_walk_with_nothing(qtbot, db: Database) -> None:
    csu = create_csu(db, "Surgery")
    ward = create_area(db, csu.id, "Ward 3 <b>&")
    walk = start_walk(db, ward.id, started_at=START)
    summary = walk_summary(db, walk.id, now=START + dt.timedelta(minutes=20))
    dialog = WalkSummaryDialog(summary)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.warning_label.isVisible()
    assert dialog.heading.text() == "Ward 3 <b>& · Surgery"
    assert dialog.heading.textFormat() == Qt.TextFormat.PlainText
    assert "still in progress (20 min so far)" in dialog.when_label.text()
    assert dialog.chart.accessibleDescription() == EMPTY_TEXT
    assert dialog.table.rowCount() == 0


def _render(chart: WasteBarChart) -> QImage:
    chart.resize(chart.sizeHint())
    image = QImage(chart.size(), QImage.Format.Format_ARGB32)
    chart.render(image)
    return image


def _blue_pixels_in_row(image: QImage, y: int) -> int:
    return sum(1 for x in range(image.width()) if QColor(image.pixel(x, y)) == NHS_BLUE)


def test_bar_chart_bars_are_proportional(qtbot) -> None:
    chart = WasteBarChart([("Waiting", 4), ("Motion", 2), ("Skills", 0)])
    qtbot.addWidget(chart)
    assert chart.description() == "Waiting 4, Motion 2, Skills 0"
    image = _render(chart)
    rows = [
        max(_blue_pixels_in_row(image, y) for y in range(top, top + 10))
        for top in _row_middles(chart, 3)
    ]
    waiting, motion, skills = rows
    assert waiting > 0
    assert skills == 0
    assert abs(motion / waiting - 0.5) < 0.05


def _row_middles(chart: WasteBarChart, rows: int) -> list[int]:
    inner = chart.height() - 16
    step = inner / rows
    return [int(8 + step * i + step / 2 - 5) for i in range(rows)]


def test_bar_chart_all_zero_says_so(qtbot) -> None:
    chart = WasteBarChart([("Waiting", 0), ("Motion", 0)])
    qtbot.addWidget(chart)
    assert chart.accessibleDescription() == EMPTY_TEXT
    image = _render(chart)
    assert all(_blue_pixels_in_row(image, y) == 0 for y in range(image.height()))
    empty = WasteBarChart()
    qtbot.addWidget(empty)
    assert empty.description() == EMPTY_TEXT
    assert empty.sizeHint().height() > 0


def test_bar_chart_size_hint_grows_with_rows(qtbot) -> None:
    few = WasteBarChart([("Waiting", 1)])
    many = WasteBarChart([(f"Waste {i}", i) for i in range(12)])
    qtbot.addWidget(few)
    qtbot.addWidget(many)
    assert many.sizeHint().height() > few.sizeHint().height()
    # Twelve categories still fit beside the list on a 768-pixel-high screen.
    assert many.sizeHint().height() < 500
    assert many.sizeHint().width() < 700


def test_when_text_across_midnight(summary: WalkSummary) -> None:
    from dataclasses import replace

    late = replace(
        summary,
        started_at=dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC),
        ended_at=dt.datetime(2026, 1, 6, 0, 45, tzinfo=dt.UTC),
        duration=dt.timedelta(hours=1, minutes=15),
    )
    assert when_text(late) == "Mon 5 Jan 2026, 23:30–Tue 6 Jan 2026 00:45 (1 h 15 min)"
    assert heading_text(late) == "Ward 7 · Medicine · Discharge before noon"
