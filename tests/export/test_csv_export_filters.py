"""CSV exports: the filter narrows every file; `--what all` is all or nothing; progress, cancel."""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.export.test_entity_csv import ENTITY_FILES, TODAY, Trust6, make_trust, read
from wastewalk.domain.progress import Cancelled
from wastewalk.export.csv_exports import ALL_FILES, EXPORTS, export_csv
from wastewalk.export.csv_writer import ExportError
from wastewalk.services.actions import uk_today
from wastewalk.services.data_filter import DataFilter, resolve_filter
from wastewalk.store.database import open_database

DAY_COLUMNS = {
    "walks.csv": "walked_on",
    "observations.csv": "observed_on",
    "actions.csv": "created_on",
    "readings.csv": "study_date",
    "elements.csv": "study_date",
    "activity.csv": "followed_on",
    "estimates.csv": "counted_on",
}


@pytest.fixture
def trust(tmp_path: Path) -> Iterator[Trust6]:
    db = open_database(str(tmp_path / "t.sqlite"))
    try:
        yield make_trust(db)
    finally:
        db.close()


def export(trust: Trust6, out: Path, flt: DataFilter) -> dict[str, list[dict[str, str]]]:
    export_csv(trust.db, out, "all", flt, today=TODAY)
    return {name: read(out / name) for name in ALL_FILES}


def test_a_csu_narrows_every_file(trust: Trust6, tmp_path: Path) -> None:
    everything = export(trust, tmp_path / "all", DataFilter())
    files = export(trust, tmp_path / "csu", resolve_filter(trust.db, csu=" MEDICINE "))
    for name in (*ENTITY_FILES, "estimates.csv", "savings_by_area.csv", "savings_by_csu.csv"):
        assert {r["csu"] for r in files[name]} <= {"Medicine"}, name
        assert len(files[name]) == sum(r["csu"] == "Medicine" for r in everything[name]), name
    assert len(files["observations.csv"]) == 4  # three on the March walk, one after midnight
    assert files["activity.csv"] == []  # the follow was in Surgery
    assert len(files["readings.csv"]) == 8


def test_an_area_narrows_every_file(trust: Trust6, tmp_path: Path) -> None:
    files = export(trust, tmp_path, resolve_filter(trust.db, area="+surgery/=theatres"))
    theatres = str(trust.areas["=Theatres"])
    for name in (*ENTITY_FILES, "estimates.csv", "savings_by_area.csv"):
        assert {r["area_id"] for r in files[name]} <= {theatres}, name
    assert len(files["walks.csv"]) == 2  # the June walk and the one the follow's tag made
    assert len(files["observations.csv"]) == 2
    assert len(files["actions.csv"]) == 1
    assert len(files["activity.csv"]) == 3
    assert files["readings.csv"] == files["elements.csv"] == []


def test_dates_narrow_every_file_by_its_own_day(trust: Trust6, tmp_path: Path) -> None:
    day = dt.date(2026, 6, 15)
    files = export(trust, tmp_path, DataFilter(date_from=day, date_to=day))
    for name, column in DAY_COLUMNS.items():
        assert {r[column] for r in files[name]} <= {day.isoformat()} or name == "walks.csv"
    # The walk that started at 23:50 on the 14th holds an observation made at 00:30 on the
    # 15th: it is in walks.csv so that every observation's walk is.
    assert {r["walked_on"] for r in files["walks.csv"]} == {"2026-06-14", "2026-06-15"}
    walk_ids = {r["walk_id"] for r in files["walks.csv"]}
    assert {r["walk_id"] for r in files["observations.csv"]} <= walk_ids
    assert str(trust.walks["late"]) in walk_ids
    assert str(trust.walks["march"]) not in walk_ids
    assert len(files["observations.csv"]) == 3
    assert len(files["activity.csv"]) == 3
    assert files["readings.csv"] == files["actions.csv"] == []  # studied in March; made today

    march = export(trust, tmp_path / "march", DataFilter(date_to=dt.date(2026, 3, 31)))
    assert {r["study_date"] for r in march["readings.csv"]} == {"2026-03-03"}
    assert {r["walked_on"] for r in march["walks.csv"]} == {"2026-03-02"}

    today = export(trust, tmp_path / "today", DataFilter(date_from=uk_today()))
    assert len(today["actions.csv"]) == 2  # actions count on the day they were made
    assert today["walks.csv"] == []


def test_nothing_in_the_selection_still_writes_every_header(trust: Trust6, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = export_csv(trust.db, out, "all", DataFilter(date_from=dt.date(2030, 1, 1)))
    assert sorted(p.name for p in out.iterdir()) == sorted(ALL_FILES)
    assert all(count == 0 for count in done.rows.values())
    for name in ALL_FILES:
        assert read(out / name) == []
        assert (out / name).read_text(encoding="utf-8-sig").count("\n") == 1


@pytest.mark.parametrize("what", sorted(EXPORTS))
def test_each_what_writes_its_files_and_no_others(trust: Trust6, tmp_path: Path, what: str) -> None:
    out = tmp_path / "out"
    done = export_csv(trust.db, out, what)
    assert tuple(p.name for p in done.files) == EXPORTS[what]
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTS[what])
    assert done.rows == {name: len(read(out / name)) for name in EXPORTS[what]}


# --- all or nothing ----------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_folder_in_the_way_leaves_every_old_file_and_no_new_one(
    trust: Trust6, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "readings.csv").mkdir(parents=True)
    (out / "walks.csv").write_text("old walks", encoding="utf-8")
    with pytest.raises(ExportError, match="is a folder"):
        export_csv(trust.db, out, "all")
    assert sorted(p.name for p in out.iterdir()) == ["readings.csv", "walks.csv"]
    assert (out / "walks.csv").read_text(encoding="utf-8") == "old walks"


def test_a_file_that_cannot_be_replaced_puts_every_old_file_back(
    trust: Trust6, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when estimates.csv is open in Excel on Windows, which refuses to let it be renamed:
    the files renamed before it are put back, so the folder never mixes two exports."""
    out = tmp_path / "out"
    export_csv(trust.db, out, "all", DataFilter(csu_id=trust.csus["Medicine"]))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = os.replace

    def locked(source: str | Path, target: str | Path) -> None:
        if Path(source).name == "estimates.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(source))
        real(source, target)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError, match="permission denied"):
        export_csv(trust.db, out, "all")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(out) == []


def test_a_failure_after_some_renames_takes_the_new_files_back(
    trust: Trust6, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.replace

    def full(source: str | Path, target: str | Path) -> None:
        if Path(target).name == "readings.csv":
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", full)
    out = tmp_path / "new" / "exports"
    with pytest.raises(ExportError, match="disk is full"):
        export_csv(trust.db, out, "all")
    assert not (tmp_path / "new").exists()  # the folders made for the files are gone too


def test_cancelling_leaves_nothing_and_progress_runs_to_the_end(
    trust: Trust6, tmp_path: Path
) -> None:
    seen: list[tuple[float, str]] = []
    done = export_csv(trust.db, tmp_path / "done", "all", progress=lambda f, w: seen.append((f, w)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert (fractions[0], fractions[-1]) == (0.0, 1.0)
    words = " ".join(w for _, w in seen)
    assert all(name in words for name in ALL_FILES)
    assert sum(done.rows.values()) > 0

    def stop(fraction: float, words: str) -> None:
        if "estimates.csv" in words:
            raise Cancelled()

    out = tmp_path / "stopped"
    (tmp_path / "stopped").mkdir()
    (out / "walks.csv").write_text("old", encoding="utf-8")
    with pytest.raises(Cancelled):
        export_csv(trust.db, out, "all", progress=stop)
    assert sorted(p.name for p in out.iterdir()) == ["walks.csv"]
    assert (out / "walks.csv").read_text(encoding="utf-8") == "old"


def test_an_unknown_export_is_refused(trust: Trust6, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no CSV export called 'photos'"):
        export_csv(trust.db, tmp_path / "out", "photos")
    assert not (tmp_path / "out").exists()
