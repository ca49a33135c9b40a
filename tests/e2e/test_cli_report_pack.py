"""`wastewalk report pack` as a user runs it: the trust pack, one CSU's pack, and a CSU that does
not exist (exit 2, a plain message naming the CSUs, and no file)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, child_environment


def wastewalk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wastewalk", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_environment(),
        timeout=180,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-pack")
    db = folder / "demo.sqlite"
    env = child_environment(WASTEWALK_DATA_DIR=str(folder / "data"))
    made = subprocess.run(
        [sys.executable, "-m", "wastewalk", "demo", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=180,
    )
    assert made.returncode == 0, made.stderr
    return db


def text_of(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_trust_pack(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.pdf"
    result = wastewalk("report", "pack", "--out", str(out), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {out} (")
    assert "pages)." in result.stdout
    text = text_of(out)
    assert "Steering-group pack" in text
    assert "Whole trust · all dates" in text
    assert "Savings by CSU and class" in text


def test_csu_pack_for_a_period(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "medicine.pdf"
    result = wastewalk(
        "report",
        "pack",
        "--csu",
        "medicine",
        "--from",
        "2026-01-01",
        "--out",
        str(out),
        "--db",
        str(demo_db),
    )
    assert result.returncode == 0, result.stderr
    text = text_of(out)
    assert "Medicine CSU · from 1 January 2026" in text
    assert "Savings by area and class" in text


def test_unknown_csu_exits_2_and_writes_nothing(demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    out = folder / "nowhere.pdf"
    result = wastewalk(
        "report", "pack", "--csu", "Nowhere", "--out", str(out), "--db", str(demo_db)
    )
    assert result.returncode == 2
    assert "there is no CSU called" in result.stderr
    assert "Medicine" in result.stderr
    assert list(folder.iterdir()) == []
