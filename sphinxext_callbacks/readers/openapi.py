"""Finding a callback's request body (or headers) in an OpenAPI 3.0 / 3.1 description.

Works on whole documents and on fragments: multi-file specs keep a path item or an
operation in a file of its own (GOV.UK Notify's ``POST_notification_sms.json``), so
nothing here insists on an ``openapi`` key. Walks follow ``$ref``s through
:class:`~sphinxext_callbacks.schema.Refs`, so that a ``requestBody`` or a path item
may live in ``components`` or in another file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sphinxext_callbacks.model.fields import Field, Note, SpecExample
from sphinxext_callbacks.model.jsontypes import JsonTypes
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.bundle import bundle
from sphinxext_callbacks.readers.listing import Listed, group_of
from sphinxext_callbacks.readers.reader import Reading, RequestFacts, Selection
from sphinxext_callbacks.readers.refs import Location, Refs, deref
from sphinxext_callbacks.readers.schema import (
    WalkOptions,
    looks_like_schema,
    schema_fields,
    value_field,
    walk_options,
)
from sphinxext_callbacks.readers.spec_examples import media_examples, schema_examples

__all__ = [
    "HTTP_METHODS",
    "Body",
    "OpenApiReader",
    "OperationCallback",
    "find_callback",
    "find_webhook",
    "header_fields",
    "is_openapi_node",
    "list_openapi",
    "operation_callbacks",
    "request_body",
    "request_facts",
]

#: Path item keys that hold operations, in the order a callback's method is picked.
HTTP_METHODS = ("post", "put", "patch", "delete", "get", "options", "head", "trace")


@dataclass
class Body:
    """A request body's schema, where it is, and what to say about it."""

    schema: Any
    at: Location
    media_type: str
    caption: str | None = None
    notes: list[str] = field(default_factory=list)
    #: The media type's own examples (else the schema's).
    examples: tuple[SpecExample, ...] = ()


_STRING = JsonTypes(("string",))


def is_openapi_node(value: Any) -> bool:
    """Whether *value* looks like an operation, a path item or a callback object."""
    if not isinstance(value, Mapping) or not value:
        return False
    if "requestBody" in value or "responses" in value or "operationId" in value:
        return True
    if any(isinstance(value.get(m), Mapping) for m in HTTP_METHODS):
        return True
    # A callback object: runtime-expression keys, each holding a path item.
    return all(
        isinstance(key, str)
        and ("{$" in key or key.startswith(("/", "http")))
        and isinstance(item, Mapping)
        and (is_openapi_node(item) or "$ref" in item)
        for key, item in value.items()
    )


def _not_found(what: str, name: str, names: list[str]) -> Problem:
    message = f"no {what} {name!r}{did_you_mean(name, names)}"
    if names:
        message += f" (the file has: {', '.join(sorted(set(names)))})"
    else:
        message += f" (the file has no {what}s)"
    return Problem("option", message)


def find_webhook(doc: Any, at: Location, name: str) -> tuple[Any, Location] | Problem:
    """The path item of 3.1 ``webhooks[name]`` (or 3.0 ``x-webhooks[name]``)."""
    names: list[str] = []
    if isinstance(doc, Mapping):
        for key in ("webhooks", "x-webhooks"):
            hooks = doc.get(key)
            if isinstance(hooks, Mapping):
                if name in hooks:
                    return hooks[name], at.child(key, name)
                names.extend(str(n) for n in hooks)
    return _not_found("webhook", name, names)


def _path_items(
    value: Mapping[str, Any], at: Location, refs: Refs
) -> Iterator[tuple[Any, Location]]:
    """The path items of ``paths`` and ``webhooks``, each seen through its ``$ref``s.

    Multi-file specs (GOV.UK Notify's) keep each path item in a file of its own.
    """
    for key in ("paths", "webhooks", "x-webhooks"):
        items = value.get(key)
        if not isinstance(items, Mapping):
            continue
        for path, item in items.items():
            followed = deref(item, at.child(key, path), refs)
            if not isinstance(followed, Problem):
                yield followed


def _operations(
    value: Any, at: Location, refs: Refs
) -> Iterator[tuple[Mapping[str, Any], Location]]:
    """Every operation in a document or fragment (paths, webhooks, or the fragment itself)."""
    if not isinstance(value, Mapping):
        return
    if "requestBody" in value or "responses" in value or "callbacks" in value:
        yield value, at
    for item, item_at in [(value, at), *_path_items(value, at, refs)]:
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping):
                yield op, item_at.child(method)


@dataclass(frozen=True)
class OperationCallback:
    """One callback of one operation: the operation's id, the operation, and the callback."""

    operation_id: str | None
    operation: Mapping[str, Any]
    name: str
    value: Any
    at: Location


def operation_callbacks(doc: Any, at: Location, refs: Refs) -> Iterator[OperationCallback]:
    """Every callback of every operation in a document or fragment, in the file's order."""
    for op, op_at in _operations(doc, at, refs):
        op_id = op.get("operationId")
        callbacks = op.get("callbacks")
        if not isinstance(callbacks, Mapping):
            continue
        for cb_name, value in callbacks.items():
            yield OperationCallback(
                op_id if isinstance(op_id, str) else None,
                op,
                str(cb_name),
                value,
                op_at.child("callbacks", cb_name),
            )


def _shared_callbacks(doc: Any) -> Mapping[str, Any]:
    """``components/callbacks``, or an empty mapping."""
    components = doc.get("components") if isinstance(doc, Mapping) else None
    shared = components.get("callbacks") if isinstance(components, Mapping) else None
    return shared if isinstance(shared, Mapping) else {}


def find_callback(
    doc: Any, at: Location, operation_id: str | None, name: str, refs: Refs
) -> tuple[Any, Location] | Problem:
    """The callback object *name* of the operation *operation_id*.

    Without an operation id the name must be unique in the file. ``components/callbacks``
    counts too (as if it belonged to no operation).
    """
    every = list(operation_callbacks(doc, at, refs))
    names = [callback.name for callback in every]
    found = [
        callback
        for callback in every
        if callback.name == name and operation_id in (None, callback.operation_id)
    ]
    if operation_id is None:
        shared = _shared_callbacks(doc)
        names.extend(str(n) for n in shared)
        if name in shared and not found:
            return shared[name], at.child("components", "callbacks", name)
    if len(found) == 1:
        return found[0].value, found[0].at
    if len(found) > 1:
        ids = ", ".join(callback.operation_id or "(no operationId)" for callback in found)
        return Problem(
            "option",
            f"callback {name!r} is defined by several operations ({ids}); "
            "give the operation id first: :callback: OPERATION_ID NAME",
        )
    op_ids = [
        op_id
        for op, _ in _operations(doc, at, refs)
        if isinstance(op_id := op.get("operationId"), str) and op_id
    ]
    if operation_id is not None and operation_id not in op_ids:
        return _not_found("operation", operation_id, op_ids)
    return _not_found("callback", name, names)


def _pick_operation(
    value: Any, at: Location, refs: Refs
) -> tuple[Mapping[str, Any], Location, list[str]] | Problem:
    """From a callback object, path item or operation, to the operation that is sent."""
    notes: list[str] = []
    for _ in range(4):
        followed = deref(value, at, refs)
        if isinstance(followed, Problem):
            return followed
        value, at = followed
        if not isinstance(value, Mapping):
            break
        if "requestBody" in value or "responses" in value or "operationId" in value:
            return value, at, notes
        methods = [m for m in HTTP_METHODS if isinstance(value.get(m), Mapping)]
        if methods:
            with_body = [m for m in methods if "requestBody" in value[m]]
            method = (with_body or methods)[0]
            if len(methods) > 1:
                others = ", ".join(m.upper() for m in methods)
                # Translators: the HTTP method shown, then every method of the path item.
                notes.append(Note("%s of %s", method.upper(), others))
            value, at = value[method], at.child(method)
            continue
        expressions = [k for k, v in value.items() if isinstance(v, Mapping)]
        if not expressions:
            break
        if len(expressions) > 1:
            notes.append(f"the first of {len(expressions)} callback URLs: {expressions[0]}")
        value, at = value[expressions[0]], at.child(expressions[0])
    return Problem(
        "schema",
        f"{refs.origin(at)} is not an OpenAPI callback, path item or operation",
    )


#: Bodies that are not JSON but whose schema describes their keys in the same way.
FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _media_type(content: Mapping[str, Any]) -> str | None:
    if "application/json" in content:
        return "application/json"
    bases = {str(name): str(name).split(";")[0].strip().lower() for name in content}
    for name, base in bases.items():
        if base == "application/json" or base.endswith("+json"):
            return name
    for name, base in bases.items():
        if base in FORM_MEDIA_TYPES:
            return name
    return None


def request_body(value: Any, at: Location, refs: Refs) -> Body | Problem:
    """The JSON request body schema of a callback object, path item or operation."""
    picked = _pick_operation(value, at, refs)
    if isinstance(picked, Problem):
        return picked
    op, op_at, notes = picked
    caption = op.get("summary") if isinstance(op.get("summary"), str) else None
    if "requestBody" not in op:
        return Problem("schema", f"{refs.origin(op_at)} has no requestBody")
    followed = deref(op["requestBody"], op_at.child("requestBody"), refs)
    if isinstance(followed, Problem):
        return followed
    body, body_at = followed
    content = body.get("content") if isinstance(body, Mapping) else None
    if not isinstance(content, Mapping) or not content:
        return Problem("schema", f"{refs.origin(body_at)} has no content")
    media = _media_type(content)
    if media is None:
        return Problem(
            "schema",
            f"{refs.origin(body_at)} has no JSON media type, nor a form one "
            f"(it has: {', '.join(str(m) for m in content)})",
        )
    media_object = content[media]
    if not isinstance(media_object, Mapping) or "schema" not in media_object:
        return Problem("schema", f"{refs.origin(body_at.child('content', media))} has no schema")
    return Body(
        schema=media_object["schema"],
        at=body_at.child("content", media, "schema"),
        media_type=media,
        caption=caption,
        notes=notes,
        examples=media_examples(media_object, body_at.child("content", media), refs)
        or schema_examples(media_object["schema"], body_at.child("content", media, "schema"), refs),
    )


def _own_words(op: Mapping[str, Any], op_at: Location, refs: Refs) -> tuple[str, bool]:
    """What the operation says of itself: its ``description`` and its request body's (as
    Redoc shows them above the fields), and whether it is deprecated."""
    texts = [op.get("description")]
    if "requestBody" in op:
        followed = deref(op["requestBody"], op_at.child("requestBody"), refs)
        if not isinstance(followed, Problem) and isinstance(followed[0], Mapping):
            texts.append(followed[0].get("description"))
    words = "\n\n".join(t.strip() for t in texts if isinstance(t, str) and t.strip())
    return words, op.get("deprecated") is True


def header_fields(
    doc: Any, doc_at: Location, value: Any, at: Location, refs: Refs
) -> tuple[list[Field], list[Problem]]:
    """The request's header parameters and security scheme, as fields (``:part: headers``)."""
    picked = _pick_operation(value, at, refs)
    if isinstance(picked, Problem):
        return [], [picked]
    op, op_at, _ = picked
    fields, problems = _header_parameters(op, op_at, refs)
    content_type = _body_media_type(op, op_at, refs)
    if content_type and not any(f.key.lower() == "content-type" for f in fields):
        fields.append(
            Field(
                path=("Content-Type",),
                types=_STRING,
                example=content_type,
                required=True,
                origin=refs.place(op_at.child("requestBody")),
            )
        )
    # Only the operation's own security: a document's top-level security says how
    # clients call the API, not how the API calls them.
    security = op.get("security")
    for requirement in security if isinstance(security, list) else []:
        for scheme_name in requirement if isinstance(requirement, Mapping) else ():
            looked_up = _security_scheme(str(scheme_name), doc, doc_at, op_at, refs)
            if isinstance(looked_up, Problem):
                problems.append(looked_up)
                continue
            scheme_field = _security_field(*looked_up, refs)
            if scheme_field is not None:
                fields.append(scheme_field)
    if not fields and not problems:
        problems.append(
            Problem("schema", f"{refs.origin(op_at)} has no header parameters or security scheme")
        )
    return fields, problems


def _header_parameters(
    op: Mapping[str, Any], op_at: Location, refs: Refs
) -> tuple[list[Field], list[Problem]]:
    """The operation's ``in: header`` parameters, each as a field."""
    fields: list[Field] = []
    problems: list[Problem] = []
    parameters = op.get("parameters")
    for index, param in enumerate(parameters if isinstance(parameters, list) else []):
        followed = deref(param, op_at.child("parameters", index), refs)
        if isinstance(followed, Problem):
            problems.append(followed)
            continue
        param, param_at = followed
        if not isinstance(param, Mapping) or param.get("in") != "header":
            continue
        name = param.get("name")
        if not isinstance(name, str) or not name:
            continue
        # The same walk as a body's property: a $ref'd or nullable schema is typed.
        typed, walked = value_field(
            param.get("schema"),
            param_at.child("schema"),
            refs,
            (name,),
            WalkOptions(markup="markdown"),
        )
        problems.extend(walked)
        own = param.get("description")
        fields.append(
            replace(
                typed,
                description=own if isinstance(own, str) and own.strip() else typed.description,
                required=bool(param.get("required")),
                deprecated=param.get("deprecated") is True or typed.deprecated,
                origin=refs.place(param_at),
            )
        )
    return fields, problems


def _security_field(scheme: Mapping[str, Any], scheme_at: Location, refs: Refs) -> Field | None:
    """The header a security scheme puts on the request (HTTP auth or an API key), if any."""
    origin = refs.place(scheme_at)
    description = str(scheme.get("description") or "")
    kind = scheme.get("type")
    if kind == "http":
        auth = str(scheme.get("scheme") or "").lower()
        example = "Bearer <token>" if auth == "bearer" else f"{auth.title()} <credentials>"
        name, shown = "Authorization", example
    elif kind == "apiKey" and scheme.get("in") == "header" and scheme.get("name"):
        name, shown = str(scheme["name"]), None
    else:
        return None
    made = Field(
        path=(name,),
        description=description,
        markup="markdown",
        types=_STRING,
        required=True,
        origin=origin,
    )
    return made if shown is None else replace(made, example=shown)


def _security_scheme(
    name: str, doc: Any, doc_at: Location, op_at: Location, refs: Refs
) -> tuple[Mapping[str, Any], Location] | Problem:
    """A security scheme, from the document read (a multi-file spec's root) or the
    operation's own file."""
    places = [(doc, doc_at)]
    if op_at.uri != doc_at.uri:
        own = refs.follow("#", Location(op_at.resolver, op_at.uri))
        if not isinstance(own, Problem):
            places.append(own)
    known: list[str] = []
    for document, document_at in places:
        components = document.get("components") if isinstance(document, Mapping) else None
        schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
        if not isinstance(schemes, Mapping):
            continue
        scheme = schemes.get(name)
        if isinstance(scheme, Mapping):
            return scheme, document_at.child("components", "securitySchemes", name)
        known.extend(str(n) for n in schemes)
    return Problem(
        "schema",
        f"{refs.origin(op_at)}: security scheme {name!r} is not in "
        f"components/securitySchemes of {refs.origin(doc_at).rstrip('#')}"
        f"{did_you_mean(name, known)}",
    )


def _body_media_type(op: Mapping[str, Any], op_at: Location, refs: Refs) -> str | None:
    """The media type a request body is sent as, if the operation has one."""
    if "requestBody" not in op:
        return None
    followed = deref(op["requestBody"], op_at.child("requestBody"), refs)
    if isinstance(followed, Problem) or not isinstance(followed[0], Mapping):
        return None
    content = followed[0].get("content")
    if not isinstance(content, Mapping) or not content:
        return None
    return _media_type(content) or str(next(iter(content)))


def _looks_like_url(key: str) -> bool:
    return "{$" in key or key.startswith(("/", "http"))


def request_facts(value: Any, at: Location, refs: Refs) -> RequestFacts | Problem:
    """The summary, description, request line and responses of the operation that is sent."""
    picked = _pick_operation(value, at, refs)
    if isinstance(picked, Problem):
        return picked
    op, op_at, _ = picked
    segments = pointers.split(op_at.pointer)
    method = segments[-1] if segments and segments[-1] in HTTP_METHODS else ""
    url = segments[-2] if method and len(segments) > 1 and _looks_like_url(segments[-2]) else ""
    summary = op.get("summary")
    description, deprecated = _own_words(op, op_at, refs)
    return RequestFacts(
        summary=summary.strip() if isinstance(summary, str) else "",
        description=description,
        method=method.upper(),
        url=url,
        responses=_responses(op, op_at, refs),
        deprecated=deprecated,
        has_body="requestBody" in op,
        has_headers=_has_headers(op),
    )


def _has_headers(op: Mapping[str, Any]) -> bool:
    """Whether :func:`header_fields` finds something: a header parameter (or a ``$ref``'d
    parameter, which may be one), a security requirement, or a body's media type."""
    parameters = op.get("parameters")
    return (
        "requestBody" in op
        or bool(op.get("security"))
        or any(
            isinstance(param, Mapping) and (param.get("in") == "header" or "$ref" in param)
            for param in (parameters if isinstance(parameters, list) else [])
        )
    )


def _responses(op: Mapping[str, Any], op_at: Location, refs: Refs) -> tuple[tuple[str, str], ...]:
    responses = op.get("responses")
    found: list[tuple[str, str]] = []
    for code, response in responses.items() if isinstance(responses, Mapping) else ():
        followed = deref(response, op_at.child("responses", code), refs)
        text = ""
        if not isinstance(followed, Problem) and isinstance(followed[0], Mapping):
            words = followed[0].get("description")
            text = words.strip() if isinstance(words, str) else ""
        found.append((str(code), text))
    return tuple(found)


def _listed(
    name: str,
    option: str,
    selector: str,
    value: Any,
    at: Location,
    refs: Refs,
    group_by: str | None,
    outer: Mapping[str, Any] | None = None,
) -> Listed:
    """One webhook or callback for the catalogue: its summary and group from its operation."""
    picked = _pick_operation(value, at, refs)
    op: Mapping[str, Any] = picked[0] if not isinstance(picked, Problem) else {}
    summary = op.get("summary")
    return Listed(
        name=name,
        option=option,
        value=selector,
        summary=summary.strip() if isinstance(summary, str) else "",
        deprecated=op.get("deprecated") is True,
        group=group_of([op, outer], group_by),
        origin=refs.origin(at),
    )


def list_openapi(doc: Any, at: Location, refs: Refs, group_by: str | None) -> list[Listed]:
    """Every webhook (3.1 ``webhooks``, 3.0 ``x-webhooks``) and callback of an operation.

    A callback is named by its name alone when no other callback in the file has it, else
    ``OPERATION_ID.NAME``.
    """
    listed: list[Listed] = []
    for key in ("webhooks", "x-webhooks"):
        hooks = doc.get(key) if isinstance(doc, Mapping) else None
        for name, item in hooks.items() if isinstance(hooks, Mapping) else ():
            listed.append(
                _listed(str(name), "webhook", str(name), item, at.child(key, name), refs, group_by)
            )
    callbacks = list(operation_callbacks(doc, at, refs))
    counts: dict[str, int] = {}
    for callback in callbacks:
        counts[callback.name] = counts.get(callback.name, 0) + 1
    for callback in callbacks:
        op_id = callback.operation_id
        unique = counts[callback.name] == 1 or not op_id or any(c.isspace() for c in op_id)
        name = callback.name if unique else f"{op_id}.{callback.name}"
        selector = callback.name if unique else f"{op_id} {callback.name}"
        listed.append(
            _listed(
                name,
                "callback",
                selector,
                callback.value,
                callback.at,
                refs,
                group_by,
                callback.operation,
            )
        )
    return listed


class OpenApiReader:
    """An OpenAPI 3.x operation, path item or callback, or a webhook or callback by name."""

    name = "openapi"
    parts = frozenset({"body", "headers"})

    def recognises(self, selection: Selection) -> bool:
        """``:webhook:`` or ``:callback:`` given, or an OpenAPI object (not a schema) selected."""
        request = selection.request
        if request.webhook is not None or request.callback is not None:
            return True
        return is_openapi_node(selection.target) and not looks_like_schema(selection.target)

    def read(self, selection: Selection) -> Reading:
        """The request body (or the headers) of the operation that is sent."""
        found = self._selected(selection)
        if isinstance(found, Problem):
            return Reading(problems=[found])
        return self._read(selection, *found)

    def facts(self, selection: Selection) -> RequestFacts | Problem:
        """The summary, description, request line and responses of what is selected."""
        found = self._selected(selection)
        if isinstance(found, Problem):
            return found
        return request_facts(*found, selection.refs)

    @staticmethod
    def _selected(selection: Selection) -> tuple[Any, Location] | Problem:
        """The webhook or callback that ``:webhook:`` or ``:callback:`` names, else what the
        pointer selected."""
        request = selection.request
        found: tuple[Any, Location] | Problem
        if request.webhook is not None:
            found = find_webhook(selection.target, selection.target_at, request.webhook)
        elif request.callback is not None:
            found = find_callback(
                selection.target, selection.target_at, *request.callback, selection.refs
            )
        else:
            return selection.value, selection.at
        return selection.in_file(found) if isinstance(found, Problem) else found

    @staticmethod
    def _read(selection: Selection, value: Any, at: Location) -> Reading:
        refs = selection.refs
        if selection.request.part == "headers":
            fields, problems = header_fields(selection.doc, selection.root, value, at, refs)
            reading = Reading(fields, problems=problems)
        else:
            body = request_body(value, at, refs)
            if isinstance(body, Problem):
                return Reading(problems=[body])
            fields, title, problems, walk_notes = schema_fields(
                body.schema, body.at, refs, walk_options(selection.request, "markdown")
            )
            notes = list(body.notes)
            if body.media_type != "application/json":
                notes.append(Note("Content type: %s", body.media_type))
            reading = Reading(fields, body.caption or title, problems, [*notes, *walk_notes])
            reading.schema = bundle([(body.schema, body.at)], refs)
            reading.examples = body.examples
        picked = _pick_operation(value, at, refs)
        if not isinstance(picked, Problem):
            reading.description, reading.deprecated = _own_words(picked[0], picked[1], refs)
        return reading
