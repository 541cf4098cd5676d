"""Every warning an inline table can give: its text, its ``docname:line``, its subtype."""

from __future__ import annotations

import re

import pytest

from .helpers import WARNING_TYPES, tables, warnings_of


def _by_line(app) -> list[tuple[int, str, str]]:
    found = []
    for warning in warnings_of(app):
        match = re.match(r".*index\.rst:(\d+): WARNING: (.*) \[callbacks\.(\w+)\]$", warning)
        assert match, f"unlocated or untyped warning: {warning}"
        found.append((int(match.group(1)), match.group(3), match.group(2)))
    return sorted(found)


@pytest.mark.sphinx("html", testroot="bad-inline", freshenv=True, confoverrides=WARNING_TYPES)
def test_each_problem_is_one_located_warning(app):
    app.build()
    found = _by_line(app)
    lines = [(line, subtype) for line, subtype, _ in found]
    assert lines == [
        (4, "field"),  # empty table
        (12, "field"),  # duplicate key
        (14, "field"),  # term line without a key
        (17, "field"),  # unknown attribute
        (18, "field"),  # :since: without a value
        (25, "option"),  # unknown column
        (25, "option"),  # bad widths
        (25, "option"),  # negative depth
        (25, "option"),  # bad align
        (25, "option"),  # include of an unknown key
        (40, "field"),  # stray text
    ], found
    messages = " / ".join(message for _, _, message in found)
    assert "the table has no fields" in messages
    assert "duplicate key 'id' (first defined on line 1 of the body)" in messages
    assert "has no key; write it as 'key : format'" in messages
    assert "unknown field attribute ':requird:'; did you mean 'required'?" in messages
    assert "unknown column 'descripton' in :columns:; did you mean 'description'?" in messages
    assert ":depth: must be a whole number of 0 or more, not '-1'" in messages
    assert "no field has the key 'nope'" in messages
    assert "indented text with no term line above it" in messages
    assert ":headings: gives 2 headings for 2 columns" not in messages


@pytest.mark.sphinx("html", testroot="bad-inline", freshenv=True, confoverrides=WARNING_TYPES)
def test_the_rest_of_the_page_still_renders(app):
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    for text in (
        "Text after the empty table.",
        "Text after the broken table.",
        "Text after the bad options.",
        "Text after the stray text.",
    ):
        assert text in html
    broken, bad_options, _stray = tables(app.outdir / "index.html")
    assert [th.get_text(strip=True) for th in broken.select("tbody th")] == ["id", "status"]
    # The unknown column is left out; the headings fit the columns that remain.
    assert [th.get_text(strip=True) for th in bad_options.select("thead th")] == ["One", "Two"]


@pytest.mark.sphinx(
    "html",
    testroot="bad-inline",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "suppress_warnings": ["callbacks.field", "callbacks.option"]},
)
def test_suppress_warnings_silences_each_subtype(app):
    app.build()
    assert warnings_of(app) == []
