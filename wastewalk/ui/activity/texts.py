"""How the follow screens write times and shares: '3:05', '1:02:03', '60 %'."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

MODE_WORDS = {"continuous": "Continuous", "sampling": "Sampling"}


def span_text(seconds: float | None) -> str:
    """Whole seconds as a clock reads them: '0:07', '12:03', '1:02:03' (never rounded up)."""
    if seconds is None:
        return ""
    whole = max(int(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def share_text(share: float | None) -> str:
    """'60 %' (a dash when there is no time to share)."""
    return "–" if share is None else f"{share * 100:.0f} %"


def mode_text(mode: str, interval_s: int) -> str:
    """'Continuous' or 'Sampling every 60 s'."""
    if mode == "sampling":
        return f"Sampling every {interval_s} s"
    return MODE_WORDS.get(mode, mode)
