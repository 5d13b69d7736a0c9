"""Build the default miljöbokslut template, ``templates/docx/miljobokslut.docx``.

Run from the repository root::

    python templates/build_miljobokslut.py

Same look and styles as the handlingsplan template: its helpers (styles, page set-up, header and
footer, tables, the table of contents, package clean-up) are imported from
``build_handlingsplan.py`` beside this script. Every variable the template uses is listed in
``docs/templates.md`` under "Miljöbokslut: the variables".

Layout, in order: title page, "Metadata om dokument", "Innehåll" with a TOC field, "Sammanfattning"
(status counts as a table and as charts, the status scale and the measure rule), "Översikt per
prioritering och fokusområde", "Åtgärderna" (each measure with its status and a table of its
activities), "Indikatorer" (a chart and a table per indicator), "Miljömål och globala mål".
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from docx.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_handlingsplan import (  # the sibling script, found through sys.path
    GREEN,
    GREY_LIGHT,
    GREY_TEXT,
    WHITE,
    add_table_of_contents,
    add_title_page,
    check_colours,
    configure_page,
    configure_styles,
    finish_package,
    jinja_row,
    keep_row_together,
    new_table,
    page_break_before,
    repeat_as_header,
    save_template,
    set_cell,
    shade_cell,
    start_new_section,
)

OUTPUT = Path(__file__).resolve().parent / "docx" / "miljobokslut.docx"

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


# ------------------------------------------------------------------------------------- helpers


def header_row(table: Table, titles: tuple[str, ...], right: tuple[str, ...] = ()) -> None:
    """Fill the table's first row with ``titles`` (white on green) and mark it as a repeated header."""
    header = table.rows[0]
    for cell, text in zip(header.cells, titles, strict=True):
        set_cell(cell, text, style="Tabellrubrik", color=WHITE, align=RIGHT if text in right else None)
        shade_cell(cell, GREEN)
    repeat_as_header(header)


def keep_rows_together(table: Table) -> None:
    for row in table.rows:
        keep_row_together(row)


def conditional(doc: DocumentObject, condition: str, text: str, style: str | None = None) -> None:
    """A paragraph shown only when ``condition`` holds (``{%p if %}`` … ``{%p endif %}``)."""
    doc.add_paragraph(f"{{%p if {condition} %}}")
    doc.add_paragraph(text, style=style)
    doc.add_paragraph("{%p endif %}")


def picture(doc: DocumentObject, variable: str, keep_with_next: bool = False) -> None:
    """A chart (an image with alt text) when the context has one; charts may be switched off."""
    doc.add_paragraph(f"{{%p if {variable} %}}")
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    paragraph.add_run(f"{{{{ {variable} }}}}")
    doc.add_paragraph("{%p endif %}")


# -------------------------------------------------------------------------------- the sections




METADATA_FIELDS = [
    ("Dokumentnamn", "dokumentnamn"),
    ("Dokumenttyp", "dokumenttyp"),
    ("Omfattar", "omfattar"),
    ("Period", "period"),
    ("Underlag", "underlag"),
    ("Statusskala", "statusskala"),
    ("Datum", "datum"),
]


def add_metadata(doc: DocumentObject) -> None:
    """"Metadata om dokument": one label/value row per field."""
    page_break_before(doc.add_paragraph("Metadata om dokument", style="Sidrubrik"))
    table = new_table(doc, 0, [2600, 6472], "Metadata om dokument")
    for text, key in METADATA_FIELDS:
        cells = table.add_row().cells
        set_cell(cells[0], text, style="Tabellrubrik")
        shade_cell(cells[0], GREY_LIGHT)
        set_cell(cells[1], f"{{{{ metadata.{key} }}}}")
    keep_rows_together(table)


MEASURE_RULE = [
    "Aktiviteter som inte längre är relevanta räknas inte med. Återstår ingen aktivitet är inte "
    "heller åtgärden relevant.",
    "Har alla återstående aktiviteter samma status får åtgärden den statusen.",
    "Är någon aktivitet genomförd eller påbörjad, men inte alla genomförda, pågår åtgärden.",
    "Annars har åtgärden inte påbörjats. Det gäller också när aktiviteterna är avbrutna eller "
    "inte har rapporterats.",
    "En åtgärd som inte har några aktiviteter har status ”∅ Inga aktiviteter”. Den räknas "
    "inte som avvikande.",
]


def add_summary(doc: DocumentObject) -> None:
    """"Sammanfattning": the computed sentences, the counts table, the charts, the status scale."""
    doc.add_paragraph("Sammanfattning", style="Heading 1")
    doc.add_paragraph(
        "Miljöbokslutet visar hur arbetet med åtgärderna i ”{{ underlag }}” har gått. "
        "Sektorerna och bolagen har rapporterat status för sina aktiviteter, och läget "
        "redovisas per {{ period.per }}."
    )
    doc.add_paragraph("{{ sammanfattning.mening }}")
    doc.add_paragraph("{{ sammanfattning.aktivitetsmening }}")

    lead = doc.add_paragraph("Tabellen visar antalet åtgärder och aktiviteter med varje status.")
    lead.paragraph_format.keep_with_next = True
    widths = [3272, 1450, 1450, 1450, 1450]
    table = new_table(doc, 1, widths, "Antal åtgärder och aktiviteter per status")
    header_row(table, ("Status", "Åtgärder", "Andel", "Aktiviteter", "Andel"),
               right=("Åtgärder", "Andel", "Aktiviteter"))
    jinja_row(table, "{%tr for s in sammanfattning.tabell %}")
    cells = table.add_row().cells
    set_cell(cells[0], "{{r s.status }}")
    for cell, key in zip(cells[1:], ("åtgärder", "åtgärder_andel", "aktiviteter", "aktiviteter_andel"), strict=True):
        set_cell(cell, f"{{{{ s.{key} }}}}", align=RIGHT)
    jinja_row(table, "{%tr endfor %}")
    cells = table.add_row().cells
    set_cell(cells[0], "Totalt", style="Tabellrubrik")
    for cell, text in zip(cells[1:], ("{{ sammanfattning.antal_åtgärder }}", "100\u00a0%",
                                      "{{ sammanfattning.antal_aktiviteter }}", "100\u00a0%"), strict=True):
        set_cell(cell, text, style="Tabellrubrik", align=RIGHT)
    keep_rows_together(table)

    picture(doc, "sammanfattning.diagram_åtgärder")
    picture(doc, "sammanfattning.diagram_aktiviteter")

    doc.add_paragraph("Så läser du statusen", style="Heading 2")
    doc.add_paragraph(
        "Aktiviteterna följs upp med statusskalan ”{{ statusskala.namn }}”. Varje status visas med en "
        "symbol, ett ord och en färg, så att den går att läsa även utan färg, till exempel i en "
        "utskrift i gråskala eller med skärmläsare."
    )
    scale = new_table(doc, 1, [3272, 5800], "Statusskalans nivåer")
    header_row(scale, ("Status", "Betydelse"))
    jinja_row(scale, "{%tr for n in statusskala.nivåer %}")
    cells = scale.add_row().cells
    set_cell(cells[0], "{{r n.etikett }}")
    set_cell(cells[1], "{{ n.beskrivning }}")
    jinja_row(scale, "{%tr endfor %}")
    keep_rows_together(scale)

    rule = doc.add_paragraph("En åtgärds status räknas fram ur aktiviteternas status:")
    rule.paragraph_format.space_before = Pt(10)
    rule.paragraph_format.keep_with_next = True
    for text in MEASURE_RULE:
        doc.add_paragraph(text, style="List Bullet")


def add_overview(doc: DocumentObject) -> None:
    """"Översikt per prioritering och fokusområde": a table per priority."""
    page_break_before(doc.add_paragraph("Översikt per prioritering och fokusområde", style="Heading 1"))
    doc.add_paragraph(
        "Tabellerna visar hur många åtgärder som hör till varje fokusområde i {{ strategi.typ_bestämd }} och "
        "vilken status de har. En åtgärd kan höra till flera fokusområden och räknas då i vart och "
        "ett av dem."
    )
    doc.add_paragraph("{%p for p in prioriteringar %}")
    doc.add_paragraph("{{ p.namn }}", style="Heading 2")
    table = new_table(doc, 1, [3000, 1300, 4772], "Åtgärdernas status per fokusområde")
    header_row(table, ("Fokusområde", "Åtgärder", "Status"), right=("Åtgärder",))
    jinja_row(table, "{%tr for f in p.fokusområden %}")
    cells = table.add_row().cells
    set_cell(cells[0], "{{ f.namn }}", style="Tabellrubrik")
    set_cell(cells[1], "{{ f.antal_åtgärder }}", align=RIGHT)
    status = set_cell(cells[2], "{{r f.status }}")
    status.paragraph_format.line_spacing = 1.4
    jinja_row(table, "{%tr endfor %}")
    keep_rows_together(table)
    doc.add_paragraph("{%p endfor %}")


def add_measures(doc: DocumentObject) -> None:
    """"Åtgärderna": each measure (Heading 2) with its status, its activities and its comment."""
    page_break_before(doc.add_paragraph("Åtgärderna", style="Heading 1"))
    doc.add_paragraph(
        "Här redovisas varje åtgärd med sin status, och för varje aktivitet den status och den "
        "kommentar som den ansvariga sektorn eller det ansvariga bolaget har rapporterat. En "
        "aktivitet som ingen har rapporterat är markerad ”? Ej rapporterad”."
    )
    doc.add_paragraph("{%p for å in åtgärder %}")
    doc.add_paragraph("{{ å.rubrik_nummer }}", style="Heading 2")

    status = doc.add_paragraph()
    status.paragraph_format.keep_with_next = True
    status.paragraph_format.space_after = Pt(4)
    status.add_run("Status: ").bold = True
    status.add_run("{{r å.status }}")

    areas = doc.add_paragraph()
    areas.paragraph_format.keep_with_next = True
    areas.paragraph_format.space_after = Pt(8)
    areas.add_run("Fokusområden: ").bold = True
    areas.add_run("{{ å.fokusområden_text }}")

    doc.add_paragraph("{%p if å.aktiviteter %}")
    table = new_table(doc, 1, [2600, 2600, 1900, 1972], "Aktiviteternas status")
    header_row(table, ("Enhet", "Aktivitet", "Status", "Kommentar"))
    jinja_row(table, "{%tr for a in å.aktiviteter %}")
    cells = table.add_row().cells
    set_cell(cells[0], "{{ a.enhet }}")
    set_cell(cells[1], "{{ a.aktivitet }}")
    set_cell(cells[2], "{{r a.status }}")
    comment = set_cell(cells[3], "{% if a.rapporterad %}{{ a.kommentar }}{% endif %}")
    missing = comment.add_run("{% if not a.rapporterad %}{{ a.kommentar }}{% endif %}")
    missing.italic = True
    jinja_row(table, "{%tr endfor %}")
    keep_rows_together(table)
    doc.add_paragraph("{%p if å.värden %}")
    figures = new_table(doc, 1, [2600, 3272, 2000, 1200], "Nyckeltal som har rapporterats")
    header_row(figures, ("Enhet", "Aktivitet", "Nyckeltal", "Värde"))
    jinja_row(figures, "{%tr for v in å.värden %}")
    cells = figures.add_row().cells
    set_cell(cells[0], "{{ v.enhet }}")
    set_cell(cells[1], "{{ v.aktivitet }}")
    set_cell(cells[2], "{{ v.namn }}")
    set_cell(cells[3], "{{ v.värde }}")
    jinja_row(figures, "{%tr endfor %}")
    keep_rows_together(figures)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Åtgärden har inga aktiviteter i handlingsplanen, så det finns inget att rapportera.")
    doc.add_paragraph("{%p endif %}")

    doc.add_paragraph("{%p if å.kommentar %}")
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(8)
    note.add_run("Kommentar: ").bold = True
    note.add_run("{{ å.kommentar }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")


def add_indicators(doc: DocumentObject) -> None:
    """"Indikatorer": per indicator a chart, the source, and the same figures in a table."""
    page_break_before(doc.add_paragraph("Indikatorer", style="Heading 1"))
    doc.add_paragraph("{%p if indikatorer %}")
    doc.add_paragraph(
        "Indikatorerna visar hur miljön och kommunkoncernens påverkan på den utvecklas över tid. "
        "Diagrammen visar kommunens värden år för år, jämförda med andra när det finns uppgifter, "
        "och målet när ett mål är satt. Samma uppgifter står i tabellen under varje diagram."
    )
    doc.add_paragraph("{%p for i in indikatorer %}")
    doc.add_paragraph("{{ i.namn }}", style="Heading 2")
    picture(doc, "i.diagram", keep_with_next=True)
    doc.add_paragraph("{%p if i.källa %}")
    credit = doc.add_paragraph("{{ i.källa }}")
    credit.paragraph_format.space_after = Pt(8)
    credit.runs[0].font.size = Pt(9)
    credit.runs[0].font.color.rgb = RGBColor.from_string(GREY_TEXT)
    doc.add_paragraph("{%p endif %}")

    table = new_table(doc, 1, [2600, 6472], "Indikatorns värden och bedömning")
    header_row(table, ("Uppgift", "Resultat"))
    jinja_row(table, "{%tr for r in i.rader %}")
    cells = table.add_row().cells
    set_cell(cells[0], "{{ r.rubrik }}", style="Tabellrubrik")
    set_cell(cells[1], "{{ r.text }}")
    jinja_row(table, "{%tr endfor %}")
    keep_rows_together(table)

    doc.add_paragraph("{%p if i.kommentar %}")
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(8)
    note.add_run("Kommentar: ").bold = True
    note.add_run("{{ i.kommentar }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Miljöbokslutet för {{ år }} redovisar inga indikatorer.")
    doc.add_paragraph("{%p endif %}")


def add_goals(doc: DocumentObject) -> None:
    """"Miljömål och globala mål": which goals the measures serve, in official order."""
    page_break_before(doc.add_paragraph("Miljömål och globala mål", style="Heading 1"))
    doc.add_paragraph(
        "Tabellerna visar vilka av de nationella miljökvalitetsmålen och vilka av de globala målen "
        "i Agenda 2030 som åtgärderna bidrar till, i målens officiella ordning."
    )
    for heading, key, column, caption, none in (
        ("Miljökvalitetsmålen", "miljökvalitetsmål", "Miljökvalitetsmål", "Åtgärder per miljökvalitetsmål",
         "Ingen av åtgärderna är kopplad till något miljökvalitetsmål."),
        ("De globala målen i Agenda 2030", "globala_mål", "Globalt mål", "Åtgärder per globalt mål",
         "Ingen av åtgärderna är kopplad till något av de globala målen."),
    ):
        doc.add_paragraph(heading, style="Heading 2")
        doc.add_paragraph(f"{{%p if {key} %}}")
        table = new_table(doc, 1, [3300, 5772], caption)
        header_row(table, (column, "Åtgärder"))
        jinja_row(table, f"{{%tr for g in {key} %}}")
        cells = table.add_row().cells
        set_cell(cells[0], "{{ g.mål }}", style="Tabellrubrik")
        set_cell(cells[1], "{{ g.åtgärder }}")
        jinja_row(table, "{%tr endfor %}")
        keep_rows_together(table)
        doc.add_paragraph("{%p else %}")
        doc.add_paragraph(none)
        doc.add_paragraph("{%p endif %}")


# --------------------------------------------------------------------------------------- main




def build() -> DocumentObject:
    check_colours()
    doc = Document()
    configure_styles(doc)
    configure_page(doc)
    add_title_page(doc, "Miljöbokslut {{ år }}", "{{ period.text }}", "Uppföljning av {{ underlag }}")
    add_metadata(doc)
    add_table_of_contents(doc)
    start_new_section(doc)
    add_summary(doc)
    add_overview(doc)
    add_measures(doc)
    add_indicators(doc)
    add_goals(doc)
    finish_package(doc, "Mall: Miljöbokslut", "Miljöbokslut: uppföljning av handlingsplanen")
    return doc


def main() -> None:
    save_template(build(), OUTPUT)


if __name__ == "__main__":
    main()
