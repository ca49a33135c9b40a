"""The Observations section: the lazy model, filtering and sorting through the widgets, opening."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from wastewalk.domain.uk_time import UK
from wastewalk.services.demo import make_demo
from wastewalk.services.observation_query import (
    ObservationFilter,
    SortKey,
    count_observations,
    fetch_page,
)
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu, list_areas, list_csus
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import category_codes, list_categories
from wastewalk.store.database import Database, open_database
from wastewalk.ui.browser.columns import COLUMNS, DESCRIPTION_COLUMN, column_for
from wastewalk.ui.browser.model import ObservationIdRole, ObservationTableModel, WalkIdRole
from wastewalk.ui.browser.section import ObservationsSection
from wastewalk.ui.scope import Scope

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Database]:
    """The demo trust: 4 CSUs, 15 areas, about 1,000 observations, 2 with a suspected NHS number."""
    database = open_database(str(tmp_path / "demo.sqlite"))
    make_demo(database, seed=1, today=TODAY)
    yield database
    database.close()


@pytest.fixture
def small_db(tmp_path: Path) -> Iterator[Database]:
    """Two CSUs, three observations with known walks, times and texts."""
    database = open_database(str(tmp_path / "small.sqlite"))
    yield database
    database.close()


@pytest.fixture
def small(small_db: Database) -> dict[str, uuid.UUID]:
    db = small_db
    codes = category_codes(db)
    medicine = create_csu(db, "Medicine")
    surgery = create_csu(db, "Surgery")
    ward7 = create_area(db, medicine.id, "Ward 7")
    ward2 = create_area(db, surgery.id, "Ward 2")
    walk7 = start_walk(db, ward7.id, focus="TTOs", started_at=dt.datetime(2026, 7, 1, 8, tzinfo=UK))
    walk2 = start_walk(db, ward2.id, started_at=dt.datetime(2026, 7, 2, 8, tzinfo=UK))

    def add(walk_id: uuid.UUID, code: str, text: str, when: dt.datetime, **more) -> uuid.UUID:
        data = ObservationInput(codes[code], text, observed_at=when, **more)
        return add_observation(db, walk_id, data).id

    return {
        "medicine": medicine.id,
        "surgery": surgery.id,
        "ward7": ward7.id,
        "walk7": walk7.id,
        "walk2": walk2.id,
        # 00:30 BST on 1 July is 23:30 UTC on 30 June: the UK day is 1 July.
        "waiting": add(
            walk7.id,
            "waiting",
            "Waited for pharmacy <b>&",
            dt.datetime(2026, 7, 1, 0, 30, tzinfo=UK),
        ),
        "motion": add(
            walk7.id,
            "motion",
            "Walked to fetch the bladder scanner",
            dt.datetime(2026, 7, 1, 9, 15, tzinfo=UK),
            location="bay 3 sluice",
            impact=4,
            ease=2,
        ),
        "defects": add(
            walk2.id,
            "defects",
            "Label had 943 476 5919 on it",
            dt.datetime(2026, 7, 2, 14, 5, tzinfo=UK),
        ),
    }


def make_section(qtbot, db: Database, scope: Scope | None = None) -> ObservationsSection:
    section = ObservationsSection(db, scope or Scope())
    qtbot.addWidget(section)
    section.resize(1150, 700)
    section.show()
    qtbot.waitExposed(section)
    section.activated()  # what the main window does when the section is shown
    return section


def shown_ids(section: ObservationsSection) -> list[uuid.UUID]:
    model = section.model
    return [model.index(r, 0).data(ObservationIdRole) for r in range(model.rowCount())]


# --- the model ---------------------------------------------------------------------------------


def test_model_passes_qtmodeltester(qtmodeltester, demo_db: Database) -> None:
    model = ObservationTableModel(demo_db)
    qtmodeltester.check(model)  # before any filter: empty
    model.set_filter(ObservationFilter())
    assert model.rowCount() > 2 * model.PAGE_SIZE
    qtmodeltester.check(model)
    model.sort(column_for(SortKey.CSU), Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    model.set_filter(ObservationFilter(text="no such words anywhere"))
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_model_reads_pages_as_asked_and_keeps_only_a_few(demo_db: Database) -> None:
    model = ObservationTableModel(demo_db)
    model.PAGE_SIZE = 50  # about 20 pages of demo data
    model.set_filter(ObservationFilter())
    total = model.rowCount()
    assert total == count_observations(demo_db, ObservationFilter())
    assert model.pages_held == 1  # the count and first page, nothing more yet
    every = fetch_page(demo_db, ObservationFilter(), limit=total)
    assert model.index(total - 1, 0).data(ObservationIdRole) == every[-1].id
    assert model.pages_held == 2
    for row in range(0, total, 7):
        assert model.index(row, 0).data(ObservationIdRole) == every[row].id
    assert model.pages_held == model.MAX_PAGES


def test_model_roles(qtbot, small_db: Database, small) -> None:
    model = ObservationTableModel(small_db)
    model.set_filter(ObservationFilter())
    first = model.index(0, 0)  # newest first: the defect on Ward 2
    assert first.data() == "02 Jul 2026 14:05"
    assert first.data(ObservationIdRole) == small["defects"]
    assert first.data(WalkIdRole) == small["walk2"]
    assert first.data(Qt.ItemDataRole.AccessibleTextRole) == "When: 2 July 2026 at 14:05"
    flagged = model.index(0, DESCRIPTION_COLUMN)
    assert isinstance(flagged.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert "NHS number" in flagged.data(Qt.ItemDataRole.ToolTipRole)
    assert "NHS number" in flagged.data(Qt.ItemDataRole.AccessibleTextRole)
    last = model.index(2, DESCRIPTION_COLUMN)  # 00:30 BST on 1 July
    assert model.index(2, 0).data() == "01 Jul 2026 00:30"
    assert last.data() == "Waited for pharmacy <b>&"
    assert last.data(Qt.ItemDataRole.DecorationRole) is None
    # The tooltip is rich text so long text wraps; what a person typed is escaped in it.
    assert "&lt;b&gt;&amp;" in last.data(Qt.ItemDataRole.ToolTipRole)
    motion = {c.title: model.index(1, n) for n, c in enumerate(COLUMNS)}
    assert motion["Impact"].data() == "4"
    assert motion["Impact"].data(Qt.ItemDataRole.AccessibleTextRole) == "Impact: 4 of 5"
    assert motion["Where"].data() == "bay 3 sluice"
    assert motion["Walk focus"].data() == "TTOs"
    assert motion["Impact"].data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignHCenter


# --- the section: filters, sorting, scope ------------------------------------------------------


def test_opens_on_everything_newest_first(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    assert section.title == "Observations"
    assert shown_ids(section) == [small["defects"], small["motion"], small["waiting"]]
    assert section.count_label.text() == "3 observations"


def test_waste_filter_through_the_combo(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    combo = section.filter_bar.waste
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0] == "All wastes"
    assert labels[1:] == [c.label for c in list_categories(small_db)]
    combo.setCurrentIndex(labels.index("Motion"))
    assert shown_ids(section) == [small["motion"]]
    assert section.count_label.text() == "1 observation"
    combo.setCurrentIndex(labels.index("Unused skills"))
    assert shown_ids(section) == []
    assert section.count_label.text() == "No observations match these filters"
    section.filter_bar.clear_button.click()
    assert len(shown_ids(section)) == 3


def test_search_waits_for_a_pause_in_typing(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    bar = section.filter_bar
    qtbot.keyClicks(bar.search, "PHARM")
    assert bar.debounce.isActive()
    assert len(shown_ids(section)) == 3  # not yet: one query per pause, not per key
    with qtbot.waitSignal(bar.changed, timeout=2000):
        pass  # the debounce timer fires on its own
    assert shown_ids(section) == [small["waiting"]]
    qtbot.keyClicks(bar.search, "acy 50%")
    bar.debounce.timeout.emit()  # a test may skip the pause
    assert shown_ids(section) == []
    bar.search.clear()
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)  # Enter applies at once
    assert len(shown_ids(section)) == 3


def test_date_filter_uses_uk_days(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    bar = section.filter_bar
    bar.date_from.set_value(dt.date(2026, 7, 1))
    bar.date_to.set_value(dt.date(2026, 7, 1))
    bar.apply_now()
    # 00:30 BST on 1 July (23:30 UTC on 30 June) is on the UK day asked for.
    assert shown_ids(section) == [small["motion"], small["waiting"]]
    bar.date_from.set_value(dt.date(2026, 7, 2))
    bar.date_to.set_value(None)
    bar.apply_now()
    assert shown_ids(section) == [small["defects"]]
    bar.date_to.set_value(dt.date(2026, 7, 1))
    bar.apply_now()
    assert section.count_label.text() == "No observations: the 'From' date is after the 'To' date"
    bar.date_from.setFocus()
    qtbot.keyClick(bar.date_from, Qt.Key.Key_Delete)  # Delete empties a date
    assert bar.date_from.value() is None
    assert bar.date_from.text() == "Any date"


def test_sorting_by_clicking_headings(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    header = section.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    waste = column_for(SortKey.WASTE)
    click(waste)
    assert section.model.sort_key is SortKey.WASTE
    first_order = [section.model.index(r, waste).data() for r in range(3)]
    click(waste)
    second_order = [section.model.index(r, waste).data() for r in range(3)]
    assert sorted([first_order, second_order]) == [
        ["Defects", "Motion", "Waiting"],
        ["Waiting", "Motion", "Defects"],
    ]
    impact = column_for(SortKey.IMPACT)
    click(impact)
    click(impact)
    # Not scored sorts last either way.
    assert section.model.index(0, impact).data() == "4"
    assert header.sortIndicatorSection() == impact


def test_scope_filters_the_table(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    section.set_scope(Scope(csu_id=small["surgery"]))
    assert shown_ids(section) == [small["defects"]]
    section.set_scope(Scope(csu_id=small["medicine"], area_id=small["ward7"]))
    assert shown_ids(section) == [small["motion"], small["waiting"]]
    section.filter_bar.search.setText("scanner")
    section.filter_bar.apply_now()
    assert shown_ids(section) == [small["motion"]]
    section.set_scope(Scope())
    assert shown_ids(section) == [small["motion"]]  # the search is kept across scopes


def test_hidden_section_reads_the_scope_when_shown(qtbot, small_db: Database, small) -> None:
    section = ObservationsSection(small_db, Scope())
    qtbot.addWidget(section)
    assert section.model.filter is None  # built without a query: the window may never show it
    section.set_scope(Scope(csu_id=small["surgery"]))
    assert section.model.filter is None
    section.show()
    section.activated()
    assert shown_ids(section) == [small["defects"]]


def test_activation_shows_new_observations(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    codes = category_codes(small_db)
    add_observation(small_db, small["walk2"], ObservationInput(codes["inventory"], "Spare pumps"))
    assert section.model.rowCount() == 3
    section.activated()
    assert section.model.rowCount() == 4


def test_demo_trust_scope_and_waste(qtbot, demo_db: Database) -> None:
    section = make_section(qtbot, demo_db)
    total = section.model.rowCount()
    csu = list_csus(demo_db)[0]
    section.set_scope(Scope(csu_id=csu.id))
    in_csu = section.model.rowCount()
    assert 0 < in_csu < total
    names = {section.model.index(r, column_for(SortKey.CSU)).data() for r in range(in_csu)}
    assert names == {csu.name}
    area = next(a for a in list_areas(demo_db) if a.csu_id == csu.id)
    section.set_scope(Scope(csu_id=csu.id, area_id=area.id))
    areas = {
        section.model.index(r, column_for(SortKey.AREA)).data()
        for r in range(section.model.rowCount())
    }
    assert areas == {area.name}


# --- opening a walk ----------------------------------------------------------------------------


def test_double_click_opens_the_rows_walk(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    table = section.table
    rect = table.visualRect(section.model.index(1, 3))  # the motion, on Ward 7's walk
    asked: list[uuid.UUID] = []
    section.open_walk_requested.connect(asked.append)
    with qtbot.waitSignal(section.open_walk_requested) as opened:
        # A view acts on a double-click only where the button went down first, as a hand does.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [small["walk7"]]
    assert asked == [small["walk7"]]  # once, not once per click


def test_enter_and_the_button_open_the_selected_walk(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    assert not section.open_button.isEnabled()
    table = section.table
    table.setFocus()
    table.selectRow(0)  # the defect, on Ward 2's walk
    assert section.open_button.isEnabled()
    with qtbot.waitSignal(section.open_walk_requested) as by_key:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert by_key.args == [small["walk2"]]
    with qtbot.waitSignal(section.open_walk_requested) as by_button:
        qtbot.mouseClick(section.open_button, Qt.MouseButton.LeftButton)
    assert by_button.args == [small["walk2"]]
    section.filter_bar.search.setText("nothing like this")
    section.filter_bar.apply_now()
    assert not section.open_button.isEnabled()


# --- keyboard and accessibility ----------------------------------------------------------------


def test_ctrl_f_goes_to_search(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    section.filter_bar.search.setText("bay")
    section.activateWindow()
    qtbot.waitUntil(section.isActiveWindow)
    section.table.setFocus()
    qtbot.keyClick(section.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert section.filter_bar.search.hasFocus()
    assert section.filter_bar.search.selectedText() == "bay"


def test_every_control_is_named_and_big_enough(qtbot, small_db: Database, small) -> None:
    section = make_section(qtbot, small_db)
    bar = section.filter_bar
    controls: list[QWidget] = [
        bar.waste,
        bar.date_from,
        bar.date_to,
        bar.search,
        bar.clear_button,
        section.open_button,
    ]
    for control in controls:
        assert control.accessibleName(), control
        assert control.height() >= 40, (control.accessibleName(), control.height())
    assert section.table.accessibleName() == "Observations"
    assert section.table.rowHeight(0) >= 40
    assert section.table.horizontalHeader().height() >= 40
    # Every filter has a label whose Alt key reaches it.
    buddies = {label.buddy() for label in bar.findChildren(type(section.count_label))}
    assert {bar.waste, bar.date_from, bar.date_to, bar.search} <= buddies


def test_columns_fit_beside_the_navigation_at_1366(qtbot, small_db: Database, small) -> None:
    # 1366 px less the 210 px navigation list and the window's margins.
    section = make_section(qtbot, small_db)
    section.resize(1130, 640)
    table = section.table
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    assert table.columnWidth(DESCRIPTION_COLUMN) >= 200
    assert section.filter_bar.sizeHint().width() <= 1130
