"""The savings report PDF read back with pypdf: its figures are the roll-up's to the penny (trust,
CSU, area, dates), the basis is stated, typed text prints as typed, pages carry their furniture,
two builds are the same bytes, the golden texts hold, and cancel or a bad target leave nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.export.test_walk_report import (
    TODAY,
    build_demo_template,
    check_golden,
    check_page_furniture,
    leftovers,
    no_fetching,
    open_copy,
    page_texts,
)
from wastewalk.domain.costing import money_text
from wastewalk.domain.progress import Cancelled
from wastewalk.export.csv_writer import ExportError
from wastewalk.export.report_text import hours_text, wte_text
from wastewalk.export.savings_report import savings_report_story, write_savings_report
from wastewalk.services.actions import ActionInput, create_action, set_expected_saving
from wastewalk.services.data_filter import DataFilter, describe_filter, resolve_filter
from wastewalk.services.estimates import EstimateInput, set_observation_estimate
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu, list_areas
from wastewalk.services.report_figures import action_status, rates_used
from wastewalk.services.savings import Figures, Rollup, RollupBy, rollup
from wastewalk.services.staff_rates import list_staff_rates
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import category_codes
from wastewalk.store.database import Database, open_database


@pytest.fixture(scope="session")
def savings_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_template(tmp_path_factory.mktemp("savings-report-demo"))


@pytest.fixture
def demo(savings_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_copy(savings_template, tmp_path)
    yield database
    database.close()


def _build(db: Database, flt: DataFilter, out: Path) -> list[str]:
    built = write_savings_report(db, flt, out, today=TODAY)
    assert built.pages == len(PdfReader(out).pages)
    return page_texts(out)


def _money_row(figures: Figures) -> str:
    """The six money cells of a place row, as the report prints them side by side."""
    return " ".join(
        money_text(pence)
        for pence in (
            figures.opportunity_cash,
            figures.opportunity_non_cash,
            figures.expected_cash,
            figures.expected_non_cash,
            figures.validated_cash,
            figures.validated_non_cash,
        )
    )


def _check_headline(text: str, whole: Rollup) -> None:
    total = whole.total
    for label, measure in (
        ("Opportunity", "opportunity"),
        ("Estimated saving", "expected"),
        ("Validated saving", "validated"),
    ):
        cash = getattr(total, f"{measure}_cash")
        non_cash = getattr(total, f"{measure}_non_cash")
        hours = total.hours(measure)
        row = (
            f"{label} {money_text(cash)} {money_text(non_cash)} {money_text(cash + non_cash)} "
            f"{hours_text(hours)} {wte_text(hours, whole.hours_per_wte)}"
        )
        assert row in text, row
    assert f"{total.estimates} estimates make up these figures" in text


def _check_places(text: str, by: Rollup) -> None:
    for row in by.rows:
        assert row.label in text
        assert _money_row(row.figures) in text, row.label
    assert f"Total {_money_row(by.total)}" in text


def _filters(db: Database) -> list[DataFilter]:
    medicine = resolve_filter(db, csu="Medicine")
    area = list_areas(db)[4]
    return [
        DataFilter(),
        medicine,
        DataFilter(area_id=area.id),
        DataFilter(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 8, 31)),
        DataFilter(csu_id=medicine.csu_id, date_from=dt.date(2026, 7, 1)),
    ]


def test_the_figures_are_the_rollups_to_the_penny(demo: Database, tmp_path: Path) -> None:
    for number, flt in enumerate(_filters(demo)):
        pages = _build(demo, flt, tmp_path / f"s{number}.pdf")
        check_page_furniture(pages, describe_filter(demo, flt))
        text = " ".join(pages)
        whole = rollup(demo, RollupBy.TRUST, flt)
        assert whole.total.opportunity > 0
        _check_headline(text, whole)
        if flt.csu_id is None and flt.area_id is None:
            _check_places(text, rollup(demo, RollupBy.CSU, flt))
        if flt.area_id is None:
            _check_places(text, rollup(demo, RollupBy.AREA, flt))
        else:
            assert "By area" not in text
        wastes = rollup(demo, RollupBy.WASTE, flt)
        for row in wastes.rows:
            cells = " ".join(
                money_text(p)
                for p in (
                    row.figures.opportunity_cash,
                    row.figures.opportunity_non_cash,
                    row.figures.expected,
                    row.figures.validated,
                )
            )
            assert f"{row.label} " in text
            assert cells in text, row.label
        counts = action_status(demo, flt, TODAY)
        assert (
            f"{counts.open} {counts.in_progress} {counts.done} {counts.dropped} {counts.total} "
            f"{counts.overdue} {counts.validated}"
        ) in text
        for rate in rates_used(demo, flt):
            assert f"{money_text(rate.rate_pence)} {rate.source}" in text, rate.code


def test_the_basis_is_stated(demo: Database, tmp_path: Path) -> None:
    text = " ".join(_build(demo, resolve_filter(demo, csu="Medicine"), tmp_path / "m.pdf"))
    for words in (
        "Basis of the figures",
        "Staff rates used",
        "Nurse, band 5 (nurse-band-5) £57.00 Unit Costs of Health and Social Care 2025",
        "per day: × the area's operating days a year; per week: × 52; per month: × 12; "
        "per year: × 1",
        "365 operating days a year: Ward 12 – Acute Medicine (Medicine)",
        "by 1,950 hours",
        "Cash-releasing: a budget really falls",
        "Counted on: an opportunity counts on the UK day its observation was made",
        "Validated saving: What actions were shown to save",
        "The 10 biggest opportunities",
        "Overdue actions, longest overdue first",
        "Agree bed moves once, at the board round",
    ):
        assert words in text, words


def test_the_demo_reports_match_their_golden_texts(demo: Database, tmp_path: Path) -> None:
    check_golden(
        "savings_medicine_demo",
        _build(demo, resolve_filter(demo, csu="Medicine"), tmp_path / "m.pdf"),
    )
    check_golden("savings_trust_demo", _build(demo, DataFilter(), tmp_path / "t.pdf"))


def test_two_builds_are_the_same_bytes(demo: Database, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_savings_report(demo, DataFilter(), first, today=TODAY)
    write_savings_report(demo, DataFilter(), second, today=TODAY)
    assert first.read_bytes() == second.read_bytes()


def test_the_story_has_the_frame(demo: Database) -> None:
    frame, story = savings_report_story(demo, resolve_filter(demo, csu="Medicine"), today=TODAY)
    assert frame.title == "Savings report"
    assert frame.filters == "Medicine CSU · all dates"
    assert frame.data_date == "data to 30 September 2026"
    assert len(story) > 10


@pytest.mark.parametrize("stop_at", ["Adding up", "The basis", "Laying out"])
def test_cancel_leaves_no_file(demo: Database, tmp_path: Path, stop_at: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()

    def progress(_fraction: float, words: str) -> None:
        if words.startswith(stop_at):
            raise Cancelled()

    with pytest.raises(Cancelled):
        write_savings_report(demo, DataFilter(), folder / "s.pdf", progress, today=TODAY)
    assert leftovers(folder) == []


def test_an_unwritable_target_is_an_export_error(demo: Database, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="There is no folder"):
        write_savings_report(demo, DataFilter(), tmp_path / "gone" / "s.pdf")
    with pytest.raises(ExportError, match="is a folder"):
        write_savings_report(demo, DataFilter(), tmp_path)


# --- a small world: empty, then typed text ----------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "small.sqlite"))
    yield database
    database.close()


def test_an_empty_database_makes_a_plain_report(db: Database, tmp_path: Path) -> None:
    pages = _build(db, DataFilter(), tmp_path / "empty.pdf")
    check_page_furniture(pages, "Whole trust · all dates", "no data yet")
    text = " ".join(pages)
    for words in (
        "no data yet",
        "Opportunity £0.00 £0.00 £0.00 0.0 h 0.00 WTE",
        "No CSU has a figure in this selection.",
        "No observation in this selection is priced.",
        "No estimate uses a staff rate.",
    ):
        assert words in text, words


def test_typed_text_prints_as_typed(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = no_fetching(monkeypatch)
    csu = create_csu(db, "Łódź <b>& CSU")
    area = create_area(db, csu.id, "Ward Ŵ")
    walk = start_walk(db, area.id, started_at=dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC))
    rate = next(r for r in list_staff_rates(db) if r.code == "nurse-band-5")
    typed = '=HYPERLINK("http://x") <img src="http://127.0.0.1:9/x.png"/>'
    seen = add_observation(
        db,
        walk.id,
        ObservationInput(
            category_codes(db)["waiting"],
            typed,
            observed_at=dt.datetime(2026, 3, 4, 9, 40, tzinfo=dt.UTC),
        ),
    )
    priced = EstimateInput(minutes=D(6), staff_rate_id=rate.id, occurrences=D(5), per="day")
    set_observation_estimate(db, seen.id, priced)
    action = create_action(
        db, [seen.id], ActionInput("<b>& stop", owner="Siân", due_date=dt.date(2026, 4, 1))
    )
    set_expected_saving(db, action.id, priced)
    out = tmp_path / "s.pdf"
    pages = _build(db, DataFilter(), out)
    assert tried == []
    text = " ".join(pages)
    for words in (typed, "<b>& stop", "Siân", "Łódź <b>& CSU", "Ward Ŵ", "£10,402.50"):
        assert words in text, words
    assert "Overdue actions" in text
