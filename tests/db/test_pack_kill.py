"""A SIGKILL in the middle of a pack import leaves the database exactly as it was before.

A child process (pack_kill_child.py) imports the demo pack and stops before each batch it writes
until the parent says "go". The parent lets a random number of batches be written inside the
import's one transaction, then kills the child with SIGKILL. Afterwards the file passes a full
integrity check and dumps exactly as before. Finally a child left to finish imports it all.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import child_environment
from tests.db.pack_helpers import demo_laptop, dump, laptop, records
from wastewalk.services.pack_export import export_pack
from wastewalk.store.database import integrity_report, open_database

CHILD = Path(__file__).with_name("pack_kill_child.py")
KILLS = 4


def run_child(db_path: Path, pack: Path, batches: int | None) -> int:
    """Let the child write `batches` batches then SIGKILL it (None: let it finish); returns how
    many batches it had announced."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(db_path), str(pack)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_environment(),
        text=True,
        encoding="utf-8",
    )
    assert child.stdin is not None
    assert child.stdout is not None
    announced = 0
    try:
        for line in child.stdout:
            if line.strip() == "done":
                break
            assert line.strip() == "writing", line
            announced += 1
            if batches is not None and announced > batches:
                child.send_signal(signal.SIGKILL)  # mid-transaction, batches already written
                break
            child.stdin.write("go\n")
            child.stdin.flush()
    finally:
        if batches is not None:
            child.kill()
        _, stderr = child.communicate(timeout=120)
    if batches is None:
        assert child.returncode == 0, stderr
    else:
        assert child.returncode == -signal.SIGKILL, stderr
    return announced


def test_sigkill_during_import_changes_nothing(tmp_path: Path) -> None:
    ward = demo_laptop(tmp_path, "ward", 1)
    pack = tmp_path / "ward.wwpack"
    export_pack(ward, pack)
    db_path = tmp_path / "compiled.sqlite"
    laptop(db_path, "compiled").close()
    before = dump(db_path)
    rng = random.Random(7)
    total = run_child(tmp_path / "probe.sqlite", pack, None)  # how many batches an import has
    assert total > 5
    for batches in sorted(rng.sample(range(1, total), KILLS)):
        assert run_child(db_path, pack, batches) == batches + 1
        db = open_database(str(db_path))
        assert integrity_report(db) == []
        db.close()
        assert dump(db_path) == before
    run_child(db_path, pack, None)
    compiled = open_database(str(db_path))
    assert records(compiled) == records(ward)
    compiled.close()
    ward.close()
