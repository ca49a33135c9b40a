"""Conflicts: both edited, edited vs deleted, local newer; kept with both versions; resolved.

A ward laptop hands its demo to the specialist's compiled database. After they have met, the same
observation is changed on both sides, and the ward's next pack brings its version.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.db.pack_helpers import TODAY, demo_laptop, dump, laptop, records
from wastewalk.domain.errors import InputError
from wastewalk.models import PackConflict, Walk
from wastewalk.services.demo import make_demo
from wastewalk.services.observations import (
    ObservationInput,
    edit_observation,
    get_observation,
    input_from_info,
    list_observations,
    set_observation_deleted,
)
from wastewalk.services.pack_conflicts import list_conflicts, resolve_conflict
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_import import import_pack
from wastewalk.store.database import Database


def _first_observation(db: Database) -> uuid.UUID:
    with db.session() as session:
        walk_id = session.scalars(select(Walk.id).order_by(Walk.started_at, Walk.id)).first()
    assert walk_id is not None
    return list_observations(db, walk_id)[0].id


def _describe(db: Database, observation_id: uuid.UUID, text: str) -> None:
    data = input_from_info(get_observation(db, observation_id))
    edit_observation(db, observation_id, ObservationInput(**{**data.__dict__, "description": text}))


@pytest.fixture
def met(tmp_path: Path) -> tuple[Database, Database, uuid.UUID]:
    """The ward laptop and the compiled database after one full hand-over, and an observation."""
    ward = demo_laptop(tmp_path, "ward", 1)
    compiled = laptop(tmp_path / "compiled.sqlite", "compiled")
    export_pack(ward, tmp_path / "first.wwpack")
    import_pack(compiled, tmp_path / "first.wwpack")
    yield ward, compiled, _first_observation(ward)
    ward.close()
    compiled.close()


def _hand_over(ward: Database, compiled: Database, pack: Path):  # type: ignore[no-untyped-def]
    export_pack(ward, pack)
    return import_pack(compiled, pack)


def test_both_edited_is_kept_and_resolved_incoming(met, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ward, compiled, obs = met
    _describe(ward, obs, "Patient waited for the ward's version")
    _describe(compiled, obs, "Patient waited for the specialist's version")
    before = records(compiled)
    done = _hand_over(ward, compiled, tmp_path / "second.wwpack")
    assert done.preview.conflict_count == 1
    assert done.preview.updated == 0
    (conflict,) = done.preview.conflicts
    assert conflict.kind == "both_edited"
    assert conflict.record_id == obs
    assert conflict.label.startswith("Observation 'Patient waited for the specialist")
    assert conflict.incoming["description"] == "Patient waited for the ward's version"
    assert records(compiled) == before  # the local record is untouched

    # Importing the same pack again keeps one conflict, not two.
    import_pack(compiled, tmp_path / "second.wwpack")
    (kept,) = list_conflicts(compiled)
    assert kept.local["description"] == "Patient waited for the specialist's version"
    assert kept.incoming["description"] == "Patient waited for the ward's version"
    assert kept.resolution is None
    assert kept.pack_device_id == ward.device_id

    resolved = resolve_conflict(compiled, kept.id, "incoming", "Sam Patel")
    assert resolved.resolution == "incoming"
    assert resolved.resolved_by == "Sam Patel"
    assert resolved.resolved_at is not None
    assert get_observation(compiled, obs).description == "Patient waited for the ward's version"
    assert records(compiled)["observation"][obs] == records(ward)["observation"][obs]
    assert list_conflicts(compiled) == []
    assert [c.resolution for c in list_conflicts(compiled, open_only=False)] == ["incoming"]
    with pytest.raises(InputError, match="already resolved"):
        resolve_conflict(compiled, kept.id, "local", "Sam Patel")
    # The same pack a third time: identical now.
    again = import_pack(compiled, tmp_path / "second.wwpack")
    assert again.preview.conflict_count == 0
    assert again.preview.updated == 0


def test_both_edited_resolved_local_keeps_it_and_stays_quiet(met, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ward, compiled, obs = met
    _describe(ward, obs, "Ward's words")
    _describe(compiled, obs, "Specialist's words")
    _hand_over(ward, compiled, tmp_path / "second.wwpack")
    (kept,) = list_conflicts(compiled)
    resolve_conflict(compiled, kept.id, "local", "Sam Patel")
    assert get_observation(compiled, obs).description == "Specialist's words"
    again = import_pack(compiled, tmp_path / "second.wwpack")
    assert again.preview.conflict_count == 0
    assert again.preview.local_newer == 1
    with compiled.session() as session:
        assert session.scalar(select(func.count()).select_from(PackConflict)) == 1


@pytest.mark.parametrize(
    ("deleted_on", "kind"),
    [("ward", "edited_vs_deleted"), ("compiled", "deleted_vs_edited")],
)
def test_edited_on_one_side_deleted_on_the_other(
    met, tmp_path: Path, deleted_on: str, kind: str
) -> None:  # type: ignore[no-untyped-def]
    ward, compiled, obs = met
    deleter, editor = (ward, compiled) if deleted_on == "ward" else (compiled, ward)
    set_observation_deleted(deleter, obs, True)
    _describe(editor, obs, "Still happening")
    done = _hand_over(ward, compiled, tmp_path / "second.wwpack")
    (conflict,) = done.preview.conflicts
    assert conflict.kind == kind
    assert (conflict.local["deleted_at"] is None) == (deleted_on == "ward")
    (kept,) = list_conflicts(compiled)
    resolve_conflict(compiled, kept.id, "incoming", "Sam Patel")
    assert records(compiled)["observation"][obs] == records(ward)["observation"][obs]


def test_local_newer_is_kept_without_a_conflict(met, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ward, compiled, obs = met
    _describe(compiled, obs, "Changed by the specialist after the first pack")
    before = dump(compiled.path, skip=("pack_import_log",))  # type: ignore[arg-type]
    done = _hand_over(ward, compiled, tmp_path / "second.wwpack")
    assert done.preview.local_newer == 1
    assert done.preview.conflict_count == 0
    assert done.preview.updated == 0
    assert dump(compiled.path, skip=("pack_import_log",)) == before  # type: ignore[arg-type]
    assert get_observation(compiled, obs).description.startswith("Changed by the specialist")


def test_updated_when_only_the_pack_changed(met, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ward, compiled, obs = met
    _describe(ward, obs, "Changed on the ward only")
    done = _hand_over(ward, compiled, tmp_path / "second.wwpack")
    assert done.preview.updated >= 1
    assert done.preview.conflict_count == 0
    assert get_observation(compiled, obs).description == "Changed on the ward only"
    assert records(compiled) == records(ward)


def test_never_met_and_different_is_a_conflict(tmp_path: Path) -> None:
    ward = demo_laptop(tmp_path, "ward", 1)
    # The same demo (same ids, same device) made again in another file, then edited there.
    other = laptop(tmp_path / "other.sqlite", "ward")
    make_demo(other, seed=1, today=TODAY)
    obs = _first_observation(ward)
    _describe(other, obs, "Other laptop's words")
    export_pack(ward, tmp_path / "ward.wwpack")
    done = import_pack(other, tmp_path / "ward.wwpack")
    assert done.preview.conflict_count == 1
    assert done.preview.conflicts[0].record_id == obs
    ward.close()
    other.close()


def test_a_bad_choice_is_refused(met) -> None:  # type: ignore[no-untyped-def]
    _, compiled, _ = met
    with pytest.raises(InputError, match="'local' or 'incoming'"):
        resolve_conflict(compiled, uuid.uuid4(), "mine", "Sam")
