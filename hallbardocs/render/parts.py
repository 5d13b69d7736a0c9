"""The finishing steps on a rendered document's parts: footnotes, list numbering, the document's
language, the settings Word reads on opening, and the core properties.

With :mod:`hallbardocs.render.ooxml` (the markup the renderer inserts), this is where WordprocessingML
is built; the rest of the renderer calls these functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hallbardocs.content import DocumentProperties
from hallbardocs.errors import Location, Problem

__all__ = [
    "append_footnotes",
    "append_numbering",
    "footnotes_part",
    "request_field_update",
    "set_language",
    "set_properties",
]


def footnotes_part(docx: Any) -> Any:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in docx.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    return None


def append_footnotes(docx: Any, footnotes: list[str]) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    part = footnotes_part(docx)
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    if part is None:
        root = etree.fromstring(
            f'<w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            "</w:footnotes>"
        )
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, b"", docx.part.package)
        docx.part.relate_to(part, RT.FOOTNOTES)
    else:
        root = etree.fromstring(part.blob)
    for xml in footnotes:
        root.append(etree.fromstring(xml))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if hasattr(part, "_element"):  # an XmlPart: python-docx serialises its element
        part._element = root
    else:
        part._blob = blob


def append_numbering(docx: Any, restarted: list[tuple[int, str, int]], name: str) -> list[Problem]:
    """Numbered lists that start again at 1 get their own ``w:num``; a template without numbering
    definitions shows them unnumbered, with a warning (HD508)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    if not restarted:
        return []
    try:
        numbering = docx.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        message = (
            "Mallen saknar numreringsdefinitioner (numbering.xml), så numrerade listor i texten visas utan "
            "nummer. Lägg in en numrerad lista i mallen i Word och spara den igen."
        )
        return [Problem("HD508", message, Location(name), severity="varning")]
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    abstract_of = {n.get(f"{{{W}}}numId"): n.find(f"{{{W}}}abstractNumId") for n in numbering.iterfind(f"{{{W}}}num")}
    for num_id, style_num, start in restarted:
        abstract = abstract_of.get(style_num)
        if abstract is None:
            continue
        num = etree.SubElement(numbering, f"{{{W}}}num", {f"{{{W}}}numId": str(num_id)})
        etree.SubElement(num, f"{{{W}}}abstractNumId", {f"{{{W}}}val": abstract.get(f"{{{W}}}val")})
        override = etree.SubElement(num, f"{{{W}}}lvlOverride", {f"{{{W}}}ilvl": "0"})
        etree.SubElement(override, f"{{{W}}}startOverride", {f"{{{W}}}val": str(start)})
    return []


def set_language(docx: Any, language: str) -> None:
    """The document's default language, for spelling and for screen readers."""
    from lxml import etree

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    styles = docx.styles.element
    defaults = styles.find(f"{{{W}}}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{{{W}}}docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{{{W}}}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(f"{{{W}}}rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{{{W}}}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{{{W}}}rPr")
    lang = rpr.find(f"{{{W}}}lang")
    if lang is None:
        lang = etree.Element(f"{{{W}}}lang")
        after = [rpr.find(f"{{{W}}}{tag}") for tag in ("eastAsianLayout", "specVanish", "oMath")]
        anchor = next((a for a in after if a is not None), None)
        if anchor is None:
            rpr.append(lang)
        else:
            anchor.addprevious(lang)
    lang.set(f"{{{W}}}val", language)
    for other in styles.iter(f"{{{W}}}lang"):
        if other is not lang and other.get(f"{{{W}}}val") not in (None, language):
            other.set(f"{{{W}}}val", language)


_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def request_field_update(docx: Any) -> None:
    """Ask Word to update fields (the table of contents' page numbers) when the document opens."""
    from lxml import etree

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    settings = docx.settings.element
    existing = settings.find(f"{{{W}}}updateFields")
    if existing is None:
        existing = etree.Element(f"{{{W}}}updateFields")
        anchor = next((c for c in settings if etree.QName(c).localname in _AFTER_UPDATE_FIELDS), None)
        if anchor is None:
            settings.append(existing)
        else:
            anchor.addprevious(existing)
    existing.set(f"{{{W}}}val", "true")


def set_properties(docx: Any, properties: DocumentProperties) -> None:
    from hallbardocs.content import shorten

    limit = 255  # characters a core property holds (python-docx refuses more)
    core = docx.core_properties
    core.title = shorten(properties.title, limit)
    core.author = shorten(properties.author, limit)
    core.subject = shorten(properties.subject, limit)
    core.keywords = shorten(", ".join(properties.keywords), limit)
    core.language = shorten(properties.language, limit)
    core.comments = shorten(properties.comments, limit)
    core.last_modified_by = shorten(properties.author, limit)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core.created = now
    core.modified = now
    core.revision = 1
    core.category = ""
    core.content_status = ""
