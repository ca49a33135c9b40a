"""Make tests/db/fixtures/schema_0001.sqlite: a small real database written by schema 0001.

Run once, when revision 0001 was the released schema, with the program's own services, so the file
is exactly what a ward laptop of that release holds. The file is committed and never regenerated:
when a later revision ships, copy this script to make_schema_<rev>.py for that release instead.
test_migrations.py holds the same expectations (EXPECTED_*) and checks every record survives the
upgrade to whatever head is then.

    .venv/bin/python tests/db/make_schema_fixture.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

REVISION = "0001"
HERE = Path(__file__).resolve().parent
OUT = HERE / "fixtures" / f"schema_{REVISION}.sqlite"

CSU = "Medicine"
AREAS = [("Ward 7", "ward", 365), ("Diabetes clinic", "clinic", 253)]
WALK_START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
WALK_END = dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC)
FOCUS = "Discharge before noon"
PARTICIPANTS = [("Sam Patel", "staff"), ("Jo Evans", "quality_partner")]
OBSERVATIONS = [
    # code, description, location, minutes after the walk starts, impact, ease, domains
    (
        "waiting",
        "TTO medicines waited 3 hours for pharmacy",
        "nurses' station",
        5,
        4,
        2,
        "delivery",
    ),
    ("motion", "Walked to bay 3 sluice twice for gloves", "bay 3 sluice", 12, 2, 5, "morale"),
    (
        "defects",
        "Discharge letter missing <b>&</b> GP details",
        "doctors' office",
        20,
        5,
        3,
        "quality",
    ),
]
PHOTO_NAME = "sluice.png"


def photo_png() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (0, 94, 184))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    try:
        import wastewalk  # noqa: F401 - installed, or on PYTHONPATH
    except ImportError:
        sys.path.insert(0, str(HERE.parent.parent))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["WASTEWALK_DATA_DIR"] = str(Path(scratch) / "data")
        from wastewalk.services.observations import ObservationInput, add_observation
        from wastewalk.services.organisation import create_area, create_csu
        from wastewalk.services.photos import attach_photo
        from wastewalk.services.walks import ParticipantInput, complete_walk, start_walk
        from wastewalk.services.wastes import list_categories
        from wastewalk.store import migrations
        from wastewalk.store.database import open_database

        if migrations.head_revision() != REVISION:
            raise SystemExit(
                f"head is {migrations.head_revision()}, not {REVISION}: this fixture belongs to "
                "an older release and must not be regenerated"
            )
        target = Path(scratch) / OUT.name
        db = open_database(str(target))
        try:
            categories = {c.code: c.id for c in list_categories(db)}
            csu = create_csu(db, CSU)
            areas = [
                create_area(db, csu.id, name, kind=kind, operating_days_per_year=days)
                for name, kind, days in AREAS
            ]
            walk = start_walk(
                db,
                areas[0].id,
                focus=FOCUS,
                started_at=WALK_START,
                participants=[ParticipantInput(name, role) for name, role in PARTICIPANTS],
            )
            first = None
            for code, description, location, minutes, impact, ease, domain in OBSERVATIONS:
                saved = add_observation(
                    db,
                    walk.id,
                    ObservationInput(
                        categories[code],
                        description,
                        location=location,
                        observed_at=WALK_START + dt.timedelta(minutes=minutes),
                        impact=impact,
                        ease=ease,
                        domains=frozenset({domain}),
                    ),
                )
                first = first or saved
            assert first is not None
            attach_photo(db, first.id, PHOTO_NAME, photo_png())
            complete_walk(db, walk.id, WALK_END)
        finally:
            db.close()
        conn = sqlite3.connect(target)
        try:
            # One self-contained, compact file.
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("VACUUM")
        finally:
            conn.close()
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_bytes(target.read_bytes())
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
