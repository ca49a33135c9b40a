"""User text into reportlab paragraphs, safely.

reportlab's Paragraph reads a small markup language: `<b>`, `<img src=...>`, `<a href=...>`,
`&amp;`. Text a person typed must never be read as markup (a note "<b>&" prints as typed) and can
never make reportlab open a file or fetch a URL (an `<img src="http://...">` in a note). So every
piece of user text is escaped here, control characters are dropped and line breaks kept.
"""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from wastewalk.export.pdf.style import styles

logger = logging.getLogger(__name__)

# Everything below a space except tab and newline is dropped: reportlab cannot print it and a
# stray form feed or NUL in pasted text must not break the report.
_DROP = {code: None for code in range(32) if code not in (9, 10)} | {0x7F: None}


def markup(text: str) -> str:
    """User text as Paragraph markup that prints exactly as typed (line breaks kept)."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP)
    escaped = escape(cleaned, {'"': "&quot;"})
    return escaped.replace("\t", " ").replace("\n", "<br/>")


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of user (or any plain) text in one of the house styles."""
    return Paragraph(markup(text), styles()[style])


def rich(trusted_markup: str, style: str = "body") -> Paragraph:
    """A paragraph of our own markup (bold labels around escaped values: build it with markup())."""
    return Paragraph(trusted_markup, styles()[style])


def shorten(text: str, limit: int) -> str:
    """One line of user text, cut at `limit` characters with an ellipsis."""
    flat = " ".join(text.translate(_DROP).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
