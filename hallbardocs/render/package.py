"""What a template package may bring into a document: checked before it is opened, cleaned after.

A .docx is a zip of parts. Before python-docx reads one, :func:`checked_package` looks at the zip's
directory: a bounded number of parts of bounded declared size (Python's zipfile never inflates a
part past its declared size, so the declared sizes bound the memory), and a macro-enabled document
or a Word template (.dotx, .dotm) is read as the document it holds.

After it is opened, :func:`strip_package` removes what must not pass into a municipality's output
unannounced, each with a warning (HD507): macros (``vbaProject.bin``, Word's key-map
customisations, ActiveX controls) and every external relationship that Word would follow by
itself when the document opens (a remote ``attachedTemplate``, linked pictures, linked objects and
frames, ``file://`` and UNC targets). Hyperlinks to ``http``, ``https`` and ``mailto`` stay: they are
text a reader may click, never fetched on opening.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from hallbardocs.errors import Location, Problem, TemplateError

__all__ = ["PackageLimits", "checked_package", "strip_package"]

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HYPERLINK = f"{R}/hyperlink"
_MACRO_RELATIONSHIPS = {
    "http://schemas.microsoft.com/office/2006/relationships/vbaProject": "ett makroprojekt (vbaProject.bin)",
    "http://schemas.microsoft.com/office/2006/relationships/keyMapCustomizations": "makrokortkommandon",
    f"{R}/control": "en ActiveX-kontroll",
}
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAINS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


@dataclass(frozen=True, slots=True)
class PackageLimits:
    """How much a template's zip may hold (declared, uncompressed sizes)."""

    max_parts: int = 10_000
    max_part_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 300 * 1024 * 1024


def _mib(size: int) -> str:
    from hallbardocs.formatting import format_integer

    return f"{format_integer(round(size / (1024 * 1024)))}\u00a0MiB"


def checked_package(content: bytes, name: str, limits: PackageLimits = PackageLimits()) -> bytes:
    """The template's bytes, refused (HD506) if its zip is too large when unpacked, and with the
    main part of a .docm, .dotx or .dotm declared as a document's so python-docx opens it."""
    where = Location(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise TemplateError(Problem("HD501", "Mallen är inget Word-dokument (.docx): zip-filen är trasig.", where)) from None
    if len(infos) > limits.max_parts:
        raise TemplateError(
            Problem("HD506", f"Mallen består av {len(infos)} delar; högst {limits.max_parts} tillåts.", where)
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part_bytes:
            raise TemplateError(
                Problem(
                    "HD506",
                    f"Mallens del ”{info.filename}” är {_mib(info.file_size)} uppackad; "
                    f"högst {_mib(limits.max_part_bytes)} per del tillåts.",
                    where,
                )
            )
    if total > limits.max_total_bytes:
        raise TemplateError(
            Problem(
                "HD506",
                f"Mallen är {_mib(total)} uppackad; högst {_mib(limits.max_total_bytes)} tillåts.",
                where,
            )
        )
    try:
        types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise TemplateError(Problem("HD501", "Mallen är inget Word-dokument (.docx).", where)) from None
    if not any(other.encode() in types for other in _OTHER_MAINS):
        return content
    for other in _OTHER_MAINS:
        types = types.replace(other.encode(), _DOCUMENT_MAIN.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for info in infos:
            data = types if info.filename == "[Content_Types].xml" else archive.read(info)
            rewritten.writestr(info, data)
    return out.getvalue()


def strip_package(document: Any, name: str) -> list[Problem]:
    """Remove macros and self-opening external links from an opened python-docx ``document``;
    one warning (HD507) for each kind of thing removed."""
    removed: dict[str, int] = {}
    for part in list(document.part.package.iter_parts()):
        for rid, rel in list(part.rels.items()):
            what = _unwanted(rel)
            if what is None:
                continue
            _unreference(part, rid)
            part.rels.pop(rid)
            removed[what] = removed.get(what, 0) + 1
    return [
        Problem("HD507", what + (f" ({n} gånger)" if n > 1 else ""), Location(name), severity="varning")
        for what, n in removed.items()
    ]


def _unwanted(rel: Any) -> str | None:
    """Why a relationship must not pass into the output, as the warning's Swedish sentence, or ``None``."""
    if rel.reltype in _MACRO_RELATIONSHIPS:
        what = _MACRO_RELATIONSHIPS[rel.reltype]
        return f"{what[0].upper()}{what[1:]} i mallen togs bort ur dokumentet: makron följer aldrig med."
    if not rel.is_external:
        return None
    target = str(rel.target_ref)[:80]
    if rel.reltype == _HYPERLINK:
        if _SAFE_LINK.match(target):
            return None
        return f"En länk till ”{target}” i mallen togs bort ur dokumentet (texten står kvar): den öppnar en fil, inte en webbsida."
    kind = rel.reltype.rsplit("/", 1)[-1]
    if kind == "attachedTemplate":
        return (
            f"Mallens koppling till dokumentmallen ”{target}” togs bort ur dokumentet: "
            "Word skulle hämta den när dokumentet öppnas."
        )
    return (
        f"En extern länk av typen {kind} (”{target}”) i mallen togs bort ur dokumentet: "
        "Word skulle följa den när dokumentet öppnas."
    )


_REMOVED_WITH_THEIR_LINK = {"attachedTemplate", "control", "subDoc", "frame", "object"}


def _unreference(part: Any, rid: str) -> None:
    """Remove what in ``part``'s XML points at relationship ``rid``: the element, where it means
    nothing without its target, or else the attribute (a hyperlink keeps its text)."""
    element = getattr(part, "_element", None)
    if element is None:
        return
    for node in list(element.iter()):
        if not isinstance(node.tag, str):
            continue
        for attribute, value in list(node.attrib.items()):
            if value != rid or not attribute.startswith(f"{{{R}}}"):
                continue
            local = node.tag.rsplit("}", 1)[-1]
            parent = node.getparent()
            if local in _REMOVED_WITH_THEIR_LINK and parent is not None:
                parent.remove(node)
                break
            del node.attrib[attribute]
