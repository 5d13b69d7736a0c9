"""Hostile and broken templates: the sandbox holds through every value of the context, a template's
runtime errors are coded with their place, rendering has a budget, and a template package cannot
smuggle macros, self-opening links or a zip bomb into the output.

Every hostile template is built here, from python-docx's blank document or from the shipped
default. ``\\xa0`` is the no-break space.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from lxml import etree

from hallbardocs import TemplateError, load_followup, load_plan, render_handlingsplan
from hallbardocs.analysis import analyse
from hallbardocs.charts import draw
from hallbardocs.cli import main
from hallbardocs.content import DocumentProperties
from hallbardocs.documents import handlingsplan, miljobokslut, tjansteskrivelse
from hallbardocs.errors import HallbardocsWarning
from hallbardocs.model.plan import Plan
from hallbardocs.render import RenderedDocument, RenderLimits, default_template, render
from hallbardocs.render.sandbox import OPAQUE_TYPES, not_plain_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROPERTIES = DocumentProperties(title="Prov", author="Lindåsa kommun")
BOUND = 20.0  # seconds: generous, for a loaded two-core machine


# ----------------------------------------------------------------------------------- helpers


def make_template(tmp_path: Path, *paragraphs: str, name: str = "mall.docx") -> Path:
    """A template of one paragraph per given text, on python-docx's blank document."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / name
    document.save(str(path))
    return path


def rewrite_zip(source: Path, target: Path, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes]) -> Path:
    """A copy of a .docx with each part passed through ``change`` (None drops it) and ``add`` added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
        for name, data in add.items():
            new.writestr(name, data)
    return target


def texts(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(EXAMPLES / "handlingsplan.yaml")


@pytest.fixture(scope="module")
def contexts(plan: Plan) -> dict[str, dict[str, Any]]:
    """The context of every document kind for the shipped example (charts drawn once)."""
    followup = load_followup(EXAMPLES / "uppfoljning.yaml", plan)
    analysis = analyse(plan, followup)
    return {
        "handlingsplan": handlingsplan.build_context(plan),
        "miljobokslut": miljobokslut.build_context(analysis, draw(analysis)),
        "tjansteskrivelse": tjansteskrivelse.build_context(analysis),
    }


def refused(context: dict[str, Any], template: Path | bytes, **kwargs: Any) -> TemplateError:
    with pytest.raises(TemplateError) as raised:
        render(context, PROPERTIES, kind="handlingsplan", template=template, **kwargs)
    return raised.value


# ------------------------------------------------------------------------- 1. plain data only


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")


@pytest.mark.parametrize("kind", ["handlingsplan", "miljobokslut", "tjansteskrivelse"])
def test_every_context_holds_only_plain_data_and_our_opaque_values(
    contexts: dict[str, dict[str, Any]], kind: str
) -> None:
    context = contexts[kind]

    assert not_plain_data(context) == []
    seen = {type(value) for _, value in walk(context)}
    assert seen - {str, int, float, bool, type(None), dict, list, tuple} <= set(OPAQUE_TYPES)


def test_the_plain_data_walk_finds_a_path_or_a_live_object_anywhere() -> None:
    assert not_plain_data({"a": [{"b": Path("/etc/passwd")}], "c": (open,)}) == ["a[0].b", "c[0]"]


def opaque_paths(context: dict[str, Any]) -> dict[str, str]:
    """The first template expression for each kind of opaque value in the context (image, rich
    text, labels; a chart is an image)."""
    found: dict[str, str] = {}
    for path, value in walk(context):
        if isinstance(value, OPAQUE_TYPES):
            found.setdefault("chart" if "diagram" in path else type(value).__name__, path)
    return found


PAYLOADS = [
    "{{ X.source.joinpath(CANARY).read_text() }}",
    "{{ X.source.joinpath(CANARY).write_text('skrivet') }}",
    "{{ X.source.joinpath(CANARY).unlink() }}",
    "{{ (X|attr('source')).read_bytes() }}",
    "{{ X.png }}",
    "{{ X.items[0].text.__class__ }}",
    "{{ X.blocks }}",
    "{{ X.__class__.__init__.__globals__ }}",
    "{{ X.__reduce_ex__(2) }}",
    "{% for b in X.blocks %}{{ b }}{% endfor %}",
]


EXPECTED_KINDS = {
    "handlingsplan": {"Image", "Labels", "RichText"},
    "miljobokslut": {"Image", "Labels", "chart"},
    "tjansteskrivelse": {"RichText"},
}


@pytest.mark.parametrize("kind", ["handlingsplan", "miljobokslut", "tjansteskrivelse"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_through_an_opaque_value_reaches_the_disk_or_python(
    contexts: dict[str, dict[str, Any]], kind: str, payload: str, tmp_path: Path
) -> None:
    canary = tmp_path / "hemlig.txt"
    canary.write_text("HEMLIGT", encoding="utf-8")
    context = contexts[kind]
    kinds = opaque_paths(context)
    assert EXPECTED_KINDS[kind] <= set(kinds), kinds

    for path in kinds.values():
        expression = payload.replace("X", path).replace("CANARY", repr(str(canary)))
        template = make_template(tmp_path, f"Före {expression} efter")
        error = refused(context, template)
        assert error.problem.code in {"HD502", "HD503", "HD504"}, (expression, error.problem)
        assert canary.read_text(encoding="utf-8") == "HEMLIGT"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hemlig.txt", "mall.docx"]


def test_an_opaque_value_joined_into_text_shows_no_path(contexts: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    template = make_template(tmp_path, "Logga: {{ kommun.logotyp ~ '' }}")

    text = texts(render(contexts["handlingsplan"], PROPERTIES, kind="handlingsplan", template=template).to_bytes())

    assert "Logga: " in text
    assert "logga.png" not in text and "/" not in text.split("Logga: ")[1]


def test_the_context_cannot_be_changed_by_a_template(contexts: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    context = contexts["handlingsplan"]
    before = len(context["åtgärder"])
    for expression in ("{{ åtgärder.append(1) }}", "{{ kommun.update({'namn': 'x'}) }}", "{{ åtgärder.pop() }}"):
        error = refused(context, make_template(tmp_path, expression))
        assert error.problem.code == "HD502"
    assert len(context["åtgärder"]) == before


def test_a_refused_attribute_is_reported_with_its_paragraph(contexts: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    template = make_template(tmp_path, "Rubrik", "Andra stycket", "Här {{ kommun.logotyp.source }} slut")

    error = refused(contexts["handlingsplan"], template)

    assert error.problem.code == "HD502"
    assert "i stycke 3 (”Här {{ kommun.logotyp.source }} slut”)" in error.problem.message


# --------------------------------------------------------------- 1b. what a package may bring


def hostile_package(tmp_path: Path) -> Path:
    """The default template with a vbaProject, a remote attachedTemplate, a UNC link, a file:// link,
    a linked picture's relationship and one honest web link."""
    source = default_template("handlingsplan")
    rels = {
        "rIdVba": ("http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin", None),
        "rIdFile": (f"{R}/hyperlink", "file:///etc/passwd", "External"),
        "rIdUnc": (f"{R}/hyperlink", "\\\\angripare\\dela\\x.docx", "External"),
        "rIdWeb": (f"{R}/hyperlink", "https://www.lindasa.se/", "External"),
        "rIdPic": (f"{R}/image", "http://angripare.example/spar.png", "External"),
    }

    def change(name: str, data: bytes) -> bytes | None:
        if name == "word/_rels/document.xml.rels":
            extra = "".join(
                f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"'
                + (f' TargetMode="{mode}"' if mode else "")
                + "/>"
                for rid, (kind, target, mode) in rels.items()
            )
            return data.replace(b"</Relationships>", extra.replace("\\", "&#92;").encode() + b"</Relationships>")
        if name == "word/document.xml":
            links = "".join(
                f'<w:p><w:hyperlink r:id="{rid}"><w:r><w:t>Länk {rid}</w:t></w:r></w:hyperlink></w:p>'
                for rid in ("rIdFile", "rIdUnc", "rIdWeb")
            )
            return re.sub(rb"(<w:body>)", rb"\1" + links.encode(), data, count=1)
        if name == "word/settings.xml":  # the default template's settings declare the r: prefix
            return re.sub(rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate r:id="rIdTpl"/>', data, count=1)
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return data

    settings_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdTpl" Type="{R}/attachedTemplate" Target="http://angripare.example/mall.dotm" '
        'TargetMode="External"/></Relationships>'
    )
    return rewrite_zip(
        source,
        tmp_path / "fientlig.docx",
        change,
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 makro", "word/_rels/settings.xml.rels": settings_rels.encode()},
    )


def test_macros_and_self_opening_links_are_removed_with_warnings(
    plan: Plan, tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    template = hostile_package(tmp_path)

    with pytest.warns(HallbardocsWarning) as issued:
        rendered: RenderedDocument = render_handlingsplan(plan, template=template)
    out = tmp_path / "ut.docx"
    out.write_bytes(rendered.to_bytes())

    codes = [w.message.problem.code for w in issued.list if isinstance(w.message, HallbardocsWarning)]
    # An own template is also reviewed for accessibility (HD540-HD559 warnings, tests/test_accessibility.py).
    assert {code for code in codes if not "HD540" <= code <= "HD559"} == {"HD507"}
    messages = " ".join(p.message for p in rendered.warnings)
    for what in ("makroprojekt", "file:///etc/passwd", "angripare", "dokumentmallen", "image"):
        assert what in messages
    with zipfile.ZipFile(out) as written:
        names = written.namelist()
        everything = b"".join(written.read(n) for n in names if n.endswith((".xml", ".rels")))
    assert not any("vbaProject" in n for n in names)
    for gone in (b"vbaProject", b"file:///etc/passwd", b"angripare", b"attachedTemplate"):
        assert gone not in everything
    assert b"https://www.lindasa.se/" in everything
    body = texts(out.read_bytes())
    assert "Länk rIdFile" in body and "Länk rIdWeb" in body  # the links' text stays
    ooxml_validate(out)


def test_a_macro_enabled_or_word_template_file_is_read_as_the_document_it_holds(plan: Plan, tmp_path: Path) -> None:
    source = default_template("handlingsplan")
    for declared in (
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ):

        def change(name: str, data: bytes, declared: bytes = declared) -> bytes:
            if name == "[Content_Types].xml":
                return data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", declared
                )
            return data

        template = rewrite_zip(source, tmp_path / "mall.dotx", change, {})
        data = render_handlingsplan(plan, template=template).to_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as written:
            types = written.read("[Content_Types].xml")
        assert b"document.main+xml" in types and declared not in types


def test_a_zip_bomb_template_is_refused_before_it_is_unpacked(plan: Plan, tmp_path: Path) -> None:
    source = default_template("handlingsplan")
    template = tmp_path / "bomb.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        with new.open("word/media/stor.bin", "w") as part:  # 150 MiB of zeros, about 150 KB packed
            block = bytes(1024 * 1024)
            for _ in range(150):
                part.write(block)
    assert template.stat().st_size < 2_000_000

    started = time.monotonic()
    with pytest.raises(TemplateError) as raised:
        render_handlingsplan(plan, template=template)

    assert time.monotonic() - started < BOUND
    assert raised.value.problem.code == "HD506"
    assert "word/media/stor.bin" in raised.value.problem.message
    assert "150\xa0MiB" in raised.value.problem.message


# ----------------------------------------------------------------------- 2. coded runtime errors


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{{ total_kostnad | kronor }}", "kan inte formatera texten ”33\xa0680\xa0000\xa0kr”; det tar ett tal"),
        ("{{ titel | datum }}", "kan inte formatera texten ”Handlingsplan till miljöstrategin för 20”; det tar ett datum"),
        ("{{ 1/0 }}", "delar med noll"),
        ('{{ "a" + 1 }}', "blandar värden av olika slag"),
        ("{% include 'annan.docx' %}", "{% include %}"),
        ("{% import 'makron' as m %}", "{% include %}"),
        ("{% extends 'bas' %}", "{% include %}"),
        ("{{ åtgärder[10000] }}", "men listan är kortare"),
        ("{% for a, b in titel %}{% endfor %}", "Mallen"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "för många gånger"),
    ],
)
def test_a_template_error_at_run_time_is_coded_and_names_its_paragraph(
    contexts: dict[str, dict[str, Any]], tmp_path: Path, expression: str, expected: str
) -> None:
    template = make_template(tmp_path, "Inledning", f"Summa: {expression}")

    error = refused(contexts["handlingsplan"], template)

    assert error.problem.code in {"HD503", "HD504"}
    assert expected in error.problem.message
    assert "i stycke 2 (”Summa:" in error.problem.message
    assert error.problem.location is not None and error.problem.location.file == str(template)


def test_a_runtime_error_in_the_page_header_says_so(contexts: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("Text")
    document.sections[0].header.paragraphs[0].text = "{{ 1/0 }}"
    template = tmp_path / "mall.docx"
    document.save(str(template))

    error = refused(contexts["handlingsplan"], template)

    assert error.problem.code == "HD504"
    assert "i ett sidhuvud" in error.problem.message


def test_a_template_without_numbering_renders_numbered_lists_unnumbered_with_a_warning(
    contexts: dict[str, dict[str, Any]], tmp_path: Path, ooxml_validate: Callable[[Path], None]
) -> None:
    blank = make_template(tmp_path, "{{p kapitel[0].text }}", name="blank.docx")

    def change(name: str, data: bytes) -> bytes | None:
        if name == "word/numbering.xml":
            return None
        if name == "word/_rels/document.xml.rels":
            return re.sub(rb"<Relationship [^>]*numbering\.xml\"/>", b"", data)
        if name == "[Content_Types].xml":
            return re.sub(rb"<Override [^>]*numbering\.xml\"[^>]*/>", b"", data)
        return data

    template = rewrite_zip(blank, tmp_path / "utan-numrering.docx", change, {})
    context = dict(contexts["handlingsplan"])
    context["kapitel"] = [{"rubrik": "R", "text": __import__("hallbardocs.richtext").richtext.parse("1. ett\n2. två")}]

    with pytest.warns(HallbardocsWarning):
        rendered = render(context, PROPERTIES, kind="handlingsplan", template=template)

    assert [p.code for p in rendered.warnings] == ["HD508"]
    out = tmp_path / "ut.docx"
    out.write_bytes(rendered.to_bytes())
    assert "ett" in texts(out.read_bytes()) and "två" in texts(out.read_bytes())
    ooxml_validate(out)


# -------------------------------------------------------------------------------- 2b. budget


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{{ 10 ** (10 ** 10) }}", "blir för stort"),
        ("{{ 'x' * 10**9 }}", "upprepar en text"),
        ("{{ [1, 2] * 10**9 }}", "upprepar en text eller lista"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "varv"),
        ("{% for a in åtgärder %}{% for b in range(99999) %}{% for c in range(99) %}{% endfor %}{% endfor %}{% endfor %}", "varv"),
        ("{{ 'x'.ljust(10**9) }}", "bredd"),
        ("{{ '%999999999d' | format(1) }}", "bredd"),
        ("{{ '{:>999999999}'.format(1) }}", "bredd"),
        ("{{ 'x' | center(10**9) }}", "för stort"),
        ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "tecken"),
        ("{% for i in range(100000) %}{{ 'x' * 9999 }}{% endfor %}", "dokumentet blev större"),
    ],
)
def test_a_template_that_would_run_away_is_stopped_by_its_budget(
    contexts: dict[str, dict[str, Any]], tmp_path: Path, expression: str, expected: str
) -> None:
    template = make_template(tmp_path, expression)

    started = time.monotonic()
    error = refused(contexts["handlingsplan"], template)

    assert time.monotonic() - started < BOUND
    assert error.problem.code == "HD505", error.problem
    assert expected in error.problem.message
    assert "i stycke 1" in error.problem.message or "dokumentet blev större" in expected


def test_the_time_limit_stops_a_slow_template(contexts: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    template = make_template(tmp_path, "{% for i in range(100000) %}{% for j in range(50) %}{{ j }}{% endfor %}{% endfor %}")

    error = refused(contexts["handlingsplan"], template, limits=RenderLimits(max_seconds=0.2))

    assert error.problem.code == "HD505"
    assert "0.2 sekunder" in error.problem.message or "0,2 sekunder" in error.problem.message


def test_the_default_budget_is_ample_for_a_large_plan(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    from hallbardocs import plan_from_data

    large = plan_from_data(generate.generate_plan(600), base_dir=EXAMPLES)

    data = render_handlingsplan(large).to_bytes()

    assert data.startswith(b"PK")


def test_the_command_line_reports_a_runaway_template_without_writing(tmp_path: Path, capsys: Any) -> None:
    template = make_template(tmp_path, "{{ 10 ** (10 ** 10) }}")
    out = tmp_path / "ut.docx"

    status = main(["handlingsplan", str(EXAMPLES / "handlingsplan.yaml"), "-o", str(out), "--template", str(template)])

    assert status == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "fel HD505" in err and "Traceback" not in err


def test_a_warning_from_the_template_is_printed_by_the_command_line(tmp_path: Path, capsys: Any) -> None:
    template = hostile_package(tmp_path)
    out = tmp_path / "ut.docx"

    status = main(["handlingsplan", str(EXAMPLES / "handlingsplan.yaml"), "-o", str(out), "--template", str(template)])

    assert status == 0 and out.is_file()
    err = capsys.readouterr().err
    assert err.count("varning HD507") >= 3


def test_the_budget_leaves_the_shipped_templates_untouched(contexts: dict[str, dict[str, Any]]) -> None:
    for kind, context in contexts.items():
        rendered = render(context, PROPERTIES, kind=kind)
        assert rendered.warnings == []
        assert etree.fromstring(rendered.document.element.xml.encode()) is not None
    assert os.environ.get("HALLBARDOCS_NO_SUCH_VARIABLE") is None
