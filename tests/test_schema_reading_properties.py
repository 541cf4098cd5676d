"""Property test: random schemas read as schemas.

A strategy of satisfiable schemas (objects, arrays, maps, ``allOf``, ``oneOf``, ``$ref``\\ s
reused through ``definitions``, nullability in its several spellings) and, for each one, a
project built with Sphinx: its table must have a row for every property a plain walk of the
schema reaches, the example it makes must be valid according to ``jsonschema``, and payloads
that ``hypothesis-jsonschema`` generates from the schema must pass its check without a word.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st

from .jsonschema_payloads import documented_only, payloads
from .schemabuild import Walker, build, errors_of, key_text, registry_of, validator_for

DRAFT_7 = "http://json-schema.org/draft-07/schema#"
NAMES = ("a", "b", "id", "name", "x.y", "items")
#: The property that tells ``oneOf`` alternatives apart; never one of NAMES.
TAG = "kind"


def nullable(schema: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    """*schema* or null, in one of the ways specs say it."""
    kind = schema.get("type")
    if isinstance(kind, str) and "$ref" not in schema and draw(st.booleans()):
        return {**schema, "type": [kind, "null"]}
    if "oneOf" in schema and draw(st.booleans()):
        return {**schema, "oneOf": [*schema["oneOf"], {"type": "null"}]}
    return {"anyOf": [schema, {"type": "null"}]}


@st.composite
def scalars(draw: st.DrawFn) -> dict[str, Any]:
    return draw(
        st.sampled_from(
            [
                {"type": "string"},
                {"type": "string", "enum": ["sent", "failed"]},
                {"type": "string", "format": "email"},
                {"type": "string", "minLength": 2, "maxLength": 8},
                {"type": "integer"},
                {"type": "integer", "minimum": 1, "maximum": 9},
                {"type": "number"},
                {"type": "number", "minimum": 0.5},
                {"type": "boolean"},
                {"const": "v1"},
                {"allOf": [{"type": "number"}, {"type": "integer"}]},
                {"allOf": [{"type": "string"}, {"type": ["string", "null"]}]},
            ]
        )
    )


class Universe:
    """The named definitions a schema may ``$ref``, with the keys each one's object has."""

    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}
        self.names: dict[str, set[str]] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/definitions/{name}"}


@st.composite
def objects(
    draw: st.DrawFn, depth: int, universe: Universe, avoid: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """An object of one to three properties, none named in *avoid*."""
    names = draw(
        st.lists(
            st.sampled_from([n for n in NAMES if n not in avoid]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    properties = {name: draw(nodes(depth - 1, universe)) for name in names}
    required = [name for name in names if draw(st.booleans())]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


@st.composite
def alternatives(
    draw: st.DrawFn, depth: int, universe: Universe, avoid: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """``oneOf`` objects that a tag tells apart, so that a value matches exactly one."""
    count = draw(st.integers(2, 3))
    options = []
    for index in range(count):
        option = draw(objects(depth, universe, avoid))
        option["properties"] = {TAG: {"const": f"k{index}"}, **option["properties"]}
        option["required"] = [TAG, *option.get("required", [])]
        options.append(option)
    return {"oneOf": options}


@st.composite
def nodes(draw: st.DrawFn, depth: int, universe: Universe) -> dict[str, Any]:
    """A satisfiable schema, nested at most *depth* deep."""
    kinds = ["scalar"]
    if depth > 0:
        kinds += ["object", "array", "map", "allOf", "oneOf", "object-or-array", "base-oneOf"]
    if universe.definitions:
        kinds += ["ref", "ref", "ref-and-more"]
    kind = draw(st.sampled_from(kinds))
    schema: dict[str, Any]
    if kind == "scalar":
        schema = draw(scalars())
    elif kind == "object":
        schema = draw(objects(depth, universe))
    elif kind == "array":
        schema = {"type": "array", "items": draw(nodes(depth - 1, universe))}
    elif kind == "map":
        schema = {"type": "object", "additionalProperties": draw(nodes(depth - 1, universe))}
    elif kind == "allOf":
        first = draw(objects(depth, universe))
        second = draw(objects(depth, universe, frozenset(first["properties"])))
        schema = {"allOf": [first, second]}
    elif kind == "oneOf":
        schema = draw(alternatives(depth, universe))
    elif kind == "object-or-array":
        one = draw(objects(depth, universe))
        schema = {"oneOf": [one, {"type": "array", "items": one}]}
    elif kind == "base-oneOf":
        base = draw(objects(depth, universe))
        avoid = frozenset(base["properties"])
        schema = {"allOf": [base, draw(alternatives(depth, universe, avoid))]}
    else:
        name = draw(st.sampled_from(sorted(universe.definitions)))
        schema = universe.ref(name)
        if kind == "ref-and-more":
            more = draw(objects(max(depth, 1), universe, frozenset(universe.names[name])))
            schema = {"allOf": [schema, more]}
    if draw(st.integers(0, 3)) == 0:
        schema = nullable(schema, draw)
    return schema


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, Any]:
    """A whole schema file: zero to two definitions (the second may use the first), and an
    object body whose properties use them, often more than once."""
    universe = Universe()
    for index in range(draw(st.integers(0, 2))):
        name = f"D{index}"
        definition = draw(objects(1, universe))
        universe.definitions[name] = definition
        universe.names[name] = set(definition["properties"])
    body = draw(objects(2, universe))
    return {"$schema": DRAFT_7, "definitions": universe.definitions, **body}


def _page(payload_texts: list[str]) -> str:
    text = ".. callback-table::\n   :source: s.json\n\n"
    text += ".. callback-example::\n   :source: s.json\n\n"
    for payload in payload_texts:
        text += f".. callback-example::\n   :source: s.json\n\n   {payload}\n\n"
    return text


@settings(
    # A Sphinx build each: a few in the default suite, more with CALLBACKS_PROPERTY_EXAMPLES
    # (tox -e thorough).
    max_examples=int(os.environ.get("CALLBACKS_PROPERTY_EXAMPLES", "8")),
    deadline=None,
    # Each example is a Sphinx build: shrinking one takes minutes. A failure shows its schema
    # and payloads (note()), small already, and the database replays it on the next run.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(schema=schemas(), data=st.data())
def test_random_schemas_are_read_as_schemas(schema: dict[str, Any], data: st.DataObject) -> None:
    note(json.dumps(schema, indent=1))
    walker = Walker(registry_of({"file:///s.json": schema}, DRAFT_7), "file:///s.json")
    keys = walker.keys(schema)
    # Reused definitions nest: past the row limit a table ends with a warning (tested on its
    # own), which is not what this test is about.
    assume(len(keys) < 1500)
    documented = set(keys)
    validator = validator_for(schema, dialect=DRAFT_7)
    generated = data.draw(st.lists(payloads(schema), min_size=1, max_size=2), label="payloads")
    checked = [documented_only(payload, documented) for payload in generated]
    assume(all(not errors_of(validator, payload) for payload in checked))
    texts = [json.dumps(payload) for payload in checked]
    srcdir = Path(tempfile.mkdtemp(prefix="random-schema-"))
    try:
        built = build(srcdir, {"page": _page(texts)}, {"s.json": schema})
    finally:
        shutil.rmtree(srcdir, ignore_errors=True)
    page = built["page"]
    note("\n".join(page.warnings))

    # Every property reachable has a row.
    assert page.tables, page.warnings
    shown = set(page.tables[0].keys)
    missing = [key_text(key) for key in keys if key_text(key) not in shown]
    assert missing == []

    # The made example is valid, and no payload the schema accepts is warned about.
    assert len(page.examples) == 1 + len(texts), page.warnings
    made = json.loads(page.examples[0])
    assert errors_of(validator, made) == [], page.examples[0]
    assert page.warnings == []
    assert built.warnings == []
