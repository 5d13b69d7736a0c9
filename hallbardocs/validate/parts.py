"""The parts of a plan that the rules pass checks: all of a valid plan, or whatever parts of a plan
with shape errors are valid on their own, so that one run reports both kinds of problem."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ValidationError

from hallbardocs.load.source import FieldPath
from hallbardocs.model.plan import Activity, Measure, Metadata, Municipality, Plan, Priority, Strategy, Unit
from hallbardocs.validate.machinery import key

__all__ = ["Parts", "from_plan", "partial"]

_ORGANISATION = key(Plan, "organisation")
_MEASURES = key(Plan, "measures")
_PRIORITIES = (key(Plan, "strategy"), key(Strategy, "priorities"))


@dataclass
class Parts:
    """The parts of a plan that passed the shape check, with their paths, for the rules pass."""

    municipality: Municipality | None = None
    metadata: Metadata | None = None
    year: int | None = None
    units: list[tuple[FieldPath, Unit]] = field(default_factory=list)
    priorities: list[tuple[FieldPath, Priority]] = field(default_factory=list)
    measures: list[tuple[FieldPath, Measure]] = field(default_factory=list)
    unit_names: list[str] = field(default_factory=list)
    area_names: list[str] = field(default_factory=list)

    @cached_property
    def known_units(self) -> frozenset[str]:
        return frozenset(self.unit_names)

    @cached_property
    def known_areas(self) -> frozenset[str]:
        return frozenset(self.area_names)


def _names(items: Any) -> list[str]:
    """The ``namn`` of every item that has one, whatever else is wrong with it."""
    if not isinstance(items, list):
        return []
    name = key(Unit, "name")  # the same "namn" for units, priorities and focus areas
    return [item[name].strip() for item in items if isinstance(item, dict) and isinstance(item.get(name), str)]


def from_plan(plan: Plan) -> Parts:
    return Parts(
        plan.municipality,
        plan.metadata,
        plan.year,
        [((_ORGANISATION, i), u) for i, u in enumerate(plan.organisation)],
        [((*_PRIORITIES, i), p) for i, p in enumerate(plan.strategy.priorities)],
        [((_MEASURES, i), m) for i, m in enumerate(plan.measures)],
        [u.name for u in plan.organisation],
        [a.name for a in plan.focus_areas()],
    )


def _valid_items(data: Any, key: str, model: type[BaseModel]) -> list[tuple[FieldPath, Any]]:
    items = data.get(key) if isinstance(data, dict) else None
    out: list[tuple[FieldPath, Any]] = []
    if isinstance(items, list):
        for i, item in enumerate(items):
            with contextlib.suppress(ValidationError):
                out.append(((key, i), model.model_validate(item)))
    return out


def _valid(value: Any, model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _strings(value: Any) -> list[Any]:
    """The usable items of a list the user wrote (not a list: nothing; the shape check reports it)."""
    if not isinstance(value, list):
        return []
    return [
        v.strip() if isinstance(v, str) else v for v in value if isinstance(v, (str, int)) and not isinstance(v, bool)
    ]


def _texts(value: Any) -> list[str]:
    return [v for v in _strings(value) if isinstance(v, str)]


def _lenient_measure(item: Any) -> Measure | None:
    """A measure with shape errors, holding what can still be checked against the rest of the plan.

    A list of units that is not a list at all is left as None: the shape check reports it, and it
    must not also be called empty (HD207). So are activities that were written but none of which
    has a valid shape: the measure does not lack activities (HD212).
    """
    if not isinstance(item, dict):
        return None
    raw_activities = item.get(key(Measure, "activities"))
    activities = (
        [a for a in (_valid(x, Activity) for x in raw_activities) if a] if isinstance(raw_activities, list) else []
    )
    written = raw_activities not in (None, [])
    raw_responsible = item.get(key(Measure, "responsible"))
    responsible = [v for v in _strings(raw_responsible) if isinstance(v, str)]
    malformed = raw_responsible not in (None, []) and not responsible
    measure = Measure.model_construct(
        id=str(item.get(key(Measure, "id"), "?")),
        title=str(item.get(key(Measure, "title"), "")),
        focus_areas=_texts(item.get(key(Measure, "focus_areas"))),
        responsible=None if malformed else responsible,  # type: ignore[arg-type]  # None: see docstring
        environmental_objectives=_texts(item.get(key(Measure, "environmental_objectives"))),
        global_goals=_strings(item.get(key(Measure, "global_goals"))),
        activities=None if written and not activities else activities,  # type: ignore[arg-type]  # None: see docstring
        description="",
    )
    measure.resolve()
    return measure


def partial(data: Any) -> Parts:
    """Whatever parts of a plan with shape errors are valid on their own."""
    if not isinstance(data, dict):
        return Parts()
    strategy = data.get(_PRIORITIES[0])
    raw_priorities = strategy.get(_PRIORITIES[1]) if isinstance(strategy, dict) else None
    raw_priorities = raw_priorities if isinstance(raw_priorities, list) else []
    priorities: list[tuple[FieldPath, Any]] = []
    for i, item in enumerate(raw_priorities):
        priority = _valid(item, Priority)
        if priority is not None:
            priorities.append(((*_PRIORITIES, i), priority))
    year = data.get(key(Plan, "year"))
    areas_key = key(Priority, "focus_areas")
    area_names = [name for p in raw_priorities if isinstance(p, dict) for name in _names(p.get(areas_key))]
    return Parts(
        _valid(data.get(key(Plan, "municipality")), Municipality),
        _valid(data.get(key(Plan, "metadata")), Metadata),
        year if isinstance(year, int) else None,
        _valid_items(data, _ORGANISATION, Unit),
        priorities,
        _measures_leniently(data.get(_MEASURES)),
        _names(data.get(_ORGANISATION)),
        area_names,
    )


def _measures_leniently(items: Any) -> list[tuple[FieldPath, Measure]]:
    out: list[tuple[FieldPath, Measure]] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        measure = _valid(item, Measure) or _lenient_measure(item)
        if measure is not None:
            out.append(((_MEASURES, i), measure))
    return out
