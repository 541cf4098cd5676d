"""Each named table's JSON Schema is published as ``_callbacks/NAME.schema.json``."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.model.examples import make_example
from sphinxext_callbacks.sphinx_ext import domain, export

from .helpers import WARNING_TYPES, warnings_of

ROOT = Path(__file__).parent / "roots" / "test-determinism"


def build(srcdir: Path, builder: str = "html", fresh: bool = True) -> Path:
    app = SphinxTestApp(builder, srcdir=srcdir, freshenv=fresh, confoverrides=WARNING_TYPES)
    try:
        app.build()
        assert warnings_of(app) == []
        return Path(app.outdir)
    finally:
        app.cleanup()


def test_the_schema_of_an_inline_table(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    outdir = build(srcdir)
    text = (outdir / "_callbacks" / "cb01.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    # Indented, ending in a newline, in the draft it says.
    assert text.endswith("}\n") and text.startswith('{\n  "$schema": ')
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["id"]
    assert list(schema["properties"]) == ["id", "status", "count"]
    assert schema["properties"]["count"]["type"] == "integer"
    Draft202012Validator.check_schema(schema)
    assert Draft202012Validator(schema).is_valid(make_example(schema))
    assert not Draft202012Validator(schema).is_valid({"id": "x", "colour": "blue"})


@pytest.mark.parametrize("builder", ["dirhtml", "singlehtml", "epub", "latex"])
def test_only_web_builders_publish_schemas(tmp_path: Path, builder: str) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp(
        builder, srcdir=srcdir, freshenv=True, confoverrides={"copyright": "2026", "version": "1"}
    )
    try:
        app.build()
        published = (Path(app.outdir) / "_callbacks" / "cb01.schema.json").is_file()
    finally:
        app.cleanup()
    assert published is (builder in ("dirhtml", "singlehtml"))


def test_an_incremental_build_keeps_the_files_right(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    outdir = build(srcdir)
    folder = outdir / "_callbacks"
    kept = folder / "cb03.schema.json"
    os.utime(kept, (1_000_000, 1_000_000))
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    # Change one table and add another: only that document is read again.
    chapter = srcdir / "chapter01.rst"
    original = chapter.read_text(encoding="utf-8")
    extra = "\n.. callback-table:: extra\n\n   a : string\n"
    chapter.write_text(
        original.replace("count : integer", "total : integer").replace('"count": 1', '"total": 1')
        + extra,
        encoding="utf-8",
    )
    build(srcdir, fresh=False)
    after = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert "total" in json.loads(after["cb01.schema.json"])["properties"]
    assert "extra.schema.json" in after
    assert {name: after[name] for name in before if name != "cb01.schema.json"} == {
        name: content for name, content in before.items() if name != "cb01.schema.json"
    }
    # A table that is gone takes its file with it.
    chapter.write_text(original, encoding="utf-8")
    build(srcdir, fresh=False)
    assert sorted(path.name for path in folder.iterdir()) == sorted(before)
    assert (folder / "cb01.schema.json").read_bytes() == before["cb01.schema.json"]
    # An unchanged file is not rewritten.
    assert kept.stat().st_mtime == 1_000_000


def test_an_incremental_build_turns_only_the_tables_it_read_into_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making thousands of schemas into JSON, and comparing them with the files, on every
    build made a touch slow: the JSON is made when a table is read, and the files of tables
    that were not read again are not even opened."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    made: list[str] = []
    opened: list[str] = []
    text_of = domain.schema_text
    read_text = Path.read_text

    def counted(schema: dict[str, Any]) -> str:
        made.append(schema.get("title", ""))
        return text_of(schema)

    def watched(path: Path, *args: Any, **kwargs: Any) -> str:
        if path.parent.name == export.FOLDER:
            opened.append(path.name)
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(domain, "schema_text", counted)
    monkeypatch.setattr(Path, "read_text", watched)
    outdir = build(srcdir)
    published = sorted(path.name for path in (outdir / "_callbacks").iterdir())
    assert len(made) == len(published) > 2
    made.clear()
    opened.clear()
    os.utime(srcdir / "chapter03.rst")  # only chapter03, with its one table, is read again
    build(srcdir, fresh=False)
    assert len(made) == 1
    assert opened == ["cb03.schema.json"]
    assert sorted(path.name for path in (outdir / "_callbacks").iterdir()) == published
    # A deleted file is written again, although its table was not read again.
    (outdir / "_callbacks" / "cb05.schema.json").unlink()
    made.clear()
    build(srcdir, fresh=False)
    assert made == []
    assert (outdir / "_callbacks" / "cb05.schema.json").is_file()


def test_another_output_folder_does_not_leave_a_file_stale(tmp_path: Path) -> None:
    """dirhtml reads the changed page with the doctrees html shares; html, built next,
    reads nothing, and must still write the new schema."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    outdir = build(srcdir)
    chapter = srcdir / "chapter01.rst"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        .replace("count : integer", "total : integer")
        .replace('"count": 1', '"total": 1'),
        encoding="utf-8",
    )
    other = build(srcdir, "dirhtml", fresh=False)
    assert "total" in keys_of(other / "_callbacks" / "cb01.schema.json")
    assert build(srcdir, fresh=False) == outdir
    assert "total" in keys_of(outdir / "_callbacks" / "cb01.schema.json")


def test_the_other_definition_of_a_name_is_published_when_the_first_goes(
    tmp_path: Path,
) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    (srcdir / "index.rst").write_text("I\n=\n\n.. toctree::\n\n   a\n   b\n", encoding="utf-8")
    for page, key in (("a", "first"), ("b", "second")):
        (srcdir / f"{page}.rst").write_text(
            f"{page}\n=\n\n.. callback-table:: dup\n\n   {key}\n      x\n", encoding="utf-8"
        )

    def built(fresh: bool) -> list[str]:
        app = SphinxTestApp("html", srcdir=srcdir, freshenv=fresh, confoverrides=WARNING_TYPES)
        try:
            app.build()
        finally:
            app.cleanup()
        return keys_of(Path(app.outdir) / "_callbacks" / "dup.schema.json")

    assert built(fresh=True) == ["first"]
    (srcdir / "a.rst").write_text("a\n=\n\nNo table now.\n", encoding="utf-8")
    assert built(fresh=False) == ["second"]


def keys_of(path: Path) -> list[str]:
    return list(json.loads(path.read_text(encoding="utf-8"))["properties"])
