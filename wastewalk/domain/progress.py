"""Progress and cancelling for long work (exports, reports, imports), without Qt.

A long service takes `progress: Progress | None`. It calls `progress(fraction, words)` now and then
(fraction 0.0 to 1.0, words for the person: "Drawing the SPC charts"). The caller (the window's
worker, or nobody on the command line) may raise Cancelled from inside that call; the service lets
it pass and writes nothing, so a cancelled export or report leaves no file and changes no data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from wastewalk.domain.errors import WasteWalkError

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


class Cancelled(WasteWalkError):
    """The person stopped the work; nothing was written or changed."""

    def __init__(self, message: str = "Stopped; nothing was written.") -> None:
        super().__init__(message)


def report(progress: Progress | None, fraction: float, words: str) -> None:
    """Tell `progress` (if any) how far the work is; Cancelled raised by it passes through."""
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), words)


def scaled(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A Progress for one stage that reports 0..1 of itself as start..end of the whole."""
    if progress is None:
        return None
    outer = progress

    def inner(fraction: float, words: str) -> None:
        outer(start + (end - start) * min(max(fraction, 0.0), 1.0), words)

    return inner
