"""The environmental accounts (miljöbokslut): what the follow-up of a plan shows, as a pure context builder.

:func:`build_context` turns a :class:`~hallbardocs.analysis.FollowUpAnalysis` into the variables
listed in docs/templates.md: every figure counted from the data, formatted in Swedish, and every
status shown with its symbol, its word and its colour. The charts are a stage of their own
(:func:`hallbardocs.charts.draw`); the context builder receives them and puts them in the context as
images with alt text; without them (``None``) the chart variables are ``""``. It does no I/O, draws
nothing and knows nothing of Word.

Every count is in the context twice: formatted for reading (``"14"``) and as a number for a
template's conditions and the formatting filters (``sammanfattning.tal.åtgärder``, ``14``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hallbardocs.analysis import ActivityResult, FollowUpAnalysis, IndicatorResult, MeasureResult, Trend, Verdict
from hallbardocs.content import DocumentProperties, Image, Label, Labels
from hallbardocs.documents.handlingsplan import EMPTY, area_colours, strategy_kind
from hallbardocs.documents.wording import (
    compares_with_others,
    series_decimals,
    series_in_text,
    status_sentence,
    status_text,
    unit_text,
)
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
from hallbardocs.model.followup import NOT_REPORTED, Indicator, StatusLevel
from hallbardocs.model.vocabularies import Goal

if TYPE_CHECKING:
    from hallbardocs.charts import Chart, Charts

__all__ = ["KIND", "build_context", "document_properties", "figure_name", "status_sentence"]

KIND = "miljobokslut"
DOCUMENT_TYPE = "Miljöbokslut"


# ------------------------------------------------------------------------------------- statuses


def _fill(level: StatusLevel) -> str:
    return level.colour.lstrip("#").upper()


STATUS_LABEL_STYLE = "Statusetikett"
"""The character style of a status label, its own so a municipality restyles statuses apart from
focus areas (a template without it shows them as ``Fokusområdesetikett``)."""


def _status_text(level: StatusLevel) -> str:
    """``"● Genomförd"``: the symbol and the word, so the status reads without colour."""
    return status_text(level)


def _status_label(level: StatusLevel) -> Labels:
    """The status as a shaded label in the level's colour: ``● Genomförd``."""
    return Labels((Label(_status_text(level), _fill(level)),), style=STATUS_LABEL_STYLE)


def _share(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else EMPTY


# --------------------------------------------------------------------------------------- charts


def _image(chart: Chart) -> Image:
    return Image(source=chart.png, width_mm=chart.width_mm, alt_text=chart.alt_text)


# ------------------------------------------------------------------------------------ summary


def _summary(analysis: FollowUpAnalysis, charts: Charts | None) -> dict[str, Any]:
    levels = analysis.levels()
    measures, activities = analysis.measure_counts(), analysis.activity_counts()
    n_measures, n_activities = len(analysis.measures), len(analysis.activities)
    rows = [
        {
            "status": _status_label(level),
            "status_text": _status_text(level),
            "åtgärder": format_integer(measures[level.name]),
            "åtgärder_andel": _share(measures[level.name], n_measures),
            "aktiviteter": format_integer(activities[level.name]),
            "aktiviteter_andel": _share(activities[level.name], n_activities),
            "tal": {"åtgärder": measures[level.name], "aktiviteter": activities[level.name]},
        }
        for level in levels
    ]
    return {
        "mening": status_sentence(analysis.measure_buckets(), "åtgärd", "åtgärder"),
        "aktivitetsmening": status_sentence(analysis.activity_buckets(), "aktivitet", "aktiviteter"),
        "antal_åtgärder": format_integer(n_measures),
        "antal_aktiviteter": format_integer(n_activities),
        "ej_rapporterade": format_integer(analysis.not_reported),
        "tal": {"åtgärder": n_measures, "aktiviteter": n_activities, "ej_rapporterade": analysis.not_reported},
        "tabell": rows,
        "diagram_åtgärder": _image(charts.measures) if charts is not None else "",
        "diagram_aktiviteter": _image(charts.activities) if charts is not None else "",
    }


# ----------------------------------------------------------------------------- focus areas


def _status_counts_labels(counts: dict[str, int], levels: Sequence[StatusLevel]) -> tuple[Labels, str]:
    """``2 ● Genomförd``, ``1 ► Pågår`` as labels (statuses with no measure left out), and as text."""
    present = [(level, counts[level.name]) for level in levels if counts.get(level.name)]
    labels = Labels(
        tuple(Label(f"{n}\u202f{level.symbol}\u202f{level.name}", _fill(level)) for level, n in present),
        style=STATUS_LABEL_STYLE,
    )
    text = format_compact_list([f"{n} {_status_text(level)}" for level, n in present])
    return labels, text or EMPTY


def _priorities(analysis: FollowUpAnalysis, colours: dict[str, str]) -> list[dict[str, Any]]:
    levels = analysis.levels()
    priorities: dict[str, dict[str, Any]] = {}
    for area in analysis.areas:
        entry = priorities.setdefault(area.priority.name, {"namn": area.priority.name, "fokusområden": []})
        labels, text = _status_counts_labels(area.counts, levels)
        entry["fokusområden"].append(
            {
                "namn": area.area.name,
                "etikett": Labels((Label(area.area.name, colours[area.area.name]),)),
                "antal_åtgärder": format_integer(len(area.measures)),
                "tal": {"åtgärder": len(area.measures)},
                "åtgärder_text": format_compact_list([m.measure.id for m in area.measures]) or EMPTY,
                "status": labels,
                "status_text": text,
            }
        )
    return list(priorities.values())


# ------------------------------------------------------------------------------------ measures


def figure_name(key: str) -> str:
    """A key figure's name as a reader sees it: ``antal_bilar`` -> ``Antal bilar``.

    >>> figure_name("antal_bilar"), figure_name("CO2_ton")
    ('Antal bilar', 'CO2 ton')
    """
    text = " ".join(key.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def _figures(result: ActivityResult) -> list[dict[str, Any]]:
    """The activity's key figures (``värden``): name, formatted value and the number itself."""
    return [
        {"namn": figure_name(name), "värde": format_number(value), "tal": value}
        for name, value in result.figures.items()
    ]


def _activity(result: ActivityResult) -> dict[str, Any]:
    reported = result.report is not None
    figures = _figures(result)
    comment = result.report.comment if result.report is not None and result.report.comment else None
    return {
        "id": result.id,
        "enhet": result.activity.unit,
        "aktivitet": result.activity.text,
        "status": _status_label(result.status),
        "status_text": _status_text(result.status),
        "rapporterad": reported,
        "kommentar": comment if comment else (EMPTY if reported else NOT_REPORTED.description or EMPTY),
        "värden": figures,
        "värden_text": ", ".join(f"{f['namn']}: {f['värde']}" for f in figures),
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
        "etiketter": Labels(tuple(Label(name, colours[name]) for name in measure.focus_areas)),
        "fokusområden_text": format_list(measure.focus_areas),
        "aktiviteter": [_activity(a) for a in result.activities],
        "värden": [
            {"id": a.id, "enhet": a.activity.unit, "aktivitet": a.activity.text, **figure}
            for a in result.activities
            for figure in _figures(a)
        ],
        "kommentar": result.comment.strip() if result.comment and result.comment.strip() else "",
        "avviker": result.deviates,
    }


# ---------------------------------------------------------------------------------- indicators


_TRENDS = {
    Trend.IMPROVING: "Utvecklingen förbättras",
    Trend.WORSENING: "Utvecklingen försämras",
    Trend.UNCHANGED: "Utvecklingen är oförändrad",
    Trend.UNKNOWN: "Utvecklingen kan inte bedömas, eftersom det finns för få värden",
}
_VERDICTS = {Verdict.BETTER: "Bättre än", Verdict.WORSE: "Sämre än", Verdict.EQUAL: "I nivå med"}


MISSING_VALUE = "saknas"
"""What a cell of the table of years says for a year without a value."""


def _with_unit(text: str, unit: str) -> str:
    """A formatted number and its unit, with a no-break space: ``46,0 %``, ``424 kg/invånare``."""
    unit = unit_text(unit)
    return f"{text}\u00a0{unit}" if unit else text


class _Numbers:
    """How an indicator's numbers are written: each series with its own decimals (its most precise
    value's), the unit as :func:`~hallbardocs.documents.wording.unit_text` says it."""

    def __init__(self, indicator: Indicator, compared: bool) -> None:
        self.unit = indicator.unit
        self.series: dict[str, dict[int, float | None]] = {"": indicator.values}
        if compared:
            self.series.update(indicator.comparisons)
        self.decimals = {name: series_decimals(values.values()) for name, values in self.series.items()}

    def number(self, value: float, series: str = "") -> str:
        return format_number(value, self.decimals.get(series, 0))

    def amount(self, value: float, series: str = "") -> str:
        return _with_unit(self.number(value, series), self.unit)


def _years_table(numbers: _Numbers, municipality: str) -> dict[str, Any]:
    """The values as a table of years: a row per year, a column per series (the municipality first)."""
    names = list(numbers.series)
    years = sorted({year for values in numbers.series.values() for year in values})
    return {
        "serier": [{"namn": name or municipality} for name in names],
        "rader": [
            {
                "år": format_year(year),
                "värden": [
                    numbers.number(value, name)
                    if (value := numbers.series[name].get(year)) is not None
                    else MISSING_VALUE
                    for name in names
                ],
            }
            for year in years
        ],
    }


def _comparison_text(result: IndicatorResult, index: int, numbers: _Numbers) -> str:
    comparison = result.comparisons[index]
    name = series_in_text(comparison.name)
    if comparison.verdict not in _VERDICTS or comparison.year is None:
        return f"Kan inte jämföras med {name}: det finns inga värden för samma år"
    assert comparison.ours is not None and comparison.theirs is not None
    return (
        f"{_VERDICTS[comparison.verdict]} {name} år {format_year(comparison.year)}: "
        f"{numbers.number(comparison.ours)} mot {numbers.amount(comparison.theirs, comparison.name)}"
    )


NOT_COMPARED = (
    "Jämförs inte med andra kommuner: värdet är en total för hela kommunen ({}) och beror på kommunens storlek."
)
"""Said instead of the comparisons of an indicator whose unit is an absolute total."""


def _target_text(result: IndicatorResult) -> str:
    target = result.indicator.target
    if target is None:
        return EMPTY
    bound = "högst" if result.indicator.better == "lägre" else "minst"
    goal = f"{bound.capitalize()} {_with_unit(format_number(target.value), result.indicator.unit)} år {format_year(target.year)}"
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


def _indicator(result: IndicatorResult, chart: Chart | None, municipality: str) -> dict[str, Any]:
    indicator = result.indicator
    compared = compares_with_others(indicator.unit)
    numbers = _Numbers(indicator, compared)
    years = result.years
    latest = (
        f"{numbers.amount(result.latest_value)} år {format_year(result.latest_year)}"
        if result.latest_value is not None and result.latest_year is not None
        else "Det finns inget värde"
    )
    trend = _TRENDS[result.trend]
    if result.trend is not Trend.UNKNOWN and len(years) >= 2:
        trend += f" ({format_range(format_year(years[0]), format_year(years[-1]))})"
    comparisons = (
        [{"namn": c.name, "text": _comparison_text(result, i, numbers)} for i, c in enumerate(result.comparisons)]
        if compared
        else []
    )
    not_compared = NOT_COMPARED.format(unit_text(indicator.unit)) if indicator.comparisons and not compared else ""
    rows = [
        {"rubrik": "Senaste värde", "text": latest},
        {"rubrik": "Utveckling", "text": trend},
        *({"rubrik": f"Jämfört med {series_in_text(c['namn'])}", "text": c["text"]} for c in comparisons),
        *([{"rubrik": "Jämförelse", "text": not_compared}] if not_compared else []),
        {"rubrik": "Mål", "text": _target_text(result)},
    ]
    met = {True: "Ja", False: "Nej", None: EMPTY}[result.target_met]
    return {
        "id": indicator.id,
        "namn": indicator.name,
        "enhet": unit_text(indicator.unit),
        "diagram": _image(chart) if chart is not None else "",
        "källa": _source_credit(indicator.source),
        "senaste": latest,
        "utveckling": trend,
        "jämförelser": comparisons,
        "jämförs": compared,
        "jämförs_inte": not_compared,
        "mål": _target_text(result),
        "mål_uppfyllt": met,
        "rader": rows,
        "tabell": _years_table(numbers, municipality),
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


def _objectives(result: MeasureResult) -> Sequence[Goal]:
    return result.measure.objectives


def _global_goals(result: MeasureResult) -> Sequence[Goal]:
    return result.measure.goals


# ------------------------------------------------------------------------------------- context


def _scale(analysis: FollowUpAnalysis) -> dict[str, Any]:
    """The scale's levels as the document explains them (with the two states outside every scale)."""
    return {
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
    }


def build_context(analysis: FollowUpAnalysis, charts: Charts | None = None, *, draft: bool = False) -> dict[str, Any]:
    """The template variables of a miljöbokslut (see docs/templates.md); ``draft`` marks an utkast.

    ``charts`` are the images of the charts stage (:func:`hallbardocs.charts.draw`); ``None`` leaves
    them out, as ``""``. The builder is pure: it draws nothing.
    """
    drawn = charts
    plan, followup = analysis.plan, analysis.followup
    period = followup.period
    year = format_year(period.year)
    title = f"{DOCUMENT_TYPE} {year}"
    period_text = f"{period.label}, per {format_long_date(period.as_of)}"
    committee = followup.committee
    date = committee.date if committee is not None else period.as_of
    colours = area_colours(plan)
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
        "statusskala": _scale(analysis),
        "sammanfattning": _summary(analysis, drawn),
        "prioriteringar": _priorities(analysis, colours),
        "åtgärder": [_measure(m, colours) for m in analysis.measures],
        "indikatorer": [
            _indicator(r, drawn.indicators[i] if drawn is not None else None, plan.municipality.name)
            for i, r in enumerate(analysis.indicators)
        ],
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
