"""The charts: PNG bytes that do not vary, Swedish numbers on the axes, and alt texts with the data."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
from typing import Any

import pytest

from hallbardocs import charts
from hallbardocs.analysis import indicator_result
from hallbardocs.charts import (
    DPI,
    INDICATOR_WIDTH_MM,
    STATUS_WIDTH_MM,
    Chart,
    axis_number,
    axis_year,
    indicator_chart,
    status_chart,
)
from hallbardocs.model.followup import SCALES, Indicator

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

STATUS_ROWS = [
    (lv.name, n, lv.colour, lv.symbol) for lv, n in zip(SCALES["standard"].levels, (5, 7, 0, 1, 0), strict=True)
]


def _indicator(**changes: Any) -> Indicator:
    data: dict[str, Any] = {
        "id": "N07702",
        "namn": "Utsläpp av växthusgaser",
        "enhet": "ton CO2-ekv",
        "bättre": "lägre",
        "mål": {"värde": 40000, "år": 2030},
        "värden": {2019: 71263, 2020: 66102, 2021: None, 2022: 64880, 2023: 61200, 2024: 59800},
        "jämförelse": {
            "Liknande kommuner": {2019: 80110, 2020: 76400, 2022: 74000, 2024: 70100},
            "Riket": {2019: 50000, 2024: 45000},
        },
        "källa": "Kolada",
    }
    data.update(changes)
    return Indicator.model_validate(data)


def _chart(indicator: Indicator) -> Chart:
    return indicator_chart(indicator, indicator_result(indicator))


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _png_text_keys(png: bytes) -> set[bytes]:
    """The keywords of the PNG's text chunks (tEXt, iTXt, zTXt)."""
    keys = set()
    stream = io.BytesIO(png[8:])
    while header := stream.read(8):
        length, kind = struct.unpack(">I4s", header)
        body = stream.read(length)
        stream.read(4)
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            keys.add(body.split(b"\0", 1)[0])
    return keys


# --- numbers on the axes -------------------------------------------------------------------------


def test_axis_numbers_are_swedish_with_a_thin_no_break_grouping_space() -> None:
    assert axis_number(40000.0) == "40\u202f000"
    assert axis_number(1234567.0, 3) == "1\u202f234\u202f567"
    assert axis_number(0.0) == "0"
    assert axis_number(2.5) == "2,5"
    assert axis_number(-1500.25) == "\u22121\u202f500,25"


def test_axis_years_are_whole_and_never_grouped() -> None:
    assert axis_year(2026.0) == "2026"
    assert axis_year(2019.9999999) == "2020"


def test_the_axis_formatters_are_the_ones_matplotlib_calls() -> None:
    from matplotlib.ticker import FuncFormatter

    assert FuncFormatter(axis_number)(12500.0, 0) == "12\u202f500"
    assert FuncFormatter(axis_year)(2030.0, 0) == "2030"


# --- the status chart ------------------------------------------------------------------------------


def test_a_status_chart_is_a_png_of_the_status_width() -> None:
    chart = status_chart(STATUS_ROWS, "Åtgärdernas status")
    assert chart.png.startswith(PNG_MAGIC)
    assert chart.width_mm == STATUS_WIDTH_MM == 120
    assert _png_size(chart.png)[0] == int(120 / 25.4 * DPI)


def test_a_status_chart_is_the_same_bytes_every_time_and_names_no_software() -> None:
    first = status_chart(STATUS_ROWS, "Åtgärdernas status")
    assert status_chart(STATUS_ROWS, "Åtgärdernas status").png == first.png
    assert b"Software" not in _png_text_keys(first.png)


def test_a_status_charts_alt_text_gives_every_status_and_its_count_zeros_too() -> None:
    chart = status_chart(STATUS_ROWS, "Åtgärdernas status")
    assert chart.alt_text == (
        "Stapeldiagram: Åtgärdernas status. Genomförd 5, Pågår 7, Ej påbörjad 0, Avbruten 1 och Ej relevant 0, totalt 13."
    )


def test_a_status_chart_of_nothing_still_draws() -> None:
    chart = status_chart([("Genomförd", 0, "#2E7D32", "✔")], "Aktiviteternas status")
    assert chart.png.startswith(PNG_MAGIC)
    assert chart.alt_text.endswith("Genomförd 0, totalt 0.")


# --- the indicator chart -------------------------------------------------------------------------


def test_an_indicator_chart_is_a_png_of_the_indicator_width_and_the_same_bytes_every_time() -> None:
    chart = _chart(_indicator())
    assert chart.png.startswith(PNG_MAGIC)
    assert chart.width_mm == INDICATOR_WIDTH_MM == 150
    assert _png_size(chart.png)[0] == int(150 / 25.4 * DPI)
    assert _chart(_indicator()).png == chart.png


def test_an_indicator_charts_alt_text_says_latest_value_trend_gap_comparisons_and_target() -> None:
    assert _chart(_indicator()).alt_text == (
        "Linjediagram över Utsläpp av växthusgaser (ton CO2-ekv) 2019–2024, jämfört med liknande kommuner och riket."
        " Senaste värdet är 59\xa0800\xa0ton CO2-ekv år 2024."
        " Indikatorn förbättras: från 71\xa0263\xa0ton CO2-ekv år 2019 till 59\xa0800\xa0ton CO2-ekv år 2024."
        " Värde saknas för 2021."
        " År 2024 är kommunens värde bättre än liknande kommuner och sämre än riket."
        " Målet är 40\xa0000\xa0ton CO2-ekv år 2030, och det är inte nått."
    )


def test_a_met_target_and_a_comparison_without_common_year_are_said() -> None:
    indicator = _indicator(
        bättre="högre",
        enhet="%",
        mål={"värde": 50, "år": 2026},
        värden={2022: 48.5, 2023: 52.25},
        jämförelse={"Riket": {2019: 40}},
        källa="SCB",
    )
    text = _chart(indicator).alt_text
    assert "Senaste värdet är 52,25\xa0% år 2023." in text
    assert "Indikatorn förbättras: från 48,5\xa0% år 2022" in text
    assert "Jämförelse saknas med riket." in text
    assert text.endswith("Målet är 50\xa0% år 2026, och det är nått.")


def test_a_gap_in_the_values_is_drawn_as_a_gap_without_crashing() -> None:
    chart = _chart(_indicator(värden={2019: 10, 2020: None, 2021: None, 2022: 12}, jämförelse={}))
    assert chart.png.startswith(PNG_MAGIC)
    assert "Värde saknas för 2020 och 2021." in chart.alt_text


def test_a_chart_with_only_one_value_works() -> None:
    chart = _chart(_indicator(värden={2024: 87.5}, jämförelse={}, mål=None))
    assert chart.png.startswith(PNG_MAGIC)
    assert chart.alt_text == (
        "Linjediagram över Utsläpp av växthusgaser (ton CO2-ekv) 2024."
        " Senaste värdet är 87,5\xa0ton CO2-ekv år 2024."
        " Det finns för få värden för att visa en utveckling."
    )


@pytest.mark.parametrize(
    "values",
    [{}, {2020: None}, {2020: -5.5, 2021: 3.25}],
    ids=["no values", "only a gap", "negative values"],
)
def test_odd_series_still_draw(values: dict[int, float | None]) -> None:
    chart = _chart(_indicator(värden=values, jämförelse={}))
    assert chart.png.startswith(PNG_MAGIC)


def test_many_comparisons_get_styles_in_turn() -> None:
    comparisons = {f"Grupp {n}": {2020: 10.0 + n, 2021: 11.0 + n} for n in range(7)}
    chart = _chart(_indicator(jämförelse=comparisons))
    assert chart.png.startswith(PNG_MAGIC)


def test_the_source_line_credits_kolada_as_its_terms_ask() -> None:
    from hallbardocs.charts import _source_line

    assert _source_line("Kolada (RKA)") == "Källa: Kolada"
    assert _source_line("Egen bearbetning av data från Kolada") == "Källa: Egen bearbetning av data från Kolada"
    assert _source_line("SCB") == "Källa: SCB"
    assert _source_line(None) == ""


def test_the_caption_changes_the_picture() -> None:
    assert _chart(_indicator(källa="Kolada")).png != _chart(_indicator(källa=None)).png


def test_drawing_leaves_matplotlibs_global_settings_and_pyplot_alone() -> None:
    code = (
        "import sys, matplotlib\n"
        "before = matplotlib.rcParams.copy()\n"
        "from hallbardocs.charts import status_chart\n"
        "status_chart([('Genomförd', 1, '#2E7D32', '✔')], 'T')\n"
        "assert matplotlib.rcParams.copy() == before\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = "import sys, hallbardocs.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_each_comparison_is_said_for_the_latest_year_both_have() -> None:
    indicator = _indicator(
        värden={2023: 100, 2024: 90},
        jämförelse={"Liknande kommuner": {2023: 120}, "Riket": {2023: 80, 2024: 89.5}},
        mål=None,
    )
    text = _chart(indicator).alt_text
    assert (
        "År 2023 är kommunens värde bättre än liknande kommuner. År 2024 är kommunens värde i nivå med riket." in text
    )


def test_the_source_caption_can_be_left_to_the_document() -> None:
    indicator = _indicator(källa="Kolada")
    with_caption = indicator_chart(indicator, indicator_result(indicator))
    without = indicator_chart(indicator, indicator_result(indicator), source_caption=False)
    assert with_caption.png != without.png
    assert without.alt_text == with_caption.alt_text


def test_the_resolution_is_enough_for_print_at_the_charts_width() -> None:
    # 150 dpi is print quality for a picture printed at its size; the widest chart is 15 cm.
    assert 150 <= DPI <= 200


def test_the_title_can_be_left_to_the_documents_heading_and_the_alt_text_still_names_the_indicator() -> None:
    indicator = _indicator()
    titled = indicator_chart(indicator, indicator_result(indicator))
    untitled = indicator_chart(indicator, indicator_result(indicator), title=False)
    assert untitled.png != titled.png
    assert untitled.alt_text == titled.alt_text
    assert untitled.alt_text.startswith("Linjediagram över Utsläpp av växthusgaser (ton CO2-ekv)")


LONG_NAME = (
    "Hushållsavfall som samlats in för materialåtervinning, inklusive biologisk behandling,"
    " andel av totalt insamlat hushållsavfall"
)


def _long_indicator() -> Indicator:
    """Everything long at once: name, unit, comparison names, twelve years, negative values and target."""
    years = range(2015, 2027)
    return _indicator(
        namn=LONG_NAME,
        enhet="kg CO2-ekvivalenter per invånare och år (konsumtionsbaserat)",
        mål={"värde": -20000, "år": 2030},
        värden={y: 40000 - 6000 * (y - 2015) for y in years},
        jämförelse={
            "Kommungruppen Större städer och kommuner nära större stad": {y: 30000 - 4000 * (y - 2015) for y in years},
            "Riket": {y: 20000 - 3000 * (y - 2015) for y in years},
            "Västra Götalands län": {y: 25000 - 3500 * (y - 2015) for y in years},
        },
        källa="Egen bearbetning av data från Kolada och Statistiska centralbyrån, miljöräkenskaperna, tabell 4",
    )


def _overhang(monkeypatch: pytest.MonkeyPatch, draw: Any) -> list[float]:
    """How far (in points) everything the figure ``draw`` makes draws reaches past each edge of the
    picture (left, bottom, right, top): what reaches past is cut off in the PNG."""
    overhang: list[float] = []
    original = charts._png

    def checked(figure: Any) -> bytes:
        png = original(figure)
        drawn = figure.get_tightbbox(figure.canvas.get_renderer())  # inches, drawn artists only
        edge = figure.bbox_inches
        overhang.extend(
            round(72 * max(0.0, d), 1)
            for d in (edge.x0 - drawn.x0, edge.y0 - drawn.y0, drawn.x1 - edge.x1, drawn.y1 - edge.y1)
        )
        return png

    monkeypatch.setattr(charts, "_png", checked)
    draw()
    return overhang


@pytest.mark.parametrize("title", [True, False], ids=["titled", "under a heading"])
def test_nothing_in_a_long_indicator_chart_is_cut_off(monkeypatch: pytest.MonkeyPatch, title: bool) -> None:
    indicator = _long_indicator()
    result = indicator_result(indicator)

    def chart() -> Chart:
        return indicator_chart(indicator, result, series_name="Upplands-Väsby kommun", title=title)

    assert _overhang(monkeypatch, chart) == [0.0] * 4


def test_nothing_in_a_status_chart_with_long_names_and_big_counts_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        ("Ej påbörjad på grund av resursbrist i organisationen", 3, "#5F6B73", "○"),
        ("Genomförd", 12000, "#2E7D32", "●"),
    ]
    title = "Aktiviteternas status i sektorerna och de kommunala bolagen under året som gått"
    assert _overhang(monkeypatch, lambda: status_chart(rows, title)) == [0.0] * 4


def test_a_long_title_legend_entry_and_unit_are_wrapped_at_spaces() -> None:
    from hallbardocs.charts import _wrapped

    assert _wrapped(LONG_NAME, 60).split("\n") == [
        "Hushållsavfall som samlats in för materialåtervinning,",
        "inklusive biologisk behandling, andel av totalt insamlat",
        "hushållsavfall",
    ]
    assert _wrapped("Riket", 34) == "Riket"
    assert _wrapped("", 34) == ""


def test_an_absolute_total_can_be_drawn_without_its_comparisons() -> None:
    indicator = _indicator()
    result = indicator_result(indicator)
    alone = indicator_chart(indicator, result, compare=False)
    assert alone.png != indicator_chart(indicator, result).png
    assert "jämfört med" not in alone.alt_text
    assert "liknande kommuner" not in alone.alt_text and "riket" not in alone.alt_text
    assert alone.alt_text.endswith("Målet är 40\xa0000\xa0ton CO2-ekv år 2030, och det är inte nått.")


def test_a_percentage_is_said_with_the_percent_sign_whatever_the_data_calls_it() -> None:
    chart = _chart(_indicator(enhet="procent", värden={2023: 41.5}, jämförelse={}, mål=None))
    assert "Linjediagram över Utsläpp av växthusgaser (%) 2023." in chart.alt_text
    assert "Senaste värdet är 41,5\xa0% år 2023." in chart.alt_text
