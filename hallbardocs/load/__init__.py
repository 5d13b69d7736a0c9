"""Reading input files into raw data with source locations (line, or sheet and cell)."""

from __future__ import annotations

from pathlib import Path

from hallbardocs.errors import Location, Problem
from hallbardocs.load.source import FieldPath, RawDocument, format_field_path

__all__ = ["SUFFIXES", "FieldPath", "RawDocument", "format_field_path", "load_raw"]

SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def load_raw(path: str | Path) -> RawDocument:
    """Read a plan file (YAML, JSON or Excel) into raw data; problems are collected, not raised."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from hallbardocs.load.structured import load_yaml

        return load_yaml(path, name)
    if suffix == ".json":
        from hallbardocs.load.structured import load_json

        return load_json(path, name)
    if suffix == ".xlsx":
        from hallbardocs.load.workbook import load_plan_workbook

        return load_plan_workbook(path, name)
    return RawDocument(
        None,
        name,
        path.parent,
        [
            Problem(
                "HD004",
                f"Filtypen ”{path.suffix or '(ingen)'}” stöds inte. Använd .yaml, .yml, .json eller .xlsx.",
                Location(name),
            )
        ],
    )
