"""The report font: Liberation Sans, shipped in resources/fonts.

It has Arial's metrics (so the NHS house style's Arial layouts hold) and, unlike reportlab's
built-in Helvetica, it covers the letters people type into names and notes: Welsh ŵ and ŷ, Polish
Ł, accents, Greek, Cyrillic. Characters it lacks (emoji) print as the font's empty box, never as
a crash or as a missing word.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from wastewalk.domain.errors import WasteWalkError

logger = logging.getLogger(__name__)

FONT = "WasteWalkSans"
FONT_BOLD = "WasteWalkSans-Bold"
FONT_ITALIC = "WasteWalkSans-Italic"
FONT_BOLD_ITALIC = "WasteWalkSans-BoldItalic"
_FILES = {
    FONT: "LiberationSans-Regular.ttf",
    FONT_BOLD: "LiberationSans-Bold.ttf",
    FONT_ITALIC: "LiberationSans-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}


def fonts_folder() -> Path:
    """resources/fonts at the top of the project (beside the package)."""
    return Path(__file__).resolve().parents[3] / "resources" / "fonts"


@cache
def register_fonts() -> str:
    """Register the family once per process; returns the regular face's name."""
    folder = fonts_folder()
    for name, file in _FILES.items():
        path = folder / file
        if not path.is_file():
            raise WasteWalkError(
                f"The report font {file} is missing from {folder}; reinstall WasteWalk."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return FONT


@cache
def _covered() -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(FONT).face
    return frozenset(face.charToGlyph)


def has_glyph(char: str) -> bool:
    """Whether the regular face can draw this character."""
    return ord(char) in _covered()
