"""The template check: every problem a Word template has, at once, before it is rendered.

``hallbardocs mall kontrollera`` and every render run this check. The tag checks are docxtpl-lint's
(the only user of docxtpl_lint; it reads the template as docxtpl does and places each finding in
its paragraph, table, row and cell); what it does not know is ours: the variables of the document
kind's context with a did-you-mean (HD521), Word's smart quotes inside tags (HD525), the styles the
renderer uses (HD526), the table of contents (HD527) and the accessibility basics of the template
itself (HD528-HD530).

Codes: HD520 a syntax error, HD521 an unknown variable, HD522 a ``{%p %}``/``{%tr %}``/``{%tc %}``
tag that is not alone, HD523 a block tag in the wrong place, HD524 a tag split across paragraphs or
cells (which the renderer cannot mend), and the warnings HD525-HD530.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from hallbardocs.errors import Location, Problem, TemplateError
from hallbardocs.render.ooxml import StyleMap
from hallbardocs.render.shape import LEAF, OPAQUE, ListShape, Shape, context_shape, sample_data, unknown_name

__all__ = [
    "LEAF",
    "OPAQUE",
    "ListShape",
    "Shape",
    "check_template",
    "checked",
    "context_shape",
    "straightened",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


# -- where a finding is ------------------------------------------------------------------------------

_PART_NAMES = {"header": "sidhuvud", "footer": "sidfot"}


@dataclass(frozen=True)
class _Paragraph:
    part: str
    index: int
    text: str
    cells: tuple[tuple[int, int, int], ...]


def _words(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _place(part: str, index: int, text: str, cells: Sequence[tuple[int, int, int]] = ()) -> str:
    """``i sidhuvud 1, i stycke 3 (”Här …”), tabell 2, rad 3, cell 1``."""
    where = []
    kind = re.sub(r"\d+$", "", part)
    if kind in _PART_NAMES:
        number = part[len(kind) :]
        where.append(f"i {_PART_NAMES[kind]} {number}".rstrip())
    elif kind == "footnotes":
        where.append("i fotnoterna")
    near = f" (”{_words(text)}”)" if text.strip() else ""
    where.append(f"i stycke {index}{near}")
    if cells:
        table, row, col = cells[-1]
        where.append(f"tabell {table}, rad {row}, cell {col}")
    return ", ".join(where)


# -- the checks --------------------------------------------------------------------------------------

_SYNTAX = {"DTL001", "DTL101", "DTL102", "DTL103", "DTL104", "DTL105", "DTL201", "DTL202"}
_MISPLACED = {"DTL003", "DTL203", "DTL204", "DTL205", "DTL206", "DTL207", "DTL208", "DTL210"}

_SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00bb": '"'})
_SMART_CHARS = re.compile("[\u2018\u2019\u201c\u201d\u201e\u00bb]")
_TAG_IN_TEXT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_TAG_IN_XML = re.compile(r"\{%(?:(?!%\}|</w:p>).)*%\}|\{\{(?:(?!\}\}|</w:p>).)*\}\}", re.DOTALL)  # within a paragraph

_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "self", "varargs", "kwargs", "caller"}

RENDERER_STYLES = (
    ("Normal", "Normal"),
    ("heading 1", "Rubrik 1"),
    ("heading 2", "Rubrik 2"),
    ("heading 3", "Rubrik 3"),
    ("List Bullet", "Punktlista"),
    ("List Bullet 2", "Punktlista 2"),
    ("List Number", "Numrerad lista"),
    ("List Number 2", "Numrerad lista 2"),
    ("Hyperlink", "Hyperlänk"),
    ("footnote text", "Fotnotstext"),
    ("footnote reference", "Fotnotsreferens"),
)
"""The styles the renderer's generated content uses (docs/templates.md), with their Swedish Word names."""
TOC_STYLES = (("toc 1", "Innehåll 1"), ("toc 2", "Innehåll 2"), ("toc 3", "Innehåll 3"))


def _lint(content: bytes, sample: Any) -> Any:
    import docxtpl_lint

    from hallbardocs.render import sandbox

    return docxtpl_lint.lint(content, sample, jinja_env=sandbox.environment(None), autoescape=True)


def _paragraphs(content: bytes) -> dict[tuple[str, int], _Paragraph]:
    from docxtpl_lint.reader import iter_paragraphs

    found: dict[tuple[str, int], _Paragraph] = {}
    for p in iter_paragraphs(io.BytesIO(content)):  # zipfile reads a file object as well as a path
        cells = tuple((c.table, c.row, c.col) for c in p.cells)
        found[(p.part, p.index)] = _Paragraph(p.part, p.index, p.text, cells)
    return found


def _issue_problems(
    result: Any, name: str, shape: Shape | None, kind: str, paragraphs: dict[tuple[str, int], _Paragraph]
) -> list[Problem]:
    out: list[Problem] = []
    where = Location(name)
    for issue in result.issues:
        loc = issue.location
        cells = tuple((c.table, c.row, c.col) for c in loc.cells)
        text = issue.snippet or ""
        paragraph = paragraphs.get((loc.part, loc.paragraph))
        place = _place(loc.part, loc.paragraph, paragraph.text if paragraph else "", cells)
        rule = issue.rule
        tag = f"”{_words(text, 60)}”" if text else "en tagg"
        problem: Problem | None = None
        if rule in _SYNTAX:
            problem = _syntax_problem(issue, tag, place, where)
        elif rule == "DTL301":
            problem = _unknown_name_problem(issue, tag, place, where, shape, kind)
        elif rule == "DTL106":
            message = f"Taggen {tag} {place} använder ”{issue.params.get('name', '')}” utanför den slinga där den finns."
            problem = Problem("HD521", message, where)
        elif rule == "DTL209":
            problem = _not_alone_problem(issue, text, tag, place, where)
        elif rule in _MISPLACED:
            problem = Problem("HD523", f"Taggen {tag} {place} {_MISPLACED_WHY[rule]}.", where)
        elif rule == "DTL002":
            end = issue.params.get("end_para", "")
            message = (
                f"Taggen {tag} {place} fortsätter till stycke {end}: en tagg som delas över flera stycken "
                "eller celler slår ihop dem (och deras format går förlorat). Skriv hela taggen i ett stycke."
            )
            problem = Problem("HD524", message, where)
        if problem is not None:
            out.append(problem)
    return out


_MISPLACED_WHY = {
    "DTL003": "står i en spårad ändring (borttagen text) som inte är godkänd; godkänn eller avvisa alla ändringar i Word",
    "DTL203": "är en {%tr %}- eller {%tc %}-tagg men står inte i en tabell",
    "DTL204": "stänger ett block som öppnades med ett annat prefix (p, tr, tc)",
    "DTL205": "hör till ett {%tr %}-block som börjar i en annan tabell",
    "DTL206": "öppnar och stänger ett {%tr %}-block i samma rad; lägg taggarna i var sin rad",
    "DTL207": "hör till ett {%tc %}-block som börjar i en annan rad",
    "DTL208": "fungerar bara i en tabellcell",
    "DTL210": "öppnar och stänger ett {%p %}-block i samma stycke; lägg taggarna i var sitt stycke",
}
"""Why a misplaced tag (HD523) does not work, by docxtpl-lint's rule."""


def _syntax_problem(issue: Any, tag: str, place: str, where: Location) -> Problem:
    """HD520: a tag that is written wrong."""
    detail = str(issue.params.get("msg", "")).strip()
    why = {
        "DTL001": "stängs aldrig",
        "DTL101": f"öppnar ett {{% {issue.params.get('kw', '')} %}}-block som aldrig stängs",
        "DTL102": "stänger ett block som aldrig öppnades",
        "DTL104": f"använder filtret ”{issue.params.get('name', '')}”, som inte finns",
        "DTL105": f"använder testet ”{issue.params.get('name', '')}”, som inte finns",
        "DTL201": "har % eller } i uttrycket, vilket inte går i en {%p %}-, {%tr %}-, {%tc %}- eller {{r }}-tagg; räkna fram värdet med {% set %} först",
        "DTL202": "har ett mellanslag före p, tr eller tc; skriv {%tr … utan mellanslag",
    }.get(issue.rule, "är felskriven")
    hint = f" Jinjas förklaring: ”{detail[:120]}”." if detail else ""
    return Problem("HD520", f"Taggen {tag} {place} {why}.{hint}", where)


def _unknown_name_problem(
    issue: Any, tag: str, place: str, where: Location, shape: Shape | None, kind: str
) -> Problem | None:
    """HD521: a tag that uses a name the document's data does not have (None: a name that is fine)."""
    path = str(issue.params.get("path", ""))
    names_used = [x.removesuffix("[*]") for x in path.split(".")]
    if names_used[0] in _GLOBALS or any(x.startswith("_") for x in names_used):
        return None  # Jinja's own helpers, and what the sandbox refuses itself (HD502)
    unknown = unknown_name(shape, path) if shape is not None else None
    if shape is not None and unknown is None:
        return None
    missing, names = unknown if unknown is not None else (path, [])
    close = difflib.get_close_matches(missing, names, n=1, cutoff=0.6)
    message = (
        f"Taggen {tag} {place} använder ”{path.replace('[*]', '[]')}”, men data för {kind} har inget "
        f"”{missing}” där. Se variablerna i docs/templates.md."
    )
    return Problem("HD521", message, where, suggestion=close[0] if close else None)


def _not_alone_problem(issue: Any, text: str, tag: str, place: str, where: Location) -> Problem:
    """HD522: a {%p %}, {%tr %} or {%tc %} tag that shares its paragraph, row or cell with text."""
    units = {"p": ("sitt stycke", "hela stycket"), "tr": ("sin tabellrad", "hela raden"), "tc": ("sin cell", "hela cellen")}
    prefix = re.match(r"\{%-?\s*(p|tr|tc)\b", text)
    own, whole = units.get(prefix.group(1) if prefix else "p", units["p"])
    rest = _words(str(issue.params.get("rest", "")), 40)
    message = (
        f"Taggen {tag} {place} står inte ensam i {own}: {whole} ersätts av taggen, så "
        f"”{rest}” bredvid den försvinner. Flytta texten till ett eget stycke."
    )
    return Problem("HD522", message, where)


def _part_roots(archive: zipfile.ZipFile) -> Iterator[tuple[str, etree._Element]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for info in archive.infolist():
        found = re.fullmatch(r"word/(document|header(\d*)|footer(\d*)|footnotes)\.xml", info.filename)
        if found is None:
            continue
        label = found.group(1)
        label = "body" if label == "document" else label
        try:
            yield label, etree.fromstring(archive.read(info), parser)
        except etree.XMLSyntaxError:
            continue  # the renderer's strict parse reports a broken part (HD501/HD502)


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def _has_toc(archive: zipfile.ZipFile) -> bool:
    try:
        xml = archive.read("word/document.xml")
    except KeyError:
        return False
    return re.search(rb"(<w:instrText[^>]*>\s*TOC\b|w:instr=\"\s*TOC\b)", xml) is not None


def _is_bold(run: etree._Element) -> bool:
    b = run.find(f"{_W}rPr/{_W}b")
    return b is not None and b.get(f"{_W}val") not in ("0", "false", "off")


def _structure_problems(archive: zipfile.ZipFile, name: str, kind: str, styles: StyleMap | None) -> list[Problem]:
    """Smart quotes in tags, missing styles, the table of contents, accessibility."""
    out: list[Problem] = []
    where = Location(name)
    for part, root in _part_roots(archive):
        paragraphs = list(root.iter(f"{_W}p"))
        for index, p in enumerate(paragraphs, start=1):
            text = _text(p)
            out.extend(_smart_quotes(part, index, text, where))
            if part == "body" and _looks_like_heading(p, text, styles):
                message = (
                    f"Stycke {index} (”{_words(text)}”) ser ut som en rubrik (fet text i formatet Normal) "
                    "men är ingen: skärmläsare och innehållsförteckningen hittar det inte. Ge det formatet Rubrik 1–3."
                )
                out.append(Problem("HD528", message, where, severity="varning"))
        out.extend(_pictures_without_text(part, root, paragraphs, where))
        out.extend(_tables_without_header(part, root, where))
    has_toc = _has_toc(archive)
    if styles is not None:
        needed = RENDERER_STYLES + (TOC_STYLES if has_toc else ())
        for style_name, swedish in needed:
            if styles.get(style_name) is None:
                message = (
                    f"Mallen saknar formatmallen ”{style_name}” (i svenska Word ”{swedish}”), som dokumentets "
                    "genererade text använder; den får formatet Normal i stället. Lägg till formatmallen i Word."
                )
                out.append(Problem("HD526", message, where, severity="varning"))
    if not has_toc and _default_has_toc(kind):
        message = (
            f"Mallen har ingen innehållsförteckning, som standardmallen för {kind} har; lägg in en i Word "
            "(Referenser → Innehållsförteckning), så fyller hallbardocs den."
        )
        out.append(Problem("HD527", message, where, severity="varning"))
    return out


def _smart_quotes(part: str, index: int, text: str, where: Location) -> list[Problem]:
    """HD525: the tags of a paragraph written with Word's smart quotes."""
    out: list[Problem] = []
    for tag in _TAG_IN_TEXT.findall(text):
        if _SMART_CHARS.search(tag):
            message = (
                f"Taggen ”{_words(tag, 60)}” {_place(part, index, text)} har typografiska citattecken "
                "(Words ”smarta citat”); skriv raka citattecken, eller kör ”hallbardocs mall kontrollera "
                "--laga”, som skriver en rättad kopia."
            )
            out.append(Problem("HD525", message, where, severity="varning"))
    return out


def _looks_like_heading(p: etree._Element, text: str, styles: StyleMap | None) -> bool:
    """A short body paragraph of bold text in the Normal style, not in a table: a heading in looks only."""
    if "{" in text or not text.strip() or len(text) > 80:
        return False
    headings = set(styles.heading_levels) if styles is not None else set()
    style = p.find(f"{_W}pPr/{_W}pStyle")
    style_id = style.get(f"{_W}val") if style is not None else None
    normal = styles.get("Normal") if styles is not None else "Normal"
    in_table = any(a.tag == f"{_W}tc" for a in p.iterancestors())
    if in_table or style_id not in (None, normal) or style_id in headings:
        return False
    runs = [r for r in p.iter(f"{_W}r") if (r.findtext(f"{_W}t") or "").strip()]
    return bool(runs) and all(_is_bold(r) for r in runs) and not text.rstrip().endswith((".", ":", ","))


def _pictures_without_text(
    part: str, root: etree._Element, paragraphs: list[etree._Element], where: Location
) -> list[Problem]:
    """HD529: pictures with neither an alternative text nor a title."""
    out: list[Problem] = []
    for number, picture in enumerate(root.iter(f"{_WP}docPr"), start=1):
        if not (picture.get("descr") or "").strip() and not (picture.get("title") or "").strip():
            owner = next((a for a in picture.iterancestors(f"{_W}p")), None)
            text = _text(owner) if owner is not None else ""
            index = paragraphs.index(owner) + 1 if owner is not None and owner in paragraphs else 0
            message = (
                f"Bild {number} {_place(part, index, text)} saknar alternativtext: skärmläsare kan inte säga "
                "vad den visar. Skriv en i Word (Högerklicka → Visa alternativtext), eller markera den som dekorativ."
            )
            out.append(Problem("HD529", message, where, severity="varning"))
    return out


def _tables_without_header(part: str, root: etree._Element, where: Location) -> list[Problem]:
    """HD530: tables of three columns or more whose first row is not marked as a header row."""
    out: list[Problem] = []
    for number, table in enumerate(root.iter(f"{_W}tbl"), start=1):
        first = table.find(f"{_W}tr")
        columns = len(first.findall(f"{_W}tc")) if first is not None else 0  # two: a label and its value
        if first is None or columns < 3 or first.find(f"{_W}trPr/{_W}tblHeader") is not None:
            continue
        message = (
            f"Tabell {number}{' i ' + part if part != 'body' else ''} har ingen markerad rubrikrad: skärmläsare "
            "kan inte säga vilken kolumn en cell hör till. Markera första raden som rubrikrad i Word "
            "(Tabellegenskaper → Rad → Upprepa som rubrikrad)."
        )
        out.append(Problem("HD530", message, where, severity="varning"))
    return out


_DEFAULT_TOC: dict[str, bool] = {}


def _default_has_toc(kind: str) -> bool:
    """Whether the kind's shipped default template has a table of contents (then its kind expects one)."""
    if kind not in _DEFAULT_TOC:
        from hallbardocs.render import default_template

        path = default_template(kind)
        try:
            with zipfile.ZipFile(path) as archive:
                _DEFAULT_TOC[kind] = _has_toc(archive)
        except (OSError, zipfile.BadZipFile):
            _DEFAULT_TOC[kind] = False
    return _DEFAULT_TOC[kind]


def check_template(content: bytes, name: str, *, kind: str, shape: Shape | None = None) -> list[Problem]:
    """Every problem of the template ``content`` (a .docx's bytes, checked by
    :func:`~hallbardocs.render.package.checked_package`) for a document of ``kind`` whose context has
    ``shape`` (``None``: the variables are not checked). Errors first where they stand, then warnings."""
    from hallbardocs.render import package

    content = package.checked_package(content, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        styles_xml = archive.read("word/styles.xml") if "word/styles.xml" in archive.namelist() else None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise TemplateError(Problem("HD501", "Mallen är inget Word-dokument (.docx).", Location(name))) from None
    styles: StyleMap | None = None
    if styles_xml is not None:
        try:
            styles = StyleMap(etree.fromstring(styles_xml, etree.XMLParser(resolve_entities=False, no_network=True)))
        except etree.XMLSyntaxError:
            styles = None
    try:
        result = _lint(content, sample_data(shape) if shape is not None else None)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError) as exc:
        message = f"Mallen kunde inte läsas: den är inget giltigt Word-dokument (”{str(exc)[:120]}”)."
        raise TemplateError(Problem("HD501", message, Location(name))) from None
    order = {"body": 0, "header": 1, "footer": 2, "footnotes": 3}
    issues = sorted(
        result.issues,
        key=lambda i: (order.get(re.sub(r"\d+$", "", i.location.part), 4), i.location.part, i.location.paragraph),
    )
    result.issues = issues  # in document order, whichever check found them
    problems = _issue_problems(result, name, shape, kind, _paragraphs(content) if issues else {})
    problems += _structure_problems(archive, name, kind, styles)
    return problems


_CHECKED: dict[tuple[str, str], list[Problem]] = {}
_CHECKED_LIMIT = 64


def checked(content: bytes, name: str, kind: str, context: Mapping[str, Any]) -> list[Problem]:
    """The check a render runs first: raises :class:`TemplateError` with every problem (warnings
    too) if the template has errors, else returns its warnings, which a render leaves to
    ``mall kontrollera``. Checked once per template and kind (the context's shape is taken from the
    first context seen)."""
    key = (hashlib.sha256(content).hexdigest(), kind)
    problems = _CHECKED.get(key)
    if problems is None:
        problems = check_template(content, name, kind=kind, shape=context_shape(context))
        if len(_CHECKED) >= _CHECKED_LIMIT:
            _CHECKED.pop(next(iter(_CHECKED)))
        _CHECKED[key] = problems
    problems = [p if p.location is None or p.location.file == name else _renamed(p, name) for p in problems]
    if any(p.is_error for p in problems):
        raise TemplateError(problems)
    return problems


def _renamed(problem: Problem, name: str) -> Problem:
    from dataclasses import replace

    assert problem.location is not None
    return replace(problem, location=replace(problem.location, file=name))


def straightened(content: bytes) -> tuple[bytes, int]:
    """The template with Word's smart quotes inside its tags made straight, and how many tags changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    changed = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        tag = match.group(0)
        if _SMART_CHARS.search(tag):
            changed += 1
            return tag.translate(_SMART)
        return tag

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes)\.xml", info.filename):
                data = _TAG_IN_XML.sub(fix, data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue(), changed
