"""Time studies in a real database: set-up, readings saved one by one, the summary read back."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.db.conftest import Org
from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.services.time_studies import (
    ElementInput,
    Position,
    StudyInput,
    create_study,
    delete_study,
    find_study,
    get_study,
    list_readings,
    list_studies,
    next_position,
    set_study_finished,
    study_summary,
    summary_as_dict,
    update_study,
)
from wastewalk.services.time_study_readings import (
    exclude_reading,
    include_reading,
    record_reading,
    restore_reading,
    set_reading,
    undo_last_reading,
)
from wastewalk.store.database import Database

DAY = dt.date(2026, 11, 24)


def drug_round(org: Org, **changes: object) -> StudyInput:
    data = StudyInput(
        name="Drug round, Ward 7",
        area_id=org.area.id,
        study_date=DAY,
        process="Morning drug round",
        observer="Jo Evans",
        elements=(
            ElementInput("Collect", rating_pct=110),
            ElementInput("Prepare", rating_pct=85),
            ElementInput("Give", rating_pct=105),
            ElementInput("Record", value_class="nnva", rating_pct=90),
        ),
        allowance_pct=23,
        allowance_basis="workday",
    )
    return StudyInput(**{**data.__dict__, **changes})  # type: ignore[arg-type]


def test_the_worked_example_through_the_database(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    sheet = {1: [8, 9, 8, 11, 7], 2: [36, 41, 39, 35], 3: [15, 17, 13, 20, 18], 4: [8, 6, 9]}
    for element in study.elements:
        for cycle, seconds in enumerate(sheet[element.order], start=1):
            record_reading(db, study.id, element.id, cycle, seconds)
    info, summary = study_summary(db, study.id)
    assert info.reading_count == 17
    assert round(summary.standard_total_s, 2) == 85.56
    assert [e.normal_s for e in summary.elements] == pytest.approx([9.46, 32.0875, 17.43, 6.9])
    # Cycles 1-3 have all four elements; cycles 4 and 5 are incomplete.
    assert summary.cycles.complete_cycles == (1, 2, 3)
    assert summary.cycles.cycle_times == (67, 73, 69)
    as_json = summary_as_dict(info.name, summary)
    assert as_json["name"] == "Drug round, Ward 7"
    assert as_json["allowance_basis"] == "workday"


def test_set_up_is_read_back(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org, available_minutes=420.0, demand=40.0))
    again = get_study(db, study.id)
    assert again == study
    assert again.process == "Morning drug round"
    assert again.area_name == "Ward 7"
    assert again.csu_name == "Medicine"
    assert [e.name for e in again.elements] == ["Collect", "Prepare", "Give", "Record"]
    assert [e.order for e in again.elements] == [1, 2, 3, 4]
    assert again.settings.available_minutes == 420
    assert find_study(db, "  drug ROUND, ward 7 ").id == study.id
    assert [s.id for s in list_studies(db, area_ids=[org.clinic.id])] == []
    assert [s.id for s in list_studies(db)] == [study.id]


def test_a_waste_element_names_its_waste(db: Database, org: Org) -> None:
    study = create_study(
        db,
        drug_round(
            org,
            elements=(
                ElementInput("Give"),
                ElementInput("Hunt for keys", value_class="waste", waste_code="motion"),
            ),
        ),
    )
    assert study.elements[1].waste_label == "Motion"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": " "}, "Study name is required"),
        ({"elements": ()}, "at least one element"),
        ({"allowance_pct": 100.0}, "below 100"),
        ({"allowance_pct": -1.0, "allowance_basis": "job"}, "negative"),
        ({"available_minutes": 420.0}, "both"),
        ({"demand": 0.0, "available_minutes": 420.0}, "Demand must be more than 0"),
        ({"selected_time": "median"}, "Selected time"),
        ({"elements": (ElementInput("a"), ElementInput("A "))}, "listed twice"),
        ({"elements": (ElementInput("a", rating_pct=0),)}, "rating"),
        ({"elements": (ElementInput("a", value_class="vA"),)}, "value class"),
        ({"elements": (ElementInput("a", waste_code="motion"),)}, "not marked as waste"),
        ({"elements": (ElementInput("a", "waste", waste_code="nope"),)}, "no waste category"),
        ({"name": "x" * 201}, "too long"),
    ],
)
def test_bad_set_up_is_refused_and_nothing_stored(
    db: Database, org: Org, changes: dict[str, object], words: str
) -> None:
    with pytest.raises(InputError, match=words):
        create_study(db, drug_round(org, **changes))
    assert list_studies(db) == []


def test_names_are_unique_ignoring_case(db: Database, org: Org) -> None:
    create_study(db, drug_round(org))
    with pytest.raises(InputError, match="already a time study"):
        create_study(db, drug_round(org, name="DRUG ROUND, WARD 7"))


def test_readings_are_saved_in_order_and_the_next_position_follows(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    e = study.elements
    assert next_position([], 4) == Position(1, 1)
    record_reading(db, study.id, e[0].id, 1, 8.0)
    record_reading(db, study.id, e[1].id, 1, None)  # not performed
    record_reading(db, study.id, e[2].id, 1, 15.5)
    readings = list_readings(db, study.id)
    assert [(r.element_order, r.state, r.seconds) for r in readings] == [
        (1, "valid", 8.0),
        (2, "not_performed", None),
        (3, "valid", 15.5),
    ]
    assert next_position(readings, 4) == Position(1, 4)
    record_reading(db, study.id, e[3].id, 1, 6.0)
    assert next_position(list_readings(db, study.id), 4) == Position(2, 1)


def test_a_cell_takes_one_reading(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    record_reading(db, study.id, study.elements[0].id, 1, 8.0)
    with pytest.raises(InputError, match="already has a reading in cycle 1"):
        record_reading(db, study.id, study.elements[0].id, 1, 9.0)


@pytest.mark.parametrize("seconds", [0, -4.0, float("nan"), 100_000])
def test_impossible_readings_are_refused(db: Database, org: Org, seconds: float) -> None:
    study = create_study(db, drug_round(org))
    with pytest.raises(InputError):
        record_reading(db, study.id, study.elements[0].id, 1, seconds)
    assert list_readings(db, study.id) == []


def test_an_element_of_another_study_is_refused(db: Database, org: Org) -> None:
    one = create_study(db, drug_round(org))
    two = create_study(db, drug_round(org, name="Second"))
    with pytest.raises(NotFoundError):
        record_reading(db, one.id, two.elements[0].id, 1, 5.0)


def test_undo_and_redo_the_last_lap(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    e = study.elements
    record_reading(db, study.id, e[0].id, 1, 8.0)
    slip = record_reading(db, study.id, e[1].id, 1, 0.4)
    undone = undo_last_reading(db, study.id)
    assert undone is not None
    assert undone.id == slip.id
    readings = list_readings(db, study.id)
    assert len(readings) == 1
    assert next_position(readings, 4) == Position(1, 2)
    restore_reading(db, slip.id)
    assert len(list_readings(db, study.id)) == 2
    assert undo_last_reading(db, study.id) is not None
    assert undo_last_reading(db, study.id) is not None
    assert undo_last_reading(db, study.id) is None


def test_redo_refused_when_the_cell_has_been_filled_again(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    first = record_reading(db, study.id, study.elements[0].id, 1, 8.0)
    undo_last_reading(db, study.id)
    record_reading(db, study.id, study.elements[0].id, 1, 9.0)
    with pytest.raises(InputError, match="new reading"):
        restore_reading(db, first.id)


def test_exclusion_needs_a_reason_and_keeps_the_reading(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    e = study.elements[0]
    for cycle, seconds in enumerate([10.0, 11.0, 45.0], start=1):
        record_reading(db, study.id, e.id, cycle, seconds)
    odd = list_readings(db, study.id)[2]
    with pytest.raises(InputError, match="reason"):
        exclude_reading(db, odd.id, "  ")
    excluded = exclude_reading(db, odd.id, "Phone call <b>&</b>")
    assert (excluded.state, excluded.seconds, excluded.exclude_reason) == (
        "excluded",
        45.0,
        "Phone call <b>&</b>",
    )
    _, summary = study_summary(db, study.id)
    assert summary.elements[0].n == 2
    assert summary.elements[0].mean_s == 10.5
    include_reading(db, odd.id)
    _, summary = study_summary(db, study.id)
    assert summary.elements[0].n == 3


def test_not_performed_cannot_be_excluded(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    reading = record_reading(db, study.id, study.elements[0].id, 1, None)
    with pytest.raises(InputError, match="not performed"):
        exclude_reading(db, reading.id, "why")


def test_typed_readings_fill_change_and_clear_cells(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org, source="paper"))
    e = study.elements[0]
    set_reading(db, study.id, e.id, 3, 12.0)
    set_reading(db, study.id, e.id, 3, 13.0)
    [reading] = list_readings(db, study.id)
    assert (reading.cycle, reading.seconds, reading.state) == (3, 13.0, "valid")
    exclude_reading(db, reading.id, "Interrupted")
    set_reading(db, study.id, e.id, 3, 14.0)
    [reading] = list_readings(db, study.id)
    assert (reading.seconds, reading.state) == (14.0, "excluded")
    set_reading(db, study.id, e.id, 3, None, not_performed=True)
    [reading] = list_readings(db, study.id)
    assert (reading.seconds, reading.state, reading.exclude_reason) == (None, "not_performed", "")
    assert set_reading(db, study.id, e.id, 3, None) is None
    assert list_readings(db, study.id) == []
    with pytest.raises(InputError, match="Cycle"):
        set_reading(db, study.id, e.id, 0, 5.0)


def test_update_keeps_readings_and_refuses_to_drop_a_timed_element(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    record_reading(db, study.id, study.elements[3].id, 1, 6.0)
    renamed = (*study_elements_input(study)[:3], ElementInput("Sign chart"))
    updated = update_study(db, study.id, drug_round(org, elements=renamed, allowance_pct=10.0))
    assert updated.elements[3].name == "Sign chart"
    assert updated.elements[3].id == study.elements[3].id
    assert updated.settings.allowance_pct == 10
    with pytest.raises(InputError, match="cannot be removed"):
        update_study(db, study.id, drug_round(org, elements=renamed[:3]))
    added = update_study(db, study.id, drug_round(org, elements=(*renamed, ElementInput("Wash"))))
    assert [e.order for e in added.elements] == [1, 2, 3, 4, 5]
    shorter = update_study(db, study.id, drug_round(org, elements=renamed))
    assert len(shorter.elements) == 4


def study_elements_input(study) -> tuple[ElementInput, ...]:  # type: ignore[no-untyped-def]
    return tuple(ElementInput(e.name, e.value_class, e.rating_pct) for e in study.elements)


def test_finish_and_delete(db: Database, org: Org) -> None:
    study = create_study(db, drug_round(org))
    assert set_study_finished(db, study.id).finished_at is not None
    assert set_study_finished(db, study.id, False).finished_at is None
    delete_study(db, study.id)
    assert list_studies(db) == []
    with pytest.raises(NotFoundError):
        get_study(db, study.id)
    # The name is free again; the deleted study cannot come back under a taken name.
    create_study(db, drug_round(org))
    with pytest.raises(InputError):
        delete_study(db, study.id, deleted=False)


def test_an_archived_area_is_refused(db: Database, org: Org) -> None:
    from wastewalk.services.organisation import set_area_archived

    set_area_archived(db, org.area.id, True)
    with pytest.raises(InputError, match="archived"):
        create_study(db, drug_round(org))
