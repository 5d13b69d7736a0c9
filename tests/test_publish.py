"""The warm converter's life without a real LibreOffice: stand-ins for soffice and for LibreOffice's
Python show that a hang or a crash is retried once on fresh processes and then is a coded error,
that a missing LibreOffice says how to install it, and that nothing is left running or on disk.

The conversions themselves, with LibreOffice, are in tests/test_publish_pdf.py.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import pytest

from hallbardocs import Location, OutputError, load_plan, render_handlingsplan
from hallbardocs.errors import HallbardocsWarning
from hallbardocs.publish import Converter, docx_bytes, save
from hallbardocs.publish import converter as converter_module

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples" / "handlingsplan.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

FAKE_WORKER = """\
#!{python}
# A stand-in for LibreOffice's Python running our worker: each start takes the next behaviour
# from the plan file (ok, hang, crash, silent) and writes its process id to the log.
import json, os, sys, time
plan = {plan!r}
with open(plan) as fh:
    behaviours = fh.read().split()
behaviour, rest = behaviours[0], behaviours[1:]
with open(plan, "w") as fh:
    fh.write(" ".join(rest or [behaviour]))
with open(plan + ".pids", "a") as fh:
    fh.write(f"{{os.getpid()}}\\n")
if behaviour == "silent":
    time.sleep(60)
print(json.dumps({{"ready": True}}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if request.get("quit"):
        sys.exit(0)
    if behaviour == "hang":
        time.sleep(60)
    if behaviour == "crash":
        sys.exit(1)
    if request["output"]:
        with open(request["output"], "wb") as out:
            out.write(b"%PDF-1.7 stand-in")
    print(json.dumps({{"ok": True, "pages": {{b: 3 for b in request["bookmarks"]}}, "page_count": 9}}), flush=True)
"""


@pytest.fixture
def stand_in(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(a stand-in soffice, a stand-in Python, its plan file)."""
    soffice = tmp_path / "soffice"
    soffice.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    plan = tmp_path / "plan"
    python = tmp_path / "python"
    python.write_text(FAKE_WORKER.format(python=sys.executable, plan=str(plan)), encoding="utf-8")
    for script in (soffice, python):
        script.chmod(0o755)
    return soffice, python, plan


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _pids(plan: Path) -> list[int]:
    return [int(x) for x in Path(f"{plan}.pids").read_text().split()]


def test_a_document_that_hangs_is_tried_again_on_a_fresh_libreoffice(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, python, plan = stand_in
    plan.write_text("hang ok")

    with Converter(soffice=str(soffice), python=str(python), grace=0.2, timeout=1) as converter:
        layout = converter.convert(b"PK\x03\x04", bookmarks=["_Toc1"])
        assert converter.starts == 2

    assert (layout.pdf, layout.pages, layout.page_count) == (b"%PDF-1.7 stand-in", {"_Toc1": 3}, 9)
    assert not any(_alive(pid) for pid in _pids(plan))


def test_a_document_that_hangs_twice_is_hd613_and_nothing_is_left_running(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, python, plan = stand_in
    plan.write_text("hang hang ok")

    with Converter(soffice=str(soffice), python=str(python), grace=0.2, timeout=1) as converter:
        with pytest.raises(OutputError) as caught:
            converter.convert(b"PK\x03\x04", where=Location("plan.pdf"))
        assert not converter.running

        assert caught.value.problem.code == "HD613"
        assert caught.value.problem.location == Location("plan.pdf")
        assert str(caught.value.problem) == (
            "plan.pdf: fel HD613: LibreOffice blev inte klar med dokumentet inom 1 s, inte heller efter en omstart. "
            "Försök igen, eller gör PDF av .docx-filen i LibreOffice eller Word."
        )
        assert not any(_alive(pid) for pid in _pids(plan))
        assert converter.convert(b"PK\x03\x04").pdf == b"%PDF-1.7 stand-in"  # the next document starts afresh


def test_a_libreoffice_that_crashes_twice_is_hd614(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, python, plan = stand_in
    plan.write_text("crash crash")

    with (
        Converter(soffice=str(soffice), python=str(python), grace=0.2, timeout=5) as converter,
        pytest.raises(OutputError) as caught,
    ):
        converter.convert(b"PK\x03\x04", where=Location("plan.pdf"))

    assert caught.value.problem.code == "HD614"
    assert caught.value.problem.location == Location("plan.pdf")
    assert "inte heller efter en omstart (LibreOffice avslutades oväntat)" in caught.value.problem.message
    assert len(_pids(plan)) == 2


def test_a_libreoffice_that_never_answers_is_hd612(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, python, plan = stand_in
    plan.write_text("silent")

    with (
        Converter(soffice=str(soffice), python=str(python), grace=0.2, start_timeout=1) as converter,
        pytest.raises(OutputError) as caught,
    ):
        converter.convert(b"PK\x03\x04", where=Location("plan.pdf"))

    assert (caught.value.problem.code, caught.value.problem.location) == ("HD612", Location("plan.pdf"))
    assert not any(_alive(pid) for pid in _pids(plan))


def test_libreoffice_missing_is_hd610_and_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("HALLBARDOCS_SOFFICE", raising=False)

    with Converter() as converter, pytest.raises(OutputError) as caught:
        converter.convert(b"PK\x03\x04", where=Location("plan.pdf"))

    assert str(caught.value.problem) == (
        "plan.pdf: fel HD610: LibreOffice behövs för att göra PDF men hittades inte. Installera LibreOffice: på "
        "Debian och Ubuntu `apt-get install libreoffice-writer-nogui python3-uno`, annars från libreoffice.org "
        "(dess Python följer med)."
    )


def test_a_python_that_cannot_import_uno_is_hd611(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, _, _ = stand_in  # the real worker, run by this venv's Python, which has no uno

    with (
        Converter(soffice=str(soffice), python=sys.executable, grace=0.2) as converter,
        pytest.raises(OutputError) as caught,
    ):
        converter.convert(b"PK\x03\x04", where=Location("plan.pdf"))

    assert (caught.value.problem.code, caught.value.problem.location) == ("HD611", Location("plan.pdf"))
    assert "apt-get install python3-uno" in caught.value.problem.message
    assert "HALLBARDOCS_UNO_PYTHON" in caught.value.problem.message


def test_closing_the_converter_ends_libreoffice_and_removes_its_profile(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, python, plan = stand_in
    plan.write_text("ok")
    converter = Converter(soffice=str(soffice), python=str(python), grace=0.2)
    converter.convert(b"PK\x03\x04")
    folder = converter._folder
    assert folder is not None and folder.is_dir() and list(folder.iterdir()) == [folder / "worker.log"]

    converter.close()

    assert not folder.exists()
    assert not any(_alive(pid) for pid in _pids(plan))


def test_one_converter_serves_every_document_of_a_run(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, python, plan = stand_in
    plan.write_text("ok")

    with Converter(soffice=str(soffice), python=str(python), grace=0.2) as converter:
        for _ in range(3):
            converter.convert(b"PK\x03\x04")

        assert converter.starts == 1
    assert len(_pids(plan)) == 1


def test_save_writes_a_pdf_by_its_suffix_and_fills_the_docx_page_numbers_on_the_way(
    stand_in: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    soffice, python, plan = stand_in
    plan.write_text("ok")
    document = render_handlingsplan(load_plan(PLAN))

    with Converter(soffice=str(soffice), python=str(python), grace=0.2) as converter:
        written = save(document, tmp_path / "plan.pdf", converter=converter)

    assert written.read_bytes() == b"%PDF-1.7 stand-in"
    body = document.document.element.body
    results = [t.text for t in body.iter(f"{W}t") if t.getparent().getprevious() is not None and t.text == "3"]
    assert len(results) == document.toc_entries
    assert document.document.settings.element.find(f"{W}updateFields") is None


def test_an_output_suffix_save_cannot_write_is_hd603_before_libreoffice_starts(tmp_path: Path) -> None:
    document = render_handlingsplan(load_plan(PLAN))

    class NoConverter(Converter):
        def convert(self, *args: object, **kwargs: object) -> converter_module.Layout:
            raise AssertionError("converted although the output is refused")

    with pytest.raises(OutputError) as caught:
        save(document, tmp_path / "plan.odt", converter=NoConverter())

    assert caught.value.problem.code == "HD603"
    assert caught.value.problem.message.startswith("Utfilen har ”.odt”, men bara .docx eller .pdf kan skrivas här")
    assert list(tmp_path.iterdir()) == []


def test_without_libreoffice_the_docx_keeps_its_field_update_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("HALLBARDOCS_PAGE_NUMBERS", "on")
    monkeypatch.delenv("HALLBARDOCS_SOFFICE", raising=False)
    monkeypatch.setattr("hallbardocs.publish._WARNED_MISSING", False)
    document = render_handlingsplan(load_plan(PLAN))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = docx_bytes(document, where=Location("plan.docx"))
        again = document.save(tmp_path / "plan.docx")

    problems = [w.message.problem for w in caught if isinstance(w.message, HallbardocsWarning)]
    assert [(p.code, p.severity, p.location) for p in problems] == [("HD615", "varning", Location("plan.docx"))]
    assert problems[0].message.startswith("LibreOffice finns inte, så innehållsförteckningens sidnummer fylls i först")
    assert first[:4] == b"PK\x03\x04" and again.read_bytes()[:4] == b"PK\x03\x04"
    assert document.document.settings.element.find(f"{W}updateFields") is not None


def test_the_worker_imports_only_the_standard_library_and_uno() -> None:
    import ast

    tree = ast.parse(converter_module.WORKER.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }

    assert imported - {"uno", "com"} <= set(sys.stdlib_module_names)  # it runs under LibreOffice's Python


def test_page_references_get_their_numbers_and_word_is_asked_to_update_only_while_one_is_missing() -> None:
    from lxml import etree

    from hallbardocs.render.ooxml import page_reference_targets, set_page_references

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def entry(name: str, result: str) -> str:
        return (
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )

    body = etree.fromstring(
        f"<w:body {ns}>{entry('_Toc1', '<w:r><w:t></w:t></w:r>')}{entry('_Toc2', '')}{entry('_Toc1', '<w:r><w:t>9</w:t></w:r><w:r><w:t>9</w:t></w:r>')}</w:body>"
    )
    settings = etree.fromstring(f'<w:settings {ns}><w:updateFields w:val="true"/></w:settings>')

    assert page_reference_targets(body) == ["_Toc1", "_Toc2"]
    assert set_page_references(body, settings, {"_Toc1": 4}) == 2
    assert settings.find(f"{W}updateFields") is not None  # _Toc2 still has no number: Word fills it in
    assert set_page_references(body, settings, {"_Toc1": 4, "_Toc2": 12}) == 3
    assert ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body] == ["4", "12", "4"]
    assert settings.find(f"{W}updateFields") is None


def test_submitted_documents_are_converted_in_the_background_in_order(stand_in: tuple[Path, Path, Path]) -> None:
    soffice, python, plan = stand_in
    plan.write_text("ok")

    with Converter(soffice=str(soffice), python=str(python), grace=0.2) as converter:
        futures = [converter.submit(b"PK\x03\x04", bookmarks=[f"_Toc{i}"]) for i in range(3)]
        layouts = [f.result(timeout=30) for f in futures]
        assert converter.starts == 1

    assert [layout.pages for layout in layouts] == [{"_Toc0": 3}, {"_Toc1": 3}, {"_Toc2": 3}]
    assert not any(_alive(pid) for pid in _pids(plan))


def test_a_submitted_document_that_fails_raises_its_coded_error_from_the_future(
    stand_in: tuple[Path, Path, Path],
) -> None:
    soffice, python, plan = stand_in
    plan.write_text("crash crash ok")

    with Converter(soffice=str(soffice), python=str(python), grace=0.2, timeout=5) as converter:
        failed = converter.submit(b"PK\x03\x04", where=Location("plan.pdf"))
        after = converter.submit(b"PK\x03\x04")
        with pytest.raises(OutputError) as caught:
            failed.result(timeout=30)
        assert after.result(timeout=30).pdf == b"%PDF-1.7 stand-in"  # the queue goes on, on a fresh LibreOffice

    assert caught.value.problem.code == "HD614"
    assert caught.value.problem.location == Location("plan.pdf")


def _soffice_recording_its_preload(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in soffice that writes the LD_PRELOAD it was started with to a file, and that file."""
    record = tmp_path / "preload"
    soffice = tmp_path / "soffice-env"
    soffice.write_text(f'#!/bin/sh\nprintf "%s" "${{LD_PRELOAD-unset}}" > {record}\nexec sleep 60\n', encoding="utf-8")
    soffice.chmod(0o755)
    return soffice, record


@pytest.mark.parametrize(
    ("allocator", "users_preload", "expected"),
    [
        ("/opt/lib/libtcmalloc_minimal.so.4", None, "/opt/lib/libtcmalloc_minimal.so.4"),
        (None, None, "unset"),  # the C library's malloc
        ("/opt/lib/libtcmalloc_minimal.so.4", "/opt/lib/libmine.so", "/opt/lib/libmine.so"),  # the user's own stays
    ],
)
def test_libreoffice_is_started_with_the_allocator_preloaded(
    stand_in: tuple[Path, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    allocator: str | None,
    users_preload: str | None,
    expected: str,
) -> None:
    _, python, plan = stand_in
    plan.write_text("ok")
    soffice, record = _soffice_recording_its_preload(tmp_path)
    if users_preload is None:
        monkeypatch.delenv("LD_PRELOAD", raising=False)
    else:
        monkeypatch.setenv("LD_PRELOAD", users_preload)

    with Converter(soffice=str(soffice), python=str(python), grace=0.2, allocator=allocator) as converter:
        converter.convert(b"PK\x03\x04")

    assert record.read_text() == expected
    assert "LD_PRELOAD" not in os.environ or os.environ["LD_PRELOAD"] == users_preload  # ours is left as it was


def test_the_allocator_is_tcmalloc_where_it_is_installed_unless_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "lib" / "libtcmalloc_minimal.so.4"
    library.parent.mkdir()
    library.write_bytes(b"\x7fELF")
    monkeypatch.setattr(converter_module, "_LIBRARY_FOLDERS", (str(tmp_path / "none"), str(library.parent)))
    monkeypatch.setattr(converter_module.sys, "platform", "linux")
    monkeypatch.delenv(converter_module.ALLOCATOR_SETTING, raising=False)
    assert converter_module.find_allocator() == str(library)
    assert Converter().allocator == str(library)

    for off in ("off", "", "0"):
        monkeypatch.setenv(converter_module.ALLOCATOR_SETTING, off)
        assert converter_module.find_allocator() is None
    monkeypatch.setenv(converter_module.ALLOCATOR_SETTING, "/opt/lib/libjemalloc.so.2")
    assert converter_module.find_allocator() == "/opt/lib/libjemalloc.so.2"

    monkeypatch.delenv(converter_module.ALLOCATOR_SETTING)
    monkeypatch.setattr(converter_module, "_LIBRARY_FOLDERS", (str(tmp_path / "none"),))
    assert converter_module.find_allocator() is None  # not installed: the C library's malloc
    monkeypatch.setattr(converter_module, "_LIBRARY_FOLDERS", (str(library.parent),))
    monkeypatch.setattr(converter_module.sys, "platform", "darwin")
    assert converter_module.find_allocator() is None  # LD_PRELOAD is Linux's
