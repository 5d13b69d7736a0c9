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
  and the profile's headers and footers with their pictures (the logo), where it has any; our
  tables, and the tab stops of our headers and footers where we keep them, are fitted to the
  profile's text width (:mod:`hallbardocs.render.profile.layout`);
- our body, footnotes and (when the profile has none) headers and footers refer to the mapped
  style and numbering ids;
- our colour (that of our heading 1 and title) becomes the colour of the profile's heading 1,
  where our added styles and our direct formatting (the cover, table headers) use it, if white
  text on it stays readable.
"""


from __future__ import annotations

import copy
import posixpath
import zipfile

from lxml import etree

from hallbardocs.errors import Location, Problem, TemplateError
from hallbardocs.render.ooxml import contrasting_text_colour
from hallbardocs.render.profile.layout import fit_tables, fit_tabs, header_ratios, text_width
from hallbardocs.render.profile.opc import (
    CT,
    PR,
    Package,
    R,
    W,
    add_override,
    content_types,
    copy_header_footer,
    main_part,
    related,
    rels_name,
    remove,
    target_of,
)
from hallbardocs.render.profile.styles import (
    brand_colours,
    clear_style_tabs,
    colour_of,
    merge_numbering,
    merge_styles,
    recolour,
    remap,
)

__all__ = ["restyled"]

_W = f"{{{W}}}"
_R = f"{{{R}}}"
_HEADER = f"{R}/header"
_FOOTER = f"{R}/footer"
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_NUMBERING_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
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
    ours = Package.read(default)
    theirs, their_main, their_document, their_styles = _read_profile(profile, name)
    main = main_part(ours)
    document = ours.xml(main)
    styles_name = target_of(ours, main, f"{R}/styles")
    assert document is not None and styles_name is not None  # our own default template
    our_styles = ours.xml(styles_name)
    assert our_styles is not None
    brand = brand_colours(our_styles)
    accent = colour_of(their_styles, "heading 1")
    if accent is not None and contrasting_text_colour(accent) != "FFFFFF":  # too light for white text on it
        accent = None
    style_map, added = merge_styles(our_styles, their_styles)
    types = content_types(ours)
    their_types = content_types(theirs)
    numbers = _merged_numbering(ours, main, theirs, their_main, style_map, types)
    for style in added:  # our added styles' own references (basedOn, next, numId) follow the maps
        remap(style, style_map, numbers)
        if accent is not None:
            recolour(style, brand, accent)
    ours.put(styles_name, their_styles)

    for part in ("theme", "fontTable"):
        _take_part(ours, main, theirs, their_main, part)

    body = document.find(f"{_W}body")
    assert body is not None
    sections = _sections(body)
    their_body = their_document.find(f"{_W}body")
    their_section = their_body.find(f"{_W}sectPr") if their_body is not None else None
    widths = [text_width(section) for section in sections]
    _page_setup(sections, their_section)
    ratios = [_ratio(old, text_width(section)) for old, section in zip(widths, sections, strict=True)]
    fit_tables(body, ratios)

    rels = ours.xml(rels_name(main))
    assert rels is not None
    if not _take_their_headers(ours, main, theirs, their_main, their_section, sections, rels, their_types, types):
        fitted = header_ratios(sections, ratios)
        for rel in rels:
            if rel.get("Type") in (_HEADER, _FOOTER):
                part = posixpath.normpath(posixpath.join(posixpath.dirname(main), rel.get("Target", "")))
                root = ours.xml(part)
                if root is not None:
                    fit_tabs(root, fitted.get(rel.get("Id", ""), 1.0))
                    _restyle(root, style_map, numbers, their_styles, brand, accent)
                    ours.put(part, root)

    _restyle(document, style_map, numbers, their_styles, brand, accent)
    for fonts in list(document.iter(f"{_W}rFonts")):  # the profile's fonts apply to our text too
        remove(fonts)
    ours.put(main, document)
    footnotes_name = target_of(ours, main, f"{R}/footnotes")
    if footnotes_name:
        footnotes = ours.xml(footnotes_name)
        if footnotes is not None:
            remap(footnotes, style_map, numbers)
            ours.put(footnotes_name, footnotes)
    ours.put(rels_name(main), rels)
    ours.put("[Content_Types].xml", types)
    return ours.to_bytes()


def _ratio(old: int | None, new: int | None) -> float:
    """How much wider (or narrower) a section's text is in the profile's page setup."""
    return new / old if old and new else 1.0


def _read_profile(profile: bytes, name: str) -> tuple[Package, str, etree._Element, etree._Element]:
    """The profile's package, its main part's name, its document and its styles (HD501 if it has none)."""
    try:
        theirs = Package.read(profile)
        their_main = main_part(theirs)
        their_document = theirs.xml(their_main)
        their_styles_name = target_of(theirs, their_main, f"{R}/styles")
        their_styles = theirs.xml(their_styles_name) if their_styles_name else None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        message = f"Profilen kunde inte läsas: den är inget giltigt Word-dokument (”{str(exc)[:120]}”)."
        raise TemplateError(Problem("HD501", message, Location(name))) from None
    if their_document is None or their_styles is None:
        message = "Profilen har inga formatmallar (styles.xml) att bygga en mall av."
        raise TemplateError(Problem("HD501", message, Location(name)))
    return theirs, their_main, their_document, their_styles


def _merged_numbering(
    ours: Package, main: str, theirs: Package, their_main: str, style_map: dict[str, str], types: etree._Element
) -> dict[str, str]:
    """The profile's numbering with ours after it, put in our package; our numId -> its new numId."""
    numbering_name = target_of(ours, main, f"{R}/numbering")
    their_numbering_name = target_of(theirs, their_main, f"{R}/numbering")
    our_numbering = ours.xml(numbering_name) if numbering_name else None
    their_numbering = theirs.xml(their_numbering_name) if their_numbering_name else None
    numbering, numbers, our_lists = merge_numbering(our_numbering, their_numbering)
    if numbering is not None:
        if numbering_name is None:  # pragma: no cover - our defaults have numbering
            numbering_name = "word/numbering.xml"
        for element in our_lists:
            remap(element, style_map, {})
        ours.put(numbering_name, numbering)
        add_override(types, numbering_name, _NUMBERING_TYPE)
    return numbers


def _take_their_headers(
    ours: Package,
    main: str,
    theirs: Package,
    their_main: str,
    their_section: etree._Element | None,
    sections: list[etree._Element],
    rels: etree._Element,
    their_types: etree._Element,
    types: etree._Element,
) -> bool:
    """The profile's headers and footers in place of ours, in every section; False if it has none."""
    their_related = related(theirs, their_main)
    their_refs = (
        [r for r in their_section if etree.QName(r).localname in ("headerReference", "footerReference")]
        if their_section is not None
        else []
    )
    their_refs = [r for r in their_refs if r.get(f"{_R}id") in their_related]
    if not their_refs:
        return False
    _drop_our_headers(ours, main, rels, types)
    new_refs = _copy_their_headers(ours, theirs, their_refs, their_related, rels, their_types, types)
    _refer_to_headers(sections, new_refs)
    return True


def _drop_our_headers(ours: Package, main: str, rels: etree._Element, types: etree._Element) -> None:
    """Our headers and footers out of the package: the profile's take their place."""
    old = {r.get("Id"): r.get("Target") for r in rels if r.get("Type") in (_HEADER, _FOOTER)}
    for rel in list(rels):
        if rel.get("Type") in (_HEADER, _FOOTER):
            rels.remove(rel)
    for target in old.values():
        part = posixpath.normpath(posixpath.join(posixpath.dirname(main), target or ""))
        ours.drop(part)
        ours.drop(rels_name(part))
        for override in list(types.iterfind(f"{{{CT}}}Override")):
            if override.get("PartName") == "/" + part:
                types.remove(override)


def _copy_their_headers(
    ours: Package,
    theirs: Package,
    their_refs: list[etree._Element],
    their_related: dict[str, tuple[str, str, bool]],
    rels: etree._Element,
    their_types: etree._Element,
    types: etree._Element,
) -> list[etree._Element]:
    """The profile's headers and footers copied into our package; the section references to them."""
    new_refs: list[etree._Element] = []
    for n, ref in enumerate(their_refs, start=1):
        reltype, part, _ = their_related[ref.get(f"{_R}id", "")]
        header = etree.QName(ref).localname == "headerReference"
        kind = "header" if header else "footer"
        number = n
        while f"word/{kind}{number}.xml" in ours.parts:
            number += 1
        new_name = f"word/{kind}{number}.xml"
        copy_header_footer(theirs, ours, part, new_name, their_types, types)
        add_override(types, new_name, _HEADER_TYPE if header else _FOOTER_TYPE)
        rid = f"rIdProfil{n}"
        etree.SubElement(rels, f"{{{PR}}}Relationship", Id=rid, Type=reltype, Target=posixpath.basename(new_name))
        copied = copy.deepcopy(ref)
        copied.set(f"{_R}id", rid)
        new_refs.append(copied)
    return new_refs


def _refer_to_headers(sections: list[etree._Element], new_refs: list[etree._Element]) -> None:
    """Every section refers to the profile's headers and footers (a first page's only where it has one)."""
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


def _take_part(ours: Package, main: str, theirs: Package, their_main: str, part: str) -> None:
    """The profile's ``part`` (theme, font table) in place of ours, where both have one."""
    our_part = target_of(ours, main, f"{R}/{part}")
    their_part = target_of(theirs, their_main, f"{R}/{part}")
    if our_part and their_part and their_part in theirs.parts:
        ours.put(our_part, theirs.parts[their_part])


def _restyle(
    root: etree._Element,
    style_map: dict[str, str],
    numbers: dict[str, str],
    their_styles: etree._Element,
    brand: set[str],
    accent: str | None,
) -> None:
    """Our part ``root`` (body, header, footer) on the profile's style and numbering ids, tabs and colour."""
    remap(root, style_map, numbers)
    clear_style_tabs(root, their_styles)
    if accent is not None:
        recolour(root, brand, accent)
