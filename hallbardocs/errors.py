"""Problems found in input, and the one exception base of hallbardocs.

The exception tree::

    HallbardocsError                  anything hallbardocs raises on purpose
    ├── InvalidInputError             input that could not be read or is not a valid plan;
    │                                 carries every Problem found, not just the first
    ├── TemplateError                 a template that cannot be read or rendered
    └── OutputError                   an output that cannot be written (nothing is left behind)

    HallbardocsWarning (UserWarning)  something was worked around that the user should know of
                                      (a warning Problem, issued with :func:`warnings.warn`)

A :class:`Problem` is one finding: a stable code (``HD203``), a Swedish message for the user, where
it is (file and line, or file, sheet and cell), and optionally a suggestion ("Hushagen"). Warnings
are Problems too, with ``severity="varning"``; they never stop a render.

Codes (the numbers are stable; docs/errors.md describes each):

=====  ==========================================================================
HD001  the file cannot be read (missing, unreadable, not UTF-8)
HD002  YAML or JSON syntax error
HD003  the Excel workbook cannot be read, or a required sheet or column is missing
HD004  unsupported file type
HD005  the same key twice in one YAML/JSON mapping
HD101  a required field is missing or empty
HD102  a value of the wrong type
HD103  an unknown field (usually a typo)
HD104  a value in the wrong format (date, colour, number range)
HD201  the same id twice
HD202  the same name twice
HD203  an unknown unit (sector/company)
HD204  an unknown focus area
HD205  an unknown miljökvalitetsmål
HD206  an unknown global goal (Agenda 2030)
HD207  a measure with no responsible unit
HD208  an activity for a unit the measure does not name
HD209  impossible dates
HD210  a focus area no measure uses (warning)
HD211  an activity for a measure id that does not exist (workbooks)
HD212  a measure with no activities (warning)
HD301  placeholder text left in a field
HD302  the diarienummer is empty in a final plan
HD401  characters that a Word document cannot hold were removed (warning)
HD402  the logo image is missing or not a PNG/JPEG image
HD701  a follow-up report for an activity the plan does not have
HD702  a report whose unit is not the activity's unit
HD703  a status that is not in the status scale
HD704  two reports for the same activity (a conflict)
HD705  a follow-up of another plan or another year
HD706  an activity without a report (warning)
HD707  an unknown status scale
HD708  the same indicator id twice
HD709  a comment for a measure the plan does not have
HD710  an indicator without any value
HD801  not a follow-up workbook made by hallbardocs
HD802  a workbook of another period (or status scale) than the others or the follow-up
HD803  a workbook of another plan
HD804  a status that is not in the scale; a comment without a status (warning)
HD805  a row with an unknown id (an added row, or an edited id)
HD806  an activity of the unit missing from its workbook (warning)
HD807  locked text was edited (warning; the answer is imported)
HD808  two different answers for one activity (a conflict)
HD809  a row for an activity of another unit than the workbook's
HD901  an indicator file is missing, unreadable, not JSON or not a Kolada response
HD902  a CSV of indicators lacks a column, or holds a value that is not a number, year or direction
HD903  a Kolada response without data for the municipality, a comparison or the KPI
HD904  a Kolada value with a status other than empty or Missing (warning; the value is kept)
HD905  a CSV indicator defined in two ways (two units or names, two values for one year)
HD501  the template cannot be found or is not a .docx
HD502  the template has a syntax error
HD503  the template uses a variable that does not exist
HD504  the template's code fails while it runs (a filter given the wrong value, 1/0, include)
HD505  the template ran out of its budget (time, loop iterations, output or value size)
HD506  the template's zip is too large when unpacked (a zip bomb)
HD507  the template held macros or self-opening external links, which were removed (warning)
HD508  the template has no numbering definitions, so numbered lists are unnumbered (warning)
HD601  the output cannot be written
HD602  the output path is one of the inputs
HD603  the output's suffix names a format the command cannot write
HD610  LibreOffice, which makes the PDF, is not installed
HD611  LibreOffice is installed but its Python bridge (uno, python3-uno) is not
HD612  LibreOffice did not start
HD613  LibreOffice did not finish a document in time, twice (it was restarted in between)
HD614  LibreOffice could not convert a document, twice (it was restarted in between)
HD615  without LibreOffice the .docx's table of contents gets its page numbers from Word (warning)
=====  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "HallbardocsError",
    "HallbardocsWarning",
    "InvalidInputError",
    "Location",
    "OutputError",
    "Problem",
    "TemplateError",
    "os_reason",
]

Severity = Literal["fel", "varning"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file and either a line (YAML/JSON) or a sheet and cell (xlsx)."""

    file: str
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    """The field's path in the plan, as the user writes it: ``åtgärder[3].ansvariga[1]``."""

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f", blad {self.sheet}"
            if self.cell is not None:
                where += f", cell {self.cell}"
        elif self.line is not None:
            where += f", rad {self.line}"
        return where


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in the input: a stable code, a Swedish message, where, and what to do."""

    code: str
    message: str
    location: Location | None = None
    suggestion: str | None = None
    severity: Severity = "fel"

    @property
    def is_error(self) -> bool:
        return self.severity == "fel"

    def __str__(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(f"{self.location}: ")
        parts.append(f"{self.severity} {self.code}: {self.message}")
        if self.location is not None and self.location.field:
            parts.append(f" (fält {self.location.field})")
        if self.suggestion is not None:
            parts.append(f" Menade du ”{self.suggestion}”?")
        return "".join(parts)


_OS_REASONS = {
    2: "filen eller mappen finns inte",
    13: "behörighet saknas",
    17: "filen finns redan",
    20: "en del av sökvägen är ingen mapp",
    21: "det är en mapp",
    28: "disken är full",
    30: "filsystemet är skrivskyddat",
    36: "filnamnet är för långt",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Swedish where the error is a common one."""
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


class HallbardocsError(Exception):
    """Base of every exception hallbardocs raises on purpose."""


class HallbardocsWarning(UserWarning):
    """A warning :class:`Problem` found while making a document; the document was still made."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class InvalidInputError(HallbardocsError, ValueError):
    """The input could not be read, or is not valid; ``problems`` holds every finding."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.is_error]
        first = str(errors[0]) if errors else "okänt fel"
        more = f" (och {len(errors) - 1} fel till)" if len(errors) > 1 else ""
        super().__init__(first + more)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class TemplateError(HallbardocsError):
    """A template that cannot be found, parsed or rendered with the document's data."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class OutputError(HallbardocsError, OSError):
    """An output that could not be written; nothing was left at the output path."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))
