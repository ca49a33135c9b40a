"""NHS house style for reports: NHS Blue headings, Arial-metric sans, calm greys, A4 margins."""

from __future__ import annotations

import logging
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from wastewalk.export.pdf.fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

logger = logging.getLogger(__name__)

# NHS identity colours (england.nhs.uk/nhsidentity): blue for headings, dark grey for text.
NHS_BLUE = colors.HexColor("#005EB8")
NHS_DARK_BLUE = colors.HexColor("#003087")
NHS_DARK_GREY = colors.HexColor("#425563")
NHS_MID_GREY = colors.HexColor("#768692")
NHS_PALE_GREY = colors.HexColor("#E8EDEE")
NHS_WARM_YELLOW = colors.HexColor("#FFB81C")
NHS_RED = colors.HexColor("#DA291C")
NHS_GREEN = colors.HexColor("#009639")
TEXT = colors.HexColor("#212B32")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
TOP_MARGIN = 27 * mm  # room for the title and filters line on every page
BOTTOM_MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles every report uses, by name."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=TEXT, alignment=TA_LEFT
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "note": ParagraphStyle(
            "note",
            parent=body,
            fontName=FONT_ITALIC,
            fontSize=8,
            leading=10,
            textColor=NHS_DARK_GREY,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=9.8),
        "cell_right": ParagraphStyle(
            "cell_right", parent=body, fontSize=8, leading=9.8, alignment=TA_RIGHT
        ),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=8,
            leading=9.8,
            textColor=colors.white,
        ),
        "cell_head_right": ParagraphStyle(
            "cell_head_right",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=8,
            leading=9.8,
            textColor=colors.white,
            alignment=TA_RIGHT,
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=24,
            leading=29,
            textColor=NHS_BLUE,
            spaceAfter=6,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=13,
            leading=17,
            textColor=NHS_DARK_GREY,
            spaceAfter=4,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            textColor=NHS_BLUE,
            spaceBefore=8,
            spaceAfter=5,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            textColor=NHS_BLUE,
            spaceBefore=7,
            spaceAfter=3,
        ),
        "figure": ParagraphStyle(
            "figure",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=17,
            leading=21,
            textColor=NHS_DARK_BLUE,
        ),
        "figure_label": ParagraphStyle(
            "figure_label", parent=body, fontSize=8, leading=10, textColor=NHS_DARK_GREY
        ),
    }
