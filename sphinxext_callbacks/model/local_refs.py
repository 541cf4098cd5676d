"""``$ref``\\ s inside one self-contained schema: what a made example and a check resolve.

A table's schema (the source's, bundled, or one made from inline fields) refers only to
itself (``#/$defs/Order``). :class:`LocalRefs` resolves those with ``referencing`` for the
:class:`~sphinxext_callbacks.model.shape.Normalizer`, and names each place by its JSON
Pointer in the schema, so that a value can be validated against the very part it was made for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from sphinxext_callbacks.model.problems import Problem

__all__ = ["ROOT", "LocalRefs", "Spot"]

#: The URI a table's schema is registered under: a name, never fetched.
ROOT = "urn:sphinxext-callbacks:payload"


def _escape(segment: str | int) -> str:
    return str(segment).replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Spot:
    """A place in the schema: a JSON Pointer from its root."""

    pointer: str = ""
    uri: str = ROOT

    def child(self, *segments: str | int) -> Spot:
        return Spot(self.pointer + "".join("/" + _escape(s) for s in segments), self.uri)

    @property
    def ref(self) -> str:
        """A ``$ref`` to this place."""
        return f"{ROOT}#{quote(self.pointer, safe='/~')}"


class LocalRefs:
    """Resolves the ``#...`` references of one schema; anything else resolves nowhere."""

    def __init__(self, schema: Any) -> None:
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        self.registry: Any = Registry().with_resource(ROOT, DRAFT202012.create_resource(schema))
        self._resolver = self.registry.resolver(ROOT)

    def follow(self, ref: str, at: Spot) -> tuple[Any, Spot] | Problem:
        from referencing.exceptions import Unresolvable

        if not ref.startswith("#"):
            return Problem("ref", f"$ref {ref!r} is not inside the table's schema")
        try:
            resolved = self._resolver.lookup(ROOT + ref)
        except (Unresolvable, ValueError, TypeError, LookupError, AttributeError):
            return Problem("ref", f"$ref {ref!r} resolves nowhere")
        fragment = unquote(ref[1:])
        return resolved.contents, Spot(fragment if fragment.startswith("/") else "")

    def scope(self, schema: Mapping[str, Any], at: Spot) -> Spot:
        return at

    def origin(self, location: Spot) -> str:
        return f"#{location.pointer}"
