"""Plain words for packs: record types, kinds of conflict, counts, devices and field values."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from wastewalk.domain.uk_time import UK
from wastewalk.ui.timefmt import uk_day

logger = logging.getLogger(__name__)

TABLE_WORDS = {
    "trust": "Trust",
    "csu": "CSUs",
    "area": "Areas",
    "waste_category": "Waste categories",
    "walk": "Walks",
    "participant": "Walk participants",
    "observation": "Observations",
    "photo": "Photos",
    "staff_rate": "Staff rates",
    "app_setting": "Settings",
    "estimate": "Cost estimates",
    "action": "Actions",
    "action_observation": "Actions' observations",
    "action_event": "Action history",
    "activity_category": "Activity categories",
    "activity_follow": "Activity follows",
    "activity_segment": "Activity follow segments",
    "activity_interruption": "Activity follow interruptions",
    "time_study": "Time studies",
    "time_study_element": "Time-study elements",
    "time_study_reading": "Time-study readings",
}

# One record of each type, for "the observation ..." in a conflict's heading.
TABLE_ONE = {
    "trust": "trust",
    "csu": "CSU",
    "area": "area",
    "waste_category": "waste category",
    "walk": "walk",
    "participant": "walk participant",
    "observation": "observation",
    "photo": "photo",
    "staff_rate": "staff rate",
    "app_setting": "setting",
    "estimate": "cost estimate",
    "action": "action",
    "action_observation": "action's observation",
    "action_event": "action history entry",
    "activity_category": "activity category",
    "activity_follow": "activity follow",
    "activity_segment": "activity follow segment",
    "activity_interruption": "activity follow interruption",
    "time_study": "time study",
    "time_study_element": "time-study element",
    "time_study_reading": "time-study reading",
}

KIND_WORDS = {
    "both_edited": "Changed on both",
    "edited_vs_deleted": "Changed here, deleted there",
    "deleted_vs_edited": "Deleted here, changed there",
}

RESOLUTION_WORDS = {"local": "Kept this laptop's", "incoming": "Took the pack's"}

FIELD_WORDS = {
    "id": "Record id",
    "device_id": "Made on device",
    "created_at": "Created",
    "updated_at": "Last changed",
    "deleted_at": "Deleted",
    "archived_at": "Archived",
    "category_id": "Waste category",
    "csu_id": "CSU",
    "area_id": "Area",
    "trust_id": "Trust",
}


def table_words(table: str) -> str:
    """'observation' as 'Observations'."""
    return TABLE_WORDS.get(table, table.replace("_", " ").capitalize())


def one_record(table: str) -> str:
    """'observation' as 'observation', 'csu' as 'CSU'."""
    return TABLE_ONE.get(table, table.replace("_", " "))


def kind_words(kind: str) -> str:
    """A conflict's kind as a person says it."""
    return KIND_WORDS.get(kind, kind.replace("_", " ").capitalize())


def field_words(name: str) -> str:
    """'category_id' as 'Category id'."""
    return FIELD_WORDS.get(name, name.replace("_", " ").capitalize())


def short_device(device_id: str) -> str:
    """A device id short enough for a table cell (the whole id is in the tooltip)."""
    text = str(device_id or "")
    return f"device {text[:8]}" if len(text) > 12 else (text or "unknown device")


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 record', '3 records'."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


def time_words(when: dt.datetime) -> str:
    """'Tue 24 Nov 2026, 21:35:40' on the UK clock (seconds: two edits may be a minute apart)."""
    return f"{uk_day(when)}, {when.astimezone(UK):%H:%M:%S}"


# Fields whose empty value has a meaning of its own: a record never deleted is not "(empty)".
EMPTY_MEANS: dict[str, str] = {"deleted_at": "No", "archived_at": "No"}


def value_words(
    value: Any, names: Mapping[str, str] | None = None, *, field: str | None = None
) -> str:
    """A field's value from a pack record as it reads in the side-by-side table.

    `names` turns ids a person knows by name (a category, an area, a CSU) into that name;
    `field` is the value's column, for fields whose empty value means something (EMPTY_MEANS).
    """
    if value is None:
        return EMPTY_MEANS.get(field or "", "(empty)")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, dt.datetime):
        return time_words(value) if value.tzinfo else value.isoformat()
    text = str(value)
    if names and text in names:
        return names[text]
    if _ISO_TIME.match(text):
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
        return time_words(when) if when.tzinfo else text
    return text if text else "(blank)"


def counts_words(
    *, new: int, updated: int, identical: int, local_newer: int, conflicts: int
) -> str:
    """What an import did (or would do), in one line."""
    parts = [f"{new:,} new", f"{updated:,} updated", f"{identical:,} identical (skipped)"]
    if local_newer:
        parts.append(f"{local_newer:,} newer here (kept)")
    parts.append(plural(conflicts, "conflict"))
    return ", ".join(parts)


def error_words(exc: BaseException, nothing: str) -> str:
    """What went wrong in plain words, after `nothing` ('No pack was saved.').

    An error of the world (a refused pack, a folder that cannot be written) says what it is; a
    fault of the program is logged and apologised for.
    """
    from wastewalk.domain.errors import InputError, WasteWalkError

    if isinstance(exc, WasteWalkError):
        text = exc.summary() if isinstance(exc, InputError) else str(exc)
        return f"{nothing} {text}"
    if isinstance(exc, OSError):
        return f"{nothing} {exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    logger.error("pack work failed", exc_info=exc)
    return (
        f"{nothing} WasteWalk met a fault of its own (a bug); the details are in the log. "
        f"({type(exc).__name__}: {exc})"
    )
