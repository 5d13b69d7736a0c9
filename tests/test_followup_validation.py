"""Validating a follow-up against its plan: one fixture per code, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallbardocs import load_plan
from hallbardocs.load import load_raw
from hallbardocs.model import Plan
from hallbardocs.model.followup import SCALES, FollowUp, measure_status
from hallbardocs.validate_followup import validate_followup

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "followup"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(ROOT / "examples" / "handlingsplan.yaml")


def _problems(name: str, plan: Plan) -> list[tuple[str, str, int | None, str | None, str | None]]:
    result = validate_followup(load_raw(FIXTURES / name), plan)
    return [
        (p.code, p.severity, p.location.line if p.location else None, p.location.field if p.location else None, p.suggestion)
        for p in result.problems
        if p.code != "HD706"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HD701_unknown_activity.yaml", [("HD701", "fel", 6, "rapporter[1].aktivitet", "1.4")]),
        ("HD702_wrong_unit.yaml", [("HD702", "fel", 6, "rapporter[1].enhet", "Sektorn för verksamhetsstöd")]),
        ("HD703_unknown_status.yaml", [("HD703", "fel", 6, "rapporter[1].status", "Genomförd")]),
        ("HD704_two_reports.yaml", [("HD704", "fel", 7, "rapporter[2]", None)]),
        ("HD705_other_plan.yaml", [("HD705", "fel", 2, "plan", None)]),
        ("HD705_other_year.yaml", [("HD705", "fel", 3, "period.år", None)]),
        ("HD707_unknown_scale.yaml", [("HD707", "fel", 4, "statusskala", "länsstyrelserna")]),
        ("HD708_duplicate_indicator.yaml", [("HD708", "fel", 9, "indikatorer[2].id", None)]),
        ("HD709_unknown_measure_comment.yaml", [("HD709", "fel", 8, "åtgärdskommentarer.99", "9")]),
        ("HD710_indicator_without_values.yaml", [("HD710", "fel", 8, "indikatorer[1].värden", None)]),
    ],
)
def test_each_fixture_reports_its_problem_where_it_is(name: str, expected: list[tuple[object, ...]], plan: Plan) -> None:
    assert _problems(name, plan) == expected


def test_unreported_activities_are_warnings_and_the_followup_is_still_valid(plan: Plan) -> None:
    result = validate_followup(load_raw(FIXTURES / "HD706_missing_reports.yaml"), plan)
    activities = sum(len(m.activities) for m in plan.measures)
    assert [p.code for p in result.problems] == ["HD706"] * (activities - 1)
    assert all(p.severity == "varning" for p in result.problems)
    assert result.ok and isinstance(result.followup, FollowUp)
    assert "Aktivitet 1.2 (”Ersätt hemtjänstens" in result.problems[0].message


def test_a_status_may_be_given_by_its_code_on_the_county_scale(plan: Plan, tmp_path: Path) -> None:
    text = (FIXTURES / "HD707_unknown_scale.yaml").read_text(encoding="utf-8").replace("länsstyrelsen\n", "länsstyrelserna\n")
    path = tmp_path / "uppf.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate_followup(load_raw(path), plan)
    assert result.errors == []
    assert result.followup is not None
    assert result.followup.status_scale().level("G") is SCALES["länsstyrelserna"].levels[0]


def test_every_problem_is_reported_at_once(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "uppf.yaml"
    path.write_text(
        "plan: Fel plan\n"
        "period: {typ: helår, år: 2026, per: 2026-12-31}\n"
        "rapporter:\n"
        '  - {aktivitet: "1.9", enhet: X, status: Klar}\n'
        '  - {aktivitet: "1.1", enhet: Lindåsahem AB, status: Genomförd}\n',
        encoding="utf-8",
    )
    codes = sorted({p.code for p in validate_followup(load_raw(path), plan).errors})
    assert codes == ["HD701", "HD702", "HD703", "HD705"]


def test_a_shape_error_is_reported_with_its_line(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "uppf.yaml"
    path.write_text("plan: X\nperiod: {typ: kvartal, år: 2026, per: 2026-12-31}\n", encoding="utf-8")
    result = validate_followup(load_raw(path), plan)
    assert [(p.code, p.location.line if p.location else None) for p in result.errors] == [("HD104", 2)]
    assert result.followup is None


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["Genomförd", "Genomförd"], "Genomförd"),
        (["Genomförd", "Ej påbörjad"], "Pågår"),
        (["Ej relevant", "Genomförd"], "Genomförd"),
        (["Ej relevant", "Ej relevant"], "Ej relevant"),
        (["Ej påbörjad", "Avbruten"], "Ej påbörjad"),
        (["Avbruten", "Avbruten"], "Avbruten"),
        ([], "Ej rapporterad"),
    ],
)
def test_a_measures_status_follows_the_documented_rule(statuses: list[str], expected: str) -> None:
    scale = SCALES["standard"]
    levels = [scale.level(s) for s in statuses]
    assert measure_status([lv for lv in levels if lv is not None], scale).name == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [(["G", "E"], "H"), (["P", "E"], "P"), (["H", "P"], "H"), (["G", "G"], "G"), (["E", "E"], "E")],
)
def test_the_county_scale_derives_h_and_p(codes: list[str], expected: str) -> None:
    scale = SCALES["länsstyrelserna"]
    levels = [scale.level(c) for c in codes]
    assert measure_status([lv for lv in levels if lv is not None], scale).code == expected
