"""The page frame every report shares, and building a PDF from a list of flowables.

Each page carries, at the top, the report's title in NHS Blue and the filters in words; at the
foot, the date of the data ("data to 24 November 2026"), the program and "Page 3 of 12". The
document is made in memory and written all or nothing (export.files). Metadata is fixed and
reportlab runs with `invariant`, so the same data gives the same bytes: golden tests rely on it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from wastewalk import __version__
from wastewalk.domain.progress import Progress, report
from wastewalk.export.files import write_file_atomically
from wastewalk.export.pdf.fonts import FONT, FONT_BOLD, register_fonts
from wastewalk.export.pdf.style import (
    BOTTOM_MARGIN,
    MARGIN,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_PALE_GREY,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TOP_MARGIN,
)
from wastewalk.export.pdf.text import shorten

logger = logging.getLogger(__name__)

PRODUCER = f"WasteWalk {__version__}"


@dataclass(frozen=True)
class ReportFrame:
    """What every page says about the report: its title, its filters, the data's date."""

    title: str  # "Savings report"
    filters: str  # "Medicine CSU · 1 April 2026 to 31 March 2027"
    data_date: str  # "data to 24 November 2026"
    subject: str = ""  # the PDF's subject metadata (e.g. the scope in one line)


def _page_furniture(canvas: Canvas, frame: ReportFrame, page: int, pages: int) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - 11 * 2.8346
    canvas.setFillColor(NHS_BLUE)
    canvas.rect(0, PAGE_HEIGHT - 6, PAGE_WIDTH, 6, stroke=0, fill=1)
    canvas.setFont(FONT_BOLD, 11)
    canvas.drawString(MARGIN, top, shorten(frame.title, 70))
    canvas.setFont(FONT, 8)
    canvas.setFillColor(NHS_DARK_GREY)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, top, "WasteWalk")
    canvas.drawString(MARGIN, top - 11, shorten(f"{frame.filters} · {frame.data_date}", 120))
    canvas.setStrokeColor(NHS_PALE_GREY)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 16, PAGE_WIDTH - MARGIN, top - 16)
    foot = BOTTOM_MARGIN - 10 * 2.8346
    canvas.line(MARGIN, foot + 10, PAGE_WIDTH - MARGIN, foot + 10)
    canvas.drawString(MARGIN, foot, shorten(f"{frame.filters} · {frame.data_date}", 95))
    canvas.drawRightString(PAGE_WIDTH - MARGIN, foot, f"Page {page} of {pages}")
    canvas.restoreState()


def _numbered_canvas(frame: ReportFrame) -> type[Canvas]:
    """A canvas that holds each page back until the end, so it can print 'Page n of m'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _page_furniture(self, frame, number, pages)
                super().showPage()
            super().save()

    return NumberedCanvas


class _Document(SimpleDocTemplate):
    """Reports progress as flowables are laid out; Cancelled from the callback stops the build."""

    def __init__(self, *args: Any, progress: Progress | None, total: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._progress = progress
        self._total = max(total, 1)
        self._done = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        self._done += 1
        if self._done % 5 == 0:
            report(self._progress, self._done / self._total, "Laying out the pages")


@dataclass(frozen=True)
class BuiltPdf:
    """A report written: where, and how many pages."""

    path: Path
    pages: int


def pdf_bytes(
    frame: ReportFrame, story: Sequence[Flowable], progress: Progress | None = None
) -> bytes:
    """The PDF of `story` in the report frame, as bytes (deterministic for the same input)."""
    return _lay_out(frame, story, progress)[0]


def _lay_out(
    frame: ReportFrame, story: Sequence[Flowable], progress: Progress | None
) -> tuple[bytes, int]:
    register_fonts()
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        progress=progress,
        total=len(story),
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=frame.title,
        author="WasteWalk",
        subject=frame.subject or frame.filters,
        creator=PRODUCER,
        producer=PRODUCER,
        keywords="",
        invariant=1,
        lang="en-GB",
    )
    document.build(list(story), canvasmaker=_numbered_canvas(frame))
    return buffer.getvalue(), document.page


def build_pdf(
    path: Path,
    frame: ReportFrame,
    story: Sequence[Flowable],
    progress: Progress | None = None,
) -> BuiltPdf:
    """Lay out `story` and save it as `path`, all or nothing (ExportError in plain words)."""
    data, pages = _lay_out(frame, story, progress)
    report(progress, 1.0, "Saving the PDF")
    return BuiltPdf(write_file_atomically(path, data, "report"), pages)
