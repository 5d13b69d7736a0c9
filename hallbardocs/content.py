"""Content values a document's context holds besides plain text: labels, images, properties.

Context builders create them; the renderer turns them into Word markup. Like
:mod:`hallbardocs.richtext`, this module knows nothing of Word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DocumentProperties", "Image", "Label", "Labels"]


@dataclass(frozen=True, slots=True)
class Label:
    """A focus-area label: text on a coloured background (``fill`` is ``RRGGBB``)."""

    text: str
    fill: str


@dataclass(frozen=True, slots=True)
class Labels:
    """Labels shown side by side in one paragraph (use ``{{r … }}`` in a template)."""

    items: tuple[Label, ...]

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
