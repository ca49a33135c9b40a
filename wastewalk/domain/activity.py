"""Activity follow (Productive Ward practice): what one member of staff spends their time on.

Continuous timing records segments (one category from start to the next key press); sampling
records one category per prompt, each standing for the interval since the previous prompt. Both
reduce to segments of known length, summarised here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

logger = logging.getLogger(__name__)

DEFAULT_SAMPLE_INTERVAL_S = 60
MIN_SAMPLE_INTERVAL_S = 10
MAX_SAMPLE_INTERVAL_S = 3600


class FollowMode(StrEnum):
    """How the observer records: a key press per change, or an answer per prompt."""

    CONTINUOUS = "continuous"
    SAMPLING = "sampling"


@dataclass(frozen=True)
class DefaultActivity:
    code: str
    label: str
    key: str
    is_direct_care: bool = False
    is_transit: bool = False


# The Productive Ward categories, in the order PRODUCT.md lists them; keys are the number row,
# with 0 for the tenth so one hand can reach them all.
DEFAULT_ACTIVITIES = (
    DefaultActivity("direct_care", "Direct care", "1", is_direct_care=True),
    DefaultActivity("indirect_care", "Indirect care", "2"),
    DefaultActivity("medication", "Medication", "3"),
    DefaultActivity("documentation", "Documentation", "4"),
    DefaultActivity("communication", "Professional communication", "5"),
    DefaultActivity("ward_related", "Ward-related", "6"),
    DefaultActivity("transit", "In transit", "7", is_transit=True),
    DefaultActivity("supervision", "Supervision", "8"),
    DefaultActivity("break", "Social/break", "9"),
    DefaultActivity("other", "Other", "0"),
)


@dataclass(frozen=True)
class Segment:
    """A stretch of time in one category, in seconds from the start of the follow."""

    category_code: str
    start_s: float
    end_s: float
    waste_code: str | None = None

    @property
    def seconds(self) -> float:
        return max(0.0, self.end_s - self.start_s)


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    label: str
    is_direct_care: bool = False
    is_transit: bool = False


@dataclass(frozen=True)
class CategoryShare:
    code: str
    label: str
    seconds: float
    share: float | None
    segments: int


@dataclass(frozen=True)
class FollowSummary:
    """Time and share per category, direct care, interruptions per hour, transit, waste."""

    total_s: float
    categories: tuple[CategoryShare, ...]
    direct_care_s: float
    direct_care_share: float | None
    transit_s: float
    interruptions: int
    interruptions_per_hour: float | None
    waste_s: float
    waste_segments: int


def check_interval(seconds: int) -> str | None:
    """A sampling interval is a whole number of seconds from 10 to 3,600."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        return "The sampling interval must be a whole number of seconds"
    if not MIN_SAMPLE_INTERVAL_S <= seconds <= MAX_SAMPLE_INTERVAL_S:
        return (
            f"The sampling interval must be from {MIN_SAMPLE_INTERVAL_S} to "
            f"{MAX_SAMPLE_INTERVAL_S} seconds, not {seconds}"
        )
    return None


def summarise_follow(
    categories: Sequence[CategoryInfo],
    segments: Sequence[Segment],
    interruptions: int,
    observed_s: float | None = None,
) -> FollowSummary:
    """Summarise a follow. `observed_s` is the length of the follow (defaults to the segments').

    Every category is listed, in the order given, even at zero, so two follows compare row by row;
    a category found only in segments (since archived) is added at the end.
    """
    by_code: dict[str, list[Segment]] = {}
    for segment in segments:
        by_code.setdefault(segment.category_code, []).append(segment)
    known = [c.code for c in categories]
    extra = [CategoryInfo(code, code) for code in by_code if code not in known]
    total = math.fsum(s.seconds for s in segments)
    rows = []
    direct = transit = 0.0
    for category in [*categories, *extra]:
        seconds = math.fsum(s.seconds for s in by_code.get(category.code, ()))
        rows.append(
            CategoryShare(
                code=category.code,
                label=category.label,
                seconds=seconds,
                share=seconds / total if total > 0 else None,
                segments=len(by_code.get(category.code, ())),
            )
        )
        if category.is_direct_care:
            direct += seconds
        if category.is_transit:
            transit += seconds
    length = observed_s if observed_s is not None else total
    waste = [s for s in segments if s.waste_code]
    return FollowSummary(
        total_s=total,
        categories=tuple(rows),
        direct_care_s=direct,
        direct_care_share=direct / total if total > 0 else None,
        transit_s=transit,
        interruptions=interruptions,
        interruptions_per_hour=interruptions * 3600 / length if length > 0 else None,
        waste_s=math.fsum(s.seconds for s in waste),
        waste_segments=len(waste),
    )
