"""JSON Schema to fields: the walk that turns an object schema into table rows.

Drafts 4 to 2020-12 and the OpenAPI 3.0 / 3.1 schema dialects are read the same
lenient way: the walk wants to *describe* a payload, not validate one. ``$ref``s are
resolved with the ``referencing`` library through a registry whose retrieval loads
local files only (:mod:`~sphinxext_callbacks.readers.refs`): nothing is ever fetched
from the network.

Merging rules, so that the result reads well:

- ``allOf`` members and ``$ref`` targets merge into one schema. Annotations
  (description, example, ...) take the first value found, and a ``$ref``'s siblings
  come before its target, so that a local description wins. ``type`` and ``enum``
  intersect, ``properties`` and ``required`` add up.
- ``oneOf``/``anyOf``: a ``{"type": "null"}`` alternative makes the field nullable;
  a single remaining alternative merges in (``anyOf: [{$ref}]`` is a common way to
  attach a description); several scalar alternatives become ``string or integer``;
  object alternatives contribute their properties, each row knowing its alternatives
  (``Field.alternatives``): labelled by the alternative's ``title``, else its discriminator
  value, else its ``const``, else its ``$ref`` name (else unnamed, "Option N");
  alternatives that are all ``const`` values are an enum, and their descriptions (or
  ``x-enum-descriptions`` / ``x-enumDescriptions``) describe its values.

Open-ended objects: ``additionalProperties`` with a schema gives a row ``parent.{key}``,
each ``patternProperties`` pattern a row ``parent.{PATTERN}``, and
``additionalProperties: true`` (or ``{}``) a note that other keys may appear.
Descriptions and titles given per language (``{en: ..., cy: ...}``) are localised.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote, urldefrag

from sphinxext_callbacks.model.facts import constraints_of
from sphinxext_callbacks.model.fields import (
    BODY_PATH,
    CONSTRAINTS,
    MISSING,
    Choice,
    Field,
    Markup,
    Note,
    localised,
)
from sphinxext_callbacks.model.jsontypes import json_type
from sphinxext_callbacks.model.paths import ITEMS, Path, format_path
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.bundle import bundle
from sphinxext_callbacks.readers.reader import Reading, Selection, SourceRequest
from sphinxext_callbacks.readers.refs import Location, Refs
from sphinxext_callbacks.readers.spec_examples import schema_examples

__all__ = [
    "MAX_NESTING",
    "JsonSchemaReader",
    "SchemaRows",
    "SchemaWalk",
    "WalkOptions",
    "alternatives_fields",
    "looks_like_schema",
    "schema_fields",
    "value_field",
    "walk_options",
]

#: Nested objects deeper than this are not flattened (a Problem says so).
MAX_NESTING = 32

_TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")


# -- Merged schema nodes ----------------------------------------------------------------------


@dataclass
class _Part:
    schema: Mapping[str, Any]
    at: Location


@dataclass
class _Node:
    """Everything known about one value, after ``$ref``/``allOf``/single alternatives merged."""

    at: Location | None = None
    types: set[str] | None = None
    nullable: bool = False
    properties: dict[str, list[_Part]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: list[_Part] = field(default_factory=list)
    #: Each ``oneOf``/``anyOf``: its alternatives, and the ``discriminator`` beside it.
    groups: list[tuple[list[_Part], Any]] = field(default_factory=list)
    #: The groups with their alternatives built and labelled (``None``: no name).
    choices: list[list[tuple[str | None, _Node]]] = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict)
    enum: list[Any] | None = None
    refs: frozenset[str] = frozenset()
    cyclic: bool = False
    #: The ``$ref`` (``uri#pointer``) that made it cyclic: it leads back to an enclosing value.
    cycle: str | None = None
    ref_name: str | None = None
    #: ``additionalProperties`` schemas, ``patternProperties`` by pattern, and whether
    #: ``additionalProperties`` is ``true``: the keys a payload may have beyond its properties.
    extra: list[_Part] = field(default_factory=list)
    patterns: dict[str, list[_Part]] = field(default_factory=dict)
    open: bool = False

    def type_names(self) -> list[str]:
        if self.types is not None:
            names = set(self.types)
        else:
            names = set()
            if self.properties or self.extra or self.patterns:
                names.add("object")
            if self.items:
                names.add("array")
            if not names and self.enum:
                names.update(json_type(value) for value in self.enum)
        names.discard("null")
        return sorted(names, key=lambda n: _TYPE_ORDER.index(n) if n in _TYPE_ORDER else 99)

    @property
    def is_null(self) -> bool:
        return self.types == {"null"} and not self.properties

    @property
    def is_object(self) -> bool:
        return bool(self.properties or self.extra or self.patterns) or (
            "object" in self.type_names() and not self.items
        )

    @property
    def is_array(self) -> bool:
        return "array" in self.type_names() or (self.types is None and bool(self.items))


def _intersect(old: list[Any] | None, new: list[Any]) -> list[Any]:
    if old is None:
        return list(new)
    both = [value for value in old if value in new]
    return both or list(new)


_ANNOTATIONS = (
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
    *CONSTRAINTS.values(),
)


@dataclass(frozen=True)
class WalkOptions:
    """How a schema is walked: the markup of its descriptions, its limits, its language."""

    markup: Markup = "text"
    #: Keys nested at most this many levels are kept (0: top-level keys only).
    depth: int | None = None
    max_rows: int = 2000
    language: str = "en"
    default_language: str = "en"


class SchemaWalk:
    """One walk over one schema: collects rows and problems, within budgets."""

    def __init__(self, refs: Refs, options: WalkOptions = WalkOptions()) -> None:
        self.refs = refs
        self.markup: Markup = options.markup
        self.depth = options.depth
        self.max_rows = options.max_rows
        self.language = options.language
        self.default_language = options.default_language
        self.rows: list[Field] = []
        self.problems: list[Problem] = []
        #: Notes for under the table ("Other keys may appear in data.").
        self.notes: list[str] = []
        self._full = False
        self._too_deep = False
        # Bounds the total work, whatever the schema's shape (alternatives can multiply).
        self._budget = max(10_000, 50 * options.max_rows)
        #: The $ref targets being merged, outermost first: a loop among them is reported.
        self._chain: list[str] = []
        self._loop: Problem | None = None
        #: Where the keys of each $ref target were first shown (``()``: the body itself).
        self._shown: dict[str, Path] = {}

    # -- building nodes --------------------------------------------------------------------

    def _collect(self, part: _Part, flat: list[_Part], seen: set[str], node: _Node) -> None:
        schema = part.schema
        if not isinstance(schema, Mapping):
            return
        self._budget -= 1
        if self._budget < 0:
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            siblings = {key: value for key, value in schema.items() if key != "$ref"}
            if siblings:
                flat.append(_Part(siblings, part.at))
            found = self.refs.follow(ref, part.at)
            if isinstance(found, Problem):
                if found not in self.problems:
                    self.problems.append(found)
                return
            target, at = found
            key = f"{at.uri}#{at.pointer}"
            if node.ref_name is None:
                node.ref_name = _ref_name(ref, at)
            if key in node.refs:
                node.cyclic = True
                node.cycle = node.cycle or key
            if key in self._chain:
                # Leads back to a schema being merged. Reported only if the table is then
                # empty (a loop of bare $refs), which "no properties" would not explain.
                self._loop = Problem(
                    "ref", f"$ref {ref!r} in {self.refs.origin(part.at)} loops back on itself"
                )
                return
            if key in seen:
                return
            seen.add(key)
            self._chain.append(key)
            try:
                self._collect(_Part(target, at), flat, seen, node)
            finally:
                self._chain.pop()
            return
        at = self.refs.scope(schema, part.at)
        if at is not part.at:
            part = _Part(schema, at)
        flat.append(part)
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            for index, member in enumerate(all_of):
                self._collect(_Part(member, at.child("allOf", index)), flat, seen, node)

    def build(self, parts: Sequence[_Part], refs: frozenset[str], level: int = 0) -> _Node:
        """Merge *parts* (and everything they ``$ref`` or ``allOf``) into one node.

        *level* counts the alternatives (``oneOf``/``anyOf``) this node is nested in: a
        chain of them through $refs is flat in the file but can be thousands deep.
        """
        node = _Node(refs=refs, at=parts[0].at if parts else None)
        flat: list[_Part] = []
        seen: set[str] = set()
        for part in parts:
            self._collect(part, flat, seen, node)
        node.refs = refs | seen
        for part in flat:
            self._fold(node, part)
        self._resolve_groups(node, level)
        return node

    def _fold(self, node: _Node, part: _Part) -> None:
        schema, at = part.schema, part.at
        kind = schema.get("type")
        if isinstance(kind, str):
            kinds = {kind}
        elif isinstance(kind, list):
            kinds = {k for k in kind if isinstance(k, str)}
        else:
            kinds = None
        if kinds:
            if "null" in kinds:
                node.nullable = True
            if node.types is None:
                node.types = kinds
            else:
                node.types = (node.types & kinds) or (node.types | kinds)
        if schema.get("nullable") is True:
            node.nullable = True
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            for name, sub in properties.items():
                node.properties.setdefault(str(name), []).append(
                    _Part(sub, at.child("properties", name))
                )
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            node.extra.append(_Part(extra, at.child("additionalProperties")))
        elif extra is True or (isinstance(extra, Mapping) and not extra):
            node.open = True  # {} allows any value, as true does
        patterns = schema.get("patternProperties")
        if isinstance(patterns, Mapping):
            for pattern, sub in patterns.items():
                node.patterns.setdefault(str(pattern), []).append(
                    _Part(sub, at.child("patternProperties", pattern))
                )
        required = schema.get("required")
        if isinstance(required, list):
            node.required.update(name for name in required if isinstance(name, str))
        items = schema.get("items")
        if isinstance(items, Mapping):
            node.items.append(_Part(items, at.child("items")))
        elif isinstance(items, list) and items and isinstance(items[0], Mapping):
            node.items.append(_Part(items[0], at.child("items", 0)))  # draft-4 tuple form
        for word in ("oneOf", "anyOf"):
            alternatives = schema.get(word)
            if isinstance(alternatives, list) and alternatives:
                parts = [
                    _Part(alt, at.child(word, index)) for index, alt in enumerate(alternatives)
                ]
                node.groups.append((parts, schema.get("discriminator")))
        for name in _ANNOTATIONS:
            if name in schema and name not in node.annotations:
                node.annotations[name] = schema[name]
        if "const" in schema:
            node.enum = _intersect(node.enum, [schema["const"]])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            node.enum = _intersect(node.enum, enum)

    def _resolve_groups(self, node: _Node, level: int) -> None:
        groups, node.groups = node.groups, []
        if node.cyclic:
            return  # a cycle is shown once: its alternatives would lead back round it
        if groups and level >= MAX_NESTING:
            if not self._too_deep:
                self._too_deep = True
                self.problems.append(
                    Problem(
                        "schema",
                        f"{self.refs.origin(groups[0][0][0].at)}: alternatives nested more "
                        f"than {MAX_NESTING} levels deep; the deeper ones are not shown",
                    )
                )
            return
        for parts, discriminator in groups:
            alternatives: list[tuple[str | None, _Node]] = []
            for part in parts:
                alt = self.build([part], node.refs, level + 1)
                if alt.is_null:
                    node.nullable = True
                    continue
                alternatives.append((self._label(alt, discriminator), alt))
            if len(alternatives) == 1:
                self._merge(node, alternatives[0][1])
            elif alternatives:
                node.choices.append(alternatives)

    @staticmethod
    def _merge(node: _Node, other: _Node) -> None:
        if other.types is not None:
            node.types = (
                other.types
                if node.types is None
                else (node.types & other.types) or (node.types | other.types)
            )
        node.nullable = node.nullable or other.nullable
        for name, parts in other.properties.items():
            node.properties.setdefault(name, []).extend(parts)
        node.required |= other.required
        node.extra.extend(other.extra)
        for pattern, parts in other.patterns.items():
            node.patterns.setdefault(pattern, []).extend(parts)
        node.open = node.open or other.open
        node.items.extend(other.items)
        node.choices.extend(other.choices)
        for name, value in other.annotations.items():
            node.annotations.setdefault(name, value)
        if other.enum is not None:
            node.enum = _intersect(node.enum, other.enum)
        node.refs |= other.refs
        node.cyclic = node.cyclic or other.cyclic
        node.cycle = node.cycle or other.cycle

    # -- rows ------------------------------------------------------------------------------

    def type_text(self, node: _Node, level: int = 0) -> str | None:
        """``string``, ``array of object``, ``string or integer``: the node's type as text."""
        words: list[str] = []
        for name in node.type_names():
            if name == "array" and node.items and level < 8:
                inner = self.type_text(self.build(node.items, node.refs), level + 1)
                words.append(f"array of {inner}" if inner else "array")
            else:
                words.append(name)
        for group in node.choices:
            for _, alt in group:
                text = "object" if alt.is_object else self.type_text(alt, level + 1)
                if text:
                    words.extend(text.split(" or "))
        unique = list(dict.fromkeys(words))
        if not unique and node.types == {"null"}:
            return "null"
        return " or ".join(unique) or None

    def field_for(
        self, node: _Node, path: Path, required: bool, labels: tuple[Choice, ...]
    ) -> Field:
        """The row of one property."""
        notes = node.annotations
        description = self.text(notes.get("description"))
        if not description.strip():
            description = self.text(notes.get("title"))
        example: Any = MISSING
        if "example" in notes:
            example = notes["example"]
        elif isinstance(notes.get("examples"), list) and notes["examples"]:
            example = notes["examples"][0]
        deprecated = notes.get("deprecated", False)
        if not isinstance(deprecated, (bool, str)):
            deprecated = bool(deprecated)
        json_format = notes.get("format")
        enum = node.enum
        described: list[tuple[Any, str]] = []
        if enum is None and node.choices:
            scalars = [alt for group in node.choices for _, alt in group]
            if all(alt.enum for alt in scalars):
                enum = [value for alt in scalars for value in (alt.enum or [])]
                # oneOf: [{const: a, description: ...}, ...] is an enum that says what
                # each of its values means.
                for alt in scalars:
                    text = self.text(alt.annotations.get("description")) or self.text(
                        alt.annotations.get("title")
                    )
                    if text.strip() and alt.enum and len(alt.enum) == 1:
                        described.append((alt.enum[0], text.strip()))
        if not described and enum:
            described = self._enum_extension(notes, enum)
        return Field(
            path=path,
            description=description.strip(),
            markup=self.markup,
            type=self.type_text(node),
            json_format=json_format if isinstance(json_format, str) else None,
            enum=tuple(v for v in (enum or []) if v is not None),
            example=example,
            default=notes.get("default", MISSING),
            required=required,
            nullable=node.nullable or (enum is not None and None in enum),
            deprecated=deprecated,
            alternatives=labels,
            origin=self.refs.origin(node.at) if node.at else None,
            enum_descriptions=tuple(
                (value, text) for value, text in described if value is not None
            ),
            # A lenient walk: a constraint that makes no sense is not shown.
            **constraints_of(notes)[0],
        )

    def text(self, value: Any) -> str:
        """A description or title as text: localised, and ``""`` when it is not text."""
        value = localised(value, self.language, self.default_language)
        return value if isinstance(value, str) else ""

    def _enum_extension(
        self, notes: Mapping[str, Any], enum: Sequence[Any]
    ) -> list[tuple[Any, str]]:
        """``x-enum-descriptions`` / ``x-enumDescriptions``: a list in enum order, or a mapping."""
        for word in ("x-enum-descriptions", "x-enumDescriptions"):
            given = notes.get(word)
            pairs: Iterable[tuple[Any, Any]]
            if isinstance(given, list):
                pairs = zip(enum, given, strict=False)
            elif isinstance(given, Mapping):
                by_text = {str(key): text for key, text in given.items()}
                pairs = ((value, by_text.get(_key_text(value))) for value in enum)
            else:
                continue
            described = [(value, self.text(text).strip()) for value, text in pairs]
            return [(value, text) for value, text in described if text]
        return []

    def rows_of(self, node: _Node, prefix: Path, level: int, labels: tuple[Choice, ...]) -> None:
        """Add the rows of an object node's properties (and of its object alternatives)."""
        entries = [(name, parts, name in node.required) for name, parts in node.properties.items()]
        # Open-ended keys get a placeholder in braces: {key} for any key, {PATTERN} for the
        # keys that match a patternProperties regular expression.
        entries.extend(
            ("{" + pattern + "}", parts, False) for pattern, parts in node.patterns.items()
        )
        if node.extra:
            entries.append(("{key}", node.extra, False))
        if node.open and node.properties:
            where = format_path(prefix)
            note = (
                Note("Other keys may appear in %s.", where)
                if where
                else Note("Other keys may appear.")
            )
            if note not in self.notes:
                self.notes.append(note)
        for name, parts, required in entries:
            if self._full or self._budget < 0:
                return
            if not name.strip():
                self.problems.append(
                    Problem("schema", f"{self.refs.origin(parts[0].at)}: a property without a name")
                )
                continue
            child = self.build(parts, node.refs)
            path = (*prefix, name)
            self.note_shown(child, node, path)
            if child.annotations.get("writeOnly") is True:
                continue  # the provider never sends it in a callback
            if len(self.rows) >= self.max_rows:
                self._full = True
                self.problems.append(
                    Problem(
                        "schema",
                        f"stopped after {self.max_rows} rows; select a smaller part with a "
                        "pointer, or limit :depth:",
                    )
                )
                return
            self.rows.append(self.field_for(child, path, required, labels))
            self.expand(child, path, level + 1, labels)
        owner = prefix
        for number, group in enumerate(node.choices):
            for index, (label, alt) in enumerate(group):
                self.note_shown(alt, node, prefix)
                if _has_rows(alt) and not alt.cyclic:
                    choice = Choice(label, index, len(group), owner, number)
                    self.rows_of(alt, prefix, level, (*labels, choice))

    def _label(self, alt: _Node, discriminator: Any) -> str | None:
        """What an alternative is called: its ``title``, else its discriminator
        value, else its own ``const``, else the name its ``$ref`` gives; ``None``: no name."""
        title = self.text(alt.annotations.get("title")).strip()
        if title:
            return title
        value = self._discriminator_value(alt, discriminator)
        if value is None and alt.enum is not None and len(alt.enum) == 1:
            value = alt.enum[0]
        if value is not None:
            return _key_text(value)
        return alt.ref_name

    def _discriminator_value(self, alt: _Node, discriminator: Any) -> Any:
        """The value of the discriminator's property that selects *alt*: the
        ``discriminator.mapping`` entry that names it, else the property's single value."""
        if not isinstance(discriminator, Mapping):
            return None
        name = discriminator.get("propertyName")
        if not isinstance(name, str):
            return None
        mapping = discriminator.get("mapping")
        if isinstance(mapping, Mapping) and alt.ref_name is not None:
            for value, target in mapping.items():
                if (
                    isinstance(target, str)
                    and _ref_name(target, Location(None, "")) == alt.ref_name
                ):
                    return value
        parts = alt.properties.get(name)
        if parts:
            prop = self.build(parts, alt.refs)
            if prop.enum is not None and len(prop.enum) == 1:
                return prop.enum[0]
        return None

    def note_shown(self, child: _Node, parent: _Node, path: Path) -> None:
        """Remember that the $ref targets *child* enters first are shown at *path*."""
        for ref in child.refs - parent.refs:
            self._shown.setdefault(ref, path)

    def note_cycle(self, node: _Node, path: Path) -> None:
        """Say under the table that *path* has keys shown elsewhere, not repeated here."""
        if not _has_rows(node):
            return
        first = self._shown.get(node.cycle or "")
        key = format_path(path)
        if first is None:
            note = Note(
                "%s is the same kind of object as a key above; its keys are not repeated.", key
            )
        elif first:
            note = Note("The keys of %s are those of %s, shown above.", key, format_path(first))
        else:
            note = Note("The keys of %s are those of the whole body, shown above.", key)
        if note not in self.notes:
            self.notes.append(note)

    def expand(self, node: _Node, path: Path, level: int, labels: tuple[Choice, ...]) -> None:
        """Flatten a field's children into ``key.child`` / ``key[].child`` rows."""
        if node.cyclic:
            self.note_cycle(node, path)
            return
        if self.depth is not None and level > self.depth:
            return
        if level > MAX_NESTING:
            if not self._too_deep:
                self._too_deep = True
                self.problems.append(
                    Problem(
                        "schema",
                        f"{format_path(path)}: nested more than {MAX_NESTING} levels; not shown",
                    )
                )
            return
        arrays = 0
        while node.is_array and node.items and not node.properties and not node.cyclic:
            items = self.build(node.items, node.refs)
            arrays += 1
            self.note_shown(items, node, (*path, *(ITEMS,) * arrays))
            node = items
            if arrays > MAX_NESTING:
                return
        if node.cyclic and arrays:
            self.note_cycle(node, (*path, *(ITEMS,) * arrays))
            return
        if (
            node.properties
            or node.extra
            or node.patterns
            or any(_has_rows(alt) for group in node.choices for _, alt in group)
        ):
            self.rows_of(node, (*path, *(ITEMS,) * arrays), level, labels)


def _has_rows(node: _Node) -> bool:
    """An object, or a choice among alternatives of which one has rows: a ``oneOf`` nested
    in a ``oneOf`` has no type of its own, and its rows must not vanish."""
    return node.is_object or any(_has_rows(alt) for group in node.choices for _, alt in group)


def _ref_name(ref: str, at: Location) -> str:
    fragment = urldefrag(ref)[1]
    if fragment.startswith("/"):
        return unquote(pointers.last(fragment))
    name = os.path.basename(urldefrag(ref)[0]) or at.uri.rsplit("/", 1)[-1]
    for ending in (".schema.json", ".json", ".yaml", ".yml"):
        if name.endswith(ending):
            return name[: -len(ending)]
    return name


def _key_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class SchemaRows(NamedTuple):
    """What a walk gave: the rows, the schema's title, problems, and notes for under the table."""

    fields: list[Field]
    title: str | None
    problems: list[Problem]
    notes: list[str]


def _is_scalar_body(node: _Node) -> bool:
    """A body with no keys to show: typed, and neither an object nor a choice of objects."""
    if node.properties or node.extra or node.patterns or node.choices or node.open:
        return False
    names = node.type_names()
    return bool(names) and "object" not in names


def schema_fields(
    schema: Any, at: Location, refs: Refs, options: WalkOptions = WalkOptions()
) -> SchemaRows:
    """The rows of the object schema *schema* found at *at*, its title, problems and notes."""
    return alternatives_fields([("", schema, at)], refs, options)


def value_field(
    schema: Any, at: Location, refs: Refs, path: Path, options: WalkOptions = WalkOptions()
) -> tuple[Field, list[Problem]]:
    """One row for the value *schema* describes (a header parameter's), walked like a property:
    through ``$ref`` and ``allOf``, with its type, nullability, format and constraints."""
    walk = SchemaWalk(refs, options)
    if not isinstance(schema, Mapping):
        return Field(path=path, markup=options.markup), []
    node = walk.build([_Part(schema, at)], frozenset({f"{at.uri}#{at.pointer}"}))
    return walk.field_for(node, path, False, ()), walk.problems


def alternatives_fields(
    schemas: Sequence[tuple[str, Any, Location]],
    refs: Refs,
    options: WalkOptions = WalkOptions(),
) -> SchemaRows:
    """The rows of one schema, or of several ``(label, schema, location)`` alternatives.

    Several schemas are shown as ``oneOf`` alternatives are: each row says which of the
    labelled alternatives it belongs to (AsyncAPI's ``oneOf`` messages use this).
    """
    walk = SchemaWalk(refs, options)
    roots: list[tuple[str, _Node]] = []
    for index, (label, schema, at) in enumerate(schemas):
        if not isinstance(schema, Mapping):
            walk.problems.append(
                Problem("schema", f"{refs.origin(at)} is not a schema (an object)")
            )
            continue
        root = walk.build([_Part(schema, at)], frozenset({f"{at.uri}#{at.pointer}"}))
        top, arrays = root, 0
        while root.is_array and root.items and not root.properties:
            root = walk.build(root.items, root.refs)
            arrays += 1
            if arrays > MAX_NESTING:
                break
        labels = (Choice(label, index, len(schemas)),) if len(schemas) > 1 else ()
        if _is_scalar_body(root):
            # A heartbeat's plain string, a list of ids: one row for the whole body.
            walk.rows.append(walk.field_for(top, BODY_PATH, True, labels))
        else:
            for ref in root.refs:
                walk._shown.setdefault(ref, ())
            walk.rows_of(root, (ITEMS,) * arrays, 0, labels)
        roots.append((label, root))
    title = walk.text(roots[0][1].annotations.get("title")) if len(roots) == 1 else ""
    where = refs.origin(schemas[0][2]) if schemas else "the source"
    if walk._budget < 0:
        walk.problems.append(
            Problem("schema", f"{where} is too complex to walk; select a smaller part")
        )
    if not walk.rows and not walk.problems:
        walk.problems.append(
            walk._loop or Problem("schema", f"{where} has no properties to show in a table")
        )
    return SchemaRows(walk.rows, title or None, walk.problems, walk.notes)


# -- The reader -------------------------------------------------------------------------------

#: Keywords of which one makes a mapping a JSON Schema (for this extension's purposes).
_SCHEMA_WORDS = frozenset(
    {
        "properties",
        "type",
        "$schema",
        "allOf",
        "anyOf",
        "oneOf",
        "items",
        "enum",
        "const",
        "additionalProperties",
        "patternProperties",
        "$defs",
        "definitions",
        "$ref",
    }
)


def looks_like_schema(value: Any) -> bool:
    """Whether *value* is a mapping with a JSON Schema keyword."""
    return isinstance(value, Mapping) and any(word in value for word in _SCHEMA_WORDS)


def foreign_type(value: Any) -> str | None:
    """The ``type`` of a mapping that names no JSON Schema type and has no properties.

    Avro's ``{"type": "record", "fields": [...]}`` is the usual case: it has a schema
    keyword, but nothing of it would become a row.
    """
    if not isinstance(value, Mapping) or "properties" in value:
        return None
    kind = value.get("type")
    if isinstance(kind, str) and kind not in _TYPE_ORDER:
        return kind
    return None


def walk_options(request: SourceRequest, markup: Markup) -> WalkOptions:
    """How a directive's request walks a schema whose descriptions are in *markup*."""
    return WalkOptions(
        markup=markup,
        depth=request.depth,
        max_rows=request.max_rows,
        language=request.language,
        default_language=request.default_language,
    )


def _hint_definitions(value: Any, rel: str, pointer: str) -> list[Problem]:
    if not isinstance(value, Mapping):
        return []
    for word in ("$defs", "definitions"):
        defs = value.get(word)
        if isinstance(defs, Mapping) and defs:
            names = ", ".join(f"#{pointer}/{word}/{name}" for name in list(defs)[:10])
            return [Problem("schema", f"{rel}: select one of its schemas with a pointer: {names}")]
    return []


class JsonSchemaReader:
    """A JSON Schema (drafts 4 to 2020-12, and OpenAPI's schema objects)."""

    name = "jsonschema"
    parts = frozenset({"body"})

    def recognises(self, selection: Selection) -> bool:
        """A mapping with a JSON Schema keyword, unless its ``type`` is no JSON type."""
        return looks_like_schema(selection.target) and foreign_type(selection.target) is None

    def read(self, selection: Selection) -> Reading:
        """The rows of the schema's properties, walked through ``$ref``/``allOf``/``oneOf``."""
        fields, title, problems, notes = schema_fields(
            selection.value,
            selection.at,
            selection.refs,
            walk_options(selection.request, selection.markup),
        )
        if not fields:
            problems = [
                *problems,
                *_hint_definitions(selection.target, selection.rel, selection.request.pointer),
            ]
        reading = Reading(fields, title, problems, notes)
        reading.schema = bundle([(selection.value, selection.at)], selection.refs)
        reading.examples = schema_examples(selection.value, selection.at, selection.refs)
        return reading
