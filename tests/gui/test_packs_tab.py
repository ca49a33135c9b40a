"""Hand over (packs) driven through its buttons: a demo laptop exports a pack, an empty file
imports it (preview, Import, log), imports it again (all identical), meets a conflict and settles
it side by side; a hostile file is refused; Cancel leaves no file and the tab ready.

Real SQLite files throughout; only the file choosers are answered by the test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, inspect, select, text

from wastewalk.models import Observation
from wastewalk.services.demo import make_demo
from wastewalk.services.observations import (
    edit_observation,
    get_observation,
    input_from_info,
    set_observation_deleted,
)
from wastewalk.store.database import Database, open_database
from wastewalk.ui.packs.packs_tab import CONFLICTS, IMPORT, LOG, PacksTab
from wastewalk.ui.packs.preview_view import totals
from wastewalk.ui.scope import Scope
from wastewalk.ui.settings.section import SettingsSection

TODAY = dt.date(2026, 11, 24)
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo trust made once per module; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WASTEWALK_DATA_DIR", str(folder / "data"))
        database = open_database(str(folder / "demo.sqlite"))
        make_demo(database, seed=1, today=TODAY)
        database.close()
    return folder / "demo.sqlite"


@pytest.fixture
def laptop(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "laptop.sqlite"
    shutil.copy(demo_template, copy)
    database = open_database(str(copy))
    yield database
    database.close()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "hub.sqlite"))
    yield database
    database.close()


def make_tab(qtbot, db: Database) -> PacksTab:
    tab = PacksTab(db, Scope())
    qtbot.addWidget(tab)
    tab.resize(1150, 640)
    tab.show()
    tab.reload()
    tab.export.today = lambda: TODAY
    return tab


def answer_save(monkeypatch: pytest.MonkeyPatch, answer: Path | None) -> list[str]:
    asked: list[str] = []

    def choose(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return (str(answer) if answer else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    return asked


def answer_open(monkeypatch: pytest.MonkeyPatch, answer: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(answer), ""))
    )


def export_via_tab(qtbot, tab: PacksTab, monkeypatch: pytest.MonkeyPatch, out: Path) -> Any:
    """Save a pack of everything; the PackExport the service returned."""
    asked = answer_save(monkeypatch, out)
    with (
        qtbot.waitSignal(tab.worker.finished, timeout=WAIT_MS) as result,
        qtbot.waitSignal(tab.export.done, timeout=WAIT_MS) as done,
    ):
        qtbot.mouseClick(tab.export.save_button, Qt.MouseButton.LeftButton)
    assert done.args == ["saved"], tab.export.message.text.text()
    assert asked
    return result.args[0]


def preview_via_tab(qtbot, tab: PacksTab, monkeypatch: pytest.MonkeyPatch, pack: Path) -> str:
    tab.pages.setCurrentIndex(IMPORT)
    answer_open(monkeypatch, pack)
    with qtbot.waitSignal(tab.importer.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tab.importer.choose_button, Qt.MouseButton.LeftButton)
    return str(done.args[0])


def import_via_tab(qtbot, tab: PacksTab) -> None:
    assert tab.importer.import_button.isEnabled()
    with qtbot.waitSignal(tab.importer.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tab.importer.import_button, Qt.MouseButton.LeftButton)
    assert done.args == ["imported"], tab.importer.message.text.text()


def row_counts(db: Database) -> dict[str, int]:
    """Rows in every table of the file: what 'unchanged' is checked against."""
    with db.session() as session:
        names = inspect(session.get_bind()).get_table_names()
        return {
            name: int(session.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0) for name in names
        }


def observation_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Observation)) or 0)


def test_a_pack_goes_from_a_laptop_into_an_empty_file_once(
    qtbot, laptop: Database, hub: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = make_tab(qtbot, laptop)
    assert sender.export.everything.isChecked()
    assert not sender.export.in_scope.isEnabled()  # the whole trust is in view
    pack = tmp_path / "out" / "ward.wwpack"
    pack.parent.mkdir()
    asked = answer_save(monkeypatch, pack)
    with (
        qtbot.waitSignal(sender.worker.finished, timeout=WAIT_MS) as result,
        qtbot.waitSignal(sender.export.done, timeout=WAIT_MS) as done,
    ):
        qtbot.mouseClick(sender.export.save_button, Qt.MouseButton.LeftButton)
    assert done.args == ["saved"], sender.export.message.text.text()
    name = Path(asked[0]).name
    assert name.startswith("WasteWalk - ")
    assert name.endswith(" - 2026-11-24.wwpack")
    exported = result.args[0]
    records = sum(exported.records.values())
    assert records > 0
    assert pack.is_file()
    said = sender.export.message.text.text()
    assert said == f"Saved {records:,} records and {exported.photos:,} photos to {pack}."
    assert sender.export.message.kind == "done"
    assert not sender.export.progress.isVisible()

    receiver = make_tab(qtbot, hub)
    assert preview_via_tab(qtbot, receiver, monkeypatch, pack) == "previewed"
    shown = receiver.importer.preview
    assert receiver.importer.preview_box.isVisible()
    summed = totals(shown.preview)
    # The seeded categories, rates and settings every new file has are already identical.
    assert summed["new"] + summed["identical"] == records
    assert summed["new"] > summed["identical"] > 0
    assert summed["updated"] == summed["conflicts"] == summed["local_newer"] == 0
    new = summed["new"]
    by_table = {
        shown.table.topLevelItem(i).text(0): shown.table.topLevelItem(i).text(1)
        for i in range(shown.table.topLevelItemCount())
    }
    assert by_table["Observations"] == f"{exported.records['observation']:,}"
    assert by_table["All records"] == f"{new:,}"
    assert "From device" in shown.source.text()
    assert "ward.wwpack" in shown.source.text()
    assert observation_count(hub) == 0  # a preview changes nothing

    import_via_tab(qtbot, receiver)
    assert observation_count(hub) == exported.records["observation"]
    assert receiver.importer.message.text.text().startswith(f"Imported ward.wwpack: {new:,} new")
    assert not receiver.importer.preview_box.isVisible()
    receiver.pages.setCurrentIndex(LOG)
    log = receiver.log.list
    assert log.topLevelItemCount() == 1
    assert log.topLevelItem(0).text(2) == "ward.wwpack"
    assert log.topLevelItem(0).text(3).startswith(f"{new:,} new, 0 updated")

    # The same pack again: every record identical, nothing changes, the attempt is logged.
    before = row_counts(hub)
    assert preview_via_tab(qtbot, receiver, monkeypatch, pack) == "previewed"
    again = totals(receiver.importer.preview.preview)
    assert again["identical"] == records
    assert again["new"] == again["updated"] == again["conflicts"] == 0
    assert "would change nothing" in receiver.importer.preview.summary.text()
    import_via_tab(qtbot, receiver)
    after = row_counts(hub)
    assert after.pop("pack_import_log") == before.pop("pack_import_log") + 1
    assert after == before
    receiver.pages.setCurrentIndex(LOG)
    assert receiver.log.list.topLevelItemCount() == 2
    assert receiver.log.list.topLevelItem(0).text(3).startswith("0 new, 0 updated")


def test_a_conflict_is_shown_side_by_side_and_the_packs_version_taken(
    qtbot, laptop: Database, hub: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = make_tab(qtbot, laptop)
    receiver = make_tab(qtbot, hub)
    first = tmp_path / "first.wwpack"
    export_via_tab(qtbot, sender, monkeypatch, first)
    assert preview_via_tab(qtbot, receiver, monkeypatch, first) == "previewed"
    import_via_tab(qtbot, receiver)

    # After they met, the same observation is changed on both laptops.
    with laptop.session() as session:
        chosen = session.scalar(
            select(Observation.id).where(Observation.deleted_at.is_(None)).order_by(Observation.id)
        )
    assert chosen is not None
    for db, words in ((laptop, "Sharps bin full on the ward"), (hub, "Sharps bin moved")):
        info = get_observation(db, chosen)
        edit_observation(db, chosen, dataclasses.replace(input_from_info(info), description=words))

    second = tmp_path / "second.wwpack"
    export_via_tab(qtbot, sender, monkeypatch, second)
    assert preview_via_tab(qtbot, receiver, monkeypatch, second) == "previewed"
    assert totals(receiver.importer.preview.preview)["conflicts"] == 1
    import_via_tab(qtbot, receiver)
    assert get_observation(hub, chosen).description == "Sharps bin moved"  # not overwritten
    assert "Conflicts" in receiver.importer.message.text.text()

    receiver.pages.setCurrentIndex(CONFLICTS)
    view = receiver.conflicts
    assert receiver.pages.tabText(CONFLICTS) == "Co&nflicts (1)"
    assert view.list.topLevelItemCount() == 1
    assert view.list.topLevelItem(0).text(1) == "Changed on both"
    view.select_index(0)
    fields = {view.side.item(row, 0).text(): row for row in range(view.side.rowCount())}
    row = fields["Description"]
    assert row == 0  # the field that differs comes first
    assert view.side.item(row, 1).text() == "Sharps bin moved"
    assert view.side.item(row, 2).text() == "Sharps bin full on the ward"
    assert view.side.item(row, 1).font().bold()
    same = fields["Location"]
    assert view.side.item(same, 1).text() == view.side.item(same, 2).text()
    assert not view.side.item(same, 1).font().bold()

    view.who.setText("Sam Patel")
    qtbot.mouseClick(view.take_button, Qt.MouseButton.LeftButton)
    assert get_observation(hub, chosen).description == "Sharps bin full on the ward"
    assert view.message.kind == "done"
    assert "Took the pack's version" in view.message.text.text()
    assert view.conflicts == []
    assert receiver.pages.tabText(CONFLICTS) == "Co&nflicts"
    assert not view.take_button.isEnabled()


def test_a_file_that_is_not_a_pack_is_refused_and_changes_nothing(
    qtbot, laptop: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = make_tab(qtbot, laptop)
    hostile = tmp_path / "hostile.wwpack"
    hostile.write_bytes(b"this is not a zip file at all\n" * 20)
    before = row_counts(laptop)
    assert preview_via_tab(qtbot, tab, monkeypatch, hostile) == "refused"
    assert tab.importer.message.kind == "error"
    said = tab.importer.message.text.text()
    assert said.startswith("This pack cannot be imported; nothing changed.")
    assert len(said) > len("This pack cannot be imported; nothing changed.") + 5
    assert not tab.importer.preview_box.isVisible()
    assert not tab.importer.import_button.isEnabled()
    assert tab.importer.choose_button.isEnabled()
    assert row_counts(laptop) == before


def test_cancel_during_export_and_preview_leaves_no_file_and_the_tab_ready(
    qtbot, laptop: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = make_tab(qtbot, laptop)
    gate = threading.Event()
    tab.worker.progress_hook = lambda _fraction, _words: gate.wait(30)
    out = tmp_path / "cancelled.wwpack"
    answer_save(monkeypatch, out)
    with qtbot.waitSignal(tab.worker.progressed, timeout=WAIT_MS):
        qtbot.mouseClick(tab.export.save_button, Qt.MouseButton.LeftButton)
    assert tab.export.progress.isVisible()
    assert not tab.export.save_button.isEnabled()
    assert not tab.importer.choose_button.isEnabled()  # one pack at a time
    with qtbot.waitSignal(tab.export.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tab.export.progress.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    assert done.args == ["cancelled"]
    assert list(tmp_path.glob("*.wwpack*")) == []
    assert tab.export.message.text.text() == "Stopped; no pack was saved."
    assert tab.export.save_button.isEnabled()
    assert not tab.export.progress.isVisible()

    # A real pack, then a preview of it stopped half way.
    tab.worker.progress_hook = None
    pack = tmp_path / "real.wwpack"
    export_via_tab(qtbot, tab, monkeypatch, pack)
    gate.clear()
    tab.worker.progress_hook = lambda _fraction, _words: gate.wait(30)
    tab.pages.setCurrentIndex(IMPORT)
    answer_open(monkeypatch, pack)
    with qtbot.waitSignal(tab.worker.progressed, timeout=WAIT_MS):
        qtbot.mouseClick(tab.importer.choose_button, Qt.MouseButton.LeftButton)
    assert tab.importer.progress.isVisible()
    before = row_counts(laptop)
    with qtbot.waitSignal(tab.importer.done, timeout=WAIT_MS) as stopped:
        qtbot.keyClick(tab.importer.progress.cancel_button, Qt.Key.Key_Space)
        gate.set()
    assert stopped.args == ["cancelled"]
    assert not tab.importer.preview_box.isVisible()
    assert tab.importer.choose_button.isEnabled()
    assert not tab.importer.progress.isVisible()
    assert row_counts(laptop) == before

    # Ready again: the preview runs to the end.
    tab.worker.progress_hook = None
    assert preview_via_tab(qtbot, tab, monkeypatch, pack) == "previewed"


def test_the_settings_section_has_the_hand_over_tab(qtbot, laptop: Database) -> None:
    section = SettingsSection(laptop, Scope())
    qtbot.addWidget(section)
    section.show()
    titles = [section.tabs.tabText(i) for i in range(section.tabs.count())]
    assert "&Hand over (packs)" in titles
    section.tabs.setCurrentWidget(section.packs)
    assert section.packs.log.list.topLevelItemCount() == 1  # the note: nothing imported yet
    assert section.packs.conflicts.list.topLevelItemCount() == 1  # the note: no conflicts


def test_changed_since_the_last_hand_over_to_a_named_destination(
    qtbot, laptop: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = make_tab(qtbot, laptop)
    panel = tab.export
    panel.destination.setCurrentText("Improvement team")
    assert panel.since_last.isChecked()  # typing a destination chooses it
    first = tmp_path / "first.wwpack"
    asked = answer_save(monkeypatch, first)
    with qtbot.waitSignal(panel.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert done.args == ["saved"], panel.message.text.text()
    assert Path(asked[0]).name.endswith(" - for Improvement team - 2026-11-24.wwpack")
    assert "Improvement team" in [
        panel.destination.itemText(i) for i in range(panel.destination.count())
    ]

    # Nothing changed since: the next pack to the same destination carries nothing.
    second = tmp_path / "second.wwpack"
    answer_save(monkeypatch, second)
    with (
        qtbot.waitSignal(tab.worker.finished, timeout=WAIT_MS) as result,
        qtbot.waitSignal(panel.done, timeout=WAIT_MS),
    ):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert sum(result.args[0].records.values()) == 0
    assert "Nothing has changed since the last hand-over to Improvement team" in (
        panel.message.text.text()
    )

    # No destination typed: said plainly, no file chooser.
    panel.destination.setCurrentText("")
    panel.set_choice(2)
    asked = answer_save(monkeypatch, tmp_path / "never.wwpack")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert asked == []
    assert panel.message.kind == "error"
    assert "who the pack is for" in panel.message.text.text()


def test_deleted_here_changed_there_is_kept_as_it_is_here_when_chosen(
    qtbot, laptop: Database, hub: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = make_tab(qtbot, laptop)
    receiver = make_tab(qtbot, hub)
    first = tmp_path / "first.wwpack"
    export_via_tab(qtbot, sender, monkeypatch, first)
    assert preview_via_tab(qtbot, receiver, monkeypatch, first) == "previewed"
    import_via_tab(qtbot, receiver)
    with laptop.session() as session:
        chosen = session.scalar(
            select(Observation.id).where(Observation.deleted_at.is_(None)).order_by(Observation.id)
        )
    assert chosen is not None
    info = get_observation(laptop, chosen)
    edit_observation(laptop, chosen, dataclasses.replace(input_from_info(info), location="Bay 4"))
    set_observation_deleted(hub, chosen, True)

    second = tmp_path / "second.wwpack"
    export_via_tab(qtbot, sender, monkeypatch, second)
    assert preview_via_tab(qtbot, receiver, monkeypatch, second) == "previewed"
    import_via_tab(qtbot, receiver)
    receiver.pages.setCurrentIndex(CONFLICTS)
    view = receiver.conflicts
    assert view.list.topLevelItem(0).text(1) == "Deleted here, changed there"
    view.select_index(0)
    fields = [view.side.item(row, 0).text() for row in range(view.side.rowCount())]
    assert set(fields[:2]) == {"Location", "Deleted"}
    deleted = fields.index("Deleted")
    assert view.side.item(deleted, 2).text() == "No"  # never deleted there, not "(empty)"
    assert view.side.item(deleted, 1).text() not in ("No", "(empty)")  # when it was deleted here
    view.who.setText("")
    assert not view.keep_button.isEnabled()  # a choice is always signed
    view.who.setText("Jo Bloggs")
    view.keep_button.setFocus()
    qtbot.keyClick(view.keep_button, Qt.Key.Key_Space)
    assert get_observation(hub, chosen).deleted
    assert get_observation(hub, chosen).location != "Bay 4"
    assert "Kept this laptop's version" in view.message.text.text()
    assert view.conflicts == []
