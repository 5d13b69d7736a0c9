"""The miljöbokslut of the example plan and a follow-up of it, rendered into Word and read back.

The follow-up is built here from the example plan: reports for every activity but one, mixed
statuses (one activity cancelled, one not relevant, one not reported), a measure comment and two
indicators with comparisons, a target and a gap. Expected figures are counted from the analysis
or written out. ``\\xa0`` is the no-break space.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from pypdf import PdfReader

from hallbardocs.analysis import NO_ACTIVITIES, FollowUpAnalysis, analyse
from hallbardocs.content import Image
from hallbardocs.documents import miljobokslut
from hallbardocs.documents.miljobokslut import build_context, document_properties, status_sentence
from hallbardocs.model.followup import NOT_REPORTED, FollowUp, activity_ids
from hallbardocs.model.plan import Plan
from hallbardocs.render import render, template_variables

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}

# The status of each activity, per measure, in plan order: G genomförd, P pågår, E ej påbörjad,
# A avbruten, R ej relevant, None no report. The measures' statuses follow from the rule.
STATUSES: dict[str, list[str | None]] = {
    "1": ["G", "G", "G", "G"],  # genomförd
    "2": ["G", "P", "G", "G"],  # pågår
    "3": ["G", "G", "G"],  # genomförd
    "4": ["E", "E", "E"],  # ej påbörjad
    "5": ["P", "P", "G", "E"],  # pågår
    "6": ["G", "G", "G"],  # genomförd
    "7": ["G", None, "G"],  # pågår: one activity not reported
    "8": ["A", "A", "A"],  # avbruten
    "9": ["G", "G"],  # genomförd
    "10": ["G", "E", "A", "G"],  # pågår: one activity cancelled
    "11": ["P", "P", "P", "P"],  # pågår
    "12": ["G", "G", "G"],  # genomförd
    "13": ["P", "G", "G", "G"],  # pågår
    "14": ["R", "G", "G"],  # genomförd: the activity that is not relevant is left out
}
WORDS = {
    "standard": {"G": "Genomförd", "P": "Pågår", "E": "Ej påbörjad", "A": "Avbruten", "R": "Ej relevant"},
    "länsstyrelserna": {"G": "G", "P": "H", "E": "E", "A": "P", "R": "Ej relevant"},  # no Avbruten level
}

INDICATORS: list[dict[str, Any]] = [
    {
        "id": "N07702",
        "namn": "Utsläpp av växthusgaser",
        "enhet": "ton CO2-ekv",
        "bättre": "lägre",
        "mål": {"värde": 40000, "år": 2030},
        "värden": {2019: 71263, 2020: 66102, 2021: None, 2022: 64880},
        "jämförelse": {"Liknande kommuner": {2019: 80110, 2020: 76400, 2022: 70000}, "Riket": {2019: 91000}},
        "källa": "Kolada",
    },
    {
        "id": "U07414",
        "namn": "Hushållsavfall som samlats in för materialåtervinning",
        "enhet": "procent",
        "bättre": "högre",
        "värden": {2020: 35.2, 2021: 38.0, 2022: 41.5},
        "jämförelse": {"Riket": {2020: 39.0, 2021: 39.5, 2022: 40.1}},
        "källa": "Kolada",
        "kommentar": "Insamlingen av matavfall började 2021.",
    },
]


# ----------------------------------------------------------------------------------- helpers


def followup(plan: Plan, scale: str = "standard", indicators: bool = True) -> FollowUp:
    reports = []
    for measure in plan.measures:
        for (ident, activity), code in zip(activity_ids(measure), STATUSES[measure.id], strict=True):
            if code is None:
                continue
            reports.append(
                {
                    "aktivitet": ident,
                    "enhet": activity.unit,
                    "status": WORDS[scale][code],
                    "kommentar": f"Rapport för aktivitet {ident}." if ident.endswith(".1") else None,
                }
            )
    return FollowUp.model_validate(
        {
            "plan": plan.metadata.document_name,
            "period": {"typ": "helår", "år": 2026, "per": dt.date(2026, 12, 31)},
            "statusskala": scale,
            "rapporter": reports,
            "åtgärdskommentarer": {"7": "Reningsverkets nya filter tas i drift i mars."},
            "indikatorer": INDICATORS if indicators else [],
        }
    )


def write(analysis: FollowUpAnalysis, path: Path, *, charts: bool = True) -> Path:
    from hallbardocs.charts import draw

    drawn = draw(analysis) if charts else None
    rendered = render(build_context(analysis, drawn), document_properties(analysis), kind=miljobokslut.KIND)
    path.write_bytes(rendered.to_bytes())
    return path


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def clean(text: str) -> str:
    """Text as read, with its no-break spaces (a status label's are narrow ones) as plain ones:
    runs of spaces as one."""
    return re.sub(r"[ \xa0\u202f]+", " ", text).strip()


def row_text(row: Any) -> str:
    texts: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is not previous:
            texts.append(clean(cell.text))
        previous = cell._tc
    return " | ".join(texts)


def rows(table: Table) -> list[str]:
    return [row_text(row) for row in table.rows]


def blocks(document: DocxDocument) -> list[Paragraph | Table]:
    return list(document.iter_inner_content())


def section(document: DocxDocument, heading: str, style: str = "Heading 1") -> list[Paragraph | Table]:
    """The paragraphs and tables after ``heading`` up to the next heading of the same or a higher level."""
    items = blocks(document)
    # Rubrik 1/2 ny sida is a Heading 1/2 that starts a page (a chapter; the status table's, every
    # indicator's after the first)
    levels = {"Heading 1": 1, "Rubrik 1 ny sida": 1, "Heading 2": 2, "Rubrik 2 ny sida": 2}
    start = next(
        i
        for i, b in enumerate(items)
        if isinstance(b, Paragraph) and levels.get(b.style.name) == levels[style] and b.text == heading
    )
    out: list[Paragraph | Table] = []
    for item in items[start + 1 :]:
        if isinstance(item, Paragraph) and levels.get(item.style.name, 9) <= levels[style]:
            break
        out.append(item)
    return out


def tables_in(items: list[Paragraph | Table]) -> list[Table]:
    return [i for i in items if isinstance(i, Table)]


def texts_in(items: list[Paragraph | Table]) -> list[str]:
    return [clean(i.text) for i in items if isinstance(i, Paragraph) and i.text.strip()]


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %"


def contrast(a: str, b: str) -> float:
    def luminance(rgb: str) -> float:
        channels = [int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def shaded_runs(element: etree._Element) -> Iterator[tuple[str, str, str]]:
    """(text, fill, text colour) of each shaded run: the status and focus-area labels."""
    for run in element.iter(w("r")):
        shading = run.find("w:rPr/w:shd", NS)
        if shading is not None:
            colour = run.find("w:rPr/w:color", NS)
            text = "".join(t.text or "" for t in run.iter(w("t")))
            yield clean(text), shading.get(w("fill")), colour.get(w("val")) if colour is not None else ""


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def analysis(example_plan: Plan) -> FollowUpAnalysis:
    return analyse(example_plan, followup(example_plan))


@pytest.fixture(scope="module")
def context(analysis: FollowUpAnalysis) -> dict[str, Any]:
    """The example's context with its charts, drawn once for the module."""
    from hallbardocs.charts import draw

    return build_context(analysis, draw(analysis))


@pytest.fixture(scope="module")
def docx_path(
    analysis: FollowUpAnalysis,
    context: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
    ooxml_validate: Callable[[Path], None],
) -> Path:
    path = tmp_path_factory.mktemp("miljobokslut") / "miljobokslut.docx"
    path.write_bytes(render(context, document_properties(analysis), kind=miljobokslut.KIND).to_bytes())
    ooxml_validate(path)
    return path


@pytest.fixture(scope="module")
def document(docx_path: Path) -> DocxDocument:
    return Document(str(docx_path))


@pytest.fixture(scope="module")
def county(
    example_plan: Plan, tmp_path_factory: pytest.TempPathFactory, ooxml_validate: Callable[[Path], None]
) -> tuple[FollowUpAnalysis, DocxDocument]:
    result = analyse(example_plan, followup(example_plan, "länsstyrelserna"))
    path = write(result, tmp_path_factory.mktemp("lan") / "miljobokslut.docx", charts=False)
    ooxml_validate(path)
    return result, Document(str(path))


# ------------------------------------------------------------------------- the context alone


def test_the_sentence_says_how_many_measures_are_in_each_state() -> None:
    assert status_sentence({"genomförd": 5, "pågår": 7, "ej_påbörjad": 2}, "åtgärd", "åtgärder") == (
        "Av 14 åtgärder är 5 genomförda, 7 pågår och 2 har inte påbörjats."
    )
    assert status_sentence({"genomförd": 1, "ej_relevant": 1}, "åtgärd", "åtgärder") == (
        "Av 2 åtgärder är 1 genomförd och 1 är inte relevant."
    )
    assert status_sentence({"ej_påbörjad": 1}, "åtgärd", "åtgärder") == "Av 1 åtgärd har 1 inte påbörjats."
    assert status_sentence({"pågår": 4, "genomförd": 0}, "åtgärd", "åtgärder") == "Alla 4 åtgärder pågår."
    assert status_sentence({"avbruten": 2, "ej_rapporterad": 3}, "aktivitet", "aktiviteter") == (
        "Av 5 aktiviteter har 2 avbrutits och 3 har inte rapporterats."
    )


def test_the_summary_rows_hold_counts_and_shares_per_status(analysis: FollowUpAnalysis) -> None:
    summary = build_context(analysis, None)["sammanfattning"]

    assert summary["mening"] == "Av 14 åtgärder är 6 genomförda, 6 pågår, 1 har inte påbörjats och 1 har avbrutits."
    assert summary["aktivitetsmening"] == (
        "Av 47 aktiviteter är 28 genomförda, 8 pågår, 5 har inte påbörjats, 4 har avbrutits, "
        "1 är inte relevant och 1 har inte rapporterats."
    )
    first = summary["tabell"][0]
    assert {k: v for k, v in first.items() if k != "status"} == {
        "status_text": "● Genomförd",
        "åtgärder": "6",
        "åtgärder_andel": "43\xa0%",
        "aktiviteter": "28",
        "aktiviteter_andel": "60\xa0%",
        "tal": {"åtgärder": 6, "aktiviteter": 28},
    }
    assert [label.text for label in first["status"].items] == ["● Genomförd"]
    assert [label.fill for label in first["status"].items] == ["2E7D32"]


def test_without_charts_every_chart_variable_is_empty(analysis: FollowUpAnalysis) -> None:
    context = build_context(analysis, None)

    assert context["sammanfattning"]["diagram_åtgärder"] == ""
    assert context["sammanfattning"]["diagram_aktiviteter"] == ""
    assert [i["diagram"] for i in context["indikatorer"]] == ["", ""]


def test_with_charts_each_chart_is_an_image_with_alt_text(context: dict[str, Any]) -> None:
    charts = [
        context["sammanfattning"]["diagram_åtgärder"],
        context["sammanfattning"]["diagram_aktiviteter"],
        *(i["diagram"] for i in context["indikatorer"]),
    ]

    assert all(isinstance(c, Image) and c.alt_text and c.source[:4] == b"\x89PNG" for c in charts)


def test_the_context_builder_is_pure(analysis: FollowUpAnalysis) -> None:
    assert build_context(analysis, None) == build_context(analysis, None)


def test_the_document_properties_name_the_accounts(analysis: FollowUpAnalysis) -> None:
    properties = document_properties(analysis)

    assert properties.title == "Miljöbokslut 2026"
    assert properties.author == "Lindåsa kommun"
    assert "Miljöbokslut" in properties.keywords


# ------------------------------------------------------------------------------ the document


def test_the_title_page_names_the_municipality_the_year_and_the_period(document: DocxDocument) -> None:
    cover = []
    for paragraph in document.paragraphs:
        if paragraph.text == "Metadata om dokument":
            break
        cover.append((paragraph.style.name, paragraph.text))

    assert cover == [
        ("Normal", ""),  # the logo, whose wordmark is not repeated beside it
        ("Title", "Miljöbokslut 2026"),
        ("Subtitle", "Uppföljning av Handlingsplan till miljöstrategin för 2026"),  # no second year under the title
        # the colour field in the cover's lower half, as in the handlingsplan
        ("Omslagsfältsrubrik", "Lindåsa kommun"),
        ("Omslagsfält", "Helår 2026, per 31 december 2026"),
    ]


def test_the_cover_colour_field_takes_its_colour_from_its_style(document: DocxDocument) -> None:
    field = [p for p in document.paragraphs if p.style.name.startswith("Omslagsfält")]
    style = document.styles["Omslagsfält"]
    fill = style.element.find("w:pPr/w:shd", NS).get(w("fill"))

    assert len(field) == 2
    assert contrast(fill, str(style.font.color.rgb)) >= 4.5
    assert style.base_style.name == "Normal"
    assert document.styles["Omslagsfältsrubrik"].base_style.name == "Omslagsfält"
    for paragraph in field:  # no colour typed into the document: a municipality restyles the style
        assert paragraph._p.find("w:pPr/w:shd", NS) is None
        assert all(run._r.find("w:rPr/w:color", NS) is None for run in paragraph.runs)


def test_the_metadata_table_shows_every_field(document: DocxDocument) -> None:
    assert rows(document.tables[0]) == [
        "Dokumentnamn | Miljöbokslut 2026",
        "Dokumenttyp | Miljöbokslut",
        "Omfattar | Kommunkoncernen",
        "Period | Helår 2026, per 31 december 2026",
        "Underlag | Handlingsplan till miljöstrategin för 2026",
        "Statusskala | Standard",
        "Datum | 2026-12-31",
    ]


def test_the_core_properties_carry_the_title_and_language(document: DocxDocument) -> None:
    assert document.core_properties.title == "Miljöbokslut 2026"
    assert document.core_properties.author == "Lindåsa kommun"
    assert document.core_properties.language == "sv-SE"


def test_the_header_names_the_document_and_the_footer_counts_pages(document: DocxDocument) -> None:
    section = document.sections[-1]
    footer = section.footer.paragraphs[0]
    codes = [(t.text or "").strip() for t in footer._p.iter(w("instrText"))]

    assert section.header.paragraphs[0].text == "Miljöbokslut 2026"
    assert footer.text.startswith("Lindåsa kommun\tSida ")
    assert " av " in footer.text
    assert codes == ["PAGE", "NUMPAGES"]


def test_the_table_of_contents_is_a_toc_field_listing_every_heading(document: DocxDocument) -> None:
    body = document.element.body
    codes = [t.text or "" for t in body.iter(w("instrText"))]
    sdt = body.find("w:sdt", NS)
    entries = ["".join(t.text or "" for t in e.iter(w("t"))) for e in sdt.findall(".//w:hyperlink[@w:anchor]", NS)]
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Rubrik 1 ny sida", "Heading 2", "Rubrik 2 ny sida")]

    assert any(code.strip().startswith('TOC \\o "1-2"') for code in codes)
    assert entries == headings


def test_the_chapters_are_heading_1_in_order(document: DocxDocument) -> None:
    assert [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Rubrik 1 ny sida")] == [
        "Sammanfattning",
        "Översikt per prioritering och fokusområde",
        "Åtgärderna",
        "Indikatorer",
        "Miljömål och globala mål",
    ]


def test_every_table_has_a_repeated_header_row(document: DocxDocument) -> None:
    for table in document.tables[1:]:  # the metadata table is a list of label/value pairs
        header = table.rows[0]
        assert header._tr.find("w:trPr/w:tblHeader", NS) is not None, rows(table)[0]
        # Tabellrubrik, or a style based on it (Tabellrubrik tal, right-aligned over numbers)
        assert all(
            "Tabellrubrik" in (p.style.name, p.style.base_style.name if p.style.base_style else None)
            for c in header.cells
            for p in c.paragraphs
        ), rows(table)[0]


# -------------------------------------------------------------------------------- the summary


def test_the_summary_states_the_computed_sentences(document: DocxDocument) -> None:
    texts = texts_in(section(document, "Sammanfattning"))

    assert "Av 14 åtgärder är 6 genomförda, 6 pågår, 1 har inte påbörjats och 1 har avbrutits." in texts
    assert (
        "Av 47 aktiviteter är 28 genomförda, 8 pågår, 5 har inte påbörjats, 4 har avbrutits, "
        "1 är inte relevant och 1 har inte rapporterats."
    ) in texts


def test_the_summary_table_counts_measures_and_activities_per_status(
    document: DocxDocument, analysis: FollowUpAnalysis
) -> None:
    measures, activities = analysis.measure_counts(), analysis.activity_counts()
    n, m = sum(measures.values()), sum(activities.values())
    expected = ["Status | Åtgärder | Andel av åtgärderna | Aktiviteter | Andel av aktiviteterna"]
    for level in analysis.levels():
        a, b = measures[level.name], activities[level.name]
        expected.append(f"{level.symbol} {level.name} | {a} | {percent(a, n)} | {b} | {percent(b, m)}")
    expected.append(f"Totalt | {n} | 100 % | {m} | 100 %")

    table = tables_in(section(document, "Åtgärder och aktiviteter per status", "Heading 2"))[0]

    assert rows(table) == expected
    assert measures == {
        "Genomförd": 6,
        "Pågår": 6,
        "Ej påbörjad": 1,
        "Avbruten": 1,
        "Ej relevant": 0,
        "Ej rapporterad": 0,
    }


def test_each_status_is_a_label_with_its_colour_symbol_and_word(
    document: DocxDocument, analysis: FollowUpAnalysis
) -> None:
    table = tables_in(section(document, "Åtgärder och aktiviteter per status", "Heading 2"))[0]
    labels = [label for row in table.rows[1:-1] for label in shaded_runs(row.cells[0]._tc)]

    assert [(text, fill) for text, fill, _ in labels] == [
        (f"{level.symbol} {level.name}", level.colour.lstrip("#").upper()) for level in analysis.levels()
    ]
    for text, fill, colour in labels:
        assert contrast(fill, colour) >= 4.5, f"the label {text!r} is hard to read"


def test_the_charts_are_pictures_with_alt_text(document: DocxDocument) -> None:
    pictures = list(document.element.body.iter(f"{{{WP}}}inline"))
    descriptions = [p.find("wp:docPr", NS).get("descr") for p in pictures]

    assert len(pictures) == 1 + 2 + 2  # the logo, two status charts, one chart per indicator
    assert all(descriptions), descriptions
    assert descriptions[0] == "Lindåsa kommuns logotyp"
    assert descriptions[1].startswith("Stapeldiagram: Åtgärdernas status.")
    assert "Genomförd 6" in descriptions[1]


def test_without_charts_the_document_has_only_the_logo(
    analysis: FollowUpAnalysis, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    path = write(analysis, tmp_path / "utan-diagram.docx", charts=False)
    ooxml_validate(path)

    pictures = list(Document(str(path)).element.body.iter(f"{{{WP}}}inline"))

    assert len(pictures) == 1


def test_the_status_scale_is_explained(document: DocxDocument) -> None:
    items = section(document, "Så läser du statusen", "Heading 2")

    assert rows(tables_in(items)[0]) == [
        "Status | Betydelse",
        "● Genomförd | Aktiviteten är genomförd.",
        "► Pågår | Arbetet har börjat men är inte klart.",
        "○ Ej påbörjad | Arbetet har inte börjat.",
        "× Avbruten | Aktiviteten har avbrutits.",
        "– Ej relevant | Aktiviteten är inte längre relevant.",
        "□ Ej rapporterad | Ingen uppföljning har kommit in.",  # an activity has no report
    ]


# ----------------------------------------------------------------------------- the overview


def test_the_overview_has_a_table_per_priority_with_the_status_of_each_focus_area(
    document: DocxDocument, analysis: FollowUpAnalysis
) -> None:
    for priority in analysis.plan.strategy.priorities:
        table = tables_in(section(document, priority.name, "Heading 2"))[0]
        expected = ["Fokusområde | Åtgärder | Status"]
        for area in (a for a in analysis.areas if a.priority is priority):
            counts = Counter(m.status.name for m in area.measures)
            statuses = " ".join(
                f"{counts[lv.name]} {lv.symbol} {lv.name}" for lv in analysis.levels() if counts[lv.name]
            )
            expected.append(f"{area.area.name} | {len(area.measures)} | {statuses}")

        assert rows(table) == expected


# ------------------------------------------------------------------------------- the measures


def test_every_measure_is_a_heading_2_with_its_status(document: DocxDocument, analysis: FollowUpAnalysis) -> None:
    items = section(document, "Åtgärderna")
    headings = [i for i, b in enumerate(items) if isinstance(b, Paragraph) and b.style.name == "Heading 2"]

    assert [items[i].text for i in headings] == [f"{m.measure.id}. {m.measure.title}" for m in analysis.measures]
    for index, result in zip(headings, analysis.measures, strict=True):
        status = items[index + 1]
        assert isinstance(status, Paragraph)
        assert clean(status.text) == f"Status: {result.status.symbol} {result.status.name}"
        fills = [fill for _, fill, _ in shaded_runs(status._p)]
        assert fills == [result.status.colour.lstrip("#").upper()]


def test_each_activity_row_shows_its_unit_status_and_comment(
    document: DocxDocument, analysis: FollowUpAnalysis
) -> None:
    for result in analysis.measures:
        table = tables_in(section(document, f"{result.measure.id}. {result.measure.title}", "Heading 2"))[0]
        expected = ["Enhet | Aktivitet | Status | Kommentar"]
        for a in result.activities:
            if a.report is None:
                comment = "Ingen uppföljning har kommit in."
            else:
                comment = a.report.comment or "–"
            expected.append(f"{a.activity.unit} | {a.activity.text} | {a.status.symbol} {a.status.name} | {comment}")

        assert rows(table) == expected


def test_an_activity_without_a_report_is_marked_as_not_reported(document: DocxDocument) -> None:
    table = tables_in(section(document, "7. Minska utsläppen till sjöar och vattendrag", "Heading 2"))[0]
    row = table.rows[2]
    status = list(shaded_runs(row.cells[2]._tc))

    assert status == [("□ Ej rapporterad", NOT_REPORTED.colour.lstrip("#").upper(), status[0][2])]
    assert clean(row.cells[3].text) == "Ingen uppföljning har kommit in."
    runs = [run for run in row.cells[3].paragraphs[0].runs if run.text.strip()]
    assert runs and all(run.style.name == "Saknad rapport" for run in runs)  # italic, from its style
    assert runs[0].style.font.italic is True and runs[0].italic is None


def test_a_measure_without_activities_says_so_and_does_not_deviate(
    example_plan: Plan, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    plan = example_plan.model_copy(deep=True)
    reports = followup(example_plan)
    reports = reports.model_copy(update={"reports": [r for r in reports.reports if not r.activity.startswith("9.")]})
    plan.measures[8].activities = []  # measure 9, otherwise genomförd
    result = analyse(plan, reports)
    nine = result.measures[8]

    assert nine.status is NO_ACTIVITIES and not nine.deviates and nine.status is not NOT_REPORTED
    assert result.measure_counts()["Inga aktiviteter"] == 1
    context = build_context(result, None)
    assert context["sammanfattning"]["mening"] == (
        "Av 14 åtgärder är 5 genomförda, 6 pågår, 1 har inte påbörjats, 1 har avbrutits och 1 har inga aktiviteter."
    )

    path = write(result, tmp_path / "miljobokslut.docx", charts=False)
    ooxml_validate(path)
    document = Document(str(path))
    items = section(document, f"9. {nine.measure.title}", "Heading 2")

    assert texts_in(items) == [
        "Status: ◊ Inga aktiviteter",
        f"Fokusområden: {context['åtgärder'][8]['fokusområden_text']}",
        "Åtgärden har inga aktiviteter i handlingsplanen, så det finns inget att rapportera.",
    ]
    assert tables_in(items) == []
    summary = rows(tables_in(section(document, "Åtgärder och aktiviteter per status", "Heading 2"))[0])
    assert "◊ Inga aktiviteter | 1 | 7 % | 0 | 0 %" in summary


def test_the_overview_names_the_strategy_by_its_kind(example_plan: Plan, tmp_path: Path) -> None:
    plan = example_plan.model_copy(deep=True)
    plan.strategy.kind = "hållbarhetspolicy"
    result = analyse(plan, followup(plan, indicators=False))

    document = Document(str(write(result, tmp_path / "miljobokslut.docx", charts=False)))

    assert texts_in(section(document, "Översikt per prioritering och fokusområde"))[0].startswith(
        "Tabellerna visar hur många åtgärder som hör till varje fokusområde i hållbarhetspolicyn och "
    )
    assert "hållbarhetspolicy" in document_properties(result).keywords


def test_a_cancelled_activity_shows_as_avbruten(document: DocxDocument) -> None:
    table = tables_in(section(document, "10. Bygg upp ett internt återbruk av möbler och inventarier", "Heading 2"))[0]

    assert clean(table.rows[3].cells[2].text) == "× Avbruten"


def test_a_measure_comment_follows_its_activities(document: DocxDocument) -> None:
    texts = texts_in(section(document, "7. Minska utsläppen till sjöar och vattendrag", "Heading 2"))

    assert "Kommentar: Reningsverkets nya filter tas i drift i mars." in texts


# ----------------------------------------------------------------------------- the indicators


def test_each_indicator_has_a_heading_a_source_and_a_table(document: DocxDocument) -> None:
    items = section(document, "Utsläpp av växthusgaser", "Heading 2")

    assert "Källa: Kolada" in texts_in(items)
    # An absolute total: not compared with the comparison series the data gives (docs/indicators.md).
    assert rows(tables_in(items)[0]) == [
        "Uppgift | Resultat",
        "Senaste värde | 64 880 ton CO2-ekv år 2022",
        "Utveckling | Utvecklingen förbättras (2019–2022)",
        "Jämförelse | Jämförs inte med andra kommuner: värdet är en total för hela kommunen (ton CO2-ekv)"
        " och beror på kommunens storlek.",
        "Mål | Högst 40 000 ton CO2-ekv år 2030. Målet är inte nått.",
    ]
    assert "Värden år för år, i ton CO2-ekv" in texts_in(items)
    assert rows(tables_in(items)[1]) == [
        "År | Lindåsa kommun",
        "2019 | 71 263",
        "2020 | 66 102",
        "2021 | saknas",
        "2022 | 64 880",
    ]


def test_the_table_of_years_has_a_column_per_series_with_each_series_decimals(document: DocxDocument) -> None:
    items = section(document, "Hushållsavfall som samlats in för materialåtervinning", "Heading 2")
    years = tables_in(items)[1]

    # 38,0 and 39,0: the series have one decimal, so their whole values keep it.
    assert rows(years) == [
        "År | Lindåsa kommun | Riket",
        "2020 | 35,2 | 39,0",
        "2021 | 38,0 | 39,5",
        "2022 | 41,5 | 40,1",
    ]
    assert years._tbl.find("w:tblPr/w:tblCaption", NS).get(w("val")) == "Indikatorns värden år för år"
    assert [p.style.name for p in years.rows[0].cells[1].paragraphs] == ["Tabellrubrik tal"]
    assert [p.style.name for p in years.rows[1].cells[1].paragraphs] == ["Tabelltal"]


def test_an_indicator_without_a_target_and_with_a_comment(document: DocxDocument) -> None:
    items = section(document, "Hushållsavfall som samlats in för materialåtervinning", "Heading 2")
    table = rows(tables_in(items)[0])

    # "procent" in the data is printed "%", like every other percentage; "riket" is lower case mid-sentence.
    assert "Senaste värde | 41,5 % år 2022" in table
    assert "Jämfört med riket | Bättre än riket år 2022: 41,5 mot 40,1 %" in table
    assert "Mål | –" in table
    assert "Kommentar: Insamlingen av matavfall började 2021." in texts_in(items)


def test_without_indicators_the_chapter_says_so(
    example_plan: Plan, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    result = analyse(example_plan, followup(example_plan, indicators=False))
    path = write(result, tmp_path / "utan-indikatorer.docx", charts=False)
    ooxml_validate(path)

    items = section(Document(str(path)), "Indikatorer")

    assert texts_in(items) == ["Miljöbokslutet för 2026 redovisar inga indikatorer."]


# ---------------------------------------------------------------------------------- the goals


def test_the_goals_tables_list_the_measures_per_goal_in_official_order(
    document: DocxDocument, analysis: FollowUpAnalysis
) -> None:
    objectives = rows(tables_in(section(document, "Miljökvalitetsmålen", "Heading 2"))[0])
    goals = rows(tables_in(section(document, "De globala målen i Agenda 2030", "Heading 2"))[0])

    assert objectives[0] == "Miljökvalitetsmål | Åtgärder"
    assert [r.split(" | ")[0] for r in objectives[1:]] == [
        "Begränsad klimatpåverkan",
        "Frisk luft",
        "Giftfri miljö",
        "Ingen övergödning",
        "Levande sjöar och vattendrag",
        "Grundvatten av god kvalitet",
        "Myllrande våtmarker",
        "Levande skogar",
        "Ett rikt odlingslandskap",
        "God bebyggd miljö",
        "Ett rikt växt- och djurliv",
    ]
    assert objectives[2] == (
        "Frisk luft | 1. Ställ om kommunkoncernens fordonsflotta\n5. Gör det enklare att gå, cykla och åka kollektivt"
    )
    assert goals[0] == "Globalt mål | Åtgärder"
    assert [r.split(" | ")[0] for r in goals[1:]] == [
        "2. Ingen hunger",
        "3. Hälsa och välbefinnande",
        "6. Rent vatten och sanitet för alla",
        "7. Hållbar energi för alla",
        "9. Hållbar industri, innovationer och infrastruktur",
        "11. Hållbara städer och samhällen",
        "12. Hållbar konsumtion och produktion",
        "13. Bekämpa klimatförändringarna",
        "14. Hav och marina resurser",
        "15. Ekosystem och biologisk mångfald",
    ]
    assert goals[-1] == "15. Ekosystem och biologisk mångfald | 6. Skydda och sköt värdefull natur"


# ------------------------------------------------------------------------------- the template


def test_the_template_uses_only_variables_the_context_provides(analysis: FollowUpAnalysis) -> None:
    used = template_variables(None, "miljobokslut")

    assert used
    assert used <= set(build_context(analysis, None))


# ----------------------------------------------------------------------------- the county scale


def test_with_the_county_scale_statuses_use_its_levels(county: tuple[FollowUpAnalysis, DocxDocument]) -> None:
    result, document = county
    table = tables_in(section(document, "Åtgärder och aktiviteter per status", "Heading 2"))[0]

    assert [r.split(" | ")[0] for r in rows(table)] == [
        "Status",
        "● Genomförd",
        "▲ Hälften",
        "► Påbörjad",
        "○ Ej påbörjad",
        "– Ej relevant",
        "□ Ej rapporterad",
        "Totalt",
    ]
    items = section(document, "Åtgärderna")
    statuses = [clean(p.text) for p in items if isinstance(p, Paragraph) and p.text.startswith("Status:")]
    assert statuses == [f"Status: {m.status.symbol} {m.status.name}" for m in result.measures]
    assert "Status: ▲ Hälften" in statuses  # G + E gives H
    assert "Av 14 åtgärder är 6 genomförda, 7 pågår och 1 har inte påbörjats." in texts_in(
        section(document, "Sammanfattning")
    )


def test_with_the_county_scale_the_metadata_names_the_scale(county: tuple[FollowUpAnalysis, DocxDocument]) -> None:
    _, document = county

    assert "Statusskala | Länsstyrelsernas skala" in rows(document.tables[0])


# ------------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
def test_libreoffice_lays_out_every_measure_and_numbers_the_pages(
    docx_path: Path,
    analysis: FollowUpAnalysis,
    convert_to_pdf: Callable[[Path, Path], Path],
    tmp_path: Path,
) -> None:
    pdf = convert_to_pdf(docx_path, tmp_path)
    pages = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    text = " ".join(" ".join(pages).split())

    for result in analysis.measures:
        assert " ".join(f"{result.measure.id}. {result.measure.title}".split()) in text
    assert f"Sida 2 av {len(pages)}" in " ".join(pages[1].split())


def test_the_key_figures_a_unit_reports_are_shown_in_a_table_under_the_activities(
    example_plan: Plan, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    base = followup(example_plan, indicators=False)
    reports = [
        r.model_copy(update={"figures": {"antal_bilar": 12.0, "CO2_ton": 4.5}}) if r.activity == "1.1" else r
        for r in base.reports
    ]
    result = analyse(example_plan, base.model_copy(update={"reports": reports}))
    first = result.measures[0].activities[0]

    context = build_context(result, None)
    measure = context["åtgärder"][0]

    assert measure["aktiviteter"][0]["värden_text"] == "Antal bilar: 12, CO2 ton: 4,5"
    assert measure["aktiviteter"][1]["värden"] == []
    assert measure["värden"] == [
        {
            "id": "1.1",
            "enhet": first.activity.unit,
            "aktivitet": first.activity.text,
            "namn": "Antal bilar",
            "värde": "12",
            "tal": 12.0,
        },
        {
            "id": "1.1",
            "enhet": first.activity.unit,
            "aktivitet": first.activity.text,
            "namn": "CO2 ton",
            "värde": "4,5",
            "tal": 4.5,
        },
    ]
    assert all(m["värden"] == [] for m in context["åtgärder"][1:])
    path = write(result, tmp_path / "miljobokslut.docx", charts=False)
    ooxml_validate(path)
    document = Document(str(path))
    tables = tables_in(section(document, f"1. {result.measures[0].measure.title}", "Heading 2"))
    assert rows(tables[1]) == [
        "Enhet | Aktivitet | Nyckeltal | Värde",
        f"{first.activity.unit} | {first.activity.text} | Antal bilar | 12",
        f"{first.activity.unit} | {first.activity.text} | CO2 ton | 4,5",
    ]
    second = result.measures[1].measure
    assert len(tables_in(section(document, f"{second.id}. {second.title}", "Heading 2"))) == 1


def test_the_charts_are_a_stage_of_their_own_and_the_context_builder_draws_nothing(
    analysis: FollowUpAnalysis,
) -> None:
    import subprocess
    import sys

    from hallbardocs.charts import Charts, draw

    charts = draw(analysis)
    context = build_context(analysis, charts)

    assert isinstance(charts, Charts) and len(charts.indicators) == len(analysis.indicators)
    assert context["sammanfattning"]["diagram_åtgärder"].source == charts.measures.png
    assert [i["diagram"].alt_text for i in context["indikatorer"]] == [c.alt_text for c in charts.indicators]
    code = (
        "import sys, yaml\n"
        "from hallbardocs import load_followup, load_plan\n"
        "from hallbardocs.analysis import analyse\n"
        "from hallbardocs.documents.miljobokslut import build_context\n"
        "plan = load_plan('examples/handlingsplan.yaml')\n"
        "context = build_context(analyse(plan, load_followup('examples/uppfoljning.yaml', plan)), None)\n"
        "print(context['sammanfattning']['diagram_åtgärder'] == '', 'matplotlib' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.split() == ["True", "False"]


def test_status_labels_have_a_character_style_of_their_own_apart_from_focus_area_labels(
    document: DocxDocument,
) -> None:
    def styles_of(prefix: str) -> set[str]:
        found: set[str] = set()
        for run in document.element.body.iter(w("r")):
            text = "".join(t.text or "" for t in run.iter(w("t"))).strip("\u00a0\u202f ")
            style = run.find("w:rPr/w:rStyle", NS)
            if text.startswith(prefix) and run.find("w:rPr/w:shd", NS) is not None:
                found.add(style.get(w("val")) if style is not None else "")
        return found

    assert styles_of("► Pågår") == styles_of("1\u202f►\u202fPågår") == {"Statusetikett"}
    assert "Statusetikett" in {s.name for s in document.styles}  # in the template, to restyle


def test_an_absolute_totals_chart_leaves_the_comparisons_out_and_a_rates_keeps_them(context: dict[str, Any]) -> None:
    total, share = (i["diagram"].alt_text for i in context["indikatorer"])

    assert "jämfört med" not in total and "liknande kommuner" not in total
    assert "(%) 2020–2022, jämfört med riket." in share
    assert context["indikatorer"][0]["jämförs"] is False
    assert context["indikatorer"][1]["jämförs"] is True


def test_every_indicator_after_the_first_starts_a_page_through_its_heading_style(document: DocxDocument) -> None:
    headings = [p for p in document.paragraphs if p.text in {i["namn"] for i in INDICATORS}]

    assert [p.style.name for p in headings] == ["Heading 2", "Rubrik 2 ny sida"]
    style = headings[1].style
    assert style.base_style.name == "Heading 2"
    assert style.paragraph_format.page_break_before is True
    assert headings[1].paragraph_format.page_break_before is None  # in the style, not on the paragraph


def test_the_status_scale_is_explained_before_the_first_table_that_uses_it(document: DocxDocument) -> None:
    items = blocks(document)
    scale = next(i for i, b in enumerate(items) if isinstance(b, Table) and rows(b)[0] == "Status | Betydelse")
    first_with_status = next(
        i for i, b in enumerate(items) if isinstance(b, Table) and any(shaded_runs(b._tbl)) and i != scale
    )
    assert scale < first_with_status
    summary = tables_in(section(document, "Åtgärder och aktiviteter per status", "Heading 2"))[0]
    assert [p.style.name for p in summary.rows[0].cells[2].paragraphs] == ["Tabellrubrik tal"]
    assert [p.style.name for p in summary.rows[1].cells[2].paragraphs] == ["Tabelltal"]
    assert all(p.paragraph_format.alignment is None for c in summary.rows[1].cells for p in c.paragraphs)


def test_the_template_defines_only_styles_that_are_used_named_by_the_code_or_reached_from_one() -> None:
    """No unused built-in style definitions: each is used in a part of the template, named by the
    renderer (a string in hallbardocs/, heading 1-3, toc 1-3), a default, or the basedOn, link or
    next of such a style. Word's latent styles stay, so Word still offers every built-in style."""
    import ast
    import zipfile

    root_dir = Path(__file__).resolve().parents[1]
    archive = zipfile.ZipFile(root_dir / "templates" / "docx" / "miljobokslut.docx")
    root = etree.fromstring(archive.read("word/styles.xml"))
    assert root.find("w:latentStyles", NS) is not None
    styles = {s.get(w("styleId")): s for s in root.findall("w:style", NS)}
    used: set[str] = set()
    for part in archive.namelist():
        if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes|numbering)\.xml", part):
            tree = etree.fromstring(archive.read(part))
            for tag in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"):
                used |= {e.get(w("val")) for e in tree.iter(w(tag))}
    literals = {f"heading {n}" for n in (1, 2, 3)} | {f"toc {n}" for n in (1, 2, 3)}
    for path in (root_dir / "hallbardocs").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value.casefold())

    def name(style: etree._Element) -> str:
        return style.find("w:name", NS).get(w("val"))

    roots = used | {
        sid
        for sid, s in styles.items()
        if s.get(w("default")) == "1" or name(s).casefold() in literals or sid.casefold() in literals
    }
    reached: set[str] = set()
    todo = [sid for sid in roots if sid in styles]
    while todo:
        sid = todo.pop()
        if sid not in reached:
            reached.add(sid)
            links = (styles[sid].find(f"w:{tag}", NS) for tag in ("basedOn", "link", "next"))
            todo += [v for e in links if e is not None and (v := e.get(w("val"))) in styles]

    assert sorted(name(styles[s]) for s in set(styles) - reached) == []
    assert used <= set(styles)  # and nothing the template uses was removed
