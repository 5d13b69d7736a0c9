"""The accessibility review of a PDF: tagged, its language, its title shown, figures with alt text, bookmarks.

:func:`review_pdf` reads a PDF with pikepdf and returns one :class:`~hallbardocs.errors.Problem`
per finding, HD551–HD555; a figure is located by its page. docs/accessibility.md lists the checks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pikepdf

from hallbardocs.errors import Location, Problem

__all__ = ["review_pdf"]

_HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
_MAX_ELEMENTS = 200_000
"""How many structure elements are walked at most (a hostile file cannot keep the review busy)."""


def _text(value: Any) -> str:
    try:
        return str(value).strip() if value is not None else ""
    except (TypeError, ValueError):  # pragma: no cover - a damaged string object
        return ""


def _elements(root: Any) -> Iterator[Any]:
    """The structure elements under ``root``, depth first, each once."""
    stack = [root.get("/K")]
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack and count < _MAX_ELEMENTS:
        kid = stack.pop()
        if kid is None:
            continue
        if isinstance(kid, pikepdf.Array):
            stack.extend(reversed(list(kid)))
            continue
        if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
            continue  # a marked-content reference or an object reference: no element
        if kid.is_indirect:
            key = kid.objgen
            if key in seen:
                continue
            seen.add(key)
        count += 1
        yield kid
        stack.append(kid.get("/K"))


def _page(element: Any, pages: dict[tuple[int, int], int]) -> int | None:
    page = element.get("/Pg")
    if page is None:
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Pg") is not None:
                page = kid.get("/Pg")
                break
    if page is None or not page.is_indirect:
        return None
    return pages.get(page.objgen)


def review_pdf(data: bytes, name: str) -> list[Problem]:
    """The accessibility problems of the PDF ``data`` (HD551–HD555), located in the file named
    ``name``; a file that is no PDF is HD556."""
    where = Location(name, place="dokumentet")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        reason = str(exc).strip()[:120] or type(exc).__name__
        return [Problem("HD556", f"Filen kunde inte läsas som PDF (”{reason}”).", Location(name))]
    with pdf:
        return _review(pdf, name, where)


def _review(pdf: pikepdf.Pdf, name: str, where: Location) -> list[Problem]:
    found: list[Problem] = []
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))
    tree = root.get("/StructTreeRoot")
    if not marked or not isinstance(tree, pikepdf.Dictionary):
        found.append(
            Problem(
                "HD551",
                "PDF:en är inte taggad (ingen struktur, eller MarkInfo/Marked saknas), så skärmläsare kan inte läsa "
                "rubriker, tabeller och läsordning.",
                where,
            )
        )
    if not _text(root.get("/Lang")):
        found.append(
            Problem("HD552", "PDF:en saknar språk (/Lang), så skärmläsare vet inte att texten är svenska.", where)
        )
    title = _text(pdf.docinfo.get("/Title")) if pdf.trailer.get("/Info") is not None else ""
    if not title:
        try:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
                title = _text(xmp.get("dc:title"))
        except (pikepdf.PdfError, ValueError, KeyError, OSError):  # a damaged XMP packet: no title there
            title = ""
    preferences = root.get("/ViewerPreferences")
    shown = isinstance(preferences, pikepdf.Dictionary) and bool(preferences.get("/DisplayDocTitle", False))
    if not title or not shown:
        why = "saknar titel" if not title else "visar filnamnet i stället för titeln (DisplayDocTitle saknas)"
        found.append(Problem("HD553", f"PDF:en {why}; läsaren ska se dokumentets titel i fönstret.", where))
    if not isinstance(tree, pikepdf.Dictionary):
        return found
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages, start=1)}
    role_map = tree.get("/RoleMap")
    roles = {str(k): str(v) for k, v in role_map.items()} if isinstance(role_map, pikepdf.Dictionary) else {}
    headings = False
    for element in _elements(tree):
        kind = str(element.get("/S"))
        kind = roles.get(kind, kind)
        if kind in _HEADINGS:
            headings = True
        elif kind == "/Figure" and not _text(element.get("/Alt")) and not _text(element.get("/ActualText")):
            page = _page(element, pages)
            place = f"sida {page}" if page is not None else "dokumentet"
            found.append(
                Problem(
                    "HD554",
                    "En figur saknar alternativtext (/Alt); skriv vad bilden visar.",
                    Location(name, place=place),
                )
            )
    outlines = root.get("/Outlines")
    has_outlines = isinstance(outlines, pikepdf.Dictionary) and outlines.get("/First") is not None
    if headings and not has_outlines:
        found.append(
            Problem(
                "HD555",
                "PDF:en har rubriker men inga bokmärken, så läsaren kan inte hoppa mellan avsnitten; "
                "exportera med bokmärken.",
                where,
            )
        )
    return found
