"""What characters a document can hold: the one definition every stage uses.

A plan's text ends in XML (a Word document, or an .xlsx for the sector workbooks), and XML 1.0
cannot hold the C0 control characters other than tab, newline and carriage return, a lone UTF-16
surrogate, or U+FFFE and U+FFFF. DEL (U+007F) is allowed by XML but is never meant in a text, and
Word shows it as a box, so it is refused with them. Two of the control characters mean something
to the person who typed them: a vertical tab (Excel's Alt+Enter, Word's Shift+Enter) and a form
feed are a line break made by hand, the :data:`MARKED_BREAKS`.

The loaders warn about these characters and remove them (``load/structured.py``, HD401),
validation cleans every text (``validate.py``), the rich-text reader turns the marked breaks into
line breaks (``richtext.py``), the renderer never writes one (``render/ooxml.py``), and the sector
workbooks leave them out (``collect/outgoing.py``). This module imports nothing of hallbardocs.

>>> NOT_IN_XML.sub("", "rad\\x01 ett\\ufffe")
'rad ett'
>>> bool(NOT_IN_XML.search("tab\\tny rad\\n"))
False
"""

from __future__ import annotations

import re

__all__ = ["MARKED_BREAK", "MARKED_BREAKS", "NOT_IN_XML", "NOT_IN_XML_CLASS"]

NOT_IN_XML_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff"
"""The characters no document text holds, as the inside of a regular expression's ``[...]``."""

NOT_IN_XML = re.compile(f"[{NOT_IN_XML_CLASS}]")
"""One character no document text holds."""

MARKED_BREAKS = "\x0b\x0c"
"""The vertical tab and the form feed: a line break typed by hand in Excel or Word."""

MARKED_BREAK = re.compile(r"[\x0b\x0c]")
"""One of the :data:`MARKED_BREAKS`."""
