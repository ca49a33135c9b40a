"""Child process for test_durability.py: a ward laptop saving observations until its power dies.

    python durability_child.py DB_PATH AREA_ID

Opens the database, starts a walk and prints "walk <hex id>", then saves observations one after
another, printing "obs <hex id>" (and flushing) as soon as each save has returned. Every id printed
is therefore a save the program told the user was done; the parent kills this process with SIGKILL
at a random moment and checks that each printed id is in the file.
"""

from __future__ import annotations

import sys
import uuid

# Stop on its own after this many saves, so a child the parent failed to kill cannot run for ever.
MAX_SAVES = 5_000


def main() -> None:
    from wastewalk.services.observations import ObservationInput, add_observation
    from wastewalk.services.walks import start_walk
    from wastewalk.services.wastes import list_categories
    from wastewalk.store.database import open_database

    db_path, area_id = sys.argv[1], uuid.UUID(sys.argv[2])
    db = open_database(db_path)
    categories = [c.id for c in list_categories(db)]
    walk = start_walk(db, area_id, focus="Durability: saves survive a kill")
    print("walk", walk.id.hex, flush=True)
    for number in range(MAX_SAVES):
        saved = add_observation(
            db,
            walk.id,
            ObservationInput(
                category_id=categories[number % len(categories)],
                description=f"Observation {number}: waited for a porter, bay {number % 6 + 1}",
                location="bay 3 sluice",
                impact=number % 5 + 1,
                domains=frozenset({"delivery"}),
            ),
        )
        print("obs", saved.id.hex, flush=True)
    db.close()


if __name__ == "__main__":
    main()
