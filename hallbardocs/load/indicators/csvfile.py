"""Indicators from a CSV of key figures: one row per indicator, series and year (HD902, HD905–HD907)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from hallbardocs.content import shorten
from hallbardocs.errors import Location, Problem
from hallbardocs.load.indicators.numbers import NOT_A_YEAR, TOO_LARGE, parse_number
from hallbardocs.model.followup import indicator_number_ok, indicator_year_ok

__all__ = ["read_indicator_csv"]

_MUNICIPALITY_SERIES = ("", "kommunen")
_REQUIRED_COLUMNS = ("id", "namn", "enhet", "bättre", "år", "värde")
_OPTIONAL_COLUMNS = ("serie", "målvärde", "målår", "källa", "kommentar")
_DEFINITION_COLUMNS = ("namn", "enhet", "bättre", "målvärde", "målår", "källa", "kommentar")


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
    ident = cells["id"]
    if not ident:
        problems.append(Problem("HD902", "Raden saknar id.", Location(file, line, field="id")))
        return
    year = _row_year(cells, file, line, problems)
    value, value_ok = _row_value(cells, file, line, problems)
    _row_direction(cells, file, line, problems)
    _row_target(cells, file, line, problems)
    indicator = found.setdefault(ident, _CsvIndicator())
    _define(indicator, ident, cells, file, line, problems)
    if year is None or not value_ok:
        return  # the row still defines the indicator, but its value is not used
    _add_value(indicator, ident, cells.get("serie", ""), year, value, file, line, problems)


def _row_year(cells: dict[str, str], file: str, line: int, problems: list[Problem]) -> int | None:
    try:
        year_number = parse_number(cells["år"])
    except ValueError:
        year_number = None
    if year_number is not None and year_number == int(year_number) and 1900 <= year_number <= 2200:
        return int(year_number)
    message = f"Året ”{cells['år']}” är inget årtal (till exempel 2024)."
    problems.append(Problem("HD902", message, Location(file, line, field="år")))
    return None


def _row_value(cells: dict[str, str], file: str, line: int, problems: list[Problem]) -> tuple[float | None, bool]:
    """The row's value, and whether it may be used."""
    try:
        value = parse_number(cells["värde"])
    except ValueError:
        message = f"Värdet ”{cells['värde']}” är inget tal; skriv till exempel 1 234,5 eller lämna tomt."
        problems.append(Problem("HD902", message, Location(file, line, field="värde")))
        return None, False
    if value is not None and not indicator_number_ok(value):
        too_large = TOO_LARGE.format(shorten(cells["värde"], 30))
        problems.append(Problem("HD906", too_large, Location(file, line, field="värde")))
        return value, False
    return value, True


def _row_direction(cells: dict[str, str], file: str, line: int, problems: list[Problem]) -> None:
    direction = cells["bättre"].casefold()
    if direction and direction not in ("högre", "lägre"):
        message = f"”{cells['bättre']}” ska vara ”högre” eller ”lägre”."
        problems.append(Problem("HD902", message, Location(file, line, field="bättre")))
        cells["bättre"] = ""
    elif direction:
        cells["bättre"] = direction


def _row_target(cells: dict[str, str], file: str, line: int, problems: list[Problem]) -> None:
    target_ok = True
    for column in ("målvärde", "målår"):
        if cells.get(column):
            where = Location(file, line, field=column)
            try:
                number = parse_number(cells[column])
            except ValueError:
                problems.append(Problem("HD902", f"”{cells[column]}” i kolumnen {column} är inget tal.", where))
                target_ok = False
                continue
            if number is None:
                continue
            if column == "målvärde" and not indicator_number_ok(number):
                problems.append(Problem("HD906", TOO_LARGE.format(shorten(cells[column], 30)), where))
                target_ok = False
            elif column == "målår" and not (number == int(number) and indicator_year_ok(int(number))):
                problems.append(Problem("HD907", NOT_A_YEAR.format(shorten(cells[column], 30)), where))
                target_ok = False
    if not target_ok:  # the row's target is not used; its other half is then no problem of its own
        cells["målvärde"] = cells["målår"] = ""


def _define(
    indicator: _CsvIndicator, ident: str, cells: dict[str, str], file: str, line: int, problems: list[Problem]
) -> None:
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


def _add_value(
    indicator: _CsvIndicator,
    ident: str,
    serie: str,
    year: int,
    value: float | None,
    file: str,
    line: int,
    problems: list[Problem],
) -> None:
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

