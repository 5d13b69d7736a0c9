"""The generic machinery of validation: the passes, problem collection, did-you-mean, locating.

Every document is validated in the same passes, each collecting problems rather than stopping at
the first:

1. text (:meth:`Checker.clean`): characters a Word document cannot hold are removed or become line
   breaks (HD401), and placeholder text left from a Word template is found (HD301);
2. shape (:meth:`Checker.shape_problems`): pydantic checks every field's presence, type and format
   (HD101–HD104), each reported in Swedish with the field's path and a did-you-mean;
3. the document's own rules, in :mod:`hallbardocs.validate.plan` and
   :mod:`hallbardocs.validate.followup`.

Nothing here knows a plan or a follow-up: the field names in messages and paths come from the
models' aliases (:func:`key`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from hallbardocs.errors import InvalidInputError, Problem
from hallbardocs.load.source import FieldPath, RawDocument
from hallbardocs.model.plan import AMOUNT_EXAMPLES
from hallbardocs.text import NOT_IN_XML

__all__ = [
    "PLACEHOLDERS",
    "Checker",
    "Outcome",
    "clean_text",
    "duplicates",
    "key",
    "ordered",
    "rich_text_fields",
    "suggest",
    "unknown",
]

PLACEHOLDERS: tuple[str, ...] = (
    r"Lägg in (?:text|datum|datum och paragraf|namn)",
    r"Klicka (?:eller tryck )?här för att ange (?:text|datum)",
    r"Skriv text här",
    r"Ange text",
    r"\bTODO\b",
    r"\bFIXME\b",
    r"\bXXX+\b",
    r"\bLorem ipsum\b",
)
_PLACEHOLDER_RE = re.compile("|".join(f"(?:{p})" for p in PLACEHOLDERS), re.IGNORECASE)
# Words every placeholder contains (lower case): a quick test before the regular expression.
_PLACEHOLDER_HINTS = ("lägg in", "klicka", "skriv text", "ange text", "todo", "fixme", "xxx", "lorem")
_WORD_MARKERS = re.compile(r"TODO|FIXME|XXX+", re.IGNORECASE)  # only in capitals: lower case may be real text
_CONTROL_RE = NOT_IN_XML
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """The outcome of validation: the validated value when there are no errors, and every problem."""

    value: T | None
    problems: list[Problem] = field(default_factory=list)
    base_dir: Path | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.errors

    def raise_for_errors(self) -> T:
        """The value, or :class:`InvalidInputError` with every problem when there are errors."""
        if not self.ok or self.value is None:
            raise InvalidInputError(self.problems)
        return self.value


def clean_text(text: str) -> tuple[str, bool]:
    """Text that XML can hold: vertical tabs and form feeds (Excel's line breaks) become newlines,
    ``\\r\\n`` becomes ``\\n``, other control characters are removed. Returns the text and whether
    anything was removed.

    >>> clean_text("rad 1\\x0brad 2\\x01")
    ('rad 1\\nrad 2', True)
    """
    if text.isprintable():  # the common case, tested in C
        return text, False
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x0b" in text or "\x0c" in text:
        text = text.translate(_BREAKS)
    if _CONTROL_RE.search(text) is None:
        return text, False
    return _CONTROL_RE.sub("", text), True


RichTextPath = tuple[str, ...]
"""A rich-text field's path in a file, with ``"*"`` for any item of a list: ``("kapitel", "*", "text")``."""


@cache
def rich_text_fields(model: type[BaseModel]) -> frozenset[RichTextPath]:
    """Where ``model`` takes rich text: the fields whose description starts with "rich text"."""
    found: set[RichTextPath] = set()

    def walk(cls: type[BaseModel], prefix: RichTextPath, seen: frozenset[type[BaseModel]]) -> None:
        for name, info in cls.model_fields.items():
            key = (*prefix, info.alias or name)
            if (info.description or "").startswith("rich text"):
                found.add(key)
            for inner, steps in _models_in(info.annotation):
                if inner not in seen:
                    walk(inner, (*key, *steps), seen | {inner})

    walk(model, (), frozenset({model}))
    return frozenset(found)


def _models_in(annotation: Any, steps: RichTextPath = ()) -> Iterator[tuple[type[BaseModel], RichTextPath]]:
    """The models an annotation holds, each with the steps into it (``"*"`` per list level)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, steps
        return
    origin = get_origin(annotation)
    for arg in get_args(annotation):
        yield from _models_in(arg, (*steps, "*") if origin in (list, tuple) else steps)


def _rich_path(path: FieldPath) -> RichTextPath:
    return tuple("*" if isinstance(step, int) else str(step) for step in path)


class Checker:
    """Collects problems with their locations in one raw document."""

    def __init__(self, raw: RawDocument, draft: bool) -> None:
        self.raw = raw
        self.draft = draft
        self.problems: list[Problem] = list(raw.problems)
        self.rich_text: frozenset[RichTextPath] = frozenset()

    def add(
        self,
        code: str,
        message: str,
        path: FieldPath,
        suggestion: str | None = None,
        *,
        warning: bool = False,
    ) -> None:
        self.problems.append(Problem(code, message, self.raw.locate(path), suggestion, "varning" if warning else "fel"))

    # -- pass 1: text ---------------------------------------------------------------------------
    def clean(self, value: Any, path: FieldPath = (), *, model: type[BaseModel] | None = None) -> Any:
        """``value`` with its texts cleaned. A vertical tab or form feed (a line break from Excel or
        a ``\\v`` escape) is a line break: in a rich-text field of ``model`` a Markdown hard break,
        elsewhere a newline, which the document shows as a line break too."""
        if model is not None:
            self.rich_text = rich_text_fields(model)
        if isinstance(value, str):
            if ("\x0b" in value or "\x0c" in value) and _rich_path(path) in self.rich_text:
                from hallbardocs.richtext import hard_breaks

                value = hard_breaks(value)
            text, removed = clean_text(value)
            if removed:
                self.add(
                    "HD401", "Tecken som inte kan stå i ett Word-dokument togs bort ur texten.", path, warning=True
                )
            folded = text.lower()
            match = _PLACEHOLDER_RE.search(text) if any(h in folded for h in _PLACEHOLDER_HINTS) else None
            if match is not None and not (_WORD_MARKERS.fullmatch(match.group()) and not match.group().isupper()):
                self.add(
                    "HD301",
                    f"Platshållartext ”{match.group()}” står kvar. Skriv den riktiga texten eller ta bort fältet.",
                    path,
                    warning=self.draft,
                )
            return text
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                key_text = str(key)
                out[key_text] = self.clean(item, path + (key_text,))
            return out
        if isinstance(value, list):
            return [self.clean(item, path + (i,)) for i, item in enumerate(value)]
        return value

    # -- pass 2: shape ------------------------------------------------------------------------
    def shape_problems(self, exc: ValidationError, model: type[BaseModel], prefix: FieldPath = ()) -> None:
        """Each of pydantic's errors as a Problem, in Swedish, with its path and a did-you-mean."""
        errors = exc.errors(include_url=False)
        # A misspelt key is one problem, not two: "rubirk" is unknown, and so "rubrik" is missing.
        misspelt: set[FieldPath] = set()
        for error in errors:
            if error["type"] == "extra_forbidden":
                path = prefix + tuple(error["loc"])
                close = _closest(str(path[-1]), _known_keys(model, path[len(prefix) : -1]))
                if close:
                    misspelt.add(path[:-1] + (close,))
        for error in errors:
            path = prefix + tuple(error["loc"])
            if error["type"] == "missing" and path in misspelt:
                continue
            shape = _Shape(error, path, _shown(error.get("input")), _shown(str(path[-1])) if path else "planen")
            known = _known_keys(model, path[len(prefix) : -1]) if shape.kind == "extra_forbidden" else []
            code, message, suggestion = _shape_message(shape, known)
            self.add(code, message, path, suggestion)


@dataclass(frozen=True)
class _Shape:
    """One of pydantic's errors, with what a message says about it."""

    error: Any
    path: FieldPath
    value: Any
    name: Any

    @property
    def kind(self) -> str:
        return str(self.error["type"])


def _closest(value: str, candidates: Sequence[str], cutoff: float = 0.6) -> str | None:
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None


_DATE_ERRORS = ("date_from_datetime_parsing", "date_parsing", "date_from_datetime_inexact", "date_type")
_BOUND_ERRORS = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")


def _literal_message(shape: _Shape) -> tuple[str, str, str | None]:
    expected = shape.error.get("ctx", {}).get("expected", "")
    options = re.findall(r"'([^']*)'", expected)
    choices = expected.replace("'", "”").replace(" or ", " eller ")
    message = f"”{shape.value}” är inte tillåtet i ”{shape.name}”; välj {choices}."
    return "HD104", message, _closest(str(shape.value), options, 0.5)


def _shape_message(shape: _Shape, known: Sequence[str]) -> tuple[str, str, str | None]:
    """The code, the message and the suggestion for one shape error."""
    kind, name, value = shape.kind, shape.name, shape.value
    if kind == "missing":
        return "HD101", f"Det obligatoriska fältet ”{name}” saknas.", None
    if kind == "extra_forbidden":
        return "HD103", f"Okänt fält ”{name}”.", _closest(name, known)
    if kind in ("too_short", "string_too_short"):
        what = "minst en rad" if kind == "too_short" else "en text"
        return "HD101", f"Fältet ”{name}” är tomt; det ska ha {what}.", None
    if kind == "literal_error":
        return _literal_message(shape)
    if kind in _DATE_ERRORS:
        return "HD104", f"”{value}” i ”{name}” är inget giltigt datum; skriv till exempel 2026-02-20.", None
    if kind == "string_pattern_mismatch":
        return "HD104", f"”{value}” i ”{name}” är ingen färg; skriv den som #RRGGBB, till exempel #1F6F8B.", None
    if kind in _BOUND_ERRORS:
        return "HD104", f"{value} i ”{name}” ligger utanför det tillåtna ({_bound(shape.error)}).", None
    if kind == "int_parsing_size":
        return "HD104", f"Talet i ”{name}” har för många siffror för att vara ett tal i en plan.", None
    if kind == "finite_number":
        return "HD104", f"”{value}” i ”{name}” är inget ändligt tal; skriv ett vanligt tal.", None
    if kind == "decimal_max_places":
        return "HD104", f"{value} i ”{name}” har fler än två decimaler.", None
    return "HD102", f"”{name}” ska vara {_expected(kind)}, men är {_describe(value)}.", None


def _bound(error: Any) -> str:
    ctx = error.get("ctx", {})
    words = {"ge": "minst", "le": "högst", "gt": "större än", "lt": "mindre än"}
    return ", ".join(f"{words[k]} {_number(v)}" for k, v in ctx.items() if k in words)


def _number(value: Any) -> str:
    """A bound as a Swedish reader writes it: ``1 000 000 000 000`` (a year stays ``2200``)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and value == int(value):
        whole = int(value)
        if abs(whole) >= 10_000:
            return ("\u2212" if whole < 0 else "") + f"{abs(whole):,}".replace(",", "\u00a0")
        return str(whole)
    return str(value)


_SHOWN = 60


def _shown(value: Any) -> Any:
    """The user's value for a message: a text or number too long to quote is cut, with its length."""
    if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool):
        try:
            text = str(value)
        except ValueError:  # an int with more digits than Python converts
            return "ett tal med för många siffror"
        if len(text) > _SHOWN:
            return f"{text[:40]}… ({len(text)} tecken)"
    return value


_EXPECTED = {
    "string_type": "en text",
    "int_type": "ett heltal",
    "int_parsing": "ett heltal",
    "int_from_float": "ett heltal",
    "amount_parsing": f"ett belopp i kronor (till exempel {AMOUNT_EXAMPLES})",
    "decimal_parsing": "ett tal",
    "decimal_type": "ett tal",
    "list_type": "en lista",
    "dict_type": "en samling fält",
    "model_type": "en samling fält",
    "model_attributes_type": "en samling fält",
    "bool_type": "ja eller nej",
    "path_type": "en filsökväg",
}


def _expected(kind: str) -> str:
    return _EXPECTED.get(kind, "ett annat slags värde")


def _describe(value: Any) -> str:
    if value is None:
        return "tomt"
    if isinstance(value, dict):
        return "en samling fält"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, bool):
        return "ja/nej"
    return f"”{value}”"


def _known_keys(model: type[BaseModel], path: Sequence[str | int]) -> list[str]:
    """The aliases the model accepts at ``path`` (for did-you-mean on an unknown key)."""
    current: Any = model
    for step in path:
        if isinstance(step, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields:
            return []
        target = next((f for f in fields.values() if f.alias == step), None)
        if target is None:
            return []
        current = _model_in(target.annotation)
    fields = getattr(current, "model_fields", None) or {}
    return [f.alias or n for n, f in fields.items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)  # Annotated[X, ...] keeps X here
    if isinstance(origin, type) and issubclass(origin, BaseModel):
        return origin
    return None


@cache
def key(model: type[BaseModel], name: str) -> str:
    """The key a file uses for the model's field ``name``: its Swedish alias (``Measure``,
    ``"focus_areas"`` -> ``"fokusområden"``), so no rule spells a key by hand."""
    info = model.model_fields[name]
    return info.alias or name


def suggest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``value`` most likely means: the same but for case, else a close one."""
    candidates = list(candidates)
    folded = {c.casefold(): c for c in candidates}
    if value.casefold() in folded:
        return folded[value.casefold()]
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def duplicates(items: Iterable[tuple[FieldPath, str]]) -> Iterator[tuple[FieldPath, str, FieldPath]]:
    """Each (path, key) whose key (ignoring case) came before, with the first one's path."""
    seen: dict[str, FieldPath] = {}
    for path, key in items:
        folded = key.casefold()
        if folded in seen:
            yield path, key, seen[folded]
        else:
            seen[folded] = path


def unknown(
    check: Checker,
    code: str,
    message: str,
    values: Sequence[Any],
    is_known: Callable[[Any], bool],
    path: FieldPath,
    candidates: Sequence[str],
) -> None:
    """Report each value that is not known, with the closest candidate as a suggestion."""
    for i, value in enumerate(values):
        if not is_known(value):
            check.add(code, message.format(value), path + (i,), suggest(str(value), candidates))


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then in the order of the file."""

    def key(p: Problem) -> tuple[int, int]:
        line = (p.location.line or 0) if p.location else 0
        return (0 if p.is_error else 1, line)  # stable: a workbook's problems stay in reading order

    return sorted(problems, key=key)
