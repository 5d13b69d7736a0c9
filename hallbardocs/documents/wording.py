"""How statuses and counts are said in Swedish, once, for every document and workbook.

The miljöbokslut, the tjänsteskrivelse and the sector workbooks' instructions all take their
wording from here, so the same figures read the same everywhere: "Av 14 åtgärder är 5 genomförda,
7 pågår och 2 har avbrutits." The counts come from :mod:`hallbardocs.analysis`; nothing here counts.
"""

from __future__ import annotations

from collections.abc import Mapping

from hallbardocs.analysis import BUCKETS, Bucket
from hallbardocs.formatting import format_integer, format_list
from hallbardocs.model.followup import NOT_REPORTED, StatusLevel, StatusScale

__all__ = [
    "PHRASES",
    "count_text",
    "not_yet_reported_text",
    "scale_rows",
    "status_clauses",
    "status_sentence",
    "status_text",
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
