"""Each test has its own profile: device id, backups and Qt settings never touch the user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before Qt is imported anywhere: headless, and QSettings written under a throwaway folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SETTINGS_HOME = tempfile.mkdtemp(prefix="wastewalk-test-config-")
os.environ["XDG_CONFIG_HOME"] = _SETTINGS_HOME

REPO = Path(__file__).resolve().parent.parent


def child_environment(**extra: str) -> dict[str, str]:
    """The test's environment (its data folder included) for a child process that must import
    this same wastewalk, plus any `extra` variables."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder for this test; child processes inherit it through the environment."""
    folder = tmp_path / "wastewalk-data"
    monkeypatch.setenv("WASTEWALK_DATA_DIR", str(folder))
    monkeypatch.delenv("WASTEWALK_DB", raising=False)
    return folder


# --- the PostgreSQL tests (tests/pg) ---

PG_TESTS = REPO / "tests" / "pg"
_PG_DESELECTED = (
    "PostgreSQL tests (tests/pg) deselected: WASTEWALK_TEST_PG_URL is not set. "
    "scripts/test.sh starts a server and runs them; or run 'scripts/pg.sh .venv/bin/pytest'."
)


def _pg_required() -> bool:
    return any(
        os.environ.get(name) for name in ("WASTEWALK_TEST_PG_URL", "WASTEWALK_REQUIRE_PG", "CI")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a test server a developer's plain `pytest` leaves tests/pg out, and says so; in CI
    (CI or WASTEWALK_REQUIRE_PG set) they stay in and fail for want of the server."""
    if _pg_required():
        return
    pg = [item for item in items if PG_TESTS in item.path.parents]
    if not pg:
        return
    config.hook.pytest_deselected(items=pg)
    items[:] = [item for item in items if PG_TESTS not in item.path.parents]
    config.stash[_PG_NOTE] = _PG_DESELECTED


_PG_NOTE = pytest.StashKey[str]()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Repeat at the end why the PostgreSQL tests did not run."""
    note = config.stash.get(_PG_NOTE, None)
    if note:
        terminalreporter.write_line(note, yellow=True)
