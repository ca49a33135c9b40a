"""Opening the window on a file that cannot be used: a plain message, a way out, no write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from wastewalk.services.organisation import create_csu, list_csus
from wastewalk.store.database import open_database
from wastewalk.ui import app


def make_newer(path: Path) -> None:
    open_database(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()


@pytest.fixture
def answers(monkeypatch):
    """Scripted answers to the modal questions; records what each question said."""
    said: list[tuple[str, list[str]]] = []
    script: list[str] = []

    def ask(_title: str, text: str, choices: list[str]) -> str:
        said.append((text, choices))
        return script.pop(0)

    monkeypatch.setattr(app, "ask_choice", ask)
    monkeypatch.setattr(app.QMessageBox, "information", lambda *_args: None)
    return script, said


def test_too_new_file_is_refused_untouched_and_quit_means_quit(qapp, tmp_path, answers) -> None:
    script, said = answers
    newer = tmp_path / "newer.sqlite"
    make_newer(newer)
    before = newer.read_bytes()
    script.append(app.QUIT)
    assert app.open_or_explain(str(newer)) is None
    text, choices = said[0]
    assert "newer version of WasteWalk" in text
    assert choices == [app.CHOOSE, app.USUAL, app.QUIT]
    assert newer.read_bytes() == before


def test_too_new_file_then_choose_another(qapp, tmp_path, answers, monkeypatch) -> None:
    script, _said = answers
    newer = tmp_path / "newer.sqlite"
    make_newer(newer)
    other = tmp_path / "fresh.sqlite"
    monkeypatch.setattr(app, "choose_file", lambda: str(other))
    script.append(app.CHOOSE)
    db = app.open_or_explain(str(newer))
    assert db is not None
    try:
        assert db.path == other.resolve()
    finally:
        db.close()


def test_damaged_file_is_swapped_for_its_latest_backup(qapp, tmp_path, answers) -> None:
    script, said = answers
    path = tmp_path / "ward.sqlite"
    db = open_database(str(path))
    create_csu(db, "Medicine")
    db.close()
    open_database(str(path)).close()  # an existing file's first open of the day backs it up
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset : offset + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))

    script.append(app.RESTORE)
    restored = app.open_or_explain(str(path))
    assert restored is not None
    try:
        assert [c.name for c in list_csus(restored)] == ["Medicine"]
    finally:
        restored.close()
    text, choices = said[0]
    assert "damaged" in text
    assert choices[0] == app.RESTORE
