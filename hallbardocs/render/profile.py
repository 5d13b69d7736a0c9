"""A template in a municipality's graphic profile: our default template's content in its styles.

:func:`restyled` takes our default template of a kind (its structure, tags and texts) and a
profile document (the municipality's Word template, .dotx or .docx, with its fonts, colours, heading
and list styles, theme, page setup, headers and footers) and makes one template of the two:

- the profile's styles, theme, fonts and numbering are the template's; each of our styles is
  mapped onto the profile's style of the same built-in name and type (a Swedish Word stores
  "Rubrik 1" as ``heading 1`` with the id ``Rubrik1``: styles are matched by name, never by id);
  a style the profile lacks is added from ours, under an id the profile does not use, without its
  own font, so the profile's fonts apply;
- our numbering definitions come along renumbered after the profile's;
- every section gets the profile's page size and margins (a landscape section stays landscape),
  and the profile's headers and footers with their pictures (the logo), where it has any;
- our body, footnotes and (when the profile has none) headers and footers refer to the mapped
  style and numbering ids;
- our colour (that of our heading 1 and title) becomes the colour of the profile's heading 1,
  where our added styles and our direct formatting (the cover, table headers) use it, if white
  text on it stays readable.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from hallbardocs.errors import Location, Problem, TemplateError
from hallbardocs.render.ooxml import contrasting_text_colour

__all__ = ["restyled"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = f"{{{W}}}"
_R = f"{{{R}}}"
_HEADER = f"{R}/header"
_FOOTER = f"{R}/footer"
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_NUMBERING_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
_STYLE_REFS = ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link", "numStyleLink", "styleLink")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
_SECTION_ORDER = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)


@dataclass
class _Package:
    """A .docx as its parts, bytes by name."""

    parts: dict[str, bytes]
    order: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, content: bytes) -> _Package:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
            return cls({n: archive.read(n) for n in names}, names)

    def xml(self, name: str) -> etree._Element | None:
        data = self.parts.get(name)
        return None if data is None else etree.fromstring(data, _PARSER)

    def put(self, name: str, value: bytes | etree._Element) -> None:
        if not isinstance(value, bytes):
            value = etree.tostring(value, xml_declaration=True, encoding="UTF-8", standalone=True)
        if name not in self.parts:
            self.order.append(name)
        self.parts[name] = value

    def drop(self, name: str) -> None:
        self.parts.pop(name, None)
        if name in self.order:
            self.order.remove(name)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in self.order:
                if name in self.parts:
                    archive.writestr(name, self.parts[name])
        return out.getvalue()


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _main_part(package: _Package) -> str:
    rels = package.xml("_rels/.rels")
    if rels is not None:
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def _related(package: _Package, part: str) -> dict[str, tuple[str, str, bool]]:
    """``part``'s relationships: id -> (type, target part name or URL, external)."""
    rels = package.xml(_rels_name(part))
    out: dict[str, tuple[str, str, bool]] = {}
    if rels is None:
        return out
    folder = posixpath.dirname(part)
    for rel in rels:
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target", "")
        if not external:
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), target, external)
    return out


def _target_of(package: _Package, part: str, reltype: str) -> str | None:
    return next((t for kind, t, ext in _related(package, part).values() if kind == reltype and not ext), None)


def _style_key(style: etree._Element) -> tuple[str, str]:
    name = style.find(f"{_W}name")
    label = name.get(f"{_W}val") if name is not None else None
    return style.get(f"{_W}type", "paragraph") or "paragraph", (label or style.get(f"{_W}styleId") or "").casefold()


def _remap(root: etree._Element, styles: dict[str, str], numbers: dict[str, str]) -> None:
    """Style and numbering references in ``root`` through the maps."""
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(_W):
            continue
        local = element.tag[len(_W) :]
        value = element.get(f"{_W}val")
        if value is None:
            continue
        if local in _STYLE_REFS and value in styles:
            element.set(f"{_W}val", styles[value])
        elif local == "numId" and value in numbers:
            element.set(f"{_W}val", numbers[value])


def _merge_styles(ours: etree._Element, theirs: etree._Element) -> tuple[dict[str, str], list[etree._Element]]:
    """Add to the profile's styles (``theirs``) what ours have that it lacks; our style ids mapped."""
    by_key = {_style_key(s): s.get(f"{_W}styleId", "") for s in theirs.iterfind(f"{_W}style")}
    taken = {s.get(f"{_W}styleId", "") for s in theirs.iterfind(f"{_W}style")}
    mapping: dict[str, str] = {}
    added: list[etree._Element] = []
    for style in ours.iterfind(f"{_W}style"):
        style_id = style.get(f"{_W}styleId", "")
        found = by_key.get(_style_key(style))
        if found:
            mapping[style_id] = found
            continue
        new_id = style_id
        n = 1
        while new_id in taken:
            n += 1
            new_id = f"{style_id}Hd{n}"
        taken.add(new_id)
        mapping[style_id] = new_id
        added.append(style)
    copies = []
    for style in added:
        copied = copy.deepcopy(style)
        copied.set(f"{_W}styleId", mapping[style.get(f"{_W}styleId", "")])
        if f"{_W}default" in copied.attrib:
            del copied.attrib[f"{_W}default"]
        for fonts in list(copied.iter(f"{_W}rFonts")):  # the profile's fonts apply
            _remove(fonts)
        theirs.append(copied)
        copies.append(copied)
    return mapping, copies


def _merge_numbering(
    ours: etree._Element | None, theirs: etree._Element | None
) -> tuple[etree._Element | None, dict[str, str], list[etree._Element]]:
    """The profile's numbering with ours appended, renumbered after it: the numbering, our numId ->
    new numId, and the elements that came from ours."""
    if ours is None:
        return theirs, {}, []
    if theirs is None:
        return ours, {}, [ours]
    copies: list[etree._Element] = []
    abstract_ids = [int(a.get(f"{_W}abstractNumId", "0")) for a in theirs.iterfind(f"{_W}abstractNum")]
    num_ids = [int(n.get(f"{_W}numId", "0")) for n in theirs.iterfind(f"{_W}num")]
    a_offset = max(abstract_ids, default=-1) + 1
    n_offset = max(num_ids, default=0)
    numbers: dict[str, str] = {}
    abstracts = list(ours.iterfind(f"{_W}abstractNum"))
    last_abstract = list(theirs.iterfind(f"{_W}abstractNum"))
    anchor = last_abstract[-1] if last_abstract else None
    for abstract in abstracts:
        copied = copy.deepcopy(abstract)
        copied.set(f"{_W}abstractNumId", str(int(abstract.get(f"{_W}abstractNumId", "0")) + a_offset))
        nsid = copied.find(f"{_W}nsid")
        if nsid is not None:  # Word tells lists apart by nsid: ours must not pass for the profile's
            nsid.set(f"{_W}val", f"{(int(nsid.get(f'{_W}val', '0'), 16) ^ 0x5A5A5A5A) & 0xFFFFFFFF:08X}")
        if anchor is None:  # after the picture bullets, which come first
            pictures = list(theirs.iterfind(f"{_W}numPicBullet"))
            theirs.insert(theirs.index(pictures[-1]) + 1 if pictures else 0, copied)
        else:
            anchor.addnext(copied)
        anchor = copied
        copies.append(copied)
    nums = list(theirs.iterfind(f"{_W}num"))
    tail = nums[-1] if nums else anchor
    for num in ours.iterfind(f"{_W}num"):
        copied = copy.deepcopy(num)
        old = num.get(f"{_W}numId", "0")
        new = str(int(old) + n_offset)
        numbers[old] = new
        copied.set(f"{_W}numId", new)
        ref = copied.find(f"{_W}abstractNumId")
        if ref is not None:
            ref.set(f"{_W}val", str(int(ref.get(f"{_W}val", "0")) + a_offset))
        if tail is None:
            theirs.append(copied)
        else:
            tail.addnext(copied)
        tail = copied
    return theirs, numbers, copies


def _colour_of(styles: etree._Element, name: str) -> str | None:
    """The explicit text colour of the style named ``name`` (``heading 1``), or ``None``."""
    for style in styles.iterfind(f"{_W}style"):
        if _style_key(style)[1] == name:
            colour = style.find(f"{_W}rPr/{_W}color")
            value = colour.get(f"{_W}val") if colour is not None else None
            if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                return value.upper()
    return None


def _brand_colours(styles: etree._Element) -> set[str]:
    """Our colours: those of our heading 1 and title (text, shading and borders)."""
    found: set[str] = set()
    for style in styles.iterfind(f"{_W}style"):
        if _style_key(style)[1] in ("heading 1", "title"):
            for element in style.iter(f"{_W}color", f"{_W}shd", f"{_W}top", f"{_W}bottom", f"{_W}left", f"{_W}right"):
                for attribute in (f"{_W}val", f"{_W}fill", f"{_W}color"):
                    value = element.get(attribute)
                    if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value) and contrasting_text_colour(value) == "FFFFFF":
                        found.add(value.upper())  # a dark colour: not the white text on it
    return found


def _clear_style_tabs(root: etree._Element, styles: etree._Element) -> None:
    """Paragraphs of ours that set their own tab stops do not also get those of the profile's style
    (a header's right tab would otherwise meet the profile's centre tab first)."""
    tabs_of: dict[str, list[str]] = {}
    for style in styles.iterfind(f"{_W}style"):
        positions = [t.get(f"{_W}pos", "") for t in style.iterfind(f"{_W}pPr/{_W}tabs/{_W}tab")]
        if positions:
            tabs_of[style.get(f"{_W}styleId", "")] = positions
    for tabs in root.iter(f"{_W}tabs"):
        ppr = tabs.getparent()
        if ppr is None or ppr.tag != f"{_W}pPr":
            continue
        named = ppr.find(f"{_W}pStyle")
        own = {t.get(f"{_W}pos") for t in tabs}
        for position in tabs_of.get(named.get(f"{_W}val", "") if named is not None else "", []):
            if position not in own:
                etree.SubElement(tabs, f"{_W}tab", {f"{_W}val": "clear", f"{_W}pos": position})


def _recolour(root: etree._Element, colours: set[str], new: str) -> None:
    """Our brand ``colours`` in ``root`` (text, shading, borders) become the profile's ``new`` colour."""
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(_W):
            continue
        for attribute in (f"{_W}val", f"{_W}fill", f"{_W}color"):
            value = element.get(attribute)
            if value and value.upper() in colours and element.tag != f"{_W}highlight":
                element.set(attribute, new)


def _content_types(package: _Package) -> etree._Element:
    root = package.xml("[Content_Types].xml")
    assert root is not None  # checked_package made sure
    return root


def _add_override(types: etree._Element, part: str, content_type: str) -> None:
    name = "/" + part
    for override in types.iterfind(f"{{{CT}}}Override"):
        if override.get("PartName") == name:
            override.set("ContentType", content_type)
            return
    etree.SubElement(types, f"{{{CT}}}Override", PartName=name, ContentType=content_type)


def _ensure_default(types: etree._Element, extension: str, content_type: str) -> None:
    if any(d.get("Extension", "").lower() == extension.lower() for d in types.iterfind(f"{{{CT}}}Default")):
        return
    default = etree.Element(f"{{{CT}}}Default", Extension=extension, ContentType=content_type)
    types.insert(0, default)


def _content_type_of(types: etree._Element, part: str) -> str | None:
    for override in types.iterfind(f"{{{CT}}}Override"):
        if override.get("PartName") == "/" + part:
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1].lower()
    for default in types.iterfind(f"{{{CT}}}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


def _copy_header_footer(
    source: _Package, target: _Package, part: str, new_name: str, source_types: etree._Element, types: etree._Element
) -> None:
    """A profile's header or footer part, with its pictures, into ``target`` as ``new_name``."""
    target.put(new_name, source.parts[part])
    rels = source.xml(_rels_name(part))
    if rels is None:
        return
    stem = posixpath.splitext(posixpath.basename(new_name))[0]
    for rel in rels:
        if rel.get("TargetMode") == "External":
            continue
        inner = posixpath.normpath(posixpath.join(posixpath.dirname(part), rel.get("Target", "")))
        if inner not in source.parts:
            continue
        media = f"word/media/{stem}_{posixpath.basename(inner)}"
        target.put(media, source.parts[inner])
        rel.set("Target", posixpath.relpath(media, posixpath.dirname(new_name)))
        content_type = _content_type_of(source_types, inner)
        if content_type is not None:
            _ensure_default(types, media.rsplit(".", 1)[-1], content_type)
    target.put(_rels_name(new_name), rels)


def _sections(body: etree._Element) -> list[etree._Element]:
    return list(body.iter(f"{_W}sectPr"))


def _put_in_order(section: etree._Element, element: etree._Element) -> None:
    local = etree.QName(element).localname
    rank = _SECTION_ORDER.index(local)
    for child in section:
        name = etree.QName(child).localname
        if name in _SECTION_ORDER and _SECTION_ORDER.index(name) > rank:
            child.addprevious(element)
            return
    section.append(element)


def _page_setup(ours: list[etree._Element], theirs: etree._Element | None) -> None:
    """The profile's page size and margins in every section; a landscape section stays landscape."""
    if theirs is None:
        return
    size = theirs.find(f"{_W}pgSz")
    margins = theirs.find(f"{_W}pgMar")
    for section in ours:
        if size is not None:
            old = section.find(f"{_W}pgSz")
            landscape = old is not None and old.get(f"{_W}orient") == "landscape"
            new = copy.deepcopy(size)
            width, height = new.get(f"{_W}w"), new.get(f"{_W}h")
            if landscape and width and height and int(width) < int(height):
                new.set(f"{_W}w", height)
                new.set(f"{_W}h", width)
                new.set(f"{_W}orient", "landscape")
            elif not landscape and f"{_W}orient" in new.attrib:
                del new.attrib[f"{_W}orient"]
            if old is not None:
                section.remove(old)
            _put_in_order(section, new)
        if margins is not None:
            old = section.find(f"{_W}pgMar")
            if old is not None:
                section.remove(old)
            _put_in_order(section, copy.deepcopy(margins))


def restyled(default: bytes, profile: bytes, name: str) -> bytes:
    """Our ``default`` template (a .docx's bytes) in the styles, page setup, headers and footers of
    ``profile`` (a .docx's bytes; a .dotx read through ``checked_package``)."""
    ours = _Package.read(default)
    try:
        theirs = _Package.read(profile)
        their_main = _main_part(theirs)
        their_document = theirs.xml(their_main)
        their_styles_name = _target_of(theirs, their_main, f"{R}/styles")
        their_styles = theirs.xml(their_styles_name) if their_styles_name else None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        message = f"Profilen kunde inte läsas: den är inget giltigt Word-dokument (”{str(exc)[:120]}”)."
        raise TemplateError(Problem("HD501", message, Location(name))) from None
    if their_document is None or their_styles is None:
        message = "Profilen har inga formatmallar (styles.xml) att bygga en mall av."
        raise TemplateError(Problem("HD501", message, Location(name)))
    main = _main_part(ours)
    document = ours.xml(main)
    styles_name = _target_of(ours, main, f"{R}/styles")
    assert document is not None and styles_name is not None  # our own default template
    our_styles = ours.xml(styles_name)
    assert our_styles is not None
    brand = _brand_colours(our_styles)
    accent = _colour_of(their_styles, "heading 1")
    if accent is not None and contrasting_text_colour(accent) != "FFFFFF":  # too light for white text on it
        accent = None
    style_map, added = _merge_styles(our_styles, their_styles)
    types = _content_types(ours)
    their_types = _content_types(theirs)

    numbering_name = _target_of(ours, main, f"{R}/numbering")
    their_numbering_name = _target_of(theirs, their_main, f"{R}/numbering")
    our_numbering = ours.xml(numbering_name) if numbering_name else None
    their_numbering = theirs.xml(their_numbering_name) if their_numbering_name else None
    numbering, numbers, our_lists = _merge_numbering(our_numbering, their_numbering)
    for style in added:  # our added styles' own references (basedOn, next, numId) follow the maps
        _remap(style, style_map, numbers)
        if accent is not None:
            _recolour(style, brand, accent)
    ours.put(styles_name, their_styles)
    if numbering is not None:
        if numbering_name is None:  # pragma: no cover - our defaults have numbering
            numbering_name = "word/numbering.xml"
        for element in our_lists:
            _remap(element, style_map, {})
        ours.put(numbering_name, numbering)
        _add_override(types, numbering_name, _NUMBERING_TYPE)

    for part in ("theme", "fontTable"):
        our_part = _target_of(ours, main, f"{R}/{part}")
        their_part = _target_of(theirs, their_main, f"{R}/{part}")
        if our_part and their_part and their_part in theirs.parts:
            ours.put(our_part, theirs.parts[their_part])

    body = document.find(f"{_W}body")
    assert body is not None
    sections = _sections(body)
    their_body = their_document.find(f"{_W}body")
    their_section = their_body.find(f"{_W}sectPr") if their_body is not None else None
    _page_setup(sections, their_section)

    rels = ours.xml(_rels_name(main))
    assert rels is not None
    their_related = _related(theirs, their_main)
    their_refs = (
        [r for r in their_section if etree.QName(r).localname in ("headerReference", "footerReference")]
        if their_section is not None
        else []
    )
    their_refs = [r for r in their_refs if r.get(f"{_R}id") in their_related]
    if their_refs:
        old = {r.get("Id"): r.get("Target") for r in rels if r.get("Type") in (_HEADER, _FOOTER)}
        for rel in list(rels):
            if rel.get("Type") in (_HEADER, _FOOTER):
                rels.remove(rel)
        for target in old.values():
            part = posixpath.normpath(posixpath.join(posixpath.dirname(main), target or ""))
            ours.drop(part)
            ours.drop(_rels_name(part))
            for override in list(types.iterfind(f"{{{CT}}}Override")):
                if override.get("PartName") == "/" + part:
                    types.remove(override)
        new_refs: list[etree._Element] = []
        for n, ref in enumerate(their_refs, start=1):
            reltype, part, _ = their_related[ref.get(f"{_R}id", "")]
            header = etree.QName(ref).localname == "headerReference"
            kind = "header" if header else "footer"
            number = n
            while f"word/{kind}{number}.xml" in ours.parts:
                number += 1
            new_name = f"word/{kind}{number}.xml"
            _copy_header_footer(theirs, ours, part, new_name, their_types, types)
            _add_override(types, new_name, _HEADER_TYPE if header else _FOOTER_TYPE)
            rid = f"rIdProfil{n}"
            etree.SubElement(rels, f"{{{PR}}}Relationship", Id=rid, Type=reltype, Target=posixpath.basename(new_name))
            copied = copy.deepcopy(ref)
            copied.set(f"{_R}id", rid)
            new_refs.append(copied)
        first_page = any(r.get(f"{_W}type") == "first" for r in new_refs)
        for section in sections:
            for child in list(section):
                if etree.QName(child).localname in ("headerReference", "footerReference"):
                    section.remove(child)
            for ref in reversed(new_refs):
                section.insert(0, copy.deepcopy(ref))
            title_page = section.find(f"{_W}titlePg")
            if title_page is not None and not first_page and section is not sections[0]:
                section.remove(title_page)
    else:
        for rel in rels:
            if rel.get("Type") in (_HEADER, _FOOTER):
                part = posixpath.normpath(posixpath.join(posixpath.dirname(main), rel.get("Target", "")))
                root = ours.xml(part)
                if root is not None:
                    _remap(root, style_map, numbers)
                    _clear_style_tabs(root, their_styles)
                    if accent is not None:
                        _recolour(root, brand, accent)
                    ours.put(part, root)

    _remap(document, style_map, numbers)
    _clear_style_tabs(document, their_styles)
    if accent is not None:
        _recolour(document, brand, accent)
    for fonts in list(document.iter(f"{_W}rFonts")):  # the profile's fonts apply to our text too
        _remove(fonts)
    ours.put(main, document)
    footnotes_name = _target_of(ours, main, f"{R}/footnotes")
    if footnotes_name:
        footnotes = ours.xml(footnotes_name)
        if footnotes is not None:
            _remap(footnotes, style_map, numbers)
            ours.put(footnotes_name, footnotes)
    ours.put(_rels_name(main), rels)
    ours.put("[Content_Types].xml", types)
    return ours.to_bytes()
