"""Fill a new WasteWalk database at trust scale, fast.

    python -m bench.generate OUT.sqlite [--seed N] [--csus 20 --areas 150 --walks 10000
                                         --observations 250000] [--force]

The file is made by `open_database`, so it has the real schema from the real migrations and the
eight seeded waste categories. The rows are then bulk-inserted with plain sqlite3, in one
transaction, storing every value exactly as SQLAlchemy does on SQLite (see bench.common). Then
the file is checked by opening it the app's way and reading through the services.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from bench.common import (
    OBSERVATION_COLUMNS,
    insert_sql,
    new_id,
    print_table,
    scratch_data_dir,
    stored_time,
)
from wastewalk.services import observations as observation_service
from wastewalk.services import walks as walk_service
from wastewalk.services import wastes as waste_service
from wastewalk.store.database import open_database

logger = logging.getLogger(__name__)

TRUST_NAME = "Northgate Teaching Hospitals NHS Foundation Trust"
CSU_NAMES = [
    "Medicine",
    "Surgery",
    "Emergency Care",
    "Women's and Children's",
    "Cardiothoracic",
    "Neurosciences",
    "Cancer Services",
    "Critical Care",
    "Theatres and Anaesthetics",
    "Musculoskeletal",
    "Renal and Urology",
    "Diagnostics and Imaging",
    "Pathology",
    "Older People's Medicine",
    "Specialist Medicine",
    "Pharmacy",
    "Therapies",
    "Outpatients",
    "Head and Neck",
    "Digestive Diseases",
]
WARD_NAMES = [
    "Ash", "Beech", "Birch", "Cedar", "Elm", "Hazel", "Holly", "Larch", "Maple", "Oak", "Rowan",
    "Willow", "Juniper", "Linden", "Aspen", "Alder", "Poplar", "Yew", "Hawthorn", "Chestnut",
]  # fmt: skip
CLINIC_NAMES = ["Outpatient Clinic", "Day Case Unit", "Pre-assessment Clinic", "Nurse-led Clinic"]
DEPARTMENT_NAMES = ["Assessment Unit", "Discharge Lounge", "Treatment Centre", "Day Unit"]

FIRST_NAMES = [
    "Amina", "Ben", "Chloe", "Dev", "Ellen", "Femi", "Grace", "Harry", "Isla", "Jamal", "Kate",
    "Liam", "Maya", "Niall", "Olu", "Priya", "Rhys", "Sana", "Tom", "Uzma", "Zoe", "Owen",
]  # fmt: skip
SURNAMES = [
    "Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fraser", "Gupta", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Roberts", "Smith", "Taylor", "Walsh",
]  # fmt: skip
ROLES = ["staff", "staff", "staff", "quality_partner", "improvement_specialist", "manager"]
FOCUSES = [
    "",
    "Discharge before noon",
    "Medicines round",
    "Stock and supplies",
    "Shift handover",
    "Admissions",
    "Patient flow",
    "Equipment",
    "Outpatient waits",
    "Specimens and results",
]
NOTES = ["", "", "", "", "Busy shift, two staff short.", "Quality Partner joined for the hour."]

# Per waste: what happened, to what, and when; combined at random into believable short texts.
PHRASES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "transport": (
        ["Porter took", "Nurse carried", "HCA walked", "Staff moved"],
        ["specimens to the lab by hand", "notes between wards", "a patient to X-ray and back",
         "the spare drip stand across the unit", "a bed to the far end of the corridor"],
        ["twice in one hour.", "because the tube system was down.", "at the start of the shift.",
         "for one signature.", "."],
    ),
    "inventory": (
        ["Found", "Store room holds", "Counted", "Cupboard full of"],
        ["expired dressing packs", "three months of cannulas", "duplicate stock of gloves",
         "out-of-date IV fluids", "a backlog of discharge letters"],
        ["in the clean utility.", "behind the newer stock.", "ordered by two people.",
         "nobody knew about.", "."],
    ),
    "motion": (
        ["Nurse walked to the far store for", "HCA searched three cupboards for",
         "Staff left the bay to fetch", "Nurse bent to the bottom shelf for", "Doctor looked for"],
        ["a blood glucose meter", "dressing packs", "the bladder scanner", "gloves",
         "the drug keys", "a working thermometer"],
        ["during the drug round.", "at handover.", "while the patient waited.",
         "on the night shift.", "."],
    ),
    "waiting": (
        ["Patient waited", "Nurse waited", "Bed stood empty", "Family waited",
         "Porter waited"],
        ["for medicines to take home", "for blood results", "for cleaning",
         "for a doctor to review", "for transport"],
        ["for over two hours.", "since the morning.", "before discharge.", "all afternoon.",
         "."],
    ),
    "overproduction": (
        ["Printed", "Prepared", "Requested", "Made up"],
        ["observation charts nobody reads", "a full blood count 'just in case'",
         "admission packs not needed", "extra IV lines", "handover sheets twice"],
        ["every shift.", "for every patient.", "before the ward round.", "out of habit.", "."],
    ),
    "overprocessing": (
        ["The same question was asked", "Allergies were recorded", "Weight was documented",
         "Discharge details were typed"],
        ["three times", "on paper and on screen", "by nurse and doctor separately",
         "in two different systems"],
        ["on admission.", "for one patient.", "before theatre.", "at every transfer.", "."],
    ),
    "defects": (
        ["Missing", "Wrong", "Lost", "Illegible", "Incomplete"],
        ["drug chart", "specimen label", "referral form", "discharge summary",
         "consent form"],
        ["caused rework.", "delayed the round.", "had to be redone.", "was found at handover.",
         "."],
    ),
    "skills": (
        ["Band 6 nurse spent time", "Specialist nurse was", "HCA with phlebotomy training was",
         "Pharmacist spent time"],
        ["chasing beds", "filing paperwork", "answering the ward phone", "restocking shelves",
         "photocopying forms"],
        ["most of the morning.", "instead of clinical work.", "every day this week.",
         "while patients waited.", "."],
    ),
}  # fmt: skip
CATEGORY_WEIGHTS = {
    "transport": 10,
    "inventory": 12,
    "motion": 20,
    "waiting": 22,
    "overproduction": 8,
    "overprocessing": 12,
    "defects": 10,
    "skills": 6,
}
COUNTERMEASURES = [
    "Shadow board by the nurses' station",
    "Kanban cards for stock",
    "Move the kit into each bay",
    "Standard work for the round",
    "Ask pharmacy to start TTOs the day before",
    "One form instead of three",
    "Weekly stock check with a named owner",
]
LOCATIONS = [
    "bay 1", "bay 2", "bay 3", "bay 4", "bay 3 sluice", "side room 4", "nurses' station",
    "clean utility", "dirty utility", "treatment room", "corridor", "reception", "store room",
    "drug room", "discharge lounge", "day room", "kitchen", "",
]  # fmt: skip
FREQUENCIES = ["", "", "every shift", "daily", "several times a day", "weekly", "every patient"]
DOMAINS = ["quality", "delivery", "service", "morale", "cost"]


def generate(
    path: Path,
    *,
    seed: int = 1,
    csus: int = 20,
    areas: int = 150,
    walks: int = 10_000,
    observations: int = 250_000,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Make a new database at `path` filled with a trust's worth of made-up data; return counts.

    The same seed and `now` give the same data. `now` (default: the current time) is the end of
    the two years of walks. `path` must not exist yet.
    """
    if path.exists() and path.stat().st_size > 0:
        raise FileExistsError(f"{path} already exists; the generator only fills a new database")
    if csus < 1 or areas < csus or walks < 1 or observations < 0:
        raise ValueError("need at least one CSU, one area per CSU and one walk")
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)
    rng = random.Random(seed)

    db = open_database(str(path), daily_backup=False)
    db.close()

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # Speed over safety only while generating: a crash leaves a half-made file to delete.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")  # 256 MB: random UUID keys touch every page
        conn.execute("PRAGMA foreign_keys=ON")
        categories = dict(conn.execute("SELECT code, id FROM waste_category WHERE is_default"))
        conn.execute("BEGIN")
        _fill(conn, rng, now, categories, csus=csus, areas=areas, walks=walks, n_obs=observations)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode=WAL")  # back to the app's mode; it is stored in the file
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("trust", "csu", "area", "walk", "participant", "observation")
        }
    finally:
        conn.close()
    return counts


def _fill(
    conn: sqlite3.Connection,
    rng: random.Random,
    now: dt.datetime,
    categories: dict[str, str],
    *,
    csus: int,
    areas: int,
    walks: int,
    n_obs: int,
) -> None:
    devices = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(csus + 1)]
    setup_time = stored_time(now - dt.timedelta(days=740))
    trust_id = new_id(rng)
    conn.execute(
        "INSERT INTO trust (id, name, archived_at, created_at, updated_at, device_id) "
        "VALUES (?, ?, NULL, ?, ?, ?)",
        (trust_id, TRUST_NAME, setup_time, setup_time, devices[0]),
    )

    csu_rows = []
    for i in range(csus):
        name = CSU_NAMES[i % len(CSU_NAMES)] + (
            f" {i // len(CSU_NAMES) + 1}" if i >= len(CSU_NAMES) else ""
        )
        csu_rows.append((new_id(rng), trust_id, name, setup_time, setup_time, devices[0]))
    conn.executemany(
        insert_sql("csu", ("id", "trust_id", "name", "created_at", "updated_at", "device_id")),
        csu_rows,
    )

    # Each area belongs to a CSU (round robin) and is walked with that CSU's laptop.
    area_rows, area_device = [], []
    for i in range(areas):
        csu_index = i % csus
        roll = rng.random()
        if roll < 0.6:
            kind, days = "ward", 365
            name = f"Ward {i + 1} ({WARD_NAMES[i % len(WARD_NAMES)]})"
        elif roll < 0.85:
            kind, days = "clinic", 253
            name = f"{CLINIC_NAMES[i % len(CLINIC_NAMES)]} {i + 1}"
        else:
            kind, days = "department", rng.choice([253, 365])
            name = f"{DEPARTMENT_NAMES[i % len(DEPARTMENT_NAMES)]} {i + 1}"
        area_rows.append(
            (new_id(rng), csu_rows[csu_index][0], name, kind, days, setup_time, setup_time)
        )
        area_device.append(devices[csu_index + 1])
    conn.executemany(
        "INSERT INTO area (id, csu_id, name, kind, operating_days_per_year, created_at, "
        "updated_at, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row, area_device[i]) for i, row in enumerate(area_rows)],
    )

    # Walks: over the last two years, fewer at weekends, in working hours, oldest first.
    starts = sorted(_walk_start(rng, now) for _ in range(walks))
    walk_rows = []
    for start in starts:
        a = rng.randrange(areas)
        recent = now - start < dt.timedelta(days=1)
        forgotten = rng.random() < 0.01
        ended = None if recent or forgotten else start + dt.timedelta(minutes=rng.randint(20, 90))
        walk_rows.append(
            (
                new_id(rng),
                area_rows[a][0],
                start,
                ended,
                rng.choice(FOCUSES),
                "in_progress" if ended is None else "complete",
                rng.choice(NOTES),
                area_device[a],
            )
        )
    conn.executemany(
        "INSERT INTO walk (id, area_id, started_at, ended_at, focus, status, notes, created_at, "
        "updated_at, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                wid,
                aid,
                stored_time(start),
                stored_time(end) if end else None,
                focus,
                status,
                notes,
                stored_time(start),
                stored_time(end or start),
                device,
            )
            for wid, aid, start, end, focus, status, notes, device in walk_rows
        ),
    )
    conn.executemany(
        "INSERT INTO participant (id, walk_id, name, role, position, created_at, updated_at, "
        "device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        _participants(rng, walk_rows),
    )
    conn.executemany(
        insert_sql("observation", OBSERVATION_COLUMNS),
        _observations(rng, walk_rows, categories, n_obs, now),
    )


def describe(rng: random.Random, code: str) -> str:
    """A short made-up description of a waste, from the phrase bank."""
    what, thing, when = PHRASES[code]
    ending = rng.choice(when)
    return f"{rng.choice(what)} {rng.choice(thing)}" + (ending if ending == "." else f" {ending}")


def _walk_start(rng: random.Random, now: dt.datetime) -> dt.datetime:
    while True:
        day = now - dt.timedelta(days=rng.randrange(730))
        if day.weekday() >= 5 and rng.random() > 0.3:
            continue
        start = day.replace(hour=rng.randint(7, 16), minute=rng.randrange(60), second=0)
        if start < now - dt.timedelta(minutes=5):  # not later today
            return start.replace(microsecond=0)


def _participants(rng: random.Random, walk_rows: list[tuple]) -> Iterator[tuple]:
    for wid, _aid, start, _end, _focus, _status, _notes, device in walk_rows:
        when = stored_time(start)
        for position in range(rng.randint(1, 4)):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            role = "staff" if position == 0 else rng.choice(ROLES)
            yield (new_id(rng), wid, name, role, position, when, when, device)


def _observation_counts(rng: random.Random, walks: int, total: int) -> list[int]:
    """Split `total` observations over the walks unevenly (some walks see far more than others)."""
    weights = [rng.uniform(0.2, 1.8) for _ in range(walks)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(walks), total - sum(counts)):
        counts[i] += 1
    return counts


def _observations(
    rng: random.Random,
    walk_rows: list[tuple],
    categories: dict[str, str],
    total: int,
    now: dt.datetime,
) -> Iterator[tuple]:
    codes = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    counts = _observation_counts(rng, len(walk_rows), total)
    for (wid, _aid, start, end, *_rest, device), count in zip(walk_rows, counts, strict=True):
        # A walk still in progress has only seen up to now.
        span = ((end or min(start + dt.timedelta(minutes=45), now)) - start).total_seconds()
        for code in rng.choices(codes, weights, k=count):
            description = describe(rng, code)
            observed = start + dt.timedelta(seconds=rng.uniform(0, span))
            created = observed + dt.timedelta(seconds=rng.uniform(2, 40))
            roll = rng.random()
            deleted = created + dt.timedelta(minutes=rng.randint(1, 30)) if roll < 0.005 else None
            edited = created + dt.timedelta(minutes=rng.randint(1, 600)) if roll > 0.95 else None
            domains = set(rng.sample(DOMAINS, rng.choice((0, 1, 1, 1, 2))))
            yield (
                new_id(rng),
                wid,
                categories[code],
                description,
                rng.choice(LOCATIONS),
                stored_time(observed),
                rng.randint(1, 5) if rng.random() < 0.95 else None,
                rng.choice(FREQUENCIES),
                rng.randint(1, 5) if rng.random() < 0.9 else None,
                *(int(d in domains) for d in DOMAINS),
                rng.choice(COUNTERMEASURES) if rng.random() < 0.3 else "",
                0,  # the texts above hold no ten-digit numbers, so no suspected NHS number
                0,
                stored_time(deleted) if deleted else None,
                stored_time(created),
                stored_time(deleted or edited or created),
                device,
            )


def verify(path: Path) -> list[str]:
    """Problems found by opening `path` the app's way and reading rows through the services."""
    problems = []
    db = open_database(str(path), daily_backup=False)  # refuses a damaged file (quick_check)
    try:
        if len(waste_service.list_categories(db)) != 8:
            problems.append("expected the 8 default waste categories")
        recent = walk_service.list_walks(db, limit=5)
        if not recent:
            problems.append("list_walks returned nothing")
        for walk in recent:
            seen = observation_service.list_observations(db, walk.id)
            if len(seen) != walk.observation_count:
                problems.append(
                    f"walk {walk.id}: {len(seen)} listed, {walk.observation_count} counted"
                )
    finally:
        db.close()
    conn = sqlite3.connect(path)
    try:
        quick = conn.execute("PRAGMA quick_check").fetchall()
        if quick != [("ok",)]:
            problems.append(f"quick_check: {quick[:3]}")
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            problems.append(f"{len(orphans)} rows fail the foreign-key check")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            problems.append(f"journal_mode is {mode}, not wal")
    finally:
        conn.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("out", type=Path, help="the new SQLite file to make")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--csus", type=int, default=20)
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--walks", type=int, default=10_000)
    parser.add_argument("--observations", type=int, default=250_000)
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)

    out: Path = args.out.expanduser().resolve()
    if args.force:
        for leftover in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
            leftover.unlink(missing_ok=True)
    elif out.exists():
        print(f"{out} already exists; pass --force to replace it", file=sys.stderr)
        return 2
    # The device id and any backup go to a throwaway folder, never the user's own data folder.
    with scratch_data_dir():
        began = time.perf_counter()
        counts = generate(
            out,
            seed=args.seed,
            csus=args.csus,
            areas=args.areas,
            walks=args.walks,
            observations=args.observations,
        )
        made = time.perf_counter() - began
        problems = verify(out)
        checked = time.perf_counter() - began - made
    print_table(["table", "rows"], [(table, f"{n:,}") for table, n in counts.items()])
    print(f"\ngenerated {out} in {made:.1f} s; verified in {checked:.1f} s")
    print(f"file size {out.stat().st_size / 1e6:.0f} MB")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
