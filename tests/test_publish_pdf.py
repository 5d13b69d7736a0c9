"""PDF from the warm LibreOffice: exact page numbers in the table of contents (the PDF's and the
.docx's), a tagged PDF for accessibility, and PDF/A-2 for the archive.

Each document is converted once per module through one shared converter; the tests read the PDF
back with pypdf (the text of each page) and pikepdf (the structure).
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from hallbardocs import (
    load_followup,
    load_plan,
    plan_from_data,
    render_handlingsplan,
    render_miljobokslut,
    render_tjansteskrivelse,
)
from hallbardocs.publish import Converter, pdf_bytes
from hallbardocs.render import RenderedDocument

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_plan  # noqa: E402

PLAN = ROOT / "examples" / "handlingsplan.yaml"
FOLLOWUP = ROOT / "examples" / "uppfoljning.yaml"
TOC_ENTRY = re.compile(r"^(.*?)\s*\.{4,}\s*(\d+)$")


@pytest.fixture(scope="module")
def converter(uno_python: str) -> Iterator[Converter]:
    with Converter() as warm:
        yield warm


def _document(kind: str) -> RenderedDocument:
    plan = load_plan(PLAN)
    if kind == "handlingsplan":
        return render_handlingsplan(plan)
    if kind == "handlingsplan-200":
        return render_handlingsplan(plan_from_data(generate_plan(200)))
    followup = load_followup(FOLLOWUP, plan)
    return (render_miljobokslut if kind == "miljobokslut" else render_tjansteskrivelse)(plan, followup)


KINDS = ["handlingsplan", "miljobokslut", "tjansteskrivelse", "handlingsplan-200"]
WITH_TOC = ["handlingsplan", "miljobokslut", "handlingsplan-200"]  # the tjänsteskrivelse has none


@pytest.fixture(scope="module")
def published(converter: Converter) -> dict[str, tuple[RenderedDocument, bytes]]:
    """Each kind rendered and converted once: the document (its page numbers filled) and its PDF."""
    found = {}
    for kind in KINDS:
        document = _document(kind)
        found[kind] = (document, pdf_bytes(document, converter=converter))
    return found


def normalised(text: str) -> str:
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def toc_entries(pages: list[str]) -> tuple[int, list[tuple[str, int]]]:
    """The index of the last page of the table of contents and its entries (title, page number).

    An entry whose title wraps continues on the next line; the running header (the line most pages
    begin with) and the "Innehåll" heading are not part of any entry.
    """
    header = Counter(normalised(page.splitlines()[0]) for page in pages if page.strip()).most_common(1)[0][0]
    first = next(i for i, page in enumerate(pages) if "Innehåll" in [normalised(x) for x in page.splitlines()])
    entries: list[tuple[str, int]] = []
    last = first
    for index in range(first, len(pages)):
        pending: list[str] = []
        found_here = False
        for line in pages[index].splitlines():
            line = normalised(line)
            match = TOC_ENTRY.match(line)
            if match:
                entries.append((normalised(" ".join([*pending, match.group(1)])), int(match.group(2))))
                pending = []
                found_here = True
            elif line and line not in (header, "Innehåll"):
                pending.append(line)
        if not found_here:
            break
        last = index
    return last, entries


def heading_page(pages: list[str], title: str, start: int) -> int | None:
    """The first page from ``start`` on where ``title`` stands on lines of its own (one to three)."""
    for index in range(start, len(pages)):
        lines = [normalised(x) for x in pages[index].splitlines()]
        for n in (1, 2, 3):
            if any(normalised(" ".join(lines[i : i + n])) == title for i in range(len(lines) - n + 1)):
                return index
    return None


@pytest.mark.parametrize("kind", WITH_TOC)
def test_every_toc_entry_gives_the_page_where_its_heading_stands(
    published: dict[str, tuple[RenderedDocument, bytes]], kind: str
) -> None:
    document, pdf = published[kind]
    pages = page_texts(pdf)
    last_toc_page, entries = toc_entries(pages)

    assert len(entries) == document.toc_entries
    position = last_toc_page + 1
    for title, number in entries:
        found = heading_page(pages, title, position)
        assert found is not None, f"{title!r} is not on any page after {position + 1}"
        assert number == found + 1, f"{title!r}: the table of contents says {number}, the heading is on {found + 1}"
        position = found


def test_the_tjansteskrivelse_has_no_table_of_contents_to_fill(
    published: dict[str, tuple[RenderedDocument, bytes]],
) -> None:
    document, pdf = published["tjansteskrivelse"]

    assert document.toc_entries == 0
    assert "PAGEREF" not in document.to_bytes().decode("latin-1")
    assert not any("Innehåll" in normalised(page).split() for page in page_texts(pdf))


@pytest.mark.parametrize("kind", WITH_TOC)
def test_the_docx_holds_the_same_page_numbers_and_no_longer_asks_word_to_update_fields(
    published: dict[str, tuple[RenderedDocument, bytes]], kind: str
) -> None:
    document, pdf = published[kind]
    _, entries = toc_entries(page_texts(pdf))

    with zipfile.ZipFile(io.BytesIO(document.to_bytes())) as package:
        body = package.read("word/document.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    cached = re.findall(r"PAGEREF _Toc\d+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                        r"<w:r><w:t>(\d+)</w:t>", body)

    assert [int(n) for n in cached] == [number for _, number in entries]
    assert "updateFields" not in settings


def test_a_saved_docx_gets_its_page_numbers_from_libreoffice(
    converter: Converter, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    from hallbardocs.publish import save

    document = render_handlingsplan(load_plan(PLAN))
    written = save(document, tmp_path / "plan.docx", converter=converter)

    with zipfile.ZipFile(written) as package:
        body = package.read("word/document.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    cached = re.findall(r"\\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>(\d+)<", body)
    assert len(cached) == document.toc_entries and cached[0] == "4"
    assert "updateFields" not in settings
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]
    ooxml_validate(written)


def _session_processes(session: int) -> list[int]:
    """The processes of a session (the warm converter starts LibreOffice in a session of its own)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="LD_PRELOAD and /proc are Linux's")
def test_the_warm_libreoffice_runs_with_tcmalloc_where_it_is_installed(converter: Converter) -> None:
    from hallbardocs.publish.converter import find_allocator

    allocator = find_allocator()
    if allocator is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no allocator for LibreOffice (libtcmalloc-minimal4 missing, or HALLBARDOCS_LIBREOFFICE_MALLOC=off), and CI=true requires one (.ci/run installs it)")
        pytest.skip("tcmalloc (libtcmalloc-minimal4) is not installed")
    converter.convert(render_tjansteskrivelse(load_plan(PLAN), load_followup(FOLLOWUP, load_plan(PLAN))).to_bytes())
    assert converter._office is not None
    mapped = {
        pid: Path(f"/proc/{pid}/maps").read_text()
        for pid in _session_processes(converter._office.pid)
        if Path(f"/proc/{pid}/comm").read_text().strip() == "soffice.bin"
    }

    assert mapped and all(Path(allocator).name in maps for maps in mapped.values())


def _pages_as_images(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    """Each page of ``pdf`` rasterised by poppler at 72 dpi, as raw RGB pixels."""
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm (poppler-utils) is not installed, and CI=true requires it")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(source), str(folder / name)], check=True, timeout=300)
    return [Image.open(page).convert("RGB").tobytes() for page in sorted(folder.glob(f"{name}-*.png"))]


def test_the_table_styles_written_out_for_libreoffice_give_the_same_pages_pixel_for_pixel(
    converter: Converter, tmp_path: Path
) -> None:
    """LibreOffice gets each document with its tables' styles written out (render/table_styles.py),
    because it lays that out faster; what it makes of it must be what it makes of the styles."""
    assert converter.inline_table_styles
    with Converter(inline_table_styles=False) as styled:
        for kind in ("handlingsplan", "miljobokslut", "tjansteskrivelse"):
            data = _document(kind).to_bytes()
            written_out = _pages_as_images(converter.convert(data).pdf or b"", tmp_path, f"{kind}-inline")
            with_styles = _pages_as_images(styled.convert(data).pdf or b"", tmp_path, f"{kind}-styles")

            assert len(written_out) == len(with_styles) > 1, kind
            different = [i + 1 for i, (a, b) in enumerate(zip(written_out, with_styles, strict=True)) if a != b]
            assert not different, f"{kind}: pages {different} differ"


# -- tagged, for accessibility -----------------------------------------------------------------


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements in document order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def _roles(pdf: pikepdf.Pdf) -> dict[str, str]:
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
    return {str(k): str(v) for k, v in role_map.items()}


@pytest.mark.parametrize("kind", ["handlingsplan", "miljobokslut", "tjansteskrivelse"])
def test_the_pdf_is_tagged_in_swedish_with_its_title_and_alt_texts(
    published: dict[str, tuple[RenderedDocument, bytes]], kind: str
) -> None:
    document, data = published[kind]
    title = document.document.core_properties.title
    with pikepdf.open(io.BytesIO(data)) as pdf:
        elements = _structure(pdf)
        types = [str(e.S) for e in elements]
        headings = [int(t[2]) for t in types if re.fullmatch(r"/H[1-6]", t)]

        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "sv-SE"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == title
        assert str(pdf.docinfo.Author) == document.document.core_properties.author
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == title
            assert xmp["pdfuaid:part"] == "1"
        assert "/Outlines" in pdf.Root  # bookmarks from the headings
        figures = [e for e in elements if str(e.S) == "/Figure"]
        assert all(str(f.get("/Alt", "")).strip() for f in figures), "a figure without alt text"
        assert headings and headings[0] == 1 and max(headings) <= 3
        assert all(b - a <= 1 for a, b in itertools.pairwise(headings)), headings


def test_pdfa_is_pdf_a_2_and_still_tagged(converter: Converter) -> None:
    document = render_handlingsplan(load_plan(PLAN))

    data = pdf_bytes(document, pdfa=True, converter=converter)

    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "2"
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "sv-SE"
        assert xmp["dc:title"] == document.document.core_properties.title


def test_to_pdf_writes_nothing_but_libreoffice_s_own_temporary_files(
    uno_python: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    document = render_handlingsplan(load_plan(PLAN))

    data = document.to_pdf()

    assert data.startswith(b"%PDF-")
    assert list(tmp_path.iterdir()) == []


def test_libreoffice_is_gone_when_the_converter_closes_and_when_our_process_dies(
    uno_python: str, tmp_path: Path
) -> None:
    import signal
    import subprocess
    import time

    document = render_handlingsplan(load_plan(PLAN)).to_bytes()
    with Converter() as converter:
        converter.convert(document, pdf=False)
        office = converter._office
        assert office is not None and _running(office.pid)
    assert office.poll() is not None and not _running(office.pid)

    code = (
        "import os, sys; from pathlib import Path; from hallbardocs.publish import Converter; "
        "c = Converter(); c.convert(Path(sys.argv[1]).read_bytes(), pdf=False); "
        "print(c._office.pid, c._worker.pid, c._folder, flush=True); os.kill(os.getpid(), 9)"
    )
    source = tmp_path / "plan.docx"
    source.write_bytes(document)
    killed = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True, timeout=180)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    office_pid, worker_pid, folder = killed.stdout.split()
    pids = [int(office_pid), int(worker_pid)]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (any(_running(pid) for pid in pids) or Path(folder).exists()):
        time.sleep(0.2)
    assert not any(_running(pid) for pid in pids)
    assert not Path(folder).exists()


def _running(group: int) -> bool:
    """Whether any process of the process group (LibreOffice's wrapper and soffice.bin) is alive."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                return True
    return False


def test_the_layout_s_page_of_each_bookmark_is_what_the_updated_table_of_contents_says(converter: Converter) -> None:
    from hallbardocs.render.ooxml import page_reference_targets

    document = render_handlingsplan(load_plan(PLAN))
    names = page_reference_targets(document.document.element.body)
    data = document.to_bytes()

    from_toc = converter.convert(data, pdf=False, bookmarks=names).pages
    from_cursor = converter.convert(data, pdf=False, bookmarks=[*names, "_Toc_no_such_bookmark"]).pages

    assert len(from_toc) == len(names) == document.toc_entries
    assert from_cursor == from_toc  # the unknown bookmark is left out, and the counts no longer match


# -- the command line ---------------------------------------------------------------------------


def test_one_command_writes_the_docx_and_the_pdf_with_the_same_page_numbers(
    uno_python: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ooxml_validate: Callable[[Path], None]
) -> None:
    from hallbardocs.cli import main

    monkeypatch.setenv("HALLBARDOCS_PAGE_NUMBERS", "on")
    docx, pdf = tmp_path / "plan.docx", tmp_path / "plan.pdf"

    assert main(["handlingsplan", str(PLAN), "-o", str(docx), "-o", str(pdf), "--pdfa"]) == 0

    _, entries = toc_entries(page_texts(pdf.read_bytes()))
    with zipfile.ZipFile(docx) as package:
        body = package.read("word/document.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    cached = re.findall(r"\\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>(\d+)<", body)
    assert [int(n) for n in cached] == [number for _, number in entries]
    assert "updateFields" not in settings
    with pikepdf.open(pdf) as opened:
        assert "pdfaid:part" in str(opened.open_metadata())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx", "plan.pdf"]
    ooxml_validate(docx)
