"""YAML and JSON input.

Data is read with PyYAML's C parser (or the json module) as fast as it goes; line numbers are only
looked up when a problem must be reported, by composing the YAML node tree once, lazily.
"""

from __future__ import annotations

import gc
import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from hallbardocs.errors import Location, Problem, os_reason
from hallbardocs.load.source import FieldPath, RawDocument

__all__ = ["load_json", "load_yaml", "read_text"]

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# C0 control characters that XML 1.0 cannot hold (tab, newline and carriage return are fine).
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a BOM is allowed), or the problem that stops reading it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem("HD001", "Filen finns inte.", Location(name))]
    except OSError as exc:
        return None, [Problem("HD001", f"Filen kunde inte läsas: {os_reason(exc)}.", Location(name))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                "HD001", "Filen är inte kodad som UTF-8. Spara den som UTF-8 och försök igen.", Location(name, line)
            )
        ]
    problems = []
    if _RAW_CONTROL.search(text):
        for match in _RAW_CONTROL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            what = "ersattes med ett mellanslag" if match.group() in "\x0b\x0c" else "togs bort"
            problems.append(
                Problem(
                    "HD401",
                    f"Ett styrtecken (U+{ord(match.group()):04X}) som inte kan stå i ett Word-dokument {what}.",
                    Location(name, line),
                    severity="varning",
                )
            )
        # A raw line or page break (Word's Shift+Enter pasted in) separates words: keep a space.
        text = _RAW_CONTROL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)
    return text, problems


class _DuplicateCheckingLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records keys given twice in one mapping instead of keeping the last, and
    leaves a date that cannot exist (2026-02-30) as text for validation to report where it is."""

    duplicates: list[tuple[str, int]]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value
            if key in seen:
                self.duplicates.append((str(key), key_node.start_mark.line + 1))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_DuplicateCheckingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _DuplicateCheckingLoader.construct_yaml_timestamp
)


class _YamlLocator:
    """Finds the line of a field path by composing the YAML node tree of the text (once)."""

    def __init__(self, text: str, name: str) -> None:
        self._text = text
        self._name = name

    @cached_property
    def _root(self) -> yaml.Node | None:
        try:
            return yaml.compose(self._text.replace("\t", " "), Loader=_SafeLoader)
        except yaml.YAMLError:
            return None

    def __call__(self, path: FieldPath) -> Location:
        node = self._root
        if node is None:
            return Location(self._name)
        line = node.start_mark.line + 1
        for step in path:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if str(key_node.value) == str(step):
                        child = value_node
                        line = key_node.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                child = node.value[step]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return Location(self._name, line)


# What PyYAML (C or Python parser) says, matched on its English text, and what it means in Swedish.
_YAML_CONTEXT_WORDS = {
    "flow sequence": "en lista som börjar med ”[” stängs inte med ”]”, eller ett kommatecken saknas",
    "flow mapping": "en mappning som börjar med ”{” stängs inte med ”}”, eller ett kommatecken saknas",
    "quoted scalar": "en text som börjar med citattecken avslutas aldrig med samma citattecken",
    "simple key": "raden saknar kolon efter nyckeln (skriv ”nyckel: värde”)",
}
_YAML_PROBLEM_WORDS = (
    ("mapping values are not allowed", "ett kolon följt av mellanslag står i ett värde; sätt värdet inom citattecken"),
    ("did not find expected key", "indraget stämmer inte med raderna ovanför"),
    ("expected <block end>", "indraget stämmer inte med raderna ovanför"),
    ("did not find expected '-' indicator", "indraget stämmer inte: listrader (”- …”) och nycklar blandas"),
    ("expected a single document", "filen innehåller mer än ett dokument (en rad ”---” eller ”...”)"),
    ("but found another document", "filen innehåller mer än ett dokument (en rad ”---” eller ”...”)"),
    ("found undefined alias", "ett alias (”*namn”) pekar inte på något ankare (”&namn”)"),
    ("found unknown escape character", "en okänd kod efter ”\\” i en text inom dubbla citattecken"),
)


def _yaml_reason(exc: yaml.MarkedYAMLError, text: str) -> str:
    """What is wrong, in Swedish, from PyYAML's English problem and context."""
    problem = exc.problem or ""
    context = exc.context or ""
    if "cannot start any token" in problem and exc.problem_mark is not None:
        index = exc.problem_mark.index
        char = text[index] if 0 <= index < len(text) else ""
        if char == "\t":
            return "ett tabbtecken används som indrag; använd mellanslag"
        return f"ett värde som börjar med ”{char}” måste stå inom citattecken"
    for what, reason in _YAML_CONTEXT_WORDS.items():
        if what in context:
            return reason
    for what, reason in _YAML_PROBLEM_WORDS:
        if what in problem:
            return reason
    return "tolken förstår inte raden"


def _syntax_problem(exc: yaml.YAMLError, name: str, text: str) -> Problem:
    """HD002 for a YAML syntax error, at the line of the mistake.

    PyYAML notices an unclosed list or text, or a key without its colon, where the next token starts
    (the ``problem_mark``, often the line after); the line the construct starts on is the
    ``context_mark``. Both are 0-based.
    """
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem("HD002", f"Filen är inte giltig YAML. Tolkens besked: ”{exc}”.", Location(name))
    problem_line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
    context_line = exc.context_mark.line + 1 if exc.context_mark is not None else None
    starts_construct = any(what in (exc.context or "") for what in _YAML_CONTEXT_WORDS)
    line = context_line if starts_construct and context_line is not None else problem_line
    reason = _yaml_reason(exc, text)
    detail = "; ".join(part for part in (exc.context, exc.problem) if part)
    return Problem("HD002", f"Filen är inte giltig YAML: {reason}. Tolkens besked: ”{detail}”.", Location(name, line))


_JSON_REASONS = (
    ("Expecting ',' delimiter", "ett kommatecken saknas efter värdet"),
    ("Expecting ':' delimiter", "ett kolon saknas efter nyckeln"),
    ("Expecting property name enclosed in double quotes", "en nyckel ska stå inom dubbla citattecken (eller så står ett kommatecken för mycket)"),
    ("Expecting value", "ett värde saknas (eller så står ett kommatecken för mycket)"),
    ("Unterminated string", "en text inom citattecken avslutas aldrig"),
    ("Invalid control character", "en radbrytning eller ett tabbtecken står inne i en text; skriv \\n eller \\t"),
    ("Invalid \\escape", "en okänd kod efter ”\\” i en text"),
    ("Extra data", "det står något efter filens sista ”}”"),
)


def _json_syntax_problem(exc: json.JSONDecodeError, name: str) -> Problem:
    """HD002 for a JSON syntax error; a missing comma or colon is placed on the line it belongs to."""
    reason = next((sv for en, sv in _JSON_REASONS if exc.msg.startswith(en)), "tolken förstår inte texten")
    line = exc.lineno
    if exc.msg in ("Expecting ',' delimiter", "Expecting ':' delimiter"):
        before = exc.doc[: exc.pos].rstrip()
        line = before.count("\n") + 1 if before else line
    return Problem("HD002", f"Filen är inte giltig JSON: {reason}. Tolkens besked: ”{exc.msg}”.", Location(name, line))


def load_yaml(path: Path, name: str | None = None) -> RawDocument:
    """Read a YAML file into raw data. Syntax errors and duplicate keys are problems, not exceptions."""
    name = name or str(path)
    text, problems = read_text(path, name)
    doc = RawDocument(None, name, path.parent, problems)
    if text is None:
        return doc
    loader = _DuplicateCheckingLoader(text)
    loader.duplicates = []
    collecting = gc.isenabled()
    gc.disable()  # PyYAML makes many objects and no cycles: the collector would only cost time (half of it)
    try:
        doc.data = loader.get_single_data()
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, name, text))
        return doc
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    for key, line in loader.duplicates:
        problems.append(
            Problem("HD005", f"Nyckeln ”{key}” står två gånger; bara den sista skulle gälla.", Location(name, line))
        )
    doc.locator = _YamlLocator(text, name)
    return doc


def load_json(path: Path, name: str | None = None) -> RawDocument:
    """Read a JSON file into raw data, with the same problems as :func:`load_yaml`."""
    name = name or str(path)
    text, problems = read_text(path, name)
    doc = RawDocument(None, name, path.parent, problems)
    if text is None:
        return doc
    locator = _YamlLocator(text, name)
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        doc.data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        problems.append(_json_syntax_problem(exc, name))
        return doc
    for key in duplicates:
        places = [m.start() for m in re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)]
        line = text.count("\n", 0, places[-1]) + 1 if places else None
        problems.append(
            Problem("HD005", f"Nyckeln ”{key}” står två gånger; bara den sista skulle gälla.", Location(name, line))
        )
    doc.locator = locator
    return doc
