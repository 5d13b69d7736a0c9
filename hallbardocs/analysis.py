"""What a follow-up says about a plan: each activity's and measure's status, counts, deviations.

Pure functions over the (validated, resolved) models, shared by the miljöbokslut and the
tjänsteskrivelse. This is the only place that counts and compares: the documents word the figures
(:mod:`hallbardocs.documents.wording`) but never count them again, so they can never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from hallbardocs.model.followup import (
    CATEGORIES,
    NOT_REPORTED,
    ActivityReport,
    Category,
    FollowUp,
    Indicator,
    StatusLevel,
    StatusScale,
    measure_status,
)
from hallbardocs.model.plan import Activity, FocusArea, Measure, Plan, Priority

__all__ = [
    "BUCKETS",
    "NO_ACTIVITIES",
    "ActivityResult",
    "AreaResult",
    "Bucket",
    "Comparison",
    "FollowUpAnalysis",
    "IndicatorResult",
    "MeasureResult",
    "Trend",
    "Verdict",
    "analyse",
    "bucket",
    "indicator_result",
]


NO_ACTIVITIES = StatusLevel(
    name="Inga aktiviteter",
    category="ej_relevant",
    description="Åtgärden har inga aktiviteter i handlingsplanen.",
    colour="#B0B0B0",
    symbol="◊",
)
"""The status of a measure that has no activities: nothing to report, so never "Ej rapporterad"
and never deviating. It is not a level of any scale and no category is counted for it."""

Bucket = Literal["genomförd", "pågår", "ej_påbörjad", "avbruten", "ej_relevant", "ej_rapporterad", "inga_aktiviteter"]
"""What a count is counted by: a status category, or one of the two states outside every scale
(not reported, and a measure without activities)."""

BUCKETS: tuple[Bucket, ...] = (*CATEGORIES, "ej_rapporterad", "inga_aktiviteter")


def bucket(level: StatusLevel) -> Bucket:
    """The bucket a status is counted in: ``ej_rapporterad``, ``inga_aktiviteter`` or its category."""
    if level is NOT_REPORTED:
        return "ej_rapporterad"
    if level is NO_ACTIVITIES:
        return "inga_aktiviteter"
    return level.category


class Trend(StrEnum):
    """How an indicator develops from its first to its latest value."""

    IMPROVING = "förbättras"
    WORSENING = "försämras"
    UNCHANGED = "oförändrad"
    UNKNOWN = "okänd"
    """Too few values to say."""


class Verdict(StrEnum):
    """How the municipality's value compares with a comparison series in the latest common year."""

    BETTER = "bättre"
    WORSE = "sämre"
    EQUAL = "lika"
    UNKNOWN = "okänd"
    """No year with a value in both."""


@dataclass(frozen=True)
class ActivityResult:
    """One activity of the plan with its reported status (or "Ej rapporterad")."""

    id: str
    activity: Activity
    status: StatusLevel
    report: ActivityReport | None

    @property
    def figures(self) -> dict[str, float]:
        """The key figures the report gives (``värden``), in the order written; empty without."""
        return dict(self.report.figures) if self.report is not None else {}

    @property
    def deviates(self) -> bool:
        """Whether the activity is why its measure deviates: not reported, not started or cancelled."""
        return self.report is None or self.status.category in ("ej_påbörjad", "avbruten")


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
    """Measures per status name (statuses with no measure left out)."""


@dataclass(frozen=True)
class Comparison:
    """The municipality's value against a comparison series in the latest year both have."""

    name: str
    verdict: Verdict
    year: int | None = None
    ours: float | None = None
    theirs: float | None = None


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator with what the report says about it: latest value, trend, comparison, target."""

    indicator: Indicator
    latest_year: int | None
    latest_value: float | None
    trend: Trend
    comparison: dict[str, Verdict] = field(default_factory=dict)
    """Per comparison series: the verdict in the latest year both have."""
    target_met: bool | None = None
    comparisons: tuple[Comparison, ...] = ()
    """The same, with the year and the two values compared."""

    @property
    def years(self) -> list[int]:
        """The years with a value, in order."""
        return sorted(y for y, v in self.indicator.values.items() if v is not None)


@dataclass(frozen=True)
class FollowUpAnalysis:
    """Everything the follow-up documents report, computed once."""

    plan: Plan
    followup: FollowUp
    scale: StatusScale
    measures: tuple[MeasureResult, ...]
    areas: tuple[AreaResult, ...]
    indicators: tuple[IndicatorResult, ...]

    @property
    def activities(self) -> list[ActivityResult]:
        """Every activity's result, in plan order."""
        return [a for m in self.measures for a in m.activities]

    def levels(self) -> list[StatusLevel]:
        """The scale's levels, "Ej rapporterad" when some activity has no report, and "Inga
        aktiviteter" when some measure has no activities."""
        used = [a.status for a in self.activities] + [m.status for m in self.measures]
        extra = [level for level in (NOT_REPORTED, NO_ACTIVITIES) if any(s is level for s in used)]
        return list(self.scale.levels) + extra

    def measure_counts(self) -> dict[str, int]:
        """Number of measures per status name, in the scale's order (zeros included)."""
        counts = Counter(m.status.name for m in self.measures)
        return {level.name: counts.get(level.name, 0) for level in self.levels()}

    def activity_counts(self) -> dict[str, int]:
        """Number of activities per status name, in the scale's order (zeros included)."""
        counts = Counter(a.status.name for a in self.activities)
        return {level.name: counts.get(level.name, 0) for level in self.levels()}

    def category_counts(self) -> dict[Category, int]:
        """Number of measures per category (genomförd, pågår, …), whatever the scale calls them;
        measures not reported or without activities are in no category."""
        counts = self.measure_buckets()
        return {c: counts[c] for c in CATEGORIES}

    def measure_buckets(self) -> dict[Bucket, int]:
        """Number of measures per category, not reported and without activities (zeros included)."""
        counts = Counter(bucket(m.status) for m in self.measures)
        return {b: counts.get(b, 0) for b in BUCKETS}

    def activity_buckets(self) -> dict[Bucket, int]:
        """Number of activities per category and not reported (zeros included)."""
        counts = Counter(bucket(a.status) for a in self.activities)
        return {b: counts.get(b, 0) for b in BUCKETS}

    @property
    def not_reported(self) -> int:
        """Activities without a report."""
        return sum(1 for a in self.activities if a.report is None)

    @property
    def without_activities(self) -> int:
        """Measures that have no activities."""
        return sum(1 for m in self.measures if m.status is NO_ACTIVITIES)

    def deviating(self) -> list[MeasureResult]:
        return [m for m in self.measures if m.deviates]


def _close(a: float, b: float) -> bool:
    """Within one per cent of ``b``: the same, for a report."""
    return abs(a - b) <= abs(b) * 0.01


def _trend(indicator: Indicator, years: list[int]) -> Trend:
    if len(years) < 2:
        return Trend.UNKNOWN
    first, last = indicator.values[years[0]], indicator.values[years[-1]]
    assert first is not None and last is not None
    if _close(last, first):
        return Trend.UNCHANGED
    better = last < first if indicator.better == "lägre" else last > first
    return Trend.IMPROVING if better else Trend.WORSENING


def _compare(indicator: Indicator, years: list[int], name: str, series: dict[int, float | None]) -> Comparison:
    common = [y for y in years if series.get(y) is not None]
    if not common:
        return Comparison(name, Verdict.UNKNOWN)
    year = common[-1]
    ours, theirs = indicator.values[year], series[year]
    assert ours is not None and theirs is not None
    if _close(ours, theirs):
        return Comparison(name, Verdict.EQUAL, year, ours, theirs)
    better = ours < theirs if indicator.better == "lägre" else ours > theirs
    return Comparison(name, Verdict.BETTER if better else Verdict.WORSE, year, ours, theirs)


def indicator_result(indicator: Indicator) -> IndicatorResult:
    """The latest value, the trend from the first to the latest value, and each comparison."""
    years = sorted(y for y, v in indicator.values.items() if v is not None)
    latest_year = years[-1] if years else None
    latest = indicator.values[latest_year] if latest_year is not None else None
    comparisons = tuple(_compare(indicator, years, name, series) for name, series in indicator.comparisons.items())
    target_met = None
    if indicator.target is not None and latest is not None:
        target_met = (
            latest <= indicator.target.value if indicator.better == "lägre" else latest >= indicator.target.value
        )
    return IndicatorResult(
        indicator,
        latest_year,
        latest,
        _trend(indicator, years),
        {c.name: c.verdict for c in comparisons},
        target_met,
        comparisons,
    )


def analyse(plan: Plan, followup: FollowUp) -> FollowUpAnalysis:
    """Join a plan and its follow-up (both valid, see :func:`hallbardocs.validate_followup`)."""
    scale = followup.scale
    reports = {r.activity: r for r in followup.reports}
    measures: list[MeasureResult] = []
    for measure in plan.measures:
        results = []
        for activity in measure.activities:
            report = reports.get(activity.id)
            level = report.level if report is not None else None
            results.append(ActivityResult(activity.id, activity, level or NOT_REPORTED, report))
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
