"""Raw data -> a valid :class:`~hallbardocs.model.Plan`, with every problem found at once.

Three passes, each collecting problems rather than stopping at the first:

1. text: characters a Word document cannot hold are removed or become line breaks (HD401), and
   placeholder text left from a Word template is found (HD301);
2. shape: pydantic checks every field's presence, type and format (HD101–HD104);
3. rules across the plan: unique ids and names, references to units, focus areas and goals that
   exist (with a did-you-mean suggestion), responsibilities, dates that can happen, measures with
   activities (HD201–HD212, HD302, HD402).

When the shape is wrong in places, pass 3 still runs on the parts that are right, so one run
shows the user all there is to fix.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from hallbardocs.errors import InvalidInputError, Problem
from hallbardocs.files import IMAGE_LIMIT, UnreadableFile, read_user_file
from hallbardocs.load.source import FieldPath, RawDocument
from hallbardocs.model.plan import (
    AMOUNT_EXAMPLES,
    Activity,
    FocusArea,
    Measure,
    Metadata,
    Municipality,
    Plan,
    Priority,
    Unit,
)
from hallbardocs.model.vocabularies import (
    ENVIRONMENTAL_OBJECTIVES,
    GLOBAL_GOALS,
    resolve_environmental_objective,
    resolve_global_goal,
)
from hallbardocs.text import NOT_IN_XML

__all__ = ["PLACEHOLDERS", "ValidationResult", "clean_text", "rich_text_fields", "validate_plan"]

PLACEHOLDERS: tuple[str, ...] = (
    r"Lägg in (?:text|datum|datum och paragraf|namn)",
    r"Klicka (?:eller tryck )?här för att ange (?:text|datum)",
    r"Skriv text här",
    r"Ange text",
    r"\bTODO\b",
    r"\bFIXME\b",
    r"\bXXX+\b",
    r"\bLorem ipsum\b",
)
_PLACEHOLDER_RE = re.compile("|".join(f"(?:{p})" for p in PLACEHOLDERS), re.IGNORECASE)
# Words every placeholder contains (lower case): a quick test before the regular expression.
_PLACEHOLDER_HINTS = ("lägg in", "klicka", "skriv text", "ange text", "todo", "fixme", "xxx", "lorem")
_WORD_MARKERS = re.compile(r"TODO|FIXME|XXX+", re.IGNORECASE)  # only in capitals: lower case may be real text
_CONTROL_RE = NOT_IN_XML
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """The outcome of validation: the validated value when there are no errors, and every problem."""

    value: T | None
    problems: list[Problem] = field(default_factory=list)
    base_dir: Path | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.errors

    def raise_for_errors(self) -> T:
        """The value, or :class:`InvalidInputError` with every problem when there are errors."""
        if not self.ok or self.value is None:
            raise InvalidInputError(self.problems)
        return self.value


class ValidationResult(Outcome[Plan]):
    """The outcome of validating a plan: the plan when there are no errors, and every problem found."""

    @property
    def plan(self) -> Plan | None:
        return self.value


def clean_text(text: str) -> tuple[str, bool]:
    """Text that XML can hold: vertical tabs and form feeds (Excel's line breaks) become newlines,
    ``\\r\\n`` becomes ``\\n``, other control characters are removed. Returns the text and whether
    anything was removed.

    >>> clean_text("rad 1\\x0brad 2\\x01")
    ('rad 1\\nrad 2', True)
    """
    if text.isprintable():  # the common case, tested in C
        return text, False
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x0b" in text or "\x0c" in text:
        text = text.translate(_BREAKS)
    if _CONTROL_RE.search(text) is None:
        return text, False
    return _CONTROL_RE.sub("", text), True


RichTextPath = tuple[str, ...]
"""A rich-text field's path in a file, with ``"*"`` for any item of a list: ``("kapitel", "*", "text")``."""


@cache
def rich_text_fields(model: type[BaseModel]) -> frozenset[RichTextPath]:
    """Where ``model`` takes rich text: the fields whose description starts with "rich text"."""
    found: set[RichTextPath] = set()

    def walk(cls: type[BaseModel], prefix: RichTextPath, seen: frozenset[type[BaseModel]]) -> None:
        for name, info in cls.model_fields.items():
            key = (*prefix, info.alias or name)
            if (info.description or "").startswith("rich text"):
                found.add(key)
            for inner, steps in _models_in(info.annotation):
                if inner not in seen:
                    walk(inner, (*key, *steps), seen | {inner})

    walk(model, (), frozenset({model}))
    return frozenset(found)


def _models_in(annotation: Any, steps: RichTextPath = ()) -> Iterator[tuple[type[BaseModel], RichTextPath]]:
    """The models an annotation holds, each with the steps into it (``"*"`` per list level)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, steps
        return
    origin = get_origin(annotation)
    for arg in get_args(annotation):
        yield from _models_in(arg, (*steps, "*") if origin in (list, tuple) else steps)


def _rich_path(path: FieldPath) -> RichTextPath:
    return tuple("*" if isinstance(step, int) else str(step) for step in path)


class Checker:
    """Collects problems with their locations in one raw document."""

    def __init__(self, raw: RawDocument, draft: bool) -> None:
        self.raw = raw
        self.draft = draft
        self.problems: list[Problem] = list(raw.problems)
        self.rich_text: frozenset[RichTextPath] = frozenset()

    def add(
        self,
        code: str,
        message: str,
        path: FieldPath,
        suggestion: str | None = None,
        *,
        warning: bool = False,
    ) -> None:
        self.problems.append(Problem(code, message, self.raw.locate(path), suggestion, "varning" if warning else "fel"))

    # -- pass 1: text ---------------------------------------------------------------------------
    def clean(self, value: Any, path: FieldPath = (), *, model: type[BaseModel] | None = None) -> Any:
        """``value`` with its texts cleaned. A vertical tab or form feed (a line break from Excel or
        a ``\\v`` escape) is a line break: in a rich-text field of ``model`` a Markdown hard break,
        elsewhere a newline, which the document shows as a line break too."""
        if model is not None:
            self.rich_text = rich_text_fields(model)
        if isinstance(value, str):
            if ("\x0b" in value or "\x0c" in value) and _rich_path(path) in self.rich_text:
                from hallbardocs.richtext import hard_breaks

                value = hard_breaks(value)
            text, removed = clean_text(value)
            if removed:
                self.add(
                    "HD401", "Tecken som inte kan stå i ett Word-dokument togs bort ur texten.", path, warning=True
                )
            folded = text.lower()
            match = _PLACEHOLDER_RE.search(text) if any(h in folded for h in _PLACEHOLDER_HINTS) else None
            if match is not None and not (_WORD_MARKERS.fullmatch(match.group()) and not match.group().isupper()):
                self.add(
                    "HD301",
                    f"Platshållartext ”{match.group()}” står kvar. Skriv den riktiga texten eller ta bort fältet.",
                    path,
                    warning=self.draft,
                )
            return text
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                key_text = str(key)
                out[key_text] = self.clean(item, path + (key_text,))
            return out
        if isinstance(value, list):
            return [self.clean(item, path + (i,)) for i, item in enumerate(value)]
        return value

    # -- pass 2: shape ------------------------------------------------------------------------
    def shape_problems(self, exc: ValidationError, model: type[BaseModel], prefix: FieldPath = ()) -> None:
        errors = exc.errors(include_url=False)
        # A misspelt key is one problem, not two: "rubirk" is unknown, and so "rubrik" is missing.
        misspelt: set[FieldPath] = set()
        for error in errors:
            if error["type"] == "extra_forbidden":
                path = prefix + tuple(error["loc"])
                close = difflib.get_close_matches(
                    str(path[-1]), _known_keys(model, path[len(prefix) : -1]), n=1, cutoff=0.6
                )
                if close:
                    misspelt.add(path[:-1] + (close[0],))
        for error in errors:
            path = prefix + tuple(error["loc"])
            kind = error["type"]
            value = _shown(error.get("input"))
            name = _shown(str(path[-1])) if path else "planen"
            if kind == "missing" and path in misspelt:
                continue
            if kind == "missing":
                self.add("HD101", f"Det obligatoriska fältet ”{name}” saknas.", path)
            elif kind == "extra_forbidden":
                known = _known_keys(model, path[len(prefix) : -1])
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                self.add("HD103", f"Okänt fält ”{name}”.", path, close[0] if close else None)
            elif kind in ("too_short", "string_too_short"):
                what = "minst en rad" if kind == "too_short" else "en text"
                self.add("HD101", f"Fältet ”{name}” är tomt; det ska ha {what}.", path)
            elif kind == "literal_error":
                expected = error.get("ctx", {}).get("expected", "")
                options = re.findall(r"'([^']*)'", expected)
                close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
                choices = expected.replace("'", "”").replace(" or ", " eller ")
                self.add(
                    "HD104",
                    f"”{value}” är inte tillåtet i ”{name}”; välj {choices}.",
                    path,
                    close[0] if close else None,
                )
            elif kind in ("date_from_datetime_parsing", "date_parsing", "date_from_datetime_inexact", "date_type"):
                self.add("HD104", f"”{value}” i ”{name}” är inget giltigt datum; skriv till exempel 2026-02-20.", path)
            elif kind == "string_pattern_mismatch":
                self.add(
                    "HD104", f"”{value}” i ”{name}” är ingen färg; skriv den som #RRGGBB, till exempel #1F6F8B.", path
                )
            elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
                self.add("HD104", f"{value} i ”{name}” ligger utanför det tillåtna ({_bound(error)}).", path)
            elif kind == "int_parsing_size":
                self.add("HD104", f"Talet i ”{name}” har för många siffror för att vara ett tal i en plan.", path)
            elif kind == "finite_number":
                self.add("HD104", f"”{value}” i ”{name}” är inget ändligt tal; skriv ett vanligt tal.", path)
            elif kind == "decimal_max_places":
                self.add("HD104", f"{value} i ”{name}” har fler än två decimaler.", path)
            else:
                self.add("HD102", f"”{name}” ska vara {_expected(kind)}, men är {_describe(value)}.", path)


def _bound(error: Any) -> str:
    ctx = error.get("ctx", {})
    words = {"ge": "minst", "le": "högst", "gt": "större än", "lt": "mindre än"}
    return ", ".join(f"{words[k]} {_number(v)}" for k, v in ctx.items() if k in words)


def _number(value: Any) -> str:
    """A bound as a Swedish reader writes it: ``1 000 000 000 000`` (a year stays ``2200``)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and value == int(value):
        whole = int(value)
        if abs(whole) >= 10_000:
            return ("\u2212" if whole < 0 else "") + f"{abs(whole):,}".replace(",", "\u00a0")
        return str(whole)
    return str(value)


_SHOWN = 60


def _shown(value: Any) -> Any:
    """The user's value for a message: a text or number too long to quote is cut, with its length."""
    if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool):
        try:
            text = str(value)
        except ValueError:  # an int with more digits than Python converts
            return "ett tal med för många siffror"
        if len(text) > _SHOWN:
            return f"{text[:40]}… ({len(text)} tecken)"
    return value


_EXPECTED = {
    "string_type": "en text",
    "int_type": "ett heltal",
    "int_parsing": "ett heltal",
    "int_from_float": "ett heltal",
    "amount_parsing": f"ett belopp i kronor (till exempel {AMOUNT_EXAMPLES})",
    "decimal_parsing": "ett tal",
    "decimal_type": "ett tal",
    "list_type": "en lista",
    "dict_type": "en samling fält",
    "model_type": "en samling fält",
    "model_attributes_type": "en samling fält",
    "bool_type": "ja eller nej",
    "path_type": "en filsökväg",
}


def _expected(kind: str) -> str:
    return _EXPECTED.get(kind, "ett annat slags värde")


def _describe(value: Any) -> str:
    if value is None:
        return "tomt"
    if isinstance(value, dict):
        return "en samling fält"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, bool):
        return "ja/nej"
    return f"”{value}”"


def _known_keys(model: type[BaseModel], path: Sequence[str | int]) -> list[str]:
    """The aliases the model accepts at ``path`` (for did-you-mean on an unknown key)."""
    current: Any = model
    for step in path:
        if isinstance(step, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields:
            return []
        target = next((f for f in fields.values() if f.alias == step), None)
        if target is None:
            return []
        current = _model_in(target.annotation)
    fields = getattr(current, "model_fields", None) or {}
    return [f.alias or n for n, f in fields.items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)  # Annotated[X, ...] keeps X here
    if isinstance(origin, type) and issubclass(origin, BaseModel):
        return origin
    return None


@dataclass
class _Parts:
    """The parts of a plan that passed the shape check, with their paths, for the rules pass."""

    municipality: Municipality | None = None
    metadata: Metadata | None = None
    year: int | None = None
    units: list[tuple[FieldPath, Unit]] = field(default_factory=list)
    priorities: list[tuple[FieldPath, Priority]] = field(default_factory=list)
    measures: list[tuple[FieldPath, Measure]] = field(default_factory=list)
    unit_names: list[str] = field(default_factory=list)
    area_names: list[str] = field(default_factory=list)


def _names(items: Any) -> list[str]:
    """The ``namn`` of every item that has one, whatever else is wrong with it."""
    if not isinstance(items, list):
        return []
    return [item["namn"].strip() for item in items if isinstance(item, dict) and isinstance(item.get("namn"), str)]


def _from_plan(plan: Plan) -> _Parts:
    return _Parts(
        plan.municipality,
        plan.metadata,
        plan.year,
        [(("organisation", i), u) for i, u in enumerate(plan.organisation)],
        [(("strategi", "prioriteringar", i), p) for i, p in enumerate(plan.strategy.priorities)],
        [(("åtgärder", i), m) for i, m in enumerate(plan.measures)],
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


def _lenient_measure(item: Any) -> Measure | None:
    """A measure with shape errors, holding what can still be checked against the rest of the plan.

    A list of units that is not a list at all is left as None: the shape check reports it, and it
    must not also be called empty (HD207). So are activities that were written but none of which
    has a valid shape: the measure does not lack activities (HD212).
    """
    if not isinstance(item, dict):
        return None
    raw_activities = item.get("aktiviteter")
    activities = (
        [a for a in (_valid(x, Activity) for x in raw_activities) if a] if isinstance(raw_activities, list) else []
    )
    written = raw_activities not in (None, [])
    raw_responsible = item.get("ansvariga")
    responsible = [v for v in _strings(raw_responsible) if isinstance(v, str)]
    malformed = raw_responsible not in (None, []) and not responsible
    return Measure.model_construct(
        id=str(item.get("id", "?")),
        title=str(item.get("rubrik", "")),
        focus_areas=[v for v in _strings(item.get("fokusområden")) if isinstance(v, str)],
        responsible=None if malformed else responsible,  # type: ignore[arg-type]  # None: see docstring
        environmental_objectives=[v for v in _strings(item.get("miljökvalitetsmål")) if isinstance(v, str)],
        global_goals=_strings(item.get("globala_mål")),
        activities=None if written and not activities else activities,  # type: ignore[arg-type]  # None: see docstring
        description="",
    )


def _partial(data: Any) -> _Parts:
    """Whatever parts of a plan with shape errors are valid on their own."""
    if not isinstance(data, dict):
        return _Parts()
    strategy = data.get("strategi")
    priorities: list[tuple[FieldPath, Any]] = []
    if isinstance(strategy, dict) and isinstance(strategy.get("prioriteringar"), list):
        for i, item in enumerate(strategy["prioriteringar"]):
            priority = _valid(item, Priority)
            if priority is not None:
                priorities.append((("strategi", "prioriteringar", i), priority))
    year = data.get("år")
    raw_priorities = strategy.get("prioriteringar") if isinstance(strategy, dict) else None
    area_names = [
        name
        for p in (raw_priorities if isinstance(raw_priorities, list) else [])
        if isinstance(p, dict)
        for name in _names(p.get("fokusområden"))
    ]
    return _Parts(
        _valid(data.get("kommun"), Municipality),
        _valid(data.get("metadata"), Metadata),
        year if isinstance(year, int) else None,
        _valid_items(data, "organisation", Unit),
        priorities,
        _measures_leniently(data.get("åtgärder")),
        _names(data.get("organisation")),
        area_names,
    )


def _measures_leniently(items: Any) -> list[tuple[FieldPath, Measure]]:
    out: list[tuple[FieldPath, Measure]] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        measure = _valid(item, Measure) or _lenient_measure(item)
        if measure is not None:
            out.append((("åtgärder", i), measure))
    return out


def suggest(value: str, candidates: Iterable[str]) -> str | None:
    candidates = list(candidates)
    folded = {c.casefold(): c for c in candidates}
    if value.casefold() in folded:
        return folded[value.casefold()]
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def _duplicates(items: Iterable[tuple[FieldPath, str]]) -> Iterator[tuple[FieldPath, str, FieldPath]]:
    seen: dict[str, FieldPath] = {}
    for path, key in items:
        folded = key.casefold()
        if folded in seen:
            yield path, key, seen[folded]
        else:
            seen[folded] = path


def _unknown(
    check: Checker,
    code: str,
    message: str,
    values: Sequence[Any],
    is_known: Callable[[Any], bool],
    path: FieldPath,
    candidates: Sequence[str],
) -> None:
    """Report each value that is not known, with the closest candidate as a suggestion."""
    for i, value in enumerate(values):
        if not is_known(value):
            check.add(code, message.format(value), path + (i,), suggest(str(value), candidates))


_LIST_FIELDS = (
    ("fokusområden", "focus_areas"),
    ("ansvariga", "responsible"),
    ("miljökvalitetsmål", "environmental_objectives"),
    ("globala_mål", "global_goals"),
)


def _comma_lists(
    check: Checker, path: FieldPath, measure: Measure, is_known: dict[str, Callable[[Any], bool]]
) -> Measure:
    """A workbook's list cell written with commas where ``;`` separates (``A, B`` for ``A; B``): one
    HD104 for the cell, and its names read as the separate items they are, so that the rules after
    this do not report each of them (as unknown, or as an activity's unit missing from ``ansvariga``).

    Only an unknown item whose comma-separated parts are all known counts: a name that itself holds
    a comma ("Jämställdhet, jämlikhet och inkludering") is known as it stands.
    """
    update: dict[str, list[Any]] = {}
    for key, attr in _LIST_FIELDS:
        values = getattr(measure, attr)
        known = is_known[key]
        items: list[Any] = []
        for i, value in enumerate(values or ()):
            names = [v.strip() for v in value.split(",")] if isinstance(value, str) and "," in value else []
            if (
                len(names) > 1
                and not known(value)
                and all(name and known(name) for name in names)
                and check.raw.locate(path + (key, i)).sheet is not None
            ):
                check.add(
                    "HD104",
                    f"Cellen skiljer namnen åt med kommatecken, men i arbetsboken skiljs en listas namn åt "
                    f"med semikolon (;): skriv ”{'; '.join(names)}”.",
                    path + (key, i),
                )
                items.extend(names)
            else:
                items.append(value)
        if len(items) != len(values or ()):
            update[attr] = items
    return measure.model_copy(update=update) if update else measure


def _rules(check: Checker, parts: _Parts) -> None:
    """Pass 3: the rules that span the plan."""
    # Names and ids are unique.
    for path, name, _first in _duplicates((p + ("namn",), u.name) for p, u in parts.units):
        check.add("HD202", f"Enheten ”{name}” står två gånger i organisationen.", path)
    areas: list[tuple[FieldPath, FocusArea]] = [
        (p + ("fokusområden", i), a) for p, pr in parts.priorities for i, a in enumerate(pr.focus_areas)
    ]
    for path, name, _first in _duplicates((p + ("namn",), pr.name) for p, pr in parts.priorities):
        check.add("HD202", f"Prioriteringen ”{name}” står två gånger i strategin.", path)
    for path, name, _first in _duplicates((p + ("namn",), a.name) for p, a in areas):
        check.add("HD202", f"Fokusområdet ”{name}” står två gånger i strategin.", path)
    for path, ident, _first in _duplicates((p + ("id",), m.id) for p, m in parts.measures):
        check.add("HD201", f"Id ”{ident}” används av mer än en åtgärd.", path)

    unit_names = parts.unit_names
    area_names = parts.area_names
    units_known = set(unit_names)
    areas_known = set(area_names)
    used_areas: set[str] = set()
    objective_names = [g.name for g in ENVIRONMENTAL_OBJECTIVES]
    goal_names = [g.name for g in GLOBAL_GOALS]

    is_known: dict[str, Callable[[Any], bool]] = {
        "fokusområden": areas_known.__contains__,
        "ansvariga": units_known.__contains__,
        "miljökvalitetsmål": lambda name: resolve_environmental_objective(name) is not None,
        "globala_mål": lambda goal: resolve_global_goal(goal) is not None,
    }
    measures = [(path, _comma_lists(check, path, measure, is_known)) for path, measure in parts.measures]

    for path, measure in measures:
        used_areas.update(measure.focus_areas)
        if area_names:
            _unknown(
                check,
                "HD204",
                "Fokusområdet ”{}” finns inte i strategin.",
                measure.focus_areas,
                areas_known.__contains__,
                path + ("fokusområden",),
                area_names,
            )
        if measure.responsible is not None and not measure.responsible:
            check.add(
                "HD207",
                f"Åtgärd {measure.id} ”{measure.title}” har ingen ansvarig sektor eller bolag.",
                path + ("ansvariga",),
            )
        if unit_names:
            _unknown(
                check,
                "HD203",
                "”{}” finns inte i organisationen.",
                measure.responsible or [],
                units_known.__contains__,
                path + ("ansvariga",),
                unit_names,
            )
        _unknown(
            check,
            "HD205",
            "”{}” är inget av Sveriges 16 miljökvalitetsmål.",
            measure.environmental_objectives,
            lambda name: resolve_environmental_objective(name) is not None,
            path + ("miljökvalitetsmål",),
            objective_names,
        )
        _unknown(
            check,
            "HD206",
            "”{}” är inget av de 17 globala målen; ange målets nummer (1–17) eller namn.",
            measure.global_goals,
            lambda goal: resolve_global_goal(goal) is not None,
            path + ("globala_mål",),
            goal_names,
        )
        # Without a responsible unit HD207 says it; None: activities were written but are malformed.
        if measure.activities is not None and not measure.activities and measure.responsible:
            check.add(
                "HD212",
                f"Åtgärd {measure.id} ”{measure.title}” har inga aktiviteter.",
                path + ("aktiviteter",),
                warning=True,
            )
        responsible = set(measure.responsible or ())
        # A responsible unit misspelt (HD203, "Hushage") is the unit its activities name ("Hushagen"):
        # that is one mistake, reported once.
        misspelt = {suggest(name, unit_names) for name in responsible if name not in units_known} - {None}
        for i, activity in enumerate(measure.activities or ()):
            apath = path + ("aktiviteter", i)
            if unit_names and activity.unit not in units_known:
                check.add(
                    "HD203",
                    f"”{activity.unit}” finns inte i organisationen.",
                    apath + ("enhet",),
                    suggest(activity.unit, unit_names),
                )
            elif measure.responsible is not None and activity.unit not in responsible | misspelt:
                check.add(
                    "HD208",
                    f"”{activity.unit}” har en aktivitet i åtgärd {measure.id} men står inte bland åtgärdens ansvariga.",
                    apath + ("enhet",),
                )
            if activity.start and activity.end and activity.start > activity.end:
                check.add(
                    "HD209",
                    f"Aktiviteten slutar ({activity.end.isoformat()}) innan den börjar ({activity.start.isoformat()}).",
                    apath + ("slut",),
                )

    for path, area in areas:
        if parts.measures and area.name not in used_areas:
            check.add("HD210", f"Ingen åtgärd hör till fokusområdet ”{area.name}”.", path + ("namn",), warning=True)

    meta = parts.metadata
    if meta is not None:
        if meta.decided and meta.revise_by and meta.decided > meta.revise_by:
            check.add(
                "HD209",
                f"Planen ska revideras senast {meta.revise_by.isoformat()}, vilket är före beslutsdagen {meta.decided.isoformat()}.",
                ("metadata", "bör_revideras_senast"),
            )
        if not (meta.reference_number or "").strip():
            check.add(
                "HD302",
                "Diarienummer saknas. I ett utkast går det bra, men den färdiga planen ska ha ett diarienummer."
                if check.draft
                else "Diarienummer saknas. En färdig plan ska ha ett diarienummer (med --draft blir detta en varning).",
                ("metadata", "diarienummer"),
                warning=check.draft,
            )

    municipality = parts.municipality
    if municipality is not None and municipality.logo is not None:
        logo = (
            municipality.logo
            if municipality.logo.is_absolute() or check.raw.base_dir is None
            else check.raw.base_dir / municipality.logo
        )
        problem = _image_problem(logo)
        if problem is not None:
            check.add("HD402", problem, ("kommun", "logotyp"))


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
        _rules(check, _partial(data))
    else:
        _rules(check, _from_plan(plan))
        if plan.municipality.logo is not None and not plan.municipality.logo.is_absolute() and raw.base_dir is not None:
            plan.municipality.logo = (raw.base_dir / plan.municipality.logo).resolve()
    errors = any(p.is_error for p in check.problems)
    return ValidationResult(None if errors else plan, ordered(check.problems), raw.base_dir)


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then in the order of the file."""

    def key(p: Problem) -> tuple[int, int]:
        line = (p.location.line or 0) if p.location else 0
        return (0 if p.is_error else 1, line)  # stable: a workbook's problems stay in reading order

    return sorted(problems, key=key)
