"""Which documents read which sources, and whether what they read has changed.

Sphinx re-reads every document that depends on a file whenever the file is
touched. A shared spec is read by many pages, and an edit of one webhook would
then rebuild them all. Instead, each document keeps, per source it read, a digest
of what the source gave it and a fingerprint of the part of the file it read. When
a file changes, a request whose fingerprint changed is read again (in the main
process, which parses the file once and leaves it in the build cache's folder for
the ``-j`` readers) and only the documents whose digests differ are read again.

What a source gave is not kept in the environment, which Sphinx loads and saves whole
on every build: a page read again reads its source again, from the parsed files that
the build cache keeps on disk (see :mod:`~sphinxext_callbacks.sphinx_ext.build_cache`),
so touching a page never parses a shared spec again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinxext_callbacks.model.fields import select_fields
from sphinxext_callbacks.model.paths import Path
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.fingerprint import fingerprint
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source
from sphinxext_callbacks.sphinx_ext.build_cache import file_cache, first_in_reader
from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain

#: The attribute of the environment that holds, per document, what it read.
ATTRIBUTE = "callbacks_readings"

Stamps = tuple[tuple[str, "tuple[int, ...] | None"], ...]


@dataclass(frozen=True, slots=True)
class Reading:
    """One source that one document read, and what it found there."""

    request: SourceRequest
    #: The keys the table keeps: a change to other fields does not concern it.
    include: tuple[Path, ...]
    exclude: tuple[Path, ...]
    digest: str
    #: (path, modification stamp) of every file the reading touched; ``None``: missing.
    stamps: Stamps
    #: Whether the payload's schema and examples concern it (an example, a named table's
    #: published schema), or only the fields the table shows.
    payload: bool = False
    #: A fingerprint of the part of the file it reads (see :mod:`.readers.fingerprint`):
    #: while it is the same, an edit elsewhere in the file does not concern it.
    fingerprint: str | None = None


def digest(
    result: SourceResult,
    include: tuple[Path, ...] = (),
    exclude: tuple[Path, ...] = (),
    payload: bool = False,
) -> str:
    """A fingerprint of what a source gave a table, problems included."""
    callback = result.callback
    given = (
        None
        if callback is None
        else (
            select_fields(callback.fields, include, exclude),
            callback.caption,
            callback.description,
            callback.deprecated,
            callback.notes,
            # What examples are checked against, and the source's own examples.
            (callback.schema, callback.examples) if payload else None,
        ),
        result.problems,
    )
    return hashlib.sha256(repr(given).encode("utf-8")).hexdigest()


def readings(env: BuildEnvironment) -> dict[str, list[Reading]]:
    """The environment's record, created on first use."""
    record: dict[str, list[Reading]] = env_record(env, ATTRIBUTE)
    return record


def read_remembered(
    env: BuildEnvironment, request: SourceRequest, cache: FileCache
) -> SourceResult:
    """What ``request`` gives, read through the build's file cache.

    Kept as the directives' one way in, though nothing is remembered in the environment
    any more: the parsed files are, on disk.
    """
    return read_source(request, cache)


def stamps_of(files: Iterable[str], cache: FileCache) -> Stamps:
    """(path, modification stamp) of each of *files*, in order."""
    return tuple(sorted((path, cache.stamp(path)) for path in files))


def env_record(env: Any, name: str) -> Any:
    """The dict the environment keeps under the attribute *name*, created on first use."""
    value = getattr(env, name, None)
    if value is None:
        value = {}
        setattr(env, name, value)
    return value


def note_reading(
    env: BuildEnvironment,
    request: SourceRequest,
    result: SourceResult,
    cache: FileCache,
    include: tuple[Path, ...] = (),
    exclude: tuple[Path, ...] = (),
    payload: bool = False,
) -> None:
    """Remember that the current document read ``request`` and got ``result``."""
    stamps = stamps_of(result.files, cache)
    reading = Reading(
        request,
        include,
        exclude,
        digest(result, include, exclude, payload),
        stamps,
        payload,
        fingerprint(request, cache) if len(stamps) == 1 else None,
    )
    record = readings(env).setdefault(env.docname, [])
    if reading not in record:
        record.append(reading)


class Tracked(Protocol):
    """What both kinds of reading keep to tell whether their document is outdated."""

    @property
    def request(self) -> Any: ...
    @property
    def stamps(self) -> Stamps: ...
    @property
    def fingerprint(self) -> str | None: ...


T = TypeVar("T", bound=Tracked)


def outdated_documents(
    record: Mapping[str, Sequence[T]],
    cache: FileCache,
    skip: Iterable[str],
    gives_else: Callable[[T], bool],
) -> list[str]:
    """Documents of *record* (but *skip*) with a reading whose files changed where it reads
    them, and that *gives_else* now."""
    skipped = set(skip)
    outdated: list[str] = []
    for docname, items in sorted(record.items()):
        if docname in skipped:
            continue
        for reading in items:
            if all(cache.stamp(path) == stamp for path, stamp in reading.stamps):
                continue
            if reading.fingerprint is not None and (
                fingerprint(reading.request, cache) == reading.fingerprint
            ):
                continue  # the file changed, but not where this reading reads it
            if gives_else(reading):
                outdated.append(docname)
                break
    return outdated


def changed_documents(
    env: BuildEnvironment, cache: FileCache, skip: Iterable[str] = ()
) -> list[str]:
    """Documents whose sources now give something else than when they were read."""

    def gives_else(reading: Reading) -> bool:
        result = read_remembered(env, reading.request, cache)
        return digest(result, reading.include, reading.exclude, reading.payload) != reading.digest

    return outdated_documents(readings(env), cache, skip, gives_else)


def on_env_get_outdated(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    return changed_documents(env, file_cache(env), skip=added | changed | removed)


def on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    readings(env).pop(docname, None)


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """In a ``-j`` reader, forget what the main process keeps about other documents.

    Nothing read needs it (links and examples resolve after every document is read, in
    the main process), and every reader sent it all back: at 2,000 tables the main
    process spent about a second unpickling the domain's tables again and again.
    """
    if first_in_reader(app.env):
        readings(app.env).clear()
        cast("CallbackDomain", app.env.get_domain(CallbackDomain.name)).forget_documents()


def on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: Any
) -> None:
    mine, theirs = readings(env), readings(other)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]
