"""A template's problems as the user reads them: Swedish messages with their codes and the place
in the template (the part, the paragraph's number and first words)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hallbardocs.errors import Location, Problem, TemplateError
from hallbardocs.render import sandbox as _sandbox

__all__ = ["TEMPLATE_FAULTS", "template_error"]


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


def template_error(exc: BaseException, name: str, tpl: Any = None) -> TemplateError:
    """An error raised while a template ran, as our TemplateError with a Swedish message and the
    place in the template."""
    place = _place(tpl, exc) if tpl is not None else ""
    at = f" {place}" if place else ""
    handler = next((h for kinds, h in _handlers() if isinstance(exc, kinds)), _other_fault)
    code, message = handler(exc, at)
    return TemplateError(Problem(code, message, Location(name)))


_Handler = Callable[[Any, str], tuple[str, str]]
"""An exception and the `` at <place>`` text -> the problem's code and message."""


def _handlers() -> tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], _Handler], ...]:
    """Each kind of exception, in the order they are tried, with the function that words it."""
    from jinja2 import TemplateRuntimeError, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    return (
        (_sandbox.BudgetExceeded, _budget_exceeded),
        (UndefinedError, _undefined),
        (TemplateSyntaxError, _syntax_error),
        (SecurityError, _security_error),
        (_sandbox.NotAValue, _not_a_value),
        (_sandbox.FilterError, _filter_error),
        (TemplateRuntimeError, _runtime_error),
    )


def _budget_exceeded(exc: Any, at: str) -> tuple[str, str]:
    return "HD505", f"Mallen avbröts: {exc.what}{at}. Se gränserna i docs/templates.md."


def _undefined(exc: Any, at: str) -> tuple[str, str]:
    element = re.search(r"has no element (-?\d+)", exc.message or "")
    if element:  # a list asked for by position, past its end
        position = int(element.group(1)) + 1
        return "HD503", f"Mallen frågar efter plats {position} i en lista{at}, men listan är kortare. Se docs/templates.md."
    return "HD503", f"Mallen använder {_undefined_name(exc.message)}{at}, som inte finns. Se docs/templates.md."


def _syntax_error(exc: Any, at: str) -> tuple[str, str]:
    near = " … ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
    return "HD502", f"Fel i mallens taggar: {exc.message}" + (f" (nära: {near})" if near else "") + "."


def _security_error(exc: Any, at: str) -> tuple[str, str]:
    found = re.match(r"access to attribute '([^']*)' of '([^']*)' object is unsafe", str(exc))
    if found:
        attribute, owner = found.groups()
        what = _OWNERS.get(owner, f"ett värde av typen {owner}")
        return "HD502", (
            f"Mallen försöker läsa ”{attribute}” hos {what}{at}, vilket inte är tillåtet: en mall får bara "
            "läsa fält i dokumentets data (se docs/templates.md)."
        )
    return "HD502", f"Mallen försöker göra något som inte är tillåtet{at} ({str(exc).rstrip('.')})."


def _not_a_value(exc: Any, at: str) -> tuple[str, str]:
    function = str(getattr(exc.value, "__name__", "")) if callable(exc.value) else ""
    what = f"funktionen ”{function}”" if function else "ett internt objekt"
    hint = f" Skriv {function}() för att anropa den." if function else ""
    return "HD504", f"Mallen skriver ut {what}{at}, som inte är något värde att visa.{hint}"


def _filter_error(exc: Any, at: str) -> tuple[str, str]:
    takes = _FILTER_TAKES.get(exc.filter, "ett tal")
    message = f"Filtret ”{exc.filter}”{at} kan inte formatera {_kind_of(exc.value)}; det tar {takes}."
    if isinstance(exc.value, str) and takes == "ett tal":
        message += " Värden som redan är formaterade (som total_kostnad) skrivs utan filter."
    return "HD504", message


def _runtime_error(exc: Any, at: str) -> tuple[str, str]:
    if "no loader" in str(exc):
        return "HD504", (
            f"Mallen använder {{% include %}}, {{% import %}} eller {{% extends %}}{at}, men en Word-mall kan inte "
            "hämta andra mallar: allt den visar ska stå i själva dokumentet."
        )
    return "HD504", f"Mallen kunde inte fyllas i: {exc}{at}."


_REASONS = {
    ZeroDivisionError: "delar med noll",
    OverflowError: "räknar fram ett för stort tal",
    RecursionError: "anropar sig själv för många gånger (ett makro utan slut?)",
    MemoryError: "behöver mer minne än datorn har",
    TypeError: "blandar värden av olika slag (som text och tal)",
    AttributeError: "frågar efter något som värdet inte har",
    LookupError: "frågar efter ett element som inte finns",
    ValueError: "ger ett värde som inte går att använda",
}


def _other_fault(exc: Any, at: str) -> tuple[str, str]:
    """Any other exception: a loader's refusal, or the template's own Python fault."""
    if "no loader" in str(exc):
        return _runtime_error(exc, at)
    reason = next((text for kind, text in _REASONS.items() if isinstance(exc, kind)), "gör något som inte går")
    detail = str(exc).strip()
    hint = f" Pythons förklaring: ”{detail[:120]}”." if detail else ""
    return "HD504", f"Mallen {reason}{at}.{hint}"


TEMPLATE_FAULTS = (
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RecursionError,
    MemoryError,
)
"""Exceptions that are the template's fault when the template's own code raised them."""
