"""Messages a clerk can act on: numbers as Swedes type them, one message per mistake, no cascade of
wrong advice."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

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
    data = load_plan(EXAMPLE_YAML).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["kommun"].pop("logotyp", None)
    data["åtgärder"][0]["aktiviteter"][0]["kostnad"] = typed

    result = check_plan(_written(tmp_path, json.dumps(data, ensure_ascii=False, indent=2), "plan.json"))

    assert result.problems == []
    assert result.plan is not None and result.plan.measures[0].activities[0].cost == amount


def test_a_cost_typed_as_text_in_an_excel_cell_is_read_as_its_amount(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    plan = load_plan(EXAMPLE_YAML)
    plan.municipality.logo = None
    path.write_bytes(dump_plan(plan, ".xlsx"))
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
