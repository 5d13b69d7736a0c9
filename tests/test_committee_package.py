"""The committee package (``hallbardocs paket``): the tjänsteskrivelse and its Beslutsunderlag in one PDF.

The tests without LibreOffice check the list's numbering, the attachments' problems (found before
anything is converted, with nothing written) and the assembly of small PDFs; the ones marked
``libreoffice`` make the example's package once and read it back with pypdf and pikepdf.
"""

from __future__ import annotations

import concurrent.futures
import io
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from hallbardocs import InvalidInputError, Location, OutputError, Problem, load_followup, load_plan
from hallbardocs.cli import main
from hallbardocs.committee import committee_package
from hallbardocs.documents.beslutsunderlag import beslutsunderlag
from hallbardocs.errors import HallbardocsWarning
from hallbardocs.jobs import make_package
from hallbardocs.model.followup import CommitteeReport
from hallbardocs.progress import ProgressBar
from hallbardocs.publish import Layout
from hallbardocs.publish.package import Part, assemble

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LISTED = """  beslutsunderlag:                # attached in this order by `hallbardocs paket` (bilaga 1, 2)
    - Tjänsteskrivelse 2027-02-03
    - Miljöbokslut 2026
    - Handlingsplan till miljöstrategin för 2026
"""


def blank_pdf(pages: int = 1, *, encrypt: str | None = None) -> bytes:
    """A PDF of blank A4 pages, untagged (as many a scanned attachment is)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if encrypt is not None:
        writer.encrypt(encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def workspace(tmp_path: Path, listed: str) -> tuple[Path, Path]:
    """The example's plan and follow-up in ``tmp_path``, the follow-up's Beslutsunderlag replaced by ``listed``."""
    folder = tmp_path / "exempel"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("sektorer", "*.xlsx", "*.py"))
    followup = folder / "uppfoljning.yaml"
    text = followup.read_text(encoding="utf-8")
    assert LISTED in text
    followup.write_text(text.replace(LISTED, listed), encoding="utf-8")
    return folder / "handlingsplan.yaml", followup


def report(*entries: Any) -> CommitteeReport:
    return CommitteeReport.model_validate(
        {
            "förvaltning": "Samhällsbyggnadssektorn",
            "handläggare": "Karin Ek",
            "datum": "2027-02-03",
            "mottagare": "Miljönämnden",
            "ärende": "Miljöbokslut 2026",
            "förslag_till_beslut": ["godkänna miljöbokslutet"],
            "beslutsunderlag": list(entries),
        }
    )


# ------------------------------------------------------------------------ the list's numbering


def test_the_attached_entries_of_the_list_are_numbered_in_order_and_the_others_are_listed_as_they_are() -> None:
    entries = beslutsunderlag(
        report(
            "Tjänsteskrivelse 2027-02-03",
            "Miljöbokslut 2026",
            "Protokoll på papper",
            {"namn": "Karta över dagvattnet", "fil": "bilagor/karta.pdf"},
            "Handlingsplanen för 2026",
            "Miljöbokslut 2025",
            {"namn": "Årsredovisningens miljödel", "dokument": "handlingsplan"},
        )
    )

    assert [(e.listed, e.kind, e.file) for e in entries] == [
        ("Tjänsteskrivelse 2027-02-03", "tjansteskrivelse", None),
        ("Miljöbokslut 2026 (bilaga 1)", "miljobokslut", None),
        ("Protokoll på papper", None, None),
        ("Karta över dagvattnet (bilaga 2)", None, "bilagor/karta.pdf"),
        ("Handlingsplanen för 2026 (bilaga 3)", "handlingsplan", None),
        ("Miljöbokslut 2025", None, None),  # the miljöbokslut is attached once, for its first entry
        ("Årsredovisningens miljödel (bilaga 4)", "handlingsplan", None),
    ]


def test_plain_strings_in_the_list_keep_working_and_an_unknown_key_of_an_entry_is_hd103(tmp_path: Path) -> None:
    from hallbardocs import check_followup

    assert report("Miljöbokslut 2026").attachment_names == ["Miljöbokslut 2026"]
    plan, followup = workspace(tmp_path, LISTED + "    - {namn: Karta, sökväg: karta.pdf}\n")

    result = check_followup(followup, load_plan(plan))

    assert [(p.code, p.location.field) for p in result.problems if p.is_error] == [
        ("HD103", "tjänsteskrivelse.beslutsunderlag[4].sökväg")
    ]


# ------------------------------------------------------------- attachments refused, nothing written


def test_a_missing_attachment_file_is_hd616_on_its_line_before_anything_is_converted(tmp_path: Path) -> None:
    listed = LISTED + "    - {namn: Karta över dagvattnet, fil: bilagor/karta.pdf}\n"
    plan, followup = workspace(tmp_path, listed)
    output = tmp_path / "paket.pdf"

    with pytest.raises(InvalidInputError) as caught:
        make_package(plan, followup, output)

    [problem] = [p for p in caught.value.problems if p.is_error]  # the example's HD706 warnings come too
    assert problem.code == "HD616"
    line = next(n for n, text in enumerate(followup.read_text(encoding="utf-8").splitlines(), 1) if "karta.pdf" in text)
    assert (problem.location.file, problem.location.line) == (str(followup), line)
    assert problem.location.field == "tjänsteskrivelse.beslutsunderlag[4].fil"
    assert "bilagor/karta.pdf" in problem.message and "finns inte" in problem.message
    assert not output.exists()


def test_an_attachment_that_is_neither_pdf_nor_docx_is_hd616(tmp_path: Path) -> None:
    listed = LISTED + "    - {namn: Tabell, fil: tabell.xlsx}\n"
    plan, followup = workspace(tmp_path, listed)
    (followup.parent / "tabell.xlsx").write_bytes(b"PK")

    with pytest.raises(InvalidInputError) as caught:
        make_package(plan, followup, tmp_path / "paket.pdf")

    errors = [p for p in caught.value.problems if p.is_error]
    assert [(p.code, p.location.field) for p in errors] == [("HD616", "tjänsteskrivelse.beslutsunderlag[4].fil")]
    assert "varken .pdf eller .docx" in errors[0].message


def test_a_damaged_and_an_encrypted_pdf_are_each_hd617_in_one_run(tmp_path: Path) -> None:
    listed = LISTED + "    - {namn: Trasig, fil: trasig.pdf}\n    - {namn: Låst, fil: last.pdf}\n"
    plan, followup = workspace(tmp_path, listed)
    (followup.parent / "trasig.pdf").write_bytes(b"%PDF-1.7\nnot a pdf at all")
    (followup.parent / "last.pdf").write_bytes(blank_pdf(encrypt="hemligt"))
    output = tmp_path / "paket.pdf"

    with pytest.raises(InvalidInputError) as caught:
        make_package(plan, followup, output)

    errors = [p for p in caught.value.problems if p.is_error]
    assert [(p.code, p.location.field) for p in errors] == [
        ("HD617", "tjänsteskrivelse.beslutsunderlag[4].fil"),
        ("HD617", "tjänsteskrivelse.beslutsunderlag[5].fil"),
    ]
    assert "krypterad" in errors[1].message
    assert not output.exists()


def test_the_package_is_never_written_over_an_attachment_nor_as_a_docx(tmp_path: Path) -> None:
    listed = LISTED + "    - {namn: Karta, fil: karta.pdf}\n"
    plan, followup = workspace(tmp_path, listed)
    attachment = followup.parent / "karta.pdf"
    attachment.write_bytes(blank_pdf())
    before = attachment.read_bytes()

    with pytest.raises(OutputError) as over:
        make_package(plan, followup, attachment)
    with pytest.raises(OutputError) as docx:
        make_package(plan, followup, tmp_path / "paket.docx")

    assert (over.value.problem.code, docx.value.problem.code) == ("HD602", "HD603")
    assert attachment.read_bytes() == before
    assert not (tmp_path / "paket.docx").exists()


def test_the_command_prints_the_attachments_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan, followup = workspace(tmp_path, LISTED + "    - {namn: Karta, fil: karta.pdf}\n")

    status = main(["paket", str(plan), str(followup), "-o", str(tmp_path / "paket.pdf")])

    assert status == 1
    assert re.search(
        r"uppfoljning\.yaml, rad \d+: fel HD616: Beslutsunderlaget ”Karta” kan inte fogas in", capsys.readouterr().err
    )
    assert not (tmp_path / "paket.pdf").exists()


# ------------------------------------------------------------------------------ the assembly


def test_small_pdfs_are_assembled_with_a_bookmark_and_page_labels_per_part_and_the_package_metadata() -> None:
    parts = [Part(blank_pdf(2), "Tjänsteskrivelse"), Part(blank_pdf(3), "Bilaga 1 Karta", "Bilaga 1")]

    assembled = assemble(parts, title="Ärendet", author="Lindåsa kommun", subject="Sammanträdeshandling")
    reader = PdfReader(io.BytesIO(assembled.pdf))

    assert reader.page_labels == ["1", "2", "Bilaga 1: 1", "Bilaga 1: 2", "Bilaga 1: 3"]
    assert [(o.title, reader.get_destination_page_number(o)) for o in reader.outline] == [
        ("Tjänsteskrivelse", 0),
        ("Bilaga 1 Karta", 2),
    ]
    assert reader.metadata is not None and reader.metadata.title == "Ärendet"
    assert reader.metadata.author == "Lindåsa kommun"
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    assert assembled.untagged == [0, 1]  # blank pages made by pypdf have no structure tree
    assert "Bilaga 1" in reader.pages[2].extract_text()  # printed on the attachment's first page
    font = reader.pages[2]["/Resources"]["/Font"]["/HDBilaga"]
    assert "/FontFile2" in font["/FontDescriptor"]  # embedded, as PDF/UA and PDF/A want
    assert "Bilaga" not in reader.pages[0].extract_text() + reader.pages[3].extract_text()


class RecordingConverter:
    """A converter that records what it is given, in order, and answers each with a blank PDF of
    its own page count, after a while (as LibreOffice would)."""

    def __init__(self) -> None:
        self.queued: list[str] = []
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)

    def submit(self, docx: bytes, *, where: Location | None = None, **options: Any) -> concurrent.futures.Future[Any]:
        assert docx.startswith(b"PK")
        self.queued.append(where.file if where is not None else "")
        pages = len(self.queued)

        def convert() -> Layout:
            time.sleep(0.05)
            return Layout(blank_pdf(pages), {}, pages, {})

        return self.pool.submit(convert)


def test_the_documents_are_queued_for_libreoffice_as_made_the_one_with_charts_last_and_assembled_in_order(
    tmp_path: Path,
) -> None:
    plan_file, followup_file = workspace(tmp_path, LISTED)
    plan = load_plan(plan_file)
    followup = load_followup(followup_file, plan)
    converter = RecordingConverter()

    with pytest.warns(HallbardocsWarning, match="HD618"):  # the stand-in's blank pages are untagged
        data = committee_package(plan, followup, converter=cast(Any, converter), base_dir=followup_file.parent)

    assert converter.queued == [
        "Tjänsteskrivelse 2027-02-03",
        "Bilaga 2 Handlingsplan till miljöstrategin för 2026",
        "Bilaga 1 Miljöbokslut 2026",
    ]
    reader = PdfReader(io.BytesIO(data))
    # the package keeps the list's order: the tjänsteskrivelse (1 page), Bilaga 1 (3), Bilaga 2 (2)
    assert reader.page_labels == ["1", "Bilaga 1: 1", "Bilaga 1: 2", "Bilaga 1: 3", "Bilaga 2: 1", "Bilaga 2: 2"]
    assert [o.title for o in reader.outline] == [
        "Tjänsteskrivelse 2027-02-03",
        "Bilaga 1 Miljöbokslut 2026",
        "Bilaga 2 Handlingsplan till miljöstrategin för 2026",
    ]


def test_a_conversion_that_fails_is_its_coded_error_and_nothing_waits_on_it(tmp_path: Path) -> None:
    plan_file, followup_file = workspace(tmp_path, LISTED)
    plan = load_plan(plan_file)
    followup = load_followup(followup_file, plan)

    class Failing(RecordingConverter):
        def submit(
            self, docx: bytes, *, where: Location | None = None, **options: Any
        ) -> concurrent.futures.Future[Any]:
            future = super().submit(docx, where=where, **options)
            if len(self.queued) != 2:
                return future
            failed: concurrent.futures.Future[Any] = concurrent.futures.Future()
            failed.set_exception(OutputError(Problem("HD614", "LibreOffice kunde inte.", where or Location("x"))))
            return failed

    with pytest.raises(OutputError) as caught:
        committee_package(plan, followup, converter=cast(Any, Failing()), base_dir=followup_file.parent)

    assert caught.value.problem.code == "HD614"
    assert caught.value.problem.location == Location("Bilaga 2 Handlingsplan till miljöstrategin för 2026")


# ----------------------------------------------------------------------------- the progress bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_and_removed_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    stream = Terminal()
    bar = ProgressBar(3, stream=stream)

    bar(1, 3, "Bilaga 1 Miljöbokslut 2026")
    bar.close()

    drawn = stream.getvalue()
    assert "] 1/3 Bilaga 1 Miljöbokslut 2026" in drawn
    assert drawn.endswith("\r") and "\n" not in drawn


@pytest.mark.parametrize(("stream", "ci"), [(io.StringIO(), None), (Terminal(), "true")])
def test_the_progress_bar_is_silent_in_a_pipe_and_in_ci(
    stream: io.StringIO, ci: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    bar = ProgressBar(3, stream=stream)

    bar(1, 3, "Bilaga 1")
    bar.close()

    assert stream.getvalue() == ""


# ------------------------------------------------------------------ the example's package (LibreOffice)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, uno_python: str) -> Iterator[dict[str, Any]]:
    """The example's package with two more attachments: an untagged PDF and a .docx."""
    from docx import Document

    tmp_path = tmp_path_factory.mktemp("paket")
    listed = (
        LISTED
        + "    - {namn: Karta över dagvattnet, fil: bilagor/karta.pdf}\n"
        + "    - {namn: Yttrande från Lindåsahem AB, fil: bilagor/yttrande.docx}\n"
    )
    plan, followup = workspace(tmp_path, listed)
    (followup.parent / "bilagor").mkdir()
    (followup.parent / "bilagor" / "karta.pdf").write_bytes(blank_pdf(2))
    statement = Document()
    statement.core_properties.language = "sv-SE"
    statement.add_heading("Yttrande", level=1)
    statement.add_paragraph("Lindåsahem AB tillstyrker förslaget.")
    statement.save(str(followup.parent / "bilagor" / "yttrande.docx"))
    output = tmp_path / "sammantradeshandling.pdf"
    steps: list[tuple[int, int, str]] = []

    result = make_package(plan, followup, output, progress=lambda *step: steps.append(step))

    yield {
        "path": output,
        "result": result,
        "steps": steps,
        "plan": load_plan(plan),
        "followup": followup,
    }


TITLES = [
    "Tjänsteskrivelse 2027-02-03",
    "Bilaga 1 Miljöbokslut 2026",
    "Bilaga 2 Handlingsplan till miljöstrategin för 2026",
    "Bilaga 3 Karta över dagvattnet",
    "Bilaga 4 Yttrande från Lindåsahem AB",
]


def parts_of(reader: PdfReader) -> list[tuple[str, int, list[Any]]]:
    """The top-level bookmarks: (title, first page, the bookmarks below it)."""
    found: list[tuple[str, int, list[Any]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            found[-1][2].extend(item)
        else:
            found.append((item.title, reader.get_destination_page_number(item), []))
    return found


def flat(items: list[Any]) -> list[Any]:
    return [x for item in items for x in (flat(item) if isinstance(item, list) else [item])]


@pytest.mark.libreoffice
def test_the_package_has_one_bookmark_per_document_in_the_order_of_the_list(package: dict[str, Any]) -> None:
    reader = PdfReader(package["path"])
    parts = parts_of(reader)

    assert [title for title, _, _ in parts] == TITLES
    starts = [page for _, page, _ in parts]
    assert starts == sorted(starts) and starts[0] == 0
    assert "TJÄNSTESKRIVELSE" in reader.pages[0].extract_text()
    assert "Miljöbokslut 2026" in reader.pages[starts[1]].extract_text()
    assert "Handlingsplan till" in reader.pages[starts[2]].extract_text()
    assert "Lindåsahem AB tillstyrker" in reader.pages[starts[4]].extract_text()
    assert package["result"].paths == [package["path"]]
    assert [step[:2] for step in package["steps"]] == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    # made in the order that keeps LibreOffice busy: the miljöbokslut, which draws charts, last
    assert [step[2] for step in package["steps"]] == [TITLES[0], *TITLES[2:], TITLES[1], "sätter ihop"]


@pytest.mark.libreoffice
def test_each_generated_documents_headings_are_bookmarks_below_its_own_and_point_into_it(
    package: dict[str, Any],
) -> None:
    reader = PdfReader(package["path"])
    parts = parts_of(reader)
    ends = [page for _, page, _ in parts[1:]] + [len(reader.pages)]

    for (title, start, below), end in zip(parts[:3], ends[:3], strict=True):
        assert below, title
        assert all(start <= reader.get_destination_page_number(b) < end for b in flat(below)), title
    assert "Sammanfattning" in [b.title for b in flat(parts[1][2])]
    assert "Indikatorer" in [b.title for b in flat(parts[1][2])]


@pytest.mark.libreoffice
def test_page_labels_number_each_document_as_its_own_footer_does_with_bilaga_n(package: dict[str, Any]) -> None:
    reader = PdfReader(package["path"])
    parts = parts_of(reader)
    ends = [page for _, page, _ in parts[1:]] + [len(reader.pages)]
    labels = reader.page_labels

    for n, ((title, start, _), end) in enumerate(zip(parts, ends, strict=True)):
        prefix = f"Bilaga {n}: " if n else ""
        assert labels[start:end] == [f"{prefix}{k}" for k in range(1, end - start + 1)], title
    for n in (1, 2):  # the miljöbokslut's and the handlingsplan's footers say "Sida k av m" (the cover has none)
        start, end = parts[n][1], ends[n]
        for k in (2, 3, end - start):
            assert f"Sida {k} av {end - start}" in reader.pages[start + k - 1].extract_text()


@pytest.mark.libreoffice
def test_the_tjansteskrivelses_list_names_each_attachment_with_the_number_it_has_in_the_package(
    package: dict[str, Any],
) -> None:
    reader = PdfReader(package["path"])
    parts = parts_of(reader)
    letter = " ".join(reader.pages[i].extract_text() for i in range(parts[1][1]))
    letter = re.sub(r"\s+", " ", letter)

    for title, start, _ in parts[1:]:
        number, name = re.fullmatch(r"Bilaga (\d+) (.+)", title).groups()  # type: ignore[union-attr]
        assert f"{name} (bilaga {number})" in letter
        assert reader.page_labels[start] == f"Bilaga {number}: 1"
        assert reader.pages[start].extract_text().startswith(f"Bilaga {number}")  # printed, read first
        if start + 1 < len(reader.pages) and reader.page_labels[start + 1].startswith(f"Bilaga {number}:"):
            assert f"Bilaga {number}" not in reader.pages[start + 1].extract_text()


@pytest.mark.libreoffice
def test_the_printed_bilaga_n_is_the_first_paragraph_of_its_documents_structure(package: dict[str, Any]) -> None:
    with pikepdf.open(package["path"]) as pdf:
        documents = list(pdf.Root.StructTreeRoot.K)
        starts = [pdf.pages.index(pikepdf.Page(d.K[0].Pg)) for d in documents]
        for document in documents[1:]:
            first = document.K[0]
            assert str(first.S) == "/P" and isinstance(first.K, int)
            page = pikepdf.Page(first.Pg)
            nums = pdf.Root.StructTreeRoot.ParentTree.Nums
            tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            assert tree[int(page.obj.StructParents)][int(first.K)].objgen == first.objgen
        assert starts == sorted(starts)


@pytest.mark.libreoffice
def test_the_package_has_its_own_title_author_and_language_shown_as_the_window_title(package: dict[str, Any]) -> None:
    with pikepdf.open(package["path"]) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Miljöbokslut för 2026 och uppföljning av handlingsplanen till miljöstrategin"
        assert str(info["/Author"]) == "Lindåsa kommun"
        assert str(pdf.Root.Lang) == "sv-SE"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == str(info["/Title"])
            assert xmp["dc:creator"] == ["Lindåsa kommun"]
            assert "pdfuaid:part" not in xmp  # no PDF/UA claim: the map attached is untagged (HD618)


@pytest.mark.libreoffice
def test_the_package_is_tagged_with_each_tagged_documents_structure_tree_pointing_at_its_own_pages(
    package: dict[str, Any],
) -> None:
    with pikepdf.open(package["path"]) as pdf:
        root = pdf.Root.StructTreeRoot
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert [str(k.S) for k in root.K] == ["/Document"] * 4  # the untagged map has none
        nums = root.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert int(root.ParentTreeNextKey) == max(tree) + 1
        tagged = 0
        numbers = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        labels = pdf.Root.PageLabels.Nums
        starts = sorted(int(labels[i]) for i in range(0, len(labels), 2))  # each part's first page

        def part(index: int) -> int:
            return max(i for i, start in enumerate(starts) if start <= index)

        for index, page in enumerate(pdf.pages):
            if "/StructParents" not in page.obj:
                continue
            tagged += 1
            for element in tree[int(page.obj.StructParents)]:
                if isinstance(element, pikepdf.Dictionary) and "/Pg" in element:
                    # an element points at its first page, in its own document (a paragraph that
                    # runs over a page break, as LibreOffice tags it, starts on an earlier page)
                    first = numbers[element.Pg.objgen]
                    assert first <= index and part(first) == part(index)
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    kids = tree[int(annotation.StructParent)].K
                    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
                    assert any(
                        isinstance(k, pikepdf.Dictionary) and "/Obj" in k and k.Obj.objgen == annotation.objgen
                        for k in kids
                    )
        assert tagged == len(pdf.pages) - 2  # all but the untagged map's two pages
        headings = [str(e.S) for e in _elements(root) if str(e.S) in ("/H1", "/H2", "/H3")]
        assert headings.count("/H1") >= 5


def _elements(node: Any) -> Iterator[Any]:
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


@pytest.mark.libreoffice
def test_an_untagged_pdf_attachment_is_attached_with_warning_hd618_on_its_line(package: dict[str, Any]) -> None:
    [warning] = [p for p in package["result"].problems if p.code == "HD618"]

    assert warning.severity == "varning"
    assert warning.location.file == str(package["followup"])
    assert warning.location.field == "tjänsteskrivelse.beslutsunderlag[4].fil"
    assert warning.location.line is not None


# --------------------------------------------------------------------- several committees in one run


def test_several_committees_need_an_existing_folder_and_different_names_before_anything_is_read(tmp_path: Path) -> None:
    from hallbardocs.jobs import make_packages

    plan, followup = workspace(tmp_path, LISTED)
    other = tmp_path / "annan" / followup.name
    other.parent.mkdir()
    shutil.copy(followup, other)

    with pytest.raises(OutputError) as missing:
        make_packages(plan, [followup, other], tmp_path / "saknas")
    with pytest.raises(OutputError) as same:
        make_packages(plan, [followup, other], tmp_path)

    assert (missing.value.problem.code, missing.value.problem.location.file) == ("HD601", str(tmp_path / "saknas"))
    assert (same.value.problem.code, same.value.problem.location.file) == ("HD601", str(other))
    assert not list(tmp_path.glob("*.pdf"))


def test_several_committees_report_every_follow_ups_problems_in_one_run(tmp_path: Path) -> None:
    from hallbardocs.jobs import make_packages

    plan, followup = workspace(tmp_path, LISTED)
    broken = followup.with_name("uppfoljning-ks.yaml")
    broken.write_text(followup.read_text(encoding="utf-8").replace("  mottagare: Miljönämnden\n", ""), encoding="utf-8")
    third = followup.with_name("uppfoljning-bn.yaml")
    third.write_text(broken.read_text(encoding="utf-8"), encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        make_packages(plan, [followup, broken, third], tmp_path)

    errors = [(p.code, p.location.file, p.location.field) for p in caught.value.problems if p.is_error]
    assert errors == [
        ("HD101", str(broken), "tjänsteskrivelse.mottagare"),
        ("HD101", str(third), "tjänsteskrivelse.mottagare"),
    ]
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.libreoffice
def test_two_committees_packages_are_made_in_one_run_by_one_libreoffice(
    tmp_path: Path, uno_python: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from hallbardocs.publish import default_converter

    plan, followup = workspace(tmp_path, LISTED)
    board = followup.with_name("uppfoljning-ks.yaml")
    text = followup.read_text(encoding="utf-8").replace(
        LISTED, "  beslutsunderlag: [Tjänsteskrivelse, Miljöbokslut 2026]\n"
    )
    board.write_text(text.replace("  mottagare: Miljönämnden\n", "  mottagare: Kommunstyrelsen\n"), encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    converter = default_converter()
    starts = converter.starts

    status = main(["paket", str(plan), str(followup), str(board), "-o", str(out)])

    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == ["uppfoljning-ks.pdf", "uppfoljning.pdf"]
    assert converter.starts - starts <= 1  # started once for both, or already running
    assert [o.title for o in PdfReader(out / "uppfoljning-ks.pdf").outline if not isinstance(o, list)] == [
        "Tjänsteskrivelse",
        "Bilaga 1 Miljöbokslut 2026",
    ]
    assert len([o for o in PdfReader(out / "uppfoljning.pdf").outline if not isinstance(o, list)]) == 3
    err = capsys.readouterr().err
    assert f"Skrev {out / 'uppfoljning.pdf'}." in err and f"Skrev {out / 'uppfoljning-ks.pdf'}." in err
    assert "\r" not in err  # no progress bar: standard error is not a terminal here


def test_an_entry_naming_both_a_file_and_a_document_is_hd616(tmp_path: Path) -> None:
    listed = LISTED + "    - {namn: Karta, fil: karta.pdf, dokument: handlingsplan}\n"
    plan, followup = workspace(tmp_path, listed)
    (followup.parent / "karta.pdf").write_bytes(blank_pdf())

    with pytest.raises(InvalidInputError) as caught:
        make_package(plan, followup, tmp_path / "paket.pdf")

    errors = [p for p in caught.value.problems if p.is_error]
    assert [(p.code, p.location.field) for p in errors] == [("HD616", "tjänsteskrivelse.beslutsunderlag[4]")]
    assert errors[0].location.line is not None and "både fil och dokument" in errors[0].message
    assert not (tmp_path / "paket.pdf").exists()


def test_the_follow_up_schema_takes_an_entry_as_a_plain_string_or_a_mapping() -> None:
    from hallbardocs import followup_schema

    schema = followup_schema()
    entry = schema["$defs"]["Attachment"]

    assert schema["$defs"]["CommitteeReport"]["properties"]["beslutsunderlag"]["items"] == {
        "$ref": "#/$defs/Attachment"
    }
    assert entry["anyOf"][0] == {"type": "string", "minLength": 1}
    assert set(entry["anyOf"][1]["properties"]) == {"namn", "fil", "dokument"}


@pytest.mark.libreoffice
def test_the_examples_package_passes_the_accessibility_review(tmp_path: Path, uno_python: str) -> None:
    from hallbardocs.review import review_document

    output = tmp_path / "sammantradeshandling.pdf"
    make_package(EXAMPLES / "handlingsplan.yaml", EXAMPLES / "uppfoljning.yaml", output)

    assert review_document(output) == []
