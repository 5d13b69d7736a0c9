"""YAML and JSON input.

Data is read with PyYAML's C parser (or the json module) as fast as it goes; line numbers are only
looked up when a problem must be reported, by composing the YAML node tree once, lazily.

Hostile files are refused before anything is expanded or copied (docs/errors.md):

* the file is read through :func:`hallbardocs.files.read_user_text`: a regular file of at most
  50 MB (HD001);
* YAML aliases (``*namn``) are allowed, but an alias inside its own anchor (a recursive alias) and
  aliases that would make the data more than ten times as large as the file itself, and larger
  than 100 000 values (an alias bomb), are refused on the node tree, before construction (HD006);
* data nested more than 100 levels deep is refused (HD007);
* a key that is a list or a mapping (``? [a, b]``), or empty (``~``), is reported and left out
  (HD008); a key ``yes``/``no``/``on``/``off`` stays the text it is;
* an integer of more than 4 300 digits (Python's limit) is kept as text, for validation to report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from hallbardocs import runtime
from hallbardocs.errors import Location, Problem
from hallbardocs.files import DATA_LIMIT, NotUtf8, UnreadableFile, read_user_text
from hallbardocs.load.measure import ALIAS_FACTOR, ALIAS_FLOOR, MAX_DEPTH, graph_problem, too_deep, tree_problem
from hallbardocs.load.source import FieldPath, RawDocument
from hallbardocs.text import MARKED_BREAKS, NOT_IN_XML

__all__ = ["ALIAS_FACTOR", "ALIAS_FLOOR", "MAX_DEPTH", "bounded_json", "load_json", "load_yaml", "read_text"]

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The characters a document cannot hold (hallbardocs.text); tab, newline and carriage return are fine.
_RAW_CONTROL = NOT_IN_XML


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a BOM is allowed), or the problem that stops reading it."""
    try:
        text = read_user_text(path, DATA_LIMIT)
    except NotUtf8 as exc:
        message = "Filen är inte kodad som UTF-8. Spara den som UTF-8 och försök igen."
        return None, [Problem("HD001", message, Location(name, exc.line))]
    except UnreadableFile as exc:
        if exc.missing:
            return None, [Problem("HD001", "Filen finns inte.", Location(name))]
        return None, [Problem("HD001", f"Filen kunde inte läsas: {exc.reason}.", Location(name))]
    problems = []
    if _RAW_CONTROL.search(text):
        for match in _RAW_CONTROL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            what = "ersattes med ett mellanslag" if match.group() in MARKED_BREAKS else "togs bort"
            problems.append(
                Problem(
                    "HD401",
                    f"Ett styrtecken (U+{ord(match.group()):04X}) som inte kan stå i ett Word-dokument {what}.",
                    Location(name, line),
                    severity="varning",
                )
            )
        # A raw line or page break (Word's Shift+Enter pasted in) separates words: keep a space.
        text = _RAW_CONTROL.sub(lambda m: " " if m.group() in MARKED_BREAKS else "", text)
    return text, problems


_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"


class _DuplicateCheckingLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records keys given twice in one mapping instead of keeping the last, and
    leaves a date that cannot exist (2026-02-30) as text for validation to report where it is.

    A key that cannot be a field's name (a list, a mapping, or empty) is recorded and left out; a
    key that YAML would read as yes/no stays the text it is; an integer too long for Python stays
    text.
    """

    duplicates: list[tuple[str, int]]
    bad_keys: list[tuple[str, int]]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            return str(node.value)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        kept: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                what = "en lista" if isinstance(key_node, yaml.SequenceNode) else "en samling fält"
                self.bad_keys.append((f"Nyckeln är {what}; ett fälts namn ska vara en text.", line))
                continue
            if key_node.tag == _NULL_TAG:
                self.bad_keys.append(
                    (
                        f"Nyckeln ”{key_node.value}” betyder ”inget värde” i YAML och kan inte vara ett fälts namn."
                        if key_node.value
                        else "Nyckeln är tom; skriv fältets namn före kolonet.",
                        line,
                    )
                )
                continue
            if key_node.tag == _BOOL_TAG:  # "on:", "no:": the user wrote a name, not yes/no
                key_node = yaml.ScalarNode(_STR_TAG, key_node.value, key_node.start_mark, key_node.end_mark)
            key = key_node.value
            if key in seen:
                self.duplicates.append((str(key), line))
            seen.add(key)
            kept.append((key_node, value_node))
        node.value = kept
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_DuplicateCheckingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _DuplicateCheckingLoader.construct_yaml_timestamp
)
_DuplicateCheckingLoader.add_constructor("tag:yaml.org,2002:int", _DuplicateCheckingLoader.construct_yaml_int)


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


# What the YAML and JSON parsers say, as the user's mistake in Swedish (matched by a part of the text).
_YAML_PROBLEMS = (
    ("expected ',' or ']'", "en lista inom [ ] saknar ett kommatecken eller sitt ”]”"),
    ("expected ',' or '}'", "en samling inom { } saknar ett kommatecken eller sitt ”}”"),
    ("expected key", "här väntades ett fältnamn; kontrollera indraget"),
    ("expected '-' indicator", "här väntades en ny rad i listan (”- ”); kontrollera indraget"),
    ("expected node content", "här saknas ett värde"),
    ("mapping values are not allowed", "ett kolon står där det inte får stå; sätt texten inom citattecken"),
    ("unexpected ':'", "ett kolon står där det inte får stå; sätt texten inom citattecken"),
    ("expected ':'", "ett kolon (:) saknas efter fältnamnet"),
    ("unexpected end of stream", "filen tar slut mitt i ett värde (ett citattecken som aldrig stängs?)"),
    ("tab character", "ett tabbtecken står i indraget; dra in med mellanslag"),
    ("cannot start any token", "ett tecken som inte kan inleda ett värde (ett tabbtecken, eller @ eller ` utan citattecken)"),
    ("undefined alias", "ett alias (*namn) till ett ankare (&namn) som inte finns"),
    ("unknown escape character", "en okänd kod efter ett bakstreck (\\) inom dubbla citattecken"),
    ("invalid Unicode character escape", "en ogiltig \\u-kod inom dubbla citattecken"),
    ("sequence entries are not allowed", "en rad i en lista (”- ”) står där den inte får stå; kontrollera indraget"),
    ("another document", "filen har mer än ett dokument (en rad med ---)"),
    ("expected <document start>", "något står efter slutet av dokumentet"),
    ("could not determine a constructor", "en tagg (!…) som inte kan läsas; ta bort den"),
    ("control characters are not allowed", "ett styrtecken som inte får stå i en YAML-fil"),
    ("special characters are not allowed", "ett styrtecken som inte får stå i en YAML-fil"),
    ("expected comment or line break", "något står efter värdet på samma rad; sätt värdet inom citattecken"),
    ("expected alphabetic or numeric character", "ett ankare eller alias (&, *) vars namn inte bara är a–z, 0–9, - och _"),
)
_JSON_PROBLEMS = (
    ("Expecting value", "här saknas ett värde"),
    ("Expecting property name", "här väntades ett fältnamn inom dubbla citattecken (enkla citattecken, eller ett kommatecken för mycket?)"),
    ("Expecting ',' delimiter", "ett kommatecken saknas"),
    ("Expecting ':' delimiter", "ett kolon (:) saknas efter fältnamnet"),
    ("Extra data", "något står efter slutet av filens värde"),
    ("Unterminated string", "en text vars citattecken aldrig stängs"),
    ("Invalid control character", "ett styrtecken (till exempel ett radbyte) inom en text; skriv det som \\n"),
    ("Invalid \\uXXXX escape", "en ogiltig \\u-kod i en text"),
    ("Invalid \\escape", "en okänd kod efter ett bakstreck (\\) i en text"),
    ("trailing comma", "ett kommatecken för mycket före slutet"),
)


def _in_swedish(what: str, known: tuple[tuple[str, str], ...]) -> str:
    """The parser's complaint as the user's mistake in Swedish; one not known is quoted."""
    for part, swedish in known:
        if part in what:
            return swedish
    return "tolken förstår inte raden"


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
    return _in_swedish(problem or context, _YAML_PROBLEMS)


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
    reason = next((sv for en, sv in _JSON_REASONS if exc.msg.startswith(en)), None) or _in_swedish(
        exc.msg, _JSON_PROBLEMS
    )
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
    loader.bad_keys = []
    # PyYAML makes many objects and no cycles: in a batch, collecting would only cost time
    with runtime.no_collection():
        try:
            node = loader.get_single_node()
            found = tree_problem(node, name) if node is not None else None
            if found is True:  # aliases to lists or mappings: measure what they would expand to
                found = graph_problem(node, name)
            if isinstance(found, Problem):
                problems.append(found)
                return doc
            doc.data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            problem = _syntax_problem(exc, name, text)
            if "nesting depth" in problem.message:  # libyaml's own limit, at 1000 levels
                problem = too_deep(problem.location.line if problem.location else None, name)
            problems.append(problem)
            return doc
        finally:
            loader.dispose()
    for key, line in loader.duplicates:
        problems.append(
            Problem("HD005", f"Nyckeln ”{key}” står två gånger; bara den sista skulle gälla.", Location(name, line))
        )
    for message, line in loader.bad_keys:
        problems.append(Problem("HD008", message, Location(name, line)))
    doc.locator = _YamlLocator(text, name)
    return doc


def _json_int(digits: str) -> int | str:
    """An integer of the JSON text; one with more digits than Python converts stays text."""
    try:
        return int(digits)
    except ValueError:
        return digits


def _data_too_deep(data: Any) -> bool:
    """Whether lists and mappings (a tree, as JSON gives) nest more than :data:`MAX_DEPTH` levels."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below: list[Any] = []
        for item in level:
            values = item.values() if isinstance(item, dict) else item
            below.extend(v for v in values if isinstance(v, (dict, list)))
        level = below
    return False


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _json_deep_position(text: str) -> int | None:
    """Where a JSON text first nests deeper than :data:`MAX_DEPTH` levels."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in ("]", "}"):
            depth -= 1
    return None


_TOO_DEEP = f"nästlad i mer än {MAX_DEPTH} nivåer"


def bounded_json(text: str, object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None) -> Any:
    """``json.loads`` for a user's file: nesting over :data:`MAX_DEPTH` levels is a
    :class:`json.JSONDecodeError` (message ``nästlad i mer än 100 nivåer``, at the line where it
    happens) instead of a RecursionError, and an integer with more digits than Python converts stays
    text."""
    try:
        data = json.loads(text, object_pairs_hook=object_pairs_hook, parse_int=_json_int)
    except RecursionError:  # the json module's scanner gives up near 1000 levels
        data = None
    else:
        if not _data_too_deep(data):
            return data
    position = _json_deep_position(text)
    raise json.JSONDecodeError(_TOO_DEEP, text, position if position is not None else 0)


def load_json(path: Path, name: str | None = None) -> RawDocument:
    """Read a JSON file into raw data, with the same problems as :func:`load_yaml`."""
    name = name or str(path)
    text, problems = read_text(path, name)
    doc = RawDocument(None, name, path.parent, problems)
    if text is None:
        return doc
    # YAML reads JSON, but refuses escaped surrogates (\ud83d\ude00, or a lone \ud800): for line numbers
    # only, each becomes an escaped U+FFFD of the same length.
    locator = _YamlLocator(_SURROGATE_ESCAPE.sub(r"\\uFFFD", text), name)
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        doc.data = bounded_json(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        if exc.msg == _TOO_DEEP:
            problems.append(too_deep(exc.lineno, name))
        else:
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
