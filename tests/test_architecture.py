"""The layering: each outside library is touched by one module, and the pipeline flows one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hallbardocs"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = {p.relative_to(PACKAGE).as_posix(): _imports(p) for p in PACKAGE.rglob("*.py")}

# Which of our modules may import each outside library.
OWNERS = {
    "docxtpl": {"render/adapter.py"},
    "babel": {"formatting.py"},
    "openpyxl": {"load/workbook.py", "collect.py"},
    "markdown_it": {"richtext.py"},
    "matplotlib": {"charts.py"},
    "mdit_py_plugins": {"richtext.py"},
    # Publishing: LibreOffice's uno only in the worker that LibreOffice's own Python runs; PDF
    # libraries only in publish/ (today none of its modules needs one at run time).
    "uno": {"publish/_worker.py"},
    "com": {"publish/_worker.py"},
    "pypdf": {"publish/__init__.py", "publish/converter.py", "publish/package.py"},
    "pikepdf": {"publish/__init__.py", "publish/converter.py", "publish/package.py"},
    "fontTools": {"publish/package.py"},  # the committee package's "Bilaga N", in an embedded font
}


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_each_outside_library_has_one_owner(library: str) -> None:
    users = {name for name, imports in MODULES.items() if any(i == library or i.startswith(library + ".") for i in imports)}
    assert users <= OWNERS[library]


# A stage imports nothing from the stages after it.
LATER = {
    "model/": ("hallbardocs.load", "hallbardocs.validate", "hallbardocs.documents", "hallbardocs.render", "hallbardocs.write"),
    "load/": ("hallbardocs.validate", "hallbardocs.documents", "hallbardocs.render", "hallbardocs.write"),
    "validate.py": ("hallbardocs.documents", "hallbardocs.render", "hallbardocs.write"),
    "documents/": ("hallbardocs.render", "hallbardocs.write", "hallbardocs.load", "hallbardocs.validate"),
    "richtext.py": ("hallbardocs.render", "hallbardocs.documents"),
    "content.py": ("hallbardocs.render", "hallbardocs.documents"),
    "render/": ("hallbardocs.write", "hallbardocs.documents", "hallbardocs.validate", "hallbardocs.load"),
    "publish/": ("hallbardocs.documents", "hallbardocs.validate", "hallbardocs.load", "hallbardocs.cli"),
}


@pytest.mark.parametrize("stage", sorted(LATER))
def test_a_stage_knows_nothing_of_the_stages_after_it(stage: str) -> None:
    for name, imports in MODULES.items():
        if name.startswith(stage):
            assert not {i for i in imports if i.startswith(LATER[stage])}, name


def test_only_publish_runs_libreoffice() -> None:
    runners = {
        name
        for name in MODULES
        if any(word in (PACKAGE / name).read_text(encoding="utf-8") for word in ("soffice", "UserInstallation", "subprocess"))
    }
    assert "publish/converter.py" in runners
    assert {name for name in runners if not name.startswith("publish/")} == set()


def test_the_command_line_loads_no_rendering_machinery_until_a_command_needs_it() -> None:
    code = (
        "import sys, hallbardocs.cli, hallbardocs;"
        "print(sorted(m for m in ('docxtpl', 'docx', 'babel', 'openpyxl', 'markdown_it', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent)
    assert out.stdout.strip() == "[]"
