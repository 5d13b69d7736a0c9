"""The example handlingsplan rendered into Word and read back: what a reader of the document sees.

Expected text is written out: ``\\xa0`` is the no-break space, ``–`` (U+2013) the en dash. Every
document these tests write is also checked with the OOXML validator.
"""

from __future__ import annotations

import builtins
import copy
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph
from lxml import etree

import hallbardocs.write
from hallbardocs import (
    Plan,
    RawDocument,
    TemplateError,
    handlingsplan_context,
    plan_from_data,
    read_plan,
    render_handlingsplan,
    validate_plan,
    write_handlingsplan,
)
from hallbardocs.content import shorten
from hallbardocs.render import default_template, template_variables

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Text that would be markup in XML and code in Jinja: it must reach the reader as written.
TRICKY = "Vård & omsorg <SoL> {{ titel }} {% if x %}"


# ----------------------------------------------------------------------------------- helpers


MEASURE_HEADING = "Åtgärdsrubrik"
HEADING_1 = ("Heading 1", "Rubrik 1 ny sida")
"""The chapter headings: a Heading 1, or the template's Heading 1 that starts a new page."""
"""The style of a measure's heading: a Heading 2 whose style starts a new page."""


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def swedish_key(text: str) -> str:
    """Swedish alphabetical order for these names: å, ä, ö after z (``{``, ``|``, ``}`` in ASCII)."""
    return text.casefold().translate(str.maketrans({"å": "{", "ä": "|", "ö": "}"}))


def kronor(amount: Decimal) -> str:
    """Whole kronor as the document writes them: ``450\\xa0000\\xa0kr``."""
    assert amount == amount.to_integral_value(), "the example's costs are whole kronor"
    return f"{int(amount):,}".replace(",", "\xa0") + "\xa0kr"


def row_text(row: Any) -> str:
    """A table row's cells joined with `` | ``; a merged cell counts once."""
    texts: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is not previous:
            texts.append(cell.text)
        previous = cell._tc
    return " | ".join(texts)


def paragraphs_with_style(document: DocxDocument, style: str) -> list[Paragraph]:
    """The paragraphs in ``style`` ("Heading 1" counts "Rubrik 1 ny sida" too)."""
    styles = HEADING_1 if style == "Heading 1" else (style,)
    return [p for p in document.paragraphs if p.style is not None and p.style.name in styles]


def paragraph_of(element: etree._Element) -> etree._Element:
    while element.tag != w("p"):
        element = element.getparent()
    return element


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def all_text(document: DocxDocument) -> str:
    """Every paragraph of the body, tables and the table of contents included, one per line."""
    return "\n".join(text_of(p) for p in document.element.body.iter(w("p")))


def toc_entries(document: DocxDocument) -> list[etree._Element]:
    """The pre-filled entries of the table of contents: its ``w:hyperlink``s to bookmarks."""
    sdt = document.element.body.find("w:sdt", NS)
    assert sdt is not None, "the table of contents is a w:sdt in the body"
    return sdt.findall(".//w:hyperlink[@w:anchor]", NS)


def measure_sections(document: DocxDocument, plan: Plan) -> Iterator[tuple[Any, list[Paragraph]]]:
    """Each measure with the body paragraphs of its page (its heading up to the next heading)."""
    paragraphs = document.paragraphs
    headings = [i for i, p in enumerate(paragraphs) if p.style.name in (*HEADING_1, "Heading 2", MEASURE_HEADING)]
    start = next(i for i in headings if paragraphs[i].text == f"Åtgärder {plan.year}")
    measure_headings = [i for i in headings if i > start and paragraphs[i].style.name == MEASURE_HEADING]
    assert len(measure_headings) == len(plan.measures)
    bounds = measure_headings + [next(i for i in headings if i > measure_headings[-1])]
    for measure, begin, end in zip(plan.measures, bounds[:-1], bounds[1:], strict=True):
        yield measure, paragraphs[begin:end]


def package_part(document: DocxDocument, partname: str) -> etree._Element:
    for part in document.part.package.iter_parts():
        if part.partname == partname:
            return etree.fromstring(part.blob)
    raise AssertionError(f"the package has no part {partname}")


def example_data() -> dict[str, Any]:
    """The example plan as the raw data of its file, to change and validate again."""
    return copy.deepcopy(read_plan(EXAMPLES / "handlingsplan.yaml").data)


def replaced(value: Any, old: str, new: str) -> Any:
    """``value`` with every string equal to ``old`` replaced by ``new``, at any depth."""
    if isinstance(value, dict):
        return {k: replaced(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [replaced(v, old, new) for v in value]
    return new if value == old else value


def make_template(tmp_path: Path, *paragraphs: str, name: str = "mall.docx") -> Path:
    """A minimal template: one paragraph per given text."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / name
    document.save(str(path))
    return path


@pytest.fixture
def render_checked(tmp_path: Path, ooxml_validate: Callable[[Path], None]) -> Callable[..., DocxDocument]:
    """``render_checked(plan, template=None)``: writes the plan's document, validates it, reads it back."""
    count = 0

    def render(plan: Plan, template: Any = None) -> DocxDocument:
        nonlocal count
        count += 1
        path = write_handlingsplan(plan, tmp_path / f"dokument-{count}.docx", template=template)
        ooxml_validate(path)
        return Document(str(path))

    return render


@pytest.fixture(scope="module")
def document(example_docx: Path) -> DocxDocument:
    return Document(str(example_docx))


@pytest.fixture(scope="module")
def colour_of(example_plan: Plan) -> dict[str, str]:
    """Each focus area's colour as written in the YAML, as Word writes colours: ``1B5E7A``."""
    raw = yaml.safe_load((EXAMPLES / "handlingsplan.yaml").read_text(encoding="utf-8"))
    return {
        area["namn"]: area["färg"].lstrip("#").upper()
        for priority in raw["strategi"]["prioriteringar"]
        for area in priority["fokusområden"]
    }


# ------------------------------------------------------------------------------ the example


def test_the_example_document_is_valid_ooxml(example_docx: Path, ooxml_validate: Callable[[Path], None]) -> None:
    ooxml_validate(example_docx)


def test_the_title_page_names_the_municipality_and_the_document(document: DocxDocument) -> None:
    cover = []
    for paragraph in document.paragraphs:
        if paragraph.text == "Metadata om dokument":
            break
        cover.append((paragraph.style.name, paragraph.text))

    assert cover == [
        ("Normal", ""),  # the logo, whose wordmark is not repeated beside it
        ("Title", "Handlingsplan till miljöstrategin för 2026"),
        ("Subtitle", "Miljöstrategi för Lindåsa 2022–2030"),
        # the colour field in the cover's lower half
        ("Omslagsfältsrubrik", "Lindåsa kommun"),
        ("Omslagsfält", "Handlingsplan 2026"),
        ("Omslagsfält", "Beslutad 2026-02-17 av Kommunstyrelsen"),
    ]
    logo = document.paragraphs[0]._p.find(".//{*}docPr")
    assert logo is not None and logo.get("descr") == "Lindåsa kommuns logotyp"


def test_the_cover_colour_field_takes_its_colour_from_its_style(document: DocxDocument) -> None:
    field = [p for p in document.paragraphs if p.style.name.startswith("Omslagsfält")]
    style = document.styles["Omslagsfält"]
    fill = style.element.find("w:pPr/w:shd", NS).get(w("fill"))
    text_colour = str(style.font.color.rgb)

    assert len(field) == 3
    assert contrast(fill, text_colour) >= 4.5
    assert document.styles["Omslagsfältsrubrik"].base_style.name == "Omslagsfält"
    assert style.base_style.name == "Normal"
    for paragraph in field:  # no colour typed into the document: a municipality restyles the style
        assert paragraph._p.find("w:pPr/w:shd", NS) is None
        assert all(run._r.find("w:rPr/w:color", NS) is None for run in paragraph.runs)


def test_an_undecided_plan_has_no_decision_line_in_its_cover_field(render_checked) -> None:
    data = example_data()
    del data["metadata"]["beslutad"]
    plan = plan_from_data(data, base_dir=EXAMPLES)

    field = [p.text for p in render_checked(plan).paragraphs if p.style.name.startswith("Omslagsfält")]

    assert field == ["Lindåsa kommun", "Handlingsplan 2026"]


def test_a_draft_cover_field_does_not_say_the_plan_is_decided(example_plan: Plan, tmp_path: Path) -> None:
    path = write_handlingsplan(example_plan, tmp_path / "utkast.docx", draft=True)
    paragraphs = Document(str(path)).paragraphs
    field = [p.text for p in paragraphs if p.style.name.startswith("Omslagsfält")]

    assert field == ["Lindåsa kommun", "Handlingsplan 2026"]
    assert "UTKAST" in [p.text.split("\n")[0] for p in paragraphs]


def test_the_metadata_table_shows_every_field_its_value_and_both_revisions(document: DocxDocument) -> None:
    rows = [row_text(row) for row in document.tables[0].rows]

    assert rows == [
        "Dokumentnamn | Handlingsplan till miljöstrategin för 2026",
        "Dokumenttyp | Handlingsplan",
        "Omfattar | Kommunkoncernen",
        "Dokumentägare | Kommundirektör",
        "Dokumentansvarig | Miljöstrateg, Samhällsbyggnadssektorn",
        "Publicering | Kommunens webbplats och intranät",
        "Författningsstöd | Miljöbalken (1998:808) och kommunallagen (2017:725)",
        "Beslutad | 2026-02-17",
        "Bör revideras senast | 2027-01-31",
        "Beslutsinstans | Kommunstyrelsen",
        "Diarienummer | KS 2026/0087",
        "Revidering 1 | 2025-02-18, § 21 | Handlingsplanen för 2025 fastställd.",
        "Revidering 2 | 2026-02-17, § 19 | Handlingsplanen för 2026 fastställd, med nya åtgärder för dagvatten,"
        " gröna skolgårdar och internt återbruk.",
    ]


def test_an_empty_optional_field_shows_a_dash(example_plan: Plan, render_checked) -> None:
    plan = example_plan.model_copy(deep=True)
    plan.metadata.covers = None
    plan.metadata.revisions[0].paragraph = None

    rows = [row_text(row) for row in render_checked(plan).tables[0].rows]

    assert "Omfattar | –" in rows
    assert "Revidering 1 | 2025-02-18 | Handlingsplanen för 2025 fastställd." in rows


# ------------------------------------------------------------------------- table of contents


def test_the_table_of_contents_is_a_toc_field(document: DocxDocument) -> None:
    codes = [t.text or "" for t in document.element.body.iter(w("instrText"))]
    assert any(code.strip().startswith('TOC \\o "1-2"') for code in codes), codes


def test_the_table_of_contents_names_every_chapter_and_measure_in_order(
    document: DocxDocument, example_plan: Plan
) -> None:
    entries = [text_of(entry) for entry in toc_entries(document)]
    headings = [p.text for p in document.paragraphs if p.style.name in (*HEADING_1, "Heading 2", MEASURE_HEADING)]

    assert entries == headings
    chapters = [c.title for c in example_plan.chapters]
    measures = [f"{m.id}. {m.title}" for m in example_plan.measures]  # numbered, as in the overview and Bilaga 1
    assert [e for e in entries if e in chapters] == chapters
    assert [e for e in entries if e in measures] == measures


def test_each_table_of_contents_entry_links_to_a_bookmark_on_its_heading(document: DocxDocument) -> None:
    bookmarks = {b.get(w("name")): b for b in document.element.body.iter(w("bookmarkStart"))}
    entries = toc_entries(document)
    assert entries

    for entry in entries:
        anchor = entry.get(w("anchor"))
        assert anchor in bookmarks, f"no bookmark {anchor} for the entry {text_of(entry)!r}"
        heading = Paragraph(paragraph_of(bookmarks[anchor]), document._body)
        assert heading.style.name in (*HEADING_1, "Heading 2", MEASURE_HEADING)
        assert heading.text == text_of(entry)
        assert f"PAGEREF {anchor}" in "".join(t.text or "" for t in entry.iter(w("instrText")))


# ---------------------------------------------------------------------------------- headings


def test_every_chapter_and_part_title_is_a_heading_1(document: DocxDocument, example_plan: Plan) -> None:
    assert [p.text for p in paragraphs_with_style(document, "Heading 1")] == [
        *(c.title for c in example_plan.chapters),
        "Miljöstrategins utformning",
        "Så ska du läsa handlingsplanen",
        "Åtgärder 2026",
        "Bilaga 1 Aktivitetslistan",
    ]


def test_every_measure_is_a_heading_2_on_a_new_page_in_plan_order(document: DocxDocument, example_plan: Plan) -> None:
    headings = [section[0] for _, section in measure_sections(document, example_plan)]

    assert [h.text for h in headings] == [f"{m.id}. {m.title}" for m in example_plan.measures]
    # the page break is in the style (Åtgärdsrubrik, a Heading 2), not set on each heading
    assert all(h.style.name == MEASURE_HEADING and h.style.base_style.name == "Heading 2" for h in headings)
    assert headings[0].style.paragraph_format.page_break_before
    assert not any(h.paragraph_format.page_break_before for h in headings)


# ----------------------------------------------------------------------------- measure pages


def test_each_measure_shows_its_focus_areas_as_shaded_labels(
    document: DocxDocument, example_plan: Plan, colour_of: dict[str, str]
) -> None:
    for measure, section in measure_sections(document, example_plan):
        labels = []
        for run in section[1].runs:
            shading = run._r.find("w:rPr/w:shd", NS)
            if shading is None:
                continue
            colour = run._r.find("w:rPr/w:color", NS)
            assert colour is not None, f"a label of {measure.title!r} has no text colour"
            labels.append((run.text.strip("\xa0"), shading.get(w("fill")), colour.get(w("val"))))

        assert [(name, fill) for name, fill, _ in labels] == [(a, colour_of[a]) for a in measure.focus_areas]
        for name, fill, text_colour in labels:
            assert contrast(fill, text_colour) >= 4.5, f"the label {name!r} is hard to read"


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``RRGGBB`` colours."""

    def luminance(rgb: str) -> float:
        channels = [int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_seventeen_focus_areas_without_colours_get_seventeen_distinct_readable_colours(render_checked) -> None:
    data = example_data()
    for priority in data["strategi"]["prioriteringar"]:
        for area in priority["fokusområden"]:
            area.pop("färg", None)
    extra = [f"F{n}" for n in range(10, 18)]  # short: the keywords property holds every name
    data["strategi"]["prioriteringar"][-1]["fokusområden"].extend({"namn": name} for name in extra)
    data["åtgärder"][0]["fokusområden"].extend(extra)
    plan = plan_from_data(data, base_dir=EXAMPLES)
    names = [a.name for a in plan.focus_areas()]
    assert len(names) == 17

    document = render_checked(plan)
    fills: dict[str, set[str]] = {}
    for run in document.element.body.iter(w("r")):
        shading = run.find("w:rPr/w:shd", NS)
        name = text_of(run).strip("\xa0")
        if shading is None or name not in names:
            continue
        colour = run.find("w:rPr/w:color", NS)
        assert colour is not None, f"the label {name!r} has no text colour"
        fill = shading.get(w("fill"))
        assert contrast(fill, colour.get(w("val"))) >= 4.5, f"the label {name!r} is hard to read on {fill}"
        fills.setdefault(name, set()).add(fill)

    assert sorted(fills) == sorted(names)
    assert all(len(f) == 1 for f in fills.values()), "an area is shown in one colour everywhere"
    assert len({f for (f,) in fills.values()}) == 17


def test_a_default_colour_is_never_one_another_area_has_chosen(example_plan: Plan) -> None:
    from hallbardocs.documents.handlingsplan import DEFAULT_PALETTE, focus_area_colours

    plan = example_plan.model_copy(deep=True)
    areas = plan.focus_areas()
    for area in areas:
        area.given_colour = None
    areas[1].given_colour = "#" + DEFAULT_PALETTE[0]

    colours = focus_area_colours(areas)

    assert colours[areas[1].name] == DEFAULT_PALETTE[0]
    assert colours[areas[0].name] != DEFAULT_PALETTE[0]
    assert len(set(colours.values())) == len(areas)


def test_hundreds_of_focus_areas_still_get_distinct_colours(example_plan: Plan) -> None:
    from hallbardocs.documents.handlingsplan import focus_area_colours
    from hallbardocs.model.plan import FocusArea

    colours = focus_area_colours(FocusArea(namn=f"Område {n}") for n in range(300))

    assert len(set(colours.values())) == 300
    assert all(contrast(fill, "FFFFFF") >= 4.5 for fill in colours.values())


def measure_tables(document: DocxDocument, plan: Plan) -> dict[str, list[Any]]:
    """Each measure's id with the tables on its page (its heading up to the next heading)."""
    tables: dict[str, list[Any]] = {}
    measures = iter(plan.measures)
    current = None
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = item.style.name if item.style is not None else ""
            if style == MEASURE_HEADING:
                current = next(measures).id
                tables[current] = []
            elif style in (*HEADING_1, "Heading 2"):
                current = None
        elif current is not None:
            tables[current].append(item)
    return tables


def test_each_measure_page_shows_its_activities_as_a_table(document: DocxDocument, example_plan: Plan) -> None:
    tables = measure_tables(document, example_plan)
    sections = dict((m.id, s) for m, s in measure_sections(document, example_plan))

    for measure in example_plan.measures:
        [table] = tables[measure.id]
        rows = [row_text(row) for row in table.rows]
        expected = ["Aktivitet | Ansvarig | Period | Kostnad"]
        for a in measure.activities:
            cost = kronor(a.cost) if a.cost is not None else "ej angiven"
            expected.append(f"{a.text} | {a.unit} | {a.start:%Y-%m-%d}\xa0– {a.end:%Y-%m-%d} | {cost}")
        if len(measure.activities) > 1:
            costs = [a.cost for a in measure.activities if a.cost is not None]
            expected.append(f"Summa | {kronor(sum(costs)) if costs else 'ej angiven'}")
        assert rows == expected, measure.id
        # a real data table: a header row that repeats, in the template's table style, with a caption
        assert table.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None
        assert table.style.name == "Hållbarhetstabell"
        assert table._tbl.find("w:tblPr/w:tblCaption", NS).get(w("val")) == "Åtgärdens aktiviteter"
        # its lead-in names the year, in the lead-in style, after what the measure contributes to
        texts = [p.text for p in sections[measure.id]]
        lead = texts.index(f"Aktiviteter {example_plan.year}")
        assert sections[measure.id][lead].style.name == "Ledtext"
        # above it the responsible units, which may include some without an activity yet
        assert texts[lead - 1].startswith("Ansvariga: ")
        assert all(unit in texts[lead - 1] for unit in measure.responsible)
        assert all(not t.startswith("Bidrar till") for t in texts[lead:])


def test_each_measure_names_its_units_in_swedish_alphabetical_order(example_plan: Plan) -> None:
    from hallbardocs.documents.handlingsplan import build_context

    units_of = {m["id"]: m["ansvariga"] for m in build_context(example_plan)["åtgärder"]}

    for measure in example_plan.measures:
        assert sorted(units_of[measure.id]) == sorted(measure.responsible)
        assert units_of[measure.id] == sorted(units_of[measure.id], key=swedish_key)
    assert units_of["10"] == [
        "Barn- och utbildningssektorn",
        "Sektorn för verksamhetsstöd",
        "Återbruk Lindåsa AB",
        "Äldreomsorgssektorn",
    ]


def test_a_measure_page_table_and_the_activity_list_say_the_same(document: DocxDocument, example_plan: Plan) -> None:
    """Both are made from the same context: each activity's cells read alike in both."""
    on_pages = {
        row_text(row)
        for tables in measure_tables(document, example_plan).values()
        for table in tables
        for row in table.rows[1:]
        if row.cells[0].text != "Summa"
    }
    in_list = set()
    for row in document.tables[-1].rows[1:-1]:
        _, unit, text, period, cost = (c.text for c in row.cells)
        in_list.add(f"{text} | {unit} | {period} | {cost}")

    assert on_pages == in_list


# ------------------------------------------------------------------------ the activity list


def test_the_activity_list_header_row_repeats_on_every_page(document: DocxDocument) -> None:
    header = document.tables[-1].rows[0]

    assert [c.text for c in header.cells] == ["Åtgärd", "Enhet", "Aktivitet", "Period", "Kostnad"]
    assert header._tr.find("w:trPr/w:tblHeader", NS) is not None


def test_the_activity_list_holds_every_activity_grouped_by_measure_and_a_total(
    example_plan: Plan, docx_dump, example_docx: Path
) -> None:
    expected = ["Åtgärd | Enhet | Aktivitet | Period | Kostnad"]
    for measure in example_plan.measures:
        for i, a in enumerate(measure.activities):
            # the measure in a column of its own (no row merged across the table): in full on its first
            # activity, shortened on the others, so a page the measure continues on says which it is
            named = f"{measure.id}. {measure.title}" if i == 0 else f"{measure.id}. {shorten(measure.title, 24)}"
            cost = kronor(a.cost) if a.cost is not None else "ej angiven"  # not a dash, which could mean "none"
            expected.append(f"{named} | {a.unit} | {a.text} | {a.start:%Y-%m-%d}\xa0– {a.end:%Y-%m-%d} | {cost}")
    total = sum(a.cost for m in example_plan.measures for a in m.activities if a.cost is not None)
    expected.append(f"Summa | {kronor(total)}")

    dump = docx_dump(example_docx)
    start = dump.index(("row", "Tabellrubrik", "Åtgärd | Enhet | Aktivitet | Period | Kostnad"))
    assert [text for _, _, text in dump[start:]] == expected


def test_the_activity_list_names_the_measure_on_every_row_shortened_and_grey_after_the_first(
    document: DocxDocument,
) -> None:
    rows = document.tables[-1].rows
    texts = [row.cells[0].text for row in rows]
    first = texts.index("1. Ställ om kommunkoncernens fordonsflotta")

    assert texts[first + 1] == "1. Ställ om…"
    repeated = rows[first + 1].cells[0].paragraphs[0].runs
    assert [run.style.name for run in repeated if run.text] == ["Upprepad åtgärd"]
    assert str(document.styles["Upprepad åtgärd"].font.color.rgb) == "595959"  # 7:1 on white
    assert all(text for text in texts[1:-1])


def test_a_measure_without_activities_says_so_on_its_page_and_in_the_activity_list(render_checked) -> None:
    data = example_data()
    del data["åtgärder"][8]["aktiviteter"]  # measure 9
    plan = plan_from_data(data, base_dir=EXAMPLES)
    nine = plan.measures[8]

    document = render_checked(plan)
    pages = {measure.id: section for measure, section in measure_sections(document, plan)}
    texts = [p.text for p in pages["9"] if p.text]
    list_rows = [row_text(row) for row in document.tables[-1].rows]

    assert f"Aktiviteter {plan.year}" not in texts
    assert measure_tables(document, plan)["9"] == []
    assert "Åtgärden har ännu inga aktiviteter. Ansvariga: Barn- och utbildningssektorn och Samhällsbyggnadssektorn." in texts
    start = list_rows.index(f"9. {nine.title} | Inga aktiviteter |  |  | ")
    assert list_rows[start + 1].startswith(f"10. {plan.measures[9].title} | ")
    assert f"Aktiviteter {plan.year}" in [p.text for p in pages["8"]]
    assert len(measure_tables(document, plan)["8"]) == 1


def test_the_activity_list_writes_periods_and_kronor_the_swedish_way(document: DocxDocument) -> None:
    rows = [row_text(row) for row in document.tables[-1].rows]

    assert (
        "2. Energieffektivisera… | Lindåsahem AB | Justera in värmesystemen i 320 lägenheter på Västra Lindåsa. | 2026-09-01\xa0– 2026-12-15"
        " | 450\xa0000\xa0kr"
    ) in rows
    assert (
        "7. Minska utsläppen till sjöar och vattendrag | Lindåsa Energi AB"
        " | Installera ett nytt filtersteg för fosforrening vid Lindåsa reningsverk. | 2026-03-01\xa0– 2026-12-31 | 6\xa0800\xa0000\xa0kr"
    ) in rows
    assert rows[-1] == "Summa | 33\xa0680\xa0000\xa0kr"


# -------------------------------------------------------------------------- header and footer


def test_every_page_after_the_cover_has_the_document_name_above_and_page_numbers_below(
    document: DocxDocument,
) -> None:
    name = "Handlingsplan till miljöstrategin för 2026"
    for section in document.sections:
        header = "\n".join(p.text for p in section.header.paragraphs)
        footer = section.footer._element
        fields = " ".join((t.text or "").strip() for t in footer.iter(w("instrText")))

        assert name in header
        assert fields.split() == ["PAGE", "NUMPAGES"]
        assert "Sida" in text_of(footer) and "Lindåsa kommun" in text_of(footer)

    cover = document.sections[0]
    assert cover.different_first_page_header_footer
    assert [p.text for p in cover.first_page_header.paragraphs] in ([], [""])


# ------------------------------------------------------------------------- properties, language


def test_the_core_properties_describe_the_plan(document: DocxDocument, example_plan: Plan) -> None:
    properties = document.core_properties

    assert properties.title == "Handlingsplan till miljöstrategin för 2026"
    assert properties.author == "Lindåsa kommun"
    assert properties.language == "sv-SE"
    keywords = [k.strip() for k in properties.keywords.split(",")]
    assert all(area.name in keywords for area in example_plan.focus_areas())


def test_the_document_language_is_swedish(document: DocxDocument) -> None:
    styles = document.styles.element
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)

    assert default is not None and default.get(w("val")) == "sv-SE"
    assert {lang.get(w("val")) for lang in styles.iter(w("lang"))} - {None} == {"sv-SE"}


# ------------------------------------------------------------------------- chapter rich text


def test_chapter_lists_are_paragraphs_in_list_styles(docx_dump, example_docx: Path) -> None:
    dump = docx_dump(example_docx)

    def chapter(title: str) -> list[tuple[str, str]]:
        start = next(i for i, item in enumerate(dump) if item[1] in HEADING_1 and item[2] == title) + 1
        end = next(i for i in range(start, len(dump)) if dump[i][1] in HEADING_1)
        return [(style, text) for _, style, text in dump[start:end]]

    assert [item for item in chapter("Miljöarbetet är allas ansvar") if item[0] == "List Bullet"] == [
        ("List Bullet", "Vi går före: kommunen och bolagen visar i sin egen verksamhet att omställningen är möjlig."),
        ("List Bullet", "Vi samverkar: med näringsliv, föreningar, grannkommuner och regionen."),
        ("List Bullet", "Vi bjuder in: invånare och medarbetare ska kunna delta, få information och lära sig mer."),
    ]
    numbered = [text for style, text in chapter("Uppföljning") if style == "List Number"]
    assert [text.split(" ")[:2] for text in numbered] == [
        ["Vid", "delårsbokslutet"],
        ["Vid", "årsbokslutet"],
        ["Resultatet", "sammanställs"],
        ["Miljöbokslutet", "och"],
    ]


def test_bold_and_italic_runs_are_where_the_markdown_had_them(document: DocxDocument) -> None:
    runs = [run for p in document.paragraphs for run in p.runs]
    bold = {run.text for run in runs if run.bold}
    italic = {run.text for run in runs if run.italic}

    assert {"14 åtgärder", "Vi går före", "Vi samverkar", "Vi bjuder in", "delårsbokslutet", "årsbokslutet"} <= bold
    assert {
        "Miljöstrategi för Lindåsa 2022–2030",
        "miljöbokslut",
        "En aktivitet som inte kan finansieras ska tas upp i koncernledningsgruppen innan den stryks eller"
        " skjuts upp.",
    } <= italic
    assert "Handlingsplanen för 2026 samlar " not in bold | italic


def test_the_link_is_a_hyperlink_to_its_url(document: DocxDocument) -> None:
    links = [link for p in document.paragraphs for link in p.hyperlinks if link.address]

    assert [(link.text, link.address) for link in links] == [
        ("Naturvårdsverkets webbplats", "https://www.naturvardsverket.se/")
    ]
    relationship = document.part.rels[links[0]._hyperlink.rId]
    assert relationship.reltype == RT.HYPERLINK and relationship.is_external


def test_the_footnote_is_in_the_footnotes_part_and_referenced_from_the_body(document: DocxDocument) -> None:
    references = list(document.element.body.iter(w("footnoteReference")))
    assert len(references) == 1
    reference = references[0]
    assert text_of(paragraph_of(reference)) == "uppföljningen av handlingsplanen för 2025 och miljöbokslutet för 2024,"

    footnotes = package_part(document, "/word/footnotes.xml")
    note = footnotes.find(f"w:footnote[@w:id='{reference.get(w('id'))}']", NS)
    assert note is not None
    assert text_of(note).strip() == (
        "Miljöbokslut 2024 för Lindåsa kommun, fastställt av kommunfullmäktige den 16 juni 2025, § 84."
    )
    assert note.find(".//w:footnoteRef", NS) is not None


def test_the_rendered_document_counts_its_toc_entries_and_footnotes(example_plan: Plan, document: DocxDocument) -> None:
    rendered = render_handlingsplan(example_plan)  # the same document as example_docx, validated above

    assert rendered.toc_entries == len(toc_entries(document))
    assert rendered.footnotes == 1


# ------------------------------------------------------------------------- user text is data


def test_user_text_appears_exactly_as_written(render_checked) -> None:
    data = replaced(example_data(), "Sektorn för verksamhetsstöd", TRICKY)
    measure = data["åtgärder"][0]
    measure["rubrik"] = f"Åtgärd {TRICKY}"
    measure["beskrivning"] = f"Beskrivning {TRICKY}"
    measure["aktiviteter"][0]["aktivitet"] = f"Aktivitet {TRICKY}"
    plan = plan_from_data(data, base_dir=EXAMPLES)

    document = render_checked(plan)
    texts = [p.text for p in document.paragraphs]
    rows = [row_text(row) for row in document.tables[-1].rows]

    assert f"1. Åtgärd {TRICKY}" in [p.text for p in paragraphs_with_style(document, MEASURE_HEADING)]
    assert f"1. Åtgärd {TRICKY}" in [text_of(entry) for entry in toc_entries(document)]
    assert f"Beskrivning {TRICKY}" in texts
    page_rows = [row_text(row) for row in measure_tables(document, plan)["1"][0].rows]
    assert any(row.startswith(f"Aktivitet {TRICKY} | {TRICKY} | ") for row in page_rows)
    assert any(row.startswith(f"1. Åtgärd {TRICKY} | {TRICKY} | Aktivitet {TRICKY} | ") for row in rows)
    assert "&amp;" not in all_text(document) and "&lt;" not in all_text(document)


def test_markdown_outside_the_documented_subset_appears_as_written(render_checked) -> None:
    data = example_data()
    data["kapitel"][1]["text"] = (
        "Se rapporten[^1] och [webbplatsen](www.lindasa.se).\n\n"
        "[Källa]: https://www.lindasa.se/rapport\n\n"
        "[^1]: Rapporten om luften.\n\n"
        "[^2]: En not som ingen text hänvisar till."
    )
    document = render_checked(plan_from_data(data, base_dir=EXAMPLES))
    texts = [p.text for p in document.paragraphs]

    assert "Se rapporten och [webbplatsen](www.lindasa.se)." in texts
    assert "[Källa]: https://www.lindasa.se/rapport" in texts
    assert "[^2]: En not som ingen text hänvisar till." in texts
    assert [link.address for p in document.paragraphs for link in p.hyperlinks if link.address] == [
        "https://www.naturvardsverket.se/"
    ]
    footnotes = [text_of(n).strip() for n in package_part(document, "/word/footnotes.xml").findall("w:footnote", NS)]
    assert "Rapporten om luften." in footnotes
    assert not any("ingen text hänvisar" in n for n in footnotes)


def test_a_focus_area_name_with_commas_stays_whole_where_names_are_listed(render_checked) -> None:
    name = "Jämställdhet, jämlikhet och inkludering"
    data = replaced(example_data(), "Konsumera hållbart", name)
    plan = plan_from_data(data, base_dir=EXAMPLES)

    document = render_checked(plan)
    overview = next(t for t in document.tables if row_text(t.rows[0]) == "Åtgärd | Fokusområden")
    rows = {row_text(row).split(" | ")[0]: row_text(row).split(" | ")[1] for row in overview.rows[1:]}

    assert rows[f"1. {plan.measures[0].title}"] == f"Res fossilfritt; {name}"
    assert rows[f"10. {plan.measures[9].title}"] == f"Minska avfallet; {name}"
    assert rows[f"14. {plan.measures[13].title}"] == "Ät hållbart och Minska avfallet"


def test_the_template_words_follow_a_strategy_that_is_a_policy(render_checked) -> None:
    data = example_data()
    data["strategi"]["namn"] = "Hållbarhetspolicy för Lindåsa 2024–2030"
    data["metadata"]["dokumentnamn"] = "Handlingsplan till hållbarhetspolicyn för 2026"
    data["metadata"]["dokumentansvarig"] = "Hållbarhetsstrateg"
    data["kapitel"] = []
    plan = plan_from_data(data, base_dir=EXAMPLES)

    document = render_checked(plan)
    text = all_text(document)

    assert "miljöstrateg" not in text.casefold()
    assert "Hållbarhetspolicyns utformning" in [p.text for p in paragraphs_with_style(document, "Heading 1")]
    assert "Hållbarhetspolicyns utformning" in [text_of(entry) for entry in toc_entries(document)]
    assert (
        "Handlingsplanen bygger på Hållbarhetspolicy för Lindåsa 2024–2030. Hållbarhetspolicyn består av "
        "prioriteringar, och varje prioritering är uppdelad i fokusområden."
    ) in text
    assert "Under rubriken visas de fokusområden i hållbarhetspolicyn som åtgärden hör till." in text
    assert "hållbarhetspolicy" in [k.strip() for k in document.core_properties.keywords.split(",")]


def test_the_strategy_kind_and_its_definite_form_can_be_given(render_checked) -> None:
    data = example_data()
    data["strategi"]["typ"] = "Klimat- och miljöprogram"
    plan = plan_from_data(data, base_dir=EXAMPLES)
    assert plan.strategy.kind_definite_name() == "klimat- och miljöprogrammet"
    data["strategi"]["typ"] = "klimatlöfte"
    data["strategi"]["typ_bestämd"] = "klimatlöftet"
    plan = plan_from_data(data, base_dir=EXAMPLES)

    document = render_checked(plan)

    assert "Klimatlöftets utformning" in [p.text for p in paragraphs_with_style(document, "Heading 1")]
    assert "Klimatlöftet består av prioriteringar" in all_text(document)


def test_text_that_looks_like_escaped_template_tags_appears_as_written(
    example_plan: Plan, render_checked
) -> None:
    plan = example_plan.model_copy(deep=True)
    plan.measures[0].title = "Mallsyntax {_{ x }_} och {_% y %_}"

    document = render_checked(plan)

    assert "1. Mallsyntax {_{ x }_} och {_% y %_}" in [p.text for p in paragraphs_with_style(document, MEASURE_HEADING)]


def test_a_newline_in_an_activity_becomes_a_line_break(render_checked) -> None:
    data = example_data()
    data["åtgärder"][0]["aktiviteter"][0]["aktivitet"] = "Första raden\nAndra raden"

    document = render_checked(plan_from_data(data, base_dir=EXAMPLES))
    cell = next(row.cells[2] for row in document.tables[-1].rows if row.cells[2].text.startswith("Första raden"))

    assert cell.text == "Första raden\nAndra raden"
    paragraph = cell.paragraphs[0]._p
    assert len(paragraph.findall(".//w:br", NS)) == 1
    assert [t.text for t in paragraph.iter(w("t"))] == ["Första raden", "Andra raden"]


def test_control_characters_in_plan_data_render_to_a_valid_document(render_checked) -> None:
    data = example_data()
    data["åtgärder"][0]["aktiviteter"][0]["aktivitet"] = "rad 1\x0brad 2\x01"
    data["åtgärder"][1]["beskrivning"] = "Beskrivning med \x01styrtecken\x0boch en radbrytning."
    data["metadata"]["omfattar"] = "Kommun\x01koncernen"

    warnings = validate_plan(RawDocument(copy.deepcopy(data), "(data)", EXAMPLES)).warnings
    document = render_checked(plan_from_data(data, base_dir=EXAMPLES))  # validated as OOXML here

    assert {p.code for p in warnings} == {"HD401"}
    rows = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert rows[1][1:3] == ["Sektorn för verksamhetsstöd", "rad 1\nrad 2"]
    assert "Omfattar" in [r.cells[0].text for r in document.tables[0].rows]
    assert "Kommunkoncernen" in [r.cells[1].text for r in document.tables[0].rows]
    assert "\x01" not in all_text(document) and "\x0b" not in all_text(document)


def test_the_renderer_itself_keeps_control_characters_out_of_the_xml(example_plan: Plan, render_checked) -> None:
    plan = example_plan.model_copy(deep=True)  # changed after validation, as a tool building plans might
    plan.measures[0].title = "Rubrik med \x01styrtecken"

    document = render_checked(plan)

    assert "1. Rubrik med styrtecken" in [p.text for p in paragraphs_with_style(document, MEASURE_HEADING)]


def test_a_line_break_in_a_heading_is_a_space_in_its_table_of_contents_entry(render_checked) -> None:
    data = example_data()
    data["åtgärder"][0]["rubrik"] = "Ställ om\x0bfordonsflottan"  # Excel's line break (Alt+Enter)

    document = render_checked(plan_from_data(data, base_dir=EXAMPLES))

    assert "1. Ställ om fordonsflottan" in [text_of(entry) for entry in toc_entries(document)]


# ---------------------------------------------------------------------------- the rendering API


def test_render_to_bytes_keeps_the_document_in_memory(
    example_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ooxml_validate
) -> None:
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    written: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def watching_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def watching_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            written.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendering must not write a file")

    for module in (builtins, io):
        monkeypatch.setattr(module, "open", watching_open)
    monkeypatch.setattr(os, "open", watching_os_open)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(hallbardocs.write, "write_atomically", refuse)

    data = render_handlingsplan(example_plan).to_bytes()
    monkeypatch.undo()

    assert isinstance(data, bytes) and data.startswith(b"PK\x03\x04")
    assert written == []
    assert list(workdir.iterdir()) == []
    assert Document(io.BytesIO(data)).core_properties.title == "Handlingsplan till miljöstrategin för 2026"
    (tmp_path / "i-minnet.docx").write_bytes(data)
    ooxml_validate(tmp_path / "i-minnet.docx")


def test_a_custom_template_as_bytes_or_as_a_path_renders_the_same_document(
    example_plan: Plan, example_docx: Path, tmp_path: Path, docx_dump
) -> None:
    default = default_template("handlingsplan")
    copied = shutil.copy(default, tmp_path / "vår mall.docx")
    expected = docx_dump(example_docx)

    for template in (default.read_bytes(), Path(copied), str(copied)):
        out = write_handlingsplan(example_plan, tmp_path / "ut.docx", template=template)
        assert docx_dump(out) == expected  # the example's document, which is validated on its own


# ------------------------------------------------------------------------------ template errors


def test_an_unknown_variable_in_a_template_is_reported_by_the_check_as_hd521(example_plan: Plan, tmp_path: Path) -> None:
    template = make_template(tmp_path, "{{ okänd_variabel }}")

    with pytest.raises(TemplateError) as raised:
        render_handlingsplan(example_plan, template=template)

    assert raised.value.problem.code == "HD521"
    assert "okänd_variabel" in raised.value.problem.message
    assert raised.value.problem.location.file == str(template)


def test_broken_jinja_in_a_template_is_reported_by_the_check_as_hd520(example_plan: Plan, tmp_path: Path) -> None:
    template = make_template(tmp_path, "{% for x in %}", "{% endfor %}")

    with pytest.raises(TemplateError) as raised:
        render_handlingsplan(example_plan, template=template)

    assert raised.value.problem.code == "HD520"


@pytest.mark.parametrize("content", [b"inget Word-dokument", b"PK\x03\x04 men ingen zip"], ids=["text", "bad-zip"])
def test_a_file_that_is_not_a_docx_is_reported_as_hd501(example_plan: Plan, tmp_path: Path, content: bytes) -> None:
    template = tmp_path / "mall.docx"
    template.write_bytes(content)

    for given in (template, content):
        with pytest.raises(TemplateError) as raised:
            render_handlingsplan(example_plan, template=given)
        assert raised.value.problem.code == "HD501"


def test_a_missing_template_file_is_reported_as_hd501(example_plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as raised:
        render_handlingsplan(example_plan, template=tmp_path / "finns-inte.docx")

    assert raised.value.problem.code == "HD501"


@pytest.mark.parametrize(
    "expression",
    [
        "{{ kommun.__class__.__mro__ }}",
        "{{ titel.__class__.__mro__[1].__subclasses__() }}",
        "{{ åtgärder[0].beskrivning.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ (titel|attr('__class__')).__mro__ }}",
    ],
)
def test_the_sandbox_keeps_templates_away_from_python_internals(
    example_plan: Plan, tmp_path: Path, expression: str, ooxml_validate
) -> None:
    template = make_template(tmp_path, f"Före {expression} efter")

    try:
        rendered = render_handlingsplan(example_plan, template=template)
    except TemplateError as error:
        assert error.problem.code == "HD502"
        return
    out = tmp_path / "ut.docx"
    out.write_bytes(rendered.to_bytes())
    ooxml_validate(out)
    text = all_text(Document(str(out)))
    for leak in ("<class", "__", "object", "function", "module"):
        assert leak not in text


@pytest.mark.parametrize("expression", ["{{ åtgärder[0].etiketter }}", "{{ kapitel[0].text }}"])
def test_a_block_or_label_value_in_a_plain_tag_is_reported_as_hd502(
    example_plan: Plan, tmp_path: Path, expression: str
) -> None:
    template = make_template(tmp_path, f"Före {expression} efter")

    with pytest.raises(TemplateError) as raised:
        render_handlingsplan(example_plan, template=template)

    assert raised.value.problem.code == "HD502"


def test_the_default_template_uses_only_variables_the_context_provides(example_plan: Plan) -> None:
    used = template_variables(None, "handlingsplan")

    assert used  # the check means something only if the template uses variables
    assert used <= set(handlingsplan_context(example_plan))


# ------------------------------------------------------------------------ the template's styles


def test_the_default_template_carries_no_built_in_style_that_nothing_uses() -> None:
    """Word's built-in styles stay only where the document, the renderer or another kept style uses
    them (Word still offers the rest through the latent styles), so the style list is the template's."""
    import re
    import zipfile

    from hallbardocs.render.lint import RENDERER_STYLES, TOC_STYLES

    with zipfile.ZipFile(default_template("handlingsplan")) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        used = {
            element.get(w("val"))
            for part in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|numbering)\.xml", part)
            for element in etree.fromstring(archive.read(part)).iter(w("pStyle"), w("rStyle"), w("tblStyle"))
        }
    by_id = {s.get(w("styleId")): s for s in styles.iter(w("style"))}
    named = {name.casefold() for name, _ in RENDERER_STYLES + TOC_STYLES} | {f"heading {n}" for n in range(1, 10)}
    named |= {"toc heading", "table grid", "list paragraph"}  # the table of contents' heading, our tables' base
    kept = {
        sid
        for sid, style in by_id.items()
        if sid in used
        or style.get(w("default")) == "1"
        or style.find("w:name", NS).get(w("val")).casefold() in named
        or (style.get(w("customStyle")) == "1" and style.find("w:link", NS) is None)
    }
    reachable = set(kept)
    while True:
        more = {
            ref.get(w("val"))
            for sid in reachable
            for ref in by_id[sid].findall("w:basedOn", NS) + by_id[sid].findall("w:link", NS) + by_id[sid].findall("w:next", NS)
        } - reachable
        if not more:
            break
        reachable |= more

    assert set(by_id) == reachable
    assert len(by_id) < 70  # from 181 before the pruning
    assert styles.find("w:latentStyles", NS) is not None
