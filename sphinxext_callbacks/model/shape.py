"""The normalized schema: what every part that applies to one value says, as one :class:`Shape`.

A table's rows, its Format cells and a made example all read a schema through this one
normalization, so that they agree on what it means:

- ``$ref`` targets and ``allOf`` members merge into one shape. ``allOf`` is an intersection:
  ``properties`` and ``required`` add up, ``type`` intersects (``integer`` is a ``number``),
  ``enum``/``const`` intersect, and a ``oneOf``/``anyOf`` inside a member keeps its
  alternatives. Annotations (description, example, ...) take the first value found, and a
  ``$ref``'s siblings come before its target, so that a local description wins.
- A ``$ref`` is a cycle only when it is on its own path from the root: each :class:`Part`
  carries the ``$ref``\\ s it was reached through. The same schema used twice elsewhere (two
  properties of one type, a base that every object extends) is expanded in each place.
- ``oneOf``/``anyOf``: a ``{"type": "null"}`` alternative makes the value nullable, a single
  remaining alternative merges in, and several stay a :class:`Group` of alternatives of any
  kind (objects, arrays, scalars, maps).
- Nullability is one fact (:attr:`Shape.nullable`), whichever way the spec says it.

Children are built on demand (``Normalizer.build`` of a property's parts), so that a
recursive schema is never expanded further than a reader walks it. Nothing here reads files:
``$ref``\\ s are followed through a :class:`Resolver` (the readers' ``Refs`` for a spec, a
local one for a self-contained schema).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sphinxext_callbacks.model.jsontypes import JsonTypes
from sphinxext_callbacks.model.problems import Problem

__all__ = [
    "TYPE_ORDER",
    "Alternative",
    "Group",
    "Normalizer",
    "Part",
    "Resolver",
    "Shape",
    "Spot",
    "meet",
]

#: How JSON types are listed: the order of a Format cell's "object or string".
TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")

#: Alternatives nested deeper than this are not built (a problem says so).
MAX_NESTING = 32


class Spot(Protocol):
    """A place in a spec: the URI of its resource and a JSON Pointer there."""

    @property
    def uri(self) -> str: ...

    @property
    def pointer(self) -> str: ...

    def child(self, *segments: str | int) -> Spot:
        """The place of a value inside this one."""
        ...


class Resolver(Protocol):
    """How ``$ref``s are followed (the readers' ``Refs`` is one)."""

    def follow(self, ref: str, at: Any) -> tuple[Any, Any] | Problem:
        """The target of ``$ref`` *ref* written at *at*, and its place; or why not."""
        ...

    def scope(self, schema: Mapping[str, Any], at: Any) -> Any:
        """Where *schema*'s own ``$ref``s resolve from (a nested ``$id`` starts a resource)."""
        ...

    def origin(self, location: Any) -> str:
        """``file#/pointer`` of a place, as the author would find it."""
        ...


def spot_key(at: Spot) -> str:
    """The identity of a place: ``uri#pointer``."""
    return f"{at.uri}#{at.pointer}"


@dataclass(frozen=True)
class Part:
    """One schema that applies to a value, where it stands, and the ``$ref``s that led to it."""

    schema: Any
    at: Any
    #: The ``$ref`` targets on this part's own path from the root: met again, a cycle.
    chain: frozenset[str] = frozenset()

    def child(self, schema: Any, *segments: str | int) -> Part:
        return Part(schema, self.at.child(*segments), self.chain)


def meet(old: frozenset[str] | None, new: frozenset[str]) -> frozenset[str]:
    """The JSON types both allow (``None``: any type). An integer is a number too."""
    if old is None:
        return new
    both = {name for name in old if name in new or (name == "integer" and "number" in new)}
    both |= {name for name in new if name == "integer" and "number" in old}
    return frozenset(both)


def _sorted_types(names: frozenset[str] | set[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda n: TYPE_ORDER.index(n) if n in TYPE_ORDER else 99))


@dataclass
class Alternative:
    """One alternative of a ``oneOf``/``anyOf``: what it is called (``None``: no name)."""

    label: str | None
    shape: Shape
    #: The schema it was built from.
    part: Part | None = None


@dataclass
class Group:
    """One ``oneOf`` or ``anyOf`` with two or more alternatives that are not ``null``."""

    word: str
    alternatives: list[Alternative]
    discriminator: Any = None


@dataclass
class Shape:
    """Everything known about one value, after ``$ref``/``allOf``/single alternatives merged."""

    at: Any = None
    #: The JSON types the value may have, without ``null``; ``None``: any type.
    types: frozenset[str] | None = None
    #: ``None``: nothing says; ``True``: null is allowed and said so; ``False``: not allowed.
    null: bool | None = None
    #: OpenAPI 3.0's ``nullable: true`` beside a ``$ref``/``allOf``/``oneOf`` and no type: the
    #: value is what they say, or null (as the bundled schema's ``anyOf [..., null]`` says).
    null_beside: bool = False
    properties: dict[str, list[Part]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: list[Part] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict)
    #: The values ``enum``/``const`` allow (``None``: any), null included.
    enum: list[Any] | None = None
    #: The ``$ref`` targets merged here, and those on its path from the root.
    refs: frozenset[str] = frozenset()
    chain: frozenset[str] = frozenset()
    #: The ``$ref`` (``uri#pointer``) on its own path that was not followed again.
    cycle: str | None = None
    ref_name: str | None = None
    #: ``additionalProperties`` schemas, ``patternProperties`` by pattern, and whether
    #: ``additionalProperties`` is ``true``: the keys a payload may have beyond its properties.
    extra: list[Part] = field(default_factory=list)
    patterns: dict[str, list[Part]] = field(default_factory=dict)
    open: bool = False
    #: The places of parts that say ``additionalProperties: false`` and of their properties.
    closed: list[tuple[Any, frozenset[str]]] = field(default_factory=list)
    #: The schema ``false`` is among the parts: no value matches.
    never: bool = False
    #: Raw ``oneOf``/``anyOf`` lists met while merging, built by :meth:`Normalizer.build`.
    _pending: list[tuple[str, list[Part], Any]] = field(default_factory=list)

    @property
    def cyclic(self) -> bool:
        return self.cycle is not None

    @property
    def nullable(self) -> bool:
        """Whether ``null`` is a value the spec says this may have."""
        if self.null_beside:
            return True
        if self.null is False:
            return False
        return self.null is True or (self.enum is not None and None in self.enum)

    @property
    def empty(self) -> bool:
        """Whether the types the parts allow have nothing in common."""
        return self.never or (self.types is not None and not self.types and self.null is False)

    def type_names(self) -> tuple[str, ...]:
        """The value's own JSON types (``null`` aside), in reading order."""
        if self.types is not None:
            return _sorted_types(self.types)
        names: set[str] = set()
        if self.properties or self.extra or self.patterns:
            names.add("object")
        if self.items:
            names.add("array")
        if not names and self.enum:
            names.update(_json_type(value) for value in self.enum if value is not None)
        return _sorted_types(names)

    @property
    def is_null(self) -> bool:
        return self.null is True and self.types is not None and not self.types

    @property
    def is_object(self) -> bool:
        return bool(self.properties or self.extra or self.patterns) or (
            "object" in self.type_names() and not self.items
        )

    @property
    def is_array(self) -> bool:
        return "array" in self.type_names() or (self.types is None and bool(self.items))


def _json_type(value: Any) -> str:
    from sphinxext_callbacks.model.jsontypes import json_type

    return json_type(value)


def _intersect(old: list[Any] | None, new: list[Any]) -> list[Any]:
    if old is None:
        return list(new)
    return [value for value in old if value in new]


#: Keywords whose first value (a ``$ref``'s siblings first) describes the value.
ANNOTATIONS = (
    "description",
    "title",
    "format",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "x-enum-descriptions",
    "x-enumDescriptions",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "summary",
)


def part_types(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The types one schema object allows, ``null`` included; ``None``: it does not say."""
    kind = schema.get("type")
    if isinstance(kind, str):
        names = {kind}
    elif isinstance(kind, list):
        names = {k for k in kind if isinstance(k, str)}
    else:
        return None
    if schema.get("nullable") is True:
        names.add("null")  # OpenAPI 3.0
    return frozenset(names)


class Normalizer:
    """Builds shapes of one schema, within a budget of schema objects visited.

    *label* names an alternative (``Alternative.label``) once it is built.
    """

    def __init__(self, resolver: Resolver, budget: int = 200_000) -> None:
        self.resolver = resolver
        self.problems: list[Problem] = []
        #: How many more schema objects may be visited: ``$ref`` DAGs can be exponential.
        self.budget = budget
        #: A loop of bare ``$ref``s (reported when nothing else explains an empty table).
        self.loop: Problem | None = None
        self.too_deep = False

    def root(self, schema: Any, at: Any) -> Shape:
        """The shape of the schema at *at*."""
        return self.build([Part(schema, at, frozenset({spot_key(at)}))])

    def build(self, parts: Sequence[Part], level: int = 0) -> Shape:
        """Merge *parts* (and everything they ``$ref`` or ``allOf``) into one shape.

        *level* counts the alternatives this shape is nested in: a chain of them through
        ``$ref``s is flat in the file but can be thousands deep.
        """
        shape = Shape(at=parts[0].at if parts else None)
        flat: list[Part] = []
        seen: set[str] = set()
        chain: frozenset[str] = frozenset()
        for part in parts:
            chain |= part.chain
            self._collect(part, flat, seen, shape)
        shape.refs = frozenset(seen)
        shape.chain = chain | shape.refs
        for part in flat:
            self._fold(shape, part)
        self._resolve_groups(shape, level)
        return shape

    def _collect(self, part: Part, flat: list[Part], seen: set[str], shape: Shape) -> None:
        schema = part.schema
        if schema is False:
            shape.never = True
            return
        if not isinstance(schema, Mapping):
            return
        self.budget -= 1
        if self.budget < 0:
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if schema.get("nullable") is True and part_types(schema) is None:
                shape.null_beside = True
            self._follow(part, ref, flat, seen, shape)
            return
        at = self.resolver.scope(schema, part.at)
        if at is not part.at:
            part = Part(schema, at, part.chain)
        flat.append(part)
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            for index, member in enumerate(all_of):
                self._collect(part.child(member, "allOf", index), flat, seen, shape)

    def _follow(self, part: Part, ref: str, flat: list[Part], seen: set[str], shape: Shape) -> None:
        siblings = {key: value for key, value in part.schema.items() if key != "$ref"}
        if siblings:
            flat.append(Part(siblings, part.at, part.chain))
        found = self.resolver.follow(ref, part.at)
        if isinstance(found, Problem):
            if found not in self.problems:
                self.problems.append(found)
            return
        target, at = found
        key = spot_key(at)
        if shape.ref_name is None:
            shape.ref_name = ref_name(ref, at.uri)
        if key in part.chain:
            # On its own path: a recursive schema. Shown once, not expanded again (but its
            # type is known); a loop of bare $refs is reported if the table is empty.
            shape.cycle = shape.cycle or key
            if isinstance(target, Mapping):
                kind = target.get("type", "object" if "properties" in target else None)
                if kind is not None:
                    flat.append(Part({"type": kind}, at, part.chain))
            if self.loop is None:
                self.loop = Problem(
                    "ref", f"$ref {ref!r} in {self.resolver.origin(part.at)} loops back on itself"
                )
            return
        if key in seen:
            return  # merged already: the same member twice in one allOf changes nothing
        seen.add(key)
        self._collect(Part(target, at, part.chain | {key}), flat, seen, shape)

    def _fold(self, shape: Shape, part: Part) -> None:
        schema = part.schema
        self._fold_types(shape, schema)
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            for name, sub in properties.items():
                shape.properties.setdefault(str(name), []).append(
                    part.child(sub, "properties", name)
                )
        self._fold_extra(shape, part)
        required = schema.get("required")
        if isinstance(required, list):
            shape.required.update(name for name in required if isinstance(name, str))
        items = schema.get("items")
        if isinstance(items, Mapping):
            shape.items.append(part.child(items, "items"))
        elif isinstance(items, list) and items and isinstance(items[0], Mapping):
            shape.items.append(part.child(items[0], "items", 0))  # draft-4 tuple form
        for word in ("oneOf", "anyOf"):
            alternatives = schema.get(word)
            if isinstance(alternatives, list) and alternatives:
                alts = [part.child(alt, word, index) for index, alt in enumerate(alternatives)]
                shape._pending.append((word, alts, schema.get("discriminator")))
        for name in ANNOTATIONS:
            if name in schema and name not in shape.annotations:
                shape.annotations[name] = schema[name]
        if "const" in schema:
            shape.enum = _intersect(shape.enum, [schema["const"]])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            shape.enum = _intersect(shape.enum, enum)

    @staticmethod
    def _fold_types(shape: Shape, schema: Mapping[str, Any]) -> None:
        names = part_types(schema)
        if names is None:
            if schema.get("nullable") is True and "enum" not in schema and "const" not in schema:
                # Alone, OpenAPI 3.0's nullable means nothing; beside what constrains the
                # value, it means "or null" (json_schema.from_older_drafts reads it the same).
                shape.null_beside = shape.null_beside or any(
                    word in schema for word in ("$ref", "allOf", "anyOf", "oneOf", "not", "if")
                )
            return
        shape.types = meet(shape.types, names - {"null"})
        if "null" not in names:
            shape.null = False
        elif shape.null is None:
            shape.null = True

    @staticmethod
    def _fold_extra(shape: Shape, part: Part) -> None:
        schema = part.schema
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            shape.extra.append(part.child(extra, "additionalProperties"))
        elif extra is True or (isinstance(extra, Mapping) and not extra):
            shape.open = True  # {} allows any value, as true does
        elif extra is False:
            listed = schema.get("properties")
            names = (
                frozenset(str(n) for n in listed) if isinstance(listed, Mapping) else frozenset()
            )
            shape.closed.append((part.at, names))
        patterns = schema.get("patternProperties")
        if isinstance(patterns, Mapping):
            for pattern, sub in patterns.items():
                shape.patterns.setdefault(str(pattern), []).append(
                    part.child(sub, "patternProperties", pattern)
                )

    def _resolve_groups(self, shape: Shape, level: int) -> None:
        pending, shape._pending = shape._pending, []
        if shape.cyclic and not shape.properties:
            return  # a cycle is shown once: its alternatives would lead back round it
        if pending and level >= MAX_NESTING:
            if not self.too_deep:
                self.too_deep = True
                where = self.resolver.origin(pending[0][1][0].at)
                self.problems.append(
                    Problem(
                        "schema",
                        f"{where}: alternatives nested more than {MAX_NESTING} levels deep; "
                        "the deeper ones are not shown",
                    )
                )
            return
        for word, parts, discriminator in pending:
            alternatives: list[Alternative] = []
            allows_null = False
            for alt_part in parts:
                alt = self.build([alt_part], level + 1)
                if alt.is_null:
                    allows_null = True
                    continue
                allows_null = allows_null or alt.nullable
                alternatives.append(Alternative(None, alt, alt_part))
            self._narrow(shape, [alt.shape for alt in alternatives], allows_null)
            if len(alternatives) == 1:
                self._merge(shape, alternatives[0].shape)
            elif alternatives:
                shape.groups.append(Group(word, alternatives, discriminator))

    @staticmethod
    def _narrow(shape: Shape, alternatives: list[Shape], allows_null: bool) -> None:
        """What a ``oneOf``/``anyOf`` says of the value's types: the union of its alternatives'."""
        union: set[str] = set()
        for alt in alternatives:
            if alt.types is None:
                break
            union |= alt.types
        else:
            shape.types = meet(shape.types, frozenset(union))
        if allows_null:
            if shape.null is None:
                shape.null = True
        elif all(alt.null is False for alt in alternatives) and alternatives:
            shape.null = False

    @staticmethod
    def _merge(shape: Shape, other: Shape) -> None:
        """Merge the one alternative left in a group: its types are already narrowed."""
        for name, parts in other.properties.items():
            shape.properties.setdefault(name, []).extend(parts)
        shape.required |= other.required
        shape.extra.extend(other.extra)
        for pattern, parts in other.patterns.items():
            shape.patterns.setdefault(pattern, []).extend(parts)
        shape.open = shape.open or other.open
        shape.closed.extend(other.closed)
        shape.items.extend(other.items)
        shape.groups.extend(other.groups)
        for name, value in other.annotations.items():
            shape.annotations.setdefault(name, value)
        if other.enum is not None:
            shape.enum = _intersect(shape.enum, other.enum)
        shape.refs |= other.refs
        shape.chain |= other.chain
        shape.cycle = shape.cycle or other.cycle
        shape.never = shape.never or other.never
        shape.null_beside = shape.null_beside or other.null_beside


def ref_name(ref: str, uri: str) -> str:
    """The name a ``$ref`` gives what it points at: the last pointer segment, or the file's."""
    import os
    from urllib.parse import unquote, urldefrag

    target, fragment = urldefrag(ref)
    if fragment.startswith("/"):
        last = fragment.rsplit("/", 1)[-1]
        return unquote(last).replace("~1", "/").replace("~0", "~")
    name = os.path.basename(target) or uri.rsplit("/", 1)[-1]
    for ending in (".schema.json", ".json", ".yaml", ".yml"):
        if name.endswith(ending):
            return name[: -len(ending)]
    return name


def types_of(normalizer: Normalizer, shape: Shape, level: int = 0) -> JsonTypes | None:
    """The value's JSON types as a typed fact (``array`` knows its items' types): its own,
    then those of its alternatives, in the order the spec gives them."""
    names: list[str] = []
    items: JsonTypes | None = None
    for group in shape.groups:
        for alt in group.alternatives:
            if alt.shape.is_object:
                names.append("object")
                continue
            inner = types_of(normalizer, alt.shape, level + 1) if level < 8 else None
            if inner is not None:
                names.extend(inner.names)
                items = items or inner.items
    for name in shape.type_names():
        names.append(name)
        if name == "array" and shape.items and level < 8:
            items = types_of(normalizer, normalizer.build(shape.items), level + 1) or items
    if shape.types is not None:
        # The value's own types bound its alternatives' (an integer alternative of a number).
        names = [
            n for n in names if n in shape.types or (n == "integer" and "number" in shape.types)
        ]
    unique = tuple(dict.fromkeys(names))
    if not unique:
        return None
    return JsonTypes(unique, items if "array" in unique else None)
