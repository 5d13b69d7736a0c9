"""The incoming half of the collection: returned workbooks read back into activity reports.

Every problem is reported at once, with file, sheet and cell. A workbook is read within the bounds
of :mod:`hallbardocs.collect.bounds`; its meta sheet says what it is (HD801), which plan (HD803),
period and scale (HD802) it belongs to, and the activities as they were sent. A row names its
activity by its hidden id and by its locked texts; when the texts are exactly another activity's,
the two disagree and the row is refused (HD811, see docs/followup.md). An empty status means "not
reported yet" and gives no report. A status may be written by its name or its code (``G``); the
report holds the level's name. The answers are merged by :mod:`hallbardocs.collect.merge`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hallbardocs.collect import bounds
from hallbardocs.collect.bounds import (
    MAX_COLUMNS,
    ROW_ELEMENTS,
    ROW_LIMIT,
    damaged,
    loc,
    row_elements,
)
from hallbardocs.collect.layout import (
    ACTIVITIES_SHEET,
    COLUMNS,
    IDENTIFYING,
    INSTRUCTIONS_SHEET,
    LOCKED,
    META_SHEET,
    as_of_text,
    cell_text,
    key_of_scale,
)
from hallbardocs.collect.merge import Answer, add_answers, merged_reports
from hallbardocs.collect.meta import Book, open_book
from hallbardocs.errors import Problem
from hallbardocs.formatting import format_integer
from hallbardocs.model.followup import SCALES, ActivityReport, FollowUp, Period, StatusScale, activity_ids
from hallbardocs.model.plan import Plan
from hallbardocs.validate import suggest

__all__ = ["ImportResult", "import_workbooks"]


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


def _describe_scale(key: str) -> str:
    return f"statusskalan ”{key}”"


def _of_the_plan(books: list[Book], plan: Plan, problems: list[Problem]) -> list[Book]:
    """The workbooks made from ``plan`` (its name and year); the others are refused (HD803)."""
    same_plan: list[Book] = []
    for book in books:
        wrong = False
        if book.plan_name.strip() != plan.metadata.document_name.strip():
            problems.append(
                Problem(
                    "HD803",
                    f"Arbetsboken gjordes från planen ”{book.plan_name}”, inte ”{plan.metadata.document_name}”"
                    f" (se rubriken på bladet ”{INSTRUCTIONS_SHEET}”); den läses inte in.",
                    loc(book.name, INSTRUCTIONS_SHEET, "A1"),
                )
            )
            wrong = True
        if book.plan_year != plan.year:
            problems.append(
                Problem(
                    "HD803",
                    f"Arbetsboken gjordes från planen för {book.plan_year}, inte planen för {plan.year}"
                    f" (se rubriken på bladet ”{INSTRUCTIONS_SHEET}”); den läses inte in.",
                    loc(book.name, INSTRUCTIONS_SHEET, "A1"),
                )
            )
            wrong = True
        if not wrong:
            same_plan.append(book)
    return same_plan


def _check_round(
    books: list[Book], plan: Plan, existing: FollowUp | None, problems: list[Problem]
) -> tuple[list[Book], Period | None, str | None, StatusScale | None]:
    """Keep the workbooks of this plan and of the common period and scale (HD802, HD803)."""
    same_plan = _of_the_plan(books, plan, problems)

    period: Period | None
    scale_key: str | None
    scale: StatusScale | None
    if existing is not None:
        period = existing.period
        if isinstance(existing.scale, StatusScale):
            scale, scale_key = existing.scale, key_of_scale(existing.scale)
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
    kept: list[Book] = []
    for book in same_plan:
        if period is not None and book.period != period:
            problems.append(
                Problem(
                    "HD802",
                    f"Arbetsboken gäller {as_of_text(book.period)}, men {against} gäller {as_of_text(period)}; den läses inte in.",
                    loc(book.name, META_SHEET, book.cells.get("per")),
                )
            )
        elif scale_key is not None and book.scale_key != scale_key:
            problems.append(
                Problem(
                    "HD802",
                    f"Arbetsboken använder {_describe_scale(book.scale_key)}, men {against} använder "
                    f"{_describe_scale(scale_key)}; den läses inte in.",
                    loc(book.name, META_SHEET, book.cells.get("statusskala") or book.cells.get("skala")),
                )
            )
        else:
            kept.append(book)
    return kept, period, scale_key, scale


def _shortened(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


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
    shown = {title: locked[title][0] for title in IDENTIFYING if title in locked}
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


@dataclass
class _Sheet:
    """The activities sheet as read within bounds: its columns (title -> number), rows and formulas."""

    columns: dict[str, int]
    rows: list[tuple[Any, ...]]
    formulas: dict[tuple[int, int], str]


_Cells = dict[str, tuple[str, str]]
"""A row's cells: column title -> (text, coordinate)."""


def _read_sheet(book: Book, limit: int, problems: list[Problem]) -> _Sheet | None:
    """The activities sheet's header, rows and formulas, at most ``limit`` rows (HD801, HD814)."""
    name, sheet = book.name, ACTIVITIES_SHEET
    if sheet not in book.workbook.sheetnames:
        problems.append(Problem("HD801", f"Bladet ”{sheet}” saknas i arbetsboken.", loc(name)))
        return None
    try:
        ws = book.workbook[sheet]
        header = next(iter(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True)), ())
        columns: dict[str, int] = {}
        for index, value in enumerate(header, start=1):
            if cell_text(value) in COLUMNS:
                columns.setdefault(cell_text(value), index)
        width = max(columns.values(), default=1)
        elements = row_elements(book.content, ws)
        if elements > max(ROW_ELEMENTS, 5 * limit):
            problems.append(
                Problem(
                    "HD814",
                    f"Bladet har {format_integer(elements)} rader; en uppföljningsarbetsbok har en rad per aktivitet, "
                    f"och högst {format_integer(limit)} läses. Bladet läses inte. Fyll i den arbetsbok som skickades "
                    "ut, utan att lägga till rader.",
                    loc(name, sheet),
                )
            )
            return None
        rows = list(ws.iter_rows(min_row=2, max_row=limit + 2, max_col=width, values_only=True))
        formulas = bounds.formulas(book.content, limit + 2, width)
    except Exception:  # a broken sheet part: openpyxl and lxml raise many kinds
        problems.append(damaged(name, sheet))
        return None
    missing = [c for c in ("Id", "Status", "Kommentar") if c not in columns]
    if missing:
        problems.append(
            Problem(
                "HD801",
                f"Bladet ”{sheet}” saknar kolumnen {', '.join(f'”{c}”' for c in missing)} på rad 1; "
                "ändra inte rubrikraden.",
                loc(name, sheet, "A1"),
            )
        )
        return None
    if len(rows) > limit and any(value is not None for value in rows[limit]):
        problems.append(
            Problem(
                "HD814",
                f"Bladet har fler än {format_integer(limit)} rader under rubrikraden; raderna från rad "
                f"{format_integer(limit + 2)} läses inte. Lägg inte till rader, och ta bort det som står under "
                "aktiviteterna.",
                loc(name, sheet, f"A{limit + 2}"),
            )
        )
    return _Sheet(columns, rows[:limit], formulas)


def _row_cells(
    name: str, sheet: _Sheet, number: int, letters: dict[str, str], problems: list[Problem]
) -> tuple[_Cells, bool]:
    """Row ``number``'s cells, and whether one of them is a formula without a value (HD812)."""
    row = sheet.rows[number - 2]
    cells: _Cells = {}
    unknown = False
    for title, column in sheet.columns.items():
        value = row[column - 1] if column <= len(row) else None
        coordinate = f"{letters[title]}{number}"
        formula = sheet.formulas.get((number, column))
        if formula is not None and value is None:
            unknown = True
            problems.append(
                Problem(
                    "HD812",
                    f"Cellen i kolumnen ”{title}” har formeln ”{_shortened(formula)}” men inget sparat värde, "
                    "så det går inte att läsa vad den visar; raden läses inte in. Skriv texten i cellen i "
                    "stället för en formel, eller öppna arbetsboken i Excel och spara den, så att värdet sparas.",
                    loc(name, ACTIVITIES_SHEET, coordinate),
                )
            )
        cells[title] = (cell_text(value), coordinate)
    return cells, unknown


def _identified(
    book: Book, cells: _Cells, plan_units: dict[str, str], unit_ids: list[str], problems: list[Problem]
) -> str | None:
    """The row's activity if its id is one of the workbook's unit's (HD805, HD809); None otherwise."""
    ident, id_cell = cells["Id"]
    if not ident or ident not in plan_units:
        what = f"id ”{ident}”" if ident else "inget id"
        problems.append(
            Problem(
                "HD805",
                f"Raden har {what} och hör inte till någon aktivitet i planen; den läses inte in. "
                "Lägg inte till rader och ändra inte i den dolda kolumnen A.",
                loc(book.name, ACTIVITIES_SHEET, id_cell),
                suggestion=suggest(ident, unit_ids) if ident else None,
            )
        )
        return None
    unit = plan_units[ident]
    if unit != book.unit:
        problems.append(
            Problem(
                "HD809",
                f"Raden gäller aktivitet {ident}, som hör till {unit}, inte till {book.unit}; den läses inte in.",
                loc(book.name, ACTIVITIES_SHEET, id_cell),
            )
        )
        return None
    return ident


def _locked_texts_agree(book: Book, ident: str, cells: _Cells, problems: list[Problem]) -> bool:
    """Whether the row's locked texts are its activity's, or edited (HD807), not another's (HD811)."""
    locked = {title: cells[title] for title in LOCKED if title in cells}
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
                loc(book.name, ACTIVITIES_SHEET, cells["Id"][1]),
            )
        )
        return False
    for title, (text, coordinate) in locked.items():
        if title in original and text != original[title]:
            problems.append(
                Problem(
                    "HD807",
                    f"Texten i den låsta kolumnen ”{title}” har ändrats för aktivitet {ident} "
                    f"(den var ”{original[title]}”). Svaret läses in ändå, men ändringen följer inte med.",
                    loc(book.name, ACTIVITIES_SHEET, coordinate),
                    severity="varning",
                )
            )
    return True


def _answer(book: Book, ident: str, unit: str, cells: _Cells, problems: list[Problem]) -> Answer | None:
    """The row's answer, if it has a status of the scale (HD804); None if it has none yet."""
    (status, status_cell), (comment, comment_cell) = cells["Status"], cells["Kommentar"]
    where = loc(book.name, ACTIVITIES_SHEET, status_cell)
    if not status:
        if comment:
            problems.append(
                Problem(
                    "HD804",
                    f"Aktivitet {ident} har en kommentar men ingen status; den räknas som ej rapporterad tills en status är vald.",
                    where,
                    severity="varning",
                )
            )
        return None
    scale = book.scale
    level = scale.level(status)
    if level is None:
        names = [lv.name for lv in scale.levels] + [lv.code for lv in scale.levels if lv.code]
        problems.append(
            Problem(
                "HD804",
                f"Statusen ”{status}” för aktivitet {ident} finns inte i skalan ”{scale.name}”; välj "
                + ", ".join(f"”{lv.name}”" for lv in scale.levels)
                + ".",
                where,
                suggestion=suggest(status, names),
            )
        )
        return None
    return Answer(ident, unit, level.name, comment or None, book.name, status_cell, comment_cell)


def _read_rows(book: Book, plan_units: dict[str, str], unit_ids: list[str], problems: list[Problem]) -> list[Answer]:
    """The answers on a workbook's activities sheet (HD801, HD804–HD807, HD809, HD811, HD812, HD814)."""
    from openpyxl.utils import get_column_letter

    sheet = _read_sheet(book, max(ROW_LIMIT, 2 * len(unit_ids)), problems)
    if sheet is None:
        return []
    letters = {title: get_column_letter(column) for title, column in sheet.columns.items()}
    answers: list[Answer] = []
    seen: set[str] = set()
    for number in range(2, len(sheet.rows) + 2):
        cells, unknown = _row_cells(book.name, sheet, number, letters, problems)
        if unknown:
            seen.add(cells["Id"][0])
            continue
        if not any(text for text, _ in cells.values()):  # an empty row
            continue
        ident = _identified(book, cells, plan_units, unit_ids, problems)
        if ident is None:
            continue
        seen.add(ident)
        if not _locked_texts_agree(book, ident, cells, problems):
            continue
        answer = _answer(book, ident, plan_units[ident], cells, problems)
        if answer is not None:
            answers.append(answer)
    for ident in unit_ids:
        if ident not in seen:
            problems.append(
                Problem(
                    "HD806",
                    f"Aktivitet {ident} ({book.unit}) saknas i arbetsboken; den räknas som ej rapporterad.",
                    loc(book.name, ACTIVITIES_SHEET),
                    severity="varning",
                )
            )
    return answers


def import_workbooks(files: Sequence[Path], plan: Plan, *, existing: FollowUp | None = None) -> ImportResult:
    """Read returned follow-up workbooks into activity reports; every problem is reported at once.

    With ``existing``, its reports are kept as they are: an answer that differs from one of them is a
    conflict (HD808), and only answers for activities it does not report yet are added.
    """
    problems: list[Problem] = []
    books = [book for path in files if (book := open_book(Path(path), problems)) is not None]
    kept, period, scale_key, scale = _check_round(books, plan, existing, problems)

    plan_units: dict[str, str] = {}
    order: list[str] = []
    by_unit: dict[str, list[str]] = {}
    for measure in plan.measures:
        for ident, activity in activity_ids(measure):
            plan_units[ident] = activity.unit
            order.append(ident)
            by_unit.setdefault(activity.unit, []).append(ident)

    answers: dict[str, Answer] = {}
    conflicted: set[str] = set()
    for book in kept:
        add_answers(answers, conflicted, _read_rows(book, plan_units, by_unit.get(book.unit, []), problems), problems)
    reports = merged_reports(order, answers, conflicted, existing, scale, problems)
    for book in books:
        book.workbook.close()
    return ImportResult(reports, period, scale_key, problems, scale)
