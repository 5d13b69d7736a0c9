"""Nothing in the input is lost without a word: every row of a workbook is read, whatever its sheets
claim, and a line break typed in a cell is a line break in the document."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from hallbardocs import Plan, check_plan, load_plan
from hallbardocs.export import dump_plan

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    return load_plan(EXAMPLES / "handlingsplan.yaml")


def _understate_dimensions(content: bytes, ref: str = "A1:B2") -> bytes:
    """The workbook with every sheet's ``<dimension ref=…>`` set to ``ref``, as some programs write it."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text, count = re.subn(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', data.decode("utf-8"))
                assert count == 1, item.filename
                data = text.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def test_a_workbook_whose_sheets_understate_their_dimensions_loses_no_row(tmp_path: Path, example_plan: Plan) -> None:
    path = tmp_path / "handlingsplan.xlsx"
    path.write_bytes(_understate_dimensions(dump_plan(example_plan, ".xlsx")))
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")
    ws = openpyxl.load_workbook(path, read_only=True)["Aktiviteter"]
    assert ws.calculate_dimension() == "A1:B2"  # what a reader that trusts the sheet would read

    result = check_plan(path)

    assert result.problems == []
    assert result.plan is not None
    activities = sum(len(m.activities) for m in result.plan.measures)
    assert activities == sum(len(m.activities) for m in example_plan.measures) > 30
    result.plan.municipality.logo = example_plan.municipality.logo
    assert result.plan == example_plan
