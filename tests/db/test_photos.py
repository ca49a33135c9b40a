"""Photos on observations: a real JPEG or PNG is kept whole; anything else is refused unstored."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from PIL import Image

from wastewalk.domain.errors import InputError, NotFoundError
from wastewalk.domain.photo_rules import MAX_PHOTO_BYTES, THUMBNAIL_SIDE
from wastewalk.models import Photo
from wastewalk.services.observations import ObservationInfo, ObservationInput, add_observation
from wastewalk.services.photos import (
    attach_photo,
    attach_photo_file,
    list_photos,
    photo_bytes,
    set_photo_removed,
)
from wastewalk.services.walks import WalkInfo
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store.database import Database

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def observation(
    db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> ObservationInfo:
    return add_observation(
        db, walk.id, ObservationInput(categories["inventory"].id, "Expired dressings in bay 3")
    )


def image_bytes(kind: str, size: tuple[int, int]) -> bytes:
    image = Image.new("RGB", size)
    # A gradient, so the encoders have real content to compress.
    image.putdata(
        [(x * 7 % 256, y * 5 % 256, (x + y) % 256) for y in range(size[1]) for x in range(size[0])]
    )
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims `width`×`height` (8-bit RGB) with a correct CRC, and no pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"IEND", b"")


def stored_photo_count(db: Database) -> int:
    with db.session() as session:
        return session.query(Photo).count()


# --- accepted -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "media_type", "size"),
    [("JPEG", "image/jpeg", (640, 480)), ("PNG", "image/png", (200, 900))],
)
def test_real_photo_is_attached_whole_with_a_thumbnail(
    db: Database,
    observation: ObservationInfo,
    kind: str,
    media_type: str,
    size: tuple[int, int],
) -> None:
    data = image_bytes(kind, size)

    photo = attach_photo(db, observation.id, f"/home/nurse/Pictures/bay3.{kind.lower()}", data)

    assert photo.filename == f"bay3.{kind.lower()}"  # the name only, never the laptop's folders
    assert photo.media_type == media_type
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.size_bytes == len(data)
    assert (photo.width, photo.height) == size
    assert list_photos(db, observation.id) == [photo]
    assert photo_bytes(db, photo.id) == data

    thumbnail = photo_bytes(db, photo.id, thumbnail=True)
    assert thumbnail.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(thumbnail)) as thumb:
        thumb.load()
        assert thumb.format == "PNG"
        assert max(thumb.size) == THUMBNAIL_SIDE  # scaled down, aspect kept
        assert max(thumb.size) <= 160
        expected_short = round(min(size) * THUMBNAIL_SIDE / max(size))
        assert abs(min(thumb.size) - expected_short) <= 1


def test_small_photo_is_not_enlarged(db: Database, observation: ObservationInfo) -> None:
    photo = attach_photo(db, observation.id, "tiny.png", image_bytes("PNG", (40, 30)))
    with Image.open(io.BytesIO(photo_bytes(db, photo.id, thumbnail=True))) as thumb:
        assert thumb.size == (40, 30)


def test_photo_file_is_attached(db: Database, observation: ObservationInfo, tmp_path: Path) -> None:
    path = tmp_path / "sluice.jpg"
    path.write_bytes(image_bytes("JPEG", (320, 240)))
    photo = attach_photo_file(db, observation.id, path)
    assert (photo.filename, photo.media_type, photo.width) == ("sluice.jpg", "image/jpeg", 320)


def test_removed_photo_can_be_put_back(db: Database, observation: ObservationInfo) -> None:
    photo = attach_photo(db, observation.id, "bay3.png", image_bytes("PNG", (64, 64)))
    set_photo_removed(db, photo.id, True)
    assert list_photos(db, observation.id) == []
    set_photo_removed(db, photo.id, False)
    assert list_photos(db, observation.id) == [photo]


def test_photo_on_unknown_observation_is_refused(db: Database, walk: WalkInfo) -> None:
    with pytest.raises(NotFoundError):
        attach_photo(db, uuid.uuid4(), "bay3.png", image_bytes("PNG", (64, 64)))
    assert stored_photo_count(db) == 0


# --- refused --------------------------------------------------------------------------------------


def test_gif_is_refused(db: Database, observation: ObservationInfo) -> None:
    with pytest.raises(InputError, match="only JPEG and PNG"):
        attach_photo(db, observation.id, "animation.gif", image_bytes("GIF", (64, 64)))
    assert stored_photo_count(db) == 0


NOT_PHOTOS = {
    "bytes.jpg": bytes(range(256)) * 40,
    "notes.png": b"Bay 3: porter waited 20 minutes\n" * 10,
    "truncated.png": image_bytes("PNG", (300, 300))[:400],  # a copy cut off part way
    "signature-only.jpg": PNG_SIGNATURE + b"\x00" * 100,
}


@pytest.mark.parametrize("name", list(NOT_PHOTOS))
def test_bytes_that_are_not_a_photo_are_refused(
    db: Database, observation: ObservationInfo, name: str
) -> None:
    data = NOT_PHOTOS[name]
    with pytest.raises(InputError, match=name):
        attach_photo(db, observation.id, name, data)
    assert stored_photo_count(db) == 0


def test_random_bytes_are_refused(db: Database, observation: ObservationInfo) -> None:
    with pytest.raises(InputError, match="could not be read as a JPEG or PNG"):
        attach_photo(db, observation.id, "camera.jpg", os.urandom(50_000))
    assert stored_photo_count(db) == 0


def test_empty_file_is_refused(db: Database, observation: ObservationInfo, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        attach_photo(db, observation.id, "empty.jpg", b"")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        attach_photo_file(db, observation.id, empty)
    assert stored_photo_count(db) == 0


def test_photo_over_15_mb_is_refused(
    db: Database, observation: ObservationInfo, tmp_path: Path
) -> None:
    # A real JPEG start padded past the limit: refused on size alone.
    data = image_bytes("JPEG", (64, 64))
    data += b"\x00" * (MAX_PHOTO_BYTES + 1 - len(data))
    with pytest.raises(InputError, match="limited to 15 MB"):
        attach_photo(db, observation.id, "huge.jpg", data)

    # A file on disk is refused from its size, before it is read.
    big = tmp_path / "huge.jpg"
    with big.open("wb") as handle:
        handle.truncate(MAX_PHOTO_BYTES + 1)
    with pytest.raises(InputError, match="limited to 15 MB"):
        attach_photo_file(db, observation.id, big)
    assert stored_photo_count(db) == 0


def test_photo_of_exactly_15_mb_is_not_refused_for_its_size(
    db: Database, observation: ObservationInfo
) -> None:
    # A PNG may carry trailing bytes after IEND; this one is exactly at the limit.
    data = image_bytes("PNG", (64, 64))
    data += b"\x00" * (MAX_PHOTO_BYTES - len(data))
    photo = attach_photo(db, observation.id, "at-limit.png", data)
    assert photo.size_bytes == MAX_PHOTO_BYTES


@pytest.mark.parametrize(
    ("width", "height"),
    [(100_000, 100_000), (25_000, 10), (8_000, 8_000), (12_000, 9_000)],
)
def test_image_claiming_huge_dimensions_is_refused_for_its_size(
    db: Database, observation: ObservationInfo, width: int, height: int
) -> None:
    data = png_header_only(width, height)
    with Image.open(io.BytesIO(png_header_only(64, 48))) as probe:
        assert probe.size == (64, 48)  # the crafted header is one Pillow reads

    with pytest.raises(InputError) as refused:
        attach_photo(db, observation.id, "bomb.png", data)

    message = str(refused.value)
    assert "bomb.png" in message
    assert "pixels" in message
    assert "not attached" in message
    # It is a PNG, and one Pillow can read; what is wrong is its size, and the message says so.
    assert "could not be read" not in message
    assert stored_photo_count(db) == 0


def test_a_portrait_phone_photo_is_recorded_and_thumbnailed_upright(
    db: Database, observation: ObservationInfo
) -> None:
    # Phones save portrait photos as landscape pixels plus EXIF orientation 6 ("turn 90°").
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (10, 120, 200)).save(out, format="JPEG", exif=exif.tobytes())
    info = attach_photo(db, observation.id, "portrait.jpg", out.getvalue())
    assert (info.width, info.height) == (400, 600)
    with Image.open(io.BytesIO(photo_bytes(db, info.id, thumbnail=True))) as thumb:
        assert thumb.height == THUMBNAIL_SIDE
        assert thumb.width < thumb.height
