"""What a follow-up says about a plan: each activity's and measure's status, counts, deviations.

Pure functions over the models, shared by the miljöbokslut and the tjänsteskrivelse, so the two
documents can never disagree on a figure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from hallbardocs.model.followup import (
    CATEGORIES,
    NOT_REPORTED,
    ActivityReport,
    Category,
    FollowUp,
    Indicator,
    StatusLevel,
    StatusScale,
    activity_ids,
    measure_status,
)
from hallbardocs.model.plan import Activity, FocusArea, Measure, Plan, Priority

__all__ = [
    "ActivityResult",
    "MeasureResult",
    "AreaResult",
    "IndicatorResult",
    "FollowUpAnalysis",
    "NO_ACTIVITIES",
    "analyse",
    "indicator_result",
]


NO_ACTIVITIES = StatusLevel(
    name="Inga aktiviteter",
    category="ej_relevant",
    description="Åtgärden har inga aktiviteter i handlingsplanen.",
    colour="#B0B0B0",
    symbol="∅",
)
"""The status of a measure that has no activities: nothing to report, so never "Ej rapporterad"
and never deviating. It is not a level of any scale and no category is counted for it."""


@dataclass(frozen=True)
class ActivityResult:
    """One activity of the plan with its reported status (or "Ej rapporterad")."""

    id: str
    activity: Activity
    status: StatusLevel
    report: ActivityReport | None


@dataclass(frozen=True)
class MeasureResult:
    """One measure with its activities' results and the status derived from them."""

    measure: Measure
    activities: tuple[ActivityResult, ...]
    status: StatusLevel
    comment: str | None

    @property
    def complete(self) -> bool:
        """Whether every activity has been reported."""
        return all(a.report is not None for a in self.activities)

    @property
    def deviates(self) -> bool:
        """Whether the measure needs the committee's attention: not done and not progressing,
        cancelled, or with an activity that was cancelled or not reported."""
        if self.status is NO_ACTIVITIES:
            return False
        if self.status.category in ("ej_påbörjad", "avbruten") or self.status is NOT_REPORTED:
            return True
        return any(a.status.category == "avbruten" or a.report is None for a in self.activities)


@dataclass(frozen=True)
class AreaResult:
    """A focus area: its priority and the measures that belong to it, with counts per status."""

    priority: Priority
    area: FocusArea
    measures: tuple[MeasureResult, ...]
    counts: dict[str, int]


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator with what the report says about it: latest value, trend, comparison, target."""

    indicator: Indicator
    latest_year: int | None
    latest_value: float | None
    trend: str
    """"förbättras", "försämras", "oförändrad" or "okänd" (too few values)."""
    comparison: dict[str, str] = field(default_factory=dict)
    """Per comparison series: "bättre", "sämre", "lika" or "okänd", in the latest year both have."""
    target_met: bool | None = None


@dataclass(frozen=True)
class FollowUpAnalysis:
    """Everything the follow-up documents report, computed once."""

    plan: Plan
    followup: FollowUp
    scale: StatusScale
    measures: tuple[MeasureResult, ...]
    areas: tuple[AreaResult, ...]
    indicators: tuple[IndicatorResult, ...]

    def levels(self) -> list[StatusLevel]:
        """The scale's levels, "Ej rapporterad" when some activity has no report, and "Inga
        aktiviteter" when some measure has no activities."""
        used = [a.status for m in self.measures for a in m.activities] + [m.status for m in self.measures]
        extra = [level for level in (NOT_REPORTED, NO_ACTIVITIES) if any(s is level for s in used)]
        return list(self.scale.levels) + extra

    def measure_counts(self) -> dict[str, int]:
        """Number of measures per status name, in the scale's order (zeros included)."""
        counts = Counter(m.status.name for m in self.measures)
        return {level.name: counts.get(level.name, 0) for level in self.levels()}

    def activity_counts(self) -> dict[str, int]:
        """Number of activities per status name, in the scale's order (zeros included)."""
        counts = Counter(a.status.name for m in self.measures for a in m.activities)
        return {level.name: counts.get(level.name, 0) for level in self.levels()}

    def category_counts(self) -> dict[Category, int]:
        """Number of measures per category (genomförd, pågår, …), whatever the scale calls them;
        measures not reported or without activities are in no category."""
        counts = Counter(
            m.status.category for m in self.measures if m.status is not NOT_REPORTED and m.status is not NO_ACTIVITIES
        )
        return {c: counts.get(c, 0) for c in CATEGORIES}

    @property
    def not_reported(self) -> int:
        """Activities without a report."""
        return sum(1 for m in self.measures for a in m.activities if a.report is None)

    @property
    def without_activities(self) -> int:
        """Measures that have no activities."""
        return sum(1 for m in self.measures if m.status is NO_ACTIVITIES)

    def deviating(self) -> list[MeasureResult]:
        return [m for m in self.measures if m.deviates]


def _trend(indicator: Indicator) -> str:
    years = sorted(y for y, v in indicator.values.items() if v is not None)
    if len(years) < 2:
        return "okänd"
    first, last = indicator.values[years[0]], indicator.values[years[-1]]
    assert first is not None and last is not None
    if abs(last - first) <= abs(first) * 0.01:
        return "oförändrad"
    better = last < first if indicator.better == "lägre" else last > first
    return "förbättras" if better else "försämras"


def indicator_result(indicator: Indicator) -> IndicatorResult:
    """The latest value, the trend from the first to the latest value, and each comparison."""
    years = sorted(y for y, v in indicator.values.items() if v is not None)
    latest_year = years[-1] if years else None
    latest = indicator.values[latest_year] if latest_year is not None else None
    comparison: dict[str, str] = {}
    for name, series in indicator.comparisons.items():
        common = sorted(y for y in years if series.get(y) is not None)
        if not common:
            comparison[name] = "okänd"
            continue
        ours, theirs = indicator.values[common[-1]], series[common[-1]]
        assert ours is not None and theirs is not None
        if abs(ours - theirs) <= abs(theirs) * 0.01:
            comparison[name] = "lika"
        else:
            better = ours < theirs if indicator.better == "lägre" else ours > theirs
            comparison[name] = "bättre" if better else "sämre"
    target_met = None
    if indicator.target is not None and latest is not None:
        target_met = latest <= indicator.target.value if indicator.better == "lägre" else latest >= indicator.target.value
    return IndicatorResult(indicator, latest_year, latest, _trend(indicator), comparison, target_met)


def analyse(plan: Plan, followup: FollowUp) -> FollowUpAnalysis:
    """Join a plan and its follow-up (both valid, see :func:`hallbardocs.validate_followup`)."""
    scale = followup.status_scale()
    reports = {r.activity: r for r in followup.reports}
    measures: list[MeasureResult] = []
    for measure in plan.measures:
        results = []
        for ident, activity in activity_ids(measure):
            report = reports.get(ident)
            level = scale.level(report.status) if report is not None else None
            results.append(ActivityResult(ident, activity, level or NOT_REPORTED, report))
        status = measure_status([r.status for r in results], scale) if results else NO_ACTIVITIES
        measures.append(MeasureResult(measure, tuple(results), status, followup.measure_comments.get(measure.id)))
    by_area: dict[str, list[MeasureResult]] = {}
    for result in measures:
        for name in result.measure.focus_areas:
            by_area.setdefault(name, []).append(result)
    areas = []
    for priority in plan.strategy.priorities:
        for area in priority.focus_areas:
            members = tuple(by_area.get(area.name, ()))
            counts = Counter(m.status.name for m in members)
            areas.append(AreaResult(priority, area, members, dict(counts)))
    indicators = tuple(indicator_result(i) for i in followup.indicators)
    return FollowUpAnalysis(plan, followup, scale, tuple(measures), tuple(areas), indicators)
