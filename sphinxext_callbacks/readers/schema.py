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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sphinxext_callbacks.model.facts import constraints_of
from sphinxext_callbacks.model.fields import (
    BODY_PATH,
    MISSING,
    Choice,
    Field,
    Markup,
    Note,
    Origin,
    localised,
)
from sphinxext_callbacks.model.paths import ITEMS, Path, format_path
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.model.shape import (
    TYPE_ORDER,
    Normalizer,
    Part,
    Shape,
    ref_name,
    spot_key,
    types_of,
)
from sphinxext_callbacks.readers.bundle import bundle
from sphinxext_callbacks.readers.reader import MAX_ROWS, Reading, Selection, SourceRequest
from sphinxext_callbacks.readers.refs import Location, Refs
from sphinxext_callbacks.readers.spec_examples import schema_examples

__all__ = [
    "MAX_NESTING",
    "TABLE_STOPS",
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

#: Under a table that a limit cut short: the reader sees that rows are missing.
TABLE_STOPS = Note("The table stops here: the rest of the schema is too large to show.")


@dataclass(frozen=True)
class WalkOptions:
    """How a schema is walked: the markup of its descriptions, its limits, its language."""

    markup: Markup = "text"
    #: Keys nested at most this many levels are kept (0: top-level keys only).
    depth: int | None = None
    max_rows: int = MAX_ROWS
    language: str = "en"
    default_language: str = "en"


class SchemaWalk:
    """One walk over one schema's :class:`~sphinxext_callbacks.model.shape.Shape`: collects
    rows and problems, within budgets."""

    def __init__(self, refs: Refs, options: WalkOptions = WalkOptions()) -> None:
        self.refs = refs
        self.markup: Markup = options.markup
        self.depth = options.depth
        self.max_rows = options.max_rows
        self.language = options.language
        self.default_language = options.default_language
        self.rows: list[Field] = []
        #: Notes for under the table ("Other keys may appear in data.").
        self.notes: list[str] = []
        self._full = False
        self._too_deep = False
        # Bounds the total work, whatever the schema's shape (alternatives can multiply).
        self.work = max(10_000, 50 * options.max_rows)
        self.shapes = Normalizer(refs, budget=self.work)
        self.problems: list[Problem] = self.shapes.problems
        #: Where the keys of each $ref target were first shown (``()``: the body itself).
        self._shown: dict[str, Path] = {}
        #: Problems already reported by what they are about: one cause, one warning.
        self._said: set[tuple[str, str]] = set()

    def build(self, parts: Sequence[Part], level: int = 0) -> Shape:
        """The shape of *parts*."""
        return self.shapes.build(parts, level)

    def origin(self, at: Location) -> Origin:
        """Where *at* is, as a value."""
        return self.refs.place(at)

    def say(self, subtype: str, about: str, message: str) -> None:
        """Report *message* once for what it is *about*, however many paths lead there."""
        if (subtype, about) not in self._said:
            self._said.add((subtype, about))
            self.problems.append(Problem(subtype, message))

    # -- rows ------------------------------------------------------------------------------

    def field_for(
        self, node: Shape, path: Path, required: bool, labels: tuple[Choice, ...]
    ) -> Field:
        """The row of one property."""
        notes = node.annotations
        description = self.text(notes.get("description"))
        if not description.strip():
            description = self.text(notes.get("title"))
        deprecated = notes.get("deprecated", False)
        if not isinstance(deprecated, (bool, str)):
            deprecated = bool(deprecated)
        json_format = notes.get("format")
        enum, described = self._enum_of(node)
        return Field(
            path=path,
            description=description.strip(),
            markup=self.markup,
            types=types_of(self.shapes, node),
            json_format=json_format if isinstance(json_format, str) else None,
            enum=tuple(v for v in (enum or []) if v is not None),
            example=_example_of(notes),
            default=notes.get("default", MISSING),
            required=required,
            nullable=node.nullable or (enum is not None and None in enum),
            deprecated=deprecated,
            alternatives=labels,
            origin=self.origin(node.at) if node.at else None,
            enum_descriptions=tuple(
                (value, text) for value, text in described if value is not None
            ),
            # A lenient walk: a constraint that makes no sense is not shown.
            **constraints_of(notes)[0],
        )

    def _enum_of(self, node: Shape) -> tuple[list[Any] | None, list[tuple[Any, str]]]:
        """The values the field may have, and what some of them mean.

        ``oneOf: [{const: a, description: ...}, ...]`` is an enum that says what each of its
        values means; ``x-enum-descriptions`` does the same for a plain ``enum``.
        """
        enum = node.enum
        described: list[tuple[Any, str]] = []
        if enum is None and node.groups:
            scalars = [alt.shape for group in node.groups for alt in group.alternatives]
            if all(alt.enum for alt in scalars):
                enum = [value for alt in scalars for value in (alt.enum or [])]
                for alt in scalars:
                    text = self.text(alt.annotations.get("description")) or self.text(
                        alt.annotations.get("title")
                    )
                    if text.strip() and alt.enum and len(alt.enum) == 1:
                        described.append((alt.enum[0], text.strip()))
        if not described and enum:
            described = self._enum_extension(node.annotations, enum)
        return enum, described

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

    def _entries(self, node: Shape, prefix: Path) -> list[tuple[str, list[Part], bool]]:
        """The keys of an object shape: its properties, then placeholders for open-ended keys:
        ``{key}`` for any key, ``{PATTERN}`` for the keys a ``patternProperties`` matches."""
        entries = [(name, parts, name in node.required) for name, parts in node.properties.items()]
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
        self._check_closed(node, prefix)
        return entries

    def _check_closed(self, node: Shape, prefix: Path) -> None:
        """A part that says ``additionalProperties: false`` forbids the keys the other parts
        of its ``allOf`` document: no payload can have them, which is the spec's own defect."""
        if not node.closed:
            return
        documented = set(node.properties)
        closing = [(at, documented - allowed) for at, allowed in node.closed]
        closing = [(at, forbidden) for at, forbidden in closing if forbidden]
        if not closing or node.patterns:
            return
        wheres = [self.refs.origin(at) for at, _ in closing]
        forbidden = sorted(set().union(*(names for _, names in closing)))
        keys = ", ".join(format_path((*prefix, name)) for name in forbidden[:5])
        more = f" and {len(forbidden) - 5} more" if len(forbidden) > 5 else ""
        self.say(
            "schema",
            "closed:" + wheres[0],
            f"{' and '.join(wheres)} say additionalProperties: false, so the schema forbids keys "
            f"that the other parts of its allOf document ({keys}{more}); no payload with them "
            "is valid. The spec's schema should use unevaluatedProperties: false instead",
        )

    def rows_of(self, node: Shape, prefix: Path, level: int, labels: tuple[Choice, ...]) -> None:
        """Add the rows of an object shape's properties, and of its alternatives."""
        for name, parts, required in self._entries(node, prefix):
            if self._full or self.shapes.budget < 0:
                return
            if not name.strip():
                where = self.refs.origin(parts[0].at)
                self.say("schema", f"unnamed:{where}", f"{where}: a property without a name")
                continue
            child = self.build(parts)
            path = (*prefix, name)
            self.note_shown(child, node, path)
            if child.annotations.get("writeOnly") is True:
                continue  # the provider never sends it in a callback
            if len(self.rows) > self.max_rows:
                # One row past the limit is enough for the caller to say the table stops.
                self._full = True
                return
            self.rows.append(self.field_for(child, path, required, labels))
            self.expand(child, path, level + 1, labels)
        for number, group in enumerate(node.groups):
            for index, alt in enumerate(group.alternatives):
                self.note_shown(alt.shape, node, prefix)
                label = self._label(alt.shape, group.discriminator)
                choice = Choice(label, index, len(group.alternatives), prefix, number)
                self.children(alt.shape, prefix, level, (*labels, choice))

    def _label(self, alt: Shape, discriminator: Any) -> str | None:
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

    def _discriminator_value(self, alt: Shape, discriminator: Any) -> Any:
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
                if isinstance(target, str) and ref_name(target, "") == alt.ref_name:
                    return value
        parts = alt.properties.get(name)
        if parts:
            prop = self.shapes.build(parts)
            if prop.enum is not None and len(prop.enum) == 1:
                return prop.enum[0]
        return None

    def note_shown(self, child: Shape, parent: Shape, path: Path) -> None:
        """Remember that the $ref targets *child* enters first are shown at *path*."""
        for ref in child.refs - parent.chain:
            self._shown.setdefault(ref, path)

    def note_cycle(self, node: Shape, path: Path) -> None:
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

    def expand(self, node: Shape, path: Path, level: int, labels: tuple[Choice, ...]) -> None:
        """Flatten a field's children into ``key.child`` / ``key[].child`` rows."""
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
        self.children(node, path, level, labels)

    def children(self, node: Shape, path: Path, level: int, labels: tuple[Choice, ...]) -> None:
        """The rows inside the value at *path*: an object's keys, an array's items' keys
        (``path[]``), and those of each alternative, whatever its kind."""
        arrays = 0
        while node.is_array and node.items and not node.properties and not node.cyclic:
            items = self.build(node.items)
            arrays += 1
            self.note_shown(items, node, (*path, *(ITEMS,) * arrays))
            node = items
            if arrays > MAX_NESTING:
                return
        if node.cyclic and not node.properties:
            self.note_cycle(node, (*path, *(ITEMS,) * arrays))
            return
        if node.properties or node.extra or node.patterns or node.groups:
            self.rows_of(node, (*path, *(ITEMS,) * arrays), level, labels)


def _has_rows(node: Shape) -> bool:
    """An object, or a choice among alternatives of which one has rows: a ``oneOf`` nested
    in a ``oneOf`` has no type of its own, and its rows must not vanish."""
    return node.is_object or any(
        _has_rows(alt.shape) for group in node.groups for alt in group.alternatives
    )


def _example_of(notes: Mapping[str, Any]) -> Any:
    """The schema's own example of a value: ``example``, else the first of ``examples``."""
    if "example" in notes:
        return notes["example"]
    examples = notes.get("examples")
    return examples[0] if isinstance(examples, list) and examples else MISSING


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


def _is_scalar_body(node: Shape) -> bool:
    """A body with no keys to show: typed, and neither an object nor a choice of objects."""
    if node.properties or node.extra or node.patterns or node.groups or node.open:
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
    node = walk.build([Part(schema, at, frozenset({spot_key(at)}))])
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
    roots: list[tuple[str, Shape]] = []
    for index, (label, schema, at) in enumerate(schemas):
        if not isinstance(schema, Mapping):
            walk.problems.append(
                Problem("schema", f"{refs.origin(at)} is not a schema (an object)")
            )
            continue
        root = walk.build([Part(schema, at, frozenset({spot_key(at)}))])
        walk._shown.setdefault(spot_key(at), ())
        labels = (Choice(label, index, len(schemas)),) if len(schemas) > 1 else ()
        if _is_scalar_body(root) and not (root.is_array and _has_rows(_items_of(walk, root))):
            # A heartbeat's plain string, a list of ids: one row for the whole body.
            walk.rows.append(walk.field_for(root, BODY_PATH, True, labels))
        else:
            for ref in root.refs:
                walk._shown.setdefault(ref, ())
            walk.children(root, (), 0, labels)
        roots.append((label, root))
    title = walk.text(roots[0][1].annotations.get("title")) if len(roots) == 1 else ""
    where = refs.origin(schemas[0][2]) if schemas else "the source"
    if walk.shapes.budget < 0:
        walk.problems.append(
            Problem(
                "schema",
                f"{where} is too complex to walk: the walk stops after {walk.work:,} schema "
                "objects (50 for each row callbacks_max_rows allows, at least 10,000); select "
                "a smaller part with a pointer, or limit :depth:",
            )
        )
        walk.notes.append(TABLE_STOPS)
    if not walk.rows and not walk.problems:
        walk.problems.append(
            walk.shapes.loop or Problem("schema", f"{where} has no properties to show in a table")
        )
    return SchemaRows(walk.rows, title or None, walk.problems, walk.notes)


def _items_of(walk: SchemaWalk, node: Shape) -> Shape:
    """What an array body holds, through arrays of arrays."""
    for _ in range(MAX_NESTING):
        if not (node.is_array and node.items):
            break
        node = walk.build(node.items)
    return node


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
    if isinstance(kind, str) and kind not in TYPE_ORDER:
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
