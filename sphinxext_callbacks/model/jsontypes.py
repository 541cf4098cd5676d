"""The JSON type of a loaded value, named as JSON Schema names it.

Readers (a pointer that selects a scalar, an enum's type) and the example checker
("should be string, not integer") all say what a value is with this one helper.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["a_json_type", "json_type"]


def json_type(value: Any) -> str:
    """``null``, ``boolean``, ``integer``, ``number``, ``string``, ``array`` or ``object``.

    ``bool`` is a subclass of ``int`` in Python but not in JSON, so it is tested first;
    a value JSON cannot hold is named by its Python type.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def a_json_type(value: Any) -> str:
    """The JSON type of *value* after its article: ``a string``, ``an integer``."""
    name = json_type(value)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
