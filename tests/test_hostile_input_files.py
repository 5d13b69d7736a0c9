"""Hostile and broken input files: each ends in a coded Swedish problem at its place, within bounded
time and memory, and nothing is written.

Every input is built here, in ``tmp_path``. What could exhaust the machine if it regressed (an alias
bomb, ``/dev/zero``, a FIFO that blocks) runs the command line in a child process with a memory
limit and a timeout, so a regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from hallbardocs import Problem, check_followup, check_plan, load_plan
from hallbardocs.cli import main
from hallbardocs.errors import os_reason
from hallbardocs.files import DATA_LIMIT, IMAGE_LIMIT, TEMPLATE_LIMIT, UnreadableFile, read_user_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

MEMORY_LIMIT = 1 << 30
"""The address space a child process may use (the example miljöbokslut needs less than 600 MiB)."""
CHILD_TIMEOUT = 60.0
"""Seconds before a child process is killed: a hang fails the test."""
QUICK = 10.0
"""What "within bounded time" means here: generous, for a loaded 2-core machine."""

PLAN = """\
kommun:
  namn: Lindåsa kommun
år: 2026
metadata:
  dokumentnamn: Handlingsplan till miljöstrategin för 2026
  dokumenttyp: Handlingsplan
  diarienummer: KS 2026/0087
strategi:
  prioriteringar:
    - namn: Klimat
      fokusområden:
        - namn: Res fossilfritt
organisation:
  - namn: Hushagen
    typ: bolag
  - namn: Samhällsbyggnadssektorn
    typ: sektor
åtgärder:
  - id: "1"
    rubrik: Ställ om fordonsflottan
    fokusområden: [Res fossilfritt]
    beskrivning: Kommunkoncernens fordon ska vara fossilfria senast 2030.
    ansvariga: [Hushagen, Samhällsbyggnadssektorn]
    aktiviteter:
      - enhet: Samhällsbyggnadssektorn
        aktivitet: Byt tio bensinbilar mot elbilar.
        kostnad: 450000
"""
"""A small valid plan; the cost stands on line 27."""
COST_LINE = 27


def alias_bomb(lines: int) -> str:
    """``lines`` lines of YAML whose aliases stand for 10**lines values (256 bytes for seven)."""
    out = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefghijklmnop", "bcdefghijklmnopq"[: lines - 1], strict=False):
        out.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    return "\n".join(out) + "\n"


def written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def only(problems: list[Problem], code: str) -> Problem:
    """The one problem with ``code``."""
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str | Path, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """The command line in a child process with a memory limit and a timeout; and how long it took."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "hallbardocs", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        preexec_fn=_limit_memory,
        check=False,
    )
    return result, time.monotonic() - start


def files(folder: Path) -> list[str]:
    """Every file and folder under ``folder``: compared before and after, to show nothing was written."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def refused(path: Path) -> list[Problem]:
    """The problems of the plan at ``path``, found within bounded time, after showing that
    ``hallbardocs handlingsplan`` refuses it (exit status 1) and writes nothing beside it."""
    folder = path.parent
    before = files(folder)
    assert main(["handlingsplan", str(path), "-o", str(folder / "ut.docx")]) == 1
    assert files(folder) == before
    start = time.monotonic()
    problems = check_plan(path).problems
    assert time.monotonic() - start < QUICK
    return problems


def refused_followup(example: Path, followup: Path) -> list[Problem]:
    """The same for a follow-up of the example plan, through ``hallbardocs miljobokslut``."""
    plan = example / "handlingsplan.yaml"
    before = files(example)
    assert main(["miljobokslut", str(plan), str(followup), "-o", str(example / "ut.docx")]) == 1
    assert files(example) == before
    start = time.monotonic()
    problems = check_followup(followup, load_plan(plan)).problems
    assert time.monotonic() - start < QUICK
    return problems


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the examples folder (plan, follow-up, indicator files, logo)."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("sektorer", "*.py"))
    return target


# --- YAML aliases: HD006 -----------------------------------------------------------------------


def test_a_yaml_alias_bomb_is_refused_before_expansion(tmp_path: Path) -> None:
    written(tmp_path / "plan.yaml", alias_bomb(8))  # 10**8 values if expanded: gigabytes
    before = files(tmp_path)

    result, seconds = run_cli("handlingsplan", "plan.yaml", "-o", "ut.docx", cwd=tmp_path)

    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("plan.yaml, rad 5: fel HD006: Alias (*namn) skulle upprepa värdet här")
    assert "Traceback" not in result.stderr
    assert seconds < QUICK
    assert files(tmp_path) == before


def test_the_seven_line_alias_bomb_of_the_report_is_hd006_at_once(tmp_path: Path) -> None:
    path = written(tmp_path / "plan.yaml", alias_bomb(7))
    assert path.stat().st_size < 300

    start = time.monotonic()
    problems = refused(path)

    assert time.monotonic() - start < QUICK
    assert [(p.code, p.location.line if p.location else None) for p in problems] == [("HD006", 5)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &a [*a]\n", 1),
        ("kommun: &k\n  namn: Lindåsa\n  logotyp: *k\n", 1),
        ("lista:\n  - 1\n  - &b\n    - 2\n    - [3, *b]\n", 3),
    ],
    ids=["list", "mapping", "nested"],
)
def test_a_recursive_alias_is_hd006_not_a_recursion_error(tmp_path: Path, text: str, line: int) -> None:
    path = written(tmp_path / "plan.yaml", text)

    problem = only(refused(path), "HD006")

    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(path), line)
    assert "står inne i värdet det pekar på" in problem.message


def test_a_merge_key_bomb_is_hd006_before_the_merges_are_flattened(tmp_path: Path) -> None:
    lines = ["a: &a {x: 1, y: 2, z: 3}"]
    for previous, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} {{<<: [" + ", ".join([f"*{previous}"] * 10) + "]}")
    path = written(tmp_path / "plan.yaml", "\n".join(lines) + "\n")

    start = time.monotonic()
    problems = refused(path)

    assert time.monotonic() - start < QUICK
    assert [(p.code, p.location.line if p.location else None) for p in problems] == [("HD006", 6)]


def test_a_few_plain_aliases_are_still_allowed(tmp_path: Path) -> None:
    text = PLAN.replace(
        "    ansvariga: [Hushagen, Samhällsbyggnadssektorn]\n",
        "    ansvariga: &alla [Hushagen, Samhällsbyggnadssektorn]\n",
    ).replace(
        "        kostnad: 450000\n",
        "        kostnad: 450000\n  - id: '2'\n    rubrik: Samma ansvariga\n"
        "    fokusområden: [Res fossilfritt]\n    beskrivning: Text.\n    ansvariga: *alla\n",
    )
    path = written(tmp_path / "plan.yaml", text)

    result = check_plan(path)

    assert result.ok, [str(p) for p in result.problems]
    assert result.plan is not None
    assert result.plan.measures[1].responsible == ["Hushagen", "Samhällsbyggnadssektorn"]


def test_an_alias_bomb_in_a_follow_up_is_hd006(example: Path) -> None:
    followup = example / "uppfoljning.yaml"
    text = followup.read_text(encoding="utf-8")
    followup.write_text(text + alias_bomb(7), encoding="utf-8")
    bomb_line = text.count("\n") + 5  # the bomb's fifth line is the first to stand for over 100 000 values

    start = time.monotonic()
    problems = refused_followup(example, followup)

    assert time.monotonic() - start < QUICK
    problem = only(problems, "HD006")
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(followup), bomb_line)


# --- nesting: HD007 ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [101, 990, 100_000])
def test_json_nested_deeply_is_hd007_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    path = written(tmp_path / "plan.json", '{\n"kapitel":\n' + "[" * depth + "]" * depth + "\n}")

    start = time.monotonic()
    problems = refused(path)

    assert time.monotonic() - start < QUICK
    assert [str(p) for p in problems] == [
        f"{path}, rad 3: fel HD007: Listor och fält är nästlade i mer än 100 nivåer; en plan behöver bara några få."
    ]


@pytest.mark.parametrize("depth", [101, 990, 5_000])
def test_yaml_nested_deeply_is_hd007(tmp_path: Path, depth: int) -> None:
    path = written(tmp_path / "plan.yaml", "år: 2026\nkapitel: " + "[" * depth + "]" * depth + "\n")

    problem = only(refused(path), "HD007")

    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(path), 2)


def test_a_plan_nested_a_hundred_levels_is_read(tmp_path: Path) -> None:
    path = written(tmp_path / "plan.yaml", "kapitel: " + "[" * 99 + "]" * 99 + "\n")

    assert not [p for p in check_plan(path).problems if p.code in ("HD002", "HD007")]


def test_a_kolada_file_nested_deeply_is_hd901(example: Path) -> None:
    (example / "indikatorer" / "N07702.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    problems = refused_followup(example, example / "uppfoljning.yaml")

    problem = only(problems, "HD901")
    assert "är ingen JSON (rad 1: nästlad i mer än 100 nivåer)" in problem.message
    assert problem.location is not None and problem.location.field == "indikatorer[3].kolada"


# --- keys: HD008 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("? [a, b]\n: 1", "Nyckeln är en lista; ett fälts namn ska vara en text."),
        ("? {a: 1}\n: 1", "Nyckeln är en samling fält; ett fälts namn ska vara en text."),
        ("[Hushagen]: ansvariga", "Nyckeln är en lista; ett fälts namn ska vara en text."),
        ("~: 1", "Nyckeln ”~” betyder ”inget värde” i YAML och kan inte vara ett fälts namn."),
        ("null: 1", "Nyckeln ”null” betyder ”inget värde” i YAML och kan inte vara ett fälts namn."),
        ("? \n: 1", "Nyckeln är tom; skriv fältets namn före kolonet."),
    ],
    ids=["complex-list", "complex-mapping", "flow-list", "tilde", "null", "empty"],
)
def test_a_key_that_is_not_a_name_is_hd008_on_its_line(tmp_path: Path, key: str, message: str) -> None:
    path = written(tmp_path / "plan.yaml", PLAN.replace("år: 2026\n", f"år: 2026\n{key}\n"))

    problems = refused(path)

    assert [(p.code, p.message, p.location.line if p.location else None) for p in problems] == [("HD008", message, 4)]
    assert "None" not in "".join(str(p) for p in problems)


def test_a_null_key_in_a_follow_up_is_hd008_not_an_unknown_field_none(example: Path) -> None:
    followup = example / "uppfoljning.yaml"
    text = followup.read_text(encoding="utf-8")
    followup.write_text(text.replace("statusskala: standard\n", "statusskala: standard\n~: något\n"), encoding="utf-8")

    problems = refused_followup(example, followup)

    problem = only(problems, "HD008")
    assert problem.location is not None and problem.location.line == 11
    assert not [p for p in problems if p.code == "HD103"]


def test_a_key_yaml_reads_as_yes_or_no_stays_its_text(tmp_path: Path) -> None:
    path = written(tmp_path / "plan.yaml", PLAN.replace("år: 2026\n", "år: 2026\non: 1\n"))

    problem = only(refused(path), "HD103")

    assert problem.message == "Okänt fält ”on”."
    assert problem.location is not None and problem.location.line == 4


# --- numbers: HD104 ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_integer_of_5000_digits_is_hd104_not_a_crash(tmp_path: Path, suffix: str) -> None:
    digits = "9" * 5000
    text = f"år: {digits}\n" if suffix == ".yaml" else f'{{\n"år": {digits}\n}}'
    path = written(tmp_path / f"plan{suffix}", text)

    problem = only(refused(path), "HD104")

    assert problem.message == "Talet i ”år” har för många siffror för att vara ett tal i en plan."
    assert problem.location is not None
    assert (problem.location.line, problem.location.field) == (1 if suffix == ".yaml" else 2, "år")


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("1e308", "1e308 i ”kostnad” ligger utanför det tillåtna (högst 1\u00a0000\u00a0000\u00a0000\u00a0000)."),
        ("1.0e+308", "1e+308 i ”kostnad” ligger utanför det tillåtna (högst 1\u00a0000\u00a0000\u00a0000\u00a0000)."),
        (
            "9" * 5000,
            "9999999999999999999999999999999999999999… (5000 tecken) i ”kostnad” ligger utanför det tillåtna "
            "(högst 1\u00a0000\u00a0000\u00a0000\u00a0000).",
        ),
        (".inf", "”inf” i ”kostnad” är inget ändligt tal; skriv ett vanligt tal."),
        (".nan", "”nan” i ”kostnad” är inget ändligt tal; skriv ett vanligt tal."),
    ],
    ids=["1e308", "float-1e308", "5000-digits", "inf", "nan"],
)
def test_an_impossible_cost_is_a_value_range_problem_and_nothing_is_written(
    tmp_path: Path, cost: str, message: str
) -> None:
    path = written(tmp_path / "plan.yaml", PLAN.replace("kostnad: 450000", f"kostnad: {cost}"))
    before = files(tmp_path)

    problem = only(refused(path), "HD104")
    status = main(["handlingsplan", str(path), "-o", str(tmp_path / "ut.docx")])

    assert problem.message == message
    assert problem.location is not None
    assert (problem.location.line, problem.location.field) == (COST_LINE, "åtgärder[1].aktiviteter[1].kostnad")
    assert status == 1
    assert files(tmp_path) == before


def test_the_largest_cost_allowed_is_a_thousand_billion(tmp_path: Path) -> None:
    path = written(tmp_path / "plan.yaml", PLAN.replace("kostnad: 450000", "kostnad: 1000000000000"))

    assert check_plan(path).ok


@pytest.mark.parametrize(
    ("value", "code"),
    [(".inf", "HD906"), ("-.inf", "HD906"), (".nan", "HD906"), ("1.0e+308", "HD906"), ("9" * 5000, "HD906")],
    ids=["inf", "-inf", "nan", "1e308", "5000-digits"],
)
def test_an_impossible_indicator_value_is_refused_and_no_miljobokslut_is_written(
    example: Path, value: str, code: str
) -> None:
    followup = example / "uppfoljning.yaml"
    text = followup.read_text(encoding="utf-8")
    assert text.count("      2019: 62\n") == 1
    followup.write_text(text.replace("      2019: 62\n", f"      2019: {value}\n"), encoding="utf-8")
    line = text[: text.index("      2019: 62\n")].count("\n") + 1
    out = example / "miljobokslut.docx"
    before = files(example)

    problem = only(refused_followup(example, followup), code)
    status = main(["miljobokslut", str(example / "handlingsplan.yaml"), str(followup), "-o", str(out)])

    assert problem.location is not None
    assert (problem.location.line, problem.location.field) == (line, "indikatorer[1].värden.2019")
    assert status == 1
    assert files(example) == before


def test_the_largest_indicator_values_allowed_still_make_a_miljobokslut(example: Path) -> None:
    followup = example / "uppfoljning.yaml"
    text = followup.read_text(encoding="utf-8")
    text = text.replace("      2019: 62\n", "      2019: 1000000000000\n").replace(
        "      2020: 66\n", "      2020: -1000000000000\n"
    )
    followup.write_text(text, encoding="utf-8")
    out = example / "miljobokslut.docx"

    status = main(["miljobokslut", str(example / "handlingsplan.yaml"), str(followup), "-o", str(out)])

    assert status == 0
    assert out.stat().st_size > 0


# --- special and huge files: HD001, HD402, HD501, HD901 -----------------------------------------


def test_a_fifo_as_the_logo_is_hd402_and_check_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "logga.png")
    written(
        tmp_path / "plan.yaml",
        PLAN.replace("  namn: Lindåsa kommun\n", "  namn: Lindåsa kommun\n  logotyp: logga.png\n"),
    )

    before = files(tmp_path)

    result, seconds = run_cli("check", "plan.yaml", cwd=tmp_path)

    assert result.returncode == 1
    assert files(tmp_path) == before
    assert result.stderr.splitlines()[0] == (
        "plan.yaml, rad 3: fel HD402: Logotypen ”logga.png” kunde inte läsas: det är en namngiven rörledning "
        "(FIFO), ingen vanlig fil. (fält kommun.logotyp)"
    )
    assert seconds < QUICK


@pytest.mark.parametrize(
    ("logo", "reason"),
    [
        ("bilder", "det är en mapp, ingen fil"),
        ("/dev/zero", "det är en enhetsfil, ingen vanlig fil"),
        ("stor.png", "filen är större än 20 MB"),
    ],
    ids=["folder", "device", "too-large"],
)
def test_a_logo_that_is_not_a_regular_image_file_is_hd402_in_swedish(tmp_path: Path, logo: str, reason: str) -> None:
    (tmp_path / "bilder").mkdir()
    with (tmp_path / "stor.png").open("wb") as fh:  # sparse: no disk is used
        fh.write(b"\x89PNG")
        fh.truncate(IMAGE_LIMIT + 1)
    path = written(
        tmp_path / "plan.yaml", PLAN.replace("  namn: Lindåsa kommun\n", f"  namn: Lindåsa kommun\n  logotyp: {logo}\n")
    )

    problem = only(refused(path), "HD402")

    shown = logo if logo.startswith("/") else str(tmp_path / logo)
    assert problem.message == f"Logotypen ”{shown}” kunde inte läsas: {reason}."
    assert problem.location is not None
    assert (problem.location.line, problem.location.field) == (3, "kommun.logotyp")


def test_an_empty_logo_is_an_empty_field_not_the_plan_folder(tmp_path: Path) -> None:
    path = written(
        tmp_path / "plan.yaml", PLAN.replace("  namn: Lindåsa kommun\n", '  namn: Lindåsa kommun\n  logotyp: ""\n')
    )

    problems = refused(path)

    problem = only(problems, "HD101")
    assert problem.message == "Fältet ”logotyp” är tomt; det ska ha en text."
    assert problem.location is not None and problem.location.line == 3
    assert "”.”" not in "".join(str(p) for p in problems)


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_a_plan_that_is_a_device_or_a_folder_or_too_large_is_hd001(tmp_path: Path, suffix: str) -> None:
    device = tmp_path / f"enhet{suffix}"
    device.symlink_to("/dev/zero")
    folder = tmp_path / f"mapp{suffix}"
    folder.mkdir()
    large = tmp_path / f"stor{suffix}"
    with large.open("wb") as fh:
        fh.truncate(DATA_LIMIT + 1)

    messages = {p.name: [str(x) for x in refused(p)] for p in (device, folder, large)}

    assert messages == {
        device.name: [f"{device}: fel HD001: Filen kunde inte läsas: det är en enhetsfil, ingen vanlig fil."],
        folder.name: [f"{folder}: fel HD001: Filen kunde inte läsas: det är en mapp, ingen fil."],
        large.name: [f"{large}: fel HD001: Filen kunde inte läsas: filen är större än 50 MB."],
    }


def test_a_follow_up_indicator_file_dev_zero_is_hd901_within_bounded_memory(example: Path) -> None:
    followup = example / "uppfoljning.yaml"
    text = followup.read_text(encoding="utf-8")
    followup.write_text(text.replace("  - fil: indikatorer/nyckeltal.csv", "  - fil: /dev/zero"), encoding="utf-8")

    before = files(example)

    result, seconds = run_cli("check", "handlingsplan.yaml", "--followup", "uppfoljning.yaml", cwd=example)

    assert files(example) == before
    assert result.returncode == 1, result.stderr
    assert (
        "uppfoljning.yaml: fel HD901: Filen /dev/zero kan inte läsas: det är en enhetsfil, ingen vanlig fil. "
        "(fält indikatorer[2].fil)"
    ) in result.stderr.splitlines()
    assert seconds < QUICK


@pytest.mark.parametrize("template", ["/dev/zero", "mall.docx"], ids=["device", "fifo"])
def test_a_template_that_is_a_device_or_a_fifo_is_hd501_and_nothing_is_written(tmp_path: Path, template: str) -> None:
    os.mkfifo(tmp_path / "mall.docx")
    written(tmp_path / "plan.yaml", PLAN)
    before = files(tmp_path)

    result, seconds = run_cli("handlingsplan", "plan.yaml", "--template", template, "-o", "ut.docx", cwd=tmp_path)

    kind = "en enhetsfil" if template == "/dev/zero" else "en namngiven rörledning (FIFO)"
    assert result.returncode == 1, result.stderr
    assert (
        result.stderr.splitlines()[-1]
        == f"{template}: fel HD501: Mallen kunde inte läsas: det är {kind}, ingen vanlig fil."
    )
    assert seconds < QUICK
    assert files(tmp_path) == before


def test_a_template_over_100_mb_is_hd501_before_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (tmp_path / "mall.docx").open("wb") as fh:  # sparse
        fh.write(b"PK\x03\x04")
        fh.truncate(TEMPLATE_LIMIT + 1)
    plan = written(tmp_path / "plan.yaml", PLAN)
    before = files(tmp_path)

    status = main(
        ["handlingsplan", str(plan), "--template", str(tmp_path / "mall.docx"), "-o", str(tmp_path / "ut.docx")]
    )

    assert status == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{tmp_path / 'mall.docx'}: fel HD501: Mallen kunde inte läsas: filen är större än 100 MB."
    )
    assert files(tmp_path) == before


def test_reading_a_file_that_grows_past_its_cap_stops_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "fil.yaml"
    path.write_bytes(b"x" * 100)

    assert read_user_file(path, 100) == b"x" * 100
    with pytest.raises(UnreadableFile, match="större än 99 byte"):
        read_user_file(path, 99)
    assert read_user_file(path, 1000, head=8) == b"x" * 8


# --- messages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ENOSPC", "EROFS", "ENAMETOOLONG", "ELOOP", "EIO", "ENXIO"],
)
def test_an_os_error_is_told_in_swedish(code: str) -> None:
    number = getattr(errno, code)

    reason = os_reason(OSError(number, os.strerror(number)))

    assert os.strerror(number) not in reason
    assert reason and reason == reason.lower()


def test_an_uncommon_os_error_is_named_not_quoted_in_english() -> None:
    assert os_reason(OSError(errno.ENOTSOCK, os.strerror(errno.ENOTSOCK))) == (
        "operativsystemet svarade med felet ENOTSOCK"
    )


def test_a_folder_as_the_plan_is_told_in_swedish(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").mkdir()

    (problem,) = refused(tmp_path / "plan.yaml")

    assert problem.message == "Filen kunde inte läsas: det är en mapp, ingen fil."
    assert "directory" not in problem.message


def test_a_lone_surrogate_in_json_is_removed_with_hd401_on_its_line(tmp_path: Path) -> None:
    data = yaml.safe_load(PLAN)
    text = json.dumps(data, ensure_ascii=True, indent=2).replace("Byt tio bensinbilar", "Byt tio \\ud800bensinbilar")
    path = written(tmp_path / "plan.json", text)

    result = check_plan(path)

    problem = only(result.problems, "HD401")
    assert problem.severity == "varning"
    assert problem.location is not None
    assert problem.location.line == text[: text.index("\\ud800")].count("\n") + 1
    assert problem.location.field == "åtgärder[1].aktiviteter[1].aktivitet"
    assert result.plan is not None
    assert result.plan.measures[0].activities[0].text == "Byt tio bensinbilar mot elbilar."


def test_an_emoji_escaped_in_json_keeps_the_lines_of_problems(tmp_path: Path) -> None:
    text = '{\n"kommun": {"namn": "Lind\\u00e5sa \\ud83c\\udf32"},\n"år": "tjugo"\n}'
    path = written(tmp_path / "plan.json", text)

    problem = next(p for p in refused(path) if p.code == "HD102")

    assert problem.location is not None and problem.location.line == 3


def test_a_file_that_is_not_a_workbook_is_told_in_swedish_not_in_openpyxl_s_words(tmp_path: Path) -> None:
    text_file = tmp_path / "text.xlsx"
    text_file.write_text("Det här är ingen arbetsbok.", encoding="utf-8")
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes((EXAMPLES / "handlingsplan.xlsx").read_bytes()[:2000])

    messages = [str(p) for path in (text_file, broken) for p in refused(path)]

    assert messages == [
        f"{text_file}: fel HD003: Filen kunde inte läsas som en Excel-arbetsbok (.xlsx): den är ingen .xlsx-fil "
        "(kanske en .xls- eller .csv-fil med fel ändelse).",
        f"{broken}: fel HD003: Filen kunde inte läsas som en Excel-arbetsbok (.xlsx): den är skadad eller ofullständig.",
    ]


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        (
            "plan.yaml",
            "a:\n  b: 1\n c: 2\n",
            3,
            "Filen är inte giltig YAML: indraget stämmer inte med raderna ovanför. Tolkens besked: ”while parsing a block mapping; did not find expected key”.",
        ),
        (
            "plan.yaml",
            "a: b: c\n",
            1,
            "Filen är inte giltig YAML: ett kolon följt av mellanslag står i ett värde; sätt värdet inom citattecken. Tolkens besked: ”mapping values are not allowed in this context”.",
        ),
        (
            "plan.yaml",
            "a: *saknas\n",
            1,
            "Filen är inte giltig YAML: ett alias (”*namn”) pekar inte på något ankare (”&namn”). Tolkens besked: ”found undefined alias”.",
        ),
        (
            "plan.yaml",
            "a: 1\n---\nb: 2\n",
            2,
            "Filen är inte giltig YAML: filen innehåller mer än ett dokument (en rad ”---” eller ”...”). Tolkens besked: ”expected a single document in the stream; but found another document”.",
        ),
        (
            "plan.yaml",
            "a: !!python/object:os.system x\n",
            1,
            "Filen är inte giltig YAML: en tagg (!…) som inte kan läsas; ta bort den. Tolkens besked: ”could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'”.",
        ),
        ("plan.json", '{"a": }', 1, "Filen är inte giltig JSON: ett värde saknas (eller så står ett kommatecken för mycket). Tolkens besked: ”Expecting value”."),
        ("plan.json", '{"a": 1} x', 1, "Filen är inte giltig JSON: det står något efter filens sista ”}”. Tolkens besked: ”Extra data”."),
        ("plan.json", '{\n"a": "x', 2, "Filen är inte giltig JSON: en text inom citattecken avslutas aldrig. Tolkens besked: ”Unterminated string starting at”."),
    ],
)
def test_a_syntax_error_is_told_in_swedish_on_its_line(
    tmp_path: Path, name: str, text: str, line: int, message: str
) -> None:
    path = written(tmp_path / name, text)

    (problem,) = refused(path)

    assert (problem.code, problem.message) == ("HD002", message)
    assert problem.location is not None and problem.location.line == line


def test_a_key_of_100000_characters_is_shown_cut_in_the_message_and_the_field(tmp_path: Path) -> None:
    key = "k" * 100_000
    path = written(tmp_path / "plan.json", json.dumps({**yaml.safe_load(PLAN), key: 1}))

    problem = only(refused(path), "HD103")

    assert problem.message == f"Okänt fält ”{'k' * 40}… (100000 tecken)”."
    assert problem.location is not None and problem.location.field == "k" * 40 + "…"
    assert len(str(problem)) < len(str(path)) + 200


def test_a_fifo_as_the_plan_or_the_follow_up_is_hd001_and_nothing_hangs(example: Path) -> None:
    os.mkfifo(example / "plan.yaml")
    os.mkfifo(example / "fifo.yaml")
    before = files(example)

    plan, plan_seconds = run_cli("check", "plan.yaml", cwd=example)
    followup, followup_seconds = run_cli("check", "handlingsplan.yaml", "--followup", "fifo.yaml", cwd=example)

    fifo = "Filen kunde inte läsas: det är en namngiven rörledning (FIFO), ingen vanlig fil."
    assert (plan.returncode, plan.stderr.splitlines()[0]) == (1, f"plan.yaml: fel HD001: {fifo}")
    assert (followup.returncode, followup.stderr.splitlines()[-2]) == (1, f"fifo.yaml: fel HD001: {fifo}")
    assert plan_seconds < QUICK and followup_seconds < QUICK
    assert files(example) == before
