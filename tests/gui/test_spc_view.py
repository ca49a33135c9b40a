"""The SPC charts tab on a copy of the demo trust: every series, the MDC colours of special causes,
the icons and the reading, and the options (direction, target, fixed limits, screening, rebase)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QToolTip

from wastewalk.domain.spc import (
    ASSURANCE_ICONS,
    COMMON_CAUSE,
    POINT_COLOURS,
    VARIATION_ICONS,
    Improvement,
    SpcOptions,
    reading_of,
    xmr_chart,
)
from wastewalk.domain.spc_rules import SPECIAL_CAUSE_CONCERN, SPECIAL_CAUSE_NEUTRAL_HIGH
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.demo import make_demo
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import list_areas, list_csus
from wastewalk.services.spc_series import SeriesKind, processes, series_for
from wastewalk.services.walks import complete_walk, start_walk
from wastewalk.services.wastes import category_codes
from wastewalk.store.database import Database, open_database
from wastewalk.ui.charts.spc_chart_view import SpcChartView, point_tooltip
from wastewalk.ui.reports.section import SPC, ReportsSection
from wastewalk.ui.reports.spc_tab import SpcTab
from wastewalk.ui.scope import Scope

TODAY = dt.date(2026, 11, 24)
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WASTEWALK_DATA_DIR", str(folder / "data"))
        database = open_database(str(folder / "demo.sqlite"))
        make_demo(database, seed=1, today=TODAY)
        database.close()
    return folder / "demo.sqlite"


@pytest.fixture
def db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, copy)
    database = open_database(str(copy))
    yield database
    database.close()


def open_spc(qtbot, db: Database, scope: Scope | None = None) -> ReportsSection:
    section = ReportsSection(db, scope or Scope())
    qtbot.addWidget(section)
    section.resize(1150, 680)
    section.show()
    with qtbot.waitSignal(section.spc.shown, timeout=WAIT_MS):
        section.tabs.setCurrentIndex(SPC)
    return section


def drawn_points(tab: SpcTab) -> int:
    return sum(series.count() for series in tab.chart_view.line_series["data"])


def add_busy_walk(db: Database, observations: int) -> None:
    """A completed walk after the demo's last, with far more observations than any other."""
    area = list_areas(db)[0]
    waiting = category_codes(db)["waiting"]
    when = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    walk = start_walk(db, area.id, focus="A very busy walk", started_at=when)
    for n in range(observations):
        seen = when + dt.timedelta(minutes=n)
        add_observation(db, walk.id, ObservationInput(waiting, f"Wait {n}", observed_at=seen))
    complete_walk(db, walk.id, when + dt.timedelta(hours=2))


def test_each_series_of_the_demo_is_charted_with_its_icons_and_reading(qtbot, db: Database) -> None:
    section = open_spc(qtbot, db)
    tab = section.spc
    for kind in SeriesKind:
        if tab.current_kind() != kind:
            with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
                tab.set_kind(kind)
        assert tab.process_box.isVisible() == (kind == SeriesKind.CYCLE_TIME)
        process = tab.process_box.currentText() if kind == SeriesKind.CYCLE_TIME else None
        if process is not None:
            assert [tab.process_box.itemText(i) for i in range(tab.process_box.count())] == (
                processes(db, DataFilter())
            )
        series = series_for(db, kind, DataFilter(), process)
        chart = xmr_chart(series.xs, series.ys, SpcOptions(improvement=series.improvement))
        assert len(series.ys) > 1
        assert tab.drawn is not None
        assert tab.drawn.chart == chart
        assert drawn_points(tab) == len(chart.points) == len(series.ys)
        assert tab.improvement_box.currentData() == str(series.improvement)
        assert tab.reading.text() == reading_of(chart, series.unit)
        assert tab.basis.text() == series.basis
        variation = VARIATION_ICONS[chart.variation_icon]
        assert tab.variation_icon.title.text() == f"Variation: {variation.title}"
        assert tab.variation_icon.words.text() == variation.words
        assert tab.variation_icon.disc.icon == variation
        assert tab.assurance_icon.title.text() == "Assurance: none"  # no target set
        assert tab.chart_view.chart().title() == series.title
        trial = any(p.trial_limits for p in chart.points)
        assert bool(tab.chart_view.line_series["trial"]) == trial
        assert bool(tab.chart_view.line_series["limits"]) == (not trial)


# The offscreen platform cannot raise the tooltip's window; the tooltip is shown all the same.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_special_causes_take_the_mdc_colours_and_the_direction_decides(qtbot, db: Database) -> None:
    add_busy_walk(db, 40)
    section = open_spc(qtbot, db)
    tab = section.spc
    assert tab.current_kind() == SeriesKind.OBSERVATIONS_PER_WALK
    assert tab.drawn is not None
    last = tab.drawn.chart.points[-1]
    assert last.y == 40
    assert last.rule == "outside_limits"
    assert last.point_type == SPECIAL_CAUSE_NEUTRAL_HIGH  # more observations: neither way

    def check_colours() -> None:
        assert tab.drawn is not None
        special = [p for p in tab.drawn.chart.points if p.point_type != COMMON_CAUSE]
        assert special
        for kind, scatter in tab.chart_view.point_series.items():
            assert scatter.color().name() == POINT_COLOURS[kind]
            expected = [(p.index, p.y) for p in special if p.point_type == kind]
            assert [(pt.x(), pt.y()) for pt in scatter.points()] == expected
        assert set(tab.chart_view.point_series) == {p.point_type for p in special}
        for data in tab.chart_view.line_series["data"]:
            assert data.color().name() == POINT_COLOURS[COMMON_CAUSE]

    check_colours()
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.improvement_box.setCurrentIndex(tab.improvement_box.findData("decrease"))
    assert tab.drawn.chart.points[-1].point_type == SPECIAL_CAUSE_CONCERN
    check_colours()
    concern = VARIATION_ICONS["concern_high"]
    assert tab.variation_icon.title.text() == f"Variation: {concern.title}"
    assert tab.variation_icon.disc.icon.colour == POINT_COLOURS[SPECIAL_CAUSE_CONCERN]
    assert tab.reading.text() == reading_of(tab.drawn.chart, "observations")
    assert "lies above the upper limit" in tab.reading.text()

    # Hovering over a point tells its x, value and rule.
    scatter = tab.chart_view.point_series[SPECIAL_CAUSE_CONCERN]
    scatter.hovered.emit(QPointF(last.index, last.y), True)
    assert QToolTip.text() == point_tooltip(tab.drawn.chart.points[-1], "observations")
    assert "outside the process limits" in QToolTip.text()
    assert last.x in QToolTip.text()
    scatter.hovered.emit(QPointF(last.index, last.y), False)


def test_target_fixed_limits_and_screening_redraw_the_chart(qtbot, db: Database) -> None:
    section = open_spc(qtbot, db)
    tab = section.spc
    series = tab.series
    assert series is not None
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.target_edit.setFocus()
        qtbot.keyClicks(tab.target_edit, "25")
        qtbot.keyClick(tab.target_edit, Qt.Key.Key_Return)
    # With no better direction a target is neither passed nor failed.
    assert tab.drawn.chart.assurance_icon is None
    assert "no better direction" in tab.assurance_icon.words.text()
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.improvement_box.setCurrentIndex(tab.improvement_box.findData("decrease"))
    assert tab.drawn.options.target == 25.0
    assert tab.drawn.chart.assurance_icon is not None
    icon = ASSURANCE_ICONS[tab.drawn.chart.assurance_icon]
    assert tab.assurance_icon.title.text() == f"Assurance: {icon.title}"
    assert "target of 25 observations" in tab.reading.text()
    assert len(tab.chart_view.line_series["target"]) == 1
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.target_edit.clear()  # as its clear button does
    assert tab.drawn.options.target is None
    assert not tab.chart_view.line_series["target"]
    assert tab.assurance_icon.words.text() == "Set a target to see whether it will be met."
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        qtbot.keyClicks(tab.target_edit, "25")
        qtbot.keyClick(tab.target_edit, Qt.Key.Key_Return)

    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.fix_after_box.setValue(20)
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.screen_box.setChecked(False)
    options = SpcOptions(
        improvement=Improvement.DECREASE, target=25.0, fix_after=20, screen_outliers=False
    )
    assert tab.drawn.options == options
    assert tab.drawn.chart == xmr_chart(series.xs, series.ys, options)


def test_rebase_from_the_list_and_by_clicking_a_point(qtbot, db: Database) -> None:
    section = open_spc(qtbot, db)
    tab = section.spc
    series = tab.series
    assert series is not None
    assert tab.drawn is not None
    assert {p.group for p in tab.drawn.chart.points} == {0}
    assert not tab.clear_rebases_button.isEnabled()
    at = 40
    tab.rebase_box.setCurrentIndex(at)
    assert tab.rebase_box.currentText() == series.xs[at]
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        qtbot.mouseClick(tab.add_rebase_button, Qt.MouseButton.LeftButton)
    points = tab.drawn.chart.points
    assert {p.group for p in points} == {0, 1}
    assert next(p.index for p in points if p.group == 1) == at
    assert len(tab.chart_view.line_series["mean"]) == 2
    assert series.xs[at] in tab.rebases_label.text()
    assert tab.drawn.chart == xmr_chart(
        series.xs, series.ys, SpcOptions(improvement=series.improvement, rebase_at=(at,))
    )

    # Clicking a point rebases there too; clicking it again takes that rebase back.
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.chart_view.click_at(QPointF(80.2, 5))
    assert {p.group for p in tab.drawn.chart.points} == {0, 1, 2}
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.chart_view.click_at(QPointF(79.8, 5))
    assert tab.drawn.options.rebase_at == (at,)
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        qtbot.mouseClick(tab.clear_rebases_button, Qt.MouseButton.LeftButton)
    assert {p.group for p in tab.drawn.chart.points} == {0}

    # A rebase stays on its point when a shorter period counts the points again.
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.toggle_rebase(at)
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.dates.set_dates(series.x_dates[10], None)
    points = tab.drawn.chart.points
    assert points[0].x != series.xs[0]
    assert next(p.x for p in points if p.group == 1) == series.xs[at]


def test_the_shared_scope_and_period_narrow_the_series(qtbot, db: Database) -> None:
    medicine = next(c for c in list_csus(db) if c.name == "Medicine")
    section = open_spc(qtbot, db, Scope(csu_id=medicine.id))
    tab = section.spc
    flt = DataFilter(csu_id=medicine.id)
    assert tab.series == series_for(db, SeriesKind.OBSERVATIONS_PER_WALK, flt)
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.dates.set_dates(dt.date(2026, 9, 1), None)
    narrowed = series_for(
        db, SeriesKind.OBSERVATIONS_PER_WALK, DataFilter(medicine.id, None, dt.date(2026, 9, 1))
    )
    assert tab.series == narrowed
    assert drawn_points(tab) == len(narrowed.ys)
    with qtbot.waitSignal(tab.shown, timeout=WAIT_MS):
        tab.dates.set_dates(dt.date(2030, 1, 1), None)
    assert tab.drawn is None
    assert drawn_points(tab) == 0
    assert tab.reading.text() == "No values for observations per walk in this scope and period."


def test_ten_thousand_points_are_drawn(qtbot) -> None:
    rng = random.Random(6)
    ys = [50 + rng.gauss(0, 5) + (8 if i > 7000 else 0) for i in range(10_000)]
    xs = [f"p{i}" for i in range(10_000)]
    chart = xmr_chart(xs, ys, SpcOptions(rebase_at=(5000,)))
    view = SpcChartView()
    qtbot.addWidget(view)
    view.resize(1100, 520)
    view.show_chart(chart, xs, "Ten thousand")
    view.grab()
    assert sum(s.count() for s in view.line_series["data"]) == 10_000
    special = sum(s.count() for s in view.point_series.values())
    assert special == sum(p.point_type != COMMON_CAUSE for p in chart.points) > 0
    assert not view.chart().series()[0].useOpenGL()


def test_the_keyboard_reaches_every_option_in_order(qtbot, db: Database) -> None:
    from tests.gui.test_reports_worker import tab_chain

    section = open_spc(qtbot, db)
    tab = section.spc
    assert tab_chain(tab.series_box, 9) == [
        tab.series_box,
        tab.dates.preset,
        tab.dates.date_from,
        tab.dates.date_to,
        tab.improvement_box,
        tab.target_edit,
        tab.fix_after_box,
        tab.screen_box,
        tab.rebase_box,
        tab.add_rebase_button,
    ]
