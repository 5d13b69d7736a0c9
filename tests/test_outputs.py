"""What a command writes: the format its name says, in a folder that exists, never over an input,
with a name of any legal length, and no leftovers from a write that was killed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from hallbardocs import input_files, load_plan, write_handlingsplan
from hallbardocs.cli import main
from hallbardocs.errors import Location, OutputError
from hallbardocs.write import STALE_AFTER, remove_stale_temporaries, write_atomically

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLAN = EXAMPLES / "handlingsplan.yaml"


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """A copy of the examples (plan, logo, follow-up, indicator files), so commands can write beside them."""
    for name in ("handlingsplan.yaml", "logga.png", "uppfoljning.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    shutil.copytree(EXAMPLES / "indikatorer", tmp_path / "indikatorer")
    return tmp_path


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _commands(workspace: Path, output: Path) -> dict[str, list[str]]:
    plan, followup = str(workspace / "handlingsplan.yaml"), str(workspace / "uppfoljning.yaml")
    workbooks = sorted(str(p) for p in (EXAMPLES / "sektorer").glob("*.xlsx"))
    return {
        "handlingsplan": ["handlingsplan", plan, "-o", str(output)],
        "miljobokslut": ["miljobokslut", plan, followup, "-o", str(output)],
        "tjansteskrivelse": ["tjansteskrivelse", plan, followup, "-o", str(output)],
        "convert": ["convert", plan, "-o", str(output)],
        "followup import": ["followup", "import", *workbooks, "--plan", plan, "-o", str(output)],
    }


# -- the suffix names the format --------------------------------------------------------------

UNKNOWN = {
    "handlingsplan": ("ut.odt", ".docx eller .pdf"),
    "miljobokslut": ("ut.odt", ".docx eller .pdf"),
    "tjansteskrivelse": ("ut.doc", ".docx eller .pdf"),
    "convert": ("plan.txt", ".yaml, .yml, .json eller .xlsx"),
    "followup import": ("uppfoljning.docx", ".yaml, .yml eller .json"),
}


@pytest.mark.parametrize("command", sorted(UNKNOWN))
def test_an_output_whose_suffix_the_command_cannot_write_is_hd603_and_nothing_is_written(
    workspace: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name, known = UNKNOWN[command]
    output = workspace / name
    before = _digests(workspace)

    assert main(_commands(workspace, output)[command]) == 1

    suffix = Path(name).suffix
    assert capsys.readouterr().err == (
        f"{output}: fel HD603: Utfilen har ”{suffix}”, men bara {known} kan skrivas här; byt tillägget på filnamnet.\n"
    )
    assert _digests(workspace) == before


def test_the_api_refuses_an_unknown_suffix_before_it_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hallbardocs

    plan = load_plan(PLAN)

    def no_render(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendered although the output is refused")

    monkeypatch.setattr(hallbardocs, "render_handlingsplan", no_render)
    with pytest.raises(OutputError) as caught:
        write_handlingsplan(plan, tmp_path / "ut.ODT")
    assert (caught.value.problem.code, caught.value.problem.location) == ("HD603", Location(str(tmp_path / "ut.ODT")))
    assert list(tmp_path.iterdir()) == []


def test_the_suffix_is_read_without_regard_to_case(workspace: Path) -> None:
    assert main(["convert", str(workspace / "handlingsplan.yaml"), "-o", str(workspace / "PLAN.JSON")]) == 0
    assert json.loads((workspace / "PLAN.JSON").read_text(encoding="utf-8"))["år"] == 2026


@pytest.mark.parametrize("suffix", [".json", ".yml"])
def test_followup_import_writes_the_format_its_suffix_names_and_check_accepts_it(workspace: Path, suffix: str) -> None:
    output = workspace / f"ny{suffix}"
    assert main(_commands(workspace, output)["followup import"]) == 0

    text = output.read_text(encoding="utf-8")
    data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    assert data["period"]["år"] == 2026 and len(data["rapporter"]) > 10
    if suffix == ".json":
        assert data["period"]["per"] == "2026-12-31"
    assert main(["check", str(workspace / "handlingsplan.yaml"), "--followup", str(output)]) == 0


def test_importing_again_into_a_json_followup_changes_nothing(workspace: Path) -> None:
    output = workspace / "ny.json"
    argv = _commands(workspace, output)["followup import"]
    assert main(argv) == 0
    first = output.read_bytes()
    assert main(argv) == 0
    assert output.read_bytes() == first


# -- the folder must exist --------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(UNKNOWN))
def test_an_output_folder_that_does_not_exist_is_hd601_and_is_not_made(
    workspace: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = {"convert": "plan.json", "followup import": "ny.yaml"}.get(command, "ut.docx")
    output = workspace / "saknas" / good

    assert main(_commands(workspace, output)[command]) == 1

    folder = workspace / "saknas"
    assert capsys.readouterr().err == (
        f"{output}: fel HD601: Mappen ”{folder}” finns inte; skapa den först eller välj en annan mapp.\n"
    )
    assert not folder.exists()


def test_followup_export_makes_its_folder_only_in_a_folder_that_exists(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = str(workspace / "handlingsplan.yaml")
    deep = workspace / "saknas" / "utskick"
    assert main(["followup", "export", plan, "--period", "Helår 2026", "-o", str(deep)]) == 1
    assert capsys.readouterr().err == (
        f"{deep}: fel HD601: Mappen ”{deep.parent}” finns inte; skapa den först eller välj en annan mapp.\n"
    )
    assert not deep.parent.exists()

    assert main(["followup", "export", plan, "--period", "Helår 2026", "-o", str(workspace / "utskick")]) == 0
    assert len(list((workspace / "utskick").glob("*.xlsx"))) == 8


def test_followup_export_into_a_file_is_hd601(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = workspace / "utskick.xlsx"
    target.write_bytes(b"earlier")
    argv = ["followup", "export", str(workspace / "handlingsplan.yaml"), "--period", "Helår 2026", "-o", str(target)]

    assert main(argv) == 1

    assert capsys.readouterr().err == f"{target}: fel HD601: Utmappen är en fil; ange en mapp för arbetsböckerna.\n"
    assert target.read_bytes() == b"earlier"


# -- every input is protected -----------------------------------------------------------------


def test_the_inputs_of_a_command_are_the_plan_its_logo_the_template_the_followup_its_indicator_files_and_the_workbooks(
    workspace: Path,
) -> None:
    plan = load_plan(workspace / "handlingsplan.yaml")
    found = input_files(
        workspace / "handlingsplan.yaml",
        plan,
        template=workspace / "mall.docx",
        followup_file=workspace / "uppfoljning.yaml",
        workbooks=[workspace / "sektor.xlsx"],
    )
    assert found == (
        workspace / "handlingsplan.yaml",
        (workspace / "logga.png").resolve(),
        workspace / "mall.docx",
        workspace / "uppfoljning.yaml",
        workspace / "indikatorer" / "nyckeltal.csv",
        workspace / "indikatorer" / "N07702.json",
        workspace / "indikatorer" / "N00401.json",
        workspace / "sektor.xlsx",
    )


@pytest.mark.parametrize(
    ("command", "victim"),
    [
        ("handlingsplan", "logga.png"),
        ("miljobokslut", "logga.png"),
        ("miljobokslut", "indikatorer/nyckeltal.csv"),
        ("tjansteskrivelse", "indikatorer/N07702.json"),
        ("convert", "logga.png"),
    ],
)
def test_an_output_that_is_a_link_to_an_input_is_hd602_and_the_input_is_untouched(
    workspace: Path, command: str, victim: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = workspace / ("plan.json" if command == "convert" else "ut.docx")
    os.link(workspace / victim, output)  # the output name is another name of the input
    before = _digests(workspace)

    assert main(_commands(workspace, output)[command]) == 1

    assert f"{output}: fel HD602: Utfilen är samma fil som en av indatafilerna" in capsys.readouterr().err
    assert _digests(workspace) == before


def test_a_logo_named_like_the_output_is_not_overwritten_through_the_api(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "logga.png", tmp_path / "logga.docx")  # the content is checked, not the name
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(PLAN.read_text(encoding="utf-8").replace("logga.png", "logga.docx"), encoding="utf-8")
    plan = load_plan(plan_file)
    before = (tmp_path / "logga.docx").read_bytes()

    with pytest.raises(OutputError) as caught:
        write_handlingsplan(plan, tmp_path / "logga.docx")

    assert caught.value.problem.code == "HD602"
    assert (tmp_path / "logga.docx").read_bytes() == before


# -- output names -----------------------------------------------------------------------------


def test_a_name_of_250_bytes_is_written(tmp_path: Path) -> None:
    name = "å" * 122 + ".docx"  # 244 + 5 bytes: legal, though a temporary name built on it would not be
    assert len(os.fsencode(name)) == 249
    out = write_atomically(tmp_path / name, b"x")
    assert out.read_bytes() == b"x"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_name_of_255_bytes_is_written(tmp_path: Path) -> None:
    name = "a" * 250 + ".docx"
    out = write_atomically(tmp_path / name, b"x")
    assert out.read_bytes() == b"x"


def test_a_name_longer_than_the_file_system_allows_is_hd601_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "a" * 251 + ".docx"
    with pytest.raises(OutputError) as caught:
        write_atomically(tmp_path / name, b"x")
    assert (caught.value.problem.code, caught.value.problem.location) == ("HD601", Location(str(tmp_path / name)))
    assert caught.value.problem.message == (
        "Filnamnet är för långt (256 byte; filsystemet tillåter högst 255); välj ett kortare namn."
    )
    assert list(tmp_path.iterdir()) == []

    assert main(["handlingsplan", str(PLAN), "-o", str(tmp_path / name)]) == 1
    assert "fel HD601: Filnamnet är för långt (256 byte" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_file_has_a_short_name_of_our_own_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomically(tmp_path / ("a" * 250 + ".docx"), b"x")
    [name] = seen
    assert name.startswith(".hd-") and name.endswith(".tmp") and len(name) == 16


# -- leftovers of a killed write --------------------------------------------------------------

_SLOW_WRITER = """
import os, sys, time
import hallbardocs.write as write

def slow_fsync(fd):
    print("skriver", flush=True)
    time.sleep(120)

os.fsync = slow_fsync
write.write_atomically(sys.argv[1], b"x" * 20_000_000)
"""


@pytest.fixture()
def slow_writer(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A process in the middle of writing tmp_path/ut.docx (20 MB written, waiting in fsync)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(tmp_path / "ut.docx")], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "skriver\n"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".hd-*.tmp"))


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_write_killed_midway_leaves_no_output_and_the_next_write_cleans_up_its_leftover(
    tmp_path: Path, slow_writer: subprocess.Popen[str]
) -> None:
    [leftover] = _temporaries(tmp_path)
    assert leftover.stat().st_size == 20_000_000

    slow_writer.send_signal(signal.SIGKILL)
    assert slow_writer.wait(timeout=30) == -signal.SIGKILL
    assert not (tmp_path / "ut.docx").exists()
    assert _temporaries(tmp_path) == [leftover]

    write_atomically(tmp_path / "annan.docx", b"x")  # a fresh leftover may still be a live write: kept
    assert _temporaries(tmp_path) == [leftover]

    _age(leftover, STALE_AFTER + 60)
    write_atomically(tmp_path / "ut.docx", b"ny")
    assert _temporaries(tmp_path) == []
    assert (tmp_path / "ut.docx").read_bytes() == b"ny"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annan.docx", "ut.docx"]


def test_the_temporary_file_of_a_live_write_is_never_removed_however_old(
    tmp_path: Path, slow_writer: subprocess.Popen[str]
) -> None:
    [live] = _temporaries(tmp_path)
    _age(live, 24 * 3600)

    assert remove_stale_temporaries(tmp_path) == []
    write_atomically(tmp_path / "annan.docx", b"x")

    assert _temporaries(tmp_path) == [live]
    assert live.stat().st_size == 20_000_000


def test_the_clean_up_touches_nothing_but_old_regular_files_of_our_own_pattern(tmp_path: Path) -> None:
    others = {
        ".hd-abc.tmp": "too short a random part",
        ".hd-abcdefgh.tmp.bak": "another suffix",
        "hd-abcdefgh.tmp": "not hidden",
        ".plan.yaml.abcdefgh.tmp": "another program's temporary file",
        ".~lock.ut.docx#": "LibreOffice's lock",
    }
    for name in others:
        (tmp_path / name).write_text("someone else's", encoding="utf-8")
    target = tmp_path / "viktig.txt"
    target.write_text("keep", encoding="utf-8")
    (tmp_path / ".hd-linklink.tmp").symlink_to(target)
    (tmp_path / ".hd-foldersx.tmp").mkdir()
    ours = tmp_path / ".hd-abcdefgh.tmp"
    ours.write_bytes(b"half")
    for path in tmp_path.iterdir():
        _age(path, STALE_AFTER + 60)

    assert remove_stale_temporaries(tmp_path) == [ours]

    assert not ours.exists()
    assert {p.name for p in tmp_path.iterdir()} == {*others, "viktig.txt", ".hd-linklink.tmp", ".hd-foldersx.tmp"}
    assert target.read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file to another user")
def test_the_clean_up_never_removes_a_file_of_another_user(tmp_path: Path) -> None:
    theirs = tmp_path / ".hd-theirsxx.tmp"
    theirs.write_bytes(b"theirs")
    os.chown(theirs, 65534, 65534)
    _age(theirs, STALE_AFTER + 60)

    assert remove_stale_temporaries(tmp_path) == []
    assert theirs.exists()
