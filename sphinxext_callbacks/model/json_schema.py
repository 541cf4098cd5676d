"""Every table is a JSON Schema (2020-12): the one made from fields, and the keywords of others.

Tables read from a JSON Schema, OpenAPI or AsyncAPI source keep the source's own schema
(bundled by :mod:`sphinxext_callbacks.readers.bundle`); inline and field-list tables get one
made here from their fields by :func:`fields_schema`. :func:`from_older_drafts` turns one
schema object of OpenAPI 3.0 or draft 4 into its 2020-12 meaning where that changes what
validates (``nullable``, boolean ``exclusiveMinimum``, ``items`` as a list).

Pure Python: no docutils, no Sphinx, nothing read from disk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sphinxext_callbacks.model.fields import MISSING, Field
from sphinxext_callbacks.model.jsontypes import JsonTypes
from sphinxext_callbacks.model.paths import ITEMS

__all__ = [
    "DIALECT",
    "SCHEMA_LISTS",
    "SCHEMA_MAPS",
    "SCHEMA_VALUES",
    "fields_schema",
    "from_older_drafts",
    "value_schema",
]

#: The draft every schema of the extension is written in.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Keywords whose value is one schema, a list of schemas, or a map of names to schemas:
#: the places a walk over a schema goes into (everything else is data: ``enum``, ``examples``).
SCHEMA_VALUES = frozenset(
    {
        "additionalProperties",
        "unevaluatedProperties",
        "items",
        "additionalItems",
        "unevaluatedItems",
        "contains",
        "propertyNames",
        "not",
        "if",
        "then",
        "else",
    }
)
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})


def _types_schema(types: JsonTypes | None) -> dict[str, Any]:
    """What a field's types say, as JSON Schema: ``{"type": ...}`` (and an array's items)."""
    if types is None:
        return {}
    if not types.names:
        return {"type": "null"}
    if len(types.names) > 1:
        return {"type": list(types.names)}
    schema: dict[str, Any] = {"type": types.names[0]}
    if types.items is not None:
        schema["items"] = _types_schema(types.items)
    return schema


class _Node:
    """One key of the tree the fields' paths describe."""

    def __init__(self) -> None:
        self.field: Field | None = None
        self.children: dict[str, _Node] = {}
        #: ``a[].b``: the children are those of the items of an array.
        self.item: _Node | None = None


def _is_map_key(name: str) -> bool:
    return len(name) > 2 and name.startswith("{") and name.endswith("}")


def fields_schema(fields: Sequence[Field]) -> dict[str, Any]:
    """The 2020-12 schema that inline or field-list *fields* describe.

    ``parent.child`` and ``parent[].child`` nest; a ``parent.{key}`` row describes every
    value of a map (``additionalProperties``). An object whose keys are listed accepts no
    other key; one without listed keys accepts any.
    """
    root = _Node()
    for field in fields:
        node = root
        for step in field.path:
            if step == ITEMS:
                node.item = node.item or _Node()
                node = node.item
            else:
                node = node.children.setdefault(step, _Node())
        node.field = field
    schema = _schema_of(root)
    if "type" not in schema and root.children:
        schema["type"] = "object"
    return {"$schema": DIALECT, **schema}


def value_schema(field: Field) -> dict[str, Any]:
    """What *field* alone says of its value (types, enum, format, nullability), as a schema."""
    node = _Node()
    node.field = field
    return {"$schema": DIALECT, **_schema_of(node)}


def _schema_of(node: _Node) -> dict[str, Any]:
    field = node.field
    schema: dict[str, Any] = {}
    if field is not None:
        schema.update(_types_schema(field.types))
    if node.item is not None:
        schema["type"] = "array"
        schema["items"] = _schema_of(node.item)
    elif node.children:
        schema["type"] = "object"
        maps = [name for name in node.children if _is_map_key(name)]
        names = [name for name in node.children if not _is_map_key(name)]
        if names:
            schema["properties"] = {name: _schema_of(node.children[name]) for name in names}
            required = [name for name in names if _required(node.children[name])]
            if required:
                schema["required"] = required
        schema["additionalProperties"] = _schema_of(node.children[maps[0]]) if maps else False
    if field is not None:
        _facts(field, schema)
    return schema


def _required(node: _Node) -> bool:
    return node.field is not None and node.field.required


def _facts(field: Field, schema: dict[str, Any]) -> None:
    """Add what *field* says of its value to its *schema*."""
    if field.json_format:
        target = schema
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            target = schema["items"]
        if target.get("type") in (None, "string"):
            target["format"] = field.json_format
    if field.enum:
        schema["enum"] = list(field.enum)
    if field.example is not MISSING:
        schema["examples"] = [field.example]
    if field.default is not MISSING:
        schema["default"] = field.default
    if field.deprecated:
        schema["deprecated"] = True
    if field.description and field.markup == "text":
        schema["description"] = field.description
    if field.nullable:
        _allow_null(schema)


def _allow_null(schema: dict[str, Any]) -> None:
    """Let *schema* accept ``null`` as well (OpenAPI 3.0's ``nullable: true``)."""
    kind = schema.get("type")
    if isinstance(kind, str) and kind != "null":
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = [*kind, "null"]
    enum = schema.get("enum")
    if isinstance(enum, list) and None not in enum:
        schema["enum"] = [*enum, None]
    if "const" in schema and schema["const"] is not None:
        schema["enum"] = [schema.pop("const"), None]


#: Keywords that, without a ``type``, still constrain a value (``null`` must pass them all).
_CONSTRAINING = ("$ref", "allOf", "anyOf", "oneOf", "not", "if")


def from_older_drafts(schema: Mapping[str, Any]) -> dict[str, Any]:
    """One schema object of OpenAPI 3.0 (or draft 4) in 2020-12 terms, where it matters.

    ``nullable: true`` lets ``null`` through; a boolean ``exclusiveMinimum`` or
    ``exclusiveMaximum`` becomes the number it qualifies; ``items`` given as a list is
    ``prefixItems``. Other keywords (``example``, ``discriminator``, ``x-*``) change
    nothing a validator does and are kept. The result is a new mapping.
    """
    result = dict(schema)
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = result.get(exclusive)
        if isinstance(flag, bool):
            del result[exclusive]
            if flag and bound in result:
                result[exclusive] = result.pop(bound)
    if isinstance(result.get("items"), list):
        result["prefixItems"] = result.pop("items")
        if "additionalItems" in result:
            result["items"] = result.pop("additionalItems")
    if result.pop("nullable", None) is True:
        if "type" in result or "enum" in result or "const" in result:
            _allow_null(result)
        elif any(word in result for word in _CONSTRAINING):
            constrained = {k: v for k, v in result.items() if k in _CONSTRAINING}
            for word in constrained:
                del result[word]
            result["anyOf"] = [constrained, {"type": "null"}]
    return result
