"""One wording for a report (export.files) and a pack (services.pack_export) not saved."""

from __future__ import annotations

import errno
from pathlib import Path

from wastewalk.domain.errors import saving_file_words

TARGET = Path("/reports/pack.pdf")


def test_a_full_disk() -> None:
    words = saving_file_words(OSError(errno.ENOSPC, "No space left"), TARGET, "report")
    assert words == (
        "The disk is full, so the report was not saved as /reports/pack.pdf. Free some space."
    )


def test_permission_read_only_and_anything_else() -> None:
    locked = saving_file_words(PermissionError(errno.EACCES, "denied"), TARGET, "pack")
    assert "may not write /reports/pack.pdf (permission denied)" in locked
    read_only = saving_file_words(OSError(errno.EROFS, "read-only"), TARGET, "pack")
    assert read_only == "/reports is on a read-only disk; choose another folder for the pack."
    other = saving_file_words(OSError(errno.EIO, "I/O error"), TARGET, "pack")
    assert other == "The pack could not be saved as /reports/pack.pdf: I/O error."
