"""The outgoing half of the collection: one follow-up workbook per unit, written with openpyxl.

The layout is :mod:`hallbardocs.collect.layout`'s. The activities sheet is protected without a
password; the protection only guides the person filling in, and the import never trusts it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hallbardocs.collect.layout import (
    ACTIVITIES_SHEET,
    COLUMNS,
    FORMAT,
    FORMAT_VERSION,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    Row,
    as_of_text,
    key_of_scale,
    unit_rows,
    workbook_filename,
)
from hallbardocs.errors import InvalidInputError, Problem
from hallbardocs.model.followup import FollowUp, Period, StatusScale
from hallbardocs.model.plan import Plan
from hallbardocs.text import NOT_IN_XML
from hallbardocs.validate import suggest

__all__ = ["ExportedWorkbook", "export_workbooks"]

_WIDTHS = {"Id": 8, "Åtgärd": 34, "Aktivitet": 60, "Period": 24, "Status": 16, "Kommentar": 64}
_GREY = "E7E6E6"
_HEADER_GREY = "BFBFBF"
_ILLEGAL = NOT_IN_XML
"""Characters an .xlsx cannot hold (openpyxl refuses them); hallbardocs.text says which."""


def _clean(text: str) -> str:
    """Text an .xlsx can hold: a vertical tab becomes a line break, other control characters go."""
    return _ILLEGAL.sub("", text.replace("\v", "\n"))


def _height(texts: dict[str, str | None], widths: dict[str, float], minimum: int = 1) -> float:
    """A row height (points) that shows each wrapped text whole, estimated from its length.

    Excel and LibreOffice do not fit a row to wrapped text written by a program, so the height is
    set; ``widths`` are the columns' widths in characters.
    """
    lines = minimum
    for title, text in texts.items():
        if text:
            width = max(widths[title] - 1, 1)
            lines = max(lines, sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n")))
    return 15.0 * lines + 2


@dataclass(frozen=True)
class ExportedWorkbook:
    """One unit's workbook: the unit, a file name for it, and the .xlsx bytes."""

    unit: str
    filename: str
    content: bytes


def export_workbooks(
    plan: Plan,
    period: Period,
    scale: StatusScale,
    *,
    units: Sequence[str] | None = None,
    previous: FollowUp | None = None,
) -> list[ExportedWorkbook]:
    """One follow-up workbook per unit that has activities in the plan (or per unit in ``units``).

    ``previous`` prefills Status and Kommentar from an earlier follow-up (a status given by its code
    is shown by its level's name). A unit in ``units`` that the plan does not have raises
    :class:`InvalidInputError` (HD203); a unit without activities gets no workbook.
    """
    all_rows = unit_rows(plan)
    if units is not None:
        known = [u.name for u in plan.organisation]
        unknown = [u for u in units if u not in known]
        if unknown:
            raise InvalidInputError(
                Problem("HD203", f"Planen har ingen enhet ”{u}”.", suggestion=suggest(u, known)) for u in unknown
            )
        all_rows = {unit: rows for unit, rows in all_rows.items() if unit in units}
    answers: dict[str, tuple[str, str | None]] = {}
    if previous is not None:
        try:
            previous_scale: StatusScale | None = previous.status_scale()
        except KeyError:
            previous_scale = None
        for report in previous.reports:
            level = (previous_scale or scale).level(report.status) or scale.level(report.status)
            answers.setdefault(report.activity, (level.name if level else report.status, report.comment))
    exported: list[ExportedWorkbook] = []
    names: set[str] = set()
    for unit, rows in all_rows.items():
        filename = workbook_filename(period, unit)
        n = 2
        while filename in names:  # two units whose names differ only in punctuation or accents
            filename = workbook_filename(period, f"{unit} {n}")
            n += 1
        names.add(filename)
        content = _workbook(plan, period, scale, unit, rows, answers)
        exported.append(ExportedWorkbook(unit, filename, content))
    return exported


def _text_cell(ws: Any, coordinate: str, value: str | int | None) -> Any:
    """Set a cell to ``value`` as plain text (never a formula, even if it starts with ``=``)."""
    cell = ws[coordinate]
    cell.value = _clean(value) if isinstance(value, str) else value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _workbook(
    plan: Plan,
    period: Period,
    scale: StatusScale,
    unit: str,
    rows: list[Row],
    answers: dict[str, tuple[str, str | None]],
) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, plan, period, scale, unit, len(rows))
    _write_activities(wb.create_sheet(ACTIVITIES_SHEET), scale, rows, answers)
    _write_meta(wb.create_sheet(META_SHEET), plan, period, scale, unit, rows)
    wb.active = 0
    props = wb.properties
    props.creator = "hallbardocs"
    props.title = f"Uppföljning {period.label} – {unit}"
    props.subject = plan.metadata.document_name
    props.language = "sv-SE"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_STEPS = (
    f"Gå till bladet ”{ACTIVITIES_SHEET}”. Där står en rad för varje aktivitet som {{unit}} ansvarar för i planen.",
    "Välj en status för varje aktivitet i listan i kolumnen ”Status”. Statusen ska beskriva läget per datumet ovan.",
    "Skriv en kommentar i kolumnen ”Kommentar”: vad som har gjorts, vad som återstår och varför, om något har "
    "blivit försenat eller avbrutet.",
    "Ändra inte i de grå kolumnerna, och lägg inte till eller ta bort rader. Du kan filtrera raderna med pilarna "
    "i rubrikraden.",
    "Spara filen som Excel-arbetsbok (.xlsx) och skicka tillbaka den. Byt gärna inte namn på filen.",
)
"""How to fill in the workbook, step by step; ``{unit}`` is the unit's name."""
_NOT_YET = "Kan en aktivitet inte rapporteras ännu lämnar du statusen tom. Den visas då som ”Ej rapporterad”."


def _write_instructions(ws: Any, plan: Plan, period: Period, scale: StatusScale, unit: str, count: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.sheet_view.showGridLines = False
    widths = {"A": 24.0, "B": 90.0}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wrap = Alignment(wrap_text=True, vertical="top")
    activities = "en aktivitet" if count == 1 else f"{count} aktiviteter"
    lines: list[tuple[str, str, str]] = [
        ("title", f"Uppföljning: {plan.metadata.document_name}", ""),
        ("", "", ""),
        ("field", "Till", unit),
        ("field", "Kommun", plan.municipality.name),
        ("field", "Period", as_of_text(period)),
        ("field", "Att rapportera", f"{activities}, på bladet ”{ACTIVITIES_SHEET}”"),
        ("", "", ""),
        ("heading", "Så fyller du i", ""),
        *(("step", f"{n}.", text.format(unit=unit)) for n, text in enumerate(_STEPS, start=1)),
        ("note", "", _NOT_YET),
        ("", "", ""),
        ("heading", f"Statusskala: {scale.name}", ""),
        ("level_header", "Status", "Betydelse"),
    ]
    for level in scale.levels:
        name = f"{level.name} ({level.code})" if level.code else level.name
        lines.append(("level", f"{level.symbol} {name}", level.description or ""))
    for number, (kind, a, b) in enumerate(lines, start=1):
        cell_a = _text_cell(ws, f"A{number}", a or None)
        cell_b = _text_cell(ws, f"B{number}", b or None)
        cell_a.alignment = cell_b.alignment = wrap
        ws.row_dimensions[number].height = _height({"A": a, "B": b}, widths)
        if kind == "title":
            cell_a.font = Font(bold=True, size=16)
            cell_a.alignment = Alignment(vertical="top")
            ws.row_dimensions[number].height = 24
        elif kind == "heading":
            cell_a.font = Font(bold=True, size=13)
            cell_a.alignment = Alignment(vertical="top")
            ws.row_dimensions[number].height = 20
        elif kind in ("field", "level_header"):
            cell_a.font = Font(bold=True)
            if kind == "level_header":
                cell_b.font = Font(bold=True)
        elif kind == "note":
            cell_b.font = Font(italic=True)


def _write_activities(
    ws: Any, scale: StatusScale, rows: list[Row], answers: dict[str, tuple[str, str | None]]
) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    grey = PatternFill("solid", fgColor=_GREY)
    header_fill = PatternFill("solid", fgColor=_HEADER_GREY)
    side = Side(style="thin", color="A6A6A6")
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="top")
    letters = {title: get_column_letter(i) for i, title in enumerate(COLUMNS, start=1)}
    for title, letter in letters.items():
        cell = _text_cell(ws, f"{letter}1", title)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[letter].width = _WIDTHS[title]
    ws.column_dimensions[letters["Id"]].hidden = True
    last = len(rows) + 1
    for number, row in enumerate(rows, start=2):
        status, comment = answers.get(row.id, (None, None))
        values: dict[str, str | None] = {"Id": row.id, **row.locked, "Status": status, "Kommentar": comment}
        ws.row_dimensions[number].height = _height(
            {t: values[t] for t in ("Åtgärd", "Aktivitet", "Kommentar")}, {t: float(w) for t, w in _WIDTHS.items()}, 2
        )
        for title, letter in letters.items():
            cell = _text_cell(ws, f"{letter}{number}", values[title] or None)
            cell.border = border
            cell.alignment = wrap
            if title in ("Status", "Kommentar"):
                cell.protection = Protection(locked=False)
            else:
                cell.fill = grey
                cell.protection = Protection(locked=True)

    _status_list(ws, scale, f"{letters['Status']}2:{letters['Status']}{last}" if rows else None)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{letters['Kommentar']}{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    protection = ws.protection
    protection.sheet = True
    protection.autoFilter = False  # False allows: use the filter arrows
    protection.sort = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _status_list(ws: Any, scale: StatusScale, cells: str | None) -> None:
    """The Status column's drop-down list of the scale's level names, on ``cells`` (a range)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    names = [level.name for level in scale.levels]
    listed = ", ".join(names)
    inline = ",".join(names)
    if any("," in n or '"' in n for n in names) or len(inline) > 250:
        formula = f"'{META_SHEET}'!$B$2:$B${len(names) + 1}"  # the level names on the meta sheet
    else:
        formula = f'"{inline}"'
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # openpyxl's name is inverted: False shows the in-cell arrow
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Ogiltig status",
        error=f"Välj en status i listan: {listed}.",
        showInputMessage=True,
        promptTitle="Status",
        prompt="Välj en status i listan.",
    )
    ws.add_data_validation(validation)
    if cells is not None:
        validation.add(cells)


def _meta_rows(
    plan: Plan, period: Period, scale: StatusScale, unit: str, rows: list[Row]
) -> Iterator[tuple[str, ...]]:
    """The meta sheet's rows; the level names come first (B2 on), for a long drop-down list."""
    yield ("format", FORMAT)
    for level in scale.levels:
        yield ("nivå", level.name)
    yield ("version", str(FORMAT_VERSION))
    yield ("plan", plan.metadata.document_name)
    yield ("planår", str(plan.year))
    yield ("periodtyp", period.kind)
    yield ("periodår", str(period.year))
    yield ("per", period.as_of.isoformat())
    yield ("statusskala", key_of_scale(scale))
    yield ("skala", scale.model_dump_json(by_alias=True))
    yield ("enhet", unit)
    for row in rows:
        yield ("aktivitet", row.id, row.measure, row.text, row.period)


def _write_meta(ws: Any, plan: Plan, period: Period, scale: StatusScale, unit: str, rows: list[Row]) -> None:
    from openpyxl.utils import get_column_letter

    for number, values in enumerate(_meta_rows(plan, period, scale, unit, rows), start=1):
        for column, value in enumerate(values, start=1):
            _text_cell(ws, f"{get_column_letter(column)}{number}", value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
