"""The action plan (handlingsplan): what is special to this document, as a pure context builder.

:func:`build_context` turns a valid :class:`~hallbardocs.model.Plan` into the variables listed in
docs/templates.md: text already formatted in Swedish, lists in Swedish alphabetical order, rich
text parsed. It does no I/O and knows nothing of Word.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from hallbardocs.content import DocumentProperties, Image, Label, Labels, shorten
from hallbardocs.formatting import (
    format_date,
    format_date_range,
    format_integer,
    format_kronor,
    format_list,
    format_year,
    sorted_swedish,
)
from hallbardocs.model.colours import DEFAULT_PALETTE, focus_area_colours
from hallbardocs.model.plan import Activity, Measure, Metadata, Plan, Strategy
from hallbardocs.richtext import parse

__all__ = [
    "DEFAULT_PALETTE",
    "EMPTY",
    "KIND",
    "area_colours",
    "build_context",
    "document_properties",
    "focus_area_colours",
    "strategy_kind",
]

KIND = "handlingsplan"
EMPTY = "–"
"""What an empty optional field shows: an en dash, never a placeholder."""


def _or_empty(value: str | None) -> str:
    return value if value and value.strip() else EMPTY


def _date(value: Any) -> str:
    return format_date(value) if value is not None else EMPTY


def area_colours(plan: Plan) -> dict[str, str]:
    """Each focus area's colour as ``RRGGBB`` (the fill of its label), as validation resolved it."""
    return {area.name: area.colour.lstrip("#").upper() for area in plan.focus_areas()}


def strategy_kind(strategy: Strategy) -> dict[str, str]:
    """What the strategy is, in the forms running text needs: ``typ`` (``miljöstrategi``),
    ``typ_bestämd`` (``miljöstrategin``) and ``typ_genitiv`` (``miljöstrategins``)."""
    return {
        "typ": strategy.kind_name(),
        "typ_bestämd": strategy.kind_definite_name(),
        "typ_genitiv": strategy.kind_genitive_name(),
    }


SHORT_TITLE = 24
"""The characters of a measure's title that Bilaga 1 repeats on each further activity row of it."""

NO_COST = "ej angiven"
"""A cost the plan does not give: said in words, since a dash could be read as "no cost"."""


def _kronor(amount: Decimal | None) -> str:
    return format_kronor(amount) if amount is not None else NO_COST


def _sum(amounts: Iterable[Decimal | None]) -> Decimal | None:
    present = [a for a in amounts if a is not None]
    return sum(present, Decimal(0)) if present else None


def _activity(activity: Activity) -> dict[str, str]:
    start = format_date(activity.start) if activity.start else None
    end = format_date(activity.end) if activity.end else None
    if start and end:
        period = format_date_range(start, end)
    else:
        period = f"från {start}" if start else f"till {end}" if end else EMPTY
    return {
        "enhet": activity.unit,
        "aktivitet": activity.text,
        "start": start or EMPTY,
        "slut": end or EMPTY,
        "period": period,
        "kostnad": _kronor(activity.cost),
    }


def _measure(measure: Measure, colours: dict[str, str]) -> dict[str, Any]:
    responsible = sorted_swedish(measure.responsible)
    activities = [_activity(a) for a in measure.activities]
    return {
        "id": measure.id,
        "rubrik": measure.title,
        "etiketter": Labels(tuple(Label(name, colours[name]) for name in measure.focus_areas)),
        "fokusområden": list(measure.focus_areas),
        "fokusområden_text": format_list(measure.focus_areas),
        "beskrivning": parse(measure.description, min_heading=3, max_heading=3),
        "ansvariga": responsible,
        "ansvariga_text": format_list(responsible),
        "miljökvalitetsmål": [g.name for g in measure.objectives],
        "globala_mål": [f"{g.number}. {g.name}" for g in measure.goals],
        "aktiviteter": activities,
        "kostnad": _kronor(_sum(a.cost for a in measure.activities)),
    }


def _metadata(meta: Metadata) -> dict[str, Any]:
    """The plan's metadata block, empty optional fields as ``"–"``."""
    return {
        "dokumentnamn": meta.document_name,
        "dokumenttyp": meta.document_type,
        "omfattar": _or_empty(meta.covers),
        "dokumentägare": _or_empty(meta.owner),
        "dokumentansvarig": _or_empty(meta.responsible),
        "publicering": _or_empty(meta.publication),
        "författningsstöd": _or_empty(meta.legal_basis),
        "beslutad": _date(meta.decided),
        "bör_revideras_senast": _date(meta.revise_by),
        "beslutsinstans": _or_empty(meta.decided_by),
        "diarienummer": _or_empty(meta.reference_number),
        "revideringar": [
            {
                "nummer": str(i),
                "datum": format_date(r.date),
                "paragraf": _or_empty(r.paragraph),
                "ändring": r.change,
            }
            for i, r in enumerate(meta.revisions, start=1)
        ],
    }


def build_context(plan: Plan, *, draft: bool = False) -> dict[str, Any]:
    """The template variables of a handlingsplan (see docs/templates.md); ``draft`` marks an utkast."""
    meta = plan.metadata
    colours = area_colours(plan)
    areas = {
        area.name: {
            "namn": area.name,
            "beskrivning": area.description or "",
            "färg": colours[area.name],
            "etikett": Labels((Label(area.name, colours[area.name]),)),
        }
        for area in plan.focus_areas()
    }
    measures = [_measure(m, colours) for m in plan.measures]
    logo = plan.municipality.logo
    return {
        "utkast": draft,
        "titel": meta.document_name,
        "år": format_year(plan.year),
        "kommun": {
            "namn": plan.municipality.name,
            "logotyp": Image(logo, 40, f"{plan.municipality.name}s logotyp") if logo is not None else "",
        },
        "metadata": _metadata(meta),
        "strategi": {
            "namn": plan.strategy.name or "",
            **strategy_kind(plan.strategy),
            "prioriteringar": [
                {
                    "namn": p.name,
                    "beskrivning": parse(p.description),
                    "fokusområden": [areas[a.name] for a in p.focus_areas],
                    "etiketter": Labels(tuple(Label(a.name, colours[a.name]) for a in p.focus_areas)),
                }
                for p in plan.strategy.priorities
            ],
        },
        "fokusområden": list(areas.values()),
        "kapitel": [{"rubrik": c.title, "text": parse(c.text, min_heading=2, max_heading=3)} for c in plan.chapters],
        "organisation": [
            {"namn": u.name, "typ": u.kind} for u in sorted_swedish(plan.organisation, key=lambda u: u.name)
        ],
        "åtgärder": measures,
        "antal_åtgärder": format_integer(len(plan.measures)),
        "aktivitetslista": [
            {
                "åtgärd": f"{m['id']}. {m['rubrik']}",
                "åtgärd_kort": f"{m['id']}. {shorten(m['rubrik'], SHORT_TITLE)}",
                "aktiviteter": m["aktiviteter"],
            }
            for m in measures
        ],
        "total_kostnad": _kronor(_sum(a.cost for m in plan.measures for a in m.activities)),
    }


def document_properties(plan: Plan) -> DocumentProperties:
    """Title, author, subject and keywords for the document's properties."""
    meta = plan.metadata
    return DocumentProperties(
        title=meta.document_name,
        author=plan.municipality.name,
        subject=f"{meta.document_type} {format_year(plan.year)}",
        keywords=(meta.document_type, plan.strategy.kind_name(), *(a.name for a in plan.focus_areas())),
    )
