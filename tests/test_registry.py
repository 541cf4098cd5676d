"""Tests for readers/registry.py: which reader reads what, and adding a reader."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import EntryPoint
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
def picked() -> list[str]:
    """The names of the readers of :data:`spied` that read, in order."""
    return []


@pytest.fixture
def spied(picked: list[str]) -> registry.Registry:
    """The extension's readers, each noting in ``picked`` when it is the one that reads."""
    return registry.Registry(tuple(_Spy(reader, picked) for reader in registry.READERS))


def test_the_order_is_most_specific_first() -> None:
    assert registry.Registry().names == ("asyncapi", "openapi", "fieldlist", "jsonschema")


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
    spied: registry.Registry,
    picked: list[str],
    name: str,
    options: dict[str, Any],
    reader: str | None,
) -> None:
    result = read_source(
        SourceRequest(str(EXAMPLES / name), srcdir=str(EXAMPLES), **options), FileCache(), spied
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
    tmp_path: Path, spied: registry.Registry, picked: list[str], data: Any, reader: str | None
) -> None:
    path = tmp_path / "fragment.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    read_source(SourceRequest(str(path), srcdir=str(tmp_path)), FileCache(), spied)
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


def test_a_reader_goes_before_a_named_one() -> None:
    base = registry.Registry()
    toy = ToyReader()
    added = base.with_reader(toy)
    assert added.names == ("asyncapi", "openapi", "fieldlist", "toy", "jsonschema")
    assert base.names == ("asyncapi", "openapi", "fieldlist", "jsonschema")  # unchanged
    last = added.with_reader(toy, before=None)  # again: moved, not doubled
    assert last.names == ("asyncapi", "openapi", "fieldlist", "jsonschema", "toy")
    assert added.with_reader(toy, before="asyncapi").names[0] == "toy"
    with pytest.raises(ValueError, match="no reader 'avro'"):
        base.with_reader(toy, before="avro")


def test_a_registry_cannot_be_changed() -> None:
    made = registry.Registry()
    with pytest.raises(AttributeError):
        made.readers = ()  # type: ignore[misc]
    assert isinstance(made.readers, tuple)
    assert isinstance(registry.READERS, tuple)


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


def test_a_toy_reader_reads_its_format(tmp_path: Path) -> None:
    path = tmp_path / "toy.json"
    path.write_text('{"toy-fields": ["a", "b"]}', encoding="utf-8")
    request = SourceRequest(str(path), srcdir=str(tmp_path))
    before: SourceResult = read_source(request, FileCache(), registry.Registry())
    assert before.callback is None
    after = read_source(request, FileCache(), registry.Registry().with_reader(ToyReader()))
    assert after.problems == []
    assert after.callback is not None
    assert [f.key for f in after.callback.fields] == ["a", "b"]


# -- A reader from another package, through the entry point ---------------------------------------

TOY_PACKAGE = """
from sphinxext_callbacks.model.fields import Field
from sphinxext_callbacks.readers.reader import Reading


class ToyReader:
    name = "toy"
    parts = frozenset({"body"})
    before = "fieldlist"

    def recognises(self, selection):
        target = selection.target
        return isinstance(target, dict) and isinstance(target.get("toy-fields"), list)

    def read(self, selection):
        names = selection.target["toy-fields"]
        fields = [Field(path=(name,), description=f"Toy {name}") for name in names]
        return Reading(fields, caption="Toy")
"""


@pytest.fixture
def toy_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A package ``toy_reader`` installed in a folder on ``sys.path``, as pip would leave it,
    whose entry point registers ``ToyReader``."""
    site = tmp_path / "site-packages"
    (site / "toy_reader").mkdir(parents=True)
    (site / "toy_reader" / "__init__.py").write_text(TOY_PACKAGE, encoding="utf-8")
    info = site / "toy_reader-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: toy-reader\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[{registry.ENTRY_POINT_GROUP}]\ntoy = toy_reader:ToyReader\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    registry.installed_registry.cache_clear()
    try:
        yield
    finally:
        registry.installed_registry.cache_clear()
        sys.modules.pop("toy_reader", None)


def test_an_installed_package_s_reader_is_in_the_registry(toy_package: None) -> None:
    assert registry.installed_registry().names == (
        "asyncapi",
        "openapi",
        "toy",
        "fieldlist",
        "jsonschema",
    )


def test_without_the_package_the_registry_is_the_extension_s(tmp_path: Path) -> None:
    registry.installed_registry.cache_clear()
    assert registry.installed_registry().names == registry.Registry().names


def test_an_entry_point_that_is_no_reader_is_a_clear_error(tmp_path: Path) -> None:
    point = EntryPoint("broken", "json:dumps", registry.ENTRY_POINT_GROUP)
    with pytest.raises(TypeError, match=r"entry point 'broken' .* is not a reader"):
        registry.registry_from([point])


def test_an_installed_reader_is_used_by_callback_table(tmp_path: Path, toy_package: None) -> None:
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
