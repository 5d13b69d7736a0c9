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
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hallbardocs.content import shorten
from hallbardocs.errors import Location, Problem
from hallbardocs.files import DATA_LIMIT, NotUtf8, UnreadableFile, read_user_text
from hallbardocs.load.source import FieldPath, format_field_path
from hallbardocs.load.structured import bounded_json
from hallbardocs.model.followup import INDICATOR_YEARS, indicator_number_ok, indicator_year_ok, number_text

__all__ = ["KOLADA_SOURCE", "KoladaValue", "expand_indicators", "parse_number", "read_indicator_csv", "read_kolada"]

KOLADA_SOURCE = "Kolada"
"""The ``källa`` of an indicator read from Kolada; the chart credits it ``Källa: Kolada`` (RKA's terms)."""

_KEY = "indikatorer"
_TOTAL = "T"
_MISSING = "Missing"
_MUNICIPALITY_SERIES = ("", "kommunen")

_REQUIRED_COLUMNS = ("id", "namn", "enhet", "bättre", "år", "värde")
_OPTIONAL_COLUMNS = ("serie", "målvärde", "målår", "källa", "kommentar")
_DEFINITION_COLUMNS = ("namn", "enhet", "bättre", "målvärde", "målår", "källa", "kommentar")
_GAPS = ("", "..", "–")
_SPACES = re.compile(r"[ \u00a0\u2009\u202f]")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


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


# --- the follow-up's list ------------------------------------------------------------------------


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


# --- CSV -----------------------------------------------------------------------------------------


@dataclass
class _CsvIndicator:
    definition: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Each definition column's value and the line it was first given on."""
    series: dict[str, dict[int, tuple[float | None, int]]] = field(default_factory=dict)
    """Per series ("" is the municipality's): value and line per year."""


def read_indicator_csv(text: str, file: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Indicators from a CSV text (``id;namn;enhet;bättre;målvärde;målår;serie;år;värde``).

    The separator is ``;`` or ``,``, whichever the header row uses. ``file`` names the file in the
    problems, which carry the line and the column.
    """
    problems: list[Problem] = []
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [Problem("HD902", "CSV-filen är tom; den ska börja med en rubrikrad.", Location(file, 1))]
    header = lines[0]
    delimiter = ";" if header.count(";") >= header.count(",") and ";" in header else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [c.strip().casefold() for c in next(reader)]
    missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
    if missing:
        names = ", ".join(f"”{c}”" for c in missing)
        problems.append(
            Problem(
                "HD902",
                f"Kolumn {names} saknas i rubrikraden; den ska ha {';'.join(_REQUIRED_COLUMNS[:4])};målvärde;målår;serie;år;värde.",
                Location(file, 1),
            )
        )
        return [], problems
    for column in columns:
        if column not in _REQUIRED_COLUMNS + _OPTIONAL_COLUMNS:
            problems.append(
                Problem(
                    "HD902", f"Kolumnen ”{column}” används inte.", Location(file, 1, field=column), severity="varning"
                )
            )

    found: dict[str, _CsvIndicator] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        misread = _misread_row(row, columns, delimiter)
        if misread is not None:  # none of the row's cells can be trusted: the row is not used
            column, message = misread
            problems.append(Problem("HD902", message, Location(file, line, field=column)))
            continue
        cells = {c: (row[n].strip() if n < len(row) else "") for n, c in enumerate(columns)}
        _read_row(cells, file, line, found, problems)
    indicators = [_csv_indicator(ident, ind, file, problems) for ident, ind in found.items()]
    return indicators, problems


_WHOLE = re.compile(r"[+\-\u2212]?\d+")
_DIGITS = re.compile(r"\d+")
_TEXT_COLUMNS = frozenset({"id", "namn", "enhet", "bättre", "serie", "källa", "kommentar"})


def _column_letter(n: int) -> str:
    """The spreadsheet name of the ``n``-th column (from 1): A … Z, AA …"""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _misread_row(row: list[str], columns: list[str], delimiter: str) -> tuple[str, str] | None:
    """Why a CSV row does not fit its header, as (the cell's column, a message), or None if it fits.

    A row with more filled cells than the header has is misread, and so is, with the ``,``
    separator, a whole number in a number column followed by bare digits where text belongs: an
    unquoted decimal comma (``12,5`` read as 12 and a ``källa`` of 5).
    """
    extra = [n for n in range(len(columns), len(row)) if row[n].strip()]
    if delimiter == ",":
        for column in ("värde", "målvärde"):
            if column not in columns:
                continue
            n = columns.index(column)
            if n + 1 >= len(row) or not _WHOLE.fullmatch(row[n].strip()) or not _DIGITS.fullmatch(row[n + 1].strip()):
                continue
            after = columns[n + 1] if n + 1 < len(columns) else None
            if extra or after in _TEXT_COLUMNS:
                written = f"{row[n].strip()},{row[n + 1].strip()}"
                return column, (
                    f"Talet ”{written}” har delats i två celler av kommatecknet, som skiljer kolumnerna åt i den här "
                    f'filen; skriv det inom citattecken, "{written}", eller använd semikolon som avgränsare.'
                )
    if extra:
        n = extra[0]
        cell = f"kolumn {_column_letter(n + 1)}"
        hint = (
            ' Ett tal med decimalkomma ska stå inom citattecken, till exempel "12,5", när kommatecknet skiljer kolumnerna åt.'
            if delimiter == ","
            else ""
        )
        return cell, (
            f"Raden har {len(row)} celler men rubrikraden bara {len(columns)}: cellen i {cell} "
            f"(”{shorten(row[n].strip(), 30)}”) hör inte till någon kolumn.{hint}"
        )
    return None


def _read_row(
    cells: dict[str, str], file: str, line: int, found: dict[str, _CsvIndicator], problems: list[Problem]
) -> None:
    def bad(column: str, message: str) -> None:
        problems.append(Problem("HD902", message, Location(file, line, field=column)))

    ident = cells["id"]
    if not ident:
        bad("id", "Raden saknar id.")
        return
    year: int | None = None
    try:
        year_number = parse_number(cells["år"])
    except ValueError:
        year_number = None
    if year_number is not None and year_number == int(year_number) and 1900 <= year_number <= 2200:
        year = int(year_number)
    else:
        bad("år", f"Året ”{cells['år']}” är inget årtal (till exempel 2024).")
    value: float | None = None
    value_ok = True
    try:
        value = parse_number(cells["värde"])
    except ValueError:
        bad("värde", f"Värdet ”{cells['värde']}” är inget tal; skriv till exempel 1 234,5 eller lämna tomt.")
        value_ok = False
    if value is not None and not indicator_number_ok(value):
        too_large = _TOO_LARGE.format(shorten(cells["värde"], 30))
        problems.append(Problem("HD906", too_large, Location(file, line, field="värde")))
        value_ok = False
    direction = cells["bättre"].casefold()
    if direction and direction not in ("högre", "lägre"):
        bad("bättre", f"”{cells['bättre']}” ska vara ”högre” eller ”lägre”.")
        cells["bättre"] = ""
    elif direction:
        cells["bättre"] = direction
    target_ok = True
    for column in ("målvärde", "målår"):
        if cells.get(column):
            try:
                number = parse_number(cells[column])
            except ValueError:
                bad(column, f"”{cells[column]}” i kolumnen {column} är inget tal.")
                target_ok = False
                continue
            if number is None:
                continue
            where = Location(file, line, field=column)
            if column == "målvärde" and not indicator_number_ok(number):
                problems.append(Problem("HD906", _TOO_LARGE.format(shorten(cells[column], 30)), where))
                target_ok = False
            elif column == "målår" and not (number == int(number) and indicator_year_ok(int(number))):
                problems.append(Problem("HD907", _NOT_A_YEAR.format(shorten(cells[column], 30)), where))
                target_ok = False
    if not target_ok:  # the row's target is not used; its other half is then no problem of its own
        cells["målvärde"] = cells["målår"] = ""

    indicator = found.setdefault(ident, _CsvIndicator())
    for column in _DEFINITION_COLUMNS:
        given = cells.get(column, "")
        if not given:
            continue
        first = indicator.definition.setdefault(column, (given, line))
        if _normal(column, first[0]) != _normal(column, given):
            problems.append(
                Problem(
                    "HD905",
                    f"Indikatorn ”{ident}” har {column} ”{first[0]}” på rad {first[1]} men ”{given}” här.",
                    Location(file, line, field=column),
                )
            )
    if year is None or not value_ok:
        return  # the row still defines the indicator, but its value is not used
    serie = cells.get("serie", "")
    series_name = "" if serie.casefold() in _MUNICIPALITY_SERIES else serie
    values = indicator.series.setdefault(series_name, {})
    if year in values and values[year][0] != value:
        who = f"serien ”{series_name}”" if series_name else "kommunen"
        problems.append(
            Problem(
                "HD905",
                f"Indikatorn ”{ident}” har två värden för {who} år {year} (rad {values[year][1]} och här).",
                Location(file, line, field="värde"),
            )
        )
        return
    values[year] = (value, line)


_TOO_LARGE = "Talet ”{}” är för stort; ett värde ska ligga mellan −10¹² och 10¹²."
_NOT_A_YEAR = f"Året ”{{}}” ska vara ett årtal mellan {INDICATOR_YEARS[0]} och {INDICATOR_YEARS[1]}."


def _normal(column: str, text: str) -> object:
    if column in ("målvärde", "målår"):
        try:
            return parse_number(text)
        except ValueError:
            return text
    return text.casefold() if column == "bättre" else text


def _csv_indicator(ident: str, found: _CsvIndicator, file: str, problems: list[Problem]) -> dict[str, Any]:
    definition = {column: text for column, (text, _) in found.definition.items()}
    out: dict[str, Any] = {"id": ident}
    for column in ("namn", "enhet", "bättre"):
        if column in definition:
            out[column] = definition[column]
    target_value, target_year = definition.get("målvärde"), definition.get("målår")
    if target_value and target_year:
        value, year = parse_number(target_value), parse_number(target_year)
        out["mål"] = {"värde": value, "år": int(year) if year is not None else year}
    elif target_value or target_year:
        column = "målår" if target_value else "målvärde"
        line = found.definition["målvärde" if target_value else "målår"][1]
        problems.append(
            Problem(
                "HD902",
                f"Indikatorn ”{ident}” har {'målvärde' if target_value else 'målår'} men inget {column}.",
                Location(file, line, field=column),
            )
        )
    out["värden"] = {year: value for year, (value, _) in sorted(found.series.get("", {}).items())}
    comparisons = {
        name: {year: value for year, (value, _) in sorted(values.items())}
        for name, values in found.series.items()
        if name
    }
    if comparisons:
        out["jämförelse"] = comparisons
    for column in ("källa", "kommentar"):
        if column in definition:
            out[column] = definition[column]
    return out


# --- Kolada --------------------------------------------------------------------------------------


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
        problems.append(Problem("HD907", _NOT_A_YEAR.format(period), Location(file, field=where + ".period")))
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
        yield KoladaValue(kpi, _municipality_id(municipality), period, value, str(status), here)


def _municipality_id(value: object) -> str:
    """A Kolada id as text; a number written without quotes in YAML gets its four digits back (0 -> 0000)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:04d}"
    return str(value).strip()


def _from_kolada_entry(
    entry: Mapping[str, Any], base_dir: Path, name: str, path: FieldPath, problems: list[Problem]
) -> dict[str, Any] | None:
    file = _file_of(entry, "kolada", base_dir, name, path)
    if isinstance(file, Problem):
        problems.append(file)
        return None
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
    comparison_ids = {str(series): _municipality_id(ident) for series, ident in comparisons_given.items()}

    kpis = list(dict.fromkeys(v.kpi for v in values))
    wanted = entry.get("kpi", entry.get("id"))
    kpi: str
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
    elif len(kpis) == 1:
        kpi = kpis[0]
    else:
        inside = ", ".join(kpis) or "inga värden"
        problems.append(
            Problem("HD903", f"Ange nyckeltalet med ”id”: filen {file} har {inside}.", _here(name, path + ("id",)))
        )
        return None
    values = [v for v in values if v.kpi == kpi]

    ids = list(dict.fromkeys(v.municipality for v in values))
    if "kommun" in entry:
        municipality = _municipality_id(entry["kommun"])
    else:
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
        municipality = others[0]

    def series(ident: str, key: str, label: str) -> dict[int, float | None] | None:
        chosen = sorted((v for v in values if v.municipality == ident), key=lambda v: v.period)
        if not chosen:
            problems.append(
                Problem(
                    "HD903",
                    f"Filen {file} har inga värden för {kpi} och {label} (id {ident}); den har {', '.join(ids)}.",
                    _here(name, path + (key,)),
                )
            )
            return None
        return {v.period: v.value for v in chosen}

    own = series(municipality, "kommun", "kommunen")
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
        found_series = series(ident, "jämförelse", f"”{series_name}”")
        if found_series is not None:
            comparisons[series_name] = found_series
    if comparisons:
        out["jämförelse"] = comparisons
    out.setdefault("källa", KOLADA_SOURCE)
    return out
