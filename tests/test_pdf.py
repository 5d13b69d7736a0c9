"""The example handlingsplan laid out by LibreOffice: what the printed pages show.

The .docx is converted to PDF once per session; the tests read its text back with pypdf.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from hallbardocs import Plan

pytestmark = pytest.mark.libreoffice

FRONT_MATTER_PAGES = 3  # the cover, "Metadata om dokument" and "Innehåll"


def normalised(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) as single spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pages(
    example_docx: Path, convert_to_pdf: Callable[[Path, Path], Path], tmp_path_factory: pytest.TempPathFactory
) -> list[str]:
    """The text of each page of the example's PDF."""
    pdf = convert_to_pdf(example_docx, tmp_path_factory.mktemp("pdf"))
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def lines_of(page: str) -> list[str]:
    return [normalised(line) for line in page.splitlines()]


def measure_pages(pages: list[str], plan: Plan) -> list[int]:
    """For each measure, the index of the page its numbered heading ("3. Rubrik") heads.

    The table of contents, the overview and the activity list hold the numbered titles too, but never
    at the top of a page, right under the running header.
    """
    found = []
    for measure in plan.measures:
        heading = normalised(f"{measure.id}. {measure.title}")
        matches = [i for i, page in enumerate(pages) if heading in [line for line in lines_of(page) if line][:3]]
        assert len(matches) == 1, f"{measure.title!r} heads pages {matches}"
        found.append(matches[0])
    return found


def test_every_chapter_and_measure_title_is_in_the_pdf(pages: list[str], example_plan: Plan) -> None:
    text = normalised("\n".join(pages))

    for title in [c.title for c in example_plan.chapters] + [m.title for m in example_plan.measures]:
        assert normalised(title) in text


def test_the_pdf_has_a_page_per_measure_besides_the_front_matter(pages: list[str], example_plan: Plan) -> None:
    assert len(pages) >= FRONT_MATTER_PAGES + len(example_plan.measures)
    assert len(set(measure_pages(pages, example_plan))) == len(example_plan.measures)


def test_each_measure_starts_on_its_own_page_in_plan_order(pages: list[str], example_plan: Plan) -> None:
    found = measure_pages(pages, example_plan)

    assert found == sorted(found)
    for previous, measure, index in zip(example_plan.measures[:-1], example_plan.measures[1:], found[1:], strict=True):
        assert normalised(previous.title) not in normalised(pages[index]), (
            f"{measure.title!r} shares page {index + 1} with {previous.title!r}"
        )


def test_the_footer_counts_the_pages_and_the_cover_has_none(pages: list[str]) -> None:
    total = len(pages)

    assert "Sida" not in pages[0]
    assert f"Sida 2 av {total}" in normalised(pages[1])
    assert f"Sida {total} av {total}" in normalised(pages[-1])


def test_the_activity_list_repeats_its_header_row_on_each_of_its_pages(pages: list[str]) -> None:
    first = next(i for i, page in enumerate(pages) if "Bilaga 1 Aktivitetslistan" in lines_of(page))
    appendix = pages[first:]

    assert len(appendix) > 1, "the example's activity list is long enough to need several pages"
    assert all("Åtgärd Enhet Aktivitet Period Kostnad" in lines_of(page) for page in appendix)
    assert "Summa 33 680 000 kr" in lines_of(appendix[-1])
