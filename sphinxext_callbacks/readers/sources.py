"""The one entry point the directives call: read a ``:source:`` into a :class:`Callback`.

:func:`read_source` does what every format needs: it loads the file (once per build,
through :class:`FileCache`), applies the pointer, follows one ``$ref`` of what it
selected, and hands the :class:`~sphinxext_callbacks.readers.reader.Selection` to the
first reader of the :mod:`~sphinxext_callbacks.readers.registry` that recognises it.
It then keeps ``:depth:`` and the row limit, and says at which line of its file each
problem is. Everything that goes wrong comes back as :class:`Problem` values; no
exception escapes for bad input.

It is a pure function of the request and the files: remembering results between
directives and builds is :mod:`sphinxext_callbacks.sphinx_ext.tracking`'s job.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from sphinxext_callbacks.model.fields import Callback, Markup, short_caption
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.fieldlist import named_entries
from sphinxext_callbacks.readers.files import FileCache, display_path
from sphinxext_callbacks.readers.reader import Reading, RequestFacts, Selection, SourceRequest
from sphinxext_callbacks.readers.refs import Location, Refs
from sphinxext_callbacks.readers.registry import Registry, reader_for
from sphinxext_callbacks.readers.schema import TABLE_STOPS, foreign_type

__all__ = ["FactsResult", "SourceRequest", "SourceResult", "read_facts", "read_source"]

_PARTS = ("body", "headers")
_NO_HEADERS = ":part: headers needs an OpenAPI operation or callback, or an AsyncAPI message"


@dataclass
class SourceResult:
    """What reading gave: the callback (``None`` when nothing could be read) and problems."""

    callback: Callback | None
    problems: list[Problem]
    #: Every absolute path read or attempted (the directive notes each as a dependency).
    files: set[str] = field(default_factory=set)


@dataclass
class FactsResult:
    """What :func:`read_facts` gave: the facts (``None`` when none could be read), problems."""

    facts: RequestFacts | None
    problems: list[Problem]
    files: set[str] = field(default_factory=set)


def read_source(
    request: SourceRequest, cache: FileCache, registry: Registry | None = None
) -> SourceResult:
    """Read the fields *request* selects, with a reader of *registry* (the installed
    readers'). Never raises for bad input."""
    try:
        result = _read(request, cache, registry)
    except RecursionError:
        # Every walk is bounded; this is the last line of defence, not a code path.
        result = SourceResult(
            None,
            [Problem("schema", f"{request.path}: nested too deeply to read")],
            {os.path.abspath(request.path)},
        )
    result.problems = [
        _with_position(p, result.files, request.srcdir, cache) for p in result.problems
    ]
    return result


def _read(request: SourceRequest, cache: FileCache, registry: Registry | None) -> SourceResult:
    selected = _select(request, cache)
    if isinstance(selected, SourceResult):
        return selected
    selection, warnings = selected
    reader = reader_for(selection, registry)
    if request.part not in (reader.parts if reader is not None else ("body",)):
        reading = Reading(problems=[Problem("option", _NO_HEADERS)])
    elif reader is None:
        reading = Reading(problems=[_what_is_it(selection)])
    else:
        reading = reader.read(selection)
    return _result(request, selection.rel, reading, selection.refs, warnings)


def read_facts(
    request: SourceRequest, cache: FileCache, registry: Registry | None = None
) -> FactsResult:
    """What the callback *request* selects says of itself (summary, request line,
    responses), for ``callback-request``, with a reader of *registry* (the installed
    readers'). Never raises for bad input."""
    try:
        selected = _select(request, cache)
    except RecursionError:
        return FactsResult(None, [Problem("schema", f"{request.path}: nested too deeply")])
    if isinstance(selected, SourceResult):
        return FactsResult(None, selected.problems, selected.files)
    selection, warnings = selected
    reader = reader_for(selection, registry)
    facts_of = getattr(reader, "facts", None)
    files = {os.path.abspath(request.path)}
    if facts_of is None:
        problem = _what_is_it(selection) if reader is None else None
        return FactsResult(None, [problem] if problem else [], files | selection.refs.files)
    found = facts_of(selection)
    problems = [*warnings, *selection.refs.warnings]
    if isinstance(found, Problem):
        return FactsResult(None, [*problems, found], files | selection.refs.files)
    return FactsResult(found, problems, files | selection.refs.files)


def _select(
    request: SourceRequest, cache: FileCache
) -> tuple[Selection, tuple[Problem, ...]] | SourceResult:
    """The part of its file that *request* selects, or what went wrong."""
    path = os.path.abspath(request.path)
    rel = display_path(path, request.srcdir)

    def fail(problem: Problem) -> SourceResult:
        return SourceResult(None, [problem], {path})

    if request.part not in _PARTS:
        return fail(
            Problem(
                "option",
                f"unknown :part: {request.part!r}{did_you_mean(request.part, _PARTS)}"
                "; use body or headers",
            )
        )
    chosen = [request.webhook, request.callback, request.message]
    if sum(option is not None for option in chosen) > 1:
        return fail(Problem("option", "give only one of :webhook:, :callback: and :message:"))
    loaded = cache.load(path, srcdir=request.srcdir, allowed_paths=request.allowed_paths)
    if loaded.problem is not None:
        return fail(loaded.problem)
    doc = loaded.data
    refs = Refs(cache, request.srcdir, request.allowed_paths)
    root = refs.root(path, doc)
    selected = pointers.select(doc, request.pointer, rel)
    at = _locate(root, request.pointer)
    if isinstance(selected, Problem):
        # A multi-file spec's pointer may pass through a $ref (a path item in a file of
        # its own): walk it again, following them.
        through = _select_through_refs(doc, root, request.pointer, refs)
        if through is None:
            return fail(selected)
        if isinstance(through, Problem):
            return fail(through)
        selected, at = through
    if isinstance(doc, Mapping) and "swagger" in doc:
        return fail(Problem("schema", f"{rel} is Swagger 2.0; only OpenAPI 3.0 and 3.1 are read"))
    target, target_at = selected, at
    if isinstance(selected, Mapping) and isinstance(selected.get("$ref"), str):
        followed = refs.follow(selected["$ref"], at)
        if isinstance(followed, Problem):
            return _result(request, rel, Reading(problems=[followed]), refs, loaded.warnings)
        target, target_at = followed
    family = isinstance(doc, Mapping) and any(
        k in doc for k in ("openapi", "asyncapi", "components")
    )
    markup: Markup = "markdown" if family else "text"
    selection = Selection(request, rel, doc, root, selected, at, target, target_at, refs, markup)
    return selection, loaded.warnings


def _result(
    request: SourceRequest,
    rel: str,
    reading: Reading,
    refs: Refs,
    warnings: tuple[Problem, ...] = (),
) -> SourceResult:
    """The callback a reader's rows make, within ``:depth:`` and the row limit."""
    files = {os.path.abspath(request.path)} | refs.files
    fields, problems = reading.fields, [*warnings, *refs.warnings, *reading.problems]
    if request.depth is not None:
        fields = [f for f in fields if f.depth <= request.depth]
    notes = reading.notes
    if len(fields) > request.max_rows:
        fields = fields[: request.max_rows]
        problems.append(
            Problem(
                "schema",
                f"{rel}: the table stops after {request.max_rows:,} rows (callbacks_max_rows); "
                "select a smaller part with a pointer, limit :depth:, or raise the limit",
            )
        )
        notes = [*notes, TABLE_STOPS] if TABLE_STOPS not in notes else notes
    callback = (
        Callback(
            fields=fields,
            caption=short_caption(reading.caption),
            notes=notes,
            files=set(files),
            description=reading.description,
            deprecated=reading.deprecated,
            schema=reading.schema,
            examples=reading.examples,
        )
        if fields
        else None
    )
    return SourceResult(callback, problems, files)


def _select_through_refs(
    doc: Any, root: Location, pointer: str, refs: Refs
) -> tuple[Any, Location] | Problem | None:
    """The value at *pointer*, following each ``$ref`` the walk meets where the next key
    is missing; ``None`` when there is none to follow (the plain walk's problem stands)."""
    value: Any = doc
    at = root
    crossed = False
    for segment in pointers.split(unquote(pointer)):
        if isinstance(value, Mapping) and segment not in value:
            ref = value.get("$ref")
            if not isinstance(ref, str):
                return None
            followed = refs.follow(ref, at)
            if isinstance(followed, Problem):
                return followed
            value, at = followed
            crossed = True
        found, value = pointers.child(value, segment)
        if not found:
            return None
        at = (
            at.child(segment)
            if crossed
            else _locate(root, at.pointer + "/" + pointers.escape(segment))
        )
    if not crossed or not isinstance(value, (Mapping, list)):
        return None
    return value, at


def _locate(root: Location, pointer: str) -> Location:
    """The location of *pointer*, with the resolver ``referencing`` gives there ($id scopes)."""
    if not pointer:
        return root
    from referencing.exceptions import Unresolvable  # see readers.refs: imported when used

    try:
        resolved = root.resolver.lookup("#" + pointer)
    except (Unresolvable, ValueError, TypeError, LookupError, AttributeError):
        # referencing assumes well-formed schemas ({"$id": false} is not one).
        return Location(root.resolver, root.uri, unquote(pointer))
    return Location(resolved.resolver, root.uri, unquote(pointer))


def _what_is_it(selection: Selection) -> Problem:
    """Why no reader took the selected value, and what the author may select instead."""
    value, pointer = selection.target, selection.request.pointer
    where = f"{selection.rel}#{pointer}" if pointer else selection.rel
    foreign = foreign_type(value)
    if foreign is not None:
        return Problem(
            "schema",
            f"{where} is not a format this extension reads: its type {foreign!r} is not a "
            "JSON Schema type (an Avro schema?); select a JSON Schema, a field list, or an "
            "OpenAPI or AsyncAPI part",
        )
    entries = named_entries(value)
    if entries:
        listed = ", ".join(f"#{pointer}/{name}" for name in entries[:20])
        return Problem("source", f"{where} holds several field lists; select one: {listed}")
    if isinstance(value, Mapping) and ("openapi" in value or "paths" in value):
        hooks = [
            str(name)
            for key in ("webhooks", "x-webhooks")
            if isinstance(value.get(key), Mapping)
            for name in value[key]
        ]
        hint = f" (webhooks: {', '.join(hooks)})" if hooks else ""
        return Problem(
            "option",
            f"{where} is an OpenAPI document: pick a body with :webhook:, :callback: "
            f"or a pointer{hint}",
        )
    return Problem(
        "schema",
        f"{where} is not a JSON Schema, a field list or an OpenAPI callback, path item "
        "or operation",
    )


# -- Where a problem is in its file -------------------------------------------------------------

#: Characters that end the file name before a ``#/pointer`` in a message.
_BEFORE_PATH = frozenset(" \t\n\r\f\v'\"(")
#: Characters a pointer in a message does not end with (sentence punctuation).
_AFTER_POINTER = ":;,.)'\""
#: How many ``file#/pointer`` of one message get a line and column.
_LOCATED = 2


def _with_position(problem: Problem, files: set[str], srcdir: str, cache: FileCache) -> Problem:
    """Say at which line and column of its file each ``path#/pointer`` in a problem is.

    One pass over the message, without a regular expression: a long key in a message
    must not make this slow.
    """
    message = problem.message
    by_rel = {display_path(path, srcdir): path for path in files}
    out: list[str] = []
    done = 0  # message[:done] is in out
    floor = 0  # no file name starts before this
    found = 0
    hash_ = message.find("#/")
    while hash_ >= 0 and found < _LOCATED:
        start = hash_
        while start > floor and message[start - 1] not in _BEFORE_PATH:
            start -= 1
        end = hash_ + 1
        while end < len(message) and not message[end].isspace():
            end += 1
        rel = message[start:hash_]
        pointer = message[hash_ + 1 : end].rstrip(_AFTER_POINTER)
        if rel:
            found += 1
            path = by_rel.get(rel)
            where = cache.position(path, unquote(pointer)) if path is not None else None
            if where is not None:
                token_end = hash_ + 1 + len(pointer)
                out.append(message[done:token_end])
                out.append(f" (line {where[0]}, column {where[1]})")
                done = token_end
        floor = end
        hash_ = message.find("#/", end)
    if not out:
        return problem
    out.append(message[done:])
    return Problem(problem.subtype, "".join(out), problem.line)
