"""The suite's own set-up: without the OOXML validator a document test still runs every other
assertion; on CI a missing validator is a failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import OOXMLValidatorMissing, ooxml_validate, ooxml_validator_path

ROOT = Path(__file__).resolve().parents[1]


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


def test_a_document_test_runs_to_its_end_without_the_validator_and_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import test_render

    monkeypatch.setenv("HALLBARDOCS_OOXML_VALIDATOR", str(tmp_path / "absent.py"))
    monkeypatch.delenv("CI", raising=False)

    with pytest.warns(OOXMLValidatorMissing) as missing:  # a skip would raise here instead
        test_render.test_column_loops_get_a_table_grid_that_fits_even_when_word_split_the_tag(tmp_path, ooxml_validate)

    assert [str(w.message).rsplit("; ", 1)[1] for w in missing] == [
        "kolumner-False.docx was not validated",
        "kolumner-True.docx was not validated",
    ]


def test_the_install_test_is_marked_so_a_developer_can_deselect_it() -> None:
    import tomllib

    import test_install

    assert test_install.pytestmark.name == "install"
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("install:") for m in markers["markers"])
