"""Collecting the follow-up: one workbook out to each sector and company, the answers back in.

:func:`export_workbooks` makes one Excel workbook per unit with activities in the plan. Each has
three sheets:

- ``Instruktioner`` (shown first): who the workbook is for, the period, how to fill it in, and the
  status scale's levels with what they mean;
- ``Aktiviteter``: one row per activity of that unit. The grey columns (``Åtgärd``, ``Aktivitet``,
  ``Period``) are locked; ``Status`` is a drop-down list of the scale's level names and
  ``Kommentar`` is free text. The activity's id is in the hidden column A, so the rows can be
  filtered, sorted or moved and still be recognised;
- ``_hallbardocs`` (very hidden): what the workbook is (format version, plan, period, scale, unit)
  and the locked texts as they were sent, so that edits of them can be noticed.

The sheet is protected without a password. The protection only guides the person filling in;
the import never trusts it and checks everything itself.

:func:`import_workbooks` reads the returned workbooks back into activity reports and reports
every problem at once, with file, sheet and cell:

=====  ==========================================================================
HD801  not a follow-up workbook made by hallbardocs (not .xlsx, not a regular file, meta sheet
       missing, garbled or nested too deep, a sheet that cannot be parsed)
HD802  a workbook of another period (or status scale) than the others, or than the follow-up
HD803  a workbook of another plan (name or year)
HD804  a status that is not in the scale (did you mean …?); a comment without a status (warning)
HD805  a row with an unknown id (an added row, or an edited id)
HD806  an activity of the unit that is missing from the workbook (warning)
HD807  a locked text (Åtgärd, Aktivitet, Period) was edited (warning; the answer is imported)
HD808  two different answers for one activity: in two files, or a file and the follow-up
HD809  a row for an activity of another unit than the workbook's
HD811  a row whose hidden id disagrees with its locked texts: they are another activity's exactly
HD812  a formula without a saved value in a cell the import reads (its value cannot be known)
HD813  a file over 20 MiB, or one that unpacks to over 100 MiB (a zip bomb is never unpacked)
HD814  more rows on the activities sheet than the import reads (10 000, or twice the unit's activities)
=====  ==========================================================================

A row names its activity by its hidden id and by its locked texts; when the texts are exactly
another activity's, the two disagree and the row is refused (HD811, see docs/followup.md). A
conflict (HD808) is never resolved silently: the activity gets no new report, and an existing
report stays as it was. Identical answers in two files are not a conflict. An empty status means
"not reported yet" and gives no report. A status may be written by its name or its code (``G``);
the report holds the level's name.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import stat
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hallbardocs.errors import InvalidInputError, Location, Problem, os_reason
from hallbardocs.formatting import format_date, format_integer, format_number, format_range
from hallbardocs.model.followup import SCALES, ActivityReport, FollowUp, Period, StatusScale, activity_ids
from hallbardocs.model.plan import Activity, Measure, Plan
from hallbardocs.validate import suggest

__all__ = [
    "ExportedWorkbook",
    "ImportResult",
    "export_workbooks",
    "import_workbooks",
    "workbook_filename",
    "FORMAT",
    "FORMAT_VERSION",
    "INSTRUCTIONS_SHEET",
    "ACTIVITIES_SHEET",
    "META_SHEET",
    "COLUMNS",
]

FORMAT = "hallbardocs-uppföljning"
"""The value of the ``format`` key on the meta sheet."""
FORMAT_VERSION = 1
"""The version of the workbook layout; a newer workbook than this module knows is refused (HD801)."""

INSTRUCTIONS_SHEET = "Instruktioner"
ACTIVITIES_SHEET = "Aktiviteter"
META_SHEET = "_hallbardocs"
COLUMNS = ("Id", "Åtgärd", "Aktivitet", "Period", "Status", "Kommentar")
"""The columns of the activities sheet, A to F."""
_LOCKED = ("Åtgärd", "Aktivitet", "Period")
_WIDTHS = {"Id": 8, "Åtgärd": 34, "Aktivitet": 60, "Period": 24, "Status": 16, "Kommentar": 64}
_GREY = "E7E6E6"
_HEADER_GREY = "BFBFBF"
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
"""Characters an .xlsx cannot hold (openpyxl refuses them)."""


# ----------------------------------------------------------------------------- the rows


@dataclass(frozen=True)
class _Row:
    """One activity as its row shows it: the id and the three locked texts."""

    id: str
    measure: str
    text: str
    period: str

    @property
    def locked(self) -> dict[str, str]:
        return {"Åtgärd": self.measure, "Aktivitet": self.text, "Period": self.period}


def _period_text(activity: Activity) -> str:
    start = format_date(activity.start) if activity.start else None
    end = format_date(activity.end) if activity.end else None
    if start and end:
        return format_range(start, end)
    return f"från {start}" if start else f"till {end}" if end else ""


def _row(ident: str, measure: Measure, activity: Activity) -> _Row:
    return _Row(ident, f"{measure.id}. {measure.title}", activity.text, _period_text(activity))


def _unit_rows(plan: Plan) -> dict[str, list[_Row]]:
    """Each unit with activities, in the plan's organisation order, with its rows in plan order."""
    rows: dict[str, list[_Row]] = {unit.name: [] for unit in plan.organisation}
    for measure in plan.measures:
        for ident, activity in activity_ids(measure):
            rows.setdefault(activity.unit, []).append(_row(ident, measure, activity))
    return {unit: unit_rows for unit, unit_rows in rows.items() if unit_rows}


def _slug(text: str) -> str:
    """An ASCII file-name part: ``"Lindåsa Energi AB"`` -> ``"lindasa-energi-ab"``.

    >>> _slug("Helår 2026")
    'helar-2026'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "enhet"


def workbook_filename(period: Period, unit: str) -> str:
    """The file name of a unit's workbook.

    >>> workbook_filename(Period(typ="helår", år=2026, per="2026-12-31"), "Lindåsa Energi AB")
    'uppfoljning-helar-2026-lindasa-energi-ab.xlsx'
    """
    return f"uppfoljning-{_slug(period.label)}-{_slug(unit)}.xlsx"


def _scale_key(scale: StatusScale) -> str:
    """The shipped scale's key (``standard``) if ``scale`` is one, else the scale's own name."""
    return next((key for key, shipped in SCALES.items() if shipped == scale), scale.name)


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


def _as_of_text(period: Period) -> str:
    return f"{period.label}, per {format_date(period.as_of)}"


# ----------------------------------------------------------------------------- export


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
    all_rows = _unit_rows(plan)
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
    rows: list[_Row],
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
        ("field", "Period", _as_of_text(period)),
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
    ws: Any, scale: StatusScale, rows: list[_Row], answers: dict[str, tuple[str, str | None]]
) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

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
    if rows:
        validation.add(f"{letters['Status']}2:{letters['Status']}{last}")

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


def _meta_rows(
    plan: Plan, period: Period, scale: StatusScale, unit: str, rows: list[_Row]
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
    yield ("statusskala", _scale_key(scale))
    yield ("skala", scale.model_dump_json(by_alias=True))
    yield ("enhet", unit)
    for row in rows:
        yield ("aktivitet", row.id, row.measure, row.text, row.period)


def _write_meta(ws: Any, plan: Plan, period: Period, scale: StatusScale, unit: str, rows: list[_Row]) -> None:
    from openpyxl.utils import get_column_letter

    for number, values in enumerate(_meta_rows(plan, period, scale, unit, rows), start=1):
        for column, value in enumerate(values, start=1):
            _text_cell(ws, f"{get_column_letter(column)}{number}", value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


# ----------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    """The answers read from the workbooks, and every problem found.

    ``reports`` is the follow-up's new list of reports: the reports of ``existing`` unchanged and in
    their order, then each new answer in plan order. ``period`` and ``scale_name`` are those of the
    workbooks (or of ``existing``); ``scale_name`` is a shipped scale's key (``standard``) or a scale
    of one's own's name, which ``scale`` then describes.
    """

    reports: list[ActivityReport]
    period: Period | None
    scale_name: str | None
    problems: list[Problem]
    scale: StatusScale | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class _Book:
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
    """The file's bytes, to read the activities sheet's formulas from (see :func:`_formulas`)."""


@dataclass(frozen=True)
class _Answer:
    activity: str
    unit: str
    status: str
    comment: str | None
    file: str
    status_cell: str
    comment_cell: str


def _text(value: Any) -> str:
    """A cell's value as text, with Excel's line breaks (``_x000B_``, vertical tab, CR LF) as ``\\n``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"_x000[Bb]_|\v", "\n", text).strip()


def _loc(name: str, sheet: str | None = None, cell: str | None = None) -> Location:
    return Location(name, sheet=sheet, cell=cell)


MAX_FILE_BYTES = 20 * 2**20
"""The largest workbook file read (20 MiB); a unit's returned workbook is some tens of KiB."""
MAX_UNPACKED_BYTES = 100 * 2**20
"""The most a workbook may unpack to (100 MiB, by the sizes its zip declares), so a zip bomb is not read."""
ROW_LIMIT = 10_000
"""Rows read on the activities sheet below the header (or twice the unit's activities, if more)."""
MAX_COLUMNS = 64
"""Columns read on the activities sheet; the six of the layout, moved or not, stand well within them."""
_META_ROWS = 100_000
"""Rows read on the meta sheet (a level or an activity a row); a longer one is garbled (HD801)."""
_ROW_ELEMENTS = 5 * ROW_LIMIT
"""Row elements a sheet's XML may hold, counted before it is parsed: openpyxl parses every one, even
rows it then skips (a million rows all numbered 20), so their number bounds the time a sheet takes."""
_ROW_ELEMENT = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _row_elements(content: bytes, ws: Any) -> int:
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


def _read_file(path: Path, problems: list[Problem]) -> bytes | None:
    """A regular file's bytes, at most :data:`MAX_FILE_BYTES` (HD801, HD813); None on a problem."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would hang or never end
            problems.append(Problem("HD801", "Filen är ingen vanlig fil; ange arbetsbokens fil.", _loc(name)))
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.append(_too_large(name, f"Filen är {_mib(info.st_size)}"))
            return None
        with path.open("rb") as fh:
            content = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(Problem("HD801", f"Filen kunde inte läsas: {os_reason(exc)}.", _loc(name)))
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
        _loc(name),
    )


def _open(path: Path, problems: list[Problem]) -> _Book | None:
    """Open a workbook and read its meta sheet; None (and an HD801) if it is not a follow-up workbook.

    The workbook is opened read-only: its sheets are streamed, and only the rows and columns the
    import needs are read, so a sheet that claims a million rows or a cell in XFD1048576 costs
    nothing more than the rows that are really there (up to the limits above).
    """
    from openpyxl import load_workbook

    name = str(path)
    content = _read_file(path, problems)
    if content is None:
        return None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        problems.append(
            Problem(
                "HD801",
                "Filen är ingen Excel-arbetsbok (.xlsx). Skicka tillbaka uppföljningsfilen som den sparades i Excel.",
                _loc(name),
            )
        )
        return None
    book = _read_meta(name, workbook, content, problems)
    if book is None:
        workbook.close()
    return book


def _damaged(name: str, sheet: str | None = None) -> Problem:
    where = f"bladet ”{sheet}” i arbetsboken" if sheet else "arbetsboken"
    return Problem(
        "HD801",
        f"Det går inte att läsa {where}; filen är skadad. Spara den på nytt i Excel, eller fyll i en ny arbetsbok "
        "från hallbardocs.",
        _loc(name, sheet),
    )


def _sheet_rows(ws: Any, first: int, last: int, columns: int) -> list[tuple[Any, ...]]:
    """Rows ``first`` to ``last`` (at most) of a read-only sheet, ``columns`` cells each.

    The bounds are always given: without them openpyxl pads each row to the sheet's declared width
    and fills in every missing row up to its declared height.
    """
    return list(ws.iter_rows(min_row=first, max_row=last, max_col=columns))


def _read_meta(name: str, workbook: Any, content: bytes, problems: list[Problem]) -> _Book | None:
    if META_SHEET not in workbook.sheetnames:
        problems.append(
            Problem(
                "HD801",
                f"Arbetsboken är ingen uppföljningsfil från hallbardocs (bladet ”{META_SHEET}” saknas). "
                "Fyll i den arbetsbok som skickades ut i stället för en egen.",
                _loc(name),
            )
        )
        return None
    try:
        ws = workbook[META_SHEET]
        too_long = _row_elements(content, ws) > _META_ROWS  # then it is not parsed at all
        meta_rows = [] if too_long else _sheet_rows(ws, 1, _META_ROWS + 1, 5)
    except Exception:  # a broken sheet part: openpyxl and lxml raise many kinds
        problems.append(_damaged(name, META_SHEET))
        return None
    if too_long or (len(meta_rows) > _META_ROWS and any(c.value is not None for c in meta_rows[-1])):
        problems.append(
            Problem(
                "HD801",
                f"Arbetsbokens uppgifter om uppföljningen är skadade (bladet har fler än {format_integer(_META_ROWS)} "
                "rader). Fyll i en ny arbetsbok från hallbardocs.",
                _loc(name, META_SHEET, f"A{_META_ROWS + 1}"),
            )
        )
        return None
    values: dict[str, str] = {}
    cells: dict[str, str] = {}
    originals: dict[str, dict[str, str]] = {}
    for number, row in enumerate(meta_rows, start=1):
        if not row or row[0].value is None:
            continue
        key = _text(row[0].value)
        texts = [_text(c.value) for c in row[1:]]
        if key == "aktivitet" and texts and texts[0]:
            texts += [""] * (4 - len(texts))
            originals[texts[0]] = dict(zip(_LOCKED, texts[1:4], strict=True))
        elif key not in values:
            values[key] = texts[0] if texts else ""
            cells[key] = f"B{number}"

    def garbled(key: str, why: str) -> None:
        problems.append(
            Problem(
                "HD801",
                f"Arbetsbokens uppgifter om uppföljningen är skadade ({why}). Fyll i en ny arbetsbok från hallbardocs.",
                _loc(name, META_SHEET, cells.get(key, "A1")),
            )
        )

    if values.get("format") != FORMAT:
        garbled("format", "formatet saknas")
        return None
    missing = [
        k for k in ("version", "plan", "planår", "periodtyp", "periodår", "per", "skala", "enhet") if not values.get(k)
    ]
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
                _loc(name, META_SHEET, cells["version"]),
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
    scale_key = values.get("statusskala") or _scale_key(scale)
    return _Book(
        name, workbook, values["plan"], plan_year, period, scale, scale_key, values["enhet"], originals, cells, content
    )


def _describe_scale(key: str) -> str:
    return f"statusskalan ”{key}”"


def _check_round(
    books: list[_Book], plan: Plan, existing: FollowUp | None, problems: list[Problem]
) -> tuple[list[_Book], Period | None, str | None, StatusScale | None]:
    """Keep the workbooks of this plan and of the common period and scale (HD802, HD803)."""
    same_plan: list[_Book] = []
    for book in books:
        wrong = False
        if book.plan_name.strip() != plan.metadata.document_name.strip():
            problems.append(
                Problem(
                    "HD803",
                    f"Arbetsboken gjordes från planen ”{book.plan_name}”, inte ”{plan.metadata.document_name}”"
                    f" (se rubriken på bladet ”{INSTRUCTIONS_SHEET}”); den läses inte in.",
                    _loc(book.name, INSTRUCTIONS_SHEET, "A1"),
                )
            )
            wrong = True
        if book.plan_year != plan.year:
            problems.append(
                Problem(
                    "HD803",
                    f"Arbetsboken gjordes från planen för {book.plan_year}, inte planen för {plan.year}"
                    f" (se rubriken på bladet ”{INSTRUCTIONS_SHEET}”); den läses inte in.",
                    _loc(book.name, INSTRUCTIONS_SHEET, "A1"),
                )
            )
            wrong = True
        if not wrong:
            same_plan.append(book)

    period: Period | None
    scale_key: str | None
    scale: StatusScale | None
    if existing is not None:
        period = existing.period
        if isinstance(existing.scale, StatusScale):
            scale, scale_key = existing.scale, _scale_key(existing.scale)
        else:
            scale, scale_key = SCALES.get(existing.scale), existing.scale
        against = "uppföljningen"
    else:
        # The most common period and scale among the workbooks (the first on a tie) is the round's.
        periods = Counter((b.period.kind, b.period.year, b.period.as_of) for b in same_plan)
        common = max(periods, key=lambda p: periods[p]) if periods else None
        period = next((b.period for b in same_plan if (b.period.kind, b.period.year, b.period.as_of) == common), None)
        keys = Counter(b.scale_key for b in same_plan)
        scale_key = max(keys, key=lambda k: keys[k]) if keys else None
        scale = next((b.scale for b in same_plan if b.scale_key == scale_key), None)
        against = "de andra arbetsböckerna"
    kept: list[_Book] = []
    for book in same_plan:
        if period is not None and book.period != period:
            problems.append(
                Problem(
                    "HD802",
                    f"Arbetsboken gäller {_as_of_text(book.period)}, men {against} gäller {_as_of_text(period)}; den läses inte in.",
                    _loc(book.name, META_SHEET, book.cells.get("per")),
                )
            )
        elif scale_key is not None and book.scale_key != scale_key:
            problems.append(
                Problem(
                    "HD802",
                    f"Arbetsboken använder {_describe_scale(book.scale_key)}, men {against} använder "
                    f"{_describe_scale(scale_key)}; den läses inte in.",
                    _loc(book.name, META_SHEET, book.cells.get("statusskala") or book.cells.get("skala")),
                )
            )
        else:
            kept.append(book)
    return kept, period, scale_key, scale


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _formulas(book: _Book, last_row: int, width: int) -> dict[tuple[int, int], str]:
    """The formulas on the activities sheet, by (row, column), up to ``last_row`` and ``width``.

    The workbook is read for its values, which for a formula are the values Excel saved with it. A
    script or a tool that does not calculate (openpyxl writing ``=A1``, for one) saves none, and the
    cell then reads as empty; to tell such a cell from an empty one the formulas are read too, but
    only when a sheet of the file has a formula at all.
    """
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(book.content)) as archive:
        if not any(
            _FORMULA.search(archive.read(info))
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ):
            return {}
    workbook = load_workbook(io.BytesIO(book.content), read_only=True, data_only=False)
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


def _shortened(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


_IDENTIFYING = ("Åtgärd", "Aktivitet")
"""The locked texts that name an activity; the period is not one (many activities share one)."""


def _texts_of_another(
    ident: str, locked: dict[str, tuple[str, str]], originals: dict[str, dict[str, str]]
) -> str | None:
    """The id of another activity whose locked texts the row shows, if the row's id is not theirs.

    A row names activity ``ident`` by its hidden id and, visibly, by its measure and activity texts.
    When those texts are not ``ident``'s as sent but are exactly another activity's, the id was
    changed or swapped (or the row pasted over another): the id and the texts disagree (HD811).
    Texts that are nobody's as sent were edited, and the id still decides (HD807, a warning).
    """
    own = originals.get(ident)
    shown = {title: locked[title][0] for title in _IDENTIFYING if title in locked}
    if own is None or not shown or all(own.get(t) == text for t, text in shown.items()):
        return None
    return next(
        (
            other
            for other, texts in originals.items()
            if other != ident and all(texts.get(t) == text for t, text in shown.items())
        ),
        None,
    )


def _read_rows(book: _Book, plan_units: dict[str, str], unit_ids: list[str], problems: list[Problem]) -> list[_Answer]:
    """The answers on a workbook's activities sheet (HD801, HD804–HD807, HD809, HD811, HD812, HD814)."""
    from openpyxl.utils import get_column_letter

    name, sheet = book.name, ACTIVITIES_SHEET
    if sheet not in book.workbook.sheetnames:
        problems.append(Problem("HD801", f"Bladet ”{sheet}” saknas i arbetsboken.", _loc(name)))
        return []
    limit = max(ROW_LIMIT, 2 * len(unit_ids))
    try:
        ws = book.workbook[sheet]
        header = next(iter(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True)), ())
        columns: dict[str, int] = {}
        for index, value in enumerate(header, start=1):
            if _text(value) in COLUMNS:
                columns.setdefault(_text(value), index)
        width = max(columns.values(), default=1)
        elements = _row_elements(book.content, ws)
        if elements > max(_ROW_ELEMENTS, 5 * limit):
            problems.append(
                Problem(
                    "HD814",
                    f"Bladet har {format_integer(elements)} rader; en uppföljningsarbetsbok har en rad per aktivitet, "
                    f"och högst {format_integer(limit)} läses. Bladet läses inte. Fyll i den arbetsbok som skickades "
                    "ut, utan att lägga till rader.",
                    _loc(name, sheet),
                )
            )
            return []
        rows = list(ws.iter_rows(min_row=2, max_row=limit + 2, max_col=width, values_only=True))
        formulas = _formulas(book, limit + 2, width)
    except Exception:  # a broken sheet part: openpyxl and lxml raise many kinds
        problems.append(_damaged(name, sheet))
        return []
    missing = [c for c in ("Id", "Status", "Kommentar") if c not in columns]
    if missing:
        problems.append(
            Problem(
                "HD801",
                f"Bladet ”{sheet}” saknar kolumnen {', '.join(f'”{c}”' for c in missing)} på rad 1; "
                "ändra inte rubrikraden.",
                _loc(name, sheet, "A1"),
            )
        )
        return []
    if len(rows) > limit and any(value is not None for value in rows[limit]):
        problems.append(
            Problem(
                "HD814",
                f"Bladet har fler än {format_integer(limit)} rader under rubrikraden; raderna från rad "
                f"{format_integer(limit + 2)} läses inte. Lägg inte till rader, och ta bort det som står under "
                "aktiviteterna.",
                _loc(name, sheet, f"A{limit + 2}"),
            )
        )
    letters = {title: get_column_letter(column) for title, column in columns.items()}
    names = [level.name for level in book.scale.levels] + [lv.code for lv in book.scale.levels if lv.code]
    answers: list[_Answer] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[:limit], start=2):
        cells: dict[str, tuple[str, str]] = {}
        unknown = False
        for title, column in columns.items():
            value = row[column - 1] if column <= len(row) else None
            coordinate = f"{letters[title]}{number}"
            formula = formulas.get((number, column))
            if formula is not None and value is None:
                unknown = True
                problems.append(
                    Problem(
                        "HD812",
                        f"Cellen i kolumnen ”{title}” har formeln ”{_shortened(formula)}” men inget sparat värde, "
                        "så det går inte att läsa vad den visar; raden läses inte in. Skriv texten i cellen i "
                        "stället för en formel, eller öppna arbetsboken i Excel och spara den, så att värdet sparas.",
                        _loc(name, sheet, coordinate),
                    )
                )
            cells[title] = (_text(value), coordinate)
        if unknown:
            seen.add(cells["Id"][0])
            continue
        (ident, id_cell), (status, status_cell), (comment, comment_cell) = (
            cells["Id"],
            cells["Status"],
            cells["Kommentar"],
        )
        locked = {title: cells[title] for title in _LOCKED if title in cells}
        if not ident and not status and not comment and not any(text for text, _ in locked.values()):
            continue
        if not ident or ident not in plan_units:
            what = f"id ”{ident}”" if ident else "inget id"
            problems.append(
                Problem(
                    "HD805",
                    f"Raden har {what} och hör inte till någon aktivitet i planen; den läses inte in. "
                    "Lägg inte till rader och ändra inte i den dolda kolumnen A.",
                    _loc(name, sheet, id_cell),
                    suggestion=suggest(ident, unit_ids) if ident else None,
                )
            )
            continue
        unit = plan_units[ident]
        if unit != book.unit:
            problems.append(
                Problem(
                    "HD809",
                    f"Raden gäller aktivitet {ident}, som hör till {unit}, inte till {book.unit}; den läses inte in.",
                    _loc(name, sheet, id_cell),
                )
            )
            continue
        seen.add(ident)
        original = book.originals.get(ident, {})
        other = _texts_of_another(ident, locked, book.originals)
        if other is not None:
            problems.append(
                Problem(
                    "HD811",
                    f"Raden har id {ident}, men dess låsta texter är aktivitet {other}:s "
                    f"(”{book.originals[other]['Aktivitet']}”), inte aktivitet {ident}:s "
                    f"(”{original.get('Aktivitet', '')}”). Id och text stämmer inte överens, så svaret läses inte "
                    "in. Ändra inte i den dolda kolumnen A, och klistra inte in en rad över en annan.",
                    _loc(name, sheet, id_cell),
                )
            )
            continue
        for title, (text, coordinate) in locked.items():
            if title in original and text != original[title]:
                problems.append(
                    Problem(
                        "HD807",
                        f"Texten i den låsta kolumnen ”{title}” har ändrats för aktivitet {ident} "
                        f"(den var ”{original[title]}”). Svaret läses in ändå, men ändringen följer inte med.",
                        _loc(name, sheet, coordinate),
                        severity="varning",
                    )
                )
        if not status:
            if comment:
                problems.append(
                    Problem(
                        "HD804",
                        f"Aktivitet {ident} har en kommentar men ingen status; den räknas som ej rapporterad tills en status är vald.",
                        _loc(name, sheet, status_cell),
                        severity="varning",
                    )
                )
            continue
        level = book.scale.level(status)
        if level is None:
            problems.append(
                Problem(
                    "HD804",
                    f"Statusen ”{status}” för aktivitet {ident} finns inte i skalan ”{book.scale.name}”; välj "
                    + ", ".join(f"”{lv.name}”" for lv in book.scale.levels)
                    + ".",
                    _loc(name, sheet, status_cell),
                    suggestion=suggest(status, names),
                )
            )
            continue
        answers.append(_Answer(ident, unit, level.name, comment or None, name, status_cell, comment_cell))
    for ident in unit_ids:
        if ident not in seen:
            problems.append(
                Problem(
                    "HD806",
                    f"Aktivitet {ident} ({book.unit}) saknas i arbetsboken; den räknas som ej rapporterad.",
                    _loc(name, sheet),
                    severity="varning",
                )
            )
    return answers


def _same_comment(a: str | None, b: str | None) -> bool:
    return _text(a) == _text(b)


def import_workbooks(files: Sequence[Path], plan: Plan, *, existing: FollowUp | None = None) -> ImportResult:
    """Read returned follow-up workbooks into activity reports; every problem is reported at once.

    With ``existing``, its reports are kept as they are: an answer that differs from one of them is a
    conflict (HD808), and only answers for activities it does not report yet are added.
    """
    problems: list[Problem] = []
    books = [book for path in files if (book := _open(Path(path), problems)) is not None]
    kept, period, scale_key, scale = _check_round(books, plan, existing, problems)

    plan_units: dict[str, str] = {}
    order: list[str] = []
    by_unit: dict[str, list[str]] = {}
    for measure in plan.measures:
        for ident, activity in activity_ids(measure):
            plan_units[ident] = activity.unit
            order.append(ident)
            by_unit.setdefault(activity.unit, []).append(ident)

    answers: dict[str, _Answer] = {}
    conflicted: set[str] = set()
    for book in kept:
        for answer in _read_rows(book, plan_units, by_unit.get(book.unit, []), problems):
            first = answers.get(answer.activity)
            if first is None:
                answers[answer.activity] = answer
            elif first.status != answer.status or not _same_comment(first.comment, answer.comment):
                where = "på en annan rad i samma fil" if first.file == answer.file else f"i {first.file}"
                if first.status != answer.status:
                    cell, what = answer.status_cell, f"statusen ”{answer.status}” mot ”{first.status}”"
                else:
                    cell, what = answer.comment_cell, "kommentarerna skiljer sig"
                problems.append(
                    Problem(
                        "HD808",
                        f"Aktivitet {answer.activity} har ett annat svar här än {where} ({what}); "
                        "inget av svaren läses in. Ta bort det ena svaret.",
                        _loc(answer.file, ACTIVITIES_SHEET, cell),
                    )
                )
                conflicted.add(answer.activity)

    reports = list(existing.reports) if existing is not None else []
    current = {r.activity: r for r in reversed(reports)}
    for ident in order:
        found = answers.get(ident)
        if found is None or ident in conflicted:
            continue
        answer = found
        report = current.get(ident)
        if report is None:
            reports.append(
                ActivityReport(activity=ident, unit=answer.unit, status=answer.status, comment=answer.comment)
            )
            continue
        known = (scale or SCALES["standard"]).level(report.status)
        same_status = (known.name if known else report.status) == answer.status
        if not same_status or not _same_comment(report.comment, answer.comment):
            what = (
                f"statusen ”{answer.status}” mot ”{report.status}”" if not same_status else "kommentarerna skiljer sig"
            )
            problems.append(
                Problem(
                    "HD808",
                    f"Aktivitet {ident} har redan en annan rapport i uppföljningen än i arbetsboken ({what}); "
                    "rapporten ändras inte. Ta bort den gamla rapporten om arbetsbokens svar ska gälla.",
                    _loc(answer.file, ACTIVITIES_SHEET, answer.status_cell if not same_status else answer.comment_cell),
                )
            )
    for book in books:
        book.workbook.close()
    return ImportResult(reports, period, scale_key, problems, scale)
