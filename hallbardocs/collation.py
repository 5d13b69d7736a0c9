"""The Swedish alphabetical order: ... X Y Z Å Ä Ö, W its own letter after V (re-exported by
:mod:`hallbardocs.formatting`, whose sorting it is).

>>> sorted_swedish(["Örebro", "Alingsås", "Åmål"])
['Alingsås', 'Åmål', 'Örebro']
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, overload

__all__ = ["sorted_swedish", "swedish_sort_key"]

_T = TypeVar("_T")

_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"

# Letters that are not "a base letter plus stripped marks" in Swedish order. The first five are
# Swedish usage (ü as y, æ as ä, ø as ö); the rest follow CLDR's Swedish collation or have no
# decomposition to strip (đ, ð, þ, ł, ı). é, è, á, ô ... need no entry: their marks are stripped.
_SPECIAL = {
    "ü": "y",
    "ű": "y",
    "æ": "ä",
    "ø": "ö",
    "ő": "ö",
    "œ": "ö",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ł": "l",
    "ı": "i",
}

# Primary weights by class: spaces and punctuation, then digits, then a-ö, then anything else
# (other scripts, by code point). Within a class the offset orders the characters.
_CLASS = 0x110000
_PUNCTUATION, _DIGIT, _LETTER, _OTHER = (0, _CLASS, 2 * _CLASS, 3 * _CLASS)

_weights: dict[str, tuple[int, ...]] = {letter: (_LETTER + i,) for i, letter in enumerate(_ALPHABET)}


def _char_weights(ch: str) -> tuple[int, ...]:
    """The primary weights of one casefolded character (a tuple: þ counts as two letters)."""
    cached = _weights.get(ch)
    if cached is not None:
        return cached
    if ch in _SPECIAL:
        result = tuple(w for c in _SPECIAL[ch] for w in _char_weights(c))
    elif ch.isdigit() and unicodedata.digit(ch, None) is not None:
        result = (_DIGIT + unicodedata.digit(ch),)
    else:
        stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()
        if stripped and stripped != ch:
            result = tuple(w for c in stripped for w in _char_weights(c))
        elif unicodedata.category(ch)[0] in "LNM":
            result = (_OTHER + ord(ch),)
        else:
            result = (_PUNCTUATION + ord(ch),)
    _weights[ch] = result
    return result


@functools.lru_cache(maxsize=8192)  # names repeat: each unit is sorted again for every measure
def swedish_sort_key(s: str) -> tuple[tuple[int, ...], str, str]:
    """A sort key for Swedish alphabetical order: ... x y z å ä ö, w its own letter after v.

    Case is ignored at first; é, è, ê, ë sort as e, á and à as a, ü as y, æ as ä, ø as ö, and
    other marks are stripped. Spaces and punctuation come before digits, digits before letters.
    Strings equal so far are ordered by their accents, then by the string itself, so the order
    is total and the same on every run.

    >>> sorted(["Ödeshög", "Åre", "Ängelholm", "Zinkgruvan"], key=swedish_sort_key)
    ['Zinkgruvan', 'Åre', 'Ängelholm', 'Ödeshög']
    """
    folded = unicodedata.normalize("NFC", s).casefold()
    primary: list[int] = []
    for ch in folded:
        primary.extend(_char_weights(ch))
    return (tuple(primary), folded, s)


@overload
def sorted_swedish(items: Iterable[str], key: None = None) -> list[str]: ...


@overload
def sorted_swedish(items: Iterable[_T], key: Callable[[_T], str]) -> list[_T]: ...


def sorted_swedish(items: Iterable[Any], key: Callable[[Any], str] | None = None) -> list[Any]:
    """A new list of ``items`` in Swedish alphabetical order; ``key`` gives each item's string.

    >>> sorted_swedish(["Västerås", "Ystad", "Wadköping", "Åre"])
    ['Västerås', 'Wadköping', 'Ystad', 'Åre']
    >>> sorted_swedish([{"namn": "Öckerö"}, {"namn": "Ale"}], key=lambda x: x["namn"])
    [{'namn': 'Ale'}, {'namn': 'Öckerö'}]
    """
    if key is None:
        return sorted(items, key=swedish_sort_key)
    extract = key
    return sorted(items, key=lambda item: swedish_sort_key(extract(item)))
