"""Tests for readers/openapi.py: webhooks, callbacks, request bodies and headers in OpenAPI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source
from tests.helpers import type_text

from .helpers import EXAMPLES, NOTIFY_RECEIPT_KEYS


def read(tmp_path: Path, doc: Any, name: str = "api.yaml", **options: Any) -> SourceResult:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return read_source(SourceRequest(str(path), srcdir=str(tmp_path), **options), FileCache())


def keys(result: SourceResult) -> list[str]:
    assert result.callback is not None, result.problems
    return [f.key for f in result.callback.fields]


def body(schema: Any, media: str = "application/json") -> dict[str, Any]:
    return {"requestBody": {"content": {media: {"schema": schema}}}, "responses": {}}


OBJ = {"type": "object", "properties": {"a": {"type": "string", "description": "*A*"}}}


def spec(**extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, **extra}


def test_webhook_31(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        spec(webhooks={"hook": {"post": {"summary": "Hook!", **body(OBJ)}}}),
        webhook="hook",
    )
    assert keys(result) == ["a"]
    assert result.callback is not None and result.callback.caption == "Hook!"
    assert result.callback.fields[0].markup == "markdown"
    assert str(result.callback.fields[0].origin) == (
        "api.yaml#/webhooks/hook/post/requestBody/content/application~1json/schema/properties/a"
    )


def test_x_webhooks_30(tmp_path: Path) -> None:
    result = read(tmp_path, spec(**{"x-webhooks": {"hook": {"post": body(OBJ)}}}), webhook="hook")
    assert keys(result) == ["a"]


def test_unknown_webhook_lists_names(tmp_path: Path) -> None:
    result = read(tmp_path, spec(webhooks={"newPet": {"post": body(OBJ)}}), webhook="newPets")
    assert result.callback is None
    (problem,) = result.problems
    assert problem.subtype == "option"
    assert "did you mean 'newPet'" in problem.message and "the file has: newPet" in problem.message


def test_no_webhooks_at_all(tmp_path: Path) -> None:
    result = read(tmp_path, spec(paths={}), webhook="x")
    assert "no webhooks" in result.problems[0].message


def callbacks_doc() -> dict[str, Any]:
    cb = {"{$request.body#/url}": {"post": body(OBJ)}}
    other = {"{$request.body#/url}": {"post": body({"properties": {"b": {}}})}}
    return spec(
        paths={
            "/one": {"post": {"operationId": "one", "callbacks": {"done": cb, "only": cb}}},
            "/two": {"put": {"operationId": "two", "callbacks": {"done": other}}},
            "/three": {"post": {"callbacks": {"anon": {"$ref": "#/components/callbacks/Shared"}}}},
        },
        components={"callbacks": {"Shared": other}},
    )


def test_callback_by_operation_and_name(tmp_path: Path) -> None:
    assert keys(read(tmp_path, callbacks_doc(), callback=("one", "done"))) == ["a"]
    assert keys(read(tmp_path, callbacks_doc(), callback=("two", "done"))) == ["b"]
    assert keys(read(tmp_path, callbacks_doc(), callback=(None, "only"))) == ["a"]


def test_callback_ref_and_components(tmp_path: Path) -> None:
    assert keys(read(tmp_path, callbacks_doc(), callback=(None, "anon"))) == ["b"]
    assert keys(read(tmp_path, callbacks_doc(), callback=(None, "Shared"))) == ["b"]


def test_ambiguous_callback_needs_operation_id(tmp_path: Path) -> None:
    result = read(tmp_path, callbacks_doc(), callback=(None, "done"))
    assert result.callback is None
    assert "one, two" in result.problems[0].message
    assert "OPERATION_ID NAME" in result.problems[0].message


def test_unknown_callback_and_operation(tmp_path: Path) -> None:
    result = read(tmp_path, callbacks_doc(), callback=(None, "doen"))
    assert "did you mean 'done'" in result.problems[0].message
    result = read(tmp_path, callbacks_doc(), callback=("oen", "done"))
    assert "no operation 'oen'" in result.problems[0].message
    assert "did you mean 'one'" in result.problems[0].message


def test_request_body_ref_and_plus_json(tmp_path: Path) -> None:
    doc = spec(
        webhooks={"h": {"post": {"requestBody": {"$ref": "#/components/requestBodies/B"}}}},
        components={
            "requestBodies": {
                "B": {
                    "content": {"text/plain": {}, "application/cloudevents+json": {"schema": OBJ}}
                }
            }
        },
    )
    result = read(tmp_path, doc, webhook="h")
    assert keys(result) == ["a"]
    assert result.callback is not None
    assert result.callback.notes == ["Content type: application/cloudevents+json"]


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ({"responses": {}}, "has no requestBody"),
        ({"requestBody": {"content": {}}}, "has no content"),
        ({"requestBody": {"content": {"text/plain": {"schema": {}}}}}, "no JSON media type"),
        ({"requestBody": {"content": {"application/json": {}}}}, "has no schema"),
        ({"requestBody": {"$ref": "#/nowhere"}}, "resolves nowhere"),
    ],
)
def test_body_problems(tmp_path: Path, operation: dict[str, Any], expected: str) -> None:
    result = read(tmp_path, spec(webhooks={"h": {"post": operation}}), webhook="h")
    assert result.callback is None
    assert expected in result.problems[0].message


def test_path_item_with_several_methods_prefers_one_with_body(tmp_path: Path) -> None:
    doc = spec(webhooks={"h": {"get": {"responses": {}}, "put": body(OBJ)}})
    result = read(tmp_path, doc, webhook="h")
    assert keys(result) == ["a"]
    assert result.callback is not None and result.callback.notes == ["PUT of PUT, GET"]


def test_pointer_to_operation_path_item_and_callback(tmp_path: Path) -> None:
    doc = callbacks_doc()
    base = "/paths/~1one/post/callbacks/done"
    assert keys(read(tmp_path, doc, pointer=base)) == ["a"]
    assert keys(read(tmp_path, doc, pointer=base + "/{$request.body#~1url}")) == ["a"]
    assert keys(read(tmp_path, doc, pointer=base + "/{$request.body#~1url}/post")) == ["a"]


def test_whole_document_without_option(tmp_path: Path) -> None:
    result = read(tmp_path, spec(webhooks={"h": {"post": body(OBJ)}}))
    assert result.problems[0].subtype == "option"
    assert "webhooks: h" in result.problems[0].message


def test_swagger_is_refused(tmp_path: Path) -> None:
    result = read(tmp_path, {"swagger": "2.0", "paths": {}})
    assert "Swagger 2.0" in result.problems[0].message


def test_headers_part(tmp_path: Path) -> None:
    doc = spec(
        webhooks={
            "h": {
                "post": {
                    **body(OBJ),
                    "parameters": [
                        {
                            "name": "X-Signature",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "HMAC",
                        },
                        {"name": "q", "in": "query"},
                        {"$ref": "#/components/parameters/Trace"},
                    ],
                    "security": [{"bearer": []}, {"key": []}],
                }
            }
        },
        components={
            "parameters": {"Trace": {"name": "X-Trace", "in": "header"}},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            },
        },
    )
    result = read(tmp_path, doc, webhook="h", part="headers")
    assert result.problems == []
    assert result.callback is not None
    got = {f.key: f for f in result.callback.fields}
    assert list(got) == ["X-Signature", "X-Trace", "Content-Type", "Authorization", "X-Api-Key"]
    assert got["Content-Type"].example == "application/json"
    assert got["X-Signature"].required and type_text(got["X-Signature"]) == "string"
    assert got["Authorization"].example == "Bearer <token>"
    assert str(got["Authorization"].origin) == "api.yaml#/components/securitySchemes/bearer"


def test_headers_part_with_nothing(tmp_path: Path) -> None:
    result = read(
        tmp_path, spec(webhooks={"h": {"post": {"responses": {}}}}), webhook="h", part="headers"
    )
    assert result.callback is None
    assert "no header parameters" in result.problems[0].message


def test_notify_path_item_fragment() -> None:
    path = str(EXAMPLES / "notify" / "POST_notification_sms.json")
    cache = FileCache()
    expected = NOTIFY_RECEIPT_KEYS
    for request in (
        SourceRequest(path, pointer="/post/callbacks/onSmsSend", srcdir=str(EXAMPLES)),
        SourceRequest(path, callback=(None, "onSmsSend"), srcdir=str(EXAMPLES)),
        SourceRequest(path, callback=("sendTextMessage", "onSmsSend"), srcdir=str(EXAMPLES)),
    ):
        result = read_source(request, cache)
        assert result.problems == []
        assert keys(result) == expected
        assert result.callback is not None
        fields = {f.key: f for f in result.callback.fields}
        assert fields["id"].example == "740e5834-3a29-46b4-9a6f-16142fde533a"
        assert type_text(fields["template_version"]) == "number"
        assert fields["id"].markup == "markdown"
        assert str(fields["id"].origin) == (
            "notify/schema.json#/components/schemas/SmsCallbackRequest/properties/id"
        )
        assert {Path(p).name for p in result.files} == {"POST_notification_sms.json", "schema.json"}
    assert set(cache.parse_count.values()) == {1}


def test_oai_examples() -> None:
    cache = FileCache()
    hook = read_source(
        SourceRequest(
            str(EXAMPLES / "openapi" / "webhook-example.oas31.yaml"),
            webhook="newPet",
            srcdir=str(EXAMPLES),
        ),
        cache,
    )
    assert keys(hook) == ["id", "name", "tag"]
    assert hook.callback is not None
    assert hook.callback.fields[0].json_format == "int64" and hook.callback.fields[0].required
    data = read_source(
        SourceRequest(
            str(EXAMPLES / "openapi" / "callback-example.oas30.yaml"),
            callback=(None, "onData"),
            srcdir=str(EXAMPLES),
        ),
        cache,
    )
    assert keys(data) == ["timestamp", "userData"]
    empty = read_source(
        SourceRequest(
            str(EXAMPLES / "openapi" / "callback-object-examples.oas31.yaml"),
            callback=(None, "transactionCallback"),
            srcdir=str(EXAMPLES),
        ),
        cache,
    )
    assert empty.callback is None
    assert "no properties" in empty.problems[0].message
