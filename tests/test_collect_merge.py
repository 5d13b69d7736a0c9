"""Merging returned workbooks into a follow-up file: read once, merged, written only when it is safe."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from hallbardocs import Plan, load_plan
from hallbardocs.collect import ACTIVITIES_SHEET, ImportResult, export_workbooks
from hallbardocs.collect.merge import update_followup_file
from hallbardocs.errors import OutputError
from hallbardocs.model.followup import SCALES, Period, activity_ids

ROOT = Path(__file__).resolve().parents[1]
ENERGY = "Lindåsa Energi AB"


def _example(tmp_path: Path) -> tuple[Plan, Path]:
    """A copy of the examples, with the energy company's reports taken out of the follow-up file."""
    folder = tmp_path / "exempel"
    shutil.copytree(ROOT / "examples", folder, ignore=shutil.ignore_patterns("sektorer", "*.py"))
    followup = folder / "uppfoljning.yaml"
    data = yaml.safe_load(followup.read_text(encoding="utf-8"))
    data["rapporter"] = [r for r in data["rapporter"] if r["enhet"] != ENERGY]
    followup.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_plan(folder / "handlingsplan.yaml"), followup


def _filled(plan: Plan, folder: Path) -> Path:
    period = Period.model_validate({"typ": "helår", "år": 2026, "per": "2026-12-31"})
    [book] = export_workbooks(plan, period, SCALES["standard"], units=[ENERGY])
    wb = openpyxl.load_workbook(io.BytesIO(book.content))
    for row in wb[ACTIVITIES_SHEET].iter_rows(min_row=2):
        row[4].value = "Genomförd"
        row[5].value = f"Klar: {row[0].value}."
    path = folder / book.filename
    wb.save(path)
    return path


def _energy_ids(plan: Plan) -> list[str]:
    return [i for m in plan.measures for i, a in activity_ids(m) if a.unit == ENERGY]


def test_an_import_merges_the_answers_and_keeps_the_rest_of_the_file_as_written(tmp_path: Path) -> None:
    plan, followup = _example(tmp_path)
    before = yaml.safe_load(followup.read_text(encoding="utf-8"))
    result = update_followup_file(followup, plan, [_filled(plan, followup.parent)])
    assert isinstance(result, ImportResult) and result.problems == []
    after = yaml.safe_load(followup.read_text(encoding="utf-8"))
    assert after["indikatorer"] == before["indikatorer"]  # still the files' names, not their values
    assert after["tjänsteskrivelse"] == before["tjänsteskrivelse"]
    new = {r["aktivitet"]: (r["status"], r["kommentar"]) for r in after["rapporter"] if r["enhet"] == ENERGY}
    assert new == {ident: ("Genomförd", f"Klar: {ident}.") for ident in _energy_ids(plan)}
    order = [i for m in plan.measures for i, _ in activity_ids(m)]
    assert [r["aktivitet"] for r in after["rapporter"]] == [i for i in order if i in {r["aktivitet"] for r in after["rapporter"]}]


def test_an_import_into_a_missing_file_creates_it(tmp_path: Path) -> None:
    plan, followup = _example(tmp_path)
    target = followup.parent / "ny-uppfoljning.json"
    result = update_followup_file(target, plan, [_filled(plan, followup.parent)])
    assert result.problems == []
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["period"] == {"typ": "helår", "år": 2026, "per": "2026-12-31"}
    assert data["statusskala"] == "standard"
    assert [r["aktivitet"] for r in data["rapporter"]] == _energy_ids(plan)


def test_an_import_with_an_error_writes_nothing(tmp_path: Path) -> None:
    plan, followup = _example(tmp_path)
    before = followup.read_bytes()
    bad = followup.parent / "inte-en-arbetsbok.xlsx"
    bad.write_text("inte en arbetsbok", encoding="utf-8")
    result = update_followup_file(followup, plan, [bad])
    assert [(p.code, p.location.file) for p in result.errors] == [("HD801", str(bad))]
    assert followup.read_bytes() == before
    assert not list(followup.parent.glob(".*.tmp"))


def test_an_import_does_not_replace_a_file_that_changed_while_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hallbardocs.collect.incoming

    plan, followup = _example(tmp_path)
    book = _filled(plan, followup.parent)
    edited = followup.read_text(encoding="utf-8") + "# ändrad för hand under importen\n"
    real = hallbardocs.collect.incoming.import_workbooks

    def meanwhile(*args: object, **kwargs: object) -> ImportResult:
        followup.write_text(edited, encoding="utf-8")  # a writer that takes no lock
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hallbardocs.collect.incoming, "import_workbooks", meanwhile)
    with pytest.raises(OutputError) as refused:
        update_followup_file(followup, plan, [book])
    problem = refused.value.problem
    assert (problem.code, problem.location.file) == ("HD810", str(followup))
    assert followup.read_text(encoding="utf-8") == edited


def test_an_import_refuses_an_output_format_it_cannot_write_before_reading_anything(tmp_path: Path) -> None:
    plan, followup = _example(tmp_path)
    with pytest.raises(OutputError) as refused:
        update_followup_file(followup.with_suffix(".docx"), plan, [followup.parent / "saknas.xlsx"])
    assert (refused.value.problem.code, refused.value.problem.location.file) == ("HD603", str(followup.with_suffix(".docx")))
