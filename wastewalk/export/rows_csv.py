"""What the entity CSV files share: counting rows and reporting progress, and cells made fast.

The entity files (walks, observations, actions, readings, elements, activity) build `prepared`
rows (see csv_writer.CsvTable): every text cell a person typed goes through `safe_text` here, and
numbers are written as plain numbers in text form.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from wastewalk.domain.progress import Progress, report
from wastewalk.export.csv_writer import safe_text
from wastewalk.services.stored_values import Place

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
YES_NO = ("N", "Y")  # indexed by a bool (or SQLite's 0/1): YES_NO[True] == "Y"
REPORT_EVERY = 5000  # rows between progress reports
PLACE_HEADER = ("area_id", "area", "csu_id", "csu", "trust_id", "trust")


_FIXED = {places: (10**places, f"{{}}.{{:0{places}d}}".format) for places in (1, 2, 3, 4, 6)}


def fixed(scaled: int, places: int) -> str:
    """A whole number of hundredths (places=2), thousandths (3)... as exact decimal text:
    fixed(967250, 2) -> '9672.50', fixed(1825000, 4) -> '182.5000', fixed(-5, 2) -> '-0.05'."""
    if scaled < 0:
        return "-" + fixed(-scaled, places)
    unit, form = _FIXED[places]
    return form(scaled // unit, scaled % unit)


def pounds(pence: int) -> str:
    """Whole pence as pounds with two decimals and no symbol: 967250 -> '9672.50'."""
    return fixed(pence, 2)


def pounds_or_blank(pence: int | None) -> str:
    """pounds(), or '' where there is no figure."""
    return "" if pence is None else pounds(pence)


def decimal_text(value: float | None, places: int) -> str:
    """A float rounded to `places` decimals as the window and the command line print it."""
    return "" if value is None else f"{value:.{places}f}"


def plain_number(value: float | None) -> str:
    """A float in its shortest exact form without a trailing '.0': 112.5, 100, 0.25."""
    if value is None:
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def date_text(value: dt.date | None) -> str:
    """A date as YYYY-MM-DD, or ''."""
    return "" if value is None else value.isoformat()


def place_cells(place: Place) -> tuple[str, ...]:
    """The six place cells (PLACE_HEADER), names made safe."""
    return (
        place.area_id,
        safe_text(place.area),
        place.csu_id,
        safe_text(place.csu),
        place.trust_id,
        safe_text(place.trust),
    )


def safe_places(places: dict[object, Place]) -> dict[object, tuple[str, ...]]:
    """place_cells for every area, worked out once per area, not once per row."""
    return {area_id: place_cells(place) for area_id, place in places.items()}


@dataclass
class Tally:
    """Rows written to each file of one export, with progress reported as the rows go by.

    `files` are the names in the order they are written; progress runs from 0 to 1 across them.
    The caller may raise Cancelled from the progress callback: it passes out of the writing, and
    csv_writer removes every unfinished file.
    """

    progress: Progress | None
    files: Sequence[str]
    rows: dict[str, int] = field(default_factory=dict)
    redacted: dict[str, int] = field(default_factory=dict)  # rows with NHS numbers taken out

    def counted(
        self, name: str, rows: Iterable[_T], expected: Callable[[], int] | None = None
    ) -> Iterator[_T]:
        """`rows`, counted under `name`; `expected` (only called when progress is wanted) says
        how many there will be, so the bar moves within a big file."""
        index = self.files.index(name) if name in self.files else 0
        share = 1 / max(len(self.files), 1)
        total = expected() if expected is not None and self.progress is not None else 0
        report(self.progress, index * share, f"Writing {name}")
        count = 0
        for row in rows:
            count += 1
            if count % REPORT_EVERY == 0 and self.progress is not None:
                done = min(count / total, 1.0) if total else 0.0
                report(self.progress, (index + done) * share, f"Writing {name}: {count:,} rows")
            yield row
        self.rows[name] = count
        report(self.progress, (index + 1) * share, f"Wrote {name}: {count:,} rows")
