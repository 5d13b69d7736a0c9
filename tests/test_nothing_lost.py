"""Nothing in the input is lost without a word: every row of a workbook is read, whatever its sheets
claim, and a line break typed in a cell is a line break in the document."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from hallbardocs import Plan, check_plan, load_plan, plan_from_data, render_handlingsplan
from hallbardocs.export import dump_plan

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    return load_plan(EXAMPLES / "handlingsplan.yaml")


def _understate_dimensions(content: bytes, ref: str = "A1:B2") -> bytes:
    """The workbook with every sheet's ``<dimension ref=…>`` set to ``ref``, as some programs write it."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text, count = re.subn(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', data.decode("utf-8"))
                assert count == 1, item.filename
                data = text.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def test_a_workbook_whose_sheets_understate_their_dimensions_loses_no_row(tmp_path: Path, example_plan: Plan) -> None:
    path = tmp_path / "handlingsplan.xlsx"
    path.write_bytes(_understate_dimensions(dump_plan(example_plan, ".xlsx")))
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")
    ws = openpyxl.load_workbook(path, read_only=True)["Aktiviteter"]
    assert ws.calculate_dimension() == "A1:B2"  # what a reader that trusts the sheet would read

    result = check_plan(path)

    assert result.problems == []
    assert result.plan is not None
    activities = sum(len(m.activities) for m in result.plan.measures)
    assert activities == sum(len(m.activities) for m in example_plan.measures) > 30
    result.plan.municipality.logo = example_plan.municipality.logo
    assert result.plan == example_plan


# -- line breaks --------------------------------------------------------------------------------


def _paragraph_texts(content: bytes) -> list[str]:
    """The text of every paragraph of a .docx, in the body and in tables, a line break as ``\\n``."""
    from docx import Document

    document = Document(io.BytesIO(content))
    texts: list[str] = []

    def cells(tables: Any) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    texts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    texts.extend(p.text for p in document.paragraphs)
    cells(document.tables)
    return texts


# sheet, column title, a row's first cell (None: row 2), and a tag unique to the text
EXCEL_FIELDS = [
    ("Plan", "Värde", "Omfattar", "omfattar"),
    ("Revideringar", "Ändring", None, "ändring"),
    ("Fokusområden", "Prioriteringens beskrivning", None, "prioritering"),
    ("Fokusområden", "Beskrivning", None, "fokusområde"),
    ("Kapitel", "Text", None, "kapitel"),
    ("Åtgärder", "Rubrik", None, "rubrik"),
    ("Åtgärder", "Beskrivning", None, "åtgärd"),
    ("Aktiviteter", "Aktivitet", None, "aktivitet"),
]


@pytest.fixture(scope="module")
def excel_line_breaks(example_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, list[str]]:
    """The example as a workbook with Alt+Enter typed in a cell of every kind of text, and its document."""
    folder = tmp_path_factory.mktemp("excel")
    shutil.copy(EXAMPLES / "logga.png", folder / "logga.png")
    path = folder / "handlingsplan.xlsx"
    path.write_bytes(dump_plan(example_plan, ".xlsx"))
    wb = openpyxl.load_workbook(path)
    for sheet, column, first, tag in EXCEL_FIELDS:
        ws = wb[sheet]
        col = next(c.column for c in ws[1] if c.value == column)
        row = 2 if first is None else next(c.row for c in ws["A"] if c.value == first)
        ws.cell(row=row, column=col).value = f"{tag} ett\n{tag} två" + ("_x000B_" + f"{tag} tre" if tag == "åtgärd" else "")
    wb.save(path)
    plan = load_plan(path)
    return plan, _paragraph_texts(render_handlingsplan(plan).to_bytes())


SHOWN = [tag for *_, tag in EXCEL_FIELDS if tag != "prioritering"]  # the default template has no priority texts


@pytest.mark.parametrize("tag", SHOWN)
def test_a_line_break_typed_in_an_excel_cell_is_a_line_break_in_the_document(
    excel_line_breaks: tuple[Plan, list[str]], tag: str
) -> None:
    _plan, texts = excel_line_breaks
    assert any(f"{tag} ett\n{tag} två" in t for t in texts), tag
    assert not any(f"{tag} ett {tag} två" in t for t in texts), tag


def test_an_older_files_vertical_tab_in_a_cell_is_a_line_break_too(excel_line_breaks: tuple[Plan, list[str]]) -> None:
    plan, texts = excel_line_breaks
    assert plan.measures[0].description == "åtgärd ett\\\nåtgärd två\\\nåtgärd tre"
    assert plan.strategy.priorities[0].description == "prioritering ett\\\nprioritering två"
    assert any("åtgärd ett\nåtgärd två\nåtgärd tre" in t for t in texts)


def test_lists_and_paragraphs_typed_in_an_excel_cell_keep_their_shape(example_plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "handlingsplan.xlsx"
    path.write_bytes(dump_plan(example_plan, ".xlsx"))
    wb = openpyxl.load_workbook(path)
    wb["Åtgärder"]["D2"] = "Inledning\nandra raden\n\nPunkter:\n- en\n- två"
    wb.save(path)
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")

    plan = load_plan(path)

    assert plan.measures[0].description == "Inledning\\\nandra raden\n\nPunkter:\n- en\n- två"


def _data(**changes: Any) -> dict[str, Any]:
    data = yaml.safe_load((EXAMPLES / "handlingsplan.yaml").read_text(encoding="utf-8"))
    data["kommun"].pop("logotyp", None)
    data["åtgärder"][0].update(changes)
    return data


def test_a_hand_wrapped_yaml_paragraph_stays_one_paragraph_and_a_backslash_ends_a_line() -> None:
    text = "Första raden är lång\noch bryts för hand.\\\nHär börjar en ny rad."
    plan = plan_from_data(_data(beskrivning=text))
    texts = _paragraph_texts(render_handlingsplan(plan).to_bytes())

    assert "Första raden är lång och bryts för hand.\nHär börjar en ny rad." in texts


def test_a_vertical_tab_in_yaml_or_json_text_is_a_line_break_in_every_field() -> None:
    plan = plan_from_data(_data(beskrivning="Rad ett\vrad två\nsamma rad", rubrik="Rubrik\vrad två"))

    assert plan.measures[0].description == "Rad ett\\\nrad två\nsamma rad"
    assert plan.measures[0].title == "Rubrik\nrad två"
    texts = _paragraph_texts(render_handlingsplan(plan).to_bytes())
    assert "Rad ett\nrad två samma rad" in texts
    assert any(t.endswith(". Rubrik\nrad två") for t in texts)  # the measure's numbered heading


def test_a_json_escape_u000b_in_a_followup_text_is_a_hard_break(tmp_path: Path, example_plan: Plan) -> None:
    from hallbardocs import check_followup

    data = yaml.safe_load((EXAMPLES / "uppfoljning.yaml").read_text(encoding="utf-8"))
    data["indikatorer"] = []
    data["tjänsteskrivelse"]["sammanfattning"] = "Första\u000bandra"
    path = tmp_path / "uppfoljning.json"
    path.write_text(json.dumps(data, ensure_ascii=True, default=str), encoding="utf-8")
    assert "\\u000b" in path.read_text(encoding="utf-8")

    result = check_followup(path, example_plan)

    assert result.followup is not None, result.problems
    assert result.followup.committee is not None
    assert result.followup.committee.summary == "Första\\\nandra"
    assert not [p for p in result.problems if p.code == "HD401"]


def test_convert_to_a_workbook_and_back_keeps_soft_and_hard_breaks_as_they_were(tmp_path: Path) -> None:
    from hallbardocs.richtext import parse

    text = "En lång mening som\nbröts för hand.\\\nEn ny rad.\n\n- en punkt\n  som fortsätter\n- två"
    plan = plan_from_data(_data(beskrivning=text))
    path = tmp_path / "plan.xlsx"
    path.write_bytes(dump_plan(plan, ".xlsx"))

    cell = openpyxl.load_workbook(path)["Åtgärder"]["D2"].value
    assert cell == "En lång mening som bröts för hand.\nEn ny rad.\n\n- en punkt som fortsätter\n- två"
    back = load_plan(path).measures[0].description
    assert parse(back) == parse(text)


def test_the_strategys_kind_survives_a_round_trip_through_a_workbook(tmp_path: Path) -> None:
    from hallbardocs import convert_plan, load_plan

    text = (ROOT / "examples" / "handlingsplan.yaml").read_text(encoding="utf-8")
    assert "strategi:\n" in text
    source = tmp_path / "plan.yaml"
    source.write_text(text.replace("strategi:\n", "strategi:\n  typ: Hållbarhetspolicy\n  typ_bestämd: hållbarhetspolicyn\n", 1), encoding="utf-8")
    shutil.copy(ROOT / "examples" / "logga.png", tmp_path / "logga.png")

    convert_plan(source, tmp_path / "plan.xlsx")
    back = load_plan(tmp_path / "plan.xlsx").strategy

    assert (back.kind, back.kind_definite) == ("Hållbarhetspolicy", "hållbarhetspolicyn")


def test_own_activity_ids_and_given_colours_survive_a_round_trip_through_a_workbook(tmp_path: Path) -> None:
    from hallbardocs import convert_plan

    data = yaml.safe_load((ROOT / "examples" / "handlingsplan.yaml").read_text(encoding="utf-8"))
    data["åtgärder"][0]["aktiviteter"][0]["id"] = "K-1"
    area = data["strategi"]["prioriteringar"][0]["fokusområden"][0]
    area.pop("färg", None)
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    shutil.copy(ROOT / "examples" / "logga.png", tmp_path / "logga.png")

    convert_plan(source, tmp_path / "plan.xlsx")
    back = load_plan(tmp_path / "plan.xlsx")

    assert back.measures[0].activities[0].id == "K-1"
    assert back.focus_areas()[0].given_colour is None  # the palette's colour is not written as the user's
    assert back == load_plan(source)
