"""The baseline: what a user would write by hand with plain docxtpl, no hallbardocs.

:func:`build_template` writes a minimal docxtpl template with the same content as the default
handlingsplan template (built with python-docx, at bench time, into a temporary directory; no .docx
is committed):

* the title and subtitle;
* "Metadata om dokument": a label/value table, one ``{%tr for %}`` row per revision;
* the chapters: a Heading 1 and the text as plain paragraphs;
* per measure a Heading 2 with page break before, the focus areas as plain text, the description
  as plain paragraphs, the responsible units as a ``{%p for %}`` bullet list, the goals;
* "Bilaga 1 Aktivitetslistan": a table with a group row per measure and a ``{%tr for %}`` row per
  activity, and the total.

:func:`render_baseline` is the whole baseline pipeline: ``yaml.load(..., Loader=yaml.CSafeLoader)``,
a light reshape (no validation, no formatting beyond ``str()``), ``DocxTemplate(...).render(context,
autoescape=True)`` and ``save``. No gc.collect(), no sandbox, no atomic write: plain docxtpl.

    python bench/baseline_template.py build OUT.docx
    python bench/baseline_template.py render PLAN.yaml TEMPLATE.docx OUT.docx
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

__all__ = ["baseline_context", "build_template", "render_baseline"]

METADATA_FIELDS = [
    ("Dokumentnamn", "dokumentnamn"),
    ("Dokumenttyp", "dokumenttyp"),
    ("Omfattar", "omfattar"),
    ("Dokumentägare", "dokumentägare"),
    ("Dokumentansvarig", "dokumentansvarig"),
    ("Publicering", "publicering"),
    ("Författningsstöd", "författningsstöd"),
    ("Beslutad", "beslutad"),
    ("Bör revideras senast", "bör_revideras_senast"),
    ("Beslutsinstans", "beslutsinstans"),
    ("Diarienummer", "diarienummer"),
]


def build_template(path: str | Path) -> Path:
    """Write the minimal equivalent docxtpl template to ``path``."""
    from docx import Document

    path = Path(path)
    doc = Document()
    doc.add_paragraph("{{ titel }}", style="Title")
    doc.add_paragraph("{{ kommun }} {{ år }}", style="Subtitle")

    doc.add_paragraph("Metadata om dokument", style="Heading 1").paragraph_format.page_break_before = True
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    for label, key in METADATA_FIELDS:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = f"{{{{ metadata.{key} }}}}"
    table.add_row().cells[0].text = "{%tr for r in metadata.revideringar %}"
    cells = table.add_row().cells
    cells[0].text = "Revidering {{ loop.index }}"
    cells[1].text = "{{ r.datum }}, {{ r.paragraf }}: {{ r.ändring }}"
    table.add_row().cells[0].text = "{%tr endfor %}"

    doc.add_paragraph("{%p for k in kapitel %}")
    doc.add_paragraph("{{ k.rubrik }}", style="Heading 1")
    doc.add_paragraph("{%p for stycke in k.stycken %}")
    doc.add_paragraph("{{ stycke }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_paragraph("Åtgärder {{ år }}", style="Heading 1").paragraph_format.page_break_before = True
    doc.add_paragraph("Handlingsplanen för {{ år }} innehåller {{ åtgärder | length }} åtgärder.")
    doc.add_paragraph("{%p for åtgärd in åtgärder %}")
    doc.add_paragraph("{{ åtgärd.rubrik }}", style="Heading 2").paragraph_format.page_break_before = True
    doc.add_paragraph("{{ åtgärd.fokusområden | join(', ') }}")
    doc.add_paragraph("{%p for stycke in åtgärd.stycken %}")
    doc.add_paragraph("{{ stycke }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph().add_run("Sektor/bolag med aktiviteter inom åtgärden:").bold = True
    doc.add_paragraph("{%p for enhet in åtgärd.ansvariga %}")
    doc.add_paragraph("{{ enhet }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    for key, lead in (
        ("miljökvalitetsmål", "Bidrar till miljökvalitetsmålen:"),
        ("globala_mål", "Bidrar till de globala målen:"),
    ):
        doc.add_paragraph(f"{{%p if åtgärd.{key} %}}")
        goals = doc.add_paragraph()
        goals.add_run(lead).bold = True
        goals.add_run(f" {{{{ åtgärd.{key} | join(', ') }}}}")
        doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_paragraph("Bilaga 1 Aktivitetslistan", style="Heading 1").paragraph_format.page_break_before = True
    table = doc.add_table(rows=1, cols=4)
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ("Enhet", "Aktivitet", "Period", "Kostnad"), strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr for g in aktivitetslista %}"
    row = table.add_row()
    row.cells[0].merge(row.cells[-1]).text = "{{ g.åtgärd }}"
    table.add_row().cells[0].text = "{%tr for a in g.aktiviteter %}"
    cells = table.add_row().cells
    for cell, key in zip(cells, ("enhet", "aktivitet", "period", "kostnad"), strict=True):
        cell.text = f"{{{{ a.{key} }}}}"
    table.add_row().cells[0].text = "{%tr endfor %}"
    table.add_row().cells[0].text = "{%tr endfor %}"
    cells = table.add_row().cells
    cells[0].merge(cells[2]).text = "Summa"
    cells[3].text = "{{ total_kostnad }}"

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _paragraphs(text: Any) -> list[str]:
    return [p.strip() for p in str(text or "").split("\n\n") if p.strip()]


def baseline_context(data: dict[str, Any]) -> dict[str, Any]:
    """The YAML data, lightly reshaped for the template: no validation, ``str()`` formatting."""
    measures = data["åtgärder"]
    total = 0
    activity_list = []
    for m in measures:
        m["stycken"] = _paragraphs(m.get("beskrivning"))
        m.setdefault("miljökvalitetsmål", [])
        m.setdefault("globala_mål", [])
        rows = []
        for a in m.get("aktiviteter") or []:
            cost = a.get("kostnad")
            total += cost or 0
            rows.append(
                {
                    "enhet": a["enhet"],
                    "aktivitet": a["aktivitet"],
                    "period": f"{a.get('start', '')}–{a.get('slut', '')}",
                    "kostnad": f"{cost} kr" if cost is not None else "–",
                }
            )
        if rows:
            activity_list.append({"åtgärd": f"{m['id']}. {m['rubrik']}", "aktiviteter": rows})
    for k in data.get("kapitel") or []:
        k["stycken"] = _paragraphs(k.get("text"))
    meta = data["metadata"]
    return {
        "titel": meta["dokumentnamn"],
        "kommun": data["kommun"]["namn"],
        "år": data["år"],
        "metadata": {key: meta.get(key, "–") for _, key in METADATA_FIELDS}
        | {"revideringar": meta.get("revideringar") or []},
        "kapitel": data.get("kapitel") or [],
        "åtgärder": measures,
        "aktivitetslista": activity_list,
        "total_kostnad": f"{total} kr",
    }


def render_baseline(plan: str | Path, template: str | Path, output: str | Path) -> None:
    """The whole baseline: load the YAML, reshape, render with plain docxtpl, save the .docx."""
    import yaml
    from docxtpl import DocxTemplate

    with open(plan, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=yaml.CSafeLoader)
    tpl = DocxTemplate(str(template))
    tpl.render(baseline_context(data), autoescape=True)
    tpl.save(str(output))


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "build":
        build_template(argv[1])
        return 0
    if len(argv) == 4 and argv[0] == "render":
        render_baseline(argv[1], argv[2], argv[3])
        return 0
    print(__doc__.strip().splitlines()[-2:], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
