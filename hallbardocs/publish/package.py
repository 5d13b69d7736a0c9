"""One PDF of several: the committee package's assembly (pypdf).

Each part is a PDF that LibreOffice made (or an attachment the user gave). :func:`assemble` appends
them in order and gives the whole:

- bookmarks: one per part (its title, "Bilaga 1 Miljöbokslut 2026"), with the part's own bookmarks
  (its headings) below;
- "Bilaga N" printed in the top right corner of each attachment's first page (tagged as the first
  paragraph of its document, or an artifact on an untagged page), in DejaVu Sans Bold subset and
  embedded (fontTools, which matplotlib already depends on);
- page labels: each part's pages are numbered from 1, as its own footer numbers them, with the
  attachment's "Bilaga N" as the label's prefix ("Bilaga 1: 3"), so a reader's page box shows
  where one is and matches the page's own number;
- the title, author, subject and language (``/Lang``) of the package, shown as the window title;
- one structure tree: pypdf's page copying keeps each page's marked content and ``/StructParents``
  but not the document's ``/StructTreeRoot``, so the parts' trees are copied here under one root,
  their parent-tree keys renumbered (docs/pdf.md).
"""

from __future__ import annotations

import functools
import importlib.util
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from hallbardocs.errors import InvalidInputError, Location, Problem

__all__ = ["Assembled", "Assembly", "Part", "ReadPart", "assemble", "page_count", "read_part"]


@dataclass(frozen=True)
class Part:
    """One document of the package."""

    pdf: bytes
    title: str
    """Its bookmark: ``Bilaga 1 Miljöbokslut 2026``, or the first document's own title."""
    label: str = ""
    """The page labels' prefix, ``Bilaga 1`` (none for the tjänsteskrivelse)."""
    where: Location | None = None
    """Where it came from, for a problem (an attachment's entry in the follow-up)."""


def _reader(part: Part) -> PdfReader:
    """The part as a PDF, or HD617 when it is not one that can be attached."""
    where = part.where or Location(part.title)
    try:
        reader = PdfReader(io.BytesIO(part.pdf))
        encrypted = reader.is_encrypted
        count = 0 if encrypted else len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        message = f"Bilagan ”{part.title}” är ingen läsbar PDF ({type(exc).__name__}: {str(exc)[:120]})."
        raise InvalidInputError([Problem("HD617", message, where)]) from None
    if encrypted:
        message = f"Bilagan ”{part.title}” är en krypterad eller lösenordsskyddad PDF och kan inte fogas in."
        raise InvalidInputError([Problem("HD617", message, where)])
    if count == 0:
        message = f"Bilagan ”{part.title}” är en PDF utan sidor."
        raise InvalidInputError([Problem("HD617", message, where)])
    return reader


def page_count(pdf: bytes, where: Location, title: str) -> int:
    """How many pages ``pdf`` has (HD617 when it is not a PDF that can be attached)."""
    return len(_reader(Part(pdf, title, where=where)).pages)


def _numbers(tree: Any) -> list[tuple[int, Any]]:
    """A number tree's ``(key, value)`` pairs, its ``/Kids`` followed."""
    tree = tree.get_object()
    pairs: list[tuple[int, Any]] = []
    nums = tree.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in tree.get("/Kids", ()) or ():
        pairs += _numbers(kid)
    return pairs


class _Structure:
    """One ``/StructTreeRoot`` for the whole package, the parts' trees copied under it one by one."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self.root_ref = writer._add_object(self.root)
        self.kids = ArrayObject()
        self.nums = ArrayObject()
        self.role_map = DictionaryObject()
        self.offset = 0

    def add(self, reader: PdfReader, start: int, count: int) -> bool:
        """Copy ``reader``'s structure tree, its pages being the writer's ``start`` … ``start +
        count - 1``; False when it has none (its pages stay untagged)."""
        writer = self.writer
        catalog: Any = reader.trailer["/Root"]
        if "/StructTreeRoot" not in catalog:
            return False
        copied: Any = catalog["/StructTreeRoot"].clone(writer).get_object()  # pages map to the appended ones
        top: Any = copied.get("/K")
        top = top.get_object() if top is not None else ArrayObject()
        for kid in top if isinstance(top, ArrayObject) else [copied["/K"]]:
            element = kid.get_object()
            if isinstance(element, DictionaryObject):
                element[NameObject("/P")] = self.root_ref
            self.kids.append(kid)
        roles: Any = copied.get("/RoleMap")
        for name, value in (roles.get_object() if roles is not None else {}).items():
            self.role_map.setdefault(NameObject(name), value)
        pairs = _numbers(copied["/ParentTree"]) if "/ParentTree" in copied else []
        offset = self.offset
        for key, value in pairs:
            self.nums += [NumberObject(key + offset), value]
        for source, page in zip(reader.pages, writer.pages[start : start + count], strict=True):
            parents: Any = source.get("/StructParents")
            if parents is not None:  # pypdf leaves it out of the copy
                page[NameObject("/StructParents")] = NumberObject(int(parents) + offset)
            annotations: Any = page.get("/Annots")
            for annotation in annotations.get_object() if annotations is not None else ():
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(int(annotation["/StructParent"]) + offset)
        self.offset += max((key for key, _ in pairs), default=-1) + 1
        return True

    def finish(self) -> None:
        """Put the root in the catalogue, with the parent tree of every part."""
        writer, root = self.writer, self.root
        root[NameObject("/K")] = self.kids
        root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): self.nums}))
        root[NameObject("/ParentTreeNextKey")] = NumberObject(self.offset)
        if self.role_map:
            root[NameObject("/RoleMap")] = self.role_map
        writer._root_object[NameObject("/StructTreeRoot")] = self.root_ref
        writer._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})


_STAMP_FONT = "/HDBilaga"
_STAMP_SIZE = 12.0
_STAMP_CHARACTERS = "Bilag 0123456789"
_HELVETICA_BOLD = {"B": 722, "i": 278, "l": 278, "a": 556, "g": 611, " ": 278, **dict.fromkeys("0123456789", 556)}
"""Helvetica-Bold's widths (per 1000) of the characters of "Bilaga 12", when no font can be embedded."""


def _stamp_font_file() -> Path | None:
    """DejaVu Sans Bold, which matplotlib (a dependency) ships, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = Path(folder) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class _SubsetFont:
    """DejaVu Sans Bold cut down to the characters of "Bilaga N", and the metrics its PDF font needs
    (per 1000 units of the em)."""

    program: bytes
    widths: dict[str, float]
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int


@functools.cache
def _subset_font() -> _SubsetFont | None:
    """The stamp's font, subset once a process (fontTools takes a tenth of a second for it); None
    without the font file."""
    path = _stamp_font_file()
    if path is None:
        return None
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    face = TTFont(str(path))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's time stamps, which fontTools cannot subset
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=_STAMP_CHARACTERS)
    subsetter.subset(face)
    data = io.BytesIO()
    face.save(data)
    scale = 1000 / face["head"].unitsPerEm
    cmap = face.getBestCmap()
    head, hhea, os2 = face["head"], face["hhea"], face["OS/2"]
    return _SubsetFont(
        program=data.getvalue(),
        widths={c: face["hmtx"][cmap[ord(c)]][0] * scale for c in _STAMP_CHARACTERS if ord(c) in cmap},
        bbox=(
            round(head.xMin * scale),
            round(head.yMin * scale),
            round(head.xMax * scale),
            round(head.yMax * scale),
        ),
        ascent=round(hhea.ascent * scale),
        descent=round(hhea.descent * scale),
        cap_height=round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
    )


def _stamp_font(writer: PdfWriter) -> tuple[Any, dict[str, float]]:
    """The stamp's font, embedded (PDF/UA and PDF/A want every font embedded): DejaVu Sans Bold
    subset to the characters of "Bilaga N" (fontTools), as a simple TrueType font in WinAnsi; and
    its widths per 1000. Without the font file, the standard Helvetica-Bold, not embedded."""
    subset_font = _subset_font()
    font = DictionaryObject(
        {NameObject("/Type"): NameObject("/Font"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}
    )
    if subset_font is None:
        font[NameObject("/Subtype")] = NameObject("/Type1")
        font[NameObject("/BaseFont")] = NameObject("/Helvetica-Bold")
        return writer._add_object(font), {c: float(w) for c, w in _HELVETICA_BOLD.items()}
    widths = subset_font.widths
    first, last = min(map(ord, _STAMP_CHARACTERS)), max(map(ord, _STAMP_CHARACTERS))
    program = DecodedStreamObject()
    program.set_data(subset_font.program)
    program[NameObject("/Length1")] = NumberObject(len(subset_font.program))
    name = NameObject("/HDBILA+DejaVuSans-Bold")
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): name,
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontBBox"): ArrayObject([NumberObject(v) for v in subset_font.bbox]),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(subset_font.ascent),
            NameObject("/Descent"): NumberObject(subset_font.descent),
            NameObject("/CapHeight"): NumberObject(subset_font.cap_height),
            NameObject("/StemV"): NumberObject(120),
            NameObject("/FontFile2"): writer._add_object(program),
        }
    )
    font[NameObject("/Subtype")] = NameObject("/TrueType")
    font[NameObject("/BaseFont")] = name
    font[NameObject("/FirstChar")] = NumberObject(first)
    font[NameObject("/LastChar")] = NumberObject(last)
    font[NameObject("/Widths")] = ArrayObject(
        [NumberObject(round(widths.get(chr(code), 0))) for code in range(first, last + 1)]
    )
    font[NameObject("/FontDescriptor")] = writer._add_object(descriptor)
    return writer._add_object(font), widths


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _stamp(writer: PdfWriter, page_index: int, text: str, font: Any, widths: dict[str, float]) -> None:
    """Print ``text`` ("Bilaga 2") in the top right corner of a page, 2 cm from the edges, tagged as a
    paragraph first in its document's structure (or an artifact on an untagged page)."""
    page: Any = writer.pages[page_index]
    box = page.mediabox
    width = sum(widths.get(c, 600) for c in text) * _STAMP_SIZE / 1000
    x, y = float(box.right) - 56.7 - width, float(box.top) - 42.5
    resources: Any = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    page[NameObject("/Resources")] = resources
    fonts: Any = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    resources[NameObject("/Font")] = fonts
    fonts[NameObject(_STAMP_FONT)] = font
    structure = _structure_of(writer, page)
    drawn = f"BT {_STAMP_FONT} {_STAMP_SIZE:g} Tf 0 g 1 0 0 1 {x:.2f} {y:.2f} Tm ({text}) Tj ET".encode("ascii")
    if structure is None:
        marked = b"/Artifact BMC " + drawn + b" EMC"
    else:
        document, parents = structure
        mcid = len(parents)
        marked = f"/P <</MCID {mcid}>> BDC ".encode("ascii") + drawn + b" EMC"
        element = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/P"),
                    NameObject("/P"): document.indirect_reference,
                    NameObject("/Pg"): page.indirect_reference,
                    NameObject("/K"): NumberObject(mcid),
                }
            )
        )
        kids: Any = document.get("/K")
        kids = kids.get_object() if kids is not None else ArrayObject()
        if not isinstance(kids, ArrayObject):
            kids = ArrayObject([document["/K"]])
        kids.insert(0, element)
        document[NameObject("/K")] = kids
        parents.append(element)
    contents: Any = page.get("/Contents")
    existing = contents.get_object() if contents is not None else ArrayObject()
    streams = list(existing) if isinstance(existing, ArrayObject) else [contents]
    # The stamp first (it is read first), each in a graphics state of its own.
    stamp = _stream(writer, b"q " + marked + b" Q q")
    page[NameObject("/Contents")] = ArrayObject([stamp, *streams, _stream(writer, b"Q")])


def _structure_of(writer: PdfWriter, page: Any) -> tuple[Any, Any] | None:
    """The structure element of the document a page belongs to, and the page's parent-tree array."""
    root: Any = writer._root_object.get("/StructTreeRoot")
    if root is None or "/StructParents" not in page:
        return None
    root = root.get_object()
    nums: Any = root["/ParentTree"].get_object()["/Nums"]
    key = int(page["/StructParents"])
    parents = next((nums[i + 1].get_object() for i in range(0, len(nums) - 1, 2) if int(nums[i]) == key), None)
    if not isinstance(parents, ArrayObject):
        return None
    for element in parents:
        node = element.get_object() if element is not None else None
        while isinstance(node, DictionaryObject) and "/P" in node:  # up to the part's top element
            parent = node["/P"].get_object()
            if parent is root:
                return node, parents
            node = parent
    return None


def _xmp(title: str, author: str, subject: str, language: str, *, ua: bool) -> bytes:
    """The package's XMP metadata: title, author, subject and language (Dublin Core), and with
    ``ua`` the PDF/UA-1 identifier that each part LibreOffice made carries too."""
    from xml.sax.saxutils import escape

    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f"<dc:title>{alt(title)}</dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:description>{alt(subject)}</dc:description>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        "<pdf:Producer>hallbardocs</pdf:Producer>"
        + ("<pdfuaid:part>1</pdfuaid:part>" if ua else "")
        + '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


@dataclass(frozen=True)
class Assembled:
    """The package's bytes, and which parts came without a structure tree."""

    pdf: bytes
    untagged: list[int]


ReadPart = PdfReader
"""A part read by :func:`read_part`, ready for :meth:`Assembly.add`."""


def read_part(part: Part) -> ReadPart:
    """The part as a PDF with every object read (HD617 when it is not a PDF that can be attached):
    the parsing half of :meth:`Assembly.add`, which can be done apart, while the next part is being
    made."""
    reader = _reader(part)
    for generation, numbers in reader.xref.items():
        for number in numbers:
            reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        reader.get_object(IndirectObject(number, 0, reader))
    return reader


class Assembly:
    """The package being put together, a part at a time in order (:func:`assemble` does it all).

    :meth:`add` appends a part's pages, bookmarks, page labels and structure tree (HD617 for a part
    that is not a PDF that can be attached, naming its ``where``); :meth:`finish` stamps "Bilaga N",
    sets the metadata and gives the bytes.
    """

    def __init__(self) -> None:
        self.writer = PdfWriter()
        self._structure = _Structure(self.writer)
        self._parts: list[tuple[Part, int]] = []
        self._untagged: list[int] = []
        self._pages = 0

    def prepare(self) -> None:
        """Get ready for :meth:`finish` (the stamp's font subset), while waiting for a part."""
        _subset_font()

    def add(self, part: Part, reader: ReadPart | None = None) -> None:
        """Append ``part`` (``reader`` is its :func:`read_part`, when it was read already)."""
        reader = reader if reader is not None else _reader(part)
        count = len(reader.pages)
        start = self._pages
        self.writer.append(reader, outline_item=part.title, import_outline=True)
        prefix = f"{part.label}: " if part.label else None
        self.writer.set_page_label(start, start + count - 1, style=PageLabelStyle.DECIMAL, prefix=prefix, start=1)
        if not self._structure.add(reader, start, count):
            self._untagged.append(len(self._parts))
        self._parts.append((part, start))
        self._pages += count

    def finish(self, *, title: str, author: str, subject: str = "", language: str = "sv-SE") -> Assembled:
        """The package's bytes, with its title, author, subject and language."""
        writer = self.writer
        self._structure.finish()
        if any(part.label for part, _ in self._parts):
            font, widths = _stamp_font(writer)
            for part, start in self._parts:
                if part.label:
                    _stamp(writer, start, part.label, font, widths)
        writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Producer": "hallbardocs"})
        catalog = writer._root_object
        catalog[NameObject("/Lang")] = TextStringObject(language)
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)}
        )
        catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        metadata = DecodedStreamObject()
        metadata.set_data(_xmp(title, author, subject, language, ua=not self._untagged))  # not with an untagged part
        metadata[NameObject("/Type")] = NameObject("/Metadata")
        metadata[NameObject("/Subtype")] = NameObject("/XML")
        catalog[NameObject("/Metadata")] = writer._add_object(metadata)
        out = io.BytesIO()
        writer.write(out)
        return Assembled(out.getvalue(), list(self._untagged))


def assemble(
    parts: Sequence[Part], *, title: str, author: str, subject: str = "", language: str = "sv-SE"
) -> Assembled:
    """The parts as one PDF, in order, with bookmarks, page labels, metadata and one structure tree.

    A part without a structure tree (an untagged PDF attachment) is added as it is; its index is in
    :attr:`Assembled.untagged`. Raises :class:`InvalidInputError` HD617 for a part that is not a PDF that can be attached
    (damaged, encrypted, without pages), naming its ``where``.
    """
    readers = [_reader(part) for part in parts]  # every part checked before any is copied
    assembly = Assembly()
    for part, reader in zip(parts, readers, strict=True):
        assembly.add(part, reader)
    return assembly.finish(title=title, author=author, subject=subject, language=language)
