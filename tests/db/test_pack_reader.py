"""The pack reader refuses hostile packs in plain words, and reads nothing it has not checked.

Every bad pack here is built by hand with zipfile. The reader takes only a path: it never opens a
database, so a refused pack cannot have changed one; the tests that start from a real export also
check the exporting database is unchanged by reading.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_reader import PackLimits, PackRefused, read_pack
from wastewalk.services.photos import attach_photo
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import list_categories
from wastewalk.store.database import Database

Members = list[tuple[str | zipfile.ZipInfo, bytes]]


def png(size: tuple[int, int] = (200, 150)) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def good(db: Database, tmp_path: Path) -> Iterator[Members]:
    """The members of a real small pack (one walk, one observation, one photo), in order."""
    csu = create_csu(db, "Medicine")
    area = create_area(db, csu.id, "Ward 7")
    walk = start_walk(db, area.id, focus="Discharge")
    waiting = next(c for c in list_categories(db) if c.code == "waiting")
    obs = add_observation(db, walk.id, ObservationInput(waiting.id, "Waited for TTOs"))
    attach_photo(db, obs.id, "bay.png", png())
    path = export_pack(db, tmp_path / "good.wwpack").path
    with zipfile.ZipFile(path) as archive:
        yield [(info.filename, archive.read(info)) for info in archive.infolist()]


def write(path: Path, members: Members) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def manifest_of(members: Members) -> dict[str, object]:
    return json.loads(dict((str(n), d) for n, d in members)["manifest.json"])


def replace(members: Members, name: str, data: bytes) -> Members:
    return [(n, data if n == name else d) for n, d in members]


def with_manifest(members: Members, manifest: dict[str, object]) -> Members:
    return replace(members, "manifest.json", json.dumps(manifest).encode())


def refused(path: Path, *words: str, limits: PackLimits | None = None) -> str:
    with pytest.raises(PackRefused) as caught:
        read_pack(path, limits=limits or PackLimits())
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return message


def reseal(members: Members, table: str, lines: list[bytes]) -> Members:
    """Replace a data file and make the manifest agree with it (sha256 and count)."""
    body = b"".join(line + b"\n" for line in lines)
    manifest = manifest_of(members)
    tables = manifest["tables"]
    assert isinstance(tables, dict)
    tables[table]["sha256"] = hashlib.sha256(body).hexdigest()
    tables[table]["records"] = len(lines)
    return with_manifest(replace(members, f"data/{table}.jsonl", body), manifest)


def lines_of(members: Members, table: str) -> list[bytes]:
    return dict((str(n), d) for n, d in members)[f"data/{table}.jsonl"].splitlines()


# --- a good pack ----------------------------------------------------------------------------------


def test_a_good_pack_reads(good: Members, tmp_path: Path) -> None:
    pack = read_pack(write(tmp_path / "ok.wwpack", good))
    assert len(pack.tables["observation"]) == 1
    assert len(pack.photos) == 2
    assert pack.sha256 == hashlib.sha256((tmp_path / "ok.wwpack").read_bytes()).hexdigest()


# --- not a pack, damaged -------------------------------------------------------------------------


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "notes.wwpack"
    path.write_text("hello")
    refused(path, "not a WasteWalk pack", "not a zip")


def test_truncated_file(good: Members, tmp_path: Path) -> None:
    path = write(tmp_path / "cut.wwpack", good)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    refused(path, "cut short")


def test_corrupt_member_fails_its_checksum(good: Members, tmp_path: Path) -> None:
    path = tmp_path / "crc.wwpack"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in good:
            archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    where = raw.find(b'"description":"Waited')
    raw[where + 16] ^= 0x01  # one bit of the stored observation line
    path.write_bytes(bytes(raw))
    refused(path, "damaged", "checksum")


def test_no_manifest(good: Members, tmp_path: Path) -> None:
    path = write(tmp_path / "bare.wwpack", [(n, d) for n, d in good if n != "manifest.json"])
    refused(path, "no manifest.json")


def test_manifest_not_json(good: Members, tmp_path: Path) -> None:
    refused(
        write(tmp_path / "m.wwpack", replace(good, "manifest.json", b"{nope")), "not valid JSON"
    )


def test_other_format(good: Members, tmp_path: Path) -> None:
    manifest = manifest_of(good) | {"format": "other-pack"}
    refused(write(tmp_path / "o.wwpack", with_manifest(good, manifest)), "not a WasteWalk pack")


def test_newer_version(good: Members, tmp_path: Path) -> None:
    manifest = manifest_of(good) | {"version": 2}
    message = refused(
        write(tmp_path / "v2.wwpack", with_manifest(good, manifest)), "newer WasteWalk"
    )
    assert "Update WasteWalk on this laptop" in message


# --- names that escape ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../evil", "outside the pack"),
        ("data/../../evil", "outside the pack"),
        ("/abs", "absolute path"),
        ("C:\\x", "backslash"),
        ("C:/x", "absolute path"),
        ("photos\\a.bin", "backslash"),
        ("extra.txt", "not part of a WasteWalk pack"),
        ("photos/abc.bin", "not part of a WasteWalk pack"),
    ],
)
def test_member_names_outside_the_pack(
    good: Members, tmp_path: Path, name: str, words: str
) -> None:
    refused(write(tmp_path / "n.wwpack", [*good, (name, b"x")]), words)


def test_symlink(good: Members, tmp_path: Path) -> None:
    link = zipfile.ZipInfo("photos/" + "0" * 64 + ".bin")
    link.external_attr = 0o120777 << 16
    refused(write(tmp_path / "l.wwpack", [*good, (link, b"/etc/passwd")]), "symbolic link")


def test_the_same_member_twice(good: Members, tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = write(tmp_path / "d.wwpack", [*good, good[0]])
    refused(path, "twice")


# --- bombs ----------------------------------------------------------------------------------------


def test_zip_bomb_photo(good: Members, tmp_path: Path) -> None:
    zeros = bytes(10 * 1024 * 1024)
    name = f"photos/{hashlib.sha256(zeros).hexdigest()}.bin"
    refused(write(tmp_path / "bomb.wwpack", [*good, (name, zeros)]), "zip bomb", "200:1")


def test_zip_bomb_data_file(good: Members, tmp_path: Path) -> None:
    zeros = bytes(10 * 1024 * 1024)
    refused(write(tmp_path / "b.wwpack", replace(good, "data/walk.jsonl", zeros)), "zip bomb")


def test_too_much_in_total(good: Members, tmp_path: Path) -> None:
    path = write(tmp_path / "big.wwpack", good)
    total = sum(len(d) for _, d in good)
    refused(path, "unpacks to more than", limits=PackLimits(total_bytes=total - 1))


def test_a_data_file_over_its_limit(good: Members, tmp_path: Path) -> None:
    path = write(tmp_path / "big.wwpack", good)
    refused(path, "data/", "unpacks to more than", limits=PackLimits(data_file_bytes=100))


def test_too_many_members(good: Members, tmp_path: Path) -> None:
    path = write(tmp_path / "many.wwpack", good)
    refused(path, "files; a pack may hold at most", limits=PackLimits(members=3))


# --- contents that are not what they say ----------------------------------------------------------


def test_data_file_sha_mismatch(good: Members, tmp_path: Path) -> None:
    [line] = lines_of(good, "observation")
    altered = line.replace(b"Waited for TTOs", b"Waited for TTOX")
    path = write(tmp_path / "s.wwpack", replace(good, "data/observation.jsonl", altered + b"\n"))
    refused(path, "data/observation.jsonl", "does not match the sha256")


def test_duplicate_ids(good: Members, tmp_path: Path) -> None:
    [line] = lines_of(good, "observation")
    path = write(tmp_path / "dup.wwpack", reseal(good, "observation", [line, line]))
    refused(path, "appears twice", "line 2")


def test_json_that_is_not_an_object(good: Members, tmp_path: Path) -> None:
    path = write(tmp_path / "arr.wwpack", reseal(good, "walk", [b"[1, 2, 3]"]))
    refused(path, "data/walk.jsonl line 1", "not a JSON object")


def test_unknown_column(good: Members, tmp_path: Path) -> None:
    [line] = lines_of(good, "walk")
    record = json.loads(line) | {"secret": 1}
    path = write(tmp_path / "col.wwpack", reseal(good, "walk", [json.dumps(record).encode()]))
    refused(path, "data/walk.jsonl line 1", "column 'secret'", "not a column of walk")


def test_wrong_type(good: Members, tmp_path: Path) -> None:
    [line] = lines_of(good, "observation")
    record = json.loads(line) | {"impact": "high"}
    path = write(tmp_path / "t.wwpack", reseal(good, "observation", [json.dumps(record).encode()]))
    refused(path, "data/observation.jsonl line 1", "column 'impact'", "whole number")


def test_missing_required_value(good: Members, tmp_path: Path) -> None:
    [line] = lines_of(good, "observation")
    record = json.loads(line) | {"walk_id": None}
    path = write(tmp_path / "r.wwpack", reseal(good, "observation", [json.dumps(record).encode()]))
    refused(path, "column 'walk_id'", "must have a value")


def test_naive_time(good: Members, tmp_path: Path) -> None:
    [line] = lines_of(good, "walk")
    record = json.loads(line) | {"started_at": "2026-03-02T09:30:00"}
    path = write(tmp_path / "n.wwpack", reseal(good, "walk", [json.dumps(record).encode()]))
    refused(path, "column 'started_at'", "no time zone")


def test_photo_whose_bytes_do_not_match_its_name(good: Members, tmp_path: Path) -> None:
    name = next(str(n) for n, _ in good if str(n).startswith("photos/"))
    path = write(tmp_path / "p.wwpack", replace(good, name, png((201, 150))))
    refused(path, name, "sha256 differs")


def test_photo_record_without_its_file(good: Members, tmp_path: Path) -> None:
    kept = [(n, d) for n, d in good if not str(n).startswith("photos/")]
    refused(write(tmp_path / "nophoto.wwpack", kept), "needs photos/", "lacks")


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def test_image_claiming_enormous_dimensions(good: Members, tmp_path: Path) -> None:
    bomb = png_header_only(100_000, 100_000)
    name = f"photos/{hashlib.sha256(bomb).hexdigest()}.bin"
    refused(write(tmp_path / "px.wwpack", [*good, (name, bomb)]), name, "pixels")


def test_reading_changes_nothing_in_the_exporting_database(
    db: Database, good: Members, tmp_path: Path
) -> None:
    before = db.path.read_bytes() if db.path else b""
    refused(write(tmp_path / "x.wwpack", [*good, ("../evil", b"x")]), "outside")
    read_pack(write(tmp_path / "ok.wwpack", good))
    assert (db.path.read_bytes() if db.path else b"") == before
    assert not (tmp_path.parent / "evil").exists()


def test_photos_already_held_here_are_not_decoded_again(good: Members, tmp_path: Path) -> None:
    path = write(tmp_path / "again.wwpack", good)
    asked: list[frozenset[str]] = []

    def held(names: frozenset[str]) -> frozenset[str]:
        asked.append(names)
        return names

    contents = read_pack(path, known_photos=held)
    assert contents.photos
    assert asked == [frozenset(contents.photos)]  # asked once, about every photo file
    # A picture this database does not hold is still decoded, and a bomb still refused.
    bomb = png_header_only(100_000, 100_000)
    name = f"photos/{hashlib.sha256(bomb).hexdigest()}.bin"
    bad = write(tmp_path / "bomb.wwpack", [*good, (name, bomb)])
    with pytest.raises(PackRefused, match="pixels"):
        read_pack(bad, known_photos=lambda names: frozenset(contents.photos) & names)
