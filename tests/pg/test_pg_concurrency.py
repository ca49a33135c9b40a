"""Two programs at once on one shared PostgreSQL database: saving observations, validating the
same savings and importing the same pack leave one copy of every record and lose nothing."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from tests.conftest import child_environment
from wastewalk.models import Estimate, Observation
from wastewalk.services.actions import ActionInput, create_action
from wastewalk.services.demo import make_demo
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.pack_export import export_pack
from wastewalk.services.pack_import import import_log
from wastewalk.services.staff_rates import list_staff_rates
from wastewalk.services.walks import WalkInfo
from wastewalk.services.wastes import WasteCategoryInfo
from wastewalk.store.database import Database, open_database

CHILD = Path(__file__).with_name("concurrent_child.py")
START_LOCK = 727_001


def run_together(url: str, *jobs: list[str]) -> list[dict[str, object]]:
    """Start one child per job, let them all go at the same moment, return what each printed."""
    admin = create_engine(url)
    with admin.connect() as gate:
        gate.execute(text(f"SELECT pg_advisory_lock({START_LOCK})"))
        children = [
            subprocess.Popen(
                [sys.executable, str(CHILD), url, *job],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=child_environment(),
            )
            for job in jobs
        ]
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready", child.stderr
        gate.execute(text(f"SELECT pg_advisory_unlock({START_LOCK})"))
    admin.dispose()
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_programs_saving_observations_at_once_lose_nothing(
    pg_db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    category = str(categories["waiting"].id)
    first, second = run_together(
        pg_db.url,
        ["observe", str(walk.id), category, "Ward laptop", "60"],
        ["observe", str(walk.id), category, "Specialist", "60"],
    )
    saved = set(first["saved"]) | set(second["saved"])  # type: ignore[arg-type]
    assert len(saved) == 120
    with pg_db.session() as session:
        rows = session.execute(select(Observation.id, Observation.description)).all()
    assert {str(i) for i, _ in rows} == saved
    assert sorted(d for _, d in rows) == sorted(
        [f"Ward laptop {n}" for n in range(60)] + [f"Specialist {n}" for n in range(60)]
    )


def test_two_programs_validating_the_same_savings_validate_each_once(
    pg_db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    action_ids = []
    for n in range(25):
        seen = add_observation(
            pg_db,
            walk.id,
            ObservationInput(
                categories["motion"].id,
                f"Seen {n}",
                observed_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
            ),
        )
        action_ids.append(str(create_action(pg_db, [seen.id], ActionInput(f"Fix {n}")).id))
    rate = str(list_staff_rates(pg_db)[0].id)
    first, second = run_together(
        pg_db.url, ["validate", rate, *action_ids], ["validate", rate, *action_ids]
    )
    validated = [*first["validated"], *second["validated"]]  # type: ignore[misc]
    refused = [*first["refused"], *second["refused"]]  # type: ignore[misc]
    assert sorted(validated) == sorted(action_ids)  # each exactly once, by one or the other
    assert sorted(refused) == sorted(action_ids)  # and refused (locked) to the other
    with pg_db.session() as session:
        per_action = session.execute(
            select(Estimate.action_id, func.count())
            .where(Estimate.kind == "validated", Estimate.deleted_at.is_(None))
            .group_by(Estimate.action_id)
        ).all()
    assert len(per_action) == 25
    assert {count for _, count in per_action} == {1}


def test_two_programs_pricing_the_same_observations_at_once_save_one_estimate_each(
    pg_db: Database, walk: WalkInfo, categories: dict[str, WasteCategoryInfo]
) -> None:
    seen = [
        str(
            add_observation(
                pg_db,
                walk.id,
                ObservationInput(
                    categories["waiting"].id,
                    f"Waiting {n}",
                    observed_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
                ),
            ).id
        )
        for n in range(25)
    ]
    rate = str(list_staff_rates(pg_db)[0].id)
    run_together(pg_db.url, ["price", rate, "10", *seen], ["price", rate, "20", *seen])
    with pg_db.session() as session:
        live = session.execute(
            select(Estimate.observation_id, Estimate.minutes_centi).where(
                Estimate.kind == "opportunity", Estimate.deleted_at.is_(None)
            )
        ).all()
    # One estimate per observation (its cost counted once), holding one program's minutes or
    # the other's: whichever saved last.
    assert sorted(str(o) for o, _ in live) == sorted(seen)
    assert {minutes for _, minutes in live} <= {1000, 2000}


def test_two_programs_importing_the_same_pack_at_once_make_one_copy(
    pg_db: Database, tmp_path: Path
) -> None:
    laptop = open_database(str(tmp_path / "laptop.sqlite"))
    make_demo(laptop, seed=3, today=dt.date(2026, 10, 1))
    export_pack(laptop, tmp_path / "laptop.wwpack")
    with laptop.session() as session:
        on_laptop = session.scalar(select(func.count()).select_from(Observation))
    laptop.close()
    first, second = run_together(
        pg_db.url,
        ["import", str(tmp_path / "laptop.wwpack")],
        ["import", str(tmp_path / "laptop.wwpack")],
    )
    # One import took everything; the other, waiting for it, found it all already there.
    assert sorted([first["new"], second["new"]]) == [0, max(first["new"], second["new"])]  # type: ignore[type-var]
    with pg_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Observation)) == on_laptop
    assert len(import_log(pg_db)) == 2
