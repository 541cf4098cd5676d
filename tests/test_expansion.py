"""The cost of a check is measured before ``jsonschema`` runs it (``model.expansion``)."""

from __future__ import annotations

from typing import Any

import pytest

from sphinxext_callbacks.model.expansion import (
    MAX_EXPANSION,
    SchemaTooLarge,
    check_expansion,
    expansion,
)
from sphinxext_callbacks.model.patterns import validator


def dag(levels: int) -> dict[str, Any]:
    """Each level an ``allOf`` of two ``$ref``s to the next: 2**levels applications."""
    defs: dict[str, Any] = {
        f"L{i}": {"allOf": [{"$ref": f"#/$defs/L{i + 1}"}, {"$ref": f"#/$defs/L{i + 1}"}]}
        for i in range(levels)
    }
    defs[f"L{levels}"] = {"type": "string"}
    return {"$defs": defs, "$ref": "#/$defs/L0"}


def test_each_reuse_counts_again() -> None:
    small, bigger = expansion(dag(4)), expansion(dag(5))
    assert 2 * small - 20 < bigger < 2 * small + 20  # doubles with each level


def test_a_dag_thirty_levels_deep_is_refused_before_jsonschema_runs() -> None:
    assert expansion(dag(30)) == MAX_EXPANSION + 1
    with pytest.raises(SchemaTooLarge, match="200,000 schema objects"):
        validator(dag(30))


def test_a_cycle_is_not_a_multiplier() -> None:
    tree = {
        "$defs": {"node": {"properties": {"children": {"items": {"$ref": "#/$defs/node"}}}}},
        "$ref": "#/$defs/node",
    }
    assert expansion(tree) < 20
    check_expansion(tree)


def test_data_is_not_counted() -> None:
    schema = {"enum": [{"a": {}}] * 10_000, "examples": [{"$ref": "#"}] * 10_000}
    assert expansion(schema) == 1


def test_a_chain_deeper_than_the_stack_is_refused() -> None:
    defs = {f"L{i}": {"$ref": f"#/$defs/L{i + 1}"} for i in range(5_000)}
    assert expansion({"$defs": defs, "$ref": "#/$defs/L0"}) == MAX_EXPANSION + 1
