"""Numbers and years in indicator files: :func:`parse_number`, and the messages both file kinds share."""

from __future__ import annotations

import re

from hallbardocs.model.followup import INDICATOR_YEARS

__all__ = ["NOT_A_YEAR", "TOO_LARGE", "parse_number"]

_GAPS = ("", "..", "–")
_SPACES = re.compile(r"[ \u00a0\u2009\u202f]")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")

TOO_LARGE = "Talet ”{}” är för stort; ett värde ska ligga mellan −10¹² och 10¹²."
NOT_A_YEAR = f"Året ”{{}}” ska vara ett årtal mellan {INDICATOR_YEARS[0]} och {INDICATOR_YEARS[1]}."


def parse_number(text: str) -> float | None:
    """A number as people write it: Swedish decimal comma, grouping spaces, a real minus sign.

    Empty text, ``..`` and ``–`` mean "no value" and give ``None``; anything else that is not a
    number raises :class:`ValueError`.

    >>> parse_number("1 234,5")
    1234.5
    >>> parse_number("\u22123,25")
    -3.25
    >>> parse_number("..") is None
    True
    """
    cleaned = _SPACES.sub("", text.strip()).replace("\u2212", "-")
    if cleaned in _GAPS:
        return None
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"not a number: {text!r}")
    return float(cleaned.replace(",", "."))

