"""Example payloads: make one from a table's JSON Schema, and check an author's with ``jsonschema``.

Pure Python, like the readers: no docutils, no Sphinx. :func:`make_example` turns a schema
(a source's own, bundled, or one made from inline fields by
:func:`~sphinxext_callbacks.model.json_schema.fields_schema`) into a JSON value that validates
against it. :func:`check_example` validates the author's JSON text with ``jsonschema`` and
turns each error into a :class:`Problem` in plain words, at the line of the text where the
offending key stands, for the directive to report.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, cast

from jsonschema.exceptions import UnknownType, ValidationError, best_match
from jsonschema.protocols import Validator

from sphinxext_callbacks.model.expansion import SchemaTooLarge
from sphinxext_callbacks.model.fields import MISSING
from sphinxext_callbacks.model.jsontypes import json_type
from sphinxext_callbacks.model.local_refs import LocalRefs, Spot
from sphinxext_callbacks.model.paths import ITEMS, format_path
from sphinxext_callbacks.model.patterns import search
from sphinxext_callbacks.model.positions import json_positions
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.model.shape import Alternative, Group, Normalizer, Part, Shape

__all__ = [
    "FORMAT_EXAMPLES",
    "CannotMake",
    "check_example",
    "example_fault",
    "make_example",
    "try_example",
    "validator",
]

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


def validator(schema: Any, registry: Any = None) -> Validator:
    """A ``jsonschema`` validator of *schema* (2020-12 unless its ``$schema`` says otherwise),
    resolving its ``$ref``s in *registry* when one is given."""
    from sphinxext_callbacks.model import patterns

    return patterns.validator(schema, registry)


# -- Making an example ------------------------------------------------------------------------

#: What a made example may be, at most (``docs/security.rst`` lists them).
MAX_STRING = 1000
MAX_ITEMS = 100
MAX_BYTES = 64_000
#: Deeper values are left out where they may be: a made example is for reading.
_MAX_DEPTH = 24
#: How many values one example may make: alternatives and reused schemas multiply.
_BUDGET = 5000

#: One value of each JSON type: if the schema accepts none, no value can match it.
_SAMPLES: tuple[Any, ...] = (None, True, 0, 0.5, "string", [], {})
_MISSING_SAMPLE = object()


class CannotMake(Exception):
    """Why no valid example can be made from a schema (a limit, or what the schema asks)."""


class _Skip(Exception):
    """An optional value that cannot be made: the example leaves it out."""


def _say(path: _Path) -> str:
    return f"at {_key(path)!r}" if path else "for the payload"


class _Maker:
    """Makes one value for each schema part, valid against it by construction and by check."""

    def __init__(self, schema: Any) -> None:
        self.refs = LocalRefs(schema)
        self.shapes = Normalizer(self.refs, budget=20 * _BUDGET)
        self.root = validator(schema)
        self._validators: dict[str, Validator] = {}
        self.budget = _BUDGET

    def _check(self, value: Any, parts: Sequence[Part]) -> ValidationError | None:
        """The first error of *value* against the schema parts it was made for, or ``None``."""
        for part in parts:
            spot = part.at
            found = self._validators.get(spot.pointer)
            if found is None:
                found = validator({"$ref": spot.ref}, self.refs.registry)
                self._validators[spot.pointer] = found
            try:
                error: ValidationError | None = best_match(found.iter_errors(value))
            except Exception:  # a broken schema: the check of the whole example reports it
                return None
            if error is not None:
                return error
        return None

    def value(self, parts: Sequence[Part], path: _Path, minimal: bool = False) -> Any:
        """A value for *parts* at *path*; ``minimal``: objects keep only their required keys."""
        self.budget -= 1
        if self.budget < 0:
            raise CannotMake(f"the schema makes more than {_BUDGET} values; it is too large")
        shape = self.shapes.build(parts)
        if shape.empty:
            self._contradiction(parts, path)
        for candidate in _candidates(shape):
            if self._check(candidate, parts) is None:
                return candidate
        if shape.enum is not None:
            shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in shape.enum[:5])
            raise CannotMake(f"{_say(path)}, none of the values {shown} matches the schema")
        if shape.cyclic and not shape.properties:
            raise _Skip  # recursive: one level is shown
        kind = _kind(shape)
        if shape.groups and kind != "object":
            kind = "choice"  # a scalar or an array: the alternatives say which
        value = self._of_kind(kind, shape, parts, path, minimal)
        if kind in ("object", "array") and not shape.closed:
            # Made from values checked one by one; the whole payload is checked at the end.
            return value
        error = self._check(value, parts)
        if error is not None and kind == "object" and not minimal:
            # Optional keys the whole rejects (a closed allOf member): try without them.
            value = self._of_kind(kind, shape, parts, path, True)
            error = self._check(value, parts)
        if error is not None:
            raise CannotMake(f"{_say(path)}, {error.message}")
        return value

    def _contradiction(self, parts: Sequence[Part], path: _Path) -> None:
        if all(self._check(sample, parts) is not None for sample in _SAMPLES):
            raise CannotMake(
                f"{_say(path)}, the schema contradicts itself: its parts allow no common type"
            )

    def _of_kind(
        self, kind: str, shape: Shape, parts: Sequence[Part], path: _Path, minimal: bool
    ) -> Any:
        if kind == "choice":
            return self._choose(shape.groups[0], None, path, minimal, parts)
        if kind == "object":
            return self._object(shape, path, minimal)
        if kind == "array":
            return self._array(shape, path)
        if kind == "string":
            return _string(shape.annotations, path)
        if kind in ("integer", "number"):
            return _number(shape.annotations, kind == "integer", path)
        return {"boolean": True, "null": None}.get(kind, "string")

    def _optional(self, parts: Sequence[Part], path: _Path, minimal: bool) -> Any:
        """A value that may be left out (``_Skip``) when it cannot be made."""
        try:
            return self.value(parts, path, minimal)
        except CannotMake:
            raise _Skip from None

    def _object(self, shape: Shape, path: _Path, minimal: bool) -> Any:
        result: dict[str, Any] = {}
        if len(path) > _MAX_DEPTH:
            return result
        for name, sub in shape.properties.items():
            required = name in shape.required
            if minimal and not required:
                continue
            try:
                if required:
                    result[name] = self.value(sub, (*path, name), minimal)
                else:
                    result[name] = self._optional(sub, (*path, name), minimal)
            except _Skip:
                if required:
                    result[name] = {}
        for name in sorted(shape.required - set(result)):
            extra = shape.extra or next(iter(shape.patterns.values()), [])
            result[name] = self.value(extra, (*path, name), minimal) if extra else "string"
        if shape.extra and not shape.properties and not minimal:
            with contextlib.suppress(_Skip):
                result["key"] = self._optional(shape.extra, (*path, "key"), minimal)
        for group in shape.groups:
            result = self._choose(group, result, path, minimal)
        return result

    def _choose(
        self,
        group: Group,
        base: Any,
        path: _Path,
        minimal: bool,
        whole: Sequence[Part] = (),
    ) -> Any:
        """*base* with the first alternative that makes it match as the group asks: exactly
        one alternative for ``oneOf``, at least that one for ``anyOf``; and, for a value that
        is all alternative (no object around it), the *whole* schema too."""
        reasons: list[str] = []
        for index, alt in enumerate(group.alternatives):
            for small in dict.fromkeys((minimal, True)):
                try:
                    value = self._alternative(alt, base, path, small)
                except (CannotMake, _Skip) as err:
                    reasons.append(str(err))
                    break
                matches = [
                    other.part is not None and self._check(value, [other.part]) is None
                    for other in group.alternatives
                ]
                if matches[index] and sum(matches) > 1 and group.word == "oneOf":
                    value = self._apart(value, alt, group, matches)
                    matches = [
                        other.part is not None and self._check(value, [other.part]) is None
                        for other in group.alternatives
                    ]
                fits = matches[index] and (group.word == "anyOf" or sum(matches) == 1)
                if fits and (base is not None or self._check(value, whole) is None):
                    return value
        why = f": {reasons[0]}" if reasons else ""
        raise CannotMake(
            f"{_say(path)}, no value matches exactly one alternative of its {group.word}{why}"
        )

    def _apart(self, value: Any, alt: Alternative, group: Group, matches: list[bool]) -> Any:
        """*value* with a key that only the other matching alternatives define, given a value
        they refuse, so that *value* matches *alt* alone (two objects whose keys are all
        optional both match ``{}``)."""
        if not isinstance(value, dict):
            return value
        own = set(alt.shape.properties)
        changed = dict(value)
        for other, matched in zip(group.alternatives, matches, strict=True):
            if other is alt or not matched:
                continue
            for name, parts in other.shape.properties.items():
                if name in own or name in changed:
                    continue
                refused = next(
                    (s for s in _SAMPLES if self._check(s, parts) is not None), _MISSING_SAMPLE
                )
                if refused is not _MISSING_SAMPLE:
                    changed[name] = refused
                    break
        return changed

    def _alternative(self, alt: Alternative, base: Any, path: _Path, minimal: bool) -> Any:
        if alt.part is None:
            raise _Skip
        value = self.value([alt.part], path, minimal)
        if isinstance(base, dict) and isinstance(value, dict):
            return {**base, **value}
        return value

    def _array(self, shape: Shape, path: _Path) -> list[Any]:
        words = shape.annotations
        low = _count(words.get("minItems"))
        if low > MAX_ITEMS:
            raise CannotMake(f"{_say(path)}, minItems {low} exceeds the limit of {MAX_ITEMS} items")
        if words.get("maxItems") == 0 or not shape.items or len(path) > _MAX_DEPTH:
            return []
        item_path = (*path, ITEMS)
        if low == 0:
            try:
                return [self._optional(shape.items, item_path, False)]
            except _Skip:
                return []
        item = self.value(shape.items, item_path)
        return [item] * low


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _candidates(shape: Shape) -> list[Any]:
    """The spec's own values for *shape*, best first: ``const``/``enum``, then ``examples``,
    ``example`` and ``default``; each is used only where it is valid."""
    words = shape.annotations
    found: list[Any] = list(shape.enum or [])
    found.extend(_list(words.get("examples")))
    for word in ("example", "default"):
        if word in words:
            found.append(words[word])
    if shape.enum is not None:
        # Only what the enum allows can be valid; null last, as a made value would be.
        found = [v for v in found if v in shape.enum]
        found.sort(key=lambda v: v is None)
    return found


def _kind(shape: Shape) -> str:
    """Which JSON type to make: the object or array the schema describes, else its first type."""
    names = shape.type_names()
    if "object" in names and (shape.properties or shape.groups or not shape.items):
        return "object"
    if names:
        return names[0]
    if shape.groups:
        return "choice"
    if shape.types is not None and shape.nullable:
        return "null"
    return "string"


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _string(words: Mapping[str, Any], path: _Path) -> str:
    text = FORMAT_EXAMPLES.get(str(words.get("format")), "string")
    low, high = words.get("minLength"), words.get("maxLength")
    if isinstance(low, int) and not isinstance(low, bool) and len(text) < low:
        if low > MAX_STRING:
            raise CannotMake(
                f"{_say(path)}, minLength {low} exceeds the limit of {MAX_STRING} characters"
            )
        text += "x" * (low - len(text))
    if isinstance(high, int) and not isinstance(high, bool) and len(text) > high >= 0:
        text = text[:high]
    return text


def _exact(value: Any) -> Fraction | None:
    """A bound as an exact number: what the author wrote (``0.1`` is one tenth)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _number(words: Mapping[str, Any], integer: bool, path: _Path) -> int | float:
    """The number nearest 0 that the bounds and ``multipleOf`` allow, in exact arithmetic."""
    low, low_open = _exact(words.get("exclusiveMinimum")), True
    if low is None or (_exact(words.get("minimum")) or low) > low:
        low, low_open = _exact(words.get("minimum")), False
    high, high_open = _exact(words.get("exclusiveMaximum")), True
    if high is None or (_exact(words.get("maximum")) or high) < high:
        high, high_open = _exact(words.get("maximum")), False
    step = _exact(words.get("multipleOf"))
    step = step if step is not None and step > 0 else Fraction(1 if integer else 0)
    if integer and step:
        step = Fraction(step.numerator) if step.denominator != 1 else step
    value = _first_at_least(low, low_open, step)
    if high is not None and (value > high or (high_open and value == high)):
        start = low if low is not None else value
        raise CannotMake(f"{_say(path)}, no value from {start} to {high} fits its constraints")
    return int(value) if value.denominator == 1 else float(value)


def _first_at_least(low: Fraction | None, open_: bool, step: Fraction) -> Fraction:
    """The smallest multiple of *step* (any number when 0) above *low*, nearest 0."""
    if low is None or low < 0 or (low == 0 and not open_):
        return Fraction(0)
    if not step:
        return low + 1 if open_ else low
    count = math.ceil(low / step)
    if open_ and count * step == low:
        count += 1
    return count * step


def make_example(schema: Any) -> Any:
    """An example payload valid against *schema* (:func:`try_example`); :class:`CannotMake`
    says why when there is none."""
    value, why = try_example(schema)
    if why is not None:
        raise CannotMake(why)
    return value


def try_example(schema: Any) -> tuple[Any, str | None]:
    """An example payload valid against *schema*, or :data:`MISSING` and why none can be made.

    The schema's own ``const``, ``examples``, ``example``, ``default`` or enum value is used
    where it is valid. Every property is shown, ``allOf`` parts are merged, the first
    alternative of a ``oneOf``/``anyOf`` that the value then matches alone is picked, and a
    map gets one ``"key"``. The result is checked with ``jsonschema`` before it is returned;
    the same schema always gives the same value.
    """
    try:
        maker = _Maker(schema)
    except SchemaTooLarge as err:
        return MISSING, f"the schema is too large to check: {err}"
    try:
        value = maker.value([Part(schema, Spot())], ())
    except CannotMake as err:
        return MISSING, str(err)
    except _Skip:
        return MISSING, "the payload's schema refers only to itself"
    except Exception as err:  # a schema jsonschema cannot use: said, never a traceback
        return MISSING, f"the schema is broken: {err}"
    size = len(json.dumps(value, ensure_ascii=False))
    if size > MAX_BYTES:
        return MISSING, f"the example would be {size:,} bytes, over the limit of {MAX_BYTES:,}"
    try:
        error = best_match(maker.root.iter_errors(value))
    except Exception as err:
        return MISSING, f"the schema is broken: {err}"
    if error is not None:
        where = _key(tuple(error.absolute_path))
        return MISSING, (f"at {where!r}, " if where else "") + error.message
    return value, None


def example_fault(value: Any, schema: Any) -> str | None:
    """What ``jsonschema`` says is wrong with *value* against *schema*, or ``None``."""
    try:
        error = best_match(validator(schema).iter_errors(value))
    except SchemaTooLarge as err:
        return f"the schema is too large to check: {err}"
    except Exception as err:  # a schema jsonschema cannot use
        return f"the schema is broken: {err}"
    return None if error is None else error.message


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


_Said = Iterator[tuple[_Path, str]]


class _Reading:
    """What is known while one payload's errors are put in words: the keys already reported,
    and the keys the schema documents at each place (for a key it documents yet forbids)."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self.seen: set[tuple[_Path, str]] = set()
        self._shapes: Normalizer | None = None

    def first(self, path: _Path, what: str) -> bool:
        """Whether *what* at *path* is said for the first time."""
        if (path, what) in self.seen:
            return False
        self.seen.add((path, what))
        return True

    def documented(self, path: _Path) -> set[str]:
        """The property names the schema gives the object at *path*, in every part and
        alternative (all ``allOf`` members together)."""
        if self._shapes is None:
            self._shapes = Normalizer(LocalRefs(self.schema), budget=20_000)
        shapes = [self._shapes.build([Part(self.schema, Spot())])]
        for step in path:
            parts = [
                part
                for shape in _with_alternatives(shapes)
                for part in (
                    shape.items if isinstance(step, int) else shape.properties.get(step, [])
                )
            ]
            if not parts:
                return set()
            shapes = [self._shapes.build(parts)]
        return {name for shape in _with_alternatives(shapes) for name in shape.properties}


def _with_alternatives(shapes: list[Shape]) -> list[Shape]:
    found: list[Shape] = []
    stack = list(shapes)
    while stack and len(found) < 200:
        shape = stack.pop()
        found.append(shape)
        stack.extend(alt.shape for group in shape.groups for alt in group.alternatives)
    return found


def _unknown_keys(error: ValidationError, reading: _Reading) -> _Said:
    path: _Path = tuple(error.absolute_path)
    instance = cast("dict[str, Any]", error.instance)
    schema = error.schema
    known = _names(schema)
    listed = schema.get("patternProperties") if isinstance(schema, Mapping) else None
    patterns = [str(p) for p in listed or ()]
    documented = reading.documented(path)
    # unevaluatedProperties: every documented key counts as evaluated somewhere.
    allowed = known if error.validator == "additionalProperties" else {*known, *documented}
    extras = [
        name
        for name in instance
        if name not in allowed and not any(search(p, name) for p in patterns)
    ]
    if not extras:
        yield path, f"{_subject(path)}: {error.message}"
        return
    for name in extras:
        if not reading.first(path, name):
            continue
        key = _key((*path, name))
        if name in documented:
            yield (
                (*path, name),
                f"the spec documents {key!r} but one part of its schema forbids it "
                "(additionalProperties: false in one member of an allOf), so no payload with "
                "it is valid: the spec's own schema should say unevaluatedProperties: false",
            )
        else:
            yield (*path, name), f"unknown key {key!r}{did_you_mean(name, known)}"


def _missing_keys(error: ValidationError, reading: _Reading) -> _Said:
    path: _Path = tuple(error.absolute_path)
    instance = cast("dict[str, Any]", error.instance)
    missing = [n for n in _list(error.validator_value) if isinstance(n, str) and n not in instance]
    for name in missing:
        if reading.first(path, "\0" + name):
            yield path, f"missing required key {_key((*path, name))!r}"
    if not missing:
        yield path, f"{_subject(path)}: {error.message}"


def _wrong_type(error: ValidationError, reading: _Reading) -> _Said:
    path: _Path = tuple(error.absolute_path)
    if error.validator_value == "object" and not path:
        yield path, f"the payload should be an object, not {json_type(error.instance)}"
        return
    expected = _describe_type(error.validator_value)
    yield path, f"{_subject(path)} should be {expected}, not {json_type(error.instance)}"


def _not_listed(error: ValidationError, reading: _Reading) -> _Said:
    path: _Path = tuple(error.absolute_path)
    instance = error.instance
    shown_value = json.dumps(instance, ensure_ascii=False)
    if error.validator == "const":
        allowed = json.dumps(error.validator_value, ensure_ascii=False)
        yield path, f"{_subject(path)} is {shown_value}, not {allowed}"
        return
    values = _list(error.validator_value)
    hint = ""
    if isinstance(instance, str):
        hint = did_you_mean(instance, [v for v in values if isinstance(v, str)])
    shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in values)
    yield path, f"{_subject(path)} is {shown_value}, not one of {shown}{hint}"


def _bad_format(error: ValidationError, reading: _Reading) -> _Said:
    path: _Path = tuple(error.absolute_path)
    shown = json.dumps(error.instance, ensure_ascii=False)
    yield path, f"{_subject(path)} is {shown}, not a valid {error.validator_value}"


def _no_alternative(error: ValidationError, reading: _Reading) -> _Said:
    path: _Path = tuple(error.absolute_path)
    subject = _subject(path)
    count = len(_list(error.validator_value))
    if not error.context:
        yield (
            path,
            f"{subject} matches more than one of its {count} alternatives; it should match one",
        )
        return
    for closest in _closest(error.context):
        for where, message in _problems_of(closest, reading):
            yield where, f"{message} ({subject} matches none of its {count} alternatives)"


_SAYERS: dict[str, Callable[[ValidationError, _Reading], _Said]] = {
    "additionalProperties": _unknown_keys,
    "unevaluatedProperties": _unknown_keys,
    "required": _missing_keys,
    "type": _wrong_type,
    "enum": _not_listed,
    "const": _not_listed,
    "format": _bad_format,
    "oneOf": _no_alternative,
    "anyOf": _no_alternative,
}


def _problems_of(error: ValidationError, reading: _Reading) -> _Said:
    """``(path, message)`` in plain words for one ``jsonschema`` error (at least one)."""
    path: _Path = tuple(error.absolute_path)
    say = _SAYERS.get(str(error.validator))
    shapes_fit = {
        "additionalProperties": dict,
        "unevaluatedProperties": dict,
        "required": dict,
    }.get(str(error.validator))
    if say is not None and (shapes_fit is None or isinstance(error.instance, shapes_fit)):
        yield from say(error, reading)
    elif error.validator is None and error.schema is False:
        yield path, f"{_subject(path)} is not allowed here"
    else:
        yield path, f"{_subject(path)}: {error.message}"


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
    except SchemaTooLarge as err:
        return [Problem("schema", f"cannot check the example: the schema is too large: {err}")]
    except UnknownType as err:
        why = f"{err.type!r} is not a JSON type"
        return [Problem("schema", f"cannot check the example: the schema is broken: {why}")]
    except Exception as err:
        why = next((line for line in str(err).splitlines() if line.strip()), type(err).__name__)
        return [Problem("schema", f"cannot check the example: the schema is broken: {why}")]
    lines = {path: where[0] for path, where in json_positions(text).items()}
    found: list[Problem] = []
    reading = _Reading(schema)
    for error in errors:
        for path, message in _problems_of(error, reading):
            while path and path not in lines:
                path = path[:-1]
            problem = Problem("example", message, line=lines.get(path))
            if problem not in found:
                found.append(problem)
    # jsonschema goes keyword by keyword: sort so that warnings follow the text.
    return sorted(found, key=lambda p: (p.line is None, p.line or 0))
