"""The suite's own set-up: without the OOXML validator a document test still runs every other
assertion; on CI a missing validator is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import OOXMLValidatorMissing, ooxml_validate, ooxml_validator_path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT_TEST = "tests/test_render.py::test_column_loops_get_a_table_grid_that_fits_even_when_word_split_the_tag"


def test_a_missing_validator_skips_only_the_validation_step_with_a_warning(
    example_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HALLBARDOCS_OOXML_VALIDATOR", str(tmp_path / "absent.py"))
    monkeypatch.delenv("CI", raising=False)

    with pytest.warns(OOXMLValidatorMissing, match="the OOXML validator is not here: .*absent.py"):
        ooxml_validate(example_docx)  # returns instead of skipping the test


def test_a_missing_validator_fails_on_ci(example_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HALLBARDOCS_OOXML_VALIDATOR", str(tmp_path / "absent.py"))
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI=true requires it"):
        ooxml_validate(example_docx)


def test_the_validator_still_rejects_a_broken_document(tmp_path: Path, example_docx: Path) -> None:
    if not ooxml_validator_path().is_file():
        pytest.skip("the OOXML validator is not here")
    import zipfile

    broken = tmp_path / "trasig.docx"
    with zipfile.ZipFile(example_docx) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:inte-ett-element/></w:body>", 1)
            target.writestr(item, data)

    with pytest.raises(AssertionError, match="is not valid OOXML"):
        ooxml_validate(broken)


def _run_document_test(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | env
    return subprocess.run(
        [sys.executable, "-m", "pytest", DOCUMENT_TEST, "-q", "-p", "no:cacheprovider", "-W", "default"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_document_test_runs_without_the_validator_and_warns(tmp_path: Path) -> None:
    result = _run_document_test(HALLBARDOCS_OOXML_VALIDATOR=str(tmp_path / "absent.py"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout and "skipped" not in result.stdout
    assert "OOXMLValidatorMissing" in result.stdout


def test_a_document_test_fails_without_the_validator_on_ci(tmp_path: Path) -> None:
    result = _run_document_test(HALLBARDOCS_OOXML_VALIDATOR=str(tmp_path / "absent.py"), CI="true")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout and "CI=true requires it" in result.stdout


def test_the_install_test_is_marked_so_a_developer_can_deselect_it() -> None:
    import tomllib

    import test_install

    assert test_install.pytestmark.name == "install"
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("install:") for m in markers["markers"])
