"""Saved Kolada API responses (v3 and the older v2): their total values, one per KPI, id and year."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hallbardocs.errors import Location, Problem
from hallbardocs.load.indicators.numbers import NOT_A_YEAR, parse_number
from hallbardocs.model.followup import indicator_number_ok, indicator_year_ok, number_text

__all__ = ["KOLADA_SOURCE", "KoladaValue", "municipality_id", "read_kolada"]

KOLADA_SOURCE = "Kolada"
"""The ``källa`` of an indicator read from Kolada; the chart credits it ``Källa: Kolada`` (RKA's terms)."""

_TOTAL = "T"
_MISSING = "Missing"


@dataclass(frozen=True)
class KoladaValue:
    """One value of a saved Kolada response: the total (gender ``T``) for one KPI, id and year."""

    kpi: str
    municipality: str
    period: int
    value: float | None
    status: str
    where: str
    """The record's place in the file, e.g. ``values[3].values[1]`` (or ``[2].values[3]…`` for pages)."""


def read_kolada(data: Any, file: str) -> tuple[list[KoladaValue], list[Problem]]:
    """The total values of a saved Kolada response: v3 (``values``, ``next_url``, ``isdeleted``),
    v2 (``values``, ``count``, ``next_page``), or a JSON array of such pages.

    A ``null`` value is a gap (``None``), never 0; deleted values are skipped. A status other than
    empty or ``Missing`` gives a warning (HD904) and the value is kept.
    """
    problems: list[Problem] = []
    pages = _pages(data)
    if pages is None:
        message = (
            "Filen är inget sparat svar från Kolada: ett sådant har en lista ”values” med kpi, municipality, "
            "period och values (API v3 eller v2)."
        )
        return [], [Problem("HD901", message, Location(file))]
    out: list[KoladaValue] = []
    for prefix, records in pages:
        for r, record in enumerate(records):
            where = f"{prefix}values[{r + 1}]"
            if not isinstance(record, Mapping):
                problems.append(Problem("HD901", "Posten är inget Kolada-värde.", Location(file, field=where)))
                continue
            out.extend(_record_values(record, where, file, problems))
    return out, problems


def _pages(data: Any) -> list[tuple[str, list[Any]]] | None:
    """The record lists of a response or of a list of pages, each with its path prefix."""

    def records(page: Any) -> list[Any] | None:
        if isinstance(page, Mapping) and isinstance(page.get("values"), list):
            values: list[Any] = page["values"]
            if all(isinstance(v, Mapping) and "kpi" in v and "period" in v for v in values):
                return values
        return None

    single = records(data)
    if single is not None:
        return [("", single)]
    if isinstance(data, list) and data:
        found = [records(page) for page in data]
        if all(f is not None for f in found):
            return [(f"[{n + 1}].", f) for n, f in enumerate(found) if f is not None]
    return None


def _record_values(record: Mapping[str, Any], where: str, file: str, problems: list[Problem]) -> Iterator[KoladaValue]:
    kpi, municipality, period = record.get("kpi"), record.get("municipality"), record.get("period")
    if isinstance(period, str) and period.strip().isdigit():
        period = int(period)
    if not isinstance(kpi, str) or not isinstance(municipality, str | int) or not isinstance(period, int):
        problems.append(
            Problem("HD901", "Posten saknar kpi, municipality eller period (ett årtal).", Location(file, field=where))
        )
        return
    if not indicator_year_ok(period):
        problems.append(Problem("HD907", NOT_A_YEAR.format(period), Location(file, field=where + ".period")))
        return
    entries = record.get("values")
    if not isinstance(entries, list):
        problems.append(Problem("HD901", "Posten saknar listan ”values”.", Location(file, field=where)))
        return
    for n, entry in enumerate(entries):
        here = f"{where}.values[{n + 1}]"
        if not isinstance(entry, Mapping) or entry.get("gender", _TOTAL) not in (_TOTAL, None):
            continue
        if entry.get("isdeleted") is True:
            continue
        status = entry.get("status") or ""
        raw = entry.get("value")
        value: float | None
        if raw is None or status == _MISSING:
            value = None
        elif isinstance(raw, int | float) and not isinstance(raw, bool):
            value = float(raw)
        else:
            try:
                value = parse_number(str(raw))
            except ValueError:
                problems.append(
                    Problem("HD901", f"Värdet {raw!r} är inget tal.", Location(file, field=here + ".value"))
                )
                continue
        if value is not None and not indicator_number_ok(value):
            message = f"Värdet {number_text(value)} är inget tal mellan −10¹² och 10¹²."
            problems.append(Problem("HD906", message, Location(file, field=here + ".value")))
            continue
        if status not in ("", _MISSING):
            problems.append(
                Problem(
                    "HD904",
                    f"Kolada anger status ”{status}” för {kpi} år {period}; värdet används ändå.",
                    Location(file, field=here + ".status"),
                    severity="varning",
                )
            )
        yield KoladaValue(kpi, municipality_id(municipality), period, value, str(status), here)


def municipality_id(value: object) -> str:
    """A Kolada id as text; a number written without quotes in YAML gets its four digits back (0 -> 0000)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:04d}"
    return str(value).strip()
