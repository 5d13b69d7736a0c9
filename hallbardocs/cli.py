"""The ``hallbardocs`` command: a thin layer over the public API.

Messages are Swedish and go to standard error; exit status 0 is success, 1 invalid input (or a
template or output problem), 2 a wrong command line. Imports happen inside the commands, so a
command loads only what it needs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hallbardocs.errors import Problem
    from hallbardocs.model.followup import Period

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


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


def _refused_output(check: Callable[[], object]) -> bool:
    """Run an output check before any work; print its problem and return True if it refuses."""
    from hallbardocs import HallbardocsError

    try:
        check()
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return True
    return False


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
    from hallbardocs import DOCUMENT_FORMATS, HallbardocsError, input_files, write_miljobokslut, write_tjansteskrivelse
    from hallbardocs.write import check_output, output_format

    if _refused_output(lambda: (output_format(args.output, DOCUMENT_FORMATS), check_output(args.output))):
        return EXIT_INVALID
    loaded = _plan_and_followup(args)
    if isinstance(loaded, int):
        return loaded
    plan, followup = loaded
    write = write_miljobokslut if args.command == "miljobokslut" else write_tjansteskrivelse
    inputs = input_files(args.plan, plan, template=args.template, followup_file=args.followup)  # type: ignore[arg-type]
    _freeze_imported_objects()
    try:
        out = write(plan, followup, args.output, template=args.template, inputs=inputs, draft=args.draft)  # type: ignore[arg-type]
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {out}.", file=sys.stderr)
    return EXIT_OK


def _parse_period(text: str, as_of: str | None) -> Period:
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


def _output_folder(folder: Path) -> None:
    """The folder of ``followup export``: an existing folder, or a new one in a folder that exists
    (HD601 otherwise); what goes in it are .xlsx files."""
    from hallbardocs.errors import Location, OutputError, Problem

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


def _folder_problem(folder: Path, exc: OSError) -> Problem:
    from hallbardocs.errors import Location, Problem, os_reason

    return Problem("HD601", f"Mappen kunde inte skapas: {os_reason(exc)}.", Location(str(folder)))


def _cmd_followup_export(args: argparse.Namespace) -> int:
    from hallbardocs import HallbardocsError, export_followup_workbooks, input_files, load_followup
    from hallbardocs.model import Plan
    from hallbardocs.model.followup import SCALES
    from hallbardocs.write import write_atomically

    out = Path(args.output)
    if _refused_output(lambda: _output_folder(out)):
        return EXIT_INVALID
    plan, status = _validated(args.plan, draft=True)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    try:
        period = _parse_period(args.period, args.per)
    except ValueError as exc:
        print(f"fel HD104: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if period.year != plan.year:
        from hallbardocs.errors import Location, Problem

        _print_problems(
            [
                Problem(
                    "HD705",
                    f"Perioden ”{args.period}” gäller år {period.year}, men planen gäller år {plan.year}; "
                    "en uppföljning av ett annat år än planens godtas inte. Kontrollera --period.",
                    Location(args.plan, field="år"),
                    severity="varning",
                )
            ]
        )
    previous = None
    if args.previous:
        try:
            previous = load_followup(args.previous, plan, draft=True)
        except HallbardocsError as exc:
            print(exc, file=sys.stderr)
            return EXIT_INVALID
    scale = previous.status_scale() if previous is not None else SCALES[args.scale]
    books = export_followup_workbooks(plan, period, scale, previous=previous)
    inputs = input_files(args.plan, plan, followup_file=args.previous)
    try:
        out.mkdir(exist_ok=True)
        for book in books:
            write_atomically(out / book.filename, book.content, inputs=inputs)
    except OSError as exc:  # OutputError, or the folder could not be made
        print(exc if isinstance(exc, HallbardocsError) else _folder_problem(out, exc), file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {len(books)} arbetsböcker i {out}.", file=sys.stderr)
    return EXIT_OK


def _cmd_followup_import(args: argparse.Namespace) -> int:
    from hallbardocs import HallbardocsError
    from hallbardocs.export import FOLLOWUP_FORMATS, followup_lock
    from hallbardocs.model import Plan
    from hallbardocs.write import check_output, output_format

    output = Path(args.output)
    if _refused_output(lambda: (output_format(output, FOLLOWUP_FORMATS), check_output(output))):
        return EXIT_INVALID
    plan, status = _validated(args.plan, draft=True)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    try:
        with followup_lock(args.output):  # a second run into the same file waits, then reads what this one wrote
            return _import_into(args, plan)
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID


def _import_into(args: argparse.Namespace, plan: object) -> int:
    """Read the follow-up file, import the workbooks into it, and write it back unless it changed meanwhile."""
    import contextlib

    import yaml

    from hallbardocs import import_followup_workbooks, input_files, load_followup
    from hallbardocs.collect.merge import followup_with_reports
    from hallbardocs.export import check_unchanged, snapshot
    from hallbardocs.model import Plan
    from hallbardocs.write import write_atomically

    assert isinstance(plan, Plan)
    output = Path(args.output)
    existing = None
    existing_data: dict[str, object] = {}
    before = None
    if output.exists():
        with contextlib.suppress(OSError):  # unreadable: load_followup says why
            before = snapshot(output)  # what is compared with the file just before it is replaced
        existing = load_followup(output, plan, draft=True)
        try:
            existing_data = yaml.safe_load((before or b"").decode("utf-8")) or {}
        except (UnicodeDecodeError, yaml.YAMLError):
            check_unchanged(output, before)  # it was valid when load_followup read it: it changed since
            raise
    result = import_followup_workbooks(args.files, plan, existing=existing)
    _print_problems(result.problems)
    if any(p.is_error for p in result.problems) or result.period is None:
        return EXIT_INVALID
    data = followup_with_reports(existing_data, plan, result, output.suffix)
    check_unchanged(output, before)
    write_atomically(output, data, inputs=input_files(args.plan, plan, workbooks=args.files))
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
    from hallbardocs import DOCUMENT_FORMATS, HallbardocsError, input_files, write_handlingsplan
    from hallbardocs.model import Plan
    from hallbardocs.write import check_output, output_format

    if _refused_output(lambda: (output_format(args.output, DOCUMENT_FORMATS), check_output(args.output))):
        return EXIT_INVALID
    plan, status = _validated(args.plan, args.draft)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    _freeze_imported_objects()
    inputs = input_files(args.plan, plan, template=args.template)
    try:
        out = write_handlingsplan(plan, args.output, template=args.template, inputs=inputs, draft=args.draft)
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {out}.", file=sys.stderr)
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    import os

    from hallbardocs import HallbardocsError, input_files
    from hallbardocs.export import FORMATS
    from hallbardocs.model import Plan
    from hallbardocs.write import check_output, output_format, write_atomically

    output = Path(args.output)
    if _refused_output(lambda: (output_format(output, FORMATS), check_output(output))):
        return EXIT_INVALID
    serialize = output_format(output, FORMATS)
    plan, status = _validated(args.plan, draft=True)
    if plan is None:
        return status
    assert isinstance(plan, Plan)
    inputs = input_files(args.plan, plan)
    logo = plan.municipality.logo
    if logo is not None and logo.is_absolute():
        plan.municipality.logo = Path(os.path.relpath(logo, output.resolve().parent))
    try:
        write_atomically(output, serialize(plan), inputs=inputs)
    except HallbardocsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev {output}.", file=sys.stderr)
    return EXIT_OK


_ARGPARSE_SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "expected one argument": "ett värde behövs",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde behövs",
    "ambiguous option: %(option)s could match %(matches)s": "flaggan %(option)s är tvetydig: den kan vara %(matches)s",
    "not allowed with argument %s": "får inte användas tillsammans med %s",
    "ignored explicit argument %r": "flaggan tar inget värde: %r",
    "one of the arguments %s is required": "ett av argumenten %s behövs",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "unexpected option string: %s": "oväntad flagga: %s",
    "can't open '%(filename)s': %(error)s": "kan inte öppna ”%(filename)s”: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "okänt kommando %(parser_name)r (välj bland %(choices)s)",
}
_ARGPARSE_SWEDISH_PLURAL = {
    "expected %s argument": ("%s värde behövs", "%s värden behövs"),
}


def _swedish(message: str) -> str:
    return _ARGPARSE_SWEDISH.get(message, message)


def _swedish_plural(singular: str, plural: str, n: int) -> str:
    forms = _ARGPARSE_SWEDISH_PLURAL.get(singular)
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if n == 1 else forms[1]


@contextlib.contextmanager
def _argparse_in_swedish() -> Iterator[None]:
    """argparse's own texts ("usage", "options", its error messages) in Swedish.

    argparse passes each of its texts through the ``gettext`` functions it imported as ``_`` and
    ``ngettext``; while the command line is built and parsed, those are our Swedish catalogue.
    """
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext")}
    argparse._ = _swedish  # type: ignore[attr-defined]
    argparse.ngettext = _swedish_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(argparse, name, function)


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish error lines and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fel: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _command(commands: argparse._SubParsersAction[_Parser], name: str, help: str, example: str) -> _Parser:
    """A subcommand whose help ends with an example."""
    return commands.add_parser(
        name,
        help=help,
        description=help[:1].upper() + help[1:] + ".",
        epilog=f"Exempel:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


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

    schema = _command(
        commands, "schema", "skriv ut JSON Schema för en indatafil", "hallbardocs schema plan > plan.schema.json"
    )
    schema.add_argument("kind", choices=["plan", "followup"], metavar="plan|followup", help="vilken fil")
    schema.set_defaults(run=_cmd_schema)

    plan = _command(
        commands,
        "handlingsplan",
        "skapa handlingsplanen som Word-dokument",
        "hallbardocs handlingsplan handlingsplan.yaml -o handlingsplan.docx",
    )
    plan.add_argument("plan", metavar="PLAN", help="planfilen (.yaml, .yml, .json eller .xlsx)")
    plan.add_argument("-o", "--output", required=True, metavar="UT.docx", help="Word-dokumentet som skapas")
    plan.add_argument("--template", metavar="MALL.docx", help="kommunens egen mall i stället för standardmallen")
    plan.add_argument(
        "--draft", action="store_true", help="utkast: platshållare och tomt diarienummer blir varningar, "
        "och dokumentet märks ”Utkast”"
    )
    plan.set_defaults(run=_cmd_handlingsplan)

    for name, what in (("miljobokslut", "miljöbokslutet"), ("tjansteskrivelse", "tjänsteskrivelsen till nämnden")):
        document = _command(
            commands,
            name,
            f"skapa {what} som Word-dokument",
            f"hallbardocs {name} handlingsplan.yaml uppfoljning.yaml -o {name}.docx",
        )
        document.add_argument("plan", metavar="PLAN", help="planfilen")
        document.add_argument("followup", metavar="UPPFÖLJNING", help="uppföljningen (.yaml eller .json)")
        document.add_argument("-o", "--output", required=True, metavar="UT.docx", help="Word-dokumentet som skapas")
        document.add_argument("--template", metavar="MALL.docx", help="kommunens egen mall i stället för standardmallen")
        document.add_argument(
            "--draft", action="store_true", help="utkast: platshållare blir varningar, och dokumentet märks ”Utkast”"
        )
        document.set_defaults(run=_cmd_followup_document)

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
    export.add_argument("--period", required=True, metavar="PERIOD", help="”Helår 2026” eller ”Delår 2026”")
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
        "-o", "--output", required=True, metavar="UPPFÖLJNING.yaml", help="uppföljningsfilen, .yaml eller .json (uppdateras)"
    )
    imp.set_defaults(run=_cmd_followup_import)

    convert = _command(
        commands,
        "convert",
        "skriv om en plan till .yaml, .json eller .xlsx",
        "hallbardocs convert handlingsplan.yaml -o handlingsplan.xlsx",
    )
    convert.add_argument("plan", metavar="PLAN", help="planfilen")
    convert.add_argument("-o", "--output", required=True, metavar="UT", help="ny fil: .yaml, .yml, .json eller .xlsx")
    convert.set_defaults(run=_cmd_convert)
    return parser


def _show_warning(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> None:
    """Our warnings as the Swedish problems they carry; any other warning as Python shows it."""
    from hallbardocs.errors import HallbardocsWarning

    if isinstance(message, HallbardocsWarning):
        print(message.problem, file=sys.stderr)
    else:  # pragma: no cover - a library's warning
        print(f"{category.__name__}: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    import warnings

    from hallbardocs.errors import HallbardocsWarning

    with _argparse_in_swedish():
        args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("always", HallbardocsWarning)
        warnings.showwarning = _show_warning
        status: int = args.run(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
