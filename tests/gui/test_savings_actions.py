"""The Actions tab of the Savings section driven with qtbot, checked against the services.

Modal windows are answered by replacing the functions in `wastewalk.ui.savings.ask`: the real
dialog is built, filled in and its OK button clicked by the test; only `exec()` is skipped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.gui.test_savings_rollup import Trust, build_trust
from wastewalk.domain.costing import money_text
from wastewalk.services.actions import (
    ActionInput,
    action_history,
    create_action,
    get_action,
    list_actions,
    uk_today,
)
from wastewalk.services.savings import RollupBy, rollup
from wastewalk.store.database import Database, open_database
from wastewalk.ui.savings import ask
from wastewalk.ui.savings.action_dialogs import (
    EditActionDialog,
    HistoryDialog,
    NewActionDialog,
    UnlockDialog,
)
from wastewalk.ui.savings.actions_tab import DUE, EXPECTED, TITLE, VALIDATED, ActionsTab
from wastewalk.ui.savings.badges import OVERDUE_ROLE
from wastewalk.ui.savings.saving_dialogs import ValidatedSavingDialog
from wastewalk.ui.savings.section import ACTIONS, SavingsSection
from wastewalk.ui.scope import Scope


@dataclass
class Answers:
    """The dialogs the tab showed, how the test fills each one, and what it was told."""

    fill: list[Callable[[QDialog], None]] = field(default_factory=list)
    dialogs: list[QDialog] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    confirm: bool = True


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    got = Answers()

    def run_dialog(dialog: QDialog) -> bool:
        got.dialogs.append(dialog)
        while got.fill and dialog.result() != QDialog.DialogCode.Accepted:
            got.fill.pop(0)(dialog)  # each filler types and presses OK; a refusal keeps it open
        return dialog.result() == QDialog.DialogCode.Accepted

    def confirm(_parent, _title, text, _yes) -> bool:
        got.questions.append(text)
        return got.confirm

    monkeypatch.setattr(ask, "run_dialog", run_dialog)
    monkeypatch.setattr(ask, "warn", lambda _p, _t, text: got.warnings.append(text))
    monkeypatch.setattr(ask, "confirm", confirm)
    return got


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "trust.sqlite"))
    yield database
    database.close()


@pytest.fixture
def trust(db: Database) -> Trust:
    return build_trust(db)


@pytest.fixture
def tab(qtbot, db: Database, trust: Trust, answers: Answers) -> Iterator[ActionsTab]:
    section = SavingsSection(db, Scope())
    qtbot.addWidget(section)
    section.resize(1150, 700)
    section.show()
    section.tabs.setCurrentIndex(ACTIONS)
    section.activated()
    yield section.actions
    section.rollup.background.wait()


def row_of(tab: ActionsTab, action_id: uuid.UUID) -> int:
    return next(i for i, a in enumerate(tab.actions) if a.id == action_id)


def press_ok(qtbot, dialog: QDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def test_new_action_from_two_observations_through_the_dialog(
    qtbot, tab: ActionsTab, db: Database, trust: Trust, answers: Answers
) -> None:
    def nothing_ticked(dialog: QDialog) -> None:
        assert isinstance(dialog, NewActionDialog)
        dialog.area.setCurrentIndex(dialog.area.findData(str(trust.ward7.id)))
        dialog.fields.title.setText("Pumps kept on each bay")
        press_ok(qtbot, dialog)
        assert "at least one observation" in dialog.error.text()

    def two_ticked(dialog: QDialog) -> None:
        assert isinstance(dialog, NewActionDialog)
        texts = [dialog.observations.item(i).text() for i in range(dialog.observations.count())]
        # The area's observations with their estimate: priced ones say so, the other does not.
        assert any("Agency nurse" in t and "cash-releasing" in t for t in texts)
        assert any("Waited for a porter" in t and "not priced" in t for t in texts)
        assert any("Call bells" in t and "already in 1 action" in t for t in texts)
        for row in range(dialog.observations.count()):
            item = dialog.observations.item(row)
            if "Agency nurse" in item.text() or "Waited for a porter" in item.text():
                item.setCheckState(Qt.CheckState.Checked)
        assert dialog.ticked_label.text().startswith("2 of 3 ticked")
        dialog.fields.owner.setText("Charge nurse")
        dialog.fields.due.setDate(dialog.fields.due.date().addDays(7))
        dialog.fields.status.setCurrentIndex(dialog.fields.status.findData("in_progress"))
        press_ok(qtbot, dialog)

    answers.fill = [nothing_ticked, two_ticked]
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    made = [a for a in list_actions(db) if a.title == "Pumps kept on each bay"]
    assert len(made) == 1
    action = made[0]
    assert set(action.observation_ids) == {trust.agency, trust.unpriced}
    assert action.area_id == trust.ward7.id
    assert action.owner == "Charge nurse"
    assert action.status == "in_progress"
    assert action.due_date == uk_today() + dt.timedelta(days=35)
    # The new action is listed and selected.
    assert tab.selected_id() == action.id
    assert tab.table.item(tab.table.currentRow(), TITLE).text() == "Pumps kept on each bay"


def test_validate_then_the_action_is_locked(
    qtbot, tab: ActionsTab, db: Database, trust: Trust, answers: Answers
) -> None:
    tab.select(trust.expected_action)
    assert tab.validate_button.isEnabled()
    assert not tab.unlock_button.isEnabled()

    def without_who(dialog: QDialog) -> None:
        assert isinstance(dialog, ValidatedSavingDialog)
        assert dialog.windowTitle() == "Validated saving"
        # It starts from the expected saving: 3 minutes, 5 a day.
        assert dialog.form.minutes_edit.text() == "3"
        dialog.form.minutes_edit.setText("4")
        press_ok(qtbot, dialog)
        assert "Validated by" in dialog.error.text()

    def with_who(dialog: QDialog) -> None:
        assert isinstance(dialog, ValidatedSavingDialog)
        dialog.validated_by.setText("M. Osei, finance business partner")
        press_ok(qtbot, dialog)

    answers.fill = [without_who, with_who]
    qtbot.mouseClick(tab.validate_button, Qt.MouseButton.LeftButton)
    action = get_action(db, trust.expected_action)
    assert action.locked
    assert action.validated_by == "M. Osei, finance business partner"
    assert action.validated is not None
    # 4 min x 5 a day x 365 days / 60 = 121.67 h at £53/h = £6,448.33
    assert action.validated.annual_value_pence == 644833
    row = row_of(tab, trust.expected_action)
    cell = tab.table.item(row, VALIDATED)
    assert cell.text() == "£6,448.33"
    assert not cell.icon().isNull()  # the lock
    assert cell.toolTip().startswith("Locked")
    assert "M. Osei" in tab.table.item(row, VALIDATED + 1).text()
    assert tab.unlock_button.isEnabled()
    assert not tab.validate_button.isEnabled()
    assert not tab.expected_button.isEnabled()
    ward22 = get_action(db, trust.validated_action).validated
    assert ward22 is not None
    assert rollup(db, RollupBy.TRUST).total.validated == 644833 + ward22.annual_value_pence


def test_unlock_needs_who_and_why_and_is_recorded(
    qtbot, tab: ActionsTab, db: Database, trust: Trust, answers: Answers
) -> None:
    tab.select(trust.validated_action)
    assert tab.unlock_button.isEnabled()
    validated_before = rollup(db, RollupBy.TRUST).total.validated
    figure = get_action(db, trust.validated_action).validated
    assert figure is not None

    def no_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        assert "recorded in the action's history" in dialog.warning.text()
        dialog.who.setText("A. Khan, matron")
        press_ok(qtbot, dialog)
        assert "reason" in dialog.error.text().lower()

    def reason(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        dialog.reason.setPlainText("Bank shifts came back in May")
        press_ok(qtbot, dialog)

    answers.fill = [no_reason, reason]
    qtbot.mouseClick(tab.unlock_button, Qt.MouseButton.LeftButton)
    action = get_action(db, trust.validated_action)
    assert not action.locked
    events = action_history(db, trust.validated_action)
    assert [(e.what, e.who, e.note) for e in events if e.what == "unlocked"] == [
        ("unlocked", "A. Khan, matron", "Bank shifts came back in May")
    ]
    # Its validated saving no longer counts, and the table says so.
    assert (
        rollup(db, RollupBy.TRUST).total.validated == validated_before - figure.annual_value_pence
    )
    assert tab.table.item(row_of(tab, action.id), VALIDATED).text().endswith("(unlocked)")
    assert tab.validate_button.isEnabled()

    answers.fill = [lambda _dialog: None]
    qtbot.mouseClick(tab.history_button, Qt.MouseButton.LeftButton)
    history = answers.dialogs[-1]
    assert isinstance(history, HistoryDialog)
    whats = [history.table.item(r, 2).text() for r in range(history.table.rowCount())]
    assert whats == ["Saving validated; action locked", "Unlocked"]
    assert history.table.item(1, 3).text() == "Bank shifts came back in May"


def test_an_overdue_action_is_flagged_and_first(
    qtbot, tab: ActionsTab, db: Database, trust: Trust
) -> None:
    late = create_action(
        db,
        [trust.clinic_wait],
        ActionInput("Notes pulled the day before", due_date=uk_today() - dt.timedelta(days=3)),
    )
    create_action(
        db,
        [trust.agency],
        ActionInput("Pump library", due_date=uk_today() + dt.timedelta(days=3)),
    )
    tab.reload()
    assert tab.actions[0].id == late.id
    due = tab.table.item(0, DUE)
    assert due.data(OVERDUE_ROLE) is True
    assert due.toolTip().startswith("Overdue")
    assert all(not tab.table.item(r, DUE).data(OVERDUE_ROLE) for r in range(1, 4))
    assert "1 overdue" in tab.status.text()

    tab.overdue_only.setChecked(True)
    assert [a.id for a in tab.actions] == [late.id]
    assert tab.table.rowCount() == 1


def test_deleting_a_locked_action_is_refused_with_the_reason(
    qtbot, tab: ActionsTab, db: Database, trust: Trust, answers: Answers
) -> None:
    tab.select(trust.validated_action)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert answers.questions
    assert "locked" in answers.warnings[-1]
    assert get_action(db, trust.validated_action).locked

    tab.select(trust.expected_action)
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert trust.expected_action not in [a.id for a in list_actions(db)]
    assert trust.expected_action not in [a.id for a in tab.actions]


def test_edit_and_ctrl_z_puts_it_back(
    qtbot, tab: ActionsTab, db: Database, trust: Trust, answers: Answers
) -> None:
    tab.select(trust.expected_action)

    def rename(dialog: QDialog) -> None:
        assert isinstance(dialog, EditActionDialog)
        assert dialog.fields.title.text() == "Answer bells in bays"
        dialog.fields.title.setText("Answer call bells from the bay")
        dialog.fields.status.setCurrentIndex(dialog.fields.status.findData("done"))
        press_ok(qtbot, dialog)

    answers.fill = [rename]
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    edited = get_action(db, trust.expected_action)
    assert (edited.title, edited.status) == ("Answer call bells from the bay", "done")

    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = get_action(db, trust.expected_action)
    assert (back.title, back.status) == ("Answer bells in bays", "open")
    assert "Undid" in tab.status.text()


def test_expected_saving_through_the_estimate_dialog(
    qtbot, tab: ActionsTab, db: Database, trust: Trust, answers: Answers
) -> None:
    tab.select(trust.expected_action)

    def six_minutes(dialog: QDialog) -> None:
        assert dialog.windowTitle() == "Expected saving"
        dialog.form.minutes_edit.setText("6")  # type: ignore[attr-defined]
        press_ok(qtbot, dialog)

    answers.fill = [six_minutes]
    qtbot.mouseClick(tab.expected_button, Qt.MouseButton.LeftButton)
    action = get_action(db, trust.expected_action)
    assert action.expected is not None
    assert action.expected.annual_value_pence == 967250  # the worked example
    assert tab.table.item(row_of(tab, action.id), EXPECTED).text() == money_text(967250)
