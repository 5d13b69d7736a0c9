"""Content values a document's context holds besides plain text: labels, images, properties.

Context builders create them; the renderer turns them into Word markup. Like
:mod:`hallbardocs.richtext`, this module knows nothing of Word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

_ELLIPSIS = "…"
_TRAILING = " \t\n,;:–-"

__all__ = ["DocumentProperties", "Image", "Label", "Labels", "shorten"]


@dataclass(frozen=True, slots=True)
class Label:
    """A label (a focus area, a status): text in a box of colour ``fill`` (``RRGGBB``); the renderer
    picks black or white text, whichever reads better on it."""

    text: str
    fill: str


@dataclass(frozen=True, slots=True)
class Labels:
    """Labels shown side by side in one paragraph (use ``{{r … }}`` in a template), in the template's
    character style ``style`` (``Fokusområdesetikett`` where the template lacks it)."""

    items: tuple[Label, ...]
    style: str = "Fokusområdesetikett"

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True, slots=True)
class Image:
    """A picture: a file or the bytes of a PNG/JPEG, its width in millimetres, and its alt text
    (empty means decorative)."""

    source: Path | bytes = field(repr=False)  # never shown: a template must not learn a path
    width_mm: float
    alt_text: str


@dataclass(frozen=True)
class DocumentProperties:
    """Core properties of the written document (File → Properties in Word)."""

    title: str
    author: str
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "sv-SE"
    comments: str = "Skapat med hallbardocs"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending in "…" when cut.

    A Word document's core properties (title, subject, keywords …) hold at most 255 characters.
    Whole words are kept, and a separator left dangling before the "…" goes; a single word longer
    than the limit is cut inside.

    >>> shorten("Klimat, Energi, Biologisk mångfald", 26)
    'Klimat, Energi, Biologisk…'
    >>> shorten("Klimat, Energi, Biologisk mångfald", 22)
    'Klimat, Energi…'
    >>> shorten("Kort titel", 255)
    'Kort titel'
    >>> shorten("Donaudampfschiffahrtsgesellschaft", 10)
    'Donaudamp…'
    """
    if len(text) <= limit:
        return text
    if limit < 1:
        return ""
    room = limit - len(_ELLIPSIS)
    head = text[: room + 1]  # one more: it tells whether the cut falls just before a space
    cut = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    kept = text[:cut] if cut > 0 else text[:room]
    kept = kept.rstrip(_TRAILING) or text[:room]
    return kept + _ELLIPSIS
