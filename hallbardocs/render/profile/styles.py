"""The profile's styles and numbering with ours merged in, and our brand colour in the profile's."""

from __future__ import annotations

import copy
import re

from lxml import etree

from hallbardocs.render.ooxml import contrasting_text_colour
from hallbardocs.render.profile.opc import W, remove

__all__ = ["brand_colours", "clear_style_tabs", "colour_of", "merge_numbering", "merge_styles", "recolour", "remap"]

_W = f"{{{W}}}"
_STYLE_REFS = ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link", "numStyleLink", "styleLink")


def _style_key(style: etree._Element) -> tuple[str, str]:
    name = style.find(f"{_W}name")
    label = name.get(f"{_W}val") if name is not None else None
    return style.get(f"{_W}type", "paragraph") or "paragraph", (label or style.get(f"{_W}styleId") or "").casefold()


def remap(root: etree._Element, styles: dict[str, str], numbers: dict[str, str]) -> None:
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


def merge_styles(ours: etree._Element, theirs: etree._Element) -> tuple[dict[str, str], list[etree._Element]]:
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
            remove(fonts)
        theirs.append(copied)
        copies.append(copied)
    return mapping, copies


def merge_numbering(
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


def colour_of(styles: etree._Element, name: str) -> str | None:
    """The explicit text colour of the style named ``name`` (``heading 1``), or ``None``."""
    for style in styles.iterfind(f"{_W}style"):
        if _style_key(style)[1] == name:
            colour = style.find(f"{_W}rPr/{_W}color")
            value = colour.get(f"{_W}val") if colour is not None else None
            if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                return value.upper()
    return None


def brand_colours(styles: etree._Element) -> set[str]:
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


def clear_style_tabs(root: etree._Element, styles: etree._Element) -> None:
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


def recolour(root: etree._Element, colours: set[str], new: str) -> None:
    """Our brand ``colours`` in ``root`` (text, shading, borders) become the profile's ``new`` colour."""
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(_W):
            continue
        for attribute in (f"{_W}val", f"{_W}fill", f"{_W}color"):
            value = element.get(attribute)
            if value and value.upper() in colours and element.tag != f"{_W}highlight":
                element.set(attribute, new)

