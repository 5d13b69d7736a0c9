"""Tests for hallbardocs.validate and the plan loaders: every problem a plan file can have.

Each file in tests/fixtures/invalid/ is :data:`MINIMAL_PLAN` with one thing wrong, said on its first
line. For each one the test below writes out everything the user is told: the code, the severity,
the line, the field path, the Swedish message and the did-you-mean suggestion. docs/errors.md
describes the codes.
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hallbardocs import (
    InvalidInputError,
    Plan,
    Problem,
    check_plan,
    load_plan,
    read_plan,
    validate_plan,
)
from hallbardocs.cli import main
from hallbardocs.export import dump_plan

ROOT = Path(__file__).resolve().parents[1]
INVALID = Path("tests/fixtures/invalid")
"""Relative to the repository (tests run there, see ``in_repo``), as a user would type it."""
EXAMPLE_YAML = ROOT / "examples" / "handlingsplan.yaml"
EXAMPLE_XLSX = ROOT / "examples" / "handlingsplan.xlsx"
EXAMPLE_LOGO = ROOT / "examples" / "logga.png"

MINIMAL_PLAN = """\
kommun:
  namn: Lindåsa kommun
år: 2026
metadata:
  dokumentnamn: Handlingsplan till miljöstrategin för 2026
  dokumenttyp: Handlingsplan
  beslutad: 2026-02-17
  bör_revideras_senast: 2027-01-31
  diarienummer: KS 2026/0087
strategi:
  prioriteringar:
    - namn: Klimat
      fokusområden:
        - namn: Res fossilfritt
          färg: "#2F4B8F"
        - namn: Konsumera miljösmart
organisation:
  - namn: Hushagen
    typ: bolag
  - namn: Samhällsbyggnadssektorn
    typ: sektor
  - namn: Kultur- och fritidssektorn
    typ: sektor
åtgärder:
  - id: "1"
    rubrik: Ställ om fordonsflottan
    fokusområden: [Res fossilfritt, Konsumera miljösmart]
    beskrivning: Kommunkoncernens fordon ska vara fossilfria senast 2030.
    ansvariga: [Hushagen, Samhällsbyggnadssektorn]
    miljökvalitetsmål: [Begränsad klimatpåverkan]
    globala_mål: [13]
    aktiviteter:
      - enhet: Samhällsbyggnadssektorn
        aktivitet: Byt tio bensinbilar mot elbilar.
        start: 2026-03-01
        slut: 2026-12-31
        kostnad: 450000
"""
"""The smallest valid plan; every fixture is this with one line (or one block) changed."""


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in the repository, so file names in messages read as a user would see them."""
    monkeypatch.chdir(ROOT)


@dataclass(frozen=True)
class Found:
    """What the user is told about one problem (everything but the file name)."""

    code: str
    severity: str
    line: int | None
    field: str | None
    message: str
    suggestion: str | None = None


def found(problem: Problem) -> Found:
    loc = problem.location
    return Found(
        problem.code,
        problem.severity,
        loc.line if loc else None,
        loc.field if loc else None,
        problem.message,
        problem.suggestion,
    )


def error(code: str, line: int | None, field: str | None, message: str, suggestion: str | None = None) -> Found:
    return Found(code, "fel", line, field, message, suggestion)


def warning(code: str, line: int | None, field: str | None, message: str, suggestion: str | None = None) -> Found:
    return Found(code, "varning", line, field, message, suggestion)


def written(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- the minimal plan -------------------------------------------------------------------------


def test_the_minimal_plan_is_valid_with_no_problems(tmp_path: Path) -> None:
    result = check_plan(written(tmp_path, MINIMAL_PLAN))

    assert result.problems == []
    assert result.ok
    assert isinstance(result.plan, Plan)


# --- one fixture per code ---------------------------------------------------------------------

PLACEHOLDER = "står kvar. Skriv den riktiga texten eller ta bort fältet."

CASES: list[Any] = [
    pytest.param(
        "HD002_yaml_syntax.yaml",
        [
            error(
                "HD002",
                28,
                None,
                "Filen är inte giltig YAML: en lista som börjar med ”[” stängs inte med ”]”, eller ett kommatecken "
                "saknas. Tolkens besked: ”while parsing a flow sequence; did not find expected ',' or ']'”.",
            )
        ],
        id="HD002-yaml",
    ),
    pytest.param(
        "HD002_json_syntax.json",
        [
            error(
                "HD002",
                8,
                None,
                "Filen är inte giltig JSON: ett kommatecken saknas efter värdet. Tolkens besked: ”Expecting ',' delimiter”.",
            )
        ],
        id="HD002-json",
    ),
    pytest.param(
        "HD004_unsupported_type.txt",
        [error("HD004", None, None, "Filtypen ”.txt” stöds inte. Använd .yaml, .yml, .json eller .xlsx.")],
        id="HD004",
    ),
    pytest.param(
        "HD005_duplicate_key.yaml",
        [error("HD005", 30, None, "Nyckeln ”beskrivning” står två gånger; bara den sista skulle gälla.")],
        id="HD005",
    ),
    pytest.param(
        "HD006_alias_bomb.yaml",
        [
            error(
                "HD006",
                44,
                None,
                "Alias (*namn) skulle upprepa värdet här till fler än 100\u00a0000 värden, mer än tio gånger vad "
                "filen själv innehåller (en aliasbomb); skriv ut värdena i stället för alias.",
            )
        ],
        id="HD006-bomb",
    ),
    pytest.param(
        "HD006_recursive_alias.yaml",
        [
            error(
                "HD006",
                40,
                None,
                "Ett alias (*namn) står inne i värdet det pekar på, så värdet skulle aldrig ta slut; "
                "skriv ut värdet i stället.",
            )
        ],
        id="HD006-recursive",
    ),
    pytest.param(
        "HD007_deep_nesting.yaml",
        [error("HD007", 39, None, "Listor och fält är nästlade i mer än 100 nivåer; en plan behöver bara några få.")],
        id="HD007",
    ),
    pytest.param(
        "HD008_list_as_key.yaml",
        [error("HD008", 31, None, "Nyckeln är en lista; ett fälts namn ska vara en text.")],
        id="HD008",
    ),
    pytest.param(
        "HD101_missing_field.yaml",
        [error("HD101", 5, "metadata.dokumenttyp", "Det obligatoriska fältet ”dokumenttyp” saknas.")],
        id="HD101-missing",
    ),
    pytest.param(
        "HD101_empty_field.yaml",
        [
            error(
                "HD101",
                35,
                "åtgärder[1].aktiviteter[1].aktivitet",
                "Fältet ”aktivitet” är tomt; det ska ha en text.",
            )
        ],
        id="HD101-empty",
    ),
    pytest.param(
        "HD102_wrong_type.yaml",
        [
            error(
                "HD102",
                30,
                "åtgärder[1].ansvariga",
                "”ansvariga” ska vara en lista, men är ”Hushagen, Samhällsbyggnadssektorn”.",
            )
        ],
        id="HD102",
    ),
    pytest.param(
        "HD103_unknown_field.yaml",
        [  # one problem, not two: the key it should have been is not also reported missing
            error("HD103", 27, "åtgärder[1].rubirk", "Okänt fält ”rubirk”.", suggestion="rubrik"),
        ],
        id="HD103",
    ),
    pytest.param(
        "HD104_bad_date.yaml",
        [
            error(
                "HD104",
                8,
                "metadata.beslutad",
                "”17 februari 2026” i ”beslutad” är inget giltigt datum; skriv till exempel 2026-02-20.",
            )
        ],
        id="HD104-date",
    ),
    pytest.param(
        "HD104_impossible_date.yaml",
        [
            error(
                "HD104",
                8,
                "metadata.beslutad",
                "”2026-02-30” i ”beslutad” är inget giltigt datum; skriv till exempel 2026-02-20.",
            )
        ],
        id="HD104-impossible-date",
    ),
    pytest.param(
        "HD104_bad_colour.yaml",
        [
            error(
                "HD104",
                16,
                "strategi.prioriteringar[1].fokusområden[1].färg",
                "”#2F4B8” i ”färg” är ingen färg; skriv den som #RRGGBB, till exempel #1F6F8B.",
            )
        ],
        id="HD104-colour",
    ),
    pytest.param(
        "HD104_bad_unit_type.yaml",
        [
            error(
                "HD104",
                20,
                "organisation[1].typ",
                "”bolaget” är inte tillåtet i ”typ”; välj ”sektor”, ”bolag”, ”nämnd” eller ”förvaltning”.",
                suggestion="bolag",
            )
        ],
        id="HD104-typ",
    ),
    pytest.param(
        "HD201_duplicate_id.yaml",
        [error("HD201", 39, "åtgärder[2].id", "Id ”1” används av mer än en åtgärd.")],
        id="HD201",
    ),
    pytest.param(
        "HD201_duplicate_activity_id.yaml",
        [
            error(
                "HD201",
                39,
                "åtgärder[1].aktiviteter[2].id",
                "Id ”1.1” används av mer än en aktivitet; ge aktiviteten ett eget id.",
            )
        ],
        id="HD201-activity",
    ),
    pytest.param(
        "HD202_duplicate_name.yaml",
        [error("HD202", 23, "organisation[3].namn", "Enheten ”Hushagen” står två gånger i organisationen.")],
        id="HD202",
    ),
    pytest.param(
        "HD203_unknown_unit.yaml",
        [
            error(
                "HD203",
                30,
                "åtgärder[1].ansvariga[1]",
                "”Hushage” finns inte i organisationen.",
                suggestion="Hushagen",
            )
        ],
        id="HD203-ansvariga",
    ),
    pytest.param(
        "HD203_unknown_unit_in_activity.yaml",
        [
            error(
                "HD203",
                34,
                "åtgärder[1].aktiviteter[1].enhet",
                "”Samhällsbyggnadssektor” finns inte i organisationen.",
                suggestion="Samhällsbyggnadssektorn",
            )
        ],
        id="HD203-enhet",
    ),
    pytest.param(
        "HD204_unknown_focus_area.yaml",
        [
            error(
                "HD204",
                28,
                "åtgärder[1].fokusområden[2]",
                "Fokusområdet ”Konsumera miljösamt” finns inte i strategin.",
                suggestion="Konsumera miljösmart",
            ),
            # and so the focus area it should have been is used by no measure
            warning(
                "HD210",
                17,
                "strategi.prioriteringar[1].fokusområden[2].namn",
                "Ingen åtgärd hör till fokusområdet ”Konsumera miljösmart”.",
            ),
        ],
        id="HD204",
    ),
    pytest.param(
        "HD205_unknown_environmental_objective.yaml",
        [
            error(
                "HD205",
                31,
                "åtgärder[1].miljökvalitetsmål[1]",
                "”Minskad klimatpåverkan” är inget av Sveriges 16 miljökvalitetsmål.",
                suggestion="Begränsad klimatpåverkan",
            )
        ],
        id="HD205",
    ),
    pytest.param(
        "HD206_unknown_global_goal.yaml",
        [
            error(
                "HD206",
                32,
                "åtgärder[1].globala_mål[2]",
                "”18” är inget av de 17 globala målen; ange målets nummer (1–17) eller namn.",
            )
        ],
        id="HD206",
    ),
    pytest.param(
        "HD207_no_responsible_unit.yaml",
        [
            error(
                "HD207",
                30,
                "åtgärder[1].ansvariga",
                "Åtgärd 1 ”Ställ om fordonsflottan” har ingen ansvarig sektor eller bolag.",
            )
        ],
        id="HD207",
    ),
    pytest.param(
        "HD208_activity_unit_not_responsible.yaml",
        [
            error(
                "HD208",
                34,
                "åtgärder[1].aktiviteter[1].enhet",
                "”Kultur- och fritidssektorn” har en aktivitet i åtgärd 1 men står inte bland åtgärdens ansvariga.",
            )
        ],
        id="HD208",
    ),
    pytest.param(
        "HD209_activity_ends_before_start.yaml",
        [
            error(
                "HD209",
                37,
                "åtgärder[1].aktiviteter[1].slut",
                "Aktiviteten slutar (2026-03-01) innan den börjar (2026-12-31).",
            )
        ],
        id="HD209-activity",
    ),
    pytest.param(
        "HD209_decided_after_revision_deadline.yaml",
        [
            error(
                "HD209",
                9,
                "metadata.bör_revideras_senast",
                "Planen ska revideras senast 2027-01-31, vilket är före beslutsdagen 2027-02-16.",
            )
        ],
        id="HD209-metadata",
    ),
    pytest.param(
        "HD210_unused_focus_area.yaml",
        [
            warning(
                "HD210",
                18,
                "strategi.prioriteringar[1].fokusområden[3].namn",
                "Ingen åtgärd hör till fokusområdet ”Ät hållbart”.",
            )
        ],
        id="HD210",
    ),
    pytest.param(
        "HD212_measure_without_activities.yaml",
        [
            warning(
                "HD212",
                26,
                "åtgärder[1].aktiviteter",
                "Åtgärd 1 ”Ställ om fordonsflottan” har inga aktiviteter.",
            )
        ],
        id="HD212",
    ),
    pytest.param(
        "HD301_placeholders.yaml",
        [
            error("HD301", 8, "metadata.omfattar", f"Platshållartext ”Lägg in text” {PLACEHOLDER}"),
            error(
                "HD301",
                9,
                "metadata.dokumentägare",
                f"Platshållartext ”Klicka eller tryck här för att ange text” {PLACEHOLDER}",
            ),
            error("HD301", 31, "åtgärder[1].beskrivning", f"Platshållartext ”TODO” {PLACEHOLDER}"),
            error("HD301", 37, "åtgärder[1].aktiviteter[1].aktivitet", f"Platshållartext ”XXX” {PLACEHOLDER}"),
        ],
        id="HD301",
    ),
    pytest.param(
        "HD302_empty_reference_number.yaml",
        [
            error(
                "HD302",
                10,
                "metadata.diarienummer",
                "Diarienummer saknas. En färdig plan ska ha ett diarienummer (med --draft blir detta en varning).",
            )
        ],
        id="HD302",
    ),
    pytest.param(
        "HD401_control_characters.yaml",
        [
            warning(
                "HD401",
                29,
                "åtgärder[1].beskrivning",
                "Tecken som inte kan stå i ett Word-dokument togs bort ur texten.",
            )
        ],
        id="HD401",
    ),
    pytest.param(
        "HD402_logo_missing.yaml",
        [error("HD402", 4, "kommun.logotyp", "Logotypen ”tests/fixtures/invalid/saknas.png” finns inte.")],
        id="HD402-missing",
    ),
    pytest.param(
        "HD402_logo_not_an_image.yaml",
        [
            error(
                "HD402",
                4,
                "kommun.logotyp",
                "Logotypen ”tests/fixtures/invalid/inte_en_bild.png” är ingen PNG- eller JPEG-bild.",
            )
        ],
        id="HD402-not-an-image",
    ),
]


@pytest.mark.parametrize(("name", "expected"), CASES)
@pytest.mark.usefixtures("in_repo")
def test_each_fixture_reports_its_problem_where_it_is(name: str, expected: list[Found]) -> None:
    result = check_plan(INVALID / name)

    assert [found(p) for p in result.problems] == expected
    for problem in result.problems:
        assert problem.location is not None and problem.location.file == str(INVALID / name)


@pytest.mark.parametrize(("name", "expected"), CASES)
@pytest.mark.usefixtures("in_repo")
def test_a_plan_is_returned_only_when_there_are_no_errors(name: str, expected: list[Found]) -> None:
    result = check_plan(INVALID / name)

    has_errors = any(f.severity == "fel" for f in expected)
    assert (result.plan is None) == has_errors
    assert result.ok == (not has_errors)


def _codes_in_table() -> list[str]:
    import hallbardocs.errors

    return re.findall(r"^(HD\d{3})  ", hallbardocs.errors.__doc__ or "", flags=re.MULTILINE)


def test_every_code_a_plan_file_can_trigger_has_a_named_fixture() -> None:
    not_from_a_file = {"HD001", "HD003", "HD211"}  # a missing file needs no fixture; HD003 and HD211: Excel
    plan_codes = {c for c in _codes_in_table() if c < "HD500"} - not_from_a_file
    fixture_codes = {p.name[:5] for p in (ROOT / INVALID).iterdir() if p.name.startswith("HD")}

    assert plan_codes <= fixture_codes
    assert len(plan_codes) == 25


def test_every_fixture_starts_with_a_comment_that_says_what_is_wrong() -> None:
    for path in (ROOT / INVALID).glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), path.name
        if path.name.startswith("HD"):
            assert first.startswith(f"# {path.name[:5]}"), path.name


def test_every_code_fixture_is_the_minimal_plan_with_a_few_lines_changed() -> None:
    import difflib

    for path in (ROOT / INVALID).glob("HD*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()[1:]  # after the comment
        changed = [d for d in difflib.ndiff(MINIMAL_PLAN.splitlines(), lines) if d[:1] in "+-"]
        assert 1 <= len(changed) <= 8, path.name  # HD207 and HD212 drop the seven lines of the activities


def test_every_code_the_source_uses_is_in_the_table_in_errors_py() -> None:
    used: set[str] = set()
    for path in (ROOT / "hallbardocs").rglob("*.py"):
        used |= set(re.findall(r"\"(HD\d{3})\"", path.read_text(encoding="utf-8")))

    assert used <= set(_codes_in_table())


def test_docs_errors_md_describes_every_code() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (HD\d{3})\b", text, flags=re.MULTILINE)

    assert headings == sorted({*_codes_in_table(), "HD211"})


_DOCS_EXAMPLE = re.compile(r"^(tests/fixtures/invalid/[^,:]+)(?:, rad \d+)?: (?:fel|varning) HD\d{3}: ")


def test_the_examples_in_docs_errors_md_are_what_check_prints_for_the_fixtures(in_repo: None) -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    examples = [line for line in text.splitlines() if _DOCS_EXAMPLE.match(line)]
    assert len(examples) >= 30

    for line in examples:
        match = _DOCS_EXAMPLE.match(line)
        assert match is not None
        path = Path(match.group(1))
        printed = [str(p) for p in check_plan(path).problems + check_plan(path, draft=True).problems]
        assert line in printed


# --- reading the file: HD001, HD002, HD005, HD401 ---------------------------------------------


@pytest.mark.parametrize("name", ["saknas.yaml", "saknas.json", "saknas.xlsx"])
def test_a_missing_file_is_hd001(tmp_path: Path, name: str) -> None:
    result = check_plan(tmp_path / name)

    assert [str(p) for p in result.problems] == [f"{tmp_path / name}: fel HD001: Filen finns inte."]
    assert result.plan is None


def test_a_file_that_is_not_utf8_is_hd001_at_the_first_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(MINIMAL_PLAN.encode("latin-1"))

    [problem] = check_plan(path).problems

    assert found(problem) == error(
        "HD001", 2, None, "Filen är inte kodad som UTF-8. Spara den som UTF-8 och försök igen."
    )


def test_an_empty_file_is_hd102(tmp_path: Path) -> None:
    [problem] = check_plan(written(tmp_path, "")).problems

    assert found(problem) == error(
        "HD102",
        None,
        None,
        "Planen ska vara en samling fält (kommun, år, metadata, …), men filen är tom eller något annat.",
    )


def test_a_problem_in_a_json_file_is_reported_with_its_line(tmp_path: Path) -> None:
    import json

    data = read_plan(ROOT / INVALID / "HD203_unknown_unit.yaml").data
    path = written(tmp_path, json.dumps(data, ensure_ascii=False, indent=2, default=str), "plan.json")

    [problem] = check_plan(path).problems

    assert (problem.code, problem.location and problem.location.line, problem.suggestion) == ("HD203", 53, "Hushagen")
    assert path.read_text(encoding="utf-8").splitlines()[53 - 1].strip() == '"Hushage",'


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("a: 1\nb:\n\tc: 2\n", 3, "ett tabbtecken används som indrag; använd mellanslag"),
        ("a: 1\nb: x: y\nc: 3\n", 2, "ett kolon följt av mellanslag står i ett värde; sätt värdet inom citattecken"),
        ("a:\n  b: 1\n c: 2\nd: 3\n", 3, "indraget stämmer inte med raderna ovanför"),
        ("a: 1\nb: @x\n", 2, "ett värde som börjar med ”@” måste stå inom citattecken"),
        ('a: 1\nb: "abc\nc: 2\n', 2, "en text som börjar med citattecken avslutas aldrig med samma citattecken"),
        ("a: 1\nb\nc: 2\n", 2, "raden saknar kolon efter nyckeln (skriv ”nyckel: värde”)"),
        ("a: {x: 1\nb: 2\n", 1, "en mappning som börjar med ”{” stängs inte med ”}”, eller ett kommatecken saknas"),
    ],
)
def test_a_yaml_syntax_error_names_the_line_of_the_mistake_in_swedish(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    [problem] = check_plan(written(tmp_path, text)).problems

    assert (problem.code, problem.location and problem.location.line) == ("HD002", line)
    assert problem.message.startswith(f"Filen är inte giltig YAML: {reason}. Tolkens besked: ”")


def test_a_json_file_missing_a_comma_is_hd002_on_the_line_that_needs_it(tmp_path: Path) -> None:
    path = written(tmp_path, '{\n  "år": 2026\n\n  "kommun": {}\n}\n', "plan.json")

    [problem] = check_plan(path).problems

    assert found(problem) == error(
        "HD002", 2, None, "Filen är inte giltig JSON: ett kommatecken saknas efter värdet. Tolkens besked: ”Expecting ',' delimiter”."
    )


def test_a_duplicate_key_in_json_is_reported_with_its_line(tmp_path: Path) -> None:
    path = written(tmp_path, '{\n  "år": 2026,\n  "år": 2027\n}\n', "plan.json")

    problem = next(p for p in check_plan(path).problems if p.code == "HD005")

    assert problem.location is not None and problem.location.line == 3


def test_control_characters_become_line_breaks_or_are_removed_with_a_warning(in_repo: None) -> None:
    result = check_plan(INVALID / "HD401_control_characters.yaml")

    assert result.plan is not None  # rich text: the vertical tab is a Markdown hard break
    assert result.plan.measures[0].description == "Kommunkoncernens fordon ska vara fossilfria.\\\nSenast 2030."


def test_a_raw_control_character_in_the_file_is_removed_with_a_warning_on_its_line(tmp_path: Path) -> None:
    text = edited(MINIMAL_PLAN, "elbilar.", "elbilar.\x01")
    result = check_plan(written(tmp_path, text))

    assert [found(p) for p in result.problems] == [
        warning("HD401", 34, None, "Ett styrtecken (U+0001) som inte kan stå i ett Word-dokument togs bort.")
    ]
    assert result.plan is not None
    assert result.plan.measures[0].activities[0].text == "Byt tio bensinbilar mot elbilar."


def test_a_raw_vertical_tab_in_a_yaml_file_does_not_glue_words_together(tmp_path: Path) -> None:
    text = edited(MINIMAL_PLAN, "Byt tio bensinbilar mot elbilar.", "Byt tio bensinbilar.\x0bSedan fler.")
    plan = load_plan(written(tmp_path, text))

    assert plan.measures[0].activities[0].text in (
        "Byt tio bensinbilar.\nSedan fler.",
        "Byt tio bensinbilar. Sedan fler.",
    )


# --- draft ------------------------------------------------------------------------------------


def test_draft_turns_placeholders_into_warnings_and_returns_the_plan(in_repo: None) -> None:
    result = check_plan(INVALID / "HD301_placeholders.yaml", draft=True)

    assert [(p.code, p.severity, p.location and p.location.line) for p in result.problems] == [
        ("HD301", "varning", 8),
        ("HD301", "varning", 9),
        ("HD301", "varning", 31),
        ("HD301", "varning", 37),
    ]
    assert result.ok
    assert result.plan is not None
    assert result.plan.measures[0].description == "TODO"


def test_draft_turns_an_empty_diarienummer_into_a_warning_and_returns_the_plan(in_repo: None) -> None:
    result = validate_plan(read_plan(INVALID / "HD302_empty_reference_number.yaml"), draft=True)

    assert [(p.code, p.severity) for p in result.problems] == [("HD302", "varning")]
    assert result.plan is not None
    assert result.plan.metadata.reference_number == ""


@pytest.mark.parametrize(
    "name",
    ["HD203_unknown_unit.yaml", "HD104_bad_colour.yaml", "HD402_logo_missing.yaml", "HD005_duplicate_key.yaml"],
)
def test_draft_excuses_nothing_but_placeholders_and_the_diarienummer(in_repo: None, name: str) -> None:
    result = check_plan(INVALID / name, draft=True)

    assert [p.severity for p in result.problems] == ["fel"]
    assert result.plan is None


def test_check_with_draft_on_the_command_line_warns_and_succeeds(
    in_repo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(INVALID / "HD302_empty_reference_number.yaml")

    assert main(["check", path]) == 1
    assert main(["check", "--draft", path]) == 0
    assert capsys.readouterr().err.splitlines()[-3:] == [
        f"{path}, rad 10: varning HD302: Diarienummer saknas. I ett utkast går det bra, men den färdiga planen"
        " ska ha ett diarienummer. (fält metadata.diarienummer)",
        "1 varning.",
        f"{path}: planen är giltig.",
    ]


# --- every problem at once --------------------------------------------------------------------


def test_every_problem_in_a_plan_is_reported_in_one_run(in_repo: None) -> None:
    result = check_plan(INVALID / "many_problems.yaml")

    assert [(p.code, p.location and p.location.line, p.location and p.location.field) for p in result.problems] == [
        ("HD102", 4, "år"),  # shape: a wrong type
        ("HD104", 16, "strategi.prioriteringar[1].fokusområden[1].färg"),  # shape: a wrong format
        ("HD104", 20, "organisation[1].typ"),
        ("HD301", 27, "åtgärder[1].beskrivning"),  # text: a placeholder
        ("HD203", 28, "åtgärder[1].ansvariga[1]"),  # across the plan: an unknown unit
        ("HD209", 33, "åtgärder[1].aktiviteter[1].slut"),
        ("HD201", 34, "åtgärder[2].id"),
        ("HD204", 36, "åtgärder[2].fokusområden[1]"),
        ("HD206", 38, "åtgärder[2].globala_mål[1]"),
    ]
    assert all(p.is_error for p in result.problems)
    assert result.plan is None


def test_a_measure_with_a_shape_error_still_has_its_references_checked(tmp_path: Path) -> None:
    text = edited(MINIMAL_PLAN, "[Res fossilfritt, Konsumera miljösmart]", "[Konsumera miljösmart]")
    text = edited(text, "ansvariga: [Hushagen,", "ansvariga: [Hushage,")
    text = edited(text, "kostnad: 450000", "kostnad: mycket")
    text += '  - id: "2"\n    rubrik: Res kollektivt\n    fokusområden: [Res fossilfritt]\n    ansvariga: [Hushagen]\n'

    result = check_plan(written(tmp_path, text))

    assert [(p.code, p.location and p.location.field) for p in result.problems] == [
        ("HD203", "åtgärder[1].ansvariga[1]"),
        ("HD102", "åtgärder[1].aktiviteter[1].kostnad"),
        ("HD212", "åtgärder[2].aktiviteter"),
    ]


def test_activities_with_a_shape_error_are_not_also_called_missing(tmp_path: Path) -> None:
    text = edited(MINIMAL_PLAN, "kostnad: 450000", "kostnad: mycket")

    result = check_plan(written(tmp_path, text))

    assert [(p.code, p.location and p.location.field) for p in result.problems] == [
        ("HD102", "åtgärder[1].aktiviteter[1].kostnad"),
    ]


def test_a_measure_without_a_responsible_unit_is_hd207_not_also_hd212(in_repo: None) -> None:
    result = check_plan(INVALID / "HD207_no_responsible_unit.yaml")

    assert [p.code for p in result.problems] == ["HD207"]


# --- an invalid plan is never returned --------------------------------------------------------


def test_load_plan_raises_with_every_problem(in_repo: None) -> None:
    path = INVALID / "many_problems.yaml"

    with pytest.raises(InvalidInputError) as raised:
        load_plan(path)

    assert raised.value.problems == check_plan(path).problems
    assert len(raised.value.errors) == 9
    assert str(raised.value) == (
        "tests/fixtures/invalid/many_problems.yaml, rad 4: fel HD102: ”år” ska vara ett heltal, men är"
        " ”tjugotjugosex”. (fält år) (och 8 fel till)"
    )


def test_a_problem_reads_as_a_swedish_sentence_naming_file_line_field_and_suggestion(in_repo: None) -> None:
    [problem] = check_plan(INVALID / "HD203_unknown_unit.yaml").problems

    assert str(problem) == (
        "tests/fixtures/invalid/HD203_unknown_unit.yaml, rad 30: fel HD203: ”Hushage” finns inte i"
        " organisationen. (fält åtgärder[1].ansvariga[1]) Menade du ”Hushagen”?"
    )


def test_a_warning_alone_does_not_stop_the_plan(in_repo: None) -> None:
    plan = load_plan(INVALID / "HD210_unused_focus_area.yaml")

    assert [a.name for a in plan.focus_areas()] == ["Res fossilfritt", "Konsumera miljösmart", "Ät hållbart"]


# --- Excel ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    return load_plan(EXAMPLE_YAML)


@pytest.fixture
def workbook(tmp_path: Path, example_plan: Plan) -> Callable[[Callable[[Any], None]], Path]:
    """``workbook(edit)``: the example plan as .xlsx in tmp_path, after ``edit(openpyxl_workbook)``."""

    def make(edit: Callable[[Any], None]) -> Path:
        path = tmp_path / "handlingsplan.xlsx"
        path.write_bytes(dump_plan(example_plan, ".xlsx"))
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
        return path

    return make


def test_the_example_as_a_workbook_is_valid(workbook: Callable[[Callable[[Any], None]], Path]) -> None:
    result = check_plan(workbook(lambda wb: None))

    assert result.problems == []


def test_an_unknown_unit_in_the_ansvariga_column_is_reported_at_its_cell(
    workbook: Callable[[Callable[[Any], None]], Path],
) -> None:
    def edit(wb: Any) -> None:
        ws = wb["Åtgärder"]
        assert ws["E5"].value == "Samhällsbyggnadssektorn; Lindåsahem AB; Sektorn för verksamhetsstöd"
        ws["E5"] = "Samhällsbyggnadssektorn; Lindåsahem AB; Sektorn för verksamhetsstöd; Lindåsa Energi"

    [problem] = check_plan(workbook(edit)).problems

    assert problem.location is not None
    assert (problem.code, problem.location.sheet, problem.location.cell, problem.location.line) == (
        "HD203",
        "Åtgärder",
        "E5",
        None,
    )
    assert problem.location.field == "åtgärder[4].ansvariga[4]"
    assert problem.suggestion == "Lindåsa Energi AB"
    assert str(problem).endswith(
        "handlingsplan.xlsx, blad Åtgärder, cell E5: fel HD203: ”Lindåsa Energi” finns inte i organisationen."
        " (fält åtgärder[4].ansvariga[4]) Menade du ”Lindåsa Energi AB”?"
    )


def test_an_activity_for_an_unknown_measure_id_is_hd211(workbook: Callable[[Callable[[Any], None]], Path]) -> None:
    def edit(wb: Any) -> None:
        wb["Aktiviteter"]["A2"] = "99"

    result = check_plan(workbook(edit))

    assert [(p.code, p.location and p.location.sheet, p.location and p.location.cell) for p in result.problems] == [
        ("HD211", "Aktiviteter", "A2")
    ]
    assert result.problems[0].message == "Aktiviteten hör till åtgärd ”99”, som inte finns på bladet ”Åtgärder”."
    assert result.plan is None


def test_a_measure_without_activity_rows_is_hd212_at_its_row(workbook: Callable[[Callable[[Any], None]], Path]) -> None:
    def edit(wb: Any) -> None:
        ws = wb["Aktiviteter"]
        rows = [r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 1).value) == "3"]
        assert rows
        for r in reversed(rows):
            ws.delete_rows(r)

    result = check_plan(workbook(edit))

    assert [(p.code, p.severity, p.location and p.location.sheet, p.location and p.location.field) for p in result.problems] == [
        ("HD212", "varning", "Åtgärder", "åtgärder[3].aktiviteter")
    ]
    assert result.problems[0].message.startswith("Åtgärd 3 ”")
    assert result.plan is not None and result.plan.measures[2].activities == []


def test_a_missing_sheet_is_hd003(workbook: Callable[[Callable[[Any], None]], Path]) -> None:
    result = check_plan(workbook(lambda wb: wb.remove(wb["Åtgärder"])))

    hd003 = [p for p in result.problems if p.code == "HD003"]
    assert [(p.message, p.location and p.location.sheet, p.location and p.location.cell) for p in hd003] == [
        ("Bladet ”Åtgärder” saknas i arbetsboken.", "Åtgärder", None)
    ]
    assert result.plan is None


def test_a_missing_required_column_is_hd003(workbook: Callable[[Callable[[Any], None]], Path]) -> None:
    def edit(wb: Any) -> None:
        ws = wb["Åtgärder"]
        assert ws["E1"].value == "Ansvariga"
        ws.delete_cols(5)

    result = check_plan(workbook(edit))

    hd003 = [p for p in result.problems if p.code == "HD003"]
    assert [(p.message, p.location and p.location.sheet, p.location and p.location.cell) for p in hd003] == [
        ("Bladet ”Åtgärder” saknar kolumnen ”Ansvariga” på rad 1.", "Åtgärder", "A1")
    ]
    assert result.plan is None


def test_a_missing_measures_sheet_is_not_also_reported_once_per_activity(
    workbook: Callable[[Callable[[Any], None]], Path],
) -> None:
    result = check_plan(workbook(lambda wb: wb.remove(wb["Åtgärder"])))

    assert [p.code for p in result.problems if p.code == "HD211"] == []


def test_an_unknown_column_header_is_hd103_with_a_suggestion(
    workbook: Callable[[Callable[[Any], None]], Path],
) -> None:
    def edit(wb: Any) -> None:
        wb["Åtgärder"]["G1"] = "Globala måll"

    [problem] = check_plan(workbook(edit)).problems

    assert (problem.code, problem.severity, problem.suggestion) == ("HD103", "fel", "Globala mål")
    assert problem.location is not None
    assert (problem.location.sheet, problem.location.cell) == ("Åtgärder", "G1")
    assert problem.message == (
        "Okänd kolumn ”Globala måll”. Bladet ”Åtgärder” har kolumnerna Id, Rubrik, Fokusområden, Beskrivning,"
        " Ansvariga, Miljökvalitetsmål, Globala mål."
    )


def test_a_file_that_is_not_a_workbook_is_hd003(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("Det här är ingen arbetsbok.", encoding="utf-8")

    [problem] = check_plan(path).problems

    assert problem.code == "HD003"
    assert problem.message.startswith("Filen kunde inte läsas som en Excel-arbetsbok (.xlsx): ")


def test_an_excel_line_break_in_a_cell_becomes_a_line_break(workbook: Callable[[Callable[[Any], None]], Path]) -> None:
    def edit(wb: Any) -> None:  # Excel writes a vertical tab (Word's line break) in a cell as _x000B_
        wb["Åtgärder"]["B2"] = "Första raden._x000B_Andra raden."
        wb["Åtgärder"]["D2"] = "Första raden._x000B_Andra raden."

    result = check_plan(workbook(edit))

    assert result.problems == []
    assert result.plan is not None
    assert result.plan.measures[0].title == "Första raden.\nAndra raden."
    assert result.plan.measures[0].description == "Första raden.\\\nAndra raden."  # a Markdown hard break


# --- the three formats ------------------------------------------------------------------------


def test_the_example_gives_the_same_plan_from_yaml_excel_and_json(tmp_path: Path) -> None:
    from_yaml = load_plan(EXAMPLE_YAML)
    from_excel = load_plan(EXAMPLE_XLSX)
    assert from_yaml == from_excel

    relative_logo = from_yaml.municipality.model_copy(update={"logo": Path("logga.png")})
    (tmp_path / "handlingsplan.json").write_bytes(
        dump_plan(from_yaml.model_copy(update={"municipality": relative_logo}), ".json")
    )
    shutil.copy(EXAMPLE_LOGO, tmp_path / "logga.png")
    from_json = load_plan(tmp_path / "handlingsplan.json")

    assert from_json.municipality.logo == (tmp_path / "logga.png").resolve()
    same_logo = from_json.municipality.model_copy(update={"logo": from_yaml.municipality.logo})
    assert from_json.model_copy(update={"municipality": same_logo}) == from_yaml


# --- inputs are never modified ----------------------------------------------------------------


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_validation_never_modifies_its_inputs() -> None:
    inputs = sorted((ROOT / INVALID).iterdir()) + [EXAMPLE_YAML, EXAMPLE_XLSX, EXAMPLE_LOGO]
    before = _digests(inputs)

    for path in inputs:
        check_plan(path)
        check_plan(path, draft=True)

    assert _digests(inputs) == before


def test_validation_never_modifies_the_raw_data() -> None:
    raw = read_plan(ROOT / INVALID / "many_problems.yaml")
    data = copy.deepcopy(raw.data)
    valid = read_plan(EXAMPLE_YAML)
    valid_data = copy.deepcopy(valid.data)

    validate_plan(raw)
    validate_plan(valid)

    assert raw.data == data
    assert valid.data == valid_data
