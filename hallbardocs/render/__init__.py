"""Rendering a context into a Word template (docxtpl, through :mod:`hallbardocs.render.adapter`).

Jinja runs sandboxed, autoescaped and strict: template authors cannot run code, user text can never
become template code or break the XML, and a misspelt variable is an error instead of a blank.
Values of our own types become WordprocessingML on the way out (Jinja's ``finalize``): rich text,
focus-area labels, images, and text with line breaks.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings as _warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Undefined
from markupsafe import Markup  # Jinja's own dependency: imported once, not for every value printed

from hallbardocs import runtime
from hallbardocs.content import DocumentProperties, Image, Labels
from hallbardocs.errors import HallbardocsWarning, Location, Problem, TemplateError
from hallbardocs.files import IMAGE_LIMIT, TEMPLATE_LIMIT, UnreadableFile, read_user_file
from hallbardocs.render import adapter, parts, problems
from hallbardocs.render import lint as _lint
from hallbardocs.render import package as _package
from hallbardocs.render import sandbox as _sandbox
from hallbardocs.render.ooxml import NEEDS_MARKUP, StyleMap, Writer, fill_table_of_contents, line_broken
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
_DECORATIVE = (
    '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)


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


@dataclass
class RenderedDocument:
    """A rendered document in memory: ``to_bytes()`` is the .docx, ``to_pdf()`` the PDF, ``save(path)`` writes either."""

    document: DocxDocument
    toc_entries: int = 0
    footnotes: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def to_pdf(self, *, pdfa: bool = False) -> bytes:
        """The document as a tagged PDF (PDF/A-2 with ``pdfa``), laid out by LibreOffice with every
        field and index updated; no file is written but LibreOffice's own temporary ones."""
        from hallbardocs.publish import pdf_bytes

        return pdf_bytes(self, pdfa=pdfa)

    def save(self, path: str | Path, *, pdfa: bool = False, inputs: Iterable[str | Path] = ()) -> Path:
        """Write the document atomically in the format the suffix of ``path`` names (.docx, .pdf);
        see :func:`hallbardocs.publish.save`."""
        from hallbardocs.publish import save

        return save(self, path, pdfa=pdfa, inputs=inputs)


def _damaged_package_errors() -> tuple[type[BaseException], ...]:
    import zipfile

    from docx.opc.exceptions import OpcError
    from lxml.etree import XMLSyntaxError

    return (OpcError, KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, XMLSyntaxError, OSError, EOFError)


_PRINTABLE = (int, float, Decimal, dt.date, list, tuple, dict, range, type(None))
"""What a template may print besides text and our own values (the rest would show Python's insides)."""


class _Session:
    """What one render needs: the template, its styles, and the XML writer."""

    def __init__(self, tpl: Any) -> None:
        docx = tpl.get_docx()
        self.tpl = tpl
        self.styles = StyleMap(docx.styles.element)
        self.writer = Writer(self.styles, tpl.build_url_id)
        footnotes = parts.footnotes_part(docx)
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
        if isinstance(image.source, bytes):
            data = image.source
        else:  # the logo: checked by validation, read here the same safe way
            try:
                data = read_user_file(image.source, IMAGE_LIMIT)
            except UnreadableFile as exc:
                raise TemplateError(
                    Problem("HD402", f"Logotypen kunde inte läsas: {exc.reason}.", Location(str(image.source)))
                ) from None
        xml = adapter.inline_image(self.tpl, data, image.width_mm)
        from xml.sax.saxutils import quoteattr

        if image.alt_text:
            return re.sub(
                r"(<wp:docPr [^>]*?)(/?>)",
                lambda m: f"{m.group(1)} descr={quoteattr(image.alt_text)}{m.group(2)}",
                xml,
                count=1,
            )
        # A decorative image: no alt text, and Word's mark that says so (Office 2019's extension
        # of the drawing's properties), so the accessibility review and Word's checker pass it.
        return re.sub(r"(<wp:docPr [^>]*?)/>", lambda m: f"{m.group(1)}>{_DECORATIVE}</wp:docPr>", xml, count=1)


def preload() -> None:
    """Import the rendering machinery now (a batch may do this before it freezes the GC)."""
    adapter.template_class()
    import hallbardocs.formatting  # noqa: F401


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
    external links), and for a template of one's own what the accessibility review finds in the
    made document (HD540–HD550, as warnings), is in the result's ``warnings`` and is also issued as
    a :class:`~hallbardocs.errors.HallbardocsWarning`.
    """
    from jinja2 import TemplateError as JinjaTemplateError

    content, name = _template_bytes(template, kind)
    content = _package.checked_package(content, name)
    shipped = _shipped(template, kind)
    if not shipped:  # a template with errors: every problem at once, before it runs (the shipped ones are checked by the tests)
        _lint.checked(content, name, kind, context)
    template_class = adapter.template_class()
    try:
        tpl = template_class(io.BytesIO(content))
        tpl.source_name = name
        docx = tpl.get_docx()
    except _damaged_package_errors() as exc:  # python-docx raises several kinds for a damaged package
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        message = f"Mallen kunde inte öppnas: den är inget giltigt Word-dokument (”{reason[:120]}”)."
        raise TemplateError(Problem("HD501", message, Location(name))) from None
    warnings = _package.strip_package(docx, name)
    runtime.before_render()  # docxtpl and python-docx are imported now
    session = _Session(tpl)
    env = adapter.shared_environment()
    token = adapter.SESSION.set(session)
    try:
        with _sandbox.budget(limits or RenderLimits()):
            tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateError:
        raise
    except (JinjaTemplateError, _sandbox.BudgetExceeded, _sandbox.FilterError, _sandbox.NotAValue) as exc:
        raise problems.template_error(exc, name, tpl) from None
    except problems.TEMPLATE_FAULTS as exc:
        if _sandbox.template_line(exc) is None and not isinstance(exc, RecursionError | MemoryError):
            raise  # not raised by the template's code: a bug of ours, which must not pass as the user's
        raise problems.template_error(exc, name, tpl) from None
    finally:
        adapter.SESSION.reset(token)
    docx = tpl.docx
    writer = session.writer
    if writer.footnotes:
        parts.append_footnotes(docx, writer.footnotes)
    warnings += parts.append_numbering(docx, writer.restarted_lists, name)
    entries = fill_table_of_contents(docx.element.body, session.styles)
    if entries:
        parts.request_field_update(docx)
    parts.set_language(docx, properties.language)
    parts.set_properties(docx, properties)
    if not shipped:
        warnings += _template_accessibility(docx, name)
    rendered = RenderedDocument(docx, entries, len(writer.footnotes), warnings)
    for problem in warnings:
        _warnings.warn(HallbardocsWarning(problem), stacklevel=2)
    runtime.after_render(tpl.rendered_size)
    return rendered


def _shipped(template: str | Path | bytes | None, kind: str) -> bool:
    """Whether ``template`` is the shipped default of ``kind`` (None, or its path)."""
    if template is None:
        return True
    if isinstance(template, bytes):
        return False
    try:
        return Path(template).resolve() == default_template(kind).resolve()
    except OSError:  # pragma: no cover - a path that cannot be resolved is not ours
        return False


def _template_accessibility(docx: DocxDocument, name: str) -> list[Problem]:
    """What the accessibility review finds in a document made with a municipality's own template,
    as warnings located in the template's name (the places are the made document's).

    The shipped templates are reviewed by the test suite instead: the review costs several times
    a render (docs/accessibility.md), which a default document need not pay on every run."""
    from dataclasses import replace

    from hallbardocs.render.review import review_docx

    found = []
    for problem in review_docx(docx, name):
        where = problem.location
        if where is not None and where.place is not None:
            where = replace(where, place=f"i det skapade dokumentet, {where.place}")
        found.append(replace(problem, severity="varning", location=where))
    return found


def template_variables(template: str | Path | bytes | None, kind: str) -> set[str]:
    """The top-level variables a template uses (to check it against what a document provides)."""
    content, _ = _template_bytes(template, kind)
    return adapter.undeclared_variables(content)
