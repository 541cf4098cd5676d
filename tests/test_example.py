"""Example payloads: made from fields, checked against them, and ``callback-example``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp, assert_node

from sphinxext_callbacks.model.examples import (
    FORMAT_EXAMPLES,
    check_example,
    make_example,
)
from sphinxext_callbacks.model.fields import MISSING, Field
from sphinxext_callbacks.model.json_schema import fields_schema
from sphinxext_callbacks.model.paths import ITEMS
from sphinxext_callbacks.model.paths import Path as KeyPath
from sphinxext_callbacks.model.positions import json_positions
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.render.callback_nodes import callback_example_pending
from tests.helpers import typed

from .helpers import WARNING_TYPES, build_project, copy_root, warnings_of


def example_of(fields: list[Field]) -> Any:
    """The example made from the schema of inline *fields*."""
    return make_example(fields_schema(fields))


def check(text: str, fields: list[Field]) -> list[Problem]:
    """The problems of *text* against the schema of inline *fields*."""
    return check_example(text, fields_schema(fields))


RECEIPT = [
    Field(("id",), **typed("string"), json_format="uuid", required=True),
    Field(("reference",), **typed("string"), example="12345678"),
    Field(("status",), **typed("string"), enum=("delivered", "permanent-failure"), required=True),
    Field(("sent_at",), **typed("string"), json_format="date-time", nullable=True),
    Field(("sender",), **typed("object")),
    Field(("sender", "email"), **typed("string"), json_format="email"),
    Field(("attempts",), **typed("array of object")),
    Field(("attempts", "[]", "count"), **typed("integer"), required=True),
    Field(("tags",), **typed("array of string")),
    Field(("metadata",), **typed("object")),
]


# -- make_example -----------------------------------------------------------------------------


def test_example_values_nesting_and_order() -> None:
    assert example_of(RECEIPT) == {
        "id": FORMAT_EXAMPLES["uuid"],
        "reference": "12345678",
        "status": "delivered",
        "sent_at": FORMAT_EXAMPLES["date-time"],
        "sender": {"email": "user@example.com"},
        "attempts": [{"count": 0}],
        "tags": ["string"],
        "metadata": {},
    }
    assert list(example_of(RECEIPT)) == [f.key for f in RECEIPT if "." not in f.key]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (Field(("a",), example=None), None),
        # An example outside the enum is not valid: the first enum value is shown.
        (Field(("a",), example=0, enum=(1, 2)), 1),
        (Field(("a",), enum=(False, True)), False),
        (Field(("a",), **typed("integer"), json_format="int64"), 0),
        (Field(("a",), **typed("number")), 0),
        (Field(("a",), **typed("boolean")), True),
        (Field(("a",), **typed("null")), None),
        (Field(("a",), **typed("string or null")), "string"),
        (Field(("a",), **typed("null or integer")), 0),
        (Field(("a",), **typed("integer"), json_format="uuid"), 0),
        (Field(("a",), json_format="uuid"), FORMAT_EXAMPLES["uuid"]),
        (Field(("a",), json_format="date"), "2017-05-14"),
        (Field(("a",), json_format="uri"), "https://example.com/"),
        (Field(("a",), json_format="no-such-format"), "string"),
        (Field(("a",), **typed("array of integer")), [0]),
        (Field(("a",), **typed("array of string"), json_format="email"), ["user@example.com"]),
        # Nothing says what the items are: an empty array is the one sure to be valid.
        (Field(("a",), **typed("array")), []),
        (Field(("a",), **typed("UUID")), "string"),
        (Field(("a",)), "string"),
        (Field(("a", "[]"), **typed("integer")), [0]),
    ],
)
def test_example_value_of_one_field(field: Field, value: Any) -> None:
    assert example_of([field]) == {field.key.removesuffix("[]"): value}


def test_children_win_over_a_parent_given_later_or_as_a_leaf() -> None:
    fields = [
        Field(("b", "c"), **typed("integer")),
        Field(("b",), **typed("string"), example="ignored"),
        Field(("d", "[]", "e", "[]", "f"), **typed("boolean")),
    ]
    assert example_of(fields) == {"b": {"c": 0}, "d": [{"e": [{"f": True}]}]}


def test_example_is_deterministic_json() -> None:
    first = json.dumps(example_of(RECEIPT), indent=2)
    assert first == json.dumps(example_of(list(RECEIPT)), indent=2)
    assert json.loads(first) == example_of(RECEIPT)


# -- check_example ----------------------------------------------------------------------------

AUTHORED = """\
{
  "id": 5,
  "status": "sent",
  "colour": "blue",
  "sent_at": null,
  "sender": {"email": "a@example.com", "name": "x"},
  "attempts": [
    {"count": 1},
    {"count": "2"},
    {}
  ],
  "tags": ["a", 1],
  "metadata": {"anything": {"goes": true}}
}"""


def test_each_problem_with_its_line() -> None:
    assert check(AUTHORED, RECEIPT) == [
        Problem("example", "'id' should be string, not integer", 1),
        Problem("example", '\'status\' is "sent", not one of "delivered", "permanent-failure"', 2),
        Problem("example", "unknown key 'colour'", 3),
        Problem("example", "unknown key 'sender.name'", 5),
        Problem("example", "'attempts[].count' should be integer, not string", 8),
        Problem("example", "missing required key 'attempts[].count'", 9),
        Problem("example", "'tags' item 1 should be string, not integer", 11),
    ]


def test_valid_example_has_no_problems() -> None:
    text = json.dumps(
        {"id": FORMAT_EXAMPLES["uuid"], "status": "delivered", "sent_at": None, "attempts": []}
    )
    assert check(text, RECEIPT) == []


def test_missing_required_keys_at_the_top() -> None:
    assert check("\n\n  {}", RECEIPT) == [
        Problem("example", "missing required key 'id'", 2),
        Problem("example", "missing required key 'status'", 2),
    ]


def test_invalid_json_has_its_line() -> None:
    assert check('{\n  "id": "x",\n  "status":\n}', RECEIPT) == [
        Problem("example", "invalid JSON: Expecting value at column 1", 3)
    ]


def test_a_payload_that_is_not_an_object() -> None:
    assert check("[1]", RECEIPT) == [
        Problem("example", "the payload should be an object, not array", 0)
    ]
    assert check("[1]", []) == []


@pytest.mark.parametrize(
    ("type_", "value", "ok"),
    [
        ("integer", 1, True),
        ("integer", 1.0, True),
        ("integer", 1.5, False),
        ("integer", True, False),
        ("number", 1, True),
        ("number", False, False),
        ("boolean", 0, False),
        ("string or integer", 3, True),
        ("string | integer", None, False),
        ("null", None, True),
        ("array of object", [{}], True),
        ("array of object", [1], False),
        ("array of string or integer", [1, "a"], True),
        ("array of string or integer", 1, True),
        ("array of array of string", [[1]], False),
        ("object", [], False),
        ("int", 2, True),
        ("UUID", 2, True),  # not a JSON type: not checked
    ],
)
def test_types(type_: str, value: Any, ok: bool) -> None:
    problems = check(json.dumps({"a": value}), [Field(("a",), **typed(type_))])
    assert (problems == []) is ok, problems


def test_enum_compares_as_json_does() -> None:
    fields = [Field(("a",), enum=(1, 2))]
    assert check('{"a": true}', fields) != []
    assert check('{"a": 1.0}', fields) == []
    assert check('{"a": null}', [Field(("a",), enum=("x",), nullable=True)]) == []


# -- properties -------------------------------------------------------------------------------

# Dots and quotes in names: a literal "a.b" is one key, beside a nested a -> b.
_NAMES = st.text(alphabet='abcdefghij_."', min_size=1, max_size=5)
_SCALARS = {
    "string": st.text(max_size=5),
    "integer": st.integers(),
    "number": st.floats(allow_nan=False, allow_infinity=False) | st.integers(),
    "boolean": st.booleans(),
    "null": st.none(),
    "array of string": st.lists(st.text(max_size=3), max_size=2),
    "array of integer": st.lists(st.integers(), max_size=2),
}


@st.composite
def field_trees(draw: st.DrawFn, prefix: KeyPath = (), depth: int = 0) -> list[Field]:
    """Consistent fields: nested objects and arrays, enums and examples of the right type."""
    fields: list[Field] = []
    kinds = [*_SCALARS, None] + (["object", "array of object"] if depth < 2 else [])
    for name in draw(st.lists(_NAMES, min_size=int(depth == 0), max_size=4, unique=True)):
        key = (*prefix, name)
        kind = draw(st.sampled_from(kinds))
        common: dict[str, Any] = {"required": draw(st.booleans())}
        if draw(st.booleans()):
            common["nullable"] = True
        if kind in ("object", "array of object"):
            fields.append(Field(key, **typed(kind), **common))
            below = (*key, ITEMS) if kind == "array of object" else key
            fields.extend(draw(field_trees(below, depth + 1)))
            continue
        values = _SCALARS[kind] if kind else _SCALARS["string"]
        enum = tuple(draw(st.lists(values, max_size=3))) if draw(st.booleans()) else ()
        example = MISSING
        if draw(st.booleans()):
            example = draw(st.sampled_from(enum)) if enum else draw(values)
        # A format and an enum that contradict each other make a schema nothing satisfies.
        json_format = None if enum else draw(st.sampled_from([None, *FORMAT_EXAMPLES]))
        fields.append(
            Field(
                key,
                enum=enum,
                example=example,
                json_format=json_format,
                **{**common, **typed(kind or "")},
            )
        )
    return fields


@settings(max_examples=300, deadline=None)
@given(fields=field_trees(), indent=st.sampled_from([None, 0, 2]))
def test_every_made_example_passes_its_own_check(fields: list[Field], indent: int | None) -> None:
    example = example_of(fields)
    assert example_of(fields) == example
    assert check(json.dumps(example, indent=indent), fields) == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(value=_JSON, indent=st.sampled_from([None, 1, 4]))
def test_every_key_is_found_on_its_line(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    lines = {path: where[0] for path, where in json_positions(text).items()}
    text_lines = text.splitlines()

    def walk(item: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(item, dict):
            for key, child in item.items():
                assert json.dumps(key) in text_lines[lines[(*path, key)]]
                walk(child, (*path, key))
        elif isinstance(item, list):
            for index, child in enumerate(item):
                assert (*path, index) in lines
                walk(child, (*path, index))

    walk(value, ())


# -- the directive ----------------------------------------------------------------------------


def json_blocks(app: SphinxTestApp) -> list[tuple[list[str], str]]:
    """``(classes, text)`` of each JSON code block of the index page."""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [
        (div["class"], div.get_text().rstrip("\n")) for div in soup.select("div.highlight-json")
    ]


@pytest.mark.sphinx("html", testroot="example", freshenv=True, confoverrides=WARNING_TYPES)
def test_directive_warnings_are_located(app: SphinxTestApp) -> None:
    app.build()
    warnings = [re.sub(r"^\S*[/\\]", "", w) for w in warnings_of(app)]
    assert sorted(warnings, key=lambda w: int(w.split(":")[1])) == [
        "index.rst:21: WARNING: unknown key 'colour' [callbacks.example]",
        'index.rst:22: WARNING: \'status\' is "sent", not one of "delivered",'
        ' "permanent-failure" [callbacks.example]',
        "index.rst:31: WARNING: missing required key 'id' [callbacks.example]",
        "index.rst:33: WARNING: 'sender.email' should be string, not integer [callbacks.example]",
        "index.rst:43: WARNING: invalid JSON: Expecting value at column 1 [callbacks.example]",
        "index.rst:47: WARNING: payload.json, line 4: 'sent_at' should be string or null,"
        " not integer [callbacks.example]",
        "index.rst:52: WARNING: cannot read missing.json: No such file or directory"
        " [callbacks.source]",
        "index.rst:57: WARNING: unknown callback 'reciept'; did you mean 'receipt'?"
        " [callbacks.ref]",
        # jsonschema checks formats too: "x" is no UUID.
        "index.rst:78: WARNING: 'id' is \"x\", not a valid uuid [callbacks.example]",
        'index.rst:78: WARNING: \'status\' is "sent", not one of "delivered", "failed"'
        " [callbacks.example]",
        "index.rst:82: WARNING: cannot read nothing.yaml: no such file [callbacks.source]",
    ]


@pytest.mark.sphinx("html", testroot="example", freshenv=True, confoverrides=WARNING_TYPES)
def test_directive_output(app: SphinxTestApp) -> None:
    app.build()
    blocks = json_blocks(app)
    made = json.dumps(
        {
            "id": FORMAT_EXAMPLES["uuid"],
            "reference": "12345678",
            "status": "delivered",
            "sent_at": FORMAT_EXAMPLES["date-time"],
            "sender": {"email": "user@example.com"},
            "attempts": [{"at": FORMAT_EXAMPLES["date-time"]}],
        },
        indent=2,
    )
    assert [text for _classes, text in blocks] == [
        made,
        "{\n"
        '  "id": "740e5834-3a29-46b4-9a6f-16142fde533a",\n'
        '  "reference": "12345678",\n'
        '  "colour": "blue",\n'
        '  "status": "sent",\n'
        '  "sender": {"email": "user@example.com"}\n'
        "}",
        '{\n  "status": "delivered",\n  "sender": {"email": 42}\n}',
        '{\n  "id": "x",\n  "status":\n}',
        (app.srcdir / "payload.json").read_text().rstrip("\n"),
        '{\n  "code": 0,\n  "message": "Not found",\n  "retry": true\n}',
        json.dumps(
            {
                "id": FORMAT_EXAMPLES["uuid"],
                "status": "delivered",
                "sent_at": FORMAT_EXAMPLES["date-time"],
                "to": "user@example.com",
            },
            indent=2,
        ),
        '{"id": "x", "status": "sent"}',
    ]
    assert "checked" in blocks[2][0]
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "The page goes on." in page

    # Until it is written, the page holds a pending node of plain values, under its caption.
    doctree = app.env.get_doctree("index")
    wrapper = next(doctree.findall(nodes.container))
    assert_node(wrapper, nodes.container, literal_block=True, ids=["receipt-example"])
    assert_node(wrapper[0], nodes.caption)
    assert wrapper[0].astext() == "A delivery receipt"
    assert_node(
        wrapper[1],
        callback_example_pending,
        callback="receipt",
        text=None,
        origin="",
        ids=[],
    )
    assert app.env.get_domain("std").labels["receipt-example"][0] == "index"
    soup = BeautifulSoup(page, "html.parser")
    block = soup.select_one("div.literal-block-wrapper")
    assert block is not None
    assert block["id"] == "receipt-example"
    assert block.select_one("span.caption-text").get_text() == "A delivery receipt"


@pytest.mark.sphinx("html", testroot="example-myst", freshenv=True, confoverrides=WARNING_TYPES)
def test_myst_warnings_are_located(app: SphinxTestApp) -> None:
    app.build()
    warnings = [re.sub(r"^\S*[/\\]", "", w) for w in warnings_of(app)]
    assert warnings == [
        "index.md:13: WARNING: missing required key 'id' [callbacks.example]",
        'index.md:14: WARNING: \'status\' is "c", not one of "a", "b" [callbacks.example]',
        "index.md:15: WARNING: unknown key 'extra' [callbacks.example]",
        "index.md:23: WARNING: 'status' should be string, not integer [callbacks.example]",
        # jsonschema reports every keyword that fails, the enum as well as the type.
        'index.md:23: WARNING: \'status\' is 1, not one of "a", "b" [callbacks.example]',
    ]
    assert [text for _classes, text in json_blocks(app)][
        -1
    ] == '{\n  "id": "string",\n  "status": "a"\n}'


@pytest.mark.parametrize("builder", ["text", "latex", "singlehtml", "man", "texinfo", "epub"])
def test_every_builder_gets_plain_code_blocks(tmp_path: Path, builder: str) -> None:
    srcdir = tmp_path / "src"
    copy_root("example", srcdir)
    # EPUB wants these to be set, and warns otherwise.
    overrides = {**WARNING_TYPES, "copyright": "2026", "version": "1"}
    app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True, confoverrides=overrides)
    try:
        app.build()
        # The same eleven located warnings as in HTML, and nothing a writer choked on.
        assert len(warnings_of(app)) == 11, warnings_of(app)
        assert all("[callbacks." in w for w in warnings_of(app))
    finally:
        app.cleanup()


def test_a_payload_nested_too_deeply_is_a_problem_not_a_traceback() -> None:
    (problem,) = check("[" * 5000 + "]" * 5000, [])
    assert problem.subtype == "example"
    assert "nests more than 100 levels deep" in problem.message


# -- the spec's own examples ------------------------------------------------------------------


def _captioned_blocks(app: SphinxTestApp) -> list[tuple[str | None, dict[str, Any]]]:
    """``(caption, payload)`` of each JSON block of the index page, in order."""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    found = []
    for block in soup.select("div.highlight-json"):
        wrapper = block.find_parent("div", class_="literal-block-wrapper")
        caption = wrapper.select_one("span.caption-text") if wrapper else None
        found.append((caption.get_text() if caption else None, json.loads(block.get_text())))
    return found


@pytest.mark.sphinx("html", testroot="spec-examples", freshenv=True, confoverrides=WARNING_TYPES)
def test_the_specs_own_examples_are_shown_checked_and_picked(app: SphinxTestApp) -> None:
    app.build()
    warnings = [re.sub(r"^\S*[/\\]", "", w) for w in warnings_of(app)]
    wrong = (
        "the source's example 'wrong', line 2: 'type' is \"bookd\", not one of \"received\","
        ' "booked", "failed"; did you mean \'booked\'? [callbacks.example]'
    )
    assert warnings == [
        f"index.rst:6: WARNING: {wrong}",
        "index.rst:19: WARNING: the source has no example named 'boked' (it has 'received',"
        " 'booked', 'failed', 'wrong'); did you mean 'booked'? [callbacks.option]",
        f"index.rst:19: WARNING: {wrong}",
    ]
    blocks = _captioned_blocks(app)
    captions = [caption for caption, _payload in blocks]
    four = [
        "Transfer received",
        "Transfer booked",
        "Transfer failed",
        "An example the schema rejects",
    ]
    assert captions == [
        *four,  # all four, each under its summary
        "Transfer booked",  # :example: booked
        *four,  # an unknown name: all of them, after the warning
        None,  # the schema's own example, which has no summary
        "Author caption",  # the author's caption wins over the summary
        None,  # the author's payload
    ]
    assert blocks[4][1]["account"] == {"kind": "card", "last4": "4242"}
    assert blocks[9][1] == {
        "type": "booked",
        "amount": 5,
        "account": {"kind": "card", "last4": "0000"},
    }
    assert blocks[10][1]["type"] == "failed"


def test_a_changed_spec_example_is_shown_after_an_incremental_build(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    copy_root("spec-examples", srcdir)
    spec = srcdir / "transfer.yaml"
    for build, fresh in enumerate((True, False)):
        app = SphinxTestApp("html", srcdir=srcdir, freshenv=fresh, confoverrides=WARNING_TYPES)
        try:
            app.build()
            blocks = _captioned_blocks(app)
        finally:
            app.cleanup()
        assert blocks[1] == (
            "Transfer booked",
            {"type": "booked", "amount": 100 + build, "account": {"kind": "card", "last4": "4242"}},
        )
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace("{type: booked, amount: 100,", "{type: booked, amount: 101,"))


def test_a_schema_that_contradicts_itself_is_a_located_warning(tmp_path: Path) -> None:
    # Adyen's MarketPay webhooks: an enum of words with maxLength 1, and a time whose pattern
    # is the literal text "HH:mm:SS". No payload is valid; the made one was shown silently,
    # with "gender": "s".
    schema = {
        "type": "object",
        "required": ["gender", "closes"],
        "properties": {
            "gender": {"type": "string", "enum": ["MALE", "FEMALE"], "maxLength": 1},
            "closes": {"type": "string", "format": "time", "pattern": "HH:mm:SS"},
        },
    }
    index = "T\n=\n\n.. callback-example::\n   :source: bad.json\n"
    app = build_project(tmp_path, {"bad.json": json.dumps(schema), "index.rst": index})
    warnings = [w for w in warnings_of(app) if "index.rst:4" in w]
    # One cause, one warning, at the directive; and no invalid example is shown as the spec's.
    assert len(warnings) == 1, warnings
    assert "no example is shown" in warnings[0]
    assert 'at \'gender\', none of the values "MALE", "FEMALE" matches' in warnings[0]
    assert warnings[0].endswith("[callbacks.example]")
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("div.highlight-json") is None
