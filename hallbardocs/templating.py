"""A municipality's own template: check it (``mall kontrollera``), make one from its graphic profile
(``mall ny``). Both are whole jobs, from files to written outputs; nothing here prints.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from hallbardocs.errors import Location, Problem, TemplateError

if TYPE_CHECKING:
    from hallbardocs.documents.registry import DocumentKind
    from hallbardocs.jobs import JobResult
    from hallbardocs.render.lint import Shape

__all__ = ["check_template", "make_template"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
"""The shipped example, whose context gives each kind's variables."""


@functools.cache
def _example_shape(kind: str) -> Shape | None:
    """The shape of ``kind``'s context made from the shipped example (``None`` without the example)."""
    from hallbardocs import load_followup, load_plan
    from hallbardocs.documents.registry import Sources, document_kind
    from hallbardocs.render.lint import context_shape

    spec = document_kind(kind)
    plan_file, followup_file = EXAMPLES / "handlingsplan.yaml", EXAMPLES / "uppfoljning.yaml"
    if not plan_file.is_file() or (spec.needs_followup and not followup_file.is_file()):
        return None  # pragma: no cover - an install without the example: the variables are checked as it renders
    plan = load_plan(plan_file, draft=True)
    followup = load_followup(followup_file, plan, draft=True) if spec.needs_followup else None
    sources = Sources(plan, followup, draft=True)
    if spec.requirements(sources):
        return None  # pragma: no cover - the example lacks what this kind needs
    return context_shape(spec.context(sources))


def _template_content(path: str | Path, what: str) -> bytes:
    from hallbardocs.files import TEMPLATE_LIMIT, UnreadableFile, read_user_file

    try:
        content = read_user_file(Path(path), TEMPLATE_LIMIT)
    except UnreadableFile as exc:
        raise TemplateError(Problem("HD501", f"{what} kunde inte läsas: {exc.reason}.", Location(str(path)))) from None
    if not content.startswith(b"PK\x03\x04"):
        raise TemplateError(Problem("HD501", f"{what} är inget Word-dokument (.docx eller .dotx).", Location(str(path))))
    return content


def check_template(
    template: str | Path, kind: str | DocumentKind, *, fixed: str | Path | None = None
) -> JobResult:
    """The ``mall kontrollera`` job: every problem of ``template`` for a document of ``kind``, errors
    and warnings, in :attr:`JobResult.problems` (nothing is raised for what the check finds; a file
    that is no Word document at all is a :class:`TemplateError`). With ``fixed``, a copy with Word's
    smart quotes inside tags made straight is written there (never over the template)."""
    from hallbardocs.documents.registry import document_kind
    from hallbardocs.jobs import JobResult
    from hallbardocs.render import lint, package
    from hallbardocs.write import check_output, write_atomically

    spec = document_kind(kind)
    if fixed is not None:
        check_output(Path(fixed), inputs=[template])
    content = package.checked_package(_template_content(template, "Mallen"), str(template))
    problems = lint.check_template(content, str(template), kind=spec.name, shape=_example_shape(spec.name))
    paths: list[Path] = []
    if fixed is not None:
        straight, changed = lint.straightened(content)
        paths.append(write_atomically(Path(fixed), straight, inputs=[template]))
        if changed:
            after = lint.check_template(straight, str(fixed), kind=spec.name, shape=_example_shape(spec.name))
            problems = [p for p in problems if p.code != "HD525"] + [p for p in after if p.code == "HD525"]
    return JobResult(paths, problems)


def make_template(kind: str | DocumentKind, profile: str | Path, output: str | Path) -> JobResult:
    """The ``mall ny`` job: the default template of ``kind`` in the graphic profile of ``profile`` (a
    .dotx or .docx), written to ``output``; what ``mall kontrollera`` finds in the result is in
    :attr:`JobResult.problems`."""
    from hallbardocs.documents.registry import document_kind
    from hallbardocs.jobs import JobResult
    from hallbardocs.render import default_template, lint, package
    from hallbardocs.render import profile as _profile
    from hallbardocs.write import check_output, write_atomically

    spec = document_kind(kind)
    target = Path(output)
    if target.suffix.lower() not in (".docx",):
        from hallbardocs.errors import OutputError

        message = f"Mallen skrivs som .docx; ”{target.suffix or target.name}” går inte."
        raise OutputError(Problem("HD603", message, Location(str(target))))
    ours = spec.template if spec.template is not None else default_template(spec.name)
    check_output(target, inputs=[profile, ours])
    default = package.checked_package(_template_content(ours, "Standardmallen"), str(ours))
    theirs = package.checked_package(_template_content(profile, "Profilen"), str(profile))
    made = _profile.restyled(default, theirs, str(profile))
    problems = lint.check_template(made, str(target), kind=spec.name, shape=_example_shape(spec.name))
    written = write_atomically(target, made, inputs=[profile, ours])
    return JobResult([written], problems)
