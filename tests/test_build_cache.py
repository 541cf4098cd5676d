"""Per-application state: two Sphinx applications in one process never share a cache."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.render import markup
from sphinxext_callbacks.sphinx_ext import build_cache

from .helpers import WARNING_TYPES, rows, tables, warnings_of


def project(tmp_path: Path, name: str, description: str) -> Path:
    """A project whose one table reads ``spec.json``, a file of the same name in every project."""
    srcdir = tmp_path / name
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinxext_callbacks"]\ncallbacks_description_markup = "markdown"\n',
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(
        "Page\n====\n\n.. callback-table::\n   :source: spec.json\n", encoding="utf-8"
    )
    spec = {"properties": {"id": {"type": "string", "description": description}}}
    (srcdir / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    return srcdir


def test_two_applications_in_one_process_keep_their_own_files(tmp_path: Path) -> None:
    # Both applications exist before either builds, as in a process that builds two projects.
    first = SphinxTestApp(
        "html", srcdir=project(tmp_path, "first", "*First*"), confoverrides=WARNING_TYPES
    )
    second = SphinxTestApp(
        "html", srcdir=project(tmp_path, "second", "*Second*"), confoverrides=WARNING_TYPES
    )
    try:
        first.build()
        second.build()
    finally:
        first.cleanup()
        second.cleanup()
    for app, text in ((first, "First"), (second, "Second")):
        # (The second application warns that Sphinx's own nodes are registered already.)
        assert [w for w in warnings_of(app) if "[callbacks." in w] == []
        [table] = tables(Path(app.outdir) / "index.html")
        assert rows(table) == [["id", text, "string"]]
        # Each cache parsed its own project's file, and only that.
        assert build_cache.file_cache(app.env).parse_count == {
            str(Path(app.srcdir) / "spec.json"): 1
        }
    assert build_cache.file_cache(first.env) is not build_cache.file_cache(second.env)
    # The Markdown parser of the pages' own descriptions too is one per application (data-file
    # text has a parser of its own, with none of a project's MyST settings).
    assert markup._markdown_parser(first.env) is not markup._markdown_parser(second.env)
