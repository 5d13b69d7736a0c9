"""The accessibility review of a finished document (``hallbardocs granska``): a .docx or a PDF.

:func:`review_document` reads the file and returns what DOS-lagen (WCAG 2.1 AA) asks of it that a
program can check, as :class:`~hallbardocs.errors.Problem` objects HD540–HD556 located by paragraph,
table cell or page. The .docx checks are :mod:`hallbardocs.render.review`'s, the PDF checks
:mod:`hallbardocs.publish.review`'s; docs/accessibility.md describes them and what is left to a person.
"""

from __future__ import annotations

from pathlib import Path

from hallbardocs.errors import Location, Problem

__all__ = ["REVIEWED_FORMATS", "review_document"]

REVIEWED_FORMATS = (".docx", ".pdf")


def review_document(path: str | Path) -> list[Problem]:
    """The accessibility problems of the .docx or .pdf at ``path``, in document order by check.

    A file that cannot be read is HD001, another suffix HD004, a damaged document HD556; the file
    is only read, never changed."""
    from hallbardocs.files import TEMPLATE_LIMIT, UnreadableFile, read_user_file

    name = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in REVIEWED_FORMATS:
        message = f"Filtypen ”{suffix or '(ingen)'}” kan inte granskas; granska ett Word-dokument (.docx) eller en PDF (.pdf)."
        return [Problem("HD004", message, Location(name))]
    try:
        content = read_user_file(path, TEMPLATE_LIMIT)
    except UnreadableFile as exc:
        return [Problem("HD001", f"Filen kunde inte läsas: {exc.reason}.", Location(name))]
    if suffix == ".pdf":
        from hallbardocs.publish.review import review_pdf

        return review_pdf(content, name)
    from hallbardocs.render.review import review_docx_bytes

    return review_docx_bytes(content, name)
