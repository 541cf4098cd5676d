"""Property tests: random schemas, pointers and field lists never make the readers raise."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxext_callbacks.model.problems import SUBTYPES
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source

NAMES = st.sampled_from(["a", "b", "id", "x/y", "t~1", "", " ", "properties", "$ref", "0"])
TYPES = st.sampled_from(["object", "array", "string", "integer", "null", "number", "boolean"])
REFS = st.sampled_from(
    [
        "#",
        "#/properties/a",
        "#/$defs/A",
        "#/$defs/B",
        "#/nowhere",
        "#/properties/a/items",
        "other.json",
        "https://example.com/x.json",
        "#/$defs/A/properties/a",
        "#frag",
        "#/0/x",
    ]
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))

schemas = st.recursive(
    st.one_of(
        st.fixed_dictionaries({}, optional={"type": TYPES | st.lists(TYPES, max_size=3)}),
        st.fixed_dictionaries({"$ref": REFS}),
        st.fixed_dictionaries(
            {}, optional={"enum": st.lists(SCALARS, max_size=3), "const": SCALARS}
        ),
        st.booleans(),
        SCALARS,
    ),
    lambda inner: st.one_of(
        st.fixed_dictionaries(
            {},
            optional={
                "properties": st.dictionaries(NAMES, inner, max_size=4),
                "required": st.lists(NAMES, max_size=3) | SCALARS,
                "type": TYPES | st.lists(TYPES, max_size=3),
                "items": inner | st.lists(inner, max_size=2),
                "nullable": st.booleans(),
                "description": st.text(max_size=5) | SCALARS,
                "title": SCALARS,
                "example": SCALARS,
                "examples": st.lists(SCALARS, max_size=2) | SCALARS,
                "deprecated": SCALARS,
                "writeOnly": st.booleans(),
                "format": SCALARS,
            },
        ),
        st.fixed_dictionaries({"allOf": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"$ref": REFS}, optional={"description": SCALARS}),
        st.lists(inner, max_size=3),
    ),
    max_leaves=25,
)

documents = (
    st.fixed_dictionaries(
        {"properties": st.dictionaries(NAMES, schemas, max_size=4)},
        optional={"$defs": st.fixed_dictionaries({"A": schemas, "B": schemas}), "$id": REFS},
    )
    | schemas
)

field_entries = st.recursive(
    st.dictionaries(
        st.sampled_from(
            [
                "key",
                "description",
                "format",
                "type",
                "enum",
                "example",
                "required",
                "nullable",
                "deprecated",
                "since",
                "colour",
            ]
        ),
        SCALARS | st.lists(SCALARS, max_size=2),
        max_size=5,
    ),
    lambda inner: st.fixed_dictionaries(
        {"key": st.text(max_size=3)}, optional={"fields": st.lists(inner, max_size=3)}
    ),
    max_leaves=12,
)
field_files = st.lists(field_entries | SCALARS, max_size=5) | st.fixed_dictionaries(
    {"fields": st.lists(field_entries, max_size=4)}, optional={"caption": SCALARS}
)

pointers = st.lists(NAMES | st.integers(0, 3).map(str), max_size=4).map(
    lambda parts: "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)
) | st.text(max_size=6)


def check(data: Any, pointer: str = "", **options: Any) -> SourceResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        (Path(folder) / "other.json").write_text(json.dumps({"properties": {"o": {"$ref": "#"}}}))
        result = read_source(
            SourceRequest(str(path), pointer=pointer, srcdir=folder, max_rows=300, **options),
            FileCache(),
        )
    assert all(problem.subtype in SUBTYPES for problem in result.problems)
    if result.callback is not None:
        assert result.callback.fields
        assert len(result.callback.fields) <= 300
        for field in result.callback.fields:
            assert field.key.strip(), field
    return result


@settings(max_examples=150, deadline=None)
@given(documents, st.sampled_from([None, 0, 1, 3]))
def test_random_schemas(schema: Any, depth: int | None) -> None:
    check(schema, depth=depth)


@settings(max_examples=100, deadline=None)
@given(documents, pointers)
def test_random_pointers(schema: Any, pointer: str) -> None:
    check(schema, pointer)


@settings(max_examples=100, deadline=None)
@given(field_files)
def test_random_field_lists(data: Any) -> None:
    check(data)


@settings(max_examples=80, deadline=None)
@given(schemas, st.sampled_from(["hook", "nope"]), st.sampled_from(["body", "headers"]))
def test_random_openapi(schema: Any, name: str, part: str) -> None:
    doc = {
        "openapi": "3.1.0",
        "webhooks": {
            "hook": {"post": {"requestBody": {"content": {"application/json": {"schema": schema}}}}}
        },
        "$defs": {"A": schema},
    }
    check(doc, webhook=name, part=part)
    check(doc, callback=(None, name))
