"""Hostile workbooks: texts that look like formulas, swapped ids, formulas without values, huge
sheets, and two imports racing for one follow-up file.

Every workbook here is built by the test itself (with openpyxl, or by editing the zip's XML for the
pathological ones). Each test asserts the code, the location, a generous time bound and that nothing
was written, or that the follow-up file is unchanged.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from hallbardocs import Plan, load_plan
from hallbardocs.cli import main
from hallbardocs.export import dump_plan

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples" / "handlingsplan.yaml"
HOSTILE_TEXTS = (
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(1)",
    "=1+1",
)


# ----------------------------------------------------------------------------- texts we write


def _with_hostile_texts(plan: Plan) -> Plan:
    """The plan with a formula-like text in a measure's title, an activity, a unit and a chapter."""
    texts = iter(HOSTILE_TEXTS * 3)
    measures = []
    for measure in plan.measures[:3]:
        activities = [a.model_copy(update={"text": next(texts)}) for a in measure.activities]
        measures.append(measure.model_copy(update={"title": next(texts), "activities": activities}))
    chapters = [c.model_copy(update={"text": HOSTILE_TEXTS[1]}) for c in plan.chapters]
    meta = plan.metadata.model_copy(update={"owner": HOSTILE_TEXTS[0]})
    return plan.model_copy(update={"measures": measures + plan.measures[3:], "chapters": chapters, "metadata": meta})


def _formulas(content: bytes) -> list[str]:
    """The ``<f>`` elements of every sheet of an .xlsx."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<(\w+:)?f[ >]", archive.read(name))
        ]


def test_a_plan_workbook_writes_texts_that_look_like_formulas_as_text_and_reads_them_back(
    example_plan: Plan, tmp_path: Path
) -> None:
    plan = _with_hostile_texts(example_plan)
    content = dump_plan(plan, ".xlsx")
    assert _formulas(content) == []
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    back = load_plan(path)
    assert [m.title for m in back.measures] == [m.title for m in plan.measures]
    assert [a.text for m in back.measures for a in m.activities] == [
        a.text for m in plan.measures for a in m.activities
    ]
    assert [c.text for c in back.chapters] == [c.text for c in plan.chapters]
    assert back.metadata.owner == HOSTILE_TEXTS[0]


def test_convert_to_xlsx_writes_no_live_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    data["åtgärder"][0]["rubrik"] = HOSTILE_TEXTS[0]
    data["åtgärder"][0]["aktiviteter"][0]["aktivitet"] = HOSTILE_TEXTS[1]
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "logga.png").write_bytes((ROOT / "examples" / "logga.png").read_bytes())
    out = tmp_path / "plan.xlsx"
    assert main(["convert", str(source), "-o", str(out)]) == 0
    assert _formulas(out.read_bytes()) == []
    back = load_plan(out)
    assert back.measures[0].title == HOSTILE_TEXTS[0]
    assert back.measures[0].activities[0].text == HOSTILE_TEXTS[1]
    cell = openpyxl.load_workbook(out)["Åtgärder"]["B2"]
    assert (cell.value, cell.data_type) == (HOSTILE_TEXTS[0], "s")


def test_a_sector_workbook_writes_texts_that_look_like_formulas_as_text(example_plan: Plan) -> None:
    from hallbardocs.collect import ACTIVITIES_SHEET, export_workbooks
    from hallbardocs.model.followup import SCALES, Period

    plan = _with_hostile_texts(example_plan)
    period = Period.model_validate({"typ": "helår", "år": 2026, "per": "2026-12-31"})
    books = export_workbooks(plan, period, SCALES["standard"])
    assert all(_formulas(b.content) == [] for b in books)
    written = {
        cell.value
        for b in books
        for row in openpyxl.load_workbook(io.BytesIO(b.content))[ACTIVITIES_SHEET].iter_rows()
        for cell in row
    }
    assert set(HOSTILE_TEXTS) <= written


def test_a_sector_workbook_with_formula_like_texts_reads_back_exactly(example_plan: Plan, tmp_path: Path) -> None:
    from hallbardocs.collect import ACTIVITIES_SHEET, export_workbooks, import_workbooks
    from hallbardocs.model.followup import SCALES, Period

    plan = _with_hostile_texts(example_plan)
    period = Period.model_validate({"typ": "helår", "år": 2026, "per": "2026-12-31"})
    paths = []
    for book in export_workbooks(plan, period, SCALES["standard"]):
        wb = openpyxl.load_workbook(io.BytesIO(book.content))
        for row in wb[ACTIVITIES_SHEET].iter_rows(min_row=2):
            row[4].value = "Pågår"
            row[5].value = HOSTILE_TEXTS[1]
            row[5].data_type = "s"  # typed as text, as Excel saves a cell typed as '=cmd|…
        paths.append(tmp_path / book.filename)
        wb.save(paths[-1])
    result = import_workbooks(paths, plan)
    assert result.problems == []  # no locked text reads back changed (HD807), no id disagrees (HD811)
    assert {r.comment for r in result.reports} == {HOSTILE_TEXTS[1]}
    assert len(result.reports) == sum(len(m.activities) for m in plan.measures)


# ----------------------------------------------------------------------------- two imports at once


def _plan_copy(tmp_path: Path) -> Path:
    (tmp_path / "logga.png").write_bytes((ROOT / "examples" / "logga.png").read_bytes())
    plan = tmp_path / "handlingsplan.yaml"
    plan.write_bytes(PLAN.read_bytes())
    return plan


def _filled_workbooks(plan: Plan, tmp_path: Path, units: list[str]) -> dict[str, Path]:
    """The units' workbooks, each activity answered "Genomförd" with a comment naming its id."""
    from hallbardocs.collect import ACTIVITIES_SHEET, export_workbooks
    from hallbardocs.model.followup import SCALES, Period

    period = Period.model_validate({"typ": "helår", "år": 2026, "per": "2026-12-31"})
    paths = {}
    for book in export_workbooks(plan, period, SCALES["standard"], units=units):
        wb = openpyxl.load_workbook(io.BytesIO(book.content))
        ws = wb[ACTIVITIES_SHEET]
        for row in ws.iter_rows(min_row=2):
            row[4].value = "Genomförd"
            row[5].value = f"Klar: {row[0].value}."
        path = tmp_path / book.filename
        wb.save(path)
        paths[book.unit] = path
    return paths


def _unit_activities(plan: Plan, unit: str) -> set[str]:
    from hallbardocs.model.followup import activity_ids

    return {i for m in plan.measures for i, a in activity_ids(m) if a.unit == unit}


def _start_import(workbook: Path, plan: Path, target: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [
        sys.executable,
        "-m",
        "hallbardocs",
        "followup",
        "import",
        str(workbook),
        "--plan",
        str(plan),
        "-o",
        str(target),
    ]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=plan.parent)


@pytest.mark.parametrize("trial", range(4))
def test_two_imports_into_one_followup_file_at_once_lose_no_reports(
    example_plan: Plan, tmp_path: Path, trial: int
) -> None:
    plan = _plan_copy(tmp_path)
    units = ["Lindåsa Energi AB", "Barn- och utbildningssektorn"]
    books = _filled_workbooks(example_plan, tmp_path, units)
    target = tmp_path / "uppfoljning.yaml"
    if trial % 2:  # half the trials import into an existing follow-up file, half make a new one
        target.write_text(
            yaml.safe_dump(
                {
                    "plan": example_plan.metadata.document_name,
                    "period": {"typ": "helår", "år": 2026, "per": "2026-12-31"},
                    "statusskala": "standard",
                    "rapporter": [],
                },
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
    start = time.monotonic()
    runs = [_start_import(books[unit], plan, target) for unit in units]
    outcomes = [(run.wait(timeout=120), run.communicate()[1]) for run in runs]
    assert time.monotonic() - start < 120
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    imported = {r["aktivitet"] for r in data["rapporter"]}
    for unit, (status, err) in zip(units, outcomes, strict=True):
        if status == 0:
            assert _unit_activities(example_plan, unit) <= imported, err
        else:  # refused: said so with a code, and the other run's reports are all there
            assert status == 1 and "fel HD810" in err, err
    assert any(status == 0 for status, _ in outcomes)
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_import_refuses_to_replace_a_followup_file_that_changed_while_it_read(
    example_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import hallbardocs.collect.merge
    from hallbardocs.collect.merge import followup_with_reports

    plan = _plan_copy(tmp_path)
    books = _filled_workbooks(example_plan, tmp_path, ["Lindåsa Energi AB"])
    target = tmp_path / "uppfoljning.yaml"
    edited = "# edited by hand while the import ran\n"

    def meanwhile(*args: object, **kwargs: object) -> bytes:
        target.write_text(edited, encoding="utf-8")  # a writer that takes no lock
        return followup_with_reports(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hallbardocs.collect.merge, "followup_with_reports", meanwhile)
    argv = ["followup", "import", str(books["Lindåsa Energi AB"]), "--plan", str(plan), "-o", str(target)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{target}: fel HD810: Uppföljningsfilen ändrades" in err
    assert target.read_text(encoding="utf-8") == edited


def test_an_import_waits_for_the_lock_and_gives_up_with_a_code(
    example_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import hallbardocs.export

    plan = _plan_copy(tmp_path)
    books = _filled_workbooks(example_plan, tmp_path, ["Lindåsa Energi AB"])
    target = tmp_path / "uppfoljning.yaml"
    monkeypatch.setattr(hallbardocs.export, "LOCK_TIMEOUT", 0.5)
    argv = ["followup", "import", str(books["Lindåsa Energi AB"]), "--plan", str(plan), "-o", str(target)]
    with hallbardocs.export.followup_lock(target):  # another run holds the file
        start = time.monotonic()
        assert main(argv) == 1
        assert time.monotonic() - start < 10
    err = capsys.readouterr().err
    assert f"{target}: fel HD810: Uppföljningsfilen används av en annan körning" in err
    assert not target.exists()
    assert main(argv) == 0 and target.exists()


# ----------------------------------------------------------------------------- ids and locked texts

ENERGY = "Lindåsa Energi AB"


def _followup_file(plan: Plan, path: Path) -> bytes:
    path.write_text(
        yaml.safe_dump(
            {
                "plan": plan.metadata.document_name,
                "period": {"typ": "helår", "år": 2026, "per": "2026-12-31"},
                "statusskala": "standard",
                "rapporter": [],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return path.read_bytes()


def _import(tmp_path: Path, workbook: Path, target: Path) -> int:
    plan = _plan_copy(tmp_path)
    return main(["followup", "import", str(workbook), "--plan", str(plan), "-o", str(target)])


def test_swapping_two_hidden_ids_is_an_error_on_both_rows_and_nothing_is_imported(
    example_plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hallbardocs.collect import ACTIVITIES_SHEET

    path = _filled_workbooks(example_plan, tmp_path, [ENERGY])[ENERGY]
    wb = openpyxl.load_workbook(path)
    ws = wb[ACTIVITIES_SHEET]
    first, second = ws["A2"].value, ws["A3"].value
    ws["A2"], ws["A3"] = second, first
    wb.save(path)
    target = tmp_path / "uppfoljning.yaml"
    before = _followup_file(example_plan, target)

    start = time.monotonic()
    assert _import(tmp_path, path, target) == 1
    assert time.monotonic() - start < 10
    err = capsys.readouterr().err
    assert (
        f"{path}, blad Aktiviteter, cell A2: fel HD811: Raden har id {second}, men dess låsta texter är aktivitet {first}:s"
        in err
    )
    assert (
        f"{path}, blad Aktiviteter, cell A3: fel HD811: Raden har id {first}, men dess låsta texter är aktivitet {second}:s"
        in err
    )
    assert "HD807" not in err  # not an edited text: a wrong id
    assert target.read_bytes() == before


def test_a_row_pasted_over_another_is_an_error_not_an_edited_text(example_plan: Plan, tmp_path: Path) -> None:
    from hallbardocs.collect import ACTIVITIES_SHEET, import_workbooks

    path = _filled_workbooks(example_plan, tmp_path, [ENERGY])[ENERGY]
    wb = openpyxl.load_workbook(path)
    ws = wb[ACTIVITIES_SHEET]
    for column in "BCD":  # the second row's locked texts pasted over the first's; the id stays
        ws[f"{column}2"] = ws[f"{column}3"].value
    wb.save(path)
    result = import_workbooks([path], example_plan)
    [problem] = [p for p in result.problems if p.code in ("HD807", "HD811")]
    assert (problem.code, problem.location) == (
        "HD811",
        problem.location.__class__(str(path), sheet=ACTIVITIES_SHEET, cell="A2"),
    )
    assert ws["A2"].value not in {r.activity for r in result.reports}


def test_a_genuinely_edited_locked_text_stays_a_warning_and_the_answer_counts(
    example_plan: Plan, tmp_path: Path
) -> None:
    from hallbardocs.collect import ACTIVITIES_SHEET, import_workbooks

    path = _filled_workbooks(example_plan, tmp_path, [ENERGY])[ENERGY]
    wb = openpyxl.load_workbook(path)
    ws = wb[ACTIVITIES_SHEET]
    ws["C2"] = ws["C2"].value + " Och lite till."
    ws["D3"] = "hela året"
    ident = ws["A2"].value
    wb.save(path)
    result = import_workbooks([path], example_plan)
    problems = [(p.code, p.severity, p.location.cell if p.location else None) for p in result.problems]
    assert problems == [("HD807", "varning", "C2"), ("HD807", "varning", "D3")]
    assert ident in {r.activity for r in result.reports}


# ----------------------------------------------------------------------------- formulas, nesting, size


def _energy_workbook(example_plan: Plan, tmp_path: Path) -> Path:
    return _filled_workbooks(example_plan, tmp_path, [ENERGY])[ENERGY]


def _sheet_part(path: Path, sheet: str) -> str:
    """The zip part of a sheet (``xl/worksheets/sheet2.xml``), found through the workbook's relationships."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(\w+)"', workbook)
    assert rid is not None
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target is not None
    return target.group(1).lstrip("/") if target.group(1).startswith("/xl/") else "xl/" + target.group(1)


def _edit_part(path: Path, part: str, change: object) -> None:
    """Rewrite one part of the .xlsx zip with ``change(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info.filename, change(data) if info.filename == part else data)  # type: ignore[operator]


def _rows_added(path: Path, rows: bytes) -> None:
    part = _sheet_part(path, "Aktiviteter")
    _edit_part(path, part, lambda data: data.replace(b"</sheetData>", rows + b"</sheetData>"))


def _unchanged_after_import(tmp_path: Path, example_plan: Plan, workbook: Path) -> tuple[int, str, float]:
    """Import ``workbook`` into a follow-up file by the command line; the exit status, what it
    printed and how long it took. The follow-up file must be as it was."""
    target = tmp_path / "uppfoljning.yaml"
    before = _followup_file(example_plan, target)
    plan = _plan_copy(tmp_path)
    import contextlib

    err = io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stderr(err):
        status = main(["followup", "import", str(workbook), "--plan", str(plan), "-o", str(target)])
    took = time.monotonic() - start
    if status != 0:
        assert target.read_bytes() == before
    return status, err.getvalue(), took


@pytest.mark.parametrize(("column", "title"), [("F", "Kommentar"), ("E", "Status")])
def test_a_formula_without_a_saved_value_is_an_error_with_its_cell(
    example_plan: Plan, tmp_path: Path, column: str, title: str
) -> None:
    from hallbardocs.collect import ACTIVITIES_SHEET

    path = _energy_workbook(example_plan, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb[ACTIVITIES_SHEET][f"{column}3"] = "=C3"  # openpyxl saves the formula and no value, as scripts do
    wb.save(path)
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 10
    assert (
        f"{path}, blad Aktiviteter, cell {column}3: fel HD812: Cellen i kolumnen ”{title}” har formeln ”=C3” "
        "men inget sparat värde"
    ) in err


def test_a_formula_with_a_saved_value_is_read_as_its_value(example_plan: Plan, tmp_path: Path) -> None:
    from hallbardocs.collect import import_workbooks

    path = _energy_workbook(example_plan, tmp_path)
    ident = openpyxl.load_workbook(path)["Aktiviteter"]["A2"].value
    part = _sheet_part(path, "Aktiviteter")
    _edit_part(
        path,
        part,
        lambda data: re.sub(
            rb'<c r="F2"[^>]*>.*?</c>',
            b'<c r="F2" t="str"><f>"Klart "&amp;"och betalt."</f><v>Klart och betalt.</v></c>',
            data,
        ),
    )
    result = import_workbooks([path], example_plan)
    assert [p.code for p in result.errors] == []
    assert {r.activity: r.comment for r in result.reports}[ident] == "Klart och betalt."


def test_a_meta_value_nested_thousands_deep_is_a_garbled_workbook(example_plan: Plan, tmp_path: Path) -> None:
    from hallbardocs.collect import META_SHEET, import_workbooks

    path = _energy_workbook(example_plan, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[META_SHEET]
    row = next(r for r in ws.iter_rows() if r[0].value == "skala")
    row[1].value = "[" * 30_000 + "]" * 30_000
    wb.save(path)
    start = time.monotonic()
    result = import_workbooks([path], example_plan)
    assert time.monotonic() - start < 10
    [problem] = result.problems
    assert (problem.code, problem.location) == (
        "HD801",
        type(problem.location)(str(path), sheet=META_SHEET, cell=row[1].coordinate),
    )
    assert "statusskalan går inte att läsa" in problem.message
    assert result.reports == []


def test_a_cell_in_the_last_row_and_column_costs_nothing(example_plan: Plan, tmp_path: Path) -> None:
    path = _energy_workbook(example_plan, tmp_path)
    _rows_added(path, b'<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    part = _sheet_part(path, "Aktiviteter")
    _edit_part(path, part, lambda data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data))
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert (status, took < 10) == (0, True), err
    data = yaml.safe_load((tmp_path / "uppfoljning.yaml").read_text(encoding="utf-8"))
    assert {r["aktivitet"] for r in data["rapporter"]} == _unit_activities(example_plan, ENERGY)


def test_a_million_empty_styled_rows_are_refused_quickly_with_a_code(example_plan: Plan, tmp_path: Path) -> None:
    path = _energy_workbook(example_plan, tmp_path)
    _rows_added(path, b"".join(b'<row r="%d"><c r="F%d" s="1"/></row>' % (n, n) for n in range(100, 1_000_100)))
    assert path.stat().st_size < 6 * 2**20
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 30
    assert f"{path}, blad Aktiviteter: fel HD814: Bladet har 1\xa0000\xa0007 rader" in err


def test_a_million_rows_all_numbered_alike_are_refused_before_they_are_parsed(
    example_plan: Plan, tmp_path: Path
) -> None:
    path = _energy_workbook(example_plan, tmp_path)
    _rows_added(path, b'<row r="20"><c r="A20" t="inlineStr"><is><t>x</t></is></c></row>' * 1_000_000)
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 30
    assert "fel HD814: Bladet har 1\xa0000\xa0007 rader" in err


def test_many_added_rows_give_ten_errors_and_a_count_of_the_rest(example_plan: Plan, tmp_path: Path) -> None:
    path = _energy_workbook(example_plan, tmp_path)
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n) for n in range(10, 40_000)
    )
    _rows_added(path, rows)
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 30
    lines = err.splitlines()
    assert sum(" fel HD805: " in line for line in lines) == 11
    assert f"{path}: fel HD805: … och 9\xa0982 fel till av samma slag." in lines
    assert (
        f"{path}, blad Aktiviteter, cell A10002: fel HD814: Bladet har fler än 10\xa0000 rader under rubrikraden" in err
    )


def test_a_zip_bomb_is_refused_by_its_declared_size_before_it_is_unpacked(example_plan: Plan, tmp_path: Path) -> None:
    path = _energy_workbook(example_plan, tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bomb.bin", b"\0" * (101 * 2**20))
    assert path.stat().st_size < 2 * 2**20
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 10
    assert f"{path}: fel HD813: Arbetsboken packas upp till 101 MiB" in err


def test_a_workbook_file_over_the_size_cap_is_not_read(example_plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "stor.xlsx"
    with path.open("wb") as fh:
        fh.truncate(21 * 2**20)
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 10
    assert f"{path}: fel HD813: Filen är 21 MiB" in err


def test_a_fifo_named_as_a_workbook_is_refused_without_waiting(example_plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "ror.xlsx"
    os.mkfifo(path)
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 10
    assert f"{path}: fel HD801: Filen är ingen vanlig fil" in err


# ----------------------------------------------------------------------------- summarised messages


def test_a_million_problems_of_one_kind_are_summarised_with_a_swedish_count() -> None:
    from hallbardocs.errors import Location, Problem, summarised

    first = [Problem("HD805", f"Rad {n}.", Location("a.xlsx", sheet="Aktiviteter", cell=f"A{n}")) for n in range(20)]
    many = first + first[-1:] * (1_000_000 - len(first))  # a million, without making a million objects
    other = Problem("HD804", "En annan sort.", Location("a.xlsx", sheet="Aktiviteter", cell="E2"), severity="varning")
    shown = summarised([*many[:5], other, *many[5:]])
    assert shown[:5] == many[:5] and shown[5] == other and shown[6:11] == many[5:10]
    assert str(shown[11]) == "a.xlsx: fel HD805: … och 999\xa0990 fel till av samma slag."
    assert len(shown) == 12


def test_one_problem_more_than_shown_is_shown_rather_than_counted() -> None:
    from hallbardocs.errors import Problem, summarised

    warnings = [Problem("HD806", f"Aktivitet {n}.", severity="varning") for n in range(11)]
    assert summarised(warnings) == warnings
    [*_, last] = summarised([*warnings, warnings[0]])
    assert str(last) == "varning HD806: … och 2 varningar till av samma slag."


# ----------------------------------------------------------------------------- the plan workbook


def _plan_workbook(example_plan: Plan, tmp_path: Path) -> Path:
    (tmp_path / "logga.png").write_bytes((ROOT / "examples" / "logga.png").read_bytes())
    plan = example_plan.model_copy(
        update={"municipality": example_plan.municipality.model_copy(update={"logo": Path("logga.png")})}
    )
    path = tmp_path / "plan.xlsx"
    path.write_bytes(dump_plan(plan, ".xlsx"))
    return path


def test_a_plan_workbook_with_a_cell_in_the_last_row_and_column_is_checked_quickly(
    example_plan: Plan, tmp_path: Path
) -> None:
    from hallbardocs import check_plan

    path = _plan_workbook(example_plan, tmp_path)
    part = _sheet_part(path, "Aktiviteter")
    _edit_part(
        path,
        part,
        lambda data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data).replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
        ),
    )
    start = time.monotonic()
    result = check_plan(path)
    assert time.monotonic() - start < 10
    assert result.ok, [str(p) for p in result.problems]
    assert len([a for m in result.plan.measures for a in m.activities]) == len(  # type: ignore[union-attr]
        [a for m in example_plan.measures for a in m.activities]
    )


def test_a_plan_workbook_with_rows_past_the_limit_is_hd003_at_the_first_one(example_plan: Plan, tmp_path: Path) -> None:
    from hallbardocs import check_plan
    from hallbardocs.load.workbook import ROW_LIMIT

    path = _plan_workbook(example_plan, tmp_path)
    far = ROW_LIMIT + 2
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Ny</t></is></c></row>' % (far, far)
    _edit_part(
        path, _sheet_part(path, "Organisation"), lambda data: data.replace(b"</sheetData>", row + b"</sheetData>")
    )
    start = time.monotonic()
    result = check_plan(path)
    assert time.monotonic() - start < 10
    [problem] = [p for p in result.problems if p.code == "HD003"]
    assert str(problem) == (
        f"{path}, blad Organisation, cell A{far}: fel HD003: Bladet ”Organisation” har fler än 100\xa0000 rader "
        "under rubrikraden; raderna från rad 100\xa0002 läses inte."
    )


# ----------------------------------------------------------------------------- broken parts


def _laughs(data: bytes) -> bytes:
    """The sheet with entities nested ten deep (10**9 "lol"s) and one of them in a comment cell."""
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    assert b"<t>Klar: " in data
    return f"<!DOCTYPE worksheet [{entities}]>".encode() + data.replace(b"<t>Klar: ", b"<t>&a9;Klar: ", 1)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="the sheet's XML cut in half"),
        pytest.param(
            lambda data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:ZZZZZ9"/>', data),
            id="a dimension past Excel's last column",
        ),
        pytest.param(lambda data: data.replace(b'r="A2"', b'r="A-2"', 1), id="a cell reference that is none"),
        pytest.param(lambda data: _laughs(data), id="a billion laughs in a comment"),
    ],
)
def test_a_damaged_activities_sheet_is_hd801_at_the_sheet(example_plan: Plan, tmp_path: Path, spoil: object) -> None:
    path = _energy_workbook(example_plan, tmp_path)
    _edit_part(path, _sheet_part(path, "Aktiviteter"), spoil)
    status, err, took = _unchanged_after_import(tmp_path, example_plan, path)
    assert status == 1 and took < 10
    assert re.search(rf"^{re.escape(str(path))}(, blad Aktiviteter)?: fel HD801: ", err, flags=re.MULTILINE), err
    assert "Traceback" not in err


def test_a_meta_number_of_five_thousand_digits_is_a_garbled_workbook(example_plan: Plan, tmp_path: Path) -> None:
    from hallbardocs.collect import META_SHEET, import_workbooks

    path = _energy_workbook(example_plan, tmp_path)
    wb = openpyxl.load_workbook(path)
    row = next(r for r in wb[META_SHEET].iter_rows() if r[0].value == "planår")
    row[1].value = "9" * 5000
    row[1].data_type = "s"
    wb.save(path)
    [problem] = import_workbooks([path], example_plan).problems
    assert problem.code == "HD801"
    assert problem.location is not None and (problem.location.sheet, problem.location.file) == (META_SHEET, str(path))
