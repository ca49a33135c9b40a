"""The Savings roll-up driven with qtbot on a real SQLite file, checked against the services.

A small trust: Medicine (Ward 7, Diabetes clinic) and Surgery (Ward 22), walks with priced
observations (one of them in January 2025, for the date range), and two actions with savings.
The trust builder here is shared with test_savings_actions.py.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from wastewalk.domain.costing import money_text, parse_pounds
from wastewalk.services.actions import (
    ActionInput,
    create_action,
    set_expected_saving,
    validate_saving,
)
from wastewalk.services.estimates import EstimateInput, set_observation_estimate
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import AreaInfo, CsuInfo, create_area, create_csu
from wastewalk.services.savings import RollupBy, SavingsFilter, estimate_lines, rollup
from wastewalk.services.staff_rates import StaffRateInput, add_staff_rate
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database, open_database
from wastewalk.ui.savings.date_range import THIS_YEAR
from wastewalk.ui.savings.rollup_tab import RollupTab
from wastewalk.ui.savings.rollup_tree import FIGURE_COLUMNS, HOURS, NAME, WTE
from wastewalk.ui.savings.section import ACTIONS, SavingsSection
from wastewalk.ui.scope import Scope

UTC = dt.UTC


@dataclass(frozen=True)
class Trust:
    medicine: CsuInfo
    surgery: CsuInfo
    ward7: AreaInfo
    clinic: AreaInfo
    ward22: AreaInfo
    rate_id: uuid.UUID
    waiting: uuid.UUID
    motion: uuid.UUID
    # observations
    call_bells: uuid.UUID  # Ward 7, the worked example: 6 min x 5 a day at £53/h = £9,672.50
    agency: uuid.UUID  # Ward 7, cash-releasing
    clinic_wait: uuid.UUID  # Diabetes clinic (253 operating days)
    old_search: uuid.UUID  # Ward 22, January 2025
    unpriced: uuid.UUID  # Ward 7, no estimate
    ward7_walk: uuid.UUID
    expected_action: uuid.UUID  # Ward 7, an expected saving only
    validated_action: uuid.UUID  # Ward 22, validated and locked


def priced(minutes: str, occurrences: str, rate: uuid.UUID, **kw: object) -> EstimateInput:
    return EstimateInput(
        minutes=Decimal(minutes),
        staff_count=Decimal(str(kw.pop("staff", 1))),
        staff_rate_id=rate,
        occurrences=Decimal(occurrences),
        **kw,  # type: ignore[arg-type]
    )


def build_trust(db: Database) -> Trust:
    """The small organisation every Savings test starts from."""
    medicine = create_csu(db, "Medicine")
    surgery = create_csu(db, "Surgery")
    ward7 = create_area(db, medicine.id, "Ward 7")
    clinic = create_area(
        db, medicine.id, "Diabetes clinic", kind="clinic", operating_days_per_year=253
    )
    ward22 = create_area(db, surgery.id, "Ward 22")
    rate = add_staff_rate(
        db,
        StaffRateInput(
            code="test-nurse",
            staff_group="Test nurse",
            cost_per_hour_pence=5300,
            source="Test figure",
            year="2025",
        ),
    )
    categories = {c.code: c.id for c in list_categories(db)}
    waiting, motion = categories["waiting"], categories["motion"]

    def observe(area: AreaInfo, when: dt.datetime, category: uuid.UUID, text: str) -> uuid.UUID:
        walk = start_walk(db, area.id, focus="Savings test", started_at=when)
        seen = when + dt.timedelta(minutes=10)
        return add_observation(db, walk.id, ObservationInput(category, text, observed_at=seen)).id

    march = dt.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    call_bells = observe(ward7, march, waiting, "Call bells answered late at handover")
    ward7_walk = start_walk(db, ward7.id, focus="Second walk", started_at=march).id
    agency = add_observation(
        db,
        ward7_walk,
        ObservationInput(motion, "Agency nurse fetched pumps from Ward 9", observed_at=march),
    ).id
    unpriced = add_observation(
        db, ward7_walk, ObservationInput(waiting, "Waited for a porter", observed_at=march)
    ).id
    clinic_wait = observe(clinic, march, waiting, "Patients waited for notes")
    old_search = observe(
        ward22, dt.datetime(2025, 1, 10, 10, 0, tzinfo=UTC), motion, "Searched for a hoist"
    )
    set_observation_estimate(db, call_bells, priced("6", "5", rate.id))
    set_observation_estimate(
        db,
        agency,
        priced(
            "10",
            "3",
            rate.id,
            staff=2,
            per="week",
            cash_releasing=True,
            basis="Agency shifts booked to cover the walking",
        ),
    )
    set_observation_estimate(db, clinic_wait, priced("15", "2", rate.id, consumables_pence=120))
    set_observation_estimate(db, old_search, priced("20", "1", rate.id))

    expected = create_action(
        db, [call_bells], ActionInput("Answer bells in bays", owner="Sister Khan")
    )
    set_expected_saving(db, expected.id, priced("3", "5", rate.id))
    validated = create_action(db, [old_search], ActionInput("Hoist bay", owner="J. Mensah"))
    saving = priced("10", "1", rate.id, cash_releasing=True, basis="Bank shifts cut by 1 a week")
    set_expected_saving(db, validated.id, saving)
    validate_saving(db, validated.id, saving, "M. Osei, finance")
    return Trust(
        medicine=medicine,
        surgery=surgery,
        ward7=ward7,
        clinic=clinic,
        ward22=ward22,
        rate_id=rate.id,
        waiting=waiting,
        motion=motion,
        call_bells=call_bells,
        agency=agency,
        clinic_wait=clinic_wait,
        old_search=old_search,
        unpriced=unpriced,
        ward7_walk=ward7_walk,
        expected_action=expected.id,
        validated_action=validated.id,
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "trust.sqlite"))
    yield database
    database.close()


@pytest.fixture
def trust(db: Database) -> Trust:
    return build_trust(db)


@pytest.fixture
def section(qtbot, db: Database, trust: Trust) -> Iterator[SavingsSection]:
    widget = SavingsSection(db, Scope())
    qtbot.addWidget(widget)
    widget.resize(1150, 700)
    widget.show()
    widget.activated()
    qtbot.waitUntil(lambda: not widget.rollup.busy)
    yield widget
    widget.rollup.background.wait()


def settle(qtbot, tab: RollupTab) -> None:
    """Wait for the worker's roll-up and estimates to be on screen."""
    qtbot.waitUntil(lambda: not tab.busy)


def pence(item: QTreeWidgetItem, column: int) -> int:
    return parse_pounds(item.text(column), "cell")


def figures_shown(item: QTreeWidgetItem) -> list[int]:
    return [pence(item, column) for column in range(1, 10)]


def figures_of(figures) -> list[int]:
    out = []
    for measure, cash in FIGURE_COLUMNS:
        if cash is None:
            out.append(getattr(figures, measure))
        else:
            out.append(getattr(figures, f"{measure}_{'cash' if cash else 'non_cash'}"))
    return out


def click(qtbot, tab: RollupTab, item: QTreeWidgetItem, column: int) -> None:
    rect = tab.tree.visualRect(tab.tree.indexFromItem(item, column))
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot, tab)


def test_totals_row_is_the_services_total_and_the_csu_rows_add_up_to_it(
    qtbot, section: SavingsSection, db: Database, trust: Trust
) -> None:
    tab = section.rollup
    expected = rollup(db, RollupBy.CSU, SavingsFilter())
    total = tab.item_for("total")
    assert total is not None
    assert total.text(NAME) == "Whole trust"
    assert total.font(NAME).bold()
    assert total.font(5).bold()
    assert figures_shown(total) == figures_of(expected.total)
    # The worked example and the others: the opportunity is not zero, and three measures show.
    assert expected.total.opportunity > 967250
    assert expected.total.expected > 0
    assert expected.total.validated > 0
    csu_rows = [total.child(i) for i in range(total.childCount())]
    assert [row.text(NAME) for row in csu_rows] == ["Medicine", "Surgery"]
    for column in range(1, 10):
        assert sum(pence(row, column) for row in csu_rows) == pence(total, column)
    hours = expected.total.hours("opportunity")
    assert total.text(HOURS) == f"{hours:,.1f}"
    assert total.text(WTE) == f"{hours / Decimal(1950):.2f}"
    assert "WTE at 1,950 h a year" in tab.footnote.text()
    assert "cash-releasing means a budget really falls".lower() in tab.footnote.text().lower()
    # Money as money_text writes it, right-aligned; the trust roll-up is the same total.
    assert total.text(3) == money_text(rollup(db, RollupBy.TRUST).total.opportunity)
    assert total.textAlignment(3) & Qt.AlignmentFlag.AlignRight


def test_the_scope_filter_narrows_the_roll_up(
    qtbot, section: SavingsSection, db: Database, trust: Trust
) -> None:
    tab = section.rollup
    section.set_scope(Scope(csu_id=trust.surgery.id))
    settle(qtbot, tab)
    total = tab.item_for("total")
    assert total is not None
    assert total.text(NAME) == "Surgery"
    surgery = rollup(db, RollupBy.CSU, SavingsFilter(csu_id=trust.surgery.id)).total
    assert figures_shown(total) == figures_of(surgery)
    assert [total.child(i).text(NAME) for i in range(total.childCount())] == ["Surgery"]
    assert tab.item_for(f"csu:{trust.medicine.id.hex}") is None

    section.set_scope(Scope(csu_id=trust.medicine.id, area_id=trust.clinic.id))
    settle(qtbot, tab)
    total = tab.item_for("total")
    assert total is not None
    assert total.text(NAME) == "Diabetes clinic"
    clinic = rollup(db, RollupBy.AREA, SavingsFilter(area_id=trust.clinic.id)).total
    assert figures_shown(total) == figures_of(clinic)
    assert clinic.opportunity > 0
    assert clinic.expected == 0


def test_a_date_range_leaves_out_an_older_estimate(
    qtbot, section: SavingsSection, db: Database, trust: Trust
) -> None:
    tab = section.rollup
    before = figures_shown(tab.item_for("total"))
    old = next(
        line.annual_value_pence
        for line in estimate_lines(db, measures=["opportunity"])
        if line.observation_id == trust.old_search
    )
    tab.dates.today = lambda: dt.date(2026, 3, 20)
    tab.dates.set_preset(THIS_YEAR)
    settle(qtbot, tab)
    assert tab.dates.dates() == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    total = tab.item_for("total")
    flt = SavingsFilter(date_from=dt.date(2025, 4, 1), date_to=dt.date(2026, 3, 31))
    assert figures_shown(total) == figures_of(rollup(db, RollupBy.CSU, flt).total)
    # The January 2025 opportunity on Ward 22 is the one left out.
    assert pence(total, 3) == before[2] - old
    surgery = tab.item_for(f"csu:{trust.surgery.id.hex}")
    assert surgery is None or pence(surgery, 3) == 0

    tab.dates.set_dates(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    settle(qtbot, tab)
    total = tab.item_for("total")
    assert pence(total, 3) == old
    assert "1 Jan 2025 to 31 Jan 2025" in tab.status.text()


def test_drill_down_from_csu_to_area_to_its_estimates(
    qtbot, section: SavingsSection, db: Database, trust: Trust
) -> None:
    tab = section.rollup
    medicine = tab.item_for(f"csu:{trust.medicine.id.hex}")
    assert medicine is not None
    click(qtbot, tab, medicine, NAME)
    medicine_ids = {
        line.estimate_id for line in estimate_lines(db, SavingsFilter(csu_id=trust.medicine.id))
    }
    assert {line.estimate_id for line in tab.shown_lines} == medicine_ids
    assert len(medicine_ids) == 4  # three opportunities and one expected saving

    medicine.setExpanded(True)
    ward7 = tab.item_for(f"area:{trust.ward7.id.hex}")
    assert ward7 is not None
    assert ward7.parent() is medicine
    # The opportunity total column of Ward 7: the two priced observations, not the unpriced one.
    click(qtbot, tab, ward7, 3)
    lines = tab.shown_lines
    assert {line.observation_id for line in lines} == {trust.call_bells, trust.agency}
    assert sum(line.annual_value_pence for line in lines) == pence(ward7, 3)
    assert "Ward 7 (opportunity, cash and non-cash), " + ward7.text(3) in tab.lines_heading.text()
    table = tab.lines
    worked = next(r for r in range(table.rowCount()) if table.item(r, 1).text().startswith("Call"))
    assert table.item(worked, 5).text() == "£9,672.50"
    assert table.item(worked, 6).text() == "182.5"
    assert table.item(worked, 7).text() == "6 min × 1 staff × 5 a day (365 days)"
    assert table.item(worked, 8).text() == "£53.00/h (test-nurse)"
    assert "182.5 h × £53.00/h" in table.item(worked, 5).toolTip()

    # The cash-releasing column lists only the cash-releasing estimate.
    click(qtbot, tab, ward7, 1)
    assert [line.observation_id for line in tab.shown_lines] == [trust.agency]
    assert tab.lines.item(0, 9).text() == "Agency shifts booked to cover the walking"

    # The estimated saving behind Ward 7 is the action's.
    click(qtbot, tab, ward7, 6)
    assert [line.action_id for line in tab.shown_lines] == [trust.expected_action]


def test_opening_an_estimate_opens_the_walk_or_the_action(
    qtbot, section: SavingsSection, trust: Trust
) -> None:
    tab = section.rollup
    tab.item_for(f"csu:{trust.medicine.id.hex}").setExpanded(True)
    click(qtbot, tab, tab.item_for(f"area:{trust.ward7.id.hex}"), 3)
    table = tab.lines
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text().startswith("Agency"))
    rect = table.visualItemRect(table.item(row, 1))
    asked: list[uuid.UUID] = []
    section.open_walk_requested.connect(asked.append)
    with qtbot.waitSignal(section.open_walk_requested) as opened:
        # A view acts on a double-click only where the button went down first.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [trust.ward7_walk]
    assert asked == [trust.ward7_walk]

    click(qtbot, tab, tab.item_for(f"area:{trust.ward7.id.hex}"), 6)
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert section.tabs.currentIndex() == ACTIONS
    assert section.actions.selected_id() == trust.expected_action


def test_by_waste_and_by_month(qtbot, section: SavingsSection, db: Database, trust: Trust) -> None:
    tab = section.rollup
    tab.view.setCurrentIndex(tab.view.findText("By waste"))
    settle(qtbot, tab)
    by_waste = rollup(db, RollupBy.WASTE)
    total = tab.item_for("total")
    assert figures_shown(total) == figures_of(by_waste.total)
    waiting = tab.item_for(f"waste:{trust.waiting.hex}")
    assert waiting is not None
    assert waiting.text(NAME) == "Waiting"
    row = next(r for r in by_waste.rows if r.key == trust.waiting.hex)
    assert figures_shown(waiting) == figures_of(row.figures)
    click(qtbot, tab, waiting, 3)
    assert {line.observation_id for line in tab.shown_lines} == {
        trust.call_bells,
        trust.clinic_wait,
    }

    tab.view.setCurrentIndex(tab.view.findText("By month"))
    settle(qtbot, tab)
    assert tab.tree.headerItem().text(NAME) == "Month"
    january = tab.item_for("month:2025-01")
    assert january is not None
    assert january.text(NAME) == "Jan 2025"
    click(qtbot, tab, january, 3)
    assert [line.observation_id for line in tab.shown_lines] == [trust.old_search]
    total = tab.item_for("total")
    months = [total.child(i) for i in range(total.childCount())]
    for column in range(1, 10):
        assert sum(pence(m, column) for m in months) == pence(total, column)


def test_hours_of_another_measure_and_a_backwards_range(
    qtbot, section: SavingsSection, db: Database
) -> None:
    tab = section.rollup
    tab.hours_measure.setCurrentIndex(tab.hours_measure.findData("validated"))
    total = tab.item_for("total")
    hours = rollup(db, RollupBy.CSU).total.hours("validated")
    assert total.text(HOURS) == f"{hours:,.1f}"
    assert tab.tree.grouped.group_of(HOURS)[2] == "Validated saving time"

    shown = figures_shown(total)
    tab.dates.set_dates(dt.date(2026, 3, 1), dt.date(2026, 2, 1))
    assert "after the 'to' date" in tab.status.text()
    assert not tab.busy
    assert figures_shown(tab.item_for("total")) == shown
