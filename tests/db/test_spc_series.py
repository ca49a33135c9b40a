"""The SPC series read from a real database: exact values on hand-made data, sense on the demo."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.db.conftest import Org
from wastewalk.domain.errors import InputError
from wastewalk.domain.spc import Improvement, reading_of
from wastewalk.services.activity_categories import list_activity_categories
from wastewalk.services.activity_follows import (
    delete_follow,
    end_follow,
    follow_summary,
    start_follow,
    switch_activity,
)
from wastewalk.services.data_filter import DataFilter, resolve_filter
from wastewalk.services.demo import make_demo
from wastewalk.services.estimates import (
    EstimateInput,
    clear_observation_estimate,
    set_observation_estimate,
)
from wastewalk.services.observations import (
    ObservationInfo,
    ObservationInput,
    add_observation,
    set_observation_deleted,
)
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.spc_series import (
    SeriesKind,
    chart_of,
    cycle_times_per_cycle,
    day_labels,
    processes,
    series_for,
)
from wastewalk.services.staff_rates import StaffRateInput, add_staff_rate
from wastewalk.services.time_studies import ElementInput, StudyInput, create_study, delete_study
from wastewalk.services.time_study_readings import record_reading
from wastewalk.services.walks import WalkInfo, complete_walk, start_walk
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store.database import Database, open_database

UTC = dt.UTC


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


MON_2_MARCH = dt.date(2026, 3, 2)


class Ward:
    """Walks, observations and estimates written through the services, as the window would."""

    def __init__(self, db: Database, categories: dict[str, WasteCategoryInfo]) -> None:
        self.db = db
        self.category = categories["motion"]
        self.rate = add_staff_rate(
            db, StaffRateInput("test-nurse", "Nurse (test)", 5300, source="test", year="2025")
        )

    def walk(self, area_id: uuid.UUID, started: dt.datetime, complete: bool = True) -> WalkInfo:
        walk = start_walk(self.db, area_id, started_at=started)
        if complete:
            complete_walk(self.db, walk.id, ended_at=started + dt.timedelta(hours=1))
        return walk

    def observe(
        self, walk: WalkInfo, minutes: str | None = None, staff: str = "1"
    ) -> ObservationInfo:
        seen = walk.started_at + dt.timedelta(minutes=10)
        obs = add_observation(
            self.db, walk.id, ObservationInput(self.category.id, "Seen", observed_at=seen)
        )
        if minutes is not None:
            set_observation_estimate(
                self.db,
                obs.id,
                EstimateInput(
                    minutes=D(minutes),
                    staff_count=D(staff),
                    staff_rate_id=self.rate.id,
                    occurrences=D(1),
                ),
            )
        return obs


@pytest.fixture
def ward(db: Database, categories: dict[str, WasteCategoryInfo]) -> Ward:
    return Ward(db, categories)


@pytest.fixture
def walked(db: Database, org: Org, ward: Ward) -> dict[str, uuid.UUID]:
    """Ward 7: two walks on Mon 2 March, one on Wed 18 March, one still going on 10 March, one
    that started late on Sunday 7 June (UTC) but on Monday 8 June in the UK. The clinic (same
    CSU) on 4 March; Surgery's ward on 5 March."""
    surgery = create_csu(db, "Surgery")
    ward22 = create_area(db, surgery.id, "Ward 22")
    w1 = ward.walk(org.area.id, at(MON_2_MARCH, 9, 30))
    ward.observe(w1, "6")  # 6 staff-minutes
    ward.observe(w1, "2.5", "2")  # 5
    gone = ward.observe(w1, "10")
    set_observation_deleted(db, gone.id, True)  # a deleted observation counts for nothing
    removed = ward.observe(w1, "7")
    clear_observation_estimate(db, removed.id)  # counted as an observation, but no minutes
    w2 = ward.walk(org.area.id, at(MON_2_MARCH, 14))
    ward.observe(w2)
    ward.walk(org.area.id, at(dt.date(2026, 3, 18), 10))  # no observations
    going = ward.walk(org.area.id, at(dt.date(2026, 3, 10), 10), complete=False)
    ward.observe(going, "30")
    late = ward.walk(org.area.id, at(dt.date(2026, 6, 7), 23, 30))
    ward.observe(late, "1.25", "0.5")
    clinic = ward.walk(org.clinic.id, at(dt.date(2026, 3, 4), 9))
    ward.observe(clinic, "3")
    ward.observe(clinic, "4")
    other = ward.walk(ward22.id, at(dt.date(2026, 3, 5), 9))
    ward.observe(other, "100")
    return {"surgery": surgery.id, "ward22": ward22.id}


# --- observations per walk -----------------------------------------------------------------------


def test_observations_per_walk_in_an_area(db: Database, org: Org, walked: object) -> None:
    s = series_for(db, SeriesKind.OBSERVATIONS_PER_WALK, DataFilter(area_id=org.area.id))
    assert s.kind is SeriesKind.OBSERVATIONS_PER_WALK
    assert s.improvement is Improvement.NEUTRAL
    assert s.xs == ("2026-03-02", "2026-03-02 (2)", "2026-03-18", "2026-06-08")
    assert s.ys == (3.0, 1.0, 0.0, 1.0)
    assert s.x_dates == (
        MON_2_MARCH,
        MON_2_MARCH,
        dt.date(2026, 3, 18),
        dt.date(2026, 6, 8),  # the UK day, not the UTC one
    )
    assert "completed walk" in s.basis
    assert "deleted ones not counted" in s.basis


def test_observations_per_walk_by_csu_trust_and_dates(
    db: Database, org: Org, walked: dict[str, uuid.UUID]
) -> None:
    medicine = series_for(db, "observations_per_walk", DataFilter(csu_id=org.csu.id))
    assert medicine.xs == ("2026-03-02", "2026-03-02 (2)", "2026-03-04", "2026-03-18", "2026-06-08")
    assert medicine.ys == (3.0, 1.0, 2.0, 0.0, 1.0)
    trust = series_for(db, "observations_per_walk", DataFilter())
    assert trust.ys == (3.0, 1.0, 2.0, 1.0, 0.0, 1.0)
    march = DataFilter(date_from=dt.date(2026, 3, 3), date_to=dt.date(2026, 3, 18))
    assert series_for(db, "observations_per_walk", march).xs == (
        "2026-03-04",
        "2026-03-05",
        "2026-03-18",
    )
    surgery = series_for(db, "observations_per_walk", DataFilter(csu_id=walked["surgery"]))
    assert surgery.ys == (1.0,)


def test_a_uk_day_filter_uses_uk_days(db: Database, org: Org, walked: object) -> None:
    # 23:30 UTC on Sunday 7 June is 00:30 BST on Monday 8 June.
    sunday = DataFilter(date_from=dt.date(2026, 6, 7), date_to=dt.date(2026, 6, 7))
    monday = DataFilter(date_from=dt.date(2026, 6, 8), date_to=dt.date(2026, 6, 8))
    assert series_for(db, "observations_per_walk", sunday).ys == ()
    assert series_for(db, "observations_per_walk", monday).xs == ("2026-06-08",)


# --- waste minutes per week ----------------------------------------------------------------------


def test_waste_minutes_per_week(db: Database, org: Org, walked: object) -> None:
    s = series_for(db, SeriesKind.WASTE_MINUTES_PER_WEEK, DataFilter(area_id=org.area.id))
    assert s.improvement is Improvement.DECREASE
    assert s.unit == "staff-minutes"
    # Week of 2 March: 6 + 2.5 x 2 (the deleted observation and the removed estimate add
    # nothing); 9 March: only a walk still going, so no point; 16 March: a walk, no minutes;
    # 8 June (UK week): 1.25 x 0.5.
    assert s.xs == ("2026-03-02", "2026-03-16", "2026-06-08")
    assert s.ys == (11.0, 0.0, 0.625)
    assert s.x_dates == (MON_2_MARCH, dt.date(2026, 3, 16), dt.date(2026, 6, 8))
    assert "weeks without a walk are left out" in s.basis


def test_a_week_cut_by_the_period_is_left_out(db: Database, org: Org, walked: object) -> None:
    # --to Wednesday 4 March cuts the week of 2 March short: charted, it would look like a fall.
    cut = DataFilter(area_id=org.area.id, date_to=dt.date(2026, 3, 4))
    s = series_for(db, SeriesKind.WASTE_MINUTES_PER_WEEK, cut)
    assert s.xs == ()
    assert "The week of 2026-03-02 is not over (or is cut by the period)" in s.basis
    whole = DataFilter(area_id=org.area.id, date_to=dt.date(2026, 3, 8))  # its Sunday
    assert series_for(db, SeriesKind.WASTE_MINUTES_PER_WEEK, whole).xs == ("2026-03-02",)


def test_waste_minutes_per_week_across_a_csu(db: Database, org: Org, walked: object) -> None:
    s = series_for(db, "waste_minutes_per_week", DataFilter(csu_id=org.csu.id))
    assert s.ys == (18.0, 0.0, 0.625)  # the clinic adds 3 + 4 to the week of 2 March
    trust = series_for(db, "waste_minutes_per_week", DataFilter())
    assert trust.ys == (118.0, 0.0, 0.625)


# --- direct-care share ---------------------------------------------------------------------------


def test_direct_care_share_per_follow(db: Database, org: Org) -> None:
    acts = {c.code: c for c in list_activity_categories(db)}

    def follow(
        day: dt.date, spans: list[tuple[str, float]], end: float | None, hour: int = 9
    ) -> uuid.UUID:
        started = at(day, hour)
        info = start_follow(db, org.area.id, staff_role="Staff nurse", started_at=started)
        for code, start in spans:
            switch_activity(db, info.id, acts[code].id, start)
        if end is not None:
            end_follow(db, info.id, end)
        return info.id

    first = follow(dt.date(2026, 4, 1), [("direct_care", 0), ("documentation", 120)], 600)
    follow(dt.date(2026, 4, 2), [("direct_care", 0), ("transit", 300)], 400)
    follow(dt.date(2026, 4, 2), [("direct_care", 0)], 100, hour=11)
    follow(dt.date(2026, 4, 3), [("direct_care", 0)], None)  # still going
    gone = follow(dt.date(2026, 4, 4), [("direct_care", 0)], 60)
    delete_follow(db, gone)
    follow(dt.date(2026, 4, 5), [], 60)  # ended with nothing categorised
    elsewhere = create_area(db, org.csu.id, "Ward 8")
    start = start_follow(db, elsewhere.id, staff_role="HCA", started_at=at(dt.date(2026, 4, 6), 9))
    switch_activity(db, start.id, acts["documentation"].id, 0)
    end_follow(db, start.id, 60)

    s = series_for(db, SeriesKind.DIRECT_CARE_SHARE, DataFilter(area_id=org.area.id))
    assert s.improvement is Improvement.INCREASE
    assert s.unit == "%"
    assert s.xs == ("2026-04-01", "2026-04-02", "2026-04-02 (2)")
    assert s.ys == pytest.approx((20.0, 75.0, 100.0))
    assert "1 follow(s) with no categorised time are left out" in s.basis
    # The same figure as the follow's own summary in the window.
    _, summary = follow_summary(db, first)
    assert summary.direct_care_share is not None
    assert s.ys[0] == pytest.approx(100 * summary.direct_care_share)
    csu = series_for(db, "direct_care_share", DataFilter(csu_id=org.csu.id))
    assert csu.ys == pytest.approx((20.0, 75.0, 100.0, 0.0))
    april_2 = DataFilter(date_from=dt.date(2026, 4, 2), date_to=dt.date(2026, 4, 2))
    assert series_for(db, "direct_care_share", april_2).ys == pytest.approx((75.0, 100.0))


# --- cycle time ----------------------------------------------------------------------------------


def study(
    db: Database,
    area_id: uuid.UUID,
    name: str,
    process: str,
    day: dt.date,
    cycles: list[tuple[float | None, ...]],
) -> uuid.UUID:
    info = create_study(
        db,
        StudyInput(
            name=name,
            area_id=area_id,
            study_date=day,
            process=process,
            elements=(ElementInput("Fetch"), ElementInput("Give")),
        ),
    )
    for cycle, readings in enumerate(cycles, start=1):
        for element, seconds in zip(info.elements, readings, strict=False):
            record_reading(db, info.id, element.id, cycle, seconds)
    return info.id


def test_cycle_time_per_study(db: Database, org: Org) -> None:
    area = org.area.id
    study(db, area, "Round Nov", "Morning drug round", dt.date(2026, 11, 24), [(10, 20), (12, 18)])
    study(db, area, "Round Oct", "Morning drug round", dt.date(2026, 10, 1), [(5, 5), (7,)])
    study(db, area, "Round Oct bis", "morning  DRUG round", dt.date(2026, 10, 1), [(8, 4)])
    study(db, area, "Round half", "Morning drug round", dt.date(2026, 10, 15), [(9,)])
    gone = study(db, area, "Round gone", "Morning drug round", dt.date(2026, 10, 20), [(1, 1)])
    delete_study(db, gone)
    study(db, area, "Beds", "Bed turnaround", dt.date(2026, 10, 2), [(100, 200)])
    study(db, org.clinic.id, "Clinic round", "Clinic check-in", dt.date(2026, 9, 1), [(1, 2)])

    assert processes(db, DataFilter(area_id=area)) == ["Bed turnaround", "Morning drug round"]
    assert processes(db, DataFilter(csu_id=org.csu.id)) == [
        "Bed turnaround",
        "Clinic check-in",
        "Morning drug round",
    ]
    assert processes(db, DataFilter(date_from=dt.date(2026, 10, 2))) == [
        "Bed turnaround",
        "Morning drug round",
    ]

    s = series_for(db, SeriesKind.CYCLE_TIME, DataFilter(area_id=area), "Morning drug round")
    assert s.improvement is Improvement.DECREASE
    assert s.unit == "s"
    assert s.title == "Cycle time per study: Morning drug round"
    # Oct: cycle 1 only is complete (10 s); Oct bis: 12 s; half: no complete cycle; Nov: 30, 30.
    assert s.xs == ("2026-10-01", "2026-10-01 (2)", "2026-11-24")
    assert s.ys == (10.0, 12.0, 30.0)
    assert "1 study(ies) with no complete cycle are left out" in s.basis
    november = DataFilter(date_from=dt.date(2026, 11, 1))
    assert series_for(db, "cycle_time", november, "morning drug round").ys == (30.0,)

    per_cycle = cycle_times_per_cycle(db, DataFilter(area_id=area), "Morning drug round")
    assert per_cycle.xs == ("2026-10-01 c1", "2026-10-01 (2) c1", "2026-11-24 c1", "2026-11-24 c2")
    assert per_cycle.ys == (10.0, 12.0, 30.0, 30.0)


def test_cycle_time_needs_a_process(db: Database, org: Org) -> None:
    with pytest.raises(InputError, match="choose a process"):
        series_for(db, SeriesKind.CYCLE_TIME, DataFilter())
    assert series_for(db, SeriesKind.CYCLE_TIME, DataFilter(), "Nothing").ys == ()


def test_an_unknown_series(db: Database) -> None:
    with pytest.raises(InputError, match="no series 'walks'"):
        series_for(db, "walks", DataFilter())


def test_day_labels() -> None:
    d1, d2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)
    assert day_labels([d1, d1, d2, d1]) == (
        "2026-01-05",
        "2026-01-05 (2)",
        "2026-01-06",
        "2026-01-05 (3)",
    )


def test_empty_database_gives_empty_series(db: Database) -> None:
    for kind in ("observations_per_walk", "waste_minutes_per_week", "direct_care_share"):
        s = series_for(db, kind, DataFilter())
        assert (s.xs, s.ys, s.x_dates) == ((), (), ())
        assert reading_of(chart_of(s)) == "No points to chart."


# --- the demo trust ------------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo trust, made once for this module (with its own data folder)."""
    folder: Path = tmp_path_factory.mktemp("spc-demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WASTEWALK_DATA_DIR", str(folder / "data"))
        db = open_database(str(folder / "demo.sqlite"))
        make_demo(db, seed=1, today=TODAY)
        yield db
        db.close()


def test_demo_series_have_a_sensible_shape(demo: Database) -> None:
    flt = DataFilter()
    for kind in (
        SeriesKind.OBSERVATIONS_PER_WALK,
        SeriesKind.WASTE_MINUTES_PER_WEEK,
        SeriesKind.DIRECT_CARE_SHARE,
    ):
        s = series_for(demo, kind, flt)
        assert len(s.xs) == len(s.ys) == len(s.x_dates) >= 10, kind
        assert len(set(s.xs)) == len(s.xs)
        assert list(s.x_dates) == sorted(s.x_dates)
        assert all(y >= 0 for y in s.ys)
        assert TODAY - dt.timedelta(days=400) <= s.x_dates[0] <= s.x_dates[-1] <= TODAY
        chart = chart_of(s)
        assert chart.variation_icon is not None
        assert reading_of(chart, s.unit)
    weeks = series_for(demo, SeriesKind.WASTE_MINUTES_PER_WEEK, flt)
    assert all(day.weekday() == 0 for day in weeks.x_dates)
    shares = series_for(demo, SeriesKind.DIRECT_CARE_SHARE, flt)
    assert all(0 <= y <= 100 for y in shares.ys)
    assert len(shares.ys) == 12


def test_demo_observations_per_walk_add_up(demo: Database) -> None:
    medicine = resolve_filter(demo, csu="Medicine")
    per_area = [
        series_for(demo, "observations_per_walk", resolve_filter(demo, area=f"Medicine/{name}"))
        for name in ("Ward 12 – Acute Medicine", "Ward 14 – Respiratory")
    ]
    whole = series_for(demo, "observations_per_walk", medicine)
    assert sum(len(s.ys) for s in per_area) <= len(whole.ys)
    assert sum(whole.ys) >= sum(sum(s.ys) for s in per_area)


def test_demo_bed_turnaround(demo: Database) -> None:
    ward12 = resolve_filter(demo, area="Medicine/Ward 12 – Acute Medicine")
    assert "Bed turnaround" in processes(demo, ward12)
    s = series_for(demo, SeriesKind.CYCLE_TIME, ward12, "Bed turnaround")
    # One study a month for six months, the process changed in month four: the last three
    # studies are each faster than any of the first three.
    assert len(s.ys) == 6
    assert max(s.ys[3:]) < min(s.ys[:3])
    # Six points are too few for any run rule; by study the chart stays common cause, with
    # trial limits. By cycle, the change is a special cause improvement.
    by_study = chart_of(s)
    assert all(p.trial_limits for p in by_study.points)
    per_cycle = chart_of(cycle_times_per_cycle(demo, ward12, "Bed turnaround"))
    assert len(per_cycle.points) >= 40
    assert per_cycle.variation_icon == "improvement_low"
    late = [p for p in per_cycle.points if p.x >= s.xs[3]]
    assert any(p.point_type == "special_cause_improvement" for p in late)
