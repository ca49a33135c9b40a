"""Make tests/db/fixtures/schema_0003.sqlite: a real database written by the 0003 release.

It starts from the released 0002 file (so it holds the 0001 walk with its photo, the 0002 time
study and activity follow, upgraded as a laptop would have upgraded them), then adds, with the 0003
release's own services, a local staff rate, an opportunity estimate on every live observation of the
Ward 7 walk, and two actions: one open with an expected saving, one validated (and so locked) with
its history. The file is committed and never regenerated; test_migrations.py checks every record
survives the upgrade to whatever head is then.

    .venv/bin/python tests/db/make_schema_fixture_0003.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

REVISION = "0003"
HERE = Path(__file__).resolve().parent
SOURCE = HERE / "fixtures" / "schema_0002.sqlite"
OUT = HERE / "fixtures" / f"schema_{REVISION}.sqlite"

LOCAL_RATE = "ward-clerk"
# minutes, staff, occurrences a day, rate code, for the walk's observations, newest first
ESTIMATES = [
    (Decimal(15), Decimal(1), Decimal(2), "doctor-fy1"),
    (Decimal(4), Decimal(1), Decimal(6), "hca-band-2"),
    (Decimal(20), Decimal(2), Decimal(3), "nurse-band-5"),
]


def main() -> None:
    try:
        import wastewalk  # noqa: F401 - installed, or on PYTHONPATH
    except ImportError:
        sys.path.insert(0, str(HERE.parent.parent))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["WASTEWALK_DATA_DIR"] = str(Path(scratch) / "data")
        from wastewalk.services.actions import (
            ActionInput,
            create_action,
            set_expected_saving,
            validate_saving,
        )
        from wastewalk.services.estimates import EstimateInput, set_observation_estimate
        from wastewalk.services.observations import list_observations
        from wastewalk.services.staff_rates import (
            StaffRateInput,
            add_staff_rate,
            list_staff_rates,
        )
        from wastewalk.services.walks import list_walks
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
            add_staff_rate(
                db,
                StaffRateInput(
                    code=LOCAL_RATE,
                    staff_group="Ward clerk, band 3",
                    cost_per_hour_pence=1900,
                    band="3",
                    basis="local finance figure incl. on-costs",
                    source="Trust finance, March 2026",
                    year="2025/26",
                ),
            )
            rates = {r.code: r.id for r in list_staff_rates(db)}
            [walk_id] = [w.id for w in list_walks(db) if w.focus == "Discharge before noon"]
            observations = list_observations(db, walk_id)
            for obs, (minutes, staff, times, code) in zip(observations, ESTIMATES, strict=True):
                set_observation_estimate(
                    db,
                    obs.id,
                    EstimateInput(
                        minutes=minutes,
                        staff_count=staff,
                        staff_rate_id=rates[code],
                        occurrences=times,
                    ),
                )
            defects, motion, _ = observations
            gloves = create_action(
                db,
                [motion.id],
                ActionInput(
                    title="Glove dispensers in every bay",
                    owner="Sam Patel",
                    due_date=dt.date(2026, 4, 30),
                    notes="order from supplies",
                ),
            )
            set_expected_saving(
                db,
                gloves.id,
                EstimateInput(
                    minutes=Decimal(4),
                    staff_rate_id=rates["hca-band-2"],
                    occurrences=Decimal(5),
                    consumables_pence=1500,
                ),
            )
            letters = create_action(
                db,
                [defects.id],
                ActionInput(title="GP details checked at clerking", owner="Jo Evans"),
            )
            set_expected_saving(
                db,
                letters.id,
                EstimateInput(
                    minutes=Decimal(10),
                    staff_rate_id=rates[LOCAL_RATE],
                    occurrences=Decimal(2),
                ),
            )
            validate_saving(
                db,
                letters.id,
                EstimateInput(
                    minutes=Decimal(8),
                    staff_rate_id=rates[LOCAL_RATE],
                    occurrences=Decimal(2),
                    cash_releasing=True,
                    basis="agency clerk hours cut",
                ),
                "Alex Morgan",
            )
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
