"""Tests for readers/asyncapi.py through read_source: messages in AsyncAPI 2.x and 3.x."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxext_callbacks.model.fields import Choice
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source

from .helpers import EXAMPLES
from .test_sources_properties import NAMES, SCALARS, check, schemas

ASYNCAPI = EXAMPLES / "asyncapi"

PAYLOAD = {"type": "object", "properties": {"id": {"type": "string", "description": "*Id*"}}}


def example(name: str, **options: Any) -> SourceResult:
    request = SourceRequest(str(ASYNCAPI / name), srcdir=str(EXAMPLES), **options)
    return read_source(request, FileCache())


def read(tmp_path: Path, doc: Any, name: str = "events.yaml", **options: Any) -> SourceResult:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return read_source(SourceRequest(str(path), srcdir=str(tmp_path), **options), FileCache())


def keys(result: SourceResult) -> list[str]:
    assert result.problems == []
    assert result.callback is not None
    return [f.key for f in result.callback.fields]


def v3(**messages: Any) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {
            "events": {
                "address": "events",
                "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in messages},
            }
        },
        "operations": {
            "sendEvents": {
                "action": "send",
                "channel": {"$ref": "#/channels/events"},
                "messages": [{"$ref": f"#/channels/events/messages/{name}"} for name in messages],
            }
        },
        "components": {"messages": messages},
    }


def test_asyncapi_26_message_by_name() -> None:
    result = example("simple.asyncapi26.yml", message="UserSignedUp")
    assert keys(result) == ["displayName", "email"]
    assert result.callback is not None
    email = result.callback.fields[1]
    assert email.json_format == "email" and email.description == "Email of the user"
    assert email.markup == "markdown"
    assert str(email.origin) == (
        "asyncapi/simple.asyncapi26.yml#/components/messages/UserSignedUp/payload/properties/email"
    )


@pytest.mark.parametrize(
    "options",
    [
        {"message": "UserSignedUp"},
        {"message": "sendUserSignedup"},
        {"pointer": "/operations/sendUserSignedup"},
        {"pointer": "/channels/userSignedup"},
        {"pointer": "/channels/userSignedup/messages/UserSignedUp"},
        {"pointer": "/components/messages/UserSignedUp"},
    ],
)
def test_asyncapi_31_message_operation_channel_and_pointers(options: dict[str, Any]) -> None:
    assert keys(example("simple.asyncapi31.yml", **options)) == ["displayName", "email"]


def test_asyncapi_26_channel_and_operation_pointers() -> None:
    for pointer in ("/channels/user~1signedup", "/channels/user~1signedup/subscribe"):
        assert keys(example("simple.asyncapi26.yml", pointer=pointer)) == ["displayName", "email"]


def test_payload_one_of_is_alternatives() -> None:
    result = example("oneof.asyncapi26.yml", message="testMessages")
    assert result.callback is not None
    assert [(f.key, f.alternatives) for f in result.callback.fields] == [
        ("key", (Choice("objectWithKey", 0, 2),)),
        ("key2", (Choice("objectWithKey2", 1, 2),)),
    ]


def test_message_one_of_is_alternatives_labelled_by_payload() -> None:
    result = example("oneof.asyncapi26.yml", pointer="/channels/test2/subscribe/message")
    assert result.problems == []
    assert result.callback is not None
    assert [(f.key, f.alternatives) for f in result.callback.fields] == [
        ("key", (Choice("objectWithKey", 0, 2),)),
        ("key2", (Choice("objectWithKey2", 1, 2),)),
    ]


def test_operation_with_several_messages_labels_each(tmp_path: Path) -> None:
    other = {"type": "object", "properties": {"code": {"type": "integer"}}}
    doc = v3(
        Sent={"name": "sent", "payload": PAYLOAD},
        Failed={"title": "Failed", "payload": other},
    )
    result = read(tmp_path, doc, message="sendEvents")
    assert result.callback is not None
    assert [(f.key, f.alternatives) for f in result.callback.fields] == [
        ("id", (Choice("sent", 0, 2),)),
        ("code", (Choice("Failed", 1, 2),)),
    ]
    assert result.callback.caption is None
    single = read(tmp_path, doc, message="Failed")
    assert single.callback is not None and single.callback.caption == "Failed"


def test_unknown_message_lists_names_and_suggests() -> None:
    result = example("simple.asyncapi31.yml", message="UserSignedUpp")
    assert result.callback is None
    (problem,) = result.problems
    assert problem.subtype == "option"
    assert "no message 'UserSignedUpp'; did you mean 'UserSignedUp'?" in problem.message
    assert "(the file has: UserSignedUp, sendUserSignedup)" in problem.message


def test_whole_document_asks_for_a_message() -> None:
    result = example("oneof.asyncapi26.yml")
    assert result.callback is None
    assert "pick a message with :message:" in result.problems[0].message
    assert "testMessage1, testMessage2, testMessages" in result.problems[0].message


def test_ambiguous_name_asks_for_a_pointer(tmp_path: Path) -> None:
    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {
            "a": {"address": "a", "messages": {"ping": {"payload": PAYLOAD}}},
            "b": {"address": "b", "messages": {"ping": {"payload": PAYLOAD}}},
        },
    }
    result = read(tmp_path, doc, message="ping")
    assert result.callback is None
    message = result.problems[0].message
    assert "names several messages (#/channels/a/messages/ping, #/channels/b/messages/ping)" in (
        message
    )


def test_message_option_needs_asyncapi(tmp_path: Path) -> None:
    result = read(tmp_path, PAYLOAD, message="m")
    assert result.problems[0].subtype == "option"
    assert ":message: needs an AsyncAPI document" in result.problems[0].message


def test_headers_part_and_content_type_note(tmp_path: Path) -> None:
    headers = {"type": "object", "properties": {"correlationId": {"type": "string"}}}
    doc = v3(
        Sent={"headers": headers, "payload": PAYLOAD, "contentType": "application/xml"},
    )
    assert keys(read(tmp_path, doc, message="Sent", part="headers")) == ["correlationId"]
    body = read(tmp_path, doc, message="Sent")
    assert body.callback is not None
    assert body.callback.notes == ["Content type: application/xml"]


def test_schema_formats(tmp_path: Path) -> None:
    wrapped = {
        "schemaFormat": "application/vnd.aai.asyncapi+json;version=3.0.0",
        "schema": PAYLOAD,
    }
    assert keys(read(tmp_path, v3(M={"payload": wrapped}), message="M")) == ["id"]
    avro = {"schemaFormat": "application/vnd.apache.avro;version=1.9.0", "schema": PAYLOAD}
    result = read(tmp_path, v3(M={"payload": avro}), message="M")
    assert result.callback is None
    assert "only JSON Schema payloads" in result.problems[0].message


def test_message_without_payload(tmp_path: Path) -> None:
    result = read(tmp_path, v3(M={"headers": PAYLOAD}), message="M")
    assert result.callback is None
    assert "has no payload" in result.problems[0].message


def test_message_in_a_fragment_file(tmp_path: Path) -> None:
    result = read(tmp_path, {"messages": {"m": {"payload": PAYLOAD}}}, pointer="/messages/m")
    assert keys(result) == ["id"]


def test_pointer_to_a_payload_schema_still_reads_the_schema() -> None:
    result = example("oneof.asyncapi26.yml", pointer="/components/schemas/objectWithKey")
    assert keys(result) == ["key"]


def test_broken_message_ref_is_located(tmp_path: Path) -> None:
    doc = v3(M={"payload": PAYLOAD})
    doc["channels"]["events"]["messages"]["M"] = {"$ref": "#/components/messages/Nope"}
    result = read(tmp_path, doc, pointer="/channels/events")
    assert result.callback is None
    assert result.problems[0].subtype == "ref"
    assert "resolves nowhere" in result.problems[0].message


def test_fields_pickle() -> None:
    result = example("oneof.asyncapi26.yml", message="testMessages")
    assert result.callback is not None
    assert pickle.loads(pickle.dumps(result.callback.fields)) == result.callback.fields


# -- Property tests: random AsyncAPI documents never make the readers raise ---------------

MESSAGE_REFS = st.sampled_from(
    [
        "#/components/messages/A",
        "#/components/messages/B",
        "#/components/messages/Nope",
        "#/channels/c/messages/A",
        "#/channels/c",
        "#/operations/op",
        "#",
    ]
)
LANGUAGES = st.dictionaries(st.sampled_from(["en", "cy", "fr", ""]), SCALARS, max_size=2)
open_schemas = st.builds(
    lambda schema, extra: {**schema, **extra} if isinstance(schema, dict) else schema,
    schemas,
    st.fixed_dictionaries(
        {},
        optional={
            "additionalProperties": schemas | st.booleans(),
            "patternProperties": st.dictionaries(st.sampled_from(["^a", "", "x"]), schemas)
            | SCALARS,
            "enum": st.lists(SCALARS, max_size=3),
            "x-enum-descriptions": st.lists(SCALARS | LANGUAGES, max_size=3)
            | st.dictionaries(st.sampled_from(["a", "1", "true"]), SCALARS | LANGUAGES),
            "x-enumDescriptions": SCALARS,
            "description": LANGUAGES | SCALARS,
            "title": LANGUAGES,
        },
    ),
)
messages = st.recursive(
    st.fixed_dictionaries({"$ref": MESSAGE_REFS})
    | st.fixed_dictionaries(
        {"payload": open_schemas},
        optional={
            "name": SCALARS,
            "title": LANGUAGES | SCALARS,
            "contentType": st.sampled_from(["application/json", "text/csv"]) | SCALARS,
            "headers": open_schemas,
            "schemaFormat": st.sampled_from(["application/vnd.apache.avro", ""]) | SCALARS,
        },
    )
    | SCALARS,
    lambda inner: st.fixed_dictionaries({"oneOf": st.lists(inner, max_size=3)}),
    max_leaves=6,
)
asyncapi_docs = st.fixed_dictionaries(
    {
        "asyncapi": st.sampled_from(["2.6.0", "3.0.0"]),
        "components": st.fixed_dictionaries({"messages": st.fixed_dictionaries({"A": messages})}),
        "channels": st.fixed_dictionaries(
            {
                "c": st.fixed_dictionaries(
                    {},
                    optional={
                        "address": st.just("c"),
                        "messages": st.dictionaries(st.sampled_from(["A", "B"]), messages),
                        "subscribe": st.fixed_dictionaries(
                            {"message": messages}, optional={"operationId": NAMES}
                        ),
                    },
                )
            }
        ),
        "operations": st.fixed_dictionaries(
            {
                "op": st.fixed_dictionaries(
                    {"action": st.just("send")},
                    optional={
                        "channel": st.fixed_dictionaries({"$ref": MESSAGE_REFS}),
                        "messages": st.lists(messages, max_size=2) | SCALARS,
                    },
                )
            }
        ),
    }
)


@settings(max_examples=120, deadline=None)
@given(
    asyncapi_docs,
    st.sampled_from(["A", "B", "op", "c", "a"]),
    st.sampled_from(["body", "headers"]),
    st.sampled_from(["en", "cy"]),
)
def test_random_asyncapi(doc: Any, name: str, part: str, language: str) -> None:
    check(doc, message=name, part=part, language=language)
    for pointer in ("/components/messages/A", "/channels/c", "/operations/op"):
        check(doc, pointer, part=part)


#: An AsyncAPI 1.x document, as Slack's events API was described: ``topics`` and
#: ``events``, no ``channels``.
ASYNCAPI_1 = {
    "asyncapi": "1.2.0",
    "info": {"title": "Slack Events API", "version": "1.0.0"},
    "topics": {"event": {"subscribe": {"$ref": "#/components/messages/event"}}},
    "components": {"messages": {"event": {"payload": PAYLOAD}}},
}


@pytest.mark.parametrize(
    "options", [{}, {"message": "event"}, {"pointer": "/components/messages/event"}]
)
def test_an_asyncapi_1_document_names_its_version(tmp_path: Path, options: dict[str, Any]) -> None:
    result = read(tmp_path, ASYNCAPI_1, **options)
    assert result.callback is None
    assert [p.message for p in result.problems] == [
        "events.yaml: this is an AsyncAPI 1.2.0 document; only AsyncAPI 2.x and 3.x are read "
        "(convert it with the AsyncAPI converter: https://github.com/asyncapi/converter-js)"
    ]
