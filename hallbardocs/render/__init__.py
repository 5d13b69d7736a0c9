"""Rendering a context into a Word template: the only user of docxtpl.

Jinja runs sandboxed, autoescaped and strict: template authors cannot run code, user text can never
become template code or break the XML, and a misspelt variable is an error instead of a blank.
Values of our own types become WordprocessingML on the way out (Jinja's ``finalize``): rich text,
focus-area labels, images, and text with line breaks.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import gc
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from markupsafe import Markup  # Jinja's own dependency: imported once, not for every value printed

from hallbardocs.content import DocumentProperties, Image, Labels
from hallbardocs.errors import Location, Problem, TemplateError, os_reason
from hallbardocs.render.ooxml import NEEDS_MARKUP, StyleMap, W, Writer, fill_table_of_contents, line_broken
from hallbardocs.richtext import RichText

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = [
    "RenderedDocument",
    "default_template",
    "preload",
    "render",
    "template_variables",
]

_DOCX_MAGIC = b"PK\x03\x04"


def default_template(kind: str) -> Path:
    """The path of a shipped default template (``handlingsplan``, …)."""
    name = f"{kind}.docx"
    try:
        shipped = resources.files("hallbardocs").joinpath("templates", name)
        if shipped.is_file():
            return Path(str(shipped))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - odd installs
        pass
    in_tree = Path(__file__).resolve().parents[2] / "templates" / "docx" / name
    return in_tree


def _template_bytes(template: str | Path | bytes | None, kind: str) -> tuple[bytes, str]:
    if isinstance(template, bytes):
        name = "mallen"
        content = template
    else:
        path = Path(template) if template is not None else default_template(kind)
        name = str(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise TemplateError(
                Problem("HD501", f"Mallen kunde inte läsas: {os_reason(exc)}.", Location(name))
            ) from None
    if not content.startswith(_DOCX_MAGIC):
        raise TemplateError(Problem("HD501", "Mallen är inget Word-dokument (.docx).", Location(name)))
    return content, name


_COLUMN_LOOP = re.compile(r"\{%-?\s*(?:tc\s|colspan\s|hm\s*-?%|vm\s*-?%)")
_BLOCK_HINT = (
    "Rik text (som beskrivning och kapiteltext) ska stå ensam i ett stycke som {{p … }}, "
    "och etiketter som {{r … }}; se docs/templates.md."
)


_SESSION: contextvars.ContextVar[_Session] = contextvars.ContextVar("hallbardocs_render_session")


def _finalize(value: Any) -> Any:
    """Jinja's finalize: our values become WordprocessingML through the render in progress."""
    session = _SESSION.get(None)
    return value if session is None else session.finalize(value)


@functools.cache
def _shared_environment() -> Any:
    """One sandboxed environment for every render, so compiled templates can be reused."""
    return _environment(_finalize)


_COMPILED: dict[str, tuple[Any, bool]] = {}
_COMPILED_LIMIT = 64


def _compiled(tpl: Any, raw_xml: str) -> tuple[Any, bool]:
    """The Jinja template of a part's XML, compiled once per distinct XML (docxtpl compiles on every
    render), and whether it has column loops (``{%tc %}`` and kin), looked for in the text with the
    XML removed, so a tag Word split across runs is found too."""
    cached = _COMPILED.get(raw_xml)
    if cached is None:
        from jinja2 import TemplateError as JinjaTemplateError

        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(raw_xml))  # a line per paragraph, for errors
        try:
            template = _shared_environment().from_string(source)
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


def _environment(finalize: Any) -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from hallbardocs.formatting import FILTERS

    env = SandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, finalize=finalize, keep_trailing_newline=True
    )
    env.filters.update(FILTERS)
    return env


@dataclass
class RenderedDocument:
    """A rendered document in memory; :mod:`hallbardocs.write` saves it."""

    document: DocxDocument
    toc_entries: int = 0
    footnotes: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


class _Session:
    """What one render needs: the template, its styles, and the XML writer."""

    def __init__(self, tpl: Any) -> None:
        docx = tpl.get_docx()
        self.tpl = tpl
        self.styles = StyleMap(docx.styles.element)
        self.writer = Writer(self.styles, tpl.build_url_id)
        footnotes = _footnotes_part(docx)
        if footnotes is not None:
            ids = [int(x) for x in re.findall(rb'w:id="(-?\d+)"', footnotes.blob)]
            self.writer.first_footnote_id = max([0, *ids]) + 1

    def finalize(self, value: Any) -> Any:
        if isinstance(value, str):
            return Markup(line_broken(value)) if NEEDS_MARKUP.search(value) else value
        if isinstance(value, RichText):
            return Markup(self.writer.rich_text(value))
        if isinstance(value, Labels):
            return Markup(self.writer.labels(value))
        if isinstance(value, Image):
            return Markup(self._image(value))
        return value

    def _image(self, image: Image) -> str:
        from docx.shared import Mm
        from docxtpl import InlineImage

        source = io.BytesIO(image.source) if isinstance(image.source, bytes) else str(image.source)
        xml: str = InlineImage(self.tpl, source, width=Mm(image.width_mm)).__html__()
        from xml.sax.saxutils import quoteattr

        if image.alt_text:
            return re.sub(
                r"(<wp:docPr [^>]*?)(/?>)",
                lambda m: f"{m.group(1)} descr={quoteattr(image.alt_text)}{m.group(2)}",
                xml,
                count=1,
            )
        # A decorative image: no alt text, marked as decorative is not expressible in ECMA-376
        # transitional; an empty descr is what assistive technology skips.
        return xml


def _footnotes_part(docx: Any) -> Any:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in docx.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    return None


def _append_footnotes(docx: Any, footnotes: list[str]) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    part = _footnotes_part(docx)
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    if part is None:
        root = etree.fromstring(
            f'<w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            "</w:footnotes>"
        )
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, b"", docx.part.package)
        docx.part.relate_to(part, RT.FOOTNOTES)
    else:
        root = etree.fromstring(part.blob)
    for xml in footnotes:
        root.append(etree.fromstring(xml))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if hasattr(part, "_element"):  # an XmlPart: python-docx serialises its element
        part._element = root
    else:
        part._blob = blob


def _append_numbering(docx: Any, restarted: list[tuple[int, str, int]]) -> None:
    from lxml import etree

    if not restarted:
        return
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = docx.part.numbering_part.element
    abstract_of = {n.get(f"{{{W}}}numId"): n.find(f"{{{W}}}abstractNumId") for n in numbering.iterfind(f"{{{W}}}num")}
    for num_id, style_num, start in restarted:
        abstract = abstract_of.get(style_num)
        if abstract is None:
            continue
        num = etree.SubElement(numbering, f"{{{W}}}num", {f"{{{W}}}numId": str(num_id)})
        etree.SubElement(num, f"{{{W}}}abstractNumId", {f"{{{W}}}val": abstract.get(f"{{{W}}}val")})
        override = etree.SubElement(num, f"{{{W}}}lvlOverride", {f"{{{W}}}ilvl": "0"})
        etree.SubElement(override, f"{{{W}}}startOverride", {f"{{{W}}}val": str(start)})


def _set_language(docx: Any, language: str) -> None:
    """The document's default language, for spelling and for screen readers."""
    from lxml import etree

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    styles = docx.styles.element
    defaults = styles.find(f"{{{W}}}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{{{W}}}docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{{{W}}}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(f"{{{W}}}rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{{{W}}}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{{{W}}}rPr")
    lang = rpr.find(f"{{{W}}}lang")
    if lang is None:
        lang = etree.Element(f"{{{W}}}lang")
        after = [rpr.find(f"{{{W}}}{tag}") for tag in ("eastAsianLayout", "specVanish", "oMath")]
        anchor = next((a for a in after if a is not None), None)
        if anchor is None:
            rpr.append(lang)
        else:
            anchor.addprevious(lang)
    lang.set(f"{{{W}}}val", language)
    for other in styles.iter(f"{{{W}}}lang"):
        if other is not lang and other.get(f"{{{W}}}val") not in (None, language):
            other.set(f"{{{W}}}val", language)


_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def _request_field_update(docx: Any) -> None:
    """Ask Word to update fields (the table of contents' page numbers) when the document opens."""
    from lxml import etree

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    settings = docx.settings.element
    existing = settings.find(f"{{{W}}}updateFields")
    if existing is None:
        existing = etree.Element(f"{{{W}}}updateFields")
        anchor = next((c for c in settings if etree.QName(c).localname in _AFTER_UPDATE_FIELDS), None)
        if anchor is None:
            settings.append(existing)
        else:
            anchor.addprevious(existing)
    existing.set(f"{{{W}}}val", "true")


def _set_properties(docx: Any, properties: DocumentProperties) -> None:
    from hallbardocs.content import shorten

    limit = 255  # characters a core property holds (python-docx refuses more)
    core = docx.core_properties
    core.title = shorten(properties.title, limit)
    core.author = shorten(properties.author, limit)
    core.subject = shorten(properties.subject, limit)
    core.keywords = shorten(", ".join(properties.keywords), limit)
    core.language = shorten(properties.language, limit)
    core.comments = shorten(properties.comments, limit)
    core.last_modified_by = shorten(properties.author, limit)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core.created = now
    core.modified = now
    core.revision = 1
    core.category = ""
    core.content_status = ""


def _undefined_name(message: str | None) -> str:
    """Jinja's "'x' is undefined" or "'dict object' has no attribute 'y'" as the name it lacks."""
    found = re.findall(r"'([^']+)'", message or "")
    return f"”{found[-1]}”" if found else "en variabel"


def _template_error(exc: Exception, name: str) -> TemplateError:
    """A Jinja error during rendering as our TemplateError with a Swedish message."""
    from jinja2 import TemplateSyntaxError, UndefinedError

    where = Location(name)
    if isinstance(exc, UndefinedError):
        message = f"Mallen använder {_undefined_name(exc.message)}, som inte finns. Se docs/templates.md."
        return TemplateError(Problem("HD503", message, where))
    if isinstance(exc, TemplateSyntaxError):
        near = " … ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
        message = f"Fel i mallens taggar: {exc.message}" + (f" (nära: {near})" if near else "") + "."
        return TemplateError(Problem("HD502", message, where))
    return TemplateError(
        Problem("HD502", f"Mallen försöker göra något som inte är tillåtet ({str(exc).rstrip('.')}).", where)
    )


_uncollected = 0
"""Characters of document XML rendered since the last full garbage collection."""
COLLECT_AFTER = 1_000_000
"""A full collection after this much rendered XML (about 150 measure pages): python-docx's package
objects form reference cycles, which hold the documents' XML trees until the cyclic collector runs.
Collecting after every render would cost 15–20 ms each time; after a million characters, memory
stays flat while a small document shares that cost with the next few."""


def _collect_garbage(rendered: int) -> None:
    global _uncollected
    _uncollected += rendered
    if _uncollected >= COLLECT_AFTER:
        _uncollected = 0
        gc.collect()


def preload() -> None:
    """Import the rendering machinery now (a command does this before freezing the GC)."""
    import docxtpl  # noqa: F401
    import jinja2.sandbox  # noqa: F401

    import hallbardocs.formatting  # noqa: F401


@functools.cache
def _template_class() -> type[Any]:
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
        column_loops = False
        rendered_size = 0

        def resolve_listing(self, xml: str) -> str:
            return xml  # only for docxtpl's Listing; finalize writes our line breaks and tabs itself

        def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> Iterator[str]:
            """The body, rendered lazily: chunks go straight to the parser and the document never
            exists as one string (docxtpl builds it as several copies of tens of megabytes)."""
            template, self.column_loops = _compiled(self, self.get_xml())  # now, before fix_tables reads it
            self.current_rendering_part = self.docx._part
            return self._chunks(template, context)

        @staticmethod
        def _chunks(template: Any, context: dict[str, Any]) -> Iterator[str]:
            # docxtpl's escapes for literal Jinja delimiters in a template's own text. Such text
            # comes from the template, where it is never split between chunks.
            for chunk in template.generate(context):
                if "_" in chunk and ("{_" in chunk or "_}" in chunk or "%_" in chunk or "_%" in chunk):
                    chunk = chunk.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
                yield chunk

        def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
            """A header, footer or footnotes part (small), with its template compiled once."""
            self.current_rendering_part = part
            template, _ = _compiled(self, src_xml)
            xml: str = template.render(context)
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


def render(
    context: dict[str, Any],
    properties: DocumentProperties,
    *,
    kind: str,
    template: str | Path | bytes | None = None,
) -> RenderedDocument:
    """Render ``context`` into ``template`` (a path, .docx bytes, or None for the default of ``kind``)."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    content, name = _template_bytes(template, kind)

    try:
        tpl = _template_class()(io.BytesIO(content))
        tpl.source_name = name
        session = _Session(tpl)
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise TemplateError(Problem("HD501", f"Mallen kunde inte öppnas: {exc}.", Location(name))) from None
    env = _shared_environment()
    token = _SESSION.set(session)
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except (UndefinedError, TemplateSyntaxError, SecurityError) as exc:
        raise _template_error(exc, name) from None
    finally:
        _SESSION.reset(token)
    docx = tpl.docx
    writer = session.writer
    if writer.footnotes:
        _append_footnotes(docx, writer.footnotes)
    _append_numbering(docx, writer.restarted_lists)
    entries = fill_table_of_contents(docx.element.body, session.styles)
    if entries:
        _request_field_update(docx)
    _set_language(docx, properties.language)
    _set_properties(docx, properties)
    rendered = RenderedDocument(docx, entries, len(writer.footnotes))
    _collect_garbage(tpl.rendered_size)
    return rendered


def template_variables(template: str | Path | bytes | None, kind: str) -> set[str]:
    """The top-level variables a template uses (to check it against what a document provides)."""
    from docxtpl import DocxTemplate

    content, _ = _template_bytes(template, kind)
    return set(DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables(jinja_env=_environment(None)))
