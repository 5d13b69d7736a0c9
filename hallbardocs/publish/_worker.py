"""The UNO side of the warm converter: run by LibreOffice's own Python, never imported by hallbardocs.

``python3 _worker.py CONNECTION DEADLINE [FOLDER]`` connects to the LibreOffice process listening on
``CONNECTION`` (a UNO connection string such as ``pipe,name=hd-1234``), waiting for it to come up
until the ``DEADLINE`` (seconds since the epoch), says ``{"ready": true}`` on standard output, and
then answers one JSON request a line on standard input with one JSON answer a line (when its
input ends without a ``{"quit": true}``, our process has died: it ends LibreOffice and removes
``FOLDER``, the temporary folder of LibreOffice's profile):

    {"input": "/tmp/x/in.docx", "output": "/tmp/x/out.pdf", "pdfa": false, "bookmarks": ["_Toc1"]}
    -> {"ok": true, "pages": {"_Toc1": 4}, "page_count": 12}
    -> {"ok": false, "error": "..."}

For each document it updates every field and index twice (a table of contents that grows moves
the pages after it, so the second pass gives the final numbers), reads the page of each named
bookmark from the layout, and exports a tagged PDF (``output`` may be empty: pages only).

This file imports only the standard library and LibreOffice's ``uno``, so it runs under the Python
that LibreOffice ships or that python3-uno belongs to, whatever the user's own Python is.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
import time
from typing import Any


def _properties(uno: Any, **values: Any) -> tuple[Any, ...]:
    from com.sun.star.beans import PropertyValue

    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def _connect(uno: Any, connection: str, deadline: float) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            context = resolver.resolve(f"uno:{connection};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def _index_lines(document: Any) -> list[str]:
    """The paragraphs of every index (the tables of contents), in document order."""
    if not hasattr(document, "getDocumentIndexes"):
        return []
    indexes = document.getDocumentIndexes()
    lines: list[str] = []
    for i in range(indexes.getCount()):
        lines += indexes.getByIndex(i).getAnchor().getString().splitlines()
    return lines


def _update(document: Any) -> list[str]:
    """Refresh every field and update every index; returns the indexes' paragraphs.

    The entries hallbardocs writes are all there before the update (only their page numbers are
    missing), so one pass is enough; when an update changes how many lines an index has, the pages
    after it move and a second pass gives the final numbers.
    """
    before = _index_lines(document)
    after = before
    for _ in range(2):
        if hasattr(document, "getTextFields"):
            document.getTextFields().refresh()
        if hasattr(document, "getDocumentIndexes"):
            indexes = document.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
        if hasattr(document, "refresh"):
            document.refresh()
        after = _index_lines(document)
        if len(after) == len(before):
            break
        before = after
    return after


_PAGE = re.compile(r"\t(\d+)$")


def _pages(document: Any, names: list[str], lines: list[str]) -> dict[str, int]:
    """The page each bookmark stands on. The updated table of contents says it, an entry a
    bookmark in the same order, as the page is numbered; when its entries do not match the
    bookmarks one to one, the layout's physical page of each bookmark is asked for instead."""
    numbers = [int(m.group(1)) for line in lines if (m := _PAGE.search(line))]
    if len(numbers) == len(names):
        return dict(zip(names, numbers, strict=True))
    bookmarks = document.getBookmarks()
    cursor = document.getCurrentController().getViewCursor()
    found: dict[str, int] = {}
    for name in names:
        if bookmarks.hasByName(name):
            cursor.gotoRange(bookmarks.getByName(name).getAnchor().getStart(), False)
            found[name] = int(cursor.getPage())
    return found


def _filter_data(uno: Any, pdfa: bool) -> Any:
    data = {
        "UseTaggedPDF": True,
        "ExportBookmarks": True,
        "ExportBookmarksToPDFDestination": False,
        "DisplayPDFDocumentTitle": True,
        "ExportNotes": False,
        "UseLosslessCompression": False,
        "Quality": 90,
        "PDFUACompliance": True,
    }
    if pdfa:
        data["SelectPdfVersion"] = 2
    return uno.Any("[]com.sun.star.beans.PropertyValue", _properties(uno, **data))


def _convert(uno: Any, desktop: Any, request: dict[str, Any], opened: list[Any]) -> dict[str, Any]:
    """Convert one document; it is left open in ``opened``, to be closed after the answer is sent
    (our process need not wait for that)."""
    started = time.perf_counter()
    url = uno.systemPathToFileUrl(request["input"])
    document = desktop.loadComponentFromURL(
        url, "_blank", 0, _properties(uno, Hidden=True, ReadOnly=True, UpdateDocMode=1)
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    opened.append(document)
    loaded = time.perf_counter()
    lines = _update(document)
    updated = time.perf_counter()
    pages = _pages(document, list(request.get("bookmarks") or []), lines)
    page_count = int(document.getCurrentController().getPropertyValue("PageCount"))
    if request.get("output"):
        export = _properties(
            uno,
            FilterName="writer_pdf_Export",
            FilterData=_filter_data(uno, bool(request.get("pdfa"))),
            Overwrite=True,
        )
        document.storeToURL(uno.systemPathToFileUrl(request["output"]), export)
    exported = time.perf_counter()
    timings = {"load": loaded - started, "update": updated - loaded, "pages_export": exported - updated}
    return {"ok": True, "pages": pages, "page_count": page_count, "timings": timings}


def _answer(value: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


NO_UNO = 3
"""The exit status when this Python cannot import ``uno``."""


def main(argv: list[str]) -> int:
    try:
        import uno
    except ImportError as exc:
        _answer({"ready": False, "error": f"no uno: {exc}"})
        return NO_UNO
    connection, deadline = argv[0], float(argv[1])
    try:
        desktop = _connect(uno, connection, deadline)
    except Exception as exc:
        _answer({"ready": False, "error": f"{type(exc).__name__}: {exc}".strip()})
        return 1
    _answer({"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("quit"):
            with contextlib.suppress(Exception):  # LibreOffice may already be going
                desktop.terminate()
            return 0
        opened: list[Any] = []
        try:
            answer = _convert(uno, desktop, request, opened)
        except Exception as exc:  # reported to our process, which turns it into a coded error
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()}
        _answer(answer)
        for document in opened:
            with contextlib.suppress(Exception):
                document.close(True)
    with contextlib.suppress(Exception):  # our process has gone without a word: LibreOffice goes too
        desktop.terminate()
    if len(argv) > 2:  # and so does the folder of its profile and documents, once LibreOffice has let go
        time.sleep(1)
        shutil.rmtree(argv[2], ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
