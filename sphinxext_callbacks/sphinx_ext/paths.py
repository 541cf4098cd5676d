"""File names that directives and options give, resolved as Sphinx resolves them."""

from __future__ import annotations

import os

from sphinx.environment import BuildEnvironment


def relfn2path(env: BuildEnvironment, filename: str, docname: str | None = None) -> tuple[str, str]:
    """``env.relfn2path``, but a symbolic-link loop is not an exception.

    Sphinx resolves the path, and pathlib raises on a loop (``RuntimeError`` before
    Python 3.13). The path is then kept as written, and reading it says what is wrong.
    """
    try:
        rel, absolute = env.relfn2path(filename, docname)
    except (OSError, RuntimeError):
        if filename.startswith(("/", os.sep)):
            rel = os.path.normpath(filename.lstrip("/" + os.sep))
        else:
            folder = os.path.dirname(docname if docname is not None else env.docname)
            rel = os.path.normpath(os.path.join(folder, filename))
        absolute = os.path.join(str(env.srcdir), rel)
    return str(rel), str(absolute)
