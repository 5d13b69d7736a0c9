"""hallbardocs: a Swedish municipality's sustainability documents from structured data.

The pipeline, one stage per module, each usable alone::

    read_plan(path)                 load:     YAML, JSON or .xlsx -> RawDocument (data + locations)
    validate_plan(raw)              validate: -> ValidationResult (Plan or every Problem found)
    handlingsplan_context(plan)     context:  -> template variables, formatted in Swedish
    render_handlingsplan(plan)      render:   -> RenderedDocument in memory (.to_bytes())
    write_handlingsplan(plan, out)  write:    -> an atomically written .docx

Example::

    from hallbardocs import load_plan, write_handlingsplan
    plan = load_plan("examples/handlingsplan.yaml")
    write_handlingsplan(plan, "handlingsplan.docx")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hallbardocs.errors import (
    HallbardocsError,
    InvalidInputError,
    Location,
    OutputError,
    Problem,
    TemplateError,
)
from hallbardocs.load import RawDocument
from hallbardocs.load import load_raw as _load_raw
from hallbardocs.model import Plan
from hallbardocs.validate import ValidationResult, validate_plan

__version__ = "0.1.0"

__all__ = [
    "HallbardocsError",
    "InvalidInputError",
    "Location",
    "OutputError",
    "Plan",
    "Problem",
    "RawDocument",
    "TemplateError",
    "ValidationResult",
    "__version__",
    "check_plan",
    "handlingsplan_context",
    "load_plan",
    "plan_from_data",
    "plan_schema",
    "read_plan",
    "render_handlingsplan",
    "validate_plan",
    "write_handlingsplan",
]


def read_plan(path: str | Path) -> RawDocument:
    """Read a plan file (.yaml, .yml, .json, .xlsx) into raw data, without validating it."""
    return _load_raw(path)


def check_plan(path: str | Path, *, draft: bool = False) -> ValidationResult:
    """Read and validate a plan file; the result holds the plan (if valid) and every problem."""
    return validate_plan(_load_raw(path), draft=draft)


def load_plan(path: str | Path, *, draft: bool = False) -> Plan:
    """Read and validate a plan file; raises :class:`InvalidInputError` listing every problem."""
    return check_plan(path, draft=draft).raise_for_errors()


def plan_from_data(data: dict[str, Any], *, draft: bool = False, base_dir: str | Path | None = None) -> Plan:
    """Validate a plan given as data (the file format's Swedish keys); ``base_dir`` resolves the logo."""
    raw = RawDocument(data, "(data)", Path(base_dir) if base_dir is not None else None)
    return validate_plan(raw, draft=draft).raise_for_errors()


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of a plan file (Swedish keys), for editors and other tools."""
    schema = Plan.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Handlingsplan (hallbardocs)"
    return schema


def handlingsplan_context(plan: Plan) -> dict[str, Any]:
    """The template variables of a handlingsplan (docs/templates.md), for custom rendering."""
    from hallbardocs.documents.handlingsplan import build_context

    return build_context(plan)


def render_handlingsplan(plan: Plan, *, template: str | Path | bytes | None = None) -> Any:
    """Render a plan into its Word document in memory; ``.to_bytes()`` gives the .docx.

    ``template`` is a path or the bytes of a .docx template; None uses the shipped default.
    """
    from hallbardocs.documents.handlingsplan import KIND, build_context, document_properties
    from hallbardocs.render import render

    return render(build_context(plan), document_properties(plan), kind=KIND, template=template)


def write_handlingsplan(
    plan: Plan,
    output: str | Path,
    *,
    template: str | Path | bytes | None = None,
    inputs: tuple[str | Path, ...] = (),
) -> Path:
    """Render a plan and write the .docx atomically to ``output`` (never over one of ``inputs``)."""
    from hallbardocs.write import write_atomically

    data = render_handlingsplan(plan, template=template).to_bytes()
    return write_atomically(output, data, inputs=inputs)
