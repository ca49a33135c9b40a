"""Reading this database's own records in pack form, fast: what an import compares a pack with.

An import reads every local record the pack also holds and compares the two; on a re-import that
is all of them, and the generic way (model types made into UUID and datetime objects, then turned
back into text; photo bytes fetched to be hashed; long IN lists) was most of the time. Here each
column is read in the form nearest its pack form on each database:

- SQLite: ids and times as the text stored, reshaped (`sqlite_uuid`, `sqlite_time`);
- PostgreSQL: ids cast to text, photo bytes hashed by the server (`sha256`, PostgreSQL 11+), and
  a set of ids sent as one array parameter (`among`) rather than an IN list of hundreds.

`LocalReader.to_dict` gives exactly `pack_records.record_dict` of the same record; a test holds
them equal on both databases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Uuid,
    any_,
    cast,
    func,
    literal,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY

from wastewalk.models import Base, UTCDateTime
from wastewalk.services.pack_records import BINARY_KEYS, DERIVED, UNHASHED

__all__ = ["LocalReader", "among", "chunks", "id_chunk", "sqlite_time", "sqlite_uuid", "table_of"]

# Ids per query: SQLite binds each one; PostgreSQL takes them as one array parameter.
_CHUNK = {"sqlite": 500, "postgresql": 10_000}


def id_chunk(dialect: str) -> int:
    """How many ids one query of `among` takes on `dialect`."""
    return _CHUNK.get(dialect, 500)


def chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """`values` in slices of at most `size` (SQL IN lists stay short)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def among(column: ColumnElement[Any], values: Sequence[Any], dialect: str) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(array)`, one parameter however many values
    (psycopg parses a statement with 500 placeholders each time it runs: 0.2 s a re-import)."""
    if dialect == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))
    return column.in_(values)


def table_of(name: str) -> Table:
    """The SQLAlchemy table called `name`."""
    return Base.metadata.tables[name]


def _photo_sha(value: bytes) -> str:
    return hashlib.sha256(value).hexdigest()


def sqlite_uuid(text: str) -> str:
    """A UUID as SQLAlchemy keeps it in SQLite (32 hex digits) in its pack form, with dashes."""
    if len(text) == 32:
        low = text.lower()
        return f"{low[:8]}-{low[8:12]}-{low[12:16]}-{low[16:20]}-{low[20:]}"
    return str(uuid.UUID(text))


def sqlite_time(text: str) -> str:
    """A UTC time as SQLAlchemy keeps it in SQLite ("YYYY-MM-DD HH:MM:SS.ffffff") in its pack
    form, isoformat() of the aware time ("YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00")."""
    if len(text) == 26 and text[10] == " " and text[19] == ".":
        fraction = "" if text[20:] == "000000" else text[19:]
        return f"{text[:10]}T{text[11:19]}{fraction}+00:00"
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()


def _column(column: Any, dialect: str) -> tuple[Any, Any]:
    """What to SELECT for one column, and what turns its value into the pack form (None: as is)."""
    kind = column.type
    sqlite, postgresql = dialect == "sqlite", dialect == "postgresql"
    if isinstance(kind, LargeBinary):
        if postgresql:
            return func.encode(func.sha256(column), "hex"), None
        return column, _photo_sha
    if isinstance(kind, Uuid):
        if sqlite:
            return type_coerce(column, String), sqlite_uuid
        if postgresql:
            return type_coerce(cast(column, Text), String), None
        return column, str
    if isinstance(kind, UTCDateTime):
        if sqlite:
            return type_coerce(column, String), sqlite_time
        return column, dt.datetime.isoformat  # read back aware, in UTC (UTCDateTime)
    if isinstance(kind, Date):
        return column, dt.date.isoformat
    return column, None


_UNHASHED_BLANK: dict[str, object] = dict.fromkeys(UNHASHED)


def _values_of(keys: list[str]) -> Callable[[dict[str, object]], tuple[object, ...]]:
    """A function giving a dict's values at `keys` as a tuple, at C speed (itemgetter)."""
    if not keys:
        return lambda _: ()
    if len(keys) == 1:
        only = keys[0]
        return lambda d: (d[only],)
    return itemgetter(*keys)


@dataclass(frozen=True)
class LocalReader:
    """A SELECT of a table's pack columns, and how to turn its rows into pack dicts."""

    columns: list[Any]
    pairs: list[tuple[str, Any]]
    # The values of the keys whose JSON type Python's == does not tell apart (1 == 1.0 == true).
    typed: Callable[[dict[str, object]], tuple[object, ...]]

    @classmethod
    def of(cls, name: str, dialect: str) -> LocalReader:
        """The reader for table `name` in a database of `dialect` ("sqlite", "postgresql")."""
        derived = DERIVED.get(name, set())
        kept = [c for c in table_of(name).columns if c.name not in derived]
        chosen = [_column(c, dialect) for c in kept]
        return cls(
            columns=[select_as for select_as, _ in chosen],
            pairs=[
                (BINARY_KEYS.get(c.name, c.name), convert)
                for c, (_, convert) in zip(kept, chosen, strict=True)
            ],
            typed=_values_of(
                [c.name for c in kept if isinstance(c.type, (Integer, Float, Boolean))]
            ),
        )

    def pick(self, key: str) -> tuple[Any, Any]:
        """What to SELECT for the pack key `key`, and what turns its value into the pack form."""
        at = [k for k, _ in self.pairs].index(key)
        return self.columns[at], self.pairs[at][1]

    def to_dict(self, row: Any) -> dict[str, object]:
        """One row (of `columns`) as its pack dict."""
        return {
            key: (value if convert is None or value is None else convert(value))
            for (key, convert), value in zip(self.pairs, row, strict=True)
        }

    def same_content(self, local: dict[str, object], raw: dict[str, object]) -> bool:
        """Whether an unchecked pack object holds exactly a stored record's values, in their
        canonical form and JSON types, in every column but updated_at."""
        return {**local, **_UNHASHED_BLANK} == {**raw, **_UNHASHED_BLANK} and tuple(
            map(type, self.typed(local))
        ) == tuple(map(type, self.typed(raw)))
