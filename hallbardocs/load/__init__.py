"""Reading input files into raw data with source locations (line, or sheet and cell).

:data:`READERS` is the one table of the file types a plan or a follow-up can be read from: the
suffix, a description in Swedish (for messages and the command line's help) and the reader. The
reader of a type loads its machinery (PyYAML, openpyxl) when first used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hallbardocs.errors import Location, Problem
from hallbardocs.load.source import FieldPath, RawDocument, format_field_path

__all__ = [
    "READERS",
    "SUFFIXES",
    "FieldPath",
    "RawDocument",
    "Reader",
    "format_field_path",
    "load_followup_raw",
    "load_raw",
    "suffixes_text",
    "with_indicators",
]


@dataclass(frozen=True)
class Reader:
    """A file type that can be read: its suffix, what it is (Swedish), and its reader (path, name)."""

    suffix: str
    description: str
    read: Callable[[Path, str], RawDocument]


def _yaml(path: Path, name: str) -> RawDocument:
    from hallbardocs.load.structured import load_yaml

    return load_yaml(path, name)


def _json(path: Path, name: str) -> RawDocument:
    from hallbardocs.load.structured import load_json

    return load_json(path, name)


def _xlsx(path: Path, name: str) -> RawDocument:
    from hallbardocs.load.workbook import load_plan_workbook

    return load_plan_workbook(path, name)


READERS: dict[str, Reader] = {
    reader.suffix: reader
    for reader in (
        Reader(".yaml", "YAML", _yaml),
        Reader(".yml", "YAML", _yaml),
        Reader(".json", "JSON", _json),
        Reader(".xlsx", "Excel-arbetsbok", _xlsx),
    )
}
"""What a plan or follow-up file can be read from: suffix -> its :class:`Reader`."""

SUFFIXES = tuple(READERS)


def suffixes_text(conjunction: str = "eller") -> str:
    """The readable suffixes as a Swedish list.

    >>> suffixes_text()
    '.yaml, .yml, .json eller .xlsx'
    """
    *most, last = READERS
    return f"{', '.join(most)} {conjunction} {last}" if most else last


def load_raw(path: str | Path) -> RawDocument:
    """Read a plan file (YAML, JSON or Excel) into raw data; problems are collected, not raised."""
    path = Path(path)
    name = str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        return reader.read(path, name)
    return RawDocument(
        None,
        name,
        path.parent,
        [
            Problem(
                "HD004",
                f"Filtypen ”{path.suffix or '(ingen)'}” stöds inte. Använd {suffixes_text()}.",
                Location(name),
            )
        ],
    )


def with_indicators(raw: RawDocument) -> RawDocument:
    """A follow-up's raw document with its indicator files (CSV, Kolada) expanded, and their
    problems added; a new :class:`RawDocument`, ``raw`` is not changed."""
    if not isinstance(raw.data, dict) or raw.base_dir is None:
        return raw
    from hallbardocs.load.indicators import expand_indicators

    data, problems = expand_indicators(raw.data, raw.base_dir, raw.name)
    return dataclasses.replace(raw, data=data, problems=[*raw.problems, *problems])


def load_followup_raw(path: str | Path) -> RawDocument:
    """Read a follow-up file (YAML, JSON) into raw data, with its indicator files expanded."""
    return with_indicators(load_raw(path))
