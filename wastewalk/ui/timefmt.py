"""Times as a UK ward reads them: stored in UTC, shown on the UK clock, in English.

Day and month names are spelt out here rather than by strftime("%a"/"%b"): Qt sets the C locale
from the environment at start-up, and a laptop set to another language must still read
"Tue 24 Nov 2026" in a report for an English trust.
"""

from __future__ import annotations

import datetime as dt

from wastewalk.domain.uk_time import MONTH_NAMES, UK

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG = MONTH_NAMES


def uk_clock(when: dt.datetime) -> str:
    """'14:05' on the UK clock (GMT or BST as it was then)."""
    return f"{when.astimezone(UK):%H:%M}"


def uk_day(when: dt.datetime) -> str:
    """'Tue 2 Mar 2026' on the UK calendar; no leading zero, as people write it."""
    local = when.astimezone(UK)
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"


def uk_date_time(when: dt.datetime) -> str:
    """'Tue 2 Mar 2026, 14:05'."""
    return f"{uk_day(when)}, {uk_clock(when)}"


def uk_compact(when: dt.datetime) -> str:
    """'02 Mar 2026 14:05': fixed width, for table columns that are read down."""
    local = when.astimezone(UK)
    return f"{local.day:02d} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def uk_spoken(when: dt.datetime) -> str:
    """'24 November 2026 at 14:05', for screen readers."""
    local = when.astimezone(UK)
    return f"{local.day} {MONTHS_LONG[local.month - 1]} {local.year} at {local:%H:%M}"


def clock_text(span: dt.timedelta) -> str:
    """'0:12:34' for a running walk clock."""
    seconds = max(int(span.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
