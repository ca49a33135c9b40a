"""Every test runs with its own profile: device id, backups and Qt settings never touch the user's."""

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


@pytest.fixture(autouse=True)
def isolated_profile(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path_factory.mktemp("profile")
    monkeypatch.setenv("WASTEWALK_DATA_DIR", str(data))
    monkeypatch.delenv("WASTEWALK_DB", raising=False)
    return data
