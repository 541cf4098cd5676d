"""Every table is a JSON Schema: made from fields, bundled from sources, and checked with it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from sphinxext_callbacks.model.examples import check_example, make_example
from sphinxext_callbacks.model.fields import Field
from sphinxext_callbacks.model.json_schema import DIALECT, fields_schema, from_older_drafts
from sphinxext_callbacks.model.patterns import FORMATS, unchecked_patterns
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.bundle import bundle
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.refs import Location, Refs
from sphinxext_callbacks.readers.sources import SourceRequest, read_source
from tests.helpers import typed


def valid(payload: Any, schema: Any) -> bool:
    """What jsonschema itself says, with the formats the extension checks."""
    return Draft202012Validator(schema, format_checker=FORMATS).is_valid(payload)


# -- the schema of inline fields ----------------------------------------------------------------


def test_fields_schema_nests_maps_arrays_and_nullables() -> None:
    schema = fields_schema(
        [
            Field(("id",), **typed("string"), json_format="uuid", required=True),
            Field(("status",), enum=("a", "b"), nullable=True),
            Field(("items", "[]", "sku"), **typed("string"), required=True),
            Field(("metadata", "{key}"), **typed("string")),
            Field(("free",), **typed("object")),
        ]
    )
    assert schema == {
        "$schema": DIALECT,
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": {"enum": ["a", "b", None]},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"sku": {"type": "string"}},
                    "required": ["sku"],
                    "additionalProperties": False,
                },
            },
            "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            "free": {"type": "object"},
        },
        "required": ["id"],
        "additionalProperties": False,
    }
    # A map accepts any key; an object without listed keys accepts anything.
    payload = {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "metadata": {"anything": "x"},
        "free": {"x": [1]},
        "status": None,
    }
    assert check_example(json.dumps(payload), schema) == []
    assert make_example(schema) == {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "status": "a",
        "items": [{"sku": "string"}],
        "metadata": {"key": "string"},
        "free": {},
    }


def test_a_top_level_array_of_objects() -> None:
    schema = fields_schema([Field(("[]", "a"), **typed("integer"), required=True)])
    assert make_example(schema) == [{"a": 0}]
    assert check_example('[{"a": 1}, {}]', schema) == [
        check_example("{}", fields_schema([Field(("a",), required=True)]))[0].__class__(
            "example", "missing required key '[].a'", 0
        )
    ]


def test_openapi_30_keywords_in_2020_12_terms() -> None:
    assert from_older_drafts({"type": "string", "nullable": True}) == {"type": ["string", "null"]}
    assert from_older_drafts({"$ref": "#/x", "nullable": True}) == {
        "anyOf": [{"$ref": "#/x"}, {"type": "null"}]
    }
    assert from_older_drafts({"minimum": 3, "exclusiveMinimum": True}) == {"exclusiveMinimum": 3}
    assert from_older_drafts({"maximum": 3, "exclusiveMaximum": False}) == {"maximum": 3}
    assert from_older_drafts({"items": [{}, {}], "additionalItems": False}) == {
        "prefixItems": [{}, {}],
        "items": False,
    }
    # Harmless words stay.
    assert from_older_drafts({"example": 1, "nullable": False}) == {"example": 1}


# -- messages -----------------------------------------------------------------------------------

TRANSFER = {
    "$schema": DIALECT,
    "type": "object",
    "properties": {
        "status": {"enum": ["received", "booked"]},
        "account": {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"type": {"const": "bank"}, "sortCode": {"type": "string"}},
                    "required": ["type", "sortCode"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {"type": {"const": "card"}, "last4": {"type": "string"}},
                    "required": ["type", "last4"],
                    "additionalProperties": False,
                },
            ]
        },
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["status"],
    "additionalProperties": False,
}


def test_one_alternative_is_enough_and_a_map_takes_any_key() -> None:
    text = json.dumps(
        {"status": "booked", "account": {"type": "card", "last4": "1234"}, "metadata": {"a": "b"}}
    )
    assert check_example(text, TRANSFER) == []
    assert make_example(TRANSFER) == {
        "status": "received",
        "account": {"type": "bank", "sortCode": "string"},
        "metadata": {"key": "string"},
    }


def test_messages_say_what_is_wrong_with_did_you_mean() -> None:
    text = """{
  "statsu": "booked",
  "status": "bookd",
  "account": {"type": "card", "last_4": "1234"},
  "metadata": {"a": 1}
}"""
    assert [(p.line, p.message) for p in check_example(text, TRANSFER)] == [
        (1, "unknown key 'statsu'; did you mean 'status'?"),
        (2, '\'status\' is "bookd", not one of "received", "booked"; did you mean \'booked\'?'),
        # The alternative whose "type" the payload has is the one it came closest to.
        (
            3,
            "missing required key 'account.last4' ('account' matches none of its 2 alternatives)",
        ),
        (
            3,
            "unknown key 'account.last_4'; did you mean 'last4'? "
            "('account' matches none of its 2 alternatives)",
        ),
        (4, "'metadata.a' should be string, not integer"),
    ]


# -- property: every generated example is valid, and the check agrees with jsonschema ----------

_LEAVES: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "integer"},
    {"type": "number", "minimum": 2.5},
    {"type": "boolean"},
    {"type": "string", "format": "uuid"},
    {"type": "string", "format": "date-time"},
    {"type": "string", "format": "email"},
    {"enum": ["a", "b", 3]},
    {"type": ["string", "null"]},
    {"type": "integer", "minimum": 3, "multipleOf": 2},
    {"type": "string", "minLength": 3, "maxLength": 3},
    {"type": "string", "examples": ["given"]},
    {"type": "integer", "example": "not an integer"},
    {"const": "fixed"},
]
_NAMES = st.sampled_from(["id", "status", "type", "data", "amount", "items", "a.b", "x"])


@st.composite
def schemas(draw: st.DrawFn, defs: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """A schema with objects, maps, arrays, allOf, nested oneOf/anyOf, $refs and nullables."""
    kinds = ["leaf"] if depth >= 3 else ["leaf", "object", "map", "array", "oneOf", "allOf"]
    kind = draw(st.sampled_from([*kinds, "ref", "nullable"] if depth < 3 else kinds))
    if kind == "leaf":
        return dict(draw(st.sampled_from(_LEAVES)))
    if kind == "ref":
        name = f"d{len(defs)}"
        defs[name] = {}
        defs[name] = draw(schemas(defs, depth + 1))
        return {"$ref": f"#/$defs/{name}"}
    if kind == "nullable":
        return {"anyOf": [draw(schemas(defs, depth + 1)), {"type": "null"}]}
    if kind == "object":
        return draw(objects(defs, depth))
    if kind == "map":
        return {"type": "object", "additionalProperties": draw(schemas(defs, depth + 1))}
    if kind == "array":
        return {"type": "array", "items": draw(schemas(defs, depth + 1))}
    if kind == "allOf":
        first, second = draw(objects(defs, depth, closed=False)), draw(objects(defs, depth, False))
        # Parts that give one property two types would make a schema nothing satisfies.
        for name in first["properties"]:
            second["properties"].pop(name, None)
        second.pop("required", None)
        return {"allOf": [first, second], "unevaluatedProperties": False}
    # Alternatives told apart by a required constant, as discriminated ones are.
    word = draw(st.sampled_from(["oneOf", "anyOf"]))
    alternatives = []
    for index in range(draw(st.integers(1, 3))):
        alternative = draw(objects(defs, depth))
        alternative.setdefault("properties", {})["kind"] = {"const": f"k{depth}-{index}"}
        alternative["required"] = [*alternative.get("required", []), "kind"]
        alternatives.append(alternative)
    return {word: alternatives}


@st.composite
def objects(
    draw: st.DrawFn, defs: dict[str, Any], depth: int, closed: bool = True
) -> dict[str, Any]:
    names = draw(st.lists(_NAMES, max_size=3, unique=True))
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {name: draw(schemas(defs, depth + 1)) for name in names},
    }
    required = [name for name in names if draw(st.booleans())]
    if required:
        schema["required"] = required
    if closed and draw(st.booleans()):
        schema["additionalProperties"] = False
    return schema


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    schema = draw(schemas(defs))
    return {"$schema": DIALECT, **schema, "$defs": defs} if defs else {"$schema": DIALECT, **schema}


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 5) | st.sampled_from(["a", "k0-0", "fixed"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_NAMES, inner, max_size=3),
    max_leaves=8,
)


def _mutations(value: Any, draw: st.DrawFn) -> Any:
    """*value* with one part changed: a key dropped or added, a value replaced."""
    value = copy.deepcopy(value)
    target = value
    while isinstance(target, (dict, list)) and target and draw(st.booleans()):
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        key = draw(st.sampled_from(keys))
        if not isinstance(target[key], (dict, list)) or not target[key]:
            break
        target = target[key]
    if isinstance(target, dict) and target and draw(st.booleans()):
        del target[draw(st.sampled_from(sorted(target)))]
    elif isinstance(target, dict):
        target[draw(_NAMES)] = draw(_JSON)
    elif isinstance(target, list) and target:
        target[0] = draw(_JSON)
    else:
        return draw(_JSON)
    return value


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), data=st.data(), indent=st.sampled_from([None, 2]))
def test_made_examples_are_valid_and_the_check_agrees_with_jsonschema(
    document: dict[str, Any], data: st.DataObject, indent: int | None
) -> None:
    example = make_example(document)
    assert valid(example, document), (example, document)
    assert make_example(document) == example
    assert check_example(json.dumps(example, indent=indent), document) == []
    for payload in (_mutations(example, data.draw), data.draw(_JSON)):
        problems = check_example(json.dumps(payload, indent=indent), document)
        assert (problems == []) is valid(payload, document), (payload, problems)
        assert all(p.subtype == "example" for p in problems)


# -- a source's own schema, bundled -------------------------------------------------------------


def test_a_bundle_is_self_contained_relative_and_converted(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(
        "Money:\n  $id: https://example.com/money.json\n  type: object\n  properties:\n"
        "    amount: {type: integer, nullable: true}\n"
        "  required: [amount]\n",
        encoding="utf-8",
    )
    (tmp_path / "spec.yaml").write_text(
        """openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Payment:
      type: object
      additionalProperties: false
      properties:
        id: {type: string, format: uuid}
        price: {$ref: 'common.yaml#/Money'}
        next: {$ref: '#/components/schemas/Payment'}
""",
        encoding="utf-8",
    )
    result = read_source(
        SourceRequest(
            str(tmp_path / "spec.yaml"),
            pointer="/components/schemas/Payment",
            srcdir=str(tmp_path),
        ),
        FileCache(),
    )
    assert result.callback is not None
    schema = result.callback.schema
    assert schema is not None
    text = json.dumps(schema)
    assert str(tmp_path) not in text and "file:" not in text and "example.com" not in text
    assert schema["properties"]["price"] == {"$ref": "#/$defs/Money"}
    assert schema["$defs"]["Money"]["properties"]["amount"] == {"type": ["integer", "null"]}
    assert schema["properties"]["next"] == {"$ref": "#/$defs/Payment"}
    assert valid({"price": {"amount": None}, "next": {"id": None}}, schema) is False
    assert valid({"price": {"amount": None}, "next": {"price": {"amount": 1}}}, schema)
    assert check_example('{"price": {}}', schema)[0].message == (
        "missing required key 'price.amount'"
    )


# -- the examples that ship inside the docs' specs ------------------------------------------------

DOCS_EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"


def _shipped_examples() -> list[tuple[str, str, Any]]:
    """``(file, pointer of the schema, payload)`` of every example in the docs' specs.

    OpenAPI media types' ``example``/``examples``, schemas' ``examples``/``example`` and
    AsyncAPI messages' ``examples``.
    """
    found: list[tuple[str, str, Any]] = []
    for path in sorted(DOCS_EXAMPLES.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml") or "example.json" in path.name:
            continue
        loaded = FileCache().load(str(path), srcdir=str(DOCS_EXAMPLES))
        if loaded.problem is not None:
            continue
        stack: list[tuple[Any, str]] = [(loaded.data, "")]
        while stack:
            value, pointer = stack.pop()
            if isinstance(value, list):
                stack.extend((item, f"{pointer}/{i}") for i, item in enumerate(value))
                continue
            if not isinstance(value, dict):
                continue
            for key, child in value.items():
                if key not in ("example", "examples", "enum", "const", "default"):
                    escaped = str(key).replace("~", "~0").replace("/", "~1")
                    stack.append((child, f"{pointer}/{escaped}"))
            rel = path.relative_to(DOCS_EXAMPLES).as_posix()
            if isinstance(value.get("schema"), dict):  # a media type
                named = value.get("examples")
                for item in named.values() if isinstance(named, dict) else ():
                    if isinstance(item, dict) and "value" in item:
                        found.append((rel, f"{pointer}/schema", item["value"]))
                if "example" in value:
                    found.append((rel, f"{pointer}/schema", value["example"]))
            elif isinstance(value.get("payload"), dict):  # a message
                for item in value.get("examples") or ():
                    if isinstance(item, dict) and "payload" in item:
                        found.append((rel, f"{pointer}/payload", item["payload"]))
            elif "type" in value or "properties" in value:  # a schema
                listed = value.get("examples")
                for item in listed if isinstance(listed, list) else ():
                    found.append((rel, pointer, item))
                if "example" in value and not isinstance(value.get("type"), dict):
                    found.append((rel, pointer, value["example"]))
    return found


SHIPPED = _shipped_examples()


def test_the_docs_specs_ship_examples() -> None:
    assert len(SHIPPED) >= 20
    assert {rel.split("/")[0] for rel, _pointer, _payload in SHIPPED} >= {"openapi", "notify"}


@pytest.mark.parametrize(("rel", "pointer", "payload"), SHIPPED, ids=lambda v: str(v)[:40])
def test_shipped_examples_agree_with_jsonschema(rel: str, pointer: str, payload: Any) -> None:
    path = str(DOCS_EXAMPLES / rel)
    refs = Refs(FileCache(), str(DOCS_EXAMPLES))
    data = refs.cache.load(path).data
    root = refs.root(path, data)
    # The schema a table of that part has (the readers bundle it so).
    schema = bundle(
        [(pointers.value_at(data, pointer), Location(root.resolver, root.uri, pointer))], refs
    )
    problems = check_example(json.dumps(payload, indent=2), schema)
    assert (problems == []) is valid(payload, schema)
    # jsonschema on the source itself, through a registry of its files, not on the bundle.
    direct = Draft202012Validator(
        {"$ref": f"{root.uri}#{pointer}"}, registry=refs.registry, format_checker=FORMATS
    )
    errors = list(direct.iter_errors(payload))
    if problems and not errors:
        # OpenAPI 3.0's nullable means nothing to a 2020-12 validator of the source itself.
        # Notify's SendLetterResponse is a oneOf of two open objects: with its nullable
        # scheduled_for, a normal letter's response is valid under both.
        assert [p.message for p in problems] == [
            "the payload matches more than one of its 2 alternatives; it should match one"
        ]
        assert None in payload.values()
    elif not problems:
        # The only complaints of the source itself may be nulls that 3.0 allows.
        assert all(error.instance is None for error in errors), [e.message for e in errors]


def test_a_broken_schema_is_one_warning_not_a_traceback() -> None:
    (problem,) = check_example('{"a": 1}', {"properties": {"a": {"type": "strnig"}}})
    assert (problem.subtype, problem.message) == (
        "schema",
        "cannot check the example: the schema is broken: 'strnig' is not a JSON type",
    )
    # A pattern that is no regular expression is not checked, and said so once (by the
    # directive, from model.patterns.unchecked_patterns), not at every payload.
    schema = {"properties": {"a": {"pattern": "(["}}}
    assert check_example('{"a": "1"}', schema) == []
    ((pointer, pattern, why),) = unchecked_patterns(schema)
    assert (pointer, pattern) == ("/properties/a/pattern", "([")
    assert "missing" in why


def test_asyncapi_messages_bring_their_examples_and_any_of_their_payloads(tmp_path: Path) -> None:
    (tmp_path / "events.yaml").write_text(
        """asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  orders:
    subscribe:
      message:
        oneOf:
          - name: created
            payload:
              type: object
              required: [id]
              properties: {id: {type: string}, kind: {const: created}}
            examples:
              - {name: small, summary: A small order, payload: {id: a1, kind: created}}
          - name: cancelled
            payload:
              type: object
              required: [reason]
              properties: {reason: {type: string, nullable: true}}
""",
        encoding="utf-8",
    )
    result = read_source(
        SourceRequest(
            str(tmp_path / "events.yaml"),
            pointer="/channels/orders/subscribe/message",
            srcdir=str(tmp_path),
        ),
        FileCache(),
    )
    assert result.callback is not None
    (example,) = result.callback.examples
    assert (example.name, example.summary, example.value) == (
        "small",
        "A small order",
        {"id": "a1", "kind": "created"},
    )
    schema = result.callback.schema
    assert schema is not None and len(schema["anyOf"]) == 2
    assert check_example('{"reason": null}', schema) == []
    assert check_example(json.dumps(example.value), schema) == []
    assert valid(make_example(schema), schema)


def test_a_media_type_example_or_else_the_schemas(tmp_path: Path) -> None:
    (tmp_path / "hook.yaml").write_text(
        """openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  one:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {a: {type: integer}}, example: {a: 2}}
            example: {a: 1}
  two:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Two'}
components:
  schemas:
    Two: {type: object, properties: {a: {type: integer}}, examples: [{a: 3}, {a: 4}]}
""",
        encoding="utf-8",
    )
    for webhook, values in (("one", [{"a": 1}]), ("two", [{"a": 3}, {"a": 4}])):
        result = read_source(
            SourceRequest(str(tmp_path / "hook.yaml"), srcdir=str(tmp_path), webhook=webhook),
            FileCache(),
        )
        assert result.callback is not None
        assert [example.value for example in result.callback.examples] == values


def test_a_recursive_schema_gives_a_small_example_at_once() -> None:
    node = {
        "type": "object",
        "properties": {k: {"$ref": "#/$defs/node"} for k in "abcdef"} | {"v": {"type": "integer"}},
    }
    schema = {"$schema": DIALECT, "$ref": "#/$defs/node", "$defs": {"node": node}}
    # Followed 24 levels deep, each branch would give 6 ** 24 values.
    assert make_example(schema) == {"v": 0}
    wide = {"type": "object", "properties": {k: {"$ref": "#"} for k in "abcdef"}}
    document = {"$schema": DIALECT, **wide}
    example = make_example(document)
    assert valid(example, document)
    assert len(json.dumps(example)) < 200
