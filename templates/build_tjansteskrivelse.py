"""Build the default tjänsteskrivelse template, ``templates/docx/tjansteskrivelse.docx``.

Run from the repository root::

    python templates/build_tjansteskrivelse.py

A tjänsteskrivelse is a short official memo to a committee: no title page, no table of contents.
Fonts, colours, styles and the package clean-up come from the handlingsplan template's build
script (``build_handlingsplan.py``, beside this one), so the two documents look alike. Every
variable the template uses is listed in ``docs/templates.md``.

Layout, in order: the header block (a borderless table: municipality, administration and
handläggare on the left; "TJÄNSTESKRIVELSE", date and diarienummer on the right), the recipient,
the matter's title (Heading 1), then the Heading 2 sections Förslag till beslut, Sammanfattning,
Bakgrund, Bedömning (with "Åtgärder som avviker" as a Heading 3 and a table), Beslutsunderlag,
Beslutet skickas till, and the signature. Every page header holds the page as ``1 (3)`` (PAGE and
NUMPAGES fields); from page 2 it also names the municipality, the date and the diarienummer.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling script build_handlingsplan.py

from build_handlingsplan import (
    FONT,
    GREEN,
    GREY_TEXT,
    TEXT_WIDTH,
    WHITE,
    _child,
    add_complex_field,
    add_draft_mark,
    check_colours,
    configure_styles,
    define_paragraph_style,
    finish_package,
    jinja_row,
    keep_row_together,
    new_table,
    repeat_as_header,
    rule_border,
    save_template,
    set_cell,
    setup_page,
    shade_cell,
)

OUTPUT = Path(__file__).resolve().parent / "docx" / "tjansteskrivelse.docx"

# The header block: the left column holds the sender, the right one the memo's own data.
BLOCK_WIDTHS = [5300, 3772]  # twips, together the text width (9072)
LABEL_TAB = Mm(27)  # where the values after "Datum" and "Diarienummer" start in the right column
DEVIATIONS_WIDTHS = [3100, 1750, 4222]

CRITERIA = (
    "En åtgärd avviker om den inte har påbörjats eller har avbrutits, eller om någon av dess "
    "aktiviteter har avbrutits eller saknar rapport."
)


# ---------------------------------------------------------------------------------- the styles


def add_decision_list_style(doc: DocumentObject) -> None:
    """"Beslutssats": a list paragraph with an en dash, as decision clauses are written in minutes
    ("– godkänna …,"). Real list markup: its own bullet numbering, referred to by the style."""
    numbering = doc.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:nsid w:val="5B1E7A21"/><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:pStyle w:val="Beslutssats"/><w:lvlText w:val="–"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="284" w:hanging="284"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/></w:rPr>'
        "</w:lvl></w:abstractNum>"
    )
    last_abstract = numbering.findall(qn("w:abstractNum"))[-1]
    last_abstract.addnext(abstract)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(num)
    else:
        numbering.append(num)

    style = define_paragraph_style(doc, "Beslutssats", "Beslutssats")
    style.paragraph_format.space_after = Pt(4)
    style.quick_style = True
    pPr = style.element.get_or_add_pPr()
    pPr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))


def add_memo_styles(doc: DocumentObject) -> None:
    """The few styles a memo has beyond the handlingsplan's."""
    recipient = define_paragraph_style(doc, "Mottagare", "Mottagare")
    recipient.font.bold = True
    recipient.font.size = Pt(12)
    recipient.paragraph_format.space_before = Pt(18)
    recipient.paragraph_format.space_after = Pt(6)
    recipient.quick_style = True

    block = define_paragraph_style(doc, "Huvuduppgift", "Huvuduppgift")
    block.font.size = Pt(10)
    block.paragraph_format.space_after = Pt(1)
    block.paragraph_format.line_spacing = 1.0
    block.paragraph_format.tab_stops.add_tab_stop(LABEL_TAB, WD_TAB_ALIGNMENT.LEFT)
    block.quick_style = True

    signature = define_paragraph_style(doc, "Underskrift", "Underskrift")
    signature.paragraph_format.space_after = Pt(0)
    signature.paragraph_format.keep_with_next = True
    signature.quick_style = True

    add_decision_list_style(doc)


# ------------------------------------------------------------------------------ page headers


def add_page_number(paragraph: Paragraph) -> None:
    """``1 (3)``: the page and the number of pages, as Swedish memos write it."""
    add_complex_field(paragraph, "PAGE", "1")
    paragraph.add_run(" (")
    add_complex_field(paragraph, "NUMPAGES", "1")
    paragraph.add_run(")")


def configure_page(doc: DocumentObject) -> None:
    """A4 with the handlingsplan's margins. The first page's header holds only the page number (the
    header block below it says the rest); later pages name the memo in the header too."""
    section = doc.sections[0]
    setup_page(section)
    section.different_first_page_header_footer = True

    first = section.first_page_header
    first.is_linked_to_previous = False
    paragraph = first.paragraphs[0]
    paragraph.style = "Header"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_draft_mark(paragraph, "{% if utkast %}UTKAST\u2003{% endif %}")
    add_page_number(paragraph)

    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = "Header"
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    rule_border(paragraph._p.get_or_add_pPr(), "bottom", "A6A6A6", space_pt=4)
    paragraph.add_run("{{ kommun.namn }}\t")
    add_draft_mark(paragraph, "{% if utkast %}Utkast – {% endif %}")
    paragraph.add_run("Tjänsteskrivelse {{ datum }}")
    paragraph.add_run('{% if diarienummer != "–" %}, {{ diarienummer }}{% endif %}')
    paragraph.add_run("\u2003")  # an em space before the page number
    add_page_number(paragraph)

    for footer in (section.first_page_footer, section.footer):
        footer.is_linked_to_previous = False


# ------------------------------------------------------------------------------ the sections


def borderless(table: Table) -> None:
    """A layout table: no borders, and no cell padding at the sides, so its text lines up with the
    body text."""
    tblPr = table._tbl.tblPr
    borders = tblPr.find(qn("w:tblBorders"))
    for border in list(borders):
        for attr in list(border.attrib):
            del border.attrib[attr]
        border.set(qn("w:val"), "nil")
    margins = _child(tblPr, "w:tblCellMar", ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    for side in ("left", "right"):
        _child(margins, f"w:{side}", **{"w:w": "0", "w:type": "dxa"})


def block_line(cell: _Cell, text: str = "", *, first: bool = False) -> Paragraph:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.style = "Huvuduppgift"
    if text:
        paragraph.add_run(text)
    return paragraph


def labelled_line(cell: _Cell, label: str, value: str) -> Paragraph:
    """``Datum<tab>2027-02-03``, the label in grey."""
    paragraph = block_line(cell)
    run = paragraph.add_run(label)
    run.font.color.rgb = RGBColor.from_string(GREY_TEXT)
    paragraph.add_run("\t" + value)
    return paragraph


def add_header_block(doc: DocumentObject) -> None:
    """The memo's header block at the top of page 1, then the recipient on its own line."""
    table = new_table(doc, 1, BLOCK_WIDTHS, "Tjänsteskrivelsens avsändare, datum och diarienummer")
    borderless(table)
    left, right = table.rows[0].cells

    municipality = block_line(left, first=True)
    run = municipality.add_run("{{ kommun.namn }}")
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RGBColor.from_string(GREEN)
    municipality.paragraph_format.space_after = Pt(4)
    block_line(left, "{{ förvaltning }}")
    officer = block_line(left)
    officer.paragraph_format.space_before = Pt(6)
    label = officer.add_run("Handläggare")
    label.font.color.rgb = RGBColor.from_string(GREY_TEXT)
    block_line(left, "{{ handläggare.namn }}{% if handläggare.titel %}, {{ handläggare.titel }}{% endif %}")

    word = block_line(right, first=True)
    run = word.add_run("TJÄNSTESKRIVELSE")
    run.bold = True
    run.font.size = Pt(13)
    add_draft_mark(word, "{% if utkast %} – UTKAST{% endif %}", Pt(13))
    word.paragraph_format.space_after = Pt(6)
    labelled_line(right, "Datum", "{{ datum }}")
    labelled_line(right, "Diarienummer", "{{ diarienummer }}")

    doc.add_paragraph("{{ mottagare }}", style="Mottagare")


def add_proposal(doc: DocumentObject) -> None:
    """"Förslag till beslut": one clause in the sentence, several as a dash list."""
    doc.add_paragraph("Förslag till beslut", style="Heading 2")
    doc.add_paragraph("{%p if förslag_till_beslut|length == 1 %}")
    doc.add_paragraph("{{ mottagare }} beslutar att {{ förslag_till_beslut[0] }}")
    doc.add_paragraph("{%p else %}")
    lead = doc.add_paragraph("{{ mottagare }} beslutar att")
    lead.paragraph_format.space_after = Pt(4)
    lead.paragraph_format.keep_with_next = True
    doc.add_paragraph("{%p for sats in förslag_till_beslut %}")
    doc.add_paragraph("{{ sats }}", style="Beslutssats")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def add_summary_and_background(doc: DocumentObject) -> None:
    doc.add_paragraph("Sammanfattning", style="Heading 2")
    doc.add_paragraph("{{ utfall }}")
    doc.add_paragraph("{{p sammanfattning }}")
    doc.add_paragraph("Bakgrund", style="Heading 2")
    doc.add_paragraph("{{ plan_text }}")
    doc.add_paragraph("{{p bakgrund }}")


def add_assessment(doc: DocumentObject) -> None:
    """"Bedömning": the texts, then the deviating measures as a table (status as word and symbol)."""
    doc.add_paragraph("Bedömning", style="Heading 2")
    doc.add_paragraph("{{p bedömning }}")
    doc.add_paragraph("Åtgärder som avviker", style="Heading 3")
    doc.add_paragraph(f"{{{{ avvikelser_text }}}} {CRITERIA}")
    doc.add_paragraph("{%p if avvikande_åtgärder %}")
    table = new_table(doc, 1, DEVIATIONS_WIDTHS, "Åtgärder som avviker")
    header = table.rows[0]
    for cell, text in zip(header.cells, ("Åtgärd", "Status", "Aktiviteter som avviker"), strict=True):
        set_cell(cell, text, style="Tabellrubrik", color=WHITE)
        shade_cell(cell, GREEN)
    repeat_as_header(header)
    jinja_row(table, "{%tr for a in avvikande_åtgärder %}")
    cells = table.add_row().cells
    set_cell(cells[0], "{{ a.åtgärd }}")
    cells[0].add_paragraph("{%p if a.kommentar %}", style="Tabelltext")
    comment = cells[0].add_paragraph(style="Tabelltext")
    run = comment.add_run("{{ a.kommentar }}")
    run.italic = True
    cells[0].add_paragraph("{%p endif %}", style="Tabelltext")
    set_cell(cells[1], "{{ a.status }}")
    set_cell(cells[2], "{{ a.aktiviteter_text }}")
    keep_row_together(table.rows[-1])
    jinja_row(table, "{%tr endfor %}")
    doc.add_paragraph("{%p endif %}")


def add_list_section(doc: DocumentObject, heading: str, variable: str, *, keep_with_next: bool = False) -> None:
    """A Heading 2 and a bullet list of ``variable``, left out when the list is empty; with
    ``keep_with_next`` the list stays on the page of what follows (the signature)."""
    doc.add_paragraph(f"{{%p if {variable} %}}")
    doc.add_paragraph(heading, style="Heading 2")
    doc.add_paragraph(f"{{%p for x in {variable} %}}")
    item = doc.add_paragraph("{{ x }}", style="List Bullet")
    item.paragraph_format.keep_with_next = keep_with_next or None
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def add_signature(doc: DocumentObject) -> None:
    """The administration, then the handläggare's name and title, with room to sign above the name."""
    office = doc.add_paragraph("{{ förvaltning }}", style="Underskrift")
    office.paragraph_format.space_before = Pt(24)
    name = doc.add_paragraph("{{ handläggare.namn }}", style="Underskrift")
    name.paragraph_format.space_before = Pt(30)
    doc.add_paragraph("{%p if handläggare.titel %}")
    title = doc.add_paragraph("{{ handläggare.titel }}", style="Underskrift")
    title.paragraph_format.keep_with_next = False
    doc.add_paragraph("{%p endif %}")


# ---------------------------------------------------------------------------------------- main




def build() -> DocumentObject:
    check_colours()
    doc = Document()
    configure_styles(doc)
    add_memo_styles(doc)
    configure_page(doc)
    add_header_block(doc)
    doc.add_paragraph("{{ ärende }}", style="Heading 1")
    add_proposal(doc)
    add_summary_and_background(doc)
    add_assessment(doc)
    add_list_section(doc, "Beslutsunderlag", "beslutsunderlag")
    add_list_section(doc, "Beslutet skickas till", "expediering", keep_with_next=True)
    add_signature(doc)
    finish_package(doc, "Mall: Tjänsteskrivelse", "Tjänsteskrivelse till nämnd")
    return doc


def main() -> None:
    save_template(build(), OUTPUT)


if __name__ == "__main__":
    main()
