"""Waste category codes: the eight Lean wastes (TIMWOOD plus unused skills) and a team's own.

Codes are stable identifiers written into files and packs; labels and hints may be edited by a team.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")


# The eight shipped categories in key order (1–8). Their labels and hints are seeded by the first
# migration, which keeps its own frozen copy; these codes are what files and packs rely on.
DEFAULT_CODES: tuple[str, ...] = (
    "transport",
    "inventory",
    "motion",
    "waiting",
    "overproduction",
    "overprocessing",
    "defects",
    "skills",
)


def is_valid_code(code: str) -> bool:
    """A code is 2–40 lower-case letters, digits, "-" or "_", starting with a letter."""
    return bool(CODE_PATTERN.match(code))
