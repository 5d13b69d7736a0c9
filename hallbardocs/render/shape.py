"""The shape of a template's context: the keys of each mapping, the merged shape of each list's items.

The template check (:mod:`hallbardocs.render.lint`) judges a tag's variable against the shape of the
document kind's context, and gives docxtpl-lint a sample of it to check the data with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hallbardocs.content import Image, Labels
from hallbardocs.richtext import RichText

__all__ = ["LEAF", "OPAQUE", "ListShape", "Shape", "context_shape", "sample_data", "unknown_name"]


class _Opaque:
    """One of our own values (rich text, labels, an image): placed whole, never looked into."""

    def __repr__(self) -> str:
        return "OPAQUE"


class _Leaf:
    def __repr__(self) -> str:
        return "LEAF"


OPAQUE = _Opaque()
LEAF = _Leaf()


@dataclass(frozen=True)
class ListShape:
    """A list whose items have the shape ``item`` (``None``: no item seen, so nothing is known)."""

    item: Shape | None


Shape = dict[str, "Shape"] | ListShape | _Opaque | _Leaf
"""What a context holds: the keys of each mapping, the merged shape of each list's items."""


def _merge(a: Shape | None, b: Shape) -> Shape:
    if a is None:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for key, value in b.items():
            out[key] = _merge(out.get(key), value)
        return out
    if isinstance(a, ListShape) and isinstance(b, ListShape):
        if b.item is None:
            return a
        return ListShape(_merge(a.item, b.item))
    if isinstance(a, _Leaf):
        return b
    return a


_SAMPLED = 25
"""How many items of a list the shape is taken from (the first ones and the last five): a context's
lists are built item by item alike, and what the sample leaves unknown (a list empty in every item
seen) is left to the render, which stops at a missing variable itself (HD503)."""


def context_shape(value: Any) -> Shape:
    """The shape of a context (or of any value in it), from a sample of each list's items."""
    if isinstance(value, Mapping):
        return {str(k): context_shape(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        item: Shape | None = None
        sample = value if len(value) <= _SAMPLED else [*value[: _SAMPLED - 5], *value[-5:]]
        for x in sample:
            item = _merge(item, context_shape(x))
        return ListShape(item)
    if isinstance(value, RichText | Labels | Image):
        return OPAQUE
    return LEAF


def sample_data(shape: Shape | None) -> Any:
    """Data of ``shape`` for docxtpl-lint's data check: one item a list."""
    if isinstance(shape, dict):
        return {k: sample_data(v) for k, v in shape.items()}
    if isinstance(shape, ListShape):
        return [] if shape.item is None else [sample_data(shape.item)]
    return "x"


def unknown_name(shape: Shape, path: str) -> tuple[str, list[str]] | None:
    """The first name of ``path`` (``åtgärder[*].rubik``) that ``shape`` does not have, and the names
    it has there; ``None`` if the path exists or cannot be judged (an opaque value, an empty list)."""
    current: Shape | None = shape
    for part in path.split("."):
        is_list = part.endswith("[*]")
        name = part[:-3] if is_list else part
        if not isinstance(current, dict):
            return None  # through an opaque value (the sandbox refuses it) or a text: not ours to judge
        if name not in current:
            return name, sorted(current)
        current = current[name]
        if is_list:
            if not isinstance(current, ListShape):
                return None
            current = current.item
            if current is None:
                return None
    return None
