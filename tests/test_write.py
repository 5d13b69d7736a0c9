"""Outputs appear whole or not at all, and inputs are never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hallbardocs.errors import Location, OutputError
from hallbardocs.write import write_atomically


def test_it_writes_the_bytes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = write_atomically(tmp_path / "ut.docx", b"PK\x03\x04data")
    assert out.read_bytes() == b"PK\x03\x04data"
    assert [p.name for p in tmp_path.iterdir()] == ["ut.docx"]


def test_a_folder_that_does_not_exist_is_refused_not_made(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_atomically(tmp_path / "a" / "b" / "ut.docx", b"x")
    assert caught.value.problem.code == "HD601"
    assert caught.value.problem.location == Location(str(tmp_path / "a" / "b" / "ut.docx"))
    assert "finns inte" in caught.value.problem.message
    assert list(tmp_path.iterdir()) == []


def test_the_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    out = write_atomically(tmp_path / "ut.docx", b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_it_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text("år: 2026\n", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        write_atomically(tmp_path / "." / "plan.yaml", b"x", inputs=[source])
    assert caught.value.problem.code == "HD602"
    assert source.read_text(encoding="utf-8") == "år: 2026\n"


def test_a_failed_write_keeps_the_earlier_file_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ut.docx"
    target.write_bytes(b"earlier")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError) as caught:
        write_atomically(target, b"new")
    assert caught.value.problem.code == "HD601"
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["ut.docx"]


def test_a_folder_is_not_an_output_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_atomically(tmp_path, b"x")
    assert caught.value.problem.code == "HD601"
