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
    NameObject,
    NumberObject,
    TextStringObject,
)

from hallbardocs.errors import InvalidInputError, Location, Problem

__all__ = ["Assembled", "Part", "assemble", "page_count"]


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


def _merge_structure(writer: PdfWriter, parts: Sequence[tuple[PdfReader, int, int]]) -> list[int]:
    """Copy each part's structure tree under one ``/StructTreeRoot``; returns the indexes of the
    parts that had none (their pages stay untagged)."""
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    kids = ArrayObject()
    nums = ArrayObject()
    role_map = DictionaryObject()
    offset = 0
    untagged: list[int] = []
    for index, (reader, start, count) in enumerate(parts):
        catalog: Any = reader.trailer["/Root"]
        if "/StructTreeRoot" not in catalog:
            untagged.append(index)
            continue
        copied: Any = catalog["/StructTreeRoot"].clone(writer).get_object()  # pages map to the appended ones
        top: Any = copied.get("/K")
        top = top.get_object() if top is not None else ArrayObject()
        for kid in top if isinstance(top, ArrayObject) else [copied["/K"]]:
            element = kid.get_object()
            if isinstance(element, DictionaryObject):
                element[NameObject("/P")] = root_ref
            kids.append(kid)
        roles: Any = copied.get("/RoleMap")
        for name, value in (roles.get_object() if roles is not None else {}).items():
            role_map.setdefault(NameObject(name), value)
        pairs = _numbers(copied["/ParentTree"]) if "/ParentTree" in copied else []
        for key, value in pairs:
            nums += [NumberObject(key + offset), value]
        for source, page in zip(reader.pages, writer.pages[start : start + count], strict=True):
            parents: Any = source.get("/StructParents")
            if parents is not None:  # pypdf leaves it out of the copy
                page[NameObject("/StructParents")] = NumberObject(int(parents) + offset)
            annotations: Any = page.get("/Annots")
            for annotation in annotations.get_object() if annotations is not None else ():
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(int(annotation["/StructParent"]) + offset)
        offset += max((key for key, _ in pairs), default=-1) + 1
    root[NameObject("/K")] = kids
    root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(offset)
    if role_map:
        root[NameObject("/RoleMap")] = role_map
    writer._root_object[NameObject("/StructTreeRoot")] = root_ref
    writer._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    return untagged


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


def _stamp_font(writer: PdfWriter) -> tuple[Any, dict[str, float]]:
    """The stamp's font, embedded (PDF/UA and PDF/A want every font embedded): DejaVu Sans Bold
    subset to the characters of "Bilaga N" (fontTools), as a simple TrueType font in WinAnsi; and
    its widths per 1000. Without the font file, the standard Helvetica-Bold, not embedded."""
    path = _stamp_font_file()
    font = DictionaryObject(
        {NameObject("/Type"): NameObject("/Font"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}
    )
    if path is None:
        font[NameObject("/Subtype")] = NameObject("/Type1")
        font[NameObject("/BaseFont")] = NameObject("/Helvetica-Bold")
        return writer._add_object(font), {c: float(w) for c, w in _HELVETICA_BOLD.items()}
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
    widths = {c: face["hmtx"][cmap[ord(c)]][0] * scale for c in _STAMP_CHARACTERS if ord(c) in cmap}
    first, last = min(map(ord, _STAMP_CHARACTERS)), max(map(ord, _STAMP_CHARACTERS))
    head, hhea, os2 = face["head"], face["hhea"], face["OS/2"]
    program = DecodedStreamObject()
    program.set_data(data.getvalue())
    program[NameObject("/Length1")] = NumberObject(len(data.getvalue()))
    name = NameObject("/HDBILA+DejaVuSans-Bold")
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): name,
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontBBox"): ArrayObject(
                [NumberObject(round(v * scale)) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
            ),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(round(hhea.ascent * scale)),
            NameObject("/Descent"): NumberObject(round(hhea.descent * scale)),
            NameObject("/CapHeight"): NumberObject(round(getattr(os2, "sCapHeight", hhea.ascent) * scale)),
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


def assemble(
    parts: Sequence[Part], *, title: str, author: str, subject: str = "", language: str = "sv-SE"
) -> Assembled:
    """The parts as one PDF, in order, with bookmarks, page labels, metadata and one structure tree.

    A part without a structure tree (an untagged PDF attachment) is added as it is; its index is in
    :attr:`Assembled.untagged`. Raises :class:`InvalidInputError` HD617 for a part that is not a PDF that can be attached
    (damaged, encrypted, without pages), naming its ``where``.
    """
    readers = [_reader(part) for part in parts]
    writer = PdfWriter()
    placed: list[tuple[PdfReader, int, int]] = []
    start = 0
    for part, reader in zip(parts, readers, strict=True):
        count = len(reader.pages)
        writer.append(reader, outline_item=part.title, import_outline=True)
        prefix = f"{part.label}: " if part.label else None
        writer.set_page_label(start, start + count - 1, style=PageLabelStyle.DECIMAL, prefix=prefix, start=1)
        placed.append((reader, start, count))
        start += count
    untagged = _merge_structure(writer, placed)
    if any(part.label for part in parts):
        font, widths = _stamp_font(writer)
        for part, (_, start, _) in zip(parts, placed, strict=True):
            if part.label:
                _stamp(writer, start, part.label, font, widths)
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Producer": "hallbardocs"})
    catalog = writer._root_object
    catalog[NameObject("/Lang")] = TextStringObject(language)
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
    metadata = DecodedStreamObject()
    metadata.set_data(_xmp(title, author, subject, language, ua=not untagged))  # not with an untagged part
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    catalog[NameObject("/Metadata")] = writer._add_object(metadata)
    out = io.BytesIO()
    writer.write(out)
    return Assembled(out.getvalue(), untagged)
