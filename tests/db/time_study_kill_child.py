"""Child process for test_time_study_durability.py: an observer timing laps until the power dies.

    python time_study_kill_child.py DB_PATH AREA_ID

Opens the database, opens the study "Kill test" (or sets it up, with three elements, if it is not
there yet) and prints "study <hex id>". It then goes on from where the saved readings stop, as a
reopened study does, and saves laps one after another through
services.time_study_readings.record_reading, printing "reading CYCLE ORDER SECONDS" (SECONDS as
Python's repr, or NP for a step marked not performed) and flushing as soon as each call has
returned. Every line printed is a reading the program told the observer was saved; the parent
kills this process with SIGKILL at a random moment and checks each one is in the file.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid

STUDY_NAME = "Kill test"
ELEMENTS = ("Check wristband", "Give medicine", "Sign chart")
# Stop on its own after this many saves, so a child the parent failed to kill cannot run for ever.
MAX_SAVES = 3_000


def seconds_for(cycle: int, order: int) -> float | None:
    """The lap time saved for a cell: varied, with a fraction; every 11th cell not performed."""
    if (cycle * len(ELEMENTS) + order) % 11 == 0:
        return None
    return 1 + ((cycle * 7 + order * 13) % 97) / 8


def main() -> None:
    from wastewalk.domain.errors import NotFoundError
    from wastewalk.services.time_studies import (
        ElementInput,
        StudyInput,
        create_study,
        find_study,
        list_readings,
        next_position,
    )
    from wastewalk.services.time_study_readings import record_reading
    from wastewalk.store.database import open_database

    db_path, area_id = sys.argv[1], uuid.UUID(sys.argv[2])
    db = open_database(db_path)
    try:
        study = find_study(db, STUDY_NAME)
    except NotFoundError:
        study = create_study(
            db,
            StudyInput(
                name=STUDY_NAME,
                area_id=area_id,
                study_date=dt.date(2026, 11, 24),
                elements=tuple(ElementInput(name) for name in ELEMENTS),
            ),
        )
    print("study", study.id.hex, flush=True)
    count = len(study.elements)
    position = next_position(list_readings(db, study.id), count)
    cycle, order = position.cycle, position.element_order
    for _ in range(MAX_SAVES):
        seconds = seconds_for(cycle, order)
        record_reading(db, study.id, study.elements[order - 1].id, cycle, seconds)
        print("reading", cycle, order, "NP" if seconds is None else repr(seconds), flush=True)
        cycle, order = (cycle + 1, 1) if order == count else (cycle, order + 1)
    db.close()


if __name__ == "__main__":
    main()
