"""The collection loop: one workbook out per sector and company, the answers back in.

The workbooks are read back with openpyxl and checked for what a person sees: the sheets, the
rows, the drop-down, which cells can be changed. The round trip fills them in as a person would,
in any row order, and expects exactly what was filled in back. Each HD80x code has a test that
spoils a workbook in that way.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import itertools
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from hallbardocs import InvalidInputError, Plan
from hallbardocs.collect import (
    ACTIVITIES_SHEET,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    ExportedWorkbook,
    ImportResult,
    export_workbooks,
    import_workbooks,
)
from hallbardocs.errors import Problem
from hallbardocs.model.followup import SCALES, ActivityReport, FollowUp, Period, StatusScale, activity_ids

ROOT = Path(__file__).resolve().parents[1]
HELAR = Period.model_validate({"typ": "helår", "år": 2026, "per": "2026-12-31"})
DELAR = Period.model_validate({"typ": "delår", "år": 2026, "per": "2026-08-31"})
STANDARD = SCALES["standard"]
COUNTY = SCALES["länsstyrelserna"]
ENERGY = "Lindåsa Energi AB"
SCHOOLS = "Barn- och utbildningssektorn"


# ----------------------------------------------------------------------------- helpers


def _unit_ids(plan: Plan, unit: str) -> list[str]:
    return [i for m in plan.measures for i, a in activity_ids(m) if a.unit == unit]


def _units_with_activities(plan: Plan) -> list[str]:
    used = {a.unit for m in plan.measures for a in m.activities}
    return [u.name for u in plan.organisation if u.name in used]


def _book(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content))


def _save(tmp_path: Path, exported: list[ExportedWorkbook]) -> dict[str, Path]:
    paths = {}
    for w in exported:
        path = tmp_path / w.filename
        path.write_bytes(w.content)
        paths[w.unit] = path
    return paths


def _rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def _edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open a workbook, let ``change`` edit its activities sheet, and save it in place."""
    wb = openpyxl.load_workbook(path)
    change(wb[ACTIVITIES_SHEET])
    wb.save(path)
    return path


def _row_of(ws: Any, ident: str) -> int:
    return int(next(c.row for c in ws["A"] if c.value == ident))


def _fill(path: Path, answers: dict[str, tuple[str | None, str | None]], *, reverse: bool = False) -> Path:
    """Fill in Status (E) and Kommentar (F) by id, as a person would; ``reverse`` sorts the rows Z–A first."""

    def change(ws: Any) -> None:
        if reverse:
            rows = _rows(ws)[::-1]
            for r, values in enumerate(rows, start=2):
                for c, value in enumerate(values, start=1):
                    ws.cell(r, c).value = value
        for ident, (status, comment) in answers.items():
            row = _row_of(ws, ident)
            ws[f"E{row}"] = status
            ws[f"F{row}"] = comment

    return _edit(path, change)


def _only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


def _where(problem: Problem) -> tuple[str, str | None, str | None]:
    assert problem.location is not None
    return Path(problem.location.file).name, problem.location.sheet, problem.location.cell


@pytest.fixture(scope="module")
def exported(example_plan: Plan) -> list[ExportedWorkbook]:
    return export_workbooks(example_plan, HELAR, STANDARD)


@pytest.fixture
def files(tmp_path: Path, exported: list[ExportedWorkbook]) -> dict[str, Path]:
    return _save(tmp_path, exported)


# ----------------------------------------------------------------------------- export


def test_there_is_one_workbook_per_unit_with_activities(example_plan: Plan, exported: list[ExportedWorkbook]) -> None:
    assert [w.unit for w in exported] == _units_with_activities(example_plan)
    energy = next(w for w in exported if w.unit == ENERGY)
    assert energy.filename == "uppfoljning-helar-2026-lindasa-energi-ab.xlsx"
    assert all(w.filename.isascii() for w in exported)
    assert len({w.filename for w in exported}) == len(exported)


def test_a_workbook_lists_only_its_own_units_activities(example_plan: Plan, exported: list[ExportedWorkbook]) -> None:
    for w in exported:
        ws = _book(w.content)[ACTIVITIES_SHEET]
        assert [r[0] for r in _rows(ws)] == _unit_ids(example_plan, w.unit)
    ws = _book(next(w for w in exported if w.unit == ENERGY).content)[ACTIVITIES_SHEET]
    assert [c.value for c in ws[1]] == ["Id", "Åtgärd", "Aktivitet", "Period", "Status", "Kommentar"]
    assert _rows(ws)[0] == [
        "1.3",
        "1. Ställ om kommunkoncernens fordonsflotta",
        "Bygg 40 publika laddpunkter vid resecentrum och i de tre största kransorterna.",
        "2026-03-01–2026-11-30",
        None,
        None,
    ]


def test_the_instructions_come_first_and_say_who_when_and_how(exported: list[ExportedWorkbook]) -> None:
    wb = _book(next(w for w in exported if w.unit == ENERGY).content)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, ACTIVITIES_SHEET, META_SHEET]
    assert wb.active.title == INSTRUCTIONS_SHEET
    text = "\n".join(" ".join(str(v) for v in row if v) for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True))
    assert "Till Lindåsa Energi AB" in text
    assert "Period Helår 2026, per 2026-12-31" in text
    assert "Välj en status för varje aktivitet i listan" in text
    assert "Ändra inte i de grå kolumnerna, och lägg inte till eller ta bort rader." in text
    assert "Spara filen som Excel-arbetsbok (.xlsx) och skicka tillbaka den." in text
    for level in STANDARD.levels:
        assert f"{level.symbol} {level.name} {level.description}" in text


def test_the_status_drop_down_lists_exactly_the_scales_names(exported: list[ExportedWorkbook]) -> None:
    ws = _book(next(w for w in exported if w.unit == ENERGY).content)[ACTIVITIES_SHEET]
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Genomförd,Pågår,Ej påbörjad,Avbruten,Ej relevant"'
    assert str(validation.sqref) == f"E2:E{ws.max_row}"
    assert validation.showErrorMessage
    assert validation.errorTitle == "Ogiltig status"
    assert validation.error == "Välj en status i listan: Genomförd, Pågår, Ej påbörjad, Avbruten, Ej relevant."


def test_the_county_scale_drop_down_shows_names_not_codes(example_plan: Plan) -> None:
    (w,) = export_workbooks(example_plan, HELAR, COUNTY, units=[ENERGY])
    ws = _book(w.content)[ACTIVITIES_SHEET]
    assert ws.data_validations.dataValidation[0].formula1 == '"Genomförd,Hälften,Påbörjad,Ej påbörjad,Ej relevant"'
    text = " ".join(
        str(v) for row in _book(w.content)[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for v in row if v
    )
    assert "Genomförd (G)" in text and "Hälften (H)" in text


def test_only_status_and_comment_can_be_changed(exported: list[ExportedWorkbook]) -> None:
    ws = _book(next(w for w in exported if w.unit == ENERGY).content)[ACTIVITIES_SHEET]
    for row in range(2, ws.max_row + 1):
        for column in "ABCD":
            cell = ws[f"{column}{row}"]
            assert cell.protection.locked
            assert cell.fill.fgColor.rgb.endswith("E7E6E6")
        for column in "EF":
            assert not ws[f"{column}{row}"].protection.locked
        assert ws[f"F{row}"].alignment.wrap_text
    protection = ws.protection
    assert protection.sheet
    assert protection.password is None
    assert protection.autoFilter is False  # False: allowed on the protected sheet
    assert protection.sort is False
    assert ws.auto_filter.ref == f"A1:F{ws.max_row}"
    assert ws.freeze_panes == "B2"
    assert ws.column_dimensions["A"].hidden
    assert ws.column_dimensions["C"].width == 60


def test_the_meta_sheet_is_very_hidden_and_describes_the_workbook(
    example_plan: Plan, exported: list[ExportedWorkbook]
) -> None:
    ws = _book(next(w for w in exported if w.unit == ENERGY).content)[META_SHEET]
    assert ws.sheet_state == "veryHidden"
    meta = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0] != "aktivitet"}
    assert meta["format"] == "hallbardocs-uppföljning"
    assert meta["version"] == "1"
    assert meta["plan"] == example_plan.metadata.document_name
    assert (meta["planår"], meta["periodtyp"], meta["periodår"], meta["per"]) == ("2026", "helår", "2026", "2026-12-31")
    assert meta["statusskala"] == "standard"
    assert meta["enhet"] == ENERGY
    originals = [row[1:5] for row in ws.iter_rows(values_only=True) if row[0] == "aktivitet"]
    assert [o[0] for o in originals] == _unit_ids(example_plan, ENERGY)
    assert originals[0][1:] == (
        "1. Ställ om kommunkoncernens fordonsflotta",
        "Bygg 40 publika laddpunkter vid resecentrum och i de tre största kransorterna.",
        "2026-03-01–2026-11-30",
    )


def test_only_the_named_units_get_a_workbook_and_an_unknown_one_is_refused(example_plan: Plan) -> None:
    assert [w.unit for w in export_workbooks(example_plan, HELAR, STANDARD, units=[ENERGY, SCHOOLS])] == [
        SCHOOLS,
        ENERGY,
    ]
    with pytest.raises(InvalidInputError) as caught:
        export_workbooks(example_plan, HELAR, STANDARD, units=["Lindåsa Enrgi AB"])
    assert [(p.code, p.suggestion) for p in caught.value.problems] == [("HD203", ENERGY)]


def test_a_previous_follow_up_fills_in_status_and_comment(example_plan: Plan) -> None:
    previous = FollowUp.model_validate(
        {
            "plan": example_plan.metadata.document_name,
            "period": {"typ": "delår", "år": 2026, "per": "2026-08-31"},
            "statusskala": "länsstyrelserna",
            "rapporter": [{"aktivitet": "1.3", "enhet": ENERGY, "status": "H", "kommentar": "Rad ett\nrad två"}],
        }
    )
    (w,) = export_workbooks(example_plan, HELAR, COUNTY, units=[ENERGY], previous=previous)
    first = _rows(_book(w.content)[ACTIVITIES_SHEET])[0]
    assert first[4:] == ["Hälften", "Rad ett\nrad två"]


def test_text_that_looks_like_a_formula_is_written_as_text(example_plan: Plan) -> None:
    measure = example_plan.measures[0]
    activity = measure.activities[2].model_copy(update={"text": "=SUMMA(A1:A3) laddpunkter"})
    changed = measure.model_copy(update={"activities": [activity]})
    plan = example_plan.model_copy(update={"measures": [changed]})
    (w,) = export_workbooks(plan, HELAR, STANDARD)
    cell = _book(w.content)[ACTIVITIES_SHEET]["C2"]
    assert (cell.value, cell.data_type) == ("=SUMMA(A1:A3) laddpunkter", "s")


# ----------------------------------------------------------------------------- the round trip


def _answers(plan: Plan) -> dict[str, tuple[str, str]]:
    """A status and comment for every activity, cycling through the scale."""
    names = itertools.cycle(level.name for level in STANDARD.levels)
    return {ident: (next(names), f"Kommentar om {ident}.") for m in plan.measures for ident, _ in activity_ids(m)}


def _fill_all(plan: Plan, files: dict[str, Path], answers: dict[str, tuple[str, str]]) -> None:
    for unit, path in files.items():
        mine = {i: answers[i] for i in _unit_ids(plan, unit)}
        _fill(path, mine, reverse=unit == ENERGY)  # type: ignore[arg-type]


def _expected(plan: Plan, answers: dict[str, tuple[str, str]]) -> list[ActivityReport]:
    return [
        ActivityReport(activity=i, unit=a.unit, status=answers[i][0], comment=answers[i][1])
        for m in plan.measures
        for i, a in activity_ids(m)
    ]


def test_what_is_filled_in_comes_back_exactly(example_plan: Plan, files: dict[str, Path]) -> None:
    answers = _answers(example_plan)
    answers["1.3"] = ("Pågår", "Rad ett_x000B_rad två\r\nrad tre")
    _fill_all(example_plan, files, answers)
    assert [r[0] for r in _rows(openpyxl.load_workbook(files[ENERGY])[ACTIVITIES_SHEET])] == list(
        reversed(_unit_ids(example_plan, ENERGY))
    )
    result = import_workbooks(list(files.values()), example_plan)
    assert result.problems == []
    expected = _expected(example_plan, answers)
    expected[2] = expected[2].model_copy(update={"comment": "Rad ett\nrad två\nrad tre"})
    assert result.reports == expected
    assert (result.period, result.scale_name, result.scale) == (HELAR, "standard", STANDARD)


def test_an_empty_status_is_not_reported(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill(files[ENERGY], {"1.3": ("Genomförd", None)})
    result = import_workbooks([files[ENERGY]], example_plan)
    assert result.problems == []
    assert result.reports == [ActivityReport(activity="1.3", unit=ENERGY, status="Genomförd")]


def test_reimporting_the_same_files_gives_the_same_reports(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill_all(example_plan, files, _answers(example_plan))
    first = import_workbooks(list(files.values()), example_plan)
    assert import_workbooks(list(files.values()), example_plan) == first


def _followup(plan: Plan, result: ImportResult) -> FollowUp:
    assert result.period is not None and result.scale_name is not None
    return FollowUp(
        plan_name=plan.metadata.document_name, period=result.period, scale=result.scale_name, reports=result.reports
    )


def test_importing_into_the_previous_result_changes_nothing(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill_all(example_plan, files, _answers(example_plan))
    first = import_workbooks(list(files.values()), example_plan)
    again = import_workbooks(list(files.values()), example_plan, existing=_followup(example_plan, first))
    assert again.problems == []
    assert again.reports == first.reports


def test_new_answers_are_added_after_the_existing_reports(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill(files[ENERGY], {"1.3": ("Pågår", "Hälften klar."), "7.1": ("Genomförd", None)})
    existing = FollowUp.model_validate(
        {
            "plan": example_plan.metadata.document_name,
            "period": {"typ": "helår", "år": 2026, "per": "2026-12-31"},
            "rapporter": [
                {"aktivitet": "2.1", "enhet": "Samhällsbyggnadssektorn", "status": "Genomförd"},
                {"aktivitet": "1.3", "enhet": ENERGY, "status": "pågår", "kommentar": " Hälften klar. "},
            ],
        }
    )
    result = import_workbooks([files[ENERGY]], example_plan, existing=existing)
    assert result.problems == []
    assert result.reports == [*existing.reports, ActivityReport(activity="7.1", unit=ENERGY, status="Genomförd")]


def test_the_county_scale_accepts_a_name_or_a_code(example_plan: Plan, tmp_path: Path) -> None:
    paths = _save(tmp_path, export_workbooks(example_plan, HELAR, COUNTY, units=[ENERGY]))
    ids = _unit_ids(example_plan, ENERGY)
    _fill(paths[ENERGY], {ids[0]: ("G", None), ids[1]: ("h", None), ids[2]: ("Påbörjad", None)})
    result = import_workbooks([paths[ENERGY]], example_plan)
    assert result.problems == []
    assert [(r.activity, r.status) for r in result.reports] == [
        (ids[0], "Genomförd"),
        (ids[1], "Hälften"),
        (ids[2], "Påbörjad"),
    ]
    assert result.scale_name == "länsstyrelserna"


# ----------------------------------------------------------------------------- every problem


def test_hd801_a_file_that_is_not_a_workbook(example_plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "svar.xlsx"
    path.write_text("inte en arbetsbok", encoding="utf-8")
    result = import_workbooks([path], example_plan)
    problem = _only(result.problems, "HD801")
    assert _where(problem) == ("svar.xlsx", None, None)
    assert result.reports == []


def test_hd801_a_workbook_of_ones_own(example_plan: Plan, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = ACTIVITIES_SHEET
    path = tmp_path / "egen.xlsx"
    wb.save(path)
    problem = _only(import_workbooks([path], example_plan).problems, "HD801")
    assert _where(problem) == ("egen.xlsx", None, None)
    assert "_hallbardocs" in problem.message


def test_hd801_a_garbled_meta_sheet(example_plan: Plan, files: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(files[ENERGY])
    ws = wb[META_SHEET]
    row = next(c.row for c in ws["A"] if c.value == "per")
    ws[f"B{row}"] = "31 december"
    wb.save(files[ENERGY])
    problem = _only(import_workbooks([files[ENERGY]], example_plan).problems, "HD801")
    assert _where(problem) == (files[ENERGY].name, META_SHEET, f"B{row}")


def test_hd801_a_changed_header(example_plan: Plan, files: dict[str, Path]) -> None:
    _edit(files[ENERGY], lambda ws: setattr(ws["E1"], "value", "Läge"))
    problem = _only(import_workbooks([files[ENERGY]], example_plan).problems, "HD801")
    assert _where(problem) == (files[ENERGY].name, ACTIVITIES_SHEET, "A1")


def _meta_cell(path: Path, key: str) -> str:
    ws = openpyxl.load_workbook(path)[META_SHEET]
    return next(f"B{c.row}" for c in ws["A"] if c.value == key)


def test_hd802_a_workbook_of_another_period(example_plan: Plan, files: dict[str, Path], tmp_path: Path) -> None:
    (old,) = export_workbooks(example_plan, DELAR, STANDARD, units=[ENERGY])
    stray = tmp_path / "gammal" / old.filename
    stray.parent.mkdir()
    stray.write_bytes(old.content)
    _fill(stray, {"1.3": ("Pågår", None)})
    result = import_workbooks([files[SCHOOLS], stray, files["Lindåsahem AB"]], example_plan)
    problem = _only(result.problems, "HD802")
    assert _where(problem) == (stray.name, META_SHEET, _meta_cell(stray, "per"))
    assert "Delår 2026, per 2026-08-31" in problem.message and "Helår 2026, per 2026-12-31" in problem.message
    assert result.period == HELAR
    assert result.reports == []


def test_hd802_a_workbook_of_another_period_than_the_follow_up(example_plan: Plan, files: dict[str, Path]) -> None:
    existing = FollowUp(plan_name=example_plan.metadata.document_name, period=DELAR)
    problem = _only(import_workbooks([files[ENERGY]], example_plan, existing=existing).problems, "HD802")
    assert _where(problem) == (files[ENERGY].name, META_SHEET, _meta_cell(files[ENERGY], "per"))


def test_hd803_a_workbook_of_another_plan(example_plan: Plan, tmp_path: Path) -> None:
    other = example_plan.model_copy(
        update={"metadata": example_plan.metadata.model_copy(update={"document_name": "Klimatplan 2026"})}
    )
    paths = _save(tmp_path, export_workbooks(other, HELAR, STANDARD, units=[ENERGY]))
    _fill(paths[ENERGY], {"1.3": ("Pågår", None)})
    result = import_workbooks([paths[ENERGY]], example_plan)
    problem = _only(result.problems, "HD803")
    assert _where(problem) == (paths[ENERGY].name, INSTRUCTIONS_SHEET, "A1")
    assert openpyxl.load_workbook(paths[ENERGY])[INSTRUCTIONS_SHEET]["A1"].value == "Uppföljning: Klimatplan 2026"
    assert problem.message == (
        f"Arbetsboken gjordes från planen ”Klimatplan 2026”, inte ”{example_plan.metadata.document_name}”"
        " (se rubriken på bladet ”Instruktioner”); den läses inte in."
    )
    assert result.reports == []


def test_hd803_a_workbook_of_another_years_plan_points_to_the_visible_title(
    example_plan: Plan, tmp_path: Path
) -> None:
    other = example_plan.model_copy(update={"year": 2025})
    paths = _save(tmp_path, export_workbooks(other, HELAR, STANDARD, units=[ENERGY]))
    result = import_workbooks([paths[ENERGY]], example_plan)
    problem = _only(result.problems, "HD803")
    assert _where(problem) == (paths[ENERGY].name, INSTRUCTIONS_SHEET, "A1")
    assert problem.message == (
        "Arbetsboken gjordes från planen för 2025, inte planen för 2026 (se rubriken på bladet ”Instruktioner”);"
        " den läses inte in."
    )
    assert result.reports == []


def test_hd804_a_status_not_in_the_scale(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill(files[ENERGY], {"1.3": ("Pagår", None), "7.1": ("Genomförd", None)})
    row = _row_of(openpyxl.load_workbook(files[ENERGY])[ACTIVITIES_SHEET], "1.3")
    result = import_workbooks([files[ENERGY]], example_plan)
    problem = _only(result.problems, "HD804")
    assert _where(problem) == (files[ENERGY].name, ACTIVITIES_SHEET, f"E{row}")
    assert (problem.is_error, problem.suggestion) == (True, "Pågår")
    assert [r.activity for r in result.reports] == ["7.1"]


def test_hd804_a_comment_without_a_status_is_a_warning(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill(files[ENERGY], {"1.3": (None, "Vi återkommer.")})
    result = import_workbooks([files[ENERGY]], example_plan)
    problem = _only(result.problems, "HD804")
    assert _where(problem) == (files[ENERGY].name, ACTIVITIES_SHEET, "E2")
    assert not problem.is_error
    assert result.reports == []


def test_hd805_an_added_row(example_plan: Plan, files: dict[str, Path]) -> None:
    def add(ws: Any) -> None:
        ws.append(["99.1", "", "En egen aktivitet", "", "Genomförd", ""])
        ws.append([None, "", "En till", "", "Pågår", ""])

    _edit(files[ENERGY], add)
    last = openpyxl.load_workbook(files[ENERGY])[ACTIVITIES_SHEET].max_row
    result = import_workbooks([files[ENERGY]], example_plan)
    problems = [p for p in result.problems if p.code == "HD805"]
    assert [_where(p) for p in problems] == [
        (files[ENERGY].name, ACTIVITIES_SHEET, f"A{last - 1}"),
        (files[ENERGY].name, ACTIVITIES_SHEET, f"A{last}"),
    ]
    assert result.reports == []


def test_hd806_a_deleted_row_is_a_warning(example_plan: Plan, files: dict[str, Path]) -> None:
    _edit(files[ENERGY], lambda ws: ws.delete_rows(_row_of(ws, "7.1")))
    problem = _only(import_workbooks([files[ENERGY]], example_plan).problems, "HD806")
    assert _where(problem) == (files[ENERGY].name, ACTIVITIES_SHEET, None)
    assert "7.1" in problem.message
    assert not problem.is_error


def test_hd807_an_edited_locked_text_is_a_warning_and_the_answer_counts(
    example_plan: Plan, files: dict[str, Path]
) -> None:
    def change(ws: Any) -> None:
        row = _row_of(ws, "1.3")
        ws[f"C{row}"] = "Bygg 30 publika laddpunkter."
        ws[f"E{row}"] = "Genomförd"

    _edit(files[ENERGY], change)
    result = import_workbooks([files[ENERGY]], example_plan)
    problem = _only(result.problems, "HD807")
    assert _where(problem) == (files[ENERGY].name, ACTIVITIES_SHEET, "C2")
    assert not problem.is_error
    assert result.reports == [ActivityReport(activity="1.3", unit=ENERGY, status="Genomförd")]


def test_hd808_two_files_disagree(example_plan: Plan, files: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "kopia" / files[ENERGY].name
    copy.parent.mkdir()
    copy.write_bytes(files[ENERGY].read_bytes())
    _fill(files[ENERGY], {"1.3": ("Pågår", "Samma."), "7.1": ("Genomförd", "Klar.")})
    _fill(copy, {"1.3": ("Pågår", "Samma."), "7.1": ("Avbruten", "Klar.")})
    result = import_workbooks([files[ENERGY], copy], example_plan)
    problem = _only(result.problems, "HD808")
    row = _row_of(openpyxl.load_workbook(copy)[ACTIVITIES_SHEET], "7.1")
    assert _where(problem) == (copy.name, ACTIVITIES_SHEET, f"E{row}")
    assert str(files[ENERGY]) in problem.message
    assert [(r.activity, r.comment) for r in result.reports] == [("1.3", "Samma.")]  # identical answers agree


def test_hd808_a_file_disagrees_with_the_follow_up(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill(files[ENERGY], {"1.3": ("Pågår", "Ny kommentar.")})
    existing = FollowUp.model_validate(
        {
            "plan": example_plan.metadata.document_name,
            "period": {"typ": "helår", "år": 2026, "per": "2026-12-31"},
            "rapporter": [{"aktivitet": "1.3", "enhet": ENERGY, "status": "Pågår", "kommentar": "Gammal."}],
        }
    )
    result = import_workbooks([files[ENERGY]], example_plan, existing=existing)
    problem = _only(result.problems, "HD808")
    assert _where(problem) == (files[ENERGY].name, ACTIVITIES_SHEET, "F2")
    assert result.reports == existing.reports  # never silently overwritten


def test_hd809_a_row_of_another_units_activity(example_plan: Plan, files: dict[str, Path]) -> None:
    def change(ws: Any) -> None:
        ws["A2"] = "1.3"  # Lindåsa Energi AB's, in the schools' workbook
        ws["E2"] = "Genomförd"

    _edit(files[SCHOOLS], change)
    result = import_workbooks([files[SCHOOLS]], example_plan)
    problem = _only(result.problems, "HD809")
    assert _where(problem) == (files[SCHOOLS].name, ACTIVITIES_SHEET, "A2")
    assert _only(result.problems, "HD806").severity == "varning"  # the row it replaced is gone
    assert result.reports == []


def test_every_problem_of_every_file_is_reported_at_once(example_plan: Plan, files: dict[str, Path]) -> None:
    _fill(files[ENERGY], {"1.3": ("Klar", None)})
    _edit(files[SCHOOLS], lambda ws: setattr(ws["A2"], "value", "1.3"))
    codes = {p.code for p in import_workbooks([files[ENERGY], files[SCHOOLS]], example_plan).problems}
    assert {"HD804", "HD809", "HD806"} <= codes


# ----------------------------------------------------------------------------- the example script


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_sector_workbooks", ROOT / "examples" / "make_sector_workbooks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_script_writes_workbooks_that_import_back(example_plan: Plan, tmp_path: Path) -> None:
    answers = _answers(example_plan)
    followup = FollowUp(
        plan_name=example_plan.metadata.document_name,
        period=HELAR,
        reports=_expected(example_plan, answers)[:-2],
    )
    (tmp_path / "uppfoljning-helar-2026-nedlagd-sektor.xlsx").write_bytes(b"")
    written = _script().write_sector_workbooks(example_plan, followup, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)
    result = import_workbooks(written, example_plan)
    assert result.problems == []
    assert result.reports == followup.reports


@pytest.mark.skipif(not (ROOT / "examples" / "uppfoljning.yaml").exists(), reason="no example follow-up yet")
def test_the_example_follow_up_makes_sector_workbooks(example_plan: Plan, tmp_path: Path) -> None:
    assert _script().main(["--ut", str(tmp_path)]) == 0
    written = sorted(tmp_path.glob("*.xlsx"))
    assert len(written) == len(_units_with_activities(example_plan))
    from hallbardocs import load_followup

    followup = load_followup(ROOT / "examples" / "uppfoljning.yaml", example_plan)
    result = import_workbooks(written, example_plan)
    assert [p.code for p in result.errors] == []
    assert [(r.activity, r.status, r.comment) for r in result.reports] == [
        (r.activity, followup.status_scale().level(r.status).name, r.comment)  # type: ignore[union-attr]
        for r in sorted(followup.reports, key=lambda r: _order(example_plan).index(r.activity))
    ]


def _order(plan: Plan) -> list[str]:
    return [i for m in plan.measures for i, _ in activity_ids(m)]


def test_a_workbook_date_in_the_meta_sheet_is_read_as_a_date(example_plan: Plan, files: dict[str, Path]) -> None:
    """Excel may turn the ISO date on the meta sheet into a real date when the file is resaved."""
    wb = openpyxl.load_workbook(files[ENERGY])
    ws = wb[META_SHEET]
    ws[_meta_cell(files[ENERGY], "per")] = dt.datetime(2026, 12, 31)
    wb.save(files[ENERGY])
    assert import_workbooks([files[ENERGY]], example_plan).period == HELAR


def test_a_scale_of_ones_own_travels_with_the_workbook(example_plan: Plan, tmp_path: Path) -> None:
    scale = StatusScale.model_validate(
        {
            "namn": "Trafikljus",
            "nivåer": [
                {"namn": "Grön, klar", "kategori": "genomförd", "färg": "#2E7D32", "symbol": "●"},
                {"namn": "Gul", "kategori": "pågår", "färg": "#B26A00", "symbol": "◐"},
                {"namn": "Röd", "kategori": "ej_påbörjad", "färg": "#B3261E", "symbol": "○"},
            ],
        }
    )
    paths = _save(tmp_path, export_workbooks(example_plan, HELAR, scale, units=[ENERGY]))
    wb = openpyxl.load_workbook(paths[ENERGY])
    formula = wb[ACTIVITIES_SHEET].data_validations.dataValidation[0].formula1
    assert formula == "'_hallbardocs'!$B$2:$B$4"  # a name with a comma cannot stand in an inline list
    assert [wb[META_SHEET][f"B{r}"].value for r in (2, 3, 4)] == ["Grön, klar", "Gul", "Röd"]
    _fill(paths[ENERGY], {"1.3": ("Grön, klar", None)})
    result = import_workbooks([paths[ENERGY]], example_plan)
    assert (result.problems, result.scale_name, result.scale) == ([], "Trafikljus", scale)
    assert result.reports == [ActivityReport(activity="1.3", unit=ENERGY, status="Grön, klar")]
