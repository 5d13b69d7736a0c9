"""Many documents in one run: a folder of plans, several plan files, or several follow-ups of one
plan, each made into a document of its own in the folder ``-o`` names, through one warm LibreOffice
(``hallbardocs handlingsplan planer/ -o ut/ --format pdf``, ``jobs.make_documents``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from hallbardocs import InvalidInputError, OutputError
from hallbardocs.cli import main
from hallbardocs.jobs import make_documents, plan_files_in

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLAN = EXAMPLES / "handlingsplan.yaml"


def plans_folder(tmp_path: Path, *names: str) -> Path:
    """A folder of copies of the example plan, named ``names``, with its logo."""
    folder = tmp_path / "planer"
    folder.mkdir()
    shutil.copy(EXAMPLES / "logga.png", folder)
    for name in names:
        shutil.copy(PLAN, folder / name)
    return folder


def municipality(path: Path, name: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert "namn: Lindåsa kommun" in text
    path.write_text(text.replace("namn: Lindåsa kommun", f"namn: {name}", 1), encoding="utf-8")


def test_a_folder_of_plans_gives_one_document_per_plan_in_swedish_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = plans_folder(tmp_path, "örby.yaml", "alby.yaml", "zeta.yml")
    municipality(folder / "örby.yaml", "Örby kommun")
    (folder / "~$alby.xlsx").write_bytes(b"Excel's lock file")  # not a plan
    (folder / ".dold.yaml").write_text("{}", encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()

    status = main(["handlingsplan", str(folder), "-o", str(out)])

    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == ["alby.docx", "zeta.docx", "örby.docx"]
    err = capsys.readouterr().err
    written = [line for line in err.splitlines() if line.startswith("Skrev ")]
    assert written == [f"Skrev {out / name}." for name in ("alby.docx", "zeta.docx", "örby.docx")]  # z before ö
    assert "Örby kommun" in "\n".join(p.text for p in Document(str(out / "örby.docx")).paragraphs)
    assert "\r" not in err  # no progress bar: standard error is not a terminal here
    assert (folder / "örby.yaml").read_text(encoding="utf-8").count("Örby kommun") == 1  # inputs untouched


def test_plan_files_in_a_folder_are_the_readable_ones_and_an_empty_folder_is_hd001(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path, "b.json", "a.yaml")
    (folder / "anteckning.txt").write_text("inte en plan", encoding="utf-8")
    empty = tmp_path / "tom"
    empty.mkdir()

    assert [p.name for p in plan_files_in([folder, PLAN])] == ["a.yaml", "b.json", "handlingsplan.yaml"]
    with pytest.raises(InvalidInputError) as caught:
        plan_files_in([empty])
    assert caught.value.problems[0].code == "HD001"
    assert caught.value.problems[0].location.file == str(empty)


def test_every_plans_problems_are_reported_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path, "a.yaml", "b.yaml", "c.yaml")
    for name in ("a.yaml", "c.yaml"):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_text(text.replace("år: 2026", "år: tjugotjugosex", 1), encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()

    with pytest.raises(InvalidInputError) as caught:
        make_documents("handlingsplan", [folder], out)

    files = {Path(p.location.file).name for p in caught.value.problems if p.is_error}
    assert files == {"a.yaml", "c.yaml"}
    assert list(out.iterdir()) == []


def test_two_plans_of_the_same_name_or_a_missing_folder_are_hd601_before_anything_is_read(tmp_path: Path) -> None:
    first = plans_folder(tmp_path, "plan.yaml")
    second = tmp_path / "andra"
    second.mkdir()
    (second / "plan.yaml").write_text("inte: [giltig", encoding="utf-8")  # never read
    out = tmp_path / "ut"
    out.mkdir()

    with pytest.raises(OutputError) as caught:
        make_documents("handlingsplan", [first / "plan.yaml", second / "plan.yaml"], out)
    assert caught.value.problem.code == "HD601"
    assert "skulle båda bli" in caught.value.problem.message
    with pytest.raises(OutputError) as missing:
        make_documents("handlingsplan", [first / "plan.yaml"], tmp_path / "finns-inte")
    assert missing.value.problem.code == "HD601"
    assert "med flera planer ska -o vara en befintlig mapp" in missing.value.problem.message


def test_format_without_a_folder_and_several_plans_to_one_file_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = plans_folder(tmp_path, "a.yaml", "b.yaml")

    assert main(["handlingsplan", str(PLAN), "-o", str(tmp_path / "plan.docx"), "--format", "pdf"]) == 1
    assert "fel HD603: --format gäller bara när -o är en mapp" in capsys.readouterr().err
    assert main(["handlingsplan", str(folder / "a.yaml"), str(folder / "b.yaml"), "-o", str(tmp_path / "x.docx")]) == 1
    assert "fel HD601" in capsys.readouterr().err
    assert not (tmp_path / "plan.docx").exists() and not (tmp_path / "x.docx").exists()


def test_several_follow_ups_of_one_plan_give_a_document_each(tmp_path: Path) -> None:
    folder = tmp_path / "exempel"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("sektorer", "*.xlsx", "*.py"))
    board = folder / "uppfoljning-ks.yaml"
    shutil.copy(folder / "uppfoljning.yaml", board)
    out = tmp_path / "ut"
    out.mkdir()

    result = make_documents(
        "tjansteskrivelse", [folder / "uppfoljning.yaml", board], out, plan_file=folder / "handlingsplan.yaml"
    )

    assert result.paths == [out / "uppfoljning.docx", out / "uppfoljning-ks.docx"]
    assert all(Document(str(p)).paragraphs for p in result.paths)


@pytest.mark.libreoffice
def test_a_folder_of_plans_as_pdf_and_docx_goes_through_one_warm_libreoffice(tmp_path: Path, uno_python: str) -> None:
    from hallbardocs.publish import default_converter

    folder = plans_folder(tmp_path, "a.yaml", "b.yaml")
    out = tmp_path / "ut"
    out.mkdir()
    converter = default_converter()
    starts = converter.starts

    status = main(["handlingsplan", str(folder), "-o", str(out), "--format", "pdf", "--format", "docx"])

    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "a.pdf", "b.docx", "b.pdf"]
    assert converter.starts - starts <= 1  # started once for all, or already running
    for name in ("a.pdf", "b.pdf"):
        reader = PdfReader(out / name)
        assert "Handlingsplan" in reader.pages[0].extract_text()
        assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_a_format_that_cannot_be_written_is_hd603_on_the_first_output_before_anything_is_read(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.mkdir()

    with pytest.raises(OutputError) as caught:
        make_documents("handlingsplan", [PLAN], out, formats=["odt"])

    assert caught.value.problem.code == "HD603"
    assert caught.value.problem.location.file == str(out / "handlingsplan.odt")
    assert list(out.iterdir()) == []
