"""A municipality's own template: ``mall kontrollera`` reports every problem at once, every render
runs the same check first, and ``mall ny`` makes a working template from a graphic profile."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from hallbardocs import (
    KINDS,
    Plan,
    TemplateError,
    check_template,
    load_followup,
    load_plan,
    make_template,
    render_document,
)
from hallbardocs.cli import main
from hallbardocs.render import default_template

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(EXAMPLES / "handlingsplan.yaml")


def codes(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [p.code for p in problems]


def one(problems: list, code: str):  # type: ignore[no-untyped-def,type-arg]
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, (code, [str(p) for p in problems])
    return found[0]


def tagged(tmp_path: Path, *paragraphs: str, name: str = "mall.docx", table: list[list[str]] | None = None) -> Path:
    """A template of one paragraph per text (on python-docx's blank document, which has every style
    the renderer uses except the table of contents), and optionally a table."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table is not None:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    path = tmp_path / name
    document.save(str(path))
    return path


# -- mall kontrollera -------------------------------------------------------------------------------


def test_every_shipped_template_passes_the_check_and_the_ooxml_validator(ooxml_validate: Callable[[Path], None]) -> None:
    for kind in KINDS:
        template = default_template(kind)
        result = check_template(template, kind)
        assert result.problems == [], (kind, [str(p) for p in result.problems])
        ooxml_validate(template)


def test_the_check_reports_every_tag_problem_at_once_each_with_its_paragraph(tmp_path: Path) -> None:
    template = tagged(
        tmp_path,
        "Titel: {{ titel }}",
        "Trasig: {% for x in %}",
        "{{ åtgärder[0].rubik }}",
        "Före {%p if utkast %}",
        "{%p endif %}",
        "Delad {{ kommun.",
        "namn }} tagg",
    )

    problems = check_template(template, "handlingsplan").problems

    syntax = one(problems, "HD520")
    assert "i stycke 2 (”Trasig: {% for x in %}”)" in syntax.message
    unknown = one(problems, "HD521")
    assert "i stycke 3" in unknown.message and "”rubik”" in unknown.message
    assert unknown.suggestion == "rubrik"
    alone = one(problems, "HD522")
    assert "i stycke 4 (”Före {%p if utkast %}”)" in alone.message and "”Före”" in alone.message
    split = one(problems, "HD524")
    assert "i stycke 6" in split.message and "stycke 7" in split.message
    assert all(p.location is not None and p.location.file == str(template) for p in problems)


def test_an_unknown_nested_key_in_a_table_row_loop_names_its_table_row_and_cell(tmp_path: Path) -> None:
    template = tagged(
        tmp_path,
        "Tabell",
        table=[["Enhet", "Aktivitet"], ["{%tr for a in aktivitetslista %}", ""], ["{{ a.åtgärdd }}", "x"], ["{%tr endfor %}", ""]],
    )

    problems = check_template(template, "handlingsplan").problems

    unknown = one(problems, "HD521")
    assert "tabell 1, rad 3, cell 1" in unknown.message
    assert "aktivitetslista[].åtgärdd" in unknown.message
    assert unknown.suggestion == "åtgärd"


def test_a_block_tag_in_the_wrong_place_is_hd523(tmp_path: Path) -> None:
    template = tagged(tmp_path, "{%tr for a in åtgärder %}", "{%tr endfor %}")

    problems = check_template(template, "handlingsplan").problems

    assert set(codes(problems)) >= {"HD523"}
    assert "i stycke 1" in next(p for p in problems if p.code == "HD523").message


def test_smart_quotes_in_a_tag_are_a_warning_and_laga_writes_a_straight_copy(tmp_path: Path) -> None:
    template = tagged(tmp_path, "{% if titel == \u201dX\u201d %}Ja{% endif %}")
    before = template.read_bytes()
    fixed = tmp_path / "lagad.docx"

    found = check_template(template, "handlingsplan").problems
    result = check_template(template, "handlingsplan", fixed=fixed)

    warning = one(found, "HD525")
    assert warning.severity == "varning" and "i stycke 1" in warning.message
    assert template.read_bytes() == before
    assert result.paths == [fixed]
    assert "HD525" not in codes(result.problems)
    assert "HD525" not in codes(check_template(fixed, "handlingsplan").problems)
    assert '{% if titel == "X" %}' in "\n".join(p.text for p in Document(str(fixed)).paragraphs)


def test_laga_never_writes_over_the_template(tmp_path: Path) -> None:
    template = tagged(tmp_path, "{{ titel }}")
    before = template.read_bytes()

    status = main(["mall", "kontrollera", str(template), "--typ", "handlingsplan", "--laga", str(template)])

    assert status == 1
    assert template.read_bytes() == before


def test_missing_styles_and_table_of_contents_and_accessibility_are_warnings(tmp_path: Path) -> None:
    document = Document()
    bold = document.add_paragraph().add_run("Inledning")
    bold.bold = True
    document.add_paragraph("{{ titel }}")
    document.add_picture(io.BytesIO((EXAMPLES / "logga.png").read_bytes()))
    grid = document.add_table(rows=2, cols=3)
    grid.cell(0, 0).text = "A"
    path = tmp_path / "mall.docx"
    document.save(str(path))
    without_list = tmp_path / "utan.docx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(without_list, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/styles.xml":
                data = re.sub(rb'<w:style [^>]*w:styleId="ListBullet2".*?</w:style>', b"", data, flags=re.DOTALL)
            new.writestr(info, data)

    problems = check_template(without_list, "handlingsplan").problems

    assert all(p.severity == "varning" for p in problems)
    assert any("”List Bullet 2” (i svenska Word ”Punktlista 2”)" in p.message for p in problems if p.code == "HD526")
    assert one(problems, "HD527").code == "HD527"
    assert "Stycke 1 (”Inledning”)" in one(problems, "HD528").message
    assert "Bild 1" in one(problems, "HD529").message
    assert "Tabell 1" in one(problems, "HD530").message
    assert main(["mall", "kontrollera", str(without_list), "--typ", "handlingsplan"]) == 0


def test_the_tjansteskrivelse_expects_no_table_of_contents(tmp_path: Path) -> None:
    template = tagged(tmp_path, "{{ ärende }}")

    assert "HD527" not in codes(check_template(template, "tjansteskrivelse").problems)
    assert "HD527" in codes(check_template(template, "miljobokslut").problems)


def test_the_command_line_prints_every_problem_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tagged(tmp_path, "{% for x in %}", "{{ okänd }}")

    status = main(["mall", "kontrollera", str(template), "--typ", "handlingsplan"])

    err = capsys.readouterr().err
    assert status == 1
    assert "fel HD520" in err and "fel HD521" in err
    assert "2 fel" in err


def test_a_render_gives_the_whole_report_instead_of_the_first_jinja_error(plan: Plan, tmp_path: Path) -> None:
    template = tagged(tmp_path, "{{ titell }}", "{% if %}", "{{ kommun.nam }}")

    with pytest.raises(TemplateError) as raised:
        render_document("handlingsplan", plan, template=template)

    assert codes(raised.value.problems)[:3] == ["HD521", "HD520", "HD521"] or set(codes(raised.value.problems)) >= {
        "HD520",
        "HD521",
    }
    assert raised.value.problem.is_error
    suggestions = {p.suggestion for p in raised.value.problems}
    assert {"titel", "namn"} <= suggestions


def test_the_check_is_made_once_per_template(plan: Plan, tmp_path: Path) -> None:
    import time

    template = default_template("handlingsplan").read_bytes()
    render_document("handlingsplan", plan, template=template)
    start = time.perf_counter()
    from hallbardocs.render import lint

    for _ in range(50):
        lint.checked(template, "mallen", "handlingsplan", {})
    assert time.perf_counter() - start < 5


# -- mall ny ------------------------------------------------------------------------------------------


def _rename_style_ids(path: Path, ids: dict[str, str]) -> None:
    """Give styles the ids a Swedish Word gives them, and every reference to them."""
    with zipfile.ZipFile(path) as old:
        parts = {i.filename: old.read(i) for i in old.infolist()}
    for name in list(parts):
        if name.endswith(".xml"):
            data = parts[name]
            for old_id, new_id in ids.items():
                pattern = rb'(w:styleId="|<w:(?:pStyle|rStyle|basedOn|next|link) w:val=")' + old_id.encode() + rb'"'
                data = re.sub(pattern, rb"\g<1>" + new_id.encode() + b'"', data)
            parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


def swedish_serif_profile(folder: Path) -> Path:
    """A Swedish Word's template (.dotx): localised style ids, a serif font, and a custom style whose
    id is ``Heading1`` but which is no heading (styles are mapped by name, never by id)."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(11)
    for level in (1, 2, 3):
        document.styles[f"Heading {level}"].font.name = "DejaVu Serif"
    document.add_paragraph("Lindåsa kommuns dokumentmall")
    path = folder / "svensk.docx"
    document.save(str(path))
    _rename_style_ids(
        path,
        {"Heading1": "Rubrik1", "Heading2": "Rubrik2", "Heading3": "Rubrik3", "ListBullet": "Punktlista", "Title": "Rubrik"},
    )
    with zipfile.ZipFile(path) as old:
        parts = {i.filename: old.read(i) for i in old.infolist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        b"</w:styles>",
        b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="Heading1"><w:name w:val="Min rubrik"/>'
        b'<w:rPr><w:i/></w:rPr></w:style></w:styles>',
    )
    main_type = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    template_type = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(main_type, template_type)
    dotx = folder / "svensk.dotx"
    with zipfile.ZipFile(dotx, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return dotx


def logo_profile(folder: Path) -> Path:
    """A profile with the logo in the page header and coloured headings."""
    document = Document()
    for level, colour in ((1, RGBColor(0x7A, 0x1F, 0x5C)), (2, RGBColor(0x1F, 0x4E, 0x79)), (3, RGBColor(0x37, 0x56, 0x23))):
        document.styles[f"Heading {level}"].font.color.rgb = colour
    header = document.sections[0].header.paragraphs[0]
    header.add_run().add_picture(str(EXAMPLES / "logga.png"), width=Cm(3))
    header.add_run("  Lindåsa kommun")
    document.sections[0].footer.paragraphs[0].text = "Lindåsa kommun · Storgatan 1 · 123 45 Lindåsa"
    path = folder / "logga.docx"
    document.save(str(path))
    return path


def margins_profile(folder: Path) -> Path:
    """A profile with unusual margins (US Letter, a wide left margin) and a custom list style."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin, section.right_margin = Cm(4.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(3.5), Cm(2)
    path = folder / "marginaler.docx"
    document.save(str(path))
    with zipfile.ZipFile(path) as old:
        parts = {i.filename: old.read(i) for i in old.infolist()}
    numbering = etree.fromstring(parts["word/numbering.xml"])
    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2013"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(f"{_W}num")
    assert first_num is not None
    first_num.addprevious(abstract)
    numbering.append(etree.fromstring(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    parts["word/numbering.xml"] = etree.tostring(numbering, xml_declaration=True, encoding="UTF-8", standalone=True)
    styles = parts["word/styles.xml"]
    styles = re.sub(
        rb'(<w:style [^>]*w:styleId="ListBullet"[^>]*>.*?<w:numId w:val=")\d+(")', rb"\g<1>90\g<2>", styles, count=1, flags=re.DOTALL
    )
    parts["word/styles.xml"] = styles.replace(
        b"</w:styles>",
        b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="Strecklista"><w:name w:val="Strecklista"/>'
        b'<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="90"/></w:numPr></w:pPr></w:style></w:styles>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


PROFILES = {"svensk": swedish_serif_profile, "logga": logo_profile, "marginaler": margins_profile}


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("kind", ["handlingsplan", "miljobokslut", "tjansteskrivelse"])
def test_a_template_made_from_a_profile_passes_the_check_renders_and_is_valid(
    profile: str, kind: str, plan: Plan, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    source = PROFILES[profile](tmp_path)
    before = source.read_bytes()
    output = tmp_path / f"{kind}-{profile}.docx"

    result = make_template(kind, source, output)

    assert result.paths == [output]
    assert [p for p in result.problems if p.is_error] == []
    assert check_template(output, kind).problems == result.problems
    assert source.read_bytes() == before
    ooxml_validate(output)
    followup = load_followup(EXAMPLES / "uppfoljning.yaml", plan) if KINDS[kind].needs_followup else None
    rendered = render_document(kind, plan, followup, template=output)
    made = tmp_path / f"{kind}-{profile}-ut.docx"
    made.write_bytes(rendered.to_bytes())
    ooxml_validate(made)


def test_styles_are_mapped_by_name_onto_a_swedish_words_localised_ids(plan: Plan, tmp_path: Path) -> None:
    output = tmp_path / "mall.docx"
    make_template("handlingsplan", swedish_serif_profile(tmp_path), output)

    rendered = render_document("handlingsplan", plan, template=output).document
    styles = rendered.styles.element
    document = etree.tostring(rendered.element).decode()

    assert 'w:val="Rubrik1"' in document
    assert 'w:pStyle w:val="Heading1"' not in document  # the profile's own "Min rubrik" is not used for headings
    heading = next(p for p in rendered.paragraphs if p.style is not None and p.style.style_id == "Rubrik1")
    assert heading.style.name.lower() == "heading 1"
    normal = styles.find(f"{_W}style[@{_W}styleId='Normal']")
    assert normal is not None and "DejaVu Serif" in etree.tostring(normal).decode()
    assert "Fokusområdesetikett" in etree.tostring(styles, encoding="unicode")  # a style the profile lacks, added from ours


def test_the_profiles_header_with_its_logo_and_its_coloured_headings_are_the_templates(tmp_path: Path) -> None:
    output = tmp_path / "mall.docx"
    make_template("handlingsplan", logo_profile(tmp_path), output)

    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    headers = [n for n in names if re.fullmatch(r"word/header\d+\.xml", n)]
    assert len(headers) == 1 and any(n.startswith("word/media/header") for n in names)  # ours are gone
    assert 'Id="rIdProfil1"' in rels
    assert "Lindåsa kommun" in _part(output, headers[0]).decode()
    found = check_template(output, "handlingsplan").problems
    assert [p.code for p in found] == ["HD529"]  # the profile's logo has no alt text: said once, where it is
    assert "i sidhuvud" in found[0].message
    assert b'w:color w:val="7A1F5C"' in _part(output, "word/styles.xml")


def test_the_profiles_page_size_margins_and_list_style_are_the_templates(tmp_path: Path) -> None:
    output = tmp_path / "mall.docx"
    make_template("handlingsplan", margins_profile(tmp_path), output)

    body = etree.fromstring(_part(output, "word/document.xml"))
    sizes = [(s.get(f"{_W}w"), s.get(f"{_W}h"), s.get(f"{_W}orient")) for s in body.iter(f"{_W}pgSz")]
    margins = {m.get(f"{_W}left") for m in body.iter(f"{_W}pgMar")}
    styles = _part(output, "word/styles.xml")
    numbering = _part(output, "word/numbering.xml")

    assert ("12240", "15840", None) in sizes
    assert ("15840", "12240", "landscape") in sizes  # the appendix stays landscape
    assert margins == {"2551"}
    assert re.search(rb'w:styleId="ListBullet".*?<w:numId w:val="90"/>', styles, re.DOTALL)
    assert b'w:abstractNumId="90"' in numbering


def test_mall_ny_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = swedish_serif_profile(tmp_path)
    output = tmp_path / "mall.docx"

    status = main(["mall", "ny", "--typ", "handlingsplan", "--profil", str(profile), "-o", str(output)])

    assert status == 0
    assert f"Skrev {output}." in capsys.readouterr().err
    assert main(["mall", "kontrollera", str(output), "--typ", "handlingsplan"]) == 0


def test_a_profile_that_is_no_word_document_is_hd501_and_nothing_is_written(tmp_path: Path) -> None:
    profile = tmp_path / "profil.dotx"
    profile.write_bytes(b"inte en mall")
    output = tmp_path / "mall.docx"

    with pytest.raises(TemplateError) as raised:
        make_template("handlingsplan", profile, output)

    assert raised.value.problem.code == "HD501"
    assert raised.value.problem.location is not None and raised.value.problem.location.file == str(profile)
    assert not output.exists()


def test_a_problem_in_the_page_header_or_footer_says_so(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("{{ titel }}")
    document.sections[0].header.paragraphs[0].text = "Sidhuvud {{ titell }}"
    document.sections[0].footer.paragraphs[0].text = "Sidfot {% if %}"
    path = tmp_path / "mall.docx"
    document.save(str(path))

    problems = check_template(path, "handlingsplan").problems

    unknown = one(problems, "HD521")
    assert "i sidhuvud 1, i stycke 1 (”Sidhuvud {{ titell }}”)" in unknown.message
    assert unknown.suggestion == "titel"
    assert "i sidfot 1, i stycke 1 (”Sidfot {% if %}”)" in one(problems, "HD520").message


def test_the_shape_of_a_large_context_is_taken_from_a_sample_of_each_list() -> None:
    from hallbardocs.render.lint import LEAF, ListShape, context_shape

    context = {"åtgärder": [{"id": str(n), "aktiviteter": []} for n in range(10_000)] + [{"id": "x", "aktiviteter": [{"enhet": "A"}]}]}

    shape = context_shape(context)

    assert shape == {"åtgärder": ListShape({"id": LEAF, "aktiviteter": ListShape({"enhet": LEAF})})}


def test_our_colour_becomes_the_profiles_heading_colour_but_white_text_stays_white(tmp_path: Path) -> None:
    output = tmp_path / "mall.docx"
    make_template("tjansteskrivelse", logo_profile(tmp_path), output)

    # the header rows' colours are in our table style (Hållbarhetstabell), added to the profile's styles
    styles = _part(output, "word/styles.xml")
    ours = _part(default_template("tjansteskrivelse"), "word/styles.xml")
    table_style = re.compile(rb'<w:style [^>]*w:styleId="Hallbarhetstabell".*?</w:style>', re.S)
    added, original = table_style.search(styles), table_style.search(ours)

    assert added is not None and original is not None
    assert b'w:fill="1B6B5A"' in original.group() and b'w:fill="1B6B5A"' not in added.group()
    assert b'w:fill="7A1F5C"' in added.group()
    assert b'w:color w:val="FFFFFF"' in added.group()  # white text on it stays white
    assert b'w:fill="1B6B5A"' not in _part(output, "word/document.xml")


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b_ = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b_)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("kind", ["handlingsplan", "miljobokslut", "tjansteskrivelse"])
def test_a_shipped_template_keeps_what_its_build_script_guaranteed(kind: str) -> None:
    """A footnotes part, a table of contents where the kind has one, and readable text on every
    shaded paragraph, cell and style (WCAG AA: 4.5:1)."""
    template = default_template(kind)
    with zipfile.ZipFile(template) as archive:
        names = archive.namelist()
        document = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))

    assert "word/footnotes.xml" in names
    has_toc = any((t.text or "").strip().startswith("TOC") for t in document.iter(f"{_W}instrText"))
    assert has_toc == (kind != "tjansteskrivelse")
    checked = 0
    text_styles = [s for s in styles.iterfind(f"{_W}style") if s.get(f"{_W}type") in ("paragraph", "character")]
    for holder in [*text_styles, *document.iter(f"{_W}tc"), *document.iter(f"{_W}p")]:
        fill = next((s.get(f"{_W}fill") for s in holder.iter(f"{_W}shd") if s.get(f"{_W}fill") not in (None, "auto")), None)
        if fill is None:
            continue
        for colour in {c.get(f"{_W}val") for c in holder.iter(f"{_W}color")} - {None, "auto"}:
            assert _contrast(fill, colour) >= 4.5, (kind, fill, colour)
            checked += 1
    assert checked > 0


def test_mall_ny_never_writes_over_its_profile(tmp_path: Path) -> None:
    from hallbardocs import OutputError

    profile = logo_profile(tmp_path)
    before = profile.read_bytes()

    with pytest.raises(OutputError) as raised:
        make_template("handlingsplan", profile, profile)

    assert raised.value.problem.code == "HD602"
    assert profile.read_bytes() == before


def test_a_word_template_dotx_is_checked_as_the_document_it_holds(tmp_path: Path) -> None:
    profile = swedish_serif_profile(tmp_path)

    problems = check_template(profile, "tjansteskrivelse").problems

    assert [p for p in problems if p.is_error] == []
    assert all(p.location is not None and p.location.file == str(profile) for p in problems)


def test_a_document_command_with_a_bad_template_prints_the_whole_report_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tagged(tmp_path, "{{ titell }}", "{% if %}")
    output = tmp_path / "ut.docx"

    status = main(["handlingsplan", str(EXAMPLES / "handlingsplan.yaml"), "--template", str(template), "-o", str(output)])

    err = capsys.readouterr().err
    assert status == 1
    assert "fel HD520" in err and "fel HD521" in err and "Menade du ”titel”?" in err
    assert not output.exists()


def test_laga_straightens_quotes_only_inside_tags_even_in_split_runs(tmp_path: Path) -> None:
    document = Document()
    split = document.add_paragraph()
    split.add_run("{% if titel == \u201d")
    split.add_run("X\u201d %}Ja{% endif %}")
    document.add_paragraph("Ett {{ oavslutat och \u201dcitat\u201d i texten")
    document.add_paragraph("}} slut")
    template = tmp_path / "mall.docx"
    document.save(str(template))
    fixed = tmp_path / "lagad.docx"

    check_template(template, "handlingsplan", fixed=fixed)

    texts = [p.text for p in Document(str(fixed)).paragraphs]
    assert texts[0] == '{% if titel == "X" %}Ja{% endif %}'
    assert texts[1] == "Ett {{ oavslutat och \u201dcitat\u201d i texten"


def test_the_template_examples_in_docs_errors_md_are_what_mall_kontrollera_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = Document()
    document.add_paragraph().add_run("Inledning").bold = True
    for text in (
        "Titel: {{ titel }}",
        "Trasig: {% for x in %}",
        "{{ åtgärder[0].rubik }}",
        "Före {%p if utkast %}",
        "{%p endif %}",
        "Delad {{ kommun.",
        "namn }} tagg",
        "{% if titel == \u201dX\u201d %}Ja{% endif %}",
    ):
        document.add_paragraph(text)
    grid = document.add_table(rows=4, cols=3)
    grid.cell(0, 0).text = "Enhet"
    grid.cell(1, 0).text = "{%tr for a in aktivitetslista %}"
    grid.cell(2, 0).text = "{%tr endfor %}{{ a.åtgärd }}"
    grid.cell(3, 0).text = "{%tr endfor %}"
    document.add_picture(str(EXAMPLES / "logga.png"), width=Cm(3))
    document.save(str(tmp_path / "egen-mall.docx"))
    monkeypatch.chdir(tmp_path)

    main(["mall", "kontrollera", "egen-mall.docx", "--typ", "handlingsplan"])

    printed = set(capsys.readouterr().err.splitlines())
    documented = [
        line
        for line in (ROOT / "docs" / "errors.md").read_text(encoding="utf-8").splitlines()
        if re.match(r"egen-mall\.docx: (fel|varning) HD5[23]\d:", line)
    ]
    assert len({line.split(":")[1] for line in documented}) == 11
    assert [line for line in documented if line not in printed] == []
