"""The action plan (handlingsplan) as typed data.

Field names are English; each has the Swedish alias the plan file uses (``rubrik``, ``ansvariga``).
The models check shape and single values only; rules across the plan (a unit must exist, an id must
be unique) are checked by :mod:`hallbardocs.validate`, which reports every problem at once.

Validation also resolves what the later stages need, once: a valid plan's focus areas all have a
colour (:attr:`FocusArea.colour`), its activities an id (:attr:`Activity.id`, ``"<measure>.<n>"``
unless the plan gives one) and its measures their goals as :class:`~hallbardocs.model.vocabularies.Goal`
objects in official order (:attr:`Measure.objectives`, :attr:`Measure.goals`). No consumer works
these out again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from hallbardocs.model.colours import DEFAULT_PALETTE, focus_area_colours
from hallbardocs.model.vocabularies import Goal, resolve_environmental_objective, resolve_global_goal

__all__ = [
    "DEFAULT_STRATEGY_KIND",
    "MAX_COST",
    "Activity",
    "Chapter",
    "FocusArea",
    "Measure",
    "Metadata",
    "Model",
    "Municipality",
    "Plan",
    "Priority",
    "Revision",
    "Strategy",
    "Unit",
    "UnitKind",
]

Text = Annotated[str, Field(min_length=1)]
"""A required text: present and not blank (whitespace is stripped first)."""

MAX_COST = 10**12
"""The largest cost of an activity, in kronor (a thousand billion: more than any municipality spends)."""

Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
UnitKind = Literal["sektor", "bolag", "nämnd", "förvaltning"]


_AMOUNT = re.compile(
    r"(?P<sign>[-\u2212]?)\s*"
    r"(?P<whole>\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)"
    r"(?:[,.](?P<part>\d{1,2}))?"
    r"\s*(?:kr\.?|kronor|SEK|:-)?",
    re.IGNORECASE,
)
"""A sum as people type it: ``180000``, ``180 000`` (grouped by ordinary, no-break or thin spaces),
``1 234,50`` (decimal comma), ``180 000 kr``."""

AMOUNT_EXAMPLES = "180000, 180 000, 1 234,50 eller 180 000 kr"


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def swedish_amount(value: object) -> object:
    """A text in Swedish number format as a :class:`Decimal`; other values are left to the type check.

    Raises ``amount_parsing`` for a text that is no amount (reported as HD102 with examples).
    """
    if not isinstance(value, str) or _PLAIN_NUMBER.fullmatch(value.strip()):
        return value  # a number, or a number in Python's notation ("1e308"): the type and range checks decide
    match = _AMOUNT.fullmatch(value.strip())
    if match is None:
        raise PydanticCustomError("amount_parsing", "not an amount in kronor")
    whole = re.sub(r"\D", "", match["whole"])
    sign = "-" if match["sign"] else ""
    return Decimal(f"{sign}{whole}.{match['part']}" if match["part"] else f"{sign}{whole}")


Amount = Annotated[Decimal, BeforeValidator(swedish_amount), Field(ge=0, le=MAX_COST, decimal_places=2)]
"""A sum in kronor: a number, or a text such as ``"180 000 kr"`` or ``"1 234,50"``."""


def resolved(model: BaseModel, name: str) -> Any:
    """A value that validation resolved, or None before it has.

    Resolved values live in pydantic's store of private values, undeclared: so they are never
    dumped (a converted plan does not gain them), never read from a file, take no part in
    equality, and cost nothing per instance until they are set (a declared private attribute
    costs a Python call for every model instance validated, and the rules read every activity's
    id). They are: ``_colour`` (a focus area's palette colour, set by :class:`Strategy`),
    ``_where`` (an activity's default id and its measure's id, set by :meth:`Measure.resolve`),
    ``_goals`` (a measure's goals, the same) and ``_level`` (a report's level, set by the
    follow-up)."""
    private = model.__pydantic_private__
    return private.get(name) if private else None


def resolve(model: BaseModel, name: str, value: object) -> None:
    """Set a resolved private attribute (see :func:`resolved`)."""
    if model.__pydantic_private__ is None:
        object.__setattr__(model, "__pydantic_private__", {})
    assert model.__pydantic_private__ is not None
    model.__pydantic_private__[name] = value


class Model(BaseModel):
    """Base of every input model: Swedish keys in files, unknown keys rejected, text stripped."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
    )

    def __eq__(self, other: object) -> bool:
        """Equal when the fields are: what validation resolved (private attributes, such as an
        activity's id or a report's level) follows from them and takes no part."""
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__


class Municipality(Model):
    """The municipality (kommun) the document belongs to."""

    name: Text = Field(alias="namn")
    logo: Path | None = Field(default=None, alias="logotyp", description="PNG or JPEG, relative to the plan file")

    @field_validator("logo", mode="before")
    @classmethod
    def _logo_named(cls, value: object) -> object:
        """An empty ``logotyp`` is an empty field, not the plan's folder (``Path("")`` is ``.``)."""
        if isinstance(value, str) and not value.strip():
            raise PydanticCustomError("string_too_short", "the logo's file name is empty")
        return value


class Revision(Model):
    """One line of the document's revision history."""

    date: dt.date = Field(alias="datum")
    paragraph: str | None = Field(default=None, alias="paragraf", description="the decision's paragraph, e.g. § 14")
    change: Text = Field(alias="ändring")


class Metadata(Model):
    """The metadata block (Metadata om dokument) of a governing document."""

    document_name: Text = Field(alias="dokumentnamn")
    document_type: Text = Field(alias="dokumenttyp")
    covers: str | None = Field(default=None, alias="omfattar")
    owner: str | None = Field(default=None, alias="dokumentägare")
    responsible: str | None = Field(default=None, alias="dokumentansvarig")
    publication: str | None = Field(default=None, alias="publicering")
    legal_basis: str | None = Field(default=None, alias="författningsstöd")
    decided: dt.date | None = Field(default=None, alias="beslutad")
    revise_by: dt.date | None = Field(default=None, alias="bör_revideras_senast")
    decided_by: str | None = Field(default=None, alias="beslutsinstans")
    reference_number: str | None = Field(default=None, alias="diarienummer")
    revisions: list[Revision] = Field(default_factory=list, alias="revideringar")


class FocusArea(Model):
    """A focus area (fokusområde) of the strategy."""

    name: Text = Field(alias="namn")
    description: str | None = Field(default=None, alias="beskrivning")
    given_colour: Colour | None = Field(
        default=None, alias="färg", description="#RRGGBB; left out: a palette colour no other area has"
    )

    @property
    def colour(self) -> str:
        """The area's colour as ``#RRGGBB``: its own ``färg``, else the default the strategy gave it."""
        if self.given_colour:
            return self.given_colour.upper()
        return resolved(self, "_colour") or "#" + DEFAULT_PALETTE[0]


class Priority(Model):
    """A priority (prioritering) of the strategy, with its focus areas."""

    name: Text = Field(alias="namn")
    description: str | None = Field(default=None, alias="beskrivning", description="rich text")
    focus_areas: Annotated[list[FocusArea], Field(min_length=1)] = Field(alias="fokusområden")


DEFAULT_STRATEGY_KIND = "miljöstrategi"
"""What a strategy is called in running text when the plan does not say (``strategi.typ``)."""

# The last part of a word that names a kind of strategy: "Hållbarhetspolicy 2024–2030" is a policy.
_KIND_ENDINGS = ("strategi", "policy", "program", "plan", "agenda")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Definite forms the vowel/consonant rule gets wrong: neuter nouns.
_NEUTER_DEFINITE = {"program": "programmet", "dokument": "dokumentet"}


def _lower_first(word: str) -> str:
    """``Hållbarhetspolicy`` -> ``hållbarhetspolicy``; an abbreviation (``EU-policy``) is kept."""
    if len(word) > 1 and word[0].isupper() and word[1].islower():
        return word[0].lower() + word[1:]
    return word


def _definite(kind: str) -> str:
    """The definite form by the common rule: ``strategi`` -> ``strategin``, ``plan`` -> ``planen``,
    ``program`` -> ``programmet``."""
    for ending, definite in _NEUTER_DEFINITE.items():
        if kind.endswith(ending):
            return kind[: len(kind) - len(ending)] + definite
    return kind + ("n" if kind[-1:].lower() in "aeiouyåäöé" else "en")


class Strategy(Model):
    """The long-term strategy the plan implements."""

    name: str | None = Field(default=None, alias="namn")
    kind: str | None = Field(
        default=None,
        alias="typ",
        description=(
            "what the strategy is, in running text: miljöstrategi, hållbarhetspolicy, klimatprogram …; "
            "left out: from the name's first word when it ends in strategi, policy, program, plan or "
            "agenda, else miljöstrategi"
        ),
    )
    kind_definite: str | None = Field(
        default=None,
        alias="typ_bestämd",
        description="the same in definite form (hållbarhetspolicyn); left out: formed from typ",
    )
    priorities: Annotated[list[Priority], Field(min_length=1)] = Field(alias="prioriteringar")

    @model_validator(mode="after")
    def _resolve_colours(self) -> Strategy:
        """Every focus area gets its colour once: its own, else a palette colour no other area has."""
        areas = [area for priority in self.priorities for area in priority.focus_areas]
        colours = focus_area_colours(areas)
        for area in areas:
            resolve(area, "_colour", "#" + colours[area.name])
        return self

    def kind_name(self) -> str:
        """What the strategy is, in running text: ``typ``, else read off the name, else miljöstrategi.

        >>> p = [Priority(namn="Klimat", fokusområden=[FocusArea(namn="Res hållbart")])]
        >>> Strategy(namn="Hållbarhetspolicy 2024–2030", prioriteringar=p).kind_name()
        'hållbarhetspolicy'
        >>> Strategy(namn="Lindåsas väg mot 2030", prioriteringar=p).kind_name()
        'miljöstrategi'
        """
        if self.kind:
            return _lower_first(self.kind)
        first = (self.name or "").split(maxsplit=1)[:1]
        if first:
            word = _lower_first(first[0].rstrip(",.:;"))
            if _WORD.fullmatch(word) and word.casefold().endswith(_KIND_ENDINGS):
                return word
        return DEFAULT_STRATEGY_KIND

    def kind_definite_name(self) -> str:
        """The same in definite form: ``typ_bestämd``, else formed by the common rule.

        >>> p = [Priority(namn="Klimat", fokusområden=[FocusArea(namn="Res hållbart")])]
        >>> Strategy(typ="Klimatprogram", prioriteringar=p).kind_definite_name()
        'klimatprogrammet'
        >>> Strategy(prioriteringar=p).kind_definite_name()
        'miljöstrategin'
        """
        if self.kind_definite:
            return _lower_first(self.kind_definite)
        return _definite(self.kind_name())

    def kind_genitive_name(self) -> str:
        """The definite form in the genitive: ``miljöstrategins``, ``hållbarhetspolicyns``."""
        definite = self.kind_definite_name()
        return definite if definite[-1:].lower() in "sxz" else definite + "s"


class Unit(Model):
    """A sector, company, committee or administration that can be responsible for measures."""

    name: Text = Field(alias="namn")
    kind: UnitKind = Field(alias="typ")


class Chapter(Model):
    """An introductory chapter: a heading and rich text."""

    title: Text = Field(alias="rubrik")
    text: str = Field(default="", alias="text", description="rich text")


class Activity(Model):
    """What one unit does within a measure during the year."""

    given_id: Text | None = Field(
        default=None,
        alias="id",
        description="unique in the plan; left out: the measure's id and the activity's place in it, e.g. 3.2",
    )
    unit: Text = Field(alias="enhet")
    text: Text = Field(alias="aktivitet")
    start: dt.date | None = Field(default=None, alias="start")
    end: dt.date | None = Field(default=None, alias="slut")
    cost: Amount | None = Field(
        default=None,
        alias="kostnad",
        description="kronor, at most 1 000 000 000 000: 180000, or as text 180 000, 1 234,50, 180 000 kr",
    )

    @property
    def id(self) -> str:
        """The activity's id, by which a follow-up reports on it: the one the plan gives, else
        ``"<measure id>.<n>"`` (the n-th activity of the measure, from 1)."""
        if self.given_id:
            return self.given_id
        where = resolved(self, "_where")
        return where[0] if where else ""

    @property
    def measure_id(self) -> str:
        """The id of the measure the activity belongs to."""
        where = resolved(self, "_where")
        return where[1] if where else ""


class Measure(Model):
    """A measure (åtgärd): one page of the plan."""

    id: Text = Field(alias="id")
    title: Text = Field(alias="rubrik")
    focus_areas: Annotated[list[Text], Field(min_length=1)] = Field(alias="fokusområden")
    description: str = Field(default="", alias="beskrivning", description="rich text")
    responsible: list[Text] = Field(default_factory=list, alias="ansvariga")
    environmental_objectives: list[Text] = Field(default_factory=list, alias="miljökvalitetsmål")
    global_goals: list[int | Text] = Field(default_factory=list, alias="globala_mål")
    activities: list[Activity] = Field(default_factory=list, alias="aktiviteter")

    @field_validator("global_goals", mode="before")
    @classmethod
    def _goal_numbers_as_numbers(cls, value: object) -> object:
        """A goal written as "13" is the number 13, as in YAML, whatever the file format."""
        if isinstance(value, list):
            return [int(v) if isinstance(v, str) and v.strip().isdigit() else v for v in value]
        return value

    @model_validator(mode="after")
    def _resolved(self) -> Measure:
        self.resolve()
        return self

    def resolve(self) -> None:
        """Work out, once, what the later stages need: each activity's id and the goals as
        :class:`Goal` objects (a name that is no goal is left out; validation reports it)."""
        for n, activity in enumerate(self.activities or (), start=1):
            resolve(activity, "_where", (f"{self.id}.{n}", self.id))
        objectives = (resolve_environmental_objective(name) for name in self.environmental_objectives or ())
        goals = _in_order(resolve_global_goal(ref) for ref in self.global_goals or ())
        resolve(self, "_goals", (_in_order(objectives), goals))

    @property
    def objectives(self) -> tuple[Goal, ...]:
        """The miljökvalitetsmål the measure serves, by official name, in official order, each once."""
        goals = resolved(self, "_goals")
        return goals[0] if goals else ()

    @property
    def goals(self) -> tuple[Goal, ...]:
        """The global goals the measure serves, in official order, each once."""
        goals = resolved(self, "_goals")
        return goals[1] if goals else ()


def _in_order(goals: Iterable[Goal | None]) -> tuple[Goal, ...]:
    """The goals that resolved, each once, in official order."""
    return tuple(sorted({g.number: g for g in goals if g is not None}.values(), key=lambda g: g.number))


class Plan(Model):
    """A yearly action plan (handlingsplan till miljöstrategin)."""

    model_config = ConfigDict(title="Handlingsplan")

    municipality: Municipality = Field(alias="kommun")
    year: Annotated[int, Field(ge=1900, le=2200)] = Field(alias="år")
    metadata: Metadata = Field(alias="metadata")
    strategy: Strategy = Field(alias="strategi")
    organisation: Annotated[list[Unit], Field(min_length=1)] = Field(alias="organisation")
    chapters: list[Chapter] = Field(default_factory=list, alias="kapitel")
    measures: Annotated[list[Measure], Field(min_length=1)] = Field(alias="åtgärder")

    def focus_areas(self) -> list[FocusArea]:
        """Every focus area, in strategy order."""
        return [area for priority in self.strategy.priorities for area in priority.focus_areas]

    def activities(self) -> list[Activity]:
        """Every activity, in plan order; each knows its id and its measure's id."""
        return [activity for measure in self.measures for activity in measure.activities]
