"""Time-study readings typed from a paper sheet, imported into a real SQLite file.

A bad file or bad set-up is refused with every problem named by row and column, and leaves the
database exactly as it was; a good file becomes one study whose readings read back as typed.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.db.conftest import Org
from wastewalk.domain.errors import InputError, Problem
from wastewalk.domain.time_study import ReadingState
from wastewalk.models import TimeStudy, TimeStudyElement, TimeStudyReading
from wastewalk.services import import_timestudy as module
from wastewalk.services.import_timestudy import (
    TimeStudyImportOptions,
    TimeStudyImportResult,
    import_timestudy,
)
from wastewalk.services.organisation import create_area, create_csu, set_area_archived
from wastewalk.services.time_studies import (
    Position,
    find_study,
    list_readings,
    next_position,
    study_summary,
)
from wastewalk.store.database import Database

HEADER = "element,element_order,cycle,seconds"
DAY = dt.date(2026, 11, 24)


def write(tmp_path: Path, content: str | bytes, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def options(**changes: object) -> TimeStudyImportOptions:
    values: dict[str, object] = {"name": "Drug round", "area": "Ward 7", "study_date": DAY}
    values.update(changes)
    return TimeStudyImportOptions(**values)  # type: ignore[arg-type]


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (TimeStudy, TimeStudyElement, TimeStudyReading)
        )


def refused(db: Database, path: Path, opts: TimeStudyImportOptions | None = None) -> list[Problem]:
    """The problems an import raises; the database must be unchanged by it."""
    before = counts(db)
    with pytest.raises(InputError) as caught:
        import_timestudy(db, path, opts or options())
    assert counts(db) == before
    return caught.value.problems


def where(problems: list[Problem]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in problems]


def test_a_sheet_becomes_one_paper_study_read_back_as_typed(
    db: Database, org: Org, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "element,element_order,cycle,seconds,rating_pct,value_class,excluded,exclude_reason\n"
        "Collect drugs,1,1,8.5,110,va,,\n"
        "Check chart,2,1,NP,,nnva,,\n"
        "Collect drugs,1,2,9,,,,\n"
        "Check chart,2,2,12,,,Y,interrupted by a phone call\n"
        "Collect drugs,1,3,7.25,110%,,N,\n"
        "Check chart,2,3,,,,,\n",
    )
    result = import_timestudy(
        db, path, options(observer="Jo Evans", process="Morning round", allowance_pct=10)
    )
    assert result == TimeStudyImportResult(
        study_id=result.study_id,
        name="Drug round",
        area_name="Ward 7",
        csu_name="Medicine",
        elements=2,
        readings=6,
        cycles=3,
        not_performed=2,
        excluded=1,
    )
    study = find_study(db, "drug round")
    assert study.source == "paper"
    assert (study.process, study.observer, study.study_date) == ("Morning round", "Jo Evans", DAY)
    assert study.settings.allowance_pct == 10
    assert [(e.order, e.name, e.value_class, e.rating_pct) for e in study.elements] == [
        (1, "Collect drugs", "va", 110.0),
        (2, "Check chart", "nnva", 100.0),
    ]
    readings = list_readings(db, study.id)
    assert [(r.sequence, r.element_order, r.cycle, r.state, r.seconds) for r in readings] == [
        (1, 1, 1, ReadingState.VALID, 8.5),
        (2, 2, 1, ReadingState.NOT_PERFORMED, None),
        (3, 1, 2, ReadingState.VALID, 9.0),
        (4, 2, 2, ReadingState.EXCLUDED, 12.0),
        (5, 1, 3, ReadingState.VALID, 7.25),
        (6, 2, 3, ReadingState.NOT_PERFORMED, None),
    ]
    assert readings[3].exclude_reason == "interrupted by a phone call"
    assert next_position(readings, 2) == Position(4, 1)
    with db.session() as session:
        devices = set(session.scalars(select(TimeStudyReading.device_id)))
    assert devices == {db.device_id}
    _info, summary = study_summary(db, study.id)
    assert summary.elements[1].n == 0  # one excluded, two not performed
    assert summary.elements[0].mean_s == pytest.approx((8.5 + 9 + 7.25) / 3)


def test_the_area_can_be_named_with_its_csu_either_way(
    db: Database, org: Org, tmp_path: Path
) -> None:
    create_area(db, create_csu(db, "Surgery").id, "Ward 7")
    path = write(tmp_path, f"{HEADER}\nWash hands,1,1,20\n")
    problems = refused(db, path)
    assert "in more than one CSU ('Medicine', 'Surgery')" in problems[0].message
    assert "'CSU/Area'" in problems[0].message
    assert import_timestudy(db, path, options(area=" surgery / ward  7")).csu_name == "Surgery"
    second = import_timestudy(db, path, options(name="Second", area="Ward 7", csu="medicine"))
    assert second.csu_name == "Medicine"


def test_an_unknown_area_lists_how_to_name_one(db: Database, org: Org, tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nWash hands,1,1,20\n")
    (problem,) = refused(db, path, options(area="Ward 99"))
    assert "there is no area 'Ward 99'" in problem.message
    assert "--csu" in problem.message
    assert "Medicine/Diabetes clinic, Medicine/Ward 7" in problem.message


def test_an_archived_area_is_refused(db: Database, org: Org, tmp_path: Path) -> None:
    set_area_archived(db, org.area.id, True)
    path = write(tmp_path, f"{HEADER}\nWash hands,1,1,20\n")
    (problem,) = refused(db, path)
    assert "archived" in problem.message


def test_a_name_already_used_is_refused_and_the_first_study_is_untouched(
    db: Database, org: Org, tmp_path: Path
) -> None:
    first = write(tmp_path, f"{HEADER}\nWash hands,1,1,20\n", "first.csv")
    import_timestudy(db, first, options())
    second = write(tmp_path, f"{HEADER}\nWash hands,1,1,30\nDry hands,2,1,10\n", "second.csv")
    (problem,) = refused(db, second, options(name="  DRUG ROUND "))
    assert "There is already a time study called 'DRUG ROUND'" in problem.message
    study = find_study(db, "Drug round")
    assert [r.seconds for r in list_readings(db, study.id)] == [20.0]


def test_every_problem_in_options_and_file_is_reported_at_once(
    db: Database, org: Org, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "element,element_order,cycle,seconds,rating_pct,value_class,excluded,exclude_reason\n"
        "Collect,1,1,0,,,,\n"  # 2: zero seconds
        "Collect,1,2,-3,,,,\n"  # 3: negative
        "Collect,1,3,abc,,,,\n"  # 4: not a number
        "Prepare,2,1,12,250,,,\n"  # 5: rating out of range
        "Prepare,2,2,12,,vaa,,\n"  # 6: bad value class
        "Prepare,2,2,13,,,,\n"  # 7: the same cell again
        "Give,2,3,14,,,,\n"  # 8: order 2 is Prepare
        "Collect,3,4,14,,,,\n"  # 9: Collect is order 1
        "Record,4,1,5,,,Y,\n"  # 10: excluded without a reason
        "Record,4,2,NP,,,Y,slip\n"  # 11: not performed cannot be excluded
        "Record,4,3,5,,,maybe,\n"  # 12: not Y or N
        "Record,4,4,5,,,,a reason but not excluded\n"  # 13
        ",5,1,5,,,,\n"  # 14: no element name
        "Wash,x,1.5,5,,,,\n",  # 15: order and cycle not whole numbers
    )
    problems = refused(
        db, path, options(allowance_pct=100, allowance_basis="workday", available_minutes=420)
    )
    assert [p.message for p in problems[:2]] == [
        "An allowance of 100 % of the workday leaves no working time; "
        "under the workday basis it must be below 100 %",
        "Give both the available time and the demand for takt time, or neither",
    ]
    assert where(problems[2:]) == [
        (2, "seconds"),
        (3, "seconds"),
        (4, "seconds"),
        (5, "rating_pct"),
        (6, "value_class"),
        (7, "cycle"),
        (8, "element_order"),
        (9, "element_order"),
        (10, "exclude_reason"),
        (11, "excluded"),
        (12, "excluded"),
        (13, "exclude_reason"),
        (14, "element"),
        (15, "element_order"),
        (15, "cycle"),
    ]
    messages = [p.message for p in problems[2:]]
    assert messages[0].startswith("Seconds must be more than 0, not 0")
    assert "not performed" in messages[0]
    assert messages[1].startswith("Seconds must be more than 0, not -3")
    assert messages[3] == "Element 2 rating must be from 1 % to 200 %, not 250 %"
    assert messages[4] == "Element 2 value class must be va, nnva or waste, not 'vaa'"
    assert "already has a reading in cycle 2 (row 6)" in messages[5]
    assert "element_order 2 is 'Prepare' (row 5)" in messages[6]
    assert "'Collect' has element_order 1 on row 2, not 3" in messages[7]
    assert messages[8] == "The reason for excluding a reading is required"
    assert "not performed has no time to exclude" in messages[9]
    assert all(p.file == "sheet.csv" for p in problems[2:])


def test_a_rating_or_class_given_on_some_rows_must_agree(
    db: Database, org: Org, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "element,element_order,cycle,seconds,rating_pct,value_class\n"
        "Collect,1,1,8,110,va\n"
        "Collect,1,2,9,,\n"
        "Collect,1,3,8,105,waste\n",
    )
    problems = refused(db, path)
    assert where(problems) == [(4, "rating_pct"), (4, "value_class")]
    assert "rated 110 % on row 2 and 105 % here" in problems[0].message
    assert "is va on row 2 and waste here" in problems[1].message


def test_element_orders_must_run_without_a_gap(db: Database, org: Org, tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nCollect,1,1,8\nGive,3,1,9\nRecord,5,1,9\n")
    (problem,) = refused(db, path)
    assert (problem.row, problem.column) == (None, "element_order")
    assert "no row has element_order 2, 4" in problem.message


def test_elements_may_come_in_any_row_order_and_keep_their_number(
    db: Database, org: Org, tmp_path: Path
) -> None:
    path = write(tmp_path, f"{HEADER}\nGive,2,1,9\nCollect,1,1,8\nGive,2,2,10\nCollect,1,2,7\n")
    import_timestudy(db, path, options())
    study = find_study(db, "Drug round")
    assert [(e.order, e.name) for e in study.elements] == [(1, "Collect"), (2, "Give")]
    readings = list_readings(db, study.id)
    assert [(r.element_order, r.cycle) for r in readings] == [(2, 1), (1, 1), (2, 2), (1, 2)]
    # "Go on" follows the last reading of the file, as a timed study follows its last lap.
    assert next_position(readings, 2) == Position(2, 2)


def test_names_match_whatever_the_case_and_spaces(db: Database, org: Org, tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nCollect  drugs,1,1,8\n collect drugs ,1,2,9\n")
    result = import_timestudy(db, path, options())
    assert (result.elements, result.readings) == (1, 2)
    assert find_study(db, "Drug round").elements[0].name == "Collect  drugs"


def test_missing_columns_are_named(db: Database, org: Org, tmp_path: Path) -> None:
    problems = refused(db, write(tmp_path, "element,cycle\nCollect,1\n"))
    messages = " ".join(p.message for p in problems)
    assert "'element_order' is missing" in messages
    assert "'seconds' is missing" in messages


def test_an_unknown_column_is_refused(db: Database, org: Org, tmp_path: Path) -> None:
    problems = refused(db, write(tmp_path, f"{HEADER},ratng\nCollect,1,1,8,110\n"))
    assert where(problems) == [(1, "ratng")]


def test_an_empty_file_and_a_header_alone_are_refused(
    db: Database, org: Org, tmp_path: Path
) -> None:
    (empty,) = refused(db, write(tmp_path, b"", "empty.csv"))
    assert "the file is empty" in empty.message
    (header,) = refused(db, write(tmp_path, f"{HEADER}\n", "header.csv"))
    assert "no readings" in header.message


def test_a_file_not_in_utf8_says_so_and_the_options_are_still_checked(
    db: Database, org: Org, tmp_path: Path
) -> None:
    path = write(tmp_path, f"{HEADER}\nCaf\xe9 round,1,1,8\n".encode("cp1252"))
    problems = refused(db, path, options(allowance_pct=-5))
    assert problems[0].message == "Allowance cannot be negative (-5 %)"
    assert (problems[1].row, problems[1].column) == (2, "element")
    assert "this is not UTF-8 text" in problems[1].message


def test_excels_byte_order_mark_and_crlf_are_fine(db: Database, org: Org, tmp_path: Path) -> None:
    path = write(tmp_path, f"\ufeff{HEADER}\r\nCollect,1,1,8\r\n,,,\r\n".encode())
    assert import_timestudy(db, path, options()).readings == 1


def test_a_hostile_looking_name_is_stored_as_text(db: Database, org: Org, tmp_path: Path) -> None:
    path = write(tmp_path, f'{HEADER}\n"=HYPERLINK(""http://x"")",1,1,8\n"<b>&",2,1,3\n')
    import_timestudy(db, path, options())
    names = [e.name for e in find_study(db, "Drug round").elements]
    assert names == ['=HYPERLINK("http://x")', "<b>&"]


def test_more_than_two_hundred_elements_is_refused_once(
    db: Database, org: Org, tmp_path: Path
) -> None:
    rows = "".join(f"Step {n},{n},1,5\n" for n in range(1, 203))
    problems = refused(db, write(tmp_path, HEADER + "\n" + rows))
    assert where(problems) == [(202, "element_order"), (203, "element_order")]
    assert "must be from 1 to 200, not 201" in problems[0].message


def test_the_two_hundred_and_first_element_name_is_refused(
    db: Database, org: Org, tmp_path: Path
) -> None:
    rows = "".join(f"Step {n},{n},1,5\n" for n in range(1, 201))
    rows += "Step 1 again,200,2,5\nStep 201,199,3,5\n"
    problems = refused(db, write(tmp_path, HEADER + "\n" + rows))
    assert where(problems) == [(202, "element_order"), (203, "element_order")]


def test_a_file_over_the_row_limit_is_refused(
    db: Database, org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "MAX_ROWS", 10)
    rows = "".join(f"Collect,1,{cycle},8\n" for cycle in range(1, 12))
    problems = refused(db, write(tmp_path, HEADER + "\n" + rows))
    assert problems[-1].message == "the file has more than 10 rows; split it into smaller files"


def test_problems_stop_at_two_hundred(db: Database, org: Org, tmp_path: Path) -> None:
    rows = "".join(f"Collect,1,{cycle},0\n" for cycle in range(1, 400))
    problems = refused(db, write(tmp_path, HEADER + "\n" + rows))
    assert len(problems) == 201
    assert "stopped after 200 problems" in problems[-1].message


def test_forty_thousand_readings_import_in_seconds(db: Database, org: Org, tmp_path: Path) -> None:
    rows = "".join(
        f"Element {order},{order},{cycle},{5 + (order * cycle) % 17}.5\n"
        for cycle in range(1, 201)
        for order in range(1, 201)
    )
    path = write(tmp_path, HEADER + "\n" + rows)
    began = time.perf_counter()
    result = import_timestudy(db, path, options())
    elapsed = time.perf_counter() - began
    assert (result.elements, result.readings, result.cycles) == (200, 40_000, 200)
    assert elapsed < 30, f"{elapsed:.1f} s"
    readings = list_readings(db, result.study_id)
    assert [r.sequence for r in readings] == list(range(1, 40_001))
    assert next_position(readings, 200) == Position(201, 1)
