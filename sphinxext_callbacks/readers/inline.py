"""Read the inline body of a ``callback-table`` into fields.

The body is written like a reST definition list (``docs/reference/directive.rst``, "The body")::

    key : format
       Description, any body markup.

       :required:
       :example: 12345678

The reader only splits lines: descriptions and formats stay text, and the
renderer parses them in the document's own markup (reST or MyST), so that the
same body works in both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sphinxext_callbacks.model.fields import MISSING, Field
from sphinxext_callbacks.model.jsontypes import parse_types
from sphinxext_callbacks.model.paths import Path, PathError, parse_path
from sphinxext_callbacks.model.plain import clean, parse_float, parse_int
from sphinxext_callbacks.model.problems import Problem, did_you_mean

#: The field attributes an entry may set, in a field list at the top of its description.
ATTRIBUTES = (
    "required",
    "nullable",
    "deprecated",
    "since",
    "example",
    "default",
    "type",
    "enum",
)

# A role such as :ref:`x` has a backtick right after its colon, so it never matches.
_ATTRIBUTE = re.compile(r"^:([A-Za-z][\w-]*):(?:\s+(.*))?$")
_TRUE = {"", "yes", "true", "1", "on"}
_FALSE = {"no", "false", "0", "off"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One field of the body, and where its parts stand in the body."""

    field: Field
    #: Offset of the term line in the body.
    term_line: int
    #: Offset of the description's first line (after the attribute field list).
    description_line: int


def parse_body(lines: Sequence[str]) -> tuple[list[Entry], list[Problem]]:
    """Split a directive body into entries, with a problem for each line that makes no sense."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[Path, int] = {}
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if line[0].isspace():
            start = index
            while index < count and (not lines[index].strip() or lines[index][0].isspace()):
                index += 1
            problems.append(
                Problem(
                    "field",
                    "indented text with no term line above it; start each entry with "
                    "an unindented 'key : format' line",
                    line=start,
                )
            )
            continue
        term_line = index
        index += 1
        block_start = index
        while index < count and (not lines[index].strip() or lines[index][0].isspace()):
            index += 1
        block = _dedent(lines[block_start:index])
        entry = _read_entry(line, term_line, block, block_start, problems)
        if entry is None:
            continue
        key = entry.field.path
        if key in seen:
            problems.append(
                Problem(
                    "field",
                    f"duplicate key {entry.field.key!r} (first defined on line "
                    f"{seen[key] + 1} of the body); remove or rename one of them",
                    line=term_line,
                )
            )
            continue
        seen[key] = term_line
        entries.append(entry)
    return entries, problems


def _dedent(block: Sequence[str]) -> list[str]:
    end = len(block)
    while end and not block[end - 1].strip():
        end -= 1
    block = block[:end]
    indents = [len(text) - len(text.lstrip()) for text in block if text.strip()]
    cut = min(indents, default=0)
    return [text[cut:] for text in block]


def _split_term(term: str) -> tuple[str, str | None]:
    term = term.strip()
    if term.startswith(":") and not term.startswith(": "):
        return "", None
    if term == ":" or term.startswith(": "):
        return "", term[1:].strip() or None
    key, sep, format_ = term.partition(" : ")
    if not sep and term.endswith(" :"):
        key = term[:-2]
    key = key.strip()
    if len(key) > 4 and key.startswith("``") and key.endswith("``"):
        key = key[2:-2]
    return key, (format_.strip() or None) if sep else None


def _read_entry(
    term: str, term_line: int, block: list[str], block_start: int, problems: list[Problem]
) -> Entry | None:
    key, format_ = _split_term(term)
    if not key:
        problems.append(
            Problem(
                "field",
                f"term line {term.strip()!r} has no key; write it as 'key : format'",
                line=term_line,
            )
        )
        return None
    if any(char.isspace() for char in key):
        problems.append(
            Problem(
                "field",
                f"key {key!r} contains spaces; separate the format from the key with ' : '",
                line=term_line,
            )
        )
        return None
    try:
        path = parse_path(key)
    except PathError as error:
        problems.append(Problem("field", str(error), line=term_line))
        return None
    attributes: dict[str, Any] = {}
    used = 0
    for used, text in enumerate(block):
        match = _ATTRIBUTE.match(text)
        if not match:
            break
        name, value = match.group(1), (match.group(2) or "").strip()
        _read_attribute(name, value, attributes, block_start + used, problems)
    else:
        used = len(block)
    description = block[used:]
    while description and not description[0].strip():
        description = description[1:]
        used += 1
    field = Field(
        path=path,
        description="\n".join(description),
        markup="document",
        format=format_,
        line=term_line,
        **attributes,
    )
    return Entry(field, term_line, block_start + used)


def _read_attribute(
    name: str, value: str, attributes: dict[str, Any], line: int, problems: list[Problem]
) -> None:
    if name not in ATTRIBUTES:
        problems.append(
            Problem(
                "field",
                f"unknown field attribute ':{name}:'{did_you_mean(name, ATTRIBUTES)} "
                f"(known attributes: {', '.join(':' + a + ':' for a in ATTRIBUTES)})",
                line=line,
            )
        )
        return
    if name in ("required", "nullable"):
        lowered = value.lower()
        if lowered in _TRUE or lowered in _FALSE:
            attributes[name] = lowered in _TRUE
        else:
            problems.append(
                Problem(
                    "field",
                    f"':{name}:' takes no value (or 'yes'/'no'), not {value!r}",
                    line=line,
                )
            )
    elif name == "deprecated":
        attributes[name] = value or True
    elif name == "type":
        typed = parse_types(value) if value else None
        if typed is not None:
            attributes["types"] = typed[0]
            if typed[1]:
                attributes["nullable"] = True
        else:
            problems.append(
                Problem(
                    "field",
                    f"':type:' takes JSON types (string, integer, number, boolean, array, "
                    f"object, 'array of string', 'string or null'), not {value!r}",
                    line=line,
                )
            )
    elif name == "since":
        if value:
            attributes[name] = value
        else:
            problems.append(Problem("field", f"':{name}:' needs a value", line=line))
    elif name == "enum":
        values = parse_enum(value)
        if values:
            attributes[name] = values
        else:
            problems.append(
                Problem(
                    "field",
                    "':enum:' needs values: a JSON list, or words between commas",
                    line=line,
                )
            )
    else:  # example, default
        attributes[name] = parse_value(value) if value else MISSING
        if not value:
            problems.append(Problem("field", f"':{name}:' needs a value", line=line))


def parse_enum(text: str) -> tuple[Any, ...]:
    """``:enum:``'s values: a JSON list (``["a", 1]``), else words between commas (``a, b``),
    each of them JSON when it is JSON (``1``, ``true``) and text otherwise."""
    if text.startswith("["):
        values = parse_value(text)
        if isinstance(values, list):
            return tuple(values)
    return tuple(parse_value(word.strip()) for word in text.split(",") if word.strip())


def parse_value(text: str) -> Any:
    """An attribute value as JSON when it is JSON (``42``, ``"42"``, ``null``), else as text."""
    try:
        value = json.loads(
            text, parse_constant=_as_text, parse_float=parse_float, parse_int=parse_int
        )
    except (ValueError, RecursionError):
        # Also a number no float holds (1e400): the attribute stays the text written.
        return text
    return clean(value)[0]


def _as_text(word: str) -> Any:
    # NaN and Infinity are not JSON: the attribute stays the text the author wrote.
    raise ValueError(word)
