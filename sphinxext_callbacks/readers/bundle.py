"""A source's own schema as one self-contained JSON Schema (2020-12), to validate against.

:func:`bundle` copies the schema a directive selected, and every schema it reaches through
``$ref`` (in the same file or another), into one document: each schema referred to is a
``$defs`` entry named after its place (``Order``, ``address``), and each ``$ref`` points
there. Nothing absolute (no local path, no ``file:`` URI) is left in it, so that it can
be published; the same source always gives the same bytes. OpenAPI 3.0 keywords that
change validation are turned into 2020-12 ones
(:func:`~sphinxext_callbacks.model.json_schema.from_older_drafts`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sphinxext_callbacks.model.json_schema import (
    DIALECT,
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    SCHEMA_VALUES,
    from_older_drafts,
)
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.refs import Location, Refs, uri_path

__all__ = ["bundle"]

#: Keywords that name or scope a schema: meaningless once it is copied into ``$defs``.
_DROPPED = frozenset(
    {"$id", "$schema", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$defs", "definitions"}
)
#: How many schema objects a bundle holds at most, and how deep it nests.
_BUDGET = 20_000
_MAX_DEPTH = 64


class _Bundler:
    def __init__(self, refs: Refs) -> None:
        self.refs = refs
        self.defs: dict[str, Any] = {}
        self.names: dict[str, str] = {}
        self.budget = _BUDGET

    def name_for(self, at: Location) -> tuple[str, bool]:
        """The ``$defs`` name of the schema at *at*, and whether it is new."""
        key = f"{at.uri}#{at.pointer}"
        if key in self.names:
            return self.names[key], False
        if at.pointer:
            base = pointers.last(at.pointer)
        else:
            path = uri_path(at.uri)
            base = os.path.basename(path or at.uri).split(".")[0]
        base = re.sub(r"[^A-Za-z0-9_.-]+", "-", base).strip("-") or "schema"
        name, count = base, 1
        while name in self.defs:
            count += 1
            name = f"{base}-{count}"
        self.names[key] = name
        self.defs[name] = {}
        return name, True

    def copy(self, schema: Any, at: Location, depth: int = 0) -> Any:
        if not isinstance(schema, Mapping):
            return schema if isinstance(schema, bool) else {}
        self.budget -= 1
        if self.budget < 0 or depth > _MAX_DEPTH:
            return {}
        at = self.refs.scope(schema, at)
        out: dict[str, Any] = {}
        for word, value in schema.items():
            if word in _DROPPED or (word == "id" and isinstance(value, str)):
                continue
            if word == "$ref" and isinstance(value, str):
                target = self.follow(value, at, depth)
                if target is not None:
                    out["$ref"] = target
            else:
                out[word] = self.copy_value(word, value, at, depth)
        return from_older_drafts(out)

    def copy_value(self, word: str, value: Any, at: Location, depth: int) -> Any:
        """The value of keyword *word*, its subschemas copied (a keyword of no schema as is)."""
        if word in SCHEMA_VALUES and not isinstance(value, list):
            return self.copy(value, at.child(word), depth + 1)
        if (word in SCHEMA_VALUES or word in SCHEMA_LISTS) and isinstance(value, list):
            return [self.copy(v, at.child(word, i), depth + 1) for i, v in enumerate(value)]
        if word in SCHEMA_MAPS and isinstance(value, Mapping):
            return {
                str(name): self.copy(v, at.child(word, str(name)), depth + 1)
                for name, v in value.items()
            }
        return value

    def follow(self, ref: str, at: Location, depth: int) -> str | None:
        """The bundle's own ``$ref`` for *ref* written at *at*; ``None`` if it resolves nowhere
        (the table's walk reported that already: the bundle then accepts any value there)."""
        found = self.refs.follow(ref, at)
        if isinstance(found, Problem):
            return None
        target, target_at = found
        name, new = self.name_for(target_at)
        if new:
            self.defs[name] = self.copy(target, target_at, depth + 1)
        return "#/$defs/" + pointers.escape(name)


def bundle(schemas: Sequence[tuple[Any, Location]], refs: Refs) -> dict[str, Any]:
    """One self-contained 2020-12 schema of *schemas* (several: a payload may be any of them)."""
    bundler = _Bundler(refs)
    copies = [bundler.copy(schema, at) for schema, at in schemas]
    result: dict[str, Any] = {"$schema": DIALECT}
    if len(copies) == 1 and isinstance(copies[0], Mapping):
        result.update(copies[0])
    else:
        result["anyOf"] = copies
    if bundler.defs:
        result["$defs"] = dict(sorted(bundler.defs.items()))
    return result
