"""The renderer with a template of its own: column loops, and tags Word splits across runs."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from hallbardocs.content import DocumentProperties
from hallbardocs.render import render


def _column_loop_template(split: bool) -> bytes:
    """One table whose columns repeat with {%tc %}; with ``split`` the loop tag is in two runs."""
    doc = Document()
    table = doc.add_table(rows=1, cols=3)
    first, middle, last = table.rows[0].cells
    paragraph = first.paragraphs[0]
    if split:
        paragraph.add_run("{%tc for ")
        paragraph.add_run("x in kolumner %}")
    else:
        paragraph.add_run("{%tc for x in kolumner %}")
    middle.paragraphs[0].add_run("{{ x }}")
    last.paragraphs[0].add_run("{%tc endfor %}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _grid(data: bytes) -> tuple[int, list[str]]:
    table = Document(io.BytesIO(data)).tables[0]
    columns = len(table._tbl.tblGrid.findall(qn("w:gridCol")))
    return columns, [cell.text for cell in table.rows[0].cells]


def test_column_loops_get_a_table_grid_that_fits_even_when_word_split_the_tag(
    tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    for split in (False, True):
        rendered = render(
            {"kolumner": ["A", "B", "C", "D"]},
            DocumentProperties(title="Test", author="Test"),
            kind="test",
            template=_column_loop_template(split),
        ).to_bytes()
        assert _grid(rendered) == (4, ["A", "B", "C", "D"])
        out = tmp_path / f"kolumner-{split}.docx"
        out.write_bytes(rendered)
        ooxml_validate(out)
