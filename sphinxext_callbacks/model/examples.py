"""Example payloads: make one from a table's JSON Schema, and check an author's with ``jsonschema``.

Pure Python, like the readers: no docutils, no Sphinx. :func:`make_example` turns a schema
(a source's own, bundled, or one made from inline fields by
:func:`~sphinxext_callbacks.model.json_schema.fields_schema`) into a JSON value that validates
against it. :func:`check_example` validates the author's JSON text with ``jsonschema`` and
turns each error into a :class:`Problem` in plain words, at the line of the text where the
offending key stands, for the directive to report.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jsonschema import FormatChecker
from jsonschema.exceptions import UnknownType, ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import Draft202012Validator, validator_for
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012, specification_with

from sphinxext_callbacks.model.jsontypes import json_type
from sphinxext_callbacks.model.paths import ITEMS, format_path
from sphinxext_callbacks.model.positions import json_positions
from sphinxext_callbacks.model.problems import Problem, did_you_mean

__all__ = ["FORMAT_EXAMPLES", "check_example", "make_example", "validator"]

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

#: The formats checked: those ``jsonschema`` checks with the standard library alone, so that
#: a payload gets the same warnings wherever the docs are built, and ``date-time`` (below).
FORMATS = FormatChecker(formats=("date", "email", "ipv4", "ipv6", "regex", "uuid"))

_DATE_TIME = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)"
)


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    # RFC 3339's date-time, as JSON Schema defines it (jsonschema needs a package for it).
    return not isinstance(value, str) or _DATE_TIME.fullmatch(value) is not None


def validator(schema: Any) -> Validator:
    """A ``jsonschema`` validator of *schema* (2020-12 unless its ``$schema`` says otherwise)."""
    cls = validator_for(schema, default=Draft202012Validator)
    return cls(schema, format_checker=FORMATS)


# -- Making an example ------------------------------------------------------------------------

#: What :func:`make_example` shows for a type when nothing more specific is known.
_TYPE_EXAMPLES: dict[str, Any] = {
    "string": "string",
    "integer": 0,
    "number": 0,
    "boolean": True,
    "null": None,
    "object": {},
    "array": [],
}
_TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")

#: Deeper schemas give an empty object or array: a generated example is for reading.
_MAX_DEPTH = 24
_BUDGET = 5000
#: What a ``$ref`` back to a schema being made gives: the key is left out where it may be.
_CYCLE = object()


#: A schema and the resolver its ``$ref``s are resolved with.
_Part = tuple[Any, Any]


@dataclass
class _Flat:
    """What all the parts that apply to one value say, merged."""

    parts: list[_Part] = field(default_factory=list)
    types: list[str] | None = None
    #: Spec-given values, best first: ``const``, ``examples``, ``example``, ``default``, enum.
    candidates: list[Any] = field(default_factory=list)
    #: The values ``const`` and ``enum`` allow: no other value can be valid.
    allowed: list[Any] = field(default_factory=list)
    properties: dict[str, list[_Part]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    additional: list[_Part] = field(default_factory=list)
    items: list[_Part] = field(default_factory=list)
    prefix: list[list[_Part]] = field(default_factory=list)
    words: dict[str, Any] = field(default_factory=dict)
    cyclic: bool = False
    #: The ``$ref``s followed to get here: met again below, they would recurse.
    refs: list[str] = field(default_factory=list)


class _Maker:
    def __init__(self, schema: Any) -> None:
        dialect = schema.get("$schema") if isinstance(schema, Mapping) else None
        spec = (
            specification_with(dialect, default=DRAFT202012)
            if isinstance(dialect, str)
            else DRAFT202012
        )
        self.resolver: Any = Registry().resolver_with_root(spec.create_resource(schema))
        self.root = validator(schema)
        #: The ``$ref``s on the way from the top to the value being made.
        self.active: list[str] = []
        #: How many more values may be made: a wide recursive schema would be exponential.
        self.budget = _BUDGET

    def flatten(self, parts: Sequence[_Part], flat: _Flat | None = None) -> _Flat:
        flat = flat if flat is not None else _Flat()
        for schema, resolver in parts:
            if schema is False:
                flat.types = []
            if not isinstance(schema, Mapping):
                continue
            flat.parts.append((schema, resolver))
            ref = schema.get("$ref")
            if isinstance(ref, str):
                try:
                    resolved = resolver.lookup(ref)
                except (Unresolvable, ValueError, TypeError, LookupError, AttributeError):
                    resolved = None
                if resolved is not None:
                    key = f"{resolver._base_uri}|{ref}"
                    if key in self.active or len(self.active) > _MAX_DEPTH:
                        flat.cyclic = True
                    else:
                        flat.refs.append(key)
                        self.active.append(key)
                        try:
                            self.flatten([(resolved.contents, resolved.resolver)], flat)
                        finally:
                            self.active.pop()
            self._words(schema, resolver, flat)
            for word in ("allOf",):
                for sub in _list(schema.get(word)):
                    self.flatten([(sub, resolver)], flat)
            for word in ("oneOf", "anyOf"):
                alternatives = _list(schema.get(word))
                if alternatives:
                    self.flatten([(alternatives[0], resolver)], flat)
        return flat

    @staticmethod
    def _words(schema: Mapping[str, Any], resolver: Any, flat: _Flat) -> None:
        kind = schema.get("type")
        if isinstance(kind, (str, list)):
            names = [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]
            if "integer" in (flat.types or ()) and "number" in names:
                names.append("integer")
            flat.types = (
                names
                if flat.types is None
                else [t for t in flat.types if t in names or (t == "integer" and "number" in names)]
            )
        if "const" in schema:
            flat.candidates.insert(0, schema["const"])
            flat.allowed.insert(0, schema["const"])
        flat.candidates.extend(_list(schema.get("examples")))
        for word in ("example", "default"):
            if word in schema:
                flat.candidates.append(schema[word])
        enum = _list(schema.get("enum"))
        flat.candidates.extend(enum)
        flat.allowed.extend(enum)
        properties = schema.get("properties")
        if isinstance(properties, Mapping):
            for name, sub in properties.items():
                flat.properties.setdefault(str(name), []).append((sub, resolver))
        for name in _list(schema.get("required")):
            if isinstance(name, str) and name not in flat.required:
                flat.required.append(name)
        additional = schema.get("additionalProperties")
        if isinstance(additional, Mapping):
            flat.additional.append((additional, resolver))
        items = schema.get("items")
        if isinstance(items, (Mapping, bool)):
            flat.items.append((items, resolver))
        for index, sub in enumerate(_list(schema.get("prefixItems"))):
            while len(flat.prefix) <= index:
                flat.prefix.append([])
            flat.prefix[index].append((sub, resolver))
        for word in (
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "minLength",
            "maxLength",
            "minItems",
        ):
            if word in schema:
                flat.words.setdefault(word, schema[word])

    def valid(self, value: Any, flat: _Flat) -> bool:
        try:
            return all(
                self.root.evolve(schema=schema, _resolver=resolver).is_valid(value)
                for schema, resolver in flat.parts
            )
        except Exception:
            return False

    def value(self, parts: Sequence[_Part], depth: int) -> Any:
        flat = self.flatten(parts)
        self.budget -= 1
        self.active.extend(flat.refs)
        try:
            return self._value(flat, depth)
        finally:
            del self.active[len(self.active) - len(flat.refs) :]

    def _value(self, flat: _Flat, depth: int) -> Any:
        if flat.cyclic and not flat.words and flat.types is None:
            return _CYCLE
        for candidate in flat.candidates:
            if self.valid(candidate, flat):
                return candidate
        if flat.allowed:
            # The schema contradicts itself (an enum of words with maxLength: 1): show a
            # value it names rather than one it never meant; the check says what is wrong.
            return flat.allowed[0]
        types = flat.types
        if types is None:
            if flat.properties or flat.additional:
                types = ["object"]
            elif flat.items or flat.prefix:
                types = ["array"]
            else:
                types = ["string"]
        chosen = next((t for t in types if t != "null"), types[0] if types else "null")
        if flat.cyclic or depth > _MAX_DEPTH or self.budget < 0:
            return (
                _TYPE_EXAMPLES.get(chosen)
                if chosen not in ("object", "array")
                else _TYPE_EXAMPLES[chosen].copy()
            )
        if chosen == "object":
            result: dict[str, Any] = {}
            for name, sub in flat.properties.items():
                if any(s is False for s, _ in sub):
                    continue
                value = self.value(sub, depth + 1)
                if value is not _CYCLE:
                    result[name] = value
                elif name in flat.required:
                    result[name] = {}
            for name in flat.required:
                if name not in result:
                    value = self.value(flat.additional, depth + 1)
                    result[name] = {} if value is _CYCLE else value
            if flat.additional and not flat.properties:
                value = self.value(flat.additional, depth + 1)
                if value is not _CYCLE:
                    result["key"] = value
            return result
        if chosen == "array":
            values = [self.value(sub, depth + 1) for sub in flat.prefix]
            values = [{} if value is _CYCLE else value for value in values]
            if not flat.prefix or (flat.items and all(s is not False for s, _ in flat.items)):
                item = self.value(flat.items, depth + 1)
                if item is not _CYCLE:
                    values.append(item)
            minimum = flat.words.get("minItems")
            while isinstance(minimum, int) and len(values) < minimum and values:
                values.append(values[-1])
            return values
        if chosen == "string":
            return _string(flat.words)
        if chosen in ("integer", "number"):
            return _number(flat.words, chosen == "integer")
        return _TYPE_EXAMPLES.get(chosen, "string")


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _string(words: Mapping[str, Any]) -> str:
    text = FORMAT_EXAMPLES.get(str(words.get("format")), "string")
    low, high = words.get("minLength"), words.get("maxLength")
    if isinstance(low, int) and len(text) < low:
        text += "x" * (low - len(text))
    if isinstance(high, int) and len(text) > high >= 0:
        text = text[:high]
    return text


def _number(words: Mapping[str, Any], integer: bool) -> int | float:
    low: float | None = None
    for word, step in (("minimum", 0), ("exclusiveMinimum", 1)):
        bound = words.get(word)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            low = bound + step if low is None else max(low, bound + step)
    high: float | None = None
    for word, step in (("maximum", 0), ("exclusiveMaximum", 1)):
        bound = words.get(word)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            high = bound - step if high is None else min(high, bound - step)
    value: float = 0
    if low is not None and value < low:
        value = low
    elif high is not None and value > high:
        value = high
    multiple = words.get("multipleOf")
    if isinstance(multiple, (int, float)) and not isinstance(multiple, bool) and multiple > 0:
        value = math.ceil(value / multiple) * multiple
    if integer or float(value).is_integer():
        return math.ceil(value)
    return value


def make_example(schema: Any) -> Any:
    """An example payload valid against *schema*; the same schema always gives the same value.

    The schema's own ``const``, ``examples``, ``example``, ``default`` or first enum value is
    used where it is valid there. Every property is shown, ``allOf`` parts are merged, the
    first alternative of a ``oneOf``/``anyOf`` is picked, and a map gets one ``"key"``.
    """
    maker = _Maker(schema)
    value = maker.value([(schema, maker.resolver)], 0)
    return {} if value is _CYCLE else value


# -- Checking an example ----------------------------------------------------------------------

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


_UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)", re.DOTALL)


class _NotJson(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(f"{word} is not a JSON value (JSON has no NaN or infinity)")
        self.word = word


def _not_json(word: str) -> Any:
    """``NaN`` and ``Infinity`` are Python's, not JSON's: refuse them."""
    raise _NotJson(word)


_Path = tuple[str | int, ...]


def _key(path: _Path) -> str:
    """The field key of a payload path: ``("attempts", 1, "count")`` is ``attempts[].count``."""
    return format_path(tuple(ITEMS if isinstance(step, int) else step for step in path))


def _subject(path: _Path) -> str:
    if not path:
        return "the payload"
    if isinstance(path[-1], int):
        parent = _key(path[:-1])
        return f"{parent!r} item {path[-1]}" if parent else f"item {path[-1]}"
    return repr(_key(path))


def _names(schema: Any) -> list[str]:
    """The property names *schema* lists, with those of its ``allOf``/``oneOf``/``anyOf``."""
    names: list[str] = []
    stack = [schema]
    while stack and len(names) < 1000:
        current = stack.pop()
        if not isinstance(current, Mapping):
            continue
        properties = current.get("properties")
        if isinstance(properties, Mapping):
            names.extend(str(name) for name in properties)
        for word in ("allOf", "oneOf", "anyOf"):
            stack.extend(_list(current.get(word)))
    return names


def _describe_type(kind: Any) -> str:
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def _problems_of(
    error: ValidationError, seen: set[tuple[_Path, str]]
) -> Iterator[tuple[_Path, str]]:
    """``(path, message)`` in plain words for one ``jsonschema`` error (at least one)."""
    path: _Path = tuple(error.absolute_path)
    instance, schema, word = error.instance, error.schema, error.validator
    subject = _subject(path)
    if word in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        known = _names(schema)
        if word == "additionalProperties":
            listed = schema.get("patternProperties") if isinstance(schema, Mapping) else None
            patterns = [str(p) for p in listed or ()]
            extras = [
                name
                for name in instance
                if name not in known and not any(re.search(p, name) for p in patterns)
            ]
        else:
            match = _UNEXPECTED.search(error.message)
            try:
                extras = list(ast.literal_eval(f"[{match.group(1)}]")) if match else []
            except (ValueError, SyntaxError):
                extras = []
        found = False
        for name in extras:
            if (path, name) not in seen:
                seen.add((path, name))
                found = True
                yield (
                    (*path, name),
                    f"unknown key {_key((*path, name))!r}{did_you_mean(name, known)}",
                )
        if found or extras:
            return
    elif word == "required" and isinstance(instance, dict):
        missing = [
            n for n in _list(error.validator_value) if isinstance(n, str) and n not in instance
        ]
        for name in missing:
            if (path, "\0" + name) not in seen:
                seen.add((path, "\0" + name))
                yield path, f"missing required key {_key((*path, name))!r}"
        if missing:
            return
    elif word == "type":
        if error.validator_value == "object" and not path:
            yield path, f"the payload should be an object, not {json_type(instance)}"
            return
        expected = _describe_type(error.validator_value)
        yield path, f"{subject} should be {expected}, not {json_type(instance)}"
        return
    elif word == "enum":
        allowed = _list(error.validator_value)
        hint = ""
        if isinstance(instance, str):
            hint = did_you_mean(instance, [v for v in allowed if isinstance(v, str)])
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in allowed)
        yield (
            path,
            f"{subject} is {json.dumps(instance, ensure_ascii=False)}, not one of {shown}{hint}",
        )
        return
    elif word == "const":
        yield (
            path,
            (
                f"{subject} is {json.dumps(instance, ensure_ascii=False)}, "
                f"not {json.dumps(error.validator_value, ensure_ascii=False)}"
            ),
        )
        return
    elif word == "format":
        shown = json.dumps(instance, ensure_ascii=False)
        yield path, f"{subject} is {shown}, not a valid {error.validator_value}"
        return
    elif word is None and schema is False:
        yield path, f"{subject} is not allowed here"
        return
    elif word in ("oneOf", "anyOf"):
        count = len(_list(error.validator_value))
        if not error.context:
            yield (
                path,
                f"{subject} matches more than one of its {count} alternatives; it should match one",
            )
            return
        for closest in _closest(error.context):
            for where, message in _problems_of(closest, seen):
                yield where, f"{message} ({subject} matches none of its {count} alternatives)"
        return
    yield path, f"{subject}: {error.message}"


def _closest(errors: Sequence[ValidationError]) -> list[ValidationError]:
    """The errors of the alternative a payload came closest to.

    That is one whose constants (a discriminator's ``type``, say) the payload has, with the
    fewest errors; ``jsonschema``'s :func:`best_match` chooses when none stands out.
    """
    by_alternative: dict[Any, list[ValidationError]] = {}
    for error in errors:
        index = error.relative_schema_path[0] if error.relative_schema_path else None
        by_alternative.setdefault(index, []).append(error)

    def mismatched(group: list[ValidationError]) -> bool:
        return any(e.validator in ("const", "enum", "type") and e.path for e in group)

    fitting = [group for group in by_alternative.values() if not mismatched(group)]
    if fitting:
        return min(fitting, key=len)
    best = best_match(errors)
    return [best] if best is not None else []


def check_example(text: str, schema: Any) -> list[Problem]:
    """Check the author's JSON ``text`` against *schema* with ``jsonschema``.

    Returns one ``example`` problem for invalid JSON, or at least one for each validation
    error (unknown key, missing required key, wrong type, value outside the enum, ...), in
    the order they stand in the text. ``Problem.line`` is the 0-based line of ``text``
    where the key stands (for a missing key, where its object starts), or ``None``.
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
    try:
        errors = list(validator(schema).iter_errors(payload))
    except UnknownType as err:
        why = f"{err.type!r} is not a JSON type"
        return [Problem("schema", f"cannot check the example: the schema is broken: {why}")]
    except Exception as err:
        why = next((line for line in str(err).splitlines() if line.strip()), type(err).__name__)
        return [Problem("schema", f"cannot check the example: the schema is broken: {why}")]
    lines = {path: where[0] for path, where in json_positions(text).items()}
    found: list[Problem] = []
    seen: set[tuple[_Path, str]] = set()
    for error in errors:
        for path, message in _problems_of(error, seen):
            while path and path not in lines:
                path = path[:-1]
            problem = Problem("example", message, line=lines.get(path))
            if problem not in found:
                found.append(problem)
    # jsonschema goes keyword by keyword: sort so that warnings follow the text.
    return sorted(found, key=lambda p: (p.line is None, p.line or 0))
