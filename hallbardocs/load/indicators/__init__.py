"""Indicators from files: a CSV of key figures, and saved Kolada API responses (v3 and the older v2).

A follow-up's ``indikatorer:`` list may hold complete indicators, or entries that refer to files:

* ``fil: indikatorer/nyckeltal.csv``: many indicators in one CSV, one row per indicator, series and year;
* ``kolada: indikatorer/N07702.json``: one indicator from a saved Kolada response, with ``kommun`` (whose
  values are the municipality's), ``jämförelse`` (a series name per Kolada id), and the indicator's
  ``namn``, ``enhet``, ``bättre`` and ``mål``.

:func:`expand_indicators` replaces those entries by complete indicators. Nothing is fetched over the
network. docs/indicators.md describes both formats. The problems:

=====  ============================================================================
HD901  a file that is missing, unreadable, not JSON or not a Kolada response
HD902  a CSV that lacks a column, or holds a value that is not a number, year or direction
HD903  a Kolada response without data for the municipality (or a comparison) or the KPI
HD904  a Kolada value whose status is neither empty nor ``Missing`` (warning; the value is kept)
HD905  a CSV indicator defined in two ways (two units, two names, two values for one year)
HD906  a value beyond ±10¹², or not a finite number (a Kolada ``NaN``)
HD907  a Kolada period (or a CSV target year) outside 1900–2200
=====  ============================================================================
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hallbardocs.errors import Location, Problem
from hallbardocs.files import DATA_LIMIT, NotUtf8, UnreadableFile, read_user_text
from hallbardocs.load.indicators.csvfile import read_indicator_csv
from hallbardocs.load.indicators.kolada import KOLADA_SOURCE, KoladaValue, municipality_id, read_kolada
from hallbardocs.load.indicators.numbers import parse_number
from hallbardocs.load.source import FieldPath, format_field_path
from hallbardocs.load.structured import bounded_json

__all__ = ["KOLADA_SOURCE", "KoladaValue", "expand_indicators", "parse_number", "read_indicator_csv", "read_kolada"]

_KEY = "indikatorer"


def expand_indicators(data: dict[str, Any], base_dir: Path, name: str) -> tuple[dict[str, Any], list[Problem]]:
    """A copy of the follow-up data with every ``fil:`` and ``kolada:`` entry of ``indikatorer``
    replaced by complete indicators, and the problems found in those files.

    ``data`` is never changed. ``base_dir`` is where relative file names start (the follow-up's
    folder); ``name`` is the follow-up file's name, for the problems' locations. An entry whose file
    cannot be used is left out (its problem says why); other entries are kept as they are.
    """
    out = dict(data)
    entries = data.get(_KEY)
    if not isinstance(entries, list):
        return out, []
    problems: list[Problem] = []
    expanded: list[Any] = []
    for i, entry in enumerate(entries):
        path: FieldPath = (_KEY, i)
        if isinstance(entry, Mapping) and "fil" in entry:
            expanded.extend(_from_csv_entry(entry, base_dir, name, path, problems))
        elif isinstance(entry, Mapping) and "kolada" in entry:
            indicator = _from_kolada_entry(entry, base_dir, name, path, problems)
            if indicator is not None:
                expanded.append(indicator)
        else:
            expanded.append(copy.deepcopy(entry))
    out[_KEY] = expanded
    return out, problems


def _here(name: str, path: FieldPath) -> Location:
    return Location(name, field=format_field_path(path))


def _file_of(entry: Mapping[str, Any], key: str, base_dir: Path, name: str, path: FieldPath) -> Path | Problem:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        return Problem("HD901", f"Ange filens namn i ”{key}”.", _here(name, path + (key,)))
    file = Path(value.strip())
    return file if file.is_absolute() else base_dir / file


def _from_csv_entry(
    entry: Mapping[str, Any], base_dir: Path, name: str, path: FieldPath, problems: list[Problem]
) -> list[dict[str, Any]]:
    file = _file_of(entry, "fil", base_dir, name, path)
    if isinstance(file, Problem):
        problems.append(file)
        return []
    for key in entry:
        if key not in ("fil", "källa"):
            problems.append(
                Problem(
                    "HD103",
                    f"Fältet ”{key}” finns inte för en CSV-fil; bara ”fil” och ”källa”.",
                    _here(name, path + (key,)),
                )
            )
    text = _read_text(file, name, path + ("fil",), problems)
    if text is None:
        return []
    indicators, found = read_indicator_csv(text, str(file))
    problems.extend(found)
    default_source = entry.get("källa")
    if isinstance(default_source, str) and default_source.strip():
        for indicator in indicators:
            indicator.setdefault("källa", default_source.strip())
    return indicators


def _read_text(file: Path, name: str, path: FieldPath, problems: list[Problem]) -> str | None:
    try:
        return read_user_text(file, DATA_LIMIT)
    except NotUtf8 as exc:
        problems.append(
            Problem(
                "HD901",
                f"Filen {file} är inte UTF-8 (byte {exc.byte}); spara den som UTF-8 (”CSV UTF-8” i Excel).",
                _here(name, path),
            )
        )
    except UnreadableFile as exc:
        problems.append(Problem("HD901", f"Filen {file} kan inte läsas: {exc.reason}.", _here(name, path)))
    return None


# --- a kolada: entry -----------------------------------------------------------------------------


def _from_kolada_entry(
    entry: Mapping[str, Any], base_dir: Path, name: str, path: FieldPath, problems: list[Problem]
) -> dict[str, Any] | None:
    file = _file_of(entry, "kolada", base_dir, name, path)
    if isinstance(file, Problem):
        problems.append(file)
        return None
    values = _kolada_values(file, name, path, problems)
    if values is None:
        return None
    comparison_ids = _comparison_ids(entry, name, path, problems)
    kpi = _chosen_kpi(entry, values, file, name, path, problems)
    if kpi is None:
        return None
    values = [v for v in values if v.kpi == kpi]
    ids = list(dict.fromkeys(v.municipality for v in values))
    municipality = _municipality_of(entry, ids, comparison_ids, file, name, path, problems)
    if municipality is None:
        return None
    where = _Series(values, ids, kpi, file, name, path, problems)
    own = where.series(municipality, "kommun", "kommunen")
    if own is None:
        return None
    out: dict[str, Any] = {"id": kpi}
    for key, value in entry.items():
        if key not in ("kolada", "kommun", "jämförelse", "kpi"):
            out[key] = copy.deepcopy(value)
    out["id"] = str(out.get("id") or kpi)
    out["värden"] = own
    comparisons: dict[str, dict[int, float | None]] = {}
    for series_name, ident in comparison_ids.items():
        found_series = where.series(ident, "jämförelse", f"”{series_name}”")
        if found_series is not None:
            comparisons[series_name] = found_series
    if comparisons:
        out["jämförelse"] = comparisons
    out.setdefault("källa", KOLADA_SOURCE)
    return out


def _kolada_values(file: Path, name: str, path: FieldPath, problems: list[Problem]) -> list[KoladaValue] | None:
    """The values of the saved response in ``file``, or None when it cannot be used."""
    text = _read_text(file, name, path + ("kolada",), problems)
    if text is None:
        return None
    try:
        data = bounded_json(text)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                "HD901", f"Filen {file} är ingen JSON (rad {exc.lineno}: {exc.msg}).", _here(name, path + ("kolada",))
            )
        )
        return None
    values, found = read_kolada(data, str(file))
    for problem in found:
        if problem.code == "HD901" and problem.location is not None and problem.location.field is None:
            problem = Problem(problem.code, f"{file}: {problem.message}", _here(name, path + ("kolada",)))
        problems.append(problem)
    if not values and any(p.code == "HD901" for p in found):
        return None
    return values


def _comparison_ids(entry: Mapping[str, Any], name: str, path: FieldPath, problems: list[Problem]) -> dict[str, str]:
    comparisons_given = entry.get("jämförelse", {})
    if not isinstance(comparisons_given, Mapping):
        problems.append(
            Problem(
                "HD102",
                '”jämförelse” ska para ihop seriens namn med ett id i Kolada, till exempel {Riket: "0000"}.',
                _here(name, path + ("jämförelse",)),
            )
        )
        comparisons_given = {}
    return {str(series): municipality_id(ident) for series, ident in comparisons_given.items()}


def _chosen_kpi(
    entry: Mapping[str, Any], values: list[KoladaValue], file: Path, name: str, path: FieldPath, problems: list[Problem]
) -> str | None:
    kpis = list(dict.fromkeys(v.kpi for v in values))
    wanted = entry.get("kpi", entry.get("id"))
    if wanted is not None:
        kpi = str(wanted).strip()
        if kpi not in kpis:
            inside = ", ".join(kpis) or "inga värden"
            problems.append(
                Problem(
                    "HD903",
                    f"Filen {file} har inga värden för nyckeltalet {kpi} (den har {inside}).",
                    _here(name, path),
                )
            )
            return None
        return kpi
    if len(kpis) == 1:
        return kpis[0]
    inside = ", ".join(kpis) or "inga värden"
    problems.append(
        Problem("HD903", f"Ange nyckeltalet med ”id”: filen {file} har {inside}.", _here(name, path + ("id",)))
    )
    return None


def _municipality_of(
    entry: Mapping[str, Any],
    ids: list[str],
    comparison_ids: dict[str, str],
    file: Path,
    name: str,
    path: FieldPath,
    problems: list[Problem],
) -> str | None:
    if "kommun" in entry:
        return municipality_id(entry["kommun"])
    others = [i for i in ids if i not in comparison_ids.values()]
    if len(others) != 1:
        problems.append(
            Problem(
                "HD903",
                f"Ange kommunens id i Kolada med ”kommun”: filen {file} har {', '.join(ids)}.",
                _here(name, path + ("kommun",)),
            )
        )
        return None
    return others[0]


class _Series:
    """One KPI's values in a file, picked out per Kolada id."""

    def __init__(
        self,
        values: list[KoladaValue],
        ids: list[str],
        kpi: str,
        file: Path,
        name: str,
        path: FieldPath,
        problems: list[Problem],
    ) -> None:
        self.values, self.ids, self.kpi, self.file = values, ids, kpi, file
        self.name, self.path, self.problems = name, path, problems

    def series(self, ident: str, key: str, label: str) -> dict[int, float | None] | None:
        chosen = sorted((v for v in self.values if v.municipality == ident), key=lambda v: v.period)
        if not chosen:
            self.problems.append(
                Problem(
                    "HD903",
                    f"Filen {self.file} har inga värden för {self.kpi} och {label} (id {ident}); "
                    f"den har {', '.join(self.ids)}.",
                    _here(self.name, self.path + (key,)),
                )
            )
            return None
        return {v.period: v.value for v in chosen}
