"""Organisation & settings driven through its buttons and keys, checked against the database.

Modal windows are answered by replacing the functions in `wastewalk.ui.settings.ask`: the real
dialog is still built, filled in by the test and read back by the section; only `exec()` is
skipped. The database is always a real file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
)

from wastewalk.services import backups
from wastewalk.services.backups import BackupKind
from wastewalk.services.organisation import (
    create_area,
    create_csu,
    current_trust,
    list_areas,
    list_csus,
)
from wastewalk.services.wastes import list_categories, set_category_archived
from wastewalk.store.database import Database, open_database
from wastewalk.ui.scope import Scope
from wastewalk.ui.settings import ask
from wastewalk.ui.settings.dialogs import AreaDialog, CategoryDialog, NameDialog
from wastewalk.ui.settings.section import SettingsSection

ORGANISATION, CATEGORIES, DATA_FILE = 0, 1, 2


@dataclass
class Answers:
    """What the section asked and said, and how the test answers it."""

    fill: list[Callable[[QDialog], None]] = field(default_factory=list)
    dialogs: list[QDialog] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    information: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    confirm: bool = True
    save_to: Path | None = None
    quits: int = 0


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    got = Answers()

    def run_dialog(dialog: QDialog) -> bool:
        got.dialogs.append(dialog)
        if not got.fill:
            return False  # as if Cancel were pressed
        got.fill.pop(0)(dialog)
        return True

    def confirm(_parent, _title, text, _yes) -> bool:
        got.questions.append(text)
        return got.confirm

    def quit_application() -> None:
        got.quits += 1

    monkeypatch.setattr(ask, "run_dialog", run_dialog)
    monkeypatch.setattr(ask, "warn", lambda _p, _t, text: got.warnings.append(text))
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: got.information.append(text))
    monkeypatch.setattr(ask, "confirm", confirm)
    monkeypatch.setattr(ask, "save_path", lambda _p, _t, _suggested: got.save_to)
    monkeypatch.setattr(ask, "quit_application", quit_application)
    return got


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ward.sqlite"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(str(db_path))
    yield database
    database.close()


@pytest.fixture
def section(qtbot, db: Database, answers: Answers) -> SettingsSection:
    widget = SettingsSection(db, Scope())
    qtbot.addWidget(widget)
    widget.resize(1130, 650)
    widget.show()
    widget.activated()
    return widget


def type_name(name: str) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, NameDialog)
        dialog.name_edit.setText(name)

    return fill


def area(name: str | None, kind: str = "ward", days: int = 365) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AreaDialog)
        if name is not None:
            assert dialog.name_edit is not None
            dialog.name_edit.setText(name)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
        dialog.days_spin.setValue(days)

    return fill


def category(
    label: str, *, code: str | None = None, hint: str = "", key: str = ""
) -> Callable[[QDialog], None]:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CategoryDialog)
        if code is not None:
            assert dialog.code_edit is not None
            dialog.code_edit.setText(code)
        dialog.label_edit.setText(label)
        dialog.hint_edit.setText(hint)
        dialog.key_edit.setText(key)

    return fill


def tree_rows(section: SettingsSection) -> list[tuple[int, str]]:
    return [(depth, texts[0]) for depth, texts in section.organisation.item_texts()]


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- the organisation tree ------------------------------------------------------------------------


def test_add_a_csu_and_an_area_and_see_them_in_the_tree_and_the_database(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    tab = section.organisation
    answers.fill.append(type_name("  Medicine "))
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.add_csu_button)
    assert [c.name for c in list_csus(db)] == ["Medicine"]
    picked = tab.selected()
    assert picked is not None
    assert (picked.kind, picked.name) == ("csu", "Medicine")  # the new CSU is selected

    answers.fill.append(area("Diabetes clinic", kind="clinic", days=253))
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.add_area_button)

    [made] = list_areas(db)
    assert (made.csu_name, made.name, made.kind, made.operating_days_per_year) == (
        "Medicine",
        "Diabetes clinic",
        "clinic",
        253,
    )
    rows = section.organisation.item_texts()
    assert rows[1:] == [
        (1, ["Medicine", "CSU", "", "0", "0"]),
        (2, ["Diabetes clinic", "Clinic", "253", "0", "0"]),
    ]
    assert answers.warnings == []


def test_renaming_to_a_taken_name_shows_a_message_and_changes_nothing(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    medicine = create_csu(db, "Medicine")
    surgery = create_csu(db, "Surgery")
    section.activated()
    tab = section.organisation
    assert tab.select(surgery.id)

    answers.fill.append(type_name("medicine"))
    with qtbot.assertNotEmitted(section.organisation_changed):
        click(qtbot, tab.rename_button)

    assert len(answers.warnings) == 1
    assert "already exists" in answers.warnings[0]
    # The same form came back with what was typed, to correct (here: cancelled).
    first, again = answers.dialogs
    assert first is again
    assert isinstance(again, NameDialog)
    assert again.name() == "medicine"
    assert {c.id: c.name for c in list_csus(db)} == {medicine.id: "Medicine", surgery.id: "Surgery"}
    assert [name for _depth, name in tree_rows(section)][1:] == ["Medicine", "Surgery"]


def test_f2_renames_the_selected_area(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    csu = create_csu(db, "Medicine")
    ward = create_area(db, csu.id, "Ward 7")
    section.activated()
    tab = section.organisation
    section.window().activateWindow()
    qtbot.waitActive(section.window())
    assert tab.select(ward.id)
    tab.tree.setFocus()

    answers.fill.append(type_name("Ward 7 – Respiratory"))
    with qtbot.waitSignal(section.organisation_changed):
        qtbot.keyClick(tab.tree, Qt.Key.Key_F2)

    assert [a.name for a in list_areas(db)] == ["Ward 7 – Respiratory"]
    assert (2, "Ward 7 – Respiratory") in tree_rows(section)


def test_archive_and_restore_an_area(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    csu = create_csu(db, "Medicine")
    ward = create_area(db, csu.id, "Ward 7")
    create_area(db, csu.id, "Ward 8")
    section.activated()
    tab = section.organisation
    assert tab.select(ward.id)
    assert tab.archive_button.text() == "Arc&hive"

    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.archive_button)
    assert [a.name for a in list_areas(db)] == ["Ward 8"]
    assert [a.archived for a in list_areas(db, include_archived=True)] == [True, False]
    assert (2, "Ward 7") not in tree_rows(section)  # hidden while "Show archived" is off

    tab.show_archived.setChecked(True)
    assert (2, "Ward 7 (archived)") in tree_rows(section)
    assert tab.select(ward.id)
    assert tab.archive_button.text() == "Restore from arc&hive"
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.archive_button)

    assert [a.name for a in list_areas(db)] == ["Ward 7", "Ward 8"]
    assert (2, "Ward 7") in tree_rows(section)


def test_kind_and_operating_days_of_an_area(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    csu = create_csu(db, "Outpatients")
    clinic = create_area(db, csu.id, "Fracture clinic")
    section.activated()
    assert section.organisation.select(clinic.id)

    answers.fill.append(area(None, kind="clinic", days=253))
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, section.organisation.edit_area_button)

    dialog = answers.dialogs[-1]
    assert isinstance(dialog, AreaDialog)
    assert dialog.name_edit is None  # Rename changes the name; this changes kind and days only
    [saved] = list_areas(db)
    assert (saved.name, saved.kind, saved.operating_days_per_year) == (
        "Fracture clinic",
        "clinic",
        253,
    )


def test_rename_the_trust_from_the_top_of_the_tree(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    tab = section.organisation
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    assert "not named yet" in tab.tree.topLevelItem(0).text(0)
    assert not tab.archive_button.isEnabled()

    answers.fill.append(type_name("Northbridge Teaching Hospitals"))
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.rename_button)

    trust = current_trust(db)
    assert trust is not None
    assert trust.name == "Northbridge Teaching Hospitals"
    assert tab.tree.topLevelItem(0).text(0) == "Northbridge Teaching Hospitals"


def test_adding_an_area_to_an_archived_csu_is_explained(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    from wastewalk.services.organisation import set_csu_archived

    old = create_csu(db, "Old CSU")
    set_csu_archived(db, old.id, True)
    section.organisation.show_archived.setChecked(True)
    assert section.organisation.select(old.id)
    click(qtbot, section.organisation.add_area_button)
    assert "Restore it from the archive" in answers.warnings[0]
    assert answers.dialogs == []


def test_a_cancelled_dialog_changes_nothing(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    with qtbot.assertNotEmitted(section.organisation_changed):
        click(qtbot, section.organisation.add_csu_button)
    assert list_csus(db) == []


# --- waste categories -----------------------------------------------------------------------------


def show_categories(section: SettingsSection) -> None:
    section.tabs.setCurrentIndex(CATEGORIES)


def select_code(section: SettingsSection, code: str) -> None:
    table = section.categories.table
    for row in range(table.topLevelItemCount()):
        if table.topLevelItem(row).text(1) == code:
            table.setCurrentItem(table.topLevelItem(row))
            return
    raise AssertionError(f"no row for {code}")


def shown_codes(section: SettingsSection) -> list[str]:
    table = section.categories.table
    return [table.topLevelItem(row).text(1) for row in range(table.topLevelItemCount())]


def test_reordering_categories_with_the_buttons_persists(
    qtbot, section: SettingsSection, db: Database, db_path: Path
) -> None:
    show_categories(section)
    select_code(section, "waiting")
    tab = section.categories
    for _ in range(2):
        with qtbot.waitSignal(section.organisation_changed):
            click(qtbot, tab.up_button)
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.down_button)

    expected = ["transport", "inventory", "waiting", "motion"]
    assert shown_codes(section)[:4] == expected
    assert tab.selected() is not None
    assert tab.selected().code == "waiting"  # the moved category stays selected
    fresh = open_database(str(db_path))
    try:
        assert [c.code for c in list_categories(fresh)][:4] == expected
    finally:
        fresh.close()


def test_the_first_category_cannot_move_up(qtbot, section: SettingsSection) -> None:
    show_categories(section)
    select_code(section, "transport")
    assert not section.categories.up_button.isEnabled()
    with qtbot.assertNotEmitted(section.organisation_changed):
        section.categories.move_selected(-1)
    assert shown_codes(section)[0] == "transport"


def test_adding_a_category_with_a_bad_code_shows_a_message(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    show_categories(section)
    answers.fill.append(category("Interruptions", code="Interruptions!"))
    with qtbot.assertNotEmitted(section.organisation_changed):
        click(qtbot, section.categories.add_button)
    assert len(answers.warnings) == 1
    assert "code 'Interruptions!' must be" in answers.warnings[0]
    assert len(list_categories(db, include_archived=True)) == 8


def test_adding_and_editing_a_category(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    show_categories(section)
    tab = section.categories
    answers.fill.append(
        category("Interruptions", code="interruptions", hint="bleeps on the drug round", key="9")
    )
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.add_button)
    assert shown_codes(section)[-1] == "interruptions"
    assert tab.selected() is not None
    assert tab.selected().code == "interruptions"

    answers.fill.append(category("Interruptions and bleeps", hint="drug round", key="1"))
    click(qtbot, tab.edit_button)
    assert "already used by Transport" in answers.warnings[0]

    answers.fill.append(category("Interruptions and bleeps", hint="drug round", key="0"))
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, tab.edit_button)
    mine = {c.code: c for c in list_categories(db)}["interruptions"]
    assert (mine.label, mine.hint, mine.key) == ("Interruptions and bleeps", "drug round", "0")
    dialog = answers.dialogs[-1]
    assert isinstance(dialog, CategoryDialog)
    assert dialog.code_edit is None  # the code is shown, never edited


def test_archive_and_restore_a_category(
    qtbot, section: SettingsSection, db: Database, answers: Answers
) -> None:
    show_categories(section)
    select_code(section, "skills")
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, section.categories.archive_button)
    assert "skills" not in [c.code for c in list_categories(db)]
    row = section.categories.table.currentItem()
    assert (row.text(1), row.text(5)) == ("skills", "archived")
    with qtbot.waitSignal(section.organisation_changed):
        click(qtbot, section.categories.archive_button)
    assert "skills" in [c.code for c in list_categories(db)]


# --- the data file and its backups ----------------------------------------------------------------


def show_data_file(section: SettingsSection) -> None:
    section.tabs.setCurrentIndex(DATA_FILE)


def backup_rows(section: SettingsSection) -> list[list[str]]:
    table = section.data_file.list
    return [
        [table.topLevelItem(row).text(c) for c in range(4)]
        for row in range(table.topLevelItemCount())
    ]


def test_the_backups_tab_lists_the_automatic_backup_made_on_reopening(
    qtbot, db_path: Path, answers: Answers
) -> None:
    open_database(str(db_path)).close()
    db = open_database(str(db_path))  # an existing file: today's daily backup is made
    try:
        widget = SettingsSection(db, Scope())
        qtbot.addWidget(widget)
        widget.show()
        widget.activated()
        show_data_file(widget)
        today = dt.datetime.now(dt.UTC).date()
        [row] = backup_rows(widget)
        assert row[1] == "Daily (automatic)"
        assert row[3] == f"daily-{today.isoformat()}.sqlite"
        assert widget.data_file.file_label.text() == str(db_path)
        assert "SQLite" in widget.data_file.engine_label.text()
        assert widget.data_file.restore_button.isEnabled()  # the newest is offered
    finally:
        db.close()


def test_a_new_file_has_no_backups_yet_and_says_so(section: SettingsSection) -> None:
    show_data_file(section)
    [row] = backup_rows(section)
    assert row[0].startswith("None yet")
    assert not section.data_file.restore_button.isEnabled()


def test_back_up_now(
    qtbot, section: SettingsSection, db: Database, answers: Answers, tmp_path: Path
) -> None:
    create_csu(db, "Medicine")
    show_data_file(section)
    answers.save_to = backups.suggested_backup_path(db)
    click(qtbot, section.data_file.backup_button)
    assert answers.warnings == []
    assert "A checked copy" in answers.information[0]
    [row] = backup_rows(section)
    assert (row[1], row[3]) == ("Made on request", answers.save_to.name)


def test_restore_keeps_the_current_file_and_closes_the_program(
    qtbot, db_path: Path, answers: Answers
) -> None:
    first = open_database(str(db_path))
    create_csu(first, "Surgery")
    first.close()
    db = open_database(str(db_path))  # today's daily backup holds Surgery only
    create_csu(db, "Medicine")
    widget = SettingsSection(db, Scope())
    qtbot.addWidget(widget)
    widget.show()
    widget.activated()
    show_data_file(widget)
    tab = widget.data_file
    assert tab.selected() is not None
    assert tab.selected().kind is BackupKind.DAILY

    with qtbot.waitSignal(widget.database_replaced) as replaced:
        click(qtbot, tab.restore_button)

    assert replaced.args == [db_path]
    assert "The open file is kept first" in answers.questions[0]
    assert answers.information[0].startswith(
        "Restored. WasteWalk will now reopen on the restored data."
    )
    assert answers.quits == 1
    assert not tab.restore_button.isEnabled()
    assert "replaced by a backup" in tab.notice.text()
    reopened = open_database(str(db_path))
    try:
        assert [c.name for c in list_csus(reopened)] == ["Surgery"]
        kinds = [b.kind for b in backups.list_backups(reopened)]
        assert BackupKind.PRE_RESTORE in kinds
    finally:
        reopened.close()


def test_a_restore_not_confirmed_changes_nothing(qtbot, db_path: Path, answers: Answers) -> None:
    open_database(str(db_path)).close()
    db = open_database(str(db_path))
    try:
        create_csu(db, "Medicine")
        widget = SettingsSection(db, Scope())
        qtbot.addWidget(widget)
        widget.show()
        widget.activated()
        show_data_file(widget)
        answers.confirm = False
        click(qtbot, widget.data_file.restore_button)
        assert answers.quits == 0
        assert [c.name for c in list_csus(db)] == ["Medicine"]
        assert widget.data_file.restore_button.isEnabled()
    finally:
        db.close()


# --- how it is built ------------------------------------------------------------------------------


def test_every_control_has_an_accessible_name_and_buttons_are_big_enough(
    section: SettingsSection,
) -> None:
    for index in range(section.tabs.count()):
        section.tabs.setCurrentIndex(index)
    kinds = (QPushButton, QCheckBox, QTreeWidget, QTabWidget, QLineEdit, QComboBox, QSpinBox)
    controls = [w for kind in kinds for w in section.findChildren(kind)]
    assert len(controls) >= 15
    for control in controls:
        assert control.accessibleName(), control
    for index in range(section.tabs.count()):
        section.tabs.setCurrentIndex(index)
        for button in section.tabs.currentWidget().findChildren(QPushButton):
            assert button.height() >= 40, button.text()


def test_dialogs_check_what_they_can_before_the_service_does(qtbot) -> None:
    name = NameDialog("Add a CSU", "CSU &name:")
    qtbot.addWidget(name)
    assert not name.ok_button.isEnabled()
    name.name_edit.setText("Medicine")
    assert name.ok_button.isEnabled()

    days = AreaDialog("Add an area", csu_name="Medicine")
    qtbot.addWidget(days)
    assert (days.days_spin.minimum(), days.days_spin.maximum()) == (1, 366)
    assert "'per day' into 'per year'" in days.days_spin.accessibleDescription()
    assert [days.kind_combo.itemData(i) for i in range(days.kind_combo.count())] == [
        "ward",
        "department",
        "clinic",
    ]

    edit = CategoryDialog("Edit Waiting", code="waiting", label="Waiting", key="4")
    qtbot.addWidget(edit)
    assert edit.code() is None
    assert edit.key() == "4"
    edit.key_edit.setText(" ")
    assert edit.key() is None


def test_an_archived_category_is_greyed(section: SettingsSection, db: Database) -> None:
    skills = {c.code: c for c in list_categories(db)}["skills"]
    set_category_archived(db, skills.id, True)
    show_categories(section)
    section.categories.reload()
    row = section.categories.table.topLevelItem(7)
    normal = section.categories.table.topLevelItem(0)
    assert row.text(5) == "archived"
    assert row.foreground(2).color() != normal.foreground(2).color()


def test_a_server_database_shows_that_backups_are_made_on_the_server(qtbot) -> None:
    from sqlalchemy import create_engine

    from wastewalk.store.engine import make_sessionmaker
    from wastewalk.ui.settings.data_file_tab import DataFileTab

    # Never connected: the tab reads only the engine's dialect and the URL.
    engine = create_engine("postgresql+psycopg://ward:secret@db.example.nhs.uk/wastewalk")
    server = Database(
        url=str(engine.url), engine=engine, sessions=make_sessionmaker(engine), path=None
    )
    tab = DataFileTab(server)
    qtbot.addWidget(tab)
    tab.show()
    tab.reload()
    assert "secret" not in tab.file_label.text()
    assert tab.engine_label.text().startswith("PostgreSQL")
    assert tab.notice.isVisible()
    assert "made on the database server" in tab.notice.text()
    assert not tab.backups_box.isVisible()
    engine.dispose()


@pytest.mark.parametrize(("press", "expected"), [("&Restore", True), ("Cancel", False)])
def test_the_real_confirmation_defaults_to_cancel_and_answers_as_pressed(
    qtbot, press: str, expected: bool
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.defaultButton().text())
        [button] = [b for b in box.buttons() if b.text() == press]
        button.click()

    # Not replaced here: the real modal box is shown and answered from the event loop.
    QTimer.singleShot(0, answer)
    assert ask.confirm(None, "Restore a backup", "Put it back?", "&Restore") is expected
    assert seen == ["Cancel"]
