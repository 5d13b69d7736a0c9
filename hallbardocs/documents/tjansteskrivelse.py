"""The committee report (tjänsteskrivelse): the follow-up put before the committee, as a pure
context builder.

:func:`build_context` turns a :class:`~hallbardocs.analysis.FollowUpAnalysis` whose follow-up has
committee texts (``tjänsteskrivelse``) into the variables listed in docs/templates.md. Every figure
is computed from the analysis, never typed: the counts in the summary, the plan's size, the
deviating measures. Sentences use the status *categories* (genomförd, pågår, …), so they read the
same whatever the municipality's scale calls its levels. It does no I/O and knows nothing of Word.
"""

from __future__ import annotations

from typing import Any

from hallbardocs.analysis import ActivityResult, Bucket, FollowUpAnalysis, MeasureResult
from hallbardocs.content import DocumentProperties, Image
from hallbardocs.documents.beslutsunderlag import beslutsunderlag
from hallbardocs.documents.handlingsplan import strategy_kind
from hallbardocs.documents.wording import count_text, status_sentence, status_text
from hallbardocs.formatting import EMPTY, format_date, format_integer, format_long_date, format_year
from hallbardocs.model.followup import CommitteeReport, StatusLevel
from hallbardocs.richtext import parse

__all__ = ["KIND", "build_context", "document_properties", "figures_text", "plan_text"]

KIND = "tjansteskrivelse"


def figures_text(analysis: FollowUpAnalysis) -> str:
    """The computed figures that open the summary: measures by category, then activities.

    "Av 14 åtgärder i handlingsplanen för 2026 är 5 genomförda, 7 pågår och 2 har inte
    påbörjats. Av 47 aktiviteter är 20 genomförda, … Rapport saknas för 3 aktiviteter."
    The clauses are worded as in the miljöbokslut (:mod:`hallbardocs.documents.wording`).
    """
    year = format_year(analysis.plan.year)
    if not analysis.measures:
        return f"Handlingsplanen för {year} innehåller inga åtgärder."
    within = f" i handlingsplanen för {year}"
    sentences = [status_sentence(analysis.measure_buckets(), "åtgärd", "åtgärder", within=within)]
    activities = len(analysis.activities)
    if activities:
        unreported = analysis.not_reported
        if unreported == activities == 1:
            sentences.append("Handlingsplanens enda aktivitet har inte rapporterats.")
        elif unreported == activities:
            sentences.append(f"Ingen av de {format_integer(unreported)} aktiviteterna har rapporterats.")
        else:
            reported: dict[Bucket, int] = {
                b: n for b, n in analysis.activity_buckets().items() if b != "ej_rapporterad"
            }
            sentences.append(status_sentence(reported, "aktivitet", "aktiviteter", total=activities))
            if unreported:
                sentences.append(f"Rapport saknas för {count_text(unreported, 'aktivitet', 'aktiviteter')}.")
    return " ".join(sentences)


def _period_text(analysis: FollowUpAnalysis) -> str:
    period = analysis.followup.period
    return (
        f"Uppföljningen avser {period.kind}et {format_year(period.year)} "
        f"och visar läget den {format_long_date(period.as_of)}."
    )


def plan_text(analysis: FollowUpAnalysis) -> str:
    """The computed sentences that open the background: which plan, decided when and by whom, its
    size, and the period of the follow-up."""
    meta = analysis.plan.metadata
    name = f"”{meta.document_name}”"
    if meta.reference_number and meta.reference_number.strip():
        name += f" ({meta.reference_number.strip()})"
    by = meta.decided_by.strip() if meta.decided_by else ""
    if by and meta.decided:
        decided = f"{by} fastställde den {format_long_date(meta.decided)} {name}."
    elif by:
        decided = f"{name} är fastställd av {by}."
    elif meta.decided:
        decided = f"{name} fastställdes den {format_long_date(meta.decided)}."
    else:
        decided = f"Uppföljningen gäller {name}."
    size = (
        f"Handlingsplanen innehåller {count_text(len(analysis.measures), 'åtgärd', 'åtgärder')} "
        f"med sammanlagt {count_text(len(analysis.activities), 'aktivitet', 'aktiviteter')}."
    )
    return f"{decided} {size} {_period_text(analysis)}"


def _deviations_text(analysis: FollowUpAnalysis, deviating: int) -> str:
    measures = len(analysis.measures)
    if measures == 1:
        return "Handlingsplanens enda åtgärd avviker." if deviating else "Handlingsplanens enda åtgärd avviker inte."
    if deviating == 0:
        return f"Ingen av handlingsplanens {format_integer(measures)} åtgärder avviker."
    return f"Av handlingsplanens {format_integer(measures)} åtgärder avviker {format_integer(deviating)}."


def _status(level: StatusLevel) -> str:
    """A status as its symbol and its word, as in the other documents: ``"× Avbruten"``."""
    return status_text(level)


def _activity_line(result: ActivityResult) -> str:
    line = f"{result.activity.unit}: {_status(result.status)}"
    comment = result.report.comment.strip() if result.report is not None and result.report.comment else ""
    return f"{line} – {comment}" if comment else line


def _deviating_measure(result: MeasureResult) -> dict[str, Any]:
    activities = [a for a in result.activities if a.deviates]
    return {
        "id": result.measure.id,
        "rubrik": result.measure.title,
        "åtgärd": f"{result.measure.id}. {result.measure.title}",
        "status": _status(result.status),
        "kommentar": result.comment.strip() if result.comment else "",
        "aktiviteter": [
            {"id": a.id, "enhet": a.activity.unit, "aktivitet": a.activity.text, "status": _status(a.status)}
            for a in activities
        ],
        "aktiviteter_text": "\n".join(_activity_line(a) for a in activities) or EMPTY,
    }


def _clause_list(clauses: list[str]) -> list[str]:
    """Each decision clause ending as in a minutes' list: a comma, and a full stop after the last."""
    bare = [c.strip().rstrip(",.;").rstrip() for c in clauses]
    return [c + ("." if i == len(bare) - 1 else ",") for i, c in enumerate(bare)]


def _committee(analysis: FollowUpAnalysis) -> CommitteeReport:
    committee = analysis.followup.committee
    if committee is None:
        raise ValueError(
            "the follow-up has no committee texts (tjänsteskrivelse); a tjänsteskrivelse cannot be made without them"
        )
    return committee


def build_context(analysis: FollowUpAnalysis, *, draft: bool = False) -> dict[str, Any]:
    """The template variables of a tjänsteskrivelse (see docs/templates.md); ``draft`` marks an utkast.

    Raises ``ValueError`` when the follow-up has no ``tjänsteskrivelse`` block.
    """
    report = _committee(analysis)
    plan = analysis.plan
    meta = plan.metadata
    office = report.office.strip() if report.office else ""
    deviating = [_deviating_measure(m) for m in analysis.deviating()]
    period = analysis.followup.period
    logo = plan.municipality.logo
    counts = {
        "åtgärder": len(analysis.measures),
        "aktiviteter": len(analysis.activities),
        "ej_rapporterade": analysis.not_reported,
        "avvikande": len(deviating),
    }
    return {
        "utkast": draft,
        "titel": report.subject,
        "ärende": report.subject,
        "kommun": {
            "namn": plan.municipality.name,
            "logotyp": Image(logo, 30, f"{plan.municipality.name}s logotyp") if logo is not None else "",
        },
        "förvaltning": f"{report.administration}, {office}" if office else report.administration,
        "handläggare": {"namn": report.officer, "titel": (report.officer_title or "").strip()},
        "datum": format_date(report.date),
        "datum_långt": format_long_date(report.date),
        "diarienummer": report.reference_number.strip() if report.reference_number else EMPTY,
        "mottagare": report.recipient,
        "förslag_till_beslut": _clause_list(report.proposal),
        "utfall": figures_text(analysis),
        "sammanfattning": parse(report.summary, min_heading=3, max_heading=3),
        "plan_text": plan_text(analysis),
        "bakgrund": parse(report.background, min_heading=3, max_heading=3),
        "bedömning": parse(report.assessment, min_heading=3, max_heading=3),
        "avvikelser_text": _deviations_text(analysis, len(deviating)),
        "avvikande_åtgärder": deviating,
        "beslutsunderlag": [entry.listed for entry in beslutsunderlag(report)],
        "expediering": list(report.send_to),
        "period": {
            "namn": period.label,
            "per": format_date(period.as_of),
            "per_långt": format_long_date(period.as_of),
        },
        "strategi": {"namn": plan.strategy.name or "", **strategy_kind(plan.strategy)},
        "plan": {
            "namn": meta.document_name,
            "år": format_year(plan.year),
            "beslutad": format_date(meta.decided) if meta.decided else EMPTY,
            "beslutsinstans": meta.decided_by.strip() if meta.decided_by and meta.decided_by.strip() else EMPTY,
            "diarienummer": (
                meta.reference_number.strip() if meta.reference_number and meta.reference_number.strip() else EMPTY
            ),
        },
        "antal": {name: format_integer(n) for name, n in counts.items()},
        "tal": counts,
    }


def document_properties(analysis: FollowUpAnalysis) -> DocumentProperties:
    """Title (the matter), author, subject and keywords for the document's properties."""
    report = _committee(analysis)
    return DocumentProperties(
        title=report.subject,
        author=analysis.plan.municipality.name,
        subject=f"Tjänsteskrivelse till {report.recipient}",
        keywords=("Tjänsteskrivelse", report.recipient, "uppföljning", analysis.plan.metadata.document_type),
    )
