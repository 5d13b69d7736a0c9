"""The public API: complete, typed, documented, and each stage usable on its own."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import hallbardocs
from hallbardocs import (
    InvalidInputError,
    Plan,
    check_plan,
    handlingsplan_context,
    load_plan,
    plan_from_data,
    plan_schema,
    read_plan,
    validate_plan,
)

PLAN = Path(__file__).resolve().parents[1] / "examples" / "handlingsplan.yaml"


def test_all_names_every_public_name_and_each_exists() -> None:
    ours = {
        name
        for name, value in vars(hallbardocs).items()
        if not name.startswith("_") and not inspect.ismodule(value)
        and getattr(value, "__module__", "").startswith("hallbardocs")
    }
    assert ours | {"__version__"} <= set(hallbardocs.__all__)
    for name in hallbardocs.__all__:  # the follow-up's classes load lazily, on first access
        assert getattr(hallbardocs, name) is not None, name


def test_every_public_function_is_documented_and_typed() -> None:
    for name in hallbardocs.__all__:
        value = getattr(hallbardocs, name)
        if inspect.isfunction(value):
            assert value.__doc__, name
            signature = inspect.signature(value)
            assert signature.return_annotation is not inspect.Signature.empty, name


def test_the_stages_chain_by_hand_as_they_do_inside() -> None:
    raw = read_plan(PLAN)
    result = validate_plan(raw)
    assert result.ok and result.problems == []
    context = handlingsplan_context(result.plan)  # type: ignore[arg-type]
    assert context["antal_åtgärder"] == str(len(result.plan.measures))  # type: ignore[union-attr]


def test_check_plan_returns_problems_instead_of_raising(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("år: tjugohundra\n", encoding="utf-8")
    result = check_plan(bad)
    assert not result.ok
    assert {p.code for p in result.errors} >= {"HD101", "HD102"}


def test_load_plan_raises_with_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("år: tjugohundra\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_plan(bad)
    assert len(caught.value.problems) >= 6
    assert isinstance(caught.value, ValueError)


def test_a_plan_can_be_given_as_data() -> None:
    import yaml

    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    plan = plan_from_data(data, base_dir=PLAN.parent)
    assert plan == load_plan(PLAN)


def test_the_schema_describes_the_plan_file() -> None:
    schema = plan_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "åtgärder" in schema["properties"]
    assert isinstance(Plan.model_json_schema(by_alias=True), dict)
