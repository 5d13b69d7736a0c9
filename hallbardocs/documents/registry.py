"""The document kinds hallbardocs can make, each declared once.

A :class:`DocumentKind` says what a document needs (a plan, or a plan and its follow-up), how its
template variables and core properties are built from :class:`Sources`, and which template it is
made with by default. The API (``render_document``, ``write_document``) and the command line (one
sub-command per kind) work from :data:`KINDS` alone, so a new kind is a module with its context
builder, a template, and one :func:`register` call::

    register(DocumentKind(
        name="klimatlöfte", description="klimatlöftesrapporten",
        context=lambda s: {"titel": s.plan.metadata.document_name},
        properties=lambda s: DocumentProperties(title="…", author=s.plan.municipality.name),
        template=Path("mallar/klimatlöfte.docx"),
    ))

The built-in kinds import their modules only when a document is made, so listing the kinds (for
``--help``) costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallbardocs.content import DocumentProperties
from hallbardocs.errors import InvalidInputError, Location, Problem

if TYPE_CHECKING:
    from hallbardocs.analysis import FollowUpAnalysis
    from hallbardocs.charts import Charts
    from hallbardocs.model.followup import FollowUp
    from hallbardocs.model.plan import Plan

__all__ = ["KINDS", "DocumentKind", "Sources", "document_kind", "register"]


class Sources:
    """What a document is made from: the plan, its follow-up (for the follow-up documents), and
    whether it is a draft. The analysis of the follow-up is made once, when first asked for."""

    def __init__(self, plan: Plan, followup: FollowUp | None = None, *, draft: bool = False) -> None:
        self.plan = plan
        self.followup = followup
        self.draft = draft

    @cached_property
    def analysis(self) -> FollowUpAnalysis:
        """The follow-up's analysis (statuses, counts, deviations, indicators)."""
        from hallbardocs.analysis import analyse

        if self.followup is None:  # pragma: no cover - document_kind's checks come first
            raise TypeError("this document needs a follow-up")
        return analyse(self.plan, self.followup)

    @cached_property
    def charts(self) -> Charts:
        """The charts stage's images of the analysis (drawn once, when first asked for)."""
        from hallbardocs.charts import draw

        return draw(self.analysis)


def _no_requirements(sources: Sources) -> list[Problem]:
    return []


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: what it is made from and how."""

    name: str
    """The command's and the default template's name: ``handlingsplan``, ``miljobokslut``."""
    description: str
    """What it is, in Swedish, definite form, for the command line's help: ``miljöbokslutet``."""
    context: Callable[[Sources], dict[str, Any]]
    """The template variables (docs/templates.md)."""
    properties: Callable[[Sources], DocumentProperties]
    """Title, author, subject and keywords of the written document."""
    needs_followup: bool = False
    requirements: Callable[[Sources], list[Problem]] = field(default=_no_requirements)
    """Problems that make the document impossible from these sources (checked before rendering)."""
    template: Path | None = None
    """The default template; ``None`` is the shipped ``templates/docx/<name>.docx``."""
    example: str = ""
    """A command line that makes it, for ``--help``."""
    draws_charts: bool = False
    """Whether its context asks for :attr:`Sources.charts` (slow: a second or so): the committee
    package makes such documents after the others, so that LibreOffice lays those out meanwhile."""


KINDS: dict[str, DocumentKind] = {}
"""Every document kind, by name, in the order they were registered."""


def register(kind: DocumentKind) -> DocumentKind:
    """Add ``kind`` to :data:`KINDS` (replacing one of the same name) and return it."""
    KINDS[kind.name] = kind
    return kind


def document_kind(name: str | DocumentKind) -> DocumentKind:
    """The kind named ``name`` (an :class:`InvalidInputError`, HD104, for a name not registered)."""
    if isinstance(name, DocumentKind):
        return name
    try:
        return KINDS[name]
    except KeyError:
        known = ", ".join(f"”{k}”" for k in KINDS)
        message = f"Dokumenttypen ”{name}” finns inte; välj bland {known}."
        raise InvalidInputError([Problem("HD104", message, Location("(dokumenttyp)"))]) from None


# -- the built-in kinds ----------------------------------------------------------------------------


def _handlingsplan_context(sources: Sources) -> dict[str, Any]:
    from hallbardocs.documents.handlingsplan import build_context

    return build_context(sources.plan, draft=sources.draft)


def _handlingsplan_properties(sources: Sources) -> DocumentProperties:
    from hallbardocs.documents.handlingsplan import document_properties

    return document_properties(sources.plan)


def _miljobokslut_context(sources: Sources) -> dict[str, Any]:
    from hallbardocs.documents.miljobokslut import build_context

    return build_context(sources.analysis, sources.charts, draft=sources.draft)


def _miljobokslut_properties(sources: Sources) -> DocumentProperties:
    from hallbardocs.documents.miljobokslut import document_properties

    return document_properties(sources.analysis)


def _tjansteskrivelse_context(sources: Sources) -> dict[str, Any]:
    from hallbardocs.documents.tjansteskrivelse import build_context

    return build_context(sources.analysis, draft=sources.draft)


def _tjansteskrivelse_properties(sources: Sources) -> DocumentProperties:
    from hallbardocs.documents.tjansteskrivelse import document_properties

    return document_properties(sources.analysis)


def _committee_texts(sources: Sources) -> list[Problem]:
    """The tjänsteskrivelse is made from the follow-up's ``tjänsteskrivelse`` block (HD101 without)."""
    followup = sources.followup
    if followup is None or followup.committee is not None:
        return []
    message = "Uppföljningen saknar avsnittet ”tjänsteskrivelse”, som tjänsteskrivelsen behöver (se docs/followup.md)."
    return [Problem("HD101", message, Location(followup.source, field="tjänsteskrivelse"))]


HANDLINGSPLAN = register(
    DocumentKind(
        name="handlingsplan",
        description="handlingsplanen",
        context=_handlingsplan_context,
        properties=_handlingsplan_properties,
        example="hallbardocs handlingsplan handlingsplan.yaml -o handlingsplan.docx",
    )
)
MILJOBOKSLUT = register(
    DocumentKind(
        name="miljobokslut",
        description="miljöbokslutet",
        context=_miljobokslut_context,
        properties=_miljobokslut_properties,
        needs_followup=True,
        draws_charts=True,
        example="hallbardocs miljobokslut handlingsplan.yaml uppfoljning.yaml -o miljobokslut.docx",
    )
)
TJANSTESKRIVELSE = register(
    DocumentKind(
        name="tjansteskrivelse",
        description="tjänsteskrivelsen till nämnden",
        context=_tjansteskrivelse_context,
        properties=_tjansteskrivelse_properties,
        needs_followup=True,
        requirements=_committee_texts,
        example="hallbardocs tjansteskrivelse handlingsplan.yaml uppfoljning.yaml -o tjansteskrivelse.docx",
    )
)
