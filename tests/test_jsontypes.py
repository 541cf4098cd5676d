"""Tests for model/jsontypes.py: the one name of a value's JSON type."""

from __future__ import annotations

from typing import Any

import pytest

from sphinxext_callbacks.model.jsontypes import a_json_type, json_type


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "null"),
        (True, "boolean"),
        (1, "integer"),
        (1.5, "number"),
        ("x", "string"),
        ([1], "array"),
        ({"a": 1}, "object"),
        ({1, 2}, "set"),
    ],
)
def test_json_type(value: Any, name: str) -> None:
    assert json_type(value) == name


def test_a_json_type() -> None:
    assert a_json_type(1) == "an integer"
    assert a_json_type([]) == "an array"
    assert a_json_type("x") == "a string"
