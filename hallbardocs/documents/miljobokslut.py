"""The environmental accounts (miljöbokslut): what the follow-up of a plan shows, as a pure context builder.

:func:`build_context` turns a :class:`~hallbardocs.analysis.FollowUpAnalysis` into the variables
listed in docs/templates.md: every figure counted from the data, formatted in Swedish, and every
status shown with its symbol, its word and its colour. Charts are drawn by
:mod:`hallbardocs.charts` and put in the context as images with alt text; ``charts=False`` leaves
them out (``""``). It does no I/O and knows nothing of Word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from hallbardocs.analysis import ActivityResult, FollowUpAnalysis, IndicatorResult, MeasureResult
from hallbardocs.content import DocumentProperties, Image, Label, Labels
from hallbardocs.documents.handlingsplan import DEFAULT_PALETTE, EMPTY, focus_area_colours, strategy_kind
from hallbardocs.formatting import (
    format_compact_list,
    format_date,
    format_integer,
    format_list,
    format_long_date,
    format_number,
    format_percent,
    format_range,
    format_year,
)
from hallbardocs.model.followup import NOT_REPORTED, StatusLevel
from hallbardocs.model.vocabularies import Goal, resolve_environmental_objective, resolve_global_goal

if TYPE_CHECKING:
    from hallbardocs.charts import Chart

__all__ = ["KIND", "build_context", "document_properties", "status_sentence"]

KIND = "miljobokslut"
DOCUMENT_TYPE = "Miljöbokslut"


# ------------------------------------------------------------------------------------- statuses


def _fill(level: StatusLevel) -> str:
    return level.colour.lstrip("#").upper()


def _status_text(level: StatusLevel) -> str:
    """``"✔ Genomförd"``: the symbol and the word, so the status reads without colour."""
    return f"{level.symbol} {level.name}"


def _status_label(level: StatusLevel) -> Labels:
    """The status as a shaded label in the level's colour: ``✔ Genomförd``."""
    return Labels((Label(_status_text(level), _fill(level)),))


# How each category is said about n measures or activities, as (verb, complement singular, plural):
# "är 5 genomförda", "7 pågår", "har 2 inte påbörjats".
_PHRASES: dict[str, tuple[str, str, str]] = {
    "genomförd": ("är", "genomförd", "genomförda"),
    "pågår": ("pågår", "", ""),
    "ej_påbörjad": ("har", "inte påbörjats", "inte påbörjats"),
    "avbruten": ("har", "avbrutits", "avbrutits"),
    "ej_relevant": ("är", "inte relevant", "inte relevanta"),
    "ej_rapporterad": ("har", "inte rapporterats", "inte rapporterats"),
    "inga_aktiviteter": ("har", "inga aktiviteter", "inga aktiviteter"),
}


def _category_counts(levels: Iterable[StatusLevel]) -> dict[str, int]:
    """Count per category, with "Ej rapporterad" as a category of its own (``ej_rapporterad``)."""
    counts = Counter("ej_rapporterad" if level is NOT_REPORTED else level.category for level in levels)
    return {category: counts[category] for category in _PHRASES if counts[category]}


def status_sentence(counts: dict[str, int], singular: str, plural: str) -> str:
    """One sentence saying how many of the measures (or activities) are in each category.

    ``counts`` maps a category (``genomförd``, ``pågår``, ``ej_påbörjad``, ``avbruten``,
    ``ej_relevant``, ``ej_rapporterad`` or ``inga_aktiviteter``) to a number; zeros are left out.

    >>> status_sentence({"genomförd": 5, "pågår": 7, "ej_påbörjad": 2}, "åtgärd", "åtgärder")
    'Av 14 åtgärder är 5 genomförda, 7 pågår och 2 har inte påbörjats.'
    >>> status_sentence({"genomförd": 0, "pågår": 1, "avbruten": 1}, "åtgärd", "åtgärder")
    'Av 2 åtgärder pågår 1 och 1 har avbrutits.'
    >>> status_sentence({"genomförd": 3}, "aktivitet", "aktiviteter")
    'Alla 3 aktiviteter är genomförda.'
    >>> status_sentence({"genomförd": 2, "inga_aktiviteter": 1}, "åtgärd", "åtgärder")
    'Av 3 åtgärder är 2 genomförda och 1 har inga aktiviteter.'
    """
    present = [(category, n) for category, n in counts.items() if n > 0 and category in _PHRASES]
    total = sum(n for _, n in present)
    if total == 0:
        return f"Det finns inga {plural} att redovisa."
    if len(present) == 1 and total > 1:
        verb, _, complement = _PHRASES[present[0][0]]
        return " ".join(w for w in ("Alla", str(total), plural, verb, complement) if w) + "."
    clauses = []
    for i, (category, n) in enumerate(present):
        verb, one, many = _PHRASES[category]
        complement = one if n == 1 else many
        words = (verb, format_integer(n), complement) if i == 0 else (format_integer(n), verb, complement)
        clauses.append(" ".join(w for w in words if w))
    noun = singular if total == 1 else plural
    return f"Av {format_integer(total)} {noun} {format_list(clauses)}."


def _share(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else EMPTY


# --------------------------------------------------------------------------------------- charts


def _image(chart: Chart) -> Image:
    return Image(source=chart.png, width_mm=chart.width_mm, alt_text=chart.alt_text)


def _status_chart(counts: dict[str, int], levels: Sequence[StatusLevel], title: str) -> Image:
    from hallbardocs.charts import status_chart

    rows = [(lv.name, counts.get(lv.name, 0), lv.colour, lv.symbol) for lv in levels]
    return _image(status_chart(rows, title))


def _indicator_chart(result: IndicatorResult, municipality: str) -> Image:
    from hallbardocs.charts import indicator_chart

    # The document prints the source credit as text under the chart, so not also in the picture.
    return _image(indicator_chart(result.indicator, result, series_name=municipality, source_caption=False))


# ------------------------------------------------------------------------------------ summary


def _summary(analysis: FollowUpAnalysis, charts: bool) -> dict[str, Any]:
    levels = analysis.levels()
    measures, activities = analysis.measure_counts(), analysis.activity_counts()
    n_measures, n_activities = sum(measures.values()), sum(activities.values())
    measure_categories: dict[str, int] = {str(c): n for c, n in analysis.category_counts().items()}
    measure_categories["ej_rapporterad"] = sum(1 for m in analysis.measures if m.status is NOT_REPORTED)
    measure_categories["inga_aktiviteter"] = analysis.without_activities
    activity_levels = [a.status for m in analysis.measures for a in m.activities]
    rows = [
        {
            "status": _status_label(level),
            "status_text": _status_text(level),
            "åtgärder": format_integer(measures[level.name]),
            "åtgärder_andel": _share(measures[level.name], n_measures),
            "aktiviteter": format_integer(activities[level.name]),
            "aktiviteter_andel": _share(activities[level.name], n_activities),
        }
        for level in levels
    ]
    return {
        "mening": status_sentence(measure_categories, "åtgärd", "åtgärder"),
        "aktivitetsmening": status_sentence(_category_counts(activity_levels), "aktivitet", "aktiviteter"),
        "antal_åtgärder": format_integer(n_measures),
        "antal_aktiviteter": format_integer(n_activities),
        "ej_rapporterade": format_integer(analysis.not_reported),
        "tabell": rows,
        "diagram_åtgärder": _status_chart(measures, levels, "Åtgärdernas status") if charts else "",
        "diagram_aktiviteter": _status_chart(activities, levels, "Aktiviteternas status") if charts else "",
    }


# ----------------------------------------------------------------------------- focus areas


def _status_counts_labels(measures: Sequence[MeasureResult], levels: Sequence[StatusLevel]) -> tuple[Labels, str]:
    """``2 ✔ Genomförd``, ``1 ◐ Pågår`` as labels (statuses with no measure left out), and as text."""
    counts = Counter(m.status.name for m in measures)
    present = [(level, counts[level.name]) for level in levels if counts[level.name]]
    labels = Labels(tuple(Label(f"{n}\u00a0{level.symbol}\u00a0{level.name}", _fill(level)) for level, n in present))
    text = format_compact_list([f"{n} {_status_text(level)}" for level, n in present])
    return labels, text or EMPTY


def _priorities(analysis: FollowUpAnalysis, colours: dict[str, str]) -> list[dict[str, Any]]:
    levels = analysis.levels()
    priorities: dict[str, dict[str, Any]] = {}
    for area in analysis.areas:
        entry = priorities.setdefault(area.priority.name, {"namn": area.priority.name, "fokusområden": []})
        labels, text = _status_counts_labels(area.measures, levels)
        entry["fokusområden"].append(
            {
                "namn": area.area.name,
                "etikett": Labels((Label(area.area.name, colours[area.area.name]),)),
                "antal_åtgärder": format_integer(len(area.measures)),
                "åtgärder_text": format_compact_list([m.measure.id for m in area.measures]) or EMPTY,
                "status": labels,
                "status_text": text,
            }
        )
    return list(priorities.values())


# ------------------------------------------------------------------------------------ measures


def _activity(result: ActivityResult) -> dict[str, Any]:
    reported = result.report is not None
    comment = result.report.comment if result.report is not None and result.report.comment else None
    return {
        "id": result.id,
        "enhet": result.activity.unit,
        "aktivitet": result.activity.text,
        "status": _status_label(result.status),
        "status_text": _status_text(result.status),
        "rapporterad": reported,
        "kommentar": comment if comment else (EMPTY if reported else NOT_REPORTED.description or EMPTY),
    }


def _measure(result: MeasureResult, colours: dict[str, str]) -> dict[str, Any]:
    measure = result.measure
    return {
        "id": measure.id,
        "rubrik": measure.title,
        "rubrik_nummer": f"{measure.id}. {measure.title}",
        "status": _status_label(result.status),
        "status_text": _status_text(result.status),
        "status_namn": result.status.name,
        "etiketter": Labels(tuple(Label(name, colours.get(name, DEFAULT_PALETTE[0])) for name in measure.focus_areas)),
        "fokusområden_text": format_list(measure.focus_areas),
        "aktiviteter": [_activity(a) for a in result.activities],
        "kommentar": result.comment.strip() if result.comment and result.comment.strip() else "",
        "avviker": result.deviates,
    }


# ---------------------------------------------------------------------------------- indicators


_TRENDS = {
    "förbättras": "Utvecklingen förbättras",
    "försämras": "Utvecklingen försämras",
    "oförändrad": "Utvecklingen är oförändrad",
    "okänd": "Utvecklingen kan inte bedömas, eftersom det finns för få värden",
}
_VERDICTS = {"bättre": "Bättre än", "sämre": "Sämre än", "lika": "I nivå med"}


def _with_unit(value: float, unit: str) -> str:
    return f"{format_number(value)}\u00a0{unit}" if unit else format_number(value)


def _values_text(values: dict[int, float | None]) -> str:
    """``2019: 71 263, 2020: uppgift saknas, 2021: 64 880``."""
    parts = [
        f"{format_year(year)}: {format_number(value) if value is not None else 'uppgift saknas'}"
        for year, value in sorted(values.items())
    ]
    return ", ".join(parts) or EMPTY


def _comparison_text(result: IndicatorResult, name: str, verdict: str) -> str:
    indicator = result.indicator
    series = indicator.comparisons.get(name, {})
    common = sorted(y for y, v in indicator.values.items() if v is not None and series.get(y) is not None)
    if verdict not in _VERDICTS or not common:
        return f"Kan inte jämföras med {name}: det finns inga värden för samma år"
    year = common[-1]
    ours, theirs = indicator.values[year], series[year]
    assert ours is not None and theirs is not None
    return (
        f"{_VERDICTS[verdict]} {name} år {format_year(year)}: "
        f"{format_number(ours)} mot {_with_unit(theirs, indicator.unit)}"
    )


def _target_text(result: IndicatorResult) -> str:
    target = result.indicator.target
    if target is None:
        return EMPTY
    bound = "högst" if result.indicator.better == "lägre" else "minst"
    goal = f"{bound.capitalize()} {_with_unit(target.value, result.indicator.unit)} år {format_year(target.year)}"
    if result.target_met is None:
        return f"{goal}. Det går inte att bedöma om målet är nått."
    return f"{goal}. {'Målet är nått.' if result.target_met else 'Målet är inte nått.'}"


def _source_credit(source: str | None) -> str:
    """``Källa: Kolada`` for Kolada data (RKA's terms of use), else ``Källa: <source>``; ``""`` without one."""
    if not source or not source.strip():
        return ""
    source = source.strip()
    if "kolada" in source.casefold() and not source.casefold().startswith("egen bearbetning"):
        return "Källa: Kolada"
    return f"Källa: {source}"


def _indicator(result: IndicatorResult, municipality: str, charts: bool) -> dict[str, Any]:
    indicator = result.indicator
    years = sorted(y for y, v in indicator.values.items() if v is not None)
    latest = (
        f"{_with_unit(result.latest_value, indicator.unit)} år {format_year(result.latest_year)}"
        if result.latest_value is not None and result.latest_year is not None
        else "Det finns inget värde"
    )
    trend = _TRENDS.get(result.trend, _TRENDS["okänd"])
    if result.trend != "okänd" and len(years) >= 2:
        trend += f" ({format_range(format_year(years[0]), format_year(years[-1]))})"
    comparisons = [
        {"namn": name, "text": _comparison_text(result, name, verdict)} for name, verdict in result.comparison.items()
    ]
    rows = [
        {"rubrik": "Senaste värde", "text": latest},
        {"rubrik": "Utveckling", "text": trend},
        *({"rubrik": f"Jämfört med {c['namn']}", "text": c["text"]} for c in comparisons),
        {"rubrik": "Mål", "text": _target_text(result)},
        {"rubrik": "Värden", "text": _values_text(indicator.values)},
    ]
    met = {True: "Ja", False: "Nej", None: EMPTY}[result.target_met]
    return {
        "id": indicator.id,
        "namn": indicator.name,
        "enhet": indicator.unit,
        "diagram": _indicator_chart(result, municipality) if charts else "",
        "källa": _source_credit(indicator.source),
        "senaste": latest,
        "utveckling": trend,
        "jämförelser": comparisons,
        "mål": _target_text(result),
        "mål_uppfyllt": met,
        "rader": rows,
        "kommentar": indicator.note.strip() if indicator.note and indicator.note.strip() else "",
    }


# ------------------------------------------------------------------------------------- goals


def _goal_rows(measures: Sequence[MeasureResult], goals_of: Any, label: Any) -> list[dict[str, str]]:
    served: dict[int, tuple[Goal, list[str]]] = {}
    for result in measures:
        for goal in goals_of(result):
            entry = served.setdefault(goal.number, (goal, []))
            title = f"{result.measure.id}. {result.measure.title}"
            if title not in entry[1]:
                entry[1].append(title)
    return [
        {"mål": label(goal), "åtgärder": "\n".join(titles), "antal": format_integer(len(titles))}
        for goal, titles in (served[n] for n in sorted(served))
    ]


def _objectives(result: MeasureResult) -> list[Goal]:
    found = (resolve_environmental_objective(name) for name in result.measure.environmental_objectives)
    return [g for g in found if g is not None]


def _global_goals(result: MeasureResult) -> list[Goal]:
    found = (resolve_global_goal(ref) for ref in result.measure.global_goals)
    return [g for g in found if g is not None]


# ------------------------------------------------------------------------------------- context


def build_context(analysis: FollowUpAnalysis, *, charts: bool = True, draft: bool = False) -> dict[str, Any]:
    """The template variables of a miljöbokslut (see docs/templates.md); ``draft`` marks an utkast."""
    plan, followup = analysis.plan, analysis.followup
    period = followup.period
    year = format_year(period.year)
    title = f"{DOCUMENT_TYPE} {year}"
    period_text = f"{period.label}, per {format_long_date(period.as_of)}"
    committee = followup.committee
    date = committee.date if committee is not None else period.as_of
    colours = focus_area_colours(analysis.plan.focus_areas())
    logo = plan.municipality.logo
    return {
        "utkast": draft,
        "titel": title,
        "år": year,
        "kommun": {
            "namn": plan.municipality.name,
            "logotyp": Image(logo, 40, f"{plan.municipality.name}s logotyp") if logo is not None else "",
        },
        "period": {
            "namn": period.label,
            "typ": period.kind,
            "per": format_long_date(period.as_of),
            "per_datum": format_date(period.as_of),
            "text": period_text,
        },
        "underlag": plan.metadata.document_name,
        "strategi": {"namn": plan.strategy.name or "", **strategy_kind(plan.strategy)},
        "metadata": {
            "dokumentnamn": title,
            "dokumenttyp": DOCUMENT_TYPE,
            "omfattar": plan.metadata.covers.strip()
            if plan.metadata.covers and plan.metadata.covers.strip()
            else EMPTY,
            "period": period_text,
            "underlag": plan.metadata.document_name,
            "statusskala": analysis.scale.name,
            "datum": format_date(date),
        },
        "statusskala": {
            "namn": analysis.scale.name,
            "nivåer": [
                {
                    "namn": level.name,
                    "kod": level.code or "",
                    "symbol": level.symbol,
                    "färg": _fill(level),
                    "etikett": _status_label(level),
                    "status_text": _status_text(level),
                    "beskrivning": level.description or EMPTY,
                }
                for level in analysis.levels()
            ],
        },
        "sammanfattning": _summary(analysis, charts),
        "prioriteringar": _priorities(analysis, colours),
        "åtgärder": [_measure(m, colours) for m in analysis.measures],
        "indikatorer": [_indicator(r, plan.municipality.name, charts) for r in analysis.indicators],
        "miljökvalitetsmål": _goal_rows(analysis.measures, _objectives, lambda g: g.name),
        "globala_mål": _goal_rows(analysis.measures, _global_goals, lambda g: f"{g.number}. {g.name}"),
    }


def document_properties(analysis: FollowUpAnalysis) -> DocumentProperties:
    """Title, author, subject and keywords for the document's properties."""
    plan, period = analysis.plan, analysis.followup.period
    focus_areas = (a.name for a in plan.focus_areas())
    return DocumentProperties(
        title=f"{DOCUMENT_TYPE} {format_year(period.year)}",
        author=plan.municipality.name,
        subject=f"Uppföljning av {plan.metadata.document_name}, {period.label.lower()}",
        keywords=(DOCUMENT_TYPE, "uppföljning", plan.strategy.kind_name(), *focus_areas),
    )
