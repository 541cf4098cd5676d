"""The build's file cache: one per environment, so that a file is parsed once per build.

It is not kept *on* the environment, which is pickled (parsed specs can be large), and not
in a module global either, which every Sphinx application in the process would share: two
projects built in one process must never see each other's files. A weak mapping keyed by
the environment (as ``render.html_template`` keys its templates by builder) gives each
application its own cache, which goes away with it.
"""

from __future__ import annotations

import re
import weakref
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinxext_callbacks.readers.files import FileCache

__all__ = ["file_cache", "forget_files", "on_env_before_read_docs"]

_caches: weakref.WeakKeyDictionary[BuildEnvironment, FileCache] = weakref.WeakKeyDictionary()


def file_cache(env: BuildEnvironment) -> FileCache:
    """The file cache of ``env``'s build, created on first use."""
    cache = _caches.get(env)
    if cache is None:
        cache = _caches[env] = FileCache()
    return cache


def forget_files(app: Sphinx, *_args: Any) -> None:
    """Start each build with an empty cache (connected to ``builder-inited``)."""
    _caches.pop(app.env, None)


# A :source: option, in reST or in a MyST directive: the path, without its pointer.
_SOURCE_OPTION = re.compile(r"^[ \t]*:source:[ \t]*([^\s#]+)", re.MULTILINE)


def on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Parse the files that the pages to read name, before ``-j`` forks its readers.

    Each reader process inherits the parent's cache, so a spec shared by every page is
    parsed once per build instead of once per process.
    """
    if app.parallel <= 1:
        return
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
