"""The command line, called as ``main(argv)``: exit status, messages, files."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from docx import Document

from hallbardocs.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLAN = EXAMPLES / "handlingsplan.yaml"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PLAN)]) == 0
    assert "planen är giltig" in capsys.readouterr().err


def test_check_reports_every_problem_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = PLAN.read_text(encoding="utf-8")
    text = text.replace("typ: bolag", "typ: bolaget", 1).replace("publicering:", "publiceringar:", 1)
    bad = tmp_path / "plan.yaml"
    bad.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "HD104" in err and "HD103" in err
    assert f"{bad}, rad " in err
    assert "Menade du ”publicering”?" in err
    assert err.rstrip().endswith("2 fel.")


def test_handlingsplan_writes_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.docx"
    before = _digest(PLAN)
    assert main(["handlingsplan", str(PLAN), "-o", str(out)]) == 0
    assert _digest(PLAN) == before
    headings = [p.text for p in Document(str(out)).paragraphs if p.style is not None and p.style.name in ("Heading 2", "Åtgärdsrubrik")]
    assert "1. Ställ om kommunkoncernens fordonsflotta" in headings
    assert f"Skrev {out}" in capsys.readouterr().err


def test_an_invalid_plan_writes_nothing_and_keeps_an_earlier_output(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text(PLAN.read_text(encoding="utf-8").replace("diarienummer: KS 2026/0087", "diarienummer: ''"), encoding="utf-8")
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")
    out = tmp_path / "plan.docx"
    out.write_bytes(b"earlier")
    assert main(["handlingsplan", str(bad), "-o", str(out)]) == 1
    assert out.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logga.png", "plan.docx", "plan.yaml"]


def test_draft_turns_a_missing_diarienummer_into_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text(PLAN.read_text(encoding="utf-8").replace("diarienummer: KS 2026/0087", "diarienummer: ''"), encoding="utf-8")
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")
    assert main(["handlingsplan", str(bad), "-o", str(tmp_path / "ut.docx"), "--draft"]) == 0
    assert "varning HD302" in capsys.readouterr().err


def test_the_output_may_not_be_the_plan_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(PLAN, plan)
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")
    before = _digest(plan)
    assert main(["convert", str(plan), "-o", str(plan)]) == 1
    assert "HD602" in capsys.readouterr().err
    assert _digest(plan) == before


def test_a_custom_template_is_used(tmp_path: Path) -> None:
    from hallbardocs.render import default_template

    template = tmp_path / "mall.docx"
    shutil.copy(default_template("handlingsplan"), template)
    out = tmp_path / "plan.docx"
    assert main(["handlingsplan", str(PLAN), "-o", str(out), "--template", str(template)]) == 0
    assert out.exists()


def test_a_missing_template_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.docx"
    assert main(["handlingsplan", str(PLAN), "-o", str(out), "--template", str(tmp_path / "saknas.docx")]) == 1
    assert "HD501" in capsys.readouterr().err
    assert not out.exists()


def test_schema_prints_the_plan_schema_with_swedish_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "plan"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["required"]) >= {"kommun", "år", "metadata", "strategi", "organisation", "åtgärder"}
    assert "bör_revideras_senast" in json.dumps(schema, ensure_ascii=False)


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".yaml"])
def test_convert_round_trips_the_plan(tmp_path: Path, suffix: str) -> None:
    from hallbardocs import load_plan

    out = tmp_path / f"plan{suffix}"
    assert main(["convert", str(PLAN), "-o", str(out)]) == 0
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.png")
    converted = load_plan(out)
    original = load_plan(PLAN)
    converted.municipality.logo = original.municipality.logo
    assert converted == original


def test_convert_keeps_the_logo_reachable_from_the_new_place(tmp_path: Path) -> None:
    from hallbardocs import load_plan

    out = tmp_path / "sub" / "plan.yaml"
    out.parent.mkdir()
    assert main(["convert", str(PLAN), "-o", str(out)]) == 0
    assert load_plan(out).municipality.logo == (EXAMPLES / "logga.png").resolve()


def test_a_wrong_command_line_exits_with_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["handlingsplan", str(PLAN)])
    assert caught.value.code == 2
    assert "fel:" in capsys.readouterr().err


def test_version() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0


ARGPARSE_ENGLISH = (
    "usage",
    "options",
    "positional arguments",
    "the following arguments are required",
    "invalid choice",
    "unrecognized arguments",
    "show this help message",
    "expected one argument",
    "error:",
    "choose from",
)


def _no_english(text: str) -> None:
    found = [word for word in ARGPARSE_ENGLISH if word in text]
    assert not found, f"English argparse words {found} in:\n{text}"


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["check", "--help"],
        ["handlingsplan", "--help"],
        ["miljobokslut", "--help"],
        ["followup", "--help"],
        ["followup", "export", "--help"],
        ["followup", "import", "--help"],
        ["convert", "--help"],
        ["schema", "--help"],
    ],
)
def test_help_is_swedish_and_ends_with_an_example(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 0
    out = capsys.readouterr().out
    _no_english(out)
    assert out.startswith("användning: hallbardocs")
    assert "flaggor:" in out and "visa den här hjälpen och avsluta" in out
    assert "Exempel:\n  hallbardocs " in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["handlingsplan"], "följande argument saknas: PLAN, -o/--output"),
        (["schema", "x"], "ogiltigt val: 'x' (välj bland 'plan', 'followup')"),
        (["check", "plan.yaml", "extra"], "okända argument: extra"),
        (["followup", "export", "plan.yaml", "--period"], "argumentet --period: ett värde behövs"),
        ([], "följande argument saknas: KOMMANDO"),
    ],
)
def test_command_line_errors_are_swedish(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    _no_english(err)
    assert err.startswith("användning: hallbardocs")
    assert expected in err


def test_argparse_is_english_again_after_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    with pytest.raises(SystemExit):
        main(["--help"])
    capsys.readouterr()
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: ")
