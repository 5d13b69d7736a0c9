"""Rich text: a small Markdown subset parsed into a document-neutral tree.

Supported: paragraphs, ``**bold**``, ``*italic*``, ``[links](https://…)`` (``https://``, ``http://``
or ``mailto:``), bullet and numbered lists (nested), hard line breaks, footnotes (``text[^1]`` +
``[^1]: note``) and headings. Everything else (HTML, code, images, block quotes, entities,
``<https://…>`` autolinks, reference links and their ``[namn]: https://…`` definitions, inline
``^[…]`` notes, a link to anything but a web or mail address, a footnote that nothing refers to)
stays literal text, so what a user writes is what the reader sees. The renderer turns the tree into
WordprocessingML; this module knows nothing of Word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hallbardocs.text import MARKED_BREAK

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "Block",
    "FootnoteRef",
    "Heading",
    "Inline",
    "LineBreak",
    "ListBlock",
    "Paragraph",
    "RichText",
    "Span",
    "is_link_target",
    "parse",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with its emphasis, and the link it belongs to, if any."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A reference to the footnote with this label (``[^label]``)."""

    label: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A line break inside a paragraph."""


Inline = Span | FootnoteRef | LineBreak


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet or numbered list; each item is a sequence of blocks (paragraphs, nested lists)."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


Block = Paragraph | Heading | ListBlock


@dataclass(frozen=True, slots=True)
class RichText:
    """A parsed rich text: its blocks and the footnotes they refer to (by label)."""

    blocks: tuple[Block, ...]
    footnotes: dict[str, tuple[Block, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.blocks)

    def plain(self) -> str:
        """The text without markup, paragraphs separated by blank lines (for summaries and tests)."""
        return "\n\n".join(_plain_block(b) for b in self.blocks)


def _plain_inlines(inlines: tuple[Inline, ...]) -> str:
    return "".join(i.text if isinstance(i, Span) else "\n" if isinstance(i, LineBreak) else "" for i in inlines)


def _plain_block(block: Block) -> str:
    if isinstance(block, ListBlock):
        return "\n".join(_plain_block(b) for item in block.items for b in item)
    return _plain_inlines(block.inlines)


# Anything that could be Markdown syntax; text without it takes the fast path.
_SYNTAX = re.compile(r"[*_\[\]\\`<>!#~&]|^\s*(?:[-+*]|\d+[.)])(?:\s|$)|^\s*[=-]{2,}\s*$|^ {4}| {2,}$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# What a link may point at: the addresses the renderer makes hyperlinks of.
_LINK_TARGET = re.compile(r"^(https?://|mailto:)")


def is_link_target(url: str) -> bool:
    """Whether ``[text](url)`` is a link: a web (``https://``, ``http://``) or mail (``mailto:``) address.

    Anything else (``www.example.se``, ``/sida``, ``javascript:…``) stays literal text, brackets and all.

    >>> is_link_target("https://example.se"), is_link_target("www.example.se")
    (True, False)
    """
    return _LINK_TARGET.match(url) is not None


def parse(text: str | None, *, min_heading: int = 2, max_heading: int = 3) -> RichText:
    """Parse Markdown-subset text. Headings are clamped to ``min_heading``..``max_heading``.

    >>> parse("Ett stycke.\\n\\nEtt **till**.").blocks[1]
    Paragraph(inlines=(Span(text='Ett ', bold=False, italic=False, link=None), Span(text='till', bold=True, italic=False, link=None), Span(text='.', bold=False, italic=False, link=None)))
    >>> parse("Vård & omsorg {{ x }}").plain()
    'Vård & omsorg {{ x }}'
    """
    if not text or not text.strip():
        return RichText(())
    if _SYNTAX.search(text) is None:
        paragraphs = (
            " ".join(line.strip() for line in chunk.strip().splitlines()) for chunk in _BLANK_LINE.split(text.strip())
        )
        return RichText(tuple(Paragraph((Span(p),)) for p in paragraphs if p))
    return _Converter(min_heading, max_heading).convert(_markdown().parse(text))


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    # Footnote definitions stay where they are written (move_to_end=False), so that the converter
    # can show one that nothing refers to as the text it is; no inline ^[notes].
    md = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin, inline=False, move_to_end=False)
    # What users write stays literal: no HTML, code, images, quotes, rules, entity decoding,
    # autolinks, or reference links and their definitions.
    md.disable(
        [
            "html_block",
            "html_inline",
            "code",
            "fence",
            "blockquote",
            "hr",
            "lheading",
            "reference",
            "image",
            "autolink",
            "backticks",
            "entity",
        ]
    )
    # A link to anything but a web or mail address is not a link: markdown-it then leaves it as text.
    md.validateLink = is_link_target  # type: ignore[method-assign]
    return md


class _Converter:
    """markdown-it tokens -> our tree."""

    def __init__(self, min_heading: int, max_heading: int) -> None:
        self.min_heading = min_heading
        self.max_heading = max_heading

    def convert(self, tokens: list[Token]) -> RichText:
        self.referenced = {
            str(child.meta.get("label"))
            for token in tokens
            for child in token.children or ()
            if child.type == "footnote_ref"
        }
        self.footnotes: dict[str, tuple[Block, ...]] = {}
        blocks = self.blocks(tokens)
        return RichText(blocks, self.footnotes)

    def blocks(self, tokens: list[Token]) -> tuple[Block, ...]:
        out: list[Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "paragraph_open":
                out.append(Paragraph(self.inlines(tokens[i + 1])))
                i += 3
            elif token.type == "heading_open":
                level = min(max(int(token.tag[1]), self.min_heading), self.max_heading)
                out.append(Heading(level, self.inlines(tokens[i + 1])))
                i += 3
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                end = self._close(tokens, i)
                out.append(self.list_block(tokens[i : end + 1]))
                i = end + 1
            elif token.type == "footnote_reference_open":
                end = self._close(tokens, i)
                out.extend(self.footnote(str(token.meta["label"]), tokens[i + 1 : end]))
                i = end + 1
            else:
                i += 1
        return tuple(out)

    def footnote(self, label: str, tokens: list[Token]) -> tuple[Block, ...]:
        """Keep a footnote's text for its references; one that nothing refers to (or a second
        definition of a label) stays in the text as written: ``[^1]: …``."""
        content = self.blocks(tokens)
        if label in self.referenced and label not in self.footnotes:
            self.footnotes[label] = content
            return ()
        marker = Span(f"[^{label}]: ")
        if content and isinstance(content[0], Paragraph):
            return (Paragraph(_merge([marker, *content[0].inlines])), *content[1:])
        return (Paragraph((Span(marker.text.rstrip()),)), *content)

    @staticmethod
    def _close(tokens: list[Token], start: int) -> int:
        depth = 0
        for j in range(start, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                return j
        return len(tokens) - 1

    def list_block(self, tokens: list[Token]) -> ListBlock:
        ordered = tokens[0].type == "ordered_list_open"
        start = int(tokens[0].attrGet("start") or 1) if ordered else 1
        items: list[tuple[Block, ...]] = []
        i = 1
        while i < len(tokens) - 1:
            if tokens[i].type == "list_item_open":
                end = self._close(tokens, i)
                items.append(self.blocks(tokens[i + 1 : end]))
                i = end + 1
            else:
                i += 1
        return ListBlock(ordered, tuple(items), start)

    def inlines(self, token: Token) -> tuple[Inline, ...]:
        out: list[Inline] = []
        bold = italic = 0
        link: str | None = None
        empty_link = False
        for child in token.children or []:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                out.append(Span(child.content, bold > 0, italic > 0, link))
            elif kind == "softbreak":
                out.append(Span(" ", bold > 0, italic > 0, link))
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                # Only ``[text]()`` gets here without an address; it is shown as written.
                link, empty_link = (href, False) if is_link_target(href) else (None, True)
                if empty_link:
                    out.append(Span("[", bold > 0, italic > 0))
            elif kind == "link_close":
                if empty_link:
                    out.append(Span("]()", bold > 0, italic > 0))
                link, empty_link = None, False
            elif kind == "footnote_ref":
                meta: dict[str, Any] = child.meta or {}
                out.append(FootnoteRef(str(meta.get("label", meta.get("id")))))
        return _merge(out)


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring spans of the same formatting (markdown-it splits text at special characters)."""
    merged: list[Inline] = []
    for inline in inlines:
        last = merged[-1] if merged else None
        if (
            isinstance(inline, Span)
            and isinstance(last, Span)
            and (last.bold, last.italic, last.link) == (inline.bold, inline.italic, inline.link)
        ):
            merged[-1] = Span(last.text + inline.text, last.bold, last.italic, last.link)
        else:
            merged.append(inline)
    return tuple(merged)


_MARKED_BREAK = MARKED_BREAK


def hard_breaks(text: str) -> str:
    r"""``text`` with each vertical tab or form feed (a line break typed in an Excel cell, or written
    ``\v`` in YAML and JSON) made a line break that shows: inside a paragraph a Markdown hard break
    (a ``\`` at the end of the line); where it ends a paragraph, a list item or a heading, a newline,
    so lists and paragraphs written in a cell keep their shape. Newlines are left as they are.

    >>> hard_breaks("Rad ett\vrad två\nsamma rad")
    'Rad ett\\\nrad två\nsamma rad'
    >>> hard_breaks("Punkter:\v- en\v- två")
    'Punkter:\n- en\n- två'
    """
    if _MARKED_BREAK.search(text) is None:
        return text
    lines: list[str] = []
    marked: list[bool] = []
    for line in text.split("\n"):
        parts = _MARKED_BREAK.split(line)
        lines.extend(parts)
        marked.extend([True] * (len(parts) - 1) + [False])
    inside: set[int] = set()
    for token in _markdown().parse("\n".join(lines)):
        if token.type == "paragraph_open" and token.map is not None:
            inside.update(range(token.map[0], token.map[1] - 1))
    for i in inside:
        trailing = len(lines[i]) - len(lines[i].rstrip("\\"))
        if marked[i] and trailing % 2 == 0 and not lines[i].endswith("  "):
            lines[i] += "\\"
    return "\n".join(lines)


def cell_text(text: str) -> str:
    r"""Rich text as it is typed in an Excel cell, where every line break shows: the inverse of
    :func:`hard_breaks`. A line end inside a paragraph that Markdown shows as a space becomes a
    space; a hard break (a ``\`` or two spaces at the end of the line) becomes a plain newline.
    Blank lines, list items and headings stay on their lines.

    >>> cell_text("Lång rad\nsom fortsätter.\\\nNy rad.\n\n- en\n- två")
    'Lång rad som fortsätter.\nNy rad.\n\n- en\n- två'
    """
    if "\n" not in text:
        return text
    lines = text.split("\n")
    inside: set[int] = set()
    for token in _markdown().parse(text):
        if token.type == "paragraph_open" and token.map is not None:
            inside.update(range(token.map[0], token.map[1] - 1))
    out: list[str] = []
    join = False
    for i, line in enumerate(lines):
        if join:
            out[-1] += " " + line.lstrip()
        else:
            out.append(line)
        join = False
        if i in inside:
            current = out[-1]
            trailing = len(current) - len(current.rstrip("\\"))
            if trailing % 2 == 1:
                out[-1] = current[:-1]
            elif current.endswith("  "):
                out[-1] = current.rstrip(" ")
            else:
                out[-1] = current.rstrip(" \t")
                join = True
    return "\n".join(out)
