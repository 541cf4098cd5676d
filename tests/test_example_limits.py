"""What a made example may cost, beyond the hostile pages of ``tests/test_costs.py``: an
optional value past a limit is left out, a spec's own example meets its pattern, and types
with nothing in common are a contradiction that ``jsonschema`` agrees with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sphinxext_callbacks.model.examples import try_example
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
