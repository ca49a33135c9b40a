"""The steering-group pack read back with pypdf: every figure equals the services' figure, user text
prints as typed, the same data gives the same bytes, and each page's text equals the golden copy
made from the demo trust (regenerate with WASTEWALK_REGEN_GOLDEN=1 after a deliberate change)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from wastewalk.domain.costing import money_text
from wastewalk.domain.progress import Cancelled
from wastewalk.domain.spc import VARIATION_ICONS
from wastewalk.export.pack_report import pack_report_story, write_pack_report
from wastewalk.export.pdf.document import pdf_bytes
from wastewalk.services.actions import ActionInput, create_action, edit_action
from wastewalk.services.data_filter import DataFilter, resolve_filter
from wastewalk.services.demo import make_demo
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu, create_trust
from wastewalk.services.report_figures import overdue_actions
from wastewalk.services.savings import Rollup, RollupBy, rollup
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 10, 1)
GOLDEN = Path(__file__).parent / "golden"
HEADINGS = [
    "Headline figures",
    "Wastes seen",
    "Measurement for improvement: SPC charts",
    "Time-study results",
    "Overdue actions",
    "Method notes",
]


@dataclass(frozen=True)
class Built:
    db: Database
    flt: DataFilter
    path: Path
    pages: list[str]


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo trust of the golden files, made once for this module (with its own data folder)."""
    folder = tmp_path_factory.mktemp("pack")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WASTEWALK_DATA_DIR", str(folder / "data"))
        db = open_database(str(folder / "demo.sqlite"))
        make_demo(db, seed=1, today=TODAY)
        yield db
        db.close()


def build(db: Database, flt: DataFilter, path: Path) -> Built:
    built = write_pack_report(db, flt, path, today=TODAY)
    data = path.read_bytes()
    pages = page_texts(data)
    assert built.pages == len(pages)
    return Built(db, flt, path, pages)


@pytest.fixture(scope="module")
def trust_pack(demo: Database, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(demo, DataFilter(), tmp_path_factory.mktemp("trust") / "pack.pdf")


@pytest.fixture(scope="module")
def csu_pack(demo: Database, tmp_path_factory: pytest.TempPathFactory) -> Built:
    flt = resolve_filter(demo, csu="Medicine")
    return build(demo, flt, tmp_path_factory.mktemp("csu") / "pack.pdf")


def lines(text: str) -> list[str]:
    """The text's lines, spaces tidied, blanks dropped (pypdf gives each table cell a line)."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def has_run(found: list[str], wanted: list[str]) -> bool:
    """Whether `wanted` appears as consecutive lines (a table row, cell by cell)."""
    return any(found[i : i + len(wanted)] == wanted for i in range(len(found)))


def all_text(pack: Built) -> str:
    return "\n".join(pack.pages)


def test_cover_names_trust_scope_period_and_contents(trust_pack: Built) -> None:
    cover = " ".join(trust_pack.pages[0].split())
    for words in (
        "Steering-group pack",
        "Northbridge Teaching Hospitals NHS Trust",
        "Whole trust",
        "All dates",
        "30 September 2026 Data up to",
        "Prepared by WasteWalk",
        "Contents",
    ):
        assert words in cover, words


def test_contents_page_numbers_are_where_the_sections_start(trust_pack: Built) -> None:
    cover = lines(trust_pack.pages[0])
    entries = {}
    for i, line in enumerate(cover[:-2]):
        if re.fullmatch(r"\d+\.", line) and cover[i + 2].isdigit():
            entries[cover[i + 1]] = int(cover[i + 2])
    assert set(HEADINGS) <= set(entries)
    assert "Savings by CSU and class" in entries
    for heading, page in entries.items():
        first = next(
            n for n, text in enumerate(trust_pack.pages[1:], start=2) if heading in lines(text)
        )
        assert first == page, heading


@pytest.mark.parametrize("which", ["trust_pack", "csu_pack"])
def test_every_page_has_filters_data_date_and_page_number(
    which: str, request: pytest.FixtureRequest
) -> None:
    pack: Built = request.getfixturevalue(which)
    place = "Whole trust" if which == "trust_pack" else "Medicine CSU"
    total = len(pack.pages)
    assert total >= 6
    for number, text in enumerate(pack.pages, start=1):
        assert f"Page {number} of {total}" in text
        assert f"{place} · all dates · data to 30 September 2026" in text


def _money_line(figures: object) -> list[str]:
    return [
        money_text(getattr(figures, name))
        for name in (
            "opportunity_cash",
            "opportunity_non_cash",
            "expected_cash",
            "expected_non_cash",
            "validated_cash",
            "validated_non_cash",
        )
    ]


def _headline_matches(pack: Built, expected: Rollup) -> None:
    page = lines(next(text for text in pack.pages[1:] if "Headline figures" in text))
    total = expected.total
    for name, measure in (
        ("Opportunity", "opportunity"),
        ("Estimated saving", "expected"),
        ("Validated saving", "validated"),
    ):
        row = [
            name,
            money_text(getattr(total, f"{measure}_cash")),
            money_text(getattr(total, f"{measure}_non_cash")),
            money_text(getattr(total, measure)),
        ]
        assert has_run(page, row), row
    assert any(line.startswith(money_text(total.opportunity)) for line in page)
    assert total.opportunity > 0


def test_trust_headline_equals_the_trust_rollup(trust_pack: Built) -> None:
    expected = rollup(trust_pack.db, RollupBy.TRUST, trust_pack.flt)
    assert expected.total.validated > 0
    _headline_matches(trust_pack, expected)


def test_csu_headline_equals_the_csu_rollup(csu_pack: Built) -> None:
    expected = rollup(csu_pack.db, RollupBy.CSU, csu_pack.flt)
    assert len(expected.rows) == 1
    _headline_matches(csu_pack, expected)
    assert expected.total != rollup(csu_pack.db, RollupBy.TRUST).total


def _table_matches(pack: Built, heading: str, expected: Rollup) -> None:
    start = next(n for n, text in enumerate(pack.pages[1:], 1) if heading in lines(text))
    text = lines("\n".join(pack.pages[start : start + 2]))
    assert expected.rows
    for row in [*expected.rows, None]:
        label = row.label if row else "Total"
        figures = row.figures if row else expected.total
        wanted = [label, *_money_line(figures)]
        assert has_run(text, wanted), wanted


def test_savings_by_csu_equals_the_csu_rollup(trust_pack: Built) -> None:
    by_csu = rollup(trust_pack.db, RollupBy.CSU)
    assert len(by_csu.rows) == 4
    _table_matches(trust_pack, "Savings by CSU and class", by_csu)


def test_csu_pack_has_savings_by_area(csu_pack: Built) -> None:
    _table_matches(
        csu_pack, "Savings by area and class", rollup(csu_pack.db, RollupBy.AREA, csu_pack.flt)
    )


@pytest.mark.parametrize("which", ["trust_pack", "csu_pack"])
def test_overdue_list_equals_the_service(which: str, request: pytest.FixtureRequest) -> None:
    pack: Built = request.getfixturevalue(which)
    expected = overdue_actions(pack.db, pack.flt, TODAY)
    assert expected
    start = next(n for n, text in enumerate(pack.pages[1:], 1) if "Overdue actions" in lines(text))
    section = "\n".join(pack.pages[start:]).split("Overdue actions", 1)[-1]
    flat = " ".join(section.split())
    positions = []
    for action in expected:
        assert action.due_date is not None
        days = (TODAY - action.due_date).days
        title = " ".join(action.title.split())
        assert title in flat, title
        assert f" {days} " in flat
        positions.append(flat.index(title))
    assert positions == sorted(positions)  # oldest due first, as the service orders them


def test_spc_section_has_a_chart_and_reading_for_each_series(trust_pack: Built) -> None:
    text = all_text(trust_pack)
    assert text.count("Reading:") >= 4
    assert "Observations per walk" in text
    assert "the 4 areas with the most walks" in text
    titles = {icon.title for icon in VARIATION_ICONS.values()}
    assert any(title in " ".join(text.split()) for title in titles)


def test_method_notes_give_rates_and_factors(trust_pack: Built) -> None:
    text = " ".join(all_text(trust_pack).split())
    for words in (
        "Making Data Count",
        "2.66",
        "3.267",
        "annual hours = minutes each time",
        "52 weeks a year",
        "Staff rates used",
        "Unit Costs of Health and Social Care",
        "A WTE year is 1,950 hours",
        "it counts only while the action stays locked",
    ):
        assert words in text, words


def test_same_data_gives_the_same_bytes(demo: Database, tmp_path: Path) -> None:
    first = write_pack_report(demo, DataFilter(), tmp_path / "a.pdf", today=TODAY)
    second = write_pack_report(demo, DataFilter(), tmp_path / "b.pdf", today=TODAY)
    assert first.path.read_bytes() == second.path.read_bytes()
    frame, story = pack_report_story(demo, DataFilter(), today=TODAY)
    assert pdf_bytes(frame, story) == first.path.read_bytes()


def _golden(name: str, pages: list[str]) -> None:
    text = "".join(f"=== page {n} ===\n{page}\n" for n, page in enumerate(pages, start=1))
    path = GOLDEN / f"pack_{name}.txt"
    if os.environ.get("WASTEWALK_REGEN_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    expected_pages = expected.split("=== page ")[1:]
    got_pages = text.split("=== page ")[1:]
    assert len(got_pages) == len(expected_pages), "the page count changed"
    for got, want in zip(got_pages, expected_pages, strict=True):
        assert got == want


def test_trust_pack_matches_the_golden_text(trust_pack: Built) -> None:
    _golden("trust", trust_pack.pages)


def test_csu_pack_matches_the_golden_text(csu_pack: Built) -> None:
    _golden("medicine", csu_pack.pages)


def test_cancel_leaves_no_file(demo: Database, tmp_path: Path) -> None:
    seen: list[str] = []

    def stop(fraction: float, words: str) -> None:
        seen.append(words)
        if fraction > 0.85:
            raise Cancelled()

    out = tmp_path / "pack.pdf"
    with pytest.raises(Cancelled):
        write_pack_report(demo, DataFilter(), out, stop, today=TODAY)
    assert list(tmp_path.iterdir()) == []
    assert "Laying out the pages" in seen


def test_progress_rises_to_the_end(demo: Database, tmp_path: Path) -> None:
    fractions: list[float] = []
    write_pack_report(
        demo, DataFilter(), tmp_path / "p.pdf", lambda f, _w: fractions.append(f), today=TODAY
    )
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


@pytest.fixture
def odd_names(tmp_path: Path) -> Iterator[Database]:
    """A small trust whose names and action title would be markup if not escaped."""
    db = open_database(str(tmp_path / "odd.sqlite"))
    create_trust(db, "Bwrdd Iechyd & <Trust>")
    csu = create_csu(db, "Gwasanaethau Ŵyr")
    area = create_area(db, csu.id, "Ward Łąka ŵ")
    waiting = next(c for c in list_categories(db) if c.code == "waiting")
    when = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
    walk = start_walk(db, area.id, started_at=when)
    seen = add_observation(db, walk.id, ObservationInput(waiting.id, "x", observed_at=when))
    action = create_action(db, [seen.id], ActionInput("<b>& fix", owner="Siân"))
    edit_action(
        db,
        action.id,
        ActionInput("<b>& fix", owner="Siân", due_date=dt.date(2026, 9, 1)),
    )
    yield db
    db.close()


def test_user_text_prints_as_typed(odd_names: Database, tmp_path: Path) -> None:
    pack = build(odd_names, DataFilter(), tmp_path / "odd.pdf")
    text = all_text(pack)
    for typed in ("<b>& fix", "Siân", "Ward Łąka ŵ", "Gwasanaethau Ŵyr"):
        assert typed in text, typed
    assert "&amp;" not in text
    assert "Not enough data for an SPC chart" in text


def test_an_empty_database_still_makes_a_pack(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "empty.sqlite"))
    try:
        pack = build(db, DataFilter(), tmp_path / "empty.pdf")
    finally:
        db.close()
    text = all_text(pack)
    assert "No action is overdue on 1 October 2026." in text
    assert "No time study in this scope and period has been finished." in text
    assert "no data yet" in text
