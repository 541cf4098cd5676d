"""Typed facts from what authors write: a Format text, and JSON Schema constraint keywords.

An inline entry's ``key : format`` (and a field-list file's ``format``) is display text, shown
exactly as written; :func:`parse_format` reads the facts it states, so that
examples and checks know an enum, an example, a format or nullability without re-reading the text:

- literals joined by the enum separator, ``,`` or ``or`` (````a`` | ``b````): an enum;
- a single literal (````42````): the example;
- a trailing ``or null``, ``or nil`` or the configured null text: nullable;
- a known format name (``UUID``, ``email address``, ``date-time``): that JSON Schema format.

Anything else states nothing. :func:`constraints_of` reads ``minLength``, ``maximum`` and the
other constraint keywords of a schema (or a field-list entry) into :class:`Field` attributes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from sphinxext_callbacks.model.fields import CONSTRAINTS, MISSING, Field
from sphinxext_callbacks.model.formats import FORMAT_NAMES
from sphinxext_callbacks.model.jsontypes import JsonTypes, parse_types

__all__ = ["FormatFacts", "FormatMarkup", "constraints_of", "parse_format", "with_format_facts"]

#: The inline markup of a Format text: how its literals are written.
FormatMarkup = Literal["rst", "markdown"]

#: The JSON type of a value of each format that is not a string.
_FORMAT_TYPES = {
    "int32": "integer",
    "int64": "integer",
    "unix-time": "integer",
    "float": "number",
    "double": "number",
}
_STRING = JsonTypes(("string",))

#: Every way of naming a format, lower case: its keyword and its readable name.
_FORMATS_BY_NAME: dict[str, str] = {}
for _keyword, _name in FORMAT_NAMES.items():
    _FORMATS_BY_NAME.setdefault(_name.lower(), _keyword)
    _FORMATS_BY_NAME.setdefault(_keyword, _keyword)


# Literals: text that does not start or end with a space between two backquotes (reST), or
# between one or two (Markdown's code spans, which MyST pages use). The text of a literal
# never runs over the next "``" (reST) or backquote (Markdown): from each start the pattern
# reads no further than that, so that even a search is linear.
_LITERALS = {
    "rst": re.compile(r"``(?P<text>\S|\S(?:[^`\n]|`(?!`))*?\S)``"),
    "markdown": re.compile(
        r"(?<!`)(?P<ticks>``?)(?!`)(?P<text>\S|\S[^`\n]*?\S)(?<!`)(?P=ticks)(?!`)"
    ),
}
_NULL_MARKERS = ("or null", "or nil")


@dataclass(frozen=True, slots=True)
class FormatFacts:
    """What a Format text states; empty when it is only words."""

    enum: tuple[Any, ...] = ()
    example: Any = MISSING
    nullable: bool = False
    json_format: str | None = None
    types: JsonTypes | None = None


def parse_format(
    text: str | None,
    separator: str = " | ",
    null_text: str = "or null",
    *,
    json_values: bool = False,
    markup: FormatMarkup = "markdown",
) -> FormatFacts:
    """The facts a Format text states.

    A literal is text, as ````shipped```` is: ````12345678```` is usually an id, not a number.
    With *json_values* (the field's type is a number or a boolean) a literal that is JSON
    is that value. A quoted literal (````"42"````) is always the string, ````null```` null.
    In *markup* ``rst`` a literal has two backquotes; ``markdown`` takes one or two.
    """
    if not text:
        return FormatFacts()
    rest, nullable = _strip_null(text.strip(), null_text)
    if not rest:
        return FormatFacts(nullable=nullable)
    keyword = _FORMATS_BY_NAME.get(" ".join(rest.lower().split()))
    if keyword is not None:
        kind = _FORMAT_TYPES.get(keyword)
        return FormatFacts(
            nullable=nullable,
            json_format=keyword,
            types=JsonTypes((kind,)) if kind else _STRING,
        )
    typed = parse_types(rest) if "`" not in rest else None
    if typed is not None:
        return FormatFacts(nullable=nullable or typed[1], types=typed[0])
    literals = _literals(rest, separator, markup)
    if literals is None:
        return FormatFacts(nullable=nullable)
    values = [_literal_value(literal, json_values) for literal in literals]
    if None in values:
        nullable = True
        values = [value for value in values if value is not None]
    if len(values) == 1 and len(literals) == 1:
        return FormatFacts(example=values[0], nullable=nullable)
    return FormatFacts(enum=tuple(values), nullable=nullable)


def _strip_null(text: str, null_text: str) -> tuple[str, bool]:
    lowered = text.lower()
    for marker in (null_text.strip().lower(), *_NULL_MARKERS):
        if marker and lowered.endswith(marker):
            before = text[: len(text) - len(marker)]
            # "or null" must be a phrase of its own, not the end of a word ("color null").
            if not before or before[-1].isspace() or before.endswith("``"):
                return before.rstrip().rstrip(",").rstrip(), True
    return text, False


def _literals(text: str, separator: str, markup: FormatMarkup) -> list[str] | None:
    """The literals of a text made only of literals and separators, else ``None``.

    Each literal is matched where the next backquote stands, never searched for: a search
    from every backquote of a text with many unclosed ones would take quadratic time.
    """
    separators = {separator.strip(), "|", ",", "or", ", or", ",or"}
    pattern = _LITERALS[markup]
    literals: list[str] = []
    position = 0
    while True:
        start = text.find("`", position)
        if start < 0:
            break
        between = " ".join(text[position:start].split())
        if (literals and between not in separators) or (not literals and between):
            return None
        match = pattern.match(text, start)
        if match is None:
            return None
        literals.append(match.group("text"))
        position = match.end()
    if not literals or text[position:].strip():
        return None
    return literals


def _literal_value(literal: str, json_values: bool) -> Any:
    if not (json_values or literal == "null" or literal.startswith('"')):
        return literal
    try:
        value = json.loads(literal, parse_constant=_refuse)
    except (ValueError, RecursionError):
        return literal
    if isinstance(value, float) and not math.isfinite(value):
        return literal  # 1e400 is no number a payload can hold: the text as written
    return value if isinstance(value, (str, int, float, bool)) or value is None else literal


def _refuse(word: str) -> Any:
    raise ValueError(word)  # NaN and Infinity are not JSON


def with_format_facts(
    field: Field,
    separator: str = " | ",
    null_text: str = "or null",
    markup: FormatMarkup = "markdown",
) -> Field:
    """*field* with the facts its ``format`` text states, where nothing more explicit gives them.

    *markup* is the page's (``rst`` or ``markdown``); ``markdown``'s literals, with one or two
    backquotes, suit a field-list file whose pages may be either.

    An explicit ``enum``, ``example``, ``type`` or ``json_format`` is kept; nullability adds up.
    """
    json_values = field.types is not None and field.types.is_number
    facts = parse_format(field.format, separator, null_text, json_values=json_values, markup=markup)
    changes: dict[str, Any] = {}
    if facts.nullable and not field.nullable:
        changes["nullable"] = True
    if facts.enum and not field.enum:
        changes["enum"] = facts.enum
    if facts.example is not MISSING and field.example is MISSING and not field.enum:
        changes["example"] = facts.example
    if facts.json_format and not field.json_format:
        changes["json_format"] = facts.json_format
    if facts.types is not None and field.types is None:
        changes["types"] = facts.types
    return replace(field, **changes) if changes else field


def constraints_of(schema: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The constraint attributes of a :class:`Field` that *schema*'s keywords give, and the
    keywords whose values make no sense (``minLength: -1``, ``pattern: 3``).

    Draft 4 and OpenAPI 3.0 write an exclusive bound as ``minimum`` with
    ``exclusiveMinimum: true``; it is read as the later drafts' ``exclusiveMinimum``.
    """
    values: dict[str, Any] = {}
    bad: list[str] = []
    for attribute, keyword in CONSTRAINTS.items():
        if keyword not in schema:
            continue
        value = schema[keyword]
        if keyword in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            continue  # the draft-4 flag, read with its bound below
        if _fits(attribute, value):
            values[attribute] = value
        else:
            bad.append(keyword)
    for bound, flag in (("minimum", "exclusive_minimum"), ("maximum", "exclusive_maximum")):
        if schema.get(CONSTRAINTS[flag]) is True and bound in values:
            values.setdefault(flag, values.pop(bound))
    return values, bad


def _fits(attribute: str, value: Any) -> bool:
    if attribute == "pattern":
        return isinstance(value, str) and bool(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if attribute in ("min_length", "max_length", "min_items", "max_items"):
        return isinstance(value, int) and value >= 0
    if attribute == "multiple_of":
        return value > 0
    return value == value and abs(value) != float("inf")  # not NaN or infinite
