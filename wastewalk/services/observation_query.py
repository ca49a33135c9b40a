"""Every observation across walks, filtered and sorted in SQL, a page at a time.

The observations browser shows a trust's whole history (250,000 rows at trust scale) through a lazy
table model, so everything here is one COUNT and one page of rows, never a whole table in Python.

Paging is by OFFSET over a total order: the chosen column, then the newest first, then a unique
tiebreak. On SQLite the tiebreak is the table's rowid rather than the UUID primary key, because
`ix_observation_observed_at` holds (observed_at, rowid): the default sort, newest first, then reads
straight down that index and the first page of 250,000 rows takes about 1 ms instead of a 180 ms
sort. Other databases use the UUID. Either way the order is total, so pages never repeat or skip a
row while the data stays still.

A page is read in two steps: first the ids of the page's rows (sorting only the sort key, joining
only the tables the filter or sort needs), then those rows with their CSU, area, waste and walk.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    SQLColumnExpression,
    and_,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import Function

from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.models import Area, Csu, Observation, Photo, Walk, WasteCategory
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

_Expr = SQLColumnExpression[Any]

LIKE_ESCAPE = "\\"
# A Python function registered on the SQLite connection for searches SQLite's LIKE cannot fold
# (it folds ASCII letters only). Named so it cannot clash with a built-in.
_CASEFOLD_FUNCTION = "wastewalk_casefold"
# How many matching ids `count_and_first_page` collects before it counts the usual way instead.
_PROBE_ROWS = 1000


class SortKey(enum.Enum):
    """The browser's columns that can be sorted on."""

    OBSERVED_AT = "observed_at"
    CSU = "csu"
    AREA = "area"
    WASTE = "waste"
    DESCRIPTION = "description"
    LOCATION = "location"
    IMPACT = "impact"
    EASE = "ease"
    WALK_FOCUS = "walk_focus"


@dataclass(frozen=True)
class ObservationFilter:
    """Which observations to show. Every part left empty means "all".

    Dates are UK calendar days, both ends included: 31 March means up to midnight at the end of
    31 March on the UK clock, whether that is GMT or BST. `text` is a case-insensitive substring
    of what was seen, where, or the countermeasure idea; `%` and `_` in it are plain characters.
    """

    csu_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None
    category_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""
    include_deleted: bool = False


@dataclass(frozen=True)
class ObservationRow:
    """One row of the browser: an observation with the names it is shown with."""

    id: uuid.UUID
    walk_id: uuid.UUID
    observed_at: dt.datetime
    csu_name: str
    area_name: str
    category_id: uuid.UUID
    category_code: str
    category_label: str
    description: str
    location: str
    countermeasure: str
    impact: int | None
    ease: int | None
    walk_focus: str
    photo_count: int
    suspected_identifier: bool
    identifier_confirmed: bool
    deleted: bool

    @property
    def needs_identifier_review(self) -> bool:
        """True while a suspected NHS number is neither redacted nor confirmed (blocks export)."""
        return self.suspected_identifier and not self.identifier_confirmed


def count_observations(db: Database, f: ObservationFilter) -> int:
    """How many observations the filter lets through."""
    with db.session() as session:
        query = select(func.count()).select_from(Observation).where(*_conditions(session, f))
        return int(session.scalar(query) or 0)


def fetch_page(
    db: Database,
    f: ObservationFilter,
    sort: SortKey = SortKey.OBSERVED_AT,
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
    *,
    total: int | None = None,
) -> list[ObservationRow]:
    """Rows `offset` to `offset + limit` of the filtered observations in the given order.

    `total` is what `count_observations` just said for the same filter, if the caller knows it.
    It changes no result, only the speed: a page past the middle is read from the other end, and
    on SQLite a filter that lets few rows through is read by one scan instead of the date index.
    """
    if offset < 0 or limit < 0:
        raise ValueError("offset and limit must not be negative")
    reverse = False
    if total is not None:
        limit = max(min(limit, total - offset), 0)
        # OFFSET makes the database step over every earlier row; from the nearer end it steps
        # over at most half of them.
        if limit and offset + limit / 2 > total / 2:
            reverse, offset = True, total - offset - limit
    if limit == 0:
        return []
    with db.session() as session:
        paging = _Paging(sort, descending, reverse, offset, limit, total)
        ids = _page_ids(session, _conditions(session, f), paging, _Scope(f.csu_id, f.area_id))
        return _in_order(session, ids, reverse)


def count_and_first_page(
    db: Database,
    f: ObservationFilter,
    sort: SortKey = SortKey.OBSERVED_AT,
    descending: bool = True,
    limit: int = 200,
) -> tuple[int, list[ObservationRow]]:
    """`count_observations` and the first `limit` rows together, as a new filter needs them.

    A text filter that few rows pass would otherwise cost two scans of the table: the count, then
    the page (see `_scan_is_cheaper`). One unordered pass collects up to _PROBE_ROWS matching ids
    first; when the filter lets no more than that through, those ids are the count and the page
    is sorted from them. When more match, the pass stopped early and cost little.
    """
    if limit < 0:
        raise ValueError("limit must not be negative")
    with db.session() as session:
        conditions = _conditions(session, f)
        probe = list(
            session.scalars(select(Observation.id).where(*conditions).limit(_PROBE_ROWS + 1))
        )
        if len(probe) <= _PROBE_ROWS:
            total = len(probe)
            conditions = [Observation.id.in_(probe) if probe else false()]
        else:
            count = select(func.count()).select_from(Observation).where(*conditions)
            total = int(session.scalar(count) or 0)
        limit = min(limit, total)
        if limit == 0:
            return total, []
        paging = _Paging(sort, descending, False, 0, limit, total)
        ids = _page_ids(session, conditions, paging, _Scope(f.csu_id, f.area_id))
        return total, _in_order(session, ids, reverse=False)


def _in_order(session: Session, ids: list[uuid.UUID], reverse: bool) -> list[ObservationRow]:
    if not ids:
        return []
    rows = {row.id: row for row in _rows(session, ids)}
    if reverse:
        ids.reverse()
    return [rows[i] for i in ids]


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with its own `%`, `_` and `\\` taken literally."""
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def _conditions(session: Session, f: ObservationFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not f.include_deleted:
        conditions.append(Observation.deleted_at.is_(None))
    # Through the walk's id, so the count never joins: SQLite looks the few walks up first and
    # then reads only their observations from ix_observation_walk_observed.
    if f.area_id is not None:
        conditions.append(Observation.walk_id.in_(select(Walk.id).where(Walk.area_id == f.area_id)))
    if f.csu_id is not None:
        conditions.append(
            Observation.walk_id.in_(
                select(Walk.id).join(Area, Area.id == Walk.area_id).where(Area.csu_id == f.csu_id)
            )
        )
    if f.category_ids:
        conditions.append(Observation.category_id.in_(sorted(f.category_ids)))
    if f.date_from is not None:
        conditions.append(Observation.observed_at >= uk_to_utc(f.date_from, dt.time(0)))
    if f.date_to is not None:
        day_after = f.date_to + dt.timedelta(days=1)
        conditions.append(Observation.observed_at < uk_to_utc(day_after, dt.time(0)))
    needle = f.text.strip()
    if needle:
        conditions.append(_text_condition(session, needle))
    return conditions


def _text_condition(session: Session, needle: str) -> ColumnElement[bool]:
    columns = (Observation.description, Observation.location, Observation.countermeasure)
    if session.get_bind().dialect.name != "sqlite":
        pattern = like_pattern(needle)
        return or_(*(c.ilike(pattern, escape=LIKE_ESCAPE) for c in columns))
    if needle.isascii():
        # SQLite's LIKE is case-insensitive for ASCII, with no function call per row: about
        # 75 ms over 250,000 observations' three text columns.
        pattern = like_pattern(needle)
        return or_(*(c.like(pattern, escape=LIKE_ESCAPE) for c in columns))
    # Letters beyond ASCII ("Café", "ŴYDDFA"): fold both sides in Python. A UDF over every row
    # takes about 330 ms at trust scale, so the needle's longest ASCII run, which LIKE can check
    # fast, picks the candidates first. (A text where a non-ASCII letter folds to an ASCII one,
    # such as the long s or a ligature, can be missed by that step; no ward writes those.)
    _register_casefold(session)
    folded = needle.casefold()
    exact = or_(*(func.instr(Function(_CASEFOLD_FUNCTION, c), folded) > 0 for c in columns))
    run = _longest_ascii_run(needle)
    if len(run) < 2:
        return exact
    pattern = like_pattern(run)
    return and_(or_(*(c.like(pattern, escape=LIKE_ESCAPE) for c in columns)), exact)


def _longest_ascii_run(text: str) -> str:
    runs = "".join(ch if ch.isascii() else "\0" for ch in text).split("\0")
    return max(runs, key=len).strip()


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _register_casefold(session: Session) -> None:
    raw = session.connection().connection.driver_connection
    assert raw is not None
    raw.create_function(_CASEFOLD_FUNCTION, 1, _casefold, deterministic=True)


def _tiebreak(session: Session) -> _Expr:
    if session.get_bind().dialect.name == "sqlite":
        return literal_column("observation.rowid")
    return Observation.id


def _blank_last(column: _Expr) -> ColumnElement[bool]:
    """Empty text sorts after every word in both directions, as missing numbers do."""
    return column == ""


def _category_rank(session: Session) -> _Expr:
    # Waste is sorted by the label people read. A CASE over the few categories' ids sorts
    # 250,000 rows in about 60 ms; joining waste_category to sort makes SQLite drive the query
    # from the category index with a table lookup per row (about 240 ms).
    ordered = session.scalars(
        select(WasteCategory.id).order_by(func.lower(WasteCategory.label), WasteCategory.code)
    ).all()
    if not ordered:
        return literal_column("0")
    return case(
        {category_id: rank for rank, category_id in enumerate(ordered)},
        value=Observation.category_id,
        else_=len(ordered),
    )


@dataclass(frozen=True)
class _Scope:
    """The CSU and area a filter keeps to, so a walk ranking need only rank their walks."""

    csu_id: uuid.UUID | None
    area_id: uuid.UUID | None


@dataclass(frozen=True)
class _Paging:
    sort: SortKey
    descending: bool
    reverse: bool  # read the mirror image of the order, to be turned round afterwards
    offset: int
    limit: int
    total: int | None


# Sorts by something the walk holds (its CSU, area or focus) rank the 10,000 walks first and
# join each observation to its walk's rank: one lookup per row in a small table SQLite builds for
# the query, instead of walk, area and CSU lookups per row. At trust scale that sorts in about
# 160 ms rather than 215 ms.
_WALK_SORTS = (SortKey.CSU, SortKey.AREA, SortKey.WALK_FOCUS)


def _walk_rank(sort: SortKey, descending: bool, mirror: bool, scope: _Scope) -> CTE:
    """Each walk's place in the order `sort` gives, in the direction asked for.

    The rank itself carries the direction (and the mirror image, for a page read from the far
    end), so the outer query always sorts it ascending: in the order the ranks are made, where
    SQLite's LIMIT-bounded sorter can drop late rows at once instead of reshuffling its heap
    (a mirrored page otherwise took twice as long).
    """
    keys: list[_Expr]
    if sort is SortKey.CSU:
        keys = [func.lower(Csu.name), func.lower(Area.name)]
    elif sort is SortKey.AREA:
        keys = [func.lower(Area.name), func.lower(Csu.name)]
    else:
        keys = [func.lower(Walk.focus)]
    down = descending != mirror
    order = [k.desc() if down else k.asc() for k in keys]
    if sort is SortKey.WALK_FOCUS:
        blank = _blank_last(Walk.focus)
        order.insert(0, blank.desc() if mirror else blank.asc())  # no focus: last either way
    query = (
        select(Walk.id.label("walk_id"), func.dense_rank().over(order_by=order).label("rank"))
        .join(Area, Area.id == Walk.area_id)
        .join(Csu, Csu.id == Area.csu_id)
    )
    if scope.area_id is not None:
        query = query.where(Walk.area_id == scope.area_id)
    if scope.csu_id is not None:
        query = query.where(Area.csu_id == scope.csu_id)
    return query.cte("walk_rank")


def _own_key(session: Session, sort: SortKey) -> _Expr:
    if sort is SortKey.WASTE:
        return _category_rank(session)
    if sort is SortKey.DESCRIPTION:
        return func.lower(Observation.description)
    if sort is SortKey.LOCATION:
        return func.lower(Observation.location)
    if sort is SortKey.IMPACT:
        return Observation.impact
    if sort is SortKey.EASE:
        return Observation.ease
    raise ValueError(f"{sort} is not a column of the observation itself")


def _scan_is_cheaper(session: Session, paging: _Paging) -> bool:
    # Newest first, SQLite walks the date index from the newest end and looks each row up until
    # the page is full: 1 ms when most rows match, but 120 ms at trust scale when almost none
    # do, against 75 ms for one scan of the table and a sort of the few rows that match.
    if paging.total is None or session.get_bind().dialect.name != "sqlite":
        return False
    return (paging.offset + paging.limit) * 2 > paging.total


def _page_ids(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    paging: _Paging,
    scope: _Scope,
) -> list[uuid.UUID]:
    """The ids on one page. The order is a list of (expression, ascending) pairs, so that the
    mirror image (for a page read from the far end) is every direction turned round."""
    sort, descending = paging.sort, paging.descending
    tiebreak = _tiebreak(session)
    query = select(Observation.id)
    order: list[tuple[_Expr, bool]]
    if sort is SortKey.OBSERVED_AT:
        key: _Expr = Observation.observed_at
        if _scan_is_cheaper(session, paging):
            # The unary plus stops SQLite reading the order from ix_observation_observed_at.
            key = literal_column("+observation.observed_at")
        order = [(key, not descending), (tiebreak, not descending)]
    else:
        if sort in _WALK_SORTS:
            ranks = _walk_rank(sort, descending, paging.reverse, scope)
            query = query.join(ranks, ranks.c.walk_id == Observation.walk_id)
            order = [(ranks.c.rank, not paging.reverse)]  # turned round below: always ASC
        else:
            own = _own_key(session, sort)
            order = [(own, not descending)]
            if sort in (SortKey.IMPACT, SortKey.EASE):
                order.insert(0, (own.is_(None), True))  # not scored: last either way
            elif sort is SortKey.LOCATION:
                order.insert(0, (_blank_last(Observation.location), True))
        # Within one value, newest first, as the default view shows them.
        order += [(Observation.observed_at, False), (tiebreak, False)]
    query = (
        query.where(*conditions)
        .order_by(*(k.asc() if up != paging.reverse else k.desc() for k, up in order))
        .offset(paging.offset)
        .limit(paging.limit)
    )
    return list(session.scalars(query))


def _rows(session: Session, ids: Sequence[uuid.UUID]) -> list[ObservationRow]:
    photos = (
        select(func.count(Photo.id))
        .where(Photo.observation_id == Observation.id, Photo.deleted_at.is_(None))
        .correlate(Observation)
        .scalar_subquery()
    )
    query = (
        select(
            Observation.id,
            Observation.walk_id,
            Observation.observed_at,
            Csu.name,
            Area.name,
            WasteCategory.id,
            WasteCategory.code,
            WasteCategory.label,
            Observation.description,
            Observation.location,
            Observation.countermeasure,
            Observation.impact,
            Observation.ease,
            Walk.focus,
            photos,
            Observation.suspected_identifier,
            Observation.identifier_confirmed,
            Observation.deleted_at.is_not(None),
        )
        .join(Walk, Walk.id == Observation.walk_id)
        .join(Area, Area.id == Walk.area_id)
        .join(Csu, Csu.id == Area.csu_id)
        .join(WasteCategory, WasteCategory.id == Observation.category_id)
        .where(Observation.id.in_(ids) if ids else false())
    )
    return [
        ObservationRow(
            id=r[0],
            walk_id=r[1],
            observed_at=r[2],
            csu_name=r[3],
            area_name=r[4],
            category_id=r[5],
            category_code=r[6],
            category_label=r[7],
            description=r[8],
            location=r[9],
            countermeasure=r[10],
            impact=r[11],
            ease=r[12],
            walk_focus=r[13],
            photo_count=int(r[14] or 0),
            suspected_identifier=bool(r[15]),
            identifier_confirmed=bool(r[16]),
            deleted=bool(r[17]),
        )
        for r in session.execute(query)
    ]
