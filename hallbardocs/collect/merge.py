"""Merging the collected answers: one answer per activity, and the answers into a follow-up.

An activity answered differently in two workbooks (or twice in one), or differently from a report
the follow-up already has, is a conflict (HD808). A conflict is never resolved silently: the
activity gets no new report, and an existing report stays as it was. Identical answers are not a
conflict. :func:`followup_with_reports` then writes the follow-up file's data with the new reports,
keeping every other key of the file as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallbardocs.collect.bounds import loc
from hallbardocs.collect.layout import ACTIVITIES_SHEET, cell_text
from hallbardocs.errors import Problem
from hallbardocs.export import FOLLOWUP_FORMATS, check_unchanged, dump_data, followup_lock, plain_data, snapshot
from hallbardocs.model.followup import SCALES, ActivityReport, FollowUp, StatusScale, activity_ids
from hallbardocs.model.plan import Plan

if TYPE_CHECKING:
    from hallbardocs.collect.incoming import ImportResult

__all__ = ["Answer", "add_answers", "followup_with_reports", "merged_reports", "update_followup_file"]


@dataclass(frozen=True)
class Answer:
    """One activity's answer as a workbook gives it, with the file and cells it came from."""

    activity: str
    unit: str
    status: str
    comment: str | None
    file: str
    status_cell: str
    comment_cell: str


def _same_comment(a: str | None, b: str | None) -> bool:
    return cell_text(a) == cell_text(b)


def add_answers(answers: dict[str, Answer], conflicted: set[str], new: Iterable[Answer], problems: list[Problem]) -> None:
    """Add a workbook's answers to ``answers``; an activity answered differently before is
    ``conflicted`` (HD808) and keeps its first answer, which is then not imported."""
    for answer in new:
        first = answers.get(answer.activity)
        if first is None:
            answers[answer.activity] = answer
        elif first.status != answer.status or not _same_comment(first.comment, answer.comment):
            where = "på en annan rad i samma fil" if first.file == answer.file else f"i {first.file}"
            if first.status != answer.status:
                cell, what = answer.status_cell, f"statusen ”{answer.status}” mot ”{first.status}”"
            else:
                cell, what = answer.comment_cell, "kommentarerna skiljer sig"
            problems.append(
                Problem(
                    "HD808",
                    f"Aktivitet {answer.activity} har ett annat svar här än {where} ({what}); "
                    "inget av svaren läses in. Ta bort det ena svaret.",
                    loc(answer.file, ACTIVITIES_SHEET, cell),
                )
            )
            conflicted.add(answer.activity)


def merged_reports(
    order: Iterable[str],
    answers: dict[str, Answer],
    conflicted: set[str],
    existing: FollowUp | None,
    scale: StatusScale | None,
    problems: list[Problem],
) -> list[ActivityReport]:
    """The reports of ``existing`` unchanged and in their order, then each new answer in ``order``
    (the plan's); an answer that differs from an existing report is a conflict (HD808)."""
    reports = list(existing.reports) if existing is not None else []
    current = {r.activity: r for r in reversed(reports)}
    for ident in order:
        answer = answers.get(ident)
        if answer is None or ident in conflicted:
            continue
        report = current.get(ident)
        if report is None:
            reports.append(
                ActivityReport(activity=ident, unit=answer.unit, status=answer.status, comment=answer.comment)
            )
            continue
        known = (scale or SCALES["standard"]).level(report.status)
        same_status = (known.name if known else report.status) == answer.status
        if not same_status or not _same_comment(report.comment, answer.comment):
            what = (
                f"statusen ”{answer.status}” mot ”{report.status}”" if not same_status else "kommentarerna skiljer sig"
            )
            problems.append(
                Problem(
                    "HD808",
                    f"Aktivitet {ident} har redan en annan rapport i uppföljningen än i arbetsboken ({what}); "
                    "rapporten ändras inte. Ta bort den gamla rapporten om arbetsbokens svar ska gälla.",
                    loc(answer.file, ACTIVITIES_SHEET, answer.status_cell if not same_status else answer.comment_cell),
                )
            )
    return reports


def followup_with_reports(
    existing: dict[str, Any], plan: Plan, result: ImportResult, suffix: str = ".yaml"
) -> bytes:
    """A follow-up file with the imported reports merged into ``existing`` (the file's current data),
    in the format ``suffix`` names (:data:`hallbardocs.export.FOLLOWUP_FORMATS`, the serializers of
    ``convert``). Every other key (indicators, committee texts, comments) is kept as it was, reports
    for activities the workbooks did not cover are kept, and the reports come in the plan's order."""
    data = dict(existing)
    data["plan"] = plan.metadata.document_name
    if result.period is not None:
        data["period"] = plain_data(result.period.model_dump(by_alias=True))
    if result.scale_name and "statusskala" not in data:
        data["statusskala"] = result.scale_name
    reports: dict[str, dict[str, Any]] = {}
    for old in existing.get("rapporter") or []:
        if isinstance(old, dict) and "aktivitet" in old:
            reports[str(old["aktivitet"])] = old
    for report in result.reports:
        reports[report.activity] = plain_data(
            report.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
        )
    order = {ident: n for n, ident in enumerate(i for m in plan.measures for i, _ in activity_ids(m))}
    data["rapporter"] = sorted(reports.values(), key=lambda r: order.get(str(r["aktivitet"]), len(order)))
    return dump_data(data, suffix)


def update_followup_file(
    path: str | Path, plan: Plan, files: Sequence[str | Path], *, inputs: Iterable[str | Path] = ()
) -> ImportResult:
    """Import the returned workbooks ``files`` into the follow-up file ``path`` and write it back.

    The file is read once (its data as written, and validated with its indicator files expanded,
    as a draft), the workbooks' answers are merged in (:func:`followup_with_reports`), and it is
    written atomically, only when the import has no error and the period is known; a missing file
    is created. The whole run holds :func:`~hallbardocs.export.followup_lock`, and a file that
    changed since it was read is not replaced (HD810). ``inputs`` are files the output must not be.
    Raises :class:`~hallbardocs.errors.OutputError` for an output that cannot be written (HD601,
    HD602, HD603, HD810) and :class:`~hallbardocs.errors.InvalidInputError` for an existing file
    that is not a valid follow-up of ``plan``.
    """
    from hallbardocs.collect.incoming import import_workbooks
    from hallbardocs.load import load_raw, with_indicators
    from hallbardocs.validate_followup import validate_followup
    from hallbardocs.write import check_output, output_format, write_atomically

    target = Path(path)
    output_format(target, FOLLOWUP_FORMATS)
    check_output(target)
    with followup_lock(target):  # a second run into the same file waits, then reads what this one wrote
        before: bytes | None = None
        existing: FollowUp | None = None
        data: dict[str, Any] = {}
        if target.exists():
            with contextlib.suppress(OSError):  # unreadable: the loader says why
                before = snapshot(target)  # what is compared with the file just before it is replaced
            raw = load_raw(target)
            existing = validate_followup(with_indicators(raw), plan, draft=True).raise_for_errors()
            data = raw.data  # as written: the indicator files stay named, not expanded
        result = import_workbooks([Path(f) for f in files], plan, existing=existing)
        if result.errors or result.period is None:
            return result
        content = followup_with_reports(data, plan, result, target.suffix)
        check_unchanged(target, before)
        write_atomically(target, content, inputs=inputs)
    return result
