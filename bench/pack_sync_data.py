"""A pack of sync-benchmark size: 10,000 observations with 200 photos, made from generated data.

    from bench.pack_sync_data import build_sync_pack
    pack = build_sync_pack(folder)            # folder/sync-source.sqlite, folder/sync.wwpack

The source database comes from bench.generate (same seed and `now`, same data; real schema), the
photos are attached through services.photos (distinct PNGs, so 200 photos and 200 thumbnails),
and the pack is written by services.pack_export.export_pack, as the command would write it. Call
it with WASTEWALK_DATA_DIR pointing at a scratch folder (bench.common.scratch_data_dir).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from bench.generate import generate
from wastewalk.models import Observation
from wastewalk.services.pack_export import export_pack
from wastewalk.services.photos import attach_photo
from wastewalk.store.database import open_database

logger = logging.getLogger(__name__)

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def photo_png(number: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A distinct PNG for each number (a gradient shifted by it), about 10-30 kB."""
    image = Image.new("RGB", size)
    image.putdata(
        [
            ((x + number) % 256, (y * 3 + number * 7) % 256, (x + y) % 256)
            for y in range(size[1])
            for x in range(size[0])
        ]
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build_sync_pack(
    folder: Path,
    *,
    observations: int = 10_000,
    photos: int = 200,
    seed: int = 1,
    now: dt.datetime = NOW,
) -> Path:
    """Make folder/sync-source.sqlite and return folder/sync.wwpack holding all of it."""
    source = folder / "sync-source.sqlite"
    generate(
        source,
        seed=seed,
        csus=4,
        areas=12,
        walks=max(1, observations // 25),
        observations=observations,
        now=now,
    )
    db = open_database(str(source), daily_backup=False)
    try:
        with db.session() as session:
            ids = list(
                session.execute(
                    select(Observation.id).order_by(Observation.id).limit(photos)
                ).scalars()
            )
        for number, observation_id in enumerate(ids):
            attach_photo(db, observation_id, f"photo-{number}.png", photo_png(number))
        result = export_pack(db, folder / "sync.wwpack")
    finally:
        db.close()
    logger.info(
        "sync pack: %s records, %d photo files", sum(result.records.values()), result.photos
    )
    return result.path
