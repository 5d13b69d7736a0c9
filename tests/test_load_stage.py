"""The load stage: one table of readers, and a follow-up's indicators expanded without mutation."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from hallbardocs.files import DATA_LIMIT, NotUtf8, read_user_text
from hallbardocs.load import READERS, SUFFIXES, load_followup_raw, load_raw, suffixes_text, with_indicators


def test_the_reader_table_names_every_readable_suffix_once_with_a_swedish_description() -> None:
    assert SUFFIXES == (".yaml", ".yml", ".json", ".xlsx")
    assert {s: r.description for s, r in READERS.items()} == {
        ".yaml": "YAML",
        ".yml": "YAML",
        ".json": "JSON",
        ".xlsx": "Excel-arbetsbok",
    }
    assert all(r.suffix == s for s, r in READERS.items())


def test_a_file_of_another_type_is_refused_with_the_readers_of_the_table(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("kommun: x\n", encoding="utf-8")
    raw = load_raw(path)
    assert raw.data is None
    [problem] = raw.problems
    assert (problem.code, problem.location.file) == ("HD004", str(path))
    assert problem.message == f"Filtypen ”.txt” stöds inte. Använd {suffixes_text()}."
    assert suffixes_text() == ".yaml, .yml, .json eller .xlsx"


def test_each_reader_is_the_one_dispatched_for_its_suffix(tmp_path: Path) -> None:
    for suffix in (".yaml", ".yml", ".json"):
        path = tmp_path / f"uppfoljning{suffix.upper()}"
        path.write_text(json.dumps({"plan": "Klimatplan"}), encoding="utf-8")  # JSON is also YAML
        raw = load_raw(path)
        assert (raw.data, raw.problems, raw.name) == ({"plan": "Klimatplan"}, [], str(path))


def test_expanding_a_followups_indicators_gives_a_new_document_and_leaves_the_read_one_as_it_was(
    tmp_path: Path,
) -> None:
    (tmp_path / "varden.csv").write_text(
        "id;namn;enhet;bättre;serie;år;värde\nU1;Utsläpp;ton;lägre;kommunen;2024;12\n", encoding="utf-8"
    )
    path = tmp_path / "uppfoljning.yaml"
    path.write_text("plan: Klimatplan\nindikatorer:\n  - fil: varden.csv\n  - fil: saknas.csv\n", encoding="utf-8")
    raw = load_raw(path)
    before = copy.deepcopy(raw.data)
    expanded = with_indicators(raw)
    assert expanded is not raw
    assert raw.data == before and raw.problems == []
    assert [p.code for p in expanded.problems] == ["HD901"]
    assert expanded.problems[0].location.field == "indikatorer[2].fil"
    assert all("fil" not in entry for entry in expanded.data["indikatorer"])
    assert expanded.data["plan"] == "Klimatplan"
    again = load_followup_raw(path)
    assert (again.data, [p.code for p in again.problems]) == (expanded.data, ["HD901"])


def test_a_text_file_is_read_as_utf8_with_its_byte_order_mark_dropped(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"\xef\xbb\xbfkommun: Lind\xc3\xa5sa\n")
    assert read_user_text(path, DATA_LIMIT) == "kommun: Lindåsa\n"


def test_a_text_file_in_another_encoding_is_refused_at_its_first_bad_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes("år: 2026\nkommun: Lindåsa\n".encode("cp1252"))
    with pytest.raises(NotUtf8) as refused:
        read_user_text(path, DATA_LIMIT)
    assert (refused.value.line, refused.value.byte, refused.value.reason) == (1, 1, "filen är inte kodad som UTF-8")
    path.write_bytes("ar: 2026\nkommun: Lindåsa\n".encode("cp1252"))
    with pytest.raises(NotUtf8) as refused:
        read_user_text(path, DATA_LIMIT)
    assert (refused.value.line, refused.value.byte) == (2, 22)
    [problem] = load_raw(path).problems
    assert (problem.code, problem.location.file, problem.location.line) == ("HD001", str(path), 2)
    assert problem.message == "Filen är inte kodad som UTF-8. Spara den som UTF-8 och försök igen."


def test_an_indicator_file_in_another_encoding_says_which_byte_in_its_own_code(tmp_path: Path) -> None:
    (tmp_path / "varden.csv").write_bytes("id;namn\nU1;Utsläpp\n".encode("cp1252"))
    path = tmp_path / "uppfoljning.yaml"
    path.write_text("plan: Klimatplan\nindikatorer:\n  - fil: varden.csv\n", encoding="utf-8")
    [problem] = load_followup_raw(path).problems
    assert (problem.code, problem.location.file, problem.location.field) == ("HD901", str(path), "indikatorer[1].fil")
    assert f"Filen {tmp_path / 'varden.csv'} är inte UTF-8 (byte 16)" in problem.message
