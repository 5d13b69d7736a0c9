"""The committee report (tjänsteskrivelse) rendered into Word and read back: what a committee
member sees.

The follow-up is built here, from the example plan, with a status per activity chosen so that
every kind of line appears: measures done, in progress, not started and no longer relevant, an
activity cancelled and two not reported. The expected figures are counted from that choice, not
from the analysis, and the sentences are written out. ``\\xa0`` is the no-break space.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from lxml import etree

from hallbardocs import Plan
from hallbardocs.analysis import FollowUpAnalysis, analyse
from hallbardocs.documents import tjansteskrivelse
from hallbardocs.documents.tjansteskrivelse import build_context, document_properties
from hallbardocs.model.followup import ActivityReport, CommitteeReport, FollowUp, Period, activity_ids
from hallbardocs.render import default_template, render, template_variables

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

TRICKY = "Vård & omsorg <SoL> {{ titel }} {% if x %}"

# Each measure's activities' statuses (None: no report), and the measure's category by the rule
# in docs/followup.md, worked out by hand.
G, P, E, A, R = "Genomförd", "Pågår", "Ej påbörjad", "Avbruten", "Ej relevant"
SCENARIO: dict[str, tuple[str, list[str | None]]] = {
    "1": ("genomförd", [G, G, G, G]),
    "2": ("genomförd", [G, G, G, G]),
    "3": ("genomförd", [G, G, G]),
    "4": ("pågår", [G, P, P]),
    "5": ("pågår", [P, P, P, P]),
    "6": ("pågår", [G, G, P]),
    "7": ("ej_påbörjad", [A, None, E]),  # cancelled + not reported + not started: not started
    "8": ("pågår", [P, E, E]),  # in progress, nothing cancelled or missing: does not deviate
    "9": ("genomförd", [G, G]),
    "10": ("pågår", [P, P, G, G]),
    "11": ("ej_påbörjad", [E, E, E, E]),
    "12": ("ej_relevant", [R, R, R]),
    "13": ("pågår", [P, G, P, None]),  # in progress, but one report is missing: deviates
    "14": ("pågår", [G, G, P]),
}
DEVIATING = ["7", "11", "13"]

# The same for the county boards' scale, which has no "cancelled".
COUNTY: dict[str, list[str | None]] = {
    "1": ["G", "G", "G", "G"],
    "2": ["G", "G", "G", "G"],
    "3": ["G", "G", "G"],
    "4": ["G", "H", "H"],
    "5": ["P", "P", "H", "H"],
    "6": ["G", "G", "P"],
    "7": ["E", None, "E"],
    "8": ["P", "E", "E"],
    "9": ["G", "G"],
    "10": ["H", "P", "G", "G"],
    "11": ["E", "E", "E", "E"],
    "12": ["Ej relevant"] * 3,
    "13": ["P", "G", "H", None],
    "14": ["G", "G", "H"],
}

SUMMARY = (
    "Uppföljningen visar att arbetet med handlingsplanen i stort går enligt plan. "
    "**Flest åtgärder är genomförda inom energi och byggande**, medan arbetet med vatten och "
    "avfall har kommit kortare.\n\n"
    "Två aktiviteter har inte rapporterats, och förvaltningen har påmint de ansvariga."
)
BACKGROUND = (
    "Kommunens miljöstrategi genomförs genom årliga handlingsplaner. Sektorerna och bolagen "
    "rapporterar hur deras aktiviteter har gått två gånger om året, vid delårsbokslutet och "
    "vid årsbokslutet.\n\n"
    "Miljönämnden följer arbetet och lämnar uppföljningen vidare till kommunstyrelsen, som "
    "använder den när nästa års handlingsplan tas fram."
)
ASSESSMENT = (
    "Förvaltningen bedömer att de flesta åtgärderna ger effekt. Följande behöver särskild "
    "uppmärksamhet inför nästa år:\n\n"
    "- reningen vid Lindåsa reningsverk, där filtersteget har skjutits upp,\n"
    "- sortering av restavfall, som ännu inte har kommit i gång.\n\n"
    "Förvaltningen föreslår att åtgärderna förs över till handlingsplanen för 2027."
)


def committee(**changes: Any) -> CommitteeReport:
    fields: dict[str, Any] = {
        "administration": "Samhällsbyggnadssektorn",
        "office": "Miljöenheten",
        "officer": "Karin Ek",
        "officer_title": "Miljöstrateg",
        "date": dt.date(2027, 2, 3),
        "reference_number": "MN 2027/0012",
        "recipient": "Miljönämnden",
        "subject": "Uppföljning av handlingsplanen till miljöstrategin för 2026",
        "proposal": [
            "godkänna uppföljningen av handlingsplanen för 2026",
            "överlämna uppföljningen till kommunstyrelsen.",
        ],
        "summary": SUMMARY,
        "background": BACKGROUND,
        "assessment": ASSESSMENT,
        "attachments": ["Tjänsteskrivelse 2027-02-03", "Miljöbokslut 2026"],
        "send_to": ["Kommunstyrelsen", "Samhällsbyggnadssektorn", "Lindåsa Energi AB"],
    }
    fields.update(changes)
    return CommitteeReport(**fields)


def followup(plan: Plan, statuses: dict[str, list[str | None]], *, scale: str = "standard", **changes: Any) -> FollowUp:
    reports = []
    for measure in plan.measures:
        for (ident, activity), status in zip(activity_ids(measure), statuses[measure.id], strict=True):
            if status is None:
                continue
            comment = "Upphandlingen av filtersteget överprövades." if status == A else None
            reports.append(ActivityReport(activity=ident, unit=activity.unit, status=status, comment=comment))
    fields: dict[str, Any] = {
        "plan_name": plan.metadata.document_name,
        "period": Period(kind="helår", year=plan.year, as_of=dt.date(plan.year, 12, 31)),
        "scale": scale,
        "reports": reports,
        "measure_comments": {"11": "Insamlingen av matavfall startar först 2027."},
        "committee": committee(),
    }
    fields.update(changes)
    return FollowUp(**fields)


def standard_statuses() -> dict[str, list[str | None]]:
    return {ident: statuses for ident, (_, statuses) in SCENARIO.items()}


# ----------------------------------------------------------------------------------- helpers


def render_to_file(
    analysis: FollowUpAnalysis, path: Path, validate: Callable[[Path], None], template: Any = None
) -> DocxDocument:
    rendered = render(
        build_context(analysis), document_properties(analysis), kind=tjansteskrivelse.KIND, template=template
    )
    path.write_bytes(rendered.to_bytes())
    validate(path)
    return Document(str(path))


def body_paragraphs(document: DocxDocument) -> list[tuple[str, str]]:
    """(style, text) of the body's paragraphs outside tables."""
    return [(p.style.name, p.text) for p in document.paragraphs]


def section(document: DocxDocument, heading: str) -> list[tuple[str, str]]:
    """The paragraphs after the Heading 2 ``heading``, up to the next Heading 1 or 2."""
    paragraphs = body_paragraphs(document)
    start = paragraphs.index(("Heading 2", heading)) + 1
    end = next(
        (i for i in range(start, len(paragraphs)) if paragraphs[i][0] in ("Heading 1", "Heading 2")), len(paragraphs)
    )
    return paragraphs[start:end]


def row_texts(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def instructions(part_element: etree._Element) -> list[str]:
    return [(t.text or "").strip() for t in part_element.iter(f"{{{W}}}instrText")]


def all_text(document: DocxDocument) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in document.element.body.iter(f"{{{W}}}p"))


@pytest.fixture(scope="module")
def analysis(example_plan: Plan) -> FollowUpAnalysis:
    return analyse(example_plan, followup(example_plan, standard_statuses()))


@pytest.fixture(scope="module")
def document_path(
    analysis: FollowUpAnalysis, tmp_path_factory: pytest.TempPathFactory, ooxml_validate: Callable[[Path], None]
) -> Path:
    path = tmp_path_factory.mktemp("tjansteskrivelse") / "tjansteskrivelse.docx"
    render_to_file(analysis, path, ooxml_validate)
    return path


@pytest.fixture(scope="module")
def document(document_path: Path) -> DocxDocument:
    return Document(str(document_path))


# ------------------------------------------------------------------------------ the scenario


def test_the_scenario_covers_every_activity_of_the_example(example_plan: Plan) -> None:
    assert [m.id for m in example_plan.measures] == list(SCENARIO)
    assert [len(m.activities) for m in example_plan.measures] == [len(s) for _, s in SCENARIO.values()]
    assert [m.measure.id for m in analyse(example_plan, followup(example_plan, standard_statuses())).deviating()] == (
        DEVIATING
    )


# -------------------------------------------------------------------------------- header block


def test_the_header_block_names_sender_date_reference_and_recipient(document: DocxDocument) -> None:
    block = document.tables[0]

    assert block.style.name == "Uppgiftstabell"  # borderless, by its table style
    assert block.style.element.find("w:tblPr/w:tblBorders/w:top", NS).get(f"{{{W}}}val") == "nil"
    left, right = (cell.text.split("\n") for cell in block.rows[0].cells)
    assert left == ["", "Lindåsa kommun", "Samhällsbyggnadssektorn, Miljöenheten", "Handläggare", "Karin Ek, Miljöstrateg"]
    assert right == ["TJÄNSTESKRIVELSE", "Datum\t2027-02-03", "Diarienummer\tMN 2027/0012"]
    logo, name = block.rows[0].cells[0].paragraphs[:2]
    assert (logo.style.name, name.style.name) == ("Logotyp", "Avsändare")  # the name, under the logo
    assert body_paragraphs(document)[0] == ("Mottagare", "Miljönämnden")


def test_the_default_template_formats_by_named_styles_only() -> None:
    """No bold, size, colour, spacing or borders typed on a run, paragraph or table of the default
    template: a municipality restyles it by editing styles. A page header keeps only its layout
    (alignment, the rule under it, its tab stop)."""
    with zipfile.ZipFile(default_template("tjansteskrivelse")) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", n)]
        parts = {name: etree.fromstring(archive.read(name)) for name in names}
    run_formatting = {
        name: [etree.QName(c).localname for rpr in root.iter(f"{{{W}}}rPr") for c in rpr]
        for name, root in parts.items()
    }
    paragraph_formatting = {
        name: sorted({etree.QName(c).localname for ppr in root.iter(f"{{{W}}}pPr") for c in ppr} - {"pStyle"})
        for name, root in parts.items()
    }
    table_formatting = {
        etree.QName(c).localname for tblpr in parts["word/document.xml"].iter(f"{{{W}}}tblPr") for c in tblpr
    }

    assert set(parts) >= {"word/document.xml", "word/header1.xml", "word/header2.xml"}
    assert {name: set(found) for name, found in run_formatting.items() if found} == {
        "word/document.xml": {"rStyle"},  # the character styles Uppgiftsnamn and Utkastmarkering
        "word/header1.xml": {"rStyle"},
        "word/header2.xml": {"rStyle"},
    }
    assert {name: found for name, found in paragraph_formatting.items() if found} == {
        "word/header1.xml": ["jc"],
        "word/header2.xml": ["pBdr", "tabs"],
    }
    assert table_formatting == {"tblStyle", "tblW", "jc", "tblLayout", "tblLook", "tblCaption"}


def test_every_page_header_shows_the_page_as_page_and_number_of_pages(document: DocxDocument) -> None:
    page = document.sections[0]

    assert page.different_first_page_header_footer
    for header in (page.first_page_header, page.header):
        assert instructions(header._element) == ["PAGE", "NUMPAGES"]
    assert page.first_page_header.paragraphs[0].text == "1 (1)"  # the fields' cached results
    assert page.header.paragraphs[0].text == "Lindåsa kommun\tTjänsteskrivelse 2027-02-03, MN 2027/0012\u20031 (1)"


def test_the_title_is_the_matter_as_heading_1_and_the_properties_title(document: DocxDocument) -> None:
    headings = [text for style, text in body_paragraphs(document) if style == "Heading 1"]

    assert headings == ["Uppföljning av handlingsplanen till miljöstrategin för 2026"]
    assert document.core_properties.title == "Uppföljning av handlingsplanen till miljöstrategin för 2026"
    assert document.core_properties.author == "Lindåsa kommun"
    assert document.core_properties.language == "sv-SE"


def test_the_sections_are_heading_2_in_the_order_of_a_memo(document: DocxDocument) -> None:
    assert [text for style, text in body_paragraphs(document) if style in ("Heading 2", "Heading 3")] == [
        "Förslag till beslut",
        "Sammanfattning",
        "Bakgrund",
        "Bedömning",
        "Åtgärder som avviker",
        "Beslutsunderlag",
        "Beslutet skickas till",
    ]
    assert [style for style, text in body_paragraphs(document) if text == "Åtgärder som avviker"] == ["Heading 3"]


# ------------------------------------------------------------------------------ the proposal


def test_the_proposal_lists_each_clause_with_a_comma_and_a_full_stop_after_the_last(document: DocxDocument) -> None:
    assert section(document, "Förslag till beslut") == [
        ("Beslutsingress", "Miljönämnden beslutar att"),
        ("Beslutssats", "godkänna uppföljningen av handlingsplanen för 2026,"),
        ("Beslutssats", "överlämna uppföljningen till kommunstyrelsen."),
    ]


def test_the_clauses_are_a_real_dash_list(document: DocxDocument) -> None:
    style = document.styles["Beslutssats"]
    num_id = style.element.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val")
    numbering = document.part.numbering_part.element
    num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
    abstract_id = num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
    level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='0']", NS)

    assert level.find("w:numFmt", NS).get(f"{{{W}}}val") == "bullet"
    assert level.find("w:lvlText", NS).get(f"{{{W}}}val") == "–"


def test_a_single_clause_is_one_sentence(example_plan: Plan, tmp_path: Path, ooxml_validate) -> None:
    report = committee(proposal=["godkänna uppföljningen."])
    analysis = analyse(example_plan, followup(example_plan, standard_statuses(), committee=report))

    document = render_to_file(analysis, tmp_path / "en.docx", ooxml_validate)

    assert section(document, "Förslag till beslut") == [("Normal", "Miljönämnden beslutar att godkänna uppföljningen.")]


# ----------------------------------------------------------------------- the computed figures


def test_the_expected_figures_are_counted_from_the_scenario() -> None:
    measures = Counter(category for category, _ in SCENARIO.values())
    activities = Counter(s for _, statuses in SCENARIO.values() for s in statuses)

    assert sum(measures.values()) == 14
    assert measures == {"genomförd": 4, "pågår": 7, "ej_påbörjad": 2, "ej_relevant": 1}
    assert sum(activities.values()) == 47
    assert activities == {G: 21, P: 13, E: 7, A: 1, R: 3, None: 2}


def test_the_summary_opens_with_the_figures_then_the_text(document: DocxDocument) -> None:
    assert section(document, "Sammanfattning") == [
        (
            "Normal",
            "Av 14 åtgärder i handlingsplanen för 2026 är 4 genomförda, 7 pågår, 2 har inte påbörjats och 1 är "
            "inte relevant. Av 47 aktiviteter är 21 genomförda, 13 pågår, 7 har inte påbörjats, 1 har "
            "avbrutits och 3 är inte relevanta. Rapport saknas för 2 aktiviteter.",
        ),
        (
            "Normal",
            "Uppföljningen visar att arbetet med handlingsplanen i stort går enligt plan. Flest åtgärder är "
            "genomförda inom energi och byggande, medan arbetet med vatten och avfall har kommit kortare.",
        ),
        ("Normal", "Två aktiviteter har inte rapporterats, och förvaltningen har påmint de ansvariga."),
    ]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold and "energi" in r.text]
    assert bold == ["Flest åtgärder är genomförda inom energi och byggande"]


def test_the_figures_are_singular_for_one(example_plan: Plan) -> None:
    statuses = {ident: [G] * len(s) for ident, (_, s) in SCENARIO.items()}
    statuses["1"] = [A, A, A, A]
    statuses["3"] = [None, G, G]  # done and not reported: in progress

    text = build_context(analyse(example_plan, followup(example_plan, statuses)))["utfall"]

    assert text == (
        "Av 14 åtgärder i handlingsplanen för 2026 är 12 genomförda, 1 pågår och 1 har avbrutits. "
        "Av 47 aktiviteter är 42 genomförda och 4 har avbrutits. Rapport saknas för 1 aktivitet."
    )


def test_the_first_category_puts_the_verb_before_the_number(example_plan: Plan) -> None:
    statuses = {ident: [E] * len(s) for ident, (_, s) in SCENARIO.items()}
    statuses["1"] = [G, G, G, G]

    text = build_context(analyse(example_plan, followup(example_plan, statuses)))["utfall"]

    assert text == (
        "Av 14 åtgärder i handlingsplanen för 2026 är 1 genomförd och 13 har inte påbörjats. "
        "Av 47 aktiviteter är 4 genomförda och 43 har inte påbörjats."
    )


def test_a_measure_without_any_report_is_counted_as_not_reported(example_plan: Plan) -> None:
    statuses = {ident: [G] * len(s) for ident, (_, s) in SCENARIO.items()}
    statuses["9"] = [None, None]

    text = build_context(analyse(example_plan, followup(example_plan, statuses)))["utfall"]

    assert text == (
        "Av 14 åtgärder i handlingsplanen för 2026 är 13 genomförda och 1 har inte rapporterats. "
        "Av 47 aktiviteter är 45 genomförda. Rapport saknas för 2 aktiviteter."
    )


def test_a_measure_without_activities_is_neither_unreported_nor_deviating(example_plan: Plan) -> None:
    plan = example_plan.model_copy(deep=True)
    plan.measures[8].activities = []  # measure 9
    statuses = {ident: [G] * len(s) for ident, (_, s) in SCENARIO.items()}
    statuses["9"] = []

    context = build_context(analyse(plan, followup(plan, statuses)))

    assert context["utfall"] == (
        "Av 14 åtgärder i handlingsplanen för 2026 är 13 genomförda och 1 har inga aktiviteter. "
        "Alla 45 aktiviteter är genomförda."
    )
    assert context["avvikande_åtgärder"] == []
    assert context["avvikelser_text"] == "Ingen av handlingsplanens 14 åtgärder avviker."


def test_the_context_names_the_strategy_by_its_kind(example_plan: Plan) -> None:
    plan = example_plan.model_copy(deep=True)
    plan.strategy.name = "Hållbarhetspolicy 2024–2030"

    context = build_context(analyse(plan, followup(plan, standard_statuses())))

    assert context["strategi"] == {
        "namn": "Hållbarhetspolicy 2024–2030",
        "typ": "hållbarhetspolicy",
        "typ_bestämd": "hållbarhetspolicyn",
        "typ_genitiv": "hållbarhetspolicyns",
    }


def test_the_background_names_the_plan_its_decision_and_the_period(document: DocxDocument) -> None:
    assert section(document, "Bakgrund") == [
        (
            "Normal",
            "Kommunstyrelsen fastställde den 17 februari 2026 ”Handlingsplan till miljöstrategin för 2026” "
            "(KS 2026/0087). Handlingsplanen innehåller 14 åtgärder med sammanlagt 47 aktiviteter. "
            "Uppföljningen avser helåret 2026 och visar läget den 31 december 2026.",
        ),
        (
            "Normal",
            "Kommunens miljöstrategi genomförs genom årliga handlingsplaner. Sektorerna och bolagen rapporterar "
            "hur deras aktiviteter har gått två gånger om året, vid delårsbokslutet och vid årsbokslutet.",
        ),
        (
            "Normal",
            "Miljönämnden följer arbetet och lämnar uppföljningen vidare till kommunstyrelsen, som använder den "
            "när nästa års handlingsplan tas fram.",
        ),
    ]


def test_a_plan_without_decision_data_is_named_without_it(example_plan: Plan) -> None:
    plan = example_plan.model_copy(deep=True)
    plan.metadata.decided = None
    plan.metadata.decided_by = None
    plan.metadata.reference_number = None
    period = Period(kind="delår", year=2026, as_of=dt.date(2026, 8, 31))

    text = build_context(analyse(plan, followup(plan, standard_statuses(), period=period)))["plan_text"]

    assert text == (
        "Uppföljningen gäller ”Handlingsplan till miljöstrategin för 2026”. Handlingsplanen innehåller 14 "
        "åtgärder med sammanlagt 47 aktiviteter. Uppföljningen avser delåret 2026 och visar läget den 31 "
        "augusti 2026."
    )


# ------------------------------------------------------------------------- deviating measures


def test_the_assessment_text_comes_before_the_deviating_measures(document: DocxDocument) -> None:
    assert section(document, "Bedömning") == [
        (
            "Normal",
            "Förvaltningen bedömer att de flesta åtgärderna ger effekt. Följande behöver särskild "
            "uppmärksamhet inför nästa år:",
        ),
        ("List Bullet", "reningen vid Lindåsa reningsverk, där filtersteget har skjutits upp,"),
        ("List Bullet", "sortering av restavfall, som ännu inte har kommit i gång."),
        ("Normal", "Förvaltningen föreslår att åtgärderna förs över till handlingsplanen för 2027."),
        ("Heading 3", "Åtgärder som avviker"),
        (
            "Normal",
            "Av handlingsplanens 14 åtgärder avviker 3. En åtgärd avviker om den inte har påbörjats eller har "
            "avbrutits, eller om någon av dess aktiviteter har avbrutits eller saknar rapport.",
        ),
    ]


def test_the_deviating_measures_are_listed_with_status_word_and_symbol(document: DocxDocument) -> None:
    table = document.tables[1]

    assert row_texts(table) == [
        ["Åtgärd", "Status", "Aktiviteter som avviker"],
        [
            "7. Minska utsläppen till sjöar och vattendrag",
            "○ Ej påbörjad",
            "Lindåsa Energi AB: × Avbruten – Upphandlingen av filtersteget överprövades.\n"
            "Lindåsa Energi AB: □ Ej rapporterad\n"
            "Samhällsbyggnadssektorn: ○ Ej påbörjad",
        ],
        [
            "11. Minska restavfallet från hushåll och verksamheter\nInsamlingen av matavfall startar först 2027.",
            "○ Ej påbörjad",
            "Återbruk Lindåsa AB: ○ Ej påbörjad\nÅterbruk Lindåsa AB: ○ Ej påbörjad\n"
            "Lindåsahem AB: ○ Ej påbörjad\nKultur- och fritidssektorn: ○ Ej påbörjad",
        ],
        ["13. Servera mer klimatsmart och säsongsanpassad mat", "► Pågår", "Äldreomsorgssektorn: □ Ej rapporterad"],
    ]
    assert table.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None


def test_measures_that_do_not_deviate_are_not_listed(document: DocxDocument, example_plan: Plan) -> None:
    listed = [row.cells[0].text for row in document.tables[1].rows[1:]]

    for measure in example_plan.measures:
        if measure.id not in DEVIATING:
            assert not any(text.startswith(f"{measure.id}. ") for text in listed), measure.title
            assert measure.title not in all_text(document)


def test_when_no_measure_deviates_a_sentence_says_so_and_there_is_no_table(
    example_plan: Plan, tmp_path: Path, ooxml_validate
) -> None:
    statuses = {ident: [G] * len(s) for ident, (_, s) in SCENARIO.items()}
    statuses["5"] = [P, G, G, G]
    analysis = analyse(example_plan, followup(example_plan, statuses))

    document = render_to_file(analysis, tmp_path / "inga.docx", ooxml_validate)

    assert len(document.tables) == 1  # only the header block
    assert section(document, "Bedömning")[-1] == (
        "Normal",
        "Ingen av handlingsplanens 14 åtgärder avviker. En åtgärd avviker om den inte har påbörjats eller har "
        "avbrutits, eller om någon av dess aktiviteter har avbrutits eller saknar rapport.",
    )


# ----------------------------------------------------------- attachments, recipients, signature


def test_the_attachments_and_the_recipients_of_the_decision_are_lists(document: DocxDocument) -> None:
    # The attached documents carry the number the committee package gives them (hallbardocs paket).
    assert section(document, "Beslutsunderlag") == [
        ("List Bullet", "Tjänsteskrivelse 2027-02-03"),
        ("List Bullet", "Miljöbokslut 2026 (bilaga 1)"),
    ]
    assert section(document, "Beslutet skickas till")[:3] == [
        ("Sändlista", "Kommunstyrelsen"),
        ("Sändlista", "Samhällsbyggnadssektorn"),
        ("Sändlista", "Lindåsa Energi AB"),
    ]


def test_the_memo_ends_with_the_signature(document: DocxDocument) -> None:
    assert body_paragraphs(document)[-3:] == [
        ("Underskrift", "Samhällsbyggnadssektorn, Miljöenheten"),
        ("Namnförtydligande", "Karin Ek"),
        ("Befattning", "Miljöstrateg"),
    ]


def test_optional_fields_left_out_show_a_dash_or_nothing(example_plan: Plan, tmp_path: Path, ooxml_validate) -> None:
    report = committee(
        office=None, officer_title=None, reference_number=None, attachments=[], send_to=[], summary="", assessment=""
    )
    analysis = analyse(example_plan, followup(example_plan, standard_statuses(), committee=report))

    document = render_to_file(analysis, tmp_path / "kort.docx", ooxml_validate)

    left, right = (cell.text.split("\n") for cell in document.tables[0].rows[0].cells)
    assert left == ["", "Lindåsa kommun", "Samhällsbyggnadssektorn", "Handläggare", "Karin Ek"]
    assert right[-1] == "Diarienummer\t–"
    assert document.sections[0].header.paragraphs[0].text == "Lindåsa kommun\tTjänsteskrivelse 2027-02-03\u20031 (1)"
    headings = [text for style, text in body_paragraphs(document) if style == "Heading 2"]
    assert "Beslutsunderlag" not in headings and "Beslutet skickas till" not in headings
    assert [text[:30] for _, text in section(document, "Sammanfattning")] == ["Av 14 åtgärder i handlingsplan"]
    assert section(document, "Bedömning")[0] == ("Heading 3", "Åtgärder som avviker")
    assert body_paragraphs(document)[-2:] == [
        ("Underskrift", "Samhällsbyggnadssektorn"),
        ("Namnförtydligande", "Karin Ek"),
    ]


# ------------------------------------------------------------------------------ county scale


def test_the_county_scale_is_summarised_by_category(example_plan: Plan, tmp_path: Path, ooxml_validate) -> None:
    analysis = analyse(example_plan, followup(example_plan, COUNTY, scale="länsstyrelserna"))

    document = render_to_file(analysis, tmp_path / "lan.docx", ooxml_validate)

    assert section(document, "Sammanfattning")[0] == (
        "Normal",
        "Av 14 åtgärder i handlingsplanen för 2026 är 4 genomförda, 7 pågår, 2 har inte påbörjats och 1 är inte "
        "relevant. Av 47 aktiviteter är 21 genomförda, 13 pågår, 8 har inte påbörjats och 3 är inte "
        "relevanta. Rapport saknas för 2 aktiviteter.",
    )
    assert row_texts(document.tables[1])[1:] == [
        [
            "7. Minska utsläppen till sjöar och vattendrag",
            "○ Ej påbörjad",
            "Lindåsa Energi AB: ○ Ej påbörjad\nLindåsa Energi AB: □ Ej rapporterad\nSamhällsbyggnadssektorn: ○ Ej påbörjad",
        ],
        [
            "11. Minska restavfallet från hushåll och verksamheter\nInsamlingen av matavfall startar först 2027.",
            "○ Ej påbörjad",
            "Återbruk Lindåsa AB: ○ Ej påbörjad\nÅterbruk Lindåsa AB: ○ Ej påbörjad\n"
            "Lindåsahem AB: ○ Ej påbörjad\nKultur- och fritidssektorn: ○ Ej påbörjad",
        ],
        ["13. Servera mer klimatsmart och säsongsanpassad mat", "▲ Hälften", "Äldreomsorgssektorn: □ Ej rapporterad"],
    ]


# ------------------------------------------------------------------------------ user's text


def test_committee_texts_with_markup_characters_appear_as_written(
    example_plan: Plan, tmp_path: Path, ooxml_validate
) -> None:
    report = committee(
        subject=f"Ärende {TRICKY}",
        officer=f"Handläggare {TRICKY}",
        recipient="Miljö- & hälsoskyddsnämnden",
        proposal=[f"godkänna {TRICKY}", "överlämna {{ ärende }}"],
        summary=f"Sammanfattning {TRICKY}",
        background=f"Bakgrund {TRICKY}",
        assessment=f"Bedömning {TRICKY}",
        attachments=[f"Bilaga {TRICKY}"],
        send_to=[f"Mottagare {TRICKY}"],
    )
    analysis = analyse(example_plan, followup(example_plan, standard_statuses(), committee=report))

    document = render_to_file(analysis, tmp_path / "tecken.docx", ooxml_validate)
    paragraphs = body_paragraphs(document)

    assert ("Heading 1", f"Ärende {TRICKY}") in paragraphs
    assert ("Mottagare", "Miljö- & hälsoskyddsnämnden") in paragraphs
    assert section(document, "Förslag till beslut") == [
        ("Beslutsingress", "Miljö- & hälsoskyddsnämnden beslutar att"),
        ("Beslutssats", f"godkänna {TRICKY},"),
        ("Beslutssats", "överlämna {{ ärende }}."),
    ]
    for text in (f"Sammanfattning {TRICKY}", f"Bakgrund {TRICKY}", f"Bedömning {TRICKY}"):
        assert ("Normal", text) in paragraphs
    assert ("List Bullet", f"Bilaga {TRICKY}") in paragraphs
    assert ("Sändlista", f"Mottagare {TRICKY}") in paragraphs
    assert f"Handläggare {TRICKY}" in document.tables[0].rows[0].cells[0].text
    assert document.core_properties.title == f"Ärende {TRICKY}"
    assert "&amp;" not in all_text(document) and "&lt;" not in all_text(document)


# ------------------------------------------------------------------------------ the contract


def test_the_default_template_uses_only_variables_the_context_provides(analysis: FollowUpAnalysis) -> None:
    used = template_variables(None, "tjansteskrivelse")

    assert used
    assert used <= set(build_context(analysis))


def test_a_follow_up_without_committee_texts_cannot_make_a_memo(example_plan: Plan) -> None:
    analysis = analyse(example_plan, followup(example_plan, standard_statuses(), committee=None))

    with pytest.raises(ValueError, match="tjänsteskrivelse"):
        build_context(analysis)
    with pytest.raises(ValueError, match="tjänsteskrivelse"):
        document_properties(analysis)


def test_the_document_properties(analysis: FollowUpAnalysis) -> None:
    properties = document_properties(analysis)

    assert properties.title == "Uppföljning av handlingsplanen till miljöstrategin för 2026"
    assert properties.author == "Lindåsa kommun"
    assert properties.subject == "Tjänsteskrivelse till Miljönämnden"
    assert properties.language == "sv-SE"


def test_the_header_paragraphs_are_not_the_only_place_for_anything(document: DocxDocument) -> None:
    """Accessibility: the date, reference and municipality shown in the page header are in the body too."""
    body = all_text(document)

    for text in ("Lindåsa kommun", "2027-02-03", "MN 2027/0012"):
        assert text in body


# ------------------------------------------------------------------------------- the layout


@pytest.mark.libreoffice
def test_the_memo_is_a_few_pages_each_numbered_page_of_pages(
    document_path: Path, convert_to_pdf: Callable[[Path, Path], Path], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(convert_to_pdf(document_path, tmp_path)).pages]

    assert 1 <= len(pages) <= 4
    for number, text in enumerate(pages, start=1):
        assert f"{number} ({len(pages)})" in text
    assert "TJÄNSTESKRIVELSE" in pages[0]


def test_the_header_block_carries_the_municipality_logo_with_alt_text(document: DocxDocument) -> None:
    first_cell = document.tables[0].rows[0].cells[0]
    pictures = first_cell._tc.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")

    assert [p.get("descr") for p in pictures] == ["Lindåsa kommuns logotyp"]
    assert [p.text for p in first_cell.paragraphs][1] == "Lindåsa kommun"


@pytest.mark.parametrize(
    ("page", "margin"),
    [((21.59, 27.94), 3.175), ((21.0, 29.7), 2.0)],
    ids=["letter-narrower", "a4-wider"],
)
def test_a_template_in_a_profile_fits_its_header_and_tables_to_the_profiles_text_width(
    page: tuple[float, float], margin: float, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    """`mall ny --profil`: the page header's page counter stands at the profile's right margin
    (not at ours, beyond it: "2 (3)" ran off the header), and the tables are as wide as its text."""
    from docx.shared import Cm

    from hallbardocs.templating import make_template

    profile = Document()
    profile.sections[0].page_width, profile.sections[0].page_height = Cm(page[0]), Cm(page[1])
    profile.sections[0].left_margin = profile.sections[0].right_margin = Cm(margin)
    profile.save(str(tmp_path / "profil.docx"))
    made = tmp_path / "mall.docx"
    make_template("tjansteskrivelse", tmp_path / "profil.docx", made)
    ooxml_validate(made)

    template = Document(str(made))
    section = template.sections[0]
    text_width = round((section.page_width - section.left_margin - section.right_margin) / 635)  # twips
    stops = section.header._element.findall(".//w:tabs/w:tab", NS)
    right = [int(s.get(f"{{{W}}}pos")) for s in stops if s.get(f"{{{W}}}val") == "right"]
    assert right == [text_width]
    assert text_width != 9072  # not our own page's
    for table in template.tables:
        width = int(table._tbl.find("w:tblPr/w:tblW", NS).get(f"{{{W}}}w"))
        columns = [int(c.get(f"{{{W}}}w")) for c in table._tbl.findall("w:tblGrid/w:gridCol", NS)]
        cells = [int(c.get(f"{{{W}}}w")) for c in table._tbl.findall("w:tr[1]/w:tc/w:tcPr/w:tcW", NS)]
        assert width == sum(columns) == sum(cells) == text_width
    status = [int(c.get(f"{{{W}}}w")) for c in template.tables[1]._tbl.findall("w:tblGrid/w:gridCol", NS)][1]
    if text_width < 9072:
        assert status == 1750  # a narrower text takes the width from the widest columns: the status keeps its own


def test_the_default_template_carries_no_style_that_nothing_uses() -> None:
    """Every style definition of the default template is used by its text (body, page headers and
    footers, footnotes, list numbering), looked up by the renderer by name, one of our own, a
    default, or reached from one of those (basedOn, link, next): no 175 unused built-in styles
    for a municipality to scroll past. Word offers the others from its latent styles."""
    from hallbardocs.render.lint import RENDERER_STYLES, TOC_STYLES

    looked_up = {name.casefold() for name, _ in (*RENDERER_STYLES, *TOC_STYLES)}
    looked_up |= {"list paragraph", "title", "caption", "table grid", "fokusområdesetikett"}
    with zipfile.ZipFile(default_template("tjansteskrivelse")) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        texts = [
            etree.fromstring(archive.read(n))
            for n in archive.namelist()
            if re.fullmatch(r"word/(document|header\d+|footer\d+|footnotes|numbering)\.xml", n)
        ]
    definitions = {s.get(f"{{{W}}}styleId"): s for s in styles.iterfind("w:style", NS)}
    reached = {
        e.get(f"{{{W}}}val") for root in texts for e in root.iter(*(f"{{{W}}}{t}" for t in ("pStyle", "rStyle", "tblStyle")))
    }
    for style_id, style in definitions.items():
        own = style.get(f"{{{W}}}customStyle") == "1" and style.find("w:link", NS) is None
        if own or style.get(f"{{{W}}}default") == "1" or style.find("w:name", NS).get(f"{{{W}}}val").casefold() in looked_up:
            reached.add(style_id)
    todo = list(reached)
    while todo:
        for ref in definitions[todo.pop()].iterfind("w:*[@w:val]", NS):
            if etree.QName(ref).localname in ("basedOn", "link", "next") and ref.get(f"{{{W}}}val") not in reached:
                reached.add(ref.get(f"{{{W}}}val"))
                todo.append(ref.get(f"{{{W}}}val"))

    assert set(definitions) == reached, sorted(set(definitions) - reached)
    assert styles.find("w:latentStyles", NS) is not None
