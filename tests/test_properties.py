"""Property tests beyond the readers' own (``test_sources_properties.py``) and the example's.

- the inline body parser, over random lines;
- the file loader, over random bytes and YAML-ish text in every file type;
- AsyncAPI documents and field-list files in YAML, through :func:`read_source`;
- the example made from the fields a *reader* gives (random schemas, not hand-made fields)
  passes its own check, and checking random JSON never raises.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sphinxext_callbacks.model.examples import check_example, try_example
from sphinxext_callbacks.model.fields import MISSING
from sphinxext_callbacks.model.problems import SUBTYPES
from sphinxext_callbacks.readers.files import SUFFIXES, FileCache
from sphinxext_callbacks.readers.inline import parse_body
from sphinxext_callbacks.readers.sources import SourceRequest, read_source

from .test_sources_properties import documents, schemas

QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the inline body ------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "id",
        "status",
        " : ",
        ":",
        " ",
        "   ",
        "\t",
        "``x``",
        ":required:",
        ":requird:",
        ":since:",
        ":example: 42",
        ":default: {",
        ":nullable: maybe",
        ":deprecated:",
        "a b",
        "é",
        ":ref:`x`",
        "-",
        "\u00a0",
    ]
)
_LINES = st.lists(st.lists(_PIECES, max_size=5).map("".join) | st.text(max_size=12), max_size=15)


@QUICK
@given(_LINES)
@example(['0 "'])  # a quote does not make room for a space in a key
def test_inline_body_never_raises(lines: list[str]) -> None:
    entries, problems = parse_body(lines)
    keys = [entry.field.key for entry in entries]
    assert len(keys) == len(set(keys))
    for entry in entries:
        assert entry.field.key
        assert not any(char.isspace() for char in entry.field.key)
        assert 0 <= entry.term_line < len(lines)
        assert entry.term_line < entry.description_line or entry.description_line == len(lines)
    for problem in problems:
        assert problem.subtype == "field"
        assert problem.line is None or 0 <= problem.line < len(lines)


# -- the loader, over any bytes -------------------------------------------------------------

_YAMLISH = st.lists(
    st.sampled_from(
        [
            "a: 1\n",
            "- x\n",
            "  ",
            "&a ",
            "*a",
            "!!python/object/apply:os.system ['exit 0']",
            "!!binary aGk=",
            "!!set {a, b}",
            "!!timestamp 2001-12-14",
            "!!omap [{a: 1}]",
            "? [a, b]\n: 1\n",
            "{",
            "}",
            "[",
            "]",
            '"',
            "'",
            "#",
            "\n",
            "key = 1\n",
            "[[fields]]\n",
            "%YAML 1.1\n---\n",
            "<<: *a\n",
            "\x00",
            "\xff",
            "1e999",
        ]
    ),
    max_size=12,
).map("".join)


def _load(content: bytes, suffix: str) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(content)
        loaded = FileCache().load(str(path), srcdir=folder)
    if loaded.problem is not None:
        assert loaded.problem.subtype == "source"
        assert loaded.data is None
    else:
        # Whatever the file says, what is loaded is JSON (json.dumps would raise otherwise).
        json.dumps(loaded.data)
    return loaded


@QUICK
@given(st.binary(max_size=40) | _YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_in_any_file_type_load_or_give_a_problem(content: bytes) -> None:
    for suffix in SUFFIXES:
        _load(content, suffix)


# -- AsyncAPI documents and YAML field lists -------------------------------------------------


def _read(data: Any, suffix: str = ".json", **options: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        text = json.dumps(data)  # JSON is YAML too
        path.write_text(text, encoding="utf-8")
        result = read_source(
            SourceRequest(str(path), srcdir=folder, max_rows=200, **options), FileCache()
        )
    assert all(problem.subtype in SUBTYPES for problem in result.problems)
    if result.callback is not None:
        assert 0 < len(result.callback.fields) <= 200
        assert all(field.key.strip() for field in result.callback.fields)


_MESSAGES = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["receipt", "other", ""]) | st.integers(),
        "payload": schemas,
        "headers": schemas,
        "contentType": st.sampled_from(["application/json", "text/plain", 3]),
        "oneOf": st.lists(st.fixed_dictionaries({}, optional={"payload": schemas}), max_size=2),
        "$ref": st.sampled_from(["#/components/messages/receipt", "#/nowhere", "x.json"]),
    },
)


@QUICK
@given(
    st.sampled_from(["2.6.0", "3.0.0", 3, None]),
    st.dictionaries(st.sampled_from(["receipt", "other"]), _MESSAGES, max_size=2),
    st.sampled_from([None, "receipt", "nope"]),
    st.sampled_from(["body", "headers"]),
)
def test_random_asyncapi(
    version: Any, messages: dict[str, Any], name: str | None, part: str
) -> None:
    doc = {
        "asyncapi": version,
        "channels": {"c": {"subscribe": {"message": messages.get("receipt", {})}}},
        "operations": {
            "op": {"action": "send", "messages": [{"$ref": "#/components/messages/receipt"}]}
        },
        "components": {"messages": messages},
    }
    _read(doc, ".yaml", message=name, part=part)
    _read(doc, ".json", pointer="/components/messages/receipt")


# -- examples made from what the readers give -----------------------------------------------


def _schema(schema: Any) -> dict[str, Any]:
    """The schema a read source gives its examples: the source's own, bundled."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.json"
        path.write_text(json.dumps(schema), encoding="utf-8")
        result = read_source(SourceRequest(str(path), srcdir=folder, max_rows=200), FileCache())
    return (result.callback.schema if result.callback else None) or {}


@settings(max_examples=120, deadline=None)
@given(documents)
# A top-level array of objects: its keys are "[].a"; the example was {"": [{"a": ...}]}.
@example({"items": {"properties": {"a": None}}})
@example({"type": "array", "items": {"type": "array", "items": {"properties": {"a": {}}}}})
def test_the_example_of_a_read_schema_passes_its_own_check(schema: Any) -> None:
    bundled = _schema(schema)
    example, why = try_example(bundled)
    # A random schema may contradict itself (an array with properties, a const with
    # properties): then no example is made, and the reason says why. One that is made is
    # valid, whatever the schema.
    if why is None:
        assert check_example(json.dumps(example, indent=2), bundled) == []
    else:
        assert example is MISSING and why


_JSON_TEXT = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=10,
).map(json.dumps) | st.text(max_size=20)


@QUICK
@given(documents, _JSON_TEXT)
def test_checking_any_text_never_raises(schema: Any, text: str) -> None:
    for problem in check_example(text, _schema(schema)):
        # A schema jsonschema cannot use ({"required": null}) is one warning that says so.
        assert problem.subtype in ("example", "schema")
