"""Hostile input stays bounded and is never changed silently (no denial of service, no
crash, no silent change). Each case builds or reads a small file an attacker could write and
checks that the author gets a located warning, in bounded work and memory, and no traceback."""

from __future__ import annotations

import json
import os
import signal
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.model.examples import try_example
from sphinxext_callbacks.model.fields import Field
from sphinxext_callbacks.model.json_schema import fields_schema
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source
from tests.helpers import typed

from .helpers import WARNING_TYPES, warnings_of

#: A guard against a hang (a FIFO opened, a loop that never ends), not a measure of speed:
#: ``bench/hostile.py`` measures how long hostile input takes.
SECONDS = 60.0
BYTES = 500 * 2**20


class Overran(BaseException):
    """Not an OSError (as TimeoutError is), so that no ``except OSError`` swallows it."""


@contextmanager
def bounded(seconds: float = SECONDS) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block takes longer than *seconds*, and
    when Python's peak allocation in it exceeds the memory budget."""

    def expired(*_args: Any) -> None:
        raise Overran(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
        assert peak < BYTES, f"peak {peak / 2**20:.0f} MiB"
    finally:
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read(path: Path, **options: Any) -> SourceResult:
    return read_source(SourceRequest(str(path), srcdir=str(path.parent), **options), FileCache())


def messages(result: SourceResult) -> str:
    return "\n".join(problem.message for problem in result.problems)


def build(tmp_path: Path, files: dict[str, str], builder: str = "html", **kw: Any) -> Any:
    srcdir = tmp_path / "src"
    srcdir.mkdir(exist_ok=True)
    (srcdir / "conf.py").write_text(
        "extensions = ['sphinxext_callbacks']\n" + kw.pop("conf", ""), encoding="utf-8"
    )
    for name, text in files.items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES, **kw)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def assert_clean_warning(app: Any, *expected: str) -> list[str]:
    found = warnings_of(app)
    text = app._warning.getvalue()
    assert "Traceback" not in text, text
    for word in expected:
        assert any(word in line for line in found), found
    return found


# -- Special files ---------------------------------------------------------------------------


def test_a_fifo_as_source_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.json"
    os.mkfifo(fifo)
    with bounded(5):
        result = read(fifo)
    assert result.callback is None
    assert "not a regular file" in messages(result)


def test_a_fifo_as_ref_target_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "other.json")
    (tmp_path / "s.json").write_text(
        json.dumps({"properties": {"a": {"$ref": "other.json"}}}), encoding="utf-8"
    )
    with bounded(5):
        result = read(tmp_path / "s.json")
    assert "not a regular file" in messages(result)


def test_a_fifo_as_example_file_is_a_warning(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    os.mkfifo(srcdir / "payload.json")
    page = (
        "T\n=\n\n.. callback-table:: t\n\n   id\n      x\n\n"
        ".. callback-example:: t\n   :file: payload.json\n"
    )
    with bounded(20):
        app = build(tmp_path, {"index.rst": page})
    assert_clean_warning(app, "not a regular file")


def test_a_symlink_loop_is_a_warning(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "a.json").symlink_to(srcdir / "b.json")
    (srcdir / "b.json").symlink_to(srcdir / "a.json")
    page = (
        "T\n=\n\n.. callback-table:: t\n   :source: a.json\n\n"
        ".. callback-table:: u\n\n   id\n      x\n\n"
        ".. callback-example:: u\n   :file: b.json\n"
    )
    with bounded(20):
        app = build(tmp_path, {"index.rst": page})
    found = assert_clean_warning(app)
    assert len([line for line in found if "a.json" in line or "b.json" in line]) == 2, found


# -- Silent changes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("d.json", '{"properties": {"a": {}, "a": {"type": "string"}}}'),
        ("d.yaml", "properties:\n  a: {}\n  a: {type: string}\n"),
    ],
)
def test_duplicate_keys_are_reported(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = read(tmp_path / name)
    assert "duplicate key 'a'" in messages(result)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_in_examples(tmp_path: Path, value: str) -> None:
    page = (
        "T\n=\n\n.. callback-table:: t\n\n   n\n      x\n\n"
        f'.. callback-example:: t\n\n   {{"n": {value}}}\n'
    )
    app = build(tmp_path, {"index.rst": page})
    assert_clean_warning(app, value)


def test_a_4000_digit_hex_integer_does_not_crash(tmp_path: Path) -> None:
    big = "0x" + "f" * 4000
    (tmp_path / "src").mkdir()
    files = {
        "index.rst": "T\n=\n\n.. callback-table:: t\n   :source: f.yaml\n",
        "f.yaml": f"fields:\n  - key: a\n    example: {big}\n",
    }
    with bounded(30):
        app = build(tmp_path, files)
    found = assert_clean_warning(app, "callbacks.source")
    assert "internal" not in "".join(found)
    assert "too large" in "".join(found)


def test_a_changed_file_with_the_same_size_and_mtime_is_read_again(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    files = {
        "index.rst": "T\n=\n\n.. callback-table:: t\n   :source: f.yaml\n",
        "f.yaml": "fields:\n  - key: aaaa\n",
    }
    build(tmp_path, files)
    spec = srcdir / "f.yaml"
    stat = spec.stat()
    spec.write_text("fields:\n  - key: bbbb\n", encoding="utf-8")
    os.utime(spec, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES)
    try:
        app.build()
    finally:
        app.cleanup()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "bbbb" in html and "aaaa" not in html


# -- Crashes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        {"$defs": {"a": {"$id": False}}},
        {"openapi": "3.1.0", "webhooks": 5},
    ],
)
def test_odd_documents_are_problems_not_crashes(tmp_path: Path, doc: Any) -> None:
    (tmp_path / "s.json").write_text(json.dumps(doc), encoding="utf-8")
    for options in ({"pointer": "/$defs/a"}, {"webhook": "x"}, {}):
        result = read(tmp_path / "s.json", **options)
        assert result.callback is None
        assert result.problems


@pytest.mark.parametrize("builder", ["text", "man", "latex", "html"])
def test_a_markdown_table_in_a_description_builds(tmp_path: Path, builder: str) -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "description": "| k | v |\n|---|---|\n| 1 | 2 |"}},
    }
    files = {
        "index.rst": "T\n=\n\n.. callback-table:: t\n   :source: s.json\n",
        "s.json": json.dumps({"openapi": "3.1.0", "info": {}, "components": {}, **schema}),
    }
    app = build(tmp_path, files, builder=builder, conf="extensions.append('myst_parser')\n")
    assert "Traceback" not in app._warning.getvalue()
    assert "Nested tables" not in app._warning.getvalue()
    if builder == "text":
        assert "1 | 2" in (app.outdir / "index.txt").read_text(encoding="utf-8")


# -- Bounded work ----------------------------------------------------------------------------


def test_a_string_aliased_many_times_is_refused_by_its_bytes(tmp_path: Path) -> None:
    lines = ["text: &t " + "x" * 100_000, "properties:"]
    lines += [f"  f{i}: {{type: string, description: *t}}" for i in range(400)]
    (tmp_path / "a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with bounded():
        result = read(tmp_path / "a.yaml")
    assert "alias" in messages(result)


def test_a_long_anyof_chain_of_refs_is_bounded(tmp_path: Path) -> None:
    # Flat in the file (no deep nesting to refuse), 4,000 levels deep once walked.
    count = 4000
    defs = {
        f"d{i}": {"anyOf": [{"type": "string"}, {"$ref": f"#/$defs/d{i + 1}"}]}
        for i in range(count)
    }
    defs[f"d{count}"] = {"type": "integer"}
    doc = {"type": "object", "properties": {"a": {"$ref": "#/$defs/d0"}}, "$defs": defs}
    (tmp_path / "c.json").write_text(json.dumps(doc), encoding="utf-8")
    with bounded():
        result = read(tmp_path / "c.json")
    assert result.callback is not None
    assert result.problems


def test_an_example_of_many_fields_is_made_within_its_size_limit() -> None:
    fields = [Field(path=(f"group{i % 60}", f"key{i}"), **typed("string")) for i in range(3000)]
    payload, why = try_example(fields_schema(fields))
    assert why is None and len(payload) == 60
    assert sum(len(group) for group in payload.values()) == 3000
    # Twice as many keys make a payload past the limit: it is not made, and the reason says so.
    fields = [Field(path=(f"group{i % 60}", f"key{i}"), **typed("string")) for i in range(6000)]
    payload, why = try_example(fields_schema(fields))
    assert why is not None and "over the limit of 64,000" in why


def test_a_deep_json_example_body_is_a_warning(tmp_path: Path) -> None:
    page = (
        "T\n=\n\n.. callback-table:: t\n\n   n\n      x\n\n"
        ".. callback-example:: t\n\n   " + "[" * 100_000 + "\n"
    )
    with bounded(30):
        app = build(tmp_path, {"index.rst": page})
    assert_clean_warning(app, "callbacks.example")


@pytest.mark.parametrize("markup", ["rst", "markdown"])
def test_a_table_cannot_read_itself_through_its_descriptions(tmp_path: Path, markup: str) -> None:
    # Two copies of a description that holds the table that reads the same file grew to
    # 2.7 GB in two minutes: data-file text never runs a directive.
    if markup == "rst":
        nested = (
            ".. callback-table::\n   :source: f.yaml\n\n.. callback-table::\n   :source: f.yaml"
        )
    else:
        nested = (
            "```{callback-table}\n:source: f.yaml\n```\n\n```{callback-table}\n:source: f.yaml\n```"
        )
    field_file = {
        "fields": [{"key": "a", "description": nested}, {"key": "b", "description": nested}]
    }
    files = {
        "index.rst": "T\n=\n\n.. callback-table:: t\n   :source: f.yaml\n",
        "f.yaml": json.dumps(field_file),
    }
    conf = f"callbacks_description_markup = {markup!r}\nextensions.append('myst_parser')\n"
    with bounded(30):
        app = build(tmp_path, files, conf=conf)
    found = assert_clean_warning(app, "callbacks.markup")
    assert all("callback-table" in line for line in found), found
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert html.count('class="callbacks-table') == 1
