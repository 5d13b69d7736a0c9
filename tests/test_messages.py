"""Messages a clerk can act on: numbers as Swedes type them, one message per mistake, no cascade of
wrong advice."""

from __future__ import annotations

import copy
import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hallbardocs import check_plan, load_plan
from hallbardocs.export import dump_plan

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_YAML = ROOT / "examples" / "handlingsplan.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "invalid"
MINIMAL = (FIXTURES / "HD203_unknown_unit.yaml").read_text(encoding="utf-8")


def _minimal_plan() -> str:
    """The validation tests' minimal plan (the HD203 fixture with its unknown unit put right)."""
    return MINIMAL.replace("Hushage,", "Hushagen,").replace("Hushage]", "Hushagen]")


@functools.cache
def _example_data() -> dict[str, Any]:
    """The example plan as the data of a JSON file, without its logo (made once)."""
    data = load_plan(EXAMPLE_YAML).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["kommun"].pop("logotyp", None)
    return data


@functools.cache
def _example_xlsx() -> bytes:
    """The example plan as a workbook, without its logo (made once)."""
    plan = load_plan(EXAMPLE_YAML)
    plan.municipality.logo = None
    return dump_plan(plan, ".xlsx")


def _written(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- amounts in kronor ------------------------------------------------------------------------

SWEDISH_AMOUNTS = [
    ("180 000", Decimal("180000")),
    ("180\u00a0000", Decimal("180000")),  # a no-break space, as Excel and Word write it
    ("1\u202f234,50", Decimal("1234.50")),  # a thin space
    ("1 234,50", Decimal("1234.50")),
    ("180 000 kr", Decimal("180000")),
    ("2 500 000 kronor", Decimal("2500000")),
    ("450000", Decimal("450000")),
]


@pytest.mark.parametrize(("typed", "amount"), SWEDISH_AMOUNTS)
def test_a_cost_typed_in_swedish_format_in_yaml_is_read_as_its_amount(
    tmp_path: Path, typed: str, amount: Decimal
) -> None:
    text = _minimal_plan().replace("kostnad: 450000", f'kostnad: "{typed}"')

    result = check_plan(_written(tmp_path, text))

    assert result.problems == []
    assert result.plan is not None and result.plan.measures[0].activities[0].cost == amount


@pytest.mark.parametrize(("typed", "amount"), SWEDISH_AMOUNTS)
def test_a_cost_typed_in_swedish_format_in_json_is_read_as_its_amount(
    tmp_path: Path, typed: str, amount: Decimal
) -> None:
    data = copy.deepcopy(_example_data())
    data["åtgärder"][0]["aktiviteter"][0]["kostnad"] = typed

    result = check_plan(_written(tmp_path, json.dumps(data, ensure_ascii=False, indent=2), "plan.json"))

    assert result.problems == []
    assert result.plan is not None and result.plan.measures[0].activities[0].cost == amount


def test_a_cost_typed_as_text_in_an_excel_cell_is_read_as_its_amount(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_example_xlsx())
    wb = openpyxl.load_workbook(path)
    ws = wb["Aktiviteter"]
    assert ws["F1"].value == "Kostnad (kr)"
    ws["F2"] = "1\u00a0234,50 kr"
    wb.save(path)

    result = check_plan(path)

    assert result.problems == []
    assert result.plan is not None
    activity = next(a for m in result.plan.measures for a in m.activities)
    assert activity.cost == Decimal("1234.50")


@pytest.mark.parametrize("typed", ["tvåhundra", "180,000", "1 23 000", "ca 5000", "5 tkr"])
def test_a_cost_that_is_no_amount_is_hd102_with_examples_of_what_works(tmp_path: Path, typed: str) -> None:
    text = _minimal_plan().replace("kostnad: 450000", f'kostnad: "{typed}"')
    path = _written(tmp_path, text)

    [problem] = check_plan(path).problems

    assert problem.location is not None
    assert (problem.code, problem.location.line, problem.location.field) == (
        "HD102",
        text.splitlines().index(f'        kostnad: "{typed}"') + 1,
        "åtgärder[1].aktiviteter[1].kostnad",
    )
    assert problem.message == (
        "”kostnad” ska vara ett belopp i kronor (till exempel 180000, 180 000, 1 234,50 eller 180 000 kr), "
        f"men är ”{typed}”."
    )


def test_a_negative_cost_in_swedish_format_is_still_out_of_range(tmp_path: Path) -> None:
    text = _minimal_plan().replace("kostnad: 450000", 'kostnad: "-1 000 kr"')

    [problem] = check_plan(_written(tmp_path, text)).problems

    assert problem.code == "HD104"
    assert problem.location is not None and problem.location.field == "åtgärder[1].aktiviteter[1].kostnad"


# --- a list cell written with commas ----------------------------------------------------------


def _example_workbook(tmp_path: Path, edits: dict[str, str]) -> Path:
    """The example plan as .xlsx, with cells of the ``Åtgärder`` sheet set to new values."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_example_xlsx())
    wb = openpyxl.load_workbook(path)
    for cell, value in edits.items():
        wb["Åtgärder"][cell] = value
    wb.save(path)
    return path


def test_a_list_cell_separated_by_commas_is_one_message_that_says_to_use_semicolons(tmp_path: Path) -> None:
    units = "Samhällsbyggnadssektorn, Lindåsahem AB, Sektorn för verksamhetsstöd"  # three units with activities

    result = check_plan(_example_workbook(tmp_path, {"E5": units}))

    assert [(p.code, p.location and p.location.sheet, p.location and p.location.cell) for p in result.problems] == [
        ("HD104", "Åtgärder", "E5")
    ]
    [problem] = result.problems
    assert problem.location is not None and problem.location.field == "åtgärder[4].ansvariga[1]"
    assert problem.message == (
        "Cellen skiljer namnen åt med kommatecken, men i arbetsboken skiljs en listas namn åt med semikolon (;): "
        "skriv ”Samhällsbyggnadssektorn; Lindåsahem AB; Sektorn för verksamhetsstöd”."
    )
    assert result.plan is None


@pytest.mark.parametrize(
    ("cell", "value", "field"),
    [
        ("C3", "Smart och förnybar energi, Bygg klimatsmart", "åtgärder[2].fokusområden[1]"),
        ("F5", "Begränsad klimatpåverkan, God bebyggd miljö", "åtgärder[4].miljökvalitetsmål[1]"),
        ("G5", "9, 11, 12, 13", "åtgärder[4].globala_mål[1]"),
    ],
)
def test_every_list_column_gets_the_same_one_message_for_commas(
    tmp_path: Path, cell: str, value: str, field: str
) -> None:
    [problem] = check_plan(_example_workbook(tmp_path, {cell: value})).problems

    assert problem.location is not None
    assert (problem.code, problem.location.cell, problem.location.field) == ("HD104", cell, field)
    assert problem.message.endswith(f"skriv ”{value.replace(', ', '; ')}”.")


def test_a_name_that_holds_a_comma_is_not_taken_for_a_list(tmp_path: Path) -> None:
    text = (
        _minimal_plan()
        .replace("- namn: Konsumera miljösmart", "- namn: Jämställdhet, jämlikhet och inkludering")
        .replace("[Res fossilfritt, Konsumera miljösmart]", '[Res fossilfritt, "Jämställdhet, jämlikhet och inkludering"]')
    )
    plan = load_plan(_written(tmp_path, text))
    plan.municipality.logo = None
    path = tmp_path / "plan.xlsx"
    path.write_bytes(dump_plan(plan, ".xlsx"))

    result = check_plan(path)

    assert result.problems == []
    assert result.plan is not None
    assert result.plan.measures[0].focus_areas == ["Res fossilfritt", "Jämställdhet, jämlikhet och inkludering"]


# --- no cascade after an unknown unit ---------------------------------------------------------


def test_a_misspelt_responsible_unit_is_one_hd203_and_no_hd208_for_its_activity(tmp_path: Path) -> None:
    text = (
        _minimal_plan()
        .replace("ansvariga: [Hushagen, Samhällsbyggnadssektorn]", "ansvariga: [Hushage, Samhällsbyggnadssektorn]")
        .replace("      - enhet: Samhällsbyggnadssektorn", "      - enhet: Hushagen")
    )

    [problem] = check_plan(_written(tmp_path, text)).problems

    assert problem.location is not None
    assert (problem.code, problem.location.field, problem.suggestion) == ("HD203", "åtgärder[1].ansvariga[1]", "Hushagen")


def test_hd208_never_suggests_another_unit_for_an_activity(tmp_path: Path) -> None:
    text = (
        _minimal_plan()
        .replace("  - namn: Kultur- och fritidssektorn\n", "  - namn: Kultur- och fritidssektorn\n    typ: sektor\n  - namn: Kultursektorn\n")
        .replace("ansvariga: [Hushagen, Samhällsbyggnadssektorn]", "ansvariga: [Hushagen, Kultursektorn]")
        .replace("      - enhet: Samhällsbyggnadssektorn", "      - enhet: Kultur- och fritidssektorn")
    )

    [problem] = check_plan(_written(tmp_path, text)).problems

    assert problem.location is not None
    assert (problem.code, problem.location.field, problem.suggestion) == ("HD208", "åtgärder[1].aktiviteter[1].enhet", None)
