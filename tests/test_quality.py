"""The package stays type-checked (mypy strict) and lint-clean (ruff), as configured in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_mypy_strict_finds_nothing() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy", "hallbardocs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    result = _run(ruff, "check", "hallbardocs")
    assert result.returncode == 0, result.stdout + result.stderr
