"""How much work a ``jsonschema`` check of one schema may be, before it runs.

``jsonschema`` applies a ``$ref``'s target again at each place that refers to it, and applies
every ``allOf`` member to the same value. A spec that refers to each level twice (a DAG of
``$ref``\\ s, thirty levels deep) is a few hundred bytes and makes a check apply a billion
schema objects to one value. :func:`expansion` counts what a check may apply, once per
distinct schema object (linear in the schema's size), and a check is refused when it is over
:data:`MAX_EXPANSION`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sphinxext_callbacks.model.local_refs import LocalRefs, Spot
from sphinxext_callbacks.model.problems import Problem

__all__ = ["MAX_EXPANSION", "SchemaTooLarge", "check_expansion", "expansion"]

#: The most schema objects, each ``$ref`` and ``allOf`` reuse counted again, that a check of
#: one schema may apply: about half a second of ``jsonschema``'s time for each value checked.
#: GitHub's largest webhook schema expands to 4,455.
MAX_EXPANSION = 200_000

#: Keywords whose values are data, never schemas: their objects are not counted.
_DATA = frozenset({"const", "default", "enum", "example", "examples"})


class SchemaTooLarge(ValueError):
    """A schema whose check could apply more than :data:`MAX_EXPANSION` schema objects."""


def expansion(schema: Any, limit: int = MAX_EXPANSION) -> int:
    """How many schema objects a check of *schema* may apply to one value, counting each
    reuse through a local ``$ref`` again; at most ``limit + 1``."""
    refs = LocalRefs(schema)
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: Any) -> int:
        if isinstance(node, list):
            return min(limit + 1, sum(size(item) for item in node))
        if not isinstance(node, Mapping):
            return 0
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            # A cycle applies its schemas again only to a smaller value: not a multiplier.
            return 1
        on_path.add(key)
        total = 1
        for name, value in node.items():
            if name not in _DATA:
                total = min(limit + 1, total + size(value))
        ref = node.get("$ref")
        if isinstance(ref, str):
            followed = refs.follow(ref, Spot())
            if not isinstance(followed, Problem):
                total = min(limit + 1, total + size(followed[0]))
        on_path.discard(key)
        sizes[key] = total
        return total

    try:
        return size(schema)
    except RecursionError:  # a chain of $refs deeper than Python's stack
        return limit + 1


def check_expansion(schema: Any) -> None:
    """Raise :class:`SchemaTooLarge` when a check of *schema* may cost too much."""
    if expansion(schema) > MAX_EXPANSION:
        raise SchemaTooLarge(
            f"its $refs and allOfs expand to more than {MAX_EXPANSION:,} schema objects, "
            "the most a check may apply"
        )
