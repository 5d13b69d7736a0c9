"""The analysis of a follow-up: statuses, counts and deviations, computed once for both documents."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hallbardocs import load_plan
from hallbardocs.analysis import FollowUpAnalysis, analyse, indicator_result
from hallbardocs.model.followup import NOT_REPORTED, FollowUp, Indicator

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def analysis() -> FollowUpAnalysis:
    plan = load_plan(ROOT / "examples" / "handlingsplan.yaml")
    data = yaml.safe_load((ROOT / "examples" / "uppfoljning.yaml").read_text(encoding="utf-8"))
    data["indikatorer"] = [i for i in data["indikatorer"] if "fil" not in i and "kolada" not in i]
    return analyse(plan, FollowUp.model_validate(data))


def test_every_activity_of_the_plan_has_a_result(analysis: FollowUpAnalysis) -> None:
    planned = sum(len(m.activities) for m in analysis.plan.measures)
    assert sum(len(m.activities) for m in analysis.measures) == planned
    assert sum(analysis.activity_counts().values()) == planned


def test_counts_follow_the_scale_and_show_unreported_activities(analysis: FollowUpAnalysis) -> None:
    counts = analysis.activity_counts()
    assert list(counts) == ["Genomförd", "Pågår", "Ej påbörjad", "Avbruten", "Ej relevant", "Ej rapporterad"]
    assert counts["Ej rapporterad"] == analysis.not_reported == 2
    assert sum(analysis.measure_counts().values()) == len(analysis.plan.measures)
    assert sum(analysis.category_counts().values()) == len(analysis.plan.measures)


def test_unreported_activities_show_as_such_and_make_their_measure_deviate(analysis: FollowUpAnalysis) -> None:
    unreported = [(m.measure.id, a.id) for m in analysis.measures for a in m.activities if a.report is None]
    assert all(a for _, a in unreported)
    for measure_id, _ in unreported:
        result = next(m for m in analysis.measures if m.measure.id == measure_id)
        assert not result.complete and result.deviates
    assert all(a.status is NOT_REPORTED for m in analysis.measures for a in m.activities if a.report is None)


def test_a_measure_with_nothing_started_deviates(analysis: FollowUpAnalysis) -> None:
    stuck = [m for m in analysis.measures if m.status.category in ("ej_påbörjad", "avbruten")]
    assert stuck and all(m in analysis.deviating() for m in stuck)
    done = [m for m in analysis.measures if m.status.category == "genomförd" and m.complete]
    assert done and not any(m in analysis.deviating() for m in done)


def test_every_focus_area_lists_its_measures(analysis: FollowUpAnalysis) -> None:
    assert len(analysis.areas) == len(analysis.plan.focus_areas())
    for area in analysis.areas:
        assert sum(area.counts.values()) == len(area.measures)
        assert all(area.area.name in m.measure.focus_areas for m in area.measures)


def test_indicator_trend_comparison_and_target() -> None:
    lower_is_better = Indicator.model_validate(
        {
            "id": "N07702",
            "namn": "Utsläpp",
            "enhet": "ton",
            "bättre": "lägre",
            "mål": {"värde": 40000, "år": 2030},
            "värden": {2019: 70000, 2020: None, 2021: 60000},
            "jämförelse": {"Riket": {2019: 65000, 2021: 55000}, "Liknande kommuner": {2021: 61000}, "Länet": {}},
        }
    )
    result = indicator_result(lower_is_better)
    assert (result.latest_year, result.latest_value, result.trend) == (2021, 60000, "förbättras")
    assert result.comparison == {"Riket": "sämre", "Liknande kommuner": "bättre", "Länet": "okänd"}
    assert result.target_met is False
    single = indicator_result(lower_is_better.model_copy(update={"values": {2021: 5.0}, "comparisons": {}}))
    assert single.trend == "okänd"


def test_the_analysis_counts_every_bucket_once_with_unreported_as_its_own(analysis: FollowUpAnalysis) -> None:
    from hallbardocs.analysis import BUCKETS

    activities = analysis.activity_buckets()
    measures = analysis.measure_buckets()

    assert tuple(activities) == tuple(measures) == BUCKETS
    assert activities["ej_rapporterad"] == analysis.not_reported == 2
    assert sum(activities.values()) == len(analysis.activities)
    assert sum(measures.values()) == len(analysis.measures)
    assert {c: measures[c] for c in analysis.category_counts()} == analysis.category_counts()


def test_trends_and_verdicts_are_typed() -> None:
    from hallbardocs.analysis import Trend, Verdict

    indicator = Indicator.model_validate(
        {
            "id": "x",
            "namn": "Andel",
            "enhet": "%",
            "bättre": "högre",
            "värden": {2020: 40.0, 2022: 50.0},
            "jämförelse": {"Riket": {2021: 1.0, 2022: 50.2}},
        }
    )

    result = indicator_result(indicator)

    assert result.trend is Trend.IMPROVING
    assert result.comparison == {"Riket": Verdict.EQUAL}
    assert [(c.name, c.verdict, c.year, c.ours, c.theirs) for c in result.comparisons] == [
        ("Riket", Verdict.EQUAL, 2022, 50.0, 50.2)
    ]


def test_the_figures_a_report_gives_are_carried_into_the_analysis(analysis: FollowUpAnalysis) -> None:
    first = analysis.measures[0].activities[0]

    assert first.figures == {"antal_bilar": 12.0}
    unreported = [a for a in analysis.activities if a.report is None]
    assert len(unreported) == 2 and all(a.figures == {} for a in unreported)
