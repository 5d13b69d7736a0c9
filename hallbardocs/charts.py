"""Charts for the follow-up documents: the status of the measures and each indicator over the years.

The only module of hallbardocs that imports matplotlib, and only inside the functions that draw, so
importing hallbardocs costs nothing. Figures are drawn on matplotlib's Agg canvas without pyplot
(no global figure registry); the style lives in an ``rc_context`` for the drawing only.

Every chart comes with an alt text, a Swedish sentence that says what the chart shows and the data
in words: a chart is never the only carrier of its figures (DOS-lagen, WCAG 1.1.1). Colour is never
the only signal either: a status bar carries its symbol and its word, each indicator series has its
own line style and marker as well as its own colour.

The PNG bytes are the same for the same input (no software tag or date in the file, a fixed dpi,
the DejaVu Sans font that matplotlib ships). Numbers on the axes are Swedish:

>>> axis_number(40000.0)
'40\u202f000'
>>> axis_number(-2.5)
'−2,5'
>>> axis_year(2026.0)
'2026'
"""

from __future__ import annotations

import dataclasses
import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from hallbardocs.documents.wording import compares_with_others, series_in_text, unit_text
from hallbardocs.formatting import format_integer, format_list, format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from hallbardocs.analysis import FollowUpAnalysis, IndicatorResult
    from hallbardocs.model.followup import Indicator, StatusLevel

__all__ = ["Chart", "Charts", "axis_number", "axis_year", "draw", "indicator_chart", "status_chart"]

DPI = 150
"""Pixels per inch of every chart: fixed so the bytes do not vary. The widest chart prints 15 cm
wide, 886 pixels: print quality at that size (more only costs drawing time)."""

_PNG_COMPRESSION = 1
"""zlib's fastest level: a tenth larger than its default, in a .docx that zips it again anyway, and
a quarter of the encoding time."""

STATUS_WIDTH_MM = 120.0
INDICATOR_WIDTH_MM = 150.0
INDICATOR_HEIGHT_MM = 75.0

_MM_PER_INCH = 25.4
_NBSP = "\xa0"
_THIN_NBSP = "\u202f"  # narrow no-break space: the thin grouping space of typeset numbers
_TEXT = "#1F1F1F"
_GRID = "#D9D9D9"
_MUNICIPALITY_STYLE = ("#1F4E79", "-", "o")
# Comparison series: colour, line style and marker all differ, so a series is known without colour.
_COMPARISON_STYLES = (
    ("#B26A00", "--", "s"),
    ("#5F6B73", ":", "^"),
    ("#7B1FA2", "-.", "D"),
    ("#00695C", (0, (5, 1, 1, 1, 1, 1)), "v"),
    ("#8D4B2F", (0, (1, 2)), "P"),
)
_TARGET_COLOUR = "#2E7D32"
# How many characters fit on a line, in DejaVu Sans at each text's size, with room to spare (matplotlib
# does not wrap): a title across the indicator chart, a legend entry in a two-column legend, the unit
# along the value axis, a status name beside its bar, a status chart's title, the source line.
_TITLE_CHARS = 60
_LEGEND_CHARS = 34
_UNIT_CHARS = 22
_STATUS_CHARS = 28
_STATUS_TITLE_CHARS = 50
_CAPTION_CHARS = 110

_STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    # DejaVu Sans ships with matplotlib (always there, so the output is the same everywhere) and has
    # every status symbol (● ► ▲ ○ × □ ◊); Liberation Sans only if DejaVu were removed.
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans"],
    "font.size": 8.5,
    "axes.edgecolor": "#595959",
    "axes.labelcolor": _TEXT,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.unicode_minus": True,
    "xtick.color": _TEXT,
    "ytick.color": _TEXT,
    "text.color": _TEXT,
    "legend.frameon": False,
    "svg.hashsalt": "hallbardocs",
    "path.simplify": False,
}


@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes, its alt text (a Swedish sentence with the data in words) and its width."""

    png: bytes
    alt_text: str
    width_mm: float


@dataclass(frozen=True)
class Charts:
    """Every chart of a miljöbokslut, drawn once by :func:`draw` and handed to the context builder."""

    measures: Chart
    """The measures' statuses."""
    activities: Chart
    """The activities' statuses."""
    indicators: tuple[Chart, ...]
    """One per indicator, in the analysis' order."""


def _status_rows(counts: dict[str, int], levels: Sequence[StatusLevel]) -> list[tuple[str, int, str, str]]:
    return [(lv.name, counts.get(lv.name, 0), lv.colour, lv.symbol) for lv in levels]


def draw(analysis: FollowUpAnalysis) -> Charts:
    """The charts stage: every chart a miljöbokslut shows, from the analysis.

    The indicator charts leave their title and the source credit out of the picture: the
    document's heading above the chart names the indicator, and the document prints the source
    as text under it (the alt text still names the indicator).
    """
    levels = analysis.levels()
    municipality = analysis.plan.municipality.name
    return Charts(
        measures=status_chart(_status_rows(analysis.measure_counts(), levels), "Åtgärdernas status"),
        activities=status_chart(_status_rows(analysis.activity_counts(), levels), "Aktiviteternas status"),
        indicators=tuple(
            indicator_chart(
                result.indicator,
                result,
                series_name=municipality,
                source_caption=False,
                title=False,
                compare=compares_with_others(result.indicator.unit),
            )
            for result in analysis.indicators
        ),
    )


# --- numbers on the axes -----------------------------------------------------------------------


def axis_number(value: float, pos: int | None = None) -> str:
    """A tick label on a value axis: Swedish decimal comma, thin no-break grouping space, real minus.

    ``pos`` is the tick's position, which matplotlib's ``FuncFormatter`` passes and we ignore.
    matplotlib passes NumPy floats, whose ``repr`` is not a number (``np.float64(0.45)``): the
    value is made a plain float first.
    """
    value = float(value)
    if not math.isfinite(value):
        return ""
    if value == int(value) and abs(value) < 1e15:
        text = format_integer(int(value))
    else:
        text = format_number(value)
    return text.replace(_NBSP, _THIN_NBSP)


def axis_year(value: float, pos: int | None = None) -> str:
    """A tick label on the year axis: the year as a whole number, never grouped (``2026``)."""
    value = float(value)
    return str(round(value)) if math.isfinite(value) else ""


def _wrapped(text: str, width: int) -> str:
    """Text broken into lines of at most ``width`` characters, at spaces (a long word stays whole):
    matplotlib never wraps, and a title, legend entry or axis label wider than the figure is cut
    off at its edge.

    >>> _wrapped("Hushållsavfall som samlats in för materialåtervinning", 30)
    'Hushållsavfall som samlats in\\nför materialåtervinning'
    """
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _literal(text: str) -> str:
    r"""User text as matplotlib shows it literally: two ``$`` would start its math mode (and a
    parse error), so each is escaped; matplotlib shows ``\$`` as ``$``.

    >>> _literal("Kostnad $ per $ invånare")
    'Kostnad \\$ per \\$ invånare'
    """
    return text.replace("$", r"\$")


# --- drawing, without touching matplotlib's global state -----------------------------------------


@contextmanager
def _figure(width_mm: float, height_mm: float) -> Iterator[Figure]:
    """A new figure on its own Agg canvas, drawn in our style; pyplot and its registry stay untouched."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(cast(Any, _STYLE)):  # the stubs want literal keys
        figure = Figure(figsize=(width_mm / _MM_PER_INCH, height_mm / _MM_PER_INCH), dpi=DPI)
        FigureCanvasAgg(figure)
        yield figure


def _png(figure: Figure) -> bytes:
    """The figure as PNG bytes, drawn once.

    ``tight_layout`` leaves a placeholder layout engine behind, and with any engine set
    ``savefig`` draws the whole figure a second time before it prints: the layout is done, so
    the engine goes first.
    """
    figure.set_layout_engine(None)
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        metadata={"Software": None},
        facecolor="white",
        pil_kwargs={"compress_level": _PNG_COMPRESSION},
    )
    return buffer.getvalue()


# --- the status of the measures ------------------------------------------------------------------


def status_chart(counts: Sequence[tuple[str, int, str, str]], title: str) -> Chart:
    """A horizontal bar chart of how many measures (or activities) have each status.

    ``counts`` holds (status name, count, colour ``#RRGGBB``, symbol) in the scale's order, most done
    first; zero counts are shown too. Each bar is labelled with its symbol, its name and its count.
    """
    rows = list(counts)
    names = [f"{symbol} {name}" for name, _, _, symbol in rows]
    values = [count for _, count, _, _ in rows]
    height_mm = 22.0 + 8.0 * max(len(rows), 1)
    with _figure(STATUS_WIDTH_MM, height_mm) as figure:
        ax = figure.add_subplot()
        positions = list(range(len(rows)))
        ax.barh(
            positions,
            values,
            color=[colour for _, _, colour, _ in rows],
            height=0.62,
            edgecolor="#404040",
            linewidth=0.4,
        )
        ax.set_yticks(positions, [_literal(_wrapped(n, _STATUS_CHARS)) for n in names])
        ax.invert_yaxis()  # the scale's first level on top
        top = max(values, default=0)
        ax.set_xlim(0, max(top, 1) * 1.15)
        for y, value in zip(positions, values, strict=True):
            ax.annotate(
                format_integer(value), (value, y), xytext=(4, 0), textcoords="offset points", va="center", ha="left"
            )
        _integer_axis(ax, top)
        ax.xaxis.grid(True, color=_GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        # The title spans the figure from its left edge, not the axes (which long status names
        # push to the right), so it is never cut off at the right edge.
        figure.suptitle(
            _literal(_wrapped(title, _STATUS_TITLE_CHARS)),
            x=0.01,
            ha="left",
            fontsize=_STYLE["axes.titlesize"],
            fontweight=_STYLE["axes.titleweight"],
        )
        figure.tight_layout()
        png = _png(figure)
    items = [f"{name} {format_integer(count)}" for name, count, _, _ in rows]
    total = sum(values)
    alt = f"Stapeldiagram: {title.rstrip('.')}. " + (
        f"{format_list(items)}, totalt {format_integer(total)}." if items else "Inga värden."
    )
    return Chart(png, alt, STATUS_WIDTH_MM)


def _integer_axis(ax: Axes, top: int) -> None:
    """Whole numbers on the count axis; fewer of them once they are wide (``12 000``), so they never touch."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto" if top < 1000 else 5, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(axis_number))


# --- an indicator over the years -----------------------------------------------------------------


def _draw_target(ax: Axes, year: int, value: float, above: bool) -> None:
    """The target as a dashed line across the chart, labelled at its right end."""
    label = f"Mål {year}: {axis_number(value)}"
    ax.axhline(value, color=_TARGET_COLOUR, linestyle=(0, (6, 3)), linewidth=1.4, label=label, zorder=1)
    ax.annotate(
        label,
        (1, value),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 3 if above else -3),
        textcoords="offset points",
        ha="right",
        va="bottom" if above else "top",
        color=_TARGET_COLOUR,
        fontweight="bold",
        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )


def indicator_chart(
    indicator: Indicator,
    result: IndicatorResult,
    *,
    series_name: str = "Kommunen",
    source_caption: bool = True,
    title: bool = True,
    compare: bool = True,
) -> Chart:
    """The indicator's values over the years, each comparison series, and the target as a dashed line.

    A missing value (``None``) is a gap in the line, never a zero. ``series_name`` names the
    municipality's own series in the legend. ``source_caption=False`` leaves the source credit out
    of the picture, for a document that prints it as text beside the chart; ``title=False`` leaves
    the indicator's name out, for a document whose heading above the chart says it. A long name,
    unit or series name is wrapped, never cut off at the figure's edge. ``compare=False`` leaves
    the comparison series out of the chart and its alt text, for an absolute total that means
    nothing beside other municipalities' (:func:`~hallbardocs.documents.wording.compares_with_others`).
    """
    if not compare:
        indicator = indicator.model_copy(update={"comparisons": {}})
        result = dataclasses.replace(result, indicator=indicator, comparison={}, comparisons=())
    from matplotlib.ticker import FuncFormatter

    series: list[tuple[str, dict[int, float | None], tuple[object, object, str]]] = [
        (series_name, indicator.values, _MUNICIPALITY_STYLE)
    ]
    for n, (name, values) in enumerate(indicator.comparisons.items()):
        series.append((name, values, _COMPARISON_STYLES[n % len(_COMPARISON_STYLES)]))
    years = sorted({y for _, values, _ in series for y in values})
    caption = _source_line(indicator.source) if source_caption else None

    with _figure(INDICATOR_WIDTH_MM, INDICATOR_HEIGHT_MM) as figure:
        ax = figure.add_subplot()
        for n, (name, values, (colour, linestyle, marker)) in enumerate(series):
            ys = [_nan_if_none(values.get(y)) for y in years]
            ax.plot(
                years,
                ys,
                label=_literal(name),
                color=colour,
                linestyle=linestyle,
                marker=marker,
                linewidth=2.2 if n == 0 else 1.5,
                markersize=5 if n == 0 else 4.5,
                zorder=3 if n == 0 else 2,
            )
        if indicator.target is not None:
            _draw_target(
                ax, indicator.target.year, indicator.target.value, _label_above(series, years, indicator.target.value)
            )
        plotted = [v for _, values, _ in series for v in values.values() if v is not None]
        if indicator.target is not None:
            plotted.append(indicator.target.value)
        if plotted and min(plotted) >= 0:
            ax.set_ylim(bottom=0)  # an honest scale: a line of positive values starts at zero
            ax.set_ylim(top=max(plotted) * 1.12 or 1)
        if years:
            ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        step = max(1, math.ceil(len(years) / 12))
        ax.set_xticks(years[::step] if years else [])
        ax.xaxis.set_major_formatter(FuncFormatter(axis_year))
        ax.yaxis.set_major_formatter(FuncFormatter(axis_number))
        ax.set_ylabel(_literal(_wrapped(unit_text(indicator.unit), _UNIT_CHARS)))
        ax.yaxis.grid(True, color=_GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if title:
            ax.set_title(_literal(_wrapped(indicator.name, _TITLE_CHARS)))
        _legend(ax)
        if caption:
            figure.text(
                0.01,
                0.01,
                _literal(_wrapped(caption, _CAPTION_CHARS)),
                ha="left",
                va="bottom",
                fontsize=7.5,
                color="#404040",
            )
        # A rect makes tight_layout lay out twice: only the caption needs one.
        figure.tight_layout(rect=(0, 0.04, 1, 1) if caption else None)
        png = _png(figure)
    return Chart(png, _indicator_alt_text(indicator, result, years), INDICATOR_WIDTH_MM)


def _legend(ax: Axes) -> None:
    """The series and the target under the chart, each entry wrapped, in as many columns as fit.

    An entry is at most ``_LEGEND_CHARS`` wide per line; four short entries (a municipality's
    name, ``Riket``) share a row, long ones go two or three to a row, so the legend is never
    wider than the chart.
    """
    handles, labels = ax.get_legend_handles_labels()
    labels = [_wrapped(label, _LEGEND_CHARS) for label in labels]
    widest = max((len(line) for label in labels for line in label.split("\n")), default=0)
    columns = 4 if widest <= 18 else 3 if widest <= 24 else 2
    ax.legend(
        handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(len(labels), columns), fontsize=8
    )


def _label_above(
    series: Sequence[tuple[str, dict[int, float | None], object]], years: list[int], target: float
) -> bool:
    """Whether the target's label goes above its line: on the side away from the lines at the right end."""
    recent = years[-max(2, len(years) // 3) :]
    near = [v for _, values, _ in series for y in recent if (v := values.get(y)) is not None]
    return not near or sum(near) / len(near) < target


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else value


def _source_line(source: str | None) -> str:
    """``Källa: Kolada`` for Kolada data (RKA's terms), our own computation said so, else the source."""
    if not source or not source.strip():
        return ""
    source = source.strip()
    if source.casefold().startswith("egen bearbetning"):
        return f"Källa: {source}"
    if "kolada" in source.casefold():
        return "Källa: Kolada"
    return f"Källa: {source}"


def _amount(value: float, unit: str) -> str:
    unit = unit_text(unit)
    return f"{format_number(value)}{_NBSP}{unit}" if unit else format_number(value)


_TREND_WORDS = {
    "förbättras": "Indikatorn förbättras",
    "försämras": "Indikatorn försämras",
    "oförändrad": "Indikatorn är i stort sett oförändrad",
}

_VERDICT_WORDS = {
    "bättre": "bättre än {}",
    "sämre": "sämre än {}",
    "lika": "i nivå med {}",
}


def _indicator_alt_text(indicator: Indicator, result: IndicatorResult, years: list[int]) -> str:
    """What the chart shows and its message in words: latest value, trend, comparisons, target."""
    span = f" {years[0]}–{years[-1]}" if len(years) > 1 else (f" {years[0]}" if years else "")
    comparisons = [series_in_text(name) for name in indicator.comparisons]
    shows = f"Linjediagram över {indicator.name} ({unit_text(indicator.unit)}){span}"
    if comparisons:
        shows += ", jämfört med " + format_list(comparisons)
    sentences = [shows + "."]
    if result.latest_value is None or result.latest_year is None:
        sentences.append("Kommunen har inga värden.")
    else:
        sentences.append(f"Senaste värdet är {_amount(result.latest_value, indicator.unit)} år {result.latest_year}.")
        known = sorted(y for y, v in indicator.values.items() if v is not None)
        if result.trend in _TREND_WORDS and len(known) > 1:
            first = indicator.values[known[0]]
            assert first is not None
            sentences.append(
                f"{_TREND_WORDS[result.trend]}: från {_amount(first, indicator.unit)} år {known[0]}"
                f" till {_amount(result.latest_value, indicator.unit)} år {result.latest_year}."
            )
        else:
            sentences.append("Det finns för få värden för att visa en utveckling.")
        gaps = sorted(y for y, v in indicator.values.items() if v is None)
        if gaps:
            sentences.append(f"Värde saknas för {format_list([str(y) for y in gaps])}.")
    by_year: dict[int | None, list[tuple[str, str]]] = {}
    for comparison in result.comparisons:
        if comparison.verdict in _VERDICT_WORDS:
            by_year.setdefault(comparison.year, []).append((comparison.name, comparison.verdict))
    for year, pairs in sorted(by_year.items(), key=lambda item: item[0] or 0):
        verdicts = []
        for word, phrase in _VERDICT_WORDS.items():
            names = [series_in_text(name) for name, v in pairs if v == word]
            if names:
                verdicts.append(phrase.format(format_list(names)))
        when = f"År {year} är kommunens värde" if year is not None else "Kommunens värde är"
        sentences.append(f"{when} {format_list(verdicts)}.")
    unknown = [name for name, verdict in result.comparison.items() if verdict not in _VERDICT_WORDS]
    if unknown:
        sentences.append(f"Jämförelse saknas med {format_list([series_in_text(n) for n in unknown])}.")
    if indicator.target is not None:
        target = f"Målet är {_amount(indicator.target.value, indicator.unit)} år {indicator.target.year}"
        if result.target_met is True:
            target += ", och det är nått"
        elif result.target_met is False:
            target += ", och det är inte nått"
        sentences.append(target + ".")
    return " ".join(sentences)
