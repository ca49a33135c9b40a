"""Photos on observations: checked, hashed, thumbnailed and stored in the database."""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from wastewalk.domain.errors import InputError
from wastewalk.domain.photo_rules import (
    ALLOWED_MEDIA_TYPES,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    MAX_PHOTO_SIDE,
    THUMBNAIL_SIDE,
)
from wastewalk.models import Observation, Photo, utcnow
from wastewalk.services.organisation import get_or_fail
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PhotoInfo:
    id: uuid.UUID
    observation_id: uuid.UUID
    filename: str
    media_type: str
    sha256: str
    size_bytes: int
    width: int
    height: int


@dataclass(frozen=True)
class CheckedImage:
    media_type: str
    width: int
    height: int
    thumbnail_png: bytes


def check_image(data: bytes, name: str, *, thumbnail: bool = True) -> CheckedImage:
    """Refuse anything but a decodable JPEG or PNG of sane size; make its thumbnail (unless
    `thumbnail` is False: a pack's photos arrive with theirs, and only need checking)."""
    if not data:
        raise InputError(f"{name} is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise InputError(
            f"{name} is {len(data) / 1_048_576:.1f} MB; photos are limited to "
            f"{MAX_PHOTO_BYTES // 1_048_576} MB"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                width, height = probe.size
                if kind not in ALLOWED_MEDIA_TYPES:
                    raise InputError(f"{name} is {kind or 'not an image'}; only JPEG and PNG")
                # Refuse before decoding: the header alone can claim a pixel bomb.
                if (
                    width > MAX_PHOTO_SIDE
                    or height > MAX_PHOTO_SIDE
                    or (width * height > MAX_PHOTO_PIXELS)
                ):
                    raise InputError(
                        f"{name} claims to be {width}×{height} pixels, larger than a photo "
                        "can be; it was not attached"
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                # Phones store portrait photos sideways with an EXIF note to turn them.
                upright = ImageOps.exif_transpose(image)
                width, height = upright.size
                out = io.BytesIO()
                if thumbnail:
                    thumb = upright.convert("RGB")
                    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
                    thumb.save(out, format="PNG")
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refuses the worst pixel bombs while reading the header, before our own check.
        raise InputError(
            f"{name} claims more than {MAX_PHOTO_PIXELS:,} pixels, larger than a photo can be; "
            "it was not attached"
        ) from exc
    except UnidentifiedImageError as exc:
        # Pillow's own words name an internal object; the person needs none of that.
        raise InputError(f"{name} could not be read as a JPEG or PNG image") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{name} could not be read as a JPEG or PNG image ({exc})") from exc
    return CheckedImage(ALLOWED_MEDIA_TYPES[kind], width, height, out.getvalue())


def _info(p: Photo) -> PhotoInfo:
    return PhotoInfo(
        p.id, p.observation_id, p.filename, p.media_type, p.sha256, p.size_bytes, p.width, p.height
    )


def attach_photo(db: Database, observation_id: uuid.UUID, filename: str, data: bytes) -> PhotoInfo:
    """Attach an image (bytes already read) to an observation."""
    name = Path(filename).name or "photo"
    checked = check_image(data, name)
    with db.session() as session:
        get_or_fail(session, Observation, observation_id, "observation")
        photo = Photo(
            observation_id=observation_id,
            filename=name[:255],
            media_type=checked.media_type,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            width=checked.width,
            height=checked.height,
            data=data,
            thumbnail_png=checked.thumbnail_png,
            device_id=db.device_id,
        )
        session.add(photo)
        session.flush()
        return _info(photo)


def _read_photo_file(path: Path) -> bytes:
    """The file's bytes, refusing an oversized file before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise InputError(
                f"{path.name} is {size / 1_048_576:.1f} MB; photos are limited to "
                f"{MAX_PHOTO_BYTES // 1_048_576} MB"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}") from exc


def attach_photo_file(db: Database, observation_id: uuid.UUID, path: Path) -> PhotoInfo:
    """Attach an image file; refuses oversized files before reading them."""
    return attach_photo(db, observation_id, path.name, _read_photo_file(path))


def list_photos(db: Database, observation_id: uuid.UUID) -> list[PhotoInfo]:
    """An observation's photos (not removed), oldest first."""
    with db.session() as session:
        query = (
            select(Photo)
            .where(Photo.observation_id == observation_id, Photo.deleted_at.is_(None))
            .order_by(Photo.created_at)
        )
        return [_info(p) for p in session.scalars(query)]


def photo_bytes(db: Database, photo_id: uuid.UUID, *, thumbnail: bool = False) -> bytes:
    """The full image, or its PNG thumbnail."""
    column = Photo.thumbnail_png if thumbnail else Photo.data
    with db.session() as session:
        data = session.scalar(select(column).where(Photo.id == photo_id))
        if data is None:
            raise InputError(f"No photo with id {photo_id}")
        return bytes(data)


def set_photo_removed(db: Database, photo_id: uuid.UUID, removed: bool) -> PhotoInfo:
    """Remove a photo from its observation (undoably), or put it back."""
    with db.session() as session:
        photo = get_or_fail(session, Photo, photo_id, "photo")
        photo.deleted_at = utcnow() if removed else None
        session.flush()
        return _info(photo)


def check_photo_file(path: Path) -> None:
    """Refuse a file that could not be attached (size, type, pixel bomb) before any save."""
    check_image(_read_photo_file(path), path.name)


def photos_for_walk(db: Database, walk_id: uuid.UUID) -> dict[uuid.UUID, list[PhotoInfo]]:
    """Every live photo of a walk's observations, by observation, oldest first (one query)."""
    query = (
        select(Photo)
        .join(Observation, Photo.observation_id == Observation.id)
        .where(Observation.walk_id == walk_id, Photo.deleted_at.is_(None))
        .order_by(Photo.created_at)
    )
    found: dict[uuid.UUID, list[PhotoInfo]] = {}
    with db.session() as session:
        for photo in session.scalars(query):
            found.setdefault(photo.observation_id, []).append(_info(photo))
    return found
