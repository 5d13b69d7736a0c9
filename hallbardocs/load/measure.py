"""A YAML node tree measured before it is constructed: how deep it nests, and how large its aliases make it.

:func:`tree_problem` walks the tree level by level (nesting, HD007); a tree in which a list or
mapping is reached twice has aliases, and :func:`graph_problem` measures it without expanding it:
a recursive alias, or an alias bomb that would make the data more than :data:`ALIAS_FACTOR` times
the file's own values and more than :data:`ALIAS_FLOOR` values (HD006).
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from hallbardocs.errors import Location, Problem

__all__ = ["ALIAS_FACTOR", "ALIAS_FLOOR", "MAX_DEPTH", "graph_problem", "too_deep", "tree_problem"]

MAX_DEPTH = 100
"""The deepest nesting of lists and mappings read (a plan needs about six levels)."""
ALIAS_FACTOR = 10
"""YAML aliases may make the data at most this many times as large as the file's own values ..."""
ALIAS_FLOOR = 100_000
"""... or this many values, whichever is more."""


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield key_node
            yield value_node
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def too_deep(line: int | None, name: str) -> Problem:
    return Problem(
        "HD007",
        f"Listor och fält är nästlade i mer än {MAX_DEPTH} nivåer; en plan behöver bara några få.",
        Location(name, line),
    )


def tree_problem(root: yaml.Node, name: str) -> Problem | bool | None:
    """The nesting problem of a node tree, level by level; ``True`` when a list or mapping is
    reached twice (an alias to it, or a recursive one), for :func:`graph_problem` to measure."""
    mapping, sequence, scalar = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
    seen: set[int] = {id(root)}
    level = [root]
    depth = 1
    while level:
        below: list[yaml.Node] = []
        add = below.append
        for node in level:
            kind = type(node)
            if kind is mapping:
                for key_node, value_node in node.value:
                    if type(value_node) is not scalar:
                        add(value_node)
                    if type(key_node) is not scalar:
                        add(key_node)
            elif kind is sequence:
                below.extend([child for child in node.value if type(child) is not scalar])
        if not below:
            return None
        before = len(seen)
        seen.update(map(id, below))
        if len(seen) - before < len(below):
            return True
        if depth >= MAX_DEPTH:
            return too_deep(below[0].start_mark.line + 1, name)
        level = below
        depth += 1
    return None


def graph_problem(root: yaml.Node, name: str) -> Problem | None:
    """The problem of a node graph with aliases: a recursive alias, an alias bomb, or deep nesting.

    One walk over the distinct nodes, each counted with its expanded size and height (memoised),
    so a bomb is measured without being expanded.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, Iterator[yaml.Node]]] = [(root, _children(root))]
    on_path.add(id(root))
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            below = list(_children(node))
            size[id(node)] = 1 + sum(size.get(id(c), 1) for c in below)
            height[id(node)] = 1 + max((height.get(id(c), 1) for c in below), default=0)
            nodes[id(node)] = node
            continue
        if isinstance(child, yaml.ScalarNode):
            continue
        ident = id(child)
        line = child.start_mark.line + 1
        if ident in on_path:
            return Problem(
                "HD006",
                "Ett alias (*namn) står inne i värdet det pekar på, så värdet skulle aldrig ta slut; "
                "skriv ut värdet i stället.",
                Location(name, line),
            )
        if ident in size:
            if len(stack) + height[ident] > MAX_DEPTH:
                return too_deep(line, name)
            continue
        if len(stack) >= MAX_DEPTH:
            return too_deep(line, name)
        on_path.add(ident)
        stack.append((child, _children(child)))
    own = sum(1 + len(node.value) * (2 if isinstance(node, yaml.MappingNode) else 1) for node in nodes.values())
    limit = max(ALIAS_FLOOR, ALIAS_FACTOR * own)
    if size[id(root)] <= limit:
        return None
    first = min((n for i, n in nodes.items() if size[i] > limit), key=lambda n: (size[id(n)], n.start_mark.line))
    count = f"{limit:,}".replace(",", "\u00a0")
    return Problem(
        "HD006",
        f"Alias (*namn) skulle upprepa värdet här till fler än {count} värden, mer än tio gånger vad filen "
        "själv innehåller (en aliasbomb); skriv ut värdena i stället för alias.",
        Location(name, first.start_mark.line + 1),
    )
