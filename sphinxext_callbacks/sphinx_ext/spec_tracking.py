"""Which documents read what a spec says beside its tables, for incremental builds.

``callback-request`` reads a callback's summary, request line and responses, and
``callback-catalogue`` reads the list of a spec's callbacks. Like the tables (see
:mod:`~sphinxext_callbacks.sphinx_ext.tracking`), neither makes the spec a dependency of
its document, which would read all 261 pages of GitHub's webhooks again after an edit of
one: each document keeps a digest of what it read, and when the file changes only the
documents whose digest changed are read again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinxext_callbacks.readers.catalogue import Catalogue, CatalogueRequest, list_callbacks
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.fingerprint import fingerprint
from sphinxext_callbacks.readers.sources import FactsResult, SourceRequest, read_facts
from sphinxext_callbacks.sphinx_ext.build_cache import file_cache
from sphinxext_callbacks.sphinx_ext.tracking import (
    Stamps,
    env_record,
    outdated_documents,
    stamps_of,
)

__all__ = [
    "catalogue_digest",
    "facts_digest",
    "note_catalogue",
    "note_facts",
    "setup_spec_tracking",
]

#: The attribute of the environment that holds, per document, what it read.
ATTRIBUTE = "callbacks_spec_readings"


@dataclass(frozen=True, slots=True)
class SpecReading:
    """One thing a document read from a spec, and a digest of what it found."""

    request: SourceRequest | CatalogueRequest
    digest: str
    stamps: Stamps
    #: See :mod:`~sphinxext_callbacks.readers.fingerprint` (``None``: read again).
    fingerprint: str | None = None


def _digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def facts_digest(result: FactsResult) -> str:
    """A fingerprint of what ``callback-request`` read beside its tables, problems included."""
    return _digest((result.facts, result.problems))


def catalogue_digest(catalogue: Catalogue) -> str:
    """A fingerprint of a catalogue's overview, problems included."""
    return _digest((catalogue.groups, catalogue.problems))


def _record(env: BuildEnvironment) -> dict[str, list[SpecReading]]:
    record: dict[str, list[SpecReading]] = env_record(env, ATTRIBUTE)
    return record


def _note(
    env: BuildEnvironment,
    request: SourceRequest | CatalogueRequest,
    digest: str,
    files: Iterable[str],
    cache: FileCache,
) -> None:
    stamps = stamps_of(files, cache)
    made = (
        fingerprint(request, cache)
        if isinstance(request, SourceRequest) and len(stamps) == 1
        else None
    )
    reading = SpecReading(request, digest, stamps, made)
    readings = _record(env).setdefault(env.docname, [])
    if reading not in readings:
        readings.append(reading)


def note_facts(
    env: BuildEnvironment, request: SourceRequest, result: FactsResult, cache: FileCache
) -> None:
    """Remember that the current document read the facts of ``request``."""
    _note(env, request, facts_digest(result), result.files, cache)


def note_catalogue(
    env: BuildEnvironment, request: CatalogueRequest, catalogue: Catalogue, cache: FileCache
) -> None:
    """Remember that the current document listed the callbacks ``request`` keeps."""
    _note(env, request, catalogue_digest(catalogue), catalogue.files, cache)


def _now(reading: SpecReading, cache: FileCache) -> str:
    if isinstance(reading.request, CatalogueRequest):
        return catalogue_digest(list_callbacks(reading.request, cache))
    return facts_digest(read_facts(reading.request, cache))


def changed_documents(
    env: BuildEnvironment, cache: FileCache, skip: Iterable[str] = ()
) -> list[str]:
    """Documents whose specs now say something else than when they were read."""
    return outdated_documents(
        _record(env), cache, skip, lambda reading: _now(reading, cache) != reading.digest
    )


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    return changed_documents(env, file_cache(env), skip=added | changed | removed)


def _on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _record(env).pop(docname, None)


def _on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: Any
) -> None:
    mine, theirs = _record(env), _record(other)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def setup_spec_tracking(app: Sphinx) -> None:
    """Connect the record to Sphinx's incremental build events."""
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
