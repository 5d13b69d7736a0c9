"""How statuses and counts are said in Swedish, once, for every document and workbook.

The miljöbokslut, the tjänsteskrivelse and the sector workbooks' instructions all take their
wording from here, so the same figures read the same everywhere: "Av 14 åtgärder är 5 genomförda,
7 pågår och 2 har avbrutits." The counts come from :mod:`hallbardocs.analysis`; nothing here counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from hallbardocs.analysis import BUCKETS, Bucket
from hallbardocs.formatting import format_integer, format_list
from hallbardocs.model.followup import NOT_REPORTED, StatusLevel, StatusScale

__all__ = [
    "PHRASES",
    "compares_with_others",
    "count_text",
    "not_yet_reported_text",
    "scale_rows",
    "series_decimals",
    "series_in_text",
    "status_clauses",
    "status_sentence",
    "status_text",
    "unit_text",
]

PHRASES: dict[Bucket, tuple[str, str, str]] = {
    "genomförd": ("är", "genomförd", "genomförda"),
    "pågår": ("pågår", "", ""),
    "ej_påbörjad": ("har", "inte påbörjats", "inte påbörjats"),
    "avbruten": ("har", "avbrutits", "avbrutits"),
    "ej_relevant": ("är", "inte relevant", "inte relevanta"),
    "ej_rapporterad": ("har", "inte rapporterats", "inte rapporterats"),
    "inga_aktiviteter": ("har", "inga aktiviteter", "inga aktiviteter"),
}
"""How each bucket is said about n measures or activities, as (verb, complement singular, plural):
"är 5 genomförda", "7 pågår", "har 2 inte påbörjats", "1 har avbrutits"."""


def count_text(n: int, singular: str, plural: str) -> str:
    """``"1 åtgärd"``, ``"14 åtgärder"``.

    >>> count_text(1, "åtgärd", "åtgärder"), count_text(1200, "aktivitet", "aktiviteter")
    ('1 åtgärd', '1\\xa0200 aktiviteter')
    """
    return f"{format_integer(n)} {singular if n == 1 else plural}"


def status_text(level: StatusLevel) -> str:
    """``"● Genomförd"``: the symbol, then the word (in every document), so a status reads without colour."""
    return f"{level.symbol} {level.name}"


def status_clauses(counts: Mapping[Bucket, int]) -> str:
    """The clauses after "Av 14 åtgärder": the verb before the number in the first clause (Swedish
    word order after a fronted phrase), after it in the others; zeros left out.

    >>> status_clauses({"genomförd": 5, "pågår": 7, "avbruten": 2})
    'är 5 genomförda, 7 pågår och 2 har avbrutits'
    """
    clauses: list[str] = []
    for category in BUCKETS:
        n = counts.get(category, 0)
        if n <= 0:
            continue
        verb, one, many = PHRASES[category]
        complement = one if n == 1 else many
        words = (verb, format_integer(n), complement) if not clauses else (format_integer(n), verb, complement)
        clauses.append(" ".join(w for w in words if w))
    return format_list(clauses)


def status_sentence(
    counts: Mapping[Bucket, int], singular: str, plural: str, *, within: str = "", total: int | None = None
) -> str:
    """One sentence saying how many of the measures (or activities) are in each bucket.

    ``counts`` maps a bucket (``genomförd``, ``pågår``, ``ej_påbörjad``, ``avbruten``,
    ``ej_relevant``, ``ej_rapporterad`` or ``inga_aktiviteter``) to a number; zeros are left out.
    ``within`` follows the noun (``" i handlingsplanen för 2026"``); ``total``, when some items
    are counted in no bucket, is how many there are in all.

    >>> status_sentence({"genomförd": 5, "pågår": 7, "ej_påbörjad": 2}, "åtgärd", "åtgärder")
    'Av 14 åtgärder är 5 genomförda, 7 pågår och 2 har inte påbörjats.'
    >>> status_sentence({"genomförd": 0, "pågår": 1, "avbruten": 1}, "åtgärd", "åtgärder")
    'Av 2 åtgärder pågår 1 och 1 har avbrutits.'
    >>> status_sentence({"genomförd": 3}, "aktivitet", "aktiviteter")
    'Alla 3 aktiviteter är genomförda.'
    >>> status_sentence({"genomförd": 2, "inga_aktiviteter": 1}, "åtgärd", "åtgärder", within=" i planen")
    'Av 3 åtgärder i planen är 2 genomförda och 1 har inga aktiviteter.'
    """
    present = [(category, n) for category, n in counts.items() if n > 0 and category in PHRASES]
    counted = sum(n for _, n in present)
    whole = counted if total is None else total
    if whole == 0:
        return f"Det finns inga {plural}{within} att redovisa."
    if len(present) == 1 and counted == whole > 1:
        verb, _, complement = PHRASES[present[0][0]]
        return " ".join(w for w in ("Alla", format_integer(whole), plural + within, verb, complement) if w) + "."
    noun = singular if whole == 1 else plural
    return f"Av {format_integer(whole)} {noun}{within} {status_clauses(dict(present))}."


def scale_rows(scale: StatusScale) -> list[tuple[str, str]]:
    """Each level of a scale as it is explained to the people who report: ``("● Genomförd (G)",
    what it means)``. The sector workbooks' instructions list these."""
    rows = []
    for level in scale.levels:
        name = f"{level.name} ({level.code})" if level.code else level.name
        rows.append((f"{level.symbol} {name}", level.description or ""))
    return rows


def not_yet_reported_text() -> str:
    """What the workbook's instructions say about an activity that cannot be reported yet."""
    return f"Kan en aktivitet inte rapporteras ännu lämnar du statusen tom. Den visas då som ”{NOT_REPORTED.name}”."


# --- indicators ---------------------------------------------------------------------------------

_PERCENT_UNITS = frozenset({"%", "procent"})
_SHARE_UNITS = frozenset({"%", "procent", "‰", "promille", "andel", "kvot", "index"})
_RATIO = re.compile(r"/|\bper\b", re.IGNORECASE)
_MAX_DECIMALS = 3


def unit_text(unit: str) -> str:
    """An indicator's unit as the documents print it: a percentage is always ``%`` (as
    :func:`~hallbardocs.formatting.format_percent` writes it), whether the data says ``procent`` or
    ``%``, so one document never mixes the two; any other unit as given.

    >>> unit_text("procent"), unit_text(" % "), unit_text("ton CO2-ekv/invånare")
    ('%', '%', 'ton CO2-ekv/invånare')
    """
    unit = unit.strip()
    return "%" if unit.casefold() in _PERCENT_UNITS else unit


def compares_with_others(unit: str) -> bool:
    """Whether an indicator in this unit can be compared with other municipalities, the county or
    the country: a share or rate (``%``, ``procent``, ``promille``, ``index``) or a value per something
    (``kg/invånare``, ``kWh per m²``) can; an absolute total (``ton CO2-ekv``, ``kWh``, ``antal``)
    cannot, since a large municipality has a large total (docs/indicators.md).

    >>> compares_with_others("procent"), compares_with_others("ton CO2-ekv/invånare")
    (True, True)
    >>> compares_with_others("ton CO2-ekv"), compares_with_others("antal")
    (False, False)
    """
    unit = unit.strip()
    return unit.casefold() in _SHARE_UNITS or bool(_RATIO.search(unit))


def _decimals(value: float) -> int:
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(_MAX_DECIMALS, max(0, -exponent)) if isinstance(exponent, int) else 0


def series_decimals(values: Iterable[float | None]) -> int:
    """How many decimals a series of values is printed with: as many as its most precise value has
    (at most three), so a series with one decimal prints ``33,0`` beside ``31,4``, not ``33``.

    The values are numbers once read (YAML, CSV and Kolada all give floats), so the decimals a
    value was written with are known only from the series: the series is the precision.

    >>> series_decimals([31.4, 33.0, None, 34.75]), series_decimals([424, 431.0]), series_decimals([])
    (2, 0, 0)
    """
    return max((_decimals(v) for v in values if v is not None), default=0)


_GENERIC_SERIES = ("liknande ", "riket", "länet", "regionen", "kommungruppen", "alla ", "samtliga ", "övriga ")


def series_in_text(name: str) -> str:
    """A comparison series' name inside a sentence: a generic name starts in lower case (``bättre än
    liknande kommuner``, ``i nivå med riket``), a proper name keeps its capital (``Västra
    Götalands län``, ``Göteborg``). A table's header cell shows the name as given.

    >>> series_in_text("Liknande kommuner"), series_in_text("Riket"), series_in_text("Västra Götalands län")
    ('liknande kommuner', 'riket', 'Västra Götalands län')
    """
    if name.casefold().startswith(_GENERIC_SERIES) and name[:1].isupper() and not name[1:2].isupper():
        return name[:1].lower() + name[1:]
    return name
