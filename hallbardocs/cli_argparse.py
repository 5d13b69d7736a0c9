"""argparse in Swedish for the ``hallbardocs`` command: its own texts, its error lines and exit status 2.

:mod:`hallbardocs.cli` builds its parser and parses inside :func:`argparse_in_swedish`, with
:class:`Parser` for every (sub)command and :func:`command` for a subcommand whose help ends with an
example.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator

__all__ = ["EXIT_USAGE", "Parser", "argparse_in_swedish", "command"]

EXIT_USAGE = 2
"""The exit status of a wrong command line."""

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
def argparse_in_swedish() -> Iterator[None]:
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


class Parser(argparse.ArgumentParser):
    """argparse with Swedish error lines and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: fel: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def command(commands: argparse._SubParsersAction[Parser], name: str, help: str, example: str) -> Parser:
    """A subcommand whose help ends with an example."""
    return commands.add_parser(
        name,
        help=help,
        description=help[:1].upper() + help[1:] + ".",
        epilog=f"Exempel:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
