"""Reading a pack (.wwpack) from someone else's laptop, trusting nothing in it.

A pack is a zip; a hostile one can try to write outside a folder (`../`, absolute names, drive
letters, symlinks), exhaust memory or disk (zip bombs, header sizes that lie, pixel-bomb photos),
or carry data that is not what its manifest says. The reader never extracts to disk and never
touches a database: it reads every member in chunks, counting the bytes actually produced against
fixed limits, checks every sha256, every JSON line and every column (or, for the importer, each
record's shape, the importer checking the values), and either returns the whole checked contents
or raises PackRefused in plain words saying what is wrong and where.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import stat
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wastewalk.domain.errors import InputError
from wastewalk.domain.progress import Progress, report
from wastewalk.services.pack_records import (
    MODELS,
    PACK_TABLES,
    PackRefused,
    check_record,
    check_shape,
)
from wastewalk.services.photos import check_image

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_LIMITS", "PackContents", "PackLimits", "PackRefused", "read_pack"]

PACK_FORMAT = "wastewalk-pack"
PACK_VERSION = 1
MANIFEST = "manifest.json"
_PHOTO_NAME = re.compile(r"^photos/([0-9a-f]{64})\.bin$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 20
MiB = 1 << 20


@dataclass(frozen=True)
class PackLimits:
    """What a pack may hold; anything larger is refused as a possible zip bomb."""

    total_bytes: int = 2048 * MiB  # everything, uncompressed
    data_file_bytes: int = 512 * MiB  # one data/<table>.jsonl
    photo_bytes: int = 50 * MiB  # one photos/<sha>.bin
    manifest_bytes: int = 1 * MiB
    members: int = 100_000
    ratio: int = 200  # uncompressed : compressed, for a member above ratio_floor
    ratio_floor: int = 1 * MiB


DEFAULT_LIMITS = PackLimits()


@dataclass(frozen=True)
class PackContents:
    """A pack read and checked in full: every record in canonical pack form, every photo."""

    manifest: dict[str, Any]
    tables: dict[str, list[dict[str, object]]]  # in PACK_TABLES order; only tables the pack has
    ids: dict[str, list[uuid.UUID]]  # each table's record ids, in the order of its records
    lines: dict[str, list[int]]  # the line of its data file each record was read from
    photos: dict[str, bytes]  # sha256 -> bytes
    sha256: str  # of the whole .wwpack file
    file_name: str


# Given the sha256 names of a pack's photo files, which of them this database already holds
# (pictures it checked when they were first attached or imported).
KnownPhotos = Callable[[frozenset[str]], frozenset[str]]


def read_pack(
    path: Path,
    progress: Progress | None = None,
    *,
    limits: PackLimits = DEFAULT_LIMITS,
    known_photos: KnownPhotos | None = None,
    check_records: bool = True,
) -> PackContents:
    """Read and check a whole pack; PackRefused (plain words, nothing changed) if it is unsafe.

    Every photo file's bytes must match its sha256 name. Each is also decoded as an image, except
    those `known_photos` says are already stored here: bytes with the same sha256 were checked
    when they arrived, and decoding 400 pictures again is most of a re-import's time.

    Every record is checked column by column and put in canonical form (check_record). With
    `check_records` False only its shape is (a JSON object with exactly its table's columns and a
    UUID id, no id twice): the importer then checks each record with check_record unless it is
    equal, column for column, to a record already stored here, which was checked when stored.
    Checking 11,000 records that a re-import finds unchanged was half of its time.
    """
    name = path.name
    try:
        size = path.stat().st_size
        whole = _file_sha256(path)
        with zipfile.ZipFile(path) as archive:
            return _read(archive, size, whole, name, progress, limits, known_photos, check_records)
    except PackRefused:
        raise
    except FileNotFoundError:
        raise PackRefused(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise PackRefused(f"{path} is a folder, not a pack.") from None
    except zipfile.BadZipFile as exc:
        raise PackRefused(_bad_zip_words(name, exc)) from None
    except (EOFError, zlib.error, zipfile.LargeZipFile) as exc:
        raise PackRefused(
            f"{name} is damaged or cut short ({exc}); nothing was imported."
        ) from None
    except OSError as exc:
        raise PackRefused(f"{name} could not be read: {exc.strerror or exc}.") from None


def _bad_zip_words(name: str, exc: Exception) -> str:
    text = str(exc)
    if "CRC" in text:
        return f"{name} is damaged (a file inside fails its checksum); nothing was imported."
    if "not a zip file" in text.lower():
        return (
            f"{name} is not a WasteWalk pack (not a zip file), or it was cut short while "
            "copying; nothing was imported."
        )
    return f"{name} is damaged ({text}); nothing was imported."


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Budget:
    """Counts the bytes actually produced by decompression against the pack's total limit."""

    def __init__(self, limits: PackLimits, pack: str) -> None:
        self.limits = limits
        self.pack = pack
        self.total = 0

    def chunks(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int
    ) -> Iterator[bytes]:
        """A member's bytes in chunks, refused once over a limit (header sizes not trusted)."""
        produced = 0
        compressed = max(info.compress_size, 1)
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                produced += len(chunk)
                self.total += len(chunk)
                if produced > limit:
                    raise PackRefused(
                        f"{self.pack}: {info.filename} unpacks to more than {_size(limit)}, the "
                        "most a pack may hold there; it may be a zip bomb. Nothing was imported."
                    )
                if produced > self.limits.ratio_floor and produced > self.limits.ratio * compressed:
                    raise PackRefused(
                        f"{self.pack}: {info.filename} expands more than "
                        f"{self.limits.ratio}:1 when unpacked; it looks like a zip bomb. "
                        "Nothing was imported."
                    )
                if self.total > self.limits.total_bytes:
                    raise PackRefused(
                        f"{self.pack} unpacks to more than {_size(self.limits.total_bytes)}, the "
                        "most a pack may hold; it may be a zip bomb. Nothing was imported."
                    )
                yield chunk


def _size(n: int) -> str:
    return f"{n / (1 << 30):g} GiB" if n >= 1 << 30 else f"{n / MiB:g} MiB"


def _check_names(infos: list[zipfile.ZipInfo], pack: str, size: int, limits: PackLimits) -> None:
    if len(infos) > limits.members:
        raise PackRefused(
            f"{pack} holds {len(infos):,} files; a pack may hold at most {limits.members:,}. "
            "Nothing was imported."
        )
    seen: set[str] = set()
    for info in infos:
        raw = info.filename
        shown = repr(raw[:80])
        if "\\" in raw:
            raise PackRefused(f"{pack} holds a file named {shown} with a backslash; refused.")
        if raw.startswith("/") or _DRIVE.match(raw):
            raise PackRefused(f"{pack} holds a file with an absolute path {shown}; refused.")
        parts = raw.split("/")
        if ".." in parts or "." in parts or "" in parts or "\x00" in raw:
            raise PackRefused(
                f"{pack} holds a file named {shown} that points outside the pack; refused."
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise PackRefused(f"{pack} holds a symbolic link ({shown}); refused.")
        if info.is_dir():
            raise PackRefused(f"{pack} holds a folder entry {shown}, which a pack never has.")
        if raw in seen:
            raise PackRefused(f"{pack} holds {shown} twice; refused.")
        seen.add(raw)
        if info.flag_bits & 0x1:
            raise PackRefused(f"{pack}: {shown} is encrypted; a pack never is.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackRefused(f"{pack}: {shown} uses a compression WasteWalk does not read.")
        if info.compress_size > size:
            raise PackRefused(f"{pack} is damaged or cut short ({shown} is incomplete).")


def _manifest(archive: zipfile.ZipFile, budget: _Budget, pack: str) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise PackRefused(
            f"{pack} has no manifest.json, so it is not a WasteWalk pack; nothing was imported."
        ) from None
    raw = b"".join(budget.chunks(archive, info, budget.limits.manifest_bytes))
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PackRefused(
            f"{pack}: manifest.json is not valid JSON; nothing was imported."
        ) from None
    if not isinstance(manifest, dict):
        raise PackRefused(f"{pack}: manifest.json is not a JSON object; nothing was imported.")
    if manifest.get("format") != PACK_FORMAT:
        raise PackRefused(f"{pack} is not a WasteWalk pack (its manifest names another format).")
    version = manifest.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PackRefused(f"{pack}: manifest.json has no valid version; nothing was imported.")
    if version > PACK_VERSION:
        raise PackRefused(
            f"{pack} was made by a newer WasteWalk (pack version {version}; this one reads "
            f"version {PACK_VERSION}). Update WasteWalk on this laptop, then import it again."
        )
    _check_manifest_fields(manifest, pack)
    return manifest


def _check_manifest_fields(manifest: dict[str, Any], pack: str) -> None:
    def bad(words: str) -> PackRefused:
        return PackRefused(f"{pack}: manifest.json {words}; nothing was imported.")

    device = manifest.get("device_id")
    if not isinstance(device, str) or not 0 < len(device) <= 64:
        raise bad("has no valid device_id")
    created = manifest.get("created_at")
    try:
        moment = dt.datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise bad("has no valid created_at (ISO 8601 with offset)")
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        raise bad("has no list of tables")
    for table, entry in tables.items():
        if table not in MODELS:
            raise bad(f"lists '{str(table)[:60]}', which is not a table WasteWalk knows")
        if not isinstance(entry, dict):
            raise bad(f"describes {table} wrongly")
        if entry.get("file") != f"data/{table}.jsonl":
            raise bad(f"gives {table} the file {str(entry.get('file'))[:80]!r}")
        count = entry.get("records")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise bad(f"gives no record count for {table}")
        sha = entry.get("sha256")
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise bad(f"gives no sha256 for {table}")
    photos = manifest.get("photos", {"files": 0, "bytes": 0})
    if not isinstance(photos, dict):
        raise bad("describes the photos wrongly")


def _read(
    archive: zipfile.ZipFile,
    size: int,
    whole: str,
    pack: str,
    progress: Progress | None,
    limits: PackLimits,
    known_photos: KnownPhotos | None,
    check_records: bool,
) -> PackContents:
    infos = archive.infolist()
    _check_names(infos, pack, size, limits)
    budget = _Budget(limits, pack)
    manifest = _manifest(archive, budget, pack)
    listed: dict[str, str] = {entry["file"]: table for table, entry in manifest["tables"].items()}
    photo_infos: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        if info.filename == MANIFEST or info.filename in listed:
            continue
        match = _PHOTO_NAME.match(info.filename)
        if match is None:
            raise PackRefused(
                f"{pack} holds {info.filename[:80]!r}, which is not part of a WasteWalk pack; "
                "refused."
            )
        photo_infos.append((match.group(1), info))
    missing = sorted(f for f in listed if f not in archive.NameToInfo)
    if missing:
        raise PackRefused(f"{pack} lacks {missing[0]}, which its manifest lists; refused.")

    total = sum(i.compress_size for i in infos) or 1
    done = 0
    tables: dict[str, list[dict[str, object]]] = {}
    ids: dict[str, list[uuid.UUID]] = {}
    lines: dict[str, list[int]] = {}
    for table, _ in PACK_TABLES:
        entry = manifest["tables"].get(table)
        if entry is None:
            continue
        info = archive.getinfo(entry["file"])
        report(progress, done / total, f"Checking {table.replace('_', ' ')} records")
        tables[table], ids[table], lines[table] = _read_table(
            archive, info, table, entry, budget, pack, check_records
        )
        done += info.compress_size

    photos: dict[str, bytes] = {}
    names = frozenset(sha for sha, _ in photo_infos)
    already = known_photos(names) if known_photos is not None and names else frozenset()
    for number, (sha, info) in enumerate(sorted(photo_infos, key=lambda p: p[1].filename)):
        if number % 20 == 0:
            report(progress, done / total, f"Checking photo {number + 1} of {len(photo_infos)}")
        data = b"".join(budget.chunks(archive, info, limits.photo_bytes))
        if hashlib.sha256(data).hexdigest() != sha:
            raise PackRefused(
                f"{pack}: {info.filename} does not hold the photo its name says (sha256 differs); "
                "the pack is damaged or was altered. Nothing was imported."
            )
        try:
            if sha not in already:
                check_image(data, info.filename, thumbnail=False)
        except InputError as exc:
            raise PackRefused(f"{pack}: {exc}. Nothing was imported.") from None
        photos[sha] = data
        done += info.compress_size
    _check_photo_references(tables, photos, pack)
    report(progress, 1.0, "Pack checked")
    logger.info(
        "read pack %s: %s records, %d photos",
        pack,
        sum(len(rows) for rows in tables.values()),
        len(photos),
    )
    return PackContents(
        manifest=manifest,
        tables=tables,
        ids=ids,
        lines=lines,
        photos=photos,
        sha256=whole,
        file_name=pack,
    )


def _lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for chunk in chunks:
        buffer.extend(chunk)
        start = 0
        while (end := buffer.find(b"\n", start)) >= 0:
            yield bytes(buffer[start:end])
            start = end + 1
        del buffer[:start]
    if buffer:
        yield bytes(buffer)


def _not_json(constant: str) -> object:
    # Python's json reads NaN and Infinity, which are not JSON and which no pack holds.
    raise ValueError(f"{constant} is not JSON")


_JSON = json.JSONDecoder(parse_constant=_not_json)


def _read_table(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    table: str,
    entry: dict[str, Any],
    budget: _Budget,
    pack: str,
    check_records: bool,
) -> tuple[list[dict[str, object]], list[uuid.UUID], list[int]]:
    digest = hashlib.sha256()

    def hashed() -> Iterator[bytes]:
        for chunk in budget.chunks(archive, info, budget.limits.data_file_bytes):
            digest.update(chunk)
            yield chunk

    rows: list[dict[str, object]] = []
    ids: list[uuid.UUID] = []
    numbers: list[int] = []
    seen: set[uuid.UUID] = set()
    for number, line in enumerate(_lines(hashed()), start=1):
        where = f"{pack}, {info.filename} line {number}"
        if not line.strip():
            continue
        try:
            value = _JSON.decode(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise PackRefused(f"{where}: not valid JSON; nothing was imported.") from None
        if not isinstance(value, dict):
            raise PackRefused(f"{where}: not a JSON object (a record); nothing was imported.")
        record_id = check_shape(table, value, where=where)
        if record_id in seen:
            raise PackRefused(
                f"{where}: the {table} record {record_id} appears twice in this pack; refused."
            )
        seen.add(record_id)
        ids.append(record_id)
        numbers.append(number)
        rows.append(check_record(table, value, where=where) if check_records else value)
    if digest.hexdigest() != entry["sha256"]:
        raise PackRefused(
            f"{pack}: {info.filename} does not match the sha256 in its manifest; the pack is "
            "damaged or was altered. Nothing was imported."
        )
    if len(rows) != entry["records"]:
        raise PackRefused(
            f"{pack}: {info.filename} holds {len(rows)} records but its manifest says "
            f"{entry['records']}; nothing was imported."
        )
    return rows, ids, numbers


def _check_photo_references(
    tables: dict[str, list[dict[str, object]]], photos: dict[str, bytes], pack: str
) -> None:
    for row in tables.get("photo", []):
        for key in ("data_sha256", "thumbnail_sha256"):
            sha = row[key]  # not yet checked when read with check_records False: a str or not
            if isinstance(sha, str) and sha not in photos:
                raise PackRefused(
                    f"{pack}: photo record {row['id']} needs photos/{sha}.bin, which the pack "
                    "lacks; nothing was imported."
                )
