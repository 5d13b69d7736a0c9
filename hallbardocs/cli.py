"""The ``hallbardocs`` command: a thin layer over the public API.

Messages are Swedish and go to standard error; exit status 0 is success, 1 invalid input (or a
template or output problem), 2 a wrong command line. Imports happen inside the commands, so a
command loads only what it needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hallbardocs.errors import Problem

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if problems:
        parts = []
        if errors:
            parts.append(f"{errors} fel")
        if warnings:
            parts.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
        print(" och ".join(parts) + ".", file=sys.stderr)


def _validated(path: str, draft: bool) -> tuple[object | None, int]:
    from hallbardocs import check_plan

    result = check_plan(path, draft=draft)
    _print_problems(result.problems)
    if not result.ok:
        return None, EXIT_INVALID
    return result.plan, EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    plan, status = _validated(args.plan, args.draft)
    if plan is not None:
        print(f"{args.plan}: planen är giltig.", file=sys.stderr)
    if plan is None or not args.followup:
        return status
    followup, status = _validated_followup(args.followup, plan, args.draft)
    if followup is not None:
        print(f"{args.followup}: uppföljningen är giltig.", file=sys.stderr)
    return status


def _validated_followup(path: str, plan: object, draft: bool) -> tuple[object | None, int]:
    from hallbardocs import check_followup
    from hallbardocs.model import Plan

    assert isinstance(plan, Plan)
    result = check_followup(path, plan, draft=draft)
    _print_problems(result.problems)
    if not result.ok:
        return None, EXIT_INVALID
    return result.followup, EXIT_OK


def _plan_and_followup(args: argparse.Namespace) -> tuple[object, object] | int:
    plan, status = _validated(args.plan, args.draft)
    if plan is None:
        return status
    followup, status = _validated_followup(args.followup, plan, args.draft)
    if followup is None:
        return status
    return plan, followup


def _cmd_followup_document(args: argparse.Namespace) -> int:
    from hallbardocs import HallbardocsError, write_miljobokslut, write_tjansteskrivelse

    loaded = _plan_and_followup(args)
    if isinstance(loaded, int):
        return loaded
    plan, followup = loaded
    write = write_miljobokslut if args.command == "miljobokslut" else write_tjansteskrivelse
    inputs = (args.plan, args.followup, *((args.template,) if args.template else ()))
    _freeze_imported_objects()
    try:
        out = write(plan, followup, args.output, template=args.template, inputs=inputs)  # type: ignore[arg-type]
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {out}.", file=sys.stderr)
    return EXIT_OK


def _parse_period(text: str, as_of: str | None) -> object:
    """ "Helår 2026" or "Delår 2026" (and an optional per-date) as a Period."""
    import datetime as dt

    from hallbardocs.model.followup import Period

    words = text.split()
    if len(words) != 2 or words[0].casefold() not in ("helår", "delår") or not words[1].isdigit():
        raise ValueError(f"Perioden ”{text}” ska skrivas som ”Helår 2026” eller ”Delår 2026”.")
    kind, year = words[0].casefold(), int(words[1])
    default = dt.date(year, 12, 31) if kind == "helår" else dt.date(year, 8, 31)
    per = dt.date.fromisoformat(as_of) if as_of else default
    return Period(kind=kind, year=year, as_of=per)


def _cmd_followup_export(args: argparse.Namespace) -> int:
    from hallbardocs import HallbardocsError, export_followup_workbooks, load_followup
    from hallbardocs.model import Plan
    from hallbardocs.model.followup import SCALES
    from hallbardocs.write import write_atomically

    plan, status = _validated(args.plan, draft=True)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    try:
        period = _parse_period(args.period, args.per)
    except ValueError as exc:
        print(f"fel HD104: {exc}", file=sys.stderr)
        return EXIT_USAGE
    previous = None
    if args.previous:
        try:
            previous = load_followup(args.previous, plan, draft=True)
        except HallbardocsError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INVALID
    scale = previous.status_scale() if previous is not None else SCALES[args.scale]
    books = export_followup_workbooks(plan, period, scale, previous=previous)  # type: ignore[arg-type]
    out = Path(args.output)
    try:
        for book in books:
            write_atomically(out / book.filename, book.content, inputs=(args.plan,))
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {len(books)} arbetsböcker i {out}.", file=sys.stderr)
    return EXIT_OK


def _cmd_followup_import(args: argparse.Namespace) -> int:
    import yaml

    from hallbardocs import HallbardocsError, import_followup_workbooks, load_followup
    from hallbardocs.export import followup_with_reports
    from hallbardocs.model import Plan
    from hallbardocs.write import write_atomically

    plan, status = _validated(args.plan, draft=True)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    output = Path(args.output)
    existing = None
    existing_data: dict[str, object] = {}
    if output.exists():
        try:
            existing = load_followup(output, plan, draft=True)
            existing_data = yaml.safe_load(output.read_text(encoding="utf-8")) or {}
        except HallbardocsError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INVALID
    result = import_followup_workbooks(args.files, plan, existing=existing)
    _print_problems(result.problems)
    if any(p.is_error for p in result.problems) or result.period is None:
        return EXIT_INVALID
    data = followup_with_reports(existing_data, plan, result)
    try:
        write_atomically(output, data, inputs=(args.plan, *args.files))
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {output} med {len(result.reports)} rapporter.", file=sys.stderr)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from hallbardocs import followup_schema, plan_schema

    schema = plan_schema() if args.kind == "plan" else followup_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return EXIT_OK


def _freeze_imported_objects() -> None:
    """Exclude everything imported so far from garbage collection: the renderer collects after each
    render (to keep a long-running process flat), and in a one-shot command that should only cost
    the scan of what the render itself made."""
    import gc

    from hallbardocs.render import preload

    preload()
    gc.freeze()


def _cmd_handlingsplan(args: argparse.Namespace) -> int:
    from hallbardocs import HallbardocsError, write_handlingsplan
    from hallbardocs.model import Plan

    plan, status = _validated(args.plan, args.draft)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    _freeze_imported_objects()
    inputs = (args.plan, *((args.template,) if args.template else ()))
    try:
        out = write_handlingsplan(plan, args.output, template=args.template, inputs=inputs)
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {out}.", file=sys.stderr)
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    import os

    from hallbardocs import HallbardocsError
    from hallbardocs.export import FORMATS, dump_plan
    from hallbardocs.model import Plan
    from hallbardocs.write import write_atomically

    output = Path(args.output)
    if output.suffix.lower() not in FORMATS:
        print(f"fel HD004: Utfilen ska sluta på {', '.join(FORMATS)}.", file=sys.stderr)
        return EXIT_USAGE
    plan, status = _validated(args.plan, draft=True)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    logo = plan.municipality.logo
    if logo is not None and logo.is_absolute():
        plan.municipality.logo = Path(os.path.relpath(logo, output.resolve().parent))
    try:
        write_atomically(output, dump_plan(plan, output.suffix), inputs=(args.plan,))
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {output}.", file=sys.stderr)
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish error lines and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fel: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    from hallbardocs import __version__

    parser = _Parser(
        prog="hallbardocs",
        description="Skapar kommunens hållbarhetsdokument (handlingsplan m.m.) ur strukturerade data.",
    )
    parser.add_argument("--version", action="version", version=f"hallbardocs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO", parser_class=_Parser)

    check = commands.add_parser("check", help="kontrollera en plan och visa alla fel")
    check.add_argument("plan", metavar="PLAN", help="planfilen (.yaml, .yml, .json eller .xlsx)")
    check.add_argument("--draft", action="store_true", help="utkast: platshållare och tomt diarienummer blir varningar")
    check.add_argument("--followup", metavar="UPPFÖLJNING", help="kontrollera också en uppföljning av planen")
    check.set_defaults(run=_cmd_check)

    schema = commands.add_parser("schema", help="skriv ut JSON Schema för en indatafil")
    schema.add_argument("kind", choices=["plan", "followup"], metavar="plan|followup", help="vilken fil")
    schema.set_defaults(run=_cmd_schema)

    plan = commands.add_parser("handlingsplan", help="skapa handlingsplanen som Word-dokument")
    plan.add_argument("plan", metavar="PLAN", help="planfilen (.yaml, .yml, .json eller .xlsx)")
    plan.add_argument("-o", "--output", required=True, metavar="UT.docx", help="Word-dokumentet som skapas")
    plan.add_argument("--template", metavar="MALL.docx", help="kommunens egen mall i stället för standardmallen")
    plan.add_argument("--draft", action="store_true", help="utkast: platshållare och tomt diarienummer blir varningar")
    plan.set_defaults(run=_cmd_handlingsplan)

    for name, what in (("miljobokslut", "miljöbokslutet"), ("tjansteskrivelse", "tjänsteskrivelsen till nämnden")):
        document = commands.add_parser(name, help=f"skapa {what} som Word-dokument")
        document.add_argument("plan", metavar="PLAN", help="planfilen")
        document.add_argument("followup", metavar="UPPFÖLJNING", help="uppföljningen (.yaml eller .json)")
        document.add_argument("-o", "--output", required=True, metavar="UT.docx", help="Word-dokumentet som skapas")
        document.add_argument("--template", metavar="MALL.docx", help="kommunens egen mall i stället för standardmallen")
        document.add_argument("--draft", action="store_true", help="utkast: platshållare blir varningar")
        document.set_defaults(run=_cmd_followup_document)

    followup = commands.add_parser("followup", help="samla in uppföljningen från sektorer och bolag")
    steps = followup.add_subparsers(dest="step", required=True, metavar="STEG", parser_class=_Parser)
    export = steps.add_parser("export", help="en arbetsbok per sektor/bolag att fylla i")
    export.add_argument("plan", metavar="PLAN", help="planfilen")
    export.add_argument("--period", required=True, metavar="PERIOD", help="”Helår 2026” eller ”Delår 2026”")
    export.add_argument("--per", metavar="DATUM", help="datumet uppföljningen avser (standard 31/12 resp. 31/8)")
    export.add_argument("--scale", default="standard", choices=["standard", "länsstyrelserna"], help="statusskala")
    export.add_argument("--previous", metavar="UPPFÖLJNING", help="förifyll med en tidigare uppföljning")
    export.add_argument("-o", "--output", required=True, metavar="MAPP", help="mappen för arbetsböckerna")
    export.set_defaults(run=_cmd_followup_export)
    imp = steps.add_parser("import", help="läs in ifyllda arbetsböcker till en uppföljningsfil")
    imp.add_argument("files", nargs="+", metavar="ARBETSBOK", help="ifyllda arbetsböcker (.xlsx)")
    imp.add_argument("--plan", required=True, metavar="PLAN", help="planfilen")
    imp.add_argument("-o", "--output", required=True, metavar="UPPFÖLJNING.yaml", help="uppföljningsfilen (uppdateras)")
    imp.set_defaults(run=_cmd_followup_import)

    convert = commands.add_parser("convert", help="skriv om en plan till .yaml, .json eller .xlsx")
    convert.add_argument("plan", metavar="PLAN", help="planfilen")
    convert.add_argument("-o", "--output", required=True, metavar="UT", help="ny fil: .yaml, .yml, .json eller .xlsx")
    convert.set_defaults(run=_cmd_convert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
