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
