"""The Reports worker on its own (results, failures, cancel, one job at a time), a fault of the
program shown in plain words, and the keyboard order of the Reports tab."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

from wastewalk.domain.errors import WasteWalkError
from wastewalk.domain.progress import Progress, report
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.walks import start_walk
from wastewalk.store.database import Database, open_database
from wastewalk.ui.reports import jobs
from wastewalk.ui.reports.jobs import ReportKind
from wastewalk.ui.reports.section import ReportsSection
from wastewalk.ui.reports.worker import ReportWorker
from wastewalk.ui.scope import Scope

WAIT_MS = 30_000


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "small.sqlite"))
    medicine = create_csu(database, "Medicine")
    ward = create_area(database, medicine.id, "Ward 7")
    start_walk(database, ward.id, focus="Discharge before noon")
    yield database
    database.close()


def test_the_worker_hands_back_the_result_and_its_progress(qtbot) -> None:
    worker = ReportWorker()
    seen: list[tuple[float, str]] = []
    worker.progressed.connect(lambda fraction, words: seen.append((fraction, words)))

    def work(progress: Progress) -> str:
        report(progress, 0.5, "Half way")
        return f"done on {threading.current_thread() is not threading.main_thread()}"

    with qtbot.waitSignal(worker.finished, timeout=WAIT_MS) as finished:
        worker.start(work)
        assert worker.busy
        with pytest.raises(RuntimeError):
            worker.start(work)  # one job at a time
    assert finished.args == ["done on True"]  # it ran on the worker thread
    assert seen == [(0.0, "Starting"), (0.5, "Half way")]
    assert not worker.busy


def test_the_worker_reports_failures_and_cancels_at_the_next_step(qtbot) -> None:
    worker = ReportWorker()
    with qtbot.waitSignal(worker.failed, timeout=WAIT_MS) as failed:
        worker.start(lambda _progress: (_ for _ in ()).throw(WasteWalkError("No such walk.")))
    assert str(failed.args[0]) == "No such walk."

    gate = threading.Event()
    after_cancel: list[str] = []

    def work(progress: Progress) -> None:
        gate.wait(WAIT_MS / 1000)
        report(progress, 0.3, "Next step")
        after_cancel.append("should not get here")

    with qtbot.waitSignal(worker.cancelled, timeout=WAIT_MS):
        worker.start(work)
        worker.cancel()
        assert worker.cancel_requested
        gate.set()
    assert after_cancel == []
    assert not worker.busy


def test_a_fault_of_the_program_is_said_plainly_not_a_crash(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = ReportsSection(db, Scope())
    qtbot.addWidget(section)
    section.show()
    section.activated()
    tab = section.reports

    def broken(*_args: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(jobs, "build_pdf", broken)
    tab.set_kind(ReportKind.SAVINGS)
    with qtbot.waitSignal(tab.done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    assert done.args == ["failed"]
    assert tab.message.kind == "error"
    assert "a fault of its own" in tab.message.text.text()
    assert "ZeroDivisionError" in tab.message.text.text()
    assert tab.preview_button.isEnabled()


def tab_chain(start: QWidget, count: int) -> list[QWidget]:
    """The next `count` widgets Tab reaches from `start` (visible, enabled, taking Tab focus)."""
    chain = [start]
    widget = start
    while len(chain) <= count:
        widget = widget.nextInFocusChain()
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        inner = isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)  # its editor
        if (
            not inner
            and widget.isVisible()
            and widget.isEnabled()
            and takes_tab
            and widget not in chain
        ):
            chain.append(widget)
    return chain


def test_the_keyboard_reaches_every_control_in_order(qtbot, db: Database) -> None:
    section = ReportsSection(db, Scope())
    qtbot.addWidget(section)
    section.show()
    section.activated()
    tab = section.reports
    tab.set_kind(ReportKind.SAVINGS)
    assert tab_chain(tab.kind, 5) == [
        tab.kind,
        tab.dates.preset,
        tab.dates.date_from,
        tab.dates.date_to,
        tab.preview_button,
        tab.save_pdf_button,
    ]
    with qtbot.waitSignal(tab.walks.loaded, timeout=WAIT_MS):
        tab.set_kind(ReportKind.WALK)
    tab.walks.table.selectRow(0)
    assert tab_chain(tab.kind, 4) == [
        tab.kind,
        tab.walks.search,
        tab.walks.table,
        tab.preview_button,
        tab.save_pdf_button,
    ]
    tab.set_kind(ReportKind.CSV)
    assert tab_chain(tab.dates.date_to, 2) == [tab.dates.date_to, tab.what, tab.save_csv_button]
