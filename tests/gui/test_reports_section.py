"""The Reports section driven with qtbot on a copy of the demo trust: preview, save, cancel, errors,
CSV export and the walk summary; the PDFs read back with pypdf."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from wastewalk.export.csv_exports import ALL_FILES, EXPORTS
from wastewalk.services.demo import make_demo
from wastewalk.services.organisation import list_csus
from wastewalk.services.walk_list import list_walks_in_scope
from wastewalk.services.walks import edit_walk
from wastewalk.store.database import Database, open_database
from wastewalk.ui.reports.jobs import (
    CSV_CHOICES,
    ReportKind,
    default_file_name,
    file_name_part,
)
from wastewalk.ui.reports.section import ReportsSection
from wastewalk.ui.reports.walk_picker import walk_day
from wastewalk.ui.scope import Scope

TODAY = dt.date(2026, 11, 24)
WAIT_MS = 60_000  # a PDF of the demo trust takes about a second; a slow CI machine, more


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
def db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, copy)
    database = open_database(str(copy))
    yield database
    database.close()


def medicine_scope(db: Database) -> Scope:
    medicine = next(c for c in list_csus(db) if c.name == "Medicine")
    return Scope(csu_id=medicine.id)


def make_section(qtbot, db: Database, scope: Scope) -> ReportsSection:
    section = ReportsSection(db, scope)
    qtbot.addWidget(section)
    section.resize(1150, 680)
    section.show()
    section.activated()
    section.reports.today = lambda: TODAY
    return section


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def fake_save_dialog(monkeypatch: pytest.MonkeyPatch, answer: Path | None) -> list[str]:
    """QFileDialog.getSaveFileName answers `answer`; the suggested paths are recorded."""
    asked: list[str] = []

    def choose(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return (str(answer) if answer else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    return asked


def test_savings_report_previews_then_saves_the_previewed_copy(
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = make_section(qtbot, db, medicine_scope(db))
    tab = section.reports
    tab.set_kind(ReportKind.SAVINGS)
    assert tab.preview_button.isEnabled()
    assert not tab.save_csv_button.isVisible()

    tab.preview_button.setFocus()
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as done:
        qtbot.keyClick(tab.preview_button, Qt.Key.Key_Return)  # Enter on Preview builds it
    assert done.args == ["preview"]
    assert tab.preview.document.pageCount() > 0
    assert tab.previewed is not None
    assert tab.previewed.pages == tab.preview.page_count
    assert "Savings report · Medicine CSU · all dates" in tab.preview_caption.text()
    assert tab.kind.isEnabled()
    assert not tab.progress.isVisible()

    target = tmp_path / "out" / "medicine.pdf"
    target.parent.mkdir()
    asked = fake_save_dialog(monkeypatch, target)
    # The previewed file is copied, not built again: the worker does not start.
    with (
        qtbot.waitSignal(tab.done, timeout=WAIT_MS) as saved,
        qtbot.assertNotEmitted(tab.worker.busy_changed),
    ):
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert saved.args == ["saved"]
    assert Path(asked[0]).name == "Savings report - Medicine CSU - 2026-11-24.pdf"
    assert target.read_bytes() == tab.previewed.path.read_bytes()
    text = pdf_text(target)
    assert "Savings report" in text
    assert "Medicine" in text
    assert tab.message.kind == "done"
    assert str(target) in tab.message.text.text()
    assert tab.message.folder == target.parent
    assert tab.message.open_button.isVisible()

    # The next dialog starts in the folder just used.
    again = fake_save_dialog(monkeypatch, None)
    qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert Path(again[0]).parent == target.parent


def test_save_without_preview_builds_the_report_for_the_period(
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = make_section(qtbot, db, Scope())
    tab = section.reports
    tab.set_kind(ReportKind.PACK)
    tab.dates.set_dates(dt.date(2026, 4, 1), dt.date(2026, 11, 24))
    target = tmp_path / "pack"  # no suffix: .pdf is added
    fake_save_dialog(monkeypatch, target)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert saved.args == ["saved"], tab.message.text.text()
    written = tmp_path / "pack.pdf"
    text = pdf_text(written)
    assert "Steering-group pack" in text
    assert "1 April 2026 to 24 November 2026" in text
    assert tab.previewed is None
    assert f"{len(PdfReader(written).pages)} pages" in tab.message.text.text()


def test_cancel_midway_writes_nothing_and_the_tab_is_ready_again(
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = make_section(qtbot, db, Scope())
    tab = section.reports
    tab.set_kind(ReportKind.SAVINGS)
    gate = threading.Event()
    # Hold the worker at its first step until the test has pressed Cancel.
    tab.worker.progress_hook = lambda _fraction, _words: gate.wait(30)
    target = tmp_path / "cancelled.pdf"
    fake_save_dialog(monkeypatch, target)
    with qtbot.waitSignal(tab.worker.progressed, timeout=WAIT_MS):
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert tab.progress.isVisible()
    assert tab.progress.cancel_button.isEnabled()
    assert not tab.preview_button.isEnabled()
    assert not tab.kind.isEnabled()
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tab.progress.cancel_button, Qt.MouseButton.LeftButton)
        assert tab.progress.cancel_button.text() == "Stopping…"
        gate.set()
    assert done.args == ["cancelled"]
    assert not target.exists()
    assert list(tmp_path.glob("*.part")) == []
    assert list(tmp_path.glob(".*")) == []
    assert not tab.progress.isVisible()
    assert tab.preview_button.isEnabled()
    assert tab.kind.isEnabled()
    assert tab.message.text.text() == "Stopped; nothing was written."

    # Ready again: the same report now builds to the end.
    tab.worker.progress_hook = None
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as again:
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert again.args == ["saved"]
    assert target.is_file()


def test_a_folder_that_cannot_be_written_is_said_in_plain_words(
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = make_section(qtbot, db, medicine_scope(db))
    tab = section.reports
    tab.set_kind(ReportKind.SAVINGS)
    missing = tmp_path / "no such folder" / "report.pdf"
    fake_save_dialog(monkeypatch, missing)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert done.args == ["failed"]
    assert tab.message.kind == "error"
    assert tab.message.isVisible()
    assert "Nothing was saved" in tab.message.text.text()
    assert str(missing.parent) in tab.message.text.text()
    assert not missing.parent.exists()
    assert tab.save_pdf_button.isEnabled()
    assert not tab.progress.isVisible()

    # Saving a preview (a copy) into the missing folder says the same, without a build.
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS):
        qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as copied:
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert copied.args == ["failed"]
    assert str(missing.parent) in tab.message.text.text()


def test_walk_summary_for_a_walk_found_by_searching(
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = medicine_scope(db)
    section = make_section(qtbot, db, scope)
    tab = section.reports
    walks = list_walks_in_scope(db, scope.csu_id)
    wanted = walks[3]  # not the newest: found by its date and area
    with qtbot.waitSignal(tab.walks.loaded, timeout=WAIT_MS):
        tab.set_kind(ReportKind.WALK)
    assert tab.walks.table.rowCount() == len(walks)
    assert tab.walks.table.item(0, 0).text() == walk_day(walks[0])  # newest first
    assert not tab.dates.isVisible()
    assert tab.walks.isVisible()
    assert not tab.preview_button.isEnabled()  # no walk chosen yet

    tab.walks.search.setFocus()
    qtbot.keyClicks(tab.walks.search, f"{walk_day(wanted)} {wanted.area_name.split()[0]}")
    shown = [r for r in range(tab.walks.table.rowCount()) if not tab.walks.table.isRowHidden(r)]
    assert shown
    assert all(tab.walks.table.item(r, 0).text() == walk_day(wanted) for r in shown)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as done:
        qtbot.keyClick(tab.walks.search, Qt.Key.Key_Return)  # Enter takes the first and builds
    assert done.args == ["preview"], tab.message.text.text()
    chosen = tab.walks.current()
    assert chosen is not None
    assert walk_day(chosen) == walk_day(wanted)
    assert tab.preview.page_count > 0
    text = pdf_text(tab.previewed.path)
    assert "Walk summary" in text
    assert chosen.area_name in text

    asked = fake_save_dialog(monkeypatch, tmp_path / "walk.pdf")
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS):
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert Path(asked[0]).name == default_file_name(
        "Walk summary", chosen.area_name, dt.date.fromisoformat(walk_day(chosen))
    )
    assert (tmp_path / "walk.pdf").read_bytes() == tab.previewed.path.read_bytes()


def test_the_preview_pages_through_and_zooms(qtbot, db: Database) -> None:
    section = make_section(qtbot, db, Scope())
    tab = section.reports
    tab.set_kind(ReportKind.PACK)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS):
        qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    preview = tab.preview
    assert preview.page_count > 1
    assert preview.current_page() == 0
    assert not preview.previous_button.isEnabled()
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.current_page() == 1)
    assert preview.page_box.value() == 2
    assert preview.previous_button.isEnabled()
    preview.page_box.setValue(preview.page_count)
    qtbot.waitUntil(lambda: preview.current_page() == preview.page_count - 1)
    assert not preview.next_button.isEnabled()
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    first = preview.view.zoomFactor()
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomFactor() == pytest.approx(first * 1.25)
    assert preview.zoom_label.text() == f"{round(first * 125)}%"
    qtbot.mouseClick(preview.whole_page_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitInView

    # A different period leaves the old preview on show but says it is of the earlier choice;
    # a different report clears it.
    tab.dates.set_dates(dt.date(2026, 4, 1), None)
    assert "earlier choice" in tab.preview_caption.text()
    assert preview.page_count > 1
    old = tab.previewed.path
    tab.set_kind(ReportKind.SAVINGS)
    assert tab.previewed is None
    assert preview.page_count == 0
    assert not old.exists()
    assert tab.preview_caption.text() == ""


def test_file_names_are_safe_on_any_laptop() -> None:
    assert file_name_part('Ward 7: "A/B" <Acute>') == "Ward 7- -A-B- -Acute-"
    assert default_file_name("Savings report", "Medicine CSU", TODAY) == (
        "Savings report - Medicine CSU - 2026-11-24.pdf"
    )


def test_csv_export_writes_the_chosen_files_into_the_folder(
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = medicine_scope(db)
    section = make_section(qtbot, db, scope)
    tab = section.reports
    tab.set_kind(ReportKind.CSV)
    assert tab.save_csv_button.isVisible()
    assert tab.what.isVisible()
    assert not tab.preview_button.isVisible()
    assert not tab.save_pdf_button.isVisible()
    assert [tab.what.itemData(i) for i in range(tab.what.count())] == [w for w, _ in CSV_CHOICES]
    assert {w for w, _ in CSV_CHOICES} == set(EXPORTS)

    folder = tmp_path / "csv"
    folder.mkdir()
    asked: list[str] = []

    def choose(_parent, _title, start):
        asked.append(start)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    tab.what.setCurrentIndex(tab.what.findData("savings"))
    listed = tab.csv_files.text()
    assert "savings_by_area.csv" in listed
    assert "walks.csv" not in listed
    tab.what.setCurrentIndex(tab.what.findData("all"))
    assert all(name in tab.csv_files.text() for name in ALL_FILES)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tab.save_csv_button, Qt.MouseButton.LeftButton)
    assert done.args == ["csv"], tab.message.text.text()
    assert sorted(p.name for p in folder.iterdir()) == sorted(ALL_FILES)
    with (folder / "walks.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    walks = list_walks_in_scope(db, scope.csu_id)
    assert len(rows) == len(walks)
    assert {r["csu"] for r in rows} == {"Medicine"}
    assert tab.message.kind == "done"
    assert tab.message.folder == folder
    assert f"walks.csv ({len(walks)} rows)" in tab.message.text.text()

    only = tmp_path / "walks only"
    only.mkdir()
    folder = only
    tab.what.setCurrentIndex(tab.what.findData("walks"))
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS):
        qtbot.mouseClick(tab.save_csv_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in only.iterdir()] == ["walks.csv"]
    assert Path(asked[-1]) == tmp_path / "csv"  # the dialog opened in the folder used last


def test_a_preview_of_data_since_changed_is_built_again_on_save(
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = medicine_scope(db)
    section = make_section(qtbot, db, scope)
    tab = section.reports
    tab.set_kind(ReportKind.SAVINGS)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS):
        qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    walk = list_walks_in_scope(db, scope.csu_id)[0]
    edit_walk(db, walk.id, focus="Changed after the preview")  # the data's date moves on
    fake_save_dialog(monkeypatch, tmp_path / "fresh.pdf")
    with (
        qtbot.waitSignal(tab.done, timeout=WAIT_MS) as done,
        qtbot.waitSignal(tab.worker.busy_changed, timeout=WAIT_MS),
    ):
        qtbot.mouseClick(tab.save_pdf_button, Qt.MouseButton.LeftButton)
    assert done.args == ["saved"]
    assert (tmp_path / "fresh.pdf").is_file()


def test_the_walk_search_matches_the_start_of_each_word(qtbot, db: Database) -> None:
    section = make_section(qtbot, db, Scope())
    tab = section.reports
    with qtbot.waitSignal(tab.walks.loaded, timeout=WAIT_MS):
        tab.set_kind(ReportKind.WALK)
    table = tab.walks.table

    def shown_rows(text: str) -> list[tuple[str, str]]:
        tab.walks.search.setText(text)
        return [
            (table.item(r, 0).text(), table.item(r, 1).text())
            for r in range(table.rowCount())
            if not table.isRowHidden(r)
        ]

    ward_1 = shown_rows("ward 1")
    assert ward_1
    assert all(area.split()[1].startswith("1") for _day, area in ward_1)
    june = shown_rows("2026-06")
    assert june
    assert all(day.startswith("2026-06") for day, _area in june)
    assert shown_rows("no such walk anywhere") == []
    assert tab.walks.current() is None
    assert not tab.preview_button.isEnabled()
