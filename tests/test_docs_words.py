"""The docs speak to their readers, not to the project's tracker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"

#: Phrases that only make sense to someone who followed the project's issues.
TRACKER_WORDS = [
    r"\bscale (issue|work)\b",
    r"\bgoals? of the\b",
    r"\bgoal by goal\b",
    r"\bcommits? ``[0-9a-f]{7,}``",
    r"\bthe (lead|engineer)s?\b",
]


@pytest.mark.parametrize(
    "page", sorted(DOCS.glob("*.rst")) + sorted(DOCS.glob("reference/*.rst")), ids=str
)
def test_no_tracker_words(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    found = [m.group(0) for word in TRACKER_WORDS for m in re.finditer(word, text, re.I)]
    assert found == []


def test_migration_guide_covers_every_option_of_both_tools() -> None:
    text = (DOCS / "migrating-tools.rst").read_text(encoding="utf-8")
    sphinxcontrib_openapi = [
        "paths", "include", "exclude", "methods", "tags", "request", "examples", "group",
        "format", "encoding", "markup", "http-methods-order", "request-parameters-order",
        "response-examples-for", "example-preference", "request-example-preference",
        "response-example-preference", "generate-examples-from-schemas",
        "no-json-schema-description",
    ]  # fmt: skip
    sphinx_jsonschema = [
        "lift_title", "lift_description", "lift_definitions", "auto_reference",
        "auto_target", "hide_key", "hide_key_if_empty", "pass_unmodified", "encoding",
        "timeout",
    ]  # fmt: skip
    missing = [o for o in sphinxcontrib_openapi + sphinx_jsonschema if f"``:{o}:" not in text]
    assert missing == []
