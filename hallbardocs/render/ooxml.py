"""WordprocessingML for what the renderer inserts: rich text, labels, line breaks, footnotes, list
numbering and the table of contents. Only this package builds document XML.

Styles are found by their language-independent names ("heading 1", "List Bullet"), so a template
made in a Swedish Word, whose style ids are localised ("Rubrik1"), works the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from lxml import etree

from hallbardocs.content import Labels
from hallbardocs.richtext import Block, FootnoteRef, Heading, Inline, LineBreak, ListBlock, Paragraph, RichText, Span
from hallbardocs.text import NOT_IN_XML, NOT_IN_XML_CLASS

__all__ = [
    "StyleMap",
    "W",
    "Writer",
    "contrasting_text_colour",
    "line_broken",
    "page_reference_targets",
    "set_page_references",
    "xml_text",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W}}}"
_INVALID_XML = NOT_IN_XML
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_LABEL_BORDER = 12
"""A label's border in eighths of a point: 1.5 pt in the fill's colour, padding the box in any renderer."""
_LABEL_PADDING = 1
"""Points between a label's text and its border (LibreOffice pads with it)."""
_LONGEST_BOXED_LABEL = 40
"""The longest label drawn as a box; a longer one is likely to wrap, and is only shaded."""
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


# docxtpl turns these four sequences into Jinja delimiters in its output; a character reference for
# the underscore keeps them as the user wrote them.
_DOCXTPL_ESCAPES = re.compile(r"(?<=[{%])_(?=[{%])|(?<=[}%])_(?=[}%])")
# Everything that makes a string need more than Jinja's autoescaping.
NEEDS_MARKUP = re.compile(f"[{NOT_IN_XML_CLASS}\\t\\n]|[{{}}%]_[{{}}%]")


def xml_text(text: str) -> str:
    """Text escaped for an XML element, without characters XML cannot hold.

    >>> xml_text("Vård & omsorg {_{ x }_}\x01")
    'Vård &amp; omsorg {&#95;{ x }&#95;}'
    """
    return _DOCXTPL_ESCAPES.sub("&#95;", escape(_INVALID_XML.sub("", text)))


def line_broken(text: str) -> str:
    """Escaped text for inside a ``<w:t>``, each newline a Word line break and each tab a tab.

    >>> line_broken("A & B\\nC")
    'A &amp; B</w:t><w:br/><w:t xml:space="preserve">C'
    """
    return _BREAK.join(_TAB.join(xml_text(part) for part in line.split("\t")) for line in text.split("\n"))


def contrasting_text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (WCAG relative luminance).

    >>> contrasting_text_colour("1F6F8B"), contrasting_text_colour("F2C14E")
    ('FFFFFF', '000000')
    """

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(fill[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "FFFFFF" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "000000"


class StyleMap:
    """Style ids of a template's styles, looked up by name, case-insensitively."""

    def __init__(self, styles_element: etree._Element) -> None:
        self._ids: dict[str, str] = {}
        self.numbering: dict[str, str] = {}
        based_on: dict[str, str] = {}
        outlines: dict[str, str] = {}
        for style in styles_element.iterfind(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            name = style.find(f"{_W}name")
            if style_id is None:
                continue
            parent = style.find(f"{_W}basedOn")
            outline = style.find(f"{_W}pPr/{_W}outlineLvl")
            if style.get(f"{_W}type") == "paragraph" and parent is not None and parent.get(f"{_W}val"):
                based_on[style_id] = parent.get(f"{_W}val") or ""
                if outline is not None:
                    outlines[style_id] = outline.get(f"{_W}val") or ""
            key = (name.get(f"{_W}val") if name is not None else style_id) or style_id
            self._ids.setdefault(key.casefold(), style_id)
            self._ids.setdefault(style_id.casefold(), style_id)
            num = style.find(f"{_W}pPr/{_W}numPr/{_W}numId")
            if num is not None:
                self.numbering[style_id] = num.get(f"{_W}val") or ""
        self.heading_levels: dict[str, int] = {}
        for level in range(1, 10):
            found = self.get(f"heading {level}")
            if found is not None:
                self.heading_levels[found] = level
        # a style based on a heading style is a heading of that level (the default handlingsplan's
        # Åtgärdsrubrik: Heading 2 that starts a new page)
        for style_id in based_on:
            current, seen = style_id, set[str]()
            while current in based_on and current not in self.heading_levels and current not in seen:
                seen.add(current)
                current = based_on[current]
            inherited = self.heading_levels.get(current)
            own = outlines.get(style_id)  # "TOC Heading" is based on Heading 1 but outline level 9: no heading
            if style_id not in self.heading_levels and inherited is not None and own in (None, str(inherited - 1)):
                self.heading_levels[style_id] = inherited

    def get(self, name: str) -> str | None:
        return self._ids.get(name.casefold())

    def paragraph(self, *names: str) -> str | None:
        """The id of the first of ``names`` the template has (None means Normal)."""
        for name in names:
            found = self.get(name)
            if found is not None:
                return found
        return None


@dataclass
class Writer:
    """Builds the XML the renderer inserts, collecting footnotes and list numbering on the way.

    One writer serves one render: footnote ids and restarted numbered lists are numbered in the
    order the template uses the values, which is document order.
    """

    styles: StyleMap
    relate_url: Callable[[str], str]
    footnotes: list[str] = field(default_factory=list)
    restarted_lists: list[tuple[int, str, int]] = field(default_factory=list)
    first_footnote_id: int = 1
    first_num_id: int = 1000

    # -- inline -------------------------------------------------------------------------------
    def _run(self, text: str, *, bold: bool = False, italic: bool = False, style: str | None = None) -> str:
        props = ""
        if style is not None:
            props += f'<w:rStyle w:val="{style}"/>'
        if bold:
            props += "<w:b/>"
        if italic:
            props += "<w:i/>"
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'

    def _footnote_reference(self, number: int) -> str:
        style = self.styles.get("footnote reference")
        rpr = f'<w:rStyle w:val="{style}"/>' if style else '<w:vertAlign w:val="superscript"/>'
        return f'<w:r><w:rPr>{rpr}</w:rPr><w:footnoteReference w:id="{number}"/></w:r>'

    def inlines(self, inlines: tuple[Inline, ...], notes: dict[str, tuple[Block, ...]]) -> str:
        out: list[str] = []
        link_style = self.styles.get("hyperlink")
        i = 0
        while i < len(inlines):
            inline = inlines[i]
            if isinstance(inline, Span) and inline.link:
                url = inline.link
                group = []
                while i < len(inlines) and isinstance(inlines[i], Span) and inlines[i].link == url:  # type: ignore[union-attr]
                    span = inlines[i]
                    assert isinstance(span, Span)
                    group.append(self._run(span.text, bold=span.bold, italic=span.italic, style=link_style))
                    i += 1
                if re.match(r"^(https?://|mailto:)", url):
                    rid = self.relate_url(url)
                    out.append(f'<w:hyperlink r:id="{rid}" w:history="1">{"".join(group)}</w:hyperlink>')
                else:
                    out.extend(group)
                continue
            if isinstance(inline, Span):
                out.append(self._run(inline.text, bold=inline.bold, italic=inline.italic))
            elif isinstance(inline, LineBreak):
                out.append("<w:r><w:br/></w:r>")
            elif isinstance(inline, FootnoteRef):
                number = self.first_footnote_id + len(self.footnotes)
                self.footnotes.append(self._footnote(number, notes.get(inline.label, ())))
                out.append(self._footnote_reference(number))
            i += 1
        return "".join(out)

    # -- blocks -------------------------------------------------------------------------------
    def _paragraph(self, style: str | None, body: str, numbering: str = "") -> str:
        ppr = ""
        if style is not None or numbering:
            ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + numbering + "</w:pPr>"
        return f"<w:p>{ppr}{body}</w:p>"

    def blocks(self, blocks: tuple[Block, ...], notes: dict[str, tuple[Block, ...]], depth: int = 0) -> str:
        out: list[str] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append(self._paragraph(None, self.inlines(block.inlines, notes)))
            elif isinstance(block, Heading):
                style = self.styles.paragraph(f"heading {block.level}")
                out.append(self._paragraph(style, self.inlines(block.inlines, notes)))
            elif isinstance(block, ListBlock):
                out.append(self._list(block, notes, depth))
        return "".join(out)

    def _list(self, block: ListBlock, notes: dict[str, tuple[Block, ...]], depth: int) -> str:
        base = "list number" if block.ordered else "list bullet"
        names = (f"{base} {depth + 1}", base) if depth else (base,)
        style = self.styles.paragraph(*names) or self.styles.paragraph("list paragraph")
        numbering = ""
        if block.ordered and style is not None and self.styles.numbering.get(style):
            num_id = self.first_num_id + len(self.restarted_lists)
            self.restarted_lists.append((num_id, self.styles.numbering[style], block.start))
            numbering = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        out: list[str] = []
        for item in block.items:
            first = True
            for child in item:
                if isinstance(child, ListBlock):
                    out.append(self._list(child, notes, depth + 1))
                    continue
                body = self.inlines(child.inlines, notes)
                if first:
                    out.append(self._paragraph(style, body, numbering))
                else:  # a second paragraph in the same item: indented like the item, no marker
                    out.append(
                        self._paragraph(style, body, '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>')
                    )
                first = False
        return "".join(out)

    def rich_text(self, text: RichText) -> str:
        return self.blocks(text.blocks, text.footnotes)

    def _footnote(self, number: int, blocks: tuple[Block, ...]) -> str:
        text_style = self.styles.get("footnote text")
        ref_style = self.styles.get("footnote reference")
        ref_rpr = f'<w:rStyle w:val="{ref_style}"/>' if ref_style else '<w:vertAlign w:val="superscript"/>'
        mark = f'<w:r><w:rPr>{ref_rpr}</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>'
        ppr = f'<w:pPr><w:pStyle w:val="{text_style}"/></w:pPr>' if text_style else ""
        paragraphs = [b for b in blocks if isinstance(b, (Paragraph, Heading))] or [Paragraph(())]
        body = "".join(
            f"<w:p>{ppr}{mark if i == 0 else ''}{self.inlines(p.inlines, {})}</w:p>" for i, p in enumerate(paragraphs)
        )
        return f'<w:footnote xmlns:w="{W}" xmlns:r="{R}" w:id="{number}">{body}</w:footnote>'

    # -- labels -------------------------------------------------------------------------------
    def labels(self, labels: Labels) -> str:
        """Each label as one box: a run with shading and a character border of the fill's colour,
        whose spacing pads the text, so Word and LibreOffice draw one box with room around the text
        (no padding of no-break spaces: LibreOffice paints each one apart, leaving hairline gaps).

        A soft hyphen (no text, and no hyphen unless a line breaks there, which it does not: a space
        follows) closes each box: LibreOffice otherwise paints the padding of a box that ends a
        line or the paragraph over its last letter. The same happens where a box is split over two
        lines, so a label too long to keep on one (over :data:`_LONGEST_BOXED_LABEL` characters) is
        shaded without a border and wraps as highlighted text.
        """
        style = self.styles.get(labels.style) or self.styles.get("Fokusområdesetikett")
        style_xml = f'<w:rStyle w:val="{style}"/>' if style else "<w:b/>"
        runs = []
        for i, label in enumerate(labels.items):
            if i:
                runs.append('<w:r><w:t xml:space="preserve">  </w:t></w:r>')
            colour = contrasting_text_colour(label.fill)
            border = (
                f'<w:bdr w:val="single" w:sz="{_LABEL_BORDER}" w:space="{_LABEL_PADDING}" w:color="{label.fill}"/>'
                if len(label.text) <= _LONGEST_BOXED_LABEL
                else ""
            )
            runs.append(
                f'<w:r><w:rPr>{style_xml}<w:color w:val="{colour}"/>{border}'
                f'<w:shd w:val="clear" w:color="auto" w:fill="{label.fill}"/></w:rPr>'
                f'<w:t xml:space="preserve">{xml_text(label.text)}</w:t></w:r><w:r><w:softHyphen/></w:r>'
            )
        return "".join(runs)


def add_bookmark(paragraph: etree._Element, name: str, bookmark_id: int) -> None:
    """Wrap a paragraph's content in a bookmark (the target of a TOC entry)."""
    start = etree.Element(f"{_W}bookmarkStart", {f"{_W}id": str(bookmark_id), f"{_W}name": name})
    end = etree.Element(f"{_W}bookmarkEnd", {f"{_W}id": str(bookmark_id)})
    ppr = paragraph.find(f"{_W}pPr")
    paragraph.insert(0 if ppr is None else list(paragraph).index(ppr) + 1, start)
    paragraph.append(end)


def paragraph_text(paragraph: etree._Element) -> str:
    """The paragraph's text; a line break or tab counts as a space."""
    return "".join(
        (e.text or "") if e.tag == f"{_W}t" else " " for e in paragraph.iter(f"{_W}t", f"{_W}br", f"{_W}tab", f"{_W}cr")
    )


_TOC_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')


def fill_table_of_contents(body: etree._Element, styles: StyleMap) -> int:
    """Fill every TOC field with one linked entry per heading; returns the number of entries.

    The entries carry ``PAGEREF`` fields to bookmarks on the headings, so page numbers are filled in
    by whatever lays the document out (Word, LibreOffice) and the list shows as soon as it is opened.
    """
    count = 0
    for instr in list(body.iter(f"{_W}instrText")):
        code = (instr.text or "").strip()
        if not code.startswith("TOC"):
            continue
        begin_p = next(instr.iterancestors(f"{_W}p"), None)
        if begin_p is None:
            continue
        levels = _TOC_LEVELS.search(code)
        low, high = (int(levels.group(1)), int(levels.group(2))) if levels else (1, 3)
        end_p = _field_end_paragraph(begin_p)
        if end_p is None or begin_p.getparent() is None or end_p.getparent() is not begin_p.getparent():
            continue
        headings = [
            (p, level)
            for p in _styled_paragraphs(body, [s for s, lv in styles.heading_levels.items() if low <= lv <= high])
            if (level := _heading_level(p, styles)) is not None and paragraph_text(p).strip()
        ]
        existing = [
            int(b.get(f"{_W}id", "0")) for b in body.iter(f"{_W}bookmarkStart") if (b.get(f"{_W}id") or "").isdigit()
        ]
        next_id = max(existing, default=0) + 1
        entries: list[str] = []
        for n, (heading, level) in enumerate(headings):
            name = f"_Toc{100000000 + next_id + n}"
            add_bookmark(heading, name, next_id + n)
            style = styles.paragraph(f"toc {level}")
            ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
            entries.append(
                f"{ppr}"
                f'<w:hyperlink w:anchor="{name}" w:history="1">'
                f'<w:r><w:t xml:space="preserve">{xml_text(paragraph_text(heading).strip())}</w:t></w:r>'
                "<w:r><w:tab/></w:r>"
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                "<w:r><w:t></w:t></w:r>"
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                "</w:hyperlink>"
            )
        if not entries:
            continue
        _replace_field_result(begin_p, end_p, code, entries)
        count += len(entries)
    return count


def _styled_paragraphs(body: etree._Element, style_ids: list[str]) -> list[etree._Element]:
    """The paragraphs in any of these styles, in document order."""
    wanted = set(style_ids)
    val = f"{_W}val"
    found = []
    for style in body.iter(f"{_W}pStyle"):
        if style.get(val) in wanted:
            ppr = style.getparent()
            paragraph = ppr.getparent() if ppr is not None else None
            if paragraph is not None and paragraph.tag == f"{_W}p":
                found.append(paragraph)
    return found


def _heading_level(paragraph: etree._Element, styles: StyleMap) -> int | None:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    if style is None:
        return None
    return styles.heading_levels.get(style.get(f"{_W}val") or "")


def _field_end_paragraph(begin_p: etree._Element) -> etree._Element | None:
    depth = 0
    p: etree._Element | None = begin_p
    while p is not None:
        for fld in p.iter(f"{_W}fldChar"):
            kind = fld.get(f"{_W}fldCharType")
            if kind == "begin":
                depth += 1
            elif kind == "end":
                depth -= 1
                if depth == 0:
                    return p
        p = p.getnext()
    return None


def _replace_field_result(begin_p: etree._Element, end_p: etree._Element, code: str, entries: list[str]) -> None:
    parent = begin_p.getparent()
    assert parent is not None
    index = list(parent).index(begin_p)
    field_start = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {xml_text(code)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    paragraphs = []
    for n, entry in enumerate(entries):
        ppr_end = entry.find("</w:pPr>")
        split = ppr_end + len("</w:pPr>") if ppr_end >= 0 else 0
        head, tail = entry[:split], entry[split:]
        paragraphs.append(f"<w:p>{head}{field_start if n == 0 else ''}{tail}</w:p>")
    paragraphs.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    fragment = etree.fromstring(f'<root xmlns:w="{W}" xmlns:r="{R}">{"".join(paragraphs)}</root>')
    p: etree._Element | None = begin_p
    while p is not None:
        following = p.getnext()
        parent.remove(p)
        if p is end_p:
            break
        p = following
    for offset, new in enumerate(fragment):
        parent.insert(index + offset, new)


_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")


def _page_references(body: etree._Element) -> list[tuple[etree._Element, str]]:
    """Each ``PAGEREF`` field's instruction and the bookmark it names, in document order."""
    found = []
    for instr in body.iter(f"{_W}instrText"):
        match = _PAGEREF.match(instr.text or "")
        if match:
            found.append((instr, match.group(1)))
    return found


def page_reference_targets(body: etree._Element) -> list[str]:
    """The bookmarks the ``PAGEREF`` fields name (the table of contents' entries), each once."""
    return list(dict.fromkeys(name for _, name in _page_references(body)))


def set_page_references(body: etree._Element, settings: etree._Element, pages: dict[str, int]) -> int:
    """Write the page of each bookmark in ``pages`` as the cached result of the ``PAGEREF`` fields
    that name it, and drop the ``w:updateFields`` request from ``settings`` once every one has its
    number (so Word opens the document without asking to update fields). Returns the fields filled.

    A field is filled only when its result runs stand beside its instruction (as in the entries
    :func:`fill_table_of_contents` writes); others are left for Word.
    """
    filled = total = 0
    for instr, name in _page_references(body):
        total += 1
        run = instr.getparent()
        page = pages.get(name)
        if run is None or page is None:
            continue
        texts: list[etree._Element] = []
        in_result = False
        end: etree._Element | None = None
        sibling = run.getnext()
        while sibling is not None:
            fld = sibling.find(f"{_W}fldChar")
            kind = fld.get(f"{_W}fldCharType") if fld is not None else None
            if kind == "separate":
                in_result = True
            elif kind in ("end", "begin"):
                end = sibling if kind == "end" else None
                break
            elif in_result:
                texts.extend(sibling.iter(f"{_W}t"))
            sibling = sibling.getnext()
        if not in_result or end is None:
            continue
        if not texts:
            result = etree.Element(f"{_W}r")
            texts.append(etree.SubElement(result, f"{_W}t"))
            end.addprevious(result)
        texts[0].text = str(page)
        for extra in texts[1:]:
            extra.text = ""
        filled += 1
    if filled == total:
        for request in settings.findall(f"{_W}updateFields"):
            settings.remove(request)
    return filled
