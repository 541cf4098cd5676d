"""What a made example may cost: each limit is one warning at the directive, and no example.

A spec from another party can ask for a string of 300 million characters or an array of 100
million items; the example maker refuses before it starts, names the limit, and the page
goes on. Every made example that is shown is valid against the spec's schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sphinxext_callbacks.model.examples import MAX_ITEMS, MAX_STRING, try_example
from tests.helpers import build_project, warnings_of

pytestmark = pytest.mark.sphinx


def _build(tmp_path: Path, schema: dict[str, Any]) -> tuple[list[str], list[str]]:
    index = "T\n=\n\n.. callback-example::\n   :source: s.json\n\nAfter the example.\n"
    app = build_project(tmp_path, {"s.json": json.dumps(schema), "index.rst": index})
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert "After the example." in soup.get_text()  # the rest of the page still renders
    blocks = [pre.get_text() for pre in soup.select("div.highlight-json pre")]
    return warnings_of(app), blocks


@pytest.mark.parametrize(
    ("words", "limit"),
    [
        ({"type": "string", "minLength": 300_000_000}, f"limit of {MAX_STRING} characters"),
        ({"type": "array", "items": {"type": "integer"}, "minItems": 100_000_000}, "items"),
    ],
)
def test_a_value_past_a_limit_is_one_warning_and_no_example(
    tmp_path: Path, words: dict[str, Any], limit: str
) -> None:
    schema = {"type": "object", "required": ["v"], "properties": {"v": words}}
    warnings, blocks = _build(tmp_path, schema)
    assert blocks == []
    assert len(warnings) == 1, warnings
    assert "index.rst:4:" in warnings[0]
    assert "no example is shown" in warnings[0] and limit in warnings[0]
    assert warnings[0].endswith("[callbacks.example]")
    assert str(MAX_ITEMS) in warnings[0] or str(MAX_STRING) in warnings[0]


def test_an_optional_value_past_a_limit_is_left_out(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "integer"},
            "blob": {"type": "string", "minLength": 300_000_000},
        },
    }
    warnings, blocks = _build(tmp_path, schema)
    assert warnings == []
    assert [json.loads(block) for block in blocks] == [{"id": 0}]


def test_a_pattern_no_made_value_meets_is_not_called_a_contradiction(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "required": ["time"],
        "properties": {"time": {"type": "string", "pattern": "^HH:mm:SS$"}},
    }
    warnings, blocks = _build(tmp_path, schema)
    assert blocks == []
    assert len(warnings) == 1, warnings
    assert "does not match '^HH:mm:SS$'" in warnings[0]
    assert "contradicts" not in warnings[0]


def test_a_pattern_is_met_by_the_specs_own_example(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "required": ["time"],
        "properties": {"time": {"type": "string", "pattern": "^HH:mm:SS$", "example": "HH:mm:SS"}},
    }
    warnings, blocks = _build(tmp_path, schema)
    assert warnings == []
    assert [json.loads(block) for block in blocks] == [{"time": "HH:mm:SS"}]


def test_types_with_nothing_in_common_are_a_contradiction_jsonschema_agrees_with() -> None:
    schema = {
        "type": "object",
        "properties": {"x": {"allOf": [{"type": "string"}, {"type": "integer"}]}},
        "required": ["x"],
    }
    _, why = try_example(schema)
    assert why is not None and "contradicts itself" in why
    # An optional one is left out: the payload is valid without it.
    del schema["required"]
    assert try_example(schema) == ({}, None)
