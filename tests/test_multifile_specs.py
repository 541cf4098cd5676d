"""Real multi-file specs: Path Item ``$ref``s, ``components/pathItems``, the root's security
schemes, AsyncAPI names shared by an operation and its message, and GOV.UK Notify's published
spec read through its root file (``docs/sources.rst``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source

from .helpers import NOTIFY_PUBLISHED, NOTIFY_RECEIPT_KEYS

SMS_KEYS = NOTIFY_RECEIPT_KEYS
LETTER_KEYS = [
    "notification_id",
    "reference",
    "date_sent",
    "sent_by",
    "template_name",
    "template_id",
    "template_version",
    "spreadsheet_file_name",
    "spreadsheet_row_number",
    "upload_letter_file_name",
]
ROOT = NOTIFY_PUBLISHED / "publicapi_spec.json"


def notify(pointer: str = "", **options: Any) -> SourceResult:
    return read_source(
        SourceRequest(str(ROOT), pointer=pointer, srcdir=str(NOTIFY_PUBLISHED), **options),
        FileCache(),
    )


def keys(result: SourceResult) -> list[str]:
    assert result.callback is not None, result.problems
    return [field.key for field in result.callback.fields]


def json_body(key: str) -> dict[str, Any]:
    """A request body whose JSON schema has the one property *key*."""
    return {"content": {"application/json": {"schema": {"properties": {key: {}}}}}}


def write(folder: Path, files: dict[str, Any]) -> Path:
    for name, doc in files.items():
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")
    return folder / next(iter(files))


def read(path: Path, **options: Any) -> SourceResult:
    return read_source(SourceRequest(str(path), srcdir=str(path.parent), **options), FileCache())


@pytest.mark.parametrize(
    ("operation", "callback", "expected"),
    [
        ("sendTextMessage", "onSmsSend", SMS_KEYS),
        ("sendEmail", "onEmailSend", SMS_KEYS),
        ("sendLetter", "returnedLetter", LETTER_KEYS),
        (None, "onSmsSend", SMS_KEYS),
        (None, "returnedLetter", LETTER_KEYS),
    ],
)
def test_notify_callbacks_through_the_root(
    operation: str | None, callback: str, expected: list[str]
) -> None:
    result = notify(callback=(operation, callback))
    assert result.problems == []
    assert keys(result) == expected


@pytest.mark.parametrize(
    ("path", "callback", "expected"),
    [
        ("/v2/notifications/sms", "onSmsSend", SMS_KEYS),
        ("/v2/notifications/email", "onEmailSend", SMS_KEYS),
        ("/v2/notifications/letter", "returnedLetter", LETTER_KEYS),
    ],
)
def test_notify_callbacks_by_pointer_through_path_item_refs(
    path: str, callback: str, expected: list[str]
) -> None:
    escaped = path.replace("~", "~0").replace("/", "~1")
    result = notify(f"/paths/{escaped}/post/callbacks/{callback}")
    assert result.problems == []
    assert keys(result) == expected


@pytest.mark.parametrize("callback", ["onSmsSend", "onEmailSend", "returnedLetter"])
def test_notify_headers_use_the_roots_security_scheme(callback: str) -> None:
    result = notify(callback=(None, callback), part="headers")
    assert result.problems == []
    assert result.callback is not None
    got = {field.key: field for field in result.callback.fields}
    assert list(got) == ["Content-Type", "Authorization"]
    assert got["Authorization"].example == "Bearer <token>"
    assert got["Authorization"].required


def test_an_unknown_operation_lists_those_behind_path_item_refs() -> None:
    result = notify(callback=("sendTxtMessage", "onSmsSend"))
    assert result.callback is None
    message = result.problems[0].message
    assert "did you mean 'sendTextMessage'?" in message


def test_a_chain_of_path_item_refs(tmp_path: Path) -> None:
    body = json_body("a")
    hook = {"post": {"requestBody": body, "responses": {}}}
    operation = {
        "post": {
            "operationId": "create",
            "callbacks": {"done": {"{$url}": {"$ref": "hook.json"}}},
            "responses": {},
        }
    }
    root = write(
        tmp_path,
        {
            "api.json": {
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"$ref": "paths/x.json"}},
            },
        },
    )
    (tmp_path / "paths").mkdir()
    write(tmp_path / "paths", {"x.json": {"$ref": "../item.json"}})
    write(tmp_path, {"item.json": operation, "hook.json": hook})
    result = read(root, callback=("create", "done"))
    assert result.problems == []
    assert keys(result) == ["a"]
    assert keys(read(root, callback=(None, "done"))) == ["a"]


def test_a_refd_callback_object(tmp_path: Path) -> None:
    body = json_body("b")
    root = write(
        tmp_path,
        {
            "api.json": {
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": {
                    "/x": {
                        "post": {
                            "operationId": "create",
                            "callbacks": {"done": {"$ref": "#/components/callbacks/Done"}},
                            "responses": {},
                        }
                    }
                },
                "components": {
                    "callbacks": {
                        "Done": {"{$url}": {"post": {"requestBody": body, "responses": {}}}}
                    }
                },
            }
        },
    )
    assert keys(read(root, callback=("create", "done"))) == ["b"]


def test_components_path_items_in_31_webhooks(tmp_path: Path) -> None:
    body = json_body("c")
    root = write(
        tmp_path,
        {
            "api.json": {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "webhooks": {"paid": {"$ref": "#/components/pathItems/Paid"}},
                "components": {"pathItems": {"Paid": {"post": {"requestBody": body}}}},
            }
        },
    )
    assert keys(read(root, webhook="paid")) == ["c"]
    assert keys(read(root, pointer="/webhooks/paid")) == ["c"]


def test_top_level_security_is_never_a_webhook_header(tmp_path: Path) -> None:
    body = json_body("a")
    root = write(
        tmp_path,
        {
            "api.json": {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "security": [{"ApiKey": []}],
                "webhooks": {"paid": {"post": {"requestBody": body}}},
                "components": {"securitySchemes": {"ApiKey": {"type": "http", "scheme": "bearer"}}},
            }
        },
    )
    result = read(root, webhook="paid", part="headers")
    assert keys(result) == ["Content-Type"]


def test_asyncapi_operation_and_message_of_the_same_name(tmp_path: Path) -> None:
    payload = {"type": "object", "properties": {"lumens": {"type": "integer"}}}
    root = write(
        tmp_path,
        {
            "lights.json": {
                "asyncapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "channels": {
                    "lighting": {
                        "address": "light",
                        "messages": {"dimLight": {"$ref": "#/components/messages/dimLight"}},
                    }
                },
                "operations": {
                    "dimLight": {
                        "action": "send",
                        "channel": {"$ref": "#/channels/lighting"},
                        "messages": [{"$ref": "#/channels/lighting/messages/dimLight"}],
                    }
                },
                "components": {"messages": {"dimLight": {"payload": payload}}},
            }
        },
    )
    result = read(root, message="dimLight")
    assert result.problems == []
    assert keys(result) == ["lumens"]


def test_asyncapi_names_that_mean_two_messages_stay_ambiguous(tmp_path: Path) -> None:
    one = {"type": "object", "properties": {"a": {}}}
    two = {"type": "object", "properties": {"b": {}}}
    root = write(
        tmp_path,
        {
            "lights.json": {
                "asyncapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "channels": {
                    "c": {
                        "messages": {
                            "x": {"$ref": "#/components/messages/x"},
                            "y": {"$ref": "#/components/messages/y"},
                        }
                    }
                },
                "operations": {
                    "x": {
                        "action": "send",
                        "channel": {"$ref": "#/channels/c"},
                        "messages": [{"$ref": "#/channels/c/messages/y"}],
                    }
                },
                "components": {"messages": {"x": {"payload": one}, "y": {"payload": two}}},
            }
        },
    )
    result = read(root, message="x")
    assert result.callback is None
    message = result.problems[0].message
    assert "#/components/messages/x" in message
    assert "#/components/messages/y" in message


def test_a_deprecated_webhook_and_its_own_words(tmp_path: Path) -> None:
    body = {
        "description": "The body, as Redoc shows it.",
        "content": {"application/json": {"schema": {"properties": {"a": {}}}}},
    }
    root = write(
        tmp_path,
        {
            "api.json": {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "webhooks": {
                    "old": {
                        "post": {
                            "summary": "An old hook",
                            "description": "Sent when it happens.",
                            "deprecated": True,
                            "requestBody": body,
                        }
                    }
                },
            }
        },
    )
    for part in ("body", "headers"):
        result = read(root, webhook="old", part=part)
        assert result.callback is not None
        assert result.callback.deprecated
        assert (
            result.callback.description == "Sent when it happens.\n\nThe body, as Redoc shows it."
        )
    assert read(root, webhook="old").callback.caption == "An old hook"  # type: ignore[union-attr]


def test_notify_callbacks_keep_their_own_words() -> None:
    result = notify(callback=(None, "onSmsSend"))
    assert result.callback is not None
    assert "### Retry callbacks" in result.callback.description
    assert not result.callback.deprecated


def test_a_deprecated_asyncapi_message(tmp_path: Path) -> None:
    message = {
        "description": "Dims a light.",
        "deprecated": True,
        "payload": {"type": "object", "properties": {"lumens": {}}},
    }
    root = write(
        tmp_path,
        {
            "lights.json": {
                "asyncapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "components": {"messages": {"dim": message}},
            }
        },
    )
    result = read(root, message="dim")
    assert result.callback is not None
    assert result.callback.deprecated
    assert result.callback.description == "Dims a light."
