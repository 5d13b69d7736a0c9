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
    FollowUp,
    Indicator,
    StatusScale,
    activity_ids,
    indicator_number_ok,
    indicator_year_ok,
    number_text,
)
from hallbardocs.model.plan import Plan
from hallbardocs.validate import Checker, Outcome, ordered, suggest

__all__ = ["FollowUpResult", "validate_followup"]


class FollowUpResult(Outcome[FollowUp]):
    """The outcome of validating a follow-up: the follow-up when there are no errors, and every problem."""

    @property
    def followup(self) -> FollowUp | None:
        return self.value


def _rules(check: Checker, followup: FollowUp, plan: Plan) -> None:
    if followup.plan_name.strip() != plan.metadata.document_name.strip():
        check.add(
            "HD705",
            f"Uppföljningen gäller planen ”{followup.plan_name}”, men planen heter ”{plan.metadata.document_name}”.",
            ("plan",),
        )
    if followup.period.year != plan.year:
        check.add(
            "HD705",
            f"Perioden gäller år {followup.period.year}, men planen gäller år {plan.year}.",
            ("period", "år"),
        )
    scale: StatusScale | None
    if isinstance(followup.scale, str):
        scale = SCALES.get(followup.scale)
        if scale is None:
            check.add(
                "HD707",
                f"Statusskalan ”{followup.scale}” finns inte; välj {', '.join(f'”{n}”' for n in SCALES)} eller beskriv en egen.",
                ("statusskala",),
                suggest(followup.scale, list(SCALES)),
            )
    else:
        scale = followup.scale

    activities = {ident: (measure, activity) for measure in plan.measures for ident, activity in activity_ids(measure)}
    seen: dict[str, FieldPath] = {}
    for i, report in enumerate(followup.reports):
        path: FieldPath = ("rapporter", i)
        found = activities.get(report.activity)
        if found is None:
            check.add(
                "HD701",
                f"Planen har ingen aktivitet ”{report.activity}”.",
                path + ("aktivitet",),
                suggest(report.activity, list(activities)),
            )
        else:
            measure, activity = found
            if report.unit != activity.unit:
                check.add(
                    "HD702",
                    f"Aktivitet {report.activity} i åtgärd {measure.id} hör till ”{activity.unit}”, inte ”{report.unit}”.",
                    path + ("enhet",),
                    activity.unit,
                )
        if report.activity in seen:
            check.add(
                "HD704",
                f"Aktivitet {report.activity} har rapporterats två gånger; ta bort den ena rapporten.",
                path,
            )
        else:
            seen[report.activity] = path
        if scale is not None and scale.level(report.status) is None:
            names = [level.name for level in scale.levels] + [lv.code for lv in scale.levels if lv.code]
            check.add(
                "HD703",
                f"Statusen ”{report.status}” finns inte i skalan ”{scale.name}”; välj "
                + ", ".join(f"”{level.name}”" for level in scale.levels)
                + ".",
                path + ("status",),
                suggest(report.status, names),
            )
    for ident, (measure, activity) in activities.items():
        if ident not in seen:
            check.add(
                "HD706",
                f"Aktivitet {ident} (”{activity.text}”, {activity.unit}) i åtgärd {measure.id} saknar rapport.",
                ("rapporter",),
                warning=True,
            )
    measure_ids = [m.id for m in plan.measures]
    for ident in followup.measure_comments:
        if ident not in measure_ids:
            check.add(
                "HD709",
                f"Planen har ingen åtgärd ”{ident}”.",
                ("åtgärdskommentarer", ident),
                suggest(ident, measure_ids),
            )
    indicator_ids: set[str] = set()
    for i, indicator in enumerate(followup.indicators):
        if indicator.id in indicator_ids:
            check.add("HD708", f"Indikatorn ”{indicator.id}” står två gånger.", ("indikatorer", i, "id"))
        indicator_ids.add(indicator.id)
        if not any(v is not None for v in indicator.values.values()):
            check.add("HD710", f"Indikatorn ”{indicator.name}” har inga värden.", ("indikatorer", i, "värden"))
        _indicator_numbers(check, ("indikatorer", i), indicator)


def _indicator_numbers(check: Checker, path: FieldPath, indicator: Indicator) -> None:
    """HD906 and HD907: every value a finite number a chart can show, every year a real year."""
    first, last = INDICATOR_YEARS
    series: list[tuple[FieldPath, str, dict[int, float | None]]] = [(("värden",), "", indicator.values)]
    for name, values in indicator.comparisons.items():
        series.append((("jämförelse", name), f" i serien ”{name}”", values))
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
            path + ("mål", "värde"),
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
    try:
        followup = FollowUp.model_validate(data)
    except ValidationError as exc:
        check.shape_problems(exc, FollowUp)
        return FollowUpResult(None, ordered(check.problems), raw.base_dir)
    followup._source = raw.name
    _rules(check, followup, plan)
    errors = any(p.is_error for p in check.problems)
    return FollowUpResult(None if errors else followup, ordered(check.problems), raw.base_dir)

