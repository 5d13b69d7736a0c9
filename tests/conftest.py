"""Shared fixtures for the integration tests: the example plan, its rendered document, a compact
text dump of a .docx, the OOXML validator and LibreOffice.

Documents are read back and compared as text, never as bytes (two saves differ in zip timestamps).

The OOXML validator is ``../shared/tools/ooxml_validate.py`` beside the clone, or the file that
``HALLBARDOCS_OOXML_VALIDATOR`` names. Where it is absent only the validation step is left out (with
an :class:`OOXMLValidatorMissing` warning in the summary); every other assertion of the test runs.
With ``CI=true`` a missing validator fails the test, as a missing LibreOffice does.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import signal
import subprocess
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from hallbardocs import Plan, load_plan, write_handlingsplan

# Writing a .docx asks LibreOffice (where installed) for its table of contents' page numbers. The
# many tests that write documents for other reasons skip that; the publishing tests ask for it.
os.environ.setdefault("HALLBARDOCS_PAGE_NUMBERS", "off")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PLAN = ROOT / "examples" / "handlingsplan.yaml"
OOXML_VALIDATOR = Path(__file__).resolve().parents[2] / "shared" / "tools" / "ooxml_validate.py"
"""Where the validator is in the team's layout; ``HALLBARDOCS_OOXML_VALIDATOR`` overrides it."""
SOFFICE_TIMEOUT = 180  # seconds

DumpLine = tuple[str, str, str]
"""One line of a document dump: ``(kind, style_name, text)``, kind ``"p"`` or ``"row"``."""


# --------------------------------------------------------------------------------- the example


@pytest.fixture(scope="session")
def example_plan() -> Plan:
    """The shipped example plan (the fictional Lindåsa kommun), validated."""
    return load_plan(EXAMPLE_PLAN)


@pytest.fixture(scope="session")
def example_docx(example_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan rendered once with the default template, as a .docx file."""
    return write_handlingsplan(example_plan, tmp_path_factory.mktemp("example") / "handlingsplan.docx")


# ------------------------------------------------------------------------------ reading back


def _row_text(row: object) -> str:
    """A table row's cells joined with `` | ``; a merged cell counts once."""
    texts: list[str] = []
    previous = None
    for cell in row.cells:  # type: ignore[attr-defined]
        if cell._tc is previous:  # a cell spanning several grid columns repeats
            continue
        previous = cell._tc
        texts.append(cell.text)
    return " | ".join(texts)


def docx_dump(path: str | Path) -> list[DumpLine]:
    """The body of a .docx as ``(kind, style_name, text)``, in document order.

    Paragraphs are ``("p", style, text)``; each table row is ``("row", style of its first
    paragraph, "cell | cell | …")``. Content inside a ``w:sdt`` (the table of contents) is not
    part of python-docx's inner content and is left out.
    """
    lines: list[DumpLine] = []
    for item in Document(str(path)).iter_inner_content():
        if isinstance(item, Paragraph):
            lines.append(("p", item.style.name if item.style is not None else "", item.text))
        elif isinstance(item, Table):
            for row in item.rows:
                first = row.cells[0].paragraphs[0] if row.cells and row.cells[0].paragraphs else None
                style = first.style.name if first is not None and first.style is not None else ""
                lines.append(("row", style, _row_text(row)))
    return lines


@pytest.fixture(name="docx_dump", scope="session")
def _docx_dump_fixture() -> Callable[[str | Path], list[DumpLine]]:
    """:func:`docx_dump`, for tests."""
    return docx_dump


# ----------------------------------------------------------------------------- the validator


class OOXMLValidatorMissing(UserWarning):
    """The OOXML validator is not here: a document test ran without its validation step."""


def ooxml_validator_path() -> Path:
    """The validator script: ``HALLBARDOCS_OOXML_VALIDATOR`` if set, else :data:`OOXML_VALIDATOR`."""
    override = os.environ.get("HALLBARDOCS_OOXML_VALIDATOR")
    return Path(override) if override else OOXML_VALIDATOR


@functools.cache
def _validator_module(script: Path) -> ModuleType:
    """The validator, imported once per session, so its compiled schemas are shared by every call."""
    spec = importlib.util.spec_from_file_location("_ooxml_validate", script)
    assert spec is not None and spec.loader is not None, f"cannot import {script}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ooxml_validate(path: str | Path) -> None:
    """Assert that a .docx passes the strict OOXML validator.

    Without the validator this step alone is skipped, with a warning (a failure when ``CI=true``),
    so the calling test goes on with its other assertions.
    """
    script = ooxml_validator_path()
    if not script.is_file():
        message = f"the OOXML validator is not here: {script}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ", and CI=true requires it")
        warnings.warn(f"{message}; {Path(path).name} was not validated", OOXMLValidatorMissing, stacklevel=2)
        return
    report = _validator_module(script.resolve()).validate_docx(str(path))
    problems = "\n".join(f"{p.part}:{p.line}: {p.message}" for p in report.problems)
    assert not report.problems, f"{path} is not valid OOXML:\n{problems}"


@pytest.fixture(name="ooxml_validate", scope="session")
def _ooxml_validate_fixture() -> Callable[[str | Path], None]:
    """:func:`ooxml_validate`, for tests."""
    return ooxml_validate


# ---------------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice executable; missing, it skips the test, or fails it when ``CI=true``."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        message = "LibreOffice (soffice) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ", and CI=true requires it")
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def uno_python(soffice: str) -> str:
    """The Python that can ``import uno`` (the warm converter's worker runs under it); missing, it
    skips the test, or fails it when ``CI=true``."""
    from hallbardocs.publish.converter import find_uno_python

    found = find_uno_python(soffice)
    if found is None:
        message = "LibreOffice's Python bridge (python3-uno) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ", and CI=true requires it")
        pytest.skip(message)
    return found


def _convert_to_pdf(soffice: str, docx: str | Path, outdir: str | Path) -> Path:
    docx, outdir = Path(docx), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:  # one profile per run
        command = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            out, err = process.communicate(timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # soffice starts soffice.bin: end the whole group
            process.communicate()
            pytest.fail(f"LibreOffice did not convert {docx.name} within {SOFFICE_TIMEOUT} s")
    pdf = outdir / f"{docx.stem}.pdf"
    assert process.returncode == 0 and pdf.is_file(), (
        f"LibreOffice did not convert {docx} (exit {process.returncode}):\n{out}{err}"
    )
    return pdf


@pytest.fixture(scope="session")
def convert_to_pdf(soffice: str) -> Callable[[str | Path, str | Path], Path]:
    """``convert_to_pdf(docx, outdir)``: the PDF LibreOffice makes of ``docx``, in ``outdir``."""

    def convert(docx: str | Path, outdir: str | Path) -> Path:
        return _convert_to_pdf(soffice, docx, outdir)

    return convert
