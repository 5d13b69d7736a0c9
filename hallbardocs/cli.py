"""The ``hallbardocs`` command: a thin layer over the public API.

Messages are Swedish and go to standard error; exit status 0 is success, 1 invalid input (or a
template or output problem), 2 a wrong command line. Imports happen inside the commands, so a
command loads only what it needs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallbardocs.cli_argparse import Parser as _Parser
from hallbardocs.cli_argparse import argparse_in_swedish as _argparse_in_swedish
from hallbardocs.cli_argparse import command as _command

if TYPE_CHECKING:
    from hallbardocs.errors import HallbardocsError, Problem
    from hallbardocs.jobs import JobResult

__all__ = ["main"]

EXIT_OK, EXIT_INVALID = 0, 1


def _print_problems(problems: Sequence[Problem]) -> None:
    from hallbardocs.errors import REPEATS_SHOWN, summarised

    shown = summarised(problems) if len(problems) > REPEATS_SHOWN else problems
    for problem in shown:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if problems:

        def count(n: int) -> str:
            if n < 1000:
                return str(n)
            from hallbardocs.formatting import format_integer

            return format_integer(n)

        parts = []
        if errors:
            parts.append(f"{count(errors)} fel")
        if warnings:
            parts.append(f"{count(warnings)} {'varning' if warnings == 1 else 'varningar'}")
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
    from hallbardocs import check_followup
    from hallbardocs.model import Plan

    assert isinstance(plan, Plan)
    result = check_followup(args.followup, plan, draft=args.draft)
    _print_problems(result.problems)
    if not result.ok:
        return EXIT_INVALID
    print(f"{args.followup}: uppföljningen är giltig.", file=sys.stderr)
    return EXIT_OK


def _written(result: JobResult) -> None:
    _print_problems(result.problems)
    for path in result.paths:
        print(f"Skrev {path}.", file=sys.stderr)


def _cmd_document(args: argparse.Namespace) -> int:
    from hallbardocs.errors import Location, OutputError, Problem
    from hallbardocs.jobs import make_document, make_documents
    from hallbardocs.progress import ProgressBar

    followups = getattr(args, "followup", None)
    plans = args.plan if isinstance(args.plan, list) else [args.plan]
    sources = followups if followups is not None else plans
    folder = len(args.output) == 1 and os.path.isdir(args.output[0])  # False for a name too long, too
    if len(sources) > 1 or folder or any(os.path.isdir(p) for p in plans):
        if len(args.output) != 1:
            message = "Med flera indatafiler, eller en mapp av planer, ska -o vara en enda befintlig mapp."
            raise OutputError(Problem("HD601", message, Location(" ".join(args.output))))
        bar = ProgressBar(0)
        try:
            result = make_documents(
                args.kind,
                sources,
                args.output[0],
                plan_file=plans[0] if followups is not None else None,
                formats=args.format or ["docx"],
                template=args.template,
                draft=args.draft,
                pdfa=args.pdfa,
                progress=bar,
            )
        finally:
            bar.close()
    else:
        if args.format:
            message = "--format gäller bara när -o är en mapp; annars väljer filändelsen på -o formatet."
            raise OutputError(Problem("HD603", message, Location(args.output[0])))
        followup = followups[0] if followups is not None else None
        result = make_document(
            args.kind, plans[0], args.output, followup, template=args.template, draft=args.draft, pdfa=args.pdfa
        )
    _written(result)
    return EXIT_OK


def _cmd_followup_export(args: argparse.Namespace) -> int:
    from hallbardocs.jobs import make_followup_workbooks

    result = make_followup_workbooks(
        args.plan, args.period, args.output, as_of=args.per, scale=args.scale, previous_file=args.previous
    )
    _print_problems(result.problems)
    print(f"Skrev {len(result.paths)} arbetsböcker i {args.output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_followup_import(args: argparse.Namespace) -> int:
    from hallbardocs.jobs import import_followup

    result = import_followup(args.plan, args.files, args.output)
    _print_problems(result.problems)
    print(f"Skrev {args.output} med {result.reports} rapporter.", file=sys.stderr)
    return EXIT_OK


def _cmd_template_check(args: argparse.Namespace) -> int:
    from hallbardocs import check_template

    result = check_template(args.template, args.kind, fixed=args.fix)
    _print_problems(result.problems)
    for path in result.paths:
        print(f"Skrev {path}.", file=sys.stderr)
    if any(p.is_error for p in result.problems):
        return EXIT_INVALID
    print(f"{args.template}: mallen går att använda.", file=sys.stderr)
    return EXIT_OK


def _cmd_template_new(args: argparse.Namespace) -> int:
    from hallbardocs import make_template

    result = make_template(args.kind, args.profile, args.output)
    _written(result)
    return EXIT_INVALID if any(p.is_error for p in result.problems) else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from hallbardocs import followup_schema, plan_schema

    schema = plan_schema() if args.kind == "plan" else followup_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    from hallbardocs.jobs import convert_plan

    _written(convert_plan(args.plan, args.output))
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:
    from hallbardocs.jobs import review_file

    result = review_file(args.file)
    _print_problems(result.problems)
    if any(p.is_error for p in result.problems):
        return EXIT_INVALID
    print(
        f"{args.file}: inga tillgänglighetsfel av dem ett program kan hitta (se docs/accessibility.md).",
        file=sys.stderr,
    )
    return EXIT_OK


# -- paket: the committee package ------------------------------------------------------------


def _cmd_package(args: argparse.Namespace) -> int:
    from hallbardocs.jobs import make_package, make_packages
    from hallbardocs.progress import ProgressBar

    bar = ProgressBar(0)
    try:
        if len(args.followup) == 1:
            result = make_package(args.plan, args.followup[0], args.output, draft=args.draft, progress=bar)
        else:
            result = make_packages(args.plan, args.followup, args.output, draft=args.draft, progress=bar)
    finally:
        bar.close()
    _written(result)
    return EXIT_OK


def _add_package_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    package = _command(
        commands,
        "paket",
        "skapa sammanträdeshandlingen: tjänsteskrivelsen och dess beslutsunderlag i en PDF",
        "hallbardocs paket handlingsplan.yaml uppfoljning.yaml -o sammantradeshandling.pdf",
    )
    package.add_argument("plan", metavar="PLAN", help="planfilen (.yaml, .yml, .json eller .xlsx)")
    package.add_argument(
        "followup",
        nargs="+",
        metavar="UPPFÖLJNING",
        help="uppföljningen med avsnittet tjänsteskrivelse; flera (en per nämnd) ger en handling var",
    )
    package.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="UT.pdf|MAPP",
        help="PDF-filen som skapas (behöver LibreOffice); med flera uppföljningar en mapp, "
        "där var och en blir UPPFÖLJNING.pdf",
    )
    package.add_argument(
        "--draft", action="store_true", help="utkast: platshållare blir varningar och dokumenten märks ”Utkast”"
    )
    package.set_defaults(run=_cmd_package)


# -- end of paket -----------------------------------------------------------------------------


def _period(text: str) -> str:
    """``--period`` checked as the command line is read (a wrong one is a usage error, status 2)."""
    from hallbardocs.errors import InvalidInputError
    from hallbardocs.model.followup import Period

    try:
        Period.parse(text)
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(exc.problems[0].message) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser; build it (and parse with it) inside :func:`_argparse_in_swedish`."""
    from hallbardocs import __version__

    parser = _Parser(
        prog="hallbardocs",
        description="Skapar kommunens hållbarhetsdokument (handlingsplan m.m.) ur strukturerade data.",
        epilog="Exempel:\n  hallbardocs check handlingsplan.yaml\n"
        "  hallbardocs handlingsplan handlingsplan.yaml -o handlingsplan.docx\n\n"
        "”hallbardocs KOMMANDO --help” visar hjälpen för ett kommando.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"hallbardocs {__version__}", help="visa versionen och avsluta"
    )
    commands = parser.add_subparsers(
        title="kommandon", dest="command", required=True, metavar="KOMMANDO", parser_class=_Parser
    )

    _add_check_command(commands)
    _add_schema_command(commands)
    _add_document_commands(commands)
    _add_followup_commands(commands)
    _add_template_commands(commands)
    _add_convert_command(commands)
    _add_review_command(commands)
    _add_package_command(commands)
    return parser


def _add_check_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``check`` command: a plan (and a follow-up) checked, every problem shown."""
    check = _command(
        commands,
        "check",
        "kontrollera en plan och visa alla fel",
        "hallbardocs check handlingsplan.yaml --followup uppfoljning.yaml",
    )
    check.add_argument("plan", metavar="PLAN", help="planfilen (.yaml, .yml, .json eller .xlsx)")
    check.add_argument("--draft", action="store_true", help="utkast: platshållare och tomt diarienummer blir varningar")
    check.add_argument("--followup", metavar="UPPFÖLJNING", help="kontrollera också en uppföljning av planen")
    check.set_defaults(run=_cmd_check)


def _add_schema_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``schema`` command: the JSON Schema of an input file."""
    schema = _command(
        commands, "schema", "skriv ut JSON Schema för en indatafil", "hallbardocs schema plan > plan.schema.json"
    )
    schema.add_argument("kind", choices=["plan", "followup"], metavar="plan|followup", help="vilken fil")
    schema.set_defaults(run=_cmd_schema)


def _add_document_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """One command per document kind in the registry."""
    from hallbardocs.documents.registry import KINDS

    for kind in KINDS.values():
        document = _command(commands, kind.name, f"skapa {kind.description}", kind.example)
        if kind.needs_followup:
            document.add_argument("plan", metavar="PLAN", help="planfilen (.yaml, .yml, .json eller .xlsx)")
            document.add_argument(
                "followup",
                nargs="+",
                metavar="UPPFÖLJNING",
                help="uppföljningen (.yaml eller .json); flera ger ett dokument var, i mappen -o",
            )
        else:
            document.add_argument(
                "plan",
                nargs="+",
                metavar="PLAN",
                help="planfilen (.yaml, .yml, .json eller .xlsx); flera planfiler, eller en mapp av dem, "
                "ger ett dokument per plan, i mappen -o",
            )
        document.add_argument(
            "-o",
            "--output",
            required=True,
            action="append",
            metavar="UT.docx|UT.pdf|MAPP",
            help="dokumentet som skapas; filändelsen väljer formatet (.docx eller .pdf, som behöver LibreOffice); "
            "flera -o ger flera format av en körning; en befintlig mapp får ett dokument per indatafil",
        )
        document.add_argument(
            "--format",
            action="append",
            choices=["docx", "pdf"],
            metavar="docx|pdf",
            help="med en mapp som -o: formatet som skrivs (standard docx); flera --format ger flera format",
        )
        document.add_argument(
            "--pdfa", action="store_true", help="PDF/A-2 för diariet och arkivet (fortfarande taggad)"
        )
        document.add_argument(
            "--template", metavar="MALL.docx", help="kommunens egen mall i stället för standardmallen"
        )
        document.add_argument(
            "--draft",
            action="store_true",
            help="utkast: platshållare och tomt diarienummer blir varningar, och dokumentet märks ”Utkast”",
        )
        document.set_defaults(run=_cmd_document, kind=kind.name)


def _add_followup_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``followup`` command and its steps ``export`` and ``import``."""
    followup = _command(
        commands,
        "followup",
        "samla in uppföljningen från sektorer och bolag",
        'hallbardocs followup export handlingsplan.yaml --period "Helår 2026" -o utskick/',
    )
    steps = followup.add_subparsers(title="steg", dest="step", required=True, metavar="STEG", parser_class=_Parser)
    export = _command(
        steps,
        "export",
        "en arbetsbok per sektor/bolag att fylla i",
        'hallbardocs followup export handlingsplan.yaml --period "Helår 2026" -o utskick/',
    )
    export.add_argument("plan", metavar="PLAN", help="planfilen")
    export.add_argument(
        "--period", required=True, type=_period, metavar="PERIOD", help="”Helår 2026” eller ”Delår 2026”"
    )
    export.add_argument("--per", metavar="DATUM", help="datumet uppföljningen avser (standard 31/12 resp. 31/8)")
    export.add_argument("--scale", default="standard", choices=["standard", "länsstyrelserna"], help="statusskala")
    export.add_argument("--previous", metavar="UPPFÖLJNING", help="förifyll med en tidigare uppföljning")
    export.add_argument("-o", "--output", required=True, metavar="MAPP", help="mappen för arbetsböckerna")
    export.set_defaults(run=_cmd_followup_export)
    imp = _command(
        steps,
        "import",
        "läs in ifyllda arbetsböcker till en uppföljningsfil",
        "hallbardocs followup import utskick/*.xlsx --plan handlingsplan.yaml -o uppfoljning.yaml",
    )
    imp.add_argument("files", nargs="+", metavar="ARBETSBOK", help="ifyllda arbetsböcker (.xlsx)")
    imp.add_argument("--plan", required=True, metavar="PLAN", help="planfilen")
    imp.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="UPPFÖLJNING.yaml",
        help="uppföljningsfilen, .yaml eller .json (uppdateras)",
    )
    imp.set_defaults(run=_cmd_followup_import)


def _add_template_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``mall`` command and its steps ``kontrollera`` and ``ny``."""
    from hallbardocs.documents.registry import KINDS

    kinds = list(KINDS)
    template = _command(
        commands,
        "mall",
        "kontrollera kommunens egen mall, eller gör en mall av kommunens grafiska profil",
        "hallbardocs mall kontrollera MALL.docx --typ handlingsplan",
    )
    template_steps = template.add_subparsers(
        title="steg", dest="step", required=True, metavar="STEG", parser_class=_Parser
    )
    check_tpl = _command(
        template_steps,
        "kontrollera",
        "visa alla fel och varningar i en mall på en gång",
        "hallbardocs mall kontrollera MALL.docx --typ handlingsplan",
    )
    check_tpl.add_argument("template", metavar="MALL.docx", help="mallen (.docx eller .dotx)")
    check_tpl.add_argument(
        "--typ", dest="kind", required=True, choices=kinds, metavar="|".join(kinds), help="dokumenttyp"
    )
    check_tpl.add_argument(
        "--laga",
        dest="fix",
        metavar="KOPIA.docx",
        help="skriv en kopia med raka citattecken i taggarna (mallen ändras inte)",
    )
    check_tpl.set_defaults(run=_cmd_template_check)
    new_tpl = _command(
        template_steps,
        "ny",
        "gör en mall av en dokumenttyp i kommunens grafiska profil (formatmallar, sidinställningar, sidhuvud och sidfot)",
        "hallbardocs mall ny --typ handlingsplan --profil KOMMUNMALL.dotx -o MALL.docx",
    )
    new_tpl.add_argument(
        "--typ", dest="kind", required=True, choices=kinds, metavar="|".join(kinds), help="dokumenttyp"
    )
    new_tpl.add_argument(
        "--profil",
        dest="profile",
        required=True,
        metavar="KOMMUNMALL.dotx",
        help="kommunens Word-mall (.dotx eller .docx)",
    )
    new_tpl.add_argument("-o", "--output", required=True, metavar="MALL.docx", help="den nya mallen")
    new_tpl.set_defaults(run=_cmd_template_new)


def _add_convert_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``convert`` command: a plan rewritten in another format."""
    convert = _command(
        commands,
        "convert",
        "skriv om en plan till .yaml, .json eller .xlsx",
        "hallbardocs convert handlingsplan.yaml -o handlingsplan.xlsx",
    )
    convert.add_argument("plan", metavar="PLAN", help="planfilen")
    convert.add_argument("-o", "--output", required=True, metavar="UT", help="ny fil: .yaml, .yml, .json eller .xlsx")
    convert.set_defaults(run=_cmd_convert)


def _add_review_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``granska`` command: a document's accessibility review."""
    review = _command(
        commands,
        "granska",
        "granska ett dokuments tillgänglighet (DOS-lagen, WCAG 2.1 AA) och visa alla fel",
        "hallbardocs granska handlingsplan.pdf",
    )
    review.add_argument("file", metavar="FIL.docx|FIL.pdf", help="dokumentet som granskas (.docx eller .pdf)")
    review.set_defaults(run=_cmd_review)


def _show_warning(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> None:
    """Our warnings as the Swedish problems they carry; any other warning as Python shows it."""
    from hallbardocs.errors import HallbardocsWarning

    if isinstance(message, HallbardocsWarning):
        print(message.problem, file=sys.stderr)
    else:  # pragma: no cover - a library's warning
        print(f"{category.__name__}: {message}", file=sys.stderr)


def _print_error(exc: HallbardocsError) -> None:
    from hallbardocs.errors import InvalidInputError, TemplateError

    if isinstance(exc, InvalidInputError) or (isinstance(exc, TemplateError) and len(exc.problems) > 1):
        _print_problems(exc.problems)
    else:
        print(exc, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    import warnings

    from hallbardocs import runtime
    from hallbardocs.errors import HallbardocsError, HallbardocsWarning

    with _argparse_in_swedish():
        args = build_parser().parse_args(argv)
    runtime.use_batch_policy()  # a command may let hallbardocs manage the garbage collector
    with warnings.catch_warnings():
        warnings.simplefilter("always", HallbardocsWarning)
        warnings.showwarning = _show_warning
        try:
            status: int = args.run(args)
        except HallbardocsError as exc:
            _print_error(exc)
            return EXIT_INVALID
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
