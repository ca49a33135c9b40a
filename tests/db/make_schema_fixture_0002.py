"""Make tests/db/fixtures/schema_0002.sqlite: a real database written by the 0002 release.

It starts from the released 0001 file (so it holds that laptop's walk too, upgraded as a laptop
would have upgraded it), then adds, with the 0002 release's own services, a time study with valid,
excluded and not-performed readings and an activity follow with a waste-tagged segment. The file is
committed and never regenerated; test_migrations.py checks every record survives the upgrade to
whatever head is then.

    .venv/bin/python tests/db/make_schema_fixture_0002.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

REVISION = "0002"
HERE = Path(__file__).resolve().parent
SOURCE = HERE / "fixtures" / "schema_0001.sqlite"
OUT = HERE / "fixtures" / f"schema_{REVISION}.sqlite"

STUDY = "Drug round, Ward 7, 3 Mar 2026"
STUDY_DAY = dt.date(2026, 3, 3)
# name, value class, rating, readings by cycle (None: not performed; negative: excluded)
ELEMENTS = [
    ("Check chart", "nnva", 100.0, [8.0, 9.0, 8.0, 11.0, 7.0]),
    ("Prepare dose", "va", 110.0, [36.0, 41.0, -99.0, 35.0, 39.0]),
    ("Look for missing drug", "waste", 100.0, [None, 62.5, None, None, 48.0]),
]
FOLLOW_START = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)
# activity code, seconds from the start at which it begins; the follow ends at 1800 s
SEGMENTS = [("direct_care", 0), ("documentation", 600), ("transit", 900), ("direct_care", 1080)]
FOLLOW_END_S = 1800.0
INTERRUPTIONS_S = [300.0, 1200.0, 1500.0]


def main() -> None:
    try:
        import wastewalk  # noqa: F401 - installed, or on PYTHONPATH
    except ImportError:
        sys.path.insert(0, str(HERE.parent.parent))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["WASTEWALK_DATA_DIR"] = str(Path(scratch) / "data")
        from wastewalk.services.activity_categories import list_activity_categories
        from wastewalk.services.activity_follow_waste import tag_segment_waste
        from wastewalk.services.activity_follows import (
            end_follow,
            record_interruption,
            start_follow,
            switch_activity,
        )
        from wastewalk.services.organisation import list_areas
        from wastewalk.services.time_studies import ElementInput, StudyInput, create_study
        from wastewalk.services.time_study_readings import exclude_reading, record_reading
        from wastewalk.store import migrations
        from wastewalk.store.database import open_database

        if migrations.head_revision() != REVISION:
            raise SystemExit(
                f"head is {migrations.head_revision()}, not {REVISION}: this fixture belongs to "
                "an older release and must not be regenerated"
            )
        target = Path(scratch) / OUT.name
        shutil.copyfile(SOURCE, target)
        db = open_database(str(target), daily_backup=False)
        try:
            ward = next(a for a in list_areas(db) if a.name == "Ward 7")
            study = create_study(
                db,
                StudyInput(
                    name=STUDY,
                    area_id=ward.id,
                    study_date=STUDY_DAY,
                    process="Morning drug round",
                    observer="Jo Evans",
                    elements=tuple(
                        ElementInput(name, cls, rating, "motion" if cls == "waste" else None)
                        for name, cls, rating, _ in ELEMENTS
                    ),
                    allowance_pct=15.0,
                    allowance_basis="workday",
                    available_minutes=420.0,
                    demand=40.0,
                ),
            )
            for cycle in range(1, 6):
                for element, (_, _, _, readings) in zip(study.elements, ELEMENTS, strict=True):
                    value = readings[cycle - 1]
                    saved = record_reading(
                        db, study.id, element.id, cycle, abs(value) if value else None
                    )
                    if value is not None and value < 0:
                        exclude_reading(db, saved.id, "Called to a patient")
            acts = {c.code: c.id for c in list_activity_categories(db)}
            follow = start_follow(
                db, ward.id, staff_role="Staff nurse", observer="Jo Evans", started_at=FOLLOW_START
            )
            # Events in the order they happened, as the follow screen records them.
            events = sorted(
                [(float(at), code) for code, at in SEGMENTS]
                + [(at, None) for at in INTERRUPTIONS_S],
                key=lambda event: event[0],
            )
            segments = []
            for at, code in events:
                if code is None:
                    record_interruption(db, follow.id, at)
                else:
                    segments.append(switch_activity(db, follow.id, acts[code], at))
            end_follow(db, follow.id, FOLLOW_END_S)
            tag_segment_waste(db, segments[2].id, "motion", "to pharmacy for a missing drug")
        finally:
            db.close()
        conn = sqlite3.connect(target)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("VACUUM")
        finally:
            conn.close()
        OUT.write_bytes(target.read_bytes())
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
