"""Tests for readers/sources.py: kind detection, pointers, parsing once and the real examples."""

from __future__ import annotations

import copy
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from sphinxext_callbacks.model.problems import SUBTYPES
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, read_source

from .helpers import EXAMPLES, calls_made

SCHEMA = {"properties": {"a": {"type": "string"}, "b": {"properties": {"c": {}}}}}


def write(tmp_path: Path, data: Any, name: str = "s.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_missing_main_file_is_a_dependency(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.yaml")
    result = read_source(SourceRequest(path, srcdir=str(tmp_path)), FileCache())
    assert result.callback is None
    assert result.files == {path}
    assert result.problems[0].subtype == "source" and "nope.yaml" in result.problems[0].message


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/b/properties/cc", "has no 'cc'; did you mean 'c'? (it has: c)"),
        ("/properties/x", "has no 'x'"),
        ("/list/5", "is a list of 2 items, indexed 0 to 1"),
        ("/list/x", "is a list of 2 items"),
        ("/properties/a/type/x", "is a string, not a mapping"),
        ("/properties/a/type", "selects a string"),
        ("/n", "selects an integer"),
        ("properties", "starts with '/'"),
    ],
)
def test_pointer_problems(tmp_path: Path, pointer: str, expected: str) -> None:
    data = {**SCHEMA, "b": {"properties": {"c": {}}}, "list": [1, 2], "n": 3}
    result = read_source(
        SourceRequest(write(tmp_path, data), pointer=pointer, srcdir=str(tmp_path)), FileCache()
    )
    assert result.callback is None
    (problem,) = result.problems
    assert problem.subtype == "source"
    assert expected in problem.message


def test_pointer_escapes(tmp_path: Path) -> None:
    data = {"a/b": {"c~d": SCHEMA}, "e%f": SCHEMA}
    path = write(tmp_path, data)
    for pointer in ("/a~1b/c~0d", "/e%25f"):
        result = read_source(SourceRequest(path, pointer=pointer), FileCache())
        assert result.problems == []
        assert result.callback is not None
        assert [f.key for f in result.callback.fields] == ["a", "b", "b.c"]
    result = read_source(
        SourceRequest(path, pointer="/a~1b/c~0d", srcdir=str(tmp_path)), FileCache()
    )
    assert result.callback is not None
    assert str(result.callback.fields[0].origin) == "s.json#/a~1b/c~0d/properties/a"


def test_pointer_to_a_ref(tmp_path: Path) -> None:
    data = {"defs": {"S": SCHEMA}, "alias": {"$ref": "#/defs/S"}}
    result = read_source(SourceRequest(write(tmp_path, data), pointer="/alias"), FileCache())
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["a", "b", "b.c"]


def test_unknown_kind(tmp_path: Path) -> None:
    result = read_source(SourceRequest(write(tmp_path, {"hello": "world"})), FileCache())
    assert result.problems[0].subtype == "schema"
    assert "is not a JSON Schema" in result.problems[0].message


def test_option_problems(tmp_path: Path) -> None:
    path = write(tmp_path, SCHEMA)
    cache = FileCache()
    for request, text in (
        (SourceRequest(path, message="m"), ":message: needs an AsyncAPI document"),
        (SourceRequest(path, part="headrs"), "did you mean 'headers'?"),
        (SourceRequest(path, webhook="w", message="m"), "only one of"),
        (SourceRequest(path, part="footer"), "unknown :part:"),
        (SourceRequest(path, part="headers"), "needs an OpenAPI"),
        (SourceRequest(path, webhook="w", callback=(None, "c")), "only one of"),
    ):
        result = read_source(request, cache)
        assert result.callback is None
        assert result.problems[0].subtype == "option"
        assert text in result.problems[0].message


def test_asyncapi_document_needs_a_message() -> None:
    path = str(EXAMPLES / "asyncapi" / "simple.asyncapi26.yml")
    result = read_source(SourceRequest(path, srcdir=str(EXAMPLES)), FileCache())
    assert result.callback is None
    assert result.problems[0].subtype == "option"
    assert "pick a message with :message:" in result.problems[0].message
    assert "(messages: UserSignedUp)" in result.problems[0].message


def test_each_read_is_a_fresh_result_from_one_parse(tmp_path: Path) -> None:
    path = write(tmp_path, SCHEMA)
    cache = FileCache()
    request = SourceRequest(path, srcdir=str(tmp_path))
    first = read_source(request, cache)
    assert first.callback is not None
    first.callback.fields.clear()
    first.problems.append(first.problems[0] if first.problems else None)  # type: ignore[arg-type]
    second = read_source(request, cache)
    assert second.callback is not None and len(second.callback.fields) == 3
    assert second.problems == []
    assert cache.parse_count == {os.path.abspath(path): 1}


def test_an_edit_to_a_referenced_file_is_read(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"properties": {"x": {}}}')
    path = write(tmp_path, {"properties": {"o": {"$ref": "other.json"}}})
    cache = FileCache()
    request = SourceRequest(path, srcdir=str(tmp_path))
    result = read_source(request, cache)
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["o", "o.x"]
    other.write_text('{"properties": {"yy": {}}}')
    os.utime(other, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    result = read_source(request, cache)
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["o", "o.yy"]


def test_many_directives_one_parse() -> None:
    cache = FileCache()
    path = str(EXAMPLES / "stripe" / "event.excerpt.oas30.json")
    pointers = ["/components/schemas/event", "/components/schemas/notification_event_data"]
    for i in range(1000):
        result = read_source(
            SourceRequest(path, pointer=pointers[i % 2], srcdir=str(EXAMPLES), depth=i % 3), cache
        )
        assert result.callback is not None
    assert cache.parse_count == {path: 1}


def test_loaded_data_is_never_mutated() -> None:
    cache = FileCache()
    paths = [
        EXAMPLES / "octokit-webhooks" / "issues" / "opened.schema.json",
        EXAMPLES / "notify" / "POST_notification_sms.json",
        EXAMPLES / "notify" / "schema.json",
    ]
    before = {p: copy.deepcopy(cache.load(str(p)).data) for p in paths}
    read_source(SourceRequest(str(paths[0]), srcdir=str(EXAMPLES)), cache)
    read_source(SourceRequest(str(paths[1]), callback=(None, "onSmsSend")), cache)
    for p in paths:
        assert cache.load(str(p)).data == before[p]


def test_every_problem_subtype_is_registered(tmp_path: Path) -> None:
    # Problem itself refuses unknown subtypes; this documents the ones readers emit.
    assert {"source", "schema", "ref", "option"} <= set(SUBTYPES)


def test_outside_srcdir_main_file(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    path = write(tmp_path, SCHEMA)
    result = read_source(SourceRequest(path, srcdir=str(src)), FileCache())
    assert result.callback is None
    assert "callbacks_allowed_paths" in result.problems[0].message
    result = read_source(
        SourceRequest(path, srcdir=str(src), allowed_paths=(str(tmp_path),)), FileCache()
    )
    assert result.callback is not None


def test_alias_bomb_through_read_source(tmp_path: Path) -> None:
    def bomb(name: str, levels: str) -> Path:
        lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
        for prev, level in zip("a" + levels, levels, strict=False):
            lines.append(f"{level}: &{level} [{','.join(['*' + prev] * 9)}]")
        path = tmp_path / name
        path.write_text("\n".join(lines))
        return path

    big, small = bomb("big.yaml", "bcdefghi"), bomb("small.yaml", "bc")
    read_source(SourceRequest(str(small)), FileCache())  # imports what it needs: not counted
    _, small_work = calls_made(read_source, SourceRequest(str(small)), FileCache())
    result, work = calls_made(read_source, SourceRequest(str(big)), FileCache())
    assert result.callback is None and result.problems[0].subtype == "source"
    assert work < 5 * small_work  # refused before the aliases are expanded
