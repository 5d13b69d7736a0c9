"""Generated plans and follow-ups (hypothesis): whatever a user writes, hallbardocs either reports coded
problems and writes nothing, or makes all three documents, valid OOXML that holds every text as written.

The plans hold any Unicode in every text field (control characters, emoji, right-to-left text),
long texts, many focus areas and units, empty lists, and names with ``, ; & < > { } %`` and template
syntax and ``$``. The texts the documents must hold are taken from the validated model, not from the input:
validation legitimately strips surrounding whitespace and removes characters Word cannot hold (with
an HD401 warning), and rich text is compared by its parsed text (``**a**`` shows as a bold "a").

The run is fixed and bounded in CI; ``HALLBARDOCS_HYPOTHESIS=long`` runs many more examples with new
seeds (tests/README.md).
"""

from __future__ import annotations

import itertools
import json
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import given, note, settings
from hypothesis import strategies as st
from lxml import etree
from plan_data import COMMITTEE, YEAR, examples

from hallbardocs import (
    Plan,
    check_followup,
    check_plan,
    write_handlingsplan,
    write_miljobokslut,
    write_tjansteskrivelse,
)
from hallbardocs.cli import main
from hallbardocs.errors import Problem
from hallbardocs.model.followup import FollowUp, activity_ids
from hallbardocs.richtext import Block, Heading, LineBreak, ListBlock, Paragraph, Span, parse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CODE = re.compile(r"HD\d{3}")

# --- what users write ------------------------------------------------------------------------------

_AWKWARD = [
    "Jämställdhet, jämlikhet och inkludering",
    "Vård & omsorg <SoL> {{ titel }} {% if x %} 100 %",
    "A; B, C & D < E > F { G } H %",
    "Ålands vatten; Ängar & Öar",
    "{{ kommun.namn }}",
    "{%- for x in y -%}",
    "**inte fet** *inte kursiv* [länk](https://example.org)",
    "\u202eomvänd text\u202c",
    "emoji 🌍🌱 och ZWJ 👩‍👩‍👧",
    "rad 1\nrad 2",
    "tab\there",
    "ctrl\x01\x07tecken",
    "\ufeffBOM först",
    "Kostnad $ per $ invånare",
    "Excel\x0bradbrytning",
]
_SPECIAL_ALPHABET = st.sampled_from(list(",;&<>{}%$*_[]#-+.0123456789 \n\tabcåäöÅÄÖxyz"))


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    """Any text: any Unicode, the characters of markup and templates, awkward names, sometimes long."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(_SPECIAL_ALPHABET, max_size=max_size),
        st.sampled_from(_AWKWARD),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x24F), min_size=200, max_size=700),
    )


def names() -> st.SearchStrategy[str]:
    """A name: any text with a letter or digit in it (so that it is not empty once validated)."""
    return texts(40).filter(lambda s: any(c.isalnum() for c in s))


_MISTAKES: list[Callable[[dict[str, Any]], None]] = [
    lambda plan: plan["organisation"][0].update(namn="   "),
    lambda plan: plan["åtgärder"][0]["ansvariga"].append("Ingen sådan enhet"),
    lambda plan: plan["åtgärder"][0]["fokusområden"].append("Inget sådant fokusområde"),
    lambda plan: plan["organisation"].append(dict(plan["organisation"][0])),
    lambda plan: plan["metadata"].update(diarienummer="XXX"),
    lambda plan: plan.update(år="tjugotjugosex"),
    lambda plan: plan["åtgärder"].append(dict(plan["åtgärder"][0])),
]
"""Mistakes a user makes; about a sixth of the generated plans have one, so both outcomes are exercised."""


def _unique(items: st.SearchStrategy[str], min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(items, min_size=min_size, max_size=max_size, unique_by=lambda s: s.strip().casefold())


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """A plan as a user writes it (the file format's Swedish keys)."""
    areas = draw(_unique(names(), 1, 22))
    units = draw(_unique(names(), 1, 14))
    cut = sorted(draw(st.lists(st.integers(1, max(1, len(areas) - 1)), max_size=2, unique=True)))
    bounds = [0, *[c for c in cut if c < len(areas)], len(areas)]
    priorities = [
        {
            "namn": draw(names()),
            **({"beskrivning": draw(texts(300))} if draw(st.booleans()) else {}),
            "fokusområden": [
                {"namn": a, **({"beskrivning": draw(texts())} if draw(st.booleans()) else {})} for a in areas[begin:end]
            ],
        }
        for begin, end in itertools.pairwise(bounds)
        if end > begin
    ]
    measures = []
    for n in range(1, draw(st.integers(1, 10)) + 1):
        responsible = draw(st.lists(st.sampled_from(units), min_size=1, max_size=4, unique=True))
        activities = [
            {
                "enhet": draw(st.sampled_from(responsible)),
                "aktivitet": draw(names() | texts(200).filter(lambda s: any(c.isalnum() for c in s))),
                **({"kostnad": draw(st.integers(0, 10**9))} if draw(st.booleans()) else {}),
                **({"start": "2026-02-01", "slut": "2026-11-30"} if draw(st.booleans()) else {}),
            }
            for _ in range(draw(st.integers(0, 3)))
        ]
        measures.append(
            {
                "id": str(n),
                "rubrik": draw(names()),
                "fokusområden": draw(st.lists(st.sampled_from(areas), min_size=1, max_size=4, unique=True)),
                "beskrivning": draw(texts(600)),
                "ansvariga": responsible,
                "miljökvalitetsmål": draw(st.sampled_from([[], ["Begränsad klimatpåverkan"], ["Giftfri miljö"]])),
                "globala_mål": draw(st.sampled_from([[], [13], [6, 11]])),
                "aktiviteter": activities,
            }
        )
    metadata: dict[str, Any] = {
        "dokumentnamn": draw(names()),
        "dokumenttyp": draw(names()),
        "diarienummer": draw(names()),
    }
    for key in ("omfattar", "dokumentägare", "dokumentansvarig", "publicering", "författningsstöd", "beslutsinstans"):
        if draw(st.booleans()):
            metadata[key] = draw(texts())
    metadata["revideringar"] = [
        {"datum": "2026-02-17", "paragraf": draw(texts(10)), "ändring": draw(names())}
        for _ in range(draw(st.integers(0, 2)))
    ]
    plan = {
        "kommun": {"namn": draw(names())},
        "år": YEAR,
        "metadata": metadata,
        "strategi": {"namn": draw(texts()), "prioriteringar": priorities},
        "organisation": [{"namn": u, "typ": draw(st.sampled_from(["sektor", "bolag", "nämnd"]))} for u in units],
        "kapitel": [{"rubrik": draw(names()), "text": draw(texts(800))} for _ in range(draw(st.integers(0, 3)))],
        "åtgärder": measures,
    }
    mistake = draw(st.integers(0, len(_MISTAKES) * 5))  # a few values of many: hypothesis favours the bounds
    if 0 < mistake <= len(_MISTAKES):
        _MISTAKES[mistake - 1](plan)
    return plan


_FOLLOWUP_MISTAKES: list[Callable[[dict[str, Any]], None]] = [
    lambda f: f["rapporter"].append({"aktivitet": "99.1", "enhet": "X", "status": "Pågår"}),
    lambda f: f["rapporter"].append({"aktivitet": "1.1", "enhet": "X", "status": "Nästan klar"}),
    lambda f: f["indikatorer"].append(
        {"id": "N", "namn": "N", "enhet": "%", "bättre": "högre", "värden": {2024: 1e308}}
    ),
    lambda f: f["indikatorer"].append({"id": "N", "namn": "N", "enhet": "%", "bättre": "högre", "värden": {0: 1}}),
    lambda f: f.update(plan="En annan plan"),
    lambda f: f["tjänsteskrivelse"].update(förslag_till_beslut=[]),
]
"""Mistakes in a follow-up; about a sixth of the generated follow-ups have one."""


def followups(plan: Plan) -> st.SearchStrategy[dict[str, Any]]:
    """A follow-up of a valid plan: reports for some activities, comments, indicators, committee texts."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        reports = []
        for measure in plan.measures:
            for ident, activity in activity_ids(measure):
                if draw(st.integers(0, 4)):
                    report: dict[str, Any] = {
                        "aktivitet": ident,
                        "enhet": activity.unit,
                        "status": draw(
                            st.sampled_from(["Genomförd", "Pågår", "Ej påbörjad", "Avbruten", "Ej relevant"])
                        ),
                    }
                    if draw(st.booleans()):
                        report["kommentar"] = draw(texts(300))
                    reports.append(report)
        indicators = [
            {
                "id": f"I{n}",
                "namn": draw(names()),
                "enhet": draw(names()),
                "bättre": draw(st.sampled_from(["högre", "lägre"])),
                "värden": draw(
                    st.dictionaries(
                        st.integers(2015, 2026),
                        st.floats(-1e6, 1e6, allow_nan=False) | st.sampled_from([0.42, 0.45, 0.47]),
                        min_size=1,
                        max_size=8,
                    )
                ),
                **({"kommentar": draw(texts())} if draw(st.booleans()) else {}),
            }
            for n in range(draw(st.integers(0, 2)))
        ]
        committee = dict(COMMITTEE)
        for key in ("förvaltning", "handläggare", "mottagare", "ärende"):
            committee[key] = draw(names())
        committee["förslag_till_beslut"] = draw(st.lists(names(), min_size=1, max_size=3))
        for key in ("sammanfattning", "bakgrund", "bedömning"):
            committee[key] = draw(texts(500))
        committee["beslutsunderlag"] = draw(st.lists(names(), max_size=3))
        committee["expediering"] = draw(st.lists(names(), max_size=3))
        comments = {m.id: draw(texts(200)) for m in plan.measures if draw(st.booleans())}
        followup = {
            "plan": plan.metadata.document_name,
            "period": {"typ": "helår", "år": YEAR, "per": f"{YEAR}-12-31"},
            "rapporter": reports,
            "åtgärdskommentarer": comments,
            "indikatorer": indicators,
            "tjänsteskrivelse": committee,
        }
        mistake = draw(st.integers(0, len(_FOLLOWUP_MISTAKES) * 5))
        if 0 < mistake <= len(_FOLLOWUP_MISTAKES):
            _FOLLOWUP_MISTAKES[mistake - 1](followup)
        return followup

    return build()


# --- what the documents hold -----------------------------------------------------------------------


def paragraph_texts(docx: Path) -> list[str]:
    """The text of every paragraph in the body, headers, footers and footnotes; breaks as ``\\n``, tabs as ``\\t``."""
    out: list[str] = []
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if not re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes)\.xml", name):
                continue
            root = etree.fromstring(package.read(name))
            for paragraph in root.iter(f"{W}p"):
                parts = []
                for element in paragraph.iter(f"{W}t", f"{W}br", f"{W}tab", f"{W}cr"):
                    if element.getparent() is None or element.getparent().tag != f"{W}r":
                        continue  # a tab stop in the paragraph's properties, not a tab in the text
                    if element.tag == f"{W}t":
                        parts.append(element.text or "")
                    else:
                        parts.append("\t" if element.tag == f"{W}tab" else "\n")
                out.append("".join(parts))
    return out


def _blocks_text(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from _blocks_text(item)
        elif isinstance(block, Paragraph | Heading):
            text = "".join(
                i.text if isinstance(i, Span) else "\n" if isinstance(i, LineBreak) else "" for i in block.inlines
            )
            if text.strip():
                yield text


Expected = list[tuple[str, str]]
"""(where the text comes from, the text) for each text a document must hold."""


def rich(where: str, text: str | None) -> Expected:
    """The paragraphs a rich text shows: its parsed text, footnotes included."""
    parsed = parse(text)
    found = [(where, t) for t in _blocks_text(parsed.blocks)]
    for note_blocks in parsed.footnotes.values():
        found.extend((f"{where} (fotnot)", t) for t in _blocks_text(note_blocks))
    return found


def plain(**values: str | None) -> Expected:
    return [(where, v) for where, v in values.items() if v and v.strip()]


def each(where: str, values: list[str]) -> Expected:
    return [(f"{where}[{n}]", v) for n, v in enumerate(values) if v.strip()]


def plan_texts(plan: Plan) -> Expected:
    """Every user text of the plan that the handlingsplan shows, as the model holds it."""
    meta = plan.metadata
    found = plain(
        kommun=plan.municipality.name,
        dokumentnamn=meta.document_name,
        dokumenttyp=meta.document_type,
        omfattar=meta.covers,
        dokumentägare=meta.owner,
        dokumentansvarig=meta.responsible,
        publicering=meta.publication,
        författningsstöd=meta.legal_basis,
        beslutsinstans=meta.decided_by,
        diarienummer=meta.reference_number,
        strategi=plan.strategy.name,
    )
    for revision in meta.revisions:
        found += plain(paragraf=revision.paragraph, ändring=revision.change)
    # The default template shows neither a priority's description nor the units without measures
    # (reported to the templates' owner); a unit with a measure is among its measure's ansvariga.
    for priority in plan.strategy.priorities:
        found += plain(prioritering=priority.name)
        for area in priority.focus_areas:
            found += plain(fokusområde=area.name, fokusområde_beskrivning=area.description)
    for chapter in plan.chapters:
        found += plain(kapitel=chapter.title) + rich("kapitel.text", chapter.text)
    for measure in plan.measures:
        found += plain(rubrik=measure.title) + rich(f"åtgärd {measure.id}.beskrivning", measure.description)
        found += each("fokusområden", measure.focus_areas) + each("ansvariga", measure.responsible)
        found += each("aktiviteter", [a.text for a in measure.activities])
    return found


def miljobokslut_texts(plan: Plan, followup: FollowUp) -> Expected:
    found = plain(kommun=plan.municipality.name) + each("rubriker", [m.title for m in plan.measures])
    found += each("kommentarer", [r.comment for r in followup.reports if r.comment])
    found += each("åtgärdskommentarer", list(followup.measure_comments.values()))
    for indicator in followup.indicators:
        found += plain(indikator=indicator.name, indikator_kommentar=indicator.note)
    return found


def tjansteskrivelse_texts(followup: FollowUp) -> Expected:
    committee = followup.committee
    assert committee is not None
    found = plain(
        förvaltning=committee.administration,
        handläggare=committee.officer,
        mottagare=committee.recipient,
        ärende=committee.subject,
    )
    # A clause ends as in minutes, with a comma (a full stop after the last) in place of its own.
    found += each("förslag", [c.strip().rstrip(",.;").rstrip() for c in committee.proposal])
    found += each("beslutsunderlag", committee.attachment_names)
    found += each("expediering", committee.send_to)
    for key, text in (("sammanfattning", committee.summary), ("bakgrund", committee.background)):
        found += rich(key, text)
    return found + rich("bedömning", committee.assessment)


def missing(expected: Expected, docx: Path) -> Expected:
    paragraphs = paragraph_texts(docx)
    return [(where, text) for where, text in expected if not any(text in p for p in paragraphs)]


# --- the property ------------------------------------------------------------------------------------

FIGURES = {"refused": 0, "followups_refused": 0, "rendered": 0, "validated": 0}
"""What the run did: plans refused, follow-ups refused, examples rendered, and of those validated."""
SAMPLES: dict[str, str] = {}
REFUSED_BY: Counter[str] = Counter()
"""The codes the refused examples had (each code once per example)."""


def _assert_coded(problems: list[Problem], file: Path) -> None:
    errors = [p for p in problems if p.is_error]
    assert errors
    for problem in problems:
        assert CODE.fullmatch(problem.code), problem
        assert problem.location is not None and problem.location.file == str(file), problem
        assert problem.message.strip(), problem


def _check_then_render(data: dict[str, Any], draw_followup: Callable[[Plan], dict[str, Any]], ooxml: Any) -> None:
    with tempfile.TemporaryDirectory(prefix="hallbardocs-property-") as folder:
        root = Path(folder)
        plan_file = root / "plan.json"
        plan_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = check_plan(plan_file)
        if not result.ok:
            FIGURES["refused"] += 1
            REFUSED_BY.update({p.code for p in result.errors})
            for problem in result.errors:
                SAMPLES.setdefault(problem.code, str(problem))
            note(f"refused: {[str(p) for p in result.errors][:5]}")
            _assert_coded(result.problems, plan_file)
            assert main(["handlingsplan", str(plan_file), "-o", str(root / "ut.docx")]) == 1
            assert sorted(p.name for p in root.iterdir()) == ["plan.json"]
            return
        plan = result.plan
        assert plan is not None
        followup_file = root / "uppfoljning.json"
        followup_file.write_text(json.dumps(draw_followup(plan), ensure_ascii=False), encoding="utf-8")
        checked = check_followup(followup_file, plan)
        if not checked.ok:
            FIGURES["followups_refused"] += 1
            REFUSED_BY.update({p.code for p in checked.errors})
            SAMPLES.setdefault(checked.errors[0].code, str(checked.errors[0]))
            note(f"follow-up refused: {[str(p) for p in checked.errors][:5]}")
            _assert_coded(checked.problems, followup_file)
            assert main(["miljobokslut", str(plan_file), str(followup_file), "-o", str(root / "ut.docx")]) == 1
            assert not (root / "ut.docx").exists()
            return
        followup = checked.followup
        assert followup is not None
        outputs = {
            "handlingsplan": (write_handlingsplan(plan, root / "handlingsplan.docx"), plan_texts(plan)),
            "miljöbokslut": (write_miljobokslut(plan, followup, root / "mb.docx"), miljobokslut_texts(plan, followup)),
            "tjänsteskrivelse": (
                write_tjansteskrivelse(plan, followup, root / "tj.docx"),
                tjansteskrivelse_texts(followup),
            ),
        }
        FIGURES["rendered"] += 1
        for kind, (out, expected) in outputs.items():
            Document(str(out))  # opens in python-docx
            gaps = missing(expected, out)
            assert not gaps, f"{kind} lacks {gaps!r}"
        try:
            for out, _ in outputs.values():
                ooxml(out)
        except pytest.skip.Exception:
            return  # no validator here (a clone without ../shared): every other assertion has run
        FIGURES["validated"] += 1


@settings(max_examples=examples(30))
@given(data=plans(), choices=st.data())
def test_a_generated_plan_is_refused_with_coded_problems_or_makes_three_valid_documents_with_every_text(
    data: dict[str, Any], choices: st.DataObject, ooxml_validate: Callable[[Path], None]
) -> None:
    _check_then_render(data, lambda plan: choices.draw(followups(plan)), ooxml_validate)


def test_the_property_run_rendered_and_refused_examples() -> None:
    """The run above met both outcomes, and validated what it rendered (it runs after it, in file order)."""
    examples = sum(FIGURES[k] for k in ("refused", "followups_refused", "rendered"))
    print(f"property run: {examples} examples, {FIGURES}, refused with {dict(REFUSED_BY)}")
    for _, sample in sorted(SAMPLES.items()):
        print(f"  e.g. {sample[:200]!r}")
    if not examples:
        pytest.skip("the property test did not run in this session")
    assert FIGURES["rendered"] >= 1 and FIGURES["refused"] >= 1, FIGURES
    assert FIGURES["validated"] in (0, FIGURES["rendered"]), FIGURES  # all, or none without the validator
