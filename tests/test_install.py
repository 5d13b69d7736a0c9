"""A plain (non-editable) install into a fresh virtual environment renders with the shipped templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.install  # slow and needs the package index: `pytest -m "not install"` leaves it out


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with ``pip install .`` of a copy of the source tree; returns its bin folder."""
    base = tmp_path_factory.mktemp("install")
    source = base / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache"),
    )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if pip.returncode != 0:
        pytest.fail(f"pip install . failed:\n{pip.stdout}\n{pip.stderr}")
    return venv / "bin"


def test_the_installed_package_carries_its_templates(installed: Path) -> None:
    code = "import hallbardocs.render as r, pathlib; p = r.default_template('handlingsplan'); print(p); print(p.is_file())"
    out = subprocess.run([str(installed / "python"), "-c", code], capture_output=True, text=True, check=True, cwd="/")
    path, exists = out.stdout.split()
    assert exists == "True"
    assert "site-packages" in path and zipfile.is_zipfile(path)


def test_the_installed_command_builds_the_example_outside_the_source_tree(installed: Path, tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "handlingsplan.yaml", tmp_path / "plan.yaml")
    shutil.copy(ROOT / "examples" / "logga.png", tmp_path / "logga.png")
    result = subprocess.run(
        [str(installed / "hallbardocs"), "handlingsplan", "plan.yaml", "-o", "ut.docx"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    from docx import Document

    titles = [p.text for p in Document(str(tmp_path / "ut.docx")).paragraphs if p.style is not None and p.style.name in ("Heading 2", "Åtgärdsrubrik")]
    assert "1. Ställ om kommunkoncernens fordonsflotta" in titles
