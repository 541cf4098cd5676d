"""Tests for readers/pointers.py: JSON Pointer escaping, splitting and walking."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers import pointers

DOC = {"a/b": {"m~n": [10, {"x": 1}]}, "list": [1, 2], "s": "text", "empty": {}}


@given(segments=st.lists(st.text(max_size=6), max_size=4))
def test_join_and_split_are_inverse(segments: list[str]) -> None:
    assert pointers.split(pointers.join(segments)) == segments


@pytest.mark.parametrize(
    ("segment", "escaped"),
    [("a/b", "a~1b"), ("m~n", "m~0n"), ("~/", "~0~1"), ("~1", "~01"), (3, "3")],
)
def test_escape(segment: str | int, escaped: str) -> None:
    assert pointers.escape(segment) == escaped


def test_last() -> None:
    assert pointers.last("#/components/schemas/a~1b") == "a/b"
    assert pointers.last("/$defs/m~0n") == "m~n"


@pytest.mark.parametrize(
    ("pointer", "value"),
    [("", DOC), ("/a~1b/m~0n/1/x", 1), ("/list/1", 2), ("/list/9", None), ("/nope", None)],
)
def test_value_at(pointer: str, value: Any) -> None:
    assert pointers.value_at(DOC, pointer) == value


def test_select_unescapes_and_percent_decodes() -> None:
    assert pointers.select(DOC, "/a~1b/m~0n/1", "f.json") == {"x": 1}
    assert pointers.select(DOC, "/a~1b/m%7E0n", "f.json") == [10, {"x": 1}]


@pytest.mark.parametrize(
    ("pointer", "message"),
    [
        (
            "/a~1b/m~0m",
            "f.json#/a~1b/m~0m selects nothing: f.json#/a~1b has no 'm~m'; "
            "did you mean 'm~n'? (it has: m~n)",
        ),
        ("/empty/x", "f.json#/empty/x selects nothing: f.json#/empty has no 'x' (it is empty)"),
        (
            "/list/2",
            "f.json#/list/2 selects nothing: f.json#/list is a list of 2 items, indexed 0 to 1",
        ),
        ("/s/x", "f.json#/s/x selects nothing: f.json#/s is a string, not a mapping"),
        (
            "/list/0",
            "f.json#/list/0 selects an integer, not a schema, field list or OpenAPI object",
        ),
        ("s", "f.json#s: a JSON pointer starts with '/'"),
    ],
)
def test_select_problems(pointer: str, message: str) -> None:
    problem = pointers.select(DOC, pointer, "f.json")
    assert problem == Problem("source", message)


def test_select_lists_at_most_twenty_keys() -> None:
    doc = {f"k{i:02}": {} for i in range(25)}
    problem = pointers.select(doc, "/zzz", "f.json")
    assert isinstance(problem, Problem)
    assert problem.message.endswith("k17, k18, k19, ...)")
