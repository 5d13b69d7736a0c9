"""Write the example's returned sector workbooks to examples/sektorer/.

Each sector and company of the fictional Lindåsa kommun gets the workbook hallbardocs sends out,
filled in with its statuses and comments from examples/uppfoljning.yaml. So the files show what a
workbook looks like when it comes back, and ``hallbardocs followup import`` can be tried on them.

    python examples/make_sector_workbooks.py [--plan P] [--uppfoljning F] [--ut MAPP]

with hallbardocs installed (``pip install -e .``), or ``PYTHONPATH=.`` in a checkout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from hallbardocs import load_followup, load_plan
from hallbardocs.collect import ExportedWorkbook, export_workbooks
from hallbardocs.model.followup import FollowUp
from hallbardocs.model.plan import Plan
from hallbardocs.write import write_atomically

HERE = Path(__file__).resolve().parent


def sector_workbooks(plan: Plan, followup: FollowUp) -> list[ExportedWorkbook]:
    """One workbook per unit, with the follow-up's statuses and comments filled in."""
    return export_workbooks(plan, followup.period, followup.status_scale(), previous=followup)


def write_sector_workbooks(plan: Plan, followup: FollowUp, out_dir: Path) -> list[Path]:
    """Write the filled-in workbooks to ``out_dir``; earlier workbooks there that are no longer made go."""
    out_dir.mkdir(parents=True, exist_ok=True)
    workbooks = sector_workbooks(plan, followup)
    written = [write_atomically(out_dir / w.filename, w.content) for w in workbooks]
    names = {w.filename for w in workbooks}
    for stale in out_dir.glob("uppfoljning-*.xlsx"):
        if stale.name not in names:
            stale.unlink()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skriv exemplets ifyllda arbetsböcker för sektorer och bolag.")
    parser.add_argument("--plan", type=Path, default=HERE / "handlingsplan.yaml")
    parser.add_argument("--uppfoljning", type=Path, default=HERE / "uppfoljning.yaml")
    parser.add_argument("--ut", type=Path, default=HERE / "sektorer")
    args = parser.parse_args(argv)
    plan = load_plan(args.plan)
    followup = load_followup(args.uppfoljning, plan)
    for path in write_sector_workbooks(plan, followup, args.ut):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
