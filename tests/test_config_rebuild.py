"""Each configuration value asks Sphinx for the narrowest rebuild that is correct.

A value that changes the doctree must be ``"env"`` (every page is read again); one that
changes only what the HTML builder writes must be ``"html"`` (the doctrees stay, the pages
are written again), so that changing it does not re-read a large project. For each value,
the same project is built twice from scratch, with the default and with another value, and
the doctree and the HTML compared: the first that differs is the rebuild the value needs.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.sphinx_ext.config import SETTINGS

SCHEMA = {
    "type": "object",
    "properties": {
        "status": {
            "type": ["string", "null"],
            "enum": ["sent", "failed"],
            "description": {
                "en": "The *status*, see [the errors](/errors/status).",
                "fr": "Le *statut*.",
            },
        },
        "id": {"type": "string"},
    },
}

INLINE = """
.. callback-table:: receipt

   id : UUID
      The id
"""

NESTED = """
.. callback-table:: receipt

   data
      The data
   data.a
      A
   data.b
      B
   data.c
      C
"""

FROM_FILE = """
.. callback-table:: receipt
   :source: {path}
"""

#: Each value: the other value tried, the page's table, and values both builds share.
CASES: dict[str, tuple[Any, str, dict[str, Any]]] = {
    "callbacks_headings": (["Name", "Meaning", "Type"], INLINE, {}),
    "callbacks_null_text": ("or nil", FROM_FILE.format(path="schema.json"), {}),
    "callbacks_enum_separator": (" or ", FROM_FILE.format(path="schema.json"), {}),
    "callbacks_allowed_paths": (
        ["../outside"],
        FROM_FILE.format(path="../outside/schema.json"),
        {},
    ),
    "callbacks_description_markup": ("markdown", FROM_FILE.format(path="schema.json"), {}),
    "callbacks_default_language": (
        "fr",
        FROM_FILE.format(path="schema.json"),
        {"language": "de"},
    ),
    "callbacks_link_base": (
        "https://docs.example/",
        FROM_FILE.format(path="schema.json"),
        {"callbacks_description_markup": "markdown"},
    ),
    "callbacks_index_fields": (True, INLINE, {}),
    "callbacks_html_template": ("govuk.html", INLINE, {}),
    "callbacks_fold_rows": (1, NESTED, {}),
    "callbacks_max_rows": (1, FROM_FILE.format(path="schema.json"), {}),
    "callbacks_schema_links": (False, INLINE, {}),
}


def build(srcdir: Path, name: str, overrides: dict[str, Any]) -> tuple[str, str]:
    """The doctree of ``index`` (as text) and its HTML, from a fresh build."""
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=srcdir.parent / "build" / name,
        freshenv=True,
        confoverrides=overrides,
        status=StringIO(),
        warning=StringIO(),
    )
    try:
        app.build()
        doctree = app.env.get_doctree("index").pformat()
        html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    finally:
        app.cleanup()
    return doctree, html


def needed_rebuild(tmp_path: Path, name: str) -> str:
    """What changing ``name`` from its default to the case's other value changes."""
    other, page, shared = CASES[name]
    srcdir = tmp_path / "src"
    outside = tmp_path / "outside"
    for folder in (srcdir, outside):
        folder.mkdir()
        (folder / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (srcdir / "conf.py").write_text('extensions = ["sphinxext_callbacks"]\n', encoding="utf-8")
    (srcdir / "index.rst").write_text(f"Page\n====\n{page}", encoding="utf-8")
    default = next(s.default for s in SETTINGS if s.name == name)
    first = build(srcdir, "default", {**shared, name: default})
    second = build(srcdir, "other", {**shared, name: other})
    if first[0] != second[0]:
        return "env"
    if first[1] != second[1]:
        return "html"
    return ""


def test_every_value_has_a_case() -> None:
    assert sorted(CASES) == sorted(setting.name for setting in SETTINGS)


@pytest.mark.parametrize("setting", SETTINGS, ids=[setting.name for setting in SETTINGS])
def test_the_rebuild_is_the_narrowest_that_is_correct(tmp_path: Path, setting: Any) -> None:
    assert setting.rebuild == needed_rebuild(tmp_path, setting.name)


@pytest.mark.sphinx("html", testroot="inline", freshenv=True)
def test_sphinx_is_told_the_rebuild_of_each_value(app: SphinxTestApp) -> None:
    for setting in SETTINGS:
        option = app.config.values[setting.name]
        assert getattr(option, "rebuild", None) or option[1] == setting.rebuild, setting.name
