"""The .docx LibreOffice is given: each table's style written out as the formatting it stands for,
only where that can be done exactly, and nothing else changed.

That the pages come out the same, pixel for pixel, is tested with LibreOffice in
tests/test_publish_pdf.py.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from hallbardocs import load_followup, load_plan, render_handlingsplan, render_miljobokslut, render_tjansteskrivelse
from hallbardocs.render.table_styles import for_libreoffice, inline_table_styles

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples" / "handlingsplan.yaml"
FOLLOWUP = ROOT / "examples" / "uppfoljning.yaml"
NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{NS}}}"

STYLES = f"""<w:styles xmlns:w="{NS}">
<w:docDefaults><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Celltext"><w:name w:val="Celltext"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Rubrikcell"><w:name w:val="Rubrikcell"/><w:basedOn w:val="Celltext"/>
  <w:rPr><w:b/><w:color w:val="000000"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Markerad"><w:name w:val="Markerad"/><w:rPr><w:color w:val="FF0000"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
  <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/>
  <w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="Rutnat"><w:name w:val="Rutnät"/><w:basedOn w:val="TableNormal"/>
  <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
  <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/></w:tblBorders></w:tblPr>
  <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>
  <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1B6B5A"/></w:tcPr></w:tblStylePr></w:style>
<w:style w:type="table" w:styleId="Tat"><w:name w:val="Tät"/><w:basedOn w:val="Rutnat"/>
  <w:tblPr><w:tblCellMar><w:left w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="Randig"><w:name w:val="Randig"/><w:basedOn w:val="Rutnat"/>
  <w:tblStylePr w:type="band1Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/></w:tcPr></w:tblStylePr></w:style>
</w:styles>"""


def _cell(text: str, style: str | None = None, run_rpr: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    rpr = f"<w:rPr>{run_rpr}</w:rPr>" if run_rpr else ""
    return f"<w:tc><w:tcPr><w:tcW w:w='2000' w:type='dxa'/></w:tcPr><w:p>{ppr}<w:r>{rpr}<w:t>{text}</w:t></w:r></w:p></w:tc>"


def _body(tables: str) -> etree._Element:
    return etree.fromstring(f'<w:document xmlns:w="{NS}"><w:body>{tables}</w:body></w:document>')


def _table(style: str, rows: list[str], look: str = '<w:tblLook w:firstRow="1" w:val="0420"/>') -> str:
    cells = "".join(f"<w:tr>{row}</w:tr>" for row in rows)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="4000" w:type="dxa"/>{look}</w:tblPr>{cells}</w:tbl>'
    )


def _text(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def test_a_table_style_is_written_out_as_the_formatting_it_stands_for() -> None:
    body = _body(
        _table(
            "Rutnat", [_cell("Åtgärd") + _cell("Ansvar", "Rubrikcell"), _cell("Å, ä och ö") + _cell("x", "Celltext")]
        )
    )

    assert inline_table_styles(body, etree.fromstring(STYLES)) == 1

    table = body.find(f".//{W}tbl")
    pr = table.find(f"{W}tblPr")
    assert pr.find(f"{W}tblStyle") is None
    # Word's and LibreOffice's default table style (TableNormal) still applies without tblStyle:
    # its indent and cell margins need not be written out.
    assert [etree.QName(c).localname for c in pr] == ["tblW", "tblBorders", "tblLook"]
    assert [etree.QName(c).localname for c in pr.find(f"{W}tblBorders")] == ["top", "insideH"]
    header, body_row = table.findall(f"{W}tr")
    # The header row's cells are shaded; its text is white and bold, but a paragraph style's own
    # colour and bold win (Rubrikcell sets both).
    assert all(cell.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == "1B6B5A" for cell in header.findall(f"{W}tc"))
    plain_run, styled_run = header.iter(f"{W}r")
    assert plain_run.find(f"{W}rPr/{W}color").get(f"{W}val") == "FFFFFF"
    assert plain_run.find(f"{W}rPr/{W}b") is not None
    assert styled_run.find(f"{W}rPr") is None
    assert all(cell.find(f".//{W}shd") is None for cell in body_row.findall(f"{W}tc"))
    # Spacing: a Normal paragraph takes the table style's (over the document defaults'); one whose
    # style spaces it keeps its own before/after, and takes only the line spacing it does not set.
    normal, celltext = body_row.iter(f"{W}p")
    spacing = normal.find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}after"), spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("0", "240", "auto")
    spacing = celltext.find(f"{W}pPr/{W}spacing")
    assert spacing.get(f"{W}after") is None and spacing.get(f"{W}line") == "240"
    assert "Å, ä och ö" in _text(body_row)


def test_what_a_style_sets_over_the_default_table_style_is_written_out_side_by_side() -> None:
    table_pr = '<w:tblCellMar><w:right w:w="50" w:type="dxa"/></w:tblCellMar>'
    tbl_w = '<w:tblW w:w="4000" w:type="dxa"/>'
    body = _body(_table("Tat", [_cell("a")], look="").replace(tbl_w, tbl_w + table_pr, 1))

    inline_table_styles(body, etree.fromstring(STYLES))

    pr = body.find(f".//{W}tblPr")
    assert [etree.QName(c).localname for c in pr] == ["tblW", "tblBorders", "tblCellMar"]
    margins = {etree.QName(side).localname: side.get(f"{W}w") for side in pr.find(f"{W}tblCellMar")}
    assert margins == {"left": "0", "right": "50"}  # the style's left beside the table's own right
    assert body.find(f".//{W}tc/{W}tcPr/{W}shd") is not None  # no tblLook: Word's default has the header row


def test_the_cells_own_formatting_wins_over_the_table_style() -> None:
    direct = '<w:color w:val="00FF00"/>'
    marked = '<w:rStyle w:val="Markerad"/>'
    body = _body(_table("Rutnat", [_cell("a", run_rpr=direct) + _cell("b", run_rpr=marked)]))

    inline_table_styles(body, etree.fromstring(STYLES))

    own, character_styled = body.iter(f"{W}r")
    assert [c.get(f"{W}val") for c in own.iter(f"{W}color")] == ["00FF00"]
    assert character_styled.find(f"{W}rPr/{W}color") is None  # its character style's red stays
    assert character_styled.find(f"{W}rPr/{W}b") is not None


def test_a_table_that_turns_its_header_row_off_gets_no_header_formatting() -> None:
    body = _body(_table("Rutnat", [_cell("a")], look='<w:tblLook w:firstRow="0" w:val="0000"/>'))

    inline_table_styles(body, etree.fromstring(STYLES))

    assert body.find(f".//{W}shd") is None and body.find(f".//{W}r/{W}rPr") is None
    assert body.find(f".//{W}tblBorders") is not None


@pytest.mark.parametrize(
    "tables",
    [
        _table("Randig", [_cell("banded rows are LibreOffice's to work out")]),
        _table("Saknas", [_cell("a style that is not there")]),
        _table("Rutnat", ["<w:tc><w:p/>" + _table("Rutnat", [_cell("nested")]) + "<w:p/></w:tc>"]),
        _table("Rutnat", [_cell("a")])
        .replace("<w:tr>", "<w:sdt><w:sdtContent><w:tr>")
        .replace("</w:tr>", "</w:tr></w:sdtContent></w:sdt>"),
    ],
    ids=["banded", "missing style", "nested", "rows in a content control"],
)
def test_a_table_whose_style_cannot_be_written_out_exactly_keeps_it(tables: str) -> None:
    body = _body(tables)
    before = _text(body)

    assert inline_table_styles(body, etree.fromstring(STYLES)) == 0
    assert _text(body) == before


def test_a_package_that_is_not_a_docx_is_handed_on_as_it_is() -> None:
    for data in (b"", b"PK\x03\x04 not a zip", b"%PDF-1.7"):
        assert for_libreoffice(data) == data
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as package:
        package.writestr("word/document.xml", "<not xml")
        package.writestr("word/styles.xml", STYLES)
    assert for_libreoffice(plain.getvalue()) == plain.getvalue()


def _documents() -> dict[str, bytes]:
    plan = load_plan(PLAN)
    followup = load_followup(FOLLOWUP, plan)
    return {
        "handlingsplan": render_handlingsplan(plan).to_bytes(),
        "miljobokslut": render_miljobokslut(plan, followup).to_bytes(),
        "tjansteskrivelse": render_tjansteskrivelse(plan, followup).to_bytes(),
    }


def test_every_table_of_our_documents_is_written_out_and_the_copy_is_valid_ooxml(
    tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    for kind, data in _documents().items():
        prepared = for_libreoffice(data)
        with zipfile.ZipFile(io.BytesIO(prepared)) as package, zipfile.ZipFile(io.BytesIO(data)) as original:
            assert package.namelist() == original.namelist()
            for name in original.namelist():  # only the body changes
                if name != "word/document.xml":
                    assert package.read(name) == original.read(name), (kind, name)
            body = package.read("word/document.xml").decode("utf-8")
            tables = original.read("word/document.xml").decode("utf-8").count("<w:tbl>")
        assert tables and "<w:tblStyle " not in body, kind
        assert body.count("<w:tbl>") == tables
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(prepared)
        ooxml_validate(path)
