"""One answer to "what characters can a document hold", used by every stage that writes or reads text."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from hallbardocs import Plan
from hallbardocs.collect import ACTIVITIES_SHEET, export_workbooks
from hallbardocs.load import load_raw
from hallbardocs.model.followup import SCALES, Period
from hallbardocs.render.ooxml import NEEDS_MARKUP, xml_text
from hallbardocs.richtext import hard_breaks
from hallbardocs.text import MARKED_BREAKS, NOT_IN_XML
from hallbardocs.validate import clean_text

REFUSED = ("\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\ud800", "\udfff", "\ufffe", "\uffff")


def _xml_char(code: int) -> bool:
    """XML 1.0's Char production, without DEL (allowed by XML, never meant in a text)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ) and code != 0x7F


def test_the_refused_characters_are_exactly_those_xml_cannot_hold_and_del() -> None:
    refused = {code for code in range(0x110000) if NOT_IN_XML.match(chr(code))}
    assert refused == {code for code in range(0x110000) if not _xml_char(code)}
    assert MARKED_BREAKS == "\v\f"


def test_validation_and_the_renderer_remove_the_same_characters() -> None:
    for char in REFUSED:
        if char not in MARKED_BREAKS:  # validation makes those line breaks
            assert clean_text(f"a{char}b") == ("ab", True), repr(char)
        assert xml_text(f"a{char}b") == "ab", repr(char)
        assert NEEDS_MARKUP.search(f"a{char}b"), repr(char)
    assert clean_text("a\vb\fc") == ("a\nb\nc", False)
    assert hard_breaks("a\vb") == hard_breaks("a\fb")


def test_a_plan_file_with_a_character_a_document_cannot_hold_is_read_without_it_and_warned_about(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("kommun:\n  namn: Lind\x7få\ufffesa\n", encoding="utf-8")
    raw = load_raw(path)
    assert raw.data == {"kommun": {"namn": "Lindåsa"}}
    assert [(p.code, p.severity, p.location.line) for p in raw.problems] == [("HD401", "varning", 2)] * 2
    assert "U+007F" in raw.problems[0].message and "U+FFFE" in raw.problems[1].message


def test_a_sector_workbook_leaves_out_what_an_xlsx_cannot_hold(example_plan: Plan) -> None:
    plan = example_plan.model_copy(deep=True)
    activity = plan.measures[0].activities[0]
    activity.text = "Ta fram\x7f en plan\ufffe\ud800 för\vutbyggnad"
    period = Period.model_validate({"typ": "helår", "år": 2026, "per": "2026-12-31"})
    book = next(b for b in export_workbooks(plan, period, SCALES["standard"]) if b.unit == activity.unit)
    ws = openpyxl.load_workbook(io.BytesIO(book.content))[ACTIVITIES_SHEET]
    texts = [row[2].value for row in ws.iter_rows(min_row=2)]
    assert "Ta fram en plan för\nutbyggnad" in texts
