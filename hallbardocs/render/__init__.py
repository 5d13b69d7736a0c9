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
import io
import re
import warnings as _warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from jinja2 import Undefined
from markupsafe import Markup  # Jinja's own dependency: imported once, not for every value printed

from hallbardocs import runtime
from hallbardocs.content import DocumentProperties, Image, Labels
from hallbardocs.errors import HallbardocsWarning, Location, Problem, TemplateError
from hallbardocs.files import IMAGE_LIMIT, TEMPLATE_LIMIT, UnreadableFile, read_user_file
from hallbardocs.render import lint as _lint
from hallbardocs.render import package as _package
from hallbardocs.render import sandbox as _sandbox
from hallbardocs.render.ooxml import NEEDS_MARKUP, StyleMap, W, Writer, fill_table_of_contents, line_broken
from hallbardocs.render.sandbox import RenderLimits
from hallbardocs.richtext import RichText

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = [
    "RenderLimits",
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
            content = read_user_file(path, TEMPLATE_LIMIT)
        except UnreadableFile as exc:
            raise TemplateError(Problem("HD501", f"Mallen kunde inte läsas: {exc.reason}.", Location(name))) from None
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


def _shared_environment() -> Any:
    """One sandboxed environment for every render, so compiled templates can be reused."""
    return _sandbox.environment(_finalize)


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


_PRINTABLE = (int, float, Decimal, dt.date, list, tuple, dict, range, type(None))
"""What a template may print besides text and our own values (the rest would show Python's insides)."""


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
        if not isinstance(value, _PRINTABLE):
            if isinstance(value, Undefined):
                return value  # printing it raises Jinja's own error: unknown variable, or refused attribute
            raise _sandbox.NotAValue(value)
        return value

    def _image(self, image: Image) -> str:
        from docx.shared import Mm
        from docxtpl import InlineImage

        if isinstance(image.source, bytes):
            data = image.source
        else:  # the logo: checked by validation, read here the same safe way
            try:
                data = read_user_file(image.source, IMAGE_LIMIT)
            except UnreadableFile as exc:
                raise TemplateError(
                    Problem("HD402", f"Logotypen kunde inte läsas: {exc.reason}.", Location(str(image.source)))
                ) from None
        source = io.BytesIO(data)
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


def _append_numbering(docx: Any, restarted: list[tuple[int, str, int]], name: str) -> list[Problem]:
    """Numbered lists that start again at 1 get their own ``w:num``; a template without numbering
    definitions shows them unnumbered, with a warning (HD508)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    if not restarted:
        return []
    try:
        numbering = docx.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        message = (
            "Mallen saknar numreringsdefinitioner (numbering.xml), så numrerade listor i texten visas utan "
            "nummer. Lägg in en numrerad lista i mallen i Word och spara den igen."
        )
        return [Problem("HD508", message, Location(name), severity="varning")]
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    abstract_of = {n.get(f"{{{W}}}numId"): n.find(f"{{{W}}}abstractNumId") for n in numbering.iterfind(f"{{{W}}}num")}
    for num_id, style_num, start in restarted:
        abstract = abstract_of.get(style_num)
        if abstract is None:
            continue
        num = etree.SubElement(numbering, f"{{{W}}}num", {f"{{{W}}}numId": str(num_id)})
        etree.SubElement(num, f"{{{W}}}abstractNumId", {f"{{{W}}}val": abstract.get(f"{{{W}}}val")})
        override = etree.SubElement(num, f"{{{W}}}lvlOverride", {f"{{{W}}}ilvl": "0"})
        etree.SubElement(override, f"{{{W}}}startOverride", {f"{{{W}}}val": str(start)})
    return []


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


_FILTER_TAKES = {
    "datum": "ett datum",
    "långt_datum": "ett datum",
    "lista": "en lista",
    "svensk_ordning": "en lista",
}


_OWNERS = {
    "Image": "en bild",
    "Labels": "etiketter",
    "Label": "en etikett",
    "RichText": "ett textblock",
    "list": "en lista",
    "dict": "en grupp av värden",
    "str": "en text",
    "int": "ett tal",
    "float": "ett tal",
}


def _kind_of(value: Any) -> str:
    if isinstance(value, str):
        return f"texten ”{value[:40]}”"
    if isinstance(value, bool):
        return "ett sanningsvärde"
    if isinstance(value, int | float):
        return "ett tal"
    if isinstance(value, list | tuple):
        return "en lista"
    if isinstance(value, dict):
        return "en grupp av värden"
    return "ett värde av annat slag"


def _place(tpl: Any, exc: BaseException) -> str:
    """Where in the template the code that raised ``exc`` stands: the part, the paragraph's number
    and its first words (the template's XML has one paragraph a line)."""
    line = _sandbox.template_line(exc)
    template = getattr(tpl, "current_template", None)
    source = getattr(template, "hallbardocs_source", None)
    part = getattr(getattr(tpl, "current_rendering_part", None), "partname", "")
    where = {"header": "i ett sidhuvud", "footer": "i en sidfot", "footnotes": "i fotnoterna"}
    in_part = next((text for key, text in where.items() if key in str(part)), "")
    if line is None or source is None:
        return in_part
    lines = source.splitlines()
    paragraph = sum(1 for x in lines[:line] if x.startswith("<w:p"))
    text = " ".join(re.sub(r"<[^>]+>", "", lines[line - 1] if line <= len(lines) else "").split())
    if len(text) > 70:
        text = text[:69] + "…"
    near = f" (”{text}”)" if text else ""
    return f"{in_part + ', ' if in_part else ''}i stycke {paragraph}{near}"


def _template_error(exc: BaseException, name: str, tpl: Any = None) -> TemplateError:
    """An error raised while a template ran, as our TemplateError with a Swedish message and the
    place in the template."""
    from jinja2 import TemplateRuntimeError, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    where = Location(name)
    place = _place(tpl, exc) if tpl is not None else ""
    at = f" {place}" if place else ""
    if isinstance(exc, _sandbox.BudgetExceeded):
        message = f"Mallen avbröts: {exc.what}{at}. Se gränserna i docs/templates.md."
        return TemplateError(Problem("HD505", message, where))
    if isinstance(exc, UndefinedError):
        message = f"Mallen använder {_undefined_name(exc.message)}{at}, som inte finns. Se docs/templates.md."
        return TemplateError(Problem("HD503", message, where))
    if isinstance(exc, TemplateSyntaxError):
        near = " … ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
        message = f"Fel i mallens taggar: {exc.message}" + (f" (nära: {near})" if near else "") + "."
        return TemplateError(Problem("HD502", message, where))
    if isinstance(exc, SecurityError):
        found = re.match(r"access to attribute '([^']*)' of '([^']*)' object is unsafe", str(exc))
        if found:
            attribute, owner = found.groups()
            what = _OWNERS.get(owner, f"ett värde av typen {owner}")
            message = (
                f"Mallen försöker läsa ”{attribute}” hos {what}{at}, vilket inte är tillåtet: en mall får bara "
                "läsa fält i dokumentets data (se docs/templates.md)."
            )
        else:
            message = f"Mallen försöker göra något som inte är tillåtet{at} ({str(exc).rstrip('.')})."
        return TemplateError(Problem("HD502", message, where))
    if isinstance(exc, _sandbox.NotAValue):
        function = str(getattr(exc.value, "__name__", "")) if callable(exc.value) else ""
        what = f"funktionen ”{function}”" if function else "ett internt objekt"
        hint = f" Skriv {function}() för att anropa den." if function else ""
        message = f"Mallen skriver ut {what}{at}, som inte är något värde att visa.{hint}"
        return TemplateError(Problem("HD504", message, where))
    if isinstance(exc, _sandbox.FilterError):
        takes = _FILTER_TAKES.get(exc.filter, "ett tal")
        message = f"Filtret ”{exc.filter}”{at} kan inte formatera {_kind_of(exc.value)}; det tar {takes}."
        if isinstance(exc.value, str) and takes == "ett tal":
            message += " Värden som redan är formaterade (som total_kostnad) skrivs utan filter."
        return TemplateError(Problem("HD504", message, where))
    if isinstance(exc, TemplateRuntimeError) or "no loader" in str(exc):
        message = (
            f"Mallen använder {{% include %}}, {{% import %}} eller {{% extends %}}{at}, men en Word-mall kan inte "
            "hämta andra mallar: allt den visar ska stå i själva dokumentet."
            if "no loader" in str(exc)
            else f"Mallen kunde inte fyllas i: {exc}{at}."
        )
        return TemplateError(Problem("HD504", message, where))
    reasons = {
        ZeroDivisionError: "delar med noll",
        OverflowError: "räknar fram ett för stort tal",
        RecursionError: "anropar sig själv för många gånger (ett makro utan slut?)",
        MemoryError: "behöver mer minne än datorn har",
        TypeError: "blandar värden av olika slag (som text och tal)",
        AttributeError: "frågar efter något som värdet inte har",
        LookupError: "frågar efter ett element som inte finns",
        ValueError: "ger ett värde som inte går att använda",
    }
    reason = next((text for kind, text in reasons.items() if isinstance(exc, kind)), "gör något som inte går")
    detail = str(exc).strip()
    hint = f" Pythons förklaring: ”{detail[:120]}”." if detail else ""
    return TemplateError(Problem("HD504", f"Mallen {reason}{at}.{hint}", where))


_TEMPLATE_FAULTS = (
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RecursionError,
    MemoryError,
)
"""Exceptions that are the template's fault when the template's own code raised them."""


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
        current_template: Any = None
        column_loops = False
        rendered_size = 0

        def resolve_listing(self, xml: str) -> str:
            return xml  # only for docxtpl's Listing; finalize writes our line breaks and tabs itself

        def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> Iterator[str]:
            """The body, rendered lazily: chunks go straight to the parser and the document never
            exists as one string (docxtpl builds it as several copies of tens of megabytes)."""
            template, self.column_loops = _compiled(self, self.get_xml())  # now, before fix_tables reads it
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
            template, _ = _compiled(self, src_xml)
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


def render(
    context: dict[str, Any],
    properties: DocumentProperties,
    *,
    kind: str,
    template: str | Path | bytes | None = None,
    limits: RenderLimits | None = None,
) -> RenderedDocument:
    """Render ``context`` into ``template`` (a path, .docx bytes, or None for the default of ``kind``).

    The template runs sandboxed on the budget ``limits`` (:class:`RenderLimits`; the defaults suit
    plans of thousands of measures). A problem in the template is a :class:`TemplateError` whose
    problem names the place in the template; what the template brought that was removed (macros,
    external links) is in the result's ``warnings`` and is also issued as a
    :class:`~hallbardocs.errors.HallbardocsWarning`.
    """
    from jinja2 import TemplateError as JinjaTemplateError

    content, name = _template_bytes(template, kind)
    content = _package.checked_package(content, name)
    _lint.checked(content, name, kind, context)  # a template with errors: every problem at once, before it runs
    try:
        tpl = _template_class()(io.BytesIO(content))
        tpl.source_name = name
        warnings = _package.strip_package(tpl.get_docx(), name)
        runtime.before_render()  # docxtpl and python-docx are imported now
        session = _Session(tpl)
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        message = f"Mallen kunde inte öppnas: den är inget giltigt Word-dokument (”{reason[:120]}”)."
        raise TemplateError(Problem("HD501", message, Location(name))) from None
    env = _shared_environment()
    token = _SESSION.set(session)
    try:
        with _sandbox.budget(limits or RenderLimits()):
            tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateError:
        raise
    except (JinjaTemplateError, _sandbox.BudgetExceeded, _sandbox.FilterError, _sandbox.NotAValue) as exc:
        raise _template_error(exc, name, tpl) from None
    except _TEMPLATE_FAULTS as exc:
        if _sandbox.template_line(exc) is None and not isinstance(exc, RecursionError | MemoryError):
            raise  # not raised by the template's code: a bug of ours, which must not pass as the user's
        raise _template_error(exc, name, tpl) from None
    finally:
        _SESSION.reset(token)
    docx = tpl.docx
    writer = session.writer
    if writer.footnotes:
        _append_footnotes(docx, writer.footnotes)
    warnings += _append_numbering(docx, writer.restarted_lists, name)
    entries = fill_table_of_contents(docx.element.body, session.styles)
    if entries:
        _request_field_update(docx)
    _set_language(docx, properties.language)
    _set_properties(docx, properties)
    rendered = RenderedDocument(docx, entries, len(writer.footnotes), warnings)
    for problem in warnings:
        _warnings.warn(HallbardocsWarning(problem), stacklevel=2)
    runtime.after_render(tpl.rendered_size)
    return rendered


def template_variables(template: str | Path | bytes | None, kind: str) -> set[str]:
    """The top-level variables a template uses (to check it against what a document provides)."""
    from docxtpl import DocxTemplate

    content, _ = _template_bytes(template, kind)
    return set(DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables(jinja_env=_sandbox.environment(None)))
