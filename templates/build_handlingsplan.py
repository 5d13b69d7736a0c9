"""Build the default handlingsplan template, ``templates/docx/handlingsplan.docx``.

Run from the repository root::

    python templates/build_handlingsplan.py

The template is an ordinary Word document with docxtpl (Jinja) tags typed into its text. Every
variable it uses is listed in ``docs/templates.md``. python-docx builds the document; raw XML
(through lxml) is used only where python-docx has no API: the table of contents field, the page
fields in the footer, shading, repeated header rows, the footnotes part and package clean-up.

Layout, in order: title page (own first-page header and footer, both empty), "Metadata om
dokument", "Innehåll" with a TOC field, the chapters, "Miljöstrategins utformning" (the words
follow the plan's ``strategi.typ``: "Hållbarhetspolicyns utformning"), "Så ska du läsa handlingsplanen", "Åtgärder <år>" with one page per measure, and "Bilaga 1 Aktivitetslistan".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml import etree

OUTPUT = Path(__file__).resolve().parent / "docx" / "handlingsplan.docx"

FONT = "Arial"  # LibreOffice maps it to the metric-compatible Liberation Sans
LANGUAGE = "sv-SE"

# Colours (hex RGB). Text colours are checked against WCAG 2.1 AA (4.5:1) when the script runs.
GREEN = "1B6B5A"  # headings, table header rows (white text on it)
GREEN_DARK = "14524A"  # the title band on the cover
GREEN_LIGHT = "E1EFEA"  # group rows in the activity list
GREY_LIGHT = "EDEDED"  # label cells in the metadata table
GREY_TEXT = "595959"  # header and footer text
GREY_RULE = "A6A6A6"  # table borders, the rule above the footer
LINK_BLUE = "0563C1"
DRAFT_RED = "C00000"  # the "Utkast" mark of a --draft document, on the cover and in the header
WHITE = "FFFFFF"

# A4 with 25 mm margins: the text is 9072 twips (160 mm) wide, 14004 twips (247 mm) in landscape.
MARGIN = 1417
TEXT_WIDTH = Twips(11906 - 2 * MARGIN)
LANDSCAPE_TEXT_WIDTH = Twips(16838 - 2 * MARGIN)


# --------------------------------------------------------------------------- small XML helpers


def _contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two hex colours."""

    def luminance(hex_rgb: str) -> float:
        channels = [int(hex_rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _child(parent, tag: str, successors: tuple[str, ...] = (), **attrs: str):
    """Return the first ``tag`` child of ``parent``, added before ``successors`` if missing."""
    element = parent.find(qn(tag))
    if element is None:
        element = parent.makeelement(qn(tag), {})
        for name in successors:
            successor = parent.find(qn(name))
            if successor is not None:
                successor.addprevious(element)
                break
        else:
            parent.append(element)
    for name, value in attrs.items():
        element.set(qn(name), value)
    return element


# Children that come after w:pBdr / w:shd in a w:pPr, and after w:shd in a w:tcPr (schema order).
_PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_SUCCESSORS = {
    ("w:pPr", "w:pBdr"): _PPR_AFTER_PBDR,
    ("w:pPr", "w:shd"): _PPR_AFTER_PBDR[1:],
    ("w:tcPr", "w:shd"): ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
}


def _props_child(props, tag: str, **attrs: str):
    """``_child`` for a properties element whose children must follow the schema order."""
    key = ("w:" + etree.QName(props).localname, tag)
    return _child(props, tag, _SUCCESSORS[key], **attrs)


def shade(props, fill: str) -> None:
    """Give a ``w:pPr`` or ``w:tcPr`` a solid background ``fill``."""
    _props_child(props, "w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})


def box_border(pPr, color: str, space_pt: int) -> None:
    """Draw a border of ``color`` round a paragraph, ``space_pt`` points from its text."""
    borders = _props_child(pPr, "w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        _child(
            borders,
            f"w:{side}",
            **{"w:val": "single", "w:sz": "4", "w:space": str(space_pt), "w:color": color},
        )


def rule_border(pPr, side: str, color: str, size_eighths: int = 4, space_pt: int = 4) -> None:
    """Draw a single line on one ``side`` (top or bottom) of a paragraph."""
    borders = _props_child(pPr, "w:pBdr")
    _child(
        borders,
        f"w:{side}",
        **{"w:val": "single", "w:sz": str(size_eighths), "w:space": str(space_pt), "w:color": color},
    )


def page_break_before(paragraph: Paragraph) -> Paragraph:
    """Start ``paragraph`` on a new page (a paragraph property, not a break character)."""
    paragraph.paragraph_format.page_break_before = True
    return paragraph


def add_complex_field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """Append a complex field (``fldChar`` begin / ``instrText`` / separate / result / end)."""
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    run = paragraph.add_run()
    instr = parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instruction} </w:instrText>')
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    paragraph.add_run(cached)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


# ------------------------------------------------------------------------------- table helpers


def set_cell(cell: _Cell, text: str, style: str = "Tabelltext",
             align: WD_ALIGN_PARAGRAPH | None = None, color: str | None = None) -> Paragraph:
    """Put ``text`` in the (empty) first paragraph of ``cell``."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    if color is not None:
        run.font.color.rgb = RGBColor.from_string(color)
    return paragraph


def shade_cell(cell: _Cell, fill: str) -> None:
    shade(cell._tc.get_or_add_tcPr(), fill)


def span_row(row: _Row) -> _Cell:
    """Merge every cell of ``row`` into one (``w:gridSpan``) and return it."""
    return row.cells[0].merge(row.cells[-1])


def keep_row_together(row: _Row) -> None:
    """Never split ``row`` across pages (``w:cantSplit``)."""
    _child(row._tr.get_or_add_trPr(), "w:cantSplit")  # w:trPr children may come in any order


def repeat_as_header(row: _Row) -> None:
    """Mark ``row`` as the table's header row, repeated on every page (``w:tblHeader``)."""
    keep_row_together(row)
    _child(row._tr.get_or_add_trPr(), "w:tblHeader")


def new_table(doc: DocumentObject, rows: int, widths_twips: list[int], caption: str) -> Table:
    """A full-width ``Table Grid`` table with fixed column widths, grey borders and alt text."""
    table = doc.add_table(rows=rows, cols=len(widths_twips))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_twips):
            cell.width = Twips(width)
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_twips):
        grid_col.set(qn("w:w"), str(width))
    tblPr = table._tbl.tblPr
    _child(tblPr, "w:tblW", ("w:jc", "w:tblInd"), **{"w:w": str(sum(widths_twips)), "w:type": "dxa"})
    borders = _child(tblPr, "w:tblBorders", ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _child(borders, f"w:{side}", **{"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": GREY_RULE})
    _child(tblPr, "w:tblCaption", ("w:tblDescription",), **{"w:val": caption})
    return table


def jinja_row(table: Table, tag: str) -> None:
    """Append a row holding only a ``{%tr ... %}`` tag (docxtpl replaces the whole row)."""
    row = table.add_row()
    set_cell(span_row(row), tag)


# ---------------------------------------------------------------------------------- the styles


def style_rpr(style):
    return style.element.get_or_add_rPr()


def style_ppr(style):
    return style.element.get_or_add_pPr()


def configure_defaults(doc: DocumentObject) -> None:
    """Arial 11 pt, Swedish, 1.15 line spacing, for everything that does not say otherwise."""
    styles = doc.styles.element
    rPr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rPr):
        rPr.remove(child)
    rPr.append(parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    ))
    rPr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="22"/>'))
    rPr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="22"/>'))
    rPr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'))
    pPr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(pPr):
        pPr.remove(child)
    pPr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:after="160" w:line="276" w:lineRule="auto"/>'))

    # The default template's styles use theme fonts (Calibri, Cambria), English language tags
    # and revision ids: drop them so that every style inherits Arial and sv-SE.
    for element in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            element.attrib.pop(qn(attr), None)
    for element in list(styles.iter(qn("w:rFonts"), qn("w:lang"), qn("w:rsid"))):
        if element.getparent() is not rPr and (element.tag != qn("w:rFonts") or not element.attrib):
            element.getparent().remove(element)


def define_paragraph_style(doc: DocumentObject, name: str, style_id: str, *, base: str = "Normal",
                           builtin: bool = False, priority: int | None = None):
    """Return the paragraph style ``name``, adding it (with ``style_id``) if missing."""
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=builtin)
    style.style_id = style_id
    style.base_style = styles[base]
    style.next_paragraph_style = styles["Normal"]
    if priority is not None:
        style.priority = priority
        style.unhide_when_used = True
    return style


def define_character_style(doc: DocumentObject, name: str, style_id: str, *, builtin: bool = False,
                           priority: int | None = None):
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER, builtin=builtin)
    style.style_id = style_id
    style.base_style = styles["Default Paragraph Font"]
    if priority is not None:
        style.priority = priority
        style.unhide_when_used = True
    return style


def configure_headings(doc: DocumentObject) -> None:
    """Heading 1-3 in dark green Arial; Heading 4-9 coloured to match."""
    sizes = {1: 18, 2: 14, 3: 12}
    space = {1: (18, 8), 2: (14, 6), 3: (12, 4)}
    for level in range(1, 10):
        style = doc.styles[f"Heading {level}"]
        font = style.font
        font.color.rgb = RGBColor.from_string(GREEN)
        if level in sizes:
            font.size = Pt(sizes[level])
            font.bold = True
            font.italic = False
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = (Pt(v) for v in space[level])
            fmt.line_spacing = 1.0
            fmt.keep_with_next = True
            fmt.keep_together = True
        char_style = doc.styles[f"Heading {level} Char"]
        char_style.font.color.rgb = RGBColor.from_string(GREEN)
        if level in sizes:
            char_style.font.size = Pt(sizes[level])


def configure_cover_styles(doc: DocumentObject) -> None:
    """Title and Subtitle form a dark green band with white text on the cover."""
    for name, size, bold in (("Title", 32, True), ("Subtitle", 20, False)):
        style = doc.styles[name]
        pPr = style_ppr(style)
        for child in list(pPr):
            pPr.remove(child)
        rPr = style_rpr(style)
        for child in list(rPr):
            rPr.remove(child)
        box_border(pPr, GREEN_DARK, 14)
        shade(pPr, GREEN_DARK)
        fmt = style.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(14)
        fmt.space_before = Pt(0 if name == "Title" else 6)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        fmt.keep_with_next = name == "Title"
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(WHITE)
        doc.styles[f"{name} Char"].font.color.rgb = RGBColor.from_string(WHITE)
        doc.styles[f"{name} Char"].font.size = Pt(size)


def configure_lists_and_misc(doc: DocumentObject) -> None:
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2"):
        doc.styles[name].paragraph_format.space_after = Pt(4)
    caption = doc.styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.bold = True
    caption.font.color.rgb = RGBColor.from_string("404040")
    toc_heading = doc.styles["TOC Heading"]
    toc_heading.paragraph_format.space_before = Pt(0)
    toc_heading.paragraph_format.space_after = Pt(12)
    for name in ("Header", "Footer"):
        style = doc.styles[name]
        style.font.size = Pt(9)
        style.font.color.rgb = RGBColor.from_string(GREY_TEXT)
        fmt = style.paragraph_format
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        fmt.tab_stops.clear_all()


def add_missing_styles(doc: DocumentObject) -> None:
    """Styles the renderer refers to that python-docx's default template lacks, plus our own."""
    # Table of contents entries: right tab with dot leader at the text width.
    for level in (1, 2, 3):
        style = define_paragraph_style(doc, f"toc {level}", f"TOC{level}", builtin=True, priority=39)
        fmt = style.paragraph_format
        fmt.left_indent = Mm(5 * (level - 1))
        fmt.space_before = Pt(6 if level == 1 else 0)
        fmt.space_after = Pt(3)
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if level == 1:
            style.font.bold = True

    footnote_text = define_paragraph_style(doc, "footnote text", "FootnoteText", builtin=True, priority=99)
    footnote_text.font.size = Pt(9)
    footnote_text.paragraph_format.space_after = Pt(0)
    footnote_text.paragraph_format.line_spacing = 1.0

    footnote_reference = define_character_style(
        doc, "footnote reference", "FootnoteReference", builtin=True, priority=99
    )
    footnote_reference.font.superscript = True

    hyperlink = define_character_style(doc, "Hyperlink", "Hyperlink", builtin=True, priority=99)
    hyperlink.font.color.rgb = RGBColor.from_string(LINK_BLUE)
    hyperlink.font.underline = True

    label = define_character_style(doc, "Fokusområdesetikett", "Fokusområdesetikett")
    label.font.bold = True
    label.font.size = Pt(9.5)
    label.quick_style = True

    page_heading = define_paragraph_style(doc, "Sidrubrik", "Sidrubrik")
    page_heading.font.size = Pt(18)
    page_heading.font.bold = True
    page_heading.font.color.rgb = RGBColor.from_string(GREEN)
    page_heading.paragraph_format.space_after = Pt(12)
    page_heading.paragraph_format.keep_with_next = True
    page_heading.quick_style = True

    cell_text = define_paragraph_style(doc, "Tabelltext", "Tabelltext")
    cell_text.font.size = Pt(10)
    cell_text.paragraph_format.space_before = Pt(2)
    cell_text.paragraph_format.space_after = Pt(2)
    cell_text.paragraph_format.line_spacing = 1.0
    cell_text.quick_style = True

    cell_heading = define_paragraph_style(doc, "Tabellrubrik", "Tabellrubrik", base="Tabelltext")
    cell_heading.font.bold = True
    cell_heading.paragraph_format.keep_with_next = True
    cell_heading.quick_style = True


def configure_styles(doc: DocumentObject) -> None:
    configure_defaults(doc)
    configure_headings(doc)
    configure_cover_styles(doc)
    configure_lists_and_misc(doc)
    add_missing_styles(doc)


# ------------------------------------------------------------------------- page and sections


def setup_page(section, landscape: bool = False) -> None:
    """A4, portrait or landscape, 25 mm margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Twips(MARGIN)
    section.top_margin = section.bottom_margin = Twips(MARGIN)
    section.header_distance = section.footer_distance = Mm(12.5)


def fill_header(header) -> None:
    """The document name, small and right-aligned."""
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = "Header"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_draft_mark(paragraph, "{% if utkast %}Utkast – {% endif %}")
    paragraph.add_run("{{ titel }}")


def add_draft_mark(paragraph: Paragraph, text: str, size: Pt | None = None) -> None:
    """A bold red run (``text`` holds its own ``{% if utkast %}``): a draft says it is one."""
    run = paragraph.add_run(text)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(DRAFT_RED)
    if size is not None:
        run.font.size = size


def fill_footer(footer, text_width: Twips) -> None:
    """The municipality on the left, "Sida <PAGE> av <NUMPAGES>" at a right tab."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    rule_border(paragraph._p.get_or_add_pPr(), "top", GREY_RULE, space_pt=6)
    paragraph.add_run("{{ kommun.namn }}")
    paragraph.add_run("\tSida ")
    add_complex_field(paragraph, "PAGE", "1")
    paragraph.add_run(" av ")
    add_complex_field(paragraph, "NUMPAGES", "1")


def configure_page(doc: DocumentObject) -> None:
    """The first section: a cover page without header or footer, then the normal ones."""
    section = doc.sections[0]
    setup_page(section)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    fill_header(section.header)
    fill_footer(section.footer, TEXT_WIDTH)


def start_new_section(doc: DocumentObject, landscape: bool = False) -> None:
    """A next-page section break. A portrait section inherits the first section's header and
    footer; a landscape one gets its own, the footer's right tab at its wider text width."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    # The paragraph that carries the break is empty: keep it tiny so it never spills over.
    break_paragraph = Paragraph(doc.element.body.findall(qn("w:p"))[-1], doc._body)
    break_paragraph.paragraph_format.space_before = Pt(0)
    break_paragraph.paragraph_format.space_after = Pt(0)
    break_paragraph.paragraph_format.line_spacing = Pt(1)
    if landscape:
        setup_page(section, landscape=True)
        fill_header(section.header)
        fill_footer(section.footer, LANDSCAPE_TEXT_WIDTH)


# ----------------------------------------------------------------------------- the sections


def add_title_page(
    doc: DocumentObject,
    title: str = "{{ titel }}",
    subtitle: str = "{{ år }}",
    note: str = (
        '{% if metadata.beslutad != "–" %}Beslutad {{ metadata.beslutad }}'
        '{% if metadata.beslutsinstans != "–" %} av {{ metadata.beslutsinstans }}{% endif %}{% endif %}'
    ),
) -> None:
    """The cover: logo, municipality, the title band (Title and Subtitle) and a grey note under it."""
    logo = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    logo.paragraph_format.space_before = Mm(40)
    logo.paragraph_format.space_after = Pt(18)
    logo.add_run("{% if kommun.logotyp %}{{ kommun.logotyp }}{% endif %}")

    municipality = doc.add_paragraph()
    municipality.paragraph_format.space_after = Mm(20)
    run = municipality.add_run("{{ kommun.namn }}")
    run.bold = True
    run.font.size = Pt(18)
    run.font.color.rgb = RGBColor.from_string(GREEN)

    doc.add_paragraph(title, style="Title")
    doc.add_paragraph(subtitle, style="Subtitle")

    below = doc.add_paragraph()
    below.paragraph_format.space_before = Pt(14)
    run = below.add_run(note)
    run.font.color.rgb = RGBColor.from_string(GREY_TEXT)

    doc.add_paragraph("{%p if utkast %}")
    draft = doc.add_paragraph()
    draft.paragraph_format.space_before = Pt(24)
    add_draft_mark(draft, "UTKAST", Pt(28))
    draft.add_run().add_break()
    add_draft_mark(draft, "Dokumentet är ett utkast och är inte beslutat.")
    doc.add_paragraph("{%p endif %}")


METADATA_FIELDS = [
    ("Dokumentnamn", "dokumentnamn"),
    ("Dokumenttyp", "dokumenttyp"),
    ("Omfattar", "omfattar"),
    ("Dokumentägare", "dokumentägare"),
    ("Dokumentansvarig", "dokumentansvarig"),
    ("Publicering", "publicering"),
    ("Författningsstöd", "författningsstöd"),
    ("Beslutad", "beslutad"),
    ("Bör revideras senast", "bör_revideras_senast"),
    ("Beslutsinstans", "beslutsinstans"),
    ("Diarienummer", "diarienummer"),
]


def add_metadata(doc: DocumentObject) -> None:
    """"Metadata om dokument": one label/value row per field, then one row per revision
    (label | date and paragraph | change)."""
    page_break_before(doc.add_paragraph("Metadata om dokument", style="Sidrubrik"))
    table = new_table(doc, 0, [2600, 2000, 4472], "Metadata om dokument")

    def label(cell: _Cell, text: str) -> None:
        set_cell(cell, text, style="Tabellrubrik")
        shade_cell(cell, GREY_LIGHT)

    for text, key in METADATA_FIELDS:
        cells = table.add_row().cells
        label(cells[0], text)
        set_cell(cells[1].merge(cells[2]), f"{{{{ metadata.{key} }}}}")

    jinja_row(table, "{%tr for r in metadata.revideringar %}")
    cells = table.add_row().cells
    label(cells[0], "Revidering {{ r.nummer }}")
    set_cell(cells[1], '{{ r.datum }}{% if r.paragraf and r.paragraf != "–" %}, {{ r.paragraf }}{% endif %}')
    set_cell(cells[2], "{{ r.ändring }}")
    jinja_row(table, "{%tr endfor %}")
    for row in table.rows:
        keep_row_together(row)


TOC_PLACEHOLDER = "Innehållsförteckningen uppdateras när dokumentet öppnas."


def add_table_of_contents(doc: DocumentObject) -> None:
    """"Innehåll" (TOC Heading) and a ``w:sdt`` table of contents holding one TOC field."""
    page_break_before(doc.add_paragraph("Innehåll", style="TOC Heading"))
    field = doc.add_paragraph(style="toc 1")
    add_complex_field(field, 'TOC \\o "1-2" \\h \\z \\u', TOC_PLACEHOLDER)
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr>"
        '<w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
        "</w:sdtPr><w:sdtContent/></w:sdt>"
    )
    field._p.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(field._p)


def add_chapters(doc: DocumentObject) -> None:
    doc.add_paragraph("{%p for k in kapitel %}")
    doc.add_paragraph("{{ k.rubrik }}", style="Heading 1")
    doc.add_paragraph("{{p k.text }}")
    doc.add_paragraph("{%p endfor %}")


def add_strategy(doc: DocumentObject) -> None:
    """"Miljöstrategins utformning" (in the words of ``strategi.typ``): priorities with their focus
    areas, then each focus area."""
    heading = doc.add_paragraph("{{ strategi.typ_genitiv | versal }} utformning", style="Heading 1")
    page_break_before(heading)
    doc.add_paragraph(
        "{% if strategi.namn %}Handlingsplanen bygger på {{ strategi.namn }}. {% endif %}"
        "{{ strategi.typ_bestämd | versal }} består av prioriteringar, och varje prioritering är "
        "uppdelad i fokusområden. Tabellen visar vilka fokusområden som hör till varje prioritering. "
        "Varje åtgärd i handlingsplanen bidrar till ett eller flera av fokusområdena."
    )
    table = new_table(doc, 1, [2600, 6472], "Prioriteringar och fokusområden")
    header = table.rows[0]
    for cell, text in zip(header.cells, ("Prioritering", "Fokusområden")):
        set_cell(cell, text, style="Tabellrubrik", color=WHITE)
        shade_cell(cell, GREEN)
    repeat_as_header(header)
    jinja_row(table, "{%tr for p in strategi.prioriteringar %}")
    cells = table.add_row().cells
    set_cell(cells[0], "{{ p.namn }}", style="Tabellrubrik")
    set_cell(cells[1], "{{r p.etiketter }}")
    keep_row_together(table.rows[-1])
    jinja_row(table, "{%tr endfor %}")

    doc.add_paragraph("Fokusområdena", style="Heading 2")
    doc.add_paragraph("{%p for f in fokusområden %}")
    focus = doc.add_paragraph()
    focus.paragraph_format.space_after = Pt(8)
    focus.add_run("{{r f.etikett }}")
    focus.add_run(" {{ f.beskrivning }}")
    doc.add_paragraph("{%p endfor %}")


READING_GUIDE_BULLETS = [
    "Överst står åtgärdens rubrik. Rubrikerna finns också i innehållsförteckningen.",
    "Under rubriken visas de fokusområden i {{ strategi.typ_bestämd }} som åtgärden hör till. Varje "
    "fokusområde har en egen färg, men namnet står alltid utskrivet i rutan, så etiketterna går "
    "att läsa även utan färg, till exempel i en utskrift i gråskala eller med skärmläsare.",
    "Därefter beskrivs åtgärden: varför den behövs och vad kommunkoncernen vill uppnå under året.",
    "Under ”Sektor/bolag med aktiviteter inom åtgärden:” listas de sektorer och bolag som har "
    "åtagit sig att genomföra aktiviteter inom åtgärden. Har åtgärden ännu inga aktiviteter står "
    "det i stället, med de ansvariga sektorerna och bolagen.",
    "När det är angivet står det också vilka av de nationella miljökvalitetsmålen och de globala "
    "målen i Agenda 2030 som åtgärden bidrar till.",
]


def add_reading_guide(doc: DocumentObject) -> None:
    """"Så ska du läsa handlingsplanen": our own explanation of a measure page."""
    doc.add_paragraph("Så ska du läsa handlingsplanen", style="Heading 1")
    doc.add_paragraph(
        "Varje åtgärd presenteras på en egen sida, och alla sidor är uppbyggda på samma sätt:"
    )
    for text in READING_GUIDE_BULLETS:
        doc.add_paragraph(text, style="List Bullet")
    doc.add_paragraph(
        "Åtgärderna konkretiseras i aktiviteter som sektorerna och bolagen genomför under året. "
        "Aktiviteterna, med ansvarig enhet, period och beräknad kostnad, redovisas per åtgärd i "
        "Bilaga 1 Aktivitetslistan sist i dokumentet."
    ).paragraph_format.space_before = Pt(8)


def add_measures(doc: DocumentObject) -> None:
    """"Åtgärder <år>", then one page per measure (``w:pageBreakBefore`` on its Heading 2)."""
    page_break_before(doc.add_paragraph("Åtgärder {{ år }}", style="Heading 1"))
    doc.add_paragraph(
        "Handlingsplanen för {{ år }} innehåller {{ antal_åtgärder }} "
        '{% if antal_åtgärder == "1" %}åtgärd{% else %}åtgärder{% endif %}.'
    )
    doc.add_paragraph(
        "Tabellen ger en överblick. Därefter presenteras varje åtgärd på en egen sida, och "
        "aktiviteterna inom åtgärderna finns i Bilaga 1 Aktivitetslistan."
    )
    overview = new_table(doc, 1, [5400, 3672], "Översikt över årets åtgärder")
    for cell, text in zip(overview.rows[0].cells, ("Åtgärd", "Fokusområden")):
        set_cell(cell, text, style="Tabellrubrik", color=WHITE)
        shade_cell(cell, GREEN)
    repeat_as_header(overview.rows[0])
    jinja_row(overview, "{%tr for åtgärd in åtgärder %}")
    cells = overview.add_row().cells
    set_cell(cells[0], "{{ åtgärd.id }}. {{ åtgärd.rubrik }}")
    set_cell(cells[1], "{{ åtgärd.fokusområden_text }}")
    jinja_row(overview, "{%tr endfor %}")
    for row in overview.rows:
        keep_row_together(row)

    doc.add_paragraph("{%p for åtgärd in åtgärder %}")
    page_break_before(doc.add_paragraph("{{ åtgärd.rubrik }}", style="Heading 2"))
    labels = doc.add_paragraph()
    labels.paragraph_format.space_after = Pt(12)
    labels.paragraph_format.line_spacing = 1.4
    labels.add_run("{{r åtgärd.etiketter }}")
    doc.add_paragraph("{{p åtgärd.beskrivning }}")

    doc.add_paragraph("{%p if åtgärd.aktiviteter %}")
    units = doc.add_paragraph()
    units.paragraph_format.space_before = Pt(12)
    units.paragraph_format.space_after = Pt(6)
    units.paragraph_format.keep_with_next = True
    units.add_run("Sektor/bolag med aktiviteter inom åtgärden:").bold = True
    doc.add_paragraph("{%p for enhet in åtgärd.ansvariga %}")
    doc.add_paragraph("{{ enhet }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    none = doc.add_paragraph()
    none.paragraph_format.space_before = Pt(12)
    none.add_run("Åtgärden har ännu inga aktiviteter.").bold = True
    none.add_run(" Ansvariga: {{ åtgärd.ansvariga_text }}.")
    doc.add_paragraph("{%p endif %}")

    for key, lead in (
        ("miljökvalitetsmål", "Bidrar till miljökvalitetsmålen:"),
        ("globala_mål", "Bidrar till de globala målen:"),
    ):
        doc.add_paragraph(f"{{%p if åtgärd.{key} %}}")
        goals = doc.add_paragraph()
        goals.paragraph_format.space_before = Pt(8)
        goals.add_run(lead).bold = True
        goals.add_run(f" {{{{ åtgärd.{key} | lista }}}}")
        doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")


def add_activity_list(doc: DocumentObject) -> None:
    """"Bilaga 1 Aktivitetslistan" (in a landscape section, so it starts on a new page): one
    table, a shaded group row per measure, a total row."""
    doc.add_paragraph("Bilaga 1 Aktivitetslistan", style="Heading 1")
    doc.add_paragraph(
        "Aktiviteterna redovisas per åtgärd, i samma ordning som åtgärderna i handlingsplanen, "
        "med ansvarig enhet, period och beräknad kostnad för {{ år }}."
    )
    widths = [3300, 6504, 2500, 1700]  # landscape text width, 14004 twips
    table = new_table(doc, 1, widths, "Aktivitetslistan")
    header = table.rows[0]
    for cell, text in zip(header.cells, ("Enhet", "Aktivitet", "Period", "Kostnad")):
        align = WD_ALIGN_PARAGRAPH.RIGHT if text == "Kostnad" else None
        set_cell(cell, text, style="Tabellrubrik", color=WHITE, align=align)
        shade_cell(cell, GREEN)
    repeat_as_header(header)

    jinja_row(table, "{%tr for g in aktivitetslista %}")
    group = span_row(table.add_row())
    set_cell(group, "{{ g.åtgärd }}", style="Tabellrubrik")
    shade_cell(group, GREEN_LIGHT)
    jinja_row(table, "{%tr for a in g.aktiviteter %}")
    cells = table.add_row().cells
    for cell, key in zip(cells, ("enhet", "aktivitet", "period", "kostnad")):
        align = WD_ALIGN_PARAGRAPH.RIGHT if key == "kostnad" else None
        set_cell(cell, f"{{{{ a.{key} }}}}", align=align)
    jinja_row(table, "{%tr else %}")
    set_cell(span_row(table.add_row()), "Inga aktiviteter")
    jinja_row(table, "{%tr endfor %}")
    jinja_row(table, "{%tr endfor %}")

    cells = table.add_row().cells
    set_cell(cells[0].merge(cells[2]), "Summa", style="Tabellrubrik")
    set_cell(cells[3], "{{ total_kostnad }}", style="Tabellrubrik", align=WD_ALIGN_PARAGRAPH.RIGHT)
    for row in table.rows:
        keep_row_together(row)


# --------------------------------------------------------------------------------- the package


THEME_FONTS = (
    b'<a:latin typeface="Cambria"/>',
    b'<a:latin typeface="Calibri"/>',
)

APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>hallbardocs</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


def add_footnotes_part(doc: DocumentObject) -> None:
    """``word/footnotes.xml`` with Word's two separator footnotes (the renderer appends to it)."""
    part = Part(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES_XML.encode("utf-8"), doc.part.package
    )
    doc.part.relate_to(part, RT.FOOTNOTES)


def replace_part(owner, package, reltype: str, partname: str, content_type: str, blob: bytes) -> None:
    """Point ``owner``'s (a part's or the package's) ``reltype`` relationship at a new part."""
    for rId, rel in list(owner.rels.items()):
        if rel.reltype == reltype:
            owner.rels.pop(rId)
    owner.relate_to(Part(PackURI(partname), content_type, blob, package), reltype)


def clean_package(doc: DocumentObject) -> None:
    """Drop python-docx's template leftovers; Arial theme fonts; our own app.xml."""
    package = doc.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rId)
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"):
            doc.part.rels.pop(rId)

    theme = doc.part.part_related_by(RT.THEME)
    blob = theme.blob
    for old in THEME_FONTS:
        blob = blob.replace(old, f'<a:latin typeface="{FONT}"/>'.encode())
    replace_part(doc.part, package, RT.THEME, "/word/theme/theme1.xml", CT.OFC_THEME, blob)
    replace_part(package, package, RT.EXTENDED_PROPERTIES, "/docProps/app.xml",
                 CT.OFC_EXTENDED_PROPERTIES, APP_XML.encode("utf-8"))


def configure_settings(doc: DocumentObject) -> None:
    """Swedish theme language, footnote separators, Swedish decimal and list separators."""
    settings = doc.settings.element
    for tag in ("w:rsids", "w:savePreviewPicture", "w:proofState"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    footnote_pr = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    settings.find(qn("w:compat")).addprevious(footnote_pr)
    lang = settings.find(qn("w:themeFontLang"))
    lang.attrib.clear()
    lang.set(qn("w:val"), LANGUAGE)
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    settings.find(qn("w:defaultTabStop")).set(qn("w:val"), "1304")  # Swedish Word's 23 mm
    for setting in settings.find(qn("w:compat")).findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # Word 2013+ layout: table borders align to the margin


def configure_properties(
    doc: DocumentObject, title: str = "Mall: Handlingsplan", subject: str = "Handlingsplan till miljöstrategin"
) -> None:
    """Properties of the template itself (the renderer sets the rendered document's own)."""
    props = doc.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.title = title
    props.subject = subject
    props.author = "hallbardocs"
    props.last_modified_by = "hallbardocs"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = LANGUAGE
    props.revision = 1
    props.created = props.modified = now


# ---------------------------------------------------------------------------------------- main


def check_colours() -> None:
    pairs = [
        (GREEN, WHITE), (WHITE, GREEN), (WHITE, GREEN_DARK), ("000000", GREEN_LIGHT),
        ("000000", GREY_LIGHT), (GREY_TEXT, WHITE), (LINK_BLUE, WHITE),
        (DRAFT_RED, WHITE),
    ]
    for foreground, background in pairs:
        ratio = _contrast(foreground, background)
        assert ratio >= 4.5, f"contrast {foreground} on {background} is {ratio:.2f}, below 4.5:1"


def build() -> DocumentObject:
    check_colours()
    doc = Document()
    configure_styles(doc)
    configure_page(doc)
    add_title_page(doc)
    add_metadata(doc)
    add_table_of_contents(doc)
    start_new_section(doc)
    add_chapters(doc)
    add_strategy(doc)
    add_reading_guide(doc)
    add_measures(doc)
    start_new_section(doc, landscape=True)
    add_activity_list(doc)
    finish_package(doc, "Mall: Handlingsplan", "Handlingsplan till miljöstrategin")
    return doc


def finish_package(doc: DocumentObject, title: str, subject: str) -> None:
    """The parts every template needs besides its text: footnotes, settings, clean-up, properties."""
    add_footnotes_part(doc)
    clean_package(doc)
    configure_settings(doc)
    configure_properties(doc, title, subject)


def save_template(doc: DocumentObject, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(output))
    print(f"wrote {output}")


def main() -> None:
    save_template(build(), OUTPUT)


if __name__ == "__main__":
    main()
