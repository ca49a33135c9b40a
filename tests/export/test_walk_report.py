"""The walk summary PDF read back with pypdf: what it says, escaping, photos, NHS numbers hidden,
page furniture, same bytes twice, a golden text per page, cancel and unwritable targets.

The helpers at the top (a demo trust built once per session and copied per test, PDF text per
page, golden files) are shared with test_savings_report.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import shutil
import socket
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import update

from wastewalk.domain.errors import NotFoundError
from wastewalk.domain.progress import Cancelled
from wastewalk.export.csv_writer import ExportError
from wastewalk.export.walk_report import walk_report_story, write_walk_report
from wastewalk.models import Photo
from wastewalk.services.actions import ActionInput, create_action, set_expected_saving
from wastewalk.services.demo import make_demo
from wastewalk.services.estimates import EstimateInput, set_observation_estimate
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.photos import attach_photo
from wastewalk.services.staff_rates import list_staff_rates
from wastewalk.services.walks import ParticipantInput, complete_walk, start_walk
from wastewalk.services.wastes import category_codes
from wastewalk.store.database import Database, open_database

TODAY = dt.date(2026, 10, 1)
GOLDEN = Path(__file__).parent / "golden"
# A demo walk with 14 observations, 4 of them priced, and 2 actions (seed 1, today 1 Oct 2026).
DEMO_WALK = uuid.UUID("b0cfcd0d-8dd5-5ed3-91ff-6499ab7ee3a7")
NHS_NUMBER = "943 476 5919"  # passes the check digit: a real-looking number


# --- shared helpers ---------------------------------------------------------------------------


def build_demo_template(folder: Path) -> Path:
    """The demo trust (seed 1, today 1 October 2026) in `folder`, made once and then copied."""
    path = folder / "demo.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WASTEWALK_DATA_DIR", str(folder / "data"))
        database = open_database(str(path))
        make_demo(database, seed=1, today=TODAY)
        database.close()
    return path


def open_copy(template: Path, folder: Path) -> Database:
    """A private copy of the template database (the test's own data folder is already set)."""
    copy = folder / "copy.sqlite"
    shutil.copyfile(template, copy)
    return open_database(str(copy))


def page_texts(pdf: Path | bytes) -> list[str]:
    """The text of each page, whitespace runs as one space (wrapped lines join up)."""
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(source).pages]


def check_page_furniture(pages: list[str], filters: str, data_date: str = "data to ") -> None:
    """Every page says its number of the whole, the filters and the data's date."""
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert filters in text
        assert data_date in text


def check_golden(name: str, pages: list[str]) -> None:
    """Compare page texts with tests/export/golden/NAME.txt; WASTEWALK_REGEN_GOLDEN=1 rewrites
    it (then read the diff in git before committing)."""
    path = GOLDEN / f"{name}.txt"
    text = "".join(f"=== page {n} ===\n{page}\n" for n, page in enumerate(pages, start=1))
    if os.environ.get("WASTEWALK_REGEN_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), text.splitlines(), "golden", "now", lineterm=""
            )
        )
        pytest.fail(
            f"{path.name} differs (WASTEWALK_REGEN_GOLDEN=1 regenerates it):\n{diff[:4000]}"
        )


def no_fetching(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make any network use by reportlab a recorded failure; returns the record."""
    tried: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        tried.append(args)
        raise OSError("network use refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return tried


def image_bytes(colour: str, width: int, height: int, kind: str = "PNG") -> bytes:
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle([width // 4, height // 4, width // 2, height // 2], "white")
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_template(tmp_path_factory.mktemp("walk-report-demo"))


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_copy(demo_template, tmp_path)
    yield database
    database.close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "small.sqlite"))
    yield database
    database.close()


TRICKY_OBSERVATION = '<b>& =HYPERLINK("http://x")'
TRICKY_NOTE = 'Bring <img src="http://127.0.0.1:9/x.png"/> next time'


@pytest.fixture
def tricky(db: Database) -> uuid.UUID:
    """A walk whose typed text tries markup, formulas, an image URL, Welsh and Polish letters."""
    csu = create_csu(db, "Meddygaeth")
    area = create_area(db, csu.id, "Ward Ŵy – Łódź")
    codes = category_codes(db)
    started = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
    walk = start_walk(
        db,
        area.id,
        focus="Rhyddhau <i>cyn</i> hanner dydd",
        participants=[
            ParticipantInput("Siân Ŵyn Jones", "manager"),
            ParticipantInput("Łukasz Wróbel", "staff"),
        ],
        started_at=started,
        notes=TRICKY_NOTE,
    )
    rate = next(r for r in list_staff_rates(db) if r.code == "nurse-band-5")
    seen = add_observation(
        db,
        walk.id,
        ObservationInput(
            codes["waiting"],
            TRICKY_OBSERVATION,
            location="Bay & <3>",
            observed_at=started + dt.timedelta(minutes=10),
            impact=4,
            ease=2,
            countermeasure="Ask pharmacy > twice",
        ),
    )
    set_observation_estimate(
        db,
        seen.id,
        EstimateInput(
            minutes=D("6"),
            staff_rate_id=rate.id,
            occurrences=D("5"),
            per="day",
            cash_releasing=True,
            basis="Bank shifts <cut>",
        ),
    )
    flagged = add_observation(
        db,
        walk.id,
        ObservationInput(
            codes["motion"],
            f"Label said {NHS_NUMBER} on it",
            observed_at=started + dt.timedelta(minutes=20),
        ),
    )
    action = create_action(
        db,
        [seen.id, flagged.id],
        ActionInput("<b>& agree =SUM(A1)", owner="Ŵil", due_date=dt.date(2026, 4, 1)),
    )
    set_expected_saving(
        db,
        action.id,
        EstimateInput(minutes=D("3"), staff_rate_id=rate.id, occurrences=D("5"), per="day"),
    )
    complete_walk(db, walk.id, ended_at=started + dt.timedelta(hours=1, minutes=12))
    return walk.id


# --- the demo walk ------------------------------------------------------------------------------


def test_the_demo_walk_says_what_the_walk_was(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "walk.pdf"
    built = write_walk_report(demo, DEMO_WALK, out, today=TODAY)
    assert built.path == out
    assert built.pages == len(PdfReader(out).pages) >= 2
    pages = page_texts(out)
    check_page_furniture(pages, "Ward 14 – Respiratory, Medicine CSU · walk of 1 April 2026")
    text = " ".join(pages)
    for words in (
        "Ward 14 – Respiratory",
        "Charge Nurse D. Mensah (Manager)",
        "Priya Raman (Improvement specialist)",
        "medicines to take home",
        "Matron to pick up the equipment issues with EBME.",
        "10:10 to 11:40 (1 h 30 min)",
        "Observations by waste",
        "Meals trolley arrives at the bay 1 end; plates carried to bay 6",
        "Waiting (5)",
        "Countermeasure: Weekly date check on a rota",
        "Estimates",
        "£12,055.20",  # the four estimates' total
        "Actions agreed",
        "Agree bed moves once, at the board round",
        "Open (overdue)",
        "data to 30 September 2026",
    ):
        assert words in text, words
    assert not [name for name in leftovers(tmp_path) if name.endswith(".part")]


def test_the_demo_walk_matches_its_golden_text(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "walk.pdf"
    write_walk_report(demo, DEMO_WALK, out, today=TODAY)
    check_golden("walk_summary_demo", page_texts(out))


def test_two_builds_are_the_same_bytes(demo: Database, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    frame, story = walk_report_story(demo, DEMO_WALK, today=TODAY)
    assert frame.filters == "Ward 14 – Respiratory, Medicine CSU · walk of 1 April 2026"
    assert frame.data_date == "data to 30 September 2026"
    assert story
    photo_owner = _first_observation(demo)
    attach_photo(demo, photo_owner, "bay.jpg", image_bytes("#005EB8", 400, 300, "JPEG"))
    write_walk_report(demo, DEMO_WALK, first, today=TODAY)
    write_walk_report(demo, DEMO_WALK, second, today=TODAY)
    assert first.read_bytes() == second.read_bytes()


def _first_observation(db: Database) -> uuid.UUID:
    from wastewalk.services.observations import list_observations

    return list_observations(db, DEMO_WALK)[-1].id


def test_photos_print_as_thumbnails_and_a_damaged_one_is_left_out(
    demo: Database, tmp_path: Path
) -> None:
    owner = _first_observation(demo)
    attach_photo(demo, owner, "bay3.jpg", image_bytes("#005EB8", 800, 600, "JPEG"))
    attach_photo(demo, owner, "trolley.png", image_bytes("#DA291C", 300, 700))
    broken = attach_photo(demo, owner, "broken.png", image_bytes("#009639", 200, 200))
    with demo.session() as session:
        session.execute(
            update(Photo).where(Photo.id == broken.id).values(thumbnail_png=b"\x89PNG\r\n\x1a\nx")
        )
    out = tmp_path / "walk.pdf"
    write_walk_report(demo, DEMO_WALK, out, today=TODAY)
    text = " ".join(page_texts(out))
    assert "The photo broken.png could not be read; left out." in text
    images = [image for page in PdfReader(out).pages for image in page.images]
    assert len(images) == 2
    assert sorted((i.image.width, i.image.height) for i in images) == [(69, 160), (160, 120)]


# --- escaping, letters, NHS numbers ------------------------------------------------------------


def test_typed_text_prints_as_typed_and_fetches_nothing(
    db: Database, tricky: uuid.UUID, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = no_fetching(monkeypatch)
    out = tmp_path / "walk.pdf"
    write_walk_report(db, tricky, out, today=dt.date(2026, 5, 1))
    assert tried == []
    pages = page_texts(out)
    check_page_furniture(pages, "Ward Ŵy – Łódź, Meddygaeth CSU · walk of 4 March 2026")
    text = " ".join(pages)
    for words in (
        TRICKY_OBSERVATION,
        TRICKY_NOTE,
        "Rhyddhau <i>cyn</i> hanner dydd",
        "Siân Ŵyn Jones (Manager)",
        "Łukasz Wróbel (Staff)",
        "Bay & <3>",
        "Ask pharmacy > twice",
        "Bank shifts <cut>",
        "<b>& agree =SUM(A1)",
        "Ŵil",
        "Open (overdue)",
        "09:30 to 10:42 (1 h 12 min)",
    ):
        assert words in text, words


def test_a_suspected_nhs_number_is_hidden_and_flagged(
    db: Database, tricky: uuid.UUID, tmp_path: Path
) -> None:
    out = tmp_path / "walk.pdf"
    write_walk_report(db, tricky, out)
    text = " ".join(page_texts(out))
    assert NHS_NUMBER not in text
    assert NHS_NUMBER.replace(" ", "") not in text
    assert "Label said [possible NHS number hidden] on it" in text
    assert "Flagged for review" in text
    assert "1 observation may hold an NHS number" in text


def test_a_walk_with_nothing_seen(db: Database, tmp_path: Path) -> None:
    area = create_area(db, create_csu(db, "Medicine").id, "Ward 7")
    walk = start_walk(db, area.id, started_at=dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC))
    out = tmp_path / "walk.pdf"
    assert write_walk_report(db, walk.id, out).pages == 1
    text = page_texts(out)[0]
    for words in (
        "No observations were recorded on this walk.",
        "Nothing to chart",
        "None of this walk's observations has been priced yet.",
        "No actions have been made",
        "(not yet finished)",
        "None recorded",
    ):
        assert words in text, words


# --- failures -----------------------------------------------------------------------------------


def test_an_unknown_walk_is_not_found_in_plain_words(demo: Database, tmp_path: Path) -> None:
    missing = uuid.UUID("5f67eaf8-9843-48f4-8276-57d5dc9a4740")
    with pytest.raises(NotFoundError, match="There is no walk with id 5f67eaf8"):
        write_walk_report(demo, missing, tmp_path / "walk.pdf")
    assert not (tmp_path / "walk.pdf").exists()


@pytest.mark.parametrize("stop_at", ["Reading the walk", "Adding the photos", "Laying out"])
def test_cancel_leaves_no_file(demo: Database, tmp_path: Path, stop_at: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    heard: list[str] = []

    def progress(fraction: float, words: str) -> None:
        heard.append(words)
        assert 0.0 <= fraction <= 1.0
        if words.startswith(stop_at):
            raise Cancelled()

    with pytest.raises(Cancelled):
        write_walk_report(demo, DEMO_WALK, folder / "walk.pdf", progress, today=TODAY)
    assert leftovers(folder) == []
    assert any(w.startswith(stop_at) for w in heard)


def test_progress_only_moves_forward(demo: Database, tmp_path: Path) -> None:
    fractions: list[float] = []
    write_walk_report(
        demo, DEMO_WALK, tmp_path / "w.pdf", lambda f, _w: fractions.append(f), today=TODAY
    )
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (lambda folder: folder / "no such folder" / "walk.pdf", "There is no folder"),
        (lambda folder: folder, "is a folder"),
    ],
)
def test_an_unwritable_target_is_an_export_error(
    demo: Database, tmp_path: Path, target: Callable[[Path], Path], words: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportError, match=words):
        write_walk_report(demo, DEMO_WALK, target(folder), today=TODAY)
    assert leftovers(folder) == []
