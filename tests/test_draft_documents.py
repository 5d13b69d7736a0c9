"""A document made with --draft says so on its cover and in its page header; one made without does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from hallbardocs import Plan, analyse_followup, load_followup, render_handlingsplan, render_tjansteskrivelse
from hallbardocs.cli import main
from hallbardocs.documents import miljobokslut
from hallbardocs.render import render as render_context

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples" / "handlingsplan.yaml"
FOLLOWUP = ROOT / "examples" / "uppfoljning.yaml"


def _first_page_and_headers(data: bytes, tmp_path: Path) -> tuple[str, list[str]]:
    path = tmp_path / "ut.docx"
    path.write_bytes(data)
    doc = Document(str(path))
    body = []
    for paragraph in doc.paragraphs:
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            break
        body.append(paragraph.text)
    body += [cell.text for table in doc.tables[:1] for row in table.rows for cell in row.cells]
    headers = [
        p.text for s in doc.sections for h in (s.header, s.first_page_header) for p in h.paragraphs if p.text
    ]
    return "\n".join(body), headers


Render = Callable[[str, bool], bytes]


@pytest.fixture(scope="module")
def render(example_plan: Plan) -> Render:
    """``render(kind, draft)``: the example's document of ``kind`` as .docx bytes."""
    plan = example_plan
    followup = load_followup(FOLLOWUP, plan)

    def rendered(kind: str, draft: bool) -> bytes:
        if kind == "handlingsplan":
            return bytes(render_handlingsplan(plan, draft=draft).to_bytes())
        if kind == "miljobokslut":  # without charts: drawing them costs seconds and says nothing here
            analysis = analyse_followup(plan, followup)
            context = miljobokslut.build_context(analysis, None, draft=draft)
            properties = miljobokslut.document_properties(analysis)
            return bytes(render_context(context, properties, kind=miljobokslut.KIND).to_bytes())
        return bytes(render_tjansteskrivelse(plan, followup, draft=draft).to_bytes())

    return rendered


@pytest.mark.parametrize("kind", ["handlingsplan", "miljobokslut"])
def test_a_draft_says_utkast_on_its_cover_and_in_its_header(
    render: Render, kind: str, tmp_path: Path
) -> None:
    cover, headers = _first_page_and_headers(render(kind, True), tmp_path)

    assert "UTKAST\nDokumentet är ett utkast och är inte beslutat." in cover
    assert headers and all(h.startswith("Utkast – ") for h in headers)


@pytest.mark.parametrize("kind", ["handlingsplan", "miljobokslut", "tjansteskrivelse"])
def test_a_final_document_never_says_utkast(render: Render, kind: str, tmp_path: Path) -> None:
    cover, headers = _first_page_and_headers(render(kind, False), tmp_path)

    assert "utkast" not in cover.casefold()
    assert not any("utkast" in h.casefold() for h in headers)


def test_a_draft_tjansteskrivelse_says_utkast_in_its_header_block_and_page_headers(
    render: Render, tmp_path: Path
) -> None:
    first_page, headers = _first_page_and_headers(render("tjansteskrivelse", True), tmp_path)

    assert "TJÄNSTESKRIVELSE – UTKAST" in first_page
    assert any(h.startswith("UTKAST") for h in headers)  # page 1: only the mark and the page number
    assert any("\tUtkast – Tjänsteskrivelse " in h for h in headers)


def test_the_command_lines_draft_flag_marks_the_document(tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    assert main(["handlingsplan", str(PLAN), "-o", str(out), "--draft"]) == 0

    cover, headers = _first_page_and_headers(out.read_bytes(), tmp_path)

    assert "UTKAST" in cover
    assert headers[0].startswith("Utkast – ")
