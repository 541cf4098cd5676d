"""Tests for readers/schema.py: JSON Schema to fields, ``$ref`` resolution and the walk's bounds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sphinxext_callbacks.model.fields import MISSING, Choice, Field, Origin
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.schema import TABLE_STOPS
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source
from tests.helpers import type_text, typed

from .helpers import EXAMPLES


def read(tmp_path: Path, schema: Any, name: str = "s.json", **options: Any) -> SourceResult:
    path = tmp_path / name
    path.write_text(json.dumps(schema), encoding="utf-8")
    return read_source(SourceRequest(str(path), srcdir=str(tmp_path), **options), FileCache())


def rows(tmp_path: Path, schema: Any, **options: Any) -> dict[str, Field]:
    result = read(tmp_path, schema, **options)
    assert result.problems == []
    assert result.callback is not None
    return {f.key: f for f in result.callback.fields}


def test_plain_properties(tmp_path: Path) -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Receipt",
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "The id"},
            "status": {"enum": ["a", "b"], "title": "Status title"},
            "kind": {"const": "x"},
            "n": {"type": "integer", "examples": [3, 4], "default": 1},
            "m": {"type": "number", "example": 2.5},
            "old": {"type": "string", "deprecated": True},
        },
    }
    result = read(tmp_path, schema)
    assert result.callback is not None and result.callback.caption == "Receipt"
    got = {f.key: f for f in result.callback.fields}
    assert list(got) == ["id", "status", "kind", "n", "m", "old"]
    assert got["id"] == Field(
        path=("id",),
        description="The id",
        markup="text",
        **typed("string"),
        json_format="uuid",
        required=True,
        origin=Origin("s.json", "/properties/id"),
    )
    assert got["id"].format is None
    assert got["status"].enum == ("a", "b") and type_text(got["status"]) == "string"
    assert got["status"].description == "Status title"
    assert got["kind"].enum == ("x",)
    assert got["n"].example == 3 and got["n"].default == 1
    assert got["m"].example == 2.5 and got["m"].default is MISSING
    assert got["old"].deprecated is True
    assert not got["status"].required


def test_object_without_type(tmp_path: Path) -> None:
    got = rows(tmp_path, {"properties": {"a": {"properties": {"b": {"type": "string"}}}}})
    assert list(got) == ["a", "a.b"]
    assert type_text(got["a"]) == "object"


@pytest.mark.parametrize(
    "prop",
    [
        {"type": ["string", "null"]},
        {"type": "string", "nullable": True},
        {"oneOf": [{"type": "string"}, {"type": "null"}]},
        {"anyOf": [{"type": "null"}, {"type": "string"}]},
    ],
)
def test_nullability(tmp_path: Path, prop: dict[str, Any]) -> None:
    field = rows(tmp_path, {"properties": {"a": prop}})["a"]
    assert field.nullable and type_text(field) == "string"


def test_all_of_merges(tmp_path: Path) -> None:
    schema = {
        "allOf": [
            {"properties": {"a": {"type": "string", "enum": ["x", "y"]}}, "required": ["a"]},
            {"properties": {"a": {"enum": ["y"]}, "b": {"type": "integer"}}, "required": ["b"]},
        ]
    }
    got = rows(tmp_path, schema)
    assert got["a"].enum == ("y",) and got["a"].required and got["b"].required


def test_scalar_alternatives(tmp_path: Path) -> None:
    got = rows(
        tmp_path, {"properties": {"a": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}
    )
    assert type_text(got["a"]) == "string or integer"
    got = rows(tmp_path, {"properties": {"a": {"anyOf": [{"const": "x"}, {"const": "y"}]}}})
    assert got["a"].enum == ("x", "y")


def test_object_alternatives_are_labelled(tmp_path: Path) -> None:
    schema = {
        "$defs": {"Card": {"properties": {"number": {"type": "string"}}}},
        "properties": {
            "payment": {
                "oneOf": [
                    {"$ref": "#/$defs/Card"},
                    {"title": "Bank", "properties": {"iban": {"type": "string"}}},
                    {"properties": {"other": {"type": "string"}}},
                    {"type": "string"},
                ]
            }
        },
    }
    got = rows(tmp_path, schema)
    assert type_text(got["payment"]) == "object or string"
    # The string alternative has no rows, and is still counted.
    assert got["payment.number"].alternatives == (Choice("Card", 0, 4, ("payment",)),)
    assert got["payment.iban"].alternatives == (Choice("Bank", 1, 4, ("payment",)),)
    assert got["payment.other"].alternatives == (Choice(None, 2, 4, ("payment",)),)


def test_top_level_alternatives(tmp_path: Path) -> None:
    schema = {
        "properties": {"id": {"type": "string"}},
        "oneOf": [
            {"title": "A", "properties": {"a": {"type": "string"}}},
            {"title": "B", "properties": {"b": {"type": "string"}}},
        ],
    }
    got = rows(tmp_path, schema)
    assert got["id"].alternatives == ()
    assert got["a"].alternatives == (Choice("A", 0, 2),)
    assert got["b"].alternatives == (Choice("B", 1, 2),)


def test_nested_and_arrays(tmp_path: Path) -> None:
    schema = {
        "properties": {
            "p": {
                "type": "object",
                "properties": {"q": {"type": "object", "properties": {"r": {}}}},
            },
            "list": {"type": "array", "items": {"type": "object", "properties": {"x": {}}}},
            "grid": {
                "type": "array",
                "items": {"type": "array", "items": {"properties": {"y": {"type": "string"}}}},
            },
            "tags": {"type": "array", "items": {"type": "string"}},
        }
    }
    got = rows(tmp_path, schema)
    assert list(got) == ["p", "p.q", "p.q.r", "list", "list[].x", "grid", "grid[][].y", "tags"]
    assert type_text(got["list"]) == "array of object"
    assert type_text(got["grid"]) == "array of array of object"
    assert type_text(got["tags"]) == "array of string"


def test_depth_limit(tmp_path: Path) -> None:
    schema = {"properties": {"p": {"properties": {"q": {"properties": {"r": {}}}}}}}
    assert list(rows(tmp_path, schema, depth=0)) == ["p"]
    assert list(rows(tmp_path, schema, depth=1)) == ["p", "p.q"]
    assert list(rows(tmp_path, schema)) == ["p", "p.q", "p.q.r"]


def test_write_only_is_hidden_read_only_kept(tmp_path: Path) -> None:
    schema = {
        "properties": {
            "secret": {"type": "string", "writeOnly": True, "properties": {"x": {}}},
            "id": {"type": "string", "readOnly": True},
        }
    }
    assert list(rows(tmp_path, schema)) == ["id"]


def test_definitions_and_same_file_refs(tmp_path: Path) -> None:
    schema = {
        "definitions": {"User": {"type": "object", "properties": {"login": {"type": "string"}}}},
        "properties": {"user": {"$ref": "#/definitions/User", "description": "Local text"}},
    }
    got = rows(tmp_path, schema)
    assert got["user"].description == "Local text"
    assert str(got["user.login"].origin) == "s.json#/definitions/User/properties/login"


def test_relative_file_refs(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "user.yaml").write_text(
        "type: object\nproperties:\n  login: {type: string}\n  org: {$ref: 'org.json'}\n"
    )
    (tmp_path / "common" / "org.json").write_text('{"properties": {"name": {"type": "string"}}}')
    result = read(tmp_path, {"properties": {"user": {"$ref": "common/user.yaml"}}})
    assert result.problems == []
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == [
        "user",
        "user.login",
        "user.org",
        "user.org.name",
    ]
    assert {Path(p).name for p in result.files} == {"s.json", "user.yaml", "org.json"}


def test_octokit_resolves_by_id() -> None:
    path = EXAMPLES / "octokit-webhooks" / "issues" / "opened.schema.json"
    cache = FileCache()
    result = read_source(SourceRequest(str(path), srcdir=str(EXAMPLES)), cache)
    assert result.problems == []
    assert result.callback is not None
    got = {f.key: f for f in result.callback.fields}
    assert result.callback.caption == "issues opened event"
    assert got["action"].enum == ("opened",) and got["action"].required
    assert got["issue.state"].enum == ("open",)
    assert got["issue.closed_at"].nullable
    assert type_text(got["issue.user.login"]) == "string"
    assert type_text(got["issue.labels"]) == "array of object"
    assert "issue.labels[].name" in got
    assert got["issue.milestone"].nullable  # oneOf [{$ref}, {type: null}]
    assert got["issue.body"].nullable  # type: [string, null]
    assert got["issue.url"].json_format == "uri"
    assert str(got["repository.full_name"].origin) == (
        "octokit-webhooks/common/repository.schema.json#/properties/full_name"
    )
    assert "sender.login" in got
    assert all(f.markup == "text" for f in got.values())
    assert max(cache.parse_count.values()) == 1


def test_cycle_is_shown_once(tmp_path: Path) -> None:
    schema = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                    "parent": {"$ref": "#/$defs/Node"},
                    "either": {"oneOf": [{"$ref": "#/$defs/Node"}, {"type": "string"}]},
                },
            }
        },
        "properties": {"root": {"$ref": "#/$defs/Node"}},
    }
    got = rows(tmp_path, schema)
    assert list(got) == [
        "root",
        "root.name",
        "root.children",
        "root.parent",
        "root.either",
    ]
    assert type_text(got["root.children"]) == "array of object"


def test_self_referencing_root(tmp_path: Path) -> None:
    got = rows(tmp_path, {"properties": {"a": {"type": "string"}, "self": {"$ref": "#"}}})
    assert list(got) == ["a", "self"]


def test_all_of_cycle_terminates(tmp_path: Path) -> None:
    schema = {
        "$defs": {
            "A": {"allOf": [{"$ref": "#/$defs/B"}], "properties": {"a": {}}},
            "B": {"allOf": [{"$ref": "#/$defs/A"}], "properties": {"b": {}}},
        },
        "properties": {"x": {"$ref": "#/$defs/A"}},
    }
    assert list(rows(tmp_path, schema)) == ["x", "x.a", "x.b"]


def test_remote_ref_is_refused(tmp_path: Path) -> None:
    result = read(tmp_path, {"properties": {"a": {"$ref": "https://example.com/s.json"}, "b": {}}})
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["a", "b"]
    assert len(result.problems) == 1
    assert result.problems[0].subtype == "ref"
    assert "remote" in result.problems[0].message and "network" in result.problems[0].message


def test_ref_resolving_nowhere(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {"properties": {"a": {"$ref": "#/$defs/Nope"}, "b": {"$ref": "missing.json"}}},
    )
    assert [p.subtype for p in result.problems] == ["ref", "ref"]
    assert "#/$defs/Nope" in result.problems[0].message
    assert "missing.json" in result.problems[1].message
    assert any(p.endswith("missing.json") for p in result.files)


def test_ref_outside_srcdir(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (tmp_path / "outside.json").write_text('{"properties": {"x": {}}}')
    result = read(src, {"properties": {"a": {"$ref": "../outside.json"}}})
    assert result.problems[0].subtype == "source"
    assert "callbacks_allowed_paths" in result.problems[0].message
    path = src / "s.json"
    allowed = read_source(
        SourceRequest(str(path), srcdir=str(src), allowed_paths=(str(tmp_path),)), FileCache()
    )
    assert allowed.problems == []
    assert allowed.callback is not None
    assert [f.key for f in allowed.callback.fields] == ["a", "a.x"]


def test_max_rows(tmp_path: Path) -> None:
    schema = {"properties": {f"k{i}": {"type": "string"} for i in range(50)}}
    result = read(tmp_path, schema, max_rows=10)
    assert result.callback is not None and len(result.callback.fields) == 10
    assert [p.subtype for p in result.problems] == ["schema"]
    assert "10 rows (callbacks_max_rows)" in result.problems[0].message
    assert result.callback.notes[-1] == TABLE_STOPS


def test_the_walk_budget_is_named(tmp_path: Path) -> None:
    # Twenty thousand allOf members give no rows, and cost a walk all the same.
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "allOf": [{"minProperties": 0} for _ in range(20_000)],
    }
    result = read(tmp_path, schema, max_rows=3)
    assert [p.subtype for p in result.problems] == ["schema"]
    assert "too complex to walk: the walk stops after 10,000 schema objects" in (
        result.problems[0].message
    )
    assert "callbacks_max_rows" in result.problems[0].message


def test_nesting_bound(tmp_path: Path) -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(60):
        schema = {"properties": {"k": schema}}
    result = read(tmp_path, schema)
    assert result.callback is not None
    assert any("nested more than" in p.message for p in result.problems)
    assert max(f.depth for f in result.callback.fields) <= 33


def test_empty_schema_is_a_problem(tmp_path: Path) -> None:
    # (A string schema is a body of its own: one "(body)" row, see test_schema_features.)
    result = read(tmp_path, {"type": "object"})
    assert result.callback is None
    assert result.problems == [Problem("schema", "s.json# has no properties to show in a table")]


def test_defs_only_schema_hints_at_pointers(tmp_path: Path) -> None:
    result = read(tmp_path, {"$defs": {"A": {"properties": {"a": {}}}}})
    assert result.callback is None
    assert any("#/$defs/A" in p.message for p in result.problems)


def test_openapi_schema_descriptions_are_markdown() -> None:
    path = EXAMPLES / "stripe" / "event.excerpt.oas30.json"
    result = read_source(
        SourceRequest(str(path), pointer="/components/schemas/event", srcdir=str(EXAMPLES)),
        FileCache(),
    )
    assert result.problems == []
    assert result.callback is not None
    got = {f.key: f for f in result.callback.fields}
    assert all(f.markup == "markdown" for f in got.values())
    assert got["api_version"].nullable  # nullable: true
    assert got["request"].nullable and type_text(got["request"]) == "object"  # anyOf [{$ref}]
    assert got["request"].description.startswith("Information on the API request")
    assert got["created"].json_format == "unix-time"
    assert got["object"].enum == ("event",)
    assert "data.object" in got and "request.idempotency_key" in got


def test_boolean_and_odd_schemas_do_not_crash(tmp_path: Path) -> None:
    schema = {
        "properties": {
            "t": True,
            "f": False,
            "weird": {"type": 3, "enum": "no", "required": "x", "items": [True]},
            "tuple": {"type": "array", "items": [{"properties": {"z": {}}}]},
        }
    }
    got = rows(tmp_path, schema)
    assert list(got) == ["t", "f", "weird", "tuple", "tuple[].z"]


def test_nested_id_changes_base(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.json").write_text('{"properties": {"deep": {}}}')
    schema = {
        "properties": {
            "inner": {
                "$id": "sub/inner.json",
                "properties": {"b": {"$ref": "b.json"}},
            }
        }
    }
    assert list(rows(tmp_path, schema)) == ["inner", "inner.b", "inner.b.deep"]


def test_absolute_ids_map_to_local_files(tmp_path: Path) -> None:
    base = "https://example.com/schemas/"
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "b.json").write_text(
        json.dumps({"$id": base + "common/b.json", "properties": {"inner": {}}})
    )
    (tmp_path / "c.json").write_text(json.dumps({"$id": base + "other.json", "properties": {}}))
    schema = {
        "$id": base + "a.json",
        "properties": {
            "b": {"$ref": base + "common/b.json"},
            "own": {"$ref": base + "a.json#/$defs/X"},
            "wrong_id": {"$ref": base + "c.json"},
        },
        "$defs": {"X": {"properties": {"x": {}}}},
    }
    result = read(tmp_path, schema)
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["b", "b.inner", "own", "own.x", "wrong_id"]
    (problem,) = result.problems
    assert problem.subtype == "ref" and "c.json" in problem.message and "remote" in problem.message
