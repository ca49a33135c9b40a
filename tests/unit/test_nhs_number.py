"""Tests for NHS number validation, detection and redaction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wastewalk.domain.nhs_number import (
    SuspectedNhsNumber,
    find_nhs_numbers,
    is_valid_nhs_number,
    looks_like_nhs_number,
    redact_nhs_numbers,
)

REMOVED = "[NHS number removed]"


def reference_check_digit(first_nine: str) -> int | None:
    """Independent oracle written straight from the rule, not shared with the code under test."""
    total = 0
    for index, char in enumerate(first_nine):
        total += int(char) * (10 - index)
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


# --- is_valid_nhs_number -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_numbers(text: str) -> None:
    assert is_valid_nhs_number(text)


def test_wrong_check_digit_is_invalid() -> None:
    assert not is_valid_nhs_number("9434765918")


@pytest.mark.parametrize("digit", "0123456789")
def test_ten_identical_digits_are_not_valid(digit: str) -> None:
    number = digit * 10
    # The arithmetic alone accepts these; the rule must reject them explicitly.
    assert reference_check_digit(number[:9]) == int(digit)
    assert not is_valid_nhs_number(number)
    assert find_nhs_numbers(f"Patient {number} seen") == []
    assert not looks_like_nhs_number(number)


def test_remainder_giving_check_ten_is_invalid_whatever_the_last_digit() -> None:
    prefix = "000000006"  # 6 x 2 = 12, remainder 1, check 11 - 1 = 10
    assert reference_check_digit(prefix) is None
    for last in "0123456789":
        assert not is_valid_nhs_number(prefix + last)
        assert find_nhs_numbers(f"ref {prefix}{last}") == []


def test_remainder_zero_gives_check_digit_zero() -> None:
    prefix = "000000014"  # 1 x 3 + 4 x 2 = 11, remainder 0, check 11 -> 0
    assert reference_check_digit(prefix) == 0
    assert is_valid_nhs_number(prefix + "0")
    assert not is_valid_nhs_number(prefix + "1")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        " 9434765919",
        "9434765919 ",
        "9434765919\n",
        "943  476 5919",  # double space
        "943--476-5919",
        "9434 765 919",  # wrong grouping
        "94 347 65919",
        "943 4765919",  # only one separator
        "943.476.5919",
        "943_476_5919",
        "943\t476\t5919",
        "abcdefghij",
        "943 476 591a",
        "٩٤٣٤٧٦٥٩١٩",  # Arabic-Indic digits: not ASCII, never treated as a number
        "９４３４７６５９１９",  # full-width digits
    ],
)
def test_anything_else_is_invalid(text: str) -> None:
    assert not is_valid_nhs_number(text)


def test_mixed_separators_are_accepted() -> None:
    assert is_valid_nhs_number("943 476-5919")
    assert find_nhs_numbers("x 943-476 5919 y") == [SuspectedNhsNumber(2, 14, "9434765919")]


# --- find_nhs_numbers ----------------------------------------------------------------------------


def test_empty_string_gives_empty_list() -> None:
    assert find_nhs_numbers("") == []
    assert not looks_like_nhs_number("")
    assert redact_nhs_numbers("") == ""


def test_spaced_number_in_sentence_found_with_span() -> None:
    text = "Patient 943 476 5919 waited in bay 3"
    found = find_nhs_numbers(text)
    assert found == [SuspectedNhsNumber(start=8, end=20, digits="9434765919")]
    assert text[found[0].start : found[0].end] == "943 476 5919"


def test_hyphenated_number_found() -> None:
    text = "NHS no. 943-476-5919."
    [hit] = find_nhs_numbers(text)
    assert text[hit.start : hit.end] == "943-476-5919"
    assert hit.digits == "9434765919"


def test_contiguous_number_found_at_edges() -> None:
    assert find_nhs_numbers("9434765919") == [SuspectedNhsNumber(0, 10, "9434765919")]
    assert find_nhs_numbers("(9434765919)") == [SuspectedNhsNumber(1, 11, "9434765919")]


def test_invalid_number_in_text_not_found() -> None:
    assert find_nhs_numbers("Patient 943 476 5918 waited") == []


@pytest.mark.parametrize(
    "text",
    [
        "Order 194347659190 placed",  # inside a 12-digit run
        "Order 19434765919 placed",  # digit before
        "Order 94347659191 placed",  # digit after
        "1943 476 5919",  # first group really has four digits
        "943 476 59190",  # last group really has five digits
        "2024-943-476-5919",  # hyphen joins it to a longer code
        "943-476-5919-12",
        "12-9434765919",
    ],
)
def test_number_inside_longer_digit_run_not_found(text: str) -> None:
    assert find_nhs_numbers(text) == []
    assert redact_nhs_numbers(text) == text


def test_phone_numbers_with_other_groupings_not_found() -> None:
    # 07700 900123 and 020 7946 0958 are 11 digits in non-3-3-4 groups.
    assert find_nhs_numbers("Call 07700 900123 or 020 7946 0958") == []


def test_spaced_neighbouring_numbers_do_not_block_detection() -> None:
    text = "bay 3 943 476 5919 12 beds"
    assert find_nhs_numbers(text) == [SuspectedNhsNumber(6, 18, "9434765919")]


def test_several_numbers_found_in_order() -> None:
    text = "9434765919, 401 023 2137 and 943-476-5918 (typo)"
    assert find_nhs_numbers(text) == [
        SuspectedNhsNumber(0, 10, "9434765919"),
        SuspectedNhsNumber(12, 24, "4010232137"),
    ]


def test_unicode_around_number_is_fine() -> None:
    text = "Pátiënt — 943 476 5919 — attendu à l’accueil 🚑 ٣"
    [hit] = find_nhs_numbers(text)
    assert text[hit.start : hit.end] == "943 476 5919"
    assert hit.digits == "9434765919"


def test_non_ascii_digits_next_to_number_do_not_join_it() -> None:
    # Only ASCII digits make a run; an Arabic-Indic digit touching the number is just a character.
    assert find_nhs_numbers("٣9434765919") == [SuspectedNhsNumber(1, 11, "9434765919")]


def test_suspected_number_is_frozen() -> None:
    hit = SuspectedNhsNumber(0, 10, "9434765919")
    with pytest.raises(AttributeError):
        hit.start = 1  # type: ignore[misc]


# --- redact_nhs_numbers and looks_like_nhs_number ------------------------------------------------


def test_redact_replaces_every_number() -> None:
    text = "Patient 943 476 5919 waited; sibling 4010232137 too."
    assert redact_nhs_numbers(text) == f"Patient {REMOVED} waited; sibling {REMOVED} too."


def test_redact_custom_replacement() -> None:
    assert redact_nhs_numbers("id 943-476-5919!", replacement="***") == "id ***!"
    assert redact_nhs_numbers("id 943-476-5919!", replacement="") == "id !"


def test_redact_leaves_text_without_numbers_alone() -> None:
    text = "Waited 12 minutes for porter; 0000000000 on the form; ☕"
    assert redact_nhs_numbers(text) == text


def test_looks_like_nhs_number() -> None:
    assert looks_like_nhs_number("see 943 476 5919")
    assert not looks_like_nhs_number("see 943 476 5918")
    assert not looks_like_nhs_number("no numbers here")


# --- properties ----------------------------------------------------------------------------------

prefixes = st.text(alphabet="0123456789", min_size=9, max_size=9)
# Words may hold anything except ASCII digits, so they can never extend or create a candidate.
words = st.text(
    alphabet=st.characters(blacklist_characters="0123456789", blacklist_categories=["Cs"]),
    max_size=30,
)
separators = st.sampled_from(["", " ", "-"])


def format_number(digits: str, separator: str) -> str:
    return separator.join([digits[:3], digits[3:6], digits[6:]])


@given(prefix=prefixes, separator=separators, before=words, after=words)
def test_property_valid_number_is_found_in_random_words(
    prefix: str, separator: str, before: str, after: str
) -> None:
    check = reference_check_digit(prefix)
    digits = prefix + str(check)
    if check is None or len(set(digits)) == 1:
        assert not is_valid_nhs_number(prefix + "0")
        return
    written = format_number(digits, separator)
    text = f"{before} {written} {after}"
    start = len(before) + 1

    assert is_valid_nhs_number(written)
    assert find_nhs_numbers(text) == [SuspectedNhsNumber(start, start + len(written), digits)]
    assert looks_like_nhs_number(text)
    assert redact_nhs_numbers(text) == f"{before} {REMOVED} {after}"


@given(prefix=prefixes, separator=separators, delta=st.sampled_from([1, -1]), before=words)
def test_property_check_digit_off_by_one_is_invalid(
    prefix: str, separator: str, delta: int, before: str
) -> None:
    check = reference_check_digit(prefix)
    if check is None:
        return
    wrong = prefix + str((check + delta) % 10)
    written = format_number(wrong, separator)
    assert not is_valid_nhs_number(written)
    assert find_nhs_numbers(f"{before} {written} x") == []


@given(prefix=prefixes, last=st.sampled_from("0123456789"))
def test_property_validity_matches_reference(prefix: str, last: str) -> None:
    digits = prefix + last
    expected = reference_check_digit(prefix) == int(last) and len(set(digits)) > 1
    assert is_valid_nhs_number(digits) is expected
    assert is_valid_nhs_number(format_number(digits, " ")) is expected


@given(text=st.text(alphabet="0123456789 -aé", max_size=80))
def test_property_findings_are_valid_ordered_spans_and_redaction_is_complete(text: str) -> None:
    found = find_nhs_numbers(text)
    previous_end = 0
    for hit in found:
        assert previous_end <= hit.start < hit.end
        assert is_valid_nhs_number(text[hit.start : hit.end])
        assert text[hit.start : hit.end].replace(" ", "").replace("-", "") == hit.digits
        previous_end = hit.end
    redacted = redact_nhs_numbers(text)
    assert find_nhs_numbers(redacted) == []
    assert redacted.count(REMOVED) == len(found)


@pytest.mark.parametrize(
    "pasted",
    [
        "943\u00a0476\u00a05919",  # no-break spaces, as Word pastes them
        "943\u202f476\u202f5919",  # narrow no-break spaces
        "943\u2013476\u20135919",  # en dashes
        "943\u2011476\u20115919",  # non-breaking hyphens
    ],
)
def test_numbers_pasted_with_typographic_separators_are_found(pasted: str) -> None:
    text = f"Pt {pasted} waiting for TTOs"
    found = find_nhs_numbers(text)
    assert [(f.digits, text[f.start : f.end]) for f in found] == [("9434765919", pasted)]
    assert redact_nhs_numbers(text) == "Pt [NHS number removed] waiting for TTOs"
