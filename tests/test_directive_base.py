"""What both directives get from ``CallbacksDirective``: a bug or a hostile example is one
located warning, never a traceback, and the rest of the page is still written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.model.examples import MAX_DEPTH
from sphinxext_callbacks.sphinx_ext import example_directive
from sphinxext_callbacks.sphinx_ext.example_directive import CallbackExampleDirective
from sphinxext_callbacks.sphinx_ext.table_directive import CallbackTableDirective

from .helpers import WARNING_TYPES, warnings_of

TABLE = """\
.. callback-table:: receipt

   id
      The id.
      :type: string
"""


def project(tmp_path: Path, body: str, **files: str) -> Path:
    """A one-page project: ``index.rst`` is ``body``, with ``files`` beside it."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinxext_callbacks"]\n', encoding="utf-8")
    (srcdir / "index.rst").write_text(f"Page\n====\n\n{body}", encoding="utf-8")
    for name, text in files.items():
        (srcdir / name).write_text(text, encoding="utf-8")
    return srcdir


def build(srcdir: Path, verbosity: int = 0) -> SphinxTestApp:
    app = SphinxTestApp(
        "html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES, verbosity=verbosity
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def line_of(srcdir: Path, text: str) -> int:
    """The 1-based line of ``index.rst`` that holds ``text``."""
    lines = (srcdir / "index.rst").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def page_text(app: SphinxTestApp) -> str:
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").get_text(" ")


# -- The guard ------------------------------------------------------------------------------------


def boom(*_args: object) -> object:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("directive", "method", "markup"),
    [
        (
            CallbackExampleDirective,
            "_example_text",
            f'{TABLE}\n.. callback-example:: receipt\n\n   {{"id": "1"}}',
        ),
        (CallbackTableDirective, "_read_fields", TABLE),
    ],
)
def test_a_bug_is_one_located_internal_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directive: type, method: str, markup: str
) -> None:
    monkeypatch.setattr(directive, method, boom)
    name = "callback-example" if directive is CallbackExampleDirective else "callback-table"
    srcdir = project(tmp_path, f"{markup}\n\nThe page goes on.\n")
    app = build(srcdir)
    line = line_of(srcdir, f".. {name}::")
    assert warnings_of(app) == [
        f"{srcdir / 'index.rst'}:{line}: WARNING: internal error in {name} (RuntimeError: boom); "
        "please report it at https://github.com/sphinxext-callbacks/sphinxext-callbacks/issues "
        "[callbacks.internal]"
    ]
    assert "Traceback" not in app._warning.getvalue()
    assert "Traceback" not in app._status.getvalue()
    assert "The page goes on." in page_text(app)


def test_the_traceback_is_kept_for_verbose_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CallbackExampleDirective, "_example_text", boom)
    srcdir = project(tmp_path, f"{TABLE}\n.. callback-example:: receipt\n\n   {{}}\n")
    app = build(srcdir, verbosity=1)
    assert len(warnings_of(app)) == 1
    status = app._status.getvalue()
    assert "Traceback (most recent call last)" in status
    assert 'raise RuntimeError("boom")' in status


# -- Deep JSON ------------------------------------------------------------------------------------


def nested_objects(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("arrays in the body", "[" * 100_000),
        ("objects in the body", nested_objects(700)),
    ],
)
def test_deep_json_in_the_body_is_an_example_warning(tmp_path: Path, name: str, body: str) -> None:
    srcdir = project(tmp_path, f"{TABLE}\n.. callback-example:: receipt\n\n   {body}\n\nAfter.\n")
    app = build(srcdir)
    line = line_of(srcdir, body[:50])
    assert warnings_of(app) == [
        f"{srcdir / 'index.rst'}:{line}: WARNING: the JSON nests more than {MAX_DEPTH} levels "
        "deep, which this extension does not read [callbacks.example]"
    ]
    assert "Traceback" not in app._warning.getvalue()
    assert "After." in page_text(app)


def test_deep_json_in_a_file_is_an_example_warning(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path,
        f"{TABLE}\n.. callback-example:: receipt\n   :file: deep.json\n\nAfter.\n",
        **{"deep.json": nested_objects(700)},
    )
    app = build(srcdir)
    line = line_of(srcdir, ".. callback-example::")
    assert warnings_of(app) == [
        f"{srcdir / 'index.rst'}:{line}: WARNING: deep.json, line 1: the JSON nests more than "
        f"{MAX_DEPTH} levels deep, which this extension does not read [callbacks.example]"
    ]
    assert "After." in page_text(app)


def test_deep_json_with_a_source_is_an_example_warning(tmp_path: Path) -> None:
    schema = json.dumps({"properties": {"id": {"type": "string"}}})
    srcdir = project(
        tmp_path,
        f".. callback-example::\n   :source: schema.json\n\n   {'[' * 1000}\n\nAfter.\n",
        **{"schema.json": schema},
    )
    app = build(srcdir)
    assert [w.rsplit(" ", 1)[-1] for w in warnings_of(app)] == ["[callbacks.example]"]
    assert "After." in page_text(app)


def test_json_as_deep_as_allowed_is_read(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path,
        ".. callback-table:: deep\n\n   a\n      Deep.\n      :type: object\n\n"
        f".. callback-example:: deep\n\n   {nested_objects(MAX_DEPTH - 1)}\n",
    )
    app = build(srcdir)
    assert warnings_of(app) == []


# -- Files that cannot be opened ------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_a_symlink_loop_as_file_is_a_source_warning(tmp_path: Path) -> None:
    srcdir = project(tmp_path, f"{TABLE}\n.. callback-example:: receipt\n   :file: loop.json\n")
    (srcdir / "loop.json").symlink_to(srcdir / "loop.json")
    app = build(srcdir)
    warnings = warnings_of(app)
    assert len(warnings) == 1
    assert "cannot read loop.json" in warnings[0]
    assert warnings[0].endswith("[callbacks.source]")


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_a_symlink_loop_as_source_is_a_source_warning(tmp_path: Path) -> None:
    srcdir = project(tmp_path, ".. callback-table::\n   :source: loop.json\n\nAfter.\n")
    (srcdir / "loop.json").symlink_to(srcdir / "loop.json")
    app = build(srcdir)
    line = line_of(srcdir, ".. callback-table::")
    # Sphinx 8+ resolves the path (which finds the loop on Python < 3.13); else opening does.
    [warning] = warnings_of(app)
    assert warning.startswith(f"{srcdir / 'index.rst'}:{line}: WARNING: cannot read loop.json: ")
    assert warning.endswith("[callbacks.source]")
    assert "After." in page_text(app)


def test_a_bug_while_resolving_an_example_is_one_located_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A named callback's example is made when the page is written, not when it is read.
    monkeypatch.setattr(example_directive, "example_text", boom)
    srcdir = project(
        tmp_path, f"{TABLE}\n.. callback-example:: receipt\n   :caption: Receipt\n\nAfter.\n"
    )
    app = build(srcdir)
    line = line_of(srcdir, ".. callback-example::")
    assert warnings_of(app) == [
        f"{srcdir / 'index.rst'}:{line}: WARNING: internal error in callback-example "
        "(RuntimeError: boom); please report it at "
        "https://github.com/sphinxext-callbacks/sphinxext-callbacks/issues [callbacks.internal]"
    ]
    text = page_text(app)
    assert "After." in text
    assert "Receipt" not in text  # no caption left standing without its example


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_parallel_reading_survives_a_symlink_loop(tmp_path: Path) -> None:
    # Eight pages, so that -j 2 really reads in parallel (and parses sources before it forks).
    srcdir = project(
        tmp_path,
        ".. toctree::\n\n" + "".join(f"   page{n}\n" for n in range(8)),
    )
    (srcdir / "loop.json").symlink_to(srcdir / "loop.json")
    for n in range(8):
        source = "loop.json" if n == 3 else "spec.json"
        (srcdir / f"page{n}.rst").write_text(
            f"Page {n}\n======\n\n.. callback-table::\n   :source: {source}\n", encoding="utf-8"
        )
    (srcdir / "spec.json").write_text(
        json.dumps({"properties": {"id": {"type": "string"}}}), encoding="utf-8"
    )
    app = SphinxTestApp(
        "html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES, parallel=2
    )
    try:
        app.build()
    finally:
        app.cleanup()
    [warning] = warnings_of(app)
    assert warning.startswith(f"{srcdir / 'page3.rst'}:4: WARNING: cannot read loop.json: ")
    assert warning.endswith("[callbacks.source]")


def test_internal_errors_cross_parallel_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Records from -j readers are pickled back to the main process: a traceback object cannot be.
    monkeypatch.setattr(CallbackExampleDirective, "_example_text", boom)
    srcdir = project(tmp_path, ".. toctree::\n\n" + "".join(f"   page{n}\n" for n in range(8)))
    for n in range(8):
        (srcdir / f"page{n}.rst").write_text(
            f"Page {n}\n======\n\n.. callback-example:: receipt\n\n   {{}}\n",
            encoding="utf-8",
        )
    app = SphinxTestApp(
        "html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES, parallel=2, verbosity=1
    )
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = warnings_of(app)
    assert len(warnings) == 8
    assert all(w.endswith("[callbacks.internal]") for w in warnings)
    assert app._status.getvalue().count("traceback of the internal error") == 8
