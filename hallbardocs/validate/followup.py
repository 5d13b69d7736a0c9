"""Raw follow-up data -> a valid :class:`~hallbardocs.model.followup.FollowUp` of a given plan.

The same passes as for a plan (text, shape, rules), every problem at once. The rules check the
follow-up against its plan:

=====  ============================================================================
HD701  a report for an activity the plan does not have (did you mean …?)
HD702  a report whose unit is not the activity's unit
HD703  a status that is not in the status scale (did you mean …?)
HD704  two reports for the same activity: a conflict, never silently resolved
HD705  a follow-up of another plan, or of another year than the plan's
HD706  an activity with no report (warning)
HD707  an unknown status scale
HD708  the same indicator id twice
HD709  a comment for a measure the plan does not have
HD710  an indicator without any value
HD906  an indicator value (or target) that is not a finite number within ±10¹²: NaN, infinity, 1e308
HD907  an indicator value for a year outside 1900–2200
=====  ============================================================================
"""

from __future__ import annotations

from pydantic import ValidationError

from hallbardocs.load.source import FieldPath, RawDocument
from hallbardocs.model.followup import (
    INDICATOR_YEARS,
    SCALES,
    ActivityReport,
    FollowUp,
    Indicator,
    Period,
    StatusScale,
    Target,
    indicator_number_ok,
    indicator_year_ok,
    number_text,
)
from hallbardocs.model.plan import Activity, Plan
from hallbardocs.validate.machinery import Checker, Outcome, key, ordered, suggest

__all__ = [
    "FollowUpResult",
    "indicator_rules",
    "missing_reports",
    "other_plan",
    "report_rules",
    "unknown_measure_comments",
    "unknown_status",
    "validate_followup",
]


class FollowUpResult(Outcome[FollowUp]):
    """The outcome of validating a follow-up: the follow-up when there are no errors, and every problem."""

    @property
    def followup(self) -> FollowUp | None:
        return self.value


_SCALE = key(FollowUp, "scale")


def _unknown_scale(check: Checker, data: dict[str, object]) -> dict[str, object]:
    """HD707: a status scale named that is not shipped. The rest is checked as if it were not named
    (the statuses, though, are not checked against a scale that is not the user's)."""
    name = data.get(_SCALE)
    if not isinstance(name, str) or name.strip() in SCALES:
        return data
    check.add(
        "HD707",
        f"Statusskalan ”{name.strip()}” finns inte; välj {', '.join(f'”{n}”' for n in SCALES)} eller beskriv en egen.",
        (_SCALE,),
        suggest(name.strip(), list(SCALES)),
    )
    return {k: value for k, value in data.items() if k != _SCALE}


_REPORTS = key(FollowUp, "reports")
_INDICATORS = key(FollowUp, "indicators")


def other_plan(check: Checker, followup: FollowUp, plan: Plan) -> None:
    """HD705: a follow-up of another plan, or of another year than the plan's."""
    if followup.plan_name.strip() != plan.metadata.document_name.strip():
        check.add(
            "HD705",
            f"Uppföljningen gäller planen ”{followup.plan_name}”, men planen heter ”{plan.metadata.document_name}”.",
            (key(FollowUp, "plan_name"),),
        )
    if followup.period.year != plan.year:
        check.add(
            "HD705",
            f"Perioden gäller år {followup.period.year}, men planen gäller år {plan.year}.",
            (key(FollowUp, "period"), key(Period, "year")),
        )


def report_rules(check: Checker, followup: FollowUp, plan: Plan, *, statuses: bool = True) -> None:
    """Each report: HD701 an activity the plan does not have, HD702 another unit's activity, HD704 a
    second report for one activity, HD703 a status that is not in the scale. Then HD706 (warning):
    each activity without a report."""
    activities = {activity.id: activity for activity in plan.activities()}
    seen: dict[str, FieldPath] = {}
    for i, report in enumerate(followup.reports):
        path: FieldPath = (_REPORTS, i)
        activity = activities.get(report.activity)
        if activity is None:
            check.add(
                "HD701",
                f"Planen har ingen aktivitet ”{report.activity}”.",
                path + (key(ActivityReport, "activity"),),
                suggest(report.activity, list(activities)),
            )
        elif report.unit != activity.unit:
            check.add(
                "HD702",
                f"Aktivitet {report.activity} i åtgärd {activity.measure_id} hör till ”{activity.unit}”, inte ”{report.unit}”.",
                path + (key(ActivityReport, "unit"),),
                activity.unit,
            )
        if report.activity in seen:
            message = f"Aktivitet {report.activity} har rapporterats två gånger; ta bort den ena rapporten."
            check.add("HD704", message, path)
        else:
            seen[report.activity] = path
        if statuses and report.level is None:
            unknown_status(check, followup.scale, path, report)
    missing_reports(check, activities, seen)


def unknown_status(check: Checker, scale: StatusScale, path: FieldPath, report: ActivityReport) -> None:
    """HD703: a status that is not in the status scale (did you mean …?)."""
    names = [level.name for level in scale.levels] + [lv.code for lv in scale.levels if lv.code]
    choices = ", ".join(f"”{level.name}”" for level in scale.levels)
    check.add(
        "HD703",
        f"Statusen ”{report.status}” finns inte i skalan ”{scale.name}”; välj {choices}.",
        path + (key(ActivityReport, "status"),),
        suggest(report.status, names),
    )


def missing_reports(check: Checker, activities: dict[str, Activity], seen: dict[str, FieldPath]) -> None:
    """HD706 (warning): an activity with no report."""
    for ident, activity in activities.items():
        if ident not in seen:
            check.add(
                "HD706",
                f"Aktivitet {ident} (”{activity.text}”, {activity.unit}) i åtgärd {activity.measure_id} saknar rapport.",
                (_REPORTS,),
                warning=True,
            )


def unknown_measure_comments(check: Checker, followup: FollowUp, plan: Plan) -> None:
    """HD709: a comment for a measure the plan does not have."""
    measure_ids = [m.id for m in plan.measures]
    for ident in followup.measure_comments:
        if ident not in measure_ids:
            check.add(
                "HD709",
                f"Planen har ingen åtgärd ”{ident}”.",
                (key(FollowUp, "measure_comments"), ident),
                suggest(ident, measure_ids),
            )


def indicator_rules(check: Checker, followup: FollowUp) -> None:
    """HD708 the same indicator id twice, HD710 an indicator without values, HD906/HD907 its numbers."""
    indicator_ids: set[str] = set()
    for i, indicator in enumerate(followup.indicators):
        if indicator.id in indicator_ids:
            check.add("HD708", f"Indikatorn ”{indicator.id}” står två gånger.", (_INDICATORS, i, key(Indicator, "id")))
        indicator_ids.add(indicator.id)
        if not any(v is not None for v in indicator.values.values()):
            message = f"Indikatorn ”{indicator.name}” har inga värden."
            check.add("HD710", message, (_INDICATORS, i, key(Indicator, "values")))
        _indicator_numbers(check, (_INDICATORS, i), indicator)


def _rules(check: Checker, followup: FollowUp, plan: Plan, *, statuses: bool = True) -> None:
    other_plan(check, followup, plan)
    report_rules(check, followup, plan, statuses=statuses)
    unknown_measure_comments(check, followup, plan)
    indicator_rules(check, followup)


def _indicator_numbers(check: Checker, path: FieldPath, indicator: Indicator) -> None:
    """HD906 and HD907: every value a finite number a chart can show, every year a real year."""
    first, last = INDICATOR_YEARS
    series: list[tuple[FieldPath, str, dict[int, float | None]]] = [((key(Indicator, "values"),), "", indicator.values)]
    for name, values in indicator.comparisons.items():
        series.append(((key(Indicator, "comparisons"), name), f" i serien ”{name}”", values))
    for where, which, values in series:
        for year, value in values.items():
            here = path + where + (str(year),)
            if not indicator_year_ok(year):
                check.add(
                    "HD907",
                    f"Indikatorn ”{indicator.name}” har ett värde{which} för år {year}; året ska ligga mellan {first} och {last}.",
                    here,
                )
            if value is not None and not indicator_number_ok(value):
                check.add(
                    "HD906",
                    f"Indikatorn ”{indicator.name}” har värdet {number_text(value)}{which} för år {year}; ett värde ska "
                    "vara ett tal mellan −10¹² och 10¹² (lämna det tomt om värdet saknas).",
                    here,
                )
    if indicator.target is not None and not indicator_number_ok(indicator.target.value):
        check.add(
            "HD906",
            f"Indikatorn ”{indicator.name}” har målvärdet {number_text(indicator.target.value)}; ett målvärde ska "
            "vara ett tal mellan −10¹² och 10¹².",
            path + (key(Indicator, "target"), key(Target, "value")),
        )


def validate_followup(raw: RawDocument, plan: Plan, *, draft: bool = False) -> FollowUpResult:
    """Check a loaded follow-up against its (valid) plan; every problem is reported."""
    check = Checker(raw, draft)
    if raw.data is None:
        return FollowUpResult(None, check.problems, raw.base_dir)
    if not isinstance(raw.data, dict):
        check.add("HD102", "Uppföljningen ska vara en samling fält (plan, period, rapporter, …).", ())
        return FollowUpResult(None, check.problems, raw.base_dir)
    data = check.clean(raw.data, model=FollowUp)
    known = _unknown_scale(check, data)
    try:
        followup = FollowUp.model_validate(known)
    except ValidationError as exc:
        check.shape_problems(exc, FollowUp)
        return FollowUpResult(None, ordered(check.problems), raw.base_dir)
    followup._source = raw.name
    _rules(check, followup, plan, statuses=known is data)
    errors = any(p.is_error for p in check.problems)
    return FollowUpResult(None if errors else followup, ordered(check.problems), raw.base_dir)
