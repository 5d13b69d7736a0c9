"""Real-sized plans and real mistakes: a plan that `check` accepts always renders, and every failure
is a coded Swedish problem, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from plan_data import COMMITTEE, followup_data, plan_data

from hallbardocs import (
    load_followup,
    load_plan,
    write_handlingsplan,
    write_miljobokslut,
    write_tjansteskrivelse,
)


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- the core properties hold at most 255 characters ------------------------------------------------


def test_a_plan_of_twenty_long_focus_areas_and_a_long_name_renders_all_three_documents(tmp_path: Path) -> None:
    areas = [f"Fokusområde {n:02d}: för ett hållbart Lindåsa" for n in range(1, 21)]
    assert all(len(a) == 40 for a in areas) and len(set(areas)) == 20
    name = ("Handlingsplan till miljöstrategin för kommunkoncernen " * 5)[:199] + "x"
    assert len(name) == 200
    data = plan_data(document_name=name, focus_areas=areas, municipality="Lindåsa kommun " * 20)
    committee = dict(COMMITTEE, ärende="Uppföljning av handlingsplanen " * 12, mottagare="Miljönämnden " * 25)
    plan = load_plan(_write_json(tmp_path / "plan.json", data))
    followup = load_followup(_write_json(tmp_path / "uppf.json", followup_data(data, committee=committee)), plan)

    outputs = [
        write_handlingsplan(plan, tmp_path / "handlingsplan.docx"),
        write_miljobokslut(plan, followup, tmp_path / "miljobokslut.docx"),
        write_tjansteskrivelse(plan, followup, tmp_path / "tjansteskrivelse.docx"),
    ]

    for out in outputs:
        core = Document(str(out)).core_properties
        texts = [core.title, core.subject, core.keywords, core.author, core.last_modified_by, core.comments]
        assert all(len(t) <= 255 for t in texts), out.name
        assert core.keywords.endswith("…"), out.name
        for text in texts:
            if text.endswith("…"):
                kept = text[:-1]
                assert kept == kept.rstrip(" ,"), text  # no dangling separator before the ellipsis
                whole = " ".join([name, *areas, "Lindåsa kommun", "Uppföljning av handlingsplanen", "Miljönämnden"])
                words = {w.rstrip(",:") for w in whole.split()}
                assert kept.split()[-1].rstrip(",:") in words, text  # a whole word, never cut inside
    assert Document(str(outputs[0])).core_properties.title.startswith("Handlingsplan till miljöstrategin")


@pytest.mark.parametrize("limit", [1, 2, 5, 17, 40, 255])
def test_a_shortened_text_fits_its_limit_and_keeps_whole_words(limit: int) -> None:
    from hallbardocs.content import shorten

    text = "Jämställdhet, jämlikhet och inkludering; Klimat & energi <2030> " * 6
    short = shorten(text, limit)
    assert len(short) <= limit and short.endswith("…")
    if " " in short:
        assert text.startswith(short[:-1]) and text[len(short) - 1] in " ,;"
