"""Both follow-up documents word the same figures identically: one wording module says them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document

from hallbardocs import load_followup, load_plan, render_miljobokslut, render_tjansteskrivelse
from hallbardocs.analysis import analyse
from hallbardocs.documents import miljobokslut, tjansteskrivelse
from hallbardocs.documents.wording import PHRASES, scale_rows, status_sentence
from hallbardocs.model.followup import SCALES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def _clauses(sentences: list[str], opening: str) -> list[str]:
    """What follows ``opening`` in each sentence that starts with it (up to the full stop)."""
    pattern = re.compile(re.escape(opening) + r"(?P<rest>[^.]*)\.")
    return [m["rest"].strip() for text in sentences for m in pattern.finditer(text)]


@pytest.fixture(scope="module")
def rendered() -> tuple[list[str], list[str]]:
    plan = load_plan(EXAMPLES / "handlingsplan.yaml")
    followup = load_followup(EXAMPLES / "uppfoljning.yaml", plan)
    return (
        _paragraphs(render_miljobokslut(plan, followup).to_bytes()),
        _paragraphs(render_tjansteskrivelse(plan, followup).to_bytes()),
    )


def _split(clauses: str) -> list[str]:
    """``"är 2 genomförda, 11 pågår och 1 har inte påbörjats"`` -> its clauses."""
    return re.split(r", | och ", clauses)


def test_both_documents_say_the_measures_figures_in_the_same_words(rendered: tuple[list[str], list[str]]) -> None:
    accounts, report = rendered

    in_accounts = _clauses(accounts, "Av 14 åtgärder ")
    in_report = _clauses(report, "Av 14 åtgärder i handlingsplanen för 2026 ")

    assert in_accounts[:1] == in_report[:1] == ["är 2 genomförda, 11 pågår och 1 har inte påbörjats"]


def test_both_documents_say_the_activities_figures_in_the_same_words(rendered: tuple[list[str], list[str]]) -> None:
    accounts, report = rendered

    in_accounts = _split(_clauses(accounts, "Av 47 aktiviteter ")[0])
    in_report = _split(_clauses(report, "Av 47 aktiviteter ")[0])

    # The tjänsteskrivelse says the unreported in a sentence of its own ("Rapport saknas för 2 aktiviteter").
    assert in_accounts == [*in_report, "2 har inte rapporterats"]
    assert "2 har avbrutits" in in_report
    assert any(text.endswith("Rapport saknas för 2 aktiviteter.") for text in report)


def test_a_cancelled_measure_is_said_the_same_in_both_context_builders() -> None:
    plan = load_plan(EXAMPLES / "handlingsplan.yaml")
    followup = load_followup(EXAMPLES / "uppfoljning.yaml", plan)
    analysis = analyse(plan, followup)

    accounts = miljobokslut.build_context(analysis, None)["sammanfattning"]["mening"]
    report = tjansteskrivelse.build_context(analysis)["utfall"]

    assert (
        accounts.replace("Av 14 åtgärder ", "Av 14 åtgärder i handlingsplanen för 2026 ") == report.split(". ")[0] + "."
    )


def test_each_bucket_has_its_wording_once() -> None:
    assert status_sentence({"avbruten": 2, "ej_relevant": 1}, "åtgärd", "åtgärder") == (
        "Av 3 åtgärder har 2 avbrutits och 1 är inte relevant."
    )
    assert set(PHRASES) == {
        "genomförd",
        "pågår",
        "ej_påbörjad",
        "avbruten",
        "ej_relevant",
        "ej_rapporterad",
        "inga_aktiviteter",
    }


def test_the_workbook_instructions_name_each_level_with_its_symbol_and_code() -> None:
    assert scale_rows(SCALES["länsstyrelserna"])[:2] == [
        ("● Genomförd (G)", "Genomförd helt eller i huvudsak, eller pågår kontinuerligt."),
        ("▲ Hälften (H)", "Genomförd till hälften eller mer."),
    ]
