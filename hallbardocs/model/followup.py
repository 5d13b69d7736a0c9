"""The follow-up (uppföljning) of a plan: a period, a status scale, each activity's report, the
indicators, and the texts of the committee report.

A plan's activities are identified by ``"<measure id>.<n>"`` (the n-th activity of the measure,
from 1), unless the plan gives an activity its own ``id``: :attr:`hallbardocs.model.plan.Activity.id`.

Validation resolves what the later stages need, once: :attr:`FollowUp.scale` is a
:class:`StatusScale` (a shipped one named in the file, or the one it describes) and each report's
:attr:`ActivityReport.level` the level of that scale its ``status`` names.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    PrivateAttr,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from hallbardocs.model.plan import Activity, Colour, Measure, Model, Text, resolve, resolved

__all__ = [
    "CATEGORIES",
    "MAX_FIGURE",
    "Figure",
    "INDICATOR_LIMIT",
    "INDICATOR_YEARS",
    "NOT_REPORTED",
    "SCALES",
    "ActivityReport",
    "Attachment",
    "Category",
    "CommitteeReport",
    "FollowUp",
    "Indicator",
    "Period",
    "StatusLevel",
    "StatusScale",
    "Target",
    "activity_ids",
    "indicator_number_ok",
    "indicator_year_ok",
    "measure_status",
    "number_text",
]

Category = Literal["genomförd", "pågår", "ej_påbörjad", "avbruten", "ej_relevant"]
"""What a status level means, whatever the municipality calls it; the rules and counts use this."""

CATEGORIES: tuple[Category, ...] = ("genomförd", "pågår", "ej_påbörjad", "avbruten", "ej_relevant")

INDICATOR_YEARS = (1900, 2200)
"""The first and last year an indicator's value or target may have (as for a plan's year)."""

INDICATOR_LIMIT = 1e12  # the same as MAX_FIGURE
"""The largest magnitude of an indicator's value or target: a figure any chart and table can show."""


def indicator_number_ok(value: float) -> bool:
    """Whether ``value`` can be an indicator's value: a finite number within ±:data:`INDICATOR_LIMIT`.

    >>> indicator_number_ok(0.45), indicator_number_ok(float("nan")), indicator_number_ok(1e308)
    (True, False, False)
    """
    return math.isfinite(value) and abs(value) <= INDICATOR_LIMIT


def number_text(value: float) -> str:
    """A number that cannot be an indicator's value, as a user would recognise it in a message.

    >>> number_text(float("nan")), number_text(float("-inf")), number_text(1e308)
    ('NaN', 'minus oändligt', '1e+308')
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "oändligt" if value > 0 else "minus oändligt"
    return repr(value)


def indicator_year_ok(year: int) -> bool:
    """Whether ``year`` is within :data:`INDICATOR_YEARS`.

    >>> indicator_year_ok(2024), indicator_year_ok(0)
    (True, False)
    """
    return INDICATOR_YEARS[0] <= year <= INDICATOR_YEARS[1]


class Period(Model):
    """The period a follow-up reports on: "Delår 2025, per 2025-08-31"."""

    kind: Literal["delår", "helår"] = Field(alias="typ")
    year: Annotated[int, Field(ge=1900, le=2200)] = Field(alias="år")
    as_of: dt.date = Field(alias="per", description="the date the report is as of")

    @property
    def label(self) -> str:
        """``"Delår 2025"`` or ``"Helår 2025"``."""
        return f"{self.kind.capitalize()} {self.year}"

    @classmethod
    def parse(cls, text: str, as_of: str | dt.date | None = None) -> Period:
        """A period as a clerk writes it, ``"Helår 2026"`` or ``"Delår 2026"``, with an optional
        as-of date (by default 31 December for helår, 31 August for delår).

        >>> Period.parse("Delår 2026").as_of.isoformat()
        '2026-08-31'
        >>> Period.parse("Kvartal 2")
        Traceback (most recent call last):
        hallbardocs.errors.InvalidInputError: (--period): fel HD104: Perioden ”Kvartal 2” ska skrivas som ”Helår 2026” eller ”Delår 2026”.
        """
        from hallbardocs.errors import InvalidInputError, Location, Problem

        words = text.split()
        if len(words) != 2 or words[0].casefold() not in ("helår", "delår") or not words[1].isdigit():
            message = f"Perioden ”{text}” ska skrivas som ”Helår 2026” eller ”Delår 2026”."
            raise InvalidInputError([Problem("HD104", message, Location("(--period)"))])
        kind, year = words[0].casefold(), int(words[1])
        if isinstance(as_of, str):
            try:
                as_of = dt.date.fromisoformat(as_of.strip())
            except ValueError:
                message = f"Datumet ”{as_of}” ska skrivas som ÅÅÅÅ-MM-DD, till exempel {year}-12-31."
                raise InvalidInputError([Problem("HD104", message, Location("(--per)"))]) from None
        if as_of is None:
            as_of = dt.date(year, 12, 31) if kind == "helår" else dt.date(year, 8, 31)
        if as_of.year != year or not 1900 <= year <= 2200:
            message = f"Datumet {as_of.isoformat()} ligger inte i perioden ”{text}”."
            raise InvalidInputError([Problem("HD104", message, Location("(--per)"))])
        return cls(kind=kind, year=year, as_of=as_of)

    @model_validator(mode="after")
    def _as_of_in_year(self) -> Period:
        if self.as_of.year != self.year:
            raise ValueError(f"per-datumet {self.as_of.isoformat()} ligger inte i år {self.year}")
        return self


class StatusLevel(Model):
    """One level of a status scale: its word, an optional short code, what it means, and how it is shown."""

    name: Text = Field(alias="namn")
    code: str | None = Field(default=None, alias="kod", description="short form, e.g. G")
    category: Category = Field(alias="kategori")
    description: str | None = Field(default=None, alias="beskrivning")
    colour: Colour = Field(alias="färg")
    symbol: Text = Field(alias="symbol", description="shown beside the word, so colour is never the only signal")


class StatusScale(Model):
    """The municipality's status scale, most done first."""

    name: Text = Field(alias="namn")
    levels: Annotated[list[StatusLevel], Field(min_length=2)] = Field(alias="nivåer")

    def level(self, name: str) -> StatusLevel | None:
        """The level called ``name`` (or with that code), case-insensitively."""
        folded = name.strip().casefold()
        for level in self.levels:
            if level.name.casefold() == folded or (level.code and level.code.casefold() == folded):
                return level
        return None

    def first(self, category: Category) -> StatusLevel | None:
        return next((lv for lv in self.levels if lv.category == category), None)


def _scale(name: str, *levels: tuple[str, str | None, Category, str, str, str]) -> StatusScale:
    return StatusScale(
        name=name,
        levels=[
            StatusLevel(name=n, code=k, category=c, description=d, colour=f, symbol=s) for n, k, c, d, f, s in levels
        ],
    )


# The symbols are all in Arial and Liberation Sans (the templates' fonts; Windows Glyph List 4), so a
# status never depends on font fallback: ● done, ► under way, ▲ half or more, ○ not started, × cancelled,
# – not relevant, □ not reported.
SCALES: dict[str, StatusScale] = {
    "standard": _scale(
        "Standard",
        ("Genomförd", None, "genomförd", "Aktiviteten är genomförd.", "#2E7D32", "●"),
        ("Pågår", None, "pågår", "Arbetet har börjat men är inte klart.", "#B26A00", "►"),
        ("Ej påbörjad", None, "ej_påbörjad", "Arbetet har inte börjat.", "#5F6B73", "○"),
        ("Avbruten", None, "avbruten", "Aktiviteten har avbrutits.", "#B3261E", "×"),
        ("Ej relevant", None, "ej_relevant", "Aktiviteten är inte längre relevant.", "#6D6D6D", "–"),
    ),
    "länsstyrelserna": _scale(
        "Länsstyrelsernas skala",
        ("Genomförd", "G", "genomförd", "Genomförd helt eller i huvudsak, eller pågår kontinuerligt.", "#2E7D32", "●"),
        ("Hälften", "H", "pågår", "Genomförd till hälften eller mer.", "#7A7A00", "▲"),
        ("Påbörjad", "P", "pågår", "Påbörjad men ännu inte till hälften.", "#B26A00", "►"),
        ("Ej påbörjad", "E", "ej_påbörjad", "Ännu inte påbörjad.", "#5F6B73", "○"),
        ("Ej relevant", None, "ej_relevant", "Åtgärden är inte relevant.", "#6D6D6D", "–"),
    ),
}
"""The shipped scales: ``standard`` and the county boards' G/H/P/E scale (``länsstyrelserna``)."""

NOT_REPORTED = StatusLevel(
    name="Ej rapporterad",
    category="ej_påbörjad",
    description="Ingen uppföljning har kommit in.",
    colour="#8A8A8A",
    symbol="□",
)
"""What an activity without a report shows. It is not a level of any scale."""


def _named_scale(value: object) -> object:
    """A shipped scale's name is that scale; an unknown name is ``unknown_scale`` (HD707)."""
    if isinstance(value, str):
        scale = SCALES.get(value.strip())
        if scale is None:
            raise PydanticCustomError("unknown_scale", "no status scale is called {name}", {"name": value.strip()})
        return scale
    return value


MAX_FIGURE = 10**12
"""The largest size of a key figure or indicator value (a thousand billion): a larger one is a typo."""

Figure = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_FIGURE, le=MAX_FIGURE)]
"""A key figure: a finite number of at most :data:`MAX_FIGURE` either way."""


class ActivityReport(Model):
    """One unit's answer for one activity: its status, a comment, and optional figures."""

    activity: Text = Field(alias="aktivitet", description="the activity's id, e.g. 3.2")
    unit: Text = Field(alias="enhet")
    status: Text = Field(alias="status")
    comment: str | None = Field(default=None, alias="kommentar")
    figures: dict[str, Figure] = Field(default_factory=dict, alias="värden", description="optional key figures")

    @property
    def level(self) -> StatusLevel | None:
        """The level of the follow-up's scale that ``status`` names; ``None`` only for a report
        that is not (yet) part of a follow-up, or whose status is not in the scale (HD703)."""
        level: StatusLevel | None = resolved(self, "_level")
        return level


IndicatorNumber = float
"""An indicator's value or target as read: any float. That it is finite and within
:data:`INDICATOR_LIMIT` is a rule of its own (HD906, validate_followup), so that YAML, CSV and Kolada
values get the same message."""


class Target(Model):
    value: IndicatorNumber = Field(alias="värde")
    year: Annotated[int, Field(ge=1900, le=2200)] = Field(alias="år")


class Indicator(Model):
    """An indicator followed over the years, with a target and comparison series."""

    id: Text = Field(alias="id")
    name: Text = Field(alias="namn")
    unit: Text = Field(alias="enhet")
    better: Literal["högre", "lägre"] = Field(alias="bättre", description="which direction is better")
    target: Target | None = Field(default=None, alias="mål")
    values: dict[int, IndicatorNumber | None] = Field(alias="värden", description="the municipality's value per year")
    comparisons: dict[str, dict[int, IndicatorNumber | None]] = Field(
        default_factory=dict, alias="jämförelse", description="e.g. Liknande kommuner, Riket: value per year"
    )
    source: str | None = Field(default=None, alias="källa", description="e.g. Kolada")
    note: str | None = Field(default=None, alias="kommentar")


class Attachment(Model):
    """One of the tjänsteskrivelse's Beslutsunderlag, given as a mapping: its name, and the file
    (``fil``, a .pdf or .docx beside the follow-up file) or the generated document (``dokument``)
    that the committee package attaches for it. A plain string in the list is a name alone."""

    name: Text = Field(alias="namn")
    file: Text | None = Field(
        default=None, alias="fil", description="a .pdf or .docx, relative to the follow-up file's folder"
    )
    document: Literal["miljöbokslut", "handlingsplan"] | None = Field(
        default=None, alias="dokument", description="a document hallbardocs makes from the plan and follow-up"
    )
    _plain: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _from_text(cls, data: Any, handler: ModelWrapValidatorHandler[Attachment]) -> Attachment:
        """A plain string in the list is an entry of that name (``plain`` says it was one)."""
        if isinstance(data, str):
            entry = handler({"namn": data})
            entry._plain = True
            return entry
        return handler(data)

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """In the JSON Schema an entry is a plain string too, as files write most of them."""
        return {"anyOf": [{"type": "string", "minLength": 1}, handler(core)]}

    @property
    def plain(self) -> bool:
        """Whether the list gave this entry as a plain string (its name alone)."""
        return self._plain


class CommitteeReport(Model):
    """The texts and header of the tjänsteskrivelse; the figures are computed, never typed here."""

    administration: Text = Field(alias="förvaltning")
    office: str | None = Field(default=None, alias="enhet")
    officer: Text = Field(alias="handläggare")
    officer_title: str | None = Field(default=None, alias="titel")
    date: dt.date = Field(alias="datum")
    reference_number: str | None = Field(default=None, alias="diarienummer")
    recipient: Text = Field(alias="mottagare", description="e.g. Miljönämnden")
    subject: Text = Field(alias="ärende", description="the matter's title")
    proposal: Annotated[list[Text], Field(min_length=1)] = Field(
        alias="förslag_till_beslut", description="each a decision clause, after 'Miljönämnden beslutar att'"
    )
    summary: str = Field(default="", alias="sammanfattning", description="rich text; the computed figures come first")
    background: str = Field(default="", alias="bakgrund", description="rich text")
    assessment: str = Field(
        default="", alias="bedömning", description="rich text; deviating measures are listed after it"
    )
    attachments: list[Attachment] = Field(
        default_factory=list,
        alias="beslutsunderlag",
        description="names, or {namn, fil} / {namn, dokument}; the committee package attaches them in order",
    )
    send_to: list[Text] = Field(default_factory=list, alias="expediering")

    @property
    def attachment_names(self) -> list[str]:
        """The Beslutsunderlag's names, as typed."""
        return [a.name for a in self.attachments]


class FollowUp(Model):
    """A follow-up of one plan for one period."""

    model_config = ConfigDict(title="Uppföljning")

    plan_name: Text = Field(alias="plan", description="the plan's dokumentnamn, to catch a follow-up of another plan")
    period: Period = Field(alias="period")
    scale: Annotated[StatusScale, BeforeValidator(_named_scale, json_schema_input_type=str | StatusScale)] = Field(
        default_factory=lambda: SCALES["standard"],
        alias="statusskala",
        description="standard, länsstyrelserna, or a scale",
        json_schema_extra={"default": "standard"},
        title="Statusskala",
    )
    reports: list[ActivityReport] = Field(default_factory=list, alias="rapporter")
    measure_comments: dict[str, str] = Field(
        default_factory=dict, alias="åtgärdskommentarer", description="a comment per measure id"
    )
    indicators: list[Indicator] = Field(default_factory=list, alias="indikatorer")
    committee: CommitteeReport | None = Field(default=None, alias="tjänsteskrivelse")
    _source: str = PrivateAttr(default="uppföljningen")

    @property
    def source(self) -> str:
        """The name of the file the follow-up was read from (for a problem found after validation)."""
        return self._source

    @model_validator(mode="after")
    def _resolve_levels(self) -> FollowUp:
        for report in self.reports:
            resolve(report, "_level", self.scale.level(report.status))
        return self

    def status_scale(self) -> StatusScale:
        """The scale in use (the same as :attr:`scale`; kept for callers of earlier versions)."""
        return self.scale


def activity_ids(measure: Measure) -> Iterator[tuple[str, Activity]]:
    """Each activity of the measure with its id (:attr:`Activity.id`).

    A thin wrapper kept for earlier callers: the id is resolved by validation, so new code reads
    ``activity.id`` (and :meth:`~hallbardocs.model.plan.Plan.activities`).
    """
    for activity in measure.activities:
        yield activity.id, activity


def measure_status(statuses: list[StatusLevel], scale: StatusScale) -> StatusLevel:
    """A measure's status from its activities' statuses (the rule in docs/followup.md).

    1. Activities that are not relevant are left out; if none remain, the measure is not relevant.
    2. If every remaining activity has the same status, the measure has it.
    3. If any remaining activity is done or in progress, the measure is in progress: the first level
       of category ``pågår`` among its activities, else the scale's first ``pågår`` level.
    4. Otherwise (not started, cancelled or not reported, mixed) it is not started.

    A measure with no activities at all has not been reported.
    """
    if not statuses:
        return NOT_REPORTED
    relevant = [s for s in statuses if s.category != "ej_relevant"]
    if not relevant:
        return scale.first("ej_relevant") or statuses[0]
    if all(s == relevant[0] for s in relevant):
        return relevant[0]
    if any(s.category in ("genomförd", "pågår") for s in relevant):
        present = [lv for lv in scale.levels if lv.category == "pågår" and lv in relevant]
        return present[0] if present else scale.first("pågår") or relevant[0]
    return scale.first("ej_påbörjad") or NOT_REPORTED
