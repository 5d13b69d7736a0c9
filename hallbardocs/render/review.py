"""The accessibility review of a Word document: what DOS-lagen (WCAG 2.1 AA) asks that a program can check.

:func:`review_docx` reads the WordprocessingML of a document (python-docx's object, as rendered or
as opened from a file) and returns one :class:`~hallbardocs.errors.Problem` per finding, HD540–HD550,
each located by paragraph number and first words, or by table, row and cell. Colours are resolved
as Word resolves them (:mod:`hallbardocs.render.wordstyles`), as far as a document says: the run's
own colour, its character style, the paragraph style and its parents, the document defaults, theme
colours with their tint and shade; the background from the run's, the paragraph's and the cell's
shading. docs/accessibility.md says
what is checked and what a program cannot check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lxml import etree

from hallbardocs.errors import Location, Problem
from hallbardocs.render.wordstyles import BLACK, WHITE, Colours, Styles, contrast_ratio, on

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = ["contrast_ratio", "review_docx"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"

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


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t"))


def _first_words(text: str, n: int = 6) -> str:
    words = text.split()
    short = " ".join(words[:n])
    if len(short) > 60:
        short = short[:57].rstrip()
        return short + "…"
    return short + ("…" if len(words) > n else "")


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
        self.colours = Colours(theme)
        self.styles = Styles(document.styles.element, self.colours)
        self.problems: list[Problem] = []
        self.paragraph_numbers: dict[Any, int] = {}
        self.table_numbers: dict[Any, int] = {}
        self.prefixes: dict[Any, str] = {}
        """The part a header's or footer's paragraph or table is in: ``"sidhuvud 1, "``."""
        self.roots: list[etree._Element] = [self.body, *self._margins()]
        background = self.document.element.find(f"{_W}background")
        page = self.colours.resolve(background.get(f"{_W}color"), background.get(f"{_W}themeColor"), None, None) if background is not None else None
        self.page = page if page not in (None, "auto") else WHITE

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
        return all(on(self.styles.run_property("b", r.find(f"{_W}rPr"), pstyle)) for r in runs)

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
            header = first is not None and on(first.find(f"{_W}tblHeader")) is True
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
                if on(self.styles.run_property("vanish", rpr, pstyle)):
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
                    colour = BLACK if contrast_ratio(BLACK, fill) >= contrast_ratio(WHITE, fill) else WHITE
                ratio = contrast_ratio(colour, fill)
                size_el = self.styles.run_property("sz", rpr, pstyle)
                try:
                    points = int(size_el.get(f"{_W}val", "20")) / 2 if size_el is not None else 10.0
                except ValueError:
                    points = 10.0
                bold = bool(on(self.styles.run_property("b", rpr, pstyle)))
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
