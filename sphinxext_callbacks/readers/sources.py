"""The one entry point the directives call: read a ``:source:`` into a :class:`Callback`.

:func:`read_source` loads the file (once per build, through :class:`FileCache`),
applies the pointer, works out what kind of thing it selected (an OpenAPI document
or fragment, a JSON Schema, a field list) and hands it to the matching reader.
Everything that goes wrong comes back as :class:`Problem` values; no exception
escapes for bad input. Results are memoised in the cache per request, and checked
against the files' modification times, so that many directives reading one large
spec each pay only for their own walk.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from referencing.exceptions import Unresolvable

from sphinxext_callbacks.model.fields import Callback, Field, Markup, Note, localised
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.readers.asyncapi import (
    find_message,
    is_asyncapi,
    is_message_like,
    message_names,
    messages_of,
    payload_of,
)
from sphinxext_callbacks.readers.fieldlist import field_list_fields, is_field_list, named_entries
from sphinxext_callbacks.readers.files import FileCache, display_path
from sphinxext_callbacks.readers.openapi import (
    find_callback,
    find_webhook,
    header_fields,
    is_openapi_node,
    request_body,
)
from sphinxext_callbacks.readers.schema import (
    Location,
    Refs,
    WalkOptions,
    alternatives_fields,
    schema_fields,
)

__all__ = ["SourceRequest", "SourceResult", "read_source"]

_SCHEMA_WORDS = frozenset(
    {
        "properties",
        "type",
        "$schema",
        "allOf",
        "anyOf",
        "oneOf",
        "items",
        "enum",
        "const",
        "additionalProperties",
        "patternProperties",
        "$defs",
        "definitions",
        "$ref",
    }
)


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
    max_rows: int = 2000
    #: Which text of a per-language mapping (``{en: ..., cy: ...}``) to pick, and the
    #: language to fall back to (Sphinx's ``language`` and ``callbacks_default_language``).
    language: str = "en"
    default_language: str = "en"


@dataclass
class SourceResult:
    """What reading gave: the callback (``None`` when nothing could be read) and problems."""

    callback: Callback | None
    problems: list[Problem]
    #: Every absolute path read or attempted (the directive notes each as a dependency).
    files: set[str] = field(default_factory=set)


def read_source(request: SourceRequest, cache: FileCache) -> SourceResult:
    """Read the fields *request* selects. Never raises for bad input."""
    key = ("read_source", request)
    hit = cache.memo.get(key)
    if hit is not None:
        result, stamps = hit
        if all(cache.stamp(path) == stamp for path, stamp in stamps.items()):
            return copy_result(result)
    try:
        result = _read(request, cache)
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
    cache.memo[key] = (result, {path: cache.stamp(path) for path in result.files})
    return copy_result(result)


_ORIGIN = re.compile(r"(?P<rel>[^\s'\"(]+)#(?P<pointer>/\S*)")


def _with_position(problem: Problem, files: set[str], srcdir: str, cache: FileCache) -> Problem:
    """Say at which line and column of its file each ``path#/pointer`` in a problem is."""
    by_rel = {display_path(path, srcdir): path for path in files}
    message = problem.message

    def located(match: re.Match[str]) -> str:
        pointer = match["pointer"].rstrip(":;,.)'\"")
        path = by_rel.get(match["rel"])
        if path is None:
            return match[0]
        where = cache.position(path, unquote(pointer))
        if where is None:
            return match[0]
        token = f"{match['rel']}#{pointer}"
        return f"{token} (line {where[0]}, column {where[1]}){match[0][len(token) :]}"

    message = _ORIGIN.sub(located, message, count=2)
    if message == problem.message:
        return problem
    return Problem(problem.subtype, message, problem.line)


def copy_result(result: SourceResult) -> SourceResult:
    """A copy whose lists and sets the caller may change."""
    callback = result.callback
    if callback is not None:
        callback = Callback(
            fields=list(callback.fields),
            caption=callback.caption,
            notes=list(callback.notes),
            files=set(callback.files),
        )
    return SourceResult(callback, list(result.problems), set(result.files))


def _read(request: SourceRequest, cache: FileCache) -> SourceResult:
    path = os.path.abspath(request.path)
    rel = display_path(path, request.srcdir)
    files = {path}

    def fail(*problems: Problem) -> SourceResult:
        return SourceResult(None, list(problems), files)

    if request.part not in ("body", "headers"):
        return fail(
            Problem(
                "option",
                f"unknown :part: {request.part!r}{did_you_mean(request.part, ('body', 'headers'))}"
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

    def done(
        fields: list[Field], caption: str | None, problems: list[Problem], notes: list[str]
    ) -> SourceResult:
        all_files = files | refs.files
        if request.depth is not None:
            fields = [f for f in fields if f.depth <= request.depth]
        if len(fields) > request.max_rows:
            fields = fields[: request.max_rows]
            problems.append(Problem("schema", f"{rel}: stopped after {request.max_rows} rows"))
        callback = (
            Callback(fields=fields, caption=caption, notes=notes, files=set(all_files))
            if fields
            else None
        )
        return SourceResult(callback, problems, all_files)

    selected = _select(doc, request.pointer, rel)
    if isinstance(selected, Problem):
        return fail(selected)
    at = _locate(root, request.pointer)
    if isinstance(doc, Mapping) and "swagger" in doc:
        return fail(Problem("schema", f"{rel} is Swagger 2.0; only OpenAPI 3.0 and 3.1 are read"))
    family = isinstance(doc, Mapping) and any(
        k in doc for k in ("openapi", "asyncapi", "components")
    )
    markup: Markup = "markdown" if family else "text"

    # What the pointer selected, seen through a $ref (a path item or schema may be one).
    target, target_at = selected, at
    if isinstance(selected, Mapping) and isinstance(selected.get("$ref"), str):
        followed = refs.follow(selected["$ref"], at)
        if isinstance(followed, Problem):
            return done([], None, [followed], [])
        target, target_at = followed

    if request.message is not None:
        if not is_asyncapi(target):
            return fail(
                Problem("option", f":message: needs an AsyncAPI document; {rel} is not one")
            )
        found = find_message(target, target_at, request.message, refs)
        if isinstance(found, Problem):
            return done([], None, [_in_file(found, rel)], [])
        resolved = _value_at(target, target_at, found)
        return _asyncapi(request, resolved, found, refs, done)
    if is_message_like(target) and (is_asyncapi(doc) or "payload" in target):
        return _asyncapi(request, selected, at, refs, done)
    if is_asyncapi(target):
        names = ", ".join(sorted(message_names(target, target_at, refs)))
        return fail(
            Problem(
                "option",
                f"{rel} is an AsyncAPI document: pick a message with :message: or a pointer"
                + (f" (messages: {names})" if names else ""),
            )
        )
    if request.webhook is not None or request.callback is not None:
        if request.webhook is not None:
            found = find_webhook(target, target_at, request.webhook)
        else:
            assert request.callback is not None
            found = find_callback(target, target_at, *request.callback)
        if isinstance(found, Problem):
            return done([], None, [_in_file(found, rel)], [])
        resolved = _value_at(target, target_at, found)
        if resolved is None:
            return done([], None, [Problem("source", f"{rel}: cannot read {found.pointer}")], [])
        return _openapi(request, doc, root, resolved, found, refs, done)
    if is_openapi_node(target) and not _looks_like_schema(target):
        return _openapi(request, doc, root, selected, at, refs, done)
    if request.part != "body":
        return fail(
            Problem(
                "option",
                ":part: headers needs an OpenAPI operation or callback, or an AsyncAPI message",
            )
        )
    if is_field_list(target):
        origin = refs.origin(target_at)
        fields, caption, problems = field_list_fields(
            target, origin, language=request.language, default_language=request.default_language
        )
        return done(fields, caption, problems, [])
    if _looks_like_schema(target):
        fields, title, problems, notes = schema_fields(
            selected, at, refs, _walk_options(request, markup)
        )
        if not fields:
            problems = [*problems, *_hint_definitions(target, rel, request.pointer)]
        return done(fields, title, problems, notes)
    return fail(_what_is_it(target, doc, rel, request.pointer))


def _in_file(problem: Problem, rel: str) -> Problem:
    return Problem(problem.subtype, f"{rel}: {problem.message}", problem.line)


def _openapi(
    request: SourceRequest,
    doc: Any,
    root: Location,
    value: Any,
    at: Location,
    refs: Refs,
    done: Any,
) -> SourceResult:
    if request.part == "headers":
        fields, problems = header_fields(doc, root, value, at, refs)
        result: SourceResult = done(fields, None, problems, [])
        return result
    body = request_body(value, at, refs)
    if isinstance(body, Problem):
        result = done([], None, [body], [])
        return result
    fields, title, problems, walk_notes = schema_fields(
        body.schema, body.at, refs, _walk_options(request, "markdown")
    )
    notes = list(body.notes)
    if body.media_type != "application/json":
        notes.append(Note("Content type: %s", body.media_type))
    result = done(fields, body.caption or title, problems, [*notes, *walk_notes])
    return result


def _asyncapi(
    request: SourceRequest, value: Any, at: Location, refs: Refs, done: Any
) -> SourceResult:
    """The payload (or headers) of an AsyncAPI message, or of several as alternatives."""
    messages = messages_of(value, at, refs)
    if isinstance(messages, Problem):
        result: SourceResult = done([], None, [messages], [])
        return result
    part = "headers" if request.part == "headers" else "payload"
    schemas: list[tuple[str, Any, Location]] = []
    problems: list[Problem] = []
    notes: list[str] = []
    for message in messages:
        payload = payload_of(message, refs, part)
        if isinstance(payload, Problem):
            problems.append(payload)
            continue
        schemas.append((message.label, *payload))
        content_type = message.value.get("contentType")
        if isinstance(content_type, str) and not _is_json(content_type):
            note = Note("Content type: %s", content_type)
            if note not in notes:
                notes.append(note)
    fields: list[Field] = []
    caption: str | None = None
    if schemas:
        fields, title, walk_problems, walk_notes = alternatives_fields(
            schemas, refs, _walk_options(request, "markdown")
        )
        problems.extend(walk_problems)
        notes.extend(walk_notes)
        if len(messages) == 1:
            caption = _caption(messages[0].value, request) or title
    result = done(fields, caption, problems, notes)
    return result


def _caption(message: Mapping[str, Any], request: SourceRequest) -> str | None:
    for word in ("title", "summary"):
        text = localised(message.get(word), request.language, request.default_language)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return None


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _looks_like_schema(value: Any) -> bool:
    return isinstance(value, Mapping) and any(word in value for word in _SCHEMA_WORDS)


def _segments(pointer: str) -> list[str]:
    return [
        segment.replace("~1", "/").replace("~0", "~") for segment in unquote(pointer).split("/")[1:]
    ]


def _select(doc: Any, pointer: str, rel: str) -> Any:
    """The value at *pointer*, or a Problem that says what exists where it failed."""
    if pointer and not pointer.startswith("/"):
        return Problem("source", f"{rel}#{pointer}: a JSON pointer starts with '/'")
    value = doc
    walked = ""
    for segment in _segments(pointer):
        here = f"{rel}#{walked}" if walked else rel
        if isinstance(value, Mapping):
            if segment not in value:
                names = [str(k) for k in value]
                message = f"{rel}#{pointer} selects nothing: {here} has no {segment!r}"
                close = difflib.get_close_matches(segment, names, n=1)
                if close:
                    message += f"; did you mean {close[0]!r}?"
                shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
                message += f" (it has: {shown})" if names else " (it is empty)"
                return Problem("source", message)
            value = value[segment]
        elif isinstance(value, list):
            if not segment.isdigit() or int(segment) >= len(value):
                return Problem(
                    "source",
                    f"{rel}#{pointer} selects nothing: {here} is a list of {len(value)} "
                    f"items, indexed 0 to {len(value) - 1}",
                )
            value = value[int(segment)]
        else:
            return Problem(
                "source",
                f"{rel}#{pointer} selects nothing: {here} is a {_kind(value)}, not a mapping",
            )
        walked += "/" + segment.replace("~", "~0").replace("/", "~1")
    if not isinstance(value, (Mapping, list)):
        where = f"{rel}#{pointer}" if pointer else rel
        return Problem(
            "source",
            f"{where} selects a {_kind(value)}, not a schema, field list or OpenAPI object",
        )
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _locate(root: Location, pointer: str) -> Location:
    """The location of *pointer*, with the resolver ``referencing`` gives there ($id scopes)."""
    if not pointer:
        return root
    try:
        resolved = root.resolver.lookup("#" + pointer)
    except (Unresolvable, ValueError, TypeError, LookupError):
        return Location(root.resolver, root.uri, unquote(pointer))
    return Location(resolved.resolver, root.uri, unquote(pointer))


def _value_at(value: Any, at: Location, found: Location) -> Any:
    """The value at *found*, a location below *at* (finders return locations)."""
    tail = found.pointer[len(at.pointer) :]
    for segment in _segments(tail):
        if not isinstance(value, Mapping) or segment not in value:
            return None
        value = value[segment]
    return value


def _hint_definitions(value: Any, rel: str, pointer: str) -> list[Problem]:
    if not isinstance(value, Mapping):
        return []
    for word in ("$defs", "definitions"):
        defs = value.get(word)
        if isinstance(defs, Mapping) and defs:
            names = ", ".join(f"#{pointer}/{word}/{name}" for name in list(defs)[:10])
            return [Problem("schema", f"{rel}: select one of its schemas with a pointer: {names}")]
    return []


def _what_is_it(value: Any, doc: Any, rel: str, pointer: str) -> Problem:
    where = f"{rel}#{pointer}" if pointer else rel
    entries = named_entries(value)
    if entries:
        listed = ", ".join(f"#{pointer}/{name}" for name in entries[:20])
        return Problem("source", f"{where} holds several field lists; select one: {listed}")
    if isinstance(value, Mapping) and ("openapi" in value or "paths" in value):
        hooks = [str(name) for key in ("webhooks", "x-webhooks") for name in (value.get(key) or {})]
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


def _walk_options(request: SourceRequest, markup: Markup) -> WalkOptions:
    return WalkOptions(
        markup=markup,
        depth=request.depth,
        max_rows=request.max_rows,
        language=request.language,
        default_language=request.default_language,
    )
