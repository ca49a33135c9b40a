"""Writing one finished file (a PDF) all or nothing, with plain-word errors.

The bytes are written to a hidden temporary file beside the target, flushed to disk, and renamed
over the target only when complete: a full disk, a read-only folder or a PDF open in a viewer
that locks it leaves the old file (or nothing) in place, never half a report.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

from wastewalk.domain.errors import saving_file_words
from wastewalk.export.csv_writer import ExportError

logger = logging.getLogger(__name__)


def write_file_atomically(path: Path, data: bytes, what: str = "report") -> Path:
    """Write `data` to `path` (its folder must exist); ExportError in plain words if it cannot."""
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name for the {what}, e.g. report.pdf")
    if not folder.is_dir():
        raise ExportError(f"There is no folder {folder} to save the {what} in.")
    temporary = folder / f".{path.name}.{uuid.uuid4().hex[:12]}.part"
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove the unfinished file %s", temporary)
        raise ExportError(saving_file_words(exc, path, what)) from exc
    logger.info("wrote %s (%d bytes)", path, len(data))
    return path
