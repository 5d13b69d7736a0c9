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
    return status


def _cmd_schema(args: argparse.Namespace) -> int:
    from hallbardocs import plan_schema

    print(json.dumps(plan_schema(), ensure_ascii=False, indent=2))
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
    check.set_defaults(run=_cmd_check)

    schema = commands.add_parser("schema", help="skriv ut JSON Schema för en indatafil")
    schema.add_argument("kind", choices=["plan"], metavar="plan", help="vilken fil: plan")
    schema.set_defaults(run=_cmd_schema)

    plan = commands.add_parser("handlingsplan", help="skapa handlingsplanen som Word-dokument")
    plan.add_argument("plan", metavar="PLAN", help="planfilen (.yaml, .yml, .json eller .xlsx)")
    plan.add_argument("-o", "--output", required=True, metavar="UT.docx", help="Word-dokumentet som skapas")
    plan.add_argument("--template", metavar="MALL.docx", help="kommunens egen mall i stället för standardmallen")
    plan.add_argument("--draft", action="store_true", help="utkast: platshållare och tomt diarienummer blir varningar")
    plan.set_defaults(run=_cmd_handlingsplan)

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
