"""The observations browser's queries: filters, every sort both ways, and paging, on real SQLite."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PIL import Image

from tests.db.conftest import Org
from wastewalk.services import observation_query
from wastewalk.services.observation_query import (
    ObservationFilter,
    ObservationRow,
    SortKey,
    count_and_first_page,
    count_observations,
    fetch_page,
    like_pattern,
)
from wastewalk.services.observations import (
    ObservationInput,
    add_observation,
    set_observation_deleted,
)
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.photos import attach_photo
from wastewalk.services.walks import WalkInfo, start_walk
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store.database import Database

UTC = dt.UTC


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def add(
    db: Database,
    walk_id: uuid.UUID,
    category: WasteCategoryInfo,
    description: str,
    when: dt.datetime,
    **more: object,
) -> uuid.UUID:
    data = ObservationInput(category.id, description, observed_at=when, **more)
    return add_observation(db, walk_id, data).id


def every_row(db: Database, f: ObservationFilter, sort: SortKey, descending: bool) -> list:
    return fetch_page(db, f, sort, descending, 0, 10_000)


def ids(rows: list[ObservationRow]) -> list[uuid.UUID]:
    return [r.id for r in rows]


# --- filters -----------------------------------------------------------------------------------


@pytest.fixture
def two_csus(db: Database, org: Org, walk: WalkInfo, categories) -> dict[str, uuid.UUID]:
    """Ward 7 and the diabetes clinic (Medicine), and Ward 2 (Surgery), one observation each."""
    surgery = create_csu(db, "Surgery")
    ward2 = create_area(db, surgery.id, "Ward 2")
    clinic_walk = start_walk(db, org.clinic.id, started_at=utc(2026, 3, 3, 10))
    surgery_walk = start_walk(db, ward2.id, started_at=utc(2026, 3, 4, 10))
    return {
        "ward7": add(db, walk.id, categories["waiting"], "Ward 7 TTOs", utc(2026, 3, 2, 10)),
        "clinic": add(
            db, clinic_walk.id, categories["motion"], "Clinic walk", utc(2026, 3, 3, 10, 5)
        ),
        "ward2": add(
            db, surgery_walk.id, categories["defects"], "Ward 2 label", utc(2026, 3, 4, 10, 5)
        ),
        "surgery_csu": surgery.id,
        "ward2_area": ward2.id,
    }


def test_everything_newest_first_by_default(db: Database, two_csus) -> None:
    rows = fetch_page(db, ObservationFilter())
    assert ids(rows) == [two_csus["ward2"], two_csus["clinic"], two_csus["ward7"]]
    assert count_observations(db, ObservationFilter()) == 3


def test_filter_by_csu(db: Database, org: Org, two_csus) -> None:
    medicine = ObservationFilter(csu_id=org.csu.id)
    assert count_observations(db, medicine) == 2
    assert set(ids(fetch_page(db, medicine))) == {two_csus["ward7"], two_csus["clinic"]}
    surgery = ObservationFilter(csu_id=two_csus["surgery_csu"])
    [row] = fetch_page(db, surgery)
    assert (row.id, row.csu_name, row.area_name) == (two_csus["ward2"], "Surgery", "Ward 2")


def test_filter_by_area(db: Database, org: Org, two_csus) -> None:
    clinic = ObservationFilter(csu_id=org.csu.id, area_id=org.clinic.id)
    assert ids(fetch_page(db, clinic)) == [two_csus["clinic"]]
    assert count_observations(db, clinic) == 1
    # An area outside the CSU asked for: nothing, rather than ignoring either.
    mismatch = ObservationFilter(csu_id=org.csu.id, area_id=two_csus["ward2_area"])
    assert count_observations(db, mismatch) == 0


def test_filter_by_waste(db: Database, two_csus, categories) -> None:
    waiting = ObservationFilter(category_ids=frozenset({categories["waiting"].id}))
    [row] = fetch_page(db, waiting)
    assert (row.id, row.category_code, row.category_label) == (
        two_csus["ward7"],
        "waiting",
        "Waiting",
    )
    two = ObservationFilter(
        category_ids=frozenset({categories["waiting"].id, categories["defects"].id})
    )
    assert set(ids(fetch_page(db, two))) == {two_csus["ward7"], two_csus["ward2"]}
    none = ObservationFilter(category_ids=frozenset({categories["skills"].id}))
    assert count_observations(db, none) == 0


def test_dates_are_uk_days_in_winter_and_summer(db: Database, walk: WalkInfo, categories) -> None:
    waste = categories["waiting"]
    seen = {
        # GMT: UK and UTC agree.
        "15 Jan late": add(db, walk.id, waste, "a", utc(2026, 1, 15, 23, 30)),
        "16 Jan early": add(db, walk.id, waste, "b", utc(2026, 1, 16, 0, 0)),
        # BST: 23:30 UTC on 30 June is 00:30 on 1 July in the UK.
        "30 Jun late": add(db, walk.id, waste, "c", utc(2026, 6, 30, 22, 59)),
        "1 Jul first minute": add(db, walk.id, waste, "d", utc(2026, 6, 30, 23, 0)),
        "1 Jul 00:30": add(db, walk.id, waste, "e", utc(2026, 6, 30, 23, 30)),
        "1 Jul last": add(db, walk.id, waste, "f", utc(2026, 7, 1, 22, 59, 59)),
        "2 Jul": add(db, walk.id, waste, "g", utc(2026, 7, 1, 23, 0)),
        # Clocks go forward at 01:00 UTC on 29 March 2026: that UK day is 23 hours long.
        "28 Mar last": add(db, walk.id, waste, "h", utc(2026, 3, 28, 23, 59)),
        "29 Mar first": add(db, walk.id, waste, "i", utc(2026, 3, 29, 0, 0)),
        "29 Mar last": add(db, walk.id, waste, "j", utc(2026, 3, 29, 22, 59)),
        "30 Mar first": add(db, walk.id, waste, "k", utc(2026, 3, 29, 23, 0)),
    }

    def shown(date_from: dt.date | None, date_to: dt.date | None) -> set[str]:
        f = ObservationFilter(date_from=date_from, date_to=date_to)
        got = set(ids(fetch_page(db, f)))
        assert count_observations(db, f) == len(got)
        return {name for name, i in seen.items() if i in got}

    jan15, jan16 = dt.date(2026, 1, 15), dt.date(2026, 1, 16)
    assert shown(jan15, jan15) == {"15 Jan late"}
    assert shown(jan16, jan16) == {"16 Jan early"}
    jul1 = dt.date(2026, 7, 1)
    assert shown(jul1, jul1) == {"1 Jul first minute", "1 Jul 00:30", "1 Jul last"}
    assert shown(None, dt.date(2026, 6, 30)) >= {"30 Jun late"}
    assert "1 Jul first minute" not in shown(None, dt.date(2026, 6, 30))
    assert shown(dt.date(2026, 7, 2), None) == {"2 Jul"}
    mar29 = dt.date(2026, 3, 29)
    assert shown(mar29, mar29) == {"29 Mar first", "29 Mar last"}
    assert shown(dt.date(2026, 3, 28), dt.date(2026, 3, 30)) == {
        "28 Mar last",
        "29 Mar first",
        "29 Mar last",
        "30 Mar first",
    }
    assert shown(jul1, jan15) == set()  # from after to: nothing, not an error


@pytest.fixture
def texts(db: Database, walk: WalkInfo, categories) -> Callable[[str], set[str]]:
    waste = categories["inventory"]
    made = {
        "pharmacy": add(db, walk.id, waste, "Waited for PHARMACY to send TTOs", utc(2026, 3, 2, 9)),
        "where": add(
            db, walk.id, waste, "Walked to fetch kit", utc(2026, 3, 2, 9, 1), location="Pharmacy"
        ),
        "idea": add(
            db,
            walk.id,
            waste,
            "Stock left out",
            utc(2026, 3, 2, 9, 2),
            countermeasure="Ask pharmacy to top up",
        ),
        "percent": add(db, walk.id, waste, "50% of stock expired", utc(2026, 3, 2, 9, 3)),
        "five hundred": add(db, walk.id, waste, "500 of stock expired", utc(2026, 3, 2, 9, 4)),
        "underscore": add(db, walk.id, waste, "Label said bay_3", utc(2026, 3, 2, 9, 5)),
        "space": add(db, walk.id, waste, "Label said bay 3", utc(2026, 3, 2, 9, 6)),
        "backslash": add(db, walk.id, waste, r"Path was S:\ward\stock", utc(2026, 3, 2, 9, 7)),
        "cafe": add(db, walk.id, waste, "Trolley left in the CAFÉ corridor", utc(2026, 3, 2, 9, 8)),
        "welsh": add(db, walk.id, waste, "Ŵyddfa ward store overstocked", utc(2026, 3, 2, 9, 9)),
        "german": add(db, walk.id, waste, "Porter Strauß waited", utc(2026, 3, 2, 9, 10)),
    }

    def found(text: str) -> set[str]:
        f = ObservationFilter(text=text)
        got = set(ids(fetch_page(db, f)))
        assert count_observations(db, f) == len(got)
        return {name for name, i in made.items() if i in got}

    return found


def test_text_is_case_insensitive_over_what_where_and_idea(texts) -> None:
    assert texts("pharmacy") == {"pharmacy", "where", "idea"}
    assert texts("PhArMaCy") == {"pharmacy", "where", "idea"}
    assert texts("  pharmacy  ") == {"pharmacy", "where", "idea"}  # stray spaces ignored
    assert texts("ttos") == {"pharmacy"}
    assert texts("no such thing") == set()


def test_text_wildcards_are_literal(texts) -> None:
    assert texts("50%") == {"percent"}
    assert texts("%") == {"percent"}
    assert texts("bay_3") == {"underscore"}
    assert texts("_") == {"underscore"}
    assert texts("bay 3") == {"space"}
    assert texts("\\ward") == {"backslash"}


def test_text_beyond_ascii_folds_case(texts) -> None:
    assert texts("café") == {"cafe"}
    assert texts("CAFÉ CORRIDOR") == {"cafe"}
    assert texts("ŵyddfa") == {"welsh"}
    assert texts("é") == {"cafe"}
    assert texts("strauß") == {"german"}


def test_like_pattern_escapes() -> None:
    assert like_pattern("a%b_c\\d") == "%a\\%b\\_c\\\\d%"


def test_deleted_are_left_out_unless_asked(db: Database, walk: WalkInfo, categories) -> None:
    kept = add(db, walk.id, categories["waiting"], "kept", utc(2026, 3, 2, 10))
    gone = add(db, walk.id, categories["waiting"], "gone", utc(2026, 3, 2, 11))
    set_observation_deleted(db, gone, True)
    assert ids(fetch_page(db, ObservationFilter())) == [kept]
    assert count_observations(db, ObservationFilter()) == 1
    everything = ObservationFilter(include_deleted=True)
    rows = fetch_page(db, everything)
    assert [(r.id, r.deleted) for r in rows] == [(gone, True), (kept, False)]
    assert count_observations(db, everything) == 2


def test_row_carries_names_flags_and_photo_count(
    db: Database, org: Org, walk: WalkInfo, categories
) -> None:
    obs = add(
        db,
        walk.id,
        categories["defects"],
        "Label had 943 476 5919 on it",
        utc(2026, 3, 2, 10),
        location="bay 3",
        impact=4,
        ease=2,
        countermeasure="Pre-printed labels",
    )
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "white").save(buffer, "PNG")
    attach_photo(db, obs, "label.png", buffer.getvalue())
    [row] = fetch_page(db, ObservationFilter())
    assert row == ObservationRow(
        id=obs,
        walk_id=walk.id,
        observed_at=utc(2026, 3, 2, 10),
        csu_name="Medicine",
        area_name="Ward 7",
        category_id=categories["defects"].id,
        category_code="defects",
        category_label="Defects",
        description="Label had 943 476 5919 on it",
        location="bay 3",
        countermeasure="Pre-printed labels",
        impact=4,
        ease=2,
        walk_focus="Discharge before noon",
        photo_count=1,
        suspected_identifier=True,
        identifier_confirmed=False,
        deleted=False,
    )
    assert row.needs_identifier_review


# --- sorting and paging ------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    id: uuid.UUID
    csu: str
    area: str
    label: str
    description: str
    location: str
    impact: int | None
    ease: int | None
    focus: str
    when: dt.datetime


@pytest.fixture
def varied(db: Database, org: Org, categories) -> list[Expected]:
    """21 observations over 2 CSUs, 3 areas and 4 walks, with repeats, blanks and gaps to sort."""
    surgery = create_csu(db, "surgery")  # lower case: sorting must ignore case
    theatre = create_area(db, surgery.id, "Theatre recovery")
    walks = [
        start_walk(db, org.area.id, focus="Medicines round", started_at=utc(2026, 1, 5)),
        start_walk(db, org.area.id, focus="", started_at=utc(2026, 1, 6)),
        start_walk(db, org.clinic.id, focus="admissions", started_at=utc(2026, 1, 7)),
        start_walk(db, theatre.id, focus="Equipment", started_at=utc(2026, 1, 8)),
    ]
    area_of = [
        ("Medicine", "Ward 7"),
        ("Medicine", "Ward 7"),
        ("Medicine", "Diabetes clinic"),
        ("surgery", "Theatre recovery"),
    ]
    codes = ["waiting", "motion", "defects", "inventory", "skills"]
    words = ["bed", "Alpha", "zebra", "Bed", "chart", "alpha"]
    places = ["bay 1", "", "Bay 2", "corridor", ""]
    made = []
    for n in range(21):
        walk_number = n % 4
        walk = walks[walk_number]
        category = categories[codes[n % 5]]
        impact = None if n % 6 == 0 else (n % 5) + 1
        ease = None if n % 7 == 0 else (n % 3) + 1
        description = f"{words[n % 6]} {n}"
        location = places[n % 5]
        when = utc(2026, 2, 1) + dt.timedelta(hours=7 * n % 23, minutes=n)
        obs = add(
            db,
            walk.id,
            category,
            description,
            when,
            location=location,
            impact=impact,
            ease=ease,
        )
        csu, area = area_of[walk_number]
        made.append(
            Expected(
                obs,
                csu,
                area,
                category.label,
                description,
                location,
                impact,
                ease,
                walk.focus,
                when,
            )
        )
    assert len({e.when for e in made}) == len(made)  # unique times: the expected order is exact
    return made


def expected_order(rows: list[Expected], sort: SortKey, descending: bool) -> list[uuid.UUID]:
    """The order promised: the column (blanks last), then newest first."""
    ordered = sorted(rows, key=lambda e: e.when, reverse=True)
    if sort is SortKey.OBSERVED_AT:
        ordered = sorted(rows, key=lambda e: e.when, reverse=descending)
        return [e.id for e in ordered]
    value: Callable[[Expected], object]
    blank: Callable[[Expected], bool] = lambda e: False  # noqa: E731
    if sort is SortKey.CSU:
        value = lambda e: (e.csu.lower(), e.area.lower())  # noqa: E731
    elif sort is SortKey.AREA:
        value = lambda e: (e.area.lower(), e.csu.lower())  # noqa: E731
    elif sort is SortKey.WASTE:
        value = lambda e: e.label.lower()  # noqa: E731
    elif sort is SortKey.DESCRIPTION:
        value = lambda e: e.description.lower()  # noqa: E731
    elif sort is SortKey.LOCATION:
        value, blank = (lambda e: e.location.lower()), (lambda e: e.location == "")
    elif sort is SortKey.IMPACT:
        value, blank = (lambda e: e.impact or 0), (lambda e: e.impact is None)
    elif sort is SortKey.EASE:
        value, blank = (lambda e: e.ease or 0), (lambda e: e.ease is None)
    else:
        value, blank = (lambda e: e.focus.lower()), (lambda e: e.focus == "")
    ordered = sorted(ordered, key=value, reverse=descending)  # stable: newest first kept
    ordered = sorted(ordered, key=blank)
    return [e.id for e in ordered]


SORTS = list(itertools.product(SortKey, (False, True)))


@pytest.mark.parametrize(("sort", "descending"), SORTS)
def test_every_sort_both_ways(db: Database, varied, sort: SortKey, descending: bool) -> None:
    got = ids(every_row(db, ObservationFilter(), sort, descending))
    assert got == expected_order(varied, sort, descending)


@pytest.mark.parametrize(("sort", "descending"), SORTS)
def test_pages_cover_every_row_once(db: Database, varied, sort: SortKey, descending: bool) -> None:
    f = ObservationFilter()
    whole = ids(every_row(db, f, sort, descending))
    total = count_observations(db, f)
    assert total == len(whole) == 21
    for limit in (1, 4, 5, 21):
        plain, hinted = [], []
        for offset in range(0, total + limit, limit):
            plain += ids(fetch_page(db, f, sort, descending, offset, limit))
            # With the count known, far pages are read backwards and few rows by a scan.
            hinted += ids(fetch_page(db, f, sort, descending, offset, limit, total=total))
        assert plain == whole
        assert hinted == whole


@pytest.mark.parametrize("sort", list(SortKey))
def test_filtered_sort_and_pages(db: Database, org: Org, varied, sort: SortKey) -> None:
    f = ObservationFilter(csu_id=org.csu.id, text="a")
    inside = [
        e for e in varied if e.csu == "Medicine" and "a" in (e.description + e.location).lower()
    ]
    assert 0 < len(inside) < len([e for e in varied if e.csu == "Medicine"])
    whole = ids(every_row(db, f, sort, True))
    assert whole == expected_order(inside, sort, True)
    total, first = count_and_first_page(db, f, sort, True, limit=4)
    assert total == len(inside)
    assert ids(first) == whole[:4]
    pages = []
    for offset in range(0, total, 3):
        pages += ids(fetch_page(db, f, sort, True, offset, 3, total=total))
    assert pages == whole


@pytest.mark.parametrize("probe", [1000, 5])
def test_count_and_first_page_agree_with_count_and_page(
    db: Database, varied, monkeypatch: pytest.MonkeyPatch, probe: int
) -> None:
    # With few matches the count comes from one pass; with more than the probe, the usual way.
    monkeypatch.setattr(observation_query, "_PROBE_ROWS", probe)
    for f in (ObservationFilter(), ObservationFilter(text="alpha"), ObservationFilter(text="zz")):
        for sort, descending in SORTS:
            total, first = count_and_first_page(db, f, sort, descending, limit=3)
            assert total == count_observations(db, f)
            assert first == fetch_page(db, f, sort, descending, 0, 3)


def test_paging_past_the_end_and_bad_arguments(db: Database, varied) -> None:
    f = ObservationFilter()
    assert fetch_page(db, f, offset=21) == []
    assert fetch_page(db, f, offset=50, total=21) == []
    assert fetch_page(db, f, limit=0) == []
    assert count_and_first_page(db, f, limit=0) == (21, [])
    with pytest.raises(ValueError, match="negative"):
        fetch_page(db, f, offset=-1)
