"""Finding a callback's request body (or headers) in an OpenAPI 3.0 / 3.1 description.

Works on whole documents and on fragments: multi-file specs keep a path item or an
operation in a file of its own (GOV.UK Notify's ``POST_notification_sms.json``), so
nothing here insists on an ``openapi`` key. Walks follow ``$ref``s through
:class:`~sphinxext_callbacks.schema.Refs`, so that a ``requestBody`` or a path item
may live in ``components`` or in another file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sphinxext_callbacks.model.fields import Field, Note
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.readers.schema import Location, Refs, escape_pointer

__all__ = [
    "HTTP_METHODS",
    "Body",
    "find_callback",
    "find_webhook",
    "header_fields",
    "is_openapi_node",
    "request_body",
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
    operation: Mapping[str, Any] | None = None
    operation_at: Location | None = None
    notes: list[str] = field(default_factory=list)


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
    message = f"no {what} {name!r}"
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    if names:
        message += f" (the file has: {', '.join(sorted(set(names)))})"
    else:
        message += f" (the file has no {what}s)"
    return Problem("option", message)


def _deref(value: Any, at: Location, refs: Refs, limit: int = 16) -> tuple[Any, Location] | Problem:
    """Follow ``$ref`` chains of OpenAPI objects (path items, request bodies, callbacks)."""
    seen: set[str] = set()
    while isinstance(value, Mapping) and isinstance(value.get("$ref"), str):
        found = refs.follow(value["$ref"], at)
        if isinstance(found, Problem):
            return found
        value, at = found
        key = f"{at.uri}#{at.pointer}"
        if key in seen or len(seen) > limit:
            return Problem("ref", f"$ref loop at {refs.origin(at)}")
        seen.add(key)
    return value, at


def find_webhook(doc: Any, at: Location, name: str) -> Location | Problem:
    """The path item of 3.1 ``webhooks[name]`` (or 3.0 ``x-webhooks[name]``)."""
    names: list[str] = []
    if isinstance(doc, Mapping):
        for key in ("webhooks", "x-webhooks"):
            hooks = doc.get(key)
            if isinstance(hooks, Mapping):
                if name in hooks:
                    return at.child(key, name)
                names.extend(str(n) for n in hooks)
    return _not_found("webhook", name, names)


def _operations(value: Any, at: Location) -> Iterator[tuple[Mapping[str, Any], Location]]:
    """Every operation in a document or fragment (paths, webhooks, or the fragment itself)."""
    if not isinstance(value, Mapping):
        return
    if "requestBody" in value or "responses" in value or "callbacks" in value:
        yield value, at
    for method in HTTP_METHODS:
        op = value.get(method)
        if isinstance(op, Mapping):
            yield op, at.child(method)
    for key in ("paths", "webhooks", "x-webhooks"):
        items = value.get(key)
        if isinstance(items, Mapping):
            for path, item in items.items():
                if isinstance(item, Mapping):
                    for method in HTTP_METHODS:
                        op = item.get(method)
                        if isinstance(op, Mapping):
                            yield op, at.child(key, path, method)


def find_callback(
    doc: Any, at: Location, operation_id: str | None, name: str
) -> Location | Problem:
    """The callback object *name* of the operation *operation_id*.

    Without an operation id the name must be unique in the file. ``components/callbacks``
    counts too (as if it belonged to no operation).
    """
    found: list[tuple[str | None, Location]] = []
    names: list[str] = []
    op_ids: list[str] = []
    for op, op_at in _operations(doc, at):
        op_id = op.get("operationId")
        op_id = op_id if isinstance(op_id, str) else None
        if op_id:
            op_ids.append(op_id)
        callbacks = op.get("callbacks")
        if isinstance(callbacks, Mapping):
            for cb_name in callbacks:
                names.append(str(cb_name))
                if cb_name == name and (operation_id is None or operation_id == op_id):
                    found.append((op_id, op_at.child("callbacks", name)))
    if isinstance(doc, Mapping) and operation_id is None:
        components = doc.get("components")
        shared = components.get("callbacks") if isinstance(components, Mapping) else None
        if isinstance(shared, Mapping):
            names.extend(str(n) for n in shared)
            if name in shared and not found:
                found.append((None, at.child("components", "callbacks", name)))
    if len(found) == 1:
        return found[0][1]
    if len(found) > 1:
        ids = ", ".join(op_id or "(no operationId)" for op_id, _ in found)
        return Problem(
            "option",
            f"callback {name!r} is defined by several operations ({ids}); "
            "give the operation id first: :callback: OPERATION_ID NAME",
        )
    if operation_id is not None and operation_id not in op_ids:
        return _not_found("operation", operation_id, op_ids)
    return _not_found("callback", name, names)


def _pick_operation(
    value: Any, at: Location, refs: Refs
) -> tuple[Mapping[str, Any], Location, list[str]] | Problem:
    """From a callback object, path item or operation, to the operation that is sent."""
    notes: list[str] = []
    for _ in range(4):
        deref = _deref(value, at, refs)
        if isinstance(deref, Problem):
            return deref
        value, at = deref
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
    deref = _deref(op["requestBody"], op_at.child("requestBody"), refs)
    if isinstance(deref, Problem):
        return deref
    body, body_at = deref
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
        operation=op,
        operation_at=op_at,
        notes=notes,
    )


def header_fields(
    doc: Any, doc_at: Location, value: Any, at: Location, refs: Refs
) -> tuple[list[Field], list[Problem]]:
    """The request's header parameters and security scheme, as fields (``:part: headers``)."""
    picked = _pick_operation(value, at, refs)
    if isinstance(picked, Problem):
        return [], [picked]
    op, op_at, _ = picked
    fields: list[Field] = []
    problems: list[Problem] = []
    parameters = op.get("parameters")
    for index, param in enumerate(parameters if isinstance(parameters, list) else []):
        deref = _deref(param, op_at.child("parameters", index), refs)
        if isinstance(deref, Problem):
            problems.append(deref)
            continue
        param, param_at = deref
        if not isinstance(param, Mapping) or param.get("in") != "header":
            continue
        name = param.get("name")
        if not isinstance(name, str) or not name:
            continue
        raw_schema = param.get("schema")
        schema: Mapping[str, Any] = raw_schema if isinstance(raw_schema, Mapping) else {}
        kind = schema.get("type")
        fields.append(
            Field(
                key=name,
                description=str(param.get("description") or ""),
                markup="markdown",
                type=kind if isinstance(kind, str) else None,
                json_format=schema.get("format") if isinstance(schema.get("format"), str) else None,
                enum=tuple(schema.get("enum") or ()),
                required=bool(param.get("required")),
                deprecated=bool(param.get("deprecated")),
                origin=refs.origin(param_at),
            )
        )
    content_type = _body_media_type(op, op_at, refs)
    if content_type and not any(f.key.lower() == "content-type" for f in fields):
        fields.append(
            Field(
                key="Content-Type",
                type="string",
                example=content_type,
                required=True,
                origin=refs.origin(op_at.child("requestBody")),
            )
        )
    security = op.get("security")
    if security is None and isinstance(doc, Mapping):
        security = doc.get("security")
    components = doc.get("components") if isinstance(doc, Mapping) else None
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    for requirement in security if isinstance(security, list) else []:
        if not isinstance(requirement, Mapping):
            continue
        for scheme_name in requirement:
            scheme = schemes.get(scheme_name) if isinstance(schemes, Mapping) else None
            if not isinstance(scheme, Mapping):
                known = [str(n) for n in schemes] if isinstance(schemes, Mapping) else []
                problems.append(
                    Problem(
                        "schema",
                        f"{refs.origin(op_at)}: security scheme {scheme_name!r} is not in "
                        f"components/securitySchemes of {refs.origin(doc_at).rstrip('#')}"
                        f"{did_you_mean(str(scheme_name), known)}",
                    )
                )
                continue
            origin = refs.origin(doc_at.child("components", "securitySchemes", scheme_name))
            description = str(scheme.get("description") or "")
            kind = scheme.get("type")
            if kind == "http":
                auth = str(scheme.get("scheme") or "").lower()
                example = "Bearer <token>" if auth == "bearer" else f"{auth.title()} <credentials>"
                fields.append(
                    Field(
                        key="Authorization",
                        description=description,
                        markup="markdown",
                        type="string",
                        example=example,
                        required=True,
                        origin=origin,
                    )
                )
            elif kind == "apiKey" and scheme.get("in") == "header" and scheme.get("name"):
                fields.append(
                    Field(
                        key=str(scheme["name"]),
                        description=description,
                        markup="markdown",
                        type="string",
                        required=True,
                        origin=origin,
                    )
                )
    if not fields and not problems:
        problems.append(
            Problem("schema", f"{refs.origin(op_at)} has no header parameters or security scheme")
        )
    return fields, problems


def _body_media_type(op: Mapping[str, Any], op_at: Location, refs: Refs) -> str | None:
    """The media type a request body is sent as, if the operation has one."""
    if "requestBody" not in op:
        return None
    deref = _deref(op["requestBody"], op_at.child("requestBody"), refs)
    if isinstance(deref, Problem) or not isinstance(deref[0], Mapping):
        return None
    content = deref[0].get("content")
    if not isinstance(content, Mapping) or not content:
        return None
    return _media_type(content) or str(next(iter(content)))


def pointer_of(*segments: str) -> str:
    """A JSON pointer made of *segments*."""
    return "".join("/" + escape_pointer(s) for s in segments)
