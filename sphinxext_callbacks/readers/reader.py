"""What every source reader is given and gives back: the contract behind the registry.

:func:`~sphinxext_callbacks.readers.sources.read_source` does the work common to every
format (loading the file, selecting the pointer, following one ``$ref``) and hands a
:class:`Selection` to the first reader of the registry that recognises it. The reader
turns it into a :class:`Reading`; ``read_source`` then applies ``:depth:`` and the row
limit and says where each problem is in its file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sphinxext_callbacks.model.fields import Field, Markup, SpecExample
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers.refs import Location, Refs

__all__ = ["MAX_ROWS", "Reader", "Reading", "RequestFacts", "Selection", "SourceRequest"]


#: The most rows a table read from a file or spec shows (``callbacks_max_rows``'s default).
MAX_ROWS = 20_000


@dataclass(frozen=True)
class SourceRequest:
    """What a directive asks for: a file, a pointer into it, and what to pick there."""

    #: Absolute path of the file (the directive resolved it).
    path: str
    #: RFC 6901 pointer ("" is the whole document), ``~0``/``~1`` escapes, percent-decoded.
    pointer: str = ""
    srcdir: str = ""
    allowed_paths: tuple[str, ...] = ()
    webhook: str | None = None
    #: ``(operation_id or None, callback name)``.
    callback: tuple[str | None, str] | None = None
    #: AsyncAPI message name (or operation id).
    message: str | None = None
    #: ``body`` or ``headers``.
    part: str = "body"
    #: Keep keys nested at most this many levels (0: top-level keys only). ``None``: all.
    depth: int | None = None
    #: ``callbacks_max_rows``: past it, the table ends with a note.
    max_rows: int = MAX_ROWS
    #: Which text of a per-language mapping (``{en: ..., cy: ...}``) to pick, and the
    #: language to fall back to (Sphinx's ``language`` and ``callbacks_default_language``).
    language: str = "en"
    default_language: str = "en"


@dataclass(frozen=True)
class Selection:
    """A loaded document and the part of it a directive selected, ready for a reader."""

    request: SourceRequest
    #: The file as the author knows it (relative to the source directory).
    rel: str
    #: The whole loaded document.
    doc: Any
    root: Location
    #: What the pointer selected, and where.
    value: Any
    at: Location
    #: The same, seen through its ``$ref`` when it is one (a path item or schema may be).
    target: Any
    target_at: Location
    refs: Refs
    #: The markup descriptions are written in: Markdown in the OpenAPI/AsyncAPI family.
    markup: Markup

    def in_file(self, problem: Problem) -> Problem:
        """*problem* with the file's name in front."""
        return Problem(problem.subtype, f"{self.rel}: {problem.message}", problem.line)


@dataclass
class Reading:
    """What a reader read: the rows, a caption, problems, and notes for under the table."""

    fields: list[Field] = field(default_factory=list)
    caption: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: The callback's own text (Markdown) and whether it is deprecated as a whole.
    description: str = ""
    deprecated: bool = False
    #: The source's own schema of the payload, bundled, and its own examples.
    schema: dict[str, Any] | None = None
    examples: tuple[SpecExample, ...] = ()


@dataclass(frozen=True)
class RequestFacts:
    """What a callback says of itself beside its body and headers (``callback-request``)."""

    #: The ``summary`` and the ``description`` (the operation's and its request body's).
    summary: str
    description: str
    #: ``POST``; ``""`` when the operation was selected directly and its method is unknown.
    method: str
    #: A callback's URL expression (``{$request.body#/callbackUrl}``); ``""`` for a webhook.
    url: str
    #: Each response the provider expects back: status code and description, in order.
    responses: tuple[tuple[str, str], ...]
    deprecated: bool
    has_body: bool
    #: Whether ``:part: headers`` has something to show.
    has_headers: bool = False


class Reader(Protocol):
    """One source format (:mod:`.registry` says how another package adds one).

    A reader from another package may also have ``before``: the name of the reader it is
    asked before (``"jsonschema"`` when it has none).
    """

    #: A short name, for messages and for another reader's ``before``.
    name: str
    #: The ``:part:`` values it reads: ``body``, and ``headers`` if the format has them.
    parts: frozenset[str]

    def recognises(self, selection: Selection) -> bool:
        """Whether this format is what *selection* holds (cheap: no walk, no problems)."""
        ...

    def read(self, selection: Selection) -> Reading:
        """The fields of *selection*; what goes wrong is in ``Reading.problems``."""
        ...
