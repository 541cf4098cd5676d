"""Random hostile specs through a table, an example and the published schema.

Numbers (``NaN``, infinities, 400-digit integers, subnormals), text (lone surrogates,
controls, bidirectional overrides) and patterns (catastrophic, look-around, not regular
expressions at all) are written into a JSON Schema, which a page shows as a table and an
example. Whatever they are, the build has no traceback, the published schema is strict JSON,
and the example shown is the example published.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from .helpers import WARNING_TYPES, warnings_of

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 5e-324, 2.2250738585072014e-308, 1.7e308]),
)
# Lone surrogates, C0 and C1 controls, bidirectional and zero-width characters, and letters.
HOSTILE = st.sampled_from(
    ["\ud800", "\udfff", "\x00", "\x1b", "\x85", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028"]
)
TEXT = st.lists(st.one_of(HOSTILE, st.characters(), st.just("a")), max_size=12).map("".join)
PATTERNS = st.one_of(
    st.sampled_from(["^(a+)+$", "(?=a)", "(a)\\1", "([", "\\u00e9+", "[^]", "^\\s*$", "\\cA"]),
    st.text(max_size=8),
)


def _schema(key: str, text: str, number: Any, pattern: str, example: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "title": text,
        "properties": {
            key or "k": {
                "type": "string",
                "description": text,
                "pattern": pattern,
                "enum": [text, "plain"],
            },
            "n": {"type": "number", "minimum": number, "example": number, "default": number},
        },
        "patternProperties": {pattern: {"type": "string"}},
        "examples": [{key or "k": example, "n": number}],
    }


def _build(schema: dict[str, Any]) -> tuple[list[str], str, Path]:
    srcdir = Path(tempfile.mkdtemp(prefix="costs-property-"))
    try:
        (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", "utf-8")
        # ensure_ascii: the spec holds surrogates and NaN as JSON writes them (\ud800, NaN).
        (srcdir / "spec.json").write_text(json.dumps(schema, allow_nan=True), "utf-8")
        (srcdir / "index.rst").write_text(
            "Random\n======\n\n.. callback-table:: random\n   :source: spec.json\n\n"
            ".. callback-example:: random\n\nAfter the example.\n",
            "utf-8",
        )
        app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
        try:
            app.build()
            output = app._status.getvalue() + app._warning.getvalue()
            warnings = warnings_of(app)
        finally:
            app.cleanup()
        published = (srcdir / "_build" / "html" / "_callbacks" / "random.schema.json").read_text(
            "utf-8"
        )
        page = (srcdir / "_build" / "html" / "index.html").read_text("utf-8")
        shown = [
            block.get_text()
            for block in BeautifulSoup(page, "html.parser").select("div.highlight-json pre")
        ]
        assert "Traceback" not in output, output[-2000:]
        assert not [w for w in warnings if "[callbacks.internal]" in w], warnings
        assert "After the example." in page
        return shown, published, srcdir
    finally:
        shutil.rmtree(srcdir, ignore_errors=True)


def _strict(text: str) -> Any:
    def refuse(word: str) -> Any:
        raise ValueError(f"{word} is not JSON")

    return json.loads(text, parse_constant=refuse)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(key=TEXT, text=TEXT, number=NUMBERS, pattern=PATTERNS, example=TEXT)
def test_hostile_values_build_and_publish_strict_json(
    key: str, text: str, number: Any, pattern: str, example: str
) -> None:
    shown, published, _srcdir = _build(_schema(key, text, number, pattern, example))
    schema = _strict(published)
    (block,) = shown
    # What the page shows is what the schema publishes: surrogates as U+FFFD in both, hidden
    # controls as \\u escapes that JSON reads back as the same characters.
    assert _strict(block) == schema["examples"][0]
    assert "\ud800" not in published and "\udfff" not in published
