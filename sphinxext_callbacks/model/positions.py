"""Where each key of a JSON or YAML text stands: the one way to find a key's line.

The example checker asks where a payload's keys are, and a reader's problem asks where
a ``file#/pointer`` is. Both get a map from the path of a value (keys and array indexes
from the top) to its ``(line, column)``, both 0-based: a key's own position for an
object member, the value's for an array item and for the top.

Finding lines costs one pass over the text plus a binary search per key, so a large
payload or spec is mapped in linear time.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml  # imported where YAML is read (see readers.files)

__all__ = ["Path", "Positions", "json_positions", "lookup", "node_kind", "yaml_positions"]

#: The keys and array indexes from the top value to one value inside it.
Path = tuple[str | int, ...]
#: ``(line, column)``, 0-based, of each path.
Positions = dict[Path, tuple[int, int]]

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Lines:
    """Line and column of an offset, from the offsets where lines start."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def at(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, pos) - 1
        return line, pos - self.starts[line]


def json_positions(text: str) -> Positions:
    """The position of every value of JSON *text*, which :func:`json.loads` accepted.

    A repeated key keeps its last position, as :func:`json.loads` keeps its last value.
    Very deep nesting gives the positions down to where Python's recursion stops.
    """
    decoder = json.JSONDecoder()
    lines = _Lines(text)
    found: Positions = {}

    def skip(pos: int) -> int:
        match = _WHITESPACE.match(text, pos)
        return match.end() if match else pos

    def value(pos: int, path: Path) -> int:
        pos = skip(pos)
        found.setdefault(path, lines.at(pos))
        if text.startswith("{", pos):
            pos = skip(pos + 1)
            if text.startswith("}", pos):
                return pos + 1
            while True:
                pos = skip(pos)
                where = lines.at(pos)
                key, pos = decoder.raw_decode(text, pos)
                pos = skip(pos) + 1  # past ":"
                key_path = (*path, key)
                found[key_path] = where
                pos = skip(value(pos, key_path))
                if text.startswith("}", pos):
                    return pos + 1
                pos += 1  # past ","
        if text.startswith("[", pos):
            pos = skip(pos + 1)
            if text.startswith("]", pos):
                return pos + 1
            index = 0
            while True:
                pos = skip(value(pos, (*path, index)))
                index += 1
                if text.startswith("]", pos):
                    return pos + 1
                pos += 1
        return int(decoder.raw_decode(text, pos)[1])

    # Nested deeper than Python recurses: the keys found so far are all there is to say.
    with contextlib.suppress(RecursionError):
        value(0, ())
    return found


def yaml_positions(text: str) -> Positions | None:
    """The position of every value of YAML *text*, or ``None`` when it cannot be composed.

    Only the node tree is built (no values); it is walked without recursion, and
    the inside of an aliased node only where its anchor stands.
    """
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):
        return None
    found: Positions = {}
    if root is None:
        return found
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    found[()] = (root.start_mark.line, root.start_mark.column)
    # An alias is the node of its anchor: walk each node once, or aliases blow up.
    walked = {id(root)}
    while stack:
        node, path = stack.pop()
        for child, child_path, mark in _members(node, path):
            # The first of repeated keys, as a reader of the file finds it first.
            found.setdefault(child_path, (mark.line, mark.column))
            if id(child) not in walked:
                walked.add(id(child))
                stack.append((child, child_path))
    return found


def node_kind(node: yaml.Node) -> str:
    """``"scalar"``, ``"sequence"`` or ``"mapping"``: the ``id`` PyYAML's node classes have.

    Walks of a YAML node graph ask it once a node, without importing PyYAML (whose
    import every build that reads no YAML would otherwise pay).
    """
    return str(getattr(node, "id", ""))


def _members(node: yaml.Node, path: Path) -> Iterator[tuple[yaml.Node, Path, yaml.Mark]]:
    if node_kind(node) == "mapping":
        for key_node, value_node in node.value:
            if node_kind(key_node) == "scalar":
                # A key's line is where an author looks for the entry.
                yield value_node, (*path, key_node.value), key_node.start_mark
    elif node_kind(node) == "sequence":
        for index, item in enumerate(node.value):
            yield item, (*path, index), item.start_mark


def lookup(positions: Positions, segments: list[str]) -> tuple[int, int] | None:
    """The position of the value that unescaped pointer *segments* select, if any."""
    path: Path = ()
    for segment in segments:
        if (*path, segment) in positions:
            path = (*path, segment)
        elif segment.isdigit() and (*path, int(segment)) in positions:
            path = (*path, int(segment))
        else:
            return None
    return positions.get(path)
