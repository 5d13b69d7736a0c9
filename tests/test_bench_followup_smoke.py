"""Smoke tests of the follow-up benchmark (bench/bench_followup.py): valid generated data, and a tiny
run end to end.

Timing is never asserted here: these tests only check that the benchmark works.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

from bench_followup import (  # noqa: E402
    generate_followup,
    generate_units_plan,
    write_miljobokslut_data,
    write_units_plan,
)
from generate import generate_plan  # noqa: E402

from hallbardocs import check_followup, check_plan, load_plan  # noqa: E402


def test_generated_followup_is_valid_and_reports_most_activities(tmp_path: Path) -> None:
    plan_path, followup_path = write_miljobokslut_data(tmp_path, measures=30, indicators=6)
    plan = load_plan(plan_path)
    result = check_followup(followup_path, plan)
    assert result.ok, [str(p) for p in result.problems]
    assert {p.code for p in result.problems} <= {"HD706"}  # only the unreported activities
    followup = result.followup
    assert followup is not None
    activities = sum(len(m.activities) for m in plan.measures)
    assert 0.85 * activities <= len(followup.reports) < activities
    assert len({r.status for r in followup.reports}) >= 4
    assert len(followup.indicators) == 6
    assert sum(1 for i in followup.indicators if i.target is not None) == 3
    for indicator in followup.indicators:
        assert min(indicator.values) == 2015 and max(indicator.values) == 2026
        assert 1 <= len(indicator.comparisons) <= 2
    assert followup.committee is not None


def test_generated_followup_is_deterministic() -> None:
    plan = generate_plan(25)
    assert generate_followup(plan, indicators=4) == generate_followup(plan, indicators=4)
    assert generate_followup(plan, indicators=4) != generate_followup(plan, indicators=4, seed=1)


def test_units_plan_deals_about_fifteen_activities_to_each_unit(tmp_path: Path) -> None:
    data = generate_units_plan(10)
    assert len(data["organisation"]) == 10 and len(data["åtgärder"]) == 50
    result = check_plan(write_units_plan(tmp_path, units=10))
    assert result.ok and result.problems == [], [str(p) for p in result.problems]
    assert result.plan is not None
    per_unit = Counter(a.unit for m in result.plan.measures for a in m.activities)
    assert len(per_unit) == 10
    assert min(per_unit.values()) >= 12 and max(per_unit.values()) <= 18


def test_bench_followup_quick_run_end_to_end(tmp_path: Path) -> None:
    results = tmp_path / "followup.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "bench_followup.py"),
            "--quick",
            "--measures",
            "12",
            "--indicators",
            "2",
            "--units",
            "3",
            "--runs",
            "1",
            "--collect-runs",
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
    assert "Miljöbokslut" in proc.stdout and "Collection loop" in proc.stdout
    data = json.loads(results.read_text(encoding="utf-8"))
    m = data["miljobokslut"]
    assert m["data"]["measures"] == 12 and m["data"]["indicators"] == 2
    assert set(m["timing"]) == {"miljöbokslut", "tjänsteskrivelse"}
    assert len(m["timing"]["miljöbokslut"]["runs"]) == 1
    assert set(m["stages"]["median_ms"]) == {"load", "validate", "context", "render", "save", "total", "charts"}
    assert m["stages"]["chart_count"] == 2 + 2  # the two status charts and one per indicator
    assert set(m["peak_memory"]) == {"miljöbokslut", "tjänsteskrivelse"}
    c = data["collection"]
    assert c["data"]["units"] == 3 and c["data"]["imported_reports"] == c["data"]["filled"]
    assert set(c["timing"]) == {"export", "import"} and set(c["peak_memory"]) == {"export", "import"}
    for out in tmp_path.iterdir():  # the bench cleans up after itself: only the results file is left here
        assert out == results
