"""Reader tests beyond plain schemas: open-ended objects, enum meanings, languages, form
bodies, headers, direction, fallbacks and located problems."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml

from sphinxext_callbacks.model.fields import Choice, Field, localised
from sphinxext_callbacks.readers.fieldlist import field_list_fields
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source
from tests.helpers import type_text

from .helpers import EXAMPLES


def read(tmp_path: Path, doc: Any, name: str = "s.json", **options: Any) -> SourceResult:
    path = tmp_path / name
    text = json.dumps(doc, indent=2) if name.endswith(".json") else yaml.safe_dump(doc)
    path.write_text(text, encoding="utf-8")
    return read_source(SourceRequest(str(path), srcdir=str(tmp_path), **options), FileCache())


def fields(result: SourceResult) -> dict[str, Field]:
    assert result.problems == []
    assert result.callback is not None
    return {f.key: f for f in result.callback.fields}


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def openapi(operation: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "x-webhooks": {"hook": {"post": operation}},
        **extra,
    }


# -- Open-ended objects ----------------------------------------------------------------------


def test_additional_properties_schema_gives_a_key_row(tmp_path: Path) -> None:
    schema = obj(
        id={"type": "string"},
        tags={"type": "object", "additionalProperties": {"type": "string", "description": "V"}},
        rooms={
            "type": "object",
            "additionalProperties": obj(size={"type": "integer"}),
        },
    )
    got = fields(read(tmp_path, schema))
    assert list(got) == ["id", "tags", "tags.{key}", "rooms", "rooms.{key}", "rooms.{key}.size"]
    assert type_text(got["tags.{key}"]) == "string" and got["tags.{key}"].description == "V"
    assert not got["tags.{key}"].required
    assert type_text(got["tags"]) == "object"


def test_top_level_additional_properties(tmp_path: Path) -> None:
    got = fields(read(tmp_path, {"additionalProperties": {"type": "integer"}}))
    assert list(got) == ["{key}"]
    assert type_text(got["{key}"]) == "integer"


def test_pattern_properties(tmp_path: Path) -> None:
    schema = obj(headers={"patternProperties": {"^X-": {"type": "string"}}})
    got = fields(read(tmp_path, schema))
    assert list(got) == ["headers", "headers.{^X-}"]
    assert type_text(got["headers"]) == "object"
    assert type_text(got["headers.{^X-}"]) == "string"


@pytest.mark.parametrize(
    ("extra", "notes"),
    [
        (True, ["Other keys may appear in data."]),
        ({}, ["Other keys may appear in data."]),
        (False, []),
        (None, []),
    ],
)
def test_additional_properties_true_is_a_note(tmp_path: Path, extra: Any, notes: list[str]) -> None:
    data: dict[str, Any] = obj(a={"type": "string"})
    if extra is not None:
        data["additionalProperties"] = extra
    result = read(tmp_path, obj(data=data))
    assert result.callback is not None
    assert result.callback.notes == notes


def test_open_root_note(tmp_path: Path) -> None:
    result = read(tmp_path, {**obj(a={}), "additionalProperties": True})
    assert result.callback is not None and result.callback.notes == ["Other keys may appear."]


def test_octokit_custom_properties() -> None:
    result = read_source(
        SourceRequest(
            str(EXAMPLES / "octokit-webhooks" / "issues" / "opened.schema.json"),
            srcdir=str(EXAMPLES),
            depth=2,
        ),
        FileCache(),
    )
    got = fields(result)
    row = got["repository.custom_properties.{key}"]
    assert row.nullable and type_text(row) == "string or array of string"


# -- Enum values with descriptions ---------------------------------------------------------


def test_one_of_consts_with_descriptions(tmp_path: Path) -> None:
    status = {
        "description": "The status",
        "oneOf": [
            {"const": "delivered", "description": "It arrived"},
            {"const": "failed", "title": "It did not"},
            {"const": "pending"},
        ],
    }
    got = fields(read(tmp_path, obj(status=status)))["status"]
    assert got.enum == ("delivered", "failed", "pending")
    assert got.enum_descriptions == (("delivered", "It arrived"), ("failed", "It did not"))
    assert got.description == "The status"
    assert pickle.loads(pickle.dumps(got)) == got


@pytest.mark.parametrize("word", ["x-enum-descriptions", "x-enumDescriptions"])
def test_enum_description_extensions(tmp_path: Path, word: str) -> None:
    as_list = {"enum": ["a", "b", "c"], word: ["Ay", "", "Cee"]}
    as_map = {"enum": [1, 2, True], word: {"1": "One", "true": "Yes"}}
    got = fields(read(tmp_path, obj(listed=as_list, mapped=as_map)))
    assert got["listed"].enum_descriptions == (("a", "Ay"), ("c", "Cee"))
    assert got["mapped"].enum_descriptions == ((1, "One"), (True, "Yes"))


def test_enum_descriptions_are_hashable_and_frozen() -> None:
    field = Field(path=("a",), enum=("x",), enum_descriptions=(("x", "Ex"),))
    assert hash(field) == hash(Field(path=("a",), enum=("x",), enum_descriptions=(("x", "Ex"),)))
    assert field.with_description("other").enum_descriptions == (("x", "Ex"),)


# -- Languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "default", "expected"),
    [
        ("cy", "en", "Cymraeg"),
        ("cy_GB", "en", "Cymraeg"),
        ("CY-gb", "en", "Cymraeg"),
        ("fr", "en", "English"),
        ("fr", "cy", "Cymraeg"),
        ("fr", "de", "English"),
    ],
)
def test_localised(language: str, default: str, expected: str) -> None:
    assert localised({"en": "English", "cy": "Cymraeg"}, language, default) == expected


def test_localised_leaves_other_values_alone() -> None:
    assert localised("text", "cy") == "text"
    assert localised({}, "cy") == {}
    # Only a regional text: it is the first text, so it is shown.
    assert localised({"en_GB": "Colour"}, "en") == "Colour"


def test_schema_descriptions_and_titles_per_language(tmp_path: Path) -> None:
    schema = {
        "title": {"en": "Receipt", "cy": "Derbynneb"},
        **obj(
            a={"description": {"en": "Status", "cy": "Statws"}},
            b={"title": {"en": "Only title"}},
            c={"description": {"cy": "Dim ond Cymraeg"}},
        ),
    }
    english = read(tmp_path, schema)
    welsh = read(tmp_path, schema, language="cy")
    assert english.callback is not None and welsh.callback is not None
    assert english.callback.caption == "Receipt" and welsh.callback.caption == "Derbynneb"
    assert [f.description for f in english.callback.fields] == [
        "Status",
        "Only title",
        "Dim ond Cymraeg",
    ]
    assert [f.description for f in welsh.callback.fields] == [
        "Statws",
        "Only title",
        "Dim ond Cymraeg",
    ]


def test_field_list_per_language() -> None:
    value = {
        "caption": {"en": "Receipt", "cy": "Derbynneb"},
        "fields": [{"key": "a", "description": {"en": "Status", "cy": "Statws"}}],
    }
    got, caption, problems = field_list_fields(value, "f.yaml#", language="cy")
    assert problems == [] and caption == "Derbynneb" and got[0].description == "Statws"
    got, caption, _ = field_list_fields(value, "f.yaml#", language="fr", default_language="en")
    assert caption == "Receipt" and got[0].description == "Status"


def test_each_language_reads_its_own_texts(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(obj(a={"description": {"en": "A", "cy": "B"}})), encoding="utf-8")
    cache = FileCache()
    texts = []
    for language in ("en", "cy"):
        result = read_source(SourceRequest(str(path), language=language), cache)
        assert result.callback is not None
        texts.append(result.callback.fields[0].description)
    assert texts == ["A", "B"]


# -- Form bodies, x-webhooks, headers ------------------------------------------------------


@pytest.mark.parametrize("media", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_form_bodies(tmp_path: Path, media: str) -> None:
    operation = {
        "requestBody": {"content": {media: {"schema": obj(a={"type": "string"})}}},
        "responses": {},
    }
    result = read(tmp_path, openapi(operation), webhook="hook")
    assert list(fields(result)) == ["a"]
    assert result.callback is not None
    assert result.callback.notes == [f"Content type: {media}"]


def test_json_is_preferred_to_a_form(tmp_path: Path) -> None:
    content = {
        "multipart/form-data": {"schema": obj(form={})},
        "application/json": {"schema": obj(json={})},
    }
    operation = {"requestBody": {"content": content}, "responses": {}}
    result = read(tmp_path, openapi(operation), webhook="hook")
    assert list(fields(result)) == ["json"]
    assert result.callback is not None and result.callback.notes == []


def test_x_webhooks_whole_document_hint(tmp_path: Path) -> None:
    operation = {"requestBody": {"content": {"application/json": {"schema": obj(a={})}}}}
    result = read(tmp_path, openapi(operation))
    assert result.callback is None
    assert "webhooks: hook" in result.problems[0].message
    assert list(fields(read(tmp_path, openapi(operation), webhook="hook"))) == ["a"]


def test_headers_with_a_notify_like_bearer_token(tmp_path: Path) -> None:
    operation = {
        "requestBody": {"content": {"application/json": {"schema": obj(id={})}}},
        "security": [{"BearerToken": []}],
        "responses": {},
    }
    schemes = {"BearerToken": {"type": "http", "scheme": "bearer", "description": "Your token"}}
    doc = openapi(operation, components={"securitySchemes": schemes})
    got = fields(read(tmp_path, doc, webhook="hook", part="headers"))
    assert list(got) == ["Content-Type", "Authorization"]
    assert got["Authorization"].example == "Bearer <token>"
    assert got["Authorization"].description == "Your token"
    assert got["Authorization"].required


def test_headers_with_an_undefined_scheme(tmp_path: Path) -> None:
    operation = {"security": [{"BearerTokn": []}], "responses": {}}
    schemes = {"BearerToken": {"type": "http", "scheme": "bearer"}}
    doc = openapi(operation, components={"securitySchemes": schemes})
    result = read(tmp_path, doc, name="api.yaml", webhook="hook", part="headers")
    assert result.callback is None
    messages = [p.message for p in result.problems]
    assert any(
        "security scheme 'BearerTokn' is not in components/securitySchemes" in m
        and "did you mean 'BearerToken'?" in m
        for m in messages
    )


def test_notify_headers() -> None:
    result = read_source(
        SourceRequest(
            str(EXAMPLES / "notify" / "POST_notification_sms.json"),
            callback=(None, "onSmsSend"),
            part="headers",
            srcdir=str(EXAMPLES),
        ),
        FileCache(),
    )
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["Content-Type"]
    (problem,) = result.problems
    assert "'BearerToken' is not in components/securitySchemes" in problem.message


# -- Direction and fallbacks ---------------------------------------------------------------


def test_direction_write_only_hidden_read_only_shown_at_every_depth(tmp_path: Path) -> None:
    schema = obj(
        id={"type": "string", "readOnly": True},
        password={"type": "string", "writeOnly": True},
        items={"type": "array", "items": obj(secret={"writeOnly": True}, name={"readOnly": True})},
        ref={"$ref": "#/$defs/Secret"},
    )
    schema["$defs"] = {"Secret": {"type": "string", "writeOnly": True}}
    assert list(fields(read(tmp_path, schema))) == ["id", "items", "items[].name"]


def test_unknown_keywords_and_custom_formats_pass_through(tmp_path: Path) -> None:
    schema = obj(
        a={"type": "string", "format": "snowflake", "x-thing": {"deep": [1]}, "discriminator": 3},
        b={"title": "From the title", "description": 42},
        c={"type": "integer", "format": "unix-time", "tsType": "Date"},
    )
    schema["tsAdditionalProperties"] = False
    got = fields(read(tmp_path, schema))
    assert got["a"].json_format == "snowflake"
    assert got["b"].description == "From the title"
    assert got["c"].json_format == "unix-time"


def test_odd_enum_description_shapes_do_not_crash(tmp_path: Path) -> None:
    schema = obj(
        a={"enum": ["x"], "x-enum-descriptions": "not a list"},
        b={"enum": ["x"], "x-enumDescriptions": [None, 3]},
        c={"oneOf": [{"const": None, "description": "Nothing"}, {"const": "y"}]},
        d={"additionalProperties": "yes", "patternProperties": ["^a"]},
    )
    got = fields(read(tmp_path, schema))
    assert got["a"].enum_descriptions == () and got["b"].enum_descriptions == ()
    assert got["c"].enum_descriptions == () and got["c"].nullable


# -- Located problems ------------------------------------------------------------------------


def test_yaml_problem_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "type: object\nproperties:\n  a:\n    $ref: '#/nowhere'\n  b:\n    type: string\n",
        encoding="utf-8",
    )
    result = read_source(SourceRequest(str(path), srcdir=str(tmp_path)), FileCache())
    (problem,) = result.problems
    assert problem.subtype == "ref"
    assert "s.yaml#/properties/a (line 3, column 3)" in problem.message


def test_json_problem_has_line_and_column(tmp_path: Path) -> None:
    result = read(tmp_path, {"properties": {"a": {"properties": {}}}}, pointer="/properties/a")
    (problem,) = result.problems
    assert "s.json#/properties/a (line 3, column 5) has no properties" in problem.message


def test_position_lookups(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("a:\n  - x\n  - {b: 1}\n'c/d': 2\n", encoding="utf-8")
    cache = FileCache()
    assert cache.position(str(path), "") == (1, 1)
    assert cache.position(str(path), "/a/1/b") == (3, 6)
    assert cache.position(str(path), "/c~1d") == (4, 1)
    assert cache.position(str(path), "/a/9") is None
    assert cache.position(str(path), "/nope") is None
    toml = tmp_path / "s.toml"
    toml.write_text("a = 1\n", encoding="utf-8")
    assert cache.position(str(toml), "/a") is None
    broken = tmp_path / "t.json"
    broken.write_text('{"a":\t[1, 2]}', encoding="utf-8")
    assert cache.position(str(broken), "/a") in (None, (1, 2))


def test_field_list_enum_with_meanings() -> None:
    entry = {"key": "s", "enum": {"a": {"en": "Ay", "cy": "Ei"}, "b": None, "c": "See"}}
    got, _, problems = field_list_fields([entry], "f.yaml#", language="cy")
    assert problems == []
    assert got[0].enum == ("a", "b", "c")
    assert got[0].enum_descriptions == (("a", "Ei"), ("c", "See"))


def test_field_list_key_did_you_mean() -> None:
    _, _, problems = field_list_fields([{"key": "a", "descripton": "x"}], "f.yaml#")
    assert "unknown key(s) descripton; did you mean 'description'?" in problems[0].message


@pytest.mark.parametrize(
    ("schema", "shown", "example"),
    [
        ({"type": "string", "description": "A heartbeat"}, "string", "string"),
        ({"type": "array", "items": {"type": "integer"}}, "array of integer", [0]),
        ({"type": "string", "enum": ["ping", "pong"]}, "string", "ping"),
    ],
)
def test_a_body_that_is_not_an_object_is_one_row(
    tmp_path: Path, schema: dict[str, Any], shown: str, example: Any
) -> None:
    from sphinxext_callbacks.model.examples import check_example, make_example

    result = read(tmp_path, schema)
    assert result.problems == []
    assert result.callback is not None
    (field,) = result.callback.fields
    assert (field.key, type_text(field), field.required) == ("(body)", shown, True)
    schema = result.callback.schema
    assert make_example(schema) == example
    assert check_example(json.dumps(example), schema) == []
    assert check_example('{"a": 1}', schema) != []


def test_a_oneof_nested_in_a_oneof_keeps_its_rows(tmp_path: Path) -> None:
    # A messaging spec's inbound message: WhatsApp and Viber sit in a oneOf with no type of
    # its own, inside the oneOf of channels; their rows vanished without a warning.
    schema = {
        "type": "object",
        "properties": {
            "message": {
                "oneOf": [
                    {"title": "SMS", "type": "object", "properties": {"text": {}}},
                    {
                        "oneOf": [
                            {"title": "WhatsApp", "properties": {"wa_id": {}}},
                            {"title": "Viber", "properties": {"viber_id": {}}},
                        ]
                    },
                ]
            }
        },
    }
    got = fields(read(tmp_path, schema))
    assert list(got) == ["message", "message.text", "message.wa_id", "message.viber_id"]
    sms, inner = Choice("SMS", 0, 2, ("message",)), Choice(None, 1, 2, ("message",))
    assert got["message.text"].alternatives == (sms,)
    assert got["message.wa_id"].alternatives == (inner, Choice("WhatsApp", 0, 2, ("message",)))
    assert got["message.viber_id"].alternatives == (inner, Choice("Viber", 1, 2, ("message",)))


def test_a_cycle_says_under_the_table_where_its_keys_are(tmp_path: Path) -> None:
    # A $ref cycle is shown once; the rows where it stops said nothing of why they had no
    # children.
    schema = {
        "$ref": "#/$defs/node",
        "$defs": {
            "node": obj(
                name={"type": "string"},
                children={"type": "array", "items": {"$ref": "#/$defs/node"}},
                owner={"$ref": "#/$defs/person"},
            ),
            "person": obj(email={"type": "string"}, manager={"$ref": "#/$defs/person"}),
        },
    }
    result = read(tmp_path, schema)
    assert list(fields(result)) == [
        "name",
        "children",
        "owner",
        "owner.email",
        "owner.manager",
    ]
    assert result.callback is not None
    assert result.callback.notes == [
        "The keys of children[] are those of the whole body, shown above.",
        "The keys of owner.manager are those of owner, shown above.",
    ]
