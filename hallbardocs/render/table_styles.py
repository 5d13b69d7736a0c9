"""The .docx as LibreOffice lays it out fastest, looking the same: table styles written out.

LibreOffice's import of a table that has a table style is slow: it works the style out cell by cell
and paragraph by paragraph through its own API. For a 17-measure handlingsplan (21 tables, 622
cells) that is about a sixth of the whole conversion (bench/README.md). :func:`for_libreoffice`
gives the converter a copy of the document in which each table's style is written out as the
formatting it stands for, which LibreOffice takes as it is: the style's borders, cell margins and
indent on the table, its paragraph spacing on the paragraphs no paragraph style spaces, and its
header row's shading and text on the first row's cells and runs. The pages come out the same,
pixel for pixel (tests/test_publish_pdf.py). The converter hands LibreOffice this copy of every
document (``Converter(inline_table_styles=False)`` hands it the .docx as it is); the user's .docx
keeps its styles, for Word and for the communicator who restyles the template.

Only what these rules cover is written out. A table whose style uses anything else (banded rows, a
last row or column, a style's own text formatting, a nested table, rows in a content control)
keeps its style, as before, and LibreOffice works it out itself.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

__all__ = ["for_libreoffice", "inline_table_styles"]

_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_NS}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
"""An attachment's .docx is the user's: no entities, nothing fetched (a 2000-measure plan is a big tree)."""


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Schema order of the children this module adds (ECMA-376 CT_TblPr, CT_TcPr, CT_PPrBase, CT_RPr).
_TBL_PR = _names(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription "
    "tblPrChange"
)
_TC_PR = _names(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
    "hideMark headers cellIns cellDel cellMerge tcPrChange"
)
_P_PR = _names(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
_R_PR = _names(
    "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow "
    "emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight "
    "u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange"
)

_STYLE_ATTRIBUTES = frozenset(
    _names(
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked "
        "personal personalCompose personalReply rsid"
    )
)
"""A style's own settings that say nothing of how its text looks."""
_TABLE_PROPERTIES = {"tblBorders", "tblCellMar", "tblInd"}
"""What a table style's own tblPr may hold to be written out (side by side merged, the table's own first)."""
_IGNORED_TABLE_PROPERTIES = {"tblStyleRowBandSize", "tblStyleColBandSize"}
"""Band sizes mean nothing without banded conditional formatting, which keeps a table's style."""
_HEADER_TEXT = {"b", "bCs", "color"}
_SPACING_GROUPS = (
    ("before", "beforeLines", "beforeAutospacing"),
    ("after", "afterLines", "afterAutospacing"),
    ("line", "lineRule"),
)
"""A paragraph's spacing, in the parts that are set or inherited together (LibreOffice's top margin,
bottom margin and line spacing)."""


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _put(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> etree._Element:
    """Insert ``child`` into ``parent`` where the schema's ``order`` puts it."""
    rank = order.index(_local(child))
    for i, sibling in enumerate(parent):
        name = _local(sibling) if isinstance(sibling.tag, str) else ""
        if name in order and order.index(name) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _child(parent: etree._Element, name: str, order: tuple[str, ...]) -> etree._Element:
    found = parent.find(f"{_W}{name}")
    return found if found is not None else _put(parent, etree.Element(f"{_W}{name}"), order)


def _merge_sides(into: dict[str, etree._Element], element: etree._Element | None) -> None:
    """Side-by-side merge of tblBorders/tblCellMar: a later style's side replaces an earlier one's."""
    if element is None:
        return
    for side in element:
        if isinstance(side.tag, str):
            into[_local(side)] = side


@dataclass
class _TableStyle:
    """What a table style (with its ``basedOn`` chain) stands for, when it can be written out."""

    table: dict[str, dict[str, etree._Element]] = field(default_factory=dict)  # tblBorders/tblCellMar/tblInd
    spacing: dict[str, str] = field(default_factory=dict)  # the style's paragraph spacing, by attribute
    header_shading: etree._Element | None = None  # the firstRow cells' w:shd
    header_text: dict[str, etree._Element] = field(default_factory=dict)  # the firstRow runs' b/bCs/color


class _Styles:
    """The paragraph, character and table styles of styles.xml, enough to write table styles out."""

    def __init__(self, styles: etree._Element) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.default_table: str | None = None
        for style in styles.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            if style_id is None:
                continue
            self.by_id[style_id] = style
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true", "on"):
                self.default_paragraph = style_id
            if style.get(f"{_W}type") == "table" and style.get(f"{_W}default") in ("1", "true", "on"):
                self.default_table = style_id
        self._tables: dict[str, _TableStyle | None] = {}
        self._sets: dict[tuple[str | None, str, str | None], bool] = {}

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and the styles it is based on, the style first."""
        found: list[etree._Element] = []
        while style_id is not None and style_id in self.by_id and len(found) < 50:
            style = self.by_id[style_id]
            if style in found:
                break
            found.append(style)
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None
        return found

    def sets(self, style_id: str | None, path: str, attribute: str | None = None) -> bool:
        """Whether the style or a style it is based on sets ``path`` (an attribute of it)."""
        key = (style_id, path, attribute)
        if key not in self._sets:
            self._sets[key] = any(
                (element := style.find(path)) is not None
                and (attribute is None or element.get(f"{_W}{attribute}") is not None)
                for style in self.chain(style_id)
            )
        return self._sets[key]

    def table_style(self, style_id: str) -> _TableStyle | None:
        """What the table style stands for, or None when it uses more than can be written out."""
        if style_id not in self._tables:
            self._tables[style_id] = self._resolve(style_id)
        return self._tables[style_id]

    def _resolve(self, style_id: str) -> _TableStyle | None:
        chain = self.chain(style_id)
        if not chain or any(style.get(f"{_W}type") != "table" for style in chain):
            return None
        resolved = _TableStyle()
        # A table without a style still has the document's default table style (Word's "Normal
        # Table", in LibreOffice too): what the chain takes from it need not be written out.
        if chain[-1].get(f"{_W}styleId") == self.default_table and len(chain) > 1:
            chain = chain[:-1]
        for style in reversed(chain):  # the base first, so that the style's own settings win
            for part in style:
                if not isinstance(part.tag, str):
                    continue
                name = _local(part)
                if name in _STYLE_ATTRIBUTES:
                    continue
                if name == "pPr":
                    if not _spacing_only(part, resolved.spacing):
                        return None
                elif name == "tblPr":
                    for setting in part:
                        if not isinstance(setting.tag, str):
                            continue
                        key = _local(setting)
                        if key in _IGNORED_TABLE_PROPERTIES:
                            continue
                        if key not in _TABLE_PROPERTIES:
                            return None
                        if key == "tblInd":
                            resolved.table[key] = {"": setting}
                        else:
                            _merge_sides(resolved.table.setdefault(key, {}), setting)
                elif name in ("rPr", "tcPr", "trPr"):
                    if len(part):  # the style's own text, cell or row formatting: not written out
                        return None
                elif name == "tblStylePr":
                    if part.get(f"{_W}type") != "firstRow" or not _header_row(part, resolved):
                        return None
                else:
                    return None
        return resolved


def _spacing_only(ppr: etree._Element, into: dict[str, str]) -> bool:
    for setting in ppr:
        if not isinstance(setting.tag, str):
            continue
        if _local(setting) != "spacing":
            return False
        for key, value in setting.attrib.items():
            into[etree.QName(key).localname] = str(value)
    return True


def _header_row(conditional: etree._Element, into: _TableStyle) -> bool:
    """Take a firstRow conditional made only of cell shading and bold/colour text; False otherwise."""
    for part in conditional:
        if not isinstance(part.tag, str):
            continue
        name = _local(part)
        settings = [s for s in part if isinstance(s.tag, str)]
        if name in ("tblPr", "trPr", "pPr") and not settings:
            continue
        if name == "tcPr" and all(_local(s) == "shd" for s in settings):
            into.header_shading = settings[-1] if settings else into.header_shading
        elif name == "rPr" and all(_local(s) in _HEADER_TEXT for s in settings):
            into.header_text.update({_local(s): s for s in settings})
        else:
            return False
    return True


def _looks_at_first_row(table_pr: etree._Element) -> bool:
    """Whether the table's w:tblLook turns its style's header row formatting on (Word's default: yes)."""
    look = table_pr.find(f"{_W}tblLook")
    if look is None:
        return True
    first_row = look.get(f"{_W}firstRow")
    if first_row is not None:
        return first_row in ("1", "true", "on")
    value = look.get(f"{_W}val")
    return value is None or bool(int(value, 16) & 0x0020)


def _write_table_properties(table_pr: etree._Element, style: _TableStyle) -> None:
    for name, sides in style.table.items():
        if name == "tblInd":
            if table_pr.find(f"{_W}tblInd") is None:
                _put(table_pr, copy.deepcopy(sides[""]), _TBL_PR)
            continue
        own = table_pr.find(f"{_W}{name}")
        if own is None:
            own = _put(table_pr, etree.Element(f"{_W}{name}"), _TBL_PR)
        present = {_local(side) for side in own if isinstance(side.tag, str)}
        order = ("top", "start", "left", "bottom", "end", "right", "insideH", "insideV")
        for side_name, side in sides.items():
            if side_name not in present and side_name in order:
                _put(own, copy.deepcopy(side), order)


def _paragraph_style(paragraph: etree._Element, styles: _Styles) -> str | None:
    found = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return found.get(f"{_W}val") if found is not None else styles.default_paragraph


def _spacing_wanted(style: _TableStyle, paragraph_style: str | None, styles: _Styles) -> list[dict[str, str]]:
    """The table style's spacing a paragraph of ``paragraph_style`` takes, in groups: those the
    paragraph style does not set (a style's spacing wins over the table style's, and the table
    style's over the document defaults')."""
    wanted = []
    for group in _SPACING_GROUPS:
        values = {name: style.spacing[name] for name in group if name in style.spacing}
        if values and not any(styles.sets(paragraph_style, f"{_W}pPr/{_W}spacing", name) for name in group):
            wanted.append(values)
    return wanted


def _write_spacing(paragraph: etree._Element, wanted: list[dict[str, str]]) -> None:
    """Set each group of ``wanted`` spacing the paragraph does not set itself."""
    ppr = paragraph.find(f"{_W}pPr")
    own = ppr.find(f"{_W}spacing") if ppr is not None else None
    for values in wanted:
        if own is not None and any(own.get(f"{_W}{name}") is not None for name in values):
            continue
        if ppr is None:
            ppr = etree.Element(f"{_W}pPr")
            paragraph.insert(0, ppr)
        if own is None:
            own = _child(ppr, "spacing", _P_PR)
        for name, value in values.items():
            own.set(f"{_W}{name}", value)


def _write_header_cell(cell: etree._Element, style: _TableStyle, styles: _Styles) -> None:
    if style.header_shading is not None:
        tc_pr = cell.find(f"{_W}tcPr")
        if tc_pr is None:
            tc_pr = etree.Element(f"{_W}tcPr")
            cell.insert(0, tc_pr)
        if tc_pr.find(f"{_W}shd") is None:
            _put(tc_pr, copy.deepcopy(style.header_shading), _TC_PR)
    if not style.header_text:
        return
    for paragraph in cell.iter(f"{_W}p"):
        paragraph_style = _paragraph_style(paragraph, styles)
        wanted = {
            name: value
            for name, value in style.header_text.items()
            if not styles.sets(paragraph_style, f"{_W}rPr/{_W}{name}")
        }
        if not wanted:
            continue
        for run in paragraph.iter(f"{_W}r"):
            rpr = run.find(f"{_W}rPr")
            rstyle = rpr.find(f"{_W}rStyle") if rpr is not None else None
            run_style = rstyle.get(f"{_W}val") if rstyle is not None else None
            for name, value in wanted.items():
                if rpr is not None and rpr.find(f"{_W}{name}") is not None:
                    continue
                if run_style is not None and styles.sets(run_style, f"{_W}rPr/{_W}{name}"):
                    continue
                if rpr is None:
                    rpr = etree.Element(f"{_W}rPr")
                    run.insert(0, rpr)
                _put(rpr, copy.deepcopy(value), _R_PR)
        # The paragraph mark is left as it is: bold and colour do not change an empty line's height.


def inline_table_styles(body: etree._Element, styles_xml: etree._Element) -> int:
    """Write each table's style out in ``body`` (see the module's text); returns the tables written out."""
    styles = _Styles(styles_xml)
    written = 0
    for table in list(body.iter(f"{_W}tbl")):
        if table.find(f".//{_W}tbl") is not None or any(_local(a) == "tbl" for a in table.iterancestors()):
            continue  # a nested table: its paragraphs belong to two styles
        if any(_local(child) in ("sdt", "customXml") for child in table if isinstance(child.tag, str)):
            continue  # rows inside a content control: which row is the first is not plain to see
        table_pr = table.find(f"{_W}tblPr")
        style_ref = table_pr.find(f"{_W}tblStyle") if table_pr is not None else None
        if table_pr is None or style_ref is None:
            continue
        style = styles.table_style(style_ref.get(f"{_W}val", ""))
        if style is None:
            continue
        table_pr.remove(style_ref)
        _write_table_properties(table_pr, style)
        rows = table.findall(f"{_W}tr")
        if style.spacing:
            wanted: dict[str | None, list[dict[str, str]]] = {}
            for row in rows:
                for paragraph in row.iter(f"{_W}p"):
                    paragraph_style = _paragraph_style(paragraph, styles)
                    if paragraph_style not in wanted:
                        wanted[paragraph_style] = _spacing_wanted(style, paragraph_style, styles)
                    if wanted[paragraph_style]:
                        _write_spacing(paragraph, wanted[paragraph_style])
        if rows and (style.header_shading is not None or style.header_text) and _looks_at_first_row(table_pr):
            for cell in rows[0].iter(f"{_W}tc"):
                _write_header_cell(cell, style, styles)
        written += 1
    return written


def for_libreoffice(docx: bytes) -> bytes:
    """The .docx to hand LibreOffice: its tables' styles written out (:func:`inline_table_styles`).
    A package this cannot read is returned as it is, for LibreOffice to judge."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            names = package.namelist()
            if "word/document.xml" not in names or "word/styles.xml" not in names:
                return docx
            document = etree.fromstring(package.read("word/document.xml"), _PARSER)
            styles_xml = etree.fromstring(package.read("word/styles.xml"), _PARSER)
            if not inline_table_styles(document, styles_xml):
                return docx
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy_of:
                for item in package.infolist():
                    data = (
                        etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
                        if item.filename == "word/document.xml"
                        else package.read(item.filename)
                    )
                    copy_of.writestr(item.filename, data)
            return out.getvalue()
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError, OSError):
        return docx
