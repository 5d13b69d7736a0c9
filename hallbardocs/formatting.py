r"""Swedish formatting of dates, numbers, money and lists, and the Swedish alphabetical order
(:mod:`hallbardocs.collation`, re-exported here).

The only module of hallbardocs that imports babel. Everything is written for the locale sv_SE,
following Språkrådet and Myndigheternas skrivregler:

* dates ``2023-02-24`` (short) and ``24 februari 2023`` (running text), always the full year;
* numbers grouped with a no-break space (U+00A0) and a decimal comma, negatives with a real minus
  sign (U+2212, which babel does not give: it writes an ASCII hyphen), years never grouped;
* ``45 %``, ``12 500 kr``, ``12,5 tkr``, ``1,2 mnkr``, ``3,4 mdkr``; ranges with an en dash, ``2023–2030``;
* lists ``A, B och C`` (``A, a och b; B och C`` when an item holds a comma); sorting ... X Y Z Å Ä Ö.

Rounding is half away from zero (``2,5`` -> ``3``, ``0,125`` -> ``0,13``), as in Excel and as
readers expect; babel on its own rounds half to even. A value that rounds to zero is written
without a sign: never ``−0``.

:data:`FILTERS` are the same functions as Jinja filters with Swedish names, lenient about what a
template gives them (ISO date strings, numeric strings, ``None`` -> ``"–"``).

>>> format_number(-1234.5)
'−1\xa0234,5'
>>> format_mnkr(1_200_000)
'1,2\xa0mnkr'
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import babel.dates
import babel.lists
import babel.numbers
from babel import Locale

from hallbardocs.collation import sorted_swedish, swedish_sort_key

__all__ = [
    "EMPTY",
    "FILTERS",
    "Number",
    "format_date",
    "format_integer",
    "format_kronor",
    "format_compact_list",
    "format_list",
    "format_long_date",
    "format_mdkr",
    "format_mnkr",
    "format_number",
    "format_percent",
    "format_date_range",
    "format_range",
    "format_tkr",
    "format_year",
    "sorted_swedish",
    "swedish_sort_key",
]

Number = int | float | Decimal
"""What the number functions accept (``bool`` is refused: it is never meant as a number)."""

EMPTY = "–"
"""What a filter gives for ``None``: an en dash, the usual mark for "no value" in a table."""

_LOCALE_NAME = "sv_SE"
_NBSP = "\xa0"
_MINUS = "\u2212"
_EN_DASH = "\u2013"

# Enough digits for any amount a document holds; quantize() needs room for every digit it keeps.
_CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)
# babel quantizes again in the *current* context (28 digits by default): above this many digits
# we lend it ours.
_BABEL_SAFE_DIGITS = 28


# --- babel, set up once ----------------------------------------------------------------------


@functools.cache
def _locale() -> Locale:
    """The sv_SE Locale, parsed on first use and kept (parsing it costs far more than formatting)."""
    return Locale.parse(_LOCALE_NAME)


@functools.cache
def _pattern(decimals: int | None) -> babel.numbers.NumberPattern:
    """A parsed number pattern: up to three decimals for ``None``, else exactly ``decimals``."""
    if decimals is None:
        return babel.numbers.parse_pattern("#,##0.###")
    return babel.numbers.parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@functools.cache
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


# --- numbers ---------------------------------------------------------------------------------


def _to_decimal(x: object) -> Decimal:
    """``x`` as an exact Decimal; floats through their shortest repr (0.1 is 0.1, not 0.1000…05)."""
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, bool):
        raise TypeError(f"expected a number (int, float or Decimal), got {x!r} that is a bool")
    elif isinstance(x, int):
        value = Decimal(x)
    elif isinstance(x, float):
        value = Decimal(repr(x))
    else:
        raise TypeError(f"expected a number (int, float or Decimal), got {x!r} that is a {type(x).__name__}")
    if not value.is_finite():
        raise ValueError(f"expected a finite number, got {x!r}")
    return value


def _check_decimals(decimals: int) -> None:
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a whole number 0 or more, got {decimals!r}")


def _format_decimal(value: Decimal, decimals: int | None) -> str:
    """Round half away from zero, format the magnitude through babel, prefix a real minus sign."""
    if decimals is not None:
        _check_decimals(decimals)
    try:
        rounded = value.quantize(_quantum(3 if decimals is None else decimals), context=_CONTEXT)
    except decimal.InvalidOperation:
        raise ValueError(f"{value} is too large to format") from None
    magnitude = abs(rounded)  # also turns -0 into 0: a value that rounds to zero has no sign
    pattern = _pattern(decimals)
    if magnitude.adjusted() + 1 + (3 if decimals is None else decimals) <= _BABEL_SAFE_DIGITS:
        text = babel.numbers.format_decimal(magnitude, format=pattern, locale=_locale())
    else:
        with decimal.localcontext(_CONTEXT):
            text = babel.numbers.format_decimal(magnitude, format=pattern, locale=_locale())
    return _MINUS + text if rounded < 0 else text


def format_number(x: Number, decimals: int | None = None) -> str:
    r"""A number in Swedish: grouped with no-break spaces, decimal comma, real minus sign.

    With ``decimals=None`` as many decimals as needed, at most three; otherwise exactly ``decimals``.

    >>> format_number(1234.5)
    '1\xa0234,5'
    >>> format_number(-3.2)
    '−3,2'
    >>> format_number(3, decimals=1)
    '3,0'
    >>> format_number(-0.04, decimals=1)
    '0,0'
    """
    return _format_decimal(_to_decimal(x), decimals)


def format_integer(x: Number) -> str:
    r"""A number rounded to a whole number (half away from zero), grouped.

    >>> format_integer(71263221)
    '71\xa0263\xa0221'
    >>> format_integer(-1200)
    '−1\xa0200'
    >>> format_integer(2.5)
    '3'
    """
    return _format_decimal(_to_decimal(x), 0)


def format_year(y: int) -> str:
    """A year, never grouped (nor a page number, which is written the same way).

    >>> format_year(2030)
    '2030'
    """
    if isinstance(y, bool) or not isinstance(y, int):
        raise TypeError(f"expected a year as an int, got {y!r} that is a {type(y).__name__}")
    return _MINUS + str(-y) if y < 0 else str(y)


def format_percent(fraction: Number, decimals: int = 0) -> str:
    r"""A fraction as a percentage with a no-break space before ``%``: 0.45 is 45 %.

    >>> format_percent(0.45)
    '45\xa0%'
    >>> format_percent(0.125, decimals=1)
    '12,5\xa0%'
    >>> format_percent(-0.03)
    '−3\xa0%'
    """
    _check_decimals(decimals)
    return _format_decimal(_to_decimal(fraction).scaleb(2), decimals) + _NBSP + "%"


def format_kronor(amount: Number) -> str:
    r"""An amount of money in kronor: whole kronor, with öre only when the amount has öre.

    >>> format_kronor(12500)
    '12\xa0500\xa0kr'
    >>> format_kronor(1234.5)
    '1\xa0234,50\xa0kr'
    >>> format_kronor(-450000)
    '−450\xa0000\xa0kr'
    """
    value = _to_decimal(amount)
    to_ore = value.quantize(_quantum(2), context=_CONTEXT)
    decimals = 0 if to_ore == to_ore.to_integral_value() else 2
    return _format_decimal(value, decimals) + _NBSP + "kr"


def _format_scaled(amount: Number, exponent: int, unit: str, decimals: int) -> str:
    _check_decimals(decimals)
    return _format_decimal(_to_decimal(amount).scaleb(-exponent), decimals) + _NBSP + unit


def format_tkr(amount: Number, decimals: int = 1) -> str:
    r"""An amount in kronor written in thousands (tkr), with exactly ``decimals`` decimals.

    The decimals are always written, ``2,0 tkr`` too, so that a column of amounts lines up.

    >>> format_tkr(12500)
    '12,5\xa0tkr'
    >>> format_tkr(2000)
    '2,0\xa0tkr'
    >>> format_tkr(1_234_567, decimals=0)
    '1\xa0235\xa0tkr'
    """
    return _format_scaled(amount, 3, "tkr", decimals)


def format_mnkr(amount: Number, decimals: int = 1) -> str:
    r"""An amount in kronor written in millions (mnkr), with exactly ``decimals`` decimals.

    >>> format_mnkr(1_200_000)
    '1,2\xa0mnkr'
    >>> format_mnkr(2_000_000)
    '2,0\xa0mnkr'
    """
    return _format_scaled(amount, 6, "mnkr", decimals)


def format_mdkr(amount: Number, decimals: int = 1) -> str:
    r"""An amount in kronor written in billions (mdkr, miljarder), with exactly ``decimals`` decimals.

    >>> format_mdkr(3_400_000_000)
    '3,4\xa0mdkr'
    """
    return _format_scaled(amount, 9, "mdkr", decimals)


# --- dates, ranges, lists --------------------------------------------------------------------


def _check_date(d: object) -> date:
    # babel formats None as today: a missing date must never print as today's date.
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {d!r} that is a {type(d).__name__}")
    return d


def format_date(d: date) -> str:
    """A date in the short form, for tables and where space is short.

    >>> format_date(date(2023, 2, 24))
    '2023-02-24'
    """
    return _babel_date(_check_date(d), "short")


def format_long_date(d: date) -> str:
    """A date for running text: day without a leading zero, month in words, full year.

    >>> format_long_date(date(2023, 2, 4))
    '4 februari 2023'
    """
    return _babel_date(_check_date(d), "long")


@functools.lru_cache(maxsize=4096)
def _babel_date(d: date, form: str) -> str:
    """babel's date in ``form``; a plan repeats its dates, and babel takes 10 µs a call."""
    return babel.dates.format_date(d, form, locale=_locale())


def format_range(a: str, b: str) -> str:
    r"""A range of two already formatted values: an en dash and no spaces.

    >>> format_range("2023", "2030")
    '2023–2030'
    >>> format_range("50", format_percent(0.7))
    '50–70\xa0%'
    """
    return f"{a}{_EN_DASH}{b}"


def format_date_range(a: str, b: str) -> str:
    r"""A range of two dates written as numbers: an en dash with a space on each side, the first one
    no-break, so the dash never begins a line (the unspaced dash is hard to read between two dates
    that hold hyphens themselves).

    >>> format_date_range("2026-03-01", "2026-09-30")
    '2026-03-01\xa0– 2026-09-30'
    """
    return f"{a}{_NBSP}{_EN_DASH} {b}"


def format_list(items: Sequence[str]) -> str:
    """Items joined the Swedish way: commas, and ``och`` before the last (no serial comma).

    When an item holds a comma itself, semicolons separate the items, so that each stays whole
    (as Språkrådet advises); ``och`` then joins the last two only when neither holds a comma or
    an ``och`` of its own, which would make the boundary unclear.

    >>> format_list(["A", "B", "C"])
    'A, B och C'
    >>> format_list(["A", "B"])
    'A och B'
    >>> format_list([])
    ''
    >>> format_list(["Jämställdhet, jämlikhet och inkludering", "Res hållbart", "Ät hållbart"])
    'Jämställdhet, jämlikhet och inkludering; Res hållbart och Ät hållbart'
    >>> format_list(["Res hållbart", "Jämställdhet, jämlikhet och inkludering"])
    'Res hållbart; Jämställdhet, jämlikhet och inkludering'
    >>> format_list(["Klimat, energi", "Vatten"])
    'Klimat, energi; Vatten'
    """
    items = list(items)
    if not any("," in item for item in items):
        return babel.lists.format_list(items, locale=_locale())
    if len(items) < 2:
        return "".join(items)
    last = "; " if any(_is_compound(item) for item in items[-2:]) else " och "
    return "; ".join(items[:-1]) + last + items[-1]


def format_compact_list(items: Sequence[str]) -> str:
    """Items joined with commas only, for a table cell; semicolons when an item holds a comma.

    >>> format_compact_list(["2 Genomförd", "1 Pågår"])
    '2 Genomförd, 1 Pågår'
    >>> format_compact_list(["1 Klar, godkänd", "1 Pågår"])
    '1 Klar, godkänd; 1 Pågår'
    """
    return ("; " if any("," in item for item in items) else ", ").join(items)


def _is_compound(item: str) -> bool:
    """Whether ``item`` holds a comma or the word ``och``, so that ``och`` after it would blur the list."""
    return "," in item or " och " in f" {item.casefold()} "


# --- Jinja filters ---------------------------------------------------------------------------
#
# Templates hand filters whatever the context holds: dates or ISO strings, numbers or numeric
# strings, and None for an optional value left empty. None (and an empty string) gives EMPTY.
# Anything else a filter cannot read raises TypeError/ValueError naming the filter and the value;
# the renderer turns that into a template error.


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_arg(value: object, filter_name: str) -> Decimal:
    if isinstance(value, str):
        try:
            return _to_decimal(Decimal(value.strip()))
        except (decimal.InvalidOperation, ValueError):
            raise ValueError(
                f"filter {filter_name!r}: expected a number such as 1234.5 (decimal point, no spaces), got {value!r}"
            ) from None
    try:
        return _to_decimal(value)
    except (TypeError, ValueError) as error:
        raise type(error)(f"filter {filter_name!r}: {error}") from None


def _date_arg(value: object, filter_name: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            raise ValueError(f"filter {filter_name!r}: expected a date such as 2026-02-20, got {value!r}") from None
    raise TypeError(
        f"filter {filter_name!r}: expected a date or a date string such as 2026-02-20, "
        f"got {value!r} that is a {type(value).__name__}"
    )


def _filter_datum(value: object) -> str:
    """``2026-02-20``; accepts a date, a datetime or an ISO string."""
    return EMPTY if _is_empty(value) else format_date(_date_arg(value, "datum"))


def _filter_langt_datum(value: object) -> str:
    """``20 februari 2026``; accepts a date, a datetime or an ISO string."""
    return EMPTY if _is_empty(value) else format_long_date(_date_arg(value, "långt_datum"))


def _filter_tal(value: object, decimals: int | None = None) -> str:
    """``1 234,5``; ``{{ x | tal(1) }}`` for exactly one decimal."""
    return EMPTY if _is_empty(value) else _format_decimal(_number_arg(value, "tal"), decimals)


def _filter_heltal(value: object) -> str:
    """``71 263 221``: rounded to a whole number."""
    return EMPTY if _is_empty(value) else _format_decimal(_number_arg(value, "heltal"), 0)


def _filter_artal(value: object) -> str:
    """``2030``: an int, a whole-number string, or a date (its year)."""
    if _is_empty(value):
        return EMPTY
    if isinstance(value, date):
        return format_year(value.year)
    number = _number_arg(value, "årtal")
    if number != number.to_integral_value():
        raise ValueError(f"filter 'årtal': expected a whole year, got {value!r}")
    return format_year(int(number))


def _filter_procent(value: object, decimals: int = 0) -> str:
    """``45 %`` from 0.45; ``{{ x | procent(1) }}`` for one decimal."""
    return EMPTY if _is_empty(value) else format_percent(_number_arg(value, "procent"), decimals)


def _filter_kronor(value: object) -> str:
    """``12 500 kr``."""
    return EMPTY if _is_empty(value) else format_kronor(_number_arg(value, "kronor"))


def _filter_tkr(value: object, decimals: int = 1) -> str:
    """``12,5 tkr`` from 12500 (kronor)."""
    return EMPTY if _is_empty(value) else format_tkr(_number_arg(value, "tkr"), decimals)


def _filter_mnkr(value: object, decimals: int = 1) -> str:
    """``1,2 mnkr`` from 1200000 (kronor)."""
    return EMPTY if _is_empty(value) else format_mnkr(_number_arg(value, "mnkr"), decimals)


def _filter_mdkr(value: object, decimals: int = 1) -> str:
    """``3,4 mdkr`` from 3400000000 (kronor)."""
    return EMPTY if _is_empty(value) else format_mdkr(_number_arg(value, "mdkr"), decimals)


def _strings_arg(value: object, filter_name: str) -> list[object]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"filter {filter_name!r}: expected a list, got {value!r} that is a {type(value).__name__}")
    return list(value)


def _filter_lista(value: object) -> str:
    """``A, B och C`` from a list of strings; an empty list gives ``""``."""
    if value is None:
        return EMPTY
    strings: list[str] = []
    for item in _strings_arg(value, "lista"):
        if not isinstance(item, str):
            raise TypeError(
                f"filter 'lista': expected a list of strings, got the item {item!r} that is a {type(item).__name__}"
            )
        strings.append(item)
    return format_list(strings)


def _filter_versal(value: object) -> str:
    """The text with its first letter in upper case and the rest as written: ``miljöstrategins`` ->
    ``Miljöstrategins`` (Jinja's own ``capitalize`` would lower-case the rest)."""
    if value is None:
        return EMPTY
    if not isinstance(value, str):
        raise TypeError(f"filter 'versal': expected a text, got {value!r} that is a {type(value).__name__}")
    return value[:1].upper() + value[1:]


def _filter_svensk_ordning(value: object, nyckel: str = "namn") -> list[Any]:
    """The items in Swedish order: strings, or mappings sorted by their ``nyckel`` ("namn").

    ``None`` gives an empty list (a loop over nothing).
    """
    if value is None:
        return []
    items = _strings_arg(value, "svensk_ordning")

    def text_of(item: object) -> str:
        if isinstance(item, str):
            return item
        if isinstance(item, Mapping) and isinstance(item.get(nyckel), str):
            return str(item[nyckel])
        raise TypeError(f"filter 'svensk_ordning': expected strings or items with a text {nyckel!r}, got {item!r}")

    return sorted_swedish(items, key=text_of)


FILTERS: dict[str, Callable[..., Any]] = {
    "datum": _filter_datum,
    "långt_datum": _filter_langt_datum,
    "tal": _filter_tal,
    "heltal": _filter_heltal,
    "årtal": _filter_artal,
    "procent": _filter_procent,
    "kronor": _filter_kronor,
    "tkr": _filter_tkr,
    "mnkr": _filter_mnkr,
    "mdkr": _filter_mdkr,
    "lista": _filter_lista,
    "versal": _filter_versal,
    "svensk_ordning": _filter_svensk_ordning,
}
"""The Jinja filters offered to templates, by their Swedish names (see docs/templates.md)."""
