"""The document registry: every kind is declared once, and a new kind is a context builder, a template
and one entry, which the API and the command line then make like the shipped ones."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from docx import Document

import hallbardocs
from hallbardocs import (
    KINDS,
    DocumentKind,
    InvalidInputError,
    load_plan,
    register,
    render_document,
    write_document,
)
from hallbardocs.cli import main
from hallbardocs.content import DocumentProperties

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples" / "handlingsplan.yaml"


def test_the_shipped_kinds_are_registered_with_what_they_need() -> None:
    assert {name: kind.needs_followup for name, kind in KINDS.items()}.items() >= {
        ("handlingsplan", False),
        ("miljobokslut", True),
        ("tjansteskrivelse", True),
    }


@pytest.fixture
def klimatlofte(tmp_path: Path) -> Iterator[DocumentKind]:
    """A tiny fourth kind, with its own template, registered for one test."""
    template = tmp_path / "klimatlofte.docx"
    document = Document()
    document.add_paragraph("Klimatlöfte för {{ kommun }}")
    document.add_paragraph("{{ antal }} åtgärder")
    document.save(str(template))
    kind = register(
        DocumentKind(
            name="klimatlofte",
            description="klimatlöftesrapporten",
            context=lambda s: {"kommun": s.plan.municipality.name, "antal": len(s.plan.measures)},
            properties=lambda s: DocumentProperties(title="Klimatlöften", author=s.plan.municipality.name),
            template=template,
            example="hallbardocs klimatlofte handlingsplan.yaml -o klimatlofte.docx",
        )
    )
    yield kind
    del KINDS["klimatlofte"]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_a_registered_kind_renders_through_the_api(
    klimatlofte: DocumentKind, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    plan = load_plan(PLAN)

    rendered = render_document("klimatlofte", plan)
    (out,) = write_document(klimatlofte, plan, tmp_path / "ut.docx")

    assert rendered.document.core_properties.title == "Klimatlöften"
    assert paragraphs(out) == ["Klimatlöfte för Lindåsa kommun", f"{len(plan.measures)} åtgärder"]
    ooxml_validate(out)


def test_a_registered_kind_is_a_command(klimatlofte: DocumentKind, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ut.docx"

    assert main(["klimatlofte", str(PLAN), "-o", str(out)]) == 0

    assert paragraphs(out)[0] == "Klimatlöfte för Lindåsa kommun"
    assert f"Skrev {out}." in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["klimatlofte", "--help"])
    assert "klimatlöftesrapporten" in capsys.readouterr().out


def test_an_unknown_kind_is_a_coded_problem() -> None:
    with pytest.raises(InvalidInputError) as raised:
        render_document("årsredovisning", load_plan(PLAN))
    assert raised.value.problems[0].code == "HD104"
    assert "”handlingsplan”" in raised.value.problems[0].message


def test_a_followup_document_without_a_followup_is_a_coded_problem() -> None:
    with pytest.raises(InvalidInputError) as raised:
        render_document("miljobokslut", load_plan(PLAN))
    assert raised.value.problems[0].code == "HD101"


def test_one_render_gives_every_output_asked_for(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"

    written = write_document("handlingsplan", load_plan(PLAN), [first, second])

    assert written == [first, second]
    assert paragraphs(first) == paragraphs(second)


def test_every_output_is_checked_before_anything_is_rendered(tmp_path: Path) -> None:
    good, bad = tmp_path / "a.docx", tmp_path / "saknas" / "b.docx"

    with pytest.raises(hallbardocs.OutputError) as raised:
        write_document("handlingsplan", load_plan(PLAN), [good, bad])

    assert raised.value.problem.code == "HD601"
    assert not good.exists()
