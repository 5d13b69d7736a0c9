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
from typing import TYPE_CHECKING, Any

from hallbardocs.documents.registry import KINDS, DocumentKind, register
from hallbardocs.errors import (
    HallbardocsError,
    HallbardocsWarning,
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

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hallbardocs.analysis import FollowUpAnalysis
    from hallbardocs.collect import ExportedWorkbook, ImportResult
    from hallbardocs.committee import committee_package
    from hallbardocs.documents.registry import Sources
    from hallbardocs.jobs import (
        JobResult,
        convert_plan,
        import_followup,
        make_document,
        make_followup_workbooks,
        make_package,
        review_file,
        update_followup,
        write_followup_workbooks,
    )
    from hallbardocs.model.followup import FollowUp, Period, StatusScale
    from hallbardocs.render import RenderedDocument, RenderLimits
    from hallbardocs.review import review_document
    from hallbardocs.templating import check_template, make_template
    from hallbardocs.validate_followup import FollowUpResult

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "DOCUMENT_FORMATS",
    # errors
    "HallbardocsError",
    "InvalidInputError",
    "TemplateError",
    "OutputError",
    "HallbardocsWarning",
    "Problem",
    "Location",
    # every document, through the registry
    "DocumentKind",
    "KINDS",
    "register",
    "RenderedDocument",
    "RenderLimits",
    "render_document",
    "render_sources",
    "write_document",
    # whole jobs, from files (what the command line does)
    "JobResult",
    "make_document",
    "make_followup_workbooks",
    "make_package",
    "committee_package",
    "import_followup",
    "convert_plan",
    "check_template",
    "make_template",
    # the accessibility review (hallbardocs granska)
    "review_document",
    "review_file",
    # the plan
    "Plan",
    "RawDocument",
    "ValidationResult",
    "read_plan",
    "validate_plan",
    "check_plan",
    "load_plan",
    "plan_from_data",
    "plan_schema",
    "handlingsplan_context",
    "render_handlingsplan",
    "write_handlingsplan",
    "input_files",
    # the follow-up
    "FollowUp",
    "FollowUpResult",
    "FollowUpAnalysis",
    "check_followup",
    "load_followup",
    "followup_schema",
    "analyse_followup",
    "render_miljobokslut",
    "write_miljobokslut",
    "render_tjansteskrivelse",
    "write_tjansteskrivelse",
    "Period",
    "StatusScale",
    "ExportedWorkbook",
    "ImportResult",
    "export_followup_workbooks",
    "write_followup_workbooks",
    "import_followup_workbooks",
    "update_followup",
]


# The follow-up's classes load when first used, so a command about the plan does not pay for them.
_LAZY = {
    "FollowUp": "hallbardocs.model.followup",
    "Period": "hallbardocs.model.followup",
    "StatusScale": "hallbardocs.model.followup",
    "FollowUpResult": "hallbardocs.validate_followup",
    "FollowUpAnalysis": "hallbardocs.analysis",
    "ExportedWorkbook": "hallbardocs.collect",
    "ImportResult": "hallbardocs.collect",
    "RenderedDocument": "hallbardocs.render",
    "RenderLimits": "hallbardocs.render",
    "JobResult": "hallbardocs.jobs",
    "check_template": "hallbardocs.templating",
    "make_template": "hallbardocs.templating",
    "make_document": "hallbardocs.jobs",
    "make_followup_workbooks": "hallbardocs.jobs",
    "make_package": "hallbardocs.jobs",
    "committee_package": "hallbardocs.committee",
    "import_followup": "hallbardocs.jobs",
    "convert_plan": "hallbardocs.jobs",
    "write_followup_workbooks": "hallbardocs.jobs",
    "update_followup": "hallbardocs.jobs",
    "review_file": "hallbardocs.jobs",
    "review_document": "hallbardocs.review",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hallbardocs' has no attribute {name!r}")


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


def handlingsplan_context(plan: Plan, *, draft: bool = False) -> dict[str, Any]:
    """The template variables of a handlingsplan (docs/templates.md), for custom rendering."""
    from hallbardocs.documents.handlingsplan import build_context

    return build_context(plan, draft=draft)


def render_document(
    kind: str | DocumentKind,
    plan: Plan,
    followup: FollowUp | None = None,
    *,
    template: str | Path | bytes | None = None,
    draft: bool = False,
    limits: RenderLimits | None = None,
) -> RenderedDocument:
    """Render a document of ``kind`` (``"handlingsplan"``, ``"miljobokslut"``, ``"tjansteskrivelse"`` or
    one you registered) in memory. The follow-up documents need ``followup``.

    ``template`` is a path or the bytes of a .docx template; None uses the kind's default.
    ``draft=True`` marks the document as an utkast. Raises :class:`InvalidInputError` when the
    sources cannot make this document (HD101), :class:`TemplateError` for a template problem.
    """
    from hallbardocs.documents.registry import Sources, document_kind

    spec = document_kind(kind)
    if spec.needs_followup and followup is None:
        message = f"För {spec.description} behövs en uppföljning, men ingen gavs."
        raise InvalidInputError([Problem("HD101", message, Location("(uppföljning)"))])
    return render_sources(spec, Sources(plan, followup, draft=draft), template=template, limits=limits)


def render_sources(
    spec: DocumentKind,
    sources: Sources,
    *,
    template: str | Path | bytes | None = None,
    limits: RenderLimits | None = None,
) -> RenderedDocument:
    """:func:`render_document` from :class:`~hallbardocs.documents.registry.Sources` that several
    documents share (the committee package: the analysis is made and the charts drawn once)."""
    from hallbardocs.render import render

    problems = spec.requirements(sources)
    if any(p.is_error for p in problems):
        raise InvalidInputError(problems)
    chosen = template if template is not None else spec.template
    return render(spec.context(sources), spec.properties(sources), kind=spec.name, template=chosen, limits=limits)


def write_document(
    kind: str | DocumentKind,
    plan: Plan,
    outputs: str | Path | Sequence[str | Path],
    followup: FollowUp | None = None,
    *,
    template: str | Path | bytes | None = None,
    inputs: Sequence[str | Path] = (),
    draft: bool = False,
    pdfa: bool = False,
) -> list[Path]:
    """Render a document of ``kind`` once and write it to each of ``outputs``, atomically, in the
    format its suffix names (:data:`DOCUMENT_FORMATS`: .docx, or a tagged .pdf, PDF/A-2 with
    ``pdfa``). Where LibreOffice is available, a .docx gets its table of contents' page numbers
    from the same layout as the PDF (docs/pdf.md).

    Every output is checked before anything is rendered: its suffix must be a known format
    (HD603), its folder must exist (HD601), and it must not be one of ``inputs``, the plan's logo or
    the template (HD602)."""
    from hallbardocs.write import check_output, output_format

    paths = [Path(outputs)] if isinstance(outputs, str | Path) else [Path(o) for o in outputs]
    protected = (*inputs, *input_files(plan=plan, template=template))
    for path in paths:
        output_format(path, DOCUMENT_FORMATS)
        check_output(path, inputs=protected)
    rendered = render_document(kind, plan, followup, template=template, draft=draft)
    # A PDF first: its layout gives the .docx its page numbers without a second conversion.
    order = sorted(range(len(paths)), key=lambda i: paths[i].suffix.lower() != ".pdf")
    written = {i: rendered.save(paths[i], pdfa=pdfa, inputs=protected) for i in order}
    return [written[i] for i in range(len(paths))]


def render_handlingsplan(
    plan: Plan, *, template: str | Path | bytes | None = None, draft: bool = False
) -> RenderedDocument:
    """Render a plan into its Word document in memory; ``.to_bytes()`` gives the .docx (see
    :func:`render_document`)."""
    return render_document("handlingsplan", plan, template=template, draft=draft)


def input_files(
    plan_file: str | Path | None = None,
    plan: Plan | None = None,
    *,
    template: str | Path | bytes | None = None,
    followup_file: str | Path | None = None,
    workbooks: Sequence[str | Path] = (),
) -> tuple[Path, ...]:
    """Every file a command reads, which no output may overwrite (HD602): the plan file and its logo,
    the template, the follow-up file and the indicator files it names (``fil:``, ``kolada:``), and
    the sector workbooks."""
    found: list[Path] = []
    if plan_file is not None:
        found.append(Path(plan_file))
    if plan is not None and plan.municipality.logo is not None:
        found.append(plan.municipality.logo)
    if isinstance(template, (str, Path)):
        found.append(Path(template))
    if followup_file is not None:
        found.append(Path(followup_file))
        found.extend(_indicator_files(followup_file))
    found.extend(Path(w) for w in workbooks)
    return tuple(found)


def _indicator_files(followup_file: str | Path) -> list[Path]:
    """The CSV and Kolada files a follow-up file names, relative to its folder."""
    raw = _load_raw(followup_file)
    entries = raw.data.get("indikatorer") if isinstance(raw.data, dict) else None
    base = raw.base_dir or Path(followup_file).parent
    files: list[Path] = []
    for entry in entries if isinstance(entries, list) else ():
        for key in ("fil", "kolada"):
            name = entry.get(key) if isinstance(entry, dict) else None
            if isinstance(name, str) and name.strip():
                files.append(base / name.strip())
    return files


DOCUMENT_FORMATS: dict[str, str] = {".docx": "Word-dokument", ".pdf": "PDF"}
"""What a document can be written as: output suffix -> what it is (:meth:`RenderedDocument.save` writes each;
``hallbardocs.publish.PUBLISH_FORMATS``, what it dispatches on, is made from this table)."""


def write_handlingsplan(
    plan: Plan,
    output: str | Path,
    *,
    template: str | Path | bytes | None = None,
    inputs: tuple[str | Path, ...] = (),
    draft: bool = False,
) -> Path:
    """Render a plan and write the .docx atomically to ``output``, checked as by :func:`write_document`."""
    return write_document("handlingsplan", plan, output, template=template, inputs=inputs, draft=draft)[0]


# -- the follow-up ----------------------------------------------------------------------------


def check_followup(path: str | Path, plan: Plan, *, draft: bool = False) -> FollowUpResult:
    """Read a follow-up file (YAML/JSON), expand its indicator files (CSV, Kolada), and validate it
    against its plan; the result holds the follow-up (if valid) and every problem."""
    from hallbardocs.load import load_followup_raw
    from hallbardocs.validate_followup import validate_followup

    return validate_followup(load_followup_raw(path), plan, draft=draft)


def load_followup(path: str | Path, plan: Plan, *, draft: bool = False) -> FollowUp:
    """Read and validate a follow-up; raises :class:`InvalidInputError` listing every problem."""
    return check_followup(path, plan, draft=draft).raise_for_errors()


def followup_schema() -> dict[str, Any]:
    """The JSON Schema of a follow-up file (Swedish keys)."""
    from hallbardocs.model.followup import FollowUp

    schema = FollowUp.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Uppföljning (hallbardocs)"
    return schema


def analyse_followup(plan: Plan, followup: FollowUp) -> FollowUpAnalysis:
    """Each activity's and measure's status, the counts, the deviations and the indicator results."""
    from hallbardocs.analysis import analyse

    return analyse(plan, followup)


def render_miljobokslut(
    plan: Plan, followup: FollowUp, *, template: str | Path | bytes | None = None, draft: bool = False
) -> RenderedDocument:
    """The environmental accounts (miljöbokslut) in memory; ``.to_bytes()`` gives the .docx."""
    return render_document("miljobokslut", plan, followup, template=template, draft=draft)


def write_miljobokslut(
    plan: Plan,
    followup: FollowUp,
    output: str | Path,
    *,
    template: str | Path | bytes | None = None,
    inputs: tuple[str | Path, ...] = (),
    draft: bool = False,
) -> Path:
    """Render the miljöbokslut and write the .docx atomically, checked as by :func:`write_document`."""
    return write_document("miljobokslut", plan, output, followup, template=template, inputs=inputs, draft=draft)[0]


def render_tjansteskrivelse(
    plan: Plan, followup: FollowUp, *, template: str | Path | bytes | None = None, draft: bool = False
) -> RenderedDocument:
    """The committee report (tjänsteskrivelse) in memory; needs the follow-up's ``tjänsteskrivelse``
    texts, and without them raises :class:`InvalidInputError` (HD101)."""
    return render_document("tjansteskrivelse", plan, followup, template=template, draft=draft)


def write_tjansteskrivelse(
    plan: Plan,
    followup: FollowUp,
    output: str | Path,
    *,
    template: str | Path | bytes | None = None,
    inputs: tuple[str | Path, ...] = (),
    draft: bool = False,
) -> Path:
    """Render the tjänsteskrivelse and write the .docx atomically, checked as by :func:`write_document`."""
    return write_document("tjansteskrivelse", plan, output, followup, template=template, inputs=inputs, draft=draft)[0]


def export_followup_workbooks(
    plan: Plan,
    period: Period,
    scale: StatusScale,
    *,
    units: Sequence[str] | None = None,
    previous: FollowUp | None = None,
) -> list[ExportedWorkbook]:
    """One .xlsx per sector/company, listing that unit's activities for the period (in memory)."""
    from hallbardocs.collect import export_workbooks

    return export_workbooks(plan, period, scale, units=units, previous=previous)


def import_followup_workbooks(
    files: Sequence[str | Path], plan: Plan, *, existing: FollowUp | None = None
) -> ImportResult:
    """Read returned workbooks back: the reports, the period, and every problem (per file and cell)."""
    from hallbardocs.collect import import_workbooks

    return import_workbooks([Path(f) for f in files], plan, existing=existing)
