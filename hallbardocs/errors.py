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
HD001  the file cannot be read (missing, unreadable, not a regular file, too large, not UTF-8)
HD002  YAML or JSON syntax error
HD003  the Excel workbook cannot be read, or a required sheet or column is missing
HD004  unsupported file type
HD005  the same key twice in one YAML/JSON mapping
HD006  YAML aliases that cannot be expanded: a recursive alias, or an alias bomb
HD007  lists and mappings nested more than 100 levels deep
HD008  a key that cannot be a field's name (a list, a mapping, or empty)
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
HD402  the logo image is missing, not a PNG/JPEG image, or damaged
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
HD810  the follow-up file is locked by another import, or changed while the workbooks were read
HD811  a workbook row whose hidden id disagrees with its locked texts (a swapped or edited id)
HD812  a formula in a workbook cell without a saved value (as scripts and many non-Excel tools write)
HD813  a workbook too large to read (file size, or the size it unpacks to)
HD814  a workbook sheet with more rows than the import reads
HD901  an indicator file is missing, unreadable, not JSON or not a Kolada response
HD902  a CSV of indicators lacks a column, holds no number/year/direction, or a row that does not fit its header
HD903  a Kolada response without data for the municipality, a comparison or the KPI
HD904  a Kolada value with a status other than empty or Missing (warning; the value is kept)
HD905  a CSV indicator defined in two ways (two units or names, two values for one year)
HD906  an indicator value or target that is not a finite number within ±10^15 (NaN, infinity, 1e308)
HD907  an indicator year outside 1900–2200 (a value's year, a Kolada period, a CSV target year)
HD501  the template cannot be found or is not a .docx
HD502  the template has a syntax error
HD503  the template uses a variable that does not exist
HD504  the template's code fails while it runs (a filter given the wrong value, 1/0, include)
HD505  the template ran out of its budget (time, loop iterations, output or value size)
HD506  the template's zip is too large when unpacked (a zip bomb)
HD507  the template held macros or self-opening external links, which were removed (warning)
HD508  the template has no numbering definitions, so numbered lists are unnumbered (warning)
HD520  a tag in the template with a syntax error (the template check: ``mall kontrollera``, every render)
HD521  a variable the document kind's data does not have, nested keys included (with did-you-mean)
HD522  a {%p %}, {%tr %} or {%tc %} tag that does not stand alone in its paragraph, row or cell
HD523  a block tag where it cannot work (tr/tc outside a table, mixed prefixes, in a tracked deletion)
HD524  a tag split across paragraphs or cells, which the renderer cannot mend
HD525  Word's smart quotes inside a tag (warning; ``mall kontrollera --laga`` writes a straight copy)
HD526  a style the renderer uses is missing from the template (warning)
HD527  no table of contents where the kind's default template has one (warning)
HD528  a heading made of bold Normal text (warning)
HD529  a picture in the template without alternative text (warning)
HD530  a table of three or more columns without a marked header row (warning)
HD540  accessibility: the document has no title
HD541  accessibility: the document has no language
HD542  accessibility: a heading skips a level
HD543  accessibility: a paragraph of bold Normal text that looks like a heading (warning)
HD544  accessibility: an image without alt text (and not marked decorative)
HD545  accessibility: a table without a marked header row
HD546  accessibility: merged cells in a data table (warning)
HD547  accessibility: text whose contrast with its background is below 4.5:1 (3:1 for large text)
HD548  accessibility: a shaded cell without text, information in colour alone (warning)
HD549  accessibility: a list typed with "•" or "1." instead of a real list (warning)
HD550  accessibility: a link whose text says nothing ("klicka här"); a bare URL is a warning
HD551  accessibility: the PDF is not tagged
HD552  accessibility: the PDF has no /Lang
HD553  accessibility: the PDF's title is missing or not shown (DisplayDocTitle)
HD554  accessibility: a figure in the PDF without alt text
HD555  accessibility: a PDF with headings but no bookmarks
HD556  accessibility: the file to review cannot be opened as a .docx or a PDF
HD601  the output cannot be written
HD602  the output path is one of the inputs
HD603  the output's suffix names a format the command cannot write
HD610  LibreOffice, which makes the PDF, is not installed
HD611  LibreOffice is installed but its Python bridge (uno, python3-uno) is not
HD612  LibreOffice did not start
HD613  LibreOffice did not finish a document in time, twice (it was restarted in between)
HD614  LibreOffice could not convert a document, twice (it was restarted in between)
HD615  without LibreOffice the .docx's table of contents gets its page numbers from Word (warning)
HD616  a Beslutsunderlag file that cannot be attached (missing, unreadable, too large, not .pdf or .docx)
HD617  an attached PDF that is damaged, encrypted or has no pages
HD618  an attached PDF without tags, whose pages are untagged in the committee package (warning)
=====  ==========================================================================
"""

from __future__ import annotations

import errno
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
    "summarised",
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
    place: str | None = None
    """A place in a document: ``stycke 12 (”Mål och …”)``, ``tabell 2, rad 1, cell 3``, ``sida 4``."""

    def __str__(self) -> str:
        where = self.file
        if self.place is not None:
            return f"{where}, {self.place}"
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


_REASON_BY_NAME = {
    "ENOENT": "filen eller mappen finns inte",
    "EACCES": "behörighet saknas",
    "EPERM": "åtgärden är inte tillåten",
    "EEXIST": "filen finns redan",
    "ENOTDIR": "en del av sökvägen är ingen mapp",
    "EISDIR": "det är en mapp",
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EROFS": "filsystemet är skrivskyddat",
    "ENAMETOOLONG": "filnamnet är för långt",
    "ELOOP": "för många symboliska länkar i sökvägen",
    "EIO": "läs- eller skrivfel på disken",
    "ENXIO": "enheten finns inte",
    "ENODEV": "enheten finns inte",
    "EBUSY": "filen är upptagen",
    "ETXTBSY": "filen är upptagen",
    "EAGAIN": "filen är inte redo att läsas",
    "EMFILE": "för många öppna filer",
    "ENFILE": "för många öppna filer",
    "EFBIG": "filen är för stor",
    "ENOMEM": "minnet räcker inte",
    "EXDEV": "filen ligger på ett annat filsystem",
    "EINVAL": "ogiltig sökväg eller åtgärd",
}
_OS_REASONS = {getattr(errno, n): reason for n, reason in _REASON_BY_NAME.items() if hasattr(errno, n)}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Swedish; an uncommon error by its errno name."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    name = errno.errorcode.get(exc.errno or 0)
    return f"operativsystemet svarade med felet {name}" if name else "okänt fel från operativsystemet"


REPEATS_SHOWN = 10
"""How many problems of one kind (code, severity, file) :func:`summarised` shows before it counts the rest."""


def summarised(problems: Iterable[Problem], shown: int = REPEATS_SHOWN) -> list[Problem]:
    """The problems to show a person: of each kind (the same code and severity in the same file) the
    first ``shown``, then one problem of that kind that says how many more there are.

    A million added rows give ten HD805 lines and "… och 999 990 fel till av samma slag", not a
    million lines. The order is kept; the count line stands where the first one left out stood.
    """
    listed = list(problems)
    totals: dict[tuple[str, str, str | None], int] = {}
    for problem in listed:
        kind = (problem.code, problem.severity, problem.location.file if problem.location else None)
        totals[kind] = totals.get(kind, 0) + 1
    seen: dict[tuple[str, str, str | None], int] = {}
    out: list[Problem] = []
    for problem in listed:
        kind = (problem.code, problem.severity, problem.location.file if problem.location else None)
        n = seen[kind] = seen.get(kind, 0) + 1
        rest = totals[kind] - shown
        if n <= shown or rest == 1:
            out.append(problem)
        elif n == shown + 1:
            from hallbardocs.formatting import format_integer  # babel: only when there is something to count

            what = "fel" if problem.is_error else "varningar"
            out.append(
                Problem(
                    problem.code,
                    f"… och {format_integer(rest)} {what} till av samma slag.",
                    Location(kind[2]) if kind[2] is not None else None,
                    severity=problem.severity,
                )
            )
    return out


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
    """A template that cannot be found, parsed or rendered with the document's data.

    ``problem`` is the first error; ``problems`` holds every problem the template check found
    (``hallbardocs mall kontrollera``), warnings included, or just ``problem``.
    """

    def __init__(self, problem: Problem | Iterable[Problem]) -> None:
        problems = [problem] if isinstance(problem, Problem) else list(problem)
        self.problems: list[Problem] = problems
        self.problem = next((p for p in problems if p.is_error), problems[0])
        errors = [p for p in problems if p.is_error]
        more = f" (och {len(errors) - 1} fel till)" if len(errors) > 1 else ""
        super().__init__(str(self.problem) + more)


class OutputError(HallbardocsError, OSError):
    """An output that could not be written; nothing was left at the output path."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))
