"""Child process for test_pack_kill.py: a pack import the power cuts off half-way.

    python pack_kill_child.py DB_PATH PACK_PATH

Imports the pack. Each time the import reports "Writing the pack's records" (before each batch of
rows it writes, inside its one transaction) it prints "writing" and waits for a line on stdin: the
parent answers "go" to let it write on, or kills it with SIGKILL there, mid-transaction. Prints
"done" once the import has returned (committed).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    from wastewalk.services.pack_import import import_pack
    from wastewalk.store.database import open_database

    db = open_database(sys.argv[1])

    def progress(fraction: float, words: str) -> None:
        if words == "Writing the pack's records":
            print("writing", flush=True)
            if sys.stdin.readline().strip() != "go":
                raise SystemExit(3)

    import_pack(db, Path(sys.argv[2]), progress)
    db.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
