"""Typed facts: what a Format text states, constraints in words, and what examples make of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sphinxext_callbacks.model.facts import (
    FormatFacts,
    constraints_of,
    parse_format,
    with_format_facts,
)
from sphinxext_callbacks.model.fields import MISSING, Field
from sphinxext_callbacks.model.jsontypes import JsonTypes
from sphinxext_callbacks.readers.fieldlist import field_list_fields
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.inline import parse_body, parse_enum
from sphinxext_callbacks.readers.sources import SourceRequest, read_source
from sphinxext_callbacks.sphinx_ext.table_directive import merge_fields
from tests.helpers import typed

from .helpers import WARNING_TYPES, rows, tables, warnings_of


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # Literals joined by the separator, "," or "or": an enum.
        ("``shipped`` | ``partly-shipped``", FormatFacts(enum=("shipped", "partly-shipped"))),
        ("``a``|``b``", FormatFacts(enum=("a", "b"))),
        ("``a``, ``b`` or ``c``", FormatFacts(enum=("a", "b", "c"))),
        ("``a``, ``b``, or ``c``", FormatFacts(enum=("a", "b", "c"))),
        ("``1`` | ``2``", FormatFacts(enum=("1", "2"))),
        ('``"1"`` | ``true``', FormatFacts(enum=("1", "true"))),
        # A single literal: the example.
        ("``2024-03-01T09:30:00Z``", FormatFacts(example="2024-03-01T09:30:00Z")),
        ("``12345678``", FormatFacts(example="12345678")),
        ('``"quoted"``', FormatFacts(example="quoted")),
        ("``hello world``", FormatFacts(example="hello world")),
        # A trailing null marker: nullable.
        ("``x`` or null", FormatFacts(example="x", nullable=True)),
        ("``x`` or nil", FormatFacts(example="x", nullable=True)),
        ("``x`` OR NULL", FormatFacts(example="x", nullable=True)),
        ("``a`` | ``b`` or null", FormatFacts(enum=("a", "b"), nullable=True)),
        ("``a`` | ``null``", FormatFacts(enum=("a",), nullable=True)),
        (
            "UUID or null",
            FormatFacts(json_format="uuid", types=JsonTypes(("string",)), nullable=True),
        ),
        ("or null", FormatFacts(nullable=True)),
        # A known format name, by its keyword or its readable name, in any case.
        ("UUID", FormatFacts(json_format="uuid", types=JsonTypes(("string",)))),
        ("uuid", FormatFacts(json_format="uuid", types=JsonTypes(("string",)))),
        ("email address", FormatFacts(json_format="email", types=JsonTypes(("string",)))),
        ("Email  Address", FormatFacts(json_format="email", types=JsonTypes(("string",)))),
        ("date-time", FormatFacts(json_format="date-time", types=JsonTypes(("string",)))),
        (
            "date and time (RFC 3339)",
            FormatFacts(json_format="date-time", types=JsonTypes(("string",))),
        ),
        ("URI", FormatFacts(json_format="uri", types=JsonTypes(("string",)))),
        ("int64", FormatFacts(json_format="int64", types=JsonTypes(("integer",)))),
        ("double", FormatFacts(json_format="double", types=JsonTypes(("number",)))),
        # Anything else states nothing.
        ("a timestamp", FormatFacts()),
        ("UUID of the order", FormatFacts()),
        ("``a`` and ``b``", FormatFacts()),
        ("``a`` ``b``", FormatFacts()),
        ("see ``a``", FormatFacts()),
        ("``a`` (default)", FormatFacts()),
        ("colornull", FormatFacts()),
        ("", FormatFacts()),
        (None, FormatFacts()),
    ],
)
def test_parse_format(text: str | None, facts: FormatFacts) -> None:
    assert parse_format(text) == facts


@pytest.mark.parametrize(
    ("text", "markup", "facts"),
    [
        ("`a` | `b`", "markdown", FormatFacts(enum=("a", "b"))),
        ("`12345678`", "markdown", FormatFacts(example="12345678")),
        ("``a`` | `b`", "markdown", FormatFacts(enum=("a", "b"))),
        ("`` a`b ``", "markdown", FormatFacts()),
        ("```a```", "markdown", FormatFacts()),
        # In reST, `a` is interpreted text, not a literal.
        ("`a` | `b`", "rst", FormatFacts()),
        ("``a`` | ``b``", "rst", FormatFacts(enum=("a", "b"))),
    ],
)
def test_parse_format_literals_of_each_markup(text: str, markup: Any, facts: FormatFacts) -> None:
    assert parse_format(text, markup=markup) == facts


def test_parse_format_uses_the_configured_separator_and_null_text() -> None:
    assert parse_format("``a`` / ``b`` (nullable)", " / ", "(nullable)") == FormatFacts(
        enum=("a", "b"), nullable=True
    )
    # The built-in markers work whatever is configured.
    assert parse_format("``a`` or nil", " / ", "(nullable)").nullable


def test_literals_of_a_number_or_boolean_field_are_json() -> None:
    assert parse_format("``1`` | ``2.5``", json_values=True).enum == (1, 2.5)
    assert parse_format('``"1"`` | ``x``', json_values=True).enum == ("1", "x")
    assert with_format_facts(Field(("n",), format="``3``", **typed("integer"))).example == 3
    assert (
        with_format_facts(Field(("b",), format="``true``", **typed("boolean or null"))).example
        is True
    )
    assert with_format_facts(Field(("code",), format="``007``", **typed("string"))).example == "007"
    assert with_format_facts(Field(("code",), format="``007``")).example == "007"


def test_with_format_facts_keeps_what_is_explicit() -> None:
    field = Field(("a",), format="``x`` | ``y``", enum=("z",), example="w", json_format="uri")
    assert with_format_facts(field) == field
    kept = with_format_facts(Field(("a",), format="UUID", **typed("integer")))
    assert (kept.json_format, kept.types) == ("uuid", JsonTypes(("integer",)))
    assert with_format_facts(Field(("a",), format="``x`` or null")).nullable


def test_constraints_of_schema_keywords() -> None:
    values, bad = constraints_of(
        {
            "minLength": 3,
            "maxLength": -1,
            "pattern": "^a$",
            "minimum": 0,
            "exclusiveMaximum": 1.5,
            "multipleOf": 0,
            "minItems": True,
        }
    )
    assert values == {"min_length": 3, "pattern": "^a$", "minimum": 0, "exclusive_maximum": 1.5}
    assert bad == ["maxLength", "multipleOf", "minItems"]
    # Draft 4 and OpenAPI 3.0: a boolean makes the bound beside it exclusive.
    assert constraints_of({"minimum": 0, "exclusiveMinimum": True, "maximum": 9})[0] == {
        "exclusive_minimum": 0,
        "maximum": 9,
    }
    assert constraints_of({"maximum": 9, "exclusiveMaximum": False})[0] == {"maximum": 9}


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ('["a", "b"]', ("a", "b")),
        ("[1, 2]", (1, 2)),
        ("a, b", ("a", "b")),
        ("1, two, true", (1, "two", True)),
        ("[not json", ("[not json",)),
    ],
)
def test_enum_attribute(text: str, values: tuple[Any, ...]) -> None:
    assert parse_enum(text) == values


def test_enum_attribute_without_values_is_a_problem() -> None:
    entries, problems = parse_body(["a : b", "   :enum:"])
    assert [p.message for p in problems] == [
        "':enum:' needs values: a JSON list, or words between commas"
    ]
    assert entries[0].field.enum == ()


def _inline(*lines: str) -> list[Field]:
    entries, problems = parse_body(list(lines))
    assert problems == []
    return [entry.field for entry in entries]


def test_an_override_of_a_nullable_field_is_shown_as_written() -> None:
    source = [
        Field(("when",), **typed("string"), json_format="date-time", nullable=True),
        Field(("status",), enum=("a", "b", "c"), enum_descriptions=(("a", "A"), ("c", "C"))),
    ]
    merged = merge_fields(
        source,
        _inline("when : ``2017-05-14T12:15:30.000000Z`` or nil", "status : ``a`` | ``b``"),
    )
    when, status = merged
    assert when.format == "``2017-05-14T12:15:30.000000Z`` or nil"
    assert when.nullable  # the author's text says so
    assert when.example == "2017-05-14T12:15:30.000000Z"
    assert (status.enum, status.enum_descriptions) == (("a", "b"), (("a", "A"),))
    # Words that do not say null: the override is what the value looks like.
    (plain,) = merge_fields(source[:1], _inline("when : a timestamp"))
    assert (plain.format, plain.nullable, plain.json_format) == ("a timestamp", False, "date-time")


def test_an_override_reads_its_literals_as_the_source_types_them() -> None:
    source = [Field(("count",), **typed("integer")), Field(("code",), **typed("string"))]
    count, code = merge_fields(source, _inline("count : ``3``", "code : ``007``"))
    assert (count.example, count.types) == (3, JsonTypes(("integer",)))
    assert (code.example, code.types) == ("007", JsonTypes(("string",)))


def test_an_inline_field_gets_its_literals_as_the_page_writes_them() -> None:
    (rst,) = merge_fields([], _inline("a : `x` | `y`"), markup="rst")
    (markdown,) = merge_fields([], _inline("a : `x` | `y`"), markup="markdown")
    assert (rst.enum, markdown.enum) == ((), ("x", "y"))


def test_an_inline_field_gets_its_facts_with_the_configured_words() -> None:
    (field,) = merge_fields([], _inline("a : ``x`` / ``y`` maybe"), " / ", "maybe")
    assert (field.enum, field.nullable, field.example) == (("x", "y"), True, MISSING)


# -- Built pages -------------------------------------------------------------------------------


def _examples(app) -> list[Any]:
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [json.loads(pre.get_text()) for pre in soup.select("div.highlight-json pre")]


@pytest.mark.sphinx("html", testroot="facts", freshenv=True, confoverrides=WARNING_TYPES)
def test_constraints_in_words(app):
    app.build()
    constrained, listed, *_ = tables(app.outdir / "index.html")
    assert [row[2] for row in rows(constrained)] == [
        "3 characters",
        "7 to 15 characters",
        "at most 50 characters",
        "at least 1 character",
        "at least 7 characters, matching ^[a-z]+$",
        "integer, 0 to 100, a multiple of 5",
        "number, more than 0, less than 1",
        "number, more than 0",
        "integer, at least 0",
        "integer, at most 100",
        "array of string, at most 50 items",
        "array of string, 1 to 5 items",
        "at most 20 characters or null",
        "GB | FR , 2 characters",
    ]
    pattern = constrained.select("tbody tr")[4].find_all("td")[1]
    assert pattern.find("code").get_text() == "^[a-z]+$"
    # A field-list file spells constraints as JSON Schema does; its format text is kept.
    assert [row[2] for row in rows(listed)] == [
        "ISO 4217 code, 3 characters",
        "UUID",
        "shipped | partly-shipped",
        "integer, at least 1",
    ]


@pytest.mark.sphinx("html", testroot="facts", freshenv=True, confoverrides=WARNING_TYPES)
def test_header_schemas_go_through_the_walk(app):
    app.build()
    headers = tables(app.outdir / "index.html")[2]
    assert rows(headers) == [
        # A $ref'd schema: its type, format, constraint and description.
        ["X-Request-Id", "A unique id for the request.", "UUID, at most 36 characters"],
        # type: [string, "null"]: typed and nullable.
        ["X-Retry-Of", "The id of the request this one repeats.", "UUID or null"],
        ["Content-Type", "", "application/json"],
    ]


def test_header_facts(tmp_path: Path) -> None:
    spec = Path(__file__).parent / "roots" / "test-facts" / "spec.yaml"
    request = SourceRequest(
        str(spec), srcdir=str(spec.parent), webhook="orderShipped", part="headers"
    )
    result = read_source(request, FileCache())
    assert result.problems == []
    assert result.callback is not None
    request_id, retry, _content_type = result.callback.fields
    assert (request_id.types, request_id.json_format, request_id.max_length) == (
        JsonTypes(("string",)),
        "uuid",
        36,
    )
    assert request_id.required and not request_id.nullable
    assert (retry.types, retry.json_format, retry.nullable) == (
        JsonTypes(("string",)),
        "uuid",
        True,
    )
    assert str(retry.origin) == "spec.yaml#/webhooks/orderShipped/post/parameters/1"


@pytest.mark.sphinx("html", testroot="facts", freshenv=True, confoverrides=WARNING_TYPES)
def test_inline_overrides_are_shown_as_written(app):
    app.build()
    shipped = tables(app.outdir / "index.html")[3]
    assert rows(shipped) == [
        ["status", "Two of the three.", "shipped | partly-shipped"],
        # Not "... or nil or null": the author's text already says it.
        ["shipped_at", "When the order left.", "2017-05-14T12:15:30.000000Z or nil"],
        ["note", "Said as written.", "free text"],
    ]


@pytest.mark.sphinx("html", testroot="facts", freshenv=True, confoverrides=WARNING_TYPES)
def test_the_quick_start_table_gives_a_meaningful_example(app):
    app.build()
    made, _checked = _examples(app)
    assert made == {
        "order_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "status": "shipped",
        "shipped_at": "2024-03-01T09:30:00Z",
        "tracking_url": "https://example.com/track/AB123",
        "size": "small",
    }
    # The enums the formats (and an :enum: attribute) state are checked, at the payload's line.
    assert warnings_of(app) == [
        f"{app.srcdir / 'index.rst'}:62: WARNING: 'status' is \"lost\", not one of "
        '"shipped", "partly-shipped" [callbacks.example]',
        f"{app.srcdir / 'index.rst'}:65: WARNING: 'size' is \"huge\", not one of "
        '"small", "medium", "large" [callbacks.example]',
    ]


@pytest.mark.sphinx(
    "html", testroot="facts", freshenv=True, confoverrides={**WARNING_TYPES, "language": "cy"}
)
def test_constraint_words_in_welsh(app):
    app.build()
    constrained, _listed, headers, *_ = tables(app.outdir / "index.html")
    assert [row[2] for row in rows(constrained)][:7] == [
        "3 nod",
        "7 i 15 nod",
        "ar y mwyaf 50 nod",
        "o leiaf 1 nod",
        "o leiaf 7 nod, yn cyfateb i ^[a-z]+$",
        "integer, 0 i 100, lluosrif o 5",
        "number, mwy na 0, llai na 1",
    ]
    assert rows(constrained)[10][2] == "arae o string, ar y mwyaf 50 eitem"
    assert rows(constrained)[12][2] == "ar y mwyaf 20 nod neu null"
    assert rows(headers)[1][2] == "UUID neu null"


@pytest.mark.sphinx("html", testroot="facts-myst", freshenv=True, confoverrides=WARNING_TYPES)
def test_markdown_literals_state_facts(app):
    app.build()
    assert warnings_of(app) == []
    (table,) = tables(app.outdir / "index.html")
    assert [row[2] for row in rows(table)] == [
        "UUID",
        "shipped | partly-shipped",
        "12345678 or null",
    ]
    assert _examples(app) == [
        {
            "order_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "status": "shipped",
            "reference": "12345678",
        }
    ]


def test_field_list_constraints_and_their_problems() -> None:
    fields, _caption, problems = field_list_fields(
        [
            {"key": "a", "minLength": 3, "maxLength": "three", "pattern": "^a"},
            {"key": "b", "multipleOf": 0, "minimum": 1, "exclusiveMaximum": 9.5},
        ],
        "f.yaml#",
    )
    a, b = fields
    assert (a.min_length, a.max_length, a.pattern) == (3, None, "^a")
    assert (b.multiple_of, b.minimum, b.exclusive_maximum) == (None, 1, 9.5)
    assert [p.message for p in problems] == [
        "f.yaml#/0 (a): maxLength must be a whole number of 0 or more",
        "f.yaml#/1 (b): multipleOf must be a number greater than 0",
    ]
