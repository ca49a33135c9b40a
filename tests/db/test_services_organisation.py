"""Trust → CSU → area: what an improvement specialist sets up before the first walk."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.models import Area, Csu, Trust
from wastewalk.services import organisation
from wastewalk.services.organisation import (
    DEFAULT_TRUST_NAME,
    create_area,
    create_csu,
    create_trust,
    list_areas,
    list_csus,
    list_trusts,
    rename_csu,
    rename_trust,
    set_area_archived,
    set_csu_archived,
    update_area,
)
from wastewalk.services.walks import start_walk
from wastewalk.store.database import Database

if TYPE_CHECKING:
    from conftest import Org


# --- trust ----------------------------------------------------------------------------------------


def test_create_and_rename_a_trust(db: Database) -> None:
    trust = create_trust(db, "  Northfield   Teaching Hospitals  ")
    assert trust.name == "Northfield Teaching Hospitals"
    renamed = rename_trust(db, trust.id, "Northfield University Hospitals")
    assert renamed.id == trust.id
    assert [t.name for t in list_trusts(db)] == ["Northfield University Hospitals"]


def test_duplicate_trust_name_is_refused(db: Database) -> None:
    create_trust(db, "Northfield")
    with pytest.raises(InputError, match="already exists"):
        create_trust(db, "Northfield")
    assert len(list_trusts(db)) == 1


def test_renaming_a_trust_to_a_taken_name_is_refused_plainly(db: Database) -> None:
    create_trust(db, "Northfield")
    other = create_trust(db, "Southfield")
    with pytest.raises(InputError, match="already exists"):
        rename_trust(db, other.id, "Northfield")
    assert sorted(t.name for t in list_trusts(db)) == ["Northfield", "Southfield"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "Trust\x00"])
def test_bad_trust_names_are_refused(db: Database, name: str) -> None:
    with pytest.raises(InputError):
        create_trust(db, name)
    assert list_trusts(db) == []


def test_archive_a_trust(db: Database) -> None:
    trust = create_trust(db, "Northfield")
    archived = organisation.set_trust_archived(db, trust.id, True)
    assert archived.archived
    assert [t.archived for t in list_trusts(db)] == [True]
    restored = organisation.set_trust_archived(db, trust.id, False)
    assert not restored.archived


def test_first_csu_makes_the_trust_when_there_is_none(db: Database) -> None:
    csu = create_csu(db, "Medicine")
    [trust] = list_trusts(db)
    assert trust.name == DEFAULT_TRUST_NAME
    assert csu.trust_id == trust.id
    second = create_csu(db, "Surgery")
    assert second.trust_id == trust.id
    assert len(list_trusts(db)) == 1


def test_unknown_trust_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        create_csu(db, "Medicine", trust_id=uuid.uuid4())
    with pytest.raises(NotFoundError):
        rename_trust(db, uuid.uuid4(), "Anything")


# --- CSU ------------------------------------------------------------------------------------------


def test_create_rename_and_archive_a_csu(db: Database) -> None:
    csu = create_csu(db, "Medicine")
    renamed = rename_csu(db, csu.id, "Medicine & Emergency")
    assert renamed.name == "Medicine & Emergency"
    assert set_csu_archived(db, csu.id, True).archived
    assert list_csus(db) == []
    assert [c.name for c in list_csus(db, include_archived=True)] == ["Medicine & Emergency"]
    assert not set_csu_archived(db, csu.id, False).archived
    assert [c.name for c in list_csus(db)] == ["Medicine & Emergency"]


def test_duplicate_csu_names_are_refused(db: Database) -> None:
    create_csu(db, "Medicine")
    surgery = create_csu(db, "Surgery")
    with pytest.raises(InputError, match="already exists"):
        create_csu(db, "Medicine")
    with pytest.raises(InputError, match="already exists"):
        create_csu(db, "  Medicine ")  # the same name once spaces are tidied
    with pytest.raises(InputError, match="already exists"):
        rename_csu(db, surgery.id, "Medicine")
    assert [c.name for c in list_csus(db)] == ["Medicine", "Surgery"]


def test_renaming_a_csu_to_its_own_name_is_fine(db: Database) -> None:
    csu = create_csu(db, "Medicine")
    assert rename_csu(db, csu.id, "Medicine").name == "Medicine"


def test_same_csu_name_in_two_trusts_is_allowed(db: Database) -> None:
    north = create_trust(db, "Northfield")
    south = create_trust(db, "Southfield")
    create_csu(db, "Medicine", trust_id=north.id)
    create_csu(db, "Medicine", trust_id=south.id)
    assert len(list_csus(db)) == 2


# --- area -----------------------------------------------------------------------------------------


def test_create_areas_with_kind_and_operating_days(db: Database, org: Org) -> None:
    assert (org.area.kind, org.area.operating_days_per_year) == ("ward", 365)
    assert (org.clinic.kind, org.clinic.operating_days_per_year) == ("clinic", 253)
    assert org.area.csu_name == "Medicine"
    assert [a.name for a in list_areas(db)] == ["Diabetes clinic", "Ward 7"]


def test_duplicate_area_names_in_a_csu_are_refused(db: Database, org: Org) -> None:
    with pytest.raises(InputError, match="already exists"):
        create_area(db, org.csu.id, "Ward 7")
    with pytest.raises(InputError, match="already exists"):
        create_area(db, org.csu.id, "Ward  7")
    with pytest.raises(InputError, match="already exists"):
        update_area(db, org.clinic.id, name="Ward 7")
    # Another CSU may have its own Ward 7.
    surgery = create_csu(db, "Surgery")
    assert create_area(db, surgery.id, "Ward 7").csu_name == "Surgery"


@pytest.mark.parametrize("days", [0, 367, -1, True, 365.0])
def test_impossible_operating_days_are_refused(db: Database, org: Org, days: object) -> None:
    with pytest.raises(InputError, match="operating days"):
        create_area(db, org.csu.id, "Day unit", operating_days_per_year=days)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="operating days"):
        update_area(db, org.area.id, operating_days_per_year=days)  # type: ignore[arg-type]
    assert [a.name for a in list_areas(db)] == ["Diabetes clinic", "Ward 7"]
    assert {a.operating_days_per_year for a in list_areas(db)} == {253, 365}


@pytest.mark.parametrize("days", [1, 253, 366])
def test_possible_operating_days_are_kept(db: Database, org: Org, days: int) -> None:
    assert (
        update_area(db, org.area.id, operating_days_per_year=days).operating_days_per_year == days
    )


def test_unknown_area_kind_is_refused(db: Database, org: Org) -> None:
    with pytest.raises(InputError, match="ward, department or clinic"):
        create_area(db, org.csu.id, "Car park", kind="car park")


def test_update_area_changes_only_what_is_given(db: Database, org: Org) -> None:
    updated = update_area(db, org.clinic.id, name="Diabetes & endocrine clinic")
    assert (updated.name, updated.kind, updated.operating_days_per_year) == (
        "Diabetes & endocrine clinic",
        "clinic",
        253,
    )


def test_archived_area_is_hidden_and_refuses_a_new_walk(db: Database, org: Org) -> None:
    start_walk(db, org.area.id)  # history from before the archive
    assert set_area_archived(db, org.area.id, True).archived
    assert [a.name for a in list_areas(db)] == ["Diabetes clinic"]
    assert {a.name for a in list_areas(db, include_archived=True)} == {"Ward 7", "Diabetes clinic"}
    with pytest.raises(InputError, match="archived"):
        start_walk(db, org.area.id)
    set_area_archived(db, org.area.id, False)
    assert start_walk(db, org.area.id).area_name == "Ward 7"


def test_areas_of_an_archived_csu_are_hidden(db: Database, org: Org) -> None:
    set_csu_archived(db, org.csu.id, True)
    assert list_areas(db) == []
    assert len(list_areas(db, include_archived=True)) == 2


def test_records_carry_the_device_and_utc_times(db: Database, org: Org) -> None:
    with db.session() as session:
        for model, record_id in ((Csu, org.csu.id), (Area, org.area.id)):
            row = session.get(model, record_id)
            assert row is not None
            assert row.device_id == db.device_id
            assert row.created_at.utcoffset() is not None
            assert row.created_at.utcoffset().total_seconds() == 0
        trust = session.get(Trust, org.csu.trust_id)
        assert trust is not None
        assert trust.device_id == db.device_id


def test_names_differing_only_in_case_are_the_same_name(db: Database, org: Org) -> None:
    # The CSV import matches names case-insensitively, so two such names would be ambiguous.
    with pytest.raises(InputError, match="already exists"):
        create_csu(db, "MEDICINE")
    with pytest.raises(InputError, match="already exists"):
        create_area(db, org.csu.id, "ward 7")


def test_a_new_csu_is_refused_while_the_only_trust_is_archived(db: Database, org: Org) -> None:
    trust = organisation.list_trusts(db)[0]
    organisation.set_trust_archived(db, trust.id, True)
    with pytest.raises(InputError, match="archived"):
        create_csu(db, "Surgery")
    assert [t.name for t in organisation.list_trusts(db)] == [trust.name]
