"""Hostile workbooks: texts that look like formulas, swapped ids, formulas without values, huge
sheets, and two imports racing for one follow-up file.

Every workbook here is built by the test itself (with openpyxl, or by editing the zip's XML for the
pathological ones). Each test asserts the code, the location, a generous time bound and that nothing
was written, or that the follow-up file is unchanged.
"""

from __future__ import annotations

import io
import re
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
