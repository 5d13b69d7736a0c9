"""The tjänsteskrivelse's Beslutsunderlag, numbered as the committee package attaches them.

One list, two readers: the tjänsteskrivelse shows it (an attached document with its "bilaga N"),
and the committee package (``hallbardocs.committee``) attaches the same documents in the same
order under the same numbers, so the list and the package cannot disagree.

An entry of ``tjänsteskrivelse.beslutsunderlag`` is attached when it is

- a mapping with ``fil:`` (a .pdf or .docx beside the follow-up file), or with
  ``dokument: miljöbokslut`` / ``dokument: handlingsplan`` (the document hallbardocs makes);
- a plain string whose first word is "Miljöbokslut" or "Handlingsplan" (the document hallbardocs
  makes, the first time it is named).

A plain string whose first word is "Tjänsteskrivelse" is the tjänsteskrivelse itself (listed, first
in the package, no number); any other plain string is listed without being attached (a document
on paper, say). Attached entries are numbered Bilaga 1, 2, … in the list's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hallbardocs.model.followup import CommitteeReport

__all__ = ["GENERATED", "Underlag", "beslutsunderlag"]

GENERATED = {"miljöbokslut": "miljobokslut", "handlingsplan": "handlingsplan"}
"""The documents the package can make itself: the word in the list -> the document kind."""
_ITSELF = ("tjänsteskrivelse", "tjänsteskrivelsen")


@dataclass(frozen=True)
class Underlag:
    """One entry of the Beslutsunderlag, resolved."""

    name: str
    index: int
    """Its place in the list, from 0 (for the field path ``beslutsunderlag[index + 1]``)."""
    number: int | None = None
    """Bilaga N in the package, or None when it is not attached."""
    kind: str | None = None
    """The generated document it is (``miljobokslut``, ``handlingsplan``), or ``tjansteskrivelse``."""
    file: str | None = None
    """The file attached for it, as written (relative to the follow-up file's folder)."""

    @property
    def label(self) -> str:
        """ "Bilaga 2", or "" for an entry that is not attached."""
        return f"Bilaga {self.number}" if self.number is not None else ""

    @property
    def listed(self) -> str:
        """The entry as the tjänsteskrivelse lists it: ``Miljöbokslut 2026 (bilaga 1)``."""
        return f"{self.name} (bilaga {self.number})" if self.number is not None else self.name


def _first_word(name: str) -> str:
    words = name.split()
    return words[0].casefold().rstrip(".,:;") if words else ""


def beslutsunderlag(report: CommitteeReport) -> list[Underlag]:
    """Every entry of ``report``'s Beslutsunderlag, with the Bilaga number of each attached one."""
    found: list[Underlag] = []
    used: set[str] = set()
    number = 0
    for index, entry in enumerate(report.attachments):
        if entry.plain:
            word = _first_word(entry.name)
            kind = GENERATED.get(word) or GENERATED.get(word.removesuffix("en"))
            if word in _ITSELF:
                found.append(Underlag(entry.name, index, kind="tjansteskrivelse"))
                continue
            if kind is None or kind in used:
                found.append(Underlag(entry.name, index))
                continue
            used.add(kind)
            number += 1
            found.append(Underlag(entry.name, index, number, kind=kind))
        elif entry.file is not None:
            number += 1
            found.append(Underlag(entry.name, index, number, file=entry.file))
        elif entry.document is not None:
            kind = GENERATED[entry.document]
            used.add(kind)
            number += 1
            found.append(Underlag(entry.name, index, number, kind=kind))
        else:
            found.append(Underlag(entry.name, index))
    return found
