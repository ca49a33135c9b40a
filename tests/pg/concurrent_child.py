"""One of two programs working on the same shared database at the same time (see
test_pg_concurrency.py). It says "ready", waits for the test to let both go at once (an advisory
lock the test holds), does its work and prints what happened as JSON.

    python concurrent_child.py URL observe WALK_ID CATEGORY_ID NAME COUNT
    python concurrent_child.py URL validate RATE_ID ACTION_ID...
    python concurrent_child.py URL price RATE_ID MINUTES OBSERVATION_ID...
    python concurrent_child.py URL import PACK
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text

from wastewalk.domain.errors import InputError
from wastewalk.store.database import open_database

START_LOCK = 727_001


def wait_for_the_start(url: str) -> None:
    """Say ready, then block until the test releases the start lock."""
    engine = create_engine(url)
    with engine.connect() as connection:
        print("ready", flush=True)
        connection.execute(text(f"SELECT pg_advisory_lock_shared({START_LOCK})"))
        connection.execute(text(f"SELECT pg_advisory_unlock_shared({START_LOCK})"))
    engine.dispose()


def main(url: str, mode: str, args: list[str]) -> dict[str, object]:
    db = open_database(url)
    wait_for_the_start(url)
    try:
        if mode == "observe":
            from wastewalk.services.observations import ObservationInput, add_observation

            walk_id, category_id, name, count = args
            seen = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
            ids = [
                str(
                    add_observation(
                        db,
                        uuid.UUID(walk_id),
                        ObservationInput(uuid.UUID(category_id), f"{name} {n}", observed_at=seen),
                    ).id
                )
                for n in range(int(count))
            ]
            return {"saved": ids}
        if mode == "validate":
            from wastewalk.services.actions import validate_saving
            from wastewalk.services.estimates import EstimateInput

            rate_id, *action_ids = args
            data = EstimateInput(
                staff_rate_id=uuid.UUID(rate_id),
                minutes=Decimal(10),
                occurrences=Decimal(1),
            )
            validated, refused = [], []
            for action_id in action_ids:
                try:
                    validate_saving(db, uuid.UUID(action_id), data, "Finance")
                    validated.append(action_id)
                except InputError:
                    refused.append(action_id)
            return {"validated": validated, "refused": refused}
        if mode == "price":
            from wastewalk.services.estimates import EstimateInput, set_observation_estimate

            rate_id, minutes, *observation_ids = args
            data = EstimateInput(
                staff_rate_id=uuid.UUID(rate_id),
                minutes=Decimal(minutes),
                occurrences=Decimal(1),
            )
            for observation_id in observation_ids:
                set_observation_estimate(db, uuid.UUID(observation_id), data)
            return {"priced": observation_ids}
        if mode == "import":
            from wastewalk.services.pack_import import import_pack

            result = import_pack(db, Path(args[0]))
            return {"new": result.preview.new, "identical": result.preview.identical}
        raise SystemExit(f"unknown mode {mode}")
    finally:
        db.close()


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3:])), flush=True)
