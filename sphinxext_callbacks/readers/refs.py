"""``$ref`` resolution with ``referencing``, over local files only.

A :class:`Location` says where a value lives (its resolver, the URI of its file and a
JSON Pointer there); :class:`Refs` resolves ``$ref`` from a location through a
``referencing`` registry whose retrieval loads files with
:class:`~sphinxext_callbacks.readers.files.FileCache` (and so obeys the same path
rules). Nothing is ever fetched from the network. Every reader that follows a
``$ref`` (JSON Schema, OpenAPI, AsyncAPI) uses this module.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

from sphinxext_callbacks.model.fields import Origin
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.files import FileCache, check_allowed, display_path

if TYPE_CHECKING:
    # ``referencing`` itself is imported where a $ref is resolved: a project whose tables
    # are all inline never pays for importing it (about 25 ms of every build).
    from referencing import Registry, Resource

__all__ = ["Location", "Refs", "deref", "file_uri", "uri_path"]

#: How many ``$ref``s in a row :func:`deref` follows before it calls it a loop.
MAX_CHAIN = 16


def file_uri(path: str) -> str:
    """The ``file:`` URI of an absolute path."""
    return Path(path).as_uri()


def uri_path(uri: str) -> str | None:
    """The local path of a ``file:`` URI, else ``None``."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    return os.path.normpath(url2pathname(unquote(parts.path)))


@dataclass(frozen=True)
class Location:
    """Where a value lives: its resolver, the URI of its resource and its pointer there."""

    resolver: Any  # referencing.Resolver: its generic type is not exported
    uri: str
    pointer: str = ""

    def child(self, *segments: str | int) -> Location:
        """The location of a value inside this one."""
        return replace(self, pointer=self.pointer + pointers.join(segments))


class Refs:
    """``$ref`` resolution for one read: a ``referencing`` registry over local files.

    Remote (``http:``/``https:``) and non-file URIs are refused; files go through the
    cache and the path rules. Every path tried is recorded in :attr:`files` (so that
    the directive can depend on it), and why a URI failed in :attr:`failures`.
    """

    def __init__(
        self, cache: FileCache, srcdir: str = "", allowed_paths: Sequence[str] = ()
    ) -> None:
        self.cache = cache
        self.srcdir = srcdir
        self.allowed_paths = tuple(allowed_paths)
        self.files: set[str] = set()
        self.failures: dict[str, Problem] = {}
        #: Problems of files that were read all the same (duplicate keys).
        self.warnings: list[Problem] = []
        from referencing import Registry

        self.registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]

    @staticmethod
    def resource(data: Any) -> Resource[Any]:
        """A referencing resource for *data*, in the dialect its ``$schema`` names
        (2020-12 when it names none)."""
        from referencing.jsonschema import DRAFT4, DRAFT202012, specification_with

        spec = DRAFT202012
        if isinstance(data, Mapping):
            dialect = data.get("$schema")
            if isinstance(dialect, str):
                spec = specification_with(dialect, default=DRAFT202012)
            elif "openapi" in data and str(data["openapi"]).startswith("3.0"):
                # OpenAPI 3.0's schema objects are a draft-4 superset.
                spec = DRAFT4
        return spec.create_resource(data)

    def root(self, path: str, data: Any) -> Location:
        """The location of a loaded file's root, registered so that refs can come back to it."""
        uri = file_uri(path)
        self.files.add(path)
        resource = self.resource(data)
        pairs = [(uri, resource)]
        # A document may refer to itself by an absolute $id: register that name too.
        own_id = data.get("$id") if isinstance(data, Mapping) else None
        if isinstance(own_id, str) and urlsplit(own_id).scheme:
            pairs.append((urldefrag(own_id).url, resource))
        self.registry = self.registry.with_resources(pairs)
        return Location(self.registry.resolver(base_uri=uri), uri)

    def relpath(self, uri: str) -> str:
        """A URI as the author would write it: a path relative to the source directory."""
        path = uri_path(uri)
        return display_path(path, self.srcdir) if path else uri

    def scope(self, schema: Mapping[str, Any], at: Location) -> Location:
        r"""Where *schema*'s own ``$ref``\s resolve from: a nested ``$id`` starts a resource of
        its own (``at`` otherwise)."""
        nested_id = schema.get("$id")
        if not isinstance(nested_id, str) or not at.pointer:
            return at
        return replace(
            at,
            resolver=at.resolver.in_subresource(self.resource(schema)),
            uri=urldefrag(urljoin(at.uri, nested_id)).url,
            pointer="",
        )

    def origin(self, location: Location) -> str:
        """``relpath#/pointer`` of a location."""
        return f"{self.relpath(location.uri)}#{location.pointer}"

    def place(self, location: Location) -> Origin:
        """Where a location is, as a value: the file as the author names it, and the pointer."""
        return Origin(self.relpath(location.uri), location.pointer)

    def _retrieve(self, uri: str) -> Resource[Any]:
        from referencing.exceptions import NoSuchResource

        scheme = urlsplit(uri).scheme
        if scheme in ("http", "https"):
            self.failures[uri] = Problem(
                "ref", f"remote $ref {uri} refused: sphinxext-callbacks never uses the network"
            )
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        path = uri_path(uri)
        if path is None:
            self.failures[uri] = Problem("ref", f"$ref {uri} is not a local file")
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        self.files.add(path)
        refused = check_allowed(path, self.srcdir, self.allowed_paths)
        if refused is not None:
            self.failures[uri] = refused
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        loaded = self.cache.load(path, srcdir=self.srcdir, allowed_paths=self.allowed_paths)
        if loaded.problem is not None:
            self.failures[uri] = Problem("ref", loaded.problem.message)
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        self.warnings.extend(w for w in loaded.warnings if w not in self.warnings)
        return self.resource(loaded.data)

    def follow(self, ref: str, at: Location) -> tuple[Any, Location] | Problem:
        """Resolve ``$ref`` *ref* written at *at*: the target value and its location."""
        if ref.startswith("#"):
            target = at.uri
            fragment = ref[1:]
        else:
            target, fragment = urldefrag(urljoin(at.uri, ref))
        scheme = urlsplit(target).scheme
        if scheme in ("http", "https") and target not in self._known():
            local = self._local_copy(target, at)
            if local is not None:
                uri = file_uri(local)
                return self._lookup(at, uri + (f"#{fragment}" if fragment else ""), uri, fragment)
            return Problem(
                "ref",
                f"remote $ref {ref!r} in {self.origin(at)} refused: "
                "sphinxext-callbacks never uses the network; download the file and refer to it",
            )
        found = self._lookup(at, ref, target, fragment)
        if (
            isinstance(found, Problem)
            and not ref.startswith("#")
            and not urlsplit(ref).scheme
            and self._has_relative_id(at.uri)
        ):
            # Relative $ids (octokit's "issues$opened" next to "common/user.schema.json")
            # name schemas by their place under a root folder, not next to the referrer:
            # try the same relative name from each folder above.
            retry = self._from_ancestors(at, ref, fragment)
            if retry is not None:
                return retry
        return found

    def _local_copy(self, target: str, at: Location) -> str | None:
        """A local file that declares ``$id`` *target*, found next to the referrer.

        Schemas published under absolute ``$id``s (``https://example.com/schemas/a.json``)
        usually sit side by side on disk as they do on the server: map the target's
        place relative to the referrer's ``$id`` onto the referrer's folder, and use
        that file only if it declares the very same ``$id``.
        """
        path = uri_path(at.uri)
        if path is None:
            return None
        loaded = self.cache.load(path, srcdir=self.srcdir, allowed_paths=self.allowed_paths)
        own_id = loaded.data.get("$id") if isinstance(loaded.data, Mapping) else None
        if not isinstance(own_id, str):
            return None
        mine, theirs = urlsplit(own_id), urlsplit(target)
        if (mine.scheme, mine.netloc) != (theirs.scheme, theirs.netloc):
            return None
        relative = posixpath.relpath(theirs.path or "/", posixpath.dirname(mine.path) or "/")
        candidate = os.path.normpath(os.path.join(os.path.dirname(path), *relative.split("/")))
        if not os.path.isfile(candidate) or check_allowed(
            candidate, self.srcdir, self.allowed_paths
        ):
            return None
        other = self.cache.load(candidate, srcdir=self.srcdir, allowed_paths=self.allowed_paths)
        other_id = other.data.get("$id") if isinstance(other.data, Mapping) else None
        if not isinstance(other_id, str) or urldefrag(other_id).url != target:
            return None
        return candidate

    def _has_relative_id(self, uri: str) -> bool:
        path = uri_path(uri)
        if path is None:
            return False
        loaded = self.cache.load(path, srcdir=self.srcdir, allowed_paths=self.allowed_paths)
        own_id = loaded.data.get("$id") if isinstance(loaded.data, Mapping) else None
        return isinstance(own_id, str) and not urlsplit(own_id).scheme

    def _known(self) -> set[str]:
        return {uri for uri, _ in self.registry.items()}

    def _lookup(
        self, at: Location, ref: str, target: str, fragment: str
    ) -> tuple[Any, Location] | Problem:
        from referencing.exceptions import Unresolvable

        try:
            resolved = at.resolver.lookup(ref)
        except Unresolvable:
            failure = self.failures.get(target)
            where = f"$ref {ref!r} in {self.origin(at)}"
            if failure is not None and failure.subtype == "source":
                return Problem("source", f"{where} is refused: {failure.message}")
            reason = f": {failure.message}" if failure is not None else ""
            return Problem("ref", f"{where} resolves nowhere{reason}")
        except (ValueError, TypeError, LookupError, AttributeError):
            # referencing assumes well-formed schemas: its pointer walk and anchor crawl
            # raise these on a pointer through a scalar or on a list where a schema belongs.
            return Problem("ref", f"$ref {ref!r} in {self.origin(at)} resolves nowhere")
        pointer = unquote(fragment) if fragment.startswith("/") else ""
        return resolved.contents, Location(resolved.resolver, target, pointer)

    def _from_ancestors(self, at: Location, ref: str, fragment: str) -> tuple[Any, Location] | None:
        path = uri_path(at.uri)
        if path is None:
            return None
        here = os.path.dirname(path)
        roots = [p for p in (self.srcdir, *self.allowed_paths) if p]
        for _ in range(8):
            parent = os.path.dirname(here)
            if parent == here:
                return None
            here = parent
            candidate = os.path.normpath(os.path.join(here, unquote(ref.partition("#")[0])))
            if roots and not any(
                os.path.commonpath([candidate, os.path.abspath(r)]) == os.path.abspath(r)
                for r in roots
            ):
                return None
            if os.path.isfile(candidate):
                uri = file_uri(candidate)
                found = self._lookup(at, uri + ("#" + fragment if fragment else ""), uri, fragment)
                return None if isinstance(found, Problem) else found
        return None


def deref(value: Any, at: Location, refs: Refs) -> tuple[Any, Location] | Problem:
    """Follow a chain of ``$ref`` objects (path items, request bodies, messages) to a value."""
    seen: set[str] = set()
    while isinstance(value, Mapping) and isinstance(value.get("$ref"), str):
        found = refs.follow(value["$ref"], at)
        if isinstance(found, Problem):
            return found
        value, at = found
        key = f"{at.uri}#{at.pointer}"
        if key in seen or len(seen) > MAX_CHAIN:
            return Problem("ref", f"$ref loop at {refs.origin(at)}")
        seen.add(key)
    return value, at
