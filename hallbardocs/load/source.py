"""What a loader gives: raw data (dicts, lists, scalars) and a way to say where a value came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hallbardocs.errors import Location, Problem

__all__ = ["FieldPath", "RawDocument", "format_field_path"]

FieldPath = tuple[str | int, ...]
"""A value's place in the raw data: ``("åtgärder", 3, "ansvariga", 1)``."""


def format_field_path(path: FieldPath) -> str:
    """The path as a user writes it.

    >>> format_field_path(("åtgärder", 3, "ansvariga", 1))
    'åtgärder[4].ansvariga[2]'
    """
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step + 1}]"
        else:
            out += ("." if out else "") + (step if len(step) <= _LONGEST_STEP else step[:40] + "…")
    return out


_LONGEST_STEP = 60
"""A key longer than this (a pasted text, a hostile file) is shown by its first 40 characters."""


@dataclass(slots=True)
class RawDocument:
    """A loaded input file: its data, where it came from, and the problems found while reading it.

    ``locate`` maps a field path to a place in the file (line, or sheet and cell). It may do work
    (parse the file again for line numbers), so it is only called when there is a problem to report.
    """

    data: Any
    name: str
    base_dir: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    locator: Callable[[FieldPath], Location] | None = None

    def locate(self, path: FieldPath) -> Location:
        """Where the value at ``path`` (or the nearest enclosing value that exists) is."""
        field_name = format_field_path(path) or None
        if self.locator is None:
            return Location(self.name, field=field_name)
        found = self.locator(path)
        return Location(found.file, found.line, found.sheet, found.cell, field_name)
