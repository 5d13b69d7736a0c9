"""A .docx as Open Packaging Conventions see it: its parts, their relationships and content types."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

__all__ = [
    "CT",
    "PR",
    "R",
    "W",
    "Package",
    "add_override",
    "content_types",
    "copy_header_footer",
    "main_part",
    "related",
    "rels_name",
    "remove",
    "target_of",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


@dataclass
class Package:
    """A .docx as its parts, bytes by name."""

    parts: dict[str, bytes]
    order: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, content: bytes) -> Package:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
            return cls({n: archive.read(n) for n in names}, names)

    def xml(self, name: str) -> etree._Element | None:
        data = self.parts.get(name)
        return None if data is None else etree.fromstring(data, PARSER)

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


def remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def main_part(package: Package) -> str:
    rels = package.xml("_rels/.rels")
    if rels is not None:
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def related(package: Package, part: str) -> dict[str, tuple[str, str, bool]]:
    """``part``'s relationships: id -> (type, target part name or URL, external)."""
    rels = package.xml(rels_name(part))
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


def target_of(package: Package, part: str, reltype: str) -> str | None:
    return next((t for kind, t, ext in related(package, part).values() if kind == reltype and not ext), None)



def content_types(package: Package) -> etree._Element:
    root = package.xml("[Content_Types].xml")
    assert root is not None  # checked_package made sure
    return root


def add_override(types: etree._Element, part: str, content_type: str) -> None:
    name = "/" + part
    for override in types.iterfind(f"{{{CT}}}Override"):
        if override.get("PartName") == name:
            override.set("ContentType", content_type)
            return
    etree.SubElement(types, f"{{{CT}}}Override", PartName=name, ContentType=content_type)


def ensure_default(types: etree._Element, extension: str, content_type: str) -> None:
    if any(d.get("Extension", "").lower() == extension.lower() for d in types.iterfind(f"{{{CT}}}Default")):
        return
    default = etree.Element(f"{{{CT}}}Default", Extension=extension, ContentType=content_type)
    types.insert(0, default)


def content_type_of(types: etree._Element, part: str) -> str | None:
    for override in types.iterfind(f"{{{CT}}}Override"):
        if override.get("PartName") == "/" + part:
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1].lower()
    for default in types.iterfind(f"{{{CT}}}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


def copy_header_footer(
    source: Package, target: Package, part: str, new_name: str, source_types: etree._Element, types: etree._Element
) -> None:
    """A profile's header or footer part, with its pictures, into ``target`` as ``new_name``."""
    target.put(new_name, source.parts[part])
    rels = source.xml(rels_name(part))
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
        content_type = content_type_of(source_types, inner)
        if content_type is not None:
            ensure_default(types, media.rsplit(".", 1)[-1], content_type)
    target.put(rels_name(new_name), rels)

