"""docxtpl, adapted: the only module that subclasses docxtpl's ``DocxTemplate``.

docxtpl renders a template in steps whose methods we override (hooks). Every hook overridden here,
and why:

- ``build_xml(context, jinja_env)``: the body is rendered lazily, chunk by chunk, straight into one
  strict XML parse (docxtpl builds it as several string copies of tens of megabytes); the compiled
  template comes from our cache, since docxtpl compiles on every render.
- ``render_xml_part(src_xml, part, context, jinja_env)``: headers, footers and footnotes, compiled
  once and rendered with the same environment.
- ``patch_xml(src_xml)``: skipped for XML without a tag (docxtpl's regexes cost time on every part).
- ``build_headers_footers_xml(context, uri, jinja_env)``: our ``render_xml_part`` for each part.
- ``render_properties(context, jinja_env)``: never renders core properties as template code (they
  are set from the data after rendering).
- ``resolve_listing(xml)``: skipped; our ``finalize`` writes line breaks and tabs itself.
- ``fix_tables(xml)``: only where a template has column loops (``{%tc %}``); the output is then
  parsed strictly (docxtpl's ``recover=True`` silently drops broken XML: HD502 instead).
- ``fix_docpr_ids(tree)``: every picture gets its own id.
- ``map_tree(tree)``: the parsed body replaces the document part's element.

docxtpl attributes read or set: ``docx``, ``current_rendering_part``, ``docx_ids_index``,
``get_docx()``, ``get_xml()``, ``get_part_xml()``, ``get_headers_footers()``, ``build_url_id()``.
``tests/test_render_adapter.py`` fails when docxtpl's signatures of these hooks change.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Iterator
from typing import Any, cast

from hallbardocs.errors import Location, Problem, TemplateError
from hallbardocs.render import sandbox as _sandbox
from hallbardocs.render.ooxml import W

__all__ = [
    "HOOKS",
    "SESSION",
    "compiled",
    "inline_image",
    "shared_environment",
    "template_class",
    "undeclared_variables",
]

HOOKS = {
    "build_xml": ("self", "context", "jinja_env"),
    "render_xml_part": ("self", "src_xml", "part", "context", "jinja_env"),
    "patch_xml": ("self", "src_xml"),
    "build_headers_footers_xml": ("self", "context", "uri", "jinja_env"),
    "render_properties": ("self", "context", "jinja_env"),
    "resolve_listing": ("self", "xml"),
    "fix_tables": ("self", "xml"),
    "fix_docpr_ids": ("self", "tree"),
    "map_tree": ("self", "tree"),
}
"""The docxtpl methods overridden here, with the parameters docxtpl gives them."""

SESSION: contextvars.ContextVar[Any] = contextvars.ContextVar("hallbardocs_render_session")
"""The render in progress, whose ``finalize`` turns our values into WordprocessingML."""


def _finalize(value: Any) -> Any:
    """Jinja's finalize: our values become WordprocessingML through the render in progress."""
    session = SESSION.get(None)
    return value if session is None else session.finalize(value)


def shared_environment() -> Any:
    """One sandboxed environment for every render, so compiled templates can be reused."""
    return _sandbox.environment(_finalize)


_COLUMN_LOOP = re.compile(r"\{%-?\s*(?:tc\s|colspan\s|hm\s*-?%|vm\s*-?%)")
_BLOCK_HINT = (
    "Rik text (som beskrivning och kapiteltext) ska stå ensam i ett stycke som {{p … }}, "
    "och etiketter som {{r … }}; se docs/templates.md."
)


_COMPILED: dict[str, tuple[Any, bool]] = {}
_COMPILED_LIMIT = 64


def compiled(tpl: Any, raw_xml: str) -> tuple[Any, bool]:
    """The Jinja template of a part's XML, compiled once per distinct XML (docxtpl compiles on every
    render), and whether it has column loops (``{%tc %}`` and kin), looked for in the text with the
    XML removed, so a tag Word split across runs is found too."""
    cached = _COMPILED.get(raw_xml)
    if cached is None:
        from jinja2 import TemplateError as JinjaTemplateError

        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(raw_xml))  # a line per paragraph, for errors
        try:
            template = shared_environment().from_string(source)
            template.hallbardocs_source = source  # to say where a runtime error stands
        except JinjaTemplateError as exc:
            lineno = getattr(exc, "lineno", None)
            if lineno is not None:
                first = max(lineno - 4, 0)
                lines = [re.sub(r"<[^>]+>", "", x) for x in source.splitlines()[first : first + 7]]
                exc.docx_context = lines  # type: ignore[attr-defined]  # as docxtpl does
            raise
        column_loops = _COLUMN_LOOP.search(re.sub(r"<[^>]+>", "", raw_xml)) is not None
        if len(_COMPILED) >= _COMPILED_LIMIT:
            _COMPILED.pop(next(iter(_COMPILED)))
        cached = _COMPILED[raw_xml] = (template, column_loops)
    return cached


@functools.cache
def template_class() -> type[Any]:
    """docxtpl's DocxTemplate, with its output parsed once, strictly, into python-docx's classes."""
    from docx.oxml.parser import element_class_lookup
    from docxtpl import DocxTemplate
    from lxml import etree

    run_inside_text = etree.XPath("boolean(//w:t[*])", namespaces={"w": W})
    picture_ids = etree.XPath(
        "//wp:docPr", namespaces={"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
    )

    class Template(DocxTemplate):  # type: ignore[misc]
        source_name = "mallen"
        current_template: Any = None
        column_loops = False
        rendered_size = 0

        def resolve_listing(self, xml: str) -> str:
            return xml  # only for docxtpl's Listing; finalize writes our line breaks and tabs itself

        def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> Iterator[str]:
            """The body, rendered lazily: chunks go straight to the parser and the document never
            exists as one string (docxtpl builds it as several copies of tens of megabytes)."""
            template, self.column_loops = compiled(self, self.get_xml())  # now, before fix_tables reads it
            self.current_template = template
            self.current_rendering_part = self.docx._part
            return self._chunks(template, context)

        @staticmethod
        def _chunks(template: Any, context: dict[str, Any]) -> Iterator[str]:
            # docxtpl's escapes for literal Jinja delimiters in a template's own text. Such text
            # comes from the template, where it is never split between chunks.
            budget = _sandbox.current()
            for chunk in template.generate(context):
                budget.add_output(len(chunk))
                if "_" in chunk and ("{_" in chunk or "_}" in chunk or "%_" in chunk or "_%" in chunk):
                    chunk = chunk.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
                yield chunk

        def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
            """A header, footer or footnotes part (small), with its template compiled once."""
            self.current_rendering_part = part
            template, _ = compiled(self, src_xml)
            self.current_template = template
            xml: str = template.render(context)
            _sandbox.current().add_output(len(xml))
            return (
                re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
                .replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )

        def patch_xml(self, src_xml: str) -> str:
            return src_xml if "{" not in src_xml else str(super().patch_xml(src_xml))

        def build_headers_footers_xml(self, context: dict[str, Any], uri: str, jinja_env: Any = None) -> Iterator[Any]:
            for key, part in self.get_headers_footers(uri):
                xml = self.get_part_xml(part)
                yield key, self.render_xml_part(xml, part, context).encode("utf-8")

        def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
            pass  # the core properties are set from the data after rendering, never rendered as template code

        def fix_tables(self, chunks: Iterator[str]) -> Any:
            if self.column_loops:  # {%tc %} loops can change a row's cell count: let docxtpl mend the grid
                chunks = iter([str(etree.tostring(super().fix_tables("".join(chunks)), encoding="unicode"))])
            # docxtpl parses with recover=True, which silently drops broken XML. Parse strictly instead,
            # the whole document at once, so the new body need not be moved between documents.
            document: Any = self.get_docx()
            shell = str(etree.tostring(document.element, encoding="unicode"))
            start, end = shell.index("<w:body"), shell.rindex("</w:body>") + len("</w:body>")
            where = Location(self.source_name)
            parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, huge_tree=True)
            parser.set_element_class_lookup(element_class_lookup)
            try:
                parser.feed(shell[:start])
                size = len(shell)
                for chunk in chunks:
                    parser.feed(chunk)
                    size += len(chunk)
                parser.feed(shell[end:])
                self.rendered_size = size
                root = parser.close()
            except etree.XMLSyntaxError as exc:
                raise TemplateError(
                    Problem("HD502", f"Mallen gav ett trasigt dokument ({exc.msg}). {_BLOCK_HINT}", where)
                ) from None
            if run_inside_text(root):
                raise TemplateError(
                    Problem("HD502", f"Mallen lägger stycken eller etiketter inne i löpande text. {_BLOCK_HINT}", where)
                )
            return root

        def fix_docpr_ids(self, tree: Any) -> None:
            for element in cast("list[Any]", picture_ids(tree)):  # every picture needs its own id
                self.docx_ids_index += 1
                element.set("id", str(self.docx_ids_index))

        def map_tree(self, tree: Any) -> None:
            part = self.get_docx().part
            part._element = tree
            self.docx = part.document

    return Template


def inline_image(tpl: Any, data: bytes, width_mm: float) -> str:
    """The WordprocessingML of a picture (PNG or JPEG bytes) of ``width_mm``, in template ``tpl``."""
    import io

    from docx.shared import Mm
    from docxtpl import InlineImage

    xml: str = InlineImage(tpl, io.BytesIO(data), width=Mm(width_mm)).__html__()
    return xml


def undeclared_variables(content: bytes) -> set[str]:
    """The top-level variables a template (.docx bytes) uses."""
    import io

    from docxtpl import DocxTemplate

    env = _sandbox.environment(None)
    return set(DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables(jinja_env=env))
