"""The action plan (handlingsplan): what is special to this document, as a pure context builder.

:func:`build_context` turns a valid :class:`~hallbardocs.model.Plan` into the variables listed in
docs/templates.md: text already formatted in Swedish, lists in Swedish alphabetical order, rich
text parsed. It does no I/O and knows nothing of Word.
"""

from __future__ import annotations

import colorsys
import itertools
import math
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from hallbardocs.content import DocumentProperties, Image, Label, Labels
from hallbardocs.formatting import (
    format_date,
    format_integer,
    format_kronor,
    format_list,
    format_range,
    format_year,
    sorted_swedish,
)
from hallbardocs.model.plan import Activity, FocusArea, Measure, Plan, Strategy
from hallbardocs.model.vocabularies import resolve_environmental_objective, resolve_global_goal
from hallbardocs.richtext import parse

__all__ = [
    "DEFAULT_PALETTE",
    "EMPTY",
    "KIND",
    "build_context",
    "document_properties",
    "focus_area_colours",
    "strategy_kind",
]

KIND = "handlingsplan"
EMPTY = "–"
"""What an empty optional field shows: an en dash, never a placeholder."""

# Dark, distinct colours with at least 4.5:1 contrast against white text.
DEFAULT_PALETTE = (
    "1F5F7A",
    "2E6B30",
    "8A3B12",
    "5B3F8C",
    "7A2E4D",
    "1D5C57",
    "6B5413",
    "34495E",
    "A0312B",
    "2C5AA0",
)


def _or_empty(value: str | None) -> str:
    return value if value and value.strip() else EMPTY


def _date(value: Any) -> str:
    return format_date(value) if value is not None else EMPTY


# --- focus-area colours ------------------------------------------------------------------------
#
# An area without its own colour gets the next colour of the palette that is clearly different
# (CIE76 distance in Lab) from every colour already given; past the palette's ten, colours are
# generated (hues a golden angle apart), each dark enough for white text at 4.5:1 or more.

_MIN_CONTRAST = 4.6  # a margin above WCAG's 4.5:1
_GOLDEN = 0.381966


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(int(colour[i : i + 2], 16)) for i in (0, 2, 4))
    return r, g, b


def _luminance(colour: str) -> float:
    r, g, b = _rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _lab(colour: str) -> tuple[float, float, float]:
    r, g, b = _rgb(colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _hex(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return f"{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def _generated() -> Iterator[str]:
    """Endless dark colours: hues a golden angle apart, in three saturations and lightnesses."""
    for k in itertools.count():
        hue, saturation, lightness = (0.05 + k * _GOLDEN) % 1.0, (0.75, 0.55, 0.9)[k % 3], (0.32, 0.22, 0.27)[k // 3 % 3]
        colour = _hex(hue, lightness, saturation)
        while 1.05 / (_luminance(colour) + 0.05) < _MIN_CONTRAST:
            lightness *= 0.95
            colour = _hex(hue, lightness, saturation)
        yield colour


def focus_area_colours(areas: Iterable[FocusArea]) -> dict[str, str]:
    """Each focus area's colour as ``RRGGBB``: its own ``färg``, else a default no other area has.

    The defaults are the ten of :data:`DEFAULT_PALETTE`, then generated ones; each is clearly
    different from every colour given before it and takes white text at 4.5:1 or more.
    """
    areas = list(areas)
    taken = [_lab(a.colour.lstrip("#").upper()) for a in areas if a.colour]
    candidates = itertools.chain(DEFAULT_PALETTE, _generated())
    tries = 0
    colours: dict[str, str] = {}
    for area in areas:
        if area.colour:
            colours[area.name] = area.colour.lstrip("#").upper()
            continue
        for candidate in candidates:
            tries += 1
            # Clearly different while that is possible; with hundreds of areas, merely different.
            distance = 12.0 if tries < 200 else 6.0 if tries < 1000 else 0.5
            lab = _lab(candidate)
            if all(math.dist(lab, other) >= distance for other in taken):
                taken.append(lab)
                colours[area.name] = candidate
                break
    return colours


def strategy_kind(strategy: Strategy) -> dict[str, str]:
    """What the strategy is, in the forms running text needs: ``typ`` (``miljöstrategi``),
    ``typ_bestämd`` (``miljöstrategin``) and ``typ_genitiv`` (``miljöstrategins``)."""
    return {
        "typ": strategy.kind_name(),
        "typ_bestämd": strategy.kind_definite_name(),
        "typ_genitiv": strategy.kind_genitive_name(),
    }


def _kronor(amount: Decimal | None) -> str:
    return format_kronor(amount) if amount is not None else EMPTY


def _sum(amounts: Iterable[Decimal | None]) -> Decimal | None:
    present = [a for a in amounts if a is not None]
    return sum(present, Decimal(0)) if present else None


def _activity(activity: Activity) -> dict[str, str]:
    start = format_date(activity.start) if activity.start else None
    end = format_date(activity.end) if activity.end else None
    if start and end:
        period = format_range(start, end)
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
    objectives = sorted(
        (g for g in (resolve_environmental_objective(n) for n in measure.environmental_objectives) if g is not None),
        key=lambda g: g.number,
    )
    goals = sorted(
        {g.number: g for g in (resolve_global_goal(n) for n in measure.global_goals) if g is not None}.values(),
        key=lambda g: g.number,
    )
    responsible = sorted_swedish(measure.responsible)
    activities = [_activity(a) for a in measure.activities]
    return {
        "id": measure.id,
        "rubrik": measure.title,
        "etiketter": Labels(tuple(Label(name, colours.get(name, DEFAULT_PALETTE[0])) for name in measure.focus_areas)),
        "fokusområden": list(measure.focus_areas),
        "fokusområden_text": format_list(measure.focus_areas),
        "beskrivning": parse(measure.description, min_heading=3, max_heading=3),
        "ansvariga": responsible,
        "ansvariga_text": format_list(responsible),
        "miljökvalitetsmål": [g.name for g in dict.fromkeys(objectives)],
        "globala_mål": [f"{g.number}. {g.name}" for g in goals],
        "aktiviteter": activities,
        "kostnad": _kronor(_sum(a.cost for a in measure.activities)),
    }


def build_context(plan: Plan, *, draft: bool = False) -> dict[str, Any]:
    """The template variables of a handlingsplan (see docs/templates.md); ``draft`` marks an utkast."""
    meta = plan.metadata
    colours = focus_area_colours(plan.focus_areas())
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
        "metadata": {
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
        },
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
        "aktivitetslista": [{"åtgärd": f"{m['id']}. {m['rubrik']}", "aktiviteter": m["aktiviteter"]} for m in measures],
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
