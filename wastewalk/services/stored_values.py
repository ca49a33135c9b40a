"""Reading whole tables fast for exports: values as stored, streamed, and turned into text cheaply.

A CSV export of a trust reads a quarter of a million rows. Letting SQLAlchemy turn every id into a
`uuid.UUID` and every time into an aware `datetime`, only for the export to turn them straight
back into text, took most of the export's time. So the streaming queries select columns *as
stored* (`as_stored`) and the helpers here turn them into the text the files want, with caches
where the same value comes round again (a walk's id, an hour's UK day):

- on SQLite an id is stored as 32 hex digits and a time as naive UTC text
  ('2026-03-02 10:00:00.000000', microseconds always present: see models.base.UTCDateTime);
- on PostgreSQL the driver gives `uuid.UUID` and aware `datetime` values; the helpers take both.

Places (area, CSU, trust) are read once into a small index rather than joined on every row.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from wastewalk.domain.uk_time import UK
from wastewalk.models import Area, Csu, Trust
from wastewalk.services.data_filter import DataFilter

logger = logging.getLogger(__name__)

# A row of any number of columns of any type (SQLAlchemy's Row is generic over its columns).
AnyRow: TypeAlias = Row[*tuple[Any, ...]]
BATCH = 2000  # rows fetched at a time: memory stays flat however big the table


def as_stored(column: Any) -> ColumnElement[Any]:
    """The column without SQLAlchemy's conversion of its value (see the module's docstring)."""
    return type_coerce(column, String)


def id_text(value: object) -> str:
    """An id as stored (32 hex digits, or a UUID from PostgreSQL) in its usual dashed form."""
    if isinstance(value, str):
        if len(value) == 32:
            return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
        return value
    return str(value)


def uuid_of(value: object) -> uuid.UUID:
    """An id as stored (32 hex digits, or a UUID from PostgreSQL) as a UUID."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=str(value))


def id_text_or_blank(value: object) -> str:
    """An id as id_text does, or '' for none."""
    return "" if value is None else id_text(value)


class Times:
    """Stored UTC times as ISO 8601 UTC text and as UK days, with the UK day cached by hour.

    The UK is on UTC or one hour ahead and changes over on the hour (01:00 UTC), so every time in
    one UTC hour falls on the same UK day: one zone conversion per hour seen, not per row.
    """

    def __init__(self) -> None:
        self._days: dict[str, str] = {}

    def utc_text(self, value: object) -> str:
        """'2026-03-02T10:00:00+00:00' (whole seconds, as savings files write them); '' for none."""
        if value is None:
            return ""
        if isinstance(value, str):
            return f"{value[:10]}T{value[11:19]}+00:00"
        assert isinstance(value, dt.datetime)
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")

    def uk_day(self, value: object) -> str:
        """The UK day of a stored UTC time, 'YYYY-MM-DD'; '' for none."""
        if value is None:
            return ""
        if isinstance(value, str):
            hour = value[:13]
            day = self._days.get(hour)
            if day is None:
                moment = dt.datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=dt.UTC)
                day = self._days[hour] = moment.astimezone(UK).date().isoformat()
            return day
        assert isinstance(value, dt.datetime)
        return value.astimezone(UK).date().isoformat()

    def moment(self, value: object) -> dt.datetime | None:
        """A stored UTC time as an aware datetime (for the little arithmetic some files need)."""
        if value is None:
            return None
        if isinstance(value, str):
            return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
        assert isinstance(value, dt.datetime)
        return value.astimezone(dt.UTC)


@dataclass(frozen=True)
class Place:
    """An area with its CSU and trust, ids in dashed form, names as stored."""

    area_id: str
    area: str
    csu_id: str
    csu: str
    trust_id: str
    trust: str


def places(session: Session) -> dict[object, Place]:
    """Every area (archived too) by its id as `as_stored` reads it."""
    query = (
        select(
            as_stored(Area.id),
            Area.name,
            as_stored(Csu.id),
            Csu.name,
            as_stored(Trust.id),
            Trust.name,
        )
        .join(Csu, Csu.id == Area.csu_id)
        .join(Trust, Trust.id == Csu.trust_id)
    )
    return {
        area_id: Place(id_text(area_id), area, id_text(csu_id), csu, id_text(trust_id), trust)
        for area_id, area, csu_id, csu, trust_id, trust in stream(session, query)
    }


def in_days(date_column: Any, flt: DataFilter) -> list[ColumnElement[bool]]:
    """Conditions keeping rows whose date (a UK day already, e.g. a study's date) is in range."""
    conditions: list[ColumnElement[bool]] = []
    if flt.date_from is not None:
        conditions.append(date_column >= flt.date_from)
    if flt.date_to is not None:
        conditions.append(date_column <= flt.date_to)
    return conditions


def stream(session: Session, query: Select[Any]) -> Iterator[AnyRow]:
    """The rows of a Core query, fetched a batch at a time (never all in memory)."""
    # Through the Connection, not Session.execute: the ORM's result handling costs more than the
    # export's own work at this size, and there are no ORM entities to load here.
    result = session.connection().execute(query.execution_options(yield_per=BATCH))
    yield from result


def count_rows(session: Session, query: Select[Any]) -> int:
    """How many rows the query gives (for progress), without reading them."""
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    return int(session.scalar(counted) or 0)
