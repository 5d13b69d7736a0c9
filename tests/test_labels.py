"""Labels (focus areas, statuses) are drawn as boxes: one shaded run with a border of its own colour."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from hallbardocs import HallbardocsWarning, load_plan, render_document
from hallbardocs.content import Label, Labels
from hallbardocs.render.ooxml import StyleMap, Writer
from hallbardocs.render.review import contrast_ratio
from hallbardocs.review import review_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ROOT = Path(__file__).resolve().parents[1]
STYLES = etree.fromstring(
    f'<w:styles xmlns:w="{W}"><w:style w:type="character" w:styleId="Fokusomradesetikett">'
    '<w:name w:val="Fokusområdesetikett"/></w:style></w:styles>'
)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def runs_of(labels: Labels) -> list[etree._Element]:
    xml = Writer(StyleMap(STYLES), relate_url=lambda url: "rId1").labels(labels)
    return list(etree.fromstring(f'<w:p xmlns:w="{W}">{xml}</w:p>'))


def test_a_label_is_one_run_with_shading_and_a_padded_border_of_its_own_colour() -> None:
    box, closing = runs_of(Labels((Label("Smart och förnybar energi", "1F6F8B"),)))

    assert box.findtext("w:t", namespaces=NS) == "Smart och förnybar energi"  # no padding of no-break spaces
    assert box.find("w:rPr/w:rStyle", NS).get(w("val")) == "Fokusomradesetikett"
    assert box.find("w:rPr/w:shd", NS).get(w("fill")) == "1F6F8B"
    border = box.find("w:rPr/w:bdr", NS)
    assert border.get(w("val")) == "single"
    assert border.get(w("color")) == "1F6F8B"  # the border is the box's edge, not a line around it
    assert int(border.get(w("space"))) > 0 and int(border.get(w("sz"))) > 0
    # a soft hyphen closes the box where it ends a line or the paragraph (no text of its own)
    assert [child.tag for child in closing] == [w("softHyphen")]


@pytest.mark.parametrize("fill", ["1F6F8B", "F2C14E", "8A8A8A", "FFFFFF", "000000", "2E7D32"])
def test_a_label_text_colour_reads_on_its_fill(fill: str) -> None:
    box = runs_of(Labels((Label("Värna vattnet", fill),)))[0]

    assert contrast_ratio(box.find("w:rPr/w:color", NS).get(w("val")), fill) >= 4.5


def test_labels_side_by_side_are_separated_by_breakable_spaces() -> None:
    runs = runs_of(Labels((Label("Klimat", "1F6F8B"), Label("Ät hållbart", "9A3324"))))

    texts = ["".join(r.itertext()) for r in runs]
    assert texts == ["Klimat", "", "  ", "Ät hållbart", ""]
    assert runs[2].find("w:rPr", NS) is None  # the gap between two boxes is not part of either


def test_a_label_too_long_for_a_line_is_shaded_without_a_border_so_it_wraps_cleanly() -> None:
    long = "Res fossilfritt i hela kommunen med kollektivtrafik, cykel och gång som förstahandsval"
    box = runs_of(Labels((Label(long, "2E4A8B"),)))[0]

    assert box.findtext("w:t", namespaces=NS) == long
    assert box.find("w:rPr/w:shd", NS).get(w("fill")) == "2E4A8B"
    assert box.find("w:rPr/w:bdr", NS) is None


def test_the_example_handlingsplan_draws_every_label_as_a_box_and_passes_the_review(tmp_path: Path) -> None:
    plan = load_plan(ROOT / "examples" / "handlingsplan.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HallbardocsWarning)
        data = render_document("handlingsplan", plan, None).to_bytes()
    body = Document(io.BytesIO(data)).element.body

    boxes = [r for r in body.iter(w("r")) if r.find("w:rPr/w:shd", NS) is not None]
    names = {area.name for area in plan.focus_areas()}
    assert boxes and {"".join(t.text or "" for t in r.iter(w("t"))) for r in boxes} <= names
    for box in boxes:
        fill = box.find("w:rPr/w:shd", NS).get(w("fill"))
        assert box.find("w:rPr/w:bdr", NS).get(w("color")) == fill
        following = box.getnext()
        assert following is not None and following.find("w:softHyphen", NS) is not None

    path = tmp_path / "handlingsplan.docx"
    path.write_bytes(data)
    assert [p for p in review_document(path) if p.code == "HD547"] == []
