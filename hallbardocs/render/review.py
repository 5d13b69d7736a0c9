"""The accessibility review of a Word document: what DOS-lagen (WCAG 2.1 AA) asks that a program can check.

:func:`review_docx` reads the WordprocessingML of a document (python-docx's object, as rendered or
as opened from a file) and returns one :class:`~hallbardocs.errors.Problem` per finding, HD540–HD550,
each located by paragraph number and first words, or by table, row and cell. Colours are resolved
as Word resolves them, as far as a document says: the run's own colour, its character style, the
paragraph style and its parents, the document defaults, theme colours with their tint and shade;
the background from the run's, the paragraph's and the cell's shading. docs/accessibility.md says
what is checked and what a program cannot check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lxml import etree

from hallbardocs.errors import Location, Problem

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = ["contrast_ratio", "review_docx"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^toc", re.IGNORECASE)
_TYPED_BULLET = re.compile(r"^\s*[•▪●◦○■□►➢✓–\-*]\s")
_TYPED_NUMBER = re.compile(r"^\s*(\d{1,2}|[a-zA-Z])[.)]\s")
_BARE_URL = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.IGNORECASE)
_VAGUE_LINKS = {
    "här",
    "klicka här",
    "klicka",
    "läs mer",
    "läs mer här",
    "mer",
    "mer information",
    "länk",
    "länken",
    "denna länk",
    "den här länken",
    "click here",
    "here",
    "read more",
    "link",
}
_THEME_NAMES = {
    "text1": "dk1",
    "dark1": "dk1",
    "background1": "lt1",
    "light1": "lt1",
    "text2": "dk2",
    "dark2": "dk2",
    "background2": "lt2",
    "light2": "lt2",
    "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
}
_WHITE = "FFFFFF"
_BLACK = "000000"


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@lru_cache(maxsize=4096)
def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two ``RRGGBB`` colours, from 1 to 21.

    >>> round(contrast_ratio("777777", "FFFFFF"), 2), contrast_ratio("000000", "FFFFFF")
    (4.48, 21.0)
    """
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _on(element: etree._Element | None) -> bool | None:
    """A WordprocessingML on/off property: None when absent."""
    if element is None:
        return None
    return element.get(f"{_W}val", "true").lower() not in ("0", "false", "off", "none")


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t"))


def _first_words(text: str, n: int = 6) -> str:
    words = text.split()
    short = " ".join(words[:n])
    if len(short) > 60:
        short = short[:57].rstrip()
        return short + "…"
    return short + ("…" if len(words) > n else "")


@dataclass
class _Style:
    kind: str
    name: str
    based_on: str | None
    ppr: etree._Element | None
    rpr: etree._Element | None
    link_rpr: etree._Element | None = None


class _Colours:
    """The theme's colour scheme, and colours of WordprocessingML elements resolved through it."""

    def __init__(self, theme: etree._Element | None) -> None:
        self.scheme: dict[str, str] = {}
        if theme is None:
            return
        scheme = theme.find(f".//{_A}clrScheme")
        if scheme is None:
            return
        for slot in scheme:
            value = None
            for child in slot:
                value = child.get("val") if child.tag == f"{_A}srgbClr" else child.get("lastClr")
            if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                self.scheme[etree.QName(slot).localname] = value.upper()

    def resolve(self, value: str | None, theme: str | None, tint: str | None, shade: str | None) -> str | None:
        """``RRGGBB``, ``"auto"``, or None when the element names no colour."""
        colour = None
        if theme:
            colour = self.scheme.get(_THEME_NAMES.get(theme, theme))
        if colour is None:
            if value is None:
                return None
            if value.lower() == "auto":
                return "auto"
            if not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                return None
            colour = value.upper()
        channels = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
        try:
            if tint:
                t = int(tint, 16) / 255
                channels = [round(c + (255 - c) * (1 - t)) for c in channels]
            if shade:
                s = int(shade, 16) / 255
                channels = [round(c * s) for c in channels]
        except ValueError:
            pass
        return "".join(f"{c:02X}" for c in channels)

    def text(self, rpr: etree._Element | None) -> str | None:
        el = rpr.find(f"{_W}color") if rpr is not None else None
        if el is None:
            return None
        return self.resolve(el.get(f"{_W}val"), el.get(f"{_W}themeColor"), el.get(f"{_W}themeTint"), el.get(f"{_W}themeShade"))

    def fill(self, props: etree._Element | None) -> str | None:
        """The fill of a ``w:shd`` (or a run's ``w:highlight``) in ``props``; ``"auto"`` is none."""
        if props is None:
            return None
        shd = props.find(f"{_W}shd")
        if shd is not None:
            colour = self.resolve(
                shd.get(f"{_W}fill"), shd.get(f"{_W}themeFill"), shd.get(f"{_W}themeFillTint"), shd.get(f"{_W}themeFillShade")
            )
            pattern = shd.get(f"{_W}val", "clear")
            if pattern == "solid":  # the pattern colour covers the fill
                colour = self.resolve(shd.get(f"{_W}color"), shd.get(f"{_W}themeColor"), None, None)
            if colour is not None and colour != "auto":
                return colour
        highlight = props.find(f"{_W}highlight")
        if highlight is not None:
            return _HIGHLIGHTS.get(highlight.get(f"{_W}val", "none"))
        return None


_HIGHLIGHTS = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkBlue": "000080",
    "darkCyan": "008080",
    "darkGreen": "008000",
    "darkMagenta": "800080",
    "darkRed": "800000",
    "darkYellow": "808000",
    "darkGray": "808080",
    "lightGray": "C0C0C0",
}


class _Styles:
    """The styles part: each style's properties through its ``basedOn`` chain."""

    def __init__(self, element: etree._Element, colours: _Colours) -> None:
        self.colours = colours
        self.styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        for style in element.iterfind(f"{_W}style"):
            sid = style.get(f"{_W}styleId")
            if sid is None:
                continue
            kind = style.get(f"{_W}type", "paragraph")
            name_el = style.find(f"{_W}name")
            based = style.find(f"{_W}basedOn")
            self.styles[sid] = _Style(
                kind,
                (name_el.get(f"{_W}val") if name_el is not None else None) or sid,
                based.get(f"{_W}val") if based is not None else None,
                style.find(f"{_W}pPr"),
                style.find(f"{_W}rPr"),
            )
            if kind == "paragraph" and style.get(f"{_W}default") in ("1", "true", "on"):
                self.default_paragraph = sid
        defaults = element.find(f"{_W}docDefaults")
        self.default_rpr = defaults.find(f"{_W}rPrDefault/{_W}rPr") if defaults is not None else None
        self.default_ppr = defaults.find(f"{_W}pPrDefault/{_W}pPr") if defaults is not None else None
        self._chains: dict[str | None, list[_Style]] = {}
        self._inherited: dict[tuple[str, str | None, str | None], etree._Element | None] = {}

    def chain(self, style_id: str | None) -> list[_Style]:
        """The style and its parents, nearest first (loops and unknown ids end the chain)."""
        if style_id in self._chains:
            return self._chains[style_id]
        found: list[_Style] = []
        seen: set[str] = set()
        current = style_id
        while current is not None and current not in seen and current in self.styles:
            seen.add(current)
            style = self.styles[current]
            found.append(style)
            current = style.based_on
        self._chains[style_id] = found
        return found

    def paragraph_style(self, ppr: etree._Element | None) -> str | None:
        el = ppr.find(f"{_W}pStyle") if ppr is not None else None
        sid = el.get(f"{_W}val") if el is not None else None
        return sid if sid in self.styles else self.default_paragraph

    def heading_level(self, ppr: etree._Element | None) -> int | None:
        """1–9 for a paragraph in a heading style (by name, or by outline level), else None."""
        direct = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        for style in self.chain(self.paragraph_style(ppr)):
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
            if direct is None and style.ppr is not None:
                direct = style.ppr.find(f"{_W}outlineLvl")
                if direct is not None:
                    break
        if direct is not None:
            try:
                level = int(direct.get(f"{_W}val", "9")) + 1
            except ValueError:
                return None
            return level if level <= 9 else None
        return None

    def numbered(self, ppr: etree._Element | None) -> bool:
        if ppr is not None and ppr.find(f"{_W}numPr") is not None:
            return True
        return any(s.ppr is not None and s.ppr.find(f"{_W}numPr") is not None for s in self.chain(self.paragraph_style(ppr)))

    def run_property(self, tag: str, rpr: etree._Element | None, pstyle: str | None) -> etree._Element | None:
        """The run property ``tag`` as the run, its character style, the paragraph style and the defaults set it."""
        rstyle_id = None
        if rpr is not None:
            el = rpr.find(f"{_W}{tag}")
            if el is not None:
                return el
            rstyle = rpr.find(f"{_W}rStyle")
            rstyle_id = rstyle.get(f"{_W}val") if rstyle is not None else None
        key = (tag, rstyle_id, pstyle)
        if key not in self._inherited:
            self._inherited[key] = self._styled_property(tag, rstyle_id, pstyle)
        return self._inherited[key]

    def _styled_property(self, tag: str, rstyle: str | None, pstyle: str | None) -> etree._Element | None:
        for style in (*self.chain(rstyle), *self.chain(pstyle)):
            el = style.rpr.find(f"{_W}{tag}") if style.rpr is not None else None
            if el is not None:
                return el
        return self.default_rpr.find(f"{_W}{tag}") if self.default_rpr is not None else None

    def paragraph_fill(self, ppr: etree._Element | None, pstyle: str | None) -> str | None:
        fill = self.colours.fill(ppr)
        if fill is not None:
            return fill
        for style in self.chain(pstyle):
            fill = self.colours.fill(style.ppr)
            if fill is not None:
                return fill
        return None


class _Review:
    def __init__(self, document: DocxDocument, name: str) -> None:
        self.name = name
        self.document = document
        self.body = document.element.body
        theme = None
        try:
            theme_part = document.part.part_related_by(_THEME)
            theme = etree.fromstring(theme_part.blob)
        except (KeyError, etree.XMLSyntaxError, AttributeError):
            theme = None
        self.colours = _Colours(theme)
        self.styles = _Styles(document.styles.element, self.colours)
        self.problems: list[Problem] = []
        self.paragraph_numbers: dict[Any, int] = {}
        self.table_numbers: dict[Any, int] = {}
        self.prefixes: dict[Any, str] = {}
        """The part a header's or footer's paragraph or table is in: ``"sidhuvud 1, "``."""
        self.roots: list[etree._Element] = [self.body, *self._margins()]
        background = self.document.element.find(f"{_W}background")
        page = self.colours.resolve(background.get(f"{_W}color"), background.get(f"{_W}themeColor"), None, None) if background is not None else None
        self.page = page if page not in (None, "auto") else _WHITE

    def _margins(self) -> list[etree._Element]:
        """The root elements of the headers and footers, in part-name order."""
        parts = []
        for rel in self.document.part.rels.values():
            kind = rel.reltype.rsplit("/", 1)[-1]
            if kind in ("header", "footer") and not rel.is_external:
                parts.append((kind, str(rel.target_part.partname), rel.target_part))
        roots = []
        counts = {"header": 0, "footer": 0}
        for kind, _, part in sorted(parts, key=lambda p: (p[0] == "footer", p[1])):
            element = getattr(part, "element", None)
            if element is None:
                continue
            counts[kind] += 1
            label = f"{'sidhuvud' if kind == 'header' else 'sidfot'} {counts[kind]}, "
            for i, p in enumerate(element.iter(f"{_W}p"), start=1):
                self.paragraph_numbers[p] = i
                self.prefixes[p] = label
            for i, t in enumerate(element.iter(f"{_W}tbl"), start=1):
                self.table_numbers[t] = i
                self.prefixes[t] = label
            roots.append(element)
        return roots

    # -- where -------------------------------------------------------------------------------

    def place(self, element: etree._Element, text: str | None = None) -> Location:
        paragraph = element if element.tag == f"{_W}p" else next(element.iterancestors(f"{_W}p"), None)
        words = _first_words(text if text is not None else (_text(paragraph) if paragraph is not None else ""))
        quoted = f" (”{words}”)" if words else ""
        cell = element if element.tag == f"{_W}tc" else next(element.iterancestors(f"{_W}tc"), None)
        if cell is not None:
            row = cell.getparent()
            table = row.getparent() if row is not None else None
            if row is not None and table is not None:
                r = [c for c in table if c.tag == f"{_W}tr"].index(row) + 1
                c = [x for x in row if x.tag == f"{_W}tc"].index(cell) + 1
                number = self.table_numbers.get(table, 0)
                return Location(self.name, place=f"{self.prefixes.get(table, '')}tabell {number}, rad {r}, cell {c}{quoted}")
        if paragraph is not None:
            number = self.paragraph_numbers.get(paragraph, 0)
            return Location(self.name, place=f"{self.prefixes.get(paragraph, '')}stycke {number}{quoted}")
        return Location(self.name, place=quoted.strip(" ()") or None)

    def add(self, code: str, message: str, where: Location, severity: str = "fel") -> None:
        self.problems.append(Problem(code, message, where, severity="varning" if severity == "varning" else "fel"))

    # -- the checks --------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        for i, p in enumerate(self.body.iter(f"{_W}p"), start=1):
            self.paragraph_numbers[p] = i
        self.body_tables: dict[Any, int] = {}
        for i, t in enumerate(self.body.iter(f"{_W}tbl"), start=1):
            self.table_numbers[t] = self.body_tables[t] = i
        self.properties()
        self.headings_and_lists()
        self.images()
        self.tables()
        self.contrast()
        self.links()
        return self.problems

    def properties(self) -> None:
        where = Location(self.name, place="dokumentegenskaperna")
        if not (self.document.core_properties.title or "").strip():
            self.add("HD540", "Dokumentet saknar titel (dokumentegenskapen Rubrik), som skärmläsare och webbläsare visar.", where)
        lang = self.styles.default_rpr.find(f"{_W}lang") if self.styles.default_rpr is not None else None
        if lang is None or not (lang.get(f"{_W}val") or "").strip():
            normal = self.styles.run_property("lang", None, self.styles.default_paragraph)
            if normal is None or not (normal.get(f"{_W}val") or "").strip():
                self.add("HD541", "Dokumentet saknar språk (standardspråket i formatmallarna), så skärmläsare vet inte att texten är svenska.", where)

    def _body_paragraphs(self) -> Iterator[etree._Element]:
        """The paragraphs outside tables, in document order (a table of contents' too)."""
        for p in self.body.iter(f"{_W}p"):
            if next(p.iterancestors(f"{_W}tbl"), None) is None:
                yield p

    def headings_and_lists(self) -> None:
        previous = 0
        typed_number: etree._Element | None = None
        for p in self._body_paragraphs():
            ppr = p.find(f"{_W}pPr")
            text = _text(p)
            if not text.strip():
                continue
            level = self.styles.heading_level(ppr)
            if level is not None:
                if level > previous + 1:
                    was = f"rubriknivå {previous}" if previous else "dokumentets början"
                    self.add(
                        "HD542",
                        f"Rubriken på nivå {level} följer på {was}: en rubriknivå hoppas över, så dokumentets struktur "
                        "blir fel för den som navigerar med rubriker.",
                        self.place(p),
                    )
                previous = level
                typed_number = None
                continue
            pstyle = self.styles.paragraph_style(ppr)
            if any(_TOC_NAME.match(style.name) for style in self.styles.chain(pstyle)):
                continue  # a table of contents' entry repeats a heading
            if pstyle == self.styles.default_paragraph and self._looks_like_heading(p, text, pstyle):
                self.add(
                    "HD543",
                    "Stycket ser ut som en rubrik (fet text i formatet Normal) men har inget rubrikformat, så skärmläsare "
                    "hittar det inte som rubrik; använd formatet Rubrik 1–3.",
                    self.place(p),
                    "varning",
                )
            if self.styles.numbered(ppr):
                typed_number = None
                continue
            if _TYPED_BULLET.match(text):
                self.add(
                    "HD549",
                    "Stycket börjar med ett inskrivet punkttecken: en lista ska vara en riktig punktlista (numrering i Word), "
                    "så att skärmläsare läser den som lista.",
                    self.place(p),
                    "varning",
                )
            if _TYPED_NUMBER.match(text):
                if typed_number is not None:
                    self.add(
                        "HD549",
                        "Stycket börjar med en inskriven siffra som nästa punkt i en lista: en lista ska vara en riktig "
                        "numrerad lista (numrering i Word), så att skärmläsare läser den som lista.",
                        self.place(typed_number),
                        "varning",
                    )
                    typed_number = None
                else:
                    typed_number = p
            else:
                typed_number = None

    def _looks_like_heading(self, p: etree._Element, text: str, pstyle: str | None) -> bool:
        if len(text.split()) > 12 or ":" in text or text.rstrip().endswith((".", ",", ";")):
            return False  # a sentence, or a lead-in ("Status: Pågår", "Ansvariga:")
        runs = [r for r in p.iter(f"{_W}r") if _text(r).strip()]
        if not runs or any(self.colours.fill(r.find(f"{_W}rPr")) is not None for r in runs):
            return False  # labels: shaded runs
        return all(_on(self.styles.run_property("b", r.find(f"{_W}rPr"), pstyle)) for r in runs)

    def images(self) -> None:
        for doc_pr in (d for root in self.roots for d in root.iter(f"{_WP}docPr")):
            if (doc_pr.get("descr") or "").strip() or (doc_pr.get("title") or "").strip():
                continue
            if any(_on_attr(el.get("val")) for el in doc_pr.iter(_DECORATIVE)):
                continue
            name = doc_pr.get("name") or "bilden"
            self.add(
                "HD544",
                f"Bilden ”{name}” saknar alternativtext; skriv vad bilden visar, eller markera den som dekorativ.",
                self.place(doc_pr, ""),
            )

    def tables(self) -> None:
        for table, number in self.body_tables.items():
            rows = [r for r in table if r.tag == f"{_W}tr"]
            if len(rows) < 2:
                continue  # a one-row table lays out text; it has no data to head
            first = rows[0].find(f"{_W}trPr")
            header = first is not None and _on(first.find(f"{_W}tblHeader")) is True
            if not header and not self._row_headed(rows):
                self.add(
                    "HD545",
                    "Tabellen har ingen markerad rubrikrad (Upprepa som rubrikrad i Word), så skärmläsare kan inte "
                    "säga vilken kolumn en cell hör till.",
                    Location(self.name, place=f"tabell {number} (”{_first_words(self._row_text(rows[0]))}”)"),
                )
            columns = max(self._width(r) for r in rows)
            for r, row in enumerate(rows, start=1):
                cells = [x for x in row if x.tag == f"{_W}tc"]
                whole = header and r > 1 and len(cells) == 1 < columns and self._width(row) == columns
                for c, cell in enumerate(cells, start=1):
                    tcpr = cell.find(f"{_W}tcPr")
                    merged = tcpr is not None and tcpr.find(f"{_W}vMerge") is not None
                    spans = whole
                    if merged or spans:
                        how = "sammanfogad med cellen ovanför eller nedanför" if merged else "sammanfogad över hela tabellens bredd"
                        self.add(
                            "HD546",
                            f"Cellen är {how}: sammanfogade celler i en datatabell gör den svår att läsa med skärmläsare; "
                            "dela tabellen eller gör gruppen till en egen kolumn.",
                            Location(self.name, place=f"tabell {number}, rad {r}, cell {c} (”{_first_words(_text(cell))}”)"),
                            "varning",
                        )
                    fill = self.colours.fill(tcpr)
                    if fill is not None and fill != self.page and not _text(cell).strip() and not list(cell.iter(f"{_WP}docPr")):
                        self.add(
                            "HD548",
                            "Cellen är färgad men tom: information som bara visas med färg når inte den som inte ser färgen; "
                            "skriv också ut det färgen betyder.",
                            Location(self.name, place=f"tabell {number}, rad {r}, cell {c}"),
                            "varning",
                        )

    @staticmethod
    def _row_text(row: etree._Element) -> str:
        return " ".join(_text(cell) for cell in row if cell.tag == f"{_W}tc")

    @staticmethod
    def _width(row: etree._Element) -> int:
        total = 0
        for cell in row:
            if cell.tag != f"{_W}tc":
                continue
            span = cell.find(f"{_W}tcPr/{_W}gridSpan")
            try:
                total += int(span.get(f"{_W}val", "1")) if span is not None else 1
            except ValueError:
                total += 1
        return total

    def _row_headed(self, rows: list[etree._Element]) -> bool:
        """A table whose first column heads its rows: every row's first cell in one paragraph style
        that no other cell uses (a table of facts, "Dokumentnamn | Handlingsplan …")."""
        first: set[str | None] = set()
        rest: set[str | None] = set()
        for row in rows:
            cells = [c for c in row if c.tag == f"{_W}tc"]
            if len(cells) < 2:
                return False
            for i, cell in enumerate(cells):
                styles = {self.styles.paragraph_style(p.find(f"{_W}pPr")) for p in cell.iter(f"{_W}p")}
                (first if i == 0 else rest).update(styles)
        return len(first) == 1 and not first & rest and None not in first

    def contrast(self) -> None:
        reported: set[Any] = set()
        for p in (p for root in self.roots for p in root.iter(f"{_W}p")):
            ppr = p.find(f"{_W}pPr")
            pstyle = self.styles.paragraph_style(ppr)
            behind = self.styles.paragraph_fill(ppr, pstyle)
            if behind is None:
                cell = next(p.iterancestors(f"{_W}tc"), None)
                if cell is not None:
                    behind = self.colours.fill(cell.find(f"{_W}tcPr"))
                    if behind is None:
                        row = cell.getparent()
                        table = row.getparent() if row is not None else None
                        behind = self.colours.fill(table.find(f"{_W}tblPr")) if table is not None else None
            for run in p.iter(f"{_W}r"):
                text = "".join(t.text or "" for t in run.iterfind(f"{_W}t"))
                if not text.strip():
                    continue
                rpr = run.find(f"{_W}rPr")
                if _on(self.styles.run_property("vanish", rpr, pstyle)):
                    continue
                colour_el = self.styles.run_property("color", rpr, pstyle)
                colour = None
                if colour_el is not None:
                    colour = self.colours.resolve(
                        colour_el.get(f"{_W}val"), colour_el.get(f"{_W}themeColor"),
                        colour_el.get(f"{_W}themeTint"), colour_el.get(f"{_W}themeShade"),
                    )
                fill = self.colours.fill(rpr) or behind or self.page
                if colour in (None, "auto"):
                    if colour is None and colour_el is None and fill == self.page:
                        continue
                    # automatic colour: Word picks black or white to contrast with the fill
                    colour = _BLACK if contrast_ratio(_BLACK, fill) >= contrast_ratio(_WHITE, fill) else _WHITE
                ratio = contrast_ratio(colour, fill)
                size_el = self.styles.run_property("sz", rpr, pstyle)
                try:
                    points = int(size_el.get(f"{_W}val", "20")) / 2 if size_el is not None else 10.0
                except ValueError:
                    points = 10.0
                bold = bool(_on(self.styles.run_property("b", rpr, pstyle)))
                large = points >= 18 or (bold and points >= 14)
                needed = 3.0 if large else 4.5
                if ratio + 1e-9 < needed and p not in reported:
                    reported.add(p)
                    kind = "stor text" if large else "text"
                    self.add(
                        "HD547",
                        f"Textfärgen #{colour} mot bakgrunden #{fill} har kontrasten {ratio:.2f}:1".replace(".", ",", 1)
                        + f"; {kind} behöver minst {needed:.1f}:1".replace(".", ",")
                        + " (WCAG 1.4.3).",
                        self.place(run, text),
                    )

    def links(self) -> None:
        for link in (link for root in self.roots for link in root.iter(f"{_W}hyperlink")):
            if link.get(f"{_W}anchor") is not None and link.get(f"{{{_R}}}id") is None:
                continue  # a link inside the document (a table of contents' entry)
            text = " ".join(_text(link).split())
            plain = text.casefold().strip(" .:!?")
            if not plain or plain in _VAGUE_LINKS:
                shown = f"”{text}”" if text else "tom"
                self.add(
                    "HD550",
                    f"Länktexten {shown} säger inte vart länken leder; skriv målet i länktexten (”Naturvårdsverkets vägledning”).",
                    self.place(link, text),
                )
            elif _BARE_URL.match(text):
                self.add(
                    "HD550",
                    f"Länktexten är en webbadress (”{_first_words(text, 1)}”), som skärmläsare läser tecken för tecken; "
                    "skriv vart länken leder.",
                    self.place(link, text),
                    "varning",
                )


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _on_attr(value: str | None) -> bool:
    return (value or "1").lower() in ("1", "true", "on")


def review_docx(document: DocxDocument, name: str) -> list[Problem]:
    """The accessibility problems of ``document`` (HD540–HD550), located in the document named ``name``."""
    return _Review(document, name).run()


def review_docx_bytes(content: bytes, name: str) -> list[Problem]:
    """The accessibility problems of the .docx ``content`` (a damaged file, or a zip bomb, is HD556)."""
    import io

    from docx import Document

    from hallbardocs.errors import TemplateError
    from hallbardocs.render import _damaged_package_errors, package

    try:
        checked = package.checked_package(content, name)
        document = Document(io.BytesIO(checked))
    except TemplateError as exc:
        if exc.problem.code != "HD506":
            return [Problem("HD556", "Filen kunde inte öppnas som Word-dokument (.docx).", Location(name))]
        detail = exc.problem.message.replace("Mallens", "Filens").replace("Mallen", "filen")
        return [Problem("HD556", f"Filen granskas inte: {detail}", Location(name))]
    except _damaged_package_errors() as exc:
        reason = str(exc).strip().rstrip(".")[:120] or type(exc).__name__
        return [Problem("HD556", f"Filen kunde inte öppnas som Word-dokument (”{reason}”).", Location(name))]
    return review_docx(document, name)
