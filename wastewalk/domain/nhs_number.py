"""Recognising NHS numbers so they can be kept out of waste-walk notes.

An NHS number is ten digits, usually written 3-3-4 ("943 476 5919" or "943-476-5919"). The last
digit is a modulus 11 check digit over the first nine. Observers type free-text notes on the ward,
and a patient's NHS number must not end up in a report, so this module finds and redacts them.

Nothing here ever logs a number it has seen: the digits are patient-identifiable data.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

__all__ = [
    "SuspectedNhsNumber",
    "find_nhs_numbers",
    "is_valid_nhs_number",
    "looks_like_nhs_number",
    "redact_nhs_numbers",
]

DEFAULT_REPLACEMENT = "[NHS number removed]"

# Either ten contiguous digits or 3-3-4 groups joined by a single space or hyphen. The two
# separators may differ ("943 476-5919"): when redacting, a missed number is worse than an odd one
# caught. Text pasted from Word or a letter brings no-break spaces and en dashes, so those count as
# the space and hyphen they stand for. re.ASCII keeps \d to 0-9, so Arabic-Indic or superscript
# digits never form a number.
_SPACES = " \u00a0\u202f"
_HYPHENS = "\\-\u2010\u2011\u2013"
_SEPARATOR = f"[{_SPACES}{_HYPHENS}]"
_NUMBER_BODY = rf"(?:\d{{10}}|\d{{3}}{_SEPARATOR}\d{{3}}{_SEPARATOR}\d{{4}})"

_WHOLE_NUMBER = re.compile(_NUMBER_BODY, re.ASCII)

# A candidate must not be a slice of a longer digit run (a 12-digit reference, an 11-digit phone
# number). A hyphen between digits also joins them into one token ("2024-943-476-5919" is some
# other code), but a space does not, because prose puts numbers side by side ("bay 3 943 476 5919").
_NUMBER_IN_TEXT = re.compile(
    rf"(?<!\d)(?<!\d[{_HYPHENS}]){_NUMBER_BODY}(?!\d)(?![{_HYPHENS}]\d)",
    re.ASCII,
)

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class SuspectedNhsNumber:
    """A valid NHS number found in free text.

    ``start`` and ``end`` are the slice of the original text (``text[start:end]``), separators
    included; ``digits`` is the number as ten plain digits.
    """

    start: int
    end: int
    digits: str


def _expected_check_digit(first_nine: str) -> int | None:
    """Return the check digit for nine leading digits, or None when no digit can be valid."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        # The scheme deliberately leaves these prefixes unissued rather than use a non-digit.
        return None
    return check


def _digits_pass_check(digits: str) -> bool:
    """Check ten plain ASCII digits against the NHS modulus 11 rule."""
    # Ten identical digits satisfy the arithmetic (0000000000, 1111111111, ...) but are never
    # issued; they turn up as placeholders and test data.
    if len(set(digits)) == 1:
        return False
    return _expected_check_digit(digits[:9]) == int(digits[9])


_SEPARATOR_CHARS = re.compile(_SEPARATOR)


def _strip_separators(candidate: str) -> str:
    return _SEPARATOR_CHARS.sub("", candidate)


def is_valid_nhs_number(text: str) -> bool:
    """Return True if ``text`` is exactly one valid NHS number and nothing else.

    Accepts ten digits, or 3-3-4 groups separated by a single space or hyphen. Surrounding
    whitespace, other groupings and non-ASCII digits are rejected, as are numbers failing the
    check digit and numbers made of one digit repeated.
    """
    if _WHOLE_NUMBER.fullmatch(text) is None:
        return False
    return _digits_pass_check(_strip_separators(text))


def find_nhs_numbers(text: str) -> list[SuspectedNhsNumber]:
    """Find every valid NHS number in free text, in order of appearance.

    A candidate is ten contiguous digits or 3-3-4 groups joined by a single space or hyphen that
    is not part of a longer run of digits. Only candidates passing the check digit are returned,
    so ordinary ten-digit figures are mostly left alone (about one in eleven will pass by chance).
    """
    found: list[SuspectedNhsNumber] = []
    for match in _NUMBER_IN_TEXT.finditer(text):
        digits = _strip_separators(match.group())
        if _digits_pass_check(digits):
            found.append(SuspectedNhsNumber(start=match.start(), end=match.end(), digits=digits))
    return found


def redact_nhs_numbers(text: str, replacement: str = DEFAULT_REPLACEMENT) -> str:
    """Return ``text`` with every NHS number found by :func:`find_nhs_numbers` replaced."""
    found = find_nhs_numbers(text)
    if not found:
        return text
    pieces: list[str] = []
    position = 0
    for number in found:
        pieces.append(text[position : number.start])
        pieces.append(replacement)
        position = number.end
    pieces.append(text[position:])
    # Only the count is logged: the numbers themselves are patient-identifiable.
    logger.debug("Redacted %d NHS number(s) from free text", len(found))
    return "".join(pieces)


def looks_like_nhs_number(text: str) -> bool:
    """Return True if ``text`` contains at least one valid NHS number anywhere."""
    return bool(find_nhs_numbers(text))
