"""Limits on attached photos: what a ward laptop's camera makes, and no more."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 15 * 1024 * 1024  # a 48-megapixel phone JPEG is ~12 MB
# Refuse images that *claim* huge dimensions: decoding them would exhaust memory (a pixel bomb).
MAX_PHOTO_PIXELS = 60_000_000
MAX_PHOTO_SIDE = 20_000
THUMBNAIL_SIDE = 160
ALLOWED_MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
