"""Every callback of a spec, for ``callback-catalogue``: read, filtered, grouped and ordered.

:func:`list_callbacks` loads the file through the build's :class:`FileCache`, asks the
OpenAPI and AsyncAPI readers for what the file holds (:class:`~.listing.Listed` values),
keeps what ``:include:`` and ``:exclude:`` allow, reports names that two callbacks share,
and orders the groups as the spec's ``tags`` list, then by name.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers.asyncapi import is_asyncapi, list_asyncapi, version_problem
from sphinxext_callbacks.readers.files import FileCache, display_path
from sphinxext_callbacks.readers.listing import Listed, tag_names
from sphinxext_callbacks.readers.openapi import list_openapi
from sphinxext_callbacks.readers.refs import Refs

__all__ = ["Catalogue", "CatalogueRequest", "list_callbacks", "matches"]


@dataclass(frozen=True)
class CatalogueRequest:
    """What a ``callback-catalogue`` asks for."""

    #: Absolute path of the spec.
    path: str
    srcdir: str = ""
    allowed_paths: tuple[str, ...] = ()
    #: Names or glob patterns (``*-deleted``) to keep, and to drop.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: A JSON pointer inside each operation (or message) whose value is its group.
    group_by: str | None = None


@dataclass
class Catalogue:
    """What a spec lists, grouped: ``(group, callbacks)`` in the order shown."""

    groups: list[tuple[str, list[Listed]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Every absolute path read ($ref'd files included).
    files: set[str] = field(default_factory=set)

    @property
    def callbacks(self) -> list[Listed]:
        """Every callback kept, in the order shown."""
        return [listed for _, members in self.groups for listed in members]


def matches(name: str, patterns: Sequence[str]) -> bool:
    """Whether *name* is one of *patterns*, or matches one as a glob (``*``, ``?``, ``[ab]``)."""
    return any(name == pattern or fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def list_callbacks(request: CatalogueRequest, cache: FileCache) -> Catalogue:
    """Every callback *request* keeps, grouped and ordered. Never raises for bad input."""
    path = os.path.abspath(request.path)
    rel = display_path(path, request.srcdir)
    catalogue = Catalogue(files={path})
    loaded = cache.load(path, srcdir=request.srcdir, allowed_paths=request.allowed_paths)
    if loaded.problem is not None:
        catalogue.problems.append(loaded.problem)
        return catalogue
    doc = loaded.data
    catalogue.problems.extend(loaded.warnings)
    refs = Refs(cache, request.srcdir, request.allowed_paths)
    root = refs.root(path, doc)
    too_old = version_problem(doc)
    if too_old is not None:
        catalogue.problems.append(Problem(too_old.subtype, f"{rel}: {too_old.message}"))
        return catalogue
    try:
        if is_asyncapi(doc):
            listed = list_asyncapi(doc, root, refs, request.group_by)
        else:
            listed = list_openapi(doc, root, refs, request.group_by)
    except RecursionError:
        listed = []
        catalogue.problems.append(Problem("schema", f"{rel}: nested too deeply to read"))
    catalogue.files |= refs.files
    catalogue.problems.extend(refs.warnings)
    if not listed:
        catalogue.problems.append(_nothing_there(rel, doc))
        return catalogue
    kept = _unique(listed, catalogue.problems)
    kept = _filtered(kept, request, catalogue.problems)
    catalogue.groups = _grouped(kept, doc)
    return catalogue


def _nothing_there(rel: str, doc: Any) -> Problem:
    if is_asyncapi(doc):
        return Problem("schema", f"{rel} holds no callbacks: the AsyncAPI document has no messages")
    if isinstance(doc, Mapping) and ("openapi" in doc or "paths" in doc):
        return Problem(
            "schema",
            f"{rel} holds no callbacks: the OpenAPI document has no webhooks, no x-webhooks "
            "and no callbacks of operations",
        )
    return Problem(
        "schema",
        f"{rel} holds no callbacks: it is not an OpenAPI 3.x or AsyncAPI 2.x/3.x document",
    )


def _unique(listed: list[Listed], problems: list[Problem]) -> list[Listed]:
    """The first callback of each name; a name that two callbacks share is reported."""
    kept: dict[str, Listed] = {}
    for each in listed:
        first = kept.get(each.name)
        if first is None:
            kept[each.name] = each
            continue
        problems.append(
            Problem(
                "schema",
                f"two callbacks are named {each.name!r} ({first.origin} and {each.origin}); "
                "the catalogue shows the first (give the operations an operationId to tell "
                "them apart)",
            )
        )
    return list(kept.values())


def _filtered(
    listed: list[Listed], request: CatalogueRequest, problems: list[Problem]
) -> list[Listed]:
    for option, patterns in (("include", request.include), ("exclude", request.exclude)):
        for pattern in patterns:
            if not any(matches(each.name, (pattern,)) for each in listed):
                problems.append(Problem("option", f":{option}: {pattern!r} matches no callback"))
    if request.include:
        listed = [each for each in listed if matches(each.name, request.include)]
    return [each for each in listed if not matches(each.name, request.exclude)]


def _grouped(listed: list[Listed], doc: Any) -> list[tuple[str, list[Listed]]]:
    """Groups in the order of the spec's ``tags``, then by name (no group last); callbacks
    by name within each."""
    order = {name: index for index, name in enumerate(tag_names(doc.get("tags")))}
    groups: dict[str, list[Listed]] = {}
    for each in listed:
        groups.setdefault(each.group, []).append(each)
    ranked = sorted(groups, key=lambda group: (group == "", order.get(group, len(order)), group))
    return [(group, sorted(groups[group], key=lambda each: each.name)) for group in ranked]
