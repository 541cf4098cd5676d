"""Field-list files: fields written out by hand in YAML, JSON or TOML.

The shapes accepted::

    - key: id                      # a list of fields
      description: Notify's id
    fields: [...]                  # a mapping with "fields" (and maybe "caption")
    callbacks:                     # several named entries, one selected by a pointer
      delivery-receipt: {caption: ..., fields: [...]}

Descriptions are in the markup of the document that shows them (``markup="document"``).
Children (``fields`` under a field) become dotted keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sphinxext_callbacks.model.facts import constraints_of, with_format_facts
from sphinxext_callbacks.model.fields import CONSTRAINTS, MISSING, Field, Origin, localised
from sphinxext_callbacks.model.jsontypes import parse_types
from sphinxext_callbacks.model.paths import Path, PathError, format_path, parse_path
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.readers.reader import Reading, Selection

__all__ = ["FIELD_KEYS", "FieldListReader", "field_list_fields", "is_field_list", "named_entries"]

#: The keys a field mapping may have.
FIELD_KEYS = frozenset(
    {
        "key",
        "description",
        "format",
        "type",
        "enum",
        "example",
        "default",
        "required",
        "nullable",
        "deprecated",
        "since",
        "fields",
        *CONSTRAINTS.values(),
    }
)

_MAX_DEPTH = 32

#: What each constraint keyword takes, for the problem of a value that makes no sense.
_CONSTRAINT_VALUES = {
    "minLength": "must be a whole number of 0 or more",
    "maxLength": "must be a whole number of 0 or more",
    "minItems": "must be a whole number of 0 or more",
    "maxItems": "must be a whole number of 0 or more",
    "minimum": "must be a number",
    "maximum": "must be a number",
    "exclusiveMinimum": "must be a number",
    "exclusiveMaximum": "must be a number",
    "multipleOf": "must be a number greater than 0",
    "pattern": "must be a regular expression (text)",
}


def is_field_list(value: Any) -> bool:
    """Whether *value* is a list of fields or a mapping with ``fields``."""
    if isinstance(value, list):
        # Any list is read as fields, so that a bad entry gets its own located problem.
        return not any(isinstance(item, Mapping) and "properties" in item for item in value)
    # A "type" says it is some schema's record (Avro's {"type": "record", "fields": [...]}).
    return (
        isinstance(value, Mapping) and isinstance(value.get("fields"), list) and "type" not in value
    )


def named_entries(value: Any) -> list[str]:
    """The names of the field lists a mapping holds (``{name: {fields: [...]}}``), if any.

    Looks one level further too, so that ``{callbacks: {name: {fields: ...}}}`` gives
    ``callbacks/name``: what the author should put after ``#/``.
    """
    names: list[str] = []
    if not isinstance(value, Mapping):
        return names
    for name, entry in value.items():
        if is_field_list(entry):
            names.append(str(name))
        elif isinstance(entry, Mapping):
            names.extend(f"{name}/{inner}" for inner, sub in entry.items() if is_field_list(sub))
    return names


def _text(value: Any, languages: tuple[str, str] = ("en", "en")) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        # A per-language mapping ({en: ..., cy: ...}).
        chosen = localised(value, *languages)
        return "" if isinstance(chosen, Mapping) else _text(chosen)
    return str(value)


def field_list_fields(
    value: Any, origin: str, *, language: str = "en", default_language: str = "en"
) -> tuple[list[Field], str | None, list[Problem]]:
    """The fields of a field list, its caption, and problems (subtype ``schema``).

    *origin* is ``relpath#/pointer`` of *value*; each field's origin extends it. A
    description or caption may be a per-language mapping (``{en: ..., cy: ...}``):
    *language*'s text is shown, else *default_language*'s.
    """
    languages = (language, default_language)
    caption: str | None = None
    problems: list[Problem] = []
    fields: list[Field] = []
    base = origin
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - {"fields", "caption", "description", "name"})
        if unknown:
            problems.append(
                Problem(
                    "schema",
                    f"{origin}: unknown key(s) {', '.join(unknown)}; "
                    "a field list has fields and caption",
                )
            )
        if isinstance(value.get("caption"), (str, Mapping)):
            caption = _text(value["caption"], languages) or None
        items = value.get("fields")
        base = f"{origin}/fields"
    else:
        items = value
    if not isinstance(items, list):
        return [], caption, [Problem("schema", f"{origin} is not a list of fields")]
    _read(items, (), base, 0, fields, problems, languages)
    if not fields and not problems:
        problems.append(Problem("schema", f"{origin} has no fields"))
    return fields, caption, problems


def _read(
    items: list[Any],
    prefix: Path,
    origin: str,
    depth: int,
    fields: list[Field],
    problems: list[Problem],
    languages: tuple[str, str],
) -> None:
    if depth > _MAX_DEPTH:
        problems.append(Problem("schema", f"{origin}: fields nested more than {_MAX_DEPTH} deep"))
        return
    for index, entry in enumerate(items):
        where = f"{origin}/{index}"
        path = _entry_path(entry, prefix, where, problems)
        if path is None:
            continue
        name = f"{where} ({format_path(path)})"
        # The format text is shown as written; what it states (an enum, a format name) is a
        # fact for examples and checks too.
        fields.append(with_format_facts(_field(entry, path, where, name, problems, languages)))
        children = entry.get("fields")
        if isinstance(children, list):
            _read(children, path, f"{where}/fields", depth + 1, fields, problems, languages)
        elif children is not None:
            problems.append(Problem("schema", f"{name}: fields must be a list"))


def _entry_path(entry: Any, prefix: Path, where: str, problems: list[Problem]) -> Path | None:
    """The path of the field ``entry`` describes, or ``None`` (and a problem) if it has none."""
    if not isinstance(entry, Mapping):
        problems.append(Problem("schema", f"{where}: a field must be a mapping with a key"))
        return None
    key = entry.get("key")
    if not isinstance(key, (str, int)) or isinstance(key, bool) or not str(key).strip():
        problems.append(Problem("schema", f"{where}: the field has no key"))
        return None
    try:
        return (*prefix, *parse_path(str(key)))
    except PathError as error:
        problems.append(Problem("schema", f"{where}: {error}"))
        return None


def _field(
    entry: Mapping[str, Any],
    path: Path,
    where: str,
    name: str,
    problems: list[Problem],
    languages: tuple[str, str],
) -> Field:
    """The field of one entry; what is wrong with it goes to ``problems``."""
    unknown = sorted(str(k) for k in entry if k not in FIELD_KEYS)
    if unknown:
        close = ", ".join(sorted(FIELD_KEYS))
        hint = did_you_mean(unknown[0], FIELD_KEYS) if len(unknown) == 1 else ""
        problems.append(
            Problem("schema", f"{name}: unknown key(s) {', '.join(unknown)}{hint}; use {close}")
        )
    enum, meanings = _enum(entry, name, problems, languages)
    flags = {flag: _flag(entry, flag, name, problems) for flag in ("required", "nullable")}
    deprecated = entry.get("deprecated", False)
    if not isinstance(deprecated, bool):
        deprecated = _text(deprecated)
    since, text_format, kind = entry.get("since"), entry.get("format"), entry.get("type")
    constraints, bad = constraints_of(entry)
    problems.extend(
        Problem("schema", f"{name}: {keyword} {_CONSTRAINT_VALUES[keyword]}") for keyword in bad
    )
    typed = parse_types(_text(kind)) if kind is not None else None
    if kind is not None and typed is None:
        problems.append(
            Problem(
                "field",
                f"{name}: type {_text(kind)!r} is not a JSON type (string, integer, number, "
                "boolean, array, object, or 'array of string'); it is shown as the format",
            )
        )
        if text_format is None:
            text_format = kind
    return Field(
        path=path,
        description=_text(entry.get("description"), languages).strip(),
        markup="document",
        format=_text(text_format) if text_format is not None else None,
        types=typed[0] if typed else None,
        nullable=flags["nullable"] or bool(typed and typed[1]),
        enum=enum,
        example=entry.get("example", MISSING),
        default=entry.get("default", MISSING),
        required=flags["required"],
        deprecated=deprecated,
        since=_text(since) if since is not None else None,
        origin=Origin(*where.partition("#")[::2]),
        enum_descriptions=meanings,
        **constraints,
    )


def _enum(
    entry: Mapping[str, Any], name: str, problems: list[Problem], languages: tuple[str, str]
) -> tuple[tuple[Any, ...], tuple[tuple[Any, str], ...]]:
    """The entry's enum values, and the meaning of those that have one."""
    enum = entry.get("enum", ())
    if isinstance(enum, Mapping):
        # {value: what it means}: the values, each with its description.
        meanings = tuple(
            (value, text)
            for value, text in ((v, _text(d, languages).strip()) for v, d in enum.items())
            if text
        )
        return tuple(enum), meanings
    if not isinstance(enum, list | tuple):
        problems.append(Problem("schema", f"{name}: enum must be a list or a mapping"))
        return (), ()
    return tuple(enum), ()


def _flag(entry: Mapping[str, Any], flag: str, name: str, problems: list[Problem]) -> bool:
    """The entry's ``required`` or ``nullable``, which must be true or false."""
    raw = entry.get(flag, False)
    if not isinstance(raw, bool):
        problems.append(Problem("schema", f"{name}: {flag} must be true or false"))
        raw = bool(raw)
    return raw


class FieldListReader:
    """A field list file: ``fields: [{key: ..., description: ...}, ...]``, or the bare list."""

    name = "fieldlist"
    parts = frozenset({"body"})

    def recognises(self, selection: Selection) -> bool:
        """A list, or a mapping with a ``fields`` list (and no schema ``type``)."""
        return is_field_list(selection.target)

    def read(self, selection: Selection) -> Reading:
        """The fields, with their origins in the file."""
        request = selection.request
        fields, caption, problems = field_list_fields(
            selection.target,
            selection.refs.origin(selection.target_at),
            language=request.language,
            default_language=request.default_language,
        )
        return Reading(fields, caption, problems)
