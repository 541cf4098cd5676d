"""The JSON type of a loaded value, named as JSON Schema names it.

Readers (a pointer that selects a scalar, an enum's type) and the example checker
("should be string, not integer") all say what a value is with this one helper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["JSON_TYPE_NAMES", "TYPE_WORDS", "JsonTypes", "a_json_type", "json_type", "parse_types"]


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


@dataclass(frozen=True, slots=True)
class JsonTypes:
    """The JSON types a field's value may have, without ``null`` (nullability is its own fact).

    ``names`` are JSON Schema's type names in reading order (``object``, ``array``, ``string``,
    ``integer``, ``number``, ``boolean``); an array's item types are ``items``. Display text
    ("array of string", "string or integer") is made from it only when a cell is rendered.
    """

    names: tuple[str, ...]
    items: JsonTypes | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (JsonTypes, (self.names, self.items))

    @property
    def is_number(self) -> bool:
        """Whether every value is a number or a boolean: its literals are written as JSON."""
        return bool(self.names) and all(n in ("integer", "number", "boolean") for n in self.names)


#: The type words an author may write in a format or a field-list ``type``, and the JSON
#: type each names.
TYPE_WORDS: dict[str, str] = {
    **{name: name for name in ("string", "integer", "number", "boolean", "array", "object")},
    "null": "null",
    "nil": "null",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "list": "array",
    "dict": "object",
    "map": "object",
}

#: JSON Schema's own type names.
JSON_TYPE_NAMES = ("object", "array", "string", "integer", "number", "boolean", "null")


def parse_types(text: str) -> tuple[JsonTypes | None, bool] | None:
    """The types a text made only of type words states, and whether it allows ``null``.

    ``integer``, ``string or integer``, ``string | null``, ``array of object``: each word is
    one of JSON Schema's type names, joined by ``or``, ``|`` or ``,``. Any other text states
    no type (``None``): it is display text.
    """
    words = text.replace("|", " or ").replace(",", " or ").lower().split()
    if not words or len(words) > 64:
        return None
    names: list[str] = []
    items: JsonTypes | None = None
    nullable = False
    position = 0
    while position < len(words):
        word = TYPE_WORDS.get(words[position])
        if word is None:
            return None
        if word == "array" and words[position + 1 : position + 2] == ["of"]:
            inner = _array_items(words[position + 2 :])
            if inner is None:
                return None
            items, used = inner
            position += 2 + used
        else:
            position += 1
        if word == "null":
            nullable = True
        elif word not in names:
            names.append(word)
        if position < len(words):
            if words[position] != "or" or position + 1 == len(words):
                return None
            position += 1
    ordered = tuple(n for n in JSON_TYPE_NAMES if n in names)
    # "null" alone is a type too: no names, and nullable.
    return JsonTypes(ordered, items), nullable


def _array_items(words: list[str]) -> tuple[JsonTypes, int] | None:
    """``array of X``: X's types, and how many words they took (``array of a or b`` means
    an array of ``a`` or a ``b``: one word, as people read it)."""
    word = TYPE_WORDS.get(words[0]) if words else None
    if word is None or word == "null":
        return None
    if word == "array" and words[1:2] == ["of"]:
        inner = _array_items(words[2:])
        if inner is None:
            return None
        return JsonTypes(("array",), inner[0]), 2 + inner[1]
    return JsonTypes((word,)), 1
