"""The build's file cache: one per environment, backed by a folder of parsed files.

It is not kept *on* the environment, which is pickled whole on every build (parsed specs
are large), and not in a module global either, which every Sphinx application in the
process would share: two projects built in one process must never see each other's
files. A weak mapping keyed by the environment (as ``render.html_template`` keys its
templates by builder) gives each application its own cache, which goes away with it.

What a file parses to is also kept in ``callbacks-cache/`` in the doctree folder, keyed
by the file's content (see :class:`~sphinxext_callbacks.readers.files.FileCache`): the
next build, and each ``-j`` reader process, loads it instead of parsing the file again.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import re
import weakref
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinxext_callbacks.readers.files import FileCache, prune_folder

__all__ = [
    "FOLDER",
    "extension_version",
    "file_cache",
    "first_in_reader",
    "forget_files",
    "on_build_finished",
    "on_env_before_read_docs",
    "on_env_updated",
]

#: The cache's folder, inside the doctree folder (``sphinx-build -E`` keeps it: it is
#: keyed by content, so nothing in it can be stale).
FOLDER = "callbacks-cache"

_caches: weakref.WeakKeyDictionary[BuildEnvironment, FileCache] = weakref.WeakKeyDictionary()
#: The process that forks the ``-j`` readers, by environment (see :func:`first_in_reader`).
_main: weakref.WeakKeyDictionary[BuildEnvironment, int] = weakref.WeakKeyDictionary()


def file_cache(env: BuildEnvironment) -> FileCache:
    """The file cache of ``env``'s build, created on first use."""
    cache = _caches.get(env)
    if cache is None:
        folder = os.path.join(env.doctreedir, FOLDER)
        cache = _caches[env] = FileCache(folder=folder, salt=extension_version())
    return cache


@functools.cache
def extension_version() -> str:
    """The installed extension's version, which what is kept from build to build depends on
    (the package's ``__init__`` is a higher layer)."""
    try:
        return importlib.metadata.version("sphinxext-callbacks")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        return ""


def forget_files(app: Sphinx, *_args: Any) -> None:
    """Start each build with an empty cache (connected to ``builder-inited``)."""
    _caches.pop(app.env, None)


# A :source: option, in reST or in a MyST directive: the path, without its pointer.
_SOURCE_OPTION = re.compile(r"^[ \t]*:source:[ \t]*([^\s#]+)", re.MULTILINE)


def on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Make sure the cache folder holds the files the pages to read name, before ``-j``
    forks its readers.

    Otherwise the first two readers would each parse a spec that every page shares.
    When the folder already holds it (an incremental build) this only hashes the file.
    The main process then lets go of the data: each reader loads it from the folder
    in a fraction of the parse's time, and the main process does not carry it through
    the rest of the build.
    """
    if app.parallel <= 1:
        return
    _main[env] = os.getpid()
    cache = file_cache(env)
    allowed = tuple(app.config.callbacks_allowed_paths)
    for docname in docnames:
        try:
            text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the reader reports it
        for match in _SOURCE_OPTION.finditer(text):
            try:
                _rel, path = env.relfn2path(match.group(1), docname)
            except (OSError, RuntimeError):
                continue  # a symbolic link loop (RuntimeError before Python 3.13): as above
            cache.load(path, srcdir=str(env.srcdir), allowed_paths=allowed)
    cache.release()


def first_in_reader(env: BuildEnvironment) -> bool:
    """Whether this process is a ``-j`` reader about to read its first document.

    Sphinx forks each reader from the main process, with all that the main process knows
    so far, and pickles the reader's whole environment back; the main process takes from
    it only the documents the reader read. What a reader forgets of the others is then
    not pickled, sent and unpickled again with every chunk of documents.
    """
    main = _main.get(env)
    if main is None or main == os.getpid():
        return False
    _main[env] = os.getpid()  # the reader's own copy: its next document is not the first
    return True


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Let go of the parsed files once every page is read: writing does not need them."""
    file_cache(env).release()
    return []


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """Keep the cache folder within its bounds (no reader is writing to it now)."""
    prune_folder(os.path.join(app.doctreedir, FOLDER))
