"""A believable demo trust: CSUs, wards and clinics, six months of waste walks and observations.

Used by `wastewalk demo`, by screenshots and by anyone trying the program without live data. The
content is deterministic: the same seed and the same `today` give the same records, ids included,
so two demo files can be compared and a demo pack imported twice changes nothing.

Everything is written in one session, straight through the models, because a service call per
observation would take tens of seconds with synchronous=FULL. The rows are still made the way the
services make them: the same validation, `apply_input` for the NHS-number flag and the scorecard
columns, this laptop's device id, UTC times.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wastewalk.domain.errors import InputError
from wastewalk.domain.nhs_number import is_valid_nhs_number
from wastewalk.domain.observation_rules import ParticipantRole, WalkStatus
from wastewalk.domain.uk_time import uk_to_utc
from wastewalk.domain.wastes import DEFAULT_CODES
from wastewalk.models import Area, Csu, Observation, Participant, Trust, Walk, WasteCategory
from wastewalk.services import demo_text as text
from wastewalk.services.demo_costing import make_demo_costing
from wastewalk.services.demo_direct import make_direct_observation
from wastewalk.services.estimates import refresh_rollup_columns
from wastewalk.services.observations import ObservationInput, apply_input, validate_observation
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

# Fixed, so the same seed gives the same ids on every laptop.
DEMO_NAMESPACE = uuid.UUID("0b6f1d2e-7c1a-4e55-9d0e-3f6a2b8c4d11")
HISTORY_MONTHS = 6
MIN_WALK_MINUTES, MAX_WALK_MINUTES = 30, 90
# The demo promises at least 800 observations; topping up to a little more leaves a margin.
MIN_OBSERVATIONS = 850
MAX_OBSERVATIONS_PER_WALK = 16

# How often each waste turns up on a walk. Waiting and motion lead on real wards and unused skills
# is the one teams notice least; the margins keep that Pareto whatever the seed.
CATEGORY_WEIGHTS: dict[str, float] = {
    "waiting": 26,
    "motion": 21,
    "inventory": 12,
    "transport": 11,
    "overprocessing": 10,
    "defects": 9,
    "overproduction": 7,
    "skills": 4,
}
# Teams score most things 3 or 4 and keep 5 for what really hurts; defects hurt more.
IMPACT_WEIGHTS = (6, 20, 36, 27, 11)
DEFECT_IMPACT_WEIGHTS = (3, 12, 30, 33, 22)
EASE_WEIGHTS = (7, 18, 33, 27, 15)
WALKS_PER_AREA = {"w": 9, "l": 7, "c": 6, "r": 6, "p": 5, "f": 5}
LATE_STARTS = ("10:15", "10:30", "10:45", "11:00", "11:20")
# Frequencies that only make sense for a phrase about that part of the day (by phrase topic).
_TOPICAL_FREQUENCIES = {
    "every discharge": {"discharge", "tto"},
    "at every handover": {"handover"},
}


@dataclass(frozen=True)
class DemoResult:
    """What the demo made, for the command line to report."""

    trust_name: str
    csus: int
    areas: int
    walks: int
    observations: int
    flagged: int
    time_studies: int = 0
    follows: int = 0
    estimates: int = 0
    actions: int = 0


@dataclass
class _PlannedWalk:
    area: Area
    spec: text.AreaSpec
    csu: text.CsuSpec
    local_minutes: int  # UK wall-clock start, minutes after midnight: what the phrases quote
    started_at: dt.datetime  # UTC
    minutes: int
    focus: str
    topic: str
    complete: bool = True
    observation_count: int = 0
    identifier_phrase: tuple[str, text.Phrase] | None = None
    walk_id: uuid.UUID | None = None


class _Ids:
    """Deterministic UUIDs: uuid5 of the seed, the record kind and a running number."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._counters: dict[str, int] = {}

    def next(self, kind: str) -> uuid.UUID:
        number = self._counters.get(kind, 0) + 1
        self._counters[kind] = number
        return uuid.uuid5(DEMO_NAMESPACE, f"{self._seed}:{kind}:{number}")


def make_demo(db: Database, seed: int = 1, *, today: dt.date | None = None) -> DemoResult:
    """Fill an empty database with a demo trust and six months of walks before `today`.

    `today` defaults to the current UTC date. Refuses (InputError, nothing written) a database that
    already holds walks, or already has a trust with the demo trust's name.
    """
    started = time.perf_counter()
    today = today or dt.datetime.now(dt.UTC).date()
    rng = random.Random(seed)
    ids = _Ids(seed)
    with db.session() as session:
        _refuse_unless_empty(session)
        categories = _categories(session)
        areas = _make_organisation(session, today)
        walks = _plan_walks(rng, areas, today)
        _choose_identifier_walks(rng, walks, categories)
        _make_walks(session, db.device_id, ids, rng, walks)
        observations = _make_observations(db.device_id, ids, rng, walks, categories, areas)
        session.add_all(observations)
        session.flush()
        flagged = sum(1 for o in observations if o.suspected_identifier)
        direct = make_direct_observation(
            session,
            db.device_id,
            ids.next,
            random.Random(f"{seed}:direct"),
            {area.name: area for area, _, _ in areas},
            _months_before(today, HISTORY_MONTHS),
            today,
        )
        session.flush()
        costing = make_demo_costing(
            session, db.device_id, ids.next, random.Random(f"{seed}:costing"), today
        )
        session.flush()
        refresh_rollup_columns(session)
    result = DemoResult(
        trust_name=text.TRUST_NAME,
        csus=len(text.CSUS),
        areas=len(areas),
        walks=len(walks),
        observations=len(observations),
        flagged=flagged,
        time_studies=direct.time_studies,
        follows=direct.follows,
        estimates=costing.estimates,
        actions=costing.actions,
    )
    logger.info("demo made in %.2f s: %s", time.perf_counter() - started, result)
    return result


def _refuse_unless_empty(session: Session) -> None:
    walks = session.scalar(select(func.count()).select_from(Walk)) or 0
    if walks:
        raise InputError(
            f"This database already holds {walks} walk(s), so the demo was not added. "
            "Make the demo in a new database file instead."
        )
    if session.scalar(select(Trust).where(Trust.name == text.TRUST_NAME)) is not None:
        raise InputError(
            f"This database already has a trust called '{text.TRUST_NAME}', so the demo was not "
            "added. Make the demo in a new database file instead."
        )


def _categories(session: Session) -> dict[str, WasteCategory]:
    # Only the shipped categories: the demo must read the same on every laptop, and an archived
    # category takes no new entries through the normal path either.
    found = session.scalars(
        select(WasteCategory).where(
            WasteCategory.code.in_(DEFAULT_CODES), WasteCategory.archived_at.is_(None)
        )
    )
    by_code = {c.code: c for c in found}
    if not by_code:
        raise InputError(
            "The default waste categories are missing or archived, so the demo was not added."
        )
    return {code: by_code[code] for code in DEFAULT_CODES if code in by_code}


DEMO_ORGANISATION_DEVICE = "demo-organisation"


def _organisation_id(kind: str, name: str) -> uuid.UUID:
    """The same id for the same trust, CSU or area in every demo, whatever its seed."""
    return uuid.uuid5(DEMO_NAMESPACE, f"organisation:{kind}:{name}")


def _make_organisation(
    session: Session, today: dt.date
) -> list[tuple[Area, text.AreaSpec, text.CsuSpec]]:
    """The trust, its CSUs and areas, set up a fortnight before the first walk."""
    set_up = uk_to_utc(_months_before(today, HISTORY_MONTHS) - dt.timedelta(days=14), dt.time(9, 0))
    # One trust, whichever laptop makes its demo: the organisation's ids, times and device are
    # the same for every seed (as if the specialist had handed it out), so demos made separately
    # on three laptops compile into one database with one trust, not three with the same name.
    stamps = {"device_id": DEMO_ORGANISATION_DEVICE, "created_at": set_up, "updated_at": set_up}
    trust = Trust(id=_organisation_id("trust", text.TRUST_NAME), name=text.TRUST_NAME, **stamps)
    session.add(trust)
    made: list[tuple[Area, text.AreaSpec, text.CsuSpec]] = []
    for csu_spec in text.CSUS:
        csu = Csu(
            id=_organisation_id("csu", csu_spec.name),
            trust_id=trust.id,
            name=csu_spec.name,
            **stamps,
        )
        session.add(csu)
        for spec in csu_spec.areas:
            area = Area(
                id=_organisation_id("area", f"{csu_spec.name}/{spec.name}"),
                csu_id=csu.id,
                name=spec.name,
                kind=spec.kind,
                operating_days_per_year=spec.operating_days,
                **stamps,
            )
            session.add(area)
            made.append((area, spec, csu_spec))
    # Parents first, so the foreign keys (enforced on SQLite) are satisfied whatever the order
    # the unit of work picks for tables without relationships between them.
    session.flush()
    return made


def _plan_walks(
    rng: random.Random, areas: Sequence[tuple[Area, text.AreaSpec, text.CsuSpec]], today: dt.date
) -> list[_PlannedWalk]:
    """Walks spread over the window, each area walked every few weeks, oldest first."""
    first_day = _months_before(today, HISTORY_MONTHS)
    last_day = today - dt.timedelta(days=1)
    window_days = (last_day - first_day).days + 1
    walks: list[_PlannedWalk] = []
    for area, spec, csu_spec in areas:
        count = WALKS_PER_AREA[spec.setting] + rng.randint(-1, 1)
        slot = window_days / count
        used_days: set[dt.date] = set()
        for i in range(count):
            day = first_day + dt.timedelta(days=int(i * slot + rng.random() * slot))
            day = _working_day(
                rng, day, first_day, last_day, weekdays_only=spec.operating_days < 300
            )
            if day in used_days:
                continue  # one walk a day per area is plenty
            used_days.add(day)
            focus, topic = rng.choice(text.FOCUSES[spec.setting])
            hour, minute = _start_time(rng, topic)
            minutes = rng.randint(MIN_WALK_MINUTES, MAX_WALK_MINUTES)
            walks.append(
                _PlannedWalk(
                    area=area,
                    spec=spec,
                    csu=csu_spec,
                    local_minutes=hour * 60 + minute,
                    started_at=uk_to_utc(day, dt.time(hour, minute)),
                    minutes=minutes,
                    focus=focus,
                    topic=topic,
                )
            )
    walks.sort(key=lambda w: (w.started_at, w.spec.name))
    # The newest walk (sometimes the two newest) is still open, as on a real laptop.
    walks[-1].complete = False
    if len(walks) > 1 and rng.random() < 0.5:
        walks[-2].complete = False
    _plan_observation_counts(rng, walks)
    return walks


def _working_day(
    rng: random.Random, day: dt.date, first: dt.date, last: dt.date, *, weekdays_only: bool
) -> dt.date:
    """Move a weekend day to the nearer Friday or Monday inside the window; wards (open every
    day) keep some weekend walks."""
    if day.weekday() < 5 or (not weekdays_only and rng.random() < 0.3):
        return day
    friday = day - dt.timedelta(days=day.weekday() - 4)
    monday = day + dt.timedelta(days=7 - day.weekday())
    if friday < first:
        return monday
    if monday > last:
        return friday
    return friday if day.weekday() == 5 else monday


def _start_time(rng: random.Random, topic: str) -> tuple[int, int]:
    """Local start time: discharge walks in the morning, handover walks at the afternoon
    handover, the rest any time from 09:00 to 15:30 (so a 90-minute walk ends by 17:00)."""
    if topic == "handover":
        start = 13 * 60 + 15 + rng.randrange(0, 35, 5)
    elif topic in {"discharge", "tto"}:
        start = 9 * 60 + rng.randrange(0, 95, 5)
    else:
        start = 9 * 60 + rng.randrange(0, 6 * 60 + 35, 5)
    return divmod(start, 60)


def _plan_observation_counts(rng: random.Random, walks: list[_PlannedWalk]) -> None:
    for walk in walks:
        count = max(4, min(14, round(walk.minutes / 7) + rng.randint(-2, 2)))
        walk.observation_count = count if walk.complete else max(2, count // 2)
    complete = [w for w in walks if w.complete]
    total = sum(w.observation_count for w in walks)
    while total < MIN_OBSERVATIONS:
        walk = rng.choice(complete)
        if walk.observation_count < MAX_OBSERVATIONS_PER_WALK:
            walk.observation_count += 1
            total += 1


def _choose_identifier_walks(
    rng: random.Random, walks: list[_PlannedWalk], categories: dict[str, WasteCategory]
) -> None:
    """Put each NHS-number phrase on a different completed ward walk."""
    candidates = [w for w in walks if w.complete and w.spec.setting == "w"]
    phrases = [p for p in text.IDENTIFIER_PHRASES if p[0] in categories]
    for walk, phrase in zip(rng.sample(candidates, len(phrases)), phrases, strict=True):
        walk.identifier_phrase = phrase


def _make_walks(
    session: Session, device_id: str, ids: _Ids, rng: random.Random, walks: list[_PlannedWalk]
) -> None:
    rosters: dict[str, list[tuple[str, str]]] = {}
    for plan in walks:
        if plan.spec.name not in rosters:
            rosters[plan.spec.name] = _roster(rng, plan.spec)
        ended = plan.started_at + dt.timedelta(minutes=plan.minutes) if plan.complete else None
        people = _participants(rng, rosters[plan.spec.name], plan.csu)
        has_partner = any(role == ParticipantRole.QUALITY_PARTNER for _, role in people)
        walk = Walk(
            id=ids.next("walk"),
            area_id=plan.area.id,
            started_at=plan.started_at,
            ended_at=ended,
            focus=plan.focus,
            status=WalkStatus.COMPLETE if plan.complete else WalkStatus.IN_PROGRESS,
            notes=_walk_notes(rng, has_partner) if plan.complete else "",
            device_id=device_id,
            created_at=plan.started_at,
            updated_at=ended or plan.started_at,
        )
        session.add(walk)
        for position, (name, role) in enumerate(people):
            session.add(
                Participant(
                    id=ids.next("participant"),
                    walk_id=walk.id,
                    name=" ".join(name.split()),
                    role=role,
                    position=position,
                    device_id=device_id,
                    created_at=plan.started_at,
                    updated_at=plan.started_at,
                )
            )
        plan.walk_id = walk.id
    session.flush()


def _roster(rng: random.Random, spec: text.AreaSpec) -> list[tuple[str, str]]:
    """The area's regular walkers: its manager first, then staff with their titles."""
    titles = text.STAFF_TITLES[spec.setting]
    surnames = rng.sample(text.SURNAMES, len(titles))
    staff = [
        (f"{title} {rng.choice(text.INITIALS)}. {surname}", str(ParticipantRole.STAFF))
        for title, surname in zip(titles, surnames, strict=True)
    ]
    return [(spec.manager, str(ParticipantRole.MANAGER)), *staff]


def _participants(
    rng: random.Random, roster: list[tuple[str, str]], csu: text.CsuSpec
) -> list[tuple[str, str]]:
    manager, staff = roster[0], roster[1:]
    people = [manager] if rng.random() < 0.75 else []
    people += rng.sample(staff, rng.randint(1, 3))
    if rng.random() < 0.15:
        people.append((rng.choice(text.QUALITY_PARTNERS), str(ParticipantRole.QUALITY_PARTNER)))
    if rng.random() < 0.4:
        people.append((csu.specialist, str(ParticipantRole.IMPROVEMENT_SPECIALIST)))
    if len(people) < 2:
        people.append(next(p for p in staff if p not in people))
    return people


def _walk_notes(rng: random.Random, has_partner: bool) -> str:
    if has_partner and rng.random() < 0.5:
        return text.QUALITY_PARTNER_NOTE
    return rng.choice(text.WALK_NOTES) if rng.random() < 0.4 else ""


def _make_observations(
    device_id: str,
    ids: _Ids,
    rng: random.Random,
    walks: list[_PlannedWalk],
    categories: dict[str, WasteCategory],
    areas: Sequence[tuple[Area, text.AreaSpec, text.CsuSpec]],
) -> list[Observation]:
    """Each walk's observations, spread through its span, made as `add_observation` makes them."""
    wards = [_short_name(spec.name) for _, spec, _ in areas if spec.kind == "ward"]
    banks = _banks(categories)
    observations: list[Observation] = []
    for plan in walks:
        assert plan.walk_id is not None
        other_wards = [w for w in wards if w != _short_name(plan.spec.name)]
        span = plan.minutes * 60
        offsets = sorted(rng.randint(120, span - 60) for _ in range(plan.observation_count))
        identifier_at = rng.randrange(len(offsets)) if plan.identifier_phrase else -1
        used: set[str] = set()
        for index, offset in enumerate(offsets):
            observed_at = plan.started_at + dt.timedelta(seconds=offset)
            slots = _slots(rng, plan.local_minutes + offset // 60, other_wards)
            if index == identifier_at and plan.identifier_phrase is not None:
                code, phrase = plan.identifier_phrase
                slots["nhs"] = _test_nhs_number(rng)
            else:
                code, phrase = _pick_phrase(rng, banks[plan.spec.setting], plan.topic, used)
            data = _observation_input(
                rng, categories[code], phrase, slots, observed_at, plan.spec.setting
            )
            problems = validate_observation(data)
            if problems:  # the phrase banks are ours: a problem here is a bug, not bad input
                raise RuntimeError(f"demo observation is invalid: {problems[0]}")
            # Created when observed, as on the ward; this also keeps two runs byte-comparable.
            obs = Observation(
                id=ids.next("observation"),
                walk_id=plan.walk_id,
                device_id=device_id,
                observed_at=observed_at,
                created_at=observed_at,
                updated_at=observed_at,
            )
            apply_input(obs, data)
            observations.append(obs)
    return observations


_Bank = dict[str, tuple[text.Phrase, ...]]


def _banks(categories: dict[str, WasteCategory]) -> dict[str, _Bank]:
    """Phrases by setting, then waste code, for the categories this database offers."""
    settings = {spec.setting for csu in text.CSUS for spec in csu.areas}
    return {
        setting: {
            code: phrases
            for code in categories
            if (phrases := tuple(p for p in text.PHRASES.get(code, ()) if setting in p.settings))
        }
        for setting in sorted(settings)
    }


def _pick_phrase(
    rng: random.Random, bank: _Bank, topic: str, used: set[str]
) -> tuple[str, text.Phrase]:
    """A waste by its weight, then one of its phrases not yet used on this walk.

    A walk's focus makes matching phrases likelier, and its waste a little likelier, as a team
    looking at the stock room mostly sees the stock room.
    """
    options = {code: [p for p in phrases if p.text not in used] for code, phrases in bank.items()}
    options = {code: phrases for code, phrases in options.items() if phrases}
    if not options:  # a very long walk has used every phrase: let them repeat
        used.clear()
        options = {code: list(phrases) for code, phrases in bank.items()}
    codes = list(options)
    weights = [
        CATEGORY_WEIGHTS.get(code, 1) * (1.5 if any(p.topic == topic for p in options[code]) else 1)
        for code in codes
    ]
    code = rng.choices(codes, weights)[0]
    phrases = options[code]
    phrase = rng.choices(phrases, [4 if p.topic == topic else 1 for p in phrases])[0]
    used.add(phrase.text)
    return code, phrase


def _observation_input(
    rng: random.Random,
    category: WasteCategory,
    phrase: text.Phrase,
    slots: dict[str, str],
    observed_at: dt.datetime,
    setting: str,
) -> ObservationInput:
    description = phrase.text.format(**slots)
    place = rng.choice(phrase.places or text.PLACES[setting]).format(**slots)
    code = category.code
    impact = _score(rng, DEFECT_IMPACT_WEIGHTS if code == "defects" else IMPACT_WEIGHTS)
    frequencies = [
        (f, w)
        for f, w in text.FREQUENCIES
        if f not in _TOPICAL_FREQUENCIES or phrase.topic in _TOPICAL_FREQUENCIES[f]
    ]
    frequency = rng.choices([f for f, _ in frequencies], [w for _, w in frequencies])[0]
    domains: set[str] = set()
    if rng.random() < 0.65:
        likely = text.DOMAINS[code]
        domains.add(rng.choices(likely, [4, 2, 1][: len(likely)])[0])
        if rng.random() < 0.25:
            domains.add(rng.choice(likely))
    if phrase.idea and rng.random() < 0.6:
        countermeasure = phrase.idea
    elif rng.random() < 0.2:
        countermeasure = rng.choice(text.GENERIC_IDEAS[code])
    else:
        countermeasure = ""
    return ObservationInput(
        category_id=category.id,
        description=description[:1].upper() + description[1:],
        location=place,
        observed_at=observed_at,
        impact=impact,
        frequency=frequency,
        ease=_score(rng, EASE_WEIGHTS),
        domains=frozenset(domains),
        countermeasure=countermeasure,
    )


def _score(rng: random.Random, weights: Sequence[int]) -> int | None:
    """A 1–5 score; now and then left blank, as teams do when unsure."""
    if rng.random() < 0.04:
        return None
    return rng.choices(range(1, 6), weights)[0]


def _slots(rng: random.Random, local_minutes: int, other_wards: list[str]) -> dict[str, str]:
    """Values for the phrase templates; times are UK wall-clock, as the team would write them."""
    bay = rng.randint(1, 6)
    count = rng.randint(2, 5)
    now = local_minutes // 5 * 5
    early = max(7 * 60, now - rng.randint(60, 240)) // 5 * 5
    late_start = min(rng.choice(LATE_STARTS), _clock(now))  # never later than the walk itself
    return {
        "bay": str(bay),
        "bay2": str(rng.choice([b for b in range(1, 7) if b != bay])),
        "side": str(rng.randint(1, 8)),
        "bed": str(rng.randint(1, 28)),
        "room": str(rng.randint(1, 8)),
        "time": _clock(now),
        "early": _clock(early),
        "late_start": late_start,
        "n": str(count),
        "n_word": text.NUMBER_WORDS[count],
        "N_word": text.NUMBER_WORDS[count].capitalize(),
        "many": str(rng.randint(6, 15)),
        "mins": str(rng.randrange(5, 30, 5)),
        "long_mins": str(rng.randrange(30, 95, 5)),
        "other_ward": rng.choice(other_wards),
        "kit": rng.choice(text.KIT),
        "stock": rng.choice(text.STOCK),
    }


def _test_nhs_number(rng: random.Random) -> str:
    """A 3-3-4 number that passes the NHS check digit, from the 999 range kept for test data.

    Numbers starting 999 are not issued to patients, so the demo quotes nobody; the check digit
    is found by asking the same rule the flag uses, not by a second copy of it.
    """
    while True:
        body = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        for check in range(10):
            candidate = f"{body[:3]} {body[3:6]} {body[6:]}{check}"
            if is_valid_nhs_number(candidate):
                return candidate
        # No check digit works for this body (the rule gives 10): draw another.


def _short_name(area_name: str) -> str:
    """ "Ward 12 – Acute Medicine" → "Ward 12", as staff say it."""
    return area_name.split(" – ")[0]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the end of a shorter month (31 Aug → 28 Feb)."""
    years, month_index = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
