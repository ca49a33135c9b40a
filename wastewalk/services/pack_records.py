"""Records as a pack carries them: which tables, in what order, and each record as plain JSON.

`record_dict` turns a stored record into the JSON object a pack line holds (UUIDs as canonical
strings, times ISO 8601 UTC with offset, dates ISO; photo bytes replaced by their sha256, the bytes
travel as files); `content_hash` is what two laptops compare to tell whether a record changed;
`decode_record` checks an untrusted pack object column by column and turns it back into values for
the model, refusing anything it does not expect with the table, line and column named.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import re
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.models import (
    Action,
    ActionEvent,
    ActionObservation,
    ActivityCategory,
    ActivityFollow,
    ActivityInterruption,
    ActivitySegment,
    AppSetting,
    Area,
    Csu,
    Estimate,
    Observation,
    Participant,
    Photo,
    StaffRate,
    TimeStudy,
    TimeStudyElement,
    TimeStudyReading,
    Trust,
    UTCDateTime,
    Walk,
    WasteCategory,
)

logger = logging.getLogger(__name__)

# Parent before child: a pack is written, checked and applied in this order.
PACK_TABLES: tuple[tuple[str, type], ...] = (
    ("trust", Trust),
    ("csu", Csu),
    ("area", Area),
    ("waste_category", WasteCategory),
    ("activity_category", ActivityCategory),
    ("staff_rate", StaffRate),
    ("app_setting", AppSetting),
    ("walk", Walk),
    ("participant", Participant),
    ("observation", Observation),
    ("photo", Photo),
    ("activity_follow", ActivityFollow),
    ("activity_segment", ActivitySegment),
    ("activity_interruption", ActivityInterruption),
    ("time_study", TimeStudy),
    ("time_study_element", TimeStudyElement),
    ("time_study_reading", TimeStudyReading),
    ("action", Action),
    ("action_observation", ActionObservation),
    ("action_event", ActionEvent),
    ("estimate", Estimate),
)
MODELS: dict[str, type] = dict(PACK_TABLES)
TABLE_ORDER: dict[str, int] = {name: i for i, (name, _) in enumerate(PACK_TABLES)}

# Columns recomputed on import (services.estimates.refresh_rollup_columns), never carried.
DERIVED: dict[str, set[str]] = {"estimate": {"area_id", "category_id", "counted_at", "in_rollup"}}

# LargeBinary column -> pack key holding the sha256 of its bytes (bytes in photos/<sha>.bin)
BINARY_KEYS: dict[str, str] = {"data": "data_sha256", "thumbnail_png": "thumbnail_sha256"}

# Not compared when deciding whether a record changed.
UNHASHED = frozenset({"updated_at"})

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _columns(table: str) -> list[Column[Any]]:
    model = MODELS[table]
    derived = DERIVED.get(table, set())
    return [c for c in model.__table__.columns if c.name not in derived]  # type: ignore[attr-defined]


def _parent_keys() -> dict[str, list[tuple[str, str]]]:
    keys: dict[str, list[tuple[str, str]]] = {}
    for table, _ in PACK_TABLES:
        pairs: list[tuple[str, str]] = []
        for column in _columns(table):
            for fk in column.foreign_keys:
                pairs.append((column.name, fk.column.table.name))
        keys[table] = pairs
    return keys


# For each table, (column, parent table) of every foreign key a pack record carries; the importer
# checks each non-null value exists in the pack or in the local database.
PARENT_KEYS: dict[str, list[tuple[str, str]]] = _parent_keys()

# Pack key of every column, per table, in a stable order (binary columns as their sha256 keys).
PACK_KEYS: dict[str, tuple[str, ...]] = {
    table: tuple(BINARY_KEYS.get(c.name, c.name) for c in _columns(table))
    for table, _ in PACK_TABLES
}


PACK_KEYSETS: dict[str, frozenset[str]] = {table: frozenset(k) for table, k in PACK_KEYS.items()}
_COLUMNS_BY_NAME: dict[str, dict[str, Column[Any]]] = {
    table: {c.name: c for c in _columns(table)} for table, _ in PACK_TABLES
}


def _value(source: object, name: str) -> object:
    if isinstance(source, Mapping):
        return source.get(name)
    mapping = getattr(source, "_mapping", None)
    if mapping is not None:
        return mapping.get(name)
    return getattr(source, name)


def _has(source: object, name: str) -> bool:
    if isinstance(source, Mapping):
        return name in source
    mapping = getattr(source, "_mapping", None)
    if mapping is not None:
        return name in mapping
    return hasattr(source, name)


def json_value(value: object) -> object:
    """One column value in its pack form (UUID string, ISO UTC time, ISO date, or as is)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime; WasteWalk stores UTC times only")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def record_dict(obj_or_row: object, table: str) -> dict[str, object]:
    """A record (model object, Row or mapping of column values) as the JSON object a pack holds.

    Derived columns are left out; photo bytes are replaced by "data_sha256"/"thumbnail_sha256"
    (taken from bytes when given, or from those keys when the source already has them).
    """
    out: dict[str, object] = {}
    for column in _columns(table):
        name = column.name
        if isinstance(column.type, LargeBinary):
            key = BINARY_KEYS[name]
            if _has(obj_or_row, key):
                out[key] = _value(obj_or_row, key)
            else:
                data = _value(obj_or_row, name)
                out[key] = hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else None
            continue
        out[name] = json_value(_value(obj_or_row, name))
    return out


def canonical_json(d: Mapping[str, object]) -> str:
    """Sorted keys, no spaces, ASCII: the same record always gives the same text."""
    return json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def content_hash(table: str, d: Mapping[str, object]) -> str:
    """sha256 of the record's pack dict without updated_at (photo bytes by their sha256)."""
    del table  # every table hashes the same way; kept so the rule can differ per table later
    kept = {k: v for k, v in d.items() if k not in UNHASHED}
    return hashlib.sha256(canonical_json(kept).encode("ascii")).hexdigest()


class PackRefused(WasteWalkError):
    """A pack that cannot be read safely; the message says what is wrong and where. Nothing was
    changed. (Importers take it from wastewalk.services.pack_reader.)"""


def _refuse(where: str, column: str, words: str) -> PackRefused:
    return PackRefused(f"{where}, column '{column}': {words}")


def _decode(column: Column[Any], value: object, where: str) -> object:
    name = column.name
    kind = column.type
    if value is None:
        if not column.nullable:
            raise _refuse(where, name, "is empty but must have a value")
        return None
    if isinstance(kind, Uuid):
        if not isinstance(value, str):
            raise _refuse(where, name, "is not an id (expected a UUID as text)")
        try:
            return uuid.UUID(value)
        except ValueError:
            raise _refuse(where, name, f"{value[:60]!r} is not a UUID") from None
    if isinstance(kind, UTCDateTime):
        if not isinstance(value, str):
            raise _refuse(where, name, "is not a time (expected ISO 8601 text)")
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _refuse(where, name, f"{value[:60]!r} is not an ISO 8601 time") from None
        if moment.tzinfo is None:
            raise _refuse(where, name, f"{value[:60]!r} has no time zone offset")
        return moment.astimezone(dt.UTC)
    if isinstance(kind, Date):
        if not isinstance(value, str):
            raise _refuse(where, name, "is not a date (expected YYYY-MM-DD)")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _refuse(where, name, f"{value[:60]!r} is not a date") from None
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise _refuse(where, name, "must be true or false")
        return value
    if isinstance(kind, (Integer, BigInteger)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse(where, name, "must be a whole number")
        if abs(value) >= 2**63:
            raise _refuse(where, name, "is too large a number")
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _refuse(where, name, "must be a number")
        if not math.isfinite(value):
            raise _refuse(where, name, "must be a finite number")
        return float(value)
    if isinstance(kind, (String, Text)):
        if not isinstance(value, str):
            raise _refuse(where, name, "must be text")
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            raise _refuse(where, name, f"is {len(value)} characters; at most {length} fit")
        return value
    raise _refuse(where, name, f"has a type WasteWalk cannot read ({kind})")


def _check_keys(table: str, d: Mapping[str, object], where: str) -> None:
    if table not in MODELS:
        raise PackRefused(f"{where}: '{table[:60]}' is not a table WasteWalk knows")
    if d.keys() == PACK_KEYSETS[table]:
        return
    expected = PACK_KEYS[table]
    unknown = sorted(str(k) for k in set(d) - set(expected))
    if unknown:
        raise PackRefused(
            f"{where} ({table}), column '{unknown[0][:60]}': not a column of {table}; "
            "the pack may come from a different program"
        )
    missing = [k for k in expected if k not in d]
    raise PackRefused(f"{where} ({table}), column '{missing[0]}': missing")


def check_shape(table: str, d: Mapping[str, object], *, where: str) -> uuid.UUID:
    """The quick check of one untrusted pack object: exactly the table's columns, and an id that
    is a UUID (returned). Its values are checked by check_record before anything relies on them,
    or found equal to a record stored here (services.pack_import)."""
    _check_keys(table, d, where)
    value = d["id"]
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise _refuse(f"{where} ({table})", "id", f"{str(value)[:60]!r} is not a UUID")


def check_record(table: str, d: Mapping[str, object], *, where: str) -> dict[str, object]:
    """One untrusted pack object checked column by column (decode_record) and put in canonical
    pack form (record_dict), so that its content_hash compares with a stored record's."""
    return record_dict(decode_record(table, d, where=where), table)


def check_column(table: str, name: str, d: Mapping[str, object], *, where: str) -> object:
    """One column of an untrusted pack object checked and decoded (as decode_record would)."""
    column = _COLUMNS_BY_NAME[table][name]
    return _decode(column, d[name], f"{where} ({table})")


def decode_record(
    table: str,
    d: Mapping[str, object],
    *,
    where: str,
    photos: Mapping[str, bytes] | None = None,
) -> dict[str, object]:
    """Column values for the model from one untrusted pack object, checked column by column.

    `where` names the place for messages ("data/walk.jsonl line 12"). Every column must be present
    (derived ones absent); unknown keys, wrong types, missing values, over-long text are refused
    with PackRefused naming the table, line and column. Photo rows keep "data_sha256" and
    "thumbnail_sha256" as checked 64-hex strings, or, when `photos` is given, get "data" and
    "thumbnail_png" bytes from it instead.
    """
    _check_keys(table, d, where)
    place = f"{where} ({table})"
    out: dict[str, object] = {}
    for column in _columns(table):
        if isinstance(column.type, LargeBinary):
            key = BINARY_KEYS[column.name]
            sha = d[key]
            if sha is None and column.nullable:
                out[column.name if photos is not None else key] = None
                continue
            if not isinstance(sha, str) or not _SHA256.match(sha):
                raise _refuse(place, key, "must be the sha256 of a photo file (64 hex digits)")
            if photos is None:
                out[key] = sha
            elif sha in photos:
                out[column.name] = photos[sha]
            else:
                raise _refuse(place, key, f"names photos/{sha}.bin, which the pack lacks")
            continue
        out[column.name] = _decode(column, d[column.name], place)
    return out
