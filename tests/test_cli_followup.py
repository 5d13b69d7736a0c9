"""The follow-up commands, called as ``main(argv)``: export, import, check, the two documents, schema."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from docx import Document

from hallbardocs.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLAN = EXAMPLES / "handlingsplan.yaml"
FOLLOWUP = EXAMPLES / "uppfoljning.yaml"


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """A copy of the examples, so commands can write beside them."""
    for name in ("handlingsplan.yaml", "logga.png", "uppfoljning.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    shutil.copytree(EXAMPLES / "indikatorer", tmp_path / "indikatorer")
    return tmp_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_with_a_followup_checks_both(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PLAN), "--followup", str(FOLLOWUP)]) == 0
    err = capsys.readouterr().err
    assert "planen är giltig" in err and "uppföljningen är giltig" in err
    assert "varning HD706" in err


def test_check_reports_a_followup_of_another_plan(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    followup = workspace / "uppfoljning.yaml"
    followup.write_text(followup.read_text(encoding="utf-8").replace("plan: Handlingsplan", "plan: En annan handlingsplan", 1), encoding="utf-8")
    assert main(["check", str(workspace / "handlingsplan.yaml"), "--followup", str(followup)]) == 1
    assert "fel HD705" in capsys.readouterr().err


def test_export_writes_one_workbook_per_unit_with_activities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "utskick"
    assert main(["followup", "export", str(PLAN), "--period", "Delår 2026", "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 8 and all(n.startswith("uppfoljning-delar-2026-") and n.endswith(".xlsx") for n in names)
    assert "Skrev 8 arbetsböcker" in capsys.readouterr().err


def test_export_rejects_a_period_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:  # a usage error, as argparse's own
        main(["followup", "export", str(PLAN), "--period", "Kvartal 2", "-o", str(tmp_path)])
    assert caught.value.code == 2
    assert "Helår 2026" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_import_makes_a_followup_file_that_checks(workspace: Path) -> None:
    out = workspace / "ny.yaml"
    workbooks = sorted(str(p) for p in (EXAMPLES / "sektorer").glob("*.xlsx"))
    before = {w: _digest(Path(w)) for w in workbooks}
    assert main(["followup", "import", *workbooks, "--plan", str(workspace / "handlingsplan.yaml"), "-o", str(out)]) == 0
    assert {w: _digest(Path(w)) for w in workbooks} == before
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["period"] == {"typ": "helår", "år": 2026, "per": __import__("datetime").date(2026, 12, 31)}
    expected = yaml.safe_load(FOLLOWUP.read_text(encoding="utf-8"))["rapporter"]
    for report in expected:  # the workbooks collect status and comment; key figures are added in the file
        report.pop("värden", None)
    assert data["rapporter"] == expected
    assert main(["check", str(workspace / "handlingsplan.yaml"), "--followup", str(out)]) == 0


def test_importing_into_the_followup_file_keeps_its_other_parts_and_changes_nothing(workspace: Path) -> None:
    target = workspace / "uppfoljning.yaml"
    workbooks = sorted(str(p) for p in (EXAMPLES / "sektorer").glob("*.xlsx"))
    argv = ["followup", "import", *workbooks, "--plan", str(workspace / "handlingsplan.yaml"), "-o", str(target)]
    assert main(argv) == 0
    first = yaml.safe_load(target.read_text(encoding="utf-8"))
    original = yaml.safe_load(FOLLOWUP.read_text(encoding="utf-8"))
    assert first == original
    text = target.read_text(encoding="utf-8")
    assert main(argv) == 0
    assert target.read_text(encoding="utf-8") == text


def test_a_conflicting_answer_is_reported_and_nothing_is_written(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = workspace / "uppfoljning.yaml"
    text = target.read_text(encoding="utf-8")
    first_comment = yaml.safe_load(text)["rapporter"][0]["kommentar"].split()[0]
    changed = text.replace(first_comment, "Annorlunda", 1)
    target.write_text(changed, encoding="utf-8")
    workbooks = sorted(str(p) for p in (EXAMPLES / "sektorer").glob("*.xlsx"))
    argv = ["followup", "import", *workbooks, "--plan", str(workspace / "handlingsplan.yaml"), "-o", str(target)]
    assert main(argv) == 1
    assert "fel HD808" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == changed


@pytest.mark.parametrize(("command", "heading"), [("miljobokslut", "Sammanfattning"), ("tjansteskrivelse", "Förslag till beslut")])
def test_the_documents_are_written(
    workspace: Path, command: str, heading: str, ooxml_validate: Callable[[Path], None]
) -> None:
    out = workspace / f"{command}.docx"
    inputs = [workspace / "handlingsplan.yaml", workspace / "uppfoljning.yaml"]
    before = [_digest(p) for p in inputs]
    assert main([command, str(inputs[0]), str(inputs[1]), "-o", str(out)]) == 0
    assert [_digest(p) for p in inputs] == before
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert any(heading in t for t in texts)
    ooxml_validate(out)


def test_the_committee_report_needs_its_texts(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    followup = workspace / "uppfoljning.yaml"
    data = yaml.safe_load(followup.read_text(encoding="utf-8"))
    del data["tjänsteskrivelse"]
    followup.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = workspace / "tj.docx"
    assert main(["tjansteskrivelse", str(workspace / "handlingsplan.yaml"), str(followup), "-o", str(out)]) == 1
    assert "tjänsteskrivelse" in capsys.readouterr().err
    assert not out.exists()


def test_schema_followup_has_swedish_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "followup"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"plan", "period", "rapporter"} <= set(schema["properties"])


def test_export_warns_for_a_period_of_another_year_than_the_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "utskick"
    assert main(["followup", "export", str(PLAN), "--period", "Helår 2062", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        f"{PLAN}: varning HD705: Perioden ”Helår 2062” gäller år 2062, men planen gäller år 2026; en uppföljning av"
        " ett annat år än planens godtas inte. Kontrollera --period. (fält år)"
    ) in err
    assert len(list(out.iterdir())) == 8


def test_export_for_the_plans_year_gives_no_period_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["followup", "export", str(PLAN), "--period", "Helår 2026", "-o", str(tmp_path / "ut")]) == 0
    assert "HD705" not in capsys.readouterr().err
