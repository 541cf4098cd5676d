"""Tests for readers/registry.py: which reader reads what, and adding a reader."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.model.fields import Field
from sphinxext_callbacks.readers import registry
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.reader import Reader, Reading, Selection
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source
from tests.helpers import typed

from .helpers import WARNING_TYPES, rows, tables, warnings_of

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"


@dataclass
class _Spy:
    """A registered reader that notes when it is the one that reads."""

    reader: Reader
    picked: list[str]

    @property
    def name(self) -> str:
        return self.reader.name

    @property
    def parts(self) -> frozenset[str]:
        return self.reader.parts

    def recognises(self, selection: Selection) -> bool:
        return self.reader.recognises(selection)

    def read(self, selection: Selection) -> Reading:
        self.picked.append(self.name)
        return self.reader.read(selection)


@pytest.fixture
def readers() -> Iterator[list[Reader]]:
    """The registry, restored after the test whatever it registered."""
    saved = list(registry.READERS)
    try:
        yield registry.READERS
    finally:
        registry.READERS[:] = saved


@pytest.fixture
def picked(readers: list[Reader]) -> list[str]:
    """The names of the readers that read, in order, for the test's reads."""
    names: list[str] = []
    readers[:] = [_Spy(reader, names) for reader in readers]
    return names


def test_the_order_is_most_specific_first() -> None:
    assert [r.name for r in registry.READERS] == ["asyncapi", "openapi", "fieldlist", "jsonschema"]


@pytest.mark.parametrize(
    ("name", "options", "reader"),
    [
        ("asyncapi/simple.asyncapi26.yml", {}, "asyncapi"),
        ("asyncapi/simple.asyncapi31.yml", {}, "asyncapi"),
        ("asyncapi/oneof.asyncapi26.yml", {}, "asyncapi"),
        ("asyncapi/simple.asyncapi26.yml", {"message": "UserSignedUp"}, "asyncapi"),
        (
            "asyncapi/simple.asyncapi26.yml",
            {"pointer": "/components/messages/UserSignedUp"},
            "asyncapi",
        ),
        ("notify/POST_notification_sms.json", {}, "openapi"),
        ("openapi/webhook-example.oas31.yaml", {"webhook": "newPet"}, "openapi"),
        ("openapi/callback-example.oas30.yaml", {"callback": (None, "onData")}, "openapi"),
        (
            "openapi/callback-example.oas30.yaml",
            {"pointer": "/paths/~1streams/post/callbacks/onData"},
            "openapi",
        ),
        ("octokit-webhooks/issues/opened.schema.json", {}, "jsonschema"),
        ("octokit-webhooks/common/user.schema.json", {}, "jsonschema"),
        ("stripe/event.excerpt.oas30.json", {"pointer": "/components/schemas/event"}, "jsonschema"),
        (
            "notify/schema.json",
            {"pointer": "/components/schemas/SendTextMessageRequest"},
            "jsonschema",
        ),
        # Whole OpenAPI documents and example payloads: no reader; a problem says why.
        ("openapi/webhook-example.oas31.yaml", {}, None),
        ("stripe/event.excerpt.oas30.json", {}, None),
        ("govuk-pay/webhook-message.example.json", {}, None),
    ],
)
def test_which_reader_reads_each_example(
    picked: list[str], name: str, options: dict[str, Any], reader: str | None
) -> None:
    result = read_source(
        SourceRequest(str(EXAMPLES / name), srcdir=str(EXAMPLES), **options), FileCache()
    )
    assert picked == ([reader] if reader else [])
    if reader is None:
        assert result.callback is None and len(result.problems) == 1


@pytest.mark.parametrize(
    ("data", "reader"),
    [
        ([{"key": "id"}], "fieldlist"),
        ({"fields": [{"key": "id"}], "caption": "Receipt"}, "fieldlist"),
        ({"type": "object", "properties": {"id": {}}}, "jsonschema"),
        ({"properties": {"fields": {"type": "array"}}}, "jsonschema"),
        # A schema whose type is a JSON type is a schema, even with a "fields" list.
        ({"type": "object", "fields": [], "properties": {"id": {}}}, "jsonschema"),
        ({"requestBody": {"content": {}}}, "openapi"),
        ({"payload": {"properties": {"id": {}}}}, "asyncapi"),
        ({"type": "record", "name": "Receipt", "fields": [{"name": "id", "type": "string"}]}, None),
    ],
)
def test_which_reader_reads_each_fragment(
    tmp_path: Path, picked: list[str], data: Any, reader: str | None
) -> None:
    path = tmp_path / "fragment.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    read_source(SourceRequest(str(path), srcdir=str(tmp_path)), FileCache())
    assert picked == ([reader] if reader else [])


def test_an_avro_schema_is_not_taken_for_a_field_list(tmp_path: Path) -> None:
    avro = {
        "type": "record",
        "name": "Receipt",
        "fields": [{"name": "id", "type": "string"}, {"name": "status", "type": "string"}],
    }
    (tmp_path / "receipt.avsc.json").write_text(json.dumps(avro), encoding="utf-8")
    result = read_source(
        SourceRequest(str(tmp_path / "receipt.avsc.json"), srcdir=str(tmp_path)), FileCache()
    )
    assert result.callback is None
    (problem,) = result.problems
    assert problem.subtype == "schema"
    assert problem.message.startswith(
        "receipt.avsc.json is not a format this extension reads: its type 'record' is not a "
        "JSON Schema type"
    )
    assert "has no key" not in problem.message


def test_register_reader_before_a_named_one(readers: list[Reader]) -> None:
    toy = ToyReader()
    registry.register_reader(toy, before="jsonschema")
    assert [r.name for r in readers] == ["asyncapi", "openapi", "fieldlist", "toy", "jsonschema"]
    registry.register_reader(toy)  # again: moved, not doubled
    assert [r.name for r in readers] == ["asyncapi", "openapi", "fieldlist", "jsonschema", "toy"]
    with pytest.raises(ValueError, match="no reader 'avro'"):
        registry.register_reader(toy, before="avro")


# -- A new format, added the documented way ------------------------------------------------------


class ToyReader:
    """``{"toy-fields": ["a", "b"]}``: each name a string field."""

    name = "toy"
    parts = frozenset({"body"})

    def recognises(self, selection: Selection) -> bool:
        target = selection.target
        return isinstance(target, dict) and isinstance(target.get("toy-fields"), list)

    def read(self, selection: Selection) -> Reading:
        names = selection.target["toy-fields"]
        return Reading(
            [
                Field(path=(str(name),), **typed("string"), description=f"Toy {name}")
                for name in names
            ],
            caption="Toy",
        )


def test_a_toy_reader_reads_its_format(tmp_path: Path, readers: list[Reader]) -> None:
    path = tmp_path / "toy.json"
    path.write_text('{"toy-fields": ["a", "b"]}', encoding="utf-8")
    request = SourceRequest(str(path), srcdir=str(tmp_path))
    before: SourceResult = read_source(request, FileCache())
    assert before.callback is None
    registry.register_reader(ToyReader(), before="jsonschema")
    after = read_source(request, FileCache())
    assert after.problems == []
    assert after.callback is not None
    assert [f.key for f in after.callback.fields] == ["a", "b"]


def test_a_toy_reader_renders_through_a_build(tmp_path: Path, readers: list[Reader]) -> None:
    registry.register_reader(ToyReader(), before="jsonschema")
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinxext_callbacks"]\n', encoding="utf-8")
    (srcdir / "toy.json").write_text('{"toy-fields": ["a", "b"]}', encoding="utf-8")
    (srcdir / "index.rst").write_text(
        "Toy\n===\n\n.. callback-table:: toy\n   :source: toy.json\n", encoding="utf-8"
    )
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
        assert warnings_of(app) == []
        (table,) = tables(Path(app.outdir) / "index.html")
        assert [row[0] for row in rows(table)] == ["a", "b"]
        assert "Toy a" in rows(table)[0][1]
    finally:
        app.cleanup()
