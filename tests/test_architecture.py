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
    "docxtpl_lint": {"render/lint.py"},
    "babel": {"formatting.py"},
    # reading a plan workbook, writing one, and the sector workbooks out and back in
    "openpyxl": {
        "load/workbook.py",
        "export/workbook.py",
        "collect/outgoing.py",
        "collect/incoming.py",
        "collect/meta.py",
        "collect/bounds.py",
    },
    # reading a plan or follow-up, writing one
    "yaml": {"load/structured.py", "load/measure.py", "export/__init__.py"},
    # WordprocessingML: the renderer; python-docx's image parser also checks the logo as the renderer reads it
    "lxml": {
        "render/__init__.py",
        "render/adapter.py",
        "render/ooxml.py",
        "render/parts.py",
        "render/lint.py",
        "render/profile/__init__.py",
        "render/profile/layout.py",
        "render/profile/opc.py",
        "render/profile/styles.py",
        "render/review.py",
        "render/table_styles.py",
        "render/wordstyles.py",
    },
    "docx": {"render/__init__.py", "render/adapter.py", "render/parts.py", "render/review.py", "validate/plan.py"},
    "jinja2": {"render/__init__.py", "render/adapter.py", "render/problems.py", "render/sandbox.py"},
    "markupsafe": {"render/__init__.py", "render/sandbox.py"},
    # the input models and the validation that builds them
    "pydantic": {
        "model/plan.py",
        "model/followup.py",
        "validate/machinery.py",
        "validate/plan.py",
        "validate/parts.py",
        "validate/followup.py",
        "collect/meta.py",
    },
    "markdown_it": {"richtext.py"},
    "matplotlib": {"charts.py"},
    "mdit_py_plugins": {"richtext.py"},
    # Publishing: LibreOffice's uno only in the worker that LibreOffice's own Python runs; PDF
    # libraries only in publish/ (today none of its modules needs one at run time).
    "uno": {"publish/_worker.py"},
    "com": {"publish/_worker.py"},
    "pypdf": {"publish/__init__.py", "publish/converter.py", "publish/package.py"},
    "pikepdf": {"publish/__init__.py", "publish/converter.py", "publish/package.py", "publish/review.py"},
    "fontTools": {"publish/package.py"},  # the committee package's "Bilaga N", in an embedded font
}


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_each_outside_library_has_one_owner(library: str) -> None:
    users = {name for name, imports in MODULES.items() if any(i == library or i.startswith(library + ".") for i in imports)}
    assert users <= OWNERS[library]


# A stage imports nothing from the stages after it.
LATER = {
    "model/": ("hallbardocs.load", "hallbardocs.validate", "hallbardocs.documents", "hallbardocs.render", "hallbardocs.write"),
    "load/": (
        "hallbardocs.validate",
        "hallbardocs.documents",
        "hallbardocs.render",
        "hallbardocs.write",
        "hallbardocs.export",
        "hallbardocs.collect",
        "hallbardocs.analysis",
        "hallbardocs.charts",
    ),
    "validate/": ("hallbardocs.documents", "hallbardocs.render", "hallbardocs.write"),
    "validate_followup.py": ("hallbardocs.documents", "hallbardocs.render", "hallbardocs.write"),
    "analysis.py": ("hallbardocs.documents", "hallbardocs.render", "hallbardocs.write", "hallbardocs.charts"),
    "documents/": ("hallbardocs.render", "hallbardocs.write", "hallbardocs.load", "hallbardocs.validate"),
    "richtext.py": ("hallbardocs.render", "hallbardocs.documents"),
    "content.py": ("hallbardocs.render", "hallbardocs.documents"),
    "render/": ("hallbardocs.write", "hallbardocs.documents", "hallbardocs.validate", "hallbardocs.load"),
    "publish/": ("hallbardocs.documents", "hallbardocs.validate", "hallbardocs.load", "hallbardocs.cli"),
    "export/": ("hallbardocs.collect", "hallbardocs.documents", "hallbardocs.render", "hallbardocs.validate", "hallbardocs.cli"),
    "collect/": ("hallbardocs.documents", "hallbardocs.render", "hallbardocs.charts", "hallbardocs.cli"),
}
# The ground floor: modules every stage may use, which use no stage.
GROUND = ("text.py", "files.py")


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
@pytest.mark.parametrize("module", GROUND)
def test_the_ground_floor_uses_no_stage(module: str) -> None:
    allowed = {"hallbardocs.errors"} if module == "files.py" else set()
    assert {i for i in MODULES[module] if i.startswith("hallbardocs")} <= allowed


def _names_from(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
    }


def test_workbooks_are_written_only_by_the_writers_and_read_only_by_the_readers() -> None:
    writers = {name for name in MODULES if "Workbook" in _names_from(PACKAGE / name, "openpyxl")}
    readers = {name for name in MODULES if "load_workbook" in _names_from(PACKAGE / name, "openpyxl")}
    assert writers == {"export/workbook.py", "collect/outgoing.py"}
    assert readers == {"load/workbook.py", "collect/meta.py", "collect/bounds.py"}


def test_files_are_read_only_by_the_load_stage_readers() -> None:
    """Outside load/, a plan's or follow-up's file is read through load's reader table only."""
    for name, imports in MODULES.items():
        if not name.startswith("load/"):
            inner = {i for i in imports if i.startswith(("hallbardocs.load.structured", "hallbardocs.load.indicators"))}
            assert not inner, name
    layout_users = {n for n, imports in MODULES.items() if "hallbardocs.load.workbook" in imports and not n.startswith("load/")}
    assert layout_users <= {"export/workbook.py"}  # the plan workbook's layout, which it writes


def test_the_collection_layout_and_merge_need_no_spreadsheet_library() -> None:
    for name in ("collect/layout.py", "collect/merge.py", "collect/__init__.py"):
        assert not {i for i in MODULES[name] if i.startswith("openpyxl")}, name


def test_the_command_line_loads_no_rendering_machinery_until_a_command_needs_it() -> None:
    code = (
        "import sys, hallbardocs.cli, hallbardocs;"
        "print(sorted(m for m in ('docxtpl', 'docx', 'babel', 'openpyxl', 'markdown_it', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent)
    assert out.stdout.strip() == "[]"
