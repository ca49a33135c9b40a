"""What the Organisation & settings section relies on: reorder and key categories, name the trust,
read the tree, and list, make and restore backups through services on real files."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, select

from wastewalk.domain.errors import DatabaseError, InputError, NotFoundError
from wastewalk.models import WasteCategory
from wastewalk.services import backups, wastes
from wastewalk.services.backups import BackupKind
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import (
    create_area,
    create_csu,
    create_trust,
    current_trust,
    list_csus,
    rename_current_trust,
    set_area_archived,
    set_csu_archived,
)
from wastewalk.services.overview import organisation_tree
from wastewalk.services.walks import WalkInfo
from wastewalk.services.wastes import (
    WasteCategoryInfo,
    add_category,
    edit_category,
    list_categories,
    move_category,
    set_category_archived,
    set_category_key,
)
from wastewalk.store.database import Database, open_database
from wastewalk.store.engine import make_sessionmaker

if TYPE_CHECKING:
    from conftest import Org

DEFAULT_ORDER = [
    "transport",
    "inventory",
    "motion",
    "waiting",
    "overproduction",
    "overprocessing",
    "defects",
    "skills",
]


def codes(db: Database) -> list[str]:
    return [c.code for c in list_categories(db, include_archived=True)]


def stamps(db: Database) -> dict[str, tuple[int, dt.datetime]]:
    with db.session() as session:
        return {
            c.code: (c.sort_order, c.updated_at) for c in session.scalars(select(WasteCategory))
        }


# --- reordering categories ------------------------------------------------------------------------


def test_moving_a_category_reorders_and_keeps_every_code(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    ordered = move_category(db, categories["waiting"].id, 0)

    expected = ["waiting", "transport", "inventory", "motion", *DEFAULT_ORDER[4:]]
    assert [c.code for c in ordered] == expected
    assert codes(db) == expected
    assert [c.sort_order for c in list_categories(db)] == list(range(1, 9))
    # Only the order moved: ids, labels and keys stay with their codes.
    after = {c.code: c for c in list_categories(db)}
    for code, before in categories.items():
        assert (after[code].id, after[code].label, after[code].key) == (
            before.id,
            before.label,
            before.key,
        )


def test_moving_down_one_place(db: Database, categories: dict[str, WasteCategoryInfo]) -> None:
    move_category(db, categories["transport"].id, 1)
    assert codes(db)[:3] == ["inventory", "transport", "motion"]


def test_moving_the_first_up_or_the_last_down_changes_nothing(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    before = stamps(db)
    assert [c.code for c in move_category(db, categories["transport"].id, -1)] == DEFAULT_ORDER
    assert [c.code for c in move_category(db, categories["skills"].id, 8)] == DEFAULT_ORDER
    assert [c.code for c in move_category(db, categories["motion"].id, 2)] == DEFAULT_ORDER
    assert stamps(db) == before  # not even updated_at: a pack would call that a change


def test_an_archived_category_keeps_its_place_in_the_order(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    set_category_archived(db, categories["inventory"].id, True)
    move_category(db, categories["motion"].id, 0)
    assert codes(db)[:3] == ["motion", "transport", "inventory"]
    assert [c.code for c in list_categories(db)][:3] == ["motion", "transport", "waiting"]


def test_a_new_category_goes_last_and_can_be_moved(db: Database) -> None:
    mine = add_category(db, "interruptions", "Interruptions", "bleeps during the drug round", "9")
    move_category(db, mine.id, 3)
    assert codes(db)[3] == "interruptions"
    assert codes(db).index("waiting") == 4


def test_moving_an_unknown_category_is_refused(db: Database) -> None:
    import uuid

    with pytest.raises(NotFoundError):
        move_category(db, uuid.uuid4(), 0)


# --- keys, labels and hints -----------------------------------------------------------------------


def test_a_key_used_by_another_category_is_refused(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    mine = add_category(db, "interruptions", "Interruptions", key="i")
    with pytest.raises(InputError, match="already used by Waiting"):
        set_category_key(db, mine.id, "4")
    with pytest.raises(InputError, match="already used by Interruptions"):
        set_category_key(db, categories["skills"].id, "I")  # keys are one key, whatever the case
    assert {c.code: c.key for c in list_categories(db)}["interruptions"] == "i"
    assert {c.code: c.key for c in list_categories(db)}["skills"] == "8"


def test_a_key_can_be_changed_cleared_and_reused(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    assert set_category_key(db, categories["skills"].id, " ").key is None
    assert set_category_key(db, categories["waiting"].id, "8").key == "8"
    assert set_category_key(db, categories["waiting"].id, "8").key == "8"  # its own key is free


@pytest.mark.parametrize("key", ["12", "£", "é", "-"])
def test_a_key_must_be_one_letter_or_digit(
    db: Database, categories: dict[str, WasteCategoryInfo], key: str
) -> None:
    with pytest.raises(InputError, match="single letter or digit"):
        set_category_key(db, categories["skills"].id, key)


def test_an_archived_categorys_key_is_free_for_another(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    set_category_archived(db, categories["skills"].id, True)
    mine = add_category(db, "interruptions", "Interruptions")
    assert set_category_key(db, mine.id, "8").key == "8"


def test_editing_a_category_is_all_or_nothing(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    waiting = categories["waiting"]
    with pytest.raises(InputError, match="already used"):
        edit_category(db, waiting.id, label="Delays", hint="new hint", key="1")
    unchanged = {c.code: c for c in list_categories(db)}["waiting"]
    assert (unchanged.label, unchanged.hint, unchanged.key) == (
        waiting.label,
        waiting.hint,
        waiting.key,
    )

    edited = edit_category(db, waiting.id, label=" Delays ", hint="beds awaiting cleaning", key="d")
    assert (edited.code, edited.label, edited.hint, edited.key) == (
        "waiting",
        "Delays",
        "beds awaiting cleaning",
        "d",
    )


def test_editing_with_a_blank_label_is_refused(
    db: Database, categories: dict[str, WasteCategoryInfo]
) -> None:
    with pytest.raises(InputError, match="Label is required"):
        edit_category(db, categories["motion"].id, label="  ", hint="", key="3")


# --- the trust and the tree -----------------------------------------------------------------------


def test_the_trust_is_named_and_renamed_without_being_duplicated(db: Database) -> None:
    assert current_trust(db) is None
    named = rename_current_trust(db, "Northbridge Teaching Hospitals")
    assert current_trust(db) == named
    renamed = rename_current_trust(db, "Northbridge University Hospitals")
    assert renamed.id == named.id
    create_csu(db, "Medicine")  # uses the same trust
    assert {c.trust_id for c in list_csus(db)} == {named.id}


def test_renaming_the_trust_to_another_trusts_name_is_refused(db: Database) -> None:
    rename_current_trust(db, "Northbridge")
    create_trust(db, "Southbridge")
    with pytest.raises(InputError, match="already exists"):
        rename_current_trust(db, "Southbridge")
    trust = current_trust(db)
    assert trust is not None
    assert trust.name == "Northbridge"


def test_the_tree_holds_empty_csus_archived_items_on_request_and_counts(
    db: Database, org: Org, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    add_observation(db, walk.id, ObservationInput(categories["motion"].id, "Hoist hunt"))
    empty = create_csu(db, "Surgery")
    old = create_csu(db, "Old CSU")
    create_area(db, old.id, "Old ward")
    set_csu_archived(db, old.id, True)
    set_area_archived(db, org.clinic.id, True)

    tree = organisation_tree(db)
    assert [c.name for c in tree.csus] == ["Medicine", "Surgery"]
    medicine = tree.csus[0]
    assert [a.name for a in medicine.areas] == ["Ward 7"]
    assert (medicine.areas[0].walks, medicine.areas[0].observations) == (1, 1)
    assert tree.csus[1].id == empty.id
    assert tree.csus[1].areas == ()

    everything = organisation_tree(db, include_archived=True)
    assert [(c.name, c.archived) for c in everything.csus] == [
        ("Medicine", False),
        ("Old CSU", True),
        ("Surgery", False),
    ]
    clinic = next(a for a in everything.csus[0].areas if a.id == org.clinic.id)
    assert (clinic.archived, clinic.kind, clinic.operating_days_per_year) == (True, "clinic", 253)
    assert everything.observations == 1


def test_an_empty_database_has_an_empty_tree(db: Database) -> None:
    tree = organisation_tree(db, include_archived=True)
    assert (tree.trust_id, tree.trust_name, tree.csus) == (None, None, ())


# --- backups --------------------------------------------------------------------------------------


def reopened(db_path: Path) -> Database:
    """Open the file again: an existing file gets its daily backup on opening."""
    return open_database(str(db_path))


def test_reopening_lists_a_daily_backup_with_its_kind_and_size(db_path: Path) -> None:
    open_database(str(db_path)).close()
    db = reopened(db_path)
    try:
        found = backups.list_backups(db)
        info = backups.data_file_info(db)
    finally:
        db.close()
    assert [b.kind for b in found] == [BackupKind.DAILY]
    today = dt.datetime.now(dt.UTC).date()
    assert found[0].name == f"daily-{today.isoformat()}.sqlite"
    assert found[0].size_bytes == found[0].path.stat().st_size > 0
    assert found[0].made_at.tzinfo is dt.UTC
    assert abs(dt.datetime.now(dt.UTC) - found[0].made_at) < dt.timedelta(minutes=5)
    assert (info.engine_name, info.path, info.backups_on_server) == ("SQLite", db_path, False)
    assert info.size_bytes is not None
    assert info.size_bytes > 0
    assert info.backup_folder == found[0].path.parent


def test_kinds_are_read_from_the_names() -> None:
    assert backups.kind_of("daily-2026-03-02.sqlite") is BackupKind.DAILY
    assert backups.kind_of("pre-upgrade-0001-20260302T093000Z.sqlite") is BackupKind.PRE_UPGRADE
    assert backups.kind_of("pre-restore-20260302T093000Z.sqlite") is BackupKind.PRE_RESTORE
    assert backups.kind_of("manual-2026-03-02-093000.sqlite") is BackupKind.MANUAL
    assert backups.kind_of("before the audit.sqlite") is BackupKind.MANUAL


def test_back_up_now_to_the_suggested_place_is_listed(db: Database) -> None:
    create_csu(db, "Medicine")
    suggested = backups.suggested_backup_path(db, now=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    assert suggested.name == "manual-2026-03-02-093000.sqlite"
    made = backups.backup_now(db, suggested)
    assert made.kind is BackupKind.MANUAL
    assert [b.path for b in backups.list_backups(db)] == [suggested]
    conn = sqlite3.connect(f"{made.path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT name FROM csu").fetchall() == [("Medicine",)]
    finally:
        conn.close()


def test_back_up_now_adds_a_suffix_when_there_is_none(db: Database, tmp_path: Path) -> None:
    made = backups.backup_now(db, tmp_path / "copies" / "before-audit")
    assert made.path == (tmp_path / "copies" / "before-audit.sqlite").resolve()
    assert made.path.is_file()


def test_restore_through_the_service_brings_the_data_back_and_keeps_the_current_file(
    db_path: Path,
) -> None:
    first = open_database(str(db_path))
    create_csu(first, "Surgery")
    first.close()
    db = reopened(db_path)  # today's daily backup now holds Surgery only
    create_csu(db, "Medicine")
    daily = backups.list_backups(db)[0]
    assert daily.kind is BackupKind.DAILY

    result = backups.restore_backup(db, daily.path)
    try:
        assert [c.name for c in list_csus(result.database)] == ["Surgery"]
        assert result.kept.kind is BackupKind.PRE_RESTORE
        assert result.restored_from == daily.path
        listed = {b.path: b.kind for b in backups.list_backups(result.database)}
        assert listed[result.kept.path] is BackupKind.PRE_RESTORE
        assert listed[daily.path] is BackupKind.DAILY
    finally:
        result.database.close()
    kept = open_database(str(result.kept.path), daily_backup=False)
    try:
        assert sorted(c.name for c in list_csus(kept)) == ["Medicine", "Surgery"]
    finally:
        kept.close()


def test_a_damaged_backup_is_refused_and_the_open_database_is_untouched(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    create_csu(db, "Medicine")
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)

    with pytest.raises(DatabaseError, match="cannot be used"):
        backups.restore_backup(db, broken)
    with pytest.raises(DatabaseError, match="no backup file"):
        backups.restore_backup(db, tmp_path / "missing.sqlite")

    assert [c.name for c in list_csus(db)] == ["Medicine"]  # still open and usable
    assert not [b for b in backups.list_backups(db) if b.kind is BackupKind.PRE_RESTORE]


def test_a_server_database_says_its_backups_are_made_on_the_server(tmp_path: Path) -> None:
    # Never connected: only the engine's dialect and the URL are read.
    engine = create_engine("postgresql+psycopg://ward:secret@db.example.nhs.uk/wastewalk")
    server = Database(
        url=str(engine.url), engine=engine, sessions=make_sessionmaker(engine), path=None
    )
    info = backups.data_file_info(server)
    assert (info.engine_name, info.backups_on_server, info.size_bytes) == ("PostgreSQL", True, None)
    assert "secret" not in info.display_name
    assert backups.list_backups(server) == []
    for attempt in (
        lambda: backups.backup_now(server, tmp_path / "x.sqlite"),
        lambda: backups.restore_backup(server, tmp_path / "x.sqlite"),
        lambda: backups.suggested_backup_path(server),
    ):
        with pytest.raises(DatabaseError, match="made on the database server"):
            attempt()
    engine.dispose()


def test_a_damaged_file_that_will_not_open_is_restored_through_the_service(
    db_path: Path, data_dir: Path
) -> None:
    first = open_database(str(db_path))
    create_csu(first, "Surgery")
    first.close()
    open_database(str(db_path)).close()  # today's daily backup
    damaged = b"SQLite format 3\x00" + b"\xff" * 8192
    db_path.write_bytes(damaged)
    with pytest.raises(DatabaseError, match="damaged"):
        open_database(str(db_path))

    assert backups.database_file(str(db_path)) == db_path
    assert backups.database_file(None) == data_dir / "wastewalk.sqlite"
    [daily] = backups.list_backups_of_file(db_path)
    result = backups.restore_file(db_path, daily.path)
    try:
        assert [c.name for c in list_csus(result.database)] == ["Surgery"]
    finally:
        result.database.close()
    assert result.kept.path.read_bytes() == damaged  # kept as it was, byte for byte


def test_the_tree_sorts_names_as_a_person_would(db: Database) -> None:
    csu = create_csu(db, "medicine")
    create_csu(db, "Emergency")
    for name in ("Ward 12", "Ward 7", "ward 107", "Acute Medical Unit"):
        create_area(db, csu.id, name)
    tree = organisation_tree(db)
    assert [c.name for c in tree.csus] == ["Emergency", "medicine"]
    assert [a.name for a in tree.csus[1].areas] == [
        "Acute Medical Unit",
        "Ward 7",
        "Ward 12",
        "ward 107",
    ]


def test_a_new_category_cannot_take_a_key_in_the_other_case(db: Database) -> None:
    wastes.add_category(db, "handover", "Handover", key="H")
    with pytest.raises(InputError, match="already used"):
        wastes.add_category(db, "hoist", "Hoist hunting", key="h")
    assert "hoist" not in {c.code for c in wastes.list_categories(db)}
