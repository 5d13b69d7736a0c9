"""Smoke test of bench/bench_pdf.py: a tiny run of both sides works end to end. Timing is never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.libreoffice


def test_the_pdf_bench_times_cold_and_warm_side_by_side(uno_python: str, tmp_path: Path) -> None:
    results = tmp_path / "pdf.json"

    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_pdf.py"), "--quick", "--sizes", "3", "--runs", "1", "--package-runs", "1", "--json", str(results)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert proc.returncode == 0, proc.stderr
    assert "cold / warm" in proc.stdout and "Targets" in proc.stdout
    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["sizes"] == [3] and data["warm_starts"] == 1
    entry = data["timing"]["3"]
    assert len(entry["cold"]["runs_s"]) == 1 and len(entry["warm"]["runs_s"]) == 1
    assert entry["toc_entries"] > 0
    assert set(entry["warm_steps_median_s"]) == {"load", "update", "pages_export"}
    assert data["package"]["documents"] == 3 and len(data["package"]["total"]["runs_s"]) == 1
    assert "committee package" in proc.stdout
    assert list(tmp_path.iterdir()) == [results]
