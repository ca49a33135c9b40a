"""The Staff rates tab of Organisation & settings, and what an edited rate does to estimates.

Modal windows are answered by replacing functions in `wastewalk.ui.settings.ask`: the real rate
dialog is built, filled in by the test and read back by the tab; only `exec()` is skipped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from wastewalk.services.estimates import (
    EstimateInput,
    get_observation_estimate,
    set_observation_estimate,
)
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.staff_rates import (
    StaffRateInput,
    add_staff_rate,
    hours_per_wte_year,
    list_staff_rates,
)
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database, open_database
from wastewalk.ui.costing.observation_estimate import observation_estimate_dialog
from wastewalk.ui.costing.staff_rate_dialog import StaffRateDialog
from wastewalk.ui.costing.staff_rates_tab import COLUMNS, StaffRatesTab
from wastewalk.ui.scope import Scope
from wastewalk.ui.settings import ask
from wastewalk.ui.settings.section import SettingsSection


@dataclass
class Answers:
    fill: list[Callable[[StaffRateDialog], None]] = field(default_factory=list)
    dialogs: list[QDialog] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    confirm: bool = True


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    got = Answers()

    def run_dialog(dialog: QDialog) -> bool:
        got.dialogs.append(dialog)
        if not got.fill:
            return False  # as if Cancel were pressed
        assert isinstance(dialog, StaffRateDialog)
        got.fill.pop(0)(dialog)
        return True

    def confirm(_parent, _title, text, _yes) -> bool:
        got.questions.append(text)
        return got.confirm

    monkeypatch.setattr(ask, "run_dialog", run_dialog)
    monkeypatch.setattr(ask, "warn", lambda _p, _t, text: got.warnings.append(text))
    monkeypatch.setattr(ask, "confirm", confirm)
    return got


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "ward.sqlite"))
    yield database
    database.close()


@pytest.fixture
def tab(qtbot, db: Database, answers: Answers) -> StaffRatesTab:
    widget = StaffRatesTab(db)
    qtbot.addWidget(widget)
    widget.resize(1130, 650)
    widget.show()
    widget.reload()
    return widget


def row_of(tab: StaffRatesTab, staff_group: str) -> int:
    for row in range(tab.table.topLevelItemCount()):
        if tab.table.topLevelItem(row).text(0) == staff_group:
            return row
    raise AssertionError(f"{staff_group} is not in the table")


def select(tab: StaffRatesTab, staff_group: str) -> None:
    tab.table.setCurrentItem(tab.table.topLevelItem(row_of(tab, staff_group)))


def rate_form(
    *, code: str = "", group: str = "", cost: str = "", source: str = "", year: str = ""
) -> Callable[[StaffRateDialog], None]:
    def fill(dialog: StaffRateDialog) -> None:
        if code:
            assert dialog.code_edit is not None
            dialog.code_edit.setText(code)
        if group:
            dialog.group_edit.setText(group)
        if cost:
            dialog.cost_edit.setText(cost)
        if source:
            dialog.source_edit.setPlainText(source)
        if year:
            dialog.year_edit.setText(year)

    return fill


def test_the_shipped_rates_are_listed_with_their_source_and_the_note(tab: StaffRatesTab) -> None:
    assert tab.table.topLevelItemCount() == 27
    assert [tab.table.headerItem().text(i) for i in range(len(COLUMNS))] == list(COLUMNS)
    item = tab.table.topLevelItem(row_of(tab, "Nurse, band 5"))
    assert item.text(2) == "£57.00"
    assert item.text(5) == "2025"
    assert "Unit Costs of Health and Social Care 2025" in item.text(4)
    assert item.text(6) == "in use"
    intro = tab.findChildren(type(tab.details))[0].text()
    assert "Editing a rate never changes estimates already priced" in intro
    assert "re-price an estimate on purpose" in intro
    assert tab.wte_edit.text() == "1950"


def test_a_rate_is_added_and_a_refusal_is_in_the_services_words(
    tab: StaffRatesTab, answers: Answers, db: Database
) -> None:
    answers.fill = [
        rate_form(
            code="nurse-band-5-bank", group="Nurse, band 5 (bank)", cost="41.50", year="2026"
        ),
        rate_form(source="Bank rate card, April 2026"),
    ]
    answers.fill[1] = _and(answers.fill[0], answers.fill[1])
    qtbot_click(tab.add_button)
    assert len(answers.warnings) == 1
    assert "Source" in answers.warnings[0]
    assert len(answers.dialogs) == 2, "the same form came back to be corrected"
    rates = {r.code: r for r in list_staff_rates(db)}
    assert rates["nurse-band-5-bank"].cost_per_hour_pence == 4150
    assert rates["nurse-band-5-bank"].source == "Bank rate card, April 2026"
    assert tab.selected() is not None
    assert tab.selected().code == "nurse-band-5-bank"

    answers.fill = [rate_form(code="Bad Code", group="X", cost="£lots", source="s", year="2026")]
    qtbot_click(tab.add_button)
    assert "'£lots' is not an amount in pounds" in answers.warnings[-1]
    assert len(list_staff_rates(db)) == 28


def test_archiving_a_rate_greys_it_and_takes_it_off_the_estimate_list(
    tab: StaffRatesTab, db: Database
) -> None:
    select(tab, "Doctor, FY1")
    assert tab.archive_button.text() == "Arc&hive"
    qtbot_click(tab.archive_button)
    item = tab.table.topLevelItem(row_of(tab, "Doctor, FY1"))
    assert item.text(6) == "archived"
    assert tab.archive_button.text() == "Restore from arc&hive"
    assert "Doctor, FY1" not in [r.staff_group for r in list_staff_rates(db)]
    qtbot_click(tab.archive_button)
    assert "Doctor, FY1" in [r.staff_group for r in list_staff_rates(db)]


def test_the_hours_in_a_wte_year_are_checked_and_saved(tab: StaffRatesTab, db: Database) -> None:
    tab.wte_edit.setText("lots")
    qtbot_click(tab.wte_save)
    assert tab.wte_error.isVisible()
    assert "Hours per WTE year must be a number" in tab.wte_error.text()
    tab.wte_edit.setText("500")
    qtbot_click(tab.wte_save)
    assert "from 1,000 to 3,000" in tab.wte_error.text()
    assert hours_per_wte_year(db) == Decimal(1950)
    tab.wte_edit.setText("1837.5")
    qtbot_click(tab.wte_save)
    assert not tab.wte_error.isVisible()
    assert tab.wte_saved.text() == "Saved: 1,837.5 hours"
    assert hours_per_wte_year(db) == Decimal("1837.5")


@dataclass(frozen=True)
class Priced:
    observation_id: uuid.UUID
    rate_id: uuid.UUID


@pytest.fixture
def priced(db: Database) -> Priced:
    """The worked example, priced at a £53.00 rate the test creates."""
    csu = create_csu(db, "Medicine")
    area = create_area(db, csu.id, "Ward 12")
    walk = start_walk(db, area.id, started_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    motion = next(c for c in list_categories(db) if c.code == "motion")
    observation = add_observation(db, walk.id, ObservationInput(motion.id, "Walks for gloves"))
    rate = add_staff_rate(
        db,
        StaffRateInput(
            code="ward-nurse",
            staff_group="Ward nurse",
            cost_per_hour_pence=5300,
            source="Ward budget 2025",
            year="2025",
        ),
    )
    data = EstimateInput(
        minutes=Decimal(6), staff_rate_id=rate.id, occurrences=Decimal(5), per="day"
    )
    assert set_observation_estimate(db, observation.id, data).annual_value_pence == 967_250
    return Priced(observation.id, rate.id)


def test_editing_a_rate_keeps_the_priced_estimate_and_re_pricing_is_on_purpose(
    qtbot, tab: StaffRatesTab, answers: Answers, db: Database, priced: Priced
) -> None:
    tab.reload()
    select(tab, "Ward nurse")
    answers.fill = [rate_form(cost="60.00")]
    qtbot_click(tab.edit_button)
    assert not answers.warnings
    assert tab.table.topLevelItem(row_of(tab, "Ward nurse")).text(2) == "£60.00"

    info = get_observation_estimate(db, priced.observation_id)
    assert info is not None
    assert info.annual_value_pence == 967_250, "an edited rate changes no priced estimate"
    assert info.rate.pence == 5300
    assert info.rate_changed_since

    dialog = observation_estimate_dialog(db, priced.observation_id)
    qtbot.addWidget(dialog)
    dialog.open()
    form = dialog.form
    assert form.rate_notice.isVisible()
    assert form.rate_notice_label.text() == (
        "The rate for this staff group has changed since; this estimate keeps £53.00/h."
    )
    assert "at £53.00/h (Ward nurse, source Ward budget 2025)" in form.priced_label.text()
    assert form.arithmetic.value_figure.text() == "£9,672.50", "the preview keeps the old rate"
    kept = form.rate_combo.currentText()
    assert kept == "Ward nurse — £53.00/h as priced (today £60.00/h)"
    form.select_rate(None)  # another group would take today's rate: the notice goes
    assert not form.rate_notice.isVisible()
    form.select_rate(priced.rate_id)
    assert form.rate_notice.isVisible()
    assert form.arithmetic.value_figure.text() == "£9,672.50"

    form.confirm = lambda *_args: False
    qtbot.mouseClick(form.reprice_button, Qt.MouseButton.LeftButton)
    assert get_observation_estimate(db, priced.observation_id).annual_value_pence == 967_250

    questions: list[str] = []
    form.confirm = lambda _p, _t, text, _y: not questions.append(text)
    with qtbot.waitSignal(dialog.repriced):
        qtbot.mouseClick(form.reprice_button, Qt.MouseButton.LeftButton)
    assert "It was priced at £53.00/h" in questions[0]
    repriced = get_observation_estimate(db, priced.observation_id)
    assert repriced is not None
    assert repriced.annual_value_pence == 1_095_000  # 182.5 h × £60.00
    assert repriced.rate.pence == 6000
    assert not repriced.rate_changed_since
    assert not form.rate_notice.isVisible()
    assert form.arithmetic.value_figure.text() == "£10,950.00"
    assert "at £60.00/h" in form.priced_label.text()


def test_the_settings_section_has_the_staff_rates_tab(
    qtbot, db: Database, answers: Answers
) -> None:
    section = SettingsSection(db, Scope())
    qtbot.addWidget(section)
    titles = [section.tabs.tabText(i) for i in range(section.tabs.count())]
    assert "&Staff rates" in titles
    section.show()
    section.tabs.setCurrentWidget(section.staff_rates)
    assert section.staff_rates.table.topLevelItemCount() == 27


def qtbot_click(button) -> None:
    assert button.isEnabled(), button.text()
    button.click()


def _and(*fills: Callable[[StaffRateDialog], None]) -> Callable[[StaffRateDialog], None]:
    def fill(dialog: StaffRateDialog) -> None:
        for one in fills:
            one(dialog)

    return fill
