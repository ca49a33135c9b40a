"""observations.csv: one row per live observation, oldest first (column dictionary: docs/csv.md).

Built for size: a trust's quarter of a million observations stream from one query (values as
stored, see services.stored_values) into `prepared` rows, with places, wastes, walk ids and UK days
looked up in small caches rather than joined or converted on every row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from wastewalk.domain.nhs_number import redact_nhs_numbers
from wastewalk.export.csv_writer import Cell, CsvTable, safe_text
from wastewalk.export.rows_csv import PLACE_HEADER, YES_NO, Tally, pounds, safe_places
from wastewalk.services.data_filter import DataFilter
from wastewalk.services.stored_values import Times, count_rows, id_text, places
from wastewalk.services.walk_rows import (
    observation_query,
    observation_rows,
    photo_counts,
    waste_names,
)

logger = logging.getLogger(__name__)

OBSERVATIONS = "observations.csv"
OBSERVATIONS_HEADER = (
    "observation_id",
    "walk_id",
    *PLACE_HEADER,
    "observed_on",
    "observed_at",
    "waste_code",
    "waste",
    "description",
    "location",
    "frequency",
    "impact",
    "ease",
    "domain_quality",
    "domain_delivery",
    "domain_service",
    "domain_morale",
    "domain_cost",
    "countermeasure",
    "nhs_number_check",
    "photos",
    "estimate_id",
    "opportunity_gbp",
    "opportunity_cash_releasing",
)


def observations_table(session: Session, flt: DataFilter, tally: Tally) -> CsvTable:
    """observations.csv for the filter. Rows whose text may hold an NHS number that nobody has
    redacted or confirmed have the suspected numbers taken out; `tally.redacted` counts them."""
    rows = _rows(session, flt, tally)
    counted = tally.counted(OBSERVATIONS, rows, lambda: count_rows(session, observation_query(flt)))
    return CsvTable(OBSERVATIONS_HEADER, counted, prepared=True)


def _redacted(text: str) -> str:
    return safe_text(redact_nhs_numbers(text))


def _rows(session: Session, flt: DataFilter, tally: Tally) -> Iterator[tuple[Cell, ...]]:
    place_of = safe_places(places(session))
    wastes = {key: tuple(map(safe_text, names)) for key, names in waste_names(session).items()}
    photos = photo_counts(session)
    walk_ids: dict[Any, str] = {}
    times = Times()
    uk_day, utc_text, safe = times.uk_day, times.utc_text, safe_text
    yes_no = YES_NO
    redacted = 0
    for row in observation_rows(session, flt):
        (oid, wid, area_id, category_id, seen, description, location, frequency, impact, ease,
         quality, delivery, service, morale, cost, countermeasure, review, estimate_id, pence,
         cash) = row  # fmt: skip
        walk_id = walk_ids.get(wid)
        if walk_id is None:
            walk_id = walk_ids[wid] = id_text(wid)
        clean = _redacted if review else safe
        if review:
            redacted += 1
        yield (
            id_text(oid),
            walk_id,
            *place_of[area_id],
            uk_day(seen),
            utc_text(seen),
            *wastes[category_id],
            clean(description),
            clean(location),
            clean(frequency),
            impact,
            ease,
            yes_no[quality],
            yes_no[delivery],
            yes_no[service],
            yes_no[morale],
            yes_no[cost],
            clean(countermeasure),
            yes_no[bool(review)],
            photos.get(oid, 0),
            "" if estimate_id is None else id_text(estimate_id),
            "" if pence is None else pounds(pence),
            "" if cash is None else yes_no[cash],
        )
    tally.redacted[OBSERVATIONS] = redacted
