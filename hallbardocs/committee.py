"""The committee package (sammanträdeshandling): the tjänsteskrivelse and its Beslutsunderlag in one PDF.

The tjänsteskrivelse comes first, then every attached entry of its Beslutsunderlag in the list's
order, numbered Bilaga 1, 2, … as the tjänsteskrivelse lists them (hallbardocs.documents.
beslutsunderlag decides both). The miljöbokslut and the handlingsplan are made from the plan and
the follow-up; an attachment the follow-up names by file is a PDF taken as it is, or a .docx
converted by the same warm LibreOffice as the rest. pypdf assembles them
(:func:`hallbardocs.publish.package.assemble`): bookmarks, page labels, metadata, one structure tree.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallbardocs import runtime
from hallbardocs.errors import HallbardocsWarning, InvalidInputError, Location, Problem, os_reason

if TYPE_CHECKING:
    from hallbardocs.documents.beslutsunderlag import Underlag
    from hallbardocs.model.followup import FollowUp
    from hallbardocs.model.plan import Plan
    from hallbardocs.publish import Converter, Layout
    from hallbardocs.publish.package import Assembled, Part, ReadPart

__all__ = [
    "ATTACHMENT_FORMATS",
    "MAX_ATTACHMENT_BYTES",
    "PackagePart",
    "attachment_files",
    "committee_package",
    "package_parts",
]

ATTACHMENT_FORMATS = {".pdf": "PDF", ".docx": "Word-dokument"}
"""What an attachment named by file may be."""
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
"""The largest attachment file read (200 MiB)."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: called before each part is made, and once at the end."""
Locate = Callable[[tuple[str | int, ...]], Location]
"""Where a field of the follow-up is (its file and line), for a problem about an attachment."""


@dataclass(frozen=True)
class PackagePart:
    """One document of the package, in order: the tjänsteskrivelse, then Bilaga 1, 2, …"""

    title: str
    """Its bookmark."""
    label: str
    """``Bilaga 1``, or "" for the tjänsteskrivelse."""
    kind: str | None = None
    """The document hallbardocs makes for it (``tjansteskrivelse``, ``miljobokslut``, ``handlingsplan``)."""
    file: Path | None = None
    """The attachment's file, for one named by ``fil``."""
    field: tuple[str | int, ...] = ()
    """Its entry in the follow-up (``tjänsteskrivelse.beslutsunderlag[2]``)."""
    name: str = ""
    """Its name in the list."""


def _entry_path(entry: Underlag) -> tuple[str | int, ...]:
    return ("tjänsteskrivelse", "beslutsunderlag", entry.index)


def package_parts(followup: FollowUp, *, base_dir: str | Path | None = None) -> list[PackagePart]:
    """The package's documents in order (HD101 when the follow-up has no ``tjänsteskrivelse``)."""
    from hallbardocs.documents.beslutsunderlag import beslutsunderlag

    report = followup.committee
    if report is None:
        message = "Uppföljningen saknar avsnittet ”tjänsteskrivelse”, som sammanträdeshandlingen utgår från (se docs/followup.md)."
        raise InvalidInputError([Problem("HD101", message, Location(followup.source, field="tjänsteskrivelse"))])
    base = Path(base_dir) if base_dir is not None else Path()
    entries = beslutsunderlag(report)
    itself = next((e.name for e in entries if e.kind == "tjansteskrivelse"), f"Tjänsteskrivelse: {report.subject}")
    parts = [PackagePart(itself, "", "tjansteskrivelse")]
    for entry in entries:
        if entry.number is None:
            continue
        title = f"{entry.label} {entry.name}"
        if entry.file is not None:
            path = (*_entry_path(entry), "fil")
            parts.append(PackagePart(title, entry.label, file=base / entry.file, field=path, name=entry.name))
        else:
            parts.append(PackagePart(title, entry.label, entry.kind, field=_entry_path(entry), name=entry.name))
    return parts


def attachment_files(followup: FollowUp, *, base_dir: str | Path | None = None) -> list[Path]:
    """The files the package attaches (inputs, never overwritten by its output)."""
    return [part.file for part in package_parts(followup, base_dir=base_dir) if part.file is not None]


def _where(part: PackagePart, followup: FollowUp, locate: Locate | None) -> Location:
    if locate is not None:
        return locate(part.field)
    from hallbardocs.load.source import format_field_path

    return Location(followup.source, field=format_field_path(part.field))


def _read_attachment(part: PackagePart, where: Location) -> bytes:
    """An attachment's bytes, checked: a .pdf or .docx that exists and can be read (HD616)."""
    assert part.file is not None
    path = part.file
    reason = ""
    if path.suffix.lower() not in ATTACHMENT_FORMATS:
        reason = f"filen ”{path}” är varken .pdf eller .docx"
    elif not path.is_file():
        reason = f"filen ”{path}” finns inte" if not path.exists() else f"”{path}” är ingen vanlig fil"
    else:
        try:
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                reason = f"filen ”{path}” är större än {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MiB"
            else:
                return path.read_bytes()
        except OSError as exc:
            reason = f"filen ”{path}” kunde inte läsas: {os_reason(exc)}"
    message = f"Beslutsunderlaget ”{part.name}” kan inte fogas in: {reason}."
    raise InvalidInputError([Problem("HD616", message, where, suggestion=None)])


def committee_package(
    plan: Plan,
    followup: FollowUp,
    *,
    base_dir: str | Path | None = None,
    converter: Converter | None = None,
    draft: bool = False,
    progress: Progress | None = None,
    locate: Locate | None = None,
) -> bytes:
    """The committee package as PDF bytes (nothing is written).

    ``base_dir`` is the folder an attachment's ``fil`` is relative to (the follow-up file's);
    ``converter`` the warm LibreOffice every part goes through (the run's shared one by default).
    Every attachment file is read and checked before anything is converted: HD616 for a file that
    is missing, unreadable or neither .pdf nor .docx, HD617 for a PDF that is damaged, encrypted or
    empty; the converter's own codes (HD610–HD614) for LibreOffice. An untagged PDF attachment is
    attached with warning HD618 (a :class:`HallbardocsWarning`).

    The work is spread over the two processes: each document is rendered and queued for
    LibreOffice at once (those that draw charts last), and the parts LibreOffice has finished are
    read, and the package put together, while it lays out the rest.
    """
    from hallbardocs.publish import default_converter

    parts = package_parts(followup, base_dir=base_dir)
    assert followup.committee is not None
    report = followup.committee
    files = _checked_files(parts, followup, locate)
    converter = converter or default_converter()
    pending = _start_parts(parts, files, plan, followup, converter, draft, progress, locate)
    try:
        assembled = _assemble(pending, parts, plan, report, progress)
    finally:
        for left in pending:
            left.future.cancel()  # after a failure: what has not started yet is not converted
    for index in assembled.untagged:
        made = pending[index]
        message = (
            f"Bilagan ”{made.title}” är en PDF utan taggar (inget strukturträd), så dess sidor blir otaggade i "
            "sammanträdeshandlingen och kan vara svåra att läsa med skärmläsare. Gör om bilagan som taggad PDF "
            "(PDF/UA), eller foga in den som .docx."
        )
        warnings.warn(
            HallbardocsWarning(Problem("HD618", message, made.where or Location(made.title), severity="varning")),
            stacklevel=2,
        )
    return assembled.pdf


def _checked_files(parts: list[PackagePart], followup: FollowUp, locate: Locate | None) -> dict[int, bytes]:
    """Every attachment file's bytes by its part's index, read and checked before anything is converted."""
    from hallbardocs.publish.package import page_count

    assert followup.committee is not None
    files: dict[int, bytes] = {}
    problems: list[Problem] = []
    for index, given in enumerate(followup.committee.attachments):
        if given.file is not None and given.document is not None:
            place = ("tjänsteskrivelse", "beslutsunderlag", index)
            both = PackagePart(given.name, "", field=place, name=given.name)
            message = (
                f"Beslutsunderlaget ”{given.name}” anger både fil och dokument; ange det ena "
                "(fil: en bilaga i en fil, dokument: miljöbokslut eller handlingsplan)."
            )
            problems.append(Problem("HD616", message, _where(both, followup, locate)))
    for i, part in enumerate(parts):
        if part.file is None:
            continue
        entry = _where(part, followup, locate)
        try:
            files[i] = _read_attachment(part, entry)
            if part.file.suffix.lower() == ".pdf":
                page_count(files[i], entry, part.title)
        except InvalidInputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInputError(problems)
    return files


@dataclass(frozen=True)
class _Pending:
    """A part on its way: its PDF's bytes, or LibreOffice's layout of it, when done."""

    title: str
    label: str
    where: Location | None
    future: Future[bytes] | Future[Layout]

    def part(self) -> Part:
        """The finished part (waits for LibreOffice; raises what the conversion raised)."""
        from hallbardocs.publish.package import Part

        made = self.future.result()
        pdf = made if isinstance(made, bytes) else made.pdf
        assert pdf is not None
        return Part(pdf, self.title, self.label, self.where)


def _done(pdf: bytes) -> Future[bytes]:
    future: Future[bytes] = Future()
    future.set_result(pdf)
    return future


def _start_parts(
    parts: list[PackagePart],
    files: dict[int, bytes],
    plan: Plan,
    followup: FollowUp,
    converter: Converter,
    draft: bool,
    progress: Progress | None,
    locate: Locate | None,
) -> list[_Pending]:
    """Each part on its way, in the package's order: a document rendered and queued for
    LibreOffice, a .docx queued, a PDF as it is. The documents that draw charts are rendered last,
    so that LibreOffice has the others to lay out while the charts are drawn."""
    from hallbardocs import render_sources
    from hallbardocs.documents.registry import Sources, document_kind

    sources = Sources(plan, followup, draft=draft)  # one analysis, charts drawn once
    kinds = {i: document_kind(part.kind) for i, part in enumerate(parts) if part.kind is not None}
    order = sorted(range(len(parts)), key=lambda i: i in kinds and kinds[i].draws_charts)
    pending: dict[int, _Pending] = {}
    try:
        for done, i in enumerate(order):
            part = parts[i]
            if progress is not None:
                progress(done, len(parts), part.title)
            where = Location(part.title) if part.kind is not None else _where(part, followup, locate)
            if i in kinds:
                document = render_sources(kinds[i], sources)
                future = converter.submit(document.to_bytes(), where=where)
                pending[i] = _Pending(part.title, part.label, None, future)
            elif part.file is not None and part.file.suffix.lower() == ".docx":
                pending[i] = _Pending(part.title, part.label, where, converter.submit(files[i], where=where))
            else:
                pending[i] = _Pending(part.title, part.label, where, _done(files[i]))
    except BaseException:
        for left in pending.values():
            left.future.cancel()
        raise
    return [pending[i] for i in range(len(parts))]


def _assemble(
    pending: list[_Pending], parts: list[PackagePart], plan: Plan, report: Any, progress: Progress | None
) -> Assembled:
    """The parts put together in order as LibreOffice finishes them; while a part is still being
    laid out, the finished ones after it are read (parsing is most of pypdf's work)."""
    from hallbardocs.publish.package import Assembly, read_part

    if progress is not None:
        progress(len(parts), len(parts), "sätter ihop")
    with runtime.no_collection():  # pypdf's many small objects: collecting would add a fifth
        assembly = Assembly()
        readers: dict[int, ReadPart] = {}
        for i, waiting in enumerate(pending):
            while not waiting.future.done():
                later = range(i + 1, len(pending))
                ready = next((j for j in later if j not in readers and pending[j].future.done()), None)
                if ready is None:
                    assembly.prepare()
                    break
                readers[ready] = read_part(pending[ready].part())
            assembly.add(waiting.part(), readers.pop(i, None))
        return assembly.finish(
            title=report.subject,
            author=plan.municipality.name,
            subject=f"Sammanträdeshandling till {report.recipient}",
        )
