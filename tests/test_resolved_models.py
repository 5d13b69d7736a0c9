"""Validation returns resolved values: goals, colours, activity ids, levels and the scale are worked
out once, so no document works them out again."""

from __future__ import annotations

from pathlib import Path

import yaml

from hallbardocs import check_plan, load_plan
from hallbardocs.analysis import analyse
from hallbardocs.load import load_raw
from hallbardocs.model import Plan
from hallbardocs.model.colours import DEFAULT_PALETTE
from hallbardocs.model.followup import SCALES, StatusScale
from hallbardocs.validate_followup import validate_followup

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "handlingsplan.yaml"


def _example_data() -> dict[str, object]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data["kommun"].pop("logotyp", None)
    return data


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_every_focus_area_has_a_colour_after_validation(example_plan: Plan) -> None:
    colours = [area.colour for area in example_plan.focus_areas()]

    assert all(len(c) == 7 and c.startswith("#") for c in colours)
    assert len(set(colours)) == len(colours)
    given = [a for a in example_plan.focus_areas() if a.given_colour]
    assert all(a.colour == a.given_colour.upper() for a in given if a.given_colour)


def test_an_area_without_a_colour_gets_the_first_palette_colour_no_one_has(tmp_path: Path) -> None:
    data = _example_data()
    for priority in data["strategi"]["prioriteringar"]:  # type: ignore[index]
        for area in priority["fokusområden"]:
            area.pop("färg", None)

    plan = load_plan(_write(tmp_path, "plan.yaml", data))

    assert plan.focus_areas()[0].colour == "#" + DEFAULT_PALETTE[0]
    assert plan.focus_areas()[1].colour == "#" + DEFAULT_PALETTE[1]


def test_goals_are_resolved_to_their_official_names_in_official_order(tmp_path: Path) -> None:
    data = _example_data()
    measure = data["åtgärder"][0]  # type: ignore[index]
    measure["miljökvalitetsmål"] = ["frisk luft", "Begränsad klimatpåverkan", "Frisk luft"]
    measure["globala_mål"] = ["Mål 13", 7, "13"]

    plan = load_plan(_write(tmp_path, "plan.yaml", data))

    first = plan.measures[0]
    assert [g.name for g in first.objectives] == ["Begränsad klimatpåverkan", "Frisk luft"]
    assert [g.number for g in first.goals] == [7, 13]


def test_an_activity_id_defaults_to_the_measure_and_its_place(example_plan: Plan) -> None:
    first = example_plan.measures[0]

    assert [a.id for a in first.activities] == [f"{first.id}.{n}" for n in range(1, len(first.activities) + 1)]
    assert all(a.measure_id == first.id for a in first.activities)
    assert [a.id for a in example_plan.activities()] == [a.id for m in example_plan.measures for a in m.activities]


def test_a_plan_may_give_an_activity_its_own_id_and_a_followup_reports_on_it(tmp_path: Path) -> None:
    data = _example_data()
    data["åtgärder"][0]["aktiviteter"][0]["id"] = "elbilar"  # type: ignore[index]
    plan_path = _write(tmp_path, "plan.yaml", data)
    plan = load_plan(plan_path)
    first = plan.measures[0].activities[0]
    followup = {
        "plan": plan.metadata.document_name,
        "period": {"typ": "helår", "år": plan.year, "per": f"{plan.year}-12-31"},
        "rapporter": [{"aktivitet": "elbilar", "enhet": first.unit, "status": "Genomförd"}],
    }

    result = validate_followup(load_raw(_write(tmp_path, "uppfoljning.yaml", followup)), plan)

    assert first.id == "elbilar"
    assert plan.measures[0].activities[1].id == f"{plan.measures[0].id}.2"
    assert result.ok and [p.code for p in result.problems if p.code != "HD706"] == []
    assert result.followup is not None
    analysis = analyse(plan, result.followup)
    assert analysis.measures[0].activities[0].status.name == "Genomförd"
    assert analysis.measures[0].activities[0].id == "elbilar"


def test_a_given_activity_id_must_be_unique_in_the_plan(tmp_path: Path) -> None:
    data = _example_data()
    data["åtgärder"][1]["aktiviteter"][0]["id"] = "1.1"  # type: ignore[index]

    result = check_plan(_write(tmp_path, "plan.yaml", data))

    assert [(p.code, p.location.field if p.location else None) for p in result.errors] == [
        ("HD201", "åtgärder[2].aktiviteter[1].id")
    ]
    assert result.plan is None


def test_a_converted_plan_does_not_gain_the_resolved_values(example_plan: Plan) -> None:
    from hallbardocs.export import plan_to_data

    data = plan_to_data(example_plan)

    assert all("id" not in a for m in data["åtgärder"] for a in m.get("aktiviteter", []))
    written = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    areas = [a for p in written["strategi"]["prioriteringar"] for a in p["fokusområden"]]
    dumped = [a for p in data["strategi"]["prioriteringar"] for a in p["fokusområden"]]
    assert ["färg" in a for a in dumped] == ["färg" in a for a in areas]


def test_the_followup_scale_is_a_status_scale_and_each_report_has_its_level(tmp_path: Path, example_plan: Plan) -> None:
    first = example_plan.measures[0].activities[0]
    followup = {
        "plan": example_plan.metadata.document_name,
        "period": {"typ": "helår", "år": example_plan.year, "per": f"{example_plan.year}-12-31"},
        "statusskala": "länsstyrelserna",
        "rapporter": [{"aktivitet": first.id, "enhet": first.unit, "status": "h"}],
    }

    result = validate_followup(load_raw(_write(tmp_path, "uppfoljning.yaml", followup)), example_plan)

    assert result.followup is not None
    assert isinstance(result.followup.scale, StatusScale)
    assert result.followup.scale is SCALES["länsstyrelserna"]
    assert result.followup.reports[0].level is SCALES["länsstyrelserna"].levels[1]
