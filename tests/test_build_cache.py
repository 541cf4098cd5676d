"""Per-application state (two Sphinx applications in one process never share a cache), and the
parsed-file cache in the doctree folder: touch builds, edits, corruption, ``-j``."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.render import markup
from sphinxext_callbacks.sphinx_ext import build_cache

from .helpers import WARNING_TYPES, copy_root, in_copy, rows, tables, warnings_of
from .test_determinism import ROOT, build


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


# -- The cache folder ----------------------------------------------------------------------

SPEC = "notify-callbacks.yaml"


def _by_name(counts: dict[str, int]) -> dict[str, int]:
    return {path.rsplit("/", 1)[-1]: n for path, n in counts.items()}


def _entries(app: Any) -> set[str]:
    folder = Path(app.doctreedir) / build_cache.FOLDER
    return {path.name for path in folder.glob("*.json")}


@pytest.fixture
def sources(make_app, app_params, tmp_path):
    """A copy of the ``sources`` root, built once; returns a function that builds it again."""
    args, kwargs = app_params
    srcdir = tmp_path / "sources"
    copy_root("sources", srcdir)
    first = make_app(*args, **in_copy(kwargs, srcdir, freshenv=True))
    first.build()

    def again(**overrides: Any) -> Any:
        time.sleep(0.01)
        app = make_app(
            *args,
            **in_copy(kwargs, srcdir, freshenv=False, status=io.StringIO(), warning=io.StringIO()),
            **overrides,
        )
        app.build()
        return app

    return srcdir, first, again


def _touch(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")


@pytest.mark.sphinx("html", testroot="sources", confoverrides=WARNING_TYPES)
def test_a_touched_page_loads_its_spec_from_the_cache(sources):
    srcdir, first, again = sources
    assert _by_name(build_cache.file_cache(first.env).parse_count)[SPEC] == 1
    _touch(srcdir / "many.rst")
    app = again()
    cache = build_cache.file_cache(app.env)
    assert cache.parse_count == {}
    assert _by_name(cache.hit_count) == {SPEC: 1}
    assert len(tables(app.outdir / "many.html")) == 12
    # The environment keeps no copy of what the sources gave.
    assert not hasattr(app.env, "callbacks_results")


@pytest.mark.sphinx("html", testroot="sources", confoverrides=WARNING_TYPES)
def test_an_edited_spec_is_parsed_again_and_its_old_entry_not_used(sources):
    srcdir, first, again = sources
    before = _entries(first)
    spec = srcdir / "specs" / SPEC
    original = spec.read_text(encoding="utf-8")
    spec.write_text(original.replace("The received message", "The text received"), "utf-8")
    app = again()
    cache = build_cache.file_cache(app.env)
    assert _by_name(cache.parse_count) == {SPEC: 1}
    assert SPEC not in _by_name(cache.hit_count)
    assert rows(tables(app.outdir / "index.html")[3])[3][1] == "The text received"
    assert len(_entries(app) - before) == 1
    # Putting the old text back finds the old entry again: the key is the content.
    spec.write_text(original, "utf-8")
    app = again()
    cache = build_cache.file_cache(app.env)
    assert SPEC not in _by_name(cache.parse_count)
    assert _by_name(cache.hit_count)[SPEC] == 1
    assert rows(tables(app.outdir / "index.html")[3])[3][1] == "The received message"


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
@pytest.mark.sphinx("html", testroot="sources", confoverrides=WARNING_TYPES)
def test_a_corrupt_cache_entry_is_parsed_again_without_a_warning(sources, damage):
    srcdir, first, again = sources
    expected = rows(tables(first.outdir / "many.html")[0])
    folder = Path(first.doctreedir) / build_cache.FOLDER
    for entry in folder.glob("*.json"):
        blob = entry.read_bytes()
        entry.write_bytes(
            {
                "truncate": blob[: len(blob) // 2],
                "flip": blob[:-1] + bytes([blob[-1] ^ 1]),
                "garbage": b"\x80\x04not JSON at all",
                "empty": b"",
            }[damage]
        )
    _touch(srcdir / "many.rst")
    app = again()
    cache = build_cache.file_cache(app.env)
    assert _by_name(cache.parse_count) == {SPEC: 1}
    assert cache.hit_count == {}
    # (A second application in one process makes Sphinx warn about re-registering.)
    assert [line for line in warnings_of(app) if "[app." not in line] == []
    assert rows(tables(app.outdir / "many.html")[0]) == expected
    # The entry was written again, whole: the next touch loads it.
    _touch(srcdir / "many.rst")
    app = again()
    assert build_cache.file_cache(app.env).parse_count == {}


@pytest.mark.sphinx("html", testroot="sources", confoverrides=WARNING_TYPES)
def test_another_version_of_the_extension_does_not_use_the_entries(sources, monkeypatch):
    srcdir, _first, again = sources
    monkeypatch.setattr(build_cache, "extension_version", lambda: "99.0")
    _touch(srcdir / "many.rst")
    app = again()
    assert _by_name(build_cache.file_cache(app.env).parse_count) == {SPEC: 1}


def test_parallel_builds_from_the_cache_equal_serial_builds(tmp_path: Path) -> None:
    serial = build(ROOT, tmp_path / "serial", "html", 1)
    assert list((tmp_path / "serial" / "doctrees" / build_cache.FOLDER).glob("*.json"))
    # A fresh environment in the same build folder: every -j 2 reader loads the files
    # from the cache the serial build left.
    warm = build(ROOT, tmp_path / "serial", "html", 2)
    cold = build(ROOT, tmp_path / "cold", "html", 2)
    assert sorted(warm) == sorted(serial) == sorted(cold)
    for name, content in serial.items():
        assert warm[name] == content, f"{name} differs with -j 2 from the cache"
        assert cold[name] == content, f"{name} differs with -j 2"
