"""Whole jobs, from files to written outputs: what each command of the command line does, as one call.

Each job checks its outputs before it reads anything, reads and validates its inputs, and writes
atomically, never over an input. A problem that stops it is raised (:class:`InvalidInputError`,
:class:`TemplateError`, :class:`OutputError`, each carrying every problem found); the warnings met on
the way come back in :attr:`JobResult.problems`, in the order they were found. Nothing here prints.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hallbardocs.errors import HallbardocsWarning, InvalidInputError, Location, OutputError, Problem

if TYPE_CHECKING:
    from hallbardocs.collect import ImportResult
    from hallbardocs.documents.registry import DocumentKind
    from hallbardocs.model.followup import FollowUp, Period, StatusScale
    from hallbardocs.model.plan import Plan

__all__ = [
    "JobResult",
    "convert_plan",
    "import_followup",
    "make_document",
    "make_documents",
    "make_followup_workbooks",
    "make_package",
    "make_packages",
    "package_outputs",
    "plan_files_in",
    "review_file",
    "update_followup",
    "write_followup_workbooks",
]


@dataclass
class JobResult:
    """What a job wrote, and the warnings it met (its errors are raised)."""

    paths: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reports: int = 0
    """For an import: how many activity reports the follow-up file holds after it."""


def _plan(plan_file: str | Path, *, draft: bool, found: list[Problem]) -> Plan:
    from hallbardocs import check_plan

    result = check_plan(plan_file, draft=draft)
    found.extend(result.problems)
    if result.plan is None or not result.ok:
        raise InvalidInputError(found)
    return result.plan


def _followup(followup_file: str | Path, plan: Plan, *, draft: bool, found: list[Problem]) -> FollowUp:
    from hallbardocs import check_followup

    result = check_followup(followup_file, plan, draft=draft)
    found.extend(result.problems)
    if result.followup is None or not result.ok:
        raise InvalidInputError(found)
    return result.followup


def make_document(
    kind: str | DocumentKind,
    plan_file: str | Path,
    outputs: str | Path | Sequence[str | Path],
    followup_file: str | Path | None = None,
    *,
    template: str | Path | None = None,
    draft: bool = False,
    pdfa: bool = False,
) -> JobResult:
    """Read and validate the plan (and the follow-up, for a follow-up document), render the document
    of ``kind`` once and write it to every output, in the format each suffix names (.docx, .pdf;
    PDF/A-2 with ``pdfa``)."""
    from hallbardocs import DOCUMENT_FORMATS, input_files, write_document
    from hallbardocs.documents.registry import document_kind
    from hallbardocs.write import check_output, output_format

    spec = document_kind(kind)
    paths = [Path(outputs)] if isinstance(outputs, str | Path) else [Path(o) for o in outputs]
    for path in paths:
        output_format(path, DOCUMENT_FORMATS)
        check_output(path)
    found: list[Problem] = []
    plan = _plan(plan_file, draft=draft, found=found)
    followup = None
    if spec.needs_followup:
        if followup_file is None:
            message = f"För {spec.description} behövs en uppföljningsfil."
            raise InvalidInputError([*found, Problem("HD101", message, Location(str(plan_file)))])
        followup = _followup(followup_file, plan, draft=draft, found=found)
    inputs = input_files(plan_file, plan, template=template, followup_file=followup_file)
    with warnings.catch_warnings(record=True) as issued:
        warnings.simplefilter("always", HallbardocsWarning)
        written = write_document(spec, plan, paths, followup, template=template, inputs=inputs, draft=draft, pdfa=pdfa)
    found.extend(w.message.problem for w in issued if isinstance(w.message, HallbardocsWarning))
    return JobResult(written, found)


PACKAGE_FORMATS = {".pdf": "PDF"}
"""What the committee package is written as."""


def make_package(
    plan_file: str | Path,
    followup_file: str | Path,
    output: str | Path,
    *,
    draft: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> JobResult:
    """The ``paket`` job: the committee package (the tjänsteskrivelse and its Beslutsunderlag, made
    and attached as docs/pdf.md describes) as one PDF at ``output``, through one warm LibreOffice.
    ``progress(done, total, what)`` is told before each document (the CLI's progress bar)."""
    return make_packages(plan_file, [followup_file], [output], draft=draft, progress=progress)


_SOURCES = {"followup": ("uppföljningar", "Uppföljningarna"), "plan": ("planer", "Planerna")}
"""What the sources of a run of many documents are called in a message: indefinite, definite plural."""


def _outputs_in(
    folder: str | Path, sources: Sequence[str | Path], suffixes: Sequence[str], kind: str
) -> list[list[Path]]:
    """Where each of ``sources`` (follow-ups or plans, as ``kind`` says) is written in ``folder``: its
    name with each of ``suffixes`` (``uppfoljning-ks.yaml`` -> ``uppfoljning-ks.pdf``); HD601 for a
    folder that is not there, or two sources of the same name."""
    several, what = _SOURCES[kind]
    out = Path(folder)
    if not os.path.isdir(out):
        message = f"Mappen ”{out}” finns inte; med flera {several} ska -o vara en befintlig mapp."
        raise OutputError(Problem("HD601", message, Location(str(out))))
    targets: dict[Path, Path] = {}
    found: list[list[Path]] = []
    for name in sources:
        paths = [out / f"{Path(name).stem}{suffix}" for suffix in suffixes]
        for target in paths:
            if target in targets:
                message = f"{what} ”{targets[target]}” och ”{name}” skulle båda bli ”{target}”; ge dem olika filnamn."
                raise OutputError(Problem("HD601", message, Location(str(name))))
            targets[target] = Path(name)
        found.append(paths)
    return found


def package_outputs(followup_files: Sequence[str | Path], folder: str | Path) -> list[Path]:
    """Where :func:`make_packages` writes each follow-up's package in ``folder``: its name with
    ``.pdf`` (``uppfoljning-ks.yaml`` -> ``uppfoljning-ks.pdf``); HD601 for a folder that is not
    there, or two follow-ups of the same name."""
    return [paths[0] for paths in _outputs_in(folder, followup_files, [".pdf"], "followup")]


def plan_files_in(paths: Sequence[str | Path]) -> list[Path]:
    """The plan files that ``paths`` name: a file as it is, a folder as the plan files in it (those
    :data:`hallbardocs.load.READERS` reads, not hidden ones nor Excel's ``~$`` lock files), in
    Swedish alphabetical order. HD001 for a folder without any."""
    from hallbardocs.collation import sorted_swedish
    from hallbardocs.load import READERS

    found: list[Path] = []
    for given in map(Path, paths):
        if not os.path.isdir(given):  # a name too long is a file, which then cannot be read (HD001)
            found.append(given)
            continue
        inside = [
            f
            for f in given.iterdir()
            if f.suffix.lower() in READERS and not f.name.startswith((".", "~$")) and f.is_file()
        ]
        if not inside:
            known = ", ".join(READERS)
            message = f"Mappen innehåller inga planfiler ({known})."
            raise InvalidInputError([Problem("HD001", message, Location(str(given)))])
        found += sorted_swedish(inside, key=lambda f: f.name)
    return found


def make_documents(
    kind: str | DocumentKind,
    sources: Sequence[str | Path],
    folder: str | Path,
    *,
    plan_file: str | Path | None = None,
    formats: Sequence[str] = (".docx",),
    template: str | Path | None = None,
    draft: bool = False,
    pdfa: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> JobResult:
    """Many documents of ``kind`` in one run, into ``folder``, through one warm LibreOffice.

    For a document made from a plan alone (the handlingsplan), ``sources`` are plan files or
    folders of them (:func:`plan_files_in`); for a follow-up document, ``sources`` are follow-ups of
    ``plan_file``, one document each. Each is written as its source's name with each of ``formats``
    (``.docx``, ``.pdf``): ``planer/ks.yaml`` -> ``folder/ks.docx``. Every source is validated (all
    their problems reported at once) and every output checked before the first document is made;
    ``progress(done, total, what)`` is told before each document.
    """
    from hallbardocs import DOCUMENT_FORMATS, input_files, write_document
    from hallbardocs.documents.registry import document_kind
    from hallbardocs.write import check_output, output_format

    spec = document_kind(kind)
    if spec.needs_followup and plan_file is None:
        message = f"För {spec.description} behövs planen som uppföljningarna följer upp."
        raise InvalidInputError([Problem("HD101", message, Location("(plan)"))])
    suffixes = [f if f.startswith(".") else f".{f}" for f in dict.fromkeys(f.lower() for f in formats)]
    files = list(map(Path, sources)) if spec.needs_followup else plan_files_in(sources)
    targets = _outputs_in(folder, files, suffixes, "followup" if spec.needs_followup else "plan")
    for target in targets[0] if targets else ():
        output_format(target, DOCUMENT_FORMATS)  # HD603 for a format we cannot write
    found: list[Problem] = []
    made: list[tuple[Plan, FollowUp | None]] = []
    every_input: list[Path] = []
    refused = False
    shared = _plan(plan_file, draft=draft, found=found) if plan_file is not None and spec.needs_followup else None
    for name in files:
        try:
            if shared is not None:
                made.append((shared, _followup(name, shared, draft=draft, found=found)))
                every_input += input_files(plan_file, shared, template=template, followup_file=name)
            else:
                plan = _plan(name, draft=draft, found=found)
                made.append((plan, None))
                every_input += input_files(name, plan, template=template)
        except InvalidInputError:
            refused = True
    if refused:
        raise InvalidInputError(found)
    for paths in targets:
        for target in paths:
            check_output(target, inputs=every_input)
    written: list[Path] = []
    for done, (name, (plan, made_followup), paths) in enumerate(zip(files, made, targets, strict=True)):
        if progress is not None:
            progress(done, len(files), str(name))
        with warnings.catch_warnings(record=True) as issued:
            warnings.simplefilter("always", HallbardocsWarning)
            written += write_document(
                spec, plan, paths, made_followup, template=template, inputs=every_input, draft=draft, pdfa=pdfa
            )
        found.extend(w.message.problem for w in issued if isinstance(w.message, HallbardocsWarning))
    if progress is not None:
        progress(len(files), len(files), "klart")
    return JobResult(written, found)


def make_packages(
    plan_file: str | Path,
    followup_files: Sequence[str | Path],
    outputs: str | Path | Sequence[str | Path],
    *,
    draft: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> JobResult:
    """Several committees' packages from one plan in one run, through one warm LibreOffice: each of
    ``followup_files`` (one per committee, each with its ``tjänsteskrivelse``) to the matching
    PDF of ``outputs``, or, when ``outputs`` is a folder, to :func:`package_outputs` in it.

    Every follow-up is validated and every output checked before the first package is made, and no
    package is written over an input of any of them (the plan, the follow-ups, their attachments).
    ``progress(done, total, what)`` counts the documents of all the packages.
    """
    from hallbardocs import input_files, read_plan
    from hallbardocs.committee import attachment_files, committee_package, package_parts
    from hallbardocs.write import check_output, output_format, write_atomically

    if isinstance(outputs, str | Path):
        targets = [Path(outputs)] if len(followup_files) == 1 else package_outputs(followup_files, outputs)
    else:
        targets = [Path(o) for o in outputs]
    assert len(targets) == len(followup_files), "one output per follow-up"
    for target in targets:
        output_format(target, PACKAGE_FORMATS)
        check_output(target)
    found: list[Problem] = []
    plan = _plan(plan_file, draft=draft, found=found)
    followups: list[FollowUp] = []
    refused = False
    for name in followup_files:
        try:
            followups.append(_followup(name, plan, draft=draft, found=found))
        except InvalidInputError:
            refused = True
    if refused:
        raise InvalidInputError(found)
    bases = [Path(name).parent for name in followup_files]
    inputs: tuple[Path, ...] = input_files(plan_file, plan)
    for name, followup, base in zip(followup_files, followups, bases, strict=True):
        inputs += (*input_files(followup_file=name), *attachment_files(followup, base_dir=base))
    for target in targets:
        check_output(target, inputs=inputs)
    sizes = [len(package_parts(f, base_dir=b)) for f, b in zip(followups, bases, strict=True)]
    total = sum(sizes)
    written: list[Path] = []
    for number, (name, followup, base, target) in enumerate(
        zip(followup_files, followups, bases, targets, strict=True)
    ):
        offset = sum(sizes[:number])

        def step(done: int, count: int, what: str, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + done, total, what)

        raw = read_plan(name)  # the follow-up's lines, for a problem with an attachment
        with warnings.catch_warnings(record=True) as issued:
            warnings.simplefilter("always", HallbardocsWarning)
            try:
                data = committee_package(plan, followup, base_dir=base, draft=draft, progress=step, locate=raw.locate)
            except InvalidInputError as exc:  # the warnings met before it, too
                raise InvalidInputError([*found, *exc.problems]) from None
        found.extend(w.message.problem for w in issued if isinstance(w.message, HallbardocsWarning))
        written.append(write_atomically(target, data, inputs=inputs))
    return JobResult(written, found)


def write_followup_workbooks(
    plan: Plan,
    period: Period,
    scale: StatusScale,
    folder: str | Path,
    *,
    previous: FollowUp | None = None,
    inputs: Sequence[str | Path] = (),
) -> list[Path]:
    """One workbook per sector/company in ``folder`` (made if its parent folder exists), each written
    atomically and never over one of ``inputs``."""
    from hallbardocs.collect import export_workbooks
    from hallbardocs.errors import os_reason
    from hallbardocs.write import write_atomically

    out = Path(folder)
    _workbook_folder(out)
    books = export_workbooks(plan, period, scale, previous=previous)
    try:
        out.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(
            Problem("HD601", f"Mappen kunde inte skapas: {os_reason(exc)}.", Location(str(out)))
        ) from None
    return [write_atomically(out / book.filename, book.content, inputs=inputs) for book in books]


def _workbook_folder(folder: Path) -> None:
    """The workbooks' folder: an existing folder, or a new one in a folder that exists (HD601)."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            Problem("HD601", "Utmappen är en fil; ange en mapp för arbetsböckerna.", Location(str(folder)))
        )
    if not folder.exists() and not folder.parent.is_dir():
        raise OutputError(
            Problem(
                "HD601",
                f"Mappen ”{folder.parent}” finns inte; skapa den först eller välj en annan mapp.",
                Location(str(folder)),
            )
        )


def make_followup_workbooks(
    plan_file: str | Path,
    period: str | Period,
    folder: str | Path,
    *,
    as_of: str | None = None,
    scale: str = "standard",
    previous_file: str | Path | None = None,
) -> JobResult:
    """The ``followup export`` job: the plan's workbooks for ``period`` (``"Helår 2026"``), prefilled
    from an earlier follow-up if given; a period of another year than the plan's is a warning."""
    from hallbardocs import input_files, load_followup
    from hallbardocs.model.followup import SCALES, Period

    _workbook_folder(Path(folder))
    found: list[Problem] = []
    plan = _plan(plan_file, draft=True, found=found)
    chosen = period if isinstance(period, Period) else Period.parse(period, as_of)
    if chosen.year != plan.year:
        message = (
            f"Perioden ”{chosen.label}” gäller år {chosen.year}, men planen gäller år {plan.year}; "
            "en uppföljning av ett annat år än planens godtas inte. Kontrollera --period."
        )
        found.append(Problem("HD705", message, Location(str(plan_file), field="år"), severity="varning"))
    previous = load_followup(previous_file, plan, draft=True) if previous_file is not None else None
    status_scale = previous.status_scale() if previous is not None else SCALES[scale]
    inputs = input_files(plan_file, plan, followup_file=previous_file)
    paths = write_followup_workbooks(plan, chosen, status_scale, folder, previous=previous, inputs=inputs)
    return JobResult(paths, found)


def update_followup(
    path: str | Path, plan: Plan, files: Sequence[str | Path], *, inputs: Sequence[str | Path] = ()
) -> ImportResult:
    """Import returned workbooks into the follow-up file ``path`` (made if it is missing), in the
    format its suffix names. Another run into the same file waits for this one (a lock beside it),
    and a file changed meanwhile by something else is never overwritten (HD810). Raises
    :class:`InvalidInputError` with every problem if a workbook has errors; nothing is written then.
    """
    from hallbardocs.collect.merge import update_followup_file

    result = update_followup_file(path, plan, files, inputs=(*inputs, *files))
    if result.errors or result.period is None:
        raise InvalidInputError(result.problems)
    return result


def import_followup(plan_file: str | Path, files: Sequence[str | Path], output: str | Path) -> JobResult:
    """The ``followup import`` job: :func:`update_followup` from the plan file."""
    from hallbardocs import input_files
    from hallbardocs.export import FOLLOWUP_FORMATS
    from hallbardocs.write import check_output, output_format

    output_format(output, FOLLOWUP_FORMATS)
    check_output(output)
    found: list[Problem] = []
    plan = _plan(plan_file, draft=True, found=found)
    inputs = input_files(plan_file, plan, workbooks=files)
    try:
        result = update_followup(output, plan, files, inputs=inputs)
    except InvalidInputError as exc:
        raise InvalidInputError([*found, *exc.problems]) from None
    return JobResult([Path(output)], [*found, *result.problems], reports=len(result.reports))


def convert_plan(plan_file: str | Path, output: str | Path) -> JobResult:
    """The plan in another format (.yaml, .yml, .json or .xlsx, by the suffix), with the logo's path
    made relative to the new file's folder."""
    from hallbardocs import input_files
    from hallbardocs.export import FORMATS
    from hallbardocs.write import check_output, output_format, write_atomically

    target = Path(output)
    serialize = output_format(target, FORMATS)
    check_output(target)
    found: list[Problem] = []
    plan = _plan(plan_file, draft=True, found=found)
    inputs = input_files(plan_file, plan)
    logo = plan.municipality.logo
    if logo is not None and logo.is_absolute():
        plan = plan.model_copy(deep=True)
        plan.municipality.logo = Path(os.path.relpath(logo, target.resolve().parent))
    return JobResult([write_atomically(target, serialize(plan), inputs=inputs)], found)


def review_file(path: str | Path) -> JobResult:
    """The accessibility review of a finished .docx or PDF (``hallbardocs granska``): every problem
    found, errors and warnings, in :attr:`JobResult.problems` (nothing is raised or written)."""
    from hallbardocs.review import review_document

    return JobResult([], review_document(path))
