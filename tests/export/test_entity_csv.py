"""The entity CSV files (walks, observations, actions, readings, elements, activity) read back as a
spreadsheet and an analyst read them: documented headers, every live record once, joins that hold,
ISO days and times, money equal to the services' pence, text as typed (formulas defused)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import update

from tests.conftest import REPO
from wastewalk.domain.time_study import ValueClass
from wastewalk.export.csv_exports import ALL_FILES, EXPORTS, export_csv
from wastewalk.export.rows_csv import fixed, pounds
from wastewalk.models import (
    ActivitySegment,
    Observation,
    Participant,
    TimeStudyReading,
    Trust,
    Walk,
)
from wastewalk.services.actions import (
    ActionInput,
    create_action,
    delete_action,
    set_expected_saving,
    validate_saving,
)
from wastewalk.services.activity_categories import list_activity_categories
from wastewalk.services.activity_follow_waste import tag_segment_waste
from wastewalk.services.activity_follows import end_follow, start_follow, switch_activity
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.estimate_rows import ESTIMATE_FIELDS
from wastewalk.services.estimates import EstimateInput, set_observation_estimate
from wastewalk.services.observations import (
    ObservationInput,
    add_observation,
    set_observation_deleted,
)
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.photos import attach_photo
from wastewalk.services.savings import EstimateLine, RollupBy, estimate_lines, rollup
from wastewalk.services.staff_rates import StaffRateInput, add_staff_rate
from wastewalk.services.time_studies import (
    ElementInput,
    StudyInput,
    create_study,
    delete_study,
    study_summary,
)
from wastewalk.services.time_study_readings import exclude_reading, record_reading
from wastewalk.services.walks import ParticipantInput, start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database, open_database

MARCH = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
JUNE = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 6, 14, 22, 50, tzinfo=dt.UTC)  # 23:50 BST on 14 June
AFTER_MIDNIGHT = dt.datetime(2026, 6, 14, 23, 30, tzinfo=dt.UTC)  # 00:30 BST on 15 June
TODAY = dt.date(2026, 7, 1)
HYPERLINK = '=HYPERLINK("x")'
WELSH, POLISH, EMOJI = "Ward Ŵy", "Łódź Unit", "🚑"
NHS_NUMBER = "943 476 5919"  # passes the modulus-11 check
ENTITY_FILES = (
    "walks.csv",
    "observations.csv",
    "actions.csv",
    "readings.csv",
    "elements.csv",
    "activity.csv",
)


@dataclass(frozen=True)
class Trust6:
    db: Database
    csus: dict[str, uuid.UUID]
    areas: dict[str, uuid.UUID]
    walks: dict[str, uuid.UUID]
    observations: dict[str, uuid.UUID]
    actions: dict[str, uuid.UUID]
    study: uuid.UUID
    follow: uuid.UUID


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#005EB8").save(out, "PNG")
    return out.getvalue()


def make_trust(db: Database) -> Trust6:
    """Two CSUs (one named like a formula), three areas in Welsh, Polish and formula-like names,
    walks across a BST midnight, observations with formulas, Unicode, an NHS number and a
    deleted one, actions (one validated, one overdue, one deleted), a time study with excluded
    and not-performed readings (and a deleted study), and an activity follow tagged as waste."""
    medicine, surgery = create_csu(db, "Medicine"), create_csu(db, "+Surgery")
    clinic = create_area(db, medicine.id, POLISH, kind="clinic", operating_days_per_year=253)
    areas = {
        WELSH: create_area(db, medicine.id, WELSH).id,
        POLISH: clinic.id,
        "=Theatres": create_area(db, surgery.id, "=Theatres", operating_days_per_year=253).id,
    }
    rate = add_staff_rate(db, StaffRateInput("nurse-53", "@Nurse", 5300, source="-eg", year="2025"))
    wastes = {c.code: c.id for c in list_categories(db)}
    people = (ParticipantInput(f"-Dr Ånne {EMOJI}"), ParticipantInput("Łukasz", "manager"))
    walks = {
        "march": start_walk(
            db, areas[WELSH], focus="<b>&", participants=people, started_at=MARCH, notes="=1+1"
        ).id,
        "june": start_walk(db, areas["=Theatres"], started_at=JUNE).id,
        "late": start_walk(db, areas[POLISH], started_at=LATE).id,
    }

    def observe(walk: str, text: str, when: dt.datetime, **more: Any) -> uuid.UUID:
        data = ObservationInput(wastes["waiting"], text, observed_at=when, **more)
        return add_observation(db, walks[walk], data).id

    observations = {
        "formula": observe(
            "march",
            HYPERLINK,
            MARCH + dt.timedelta(minutes=5),
            location="+1",
            frequency="-2",
            countermeasure="@SUM(A1)",
            impact=3,
            ease=4,
            domains=frozenset({"quality", "cost"}),
        ),
        "unicode": observe(
            "march", f"{WELSH} {POLISH} {EMOJI} <b>&", MARCH + dt.timedelta(minutes=9)
        ),
        "nhs": observe("march", f"NHS no {NHS_NUMBER} on the board", MARCH),
        "deleted": observe("march", "Gone", MARCH),
        "june": observe("june", "Seen in June", JUNE + dt.timedelta(minutes=10)),
        "late": observe("late", "After midnight", AFTER_MIDNIGHT),
    }
    set_observation_deleted(db, observations["deleted"], True)
    attach_photo(db, observations["formula"], "bay.png", png())
    priced = EstimateInput(minutes=Decimal(6), staff_rate_id=rate.id, occurrences=Decimal(5))
    for name in ("formula", "june", "late"):
        set_observation_estimate(db, observations[name], priced)
    cash = EstimateInput(
        minutes=Decimal("2.5"),
        staff_rate_id=rate.id,
        occurrences=Decimal(3),
        per="week",
        consumables_pence=37,
        cash_releasing=True,
        basis="Bank shifts cut",
    )
    validated = create_action(
        db, [observations["formula"]], ActionInput("=Fix", owner="+Owner", notes="-note")
    )
    set_expected_saving(db, validated.id, priced)
    validate_saving(db, validated.id, cash, validated_by="@Finance")
    overdue = create_action(
        db, [observations["june"]], ActionInput("Chase", due_date=dt.date(2026, 6, 20))
    )
    set_expected_saving(db, overdue.id, cash)
    dropped = create_action(db, [observations["june"]], ActionInput("Dropped later"))
    delete_action(db, dropped.id)

    study = create_study(
        db,
        StudyInput(
            name="=Study",
            area_id=areas[WELSH],
            study_date=dt.date(2026, 3, 3),
            process="+Process",
            allowance_pct=12.0,
            elements=(
                ElementInput("-Collect", rating_pct=110),
                ElementInput("Fetch", ValueClass.WASTE, waste_code="motion"),
            ),
        ),
    )
    first, second = study.elements
    sheet = {1: (8.25, 30.0), 2: (9.0, None), 3: (8.0, 36.5), 4: (30.0, 41.0)}
    for cycle, (a, b) in sheet.items():
        record_reading(db, study.id, first.id, cycle, a)
        record_reading(db, study.id, second.id, cycle, b)
    with db.session() as session:
        odd = session.query(TimeStudyReading).filter_by(element_id=first.id, cycle=4).one().id
    exclude_reading(db, odd, "@interrupted")
    gone = create_study(
        db,
        StudyInput(
            name="Gone",
            area_id=areas[WELSH],
            study_date=dt.date(2026, 3, 3),
            elements=(ElementInput("x"),),
        ),
    )
    record_reading(db, gone.id, gone.elements[0].id, 1, 5.0)
    delete_study(db, gone.id)

    acts = {c.code: c.id for c in list_activity_categories(db)}
    follow = start_follow(
        db, areas["=Theatres"], staff_role="=Nurse", observer="+QP", started_at=JUNE
    )
    segment = switch_activity(db, follow.id, acts["direct_care"], 0, location="-Bay")
    switch_activity(db, follow.id, acts["documentation"], 120.5)
    switch_activity(db, follow.id, acts["direct_care"], 200.25)
    end_follow(db, follow.id, 300.0)
    tag_segment_waste(db, segment.id, "motion", "fetching a hoist")

    # Text the services would tidy but a pack or an old file may still hold: the export must
    # defuse it whatever is stored.
    with db.session() as session:
        session.execute(update(Trust).values(name="-Trust Cymru"))
        session.execute(
            update(Observation)
            .where(Observation.id == observations["unicode"])
            .values(location="\tTabbed", frequency="\rCR")
        )
        session.execute(update(ActivitySegment).values(note="\rnote"))
        session.execute(update(Participant).where(Participant.role == "manager").values(name="@Ł"))
    return Trust6(
        db=db,
        csus={"Medicine": medicine.id, "+Surgery": surgery.id},
        areas=areas,
        walks=walks,
        observations=observations,
        actions={"validated": validated.id, "overdue": overdue.id, "dropped": dropped.id},
        study=study.id,
        follow=follow.id,
    )


@pytest.fixture
def trust(tmp_path: Path) -> Iterator[Trust6]:
    db = open_database(str(tmp_path / "t.sqlite"))
    try:
        yield make_trust(db)
    finally:
        db.close()


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def documented_columns(name: str) -> list[str]:
    """The columns docs/csv.md lists for a file, in order (first cell of each table row)."""
    text = (REPO / "docs" / "csv.md").read_text(encoding="utf-8")
    section = text.split(f"### `{name}`", 1)[1].split("\n#", 1)[0]
    columns: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            columns += re.findall(r"`([a-z_]+)`", line.split("|")[1])
    return columns


def export_all(
    trust: Trust6, out: Path, flt: DataFilter | None = None
) -> dict[str, list[dict[str, str]]]:
    export_csv(trust.db, out, "all", flt, today=TODAY)
    return {name: read(out / name) for name in ALL_FILES}


def pence(cell: str) -> int:
    assert re.fullmatch(r"\d+\.\d\d", cell), cell
    return int(Decimal(cell) * 100)


# --- the files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENTITY_FILES)
def test_headers_are_exactly_the_documented_columns(
    trust: Trust6, tmp_path: Path, name: str
) -> None:
    export_csv(trust.db, tmp_path, next(w for w, files in EXPORTS.items() if files == (name,)))
    assert header(tmp_path / name) == documented_columns(name)
    assert len(set(header(tmp_path / name))) == len(header(tmp_path / name))


def test_every_live_record_once_and_nothing_deleted(trust: Trust6, tmp_path: Path) -> None:
    files = export_all(trust, tmp_path)
    assert len(files["walks.csv"]) == 4  # three walks and the one the tagged follow made
    observation_ids = {r["observation_id"] for r in files["observations.csv"]}
    assert str(trust.observations["deleted"]) not in observation_ids
    assert len(observation_ids) == len(files["observations.csv"]) == 6  # five and the tag's
    assert {r["action_id"] for r in files["actions.csv"]} == {
        str(trust.actions["validated"]),
        str(trust.actions["overdue"]),
    }
    assert {r["study"] for r in files["readings.csv"]} == {"'=Study"}
    assert len(files["readings.csv"]) == 8
    assert len(files["elements.csv"]) == 2
    assert len(files["activity.csv"]) == 3
    walk = next(r for r in files["walks.csv"] if r["walk_id"] == str(trust.walks["march"]))
    assert walk["observations"] == "3"  # the deleted one is not counted
    formula = next(
        r
        for r in files["observations.csv"]
        if r["observation_id"] == str(trust.observations["formula"])
    )
    assert formula["photos"] == "1"


def test_files_join_on_their_ids(trust: Trust6, tmp_path: Path) -> None:
    files = export_all(trust, tmp_path)
    walks = {r["walk_id"]: r for r in files["walks.csv"]}
    observations = {r["observation_id"]: r for r in files["observations.csv"]}
    for row in files["observations.csv"]:
        walk = walks[row["walk_id"]]
        assert (row["area_id"], row["area"], row["csu_id"]) == (
            walk["area_id"],
            walk["area"],
            walk["csu_id"],
        )
    for row in files["actions.csv"]:
        linked = row["observation_ids"].split("; ")
        assert len(linked) == int(row["observations"])
        assert all(observations[i]["area_id"] == row["area_id"] for i in linked)
    for row in files["estimates.csv"]:
        if row["observation_id"]:
            assert observations[row["observation_id"]]["estimate_id"] == row["estimate_id"]
    priced = {r["estimate_id"] for r in files["observations.csv"] if r["estimate_id"]}
    assert priced == {r["estimate_id"] for r in files["estimates.csv"] if r["observation_id"]}
    elements = {r["element_id"]: r for r in files["elements.csv"]}
    for row in files["readings.csv"]:
        assert elements[row["element_id"]]["study_id"] == row["study_id"]
    for row in files["activity.csv"]:
        if row["observation_id"]:
            assert observations[row["observation_id"]]["walk_id"] in walks
    # Names and ids agree in every file: one area id, one name.
    names: dict[str, set[str]] = {}
    for name in ENTITY_FILES:
        for row in files[name]:
            names.setdefault(row["area_id"], set()).add(row["area"])
            assert row["trust"] == "'-Trust Cymru"
    assert all(len(found) == 1 for found in names.values())
    assert {uuid.UUID(i) for i in names} == set(trust.areas.values())


def test_days_are_uk_days_and_times_utc(trust: Trust6, tmp_path: Path) -> None:
    files = export_all(trust, tmp_path)
    late = next(r for r in files["walks.csv"] if r["walk_id"] == str(trust.walks["late"]))
    assert (late["walked_on"], late["started_at"]) == ("2026-06-14", "2026-06-14T22:50:00+00:00")
    assert late["ended_at"] == ""
    seen = next(r for r in files["observations.csv"] if r["description"] == "After midnight")
    assert (seen["observed_on"], seen["observed_at"]) == (
        "2026-06-15",
        "2026-06-14T23:30:00+00:00",
    )
    for name in ALL_FILES:
        for row in files[name]:
            for column, cell in row.items():
                if column.endswith("_on") and cell:
                    dt.date.fromisoformat(cell)
                    assert len(cell) == 10
                if column.endswith("_at") and cell:
                    moment = dt.datetime.fromisoformat(cell)
                    assert moment.utcoffset() == dt.timedelta(0), (name, column, cell)
    action = next(
        r for r in files["actions.csv"] if r["action_id"] == str(trust.actions["overdue"])
    )
    assert (action["due_on"], action["overdue"], action["status"]) == ("2026-06-20", "Y", "open")


def test_money_is_the_services_pence(trust: Trust6, tmp_path: Path) -> None:
    files = export_all(trust, tmp_path)
    lines = {line.observation_id: line for line in estimate_lines(trust.db)}
    for row in files["observations.csv"]:
        if not row["estimate_id"]:
            assert row["opportunity_gbp"] == row["opportunity_cash_releasing"] == ""
            continue
        line = lines[uuid.UUID(row["observation_id"])]
        assert pence(row["opportunity_gbp"]) == line.annual_value_pence
        assert row["opportunity_cash_releasing"] == ("Y" if line.cash_releasing else "N")
    total = rollup(trust.db, RollupBy.CSU).total
    assert sum(
        pence(r["opportunity_gbp"]) for r in files["observations.csv"] if r["estimate_id"]
    ) == (total.opportunity)
    actions = files["actions.csv"]

    def column(name: str) -> int:
        return sum(pence(r[name]) for r in actions if r[name])

    assert column("estimated_saving_cash_releasing_gbp") == total.expected_cash
    assert column("estimated_saving_non_cash_releasing_gbp") == total.expected_non_cash
    assert column("validated_saving_cash_releasing_gbp") == total.validated_cash > 0
    assert column("validated_saving_non_cash_releasing_gbp") == total.validated_non_cash == 0
    done = next(r for r in actions if r["action_id"] == str(trust.actions["validated"]))
    assert (done["locked"], done["validated_by"]) == ("Y", "'@Finance")
    # 6 minutes x 5 a day x 365 at £53 = £9,672.50, as PRODUCT.md works it.
    assert done["estimated_saving_non_cash_releasing_gbp"] == "9672.50"
    assert done["estimated_saving_cash_releasing_gbp"] == "0.00"
    chase = next(r for r in actions if r["action_id"] == str(trust.actions["overdue"]))
    assert chase["validated_saving_cash_releasing_gbp"] == chase["validated_by"] == ""


def test_elements_are_the_study_summary(trust: Trust6, tmp_path: Path) -> None:
    files = export_all(trust, tmp_path)
    _, summary = study_summary(trust.db, trust.study)
    rows = {int(r["element_order"]): r for r in files["elements.csv"]}
    for element in summary.elements:
        row = rows[element.order]
        assert int(row["n"]) == element.n
        for name in ("mean_s", "median_s", "min_s", "max_s", "lrt_s", "normal_s", "standard_s"):
            value = getattr(element, name)
            assert row[name] == ("" if value is None else f"{value:.2f}"), name
    collect = rows[1]
    assert (collect["element"], collect["rating_pct"], collect["n"]) == ("'-Collect", "110", "3")
    assert (collect["allowance_pct"], collect["allowance_basis"]) == ("12", "job")
    assert rows[2]["waste"] == "Motion"
    readings = files["readings.csv"]
    excluded = next(r for r in readings if r["excluded"] == "Y")
    assert (excluded["cycle"], excluded["seconds"], excluded["exclude_reason"]) == (
        "4",
        "30",
        "'@interrupted",
    )
    skipped = next(r for r in readings if r["not_performed"] == "Y")
    assert (skipped["state"], skipped["seconds"], skipped["cycle"]) == ("not_performed", "", "2")
    assert [r["seconds"] for r in readings if r["element_order"] == "1"] == [
        "8.25",
        "9",
        "8",
        "30",
    ]
    assert [(r["cycle"], r["element_order"]) for r in readings[:3]] == [
        ("1", "1"),
        ("1", "2"),
        ("2", "1"),
    ]


def test_activity_segments_add_up(trust: Trust6, tmp_path: Path) -> None:
    rows = export_all(trust, tmp_path)["activity.csv"]
    assert [(r["start_s"], r["end_s"], r["duration_s"]) for r in rows] == [
        ("0.000", "120.500", "120.500"),
        ("120.500", "200.250", "79.750"),
        ("200.250", "300.000", "99.750"),
    ]
    assert [r["direct_care"] for r in rows] == ["Y", "N", "Y"]
    first = rows[0]
    assert (first["waste_code"], first["location"], first["staff_role"]) == (
        "motion",
        "'-Bay",
        "'=Nurse",
    )
    assert first["observation_id"]
    assert rows[1]["started_at"] == "2026-06-15T09:02:00+00:00"
    assert {r["mode"] for r in rows} == {"continuous"}


# --- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "column", "typed"),
    [
        ("observations.csv", "description", HYPERLINK),
        ("observations.csv", "location", "+1"),
        ("observations.csv", "frequency", "-2"),
        ("observations.csv", "countermeasure", "@SUM(A1)"),
        ("observations.csv", "location", "\tTabbed"),
        ("observations.csv", "frequency", "\rCR"),
        ("observations.csv", "area", "=Theatres"),
        ("observations.csv", "csu", "+Surgery"),
        ("observations.csv", "trust", "-Trust Cymru"),
        ("walks.csv", "notes", "=1+1"),
        ("walks.csv", "participants", f"-Dr Ånne {EMOJI} (staff); @Ł (manager)"),
        ("actions.csv", "title", "=Fix"),
        ("actions.csv", "owner", "+Owner"),
        ("actions.csv", "notes", "-note"),
        ("actions.csv", "validated_by", "@Finance"),
        ("readings.csv", "study", "=Study"),
        ("readings.csv", "process", "+Process"),
        ("readings.csv", "element", "-Collect"),
        ("readings.csv", "exclude_reason", "@interrupted"),
        ("elements.csv", "element", "-Collect"),
        ("activity.csv", "staff_role", "=Nurse"),
        ("activity.csv", "observer", "+QP"),
        ("activity.csv", "location", "-Bay"),
        ("activity.csv", "note", "\rnote"),
        ("estimates.csv", "description", HYPERLINK),
        ("estimates.csv", "staff_group_label", "@Nurse"),
        ("estimates.csv", "rate_source", "-eg"),
    ],
)
def test_text_that_would_run_as_a_formula_is_defused(
    trust: Trust6, tmp_path: Path, name: str, column: str, typed: str
) -> None:
    rows = export_all(trust, tmp_path)[name]
    assert "'" + typed in {r[column] for r in rows}
    assert typed not in {r[column] for r in rows}


def test_no_cell_of_any_file_can_run_and_numbers_stay_numbers(
    trust: Trust6, tmp_path: Path
) -> None:
    files = export_all(trust, tmp_path)
    for name, rows in files.items():
        for row in rows:
            for column, cell in row.items():
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, column, cell)
                if cell.startswith("-"):
                    Decimal(cell)  # only a real negative number may start with a minus
    # A negative figure is written as a number, never defused.
    assert (pounds(-250), fixed(-5, 3)) == ("-2.50", "-0.005")


def test_unicode_and_markup_are_written_as_typed(trust: Trust6, tmp_path: Path) -> None:
    files = export_all(trust, tmp_path)
    texts = {r["description"] for r in files["observations.csv"]}
    assert f"{WELSH} {POLISH} {EMOJI} <b>&" in texts
    assert {WELSH, POLISH} <= {r["area"] for r in files["observations.csv"]}
    march = next(r for r in files["walks.csv"] if r["walk_id"] == str(trust.walks["march"]))
    assert march["focus"] == "<b>&"
    assert march["participant_count"] == "2"
    raw = (tmp_path / "observations.csv").read_bytes()
    assert "Ŵy".encode() in raw
    assert EMOJI.encode() in raw


def test_a_suspected_nhs_number_never_leaves_unless_checked(trust: Trust6, tmp_path: Path) -> None:
    done = export_csv(trust.db, tmp_path, "all", today=TODAY)
    assert done.redacted == {"observations.csv": 1}
    rows = read(tmp_path / "observations.csv")
    flagged = next(r for r in rows if r["observation_id"] == str(trust.observations["nhs"]))
    assert flagged["nhs_number_check"] == "Y"
    assert flagged["description"] == "NHS no [NHS number removed] on the board"
    assert {r["nhs_number_check"] for r in rows} == {"Y", "N"}
    for path in tmp_path.glob("*.csv"):
        assert NHS_NUMBER not in path.read_text(encoding="utf-8-sig")
        assert NHS_NUMBER.replace(" ", "") not in path.read_text(encoding="utf-8-sig")


# --- services behind the files -----------------------------------------------------------------


def test_estimate_rows_give_the_fields_of_an_estimate_line(trust: Trust6) -> None:
    assert tuple(f.name for f in fields(EstimateLine)) == ESTIMATE_FIELDS
    lines = estimate_lines(trust.db)
    assert lines
    assert all(isinstance(line.estimate_id, uuid.UUID) for line in lines)
    assert all(line.day.tzinfo is not None for line in lines)
    assert [line.annual_value_pence for line in lines] == sorted(
        (line.annual_value_pence for line in lines), reverse=True
    )
    assert len(estimate_lines(trust.db, limit=2)) == 2


def test_walks_made_by_the_services_match_the_file(trust: Trust6, tmp_path: Path) -> None:
    rows = export_all(trust, tmp_path)["walks.csv"]
    with trust.db.session() as session:
        stored = {str(w.id): w for w in session.query(Walk)}
        assert {r["walk_id"] for r in rows} == set(stored)
        for row in rows:
            walk = stored[row["walk_id"]]
            assert row["started_at"] == walk.started_at.isoformat(timespec="seconds")
            assert row["status"] == walk.status
