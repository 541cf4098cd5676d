"""Regular expressions from a spec, run in linear time, and the validator that uses them.

A spec is written by someone else: its ``pattern`` and ``patternProperties`` keys are
regular expressions that a backtracking engine (Python's ``re``, which ``jsonschema`` uses)
can take hours to run on a payload of a few kilobytes (``^(a+)+$``). Here they run in RE2,
whose time is linear in the text. A spec's patterns are ECMA-262 regular expressions: the
spellings RE2 reads differently (``\\uXXXX``, ``\\cX``, ``[^]``, ``\\s`` with Unicode spaces)
are translated first. A pattern that RE2 cannot run (a look-around or a back-reference) is
not checked: :func:`unchecked_patterns` lists them, for the directives to report once.

:func:`validator` is the one ``jsonschema`` validator of the package: the draft's own,
extended through ``jsonschema.validators.extend`` so that ``pattern``,
``patternProperties``, ``additionalProperties`` (which reads ``patternProperties``) and
``uniqueItems`` (by hashing each item's canonical JSON, not by comparing every pair) are
linear, with a format checker whose checks are linear too.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import re2  # type: ignore[import-untyped,import-not-found,unused-ignore]
from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import Draft202012Validator, extend, validator_for

from sphinxext_callbacks.model.expansion import check_expansion
from sphinxext_callbacks.model.plain import fix_surrogates

__all__ = [
    "FORMATS",
    "MAX_PATTERN_LENGTH",
    "canonical_json",
    "pattern_problem",
    "search",
    "translate",
    "unchecked_patterns",
    "validator",
]

#: Longer patterns are not compiled (RE2's memory for one pattern is bounded, too).
MAX_PATTERN_LENGTH = 10_000
#: The memory RE2 may give one compiled pattern (its default): a pattern that needs more
#: is reported like one that uses a feature RE2 lacks.
_MAX_MEMORY = 8 << 20

# ECMA-262's white space and line terminators: ``\s`` there is Unicode, in RE2 ASCII only.
_ECMA_SPACE = (
    r"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}"
    r"\x{3000}\x{FEFF}"
)
_HEX = frozenset("0123456789abcdefABCDEF")


def translate(pattern: str) -> str:
    """*pattern* (ECMA-262, as JSON Schema writes it) in RE2's syntax, where one differs.

    One pass over the pattern, tracking only whether it is inside a character class:
    ``\\uXXXX`` and ``\\u{X...}`` become ``\\x{...}``, ``\\cX`` the control it names,
    ``\\s``/``\\S`` ECMA's Unicode white space, ``[^]`` any character and ``[]`` none.
    Everything else is left for RE2 to accept or refuse.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        char = pattern[i]
        if char == "\\" and i + 1 < n:
            text, i = _ecma_escape(pattern, i, in_class)
        elif char == "[" and not in_class:
            text, i, in_class = _open_class(pattern, i)
        else:
            in_class = in_class and char != "]"
            text, i = char, i + 1
        out.append(text)
    return "".join(out)


def _ecma_escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """The escape at ``pattern[i]`` (a backslash and what follows) in RE2's syntax, and
    where the pattern goes on."""
    following = pattern[i + 1]
    letter = pattern[i + 2 : i + 3]
    if following == "u":
        return _unicode_escape(pattern, i)
    if following == "c" and letter.isascii() and letter.isalpha():
        return r"\x{%02X}" % (ord(letter) % 32), i + 3
    if following == "s":
        return (_ECMA_SPACE if in_class else "[" + _ECMA_SPACE + "]"), i + 2
    if following == "S" and not in_class:
        return "[^" + _ECMA_SPACE + "]", i + 2
    return pattern[i : i + 2], i + 2


def _unicode_escape(pattern: str, i: int) -> tuple[str, int]:
    """``\\uXXXX`` or ``\\u{X...}`` at ``pattern[i]`` as RE2's ``\\x{...}``."""
    if pattern.startswith("{", i + 2):
        end = pattern.find("}", i + 3)
        digits = pattern[i + 3 : end] if end > 0 else ""
        if digits and set(digits) <= _HEX:
            return r"\x{" + digits + "}", end + 1
    digits = pattern[i + 2 : i + 6]
    if len(digits) == 4 and set(digits) <= _HEX:
        return r"\x{" + digits + "}", i + 6
    return pattern[i : i + 2], i + 2


def _open_class(pattern: str, i: int) -> tuple[str, int, bool]:
    """The ``[`` at ``pattern[i]`` in RE2's syntax, where the pattern goes on, and whether a
    character class is open there."""
    # A "]" first in a class ends it in ECMA, and is a literal in RE2.
    if pattern.startswith("[^]", i):
        return r"[\x{0}-\x{10FFFF}]", i + 3, False
    if pattern.startswith("[]", i):
        return r"[^\x{0}-\x{10FFFF}]", i + 2, False
    if pattern.startswith("^", i + 1):
        return "[^", i + 2, True
    return "[", i + 1, True


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> tuple[Any, str | None]:
    """RE2's compiled *pattern*, or ``None`` and why it cannot be run."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return None, f"it is longer than {MAX_PATTERN_LENGTH:,} characters"
    options = re2.Options()
    options.log_errors = False
    options.max_mem = _MAX_MEMORY
    try:
        return re2.compile(fix_surrogates(translate(pattern)), options), None
    except re2.error as err:
        detail = err.args[0] if err.args else ""
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return None, _why(pattern, str(detail))


def _why(pattern: str, detail: str) -> str:
    """RE2's reason in the words of someone who wrote an ECMA-262 pattern."""
    if re.search(r"\(\?<?[=!]", pattern):
        return "it uses a look-around ((?=, (?!, (?<=, (?<!), which cannot run in linear time"
    if re.search(r"\\[1-9]|\\k<", pattern):
        return "it uses a back-reference, which cannot run in linear time"
    return detail or "it is not a regular expression RE2 can run"


def pattern_problem(pattern: str) -> str | None:
    """Why *pattern* is not checked (RE2 cannot run it), or ``None`` when it is."""
    return _compiled(pattern)[1]


def search(pattern: str, text: str) -> bool | None:
    """Whether *pattern* matches somewhere in *text* (as JSON Schema's ``pattern`` asks),
    in linear time; ``None`` when the pattern cannot be run (see :func:`pattern_problem`)."""
    compiled, _ = _compiled(pattern)
    if compiled is None:
        return None
    return compiled.search(fix_surrogates(text)) is not None


#: Keywords whose values are data, not schemas: a ``pattern`` key in them is not a pattern.
_DATA_WORDS = frozenset({"enum", "const", "examples", "example", "default"})


def unchecked_patterns(schema: Any, limit: int = 100_000) -> list[tuple[str, str, str]]:
    """``(pointer, pattern, why)`` for each pattern in *schema* that RE2 cannot run.

    Each pattern once, at the first place it stands (JSON Pointer from *schema*'s root);
    the walk visits at most *limit* values, so a huge spec costs a bounded time.
    """
    found: dict[str, tuple[str, str, str]] = {}
    stack: list[tuple[Any, str]] = [(schema, "")]
    visited = 0
    while stack and visited < limit:
        value, pointer = stack.pop()
        visited += 1
        if isinstance(value, list):
            # Pushed last first, so that the first place a pattern stands is found first.
            stack.extend(
                (item, f"{pointer}/{index}") for index, item in reversed(list(enumerate(value)))
            )
            continue
        if not isinstance(value, Mapping):
            continue
        children: list[tuple[Any, str]] = []
        for key, child in value.items():
            where = f"{pointer}/{_escape(str(key))}"
            if key in _DATA_WORDS:
                continue
            if key == "pattern" and isinstance(child, str):
                _note(found, where, child)
            elif key == "patternProperties" and isinstance(child, Mapping):
                for name in child:
                    _note(found, f"{where}/{_escape(str(name))}", str(name))
            children.append((child, where))
        stack.extend(reversed(children))
    return list(found.values())


def _note(found: dict[str, tuple[str, str, str]], where: str, pattern: str) -> None:
    why = pattern_problem(pattern)
    if why is not None and pattern not in found:
        found[pattern] = (where, pattern, why)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


# -- uniqueItems -----------------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """*value* as JSON that two equal values (as JSON Schema compares them) share.

    Keys sorted, and a number that is whole written as an integer (``1.0`` is ``1``), while
    ``true`` stays ``true`` (JSON Schema holds ``true`` and ``1`` apart, as Python does not).
    """
    return json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"))


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    return value


def _unique_items(
    checker: Any, unique: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not unique or not checker.is_type(instance, "array"):
        return
    seen: dict[str, int] = {}
    for index, item in enumerate(instance):
        try:
            key = canonical_json(item)
        except (TypeError, ValueError, RecursionError):
            continue  # not JSON (never from a parsed payload): nothing to compare
        if key in seen:
            yield ValidationError(f"has non-unique elements (items {seen[key]} and {index})")
            return
        seen[key] = index


# -- pattern, patternProperties, additionalProperties -------------------------------------


def _pattern(
    checker: Any, pattern: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if (
        isinstance(pattern, str)
        and checker.is_type(instance, "string")
        and search(pattern, instance) is False
    ):
        shown = instance if len(instance) <= 80 else instance[:77] + "..."
        yield ValidationError(f"{shown!r} does not match {pattern!r}")


def _pattern_properties(
    checker: Any, patterns: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not checker.is_type(instance, "object") or not isinstance(patterns, Mapping):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(str(pattern), key):
                yield from checker.descend(value, subschema, path=key, schema_path=pattern)


def _additional(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    patterns = [str(p) for p in schema.get("patternProperties", {})]
    return [
        key
        for key in instance
        if key not in properties and not any(search(pattern, key) for pattern in patterns)
    ]


def _additional_properties(
    checker: Any, allowed: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not checker.is_type(instance, "object"):
        return
    extras = _additional(instance, schema)
    if checker.is_type(allowed, "object"):
        for extra in extras:
            yield from checker.descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in sorted(extras))
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            yield ValidationError(f"{joined} {verb} not match any of the regexes: {patterns}")
        else:
            joined = ", ".join(repr(extra) for extra in sorted(extras, key=str))
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(
                f"Additional properties are not allowed ({joined} {verb} unexpected)"
            )


_KEYWORDS = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "uniqueItems": _unique_items,
}


@functools.cache
def _linear(base: type[Validator]) -> type[Validator]:
    """*base* (one draft's validator class) with the keywords above in place of its own."""
    words = {word: check for word, check in _KEYWORDS.items() if word in base.VALIDATORS}
    return extend(base, words)  # type: ignore[no-untyped-call,no-any-return,unused-ignore]


# -- Formats --------------------------------------------------------------------------------

#: The formats checked: ones that the standard library checks in linear time, so that a
#: payload gets the same warnings wherever the docs are built.
FORMATS = FormatChecker(formats=())

_DATE_TIME = (
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:"
    r"([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
)
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _full(pattern: str, value: str) -> bool:
    compiled, _ = _compiled("^(?:" + pattern + ")$")
    return compiled is not None and compiled.search(fix_surrogates(value)) is not None


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    # RFC 3339's date-time, as JSON Schema defines it.
    return not isinstance(value, str) or _full(_DATE_TIME, value)


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return _full(_DATE, value) and bool(datetime.date.fromisoformat(value))


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or "@" in value


@FORMATS.checks("ipv4", raises=ipaddress.AddressValueError)
def _is_ipv4(value: object) -> bool:
    return not isinstance(value, str) or bool(ipaddress.IPv4Address(value))


@FORMATS.checks("ipv6", raises=ipaddress.AddressValueError)
def _is_ipv6(value: object) -> bool:
    if not isinstance(value, str):
        return True
    address = ipaddress.IPv6Address(value)
    return not getattr(address, "scope_id", "")


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    uuid.UUID(value)
    return all(value[position] == "-" for position in (8, 13, 18, 23))


@FORMATS.checks("regex")
def _is_regex(value: object) -> bool:
    # Valid when RE2 runs it, or when it only uses what RE2 lacks (a look-around): Python's
    # re compiles it without running it, which takes time linear in the pattern.
    if not isinstance(value, str) or pattern_problem(value) is None:
        return True
    if len(value) > MAX_PATTERN_LENGTH:
        return False
    try:
        re.compile(value)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def validator(schema: Any, registry: Any = None) -> Validator:
    """A ``jsonschema`` validator of *schema* (2020-12 unless its ``$schema`` says otherwise)
    whose regular expressions and ``uniqueItems`` run in linear time, resolving its ``$ref``s
    in *registry* when one is given. :class:`SchemaTooLarge` when its check could cost too
    much."""
    cls = _linear(validator_for(schema, default=Draft202012Validator))
    if registry is None:
        # A part checked through a registry is inside a whole schema measured before.
        check_expansion(schema)
        return cls(schema, format_checker=FORMATS)
    return cls(schema, format_checker=FORMATS, registry=registry)
