"""The plan's rules: raw data -> a valid :class:`~hallbardocs.model.Plan`, with every problem at once.

The passes of :mod:`hallbardocs.validate.machinery` (text, shape), then the rules that span the
plan, one function per code or small group, as in docs/errors.md:

=====================================  =====================================================
:func:`duplicate_ids`                  HD201 two measures, or two activities, with one id
:func:`duplicate_names`                HD202 a unit, priority or focus area named twice
:func:`unknown_units`                  HD203 a responsible unit that is not in the organisation
:func:`unknown_focus_areas`            HD204 a focus area that is not in the strategy
:func:`unknown_goals`                  HD205, HD206 a miljökvalitetsmål or global goal that does not exist
:func:`measure_without_responsible`    HD207 a measure without a responsible unit
:func:`activity_units`                 HD203, HD208 an activity's unit unknown, or not responsible
:func:`activity_dates`, `plan_dates`   HD209 an activity that ends before it begins, a plan revised before decided
:func:`unused_focus_areas`             HD210 a focus area no measure belongs to (warning)
:func:`measure_without_activities`     HD212 a measure without activities (warning)
:func:`missing_reference_number`       HD302 no diarienummer (a warning in a draft)
:func:`unreadable_logo`                HD402 a logo that cannot go into a document
:func:`comma_lists`                    HD104 a workbook cell that separates names with commas
=====================================  =====================================================

When the shape is wrong in places, the rules still run on the parts that are right
(:mod:`hallbardocs.validate.parts`), so one run shows the user all there is to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hallbardocs.files import IMAGE_LIMIT, UnreadableFile, read_user_file
from hallbardocs.load.source import FieldPath, RawDocument
from hallbardocs.model.plan import Activity, FocusArea, Measure, Metadata, Municipality, Plan, Priority, Unit
from hallbardocs.model.vocabularies import (
    ENVIRONMENTAL_OBJECTIVES,
    GLOBAL_GOALS,
    resolve_environmental_objective,
    resolve_global_goal,
)
from hallbardocs.validate.machinery import Checker, Outcome, duplicates, key, ordered, suggest, unknown
from hallbardocs.validate.parts import Parts, from_plan, partial

__all__ = [
    "ValidationResult",
    "activity_units",
    "comma_lists",
    "duplicate_ids",
    "duplicate_names",
    "activity_dates",
    "plan_dates",
    "measure_without_activities",
    "measure_without_responsible",
    "missing_reference_number",
    "unknown_focus_areas",
    "unknown_goals",
    "unknown_units",
    "unreadable_logo",
    "unused_focus_areas",
    "validate_plan",
]


class ValidationResult(Outcome[Plan]):
    """The outcome of validating a plan: the plan when there are no errors, and every problem found."""

    @property
    def plan(self) -> Plan | None:
        return self.value


MeasureAt = tuple[FieldPath, Measure]

_NAME = key(Unit, "name")
_FOCUS_AREAS = key(Measure, "focus_areas")
_RESPONSIBLE = key(Measure, "responsible")
_OBJECTIVES = key(Measure, "environmental_objectives")
_GLOBAL_GOALS = key(Measure, "global_goals")
_ACTIVITIES = key(Measure, "activities")
_UNIT = key(Activity, "unit")


def _areas(parts: Parts) -> list[tuple[FieldPath, FocusArea]]:
    areas_key = key(Priority, "focus_areas")
    return [(p + (areas_key, i), a) for p, pr in parts.priorities for i, a in enumerate(pr.focus_areas)]


def _activities(measures: list[MeasureAt]) -> Iterator[tuple[FieldPath, Measure, Activity]]:
    for path, measure in measures:
        for i, activity in enumerate(measure.activities or ()):
            yield path + (_ACTIVITIES, i), measure, activity


# -- the rules -----------------------------------------------------------------------------------


def duplicate_names(check: Checker, parts: Parts) -> None:
    """HD202: a unit, a priority or a focus area named twice (ignoring case); the second is reported."""
    for path, name, _first in duplicates((p + (_NAME,), u.name) for p, u in parts.units):
        check.add("HD202", f"Enheten ”{name}” står två gånger i organisationen.", path)
    for path, name, _first in duplicates((p + (_NAME,), pr.name) for p, pr in parts.priorities):
        check.add("HD202", f"Prioriteringen ”{name}” står två gånger i strategin.", path)
    for path, name, _first in duplicates((p + (_NAME,), a.name) for p, a in _areas(parts)):
        check.add("HD202", f"Fokusområdet ”{name}” står två gånger i strategin.", path)


def duplicate_ids(check: Checker, measures: list[MeasureAt]) -> None:
    """HD201: two measures with one id, or two activities with one id (a follow-up names an activity
    by its id: the one the plan gives, else ``<measure>.<n>``)."""
    for path, ident, _first in duplicates((p + (key(Measure, "id"),), m.id) for p, m in measures):
        check.add("HD201", f"Id ”{ident}” används av mer än en åtgärd.", path)
    given: set[FieldPath] = set()
    ids: list[tuple[FieldPath, str]] = []
    for path, _measure, activity in _activities(measures):
        if activity.given_id:
            path = path + (key(Activity, "given_id"),)
            given.add(path)
        ids.append((path, activity.id))
    for path, ident, first in duplicates(ids):
        # Two default ids are the same only when their measures' ids are: that is reported above.
        if path in given or first in given:
            check.add("HD201", f"Id ”{ident}” används av mer än en aktivitet; ge aktiviteten ett eget id.", path)


def unknown_focus_areas(check: Checker, parts: Parts, path: FieldPath, measure: Measure) -> None:
    """HD204: a measure's focus area that is not in the strategy."""
    names = parts.area_names
    if names:
        message = "Fokusområdet ”{}” finns inte i strategin."
        unknown(
            check, "HD204", message, measure.focus_areas, parts.known_areas.__contains__, path + (_FOCUS_AREAS,), names
        )


def measure_without_responsible(check: Checker, parts: Parts, path: FieldPath, measure: Measure) -> None:
    """HD207: a measure whose list of responsible units is empty."""
    if measure.responsible is not None and not measure.responsible:
        check.add(
            "HD207",
            f"Åtgärd {measure.id} ”{measure.title}” har ingen ansvarig sektor eller bolag.",
            path + (_RESPONSIBLE,),
        )


def unknown_units(check: Checker, parts: Parts, path: FieldPath, measure: Measure) -> None:
    """HD203: a responsible unit that is not in the organisation (did you mean …?)."""
    names = parts.unit_names
    if names:
        message = "”{}” finns inte i organisationen."
        responsible = measure.responsible or []
        unknown(check, "HD203", message, responsible, parts.known_units.__contains__, path + (_RESPONSIBLE,), names)


def unknown_goals(check: Checker, parts: Parts, path: FieldPath, measure: Measure) -> None:
    """HD205 and HD206: a miljökvalitetsmål or a global goal that does not exist."""
    unknown(
        check,
        "HD205",
        "”{}” är inget av Sveriges 16 miljökvalitetsmål.",
        measure.environmental_objectives,
        lambda name: resolve_environmental_objective(name) is not None,
        path + (_OBJECTIVES,),
        [g.name for g in ENVIRONMENTAL_OBJECTIVES],
    )
    unknown(
        check,
        "HD206",
        "”{}” är inget av de 17 globala målen; ange målets nummer (1–17) eller namn.",
        measure.global_goals,
        lambda goal: resolve_global_goal(goal) is not None,
        path + (_GLOBAL_GOALS,),
        [g.name for g in GLOBAL_GOALS],
    )


def measure_without_activities(check: Checker, parts: Parts, path: FieldPath, measure: Measure) -> None:
    """HD212 (warning): a measure with responsible units but no activities. Without a responsible
    unit HD207 says it; activities that were written but are all malformed are not missing."""
    if measure.activities is not None and not measure.activities and measure.responsible:
        check.add(
            "HD212",
            f"Åtgärd {measure.id} ”{measure.title}” har inga aktiviteter.",
            path + (_ACTIVITIES,),
            warning=True,
        )


def activity_units(check: Checker, parts: Parts, path: FieldPath, measure: Measure) -> None:
    """HD203: an activity's unit that is not in the organisation; HD208: one that is, but is not
    among the measure's responsible units. HD209: an activity that ends before it starts."""
    names = parts.unit_names
    known = parts.known_units
    responsible = set(measure.responsible or ())
    # A responsible unit misspelt (HD203, "Hushage") is the unit its activities name ("Hushagen"):
    # that is one mistake, reported once.
    misspelt = {suggest(name, names) for name in responsible if name not in known} - {None}
    for apath, _measure, activity in _activities([(path, measure)]):
        if names and activity.unit not in known:
            message = f"”{activity.unit}” finns inte i organisationen."
            check.add("HD203", message, apath + (_UNIT,), suggest(activity.unit, names))
        elif measure.responsible is not None and activity.unit not in responsible | misspelt:
            check.add(
                "HD208",
                f"”{activity.unit}” har en aktivitet i åtgärd {measure.id} men står inte bland åtgärdens ansvariga.",
                apath + (_UNIT,),
            )
        activity_dates(check, apath, activity)


def activity_dates(check: Checker, path: FieldPath, activity: Activity) -> None:
    """HD209: an activity that ends before it starts."""
    if activity.start and activity.end and activity.start > activity.end:
        check.add(
            "HD209",
            f"Aktiviteten slutar ({activity.end.isoformat()}) innan den börjar ({activity.start.isoformat()}).",
            path + (key(Activity, "end"),),
        )


def plan_dates(check: Checker, parts: Parts) -> None:
    """HD209: a plan to be revised before it was decided."""
    meta = parts.metadata
    if meta is not None and meta.decided and meta.revise_by and meta.decided > meta.revise_by:
        check.add(
            "HD209",
            f"Planen ska revideras senast {meta.revise_by.isoformat()}, vilket är före beslutsdagen {meta.decided.isoformat()}.",
            (key(Plan, "metadata"), key(Metadata, "revise_by")),
        )


def unused_focus_areas(check: Checker, parts: Parts, measures: list[MeasureAt]) -> None:
    """HD210 (warning): a focus area that no measure belongs to."""
    used = {name for _path, measure in measures for name in measure.focus_areas}
    for path, area in _areas(parts):
        if parts.measures and area.name not in used:
            check.add("HD210", f"Ingen åtgärd hör till fokusområdet ”{area.name}”.", path + (_NAME,), warning=True)


def missing_reference_number(check: Checker, parts: Parts) -> None:
    """HD302: no diarienummer; an error in a finished plan, a warning in a draft."""
    meta = parts.metadata
    if meta is None or (meta.reference_number or "").strip():
        return
    check.add(
        "HD302",
        "Diarienummer saknas. I ett utkast går det bra, men den färdiga planen ska ha ett diarienummer."
        if check.draft
        else "Diarienummer saknas. En färdig plan ska ha ett diarienummer (med --draft blir detta en varning).",
        (key(Plan, "metadata"), key(Metadata, "reference_number")),
        warning=check.draft,
    )


def unreadable_logo(check: Checker, parts: Parts) -> None:
    """HD402: a logo that is missing, unreadable, not a PNG or JPEG, or damaged."""
    municipality = parts.municipality
    if municipality is None or municipality.logo is None:
        return
    logo = municipality.logo
    if not logo.is_absolute() and check.raw.base_dir is not None:
        logo = check.raw.base_dir / logo
    problem = _image_problem(logo)
    if problem is not None:
        check.add("HD402", problem, (key(Plan, "municipality"), key(Municipality, "logo")))


def _image_problem(path: Path) -> str | None:
    """Why the logo cannot go into a document, or None: it is read as the renderer will read it
    (python-docx's image header parser), so a damaged file is found here and not in the render."""
    try:
        blob = read_user_file(path, IMAGE_LIMIT)
    except UnreadableFile as exc:
        if exc.missing:
            return f"Logotypen ”{path}” finns inte."
        return f"Logotypen ”{path}” kunde inte läsas: {exc.reason}."
    if not (blob.startswith(b"\x89PNG") or blob.startswith(b"\xff\xd8")):
        return f"Logotypen ”{path}” är ingen PNG- eller JPEG-bild."
    from docx.image.image import Image

    try:
        Image.from_blob(blob)
    except Exception:  # the parser's many errors (end of file, bad marker, …) all mean a damaged file
        return f"Logotypen ”{path}” är skadad och kan inte läsas som bild; spara eller ladda ner bilden på nytt."
    return None


_LIST_FIELDS = ("focus_areas", "responsible", "environmental_objectives", "global_goals")


def _known_names(parts: Parts) -> dict[str, Callable[[Any], bool]]:
    return {
        "focus_areas": parts.known_areas.__contains__,
        "responsible": parts.known_units.__contains__,
        "environmental_objectives": lambda name: resolve_environmental_objective(name) is not None,
        "global_goals": lambda goal: resolve_global_goal(goal) is not None,
    }


def comma_lists(
    check: Checker, parts: Parts, path: FieldPath, measure: Measure, is_known: dict[str, Callable[[Any], bool]]
) -> Measure:
    """HD104: a workbook's list cell written with commas where ``;`` separates (``A, B`` for ``A; B``):
    one problem for the cell, and its names read as the separate items they are, so that the rules
    after this do not report each of them (as unknown, or as an activity's unit missing from
    ``ansvariga``).

    Only an unknown item whose comma-separated parts are all known counts: a name that itself holds
    a comma ("Jämställdhet, jämlikhet och inkludering") is known as it stands.
    """
    update: dict[str, list[Any]] = {}
    for attr in _LIST_FIELDS:
        values, known, here = getattr(measure, attr), is_known[attr], path + (key(Measure, attr),)
        items: list[Any] = []
        for i, value in enumerate(values or ()):
            names = [v.strip() for v in value.split(",")] if isinstance(value, str) and "," in value else []
            if (
                len(names) > 1
                and not known(value)
                and all(name and known(name) for name in names)
                and check.raw.locate(here + (i,)).sheet is not None
            ):
                check.add(
                    "HD104",
                    f"Cellen skiljer namnen åt med kommatecken, men i arbetsboken skiljs en listas namn åt "
                    f"med semikolon (;): skriv ”{'; '.join(names)}”.",
                    here + (i,),
                )
                items.extend(names)
            else:
                items.append(value)
        if len(items) != len(values or ()):
            update[attr] = items
    return measure.model_copy(update=update) if update else measure


MEASURE_RULES: tuple[Callable[[Checker, Parts, FieldPath, Measure], None], ...] = (
    unknown_focus_areas,
    measure_without_responsible,
    unknown_units,
    unknown_goals,
    measure_without_activities,
    activity_units,
)
"""The rules each measure is checked by, in the order its problems are reported."""


def rules(check: Checker, parts: Parts) -> None:
    """The rules that span the plan, on every part that has a valid shape."""
    duplicate_names(check, parts)
    is_known = _known_names(parts)
    measures = [(path, comma_lists(check, parts, path, measure, is_known)) for path, measure in parts.measures]
    duplicate_ids(check, measures)
    for path, measure in measures:
        for rule in MEASURE_RULES:
            rule(check, parts, path, measure)
    unused_focus_areas(check, parts, measures)
    plan_dates(check, parts)
    missing_reference_number(check, parts)
    unreadable_logo(check, parts)


def validate_plan(raw: RawDocument, *, draft: bool = False) -> ValidationResult:
    """Check a loaded plan and build the model; every problem is reported, the plan only if valid.

    ``draft=True`` turns placeholder text and a missing diarienummer into warnings.
    """
    check = Checker(raw, draft)
    if any(p.is_error for p in raw.problems) and raw.data is None:
        return ValidationResult(None, check.problems, raw.base_dir)
    if not isinstance(raw.data, dict):
        check.add(
            "HD102",
            "Planen ska vara en samling fält (kommun, år, metadata, …), men filen är tom eller något annat.",
            (),
        )
        return ValidationResult(None, check.problems, raw.base_dir)
    data = check.clean(raw.data, model=Plan)
    plan: Plan | None
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        plan = None
        check.shape_problems(exc, Plan)
        rules(check, partial(data))
    else:
        rules(check, from_plan(plan))
        if plan.municipality.logo is not None and not plan.municipality.logo.is_absolute() and raw.base_dir is not None:
            plan.municipality.logo = (raw.base_dir / plan.municipality.logo).resolve()
    errors = any(p.is_error for p in check.problems)
    return ValidationResult(None if errors else plan, ordered(check.problems), raw.base_dir)
