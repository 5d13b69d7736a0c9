"""The bounds of reading a returned workbook: what a hostile file can cost is fixed before it is read.

A returned workbook is whatever someone saved, or made to look like one. Before openpyxl parses
anything, :func:`read_file` reads only a regular file of at most :data:`MAX_FILE_BYTES` whose zip
unpacks to at most :data:`MAX_UNPACKED_BYTES` (HD813), :func:`row_elements` counts a sheet's rows
in its XML (a million empty rows cost openpyxl a million parses), and the sheets are read with
fixed bounds (:func:`sheet_rows`, :data:`ROW_LIMIT`, :data:`MAX_COLUMNS`). :func:`formulas` finds
the cells whose formula has no saved value (HD812). Nothing here takes a lock or writes.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from hallbardocs.collect.layout import ACTIVITIES_SHEET
from hallbardocs.errors import Location, Problem, os_reason
from hallbardocs.formatting import format_number

__all__ = [
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "META_ROWS",
    "ROW_ELEMENTS",
    "ROW_LIMIT",
    "damaged",
    "formulas",
    "loc",
    "read_file",
    "row_elements",
    "sheet_rows",
]


def loc(name: str, sheet: str | None = None, cell: str | None = None) -> Location:
    """A place in a workbook: the file, and the sheet and cell if known."""
    return Location(name, sheet=sheet, cell=cell)


MAX_FILE_BYTES = 20 * 2**20
"""The largest workbook file read (20 MiB); a unit's returned workbook is some tens of KiB."""
MAX_UNPACKED_BYTES = 100 * 2**20
"""The most a workbook may unpack to (100 MiB, by the sizes its zip declares), so a zip bomb is not read."""
ROW_LIMIT = 10_000
"""Rows read on the activities sheet below the header (or twice the unit's activities, if more)."""
MAX_COLUMNS = 64
"""Columns read on the activities sheet; the six of the layout, moved or not, stand well within them."""
META_ROWS = 100_000
"""Rows read on the meta sheet (a level or an activity a row); a longer one is garbled (HD801)."""
ROW_ELEMENTS = 5 * ROW_LIMIT
"""Row elements a sheet's XML may hold, counted before it is parsed: openpyxl parses every one, even
rows it then skips (a million rows all numbered 20), so their number bounds the time a sheet takes."""
_ROW_ELEMENT = re.compile(rb"<(?:\w+:)?row[\s>/]")


def row_elements(content: bytes, ws: Any) -> int:
    """How many row elements the sheet ``ws`` has in its XML (0 if its part cannot be found)."""
    part = getattr(ws, "_worksheet_path", None)
    if not isinstance(part, str):
        return 0
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        try:
            data = archive.read(part.lstrip("/"))
        except KeyError:
            return 0
    return sum(1 for _ in _ROW_ELEMENT.finditer(data))


def read_file(path: Path, problems: list[Problem]) -> bytes | None:
    """A regular file's bytes, at most :data:`MAX_FILE_BYTES` (HD801, HD813); None on a problem."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would hang or never end
            problems.append(Problem("HD801", "Filen är ingen vanlig fil; ange arbetsbokens fil.", loc(name)))
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.append(_too_large(name, f"Filen är {_mib(info.st_size)}"))
            return None
        with path.open("rb") as fh:
            content = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(Problem("HD801", f"Filen kunde inte läsas: {os_reason(exc)}.", loc(name)))
        return None
    if len(content) > MAX_FILE_BYTES:  # it grew while it was read
        problems.append(_too_large(name, "Filen är större än 20 MiB"))
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return content  # not a zip: openpyxl says so (HD801)
    if unpacked > MAX_UNPACKED_BYTES:
        problems.append(_too_large(name, f"Arbetsboken packas upp till {_mib(unpacked)}"))
        return None
    return content


def _mib(size: int) -> str:
    return f"{format_number(round(size / 2**20, 1))} MiB"


def _too_large(name: str, what: str) -> Problem:
    return Problem(
        "HD813",
        f"{what}; en uppföljningsarbetsbok är mycket mindre (högst {_mib(MAX_FILE_BYTES)} som fil och "
        f"{_mib(MAX_UNPACKED_BYTES)} uppackad läses). Fyll i den arbetsbok som skickades ut och spara den i Excel.",
        loc(name),
    )




def damaged(name: str, sheet: str | None = None) -> Problem:
    where = f"bladet ”{sheet}” i arbetsboken" if sheet else "arbetsboken"
    return Problem(
        "HD801",
        f"Det går inte att läsa {where}; filen är skadad. Spara den på nytt i Excel, eller fyll i en ny arbetsbok "
        "från hallbardocs.",
        loc(name, sheet),
    )


def sheet_rows(ws: Any, first: int, last: int, columns: int) -> list[tuple[Any, ...]]:
    """Rows ``first`` to ``last`` (at most) of a read-only sheet, ``columns`` cells each.

    The bounds are always given: without them openpyxl pads each row to the sheet's declared width
    and fills in every missing row up to its declared height.
    """
    return list(ws.iter_rows(min_row=first, max_row=last, max_col=columns))


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def formulas(content: bytes, last_row: int, width: int) -> dict[tuple[int, int], str]:
    """The formulas on the activities sheet, by (row, column), up to ``last_row`` and ``width``.

    The workbook is read for its values, which for a formula are the values Excel saved with it. A
    script or a tool that does not calculate (openpyxl writing ``=A1``, for one) saves none, and the
    cell then reads as empty; to tell such a cell from an empty one the formulas are read too, but
    only when a sheet of the file has a formula at all.
    """
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if not any(
            _FORMULA.search(archive.read(info))
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ):
            return {}
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        found: dict[tuple[int, int], str] = {}
        ws = workbook[ACTIVITIES_SHEET]
        for number, row in enumerate(ws.iter_rows(min_row=2, max_row=last_row, max_col=width), start=2):
            for column, cell in enumerate(row, start=1):
                if getattr(cell, "data_type", None) == "f" and isinstance(cell.value, str):
                    found[(number, column)] = cell.value
        return found
    finally:
        workbook.close()
