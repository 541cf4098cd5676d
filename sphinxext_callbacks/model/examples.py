"""Example payloads: build one from a callback's fields, and check an author's against them.

Pure Python, like the readers: no docutils, no Sphinx. :func:`make_example` turns fields into a
JSON value and :func:`check_example` turns the author's JSON text into :class:`Problem` values,
each located at the line of the text where the offending key stands, for the directive to report.

Field keys address the payload the way the tables show it: ``parent.child`` is a key of a nested
object, and ``parent[].child`` a key of the objects in the array ``parent``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sphinxext_callbacks.model.fields import BODY_KEY, MISSING, Field
from sphinxext_callbacks.model.jsontypes import json_type
from sphinxext_callbacks.model.positions import json_positions
from sphinxext_callbacks.model.problems import Problem

__all__ = ["check_example", "json_types", "make_example"]

#: Values for the JSON Schema string formats, fixed so that the output is the same every build.
FORMAT_EXAMPLES: dict[str, str] = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2017-05-14T12:15:30.000000Z",
    "date": "2017-05-14",
    "time": "12:15:30Z",
    "duration": "P1DT2H",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/path/to/resource",
    "iri-reference": "/path/to/resource",
    "uri-template": "https://example.com/{id}",
    "json-pointer": "/path/to/value",
    "relative-json-pointer": "0/value",
    "regex": "^[a-z]+$",
    "byte": "ZXhhbXBsZQ==",
    "binary": "example",
    "password": "********",
    "phone": "+447700900000",
}

#: The JSON types, and the words authors write for them in a field list's ``type``.
_TYPE_ALIASES: dict[str, str] = {
    "string": "string",
    "str": "string",
    "text": "string",
    "integer": "integer",
    "int": "integer",
    "number": "number",
    "float": "number",
    "boolean": "boolean",
    "bool": "boolean",
    "array": "array",
    "list": "array",
    "object": "object",
    "dict": "object",
    "map": "object",
    "null": "null",
    "nil": "null",
    "none": "null",
}

#: What :func:`make_example` shows for a type when nothing more specific is known.
_TYPE_EXAMPLES: dict[str, Any] = {
    "string": "string",
    "integer": 0,
    "number": 0,
    "boolean": True,
    "null": None,
}


@dataclass(frozen=True, slots=True)
class JsonType:
    """One alternative of a field's type: a JSON type, and for an array its item's type."""

    name: str
    items: str | None = None


def json_types(type_text: str | None) -> tuple[JsonType, ...] | None:
    """Read a field's display type (``string or null``, ``array of object``) as JSON types.

    Returns ``None`` when the text is missing or names something that is not a JSON type
    (``UUID``, say): such a field's type is then not checked.
    """
    if not type_text:
        return None
    result = []
    for alternative in re.split(r"\s+or\s+|\s*\|\s*|\s*,\s*", type_text.strip().lower()):
        words = alternative.split()
        if not words or words[0] not in _TYPE_ALIASES:
            return None
        name = _TYPE_ALIASES[words[0]]
        items = None
        if name == "array" and len(words) == 3 and words[1] == "of":
            if words[2] not in _TYPE_ALIASES:
                return None
            items = _TYPE_ALIASES[words[2]]
        elif len(words) != 1:
            return None
        result.append(JsonType(name, items))
    if len(result) > 1:
        # "array of string or integer" may mean an array of either: don't check its items.
        result = [JsonType(t.name) for t in result]
    return tuple(result)


def _matches(value: Any, type_name: str) -> bool:
    """Whether a parsed JSON value is of the JSON type ``type_name``."""
    if type_name == "null":
        return value is None
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        # JSON Schema counts 1.0 as an integer; bool is a subclass of int in Python, not in JSON.
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "array":
        return isinstance(value, list)
    if type_name == "object":
        return isinstance(value, dict)
    return True


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: ``true`` is not ``1`` as it is in Python."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


# -- Keys -------------------------------------------------------------------------------------

#: One step of a field key: an object key, and whether its value is an array of the next step.
_Step = tuple[str, bool]


def _steps(key: str) -> list[_Step]:
    """Split ``a[].b.c`` into ``[("a", True), ("b", False), ("c", False)]``."""
    steps = []
    for part in key.split("."):
        is_array = part.endswith("[]")
        steps.append((part[:-2] if is_array else part, is_array))
    return steps


def _parent(key: str) -> str:
    """The key of the object holding ``key``'s value: ``a[]`` for ``a[].b``, ``""`` at the top."""
    return key.rpartition(".")[0]


# -- Making an example ------------------------------------------------------------------------


def _value(field: Field) -> Any:
    """The example value of a leaf field: its own, then from enum, format and type."""
    if field.example is not MISSING:
        return field.example
    if field.enum:
        return field.enum[0]
    types = json_types(field.type)
    names = [t.name for t in types] if types else []
    # A format describes strings; a field typed otherwise keeps to its type.
    if field.json_format in FORMAT_EXAMPLES and (not names or "string" in names):
        return FORMAT_EXAMPLES[field.json_format]
    for type_ in types or ():
        if type_.name == "array":
            item = _TYPE_EXAMPLES.get(type_.items or "string", {})
            if type_.items == "string" and field.json_format in FORMAT_EXAMPLES:
                item = FORMAT_EXAMPLES[field.json_format]
            return [item]
        if type_.name == "object":
            return {}
        if type_.name != "null":
            return _TYPE_EXAMPLES[type_.name]
    if names == ["null"]:
        return None
    return "string"


def _items_of_top_level_array(fields: Sequence[Field]) -> list[Field] | None:
    """``[].a`` as ``a`` (and ``[][].a`` as ``[].a``) when every key is one of an array's items."""
    if fields and all(field.key.startswith("[]") and len(field.key) > 2 for field in fields):
        return [replace(field, key=field.key[2:].removeprefix(".")) for field in fields]
    return None


def make_example(fields: Sequence[Field]) -> Any:
    """Build an example JSON payload from ``fields``; the same fields always give the same value.

    A field's own ``example`` is used as it is. A field that has nested fields (``parent.child``,
    ``parent[].child``) is built from them instead, so that the example shows every documented key;
    ``parent[].child`` keys give an array of one object, and so do ``[].child`` keys (the fields
    of a schema whose top level is an array).
    """
    if len(fields) == 1 and fields[0].key == BODY_KEY:
        return _value(fields[0])  # a body that is not an object: the value itself
    items = _items_of_top_level_array(fields)
    if items is not None:
        return [make_example(items)]
    # Which keys have children, found once: asking each field in turn is quadratic.
    object_parents: set[str] = set()
    array_parents: set[str] = set()
    for key in (f.key for f in fields):
        for index, char in enumerate(key):
            if char == ".":
                if key.endswith("[]", 0, index):
                    array_parents.add(key[: index - 2])
                object_parents.add(key[:index])
    root: dict[str, Any] = {}
    for field in fields:
        container: dict[str, Any] = root
        *ancestors, (name, is_array) = _steps(field.key)
        # Walk to (and make) the objects above this key. An ancestor placed earlier as a leaf
        # value is replaced: its documented children win.
        for step, step_is_array in ancestors:
            current = container.get(step)
            if step_is_array:
                if not (isinstance(current, list) and current and isinstance(current[0], dict)):
                    current = container[step] = [{}]
                container = current[0]
            else:
                if not isinstance(current, dict):
                    current = container[step] = {}
                container = current
        current = container.get(name)
        if field.key in array_parents:
            # Children fill these in; making the container now keeps the field's position.
            if not (isinstance(current, list) and current and isinstance(current[0], dict)):
                container[name] = [{}]
        elif field.key in object_parents:
            if not isinstance(current, dict):
                container[name] = {}
        elif is_array:
            container.setdefault(name, [_value(field)])
        else:
            container.setdefault(name, _value(field))
    return root


# -- Checking an example ----------------------------------------------------------------------


def _describe(types: Sequence[JsonType], nullable: bool) -> str:
    names = [f"array of {t.items}" if t.items else t.name for t in types]
    if nullable and "null" not in names:
        names.append("null")
    return " or ".join(names)


class _Checker:
    """Walks a parsed payload beside the fields, collecting problems."""

    def __init__(self, fields: Sequence[Field], lines: Mapping[tuple[str | int, ...], int]):
        self.fields = {f.key: f for f in fields}
        self.lines = lines
        self.problems: list[Problem] = []
        # Keys of objects whose keys are documented: unknown keys are only reported there, so a
        # free-form ``metadata`` object without nested fields accepts anything.
        self.described = {""} | {_parent(k) for k in self.fields}

    def report(self, message: str, path: tuple[str | int, ...]) -> None:
        # The line of the nearest enclosing key that can be found.
        while path and path not in self.lines:
            path = path[:-1]
        self.problems.append(Problem("example", message, line=self.lines.get(path)))

    def check_object(self, obj: dict[str, Any], key: str, path: tuple[str | int, ...]) -> None:
        """Check an object whose own field key is ``key`` (``""`` for the payload itself)."""
        prefix = f"{key}." if key else ""
        if key in self.described:
            for name in obj:
                if prefix + name not in self.fields and prefix + name + "[]" not in self.fields:
                    self.report(f"unknown key {prefix + name!r}", (*path, name))
        for field_key, field in self.fields.items():
            child = field_key.removesuffix("[]")
            if field.required and _parent(field_key) == key and child[len(prefix) :] not in obj:
                self.report(f"missing required key {child!r}", path)
        for name, value in obj.items():
            self.check_value(prefix + name, value, (*path, name))

    def check_value(self, key: str, value: Any, path: tuple[str | int, ...]) -> None:
        field = self.fields.get(key)
        if field is not None:
            types = json_types(field.type)
            nullable = field.nullable or (
                types is not None and any(t.name == "null" for t in types)
            )
            if value is None and nullable:
                return
            if types is not None and not any(_matches(value, t.name) for t in types):
                self.report(
                    f"{key!r} should be {_describe(types, field.nullable)}, not {json_type(value)}",
                    path,
                )
                return
            if field.enum and not any(_equal(value, e) for e in field.enum):
                allowed = ", ".join(json.dumps(e) for e in field.enum)
                self.report(f"{key!r} is {json.dumps(value)}, not one of {allowed}", path)
                return
            if types is not None and isinstance(value, list):
                items = {t.items for t in types if t.name == "array" and t.items}
                for index, item in enumerate(value):
                    if items and not any(_matches(item, t) for t in items):
                        self.report(
                            f"{key!r} item {index} should be {' or '.join(sorted(items))}, "
                            f"not {json_type(item)}",
                            (*path, index),
                        )
        if isinstance(value, dict):
            self.check_object(value, key, path)
        elif isinstance(value, list) and key + "[]" in self.described:
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    self.check_object(item, key + "[]", (*path, index))


#: How deep an example may nest. Real payloads stay far below; deeper text would exhaust
#: Python's stack in :func:`json.loads` and in the checks below.
MAX_DEPTH = 100

# What changes the nesting depth of JSON text, or starts or ends a string (where it does not).
_STRUCTURE = re.compile(r'[\[\]{}"\\]')


def _too_deep(text: str) -> int | None:
    """The 0-based line where ``text`` nests deeper than :data:`MAX_DEPTH`, or ``None``.

    One pass without recursion, so that it is safe on any text, valid JSON or not.
    """
    depth, in_string, escaped_until = 0, False, -1
    for match in _STRUCTURE.finditer(text):
        pos, char = match.start(), match.group()
        if pos < escaped_until:
            continue
        if in_string:
            if char == "\\":
                escaped_until = pos + 2
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, pos)
        elif char in "]}":
            depth -= 1
    return None


class _NotJson(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(f"{word} is not a JSON value (JSON has no NaN or infinity)")
        self.word = word


def _not_json(word: str) -> Any:
    """``NaN`` and ``Infinity`` are Python's, not JSON's: refuse them."""
    raise _NotJson(word)


def check_example(text: str, fields: Sequence[Field]) -> list[Problem]:
    """Check the author's JSON ``text`` against ``fields``.

    Returns one ``example`` problem for invalid JSON, or one for each unknown key, missing required
    key, value of the wrong type and value outside the enum, in the order they stand in the text.
    ``Problem.line`` is the 0-based line of ``text`` where the key stands (for a missing key, where
    its object starts), or ``None``.
    """
    deep = _too_deep(text)
    if deep is not None:
        return [
            Problem(
                "example",
                f"the JSON nests more than {MAX_DEPTH} levels deep, which this extension "
                "does not read",
                line=deep,
            )
        ]
    try:
        payload = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as err:
        return [
            Problem(
                "example",
                # The line is Problem.line: the directive adds it to where the body stands.
                f"invalid JSON: {err.msg} at column {err.colno}",
                line=err.lineno - 1,
            )
        ]
    except _NotJson as err:
        return [
            Problem(
                "example", f"invalid JSON: {err}", line=text.count("\n", 0, text.find(err.word))
            )
        ]
    if len(fields) == 1 and fields[0].key == BODY_KEY:
        # A body that is not an object is checked as the value of its one row.
        payload = {BODY_KEY: payload}
    lines = {path: where[0] for path, where in json_positions(text).items()}
    items = _items_of_top_level_array(fields)
    checker = _Checker(items if items is not None else fields, lines)
    if items is not None and isinstance(payload, list):
        for index, item in enumerate(payload):
            if isinstance(item, dict):
                checker.check_object(item, "", (index,))
            else:
                checker.report(f"item {index} should be an object, not {json_type(item)}", (index,))
    elif items is not None:
        checker.report(f"the payload should be an array, not {json_type(payload)}", ())
    elif isinstance(payload, dict):
        checker.check_object(payload, "", ())
    elif fields:
        checker.report(f"the payload should be an object, not {json_type(payload)}", ())
    # Objects are checked key by key, then their values: sort so that warnings follow the text.
    return sorted(checker.problems, key=lambda p: (p.line is None, p.line or 0))
