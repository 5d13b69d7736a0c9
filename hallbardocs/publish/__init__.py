"""Publishing a rendered document: a tagged PDF, and a .docx with its exact page numbers.

The only package that runs LibreOffice (through the warm :class:`~hallbardocs.publish.converter.Converter`).
LibreOffice lays the document out with every field and index updated, so the table of contents
has its page numbers, and exports a tagged PDF (PDF/UA-1 as far as LibreOffice goes: structure
tree, ``/Lang``, bookmarks, the title as the window title), or PDF/A-2 with ``pdfa=True``. The
page each table-of-contents entry points to is read from the same layout and written into the
.docx as the cached result of its ``PAGEREF`` field, so Word shows the numbers without asking to
update fields. docs/pdf.md describes it all.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from hallbardocs import DOCUMENT_FORMATS
from hallbardocs.errors import HallbardocsWarning, Location, OutputError, Problem
from hallbardocs.publish.converter import Converter, Layout, default_converter, find_soffice

if TYPE_CHECKING:
    from hallbardocs.render import RenderedDocument

__all__ = [
    "Converter",
    "Layout",
    "PUBLISH_FORMATS",
    "default_converter",
    "docx_bytes",
    "pdf_bytes",
    "save",
]

_WARNED_MISSING = False


def _fill_page_numbers(document: RenderedDocument, pages: dict[str, int]) -> None:
    from hallbardocs.render.ooxml import set_page_references

    set_page_references(document.document.element.body, document.document.settings.element, pages)


def _targets(document: RenderedDocument) -> list[str]:
    from hallbardocs.render.ooxml import page_reference_targets

    return page_reference_targets(document.document.element.body) if document.toc_entries else []


def pdf_bytes(
    document: RenderedDocument,
    *,
    pdfa: bool = False,
    converter: Converter | None = None,
    where: Location | None = None,
) -> bytes:
    """The document as a tagged PDF (PDF/A-2 with ``pdfa``), with every field and index updated.

    Nothing is written to the user's disk: LibreOffice works in a temporary folder of its own.
    The same layout gives the .docx its page numbers, which are filled in ``document`` on the way.
    Raises :class:`OutputError` HD610–HD614 (see :meth:`Converter.convert`).
    """
    targets = _targets(document)
    layout = (converter or default_converter()).convert(document.to_bytes(), pdfa=pdfa, bookmarks=targets, where=where)
    if targets:
        _fill_page_numbers(document, layout.pages)
    assert layout.pdf is not None
    return layout.pdf


PAGE_NUMBERS_SETTING = "HALLBARDOCS_PAGE_NUMBERS"
"""An environment variable: ``off`` makes a .docx without asking LibreOffice for its page numbers
(the numbers are then filled in by Word when the document is opened), for a quick run or a test
suite; anything else, or nothing, asks LibreOffice where it is installed."""


def page_numbers_wanted() -> bool:
    """Whether a .docx should get its page numbers from LibreOffice (see :data:`PAGE_NUMBERS_SETTING`)."""
    return os.environ.get(PAGE_NUMBERS_SETTING, "").strip().lower() not in ("off", "0", "no", "av")


def docx_bytes(
    document: RenderedDocument,
    *,
    converter: Converter | None = None,
    where: Location | None = None,
    page_numbers: bool | None = None,
) -> bytes:
    """The .docx with the table of contents' page numbers as LibreOffice laid them out.

    Without LibreOffice (or when it fails) the .docx is as :meth:`RenderedDocument.to_bytes` gives
    it, with the numbers left for Word to fill in when the document is opened, and a
    :class:`HallbardocsWarning` HD615 says so (once per process when LibreOffice is missing).
    ``page_numbers=False`` skips LibreOffice without a warning; ``None`` asks it unless
    :data:`PAGE_NUMBERS_SETTING` is ``off`` (a ``converter`` given means yes).
    """
    global _WARNED_MISSING
    if page_numbers is None:
        page_numbers = converter is not None or page_numbers_wanted()
    if not page_numbers:
        return document.to_bytes()
    targets = _targets(document)
    if not targets or document.document.settings.element.find(_UPDATE_FIELDS) is None:
        return document.to_bytes()  # no table of contents, or its numbers are filled already
    where = where or Location("Word-dokumentet")
    if converter is None and find_soffice() is None:
        if not _WARNED_MISSING:
            _WARNED_MISSING = True
            _warn(where, "LibreOffice finns inte")
        return document.to_bytes()
    try:
        layout = (converter or default_converter()).convert(
            document.to_bytes(), pdf=False, bookmarks=targets, where=where
        )
    except OutputError as exc:
        missing = exc.problem.code in ("HD610", "HD611")
        if not missing or not _WARNED_MISSING:
            _WARNED_MISSING = _WARNED_MISSING or missing
            _warn(where, f"LibreOffice kunde inte användas ({exc.problem.code})")
        return document.to_bytes()
    _fill_page_numbers(document, layout.pages)
    return document.to_bytes()


_UPDATE_FIELDS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields"


def _warn(where: Location, reason: str) -> None:
    message = (
        f"{reason}, så innehållsförteckningens sidnummer fylls i först när dokumentet öppnas i Word, som då "
        "frågar om fälten ska uppdateras. Installera LibreOffice (på Debian `apt-get install "
        "libreoffice-writer-nogui python3-uno`) för att få sidnumren direkt; se docs/pdf.md."
    )
    warnings.warn(HallbardocsWarning(Problem("HD615", message, where, severity="varning")), stacklevel=3)


PUBLISH_FORMATS: dict[str, Callable[..., bytes]] = {
    suffix: pdf_bytes if suffix == ".pdf" else docx_bytes for suffix in DOCUMENT_FORMATS
}
"""What :func:`save` writes, by the output's suffix: the API's :data:`~hallbardocs.DOCUMENT_FORMATS`,
each with its encoder (a tagged PDF, or the .docx with its page numbers)."""


def save(
    document: RenderedDocument,
    path: str | Path,
    *,
    pdfa: bool = False,
    inputs: Iterable[str | Path] = (),
    converter: Converter | None = None,
    page_numbers: bool | None = None,
) -> Path:
    """Write ``document`` atomically to ``path`` in the format its suffix names (.docx or .pdf).

    The suffix and the folder are checked first (HD603, HD601, HD602 for one of ``inputs``), so a
    refused path costs no conversion. ``pdfa`` makes a .pdf PDF/A-2 (a .docx is the same either way).
    """
    from hallbardocs.write import check_output, output_format, write_atomically

    inputs = tuple(inputs)
    encode = output_format(path, PUBLISH_FORMATS)
    check_output(path, inputs=inputs)
    where = Location(str(path))
    if encode is pdf_bytes:
        data = pdf_bytes(document, pdfa=pdfa, converter=converter, where=where)
    else:
        data = docx_bytes(document, converter=converter, where=where, page_numbers=page_numbers)
    return write_atomically(path, data, inputs=inputs)
