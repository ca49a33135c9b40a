"""UK wall-clock time, as ward teams write it on paper and read it off the ward clock.

Stored times are UTC; a date and time typed by a person are UK local time (GMT or BST as it was on
that day). The time-zone data comes from the system or, where it has none (Windows), from the
`tzdata` package, which is a dependency for that reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")

# English month names whatever the laptop's language (the window and the reports both use them).
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def uk_to_utc(date: dt.date, time: dt.time) -> dt.datetime:
    """A UK wall-clock date and time as an aware UTC datetime."""
    return dt.datetime.combine(date, time, tzinfo=UK).astimezone(dt.UTC)
