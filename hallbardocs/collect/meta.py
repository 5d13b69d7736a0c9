"""A returned workbook opened, and its meta sheet read: what it is, whose, and for which period.

:func:`open_book` reads the file within :mod:`hallbardocs.collect.bounds`' limits, opens it with
openpyxl (read-only, streamed) and reads the meta sheet into a :class:`Book` (HD801 for a file that
is not a follow-up workbook, or whose meta sheet is garbled).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hallbardocs.collect.bounds import META_ROWS, damaged, loc, read_file, row_elements, sheet_rows
from hallbardocs.collect.layout import FORMAT, FORMAT_VERSION, LOCKED, META_KEYS, META_SHEET, cell_text, key_of_scale
from hallbardocs.errors import Problem
from hallbardocs.formatting import format_integer
from hallbardocs.model.followup import Period, StatusScale

__all__ = ["Book", "open_book"]


@dataclass
class Book:
    """A workbook whose meta sheet could be read."""

    name: str
    workbook: Any
    plan_name: str
    plan_year: int
    period: Period
    scale: StatusScale
    scale_key: str
    unit: str
    originals: dict[str, dict[str, str]]
    cells: dict[str, str] = field(default_factory=dict)
    """The meta sheet's cell of each key, for locations."""
    content: bytes = b""
    """The file's bytes, to read the activities sheet's formulas from (see :func:`~hallbardocs.collect.bounds.formulas`)."""




def open_book(path: Path, problems: list[Problem]) -> Book | None:
    """Open a workbook and read its meta sheet; None (and an HD801) if it is not a follow-up workbook.

    The workbook is opened read-only: its sheets are streamed, and only the rows and columns the
    import needs are read, so a sheet that claims a million rows or a cell in XFD1048576 costs
    nothing more than the rows that are really there (up to the limits above).
    """
    from openpyxl import load_workbook

    name = str(path)
    content = read_file(path, problems)
    if content is None:
        return None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        problems.append(
            Problem(
                "HD801",
                "Filen är ingen Excel-arbetsbok (.xlsx). Skicka tillbaka uppföljningsfilen som den sparades i Excel.",
                loc(name),
            )
        )
        return None
    book = _read_meta(name, workbook, content, problems)
    if book is None:
        workbook.close()
    return book


def _meta_rows(name: str, workbook: Any, content: bytes, problems: list[Problem]) -> list[tuple[Any, ...]] | None:
    """The meta sheet's rows, within :data:`~hallbardocs.collect.bounds.META_ROWS` (HD801)."""
    if META_SHEET not in workbook.sheetnames:
        problems.append(
            Problem(
                "HD801",
                f"Arbetsboken är ingen uppföljningsfil från hallbardocs (bladet ”{META_SHEET}” saknas). "
                "Fyll i den arbetsbok som skickades ut i stället för en egen.",
                loc(name),
            )
        )
        return None
    try:
        ws = workbook[META_SHEET]
        too_long = row_elements(content, ws) > META_ROWS  # then it is not parsed at all
        meta_rows = [] if too_long else sheet_rows(ws, 1, META_ROWS + 1, 5)
    except Exception:  # a broken sheet part: openpyxl and lxml raise many kinds
        problems.append(damaged(name, META_SHEET))
        return None
    if too_long or (len(meta_rows) > META_ROWS and any(c.value is not None for c in meta_rows[-1])):
        problems.append(
            Problem(
                "HD801",
                f"Arbetsbokens uppgifter om uppföljningen är skadade (bladet har fler än {format_integer(META_ROWS)} "
                "rader). Fyll i en ny arbetsbok från hallbardocs.",
                loc(name, META_SHEET, f"A{META_ROWS + 1}"),
            )
        )
        return None
    return meta_rows


def _meta_values(
    meta_rows: list[tuple[Any, ...]],
) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """The meta sheet's values by key, the cell of each, and each activity's locked texts as sent."""
    values: dict[str, str] = {}
    cells: dict[str, str] = {}
    originals: dict[str, dict[str, str]] = {}
    for number, row in enumerate(meta_rows, start=1):
        if not row or row[0].value is None:
            continue
        key = cell_text(row[0].value)
        texts = [cell_text(c.value) for c in row[1:]]
        if key == "aktivitet" and texts and texts[0]:
            texts += [""] * (4 - len(texts))
            originals[texts[0]] = dict(zip(LOCKED, texts[1:4], strict=True))
        elif key not in values:
            values[key] = texts[0] if texts else ""
            cells[key] = f"B{number}"
    return values, cells, originals


def _read_meta(name: str, workbook: Any, content: bytes, problems: list[Problem]) -> Book | None:
    """The workbook's meta sheet: what it is, whose and for which period (HD801)."""
    meta_rows = _meta_rows(name, workbook, content, problems)
    if meta_rows is None:
        return None
    values, cells, originals = _meta_values(meta_rows)

    def garbled(key: str, why: str) -> None:
        problems.append(
            Problem(
                "HD801",
                f"Arbetsbokens uppgifter om uppföljningen är skadade ({why}). Fyll i en ny arbetsbok från hallbardocs.",
                loc(name, META_SHEET, cells.get(key, "A1")),
            )
        )

    if values.get("format") != FORMAT:
        garbled("format", "formatet saknas")
        return None
    missing = [k for k in META_KEYS if not values.get(k)]
    if missing:
        garbled(missing[0], f"”{missing[0]}” saknas")
        return None
    try:
        version = int(values["version"])
        plan_year = int(values["planår"])
    except ValueError:
        garbled("version", "ett tal är inte ett tal")
        return None
    if version > FORMAT_VERSION:
        problems.append(
            Problem(
                "HD801",
                f"Arbetsboken är gjord av en nyare version av hallbardocs (format {version}); uppdatera hallbardocs.",
                loc(name, META_SHEET, cells["version"]),
            )
        )
        return None
    try:
        period = Period.model_validate({"typ": values["periodtyp"], "år": values["periodår"], "per": values["per"]})
    except ValidationError:
        garbled("per", "perioden går inte att läsa")
        return None
    try:
        scale = StatusScale.model_validate(json.loads(values["skala"]))
    except (ValueError, ValidationError, RecursionError):  # RecursionError: a value nested thousands deep
        garbled("skala", "statusskalan går inte att läsa")
        return None
    scale_key = values.get("statusskala") or key_of_scale(scale)
    return Book(
        name, workbook, values["plan"], plan_year, period, scale, scale_key, values["enhet"], originals, cells, content
    )
