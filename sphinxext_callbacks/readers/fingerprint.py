"""A fingerprint of the part of a spec that one request reads: cheap to make, and the same
as long as nothing that request can show has changed.

When a spec that 261 pages read is edited, every page's request must be asked whether what
it shows changed. Reading each again (walking its schema into rows) costs about what the
first build did. A fingerprint costs a fraction of that: the selected webhook, callback or
message, every object it reaches through a ``$ref`` in the same file, and the document's
security schemes, as JSON, hashed. A page whose fingerprint is unchanged is not read again;
one whose fingerprint changed (or that reaches another file, which has no fingerprint) is
read again and compared as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.asyncapi import find_message
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.openapi import find_callback, find_webhook
from sphinxext_callbacks.readers.reader import SourceRequest
from sphinxext_callbacks.readers.refs import Refs

__all__ = ["fingerprint"]

#: Fingerprints made in this process, by file (path and stamp) and selection: the headers
#: table, the body table and the words of one ``callback-request`` share one.
_MADE: dict[tuple[Any, ...], str | None] = {}
_KEEP = 4096
#: How many objects a fingerprint may take in; past it there is none (read again).
_MAX_OBJECTS = 20_000


def fingerprint(request: SourceRequest, cache: FileCache) -> str | None:
    """The fingerprint of what *request* selects, or ``None`` when it has none (another
    file is reached, or the file cannot be read)."""
    stamp = cache.stamp(request.path)
    if stamp is None:
        return None
    key = (
        request.path,
        stamp,
        request.pointer,
        request.webhook,
        request.callback,
        request.message,
    )
    if key not in _MADE:
        if len(_MADE) >= _KEEP:
            _MADE.clear()
        try:
            _MADE[key] = _make(request, cache)
        except RecursionError:
            _MADE[key] = None
    return _MADE[key]


def _make(request: SourceRequest, cache: FileCache) -> str | None:
    loaded = cache.load(request.path, srcdir=request.srcdir, allowed_paths=request.allowed_paths)
    if loaded.problem is not None or not isinstance(loaded.data, Mapping):
        return None
    doc = loaded.data
    refs = Refs(cache, request.srcdir, request.allowed_paths)
    root = refs.root(request.path, doc)
    start = pointers.value_at(doc, unquote(request.pointer)) if request.pointer else doc
    if start is None or (isinstance(start, Mapping) and "$ref" in start):
        return None  # a pointer through a $ref: read again
    found: Any
    if request.webhook is not None:
        found = find_webhook(start, root, request.webhook)
        found = found if isinstance(found, Problem) else found[0]
    elif request.callback is not None:
        found = find_callback(start, root, *request.callback, refs)
        found = found if isinstance(found, Problem) else found[0]
    elif request.message is not None:
        place = find_message(start, root, request.message, refs)
        found = place if isinstance(place, Problem) else pointers.value_at(doc, place.pointer)
    else:
        found = start
    if isinstance(found, Problem) or refs.files - {request.path}:
        return None  # what goes wrong, and what another file holds, is read again
    parts = _closure(found, doc)
    if parts is None:
        return None
    components = doc.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    family = str(doc.get("openapi") or doc.get("asyncapi"))
    text = json.dumps([parts, schemes, family, repr(loaded.warnings)], default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _closure(value: Any, doc: Any) -> list[Any] | None:
    """*value* and every object it reaches by ``$ref``\\ s within the file (``None``: a
    ``$ref`` leaves the file, or there are too many)."""
    parts: list[Any] = [value]
    seen: set[str] = set()
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, Mapping):
            ref = item.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#"):
                    return None
                if ref not in seen:
                    seen.add(ref)
                    if len(seen) > _MAX_OBJECTS:
                        return None
                    target = pointers.value_at(doc, unquote(ref[1:]))
                    parts.append([ref, target])
                    todo.append(target)
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return parts
