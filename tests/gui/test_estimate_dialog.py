"""The estimate dialog driven with qtbot, checked against what the database holds afterwards.

The dialog is opened with `open()` (it never blocks); fields are typed into as a person would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QPushButton

from wastewalk.services.estimates import EstimateInput, get_observation_estimate
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.staff_rates import (
    StaffRateInfo,
    StaffRateInput,
    add_staff_rate,
    set_staff_rate_archived,
)
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database, open_database
from wastewalk.ui.costing.estimate_dialog import EstimateDialog
from wastewalk.ui.costing.observation_estimate import observation_estimate_dialog

WALK_START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Ward:
    db: Database
    area_id: object
    observation_id: object
    rate: StaffRateInfo


@pytest.fixture
def ward(tmp_path: Path) -> Iterator[Ward]:
    db = open_database(str(tmp_path / "ward.sqlite"))
    csu = create_csu(db, "Medicine")
    area = create_area(db, csu.id, "Ward 12", operating_days_per_year=365)
    walk = start_walk(db, area.id, started_at=WALK_START)
    motion = next(c for c in list_categories(db) if c.code == "motion")
    observation = add_observation(
        db, walk.id, ObservationInput(motion.id, "Nurse walks to the far store for gloves")
    )
    rate = add_staff_rate(
        db,
        StaffRateInput(
            code="test-nurse-53",
            staff_group="Test nurse",
            band="5",
            cost_per_hour_pence=5300,
            source="Test rate for the worked example",
            year="2025",
        ),
    )
    yield Ward(db, area.id, observation.id, rate)
    db.close()


@pytest.fixture
def dialog(qtbot, ward: Ward) -> EstimateDialog:
    opened = observation_estimate_dialog(ward.db, ward.observation_id)  # type: ignore[arg-type]
    qtbot.addWidget(opened)
    opened.open()
    qtbot.waitExposed(opened)
    return opened


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def fill_worked_example(qtbot, dialog: EstimateDialog, ward: Ward) -> None:
    form = dialog.form
    type_into(qtbot, form.minutes_edit, "6")
    type_into(qtbot, form.occurrences_edit, "5")
    form.select_rate(ward.rate.id)


def test_the_worked_example_shows_its_arithmetic_and_saves_exactly_that(
    qtbot, dialog: EstimateDialog, ward: Ward
) -> None:
    form = dialog.form
    assert "Ward 12 operates 365 days a year" in form.days_label.text()
    assert form.staff_edit.text() == "1"
    assert form.recurrent_check.isChecked()
    assert not form.cash_check.isChecked()
    fill_worked_example(qtbot, dialog, ward)

    panel = form.arithmetic
    assert panel.hours_figure.text() == "182.5"
    assert panel.value_figure.text() == "£9,672.50"
    assert panel.wte_figure.text() == "0.0936"
    working = panel.working_label.text().splitlines()
    assert working[0] == "Occurrences a year: 5 a day × 365 operating days = 1,825"
    assert "6 min × 1 staff × 1,825 ÷ 60 = 182.5 h" in working[1]
    assert "182.5 h × £53.00/h = £9,672.50" in working[2]
    assert not panel.problems_label.isVisible()

    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    info = get_observation_estimate(ward.db, ward.observation_id)  # type: ignore[arg-type]
    assert info is not None
    assert info.annual_value_pence == 967_250
    assert info.result.annual_hours == Decimal("182.5")
    assert info.result.wte.quantize(Decimal("0.0001")) == Decimal("0.0936")
    assert info.inputs == EstimateInput(
        minutes=Decimal(6),
        staff_count=Decimal(1),
        staff_rate_id=ward.rate.id,
        occurrences=Decimal(5),
        per="day",
        recurrent=True,
    )
    assert info.rate.pence == 5300


def test_every_period_is_offered_and_a_week_counts_52(
    qtbot, dialog: EstimateDialog, ward: Ward
) -> None:
    form = dialog.form
    fill_worked_example(qtbot, dialog, ward)
    words = [form.per_combo.itemText(i) for i in range(form.per_combo.count())]
    assert words == ["a day", "a week", "a month", "a year"]
    form.per_combo.setCurrentIndex(1)
    assert form.arithmetic.working_label.text().startswith("Occurrences a year: 5 a week × 52")
    assert form.arithmetic.value_figure.text() == "£1,378.00"  # 6 × 260 / 60 × 53


def test_cash_releasing_without_a_basis_is_refused_inline_and_nothing_saved(
    qtbot, dialog: EstimateDialog, ward: Ward
) -> None:
    form = dialog.form
    fill_worked_example(qtbot, dialog, ward)
    form.cash_check.setFocus()
    qtbot.keyClick(form.cash_check, Qt.Key.Key_Space)
    assert form.cash_check.isChecked()
    assert "Required when cash-releasing" in form.basis_note.text()
    panel = form.arithmetic
    assert panel.problems_label.isVisible()
    assert "A cash-releasing saving needs a written basis" in panel.problems_label.text()
    assert panel.value_figure.text() == "—"

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "a refusal keeps the dialog open with what was typed"
    assert "Not saved: A cash-releasing saving needs a written basis" in dialog.error.text()
    assert get_observation_estimate(ward.db, ward.observation_id) is None  # type: ignore[arg-type]

    type_into(qtbot, form.basis_edit, "Two agency shifts a week stop: roster for April")
    assert not dialog.error.isVisible(), "the old refusal goes as soon as the form changes"
    assert panel.value_figure.text() == "£9,672.50"
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    info = get_observation_estimate(ward.db, ward.observation_id)  # type: ignore[arg-type]
    assert info is not None
    assert info.inputs.cash_releasing
    assert info.inputs.basis == "Two agency shifts a week stop: roster for April"


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("minutes_edit", "-6", "Minutes cannot be negative (-6)"),
        ("occurrences_edit", "20000", "more than 10,000"),
        ("minutes_edit", "300", "hours a day, more than 24"),
        ("minutes_edit", "six", "Minutes must be a number, such as 6 or 1.5, not 'six'"),
        ("consumables_edit", "1.234", "Consumables each time has fractions of a penny"),
    ],
)
def test_negative_absurd_and_unreadable_values_are_refused_and_nothing_saved(
    qtbot, dialog: EstimateDialog, ward: Ward, field: str, text: str, problem: str
) -> None:
    fill_worked_example(qtbot, dialog, ward)
    type_into(qtbot, getattr(dialog.form, field), text)
    panel = dialog.form.arithmetic
    assert problem in panel.problems_label.text()
    assert panel.hours_figure.text() == "—"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert problem in dialog.error.text()
    assert get_observation_estimate(ward.db, ward.observation_id) is None  # type: ignore[arg-type]


def test_minutes_without_a_staff_group_are_refused(
    qtbot, dialog: EstimateDialog, ward: Ward
) -> None:
    form = dialog.form
    type_into(qtbot, form.minutes_edit, "6")
    type_into(qtbot, form.occurrences_edit, "5")
    assert form.rate_combo.rate_id() is None
    assert "Choose a staff group" in form.arithmetic.problems_label.text()
    # A typed name that is not in the list is refused in plain words, not guessed.
    form.rate_combo.setEditText("Wizard, band 9")
    assert "'Wizard, band 9' is not a staff group in the list" in form.problems[0]


def test_the_staff_group_list_shows_rates_with_their_source_and_searches_by_part(
    dialog: EstimateDialog, ward: Ward
) -> None:
    combo = dialog.form.rate_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "Nurse, band 5 — £57.00/h (2025)" in texts
    assert "Test nurse — £53.00/h (2025)" in texts
    index = texts.index("Test nurse — £53.00/h (2025)")
    assert "Test rate for the worked example" in combo.itemData(index, Qt.ItemDataRole.ToolTipRole)
    completer = combo.completer()
    completer.setCompletionPrefix("band 5")
    offered = [completer.completionModel().index(i, 0).data() for i in range(3)]
    assert offered[0] == "Nurse, band 5 — £57.00/h (2025)"
    assert completer.completionCount() >= 1
    assert all("band 5" in (text or "").lower() or text is None for text in offered)


def test_an_archived_rate_is_not_offered_for_a_new_estimate(qtbot, ward: Ward) -> None:
    set_staff_rate_archived(ward.db, ward.rate.id, True)
    dialog = observation_estimate_dialog(ward.db, ward.observation_id)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.form.rate_combo.findData(str(ward.rate.id)) == -1


def test_escape_cancels_without_saving(qtbot, dialog: EstimateDialog, ward: Ward) -> None:
    fill_worked_example(qtbot, dialog, ward)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.form.minutes_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert get_observation_estimate(ward.db, ward.observation_id) is None  # type: ignore[arg-type]


def test_return_in_a_field_saves(qtbot, dialog: EstimateDialog, ward: Ward) -> None:
    fill_worked_example(qtbot, dialog, ward)
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.form.occurrences_edit, Qt.Key.Key_Return)
    assert get_observation_estimate(ward.db, ward.observation_id) is not None  # type: ignore[arg-type]


def test_an_existing_estimate_is_shown_and_can_be_removed(
    qtbot, dialog: EstimateDialog, ward: Ward
) -> None:
    assert not dialog.remove_button.isVisible(), "nothing to remove on a new estimate"
    fill_worked_example(qtbot, dialog, ward)
    type_into(qtbot, dialog.form.consumables_edit, "0.40")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    again = observation_estimate_dialog(ward.db, ward.observation_id)  # type: ignore[arg-type]
    qtbot.addWidget(again)
    again.open()
    form = again.form
    assert form.minutes_edit.text() == "6"
    assert form.occurrences_edit.text() == "5"
    assert form.consumables_edit.text() == "0.40"
    assert form.rate_combo.rate_id() == ward.rate.id
    assert form.priced_label.isVisible()
    assert form.priced_label.text().startswith("Priced on ")
    assert "at £53.00/h (Test nurse, source Test rate for the worked example)" in (
        form.priced_label.text()
    )
    assert not form.rate_notice.isVisible()
    assert form.arithmetic.value_figure.text() == "£10,402.50"  # + 0.40 × 1,825
    assert again.remove_button.isVisible()

    questions: list[str] = []
    again.confirm = lambda _p, _t, text, _y: questions.append(text) is None and False
    qtbot.mouseClick(again.remove_button, Qt.MouseButton.LeftButton)
    assert questions
    assert again.isVisible()
    assert get_observation_estimate(ward.db, ward.observation_id) is not None  # type: ignore[arg-type]

    again.confirm = lambda *_args: True
    with qtbot.waitSignal(again.removed):
        qtbot.mouseClick(again.remove_button, Qt.MouseButton.LeftButton)
    assert again.was_removed
    assert get_observation_estimate(ward.db, ward.observation_id) is None  # type: ignore[arg-type]


def test_the_dialog_serves_any_save_function(qtbot, ward: Ward) -> None:
    """An action's saving uses the same dialog: whatever `save` returns is passed on."""
    received: list[EstimateInput] = []

    def save(data: EstimateInput) -> str:
        received.append(data)
        return "saved by the caller"

    dialog = EstimateDialog(ward.db, ward.area_id, "Expected saving", save)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.windowTitle() == "Expected saving"
    fill_worked_example(qtbot, dialog, ward)
    with qtbot.waitSignal(dialog.saved) as signal:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["saved by the caller"]
    assert dialog.saved_value == "saved by the caller"
    assert received[0].minutes == Decimal(6)


def test_every_control_is_named_big_enough_and_tab_follows_the_fields(
    dialog: EstimateDialog,
) -> None:
    form = dialog.form
    kinds = (QPushButton, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit)
    controls = [
        w
        for kind in kinds
        for w in dialog.findChildren(kind)
        if not isinstance(w.parent(), QComboBox)  # a combo's own line edit is named by it
    ]
    assert len(controls) >= 14
    for control in controls:
        assert control.accessibleName(), control
    for button in dialog.findChildren(QPushButton):
        if button.isVisible():
            assert button.height() >= 40, button.text()
    order = [
        form.minutes_edit,
        form.staff_edit,
        form.rate_combo,
        form.occurrences_edit,
        form.per_combo,
        form.consumables_edit,
        form.other_edit,
        form.cash_check,
        form.recurrent_check,
        form.basis_edit,
    ]
    chain = []
    widget = form.minutes_edit
    for _ in range(300):
        widget = widget.nextInFocusChain()
        if widget in order and widget not in chain:
            chain.append(widget)
    assert chain[: len(order) - 1] == order[1:]
