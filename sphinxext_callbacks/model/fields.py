"""The field model: what every source is read into and what the renderer reads.

Nothing here knows about docutils or Sphinx. Readers (the inline body, field-list
files, JSON Schema, OpenAPI, AsyncAPI) produce :class:`Callback` objects; the
renderer turns them into nodes. Values are plain, immutable and picklable so that
they can cross ``-j`` process boundaries and live in the environment.
"""

from __future__ import annotations

import dataclasses
import enum
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sphinxext_callbacks.model.jsontypes import JsonTypes
from sphinxext_callbacks.model.paths import Path, format_path, is_under
from sphinxext_callbacks.model.paths import depth as path_depth

#: How a description (or a format text) is written.
#: ``document`` means "in the markup of the document that shows it" (reST or MyST).
Markup = Literal["document", "rst", "markdown", "text"]


class _Missing(enum.Enum):
    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


#: A JSON number.
Number = int | float

#: The constraint attributes of :class:`Field` and the JSON Schema keyword of each.
CONSTRAINTS: dict[str, str] = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusive_minimum": "exclusiveMinimum",
    "exclusive_maximum": "exclusiveMaximum",
    "multiple_of": "multipleOf",
    "pattern": "pattern",
    "min_items": "minItems",
    "max_items": "maxItems",
}

#: Marks an ``example`` or ``default`` that was not given (``None`` is JSON ``null``).
MISSING = _Missing.MISSING


#: The key of the one row of a body that is not an object (a string, a list of numbers).
BODY_KEY = "(body)"
BODY_PATH: Path = (BODY_KEY,)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a field read from a file stands: the file (as the author names it), a JSON
    Pointer there, and the line when it is known."""

    file: str
    pointer: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Origin, (self.file, self.pointer, self.line))


@dataclass(frozen=True, slots=True)
class Choice:
    """One ``oneOf``/``anyOf`` alternative that a field belongs to.

    The table shows the rows of each alternative as a labelled group. Rows are in the same
    group while their choices are equal; ``group_id`` tells apart two groups that follow
    each other, or the same label in two groups.
    """

    #: The alternative's name: its title, discriminator value, ``const`` or ``$ref`` name.
    #: ``None``: it has none, and is shown as "Option N".
    label: str | None
    #: Which alternative of its group it is, from 0.
    index: int
    #: How many alternatives its group has.
    count: int
    #: The path of the object whose ``oneOf``/``anyOf`` it is: ``()`` for the body itself,
    #: ``("data",)`` or ``("data", "items", "[]")`` for a property's.
    owner: Path = ()
    #: Which of the owner's groups it is (an object may have several, through ``allOf``).
    group: int = 0

    @property
    def group_id(self) -> tuple[Path, int]:
        """The group's identity among the groups of the same enclosing alternative."""
        return (self.owner, self.group)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # As Field's: the environment pickles these with every field.
        return (Choice, (self.label, self.index, self.count, self.owner, self.group))


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a callback's JSON body: one row of a table."""

    #: The key, as segments (``model.paths``): ``("data", "items", "[]", "id")``.
    path: Path
    description: str = ""
    #: The markup ``description`` is written in.
    markup: Markup = "text"
    #: Display text for the Format cell, in the document's inline markup. ``None``: derive it.
    format: str | None = None
    #: The JSON types of the value (``null`` aside: see ``nullable``); ``None``: not said.
    types: JsonTypes | None = None
    #: The JSON Schema ``format`` keyword (``uuid``, ``date-time``, ...).
    json_format: str | None = None
    enum: tuple[Any, ...] = ()
    example: Any = MISSING
    default: Any = MISSING
    required: bool = False
    nullable: bool = False
    #: ``True``, or the deprecation text.
    deprecated: bool | str = False
    since: str | None = None
    #: The ``oneOf``/``anyOf`` alternatives this field belongs to, outermost first.
    alternatives: tuple[Choice, ...] = ()
    #: Line offset of the entry in the directive body (inline entries only).
    line: int | None = None
    #: Where a field read from a file came from.
    origin: Origin | None = None
    #: What some enum values mean: ``(value, description)`` pairs, in enum order.
    #: The descriptions are in ``markup``, like ``description``.
    enum_descriptions: tuple[tuple[Any, str], ...] = ()
    # Constraints, named after their JSON Schema keywords (``minLength``...), shown in plain
    # words after the format. ``None``: not constrained.
    min_length: int | None = None
    max_length: int | None = None
    minimum: Number | None = None
    maximum: Number | None = None
    exclusive_minimum: Number | None = None
    exclusive_maximum: Number | None = None
    multiple_of: Number | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None

    def with_description(self, text: str) -> Field:
        """This field with another description in the same markup (an enum value's, say)."""
        return replace(self, description=text)

    @property
    def key(self) -> str:
        """The key as people read and write it: ``data.items[].id``, ``a."b.c"``."""
        return format_path(self.path)

    @property
    def depth(self) -> int:
        """How deep the field is nested: 0 for a top-level key."""
        return path_depth(self.path)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # The environment pickles every field of every table on every build: the
        # __getstate__/__setstate__ that dataclasses give frozen slotted classes call
        # fields() per object, which made pickling them twice as slow.
        return (Field, _FIELD_VALUES(self))


_FIELD_VALUES = operator.attrgetter(*(f.name for f in dataclasses.fields(Field)))


class Note(str):
    """A note for under a table: its English text, which the renderer can translate.

    A ``str`` (the English text), so that notes compare, print and fingerprint as text, that
    also keeps its ``message`` with ``%s`` placeholders and the ``args`` that fill them in:
    the renderer looks ``message`` up in the extension's catalogue. ``pybabel extract`` finds
    the messages of ``Note(...)`` calls (``tox -e messages``).
    """

    message: str
    args: tuple[str, ...]

    def __new__(cls, message: str, *args: str) -> Note:
        note = super().__new__(cls, message % args if args else message)
        note.message = message
        note.args = args
        return note

    def __getnewargs__(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.message, *self.args)


@dataclass(frozen=True, slots=True)
class SpecExample:
    """An example payload a source gives itself (an OpenAPI media type's named example)."""

    value: Any
    #: Its name in the source (``:example: NAME`` picks it), ``""`` when it has none.
    name: str = ""
    #: What the source says it shows: the caption of its code block.
    summary: str = ""


@dataclass(slots=True)
class Callback:
    """Everything a source says about one callback message."""

    fields: list[Field] = field(default_factory=list)
    caption: str | None = None
    #: Short notes shown under the table, e.g. the media type or "other keys may appear".
    notes: list[str] = field(default_factory=list)
    #: Absolute paths of every file read to build this callback ($ref'd files included).
    files: set[str] = field(default_factory=set)
    #: The callback's own words (an operation's and its request body's ``description``,
    #: a message's), in ``description_markup``: shown with ``:show-description:``.
    description: str = ""
    description_markup: Markup = "markdown"
    #: The webhook, callback or message itself is deprecated.
    deprecated: bool = False
    #: The payload's JSON Schema (2020-12, self-contained, JSON values only): the source's
    #: own, bundled. ``None``: make one from the fields (``model.json_schema.fields_schema``).
    schema: dict[str, Any] | None = None
    #: The source's own example payloads, in its order.
    examples: tuple[SpecExample, ...] = ()


_SENTENCE_END = (". ", "! ", "? ")


def short_caption(text: str | None) -> str | None:
    """A source's summary or title as a caption: its first line, up to the end of its first
    sentence, with runs of spaces made one. ``None`` when it has no words."""
    if not isinstance(text, str):
        return None
    line = next((line.strip() for line in text.strip().splitlines() if line.strip()), "")
    ends = [line.find(end) for end in _SENTENCE_END if line.find(end) > 0]
    if ends:
        line = line[: min(ends) + 1]
    return " ".join(line.split()) or None


def _language_keys(code: str) -> tuple[str, ...]:
    # Sphinx spells regional languages "pt_BR"; data files often say "pt-BR" or "pt".
    code = code.strip().lower().replace("-", "_")
    return (code, code.split("_", 1)[0]) if code else ()


def localised(value: Any, language: str = "en", default: str = "en") -> Any:
    """The text of *value* in *language*, when *value* is a per-language mapping.

    ``{en: ..., cy: ...}`` gives the *language* text, else the *default* language's,
    else the first text; any other value is returned as it is. Codes match without
    regard to case, ``-``/``_``, or a region the mapping does not have (``cy_GB``: ``cy``).
    """
    if not isinstance(value, Mapping) or not value:
        return value
    by_code = {str(key).strip().lower().replace("-", "_"): text for key, text in value.items()}
    for code in (*_language_keys(language), *_language_keys(default)):
        if code in by_code:
            return by_code[code]
    return next(iter(value.values()))


def select_fields(
    fields: list[Field],
    include: tuple[Path, ...] = (),
    exclude: tuple[Path, ...] = (),
    depth: int | None = None,
) -> list[Field]:
    """The fields a table keeps: ``include`` and ``exclude`` by path (with their children)."""
    if include:
        fields = [f for f in fields if _within(f.path, include)]
    if exclude:
        fields = [f for f in fields if not _within(f.path, exclude)]
    if depth is not None:
        fields = [f for f in fields if f.depth <= depth]
    return fields


def _within(path: Path, parents: tuple[Path, ...]) -> bool:
    return any(path == parent or is_under(path, parent) for parent in parents)
