"""Reading a plan from an Excel workbook: one sheet per part, Swedish sheet and column names.

:func:`load_plan_workbook` reads a workbook into the same raw data a YAML plan gives, remembering
the cell of every value. :data:`PLAN_FIELDS`, :data:`SHEETS` and :data:`LIST_SEPARATOR` are the
layout, which :mod:`hallbardocs.export.workbook` writes (``hallbardocs convert``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hallbardocs.errors import Location, Problem
from hallbardocs.files import DATA_LIMIT, UnreadableFile, read_user_file
from hallbardocs.load.source import FieldPath, RawDocument

__all__ = ["LIST_SEPARATOR", "PLAN_FIELDS", "SHEETS", "load_plan_workbook"]

# Rows of the "Plan" sheet: label -> field path in the raw plan.
PLAN_FIELDS: dict[str, FieldPath] = {
    "Kommun": ("kommun", "namn"),
    "Logotyp": ("kommun", "logotyp"),
    "År": ("år",),
    "Dokumentnamn": ("metadata", "dokumentnamn"),
    "Dokumenttyp": ("metadata", "dokumenttyp"),
    "Omfattar": ("metadata", "omfattar"),
    "Dokumentägare": ("metadata", "dokumentägare"),
    "Dokumentansvarig": ("metadata", "dokumentansvarig"),
    "Publicering": ("metadata", "publicering"),
    "Författningsstöd": ("metadata", "författningsstöd"),
    "Beslutad": ("metadata", "beslutad"),
    "Bör revideras senast": ("metadata", "bör_revideras_senast"),
    "Beslutsinstans": ("metadata", "beslutsinstans"),
    "Diarienummer": ("metadata", "diarienummer"),
    "Strategi": ("strategi", "namn"),
    "Strategins typ": ("strategi", "typ"),
    "Strategins typ, bestämd form": ("strategi", "typ_bestämd"),
}


@dataclass(frozen=True)
class _Sheet:
    """A sheet: its columns (column title -> key in the raw plan, None where the reader handles the
    column itself), which are required, and which hold ``;``-separated lists."""

    name: str
    columns: dict[str, str | None]
    required: tuple[str, ...]
    lists: frozenset[str] = frozenset()


SHEETS: dict[str, _Sheet] = {
    s.name: s
    for s in (
        _Sheet("Plan", {"Fält": None, "Värde": None}, ("Fält", "Värde")),
        _Sheet("Revideringar", {"Datum": "datum", "Paragraf": "paragraf", "Ändring": "ändring"}, ("Datum", "Ändring")),
        _Sheet(
            "Fokusområden",
            {
                "Prioritering": None,
                "Prioriteringens beskrivning": None,
                "Fokusområde": "namn",
                "Beskrivning": "beskrivning",
                "Färg": "färg",
            },
            ("Prioritering", "Fokusområde"),
        ),
        _Sheet("Organisation", {"Namn": "namn", "Typ": "typ"}, ("Namn", "Typ")),
        _Sheet("Kapitel", {"Rubrik": "rubrik", "Text": "text"}, ("Rubrik", "Text")),
        _Sheet(
            "Åtgärder",
            {
                "Id": "id",
                "Rubrik": "rubrik",
                "Fokusområden": "fokusområden",
                "Beskrivning": "beskrivning",
                "Ansvariga": "ansvariga",
                "Miljökvalitetsmål": "miljökvalitetsmål",
                "Globala mål": "globala_mål",
            },
            ("Id", "Rubrik", "Fokusområden", "Ansvariga"),
            frozenset({"Fokusområden", "Ansvariga", "Miljökvalitetsmål", "Globala mål"}),
        ),
        _Sheet(
            "Aktiviteter",
            {
                "Åtgärd": None,
                "Enhet": "enhet",
                "Aktivitet": "aktivitet",
                "Start": "start",
                "Slut": "slut",
                "Kostnad (kr)": "kostnad",
                "Id": "id",
            },
            ("Åtgärd", "Enhet", "Aktivitet"),
        ),
    )
}
_OPTIONAL_SHEETS = {"Revideringar", "Kapitel", "Aktiviteter"}
LIST_SEPARATOR = ";"
"""What separates the items of a list in one cell (``Ansvariga``, ``Fokusområden``)."""
ROW_LIMIT = 100_000
"""Rows read on a sheet below its header; more is HD003 (a 2000-measure plan has some thousands)."""
_EXCEL_COLUMNS = 16_384
"""Excel's last column (XFD): the header is read no further, however wide the sheet claims to be."""


def _cell_value(value: Any) -> Any:
    """A cell's value as the YAML loader would give it: dates as dates, and every line break typed in
    a cell (Alt+Enter, or the ``_x000B_`` of older files) as a vertical tab, which validation makes a
    line break in any field, a Markdown hard break in rich text (a newline alone would be a space)."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str):
        value = value.replace("_x000B_", "\v").replace("_x000D_", "").replace("\r\n", "\v").replace("\n", "\v")
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _split(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    return [value]


class _DamagedSheet(Exception):
    """A sheet openpyxl could not read to its end: broken XML (a file cut off), a number cell holding text."""

    def __init__(self, sheet: str, last_row: int, cause: Exception) -> None:
        super().__init__(sheet, last_row, cause)
        self.sheet, self.last_row, self.cause = sheet, last_row, cause

    def problem(self, name: str) -> Problem:
        after = f" efter rad {self.last_row}" if self.last_row else ""
        if isinstance(self.cause, ValueError):  # openpyxl casts a number cell's text and fails
            why = "en cell som är sparad som tal innehåller text"
        else:
            why = "filen är skadad, kanske avbruten när den sparades eller laddades ner"
        hint = str(self.cause).strip() or type(self.cause).__name__
        return Problem(
            "HD003",
            f"Bladet ”{self.sheet}” kan inte läsas{after}: {why} (”{hint}”). "
            "Öppna arbetsboken i Excel, rätta cellen eller spara om filen, och försök igen.",
            Location(name, sheet=self.sheet),
        )


def _library_rows(sheet: str, rows: Iterator[Any], first: int = 1) -> Iterator[Any]:
    """openpyxl's rows of a sheet from row ``first``, its errors (which read-only mode raises while
    iterating) as :class:`_DamagedSheet`."""
    last_row = first - 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # the XML parser's and openpyxl's many kinds: all mean the sheet is damaged
            raise _DamagedSheet(sheet, last_row, exc) from exc
        last_row = next((cell.row for cell in row if getattr(cell, "row", None)), last_row + 1)
        yield row


class _Reader:
    """Reads rows of named columns, remembering the cell each value came from."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells: dict[FieldPath, tuple[str, str]] = {}
        self.problems: list[Problem] = []
        self.unreadable: set[str] = set()
        """Sheets that are missing or lack a required column."""

    def rows(self, workbook: Any, sheet: _Sheet) -> Iterator[tuple[int, dict[str, tuple[Any, str]]]]:
        """(row number, {column: (value, cell)}) for every non-empty row under the header."""
        ws = self._worksheet(workbook, sheet)
        if ws is None:
            return
        columns = self._columns(ws, sheet)
        if columns is None:
            return
        yield from self._values(ws, sheet, columns)

    def _worksheet(self, workbook: Any, sheet: _Sheet) -> Any:
        """The sheet of the workbook, or None (and a problem unless it is optional) when it is missing."""
        if sheet.name not in workbook.sheetnames:
            self.unreadable.add(sheet.name)
            if sheet.name not in _OPTIONAL_SHEETS:
                self.problems.append(
                    Problem(
                        "HD003", f"Bladet ”{sheet.name}” saknas i arbetsboken.", Location(self.name, sheet=sheet.name)
                    )
                )
            return None
        try:
            return workbook[sheet.name]
        except Exception as exc:  # a sheet listed in the workbook whose part is missing or broken
            raise _DamagedSheet(sheet.name, 0, exc) from exc

    def _columns(self, ws: Any, sheet: _Sheet) -> dict[int, str] | None:
        """The header row's known columns by index; None for an empty sheet or one lacking a required column."""
        from openpyxl.utils import get_column_letter

        # Bounds are always given: without them a read-only sheet is padded to its declared size, and
        # one cell in XFD1048576 makes every row 16 384 cells wide and a million rows long.
        header = next(
            _library_rows(sheet.name, ws.iter_rows(min_row=1, max_row=1, max_col=_EXCEL_COLUMNS, values_only=True)),
            None,
        )
        if header is None:
            return None
        columns: dict[int, str] = {}
        for index, value in enumerate(header):
            title = str(value).strip() if value is not None else ""
            if not title:
                continue
            if title in sheet.columns:
                columns[index] = title
            else:
                from difflib import get_close_matches

                close = get_close_matches(title, sheet.columns, n=1)
                self.problems.append(
                    Problem(
                        "HD103",
                        f"Okänd kolumn ”{title}”. Bladet ”{sheet.name}” har kolumnerna {', '.join(sheet.columns)}.",
                        Location(self.name, sheet=sheet.name, cell=f"{get_column_letter(index + 1)}1"),
                        suggestion=close[0] if close else None,
                    )
                )
        missing = [c for c in sheet.required if c not in columns.values()]
        if missing:
            self.unreadable.add(sheet.name)
            self.problems.append(
                Problem(
                    "HD003",
                    f"Bladet ”{sheet.name}” saknar kolumnen {', '.join(f'”{c}”' for c in missing)} på rad 1.",
                    Location(self.name, sheet=sheet.name, cell="A1"),
                )
            )
            return None
        return columns

    def _values(
        self, ws: Any, sheet: _Sheet, columns: dict[int, str]
    ) -> Iterator[tuple[int, dict[str, tuple[Any, str]]]]:
        """The non-empty rows under the header, up to :data:`ROW_LIMIT` (HD003 for a row beyond it)."""
        from openpyxl.utils import get_column_letter

        width = max(columns, default=0) + 1
        letters = {index: get_column_letter(index + 1) for index in columns}
        rows = _library_rows(
            sheet.name, ws.iter_rows(min_row=2, max_row=ROW_LIMIT + 2, max_col=width, values_only=True), first=2
        )
        for row_number, row in enumerate(rows, start=2):
            values: dict[str, tuple[Any, str]] = {}
            for index, column in columns.items():
                value = _cell_value(row[index]) if index < len(row) else None
                if value is not None:
                    values[column] = (value, f"{letters[index]}{row_number}")
            if row_number > ROW_LIMIT + 1:
                if values:
                    from hallbardocs.formatting import format_integer

                    self.problems.append(
                        Problem(
                            "HD003",
                            f"Bladet ”{sheet.name}” har fler än {format_integer(ROW_LIMIT)} rader under rubrikraden; "
                            f"raderna från rad {format_integer(row_number)} läses inte.",
                            Location(self.name, sheet=sheet.name, cell=f"A{row_number}"),
                        )
                    )
                return
            if values:
                yield row_number, values

    def put(
        self,
        target: dict[str, Any],
        key: str,
        path: FieldPath,
        sheet: str,
        entry: tuple[Any, str] | None,
        as_list: bool = False,
    ) -> None:
        """Set ``target[key]`` from a cell entry, remembering its cell (for a list, each item's too)."""
        if entry is None:
            return
        value, cell = entry
        self.cells[path + (key,)] = (sheet, cell)
        if as_list:
            items = _split(value)
            target[key] = items
            for i in range(len(items)):
                self.cells[path + (key, i)] = (sheet, cell)
        else:
            target[key] = value

    def item(self, sheet: _Sheet, row: int, values: dict[str, tuple[Any, str]], path: FieldPath) -> dict[str, Any]:
        """One row as a raw item, with the columns the sheet maps to keys."""
        item: dict[str, Any] = {}
        self.cells[path] = (sheet.name, f"A{row}")
        for column, key in sheet.columns.items():
            if key is not None:
                self.put(item, key, path, sheet.name, values.get(column), column in sheet.lists)
        return item


def _read(workbook: Any, name: str) -> tuple[dict[str, Any], _Reader]:
    reader = _Reader(name)
    data: dict[str, Any] = {}
    _read_plan_sheet(workbook, reader, data)
    revisions = _read_items(workbook, reader, "Revideringar", ("metadata", "revideringar"))
    if revisions:
        data.setdefault("metadata", {})["revideringar"] = revisions
    _read_focus_areas(workbook, reader, data)
    data["organisation"] = _read_items(workbook, reader, "Organisation", ("organisation",))
    chapters = _read_items(workbook, reader, "Kapitel", ("kapitel",))
    if chapters:
        data["kapitel"] = chapters
    measures = _read_items(workbook, reader, "Åtgärder", ("åtgärder",))
    data["åtgärder"] = measures
    if "Åtgärder" in reader.unreadable:
        return data, reader  # activities cannot be placed; the sheet's own problem says why
    _read_activities(workbook, reader, measures)
    return data, reader


def _read_items(workbook: Any, reader: _Reader, sheet_name: str, path: FieldPath) -> list[dict[str, Any]]:
    """The rows of a sheet of items (one item a row) as raw items at ``path``."""
    sheet = SHEETS[sheet_name]
    return [reader.item(sheet, row, values, path + (i,)) for i, (row, values) in enumerate(reader.rows(workbook, sheet))]


def _read_plan_sheet(workbook: Any, reader: _Reader, data: dict[str, Any]) -> None:
    """The sheet ``Plan``: one field a row (``Fält``, ``Värde``)."""
    for _row, values in reader.rows(workbook, SHEETS["Plan"]):
        label_entry = values.get("Fält")
        if label_entry is None:
            continue
        label = str(label_entry[0]).strip()
        path = PLAN_FIELDS.get(label)
        if path is None:
            from difflib import get_close_matches

            close = get_close_matches(label, PLAN_FIELDS, n=1)
            reader.problems.append(
                Problem(
                    "HD103",
                    f"Okänt fält ”{label}” på bladet ”Plan”.",
                    Location(reader.name, sheet="Plan", cell=label_entry[1]),
                    suggestion=close[0] if close else None,
                )
            )
            continue
        target = data
        for step in path[:-1]:
            target = target.setdefault(str(step), {})
            reader.cells.setdefault(path[: path.index(step) + 1], ("Plan", label_entry[1]))
        if "Värde" in values:
            reader.put(target, str(path[-1]), path[:-1], "Plan", values["Värde"])
        else:
            reader.cells[path] = ("Plan", label_entry[1])


def _read_focus_areas(workbook: Any, reader: _Reader, data: dict[str, Any]) -> None:
    """The sheet ``Fokusområden``: one focus area a row, grouped by its priority."""
    sheet = SHEETS["Fokusområden"]
    priorities: dict[str, dict[str, Any]] = {}
    for row, values in reader.rows(workbook, sheet):
        pname, pcell = values.get("Prioritering", (None, f"A{row}"))
        pname = str(pname).strip() if pname is not None else ""
        if pname not in priorities:
            ppath: FieldPath = ("strategi", "prioriteringar", len(priorities))
            priorities[pname] = {"namn": pname, "fokusområden": []} if pname else {"fokusområden": []}
            reader.cells[ppath] = reader.cells[ppath + ("namn",)] = (sheet.name, pcell)
        index = list(priorities).index(pname)
        priority = priorities[pname]
        ppath = ("strategi", "prioriteringar", index)
        reader.put(priority, "beskrivning", ppath, sheet.name, values.get("Prioriteringens beskrivning"))
        areas = priority["fokusområden"]
        areas.append(reader.item(sheet, row, values, ppath + ("fokusområden", len(areas))))
    if priorities:
        data.setdefault("strategi", {})["prioriteringar"] = list(priorities.values())


def _read_activities(workbook: Any, reader: _Reader, measures: list[dict[str, Any]]) -> None:
    """The sheet ``Aktiviteter``: one activity a row, placed under the measure its ``Åtgärd`` names."""
    by_id: dict[str, int] = {}
    for i, measure in enumerate(measures):
        if "id" in measure:
            by_id.setdefault(str(measure["id"]).strip(), i)
    sheet = SHEETS["Aktiviteter"]
    for row, values in reader.rows(workbook, sheet):
        ref, ref_cell = values.get("Åtgärd", (None, f"A{row}"))
        found = by_id.get(str(ref).strip()) if ref is not None else None
        if found is None:
            reader.problems.append(
                Problem(
                    "HD211",
                    f"Aktiviteten hör till åtgärd ”{ref}”, som inte finns på bladet ”Åtgärder”.",
                    Location(reader.name, sheet=sheet.name, cell=ref_cell),
                )
            )
            continue
        activities = measures[found].setdefault("aktiviteter", [])
        activities.append(reader.item(sheet, row, values, ("åtgärder", found, "aktiviteter", len(activities))))


def load_plan_workbook(path: Path, name: str | None = None) -> RawDocument:
    """Read a plan workbook (.xlsx) into the same raw data as a YAML plan."""
    from openpyxl import load_workbook

    name = name or str(path)
    try:
        content = read_user_file(path, DATA_LIMIT)
    except UnreadableFile as exc:
        message = "Filen finns inte." if exc.missing else f"Filen kunde inte läsas: {exc.reason}."
        return RawDocument(None, name, path.parent, [Problem("HD001", message, Location(name))])
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        reason = (
            "den är ingen .xlsx-fil (kanske en .xls- eller .csv-fil med fel ändelse)"
            if not content.startswith(b"PK\x03\x04")  # every zip file, and so every .xlsx, starts so
            else "den är skadad eller ofullständig"
        )
        return RawDocument(
            None,
            name,
            path.parent,
            [Problem("HD003", f"Filen kunde inte läsas som en Excel-arbetsbok (.xlsx): {reason}.", Location(name))],
        )
    try:
        data, reader = _read(workbook, name)
    except _DamagedSheet as damaged:
        return RawDocument(None, name, path.parent, [damaged.problem(name)])
    finally:
        workbook.close()
    cells = reader.cells

    for part, sheet_name in (
        (("organisation",), "Organisation"),
        (("åtgärder",), "Åtgärder"),
        (("kapitel",), "Kapitel"),
        (("strategi",), "Fokusområden"),
        (("metadata", "revideringar"), "Revideringar"),
    ):
        cells.setdefault(part, (sheet_name, "A1"))

    def locate(field_path: FieldPath) -> Location:
        for end in range(len(field_path), 0, -1):
            found = cells.get(field_path[:end])
            if found is not None:
                return Location(name, sheet=found[0], cell=found[1])
        return Location(name)

    return RawDocument(data, name, path.parent, reader.problems, locate)
