"""A property over template snippets: whatever tags, filters, expressions and attribute chains a
template holds, rendering ends in a coded template problem or in a valid document; never in a
traceback, and never with the disk touched.

The snippets are drawn from our documented set (the tags of docs/templates.md, our Swedish filters
and Jinja's common ones, Python operators) over every value of the example's context, with attribute
names that an attacker would try. The run is derandomised (the same examples every time) and bounded;
``HYPOTHESIS_PROFILE=lång`` runs many more examples locally.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hallbardocs import TemplateError, load_plan
from hallbardocs.content import DocumentProperties
from hallbardocs.documents import handlingsplan
from hallbardocs.formatting import FILTERS
from hallbardocs.render import render

ROOT = Path(__file__).resolve().parents[1]
CANARY = Path(__file__).resolve().parent / "fixtures" / "kanariefågel.txt"

settings.register_profile("ci", max_examples=250, derandomize=True, deadline=None)
settings.register_profile("lång", max_examples=5000, deadline=None)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # large reprs of the context


def paths(value: Any, path: str, depth: int) -> list[str]:
    """Jinja expressions for the values of the context, up to ``depth`` steps deep."""
    found = [path] if path else []
    if depth == 0:
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, f"{path}.{key}" if path else key, depth - 1)
    elif isinstance(value, list) and value:
        found += paths(value[0], f"{path}[0]", depth - 1)
    return found


CONTEXT = handlingsplan.build_context(load_plan(ROOT / "examples" / "handlingsplan.yaml"))
PATHS = sorted(set(paths(CONTEXT, "", 4)))
ATTRIBUTES = [
    "__class__", "__init__", "__globals__", "__mro__", "__subclasses__", "__dict__", "source", "items",
    "keys", "values", "upper", "split", "format", "read_text", "write_text", "joinpath", "png", "blocks",
    "text", "fill", "alt_text", "width_mm", "append", "pop", "namn", "rubrik", "0", "real", "gi_frame",
]
FILTER_NAMES = [*FILTERS, "length", "upper", "first", "last", "list", "sort", "string", "int", "float",
                "round", "join", "default('–')", "attr('source')", "attr('__class__')", "map('upper')",
                "selectattr('namn')", "batch(2)", "center(20)", "indent(4)", "format(1)", "reverse",
                "unique", "sum", "abs", "safe", "e", "tojson", "wordcount", "truncate(10)"]
LITERALS = ["0", "1", "-1", "2.5", "10", "10 ** 10", "'x'", "'%s'", "''", "[]", "[1, 2]", "{}", "none",
            "true", "'{{ titel }}'", "'<w:p/>'", "'&'", "range(3)", "namespace(a=1)", "cycler(1, 2)"]
OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "~", "==", "<", "and", "or", "in"]

atoms = st.one_of(
    st.sampled_from(PATHS),
    st.builds(lambda p, a: f"{p}.{a}" if not a.isdigit() else f"{p}[{a}]", st.sampled_from(PATHS),
              st.sampled_from(ATTRIBUTES)),
    st.sampled_from(LITERALS),
)
expressions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda e, f: f"({e})|{f}", inner, st.sampled_from(FILTER_NAMES)),
        st.builds(lambda a, o, b: f"({a}) {o} ({b})", inner, st.sampled_from(OPERATORS), inner),
        st.builds(lambda e, a: f"({e}).{a}", inner, st.sampled_from(ATTRIBUTES)),
        st.builds(lambda e: f"({e})()", inner),
    ),
    max_leaves=4,
)
snippets = st.one_of(
    st.builds(lambda e: f"{{{{ {e} }}}}", expressions),
    st.builds(lambda e: f"{{% if {e} %}}ja{{% else %}}nej{{% endif %}}", expressions),
    st.builds(lambda e: f"{{% for x in {e} %}}[{{{{ x }}}}]{{% endfor %}}", expressions),
    st.builds(lambda e: f"{{% set y = {e} %}}{{{{ y }}}}", expressions),
    st.builds(lambda e: f"{{% for x in {e} %}}{{% for z in {e} %}}.{{% endfor %}}{{% endfor %}}", expressions),
)

CODES = {"HD502", "HD503", "HD504", "HD505", "HD520", "HD521", "HD522", "HD523", "HD524"}
PROPERTIES = DocumentProperties(title="Prov", author="Lindåsa kommun")
RESULTS = {"rendered": 0, "refused": 0}


def template_with(snippet: str) -> bytes:
    document = Document()
    document.add_paragraph("Före")
    document.add_paragraph(f"Text {snippet} slut")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def canary() -> Any:
    CANARY.write_text("orörd", encoding="utf-8")
    yield
    assert CANARY.read_text(encoding="utf-8") == "orörd"
    CANARY.unlink()


@settings(settings.get_profile(PROFILE), suppress_health_check=[HealthCheck.too_slow])
@given(snippet=snippets)
def test_any_snippet_gives_a_coded_problem_or_a_valid_document(snippet: str) -> None:
    snippet = snippet.replace("CANARY", repr(str(CANARY)))
    try:
        rendered = render(CONTEXT, PROPERTIES, kind="handlingsplan", template=template_with(snippet))
    except TemplateError as error:
        RESULTS["refused"] += 1
        assert error.problem.code in CODES, (snippet, error.problem)
        assert "Traceback" not in error.problem.message
        return
    RESULTS["rendered"] += 1
    data = rendered.to_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert text.startswith("Före\nText ")
    for leak in ("<class", "<function", "<module", "<built-in", "PosixPath", "/etc/", " at 0x"):
        assert leak not in text, (snippet, text[:300])


def test_the_property_ran_both_ways() -> None:
    """Both outcomes were seen (run after the property in this module)."""
    if RESULTS["rendered"] + RESULTS["refused"] == 0:
        pytest.skip("the property test was deselected")
    assert RESULTS["rendered"] > 10 and RESULTS["refused"] > 10, RESULTS
