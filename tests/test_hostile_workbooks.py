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
    assert [a.text for m in back.measures for a in m.activities] == [a.text for m in plan.measures for a in m.activities]
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
    argv = [sys.executable, "-m", "hallbardocs", "followup", "import", str(workbook), "--plan", str(plan), "-o", str(target)]
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
    import hallbardocs
    from hallbardocs.export import followup_with_reports

    plan = _plan_copy(tmp_path)
    books = _filled_workbooks(example_plan, tmp_path, ["Lindåsa Energi AB"])
    target = tmp_path / "uppfoljning.yaml"
    edited = "# edited by hand while the import ran\n"

    def meanwhile(*args: object, **kwargs: object) -> bytes:
        target.write_text(edited, encoding="utf-8")  # a writer that takes no lock
        return followup_with_reports(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hallbardocs.export, "followup_with_reports", meanwhile)
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
    assert f"{path}, blad Aktiviteter, cell A2: fel HD811: Raden har id {second}, men dess låsta texter är aktivitet {first}:s" in err
    assert f"{path}, blad Aktiviteter, cell A3: fel HD811: Raden har id {first}, men dess låsta texter är aktivitet {second}:s" in err
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


def test_a_genuinely_edited_locked_text_stays_a_warning_and_the_answer_counts(example_plan: Plan, tmp_path: Path) -> None:
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
