"""Smoke tests of the benchmark in bench/: it generates valid plans and runs end to end.

Timing is never asserted here: these tests only check that the benchmark works.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

from generate import generate_plan, plan_yaml, write_plan  # noqa: E402

from hallbardocs import check_plan  # noqa: E402


def test_generated_plan_of_17_measures_is_valid_without_warnings(tmp_path: Path) -> None:
    path = write_plan(17, tmp_path / "plan-17.yaml")
    result = check_plan(path)
    assert result.ok, [str(p) for p in result.problems]
    assert result.problems == []
    assert result.plan is not None and len(result.plan.measures) == 17
    assert len(result.plan.focus_areas()) == 9
    assert len(result.plan.organisation) == 8
    assert len(result.plan.chapters) == 5


def test_generator_is_deterministic() -> None:
    assert plan_yaml(generate_plan(40)) == plan_yaml(generate_plan(40))
    assert plan_yaml(generate_plan(40)) != plan_yaml(generate_plan(40, seed=1))


def test_bench_quick_run_end_to_end(tmp_path: Path) -> None:
    results = tmp_path / "latest.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "bench_handlingsplan.py"),
            "--quick",
            "--sizes",
            "17",
            "--renders",
            "5",
            "--runs",
            "1",
            "--cli-runs",
            "1",
            "--json",
            str(results),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Whole pipeline" in proc.stdout and "Targets" in proc.stdout
    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["sizes"] == [17]
    timing = data["timing"]["17"]
    assert len(timing["ours_s"]) == 1 and len(timing["baseline_s"]) == 1
    assert set(data["peak_memory"]["17"]) == {"ours", "baseline"}
    assert set(data["renders"]["ours"]["rss_mib"]) == {"1", "2", "3", "4", "5"}
    assert "python -m hallbardocs handlingsplan" in data["cli"]["commands"]
    assert data["cli"]["importtime"]["by_cumulative"]
    for out in tmp_path.iterdir():  # the bench cleans up after itself: only the results file is left here
        assert out == results
