"""`wastewalk report walk` and `report savings` as a user runs them: a PDF and where it went, or
exit 2 with plain words for an unknown CSU, a malformed or unknown walk id and a bad target."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, child_environment
from tests.export.test_walk_report import DEMO_WALK, build_demo_template, page_texts


def wastewalk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wastewalk", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_environment(),
        timeout=120,
    )


@pytest.fixture(scope="session")
def cli_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_template(tmp_path_factory.mktemp("cli-report-demo"))


@pytest.fixture
def demo(cli_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(cli_template, copy)
    return copy


def test_report_walk_writes_the_pdf(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "walk.pdf"
    result = wastewalk("report", "walk", str(DEMO_WALK), "--out", str(out), "--db", str(demo))
    assert result.returncode == 0, result.stderr
    pages = len(PdfReader(out).pages)
    assert result.stdout.strip() == f"Wrote {out} ({pages} pages)."
    assert "Ward 14 – Respiratory" in page_texts(out)[0]


def test_report_savings_for_a_csu_and_the_trust(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "medicine.pdf"
    result = wastewalk(
        "report", "savings", "--csu", "medicine", "--out", str(out), "--db", str(demo)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {out} (")
    assert "Medicine CSU · all dates" in page_texts(out)[0]
    trust = tmp_path / "trust.pdf"
    dated = wastewalk(
        "report",
        "savings",
        "--from",
        "2026-06-01",
        "--to",
        "2026-08-31",
        "--out",
        str(trust),
        "--db",
        str(demo),
    )
    assert dated.returncode == 0, dated.stderr
    assert "Whole trust · 1 June 2026 to 31 August 2026" in page_texts(trust)[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["savings", "--csu", "Cardiology"], "there is no CSU called"),
        (["walk", "not-a-walk"], "is not a walk id"),
        (["walk", "5f67eaf8-9843-48f4-8276-57d5dc9a4740"], "There is no walk with id"),
    ],
)
def test_bad_input_is_exit_2_in_plain_words(
    demo: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    out = tmp_path / "r.pdf"
    result = wastewalk("report", *args, "--out", str(out), "--db", str(demo))
    assert result.returncode == 2, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_missing_folder_is_exit_2(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "walk.pdf"
    result = wastewalk("report", "walk", str(DEMO_WALK), "--out", str(out), "--db", str(demo))
    assert result.returncode == 2
    assert "There is no folder" in result.stderr
