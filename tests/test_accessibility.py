"""The accessibility review (``hallbardocs granska``): each rule found with its code and place in a
document built to break it, and every default document passing it, as .docx and as PDF."""

from __future__ import annotations

import io
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from hallbardocs import HallbardocsWarning, Plan, load_followup, load_plan, plan_from_data, render_document
from hallbardocs.cli import main
from hallbardocs.errors import Location, Problem
from hallbardocs.model.followup import FollowUp
from hallbardocs.render.review import contrast_ratio
from hallbardocs.review import review_document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_plan  # noqa: E402

Build = Callable[[Any], None]


def _document(build: Build, *, title: str = "Testdokument", language: str | None = "sv-SE") -> Any:
    doc = Document()
    doc.core_properties.title = title
    for level in range(1, 10):  # python-docx's own headings are a pale blue (4,03:1)
        doc.styles[f"Heading {level}"].font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
    for lang in list(doc.styles.element.iter(qn("w:lang"))):
        lang.getparent().remove(lang)
    if language is not None:
        rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        rpr.append(lang)
    build(doc)
    return doc


def _review(tmp_path: Path, build: Build, **kwargs: Any) -> list[Problem]:
    path = tmp_path / "granskad.docx"
    _document(build, **kwargs).save(path)
    return review_document(path)


def _found(problems: list[Problem]) -> list[tuple[str, str | None, str]]:
    return [(p.code, p.location.place if p.location else None, p.severity) for p in problems]


def _shade(element: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    element.append(shd)


def _header_row(table: Any) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


# ------------------------------------------------------------------------------- the rules


def test_a_well_made_document_has_no_problems(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        doc.add_heading("Inledning", 1)
        doc.add_paragraph("Kommunen arbetar för ett hållbart samhälle.")
        doc.add_heading("Bakgrund", 1)
        doc.add_paragraph("Första punkten", style="List Bullet")
        table = doc.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Åtgärd", "Ansvar"
        table.cell(1, 0).text, table.cell(1, 1).text = "Laddpunkter", "Energibolaget"
        _header_row(table)

    assert _review(tmp_path, build) == []


def test_a_document_without_title_or_language_is_hd540_and_hd541(tmp_path: Path) -> None:
    problems = _review(tmp_path, lambda doc: doc.add_paragraph("Text."), title="", language=None)
    assert _found(problems) == [
        ("HD540", "dokumentegenskaperna", "fel"),
        ("HD541", "dokumentegenskaperna", "fel"),
    ]
    assert str(problems[0]).startswith(f"{tmp_path / 'granskad.docx'}, dokumentegenskaperna: fel HD540: ")


def test_a_skipped_heading_level_is_hd542_at_the_heading(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        doc.add_heading("Inledning", 1)
        doc.add_paragraph("Text.")
        doc.add_heading("Detaljer om laddning", 3)

    assert _found(_review(tmp_path, build)) == [("HD542", "stycke 3 (”Detaljer om laddning”)", "fel")]


def test_a_heading_made_of_bold_normal_text_is_a_warning_hd543(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        doc.add_heading("Inledning", 1)
        doc.add_paragraph().add_run("Våra mål för klimatet").bold = True
        doc.add_paragraph("Status: ").add_run("pågår").bold = True  # a lead-in, not a heading

    assert _found(_review(tmp_path, build)) == [("HD543", "stycke 2 (”Våra mål för klimatet”)", "varning")]


def test_an_image_without_alt_text_is_hd544_and_a_decorative_one_passes(tmp_path: Path) -> None:
    png = (ROOT / "examples" / "logga.png").read_bytes()

    def build(doc: Any) -> None:
        doc.add_paragraph("Text före bilden.")
        doc.add_picture(io.BytesIO(png))
        doc.add_picture(io.BytesIO(png))
        pr = list(doc.element.body.iter(qn("wp:docPr")))[1]
        ext_list = OxmlElement("a:extLst")
        ext = OxmlElement("a:ext")
        ext.set("uri", "{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
        decorative = ext.makeelement("{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative", {"val": "1"})
        ext.append(decorative)
        ext_list.append(ext)
        pr.append(ext_list)

    problems = _review(tmp_path, build)
    assert [(p.code, p.location.place if p.location else None) for p in problems] == [("HD544", "stycke 2")]


def test_a_table_without_a_header_row_is_hd545_and_a_merged_cell_hd546(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        plain = doc.add_table(rows=2, cols=2)
        plain.cell(0, 0).text, plain.cell(0, 1).text = "Åtgärd", "Ansvar"
        plain.cell(1, 0).text, plain.cell(1, 1).text = "Solel", "Fastighet"
        merged = doc.add_table(rows=3, cols=2)
        merged.cell(0, 0).text, merged.cell(0, 1).text = "Enhet", "Aktivitet"
        _header_row(merged)
        merged.cell(1, 0).merge(merged.cell(2, 0)).text = "Skola"
        merged.cell(1, 1).text, merged.cell(2, 1).text = "Solceller", "Cykelställ"

    assert _found(_review(tmp_path, build)) == [
        ("HD545", "tabell 1 (”Åtgärd Ansvar”)", "fel"),
        ("HD546", "tabell 2, rad 2, cell 1 (”Skola”)", "varning"),
        ("HD546", "tabell 2, rad 3, cell 1 (””)", "varning"),
    ]


def test_a_table_of_facts_whose_first_column_heads_its_rows_needs_no_header_row(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        table = doc.add_table(rows=2, cols=2)
        for row, (key, value) in zip(table.rows, [("Dokumentnamn", "Handlingsplan"), ("Ägare", "KS")], strict=True):
            row.cells[0].text, row.cells[1].text = key, value
            row.cells[0].paragraphs[0].style = "Body Text"

    assert _review(tmp_path, build) == []


def test_pale_text_is_hd547_with_its_ratio_and_large_text_needs_only_3_to_1(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        doc.add_paragraph().add_run("Ljusgrå brödtext på vitt").font.color.rgb = RGBColor(0x99, 0x99, 0x99)
        large = doc.add_paragraph().add_run("Stor grå text")
        large.font.color.rgb, large.font.size = RGBColor(0x88, 0x88, 0x88), Pt(18)
        small = doc.add_paragraph().add_run("Liten grå text")
        small.font.color.rgb = RGBColor(0x88, 0x88, 0x88)

    problems = _review(tmp_path, build)
    assert _found(problems) == [
        ("HD547", "stycke 1 (”Ljusgrå brödtext på vitt”)", "fel"),
        ("HD547", "stycke 3 (”Liten grå text”)", "fel"),
    ]
    assert "#999999 mot bakgrunden #FFFFFF har kontrasten 2,85:1; text behöver minst 4,5:1" in problems[0].message


def test_contrast_is_resolved_through_styles_theme_and_cell_shading(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        style = doc.styles.add_style("Blek", 1)
        style.font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)
        doc.add_paragraph("Text i ett blekt format", style="Blek")
        themed = doc.add_paragraph().add_run("Text i temats ljusa färg")
        themed.font.color.theme_color = 14  # background 1: white on white
        table = doc.add_table(rows=2, cols=1)
        table.cell(0, 0).text = "Rubrik"
        _header_row(table)
        cell = table.cell(1, 0)
        cell.text = "Svart text på mörkblått"
        cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(0, 0, 0)
        _shade(cell._tc.get_or_add_tcPr(), "1F3864")
        highlighted = doc.add_paragraph().add_run("Vit text på gul överstrykning")
        highlighted.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        highlighted.font.highlight_color = WD_COLOR_INDEX.YELLOW

    assert _found(_review(tmp_path, build)) == [
        ("HD547", "stycke 1 (”Text i ett blekt format”)", "fel"),
        ("HD547", "stycke 2 (”Text i temats ljusa färg”)", "fel"),
        ("HD547", "tabell 1, rad 2, cell 1 (”Svart text på mörkblått”)", "fel"),
        ("HD547", "stycke 5 (”Vit text på gul överstrykning”)", "fel"),
    ]


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("000000", "FFFFFF") == 21.0
    assert round(contrast_ratio("767676", "FFFFFF"), 2) == 4.54


def test_a_shaded_cell_without_text_is_hd548(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        table = doc.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Åtgärd", "Status"
        _header_row(table)
        table.cell(1, 0).text = "Solel"
        _shade(table.cell(1, 1)._tc.get_or_add_tcPr(), "2E7D32")

    assert _found(_review(tmp_path, build)) == [("HD548", "tabell 1, rad 2, cell 2", "varning")]


def test_a_typed_list_is_hd549(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        doc.add_paragraph("• Cykla mer")
        doc.add_paragraph("1. Minska utsläppen")
        doc.add_paragraph("2. Öka solelen")
        doc.add_paragraph("3 000 kronor är kostnaden.")

    assert _found(_review(tmp_path, build)) == [
        ("HD549", "stycke 1 (”• Cykla mer”)", "varning"),
        ("HD549", "stycke 2 (”1. Minska utsläppen”)", "varning"),
    ]


def _link(paragraph: Any, text: str, url: str) -> None:
    rel = paragraph.part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def test_a_link_saying_klicka_har_is_hd550_and_a_bare_url_a_warning(tmp_path: Path) -> None:
    def build(doc: Any) -> None:
        _link(doc.add_paragraph("Läs strategin "), "klicka här", "https://lindasa.se/strategi")
        _link(doc.add_paragraph("Se "), "https://lindasa.se/strategi", "https://lindasa.se/strategi")
        _link(doc.add_paragraph("Se "), "Lindåsa kommuns miljöstrategi", "https://lindasa.se/strategi")

    assert _found(_review(tmp_path, build)) == [
        ("HD550", "stycke 1 (”klicka här”)", "fel"),
        ("HD550", "stycke 2 (”https://lindasa.se/strategi”)", "varning"),
    ]


def test_a_file_of_another_type_or_a_damaged_one_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text("text", encoding="utf-8")
    (tmp_path / "trasig.docx").write_bytes(b"PK\x03\x04 inte en zip")
    (tmp_path / "trasig.pdf").write_bytes(b"%PDF-1.7 inget mer")
    assert [p.code for p in review_document(tmp_path / "plan.txt")] == ["HD004"]
    assert [p.code for p in review_document(tmp_path / "saknas.docx")] == ["HD001"]
    assert [(p.code, p.location) for p in review_document(tmp_path / "trasig.docx")] == [
        ("HD556", Location(str(tmp_path / "trasig.docx")))
    ]
    assert [p.code for p in review_document(tmp_path / "trasig.pdf")] == ["HD556"]


# ----------------------------------------------------------------------------------- PDFs


def _pdf(tmp_path: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    """A one-page tagged PDF with a heading, a figure with alt text and a bookmark, then ``change``d."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    figure = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Figure, Pg=page, Alt="Karta över Lindåsa"))
    heading = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.H1, Pg=page))
    document = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Document, K=pikepdf.Array([heading, figure])))
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=document))
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String("sv-SE")
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    pdf.docinfo["/Title"] = "Handlingsplan"
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Inledning", 0))
    change(pdf)
    path = tmp_path / "granskad.pdf"
    pdf.save(path)
    return path


def test_a_well_made_pdf_has_no_problems(tmp_path: Path) -> None:
    assert review_document(_pdf(tmp_path, lambda pdf: None)) == []


def test_an_untagged_pdf_is_hd551(tmp_path: Path) -> None:
    def untag(pdf: pikepdf.Pdf) -> None:
        del pdf.Root.MarkInfo

    assert _found(review_document(_pdf(tmp_path, untag))) == [("HD551", "dokumentet", "fel")]


def test_a_pdf_without_language_is_hd552_and_without_title_shown_hd553(tmp_path: Path) -> None:
    def strip(pdf: pikepdf.Pdf) -> None:
        del pdf.Root.Lang
        del pdf.Root.ViewerPreferences

    problems = review_document(_pdf(tmp_path, strip))
    assert _found(problems) == [("HD552", "dokumentet", "fel"), ("HD553", "dokumentet", "fel")]
    assert "DisplayDocTitle" in problems[1].message


def test_a_figure_without_alt_text_is_hd554_on_its_page_and_missing_bookmarks_hd555(tmp_path: Path) -> None:
    def strip(pdf: pikepdf.Pdf) -> None:
        del pdf.Root.StructTreeRoot.K.K[1].Alt
        del pdf.Root.Outlines

    assert _found(review_document(_pdf(tmp_path, strip))) == [("HD554", "sida 1", "fel"), ("HD555", "dokumentet", "fel")]


# --------------------------------------------------------------------------- the command


def test_granska_prints_each_problem_and_exits_1_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "granskad.docx"
    _document(lambda doc: doc.add_heading("Djupt", 3)).save(path)
    assert main(["granska", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}, stycke 1 (”Djupt”): fel HD542: " in err
    assert err.rstrip().endswith("1 fel.")


def test_granska_exits_0_with_only_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "granskad.docx"
    _document(lambda doc: doc.add_paragraph().add_run("Fet rad").__setattr__("bold", True)).save(path)
    assert main(["granska", str(path)]) == 0
    err = capsys.readouterr().err
    assert "varning HD543" in err and "inga tillgänglighetsfel" in err


# ------------------------------------------------------------------- the default documents


@pytest.fixture(scope="module")
def example() -> tuple[Plan, FollowUp]:
    plan = load_plan(ROOT / "examples" / "handlingsplan.yaml")
    return plan, load_followup(ROOT / "examples" / "uppfoljning.yaml", plan)


@pytest.fixture(scope="module")
def long_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, FollowUp]:
    """bench/generate.py's plan of 40 measures, each name made long, and a follow-up of it."""
    from bench_followup import _yaml, generate_followup

    data = generate_plan(40)
    for i, measure in enumerate(data["åtgärder"]):
        measure["rubrik"] = f"{measure['rubrik']} med en lång förklaring av vad åtgärden omfattar nummer {i + 1}"
    folder = tmp_path_factory.mktemp("long")
    header = "# En genererad uppföljning av en plan med långa åtgärdsnamn.\n"
    (folder / "uppfoljning.yaml").write_text(_yaml(generate_followup(data, indicators=4), header), encoding="utf-8")
    plan = plan_from_data(data)
    return plan, load_followup(folder / "uppfoljning.yaml", plan)


KINDS = ["handlingsplan", "miljobokslut", "tjansteskrivelse"]
DESIGN_PASS: frozenset[str] = frozenset()
"""The warnings the default templates may still give (docs/accessibility.md): none since their design pass."""


def _rendered(kind: str, plan: Plan, followup: FollowUp | None) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HallbardocsWarning)
        return render_document(kind, plan, followup if kind != "handlingsplan" else None)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("source", ["example", "long_plan"])
def test_every_default_document_passes_the_review_as_docx(
    kind: str, source: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(_rendered(kind, *request.getfixturevalue(source)).to_bytes())
    problems = review_document(path)
    assert [p for p in problems if p.is_error] == []
    assert {p.code for p in problems} <= DESIGN_PASS


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("source", ["example", "long_plan"])
def test_every_default_document_passes_the_review_as_pdf(
    kind: str, source: str, request: pytest.FixtureRequest, tmp_path: Path, uno_python: str
) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(_rendered(kind, *request.getfixturevalue(source)).to_pdf())
    assert review_document(path) == []


@pytest.mark.libreoffice
def test_a_pdfa_of_the_example_passes_the_review(example: tuple[Plan, FollowUp], tmp_path: Path, uno_python: str) -> None:
    path = tmp_path / "handlingsplan.pdf"
    path.write_bytes(_rendered("handlingsplan", *example).to_pdf(pdfa=True))
    assert review_document(path) == []


def test_the_review_of_a_rendered_document_is_quick(example: tuple[Plan, FollowUp], tmp_path: Path) -> None:
    path = tmp_path / "miljobokslut.docx"
    path.write_bytes(_rendered("miljobokslut", *example).to_bytes())
    start = time.perf_counter()
    review_document(path)
    assert time.perf_counter() - start < 10


# ----------------------------------------------------------- a municipality's own template


def _own_template(tmp_path: Path) -> Path:
    """The default handlingsplan template with a heading made of bold Normal text added first."""
    from hallbardocs.render import default_template

    template = Document(str(default_template("handlingsplan")))
    first = template.paragraphs[0]
    heading = first.insert_paragraph_before()
    heading.style = template.styles["Normal"]
    heading.add_run("Kommunens egen inledning").bold = True
    path = tmp_path / "egen-mall.docx"
    template.save(path)
    return path


def test_an_own_template_that_breaks_a_rule_is_warned_of_on_its_first_render(
    example: tuple[Plan, FollowUp], tmp_path: Path
) -> None:
    template = _own_template(tmp_path)
    with pytest.warns(HallbardocsWarning) as issued:
        rendered = render_document("handlingsplan", example[0], template=template)
    found = [p for p in rendered.warnings if p.code == "HD543"]
    assert [(p.location.file, p.location.place, p.severity) for p in found if p.location][:1] == [
        (str(template), "i det skapade dokumentet, stycke 1 (”Kommunens egen inledning”)", "varning")
    ]
    assert any(w.message.problem.code == "HD543" for w in issued if isinstance(w.message, HallbardocsWarning))
    assert all(not p.is_error for p in rendered.warnings)


def test_the_default_templates_are_not_reviewed_on_every_render(example: tuple[Plan, FollowUp]) -> None:
    from hallbardocs.render import default_template

    for template in (None, default_template("handlingsplan")):
        with warnings.catch_warnings():
            warnings.simplefilter("error", HallbardocsWarning)
            rendered = render_document("handlingsplan", example[0], template=template)
        assert [p.code for p in rendered.warnings if p.code.startswith("HD5") and "HD540" <= p.code <= "HD559"] == []


def test_an_image_without_alt_text_is_rendered_marked_as_decorative(
    example: tuple[Plan, FollowUp], tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    from hallbardocs import DocumentKind
    from hallbardocs.content import DocumentProperties, Image

    template = Document()
    template.add_paragraph("{{ bild }}")
    template.add_paragraph("{{ beskriven }}")
    path = tmp_path / "bildmall.docx"
    template.save(path)
    png = (ROOT / "examples" / "logga.png").read_bytes()
    kind = DocumentKind(
        name="bilder",
        description="bilderna",
        context=lambda s: {"bild": Image(png, 30, ""), "beskriven": Image(png, 30, "")},
        properties=lambda s: DocumentProperties(title="Bilder", author="Lindåsa kommun"),
    )
    rendered = render_document(kind, example[0], template=path)
    decorative = rendered.document.element.body.findall(
        ".//{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    )
    assert len(decorative) == 2
    assert [p.code for p in rendered.warnings if p.code == "HD544"] == []
    out = tmp_path / "bilder.docx"
    out.write_bytes(rendered.to_bytes())
    ooxml_validate(out)
    assert [p.code for p in review_document(out) if p.code == "HD544"] == []


def test_a_docx_that_unpacks_to_too_many_parts_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"del{i}.xml", "")
    start = time.perf_counter()
    problems = review_document(path)
    assert [(p.code, p.location) for p in problems] == [("HD556", Location(str(path)))]
    assert problems[0].message == "Filen granskas inte: filen består av 10001 delar; högst 10000 tillåts."
    assert time.perf_counter() - start < 10


def test_an_image_and_pale_text_in_a_page_header_are_found_in_the_header(tmp_path: Path) -> None:
    png = (ROOT / "examples" / "logga.png").read_bytes()

    def build(doc: Any) -> None:
        doc.add_paragraph("Brödtext.")
        header = doc.sections[0].header
        header.paragraphs[0].add_run().add_picture(io.BytesIO(png))
        header.add_paragraph().add_run("Sidhuvudets bleka text").font.color.rgb = RGBColor(0xBB, 0xBB, 0xBB)

    assert _found(_review(tmp_path, build)) == [
        ("HD544", "sidhuvud 1, stycke 1", "fel"),
        ("HD547", "sidhuvud 1, stycke 2 (”Sidhuvudets bleka text”)", "fel"),
    ]


def test_the_review_job_returns_the_problems_and_writes_nothing(tmp_path: Path) -> None:
    import hallbardocs

    path = tmp_path / "granskad.docx"
    _document(lambda doc: doc.add_heading("Djupt", 3)).save(path)
    before = path.read_bytes()
    result = hallbardocs.review_file(path)
    assert result.paths == []
    assert [(p.code, p.location) for p in result.problems] == [
        ("HD542", Location(str(path), place="stycke 1 (”Djupt”)"))
    ]
    assert result.problems == hallbardocs.review_document(path)
    assert path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == [path]
